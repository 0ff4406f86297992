//! Writes NumPy files for the tests, as numpy does: `.npy` arrays with `npyz`'s writer (or,
//! for the headers numpy can write but digits-tui refuses, by hand) and `.npz` archives,
//! stored (`np.savez`) or deflated (`np.savez_compressed`), with `zip`'s writer.

use std::io::{Cursor, Write};

use npyz::WriterBuilder;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// `values` as a C-order `.npy` array of `shape`, in the dtype numpy gives `T`
/// (`|u1` for bytes, `<i8` for `i64`).
pub fn array<T: npyz::AutoSerialize + Copy>(shape: &[u64], values: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = npyz::WriteOptions::<T>::new()
        .default_dtype()
        .shape(shape)
        .writer(&mut out)
        .begin_nd()
        .expect("in memory");
    writer.extend(values.iter().copied()).expect("in memory");
    writer.finish().expect("in memory");
    out
}

/// A version 1.0 `.npy` header as numpy writes it, then `body`: any dtype text and order,
/// including those digits-tui refuses (`|O`, `>i4`, Fortran order).
pub fn raw(descr: &str, fortran: bool, shape: &str, body: &[u8]) -> Vec<u8> {
    let dict = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
        if fortran { "True" } else { "False" }
    );
    // Magic, version and length take 10 bytes; the header ends in '\n' on a 64-byte boundary.
    let pad = (64 - (10 + dict.len() + 1) % 64) % 64;
    let text = format!("{dict}{}\n", " ".repeat(pad));
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend(
        u16::try_from(text.len())
            .expect("short header")
            .to_le_bytes(),
    );
    out.extend(text.as_bytes());
    out.extend(body);
    out
}

/// An `.npz` archive of `members` (name without `.npy`, array bytes), deflated or stored.
pub fn archive(members: &[(&str, Vec<u8>)], deflated: bool) -> Vec<u8> {
    let method = if deflated {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default().compression_method(method);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        zip.start_file(format!("{name}.npy"), options)
            .expect("in memory");
        zip.write_all(bytes).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}
