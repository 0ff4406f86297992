//! Reading the figures the binary and the library both print: a summary table's row, a
//! landscape reference point's bits. Shared with the library's own checks
//! (`src/checks/divergence.rs` and `src/checks/landscape_paths.rs` compile it in), so both
//! sides read them one way.

/// The words of the table row that starts with `name`.
pub(crate) fn row(table: &str, name: &str) -> Vec<String> {
    // A screen's line is quoted and framed: the row is what stands inside its first frame.
    let line = (table.lines())
        .map(|l| l.trim_start_matches(['"', '│', ' ']))
        .map(|l| l.split('│').next().unwrap_or_default())
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no {name} row in\n{table}"));
    line.split_whitespace().map(str::to_owned).collect()
}

/// A reference point's x, y and f bits, from its three hexadecimal numbers.
pub(crate) fn point_bits(point: &str) -> [u64; 3] {
    let mut it = point
        .split(' ')
        .map(|h| u64::from_str_radix(h, 16).expect("a hexadecimal number"));
    [(); 3].map(|()| it.next().expect("three numbers a point"))
}
