//! Matrix products in the lab's reference arithmetic (LAB.md B.0): every output element is
//! `acc = +0.0; for t ascending: acc = fma(p, q, acc)`.
//!
//! Keeping that order per element is what makes training traces reproducible to the bit; the
//! speed comes from computing many independent elements at once (a register tile of
//! rows × columns), which vectorises without reordering any single sum.

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use super::simd::Path;
use super::team;
use std::ops::Range;

/// The left operand, read as `P[r, t] = data[r * row_stride + t * depth_stride]`, so one kernel
/// serves `A·Wᵀ`, `δ·W` and `δᵀ·A` without transposing anything.
#[derive(Clone, Copy)]
pub struct Lhs<'a> {
    /// Backing storage.
    pub data: &'a [f64],
    /// Distance between consecutive output rows.
    pub row_stride: usize,
    /// Distance between consecutive summation steps.
    pub depth_stride: usize,
}

/// Rows per tile of the portable kernel.
const MR: usize = 6;

/// Summation steps per pass over the output: a block of `KC` steps of the tile's rows and
/// columns stays in L1 for MNIST-wide inputs (784). Accumulators are stored between blocks and
/// reloaded, which changes no bits: each element is still one sequential chain of FMAs.
const KC: usize = 256;

/// Which side of a product its parts divide when a team shares it: each thread then reads
/// only its share of the operand on that side, and writes only its share of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Whole rows (units of 4) when every thread gets some: a weight gradient's rows are its
    /// layer's inputs, cut as the update cuts the weights (contiguous ranges).
    Rows,
    /// Whole columns (units of 8) when every thread gets some: a forward product's columns
    /// are its layer's units, so each thread reads only its units' weights.
    Columns,
}

/// Where a right operand's or an output's element `(i, j)` sits: at
/// `i * step + (j / 8) * panel + j % 8`. Row-major rows of `ld` elements have `panel` 8 (the
/// offset is then `i * ld + j`); a matrix kept in panels of 8 columns, each panel `rows × 8`
/// row-major and the panels one after another, has `step` 8 and `panel` `8 · rows`. In panels,
/// the columns of a range of whole panels are one contiguous range of memory: threads that
/// split a product by columns then share no cache line of it (row-major, a strip's neighbours
/// are the other thread's lines, which hardware prefetchers fetch too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    step: usize,
    panel: usize,
}

impl Layout {
    /// Columns per panel: one AVX-512 vector, two AVX2 or four NEON vectors, so that a
    /// kernel's vector never straddles two panels.
    pub const PANEL: usize = 8;

    /// Row-major, rows `ld` elements apart.
    pub fn rows(ld: usize) -> Self {
        Self {
            step: ld,
            panel: Self::PANEL,
        }
    }

    /// Panels of 8 columns of `rows` rows each.
    pub fn panels(rows: usize) -> Self {
        Self {
            step: Self::PANEL,
            panel: Self::PANEL * rows,
        }
    }

    /// Elements from one panel's start to the next's: the unit in which a team cuts an array
    /// so laid out, so that each thread's part is whole panels (row-major, 8: whole cache
    /// lines of a contiguous range).
    pub fn panel_len(self) -> usize {
        self.panel
    }

    /// The offset of element `(i, j)`.
    pub fn at(self, i: usize, j: usize) -> usize {
        i * self.step + self.column(j)
    }

    /// The offset of row 0's column `j`: a column's elements are `step` apart from it.
    fn column(self, j: usize) -> usize {
        (j / Self::PANEL) * self.panel + j % Self::PANEL
    }

    /// True when `rows × cols` elements laid out so occupy distinct offsets, the largest of
    /// them at `(rows − 1, cols − 1)`.
    fn holds(self, rows: usize, cols: usize) -> bool {
        if self.panel == Self::PANEL {
            cols <= self.step
        } else {
            self.step >= Self::PANEL && self.panel >= rows * self.step
        }
    }
}

/// Overwrites `c[r * ldc + j]` (for `r < rows`, `j < cols`) with `Σ_t fma(P[r,t], q[t * ldq + j])`.
///
/// # Panics
/// If an operand is too short for the stated shape (an internal bug, never user input).
#[allow(clippy::too_many_arguments)]
pub fn product(
    rows: usize,
    cols: usize,
    depth: usize,
    p: Lhs<'_>,
    q: &[f64],
    ldq: usize,
    c: &mut [f64],
    ldc: usize,
) {
    let (ql, cl) = (Layout::rows(ldq), Layout::rows(ldc));
    product_cut(Cut::Rows, rows, cols, depth, p, (q, ql), (c, cl));
}

/// As [`product`], with the right operand `q` and the output `c` laid out as their
/// [`Layout`]s say, cut as `cut` says when it is split.
///
/// # Panics
/// If an operand is too short for the stated shape, or a layout overlaps its own elements
/// (an internal bug, never user input).
pub fn product_cut(
    cut: Cut,
    rows: usize,
    cols: usize,
    depth: usize,
    p: Lhs<'_>,
    (q, ql): (&[f64], Layout),
    (c, cl): (&mut [f64], Layout),
) {
    if rows == 0 || cols == 0 {
        return;
    }
    assert!(
        cl.holds(rows, cols) && cl.at(rows - 1, cols - 1) < c.len(),
        "product: output too short"
    );
    if depth == 0 {
        for r in 0..rows {
            for j in 0..cols {
                c[cl.at(r, j)] = 0.0;
            }
        }
        return;
    }
    assert!(
        (rows - 1) * p.row_stride + (depth - 1) * p.depth_stride < p.data.len(),
        "product: left operand too short"
    );
    assert!(
        ql.holds(depth, cols) && ql.at(depth - 1, cols - 1) < q.len(),
        "product: right operand too short"
    );
    let args = Args {
        rows,
        cols,
        depth,
        p: p.data.as_ptr(),
        prs: p.row_stride,
        pts: p.depth_stride,
        q: q.as_ptr(),
        ql,
        c: c.as_mut_ptr(),
        cl,
    };
    let threads = team::participants(rows * cols * depth);
    if threads > 1 {
        split(&args, threads, cut);
    } else {
        // SAFETY: bounds were checked above.
        unsafe { dispatch(&args) };
    }
}

/// Cuts the product into parts of whole rows (units of 4) or whole columns (units of 8) for
/// `threads` threads of the team this thread leads: on the side `cut` names when it has a
/// unit for every thread, else on the side with more units. Each output element is still
/// computed by one kernel call, in the same order, so the bits are unchanged.
fn split(a: &Args, threads: usize, cut: Cut) {
    struct Shared<'a>(&'a Args);
    // SAFETY: parts read the operands and write disjoint rows or columns of the output.
    unsafe impl Sync for Shared<'_> {}
    impl Shared<'_> {
        // A method, so that closures capture the whole wrapper (not its non-`Sync` field).
        fn args(&self) -> &Args {
            self.0
        }
    }
    let (row_units, col_units) = (a.rows.div_ceil(4), a.cols.div_ceil(8));
    let by_rows = match cut {
        Cut::Rows => row_units >= threads || row_units >= col_units,
        Cut::Columns => col_units < threads && row_units > col_units,
    };
    let (len, unit) = if by_rows { (a.rows, 4) } else { (a.cols, 8) };
    let parts = threads.min(len.div_ceil(unit));
    let shared = Shared(a);
    team::split(parts, |part, _| {
        let a = shared.args();
        let Range {
            start: from,
            end: to,
        } = team::part_of(len, unit, part, parts);
        // SAFETY: `from..to` lies inside the checked rows (or columns), so the offsets stay in
        // the operands and every element the part touches was checked by `product`.
        unsafe {
            let part = if by_rows {
                Args {
                    rows: to - from,
                    p: a.p.add(from * a.prs),
                    c: a.c.add(a.cl.at(from, 0)),
                    ..*a
                }
            } else {
                // `from` is a whole number of units of 8: a panel's start.
                Args {
                    cols: to - from,
                    q: a.q.add(a.ql.column(from)),
                    c: a.c.add(a.cl.column(from)),
                    ..*a
                }
            };
            dispatch(&part);
        }
    });
}

/// The kernel of the active path.
///
/// # Safety
/// `a` passed `product`'s bounds checks.
unsafe fn dispatch(a: &Args) {
    match super::simd::active() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active` only returns paths the CPU supports; bounds were checked by the caller.
        Path::Avx512 => unsafe { wide::product_avx512(a) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx2 => unsafe { wide::product_avx2(a) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: as above.
        Path::Neon => unsafe { wide::product_neon(a) },
        // SAFETY: bounds were checked by the caller.
        _ => unsafe { product_body(a) },
    }
}

/// Raw operands after the bounds checks.
#[derive(Clone, Copy)]
struct Args {
    rows: usize,
    cols: usize,
    depth: usize,
    p: *const f64,
    prs: usize,
    pts: usize,
    q: *const f64,
    ql: Layout,
    c: *mut f64,
    cl: Layout,
}

/// The vector kernels, one body for every width, written with intrinsics so the register tile
/// is explicit: `L::MR` rows × two vectors of columns, the row pointers advancing
/// independently, a partial column block as one masked tile. Each element is still
/// `acc = fma(P[r, t], q[t, j], acc)` for `t` ascending, so the bits are the portable kernel's.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod wide {
    use super::super::lanes::Lanes;
    #[cfg(target_arch = "aarch64")]
    use super::super::lanes::Neon;
    #[cfg(target_arch = "x86_64")]
    use super::super::lanes::{Avx2, Avx512};
    use super::{Args, KC};

    /// # Safety
    /// The CPU has AVX2 and FMA, and `a` passed `product`'s bounds checks.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn product_avx2(a: &Args) {
        // SAFETY: as this function's contract.
        unsafe { product::<Avx2>(a) }
    }

    /// # Safety
    /// The CPU has AVX-512F, and `a` passed `product`'s bounds checks.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn product_avx512(a: &Args) {
        // SAFETY: as this function's contract.
        unsafe { product::<Avx512>(a) }
    }

    /// # Safety
    /// The CPU has NEON, and `a` passed `product`'s bounds checks.
    #[cfg(target_arch = "aarch64")]
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn product_neon(a: &Args) {
        // SAFETY: as this function's contract.
        unsafe { product::<Neon>(a) }
    }

    #[inline(always)]
    unsafe fn product<L: Lanes>(a: &Args) {
        // SAFETY: as this function's contract.
        unsafe {
            if a.prs == 1 {
                product_in::<L, true>(a)
            } else {
                product_in::<L, false>(a)
            }
        }
    }

    /// The product, its left operand's rows adjacent (`ADJACENT`: `prs == 1`, as the weight
    /// gradient reads `δᵀ`) or not. Adjacent, a step's `R` values sit at one pointer plus
    /// constant offsets; with a runtime row stride LLVM chains `R - 1` additions per step,
    /// which made the gradient 5–10 % slower on the AVX-512 Xeon measured. (Forward products,
    /// whose steps are adjacent instead, were no faster with that stride known.)
    #[inline(always)]
    unsafe fn product_in<L: Lanes, const ADJACENT: bool>(a: &Args) {
        let mut t0 = 0;
        while t0 < a.depth {
            let kc = KC.min(a.depth - t0);
            let mut r = 0;
            while r < a.rows {
                let height = L::MR.min(a.rows - r);
                // SAFETY (all arms): r + height <= rows, t0 + kc <= depth; the arms above
                // `L::MR` are never taken.
                unsafe {
                    match height {
                        12 => row_block::<L, ADJACENT, 12>(a, r, t0, kc),
                        11 => row_block::<L, ADJACENT, 11>(a, r, t0, kc),
                        10 => row_block::<L, ADJACENT, 10>(a, r, t0, kc),
                        9 => row_block::<L, ADJACENT, 9>(a, r, t0, kc),
                        8 => row_block::<L, ADJACENT, 8>(a, r, t0, kc),
                        7 => row_block::<L, ADJACENT, 7>(a, r, t0, kc),
                        6 => row_block::<L, ADJACENT, 6>(a, r, t0, kc),
                        5 => row_block::<L, ADJACENT, 5>(a, r, t0, kc),
                        4 => row_block::<L, ADJACENT, 4>(a, r, t0, kc),
                        3 => row_block::<L, ADJACENT, 3>(a, r, t0, kc),
                        2 => row_block::<L, ADJACENT, 2>(a, r, t0, kc),
                        _ => row_block::<L, ADJACENT, 1>(a, r, t0, kc),
                    }
                }
                r += height;
            }
            t0 += kc;
        }
    }

    /// One band of `R` rows across all columns, for summation steps `t0..t0 + kc`.
    #[inline(always)]
    unsafe fn row_block<L: Lanes, const ADJACENT: bool, const R: usize>(
        a: &Args,
        r: usize,
        t0: usize,
        kc: usize,
    ) {
        let n = L::N;
        let mut j = 0;
        // SAFETY (all tiles): the unmasked columns end at or before `cols`; r + R <= rows.
        unsafe {
            let all = L::mask(n);
            while j + 2 * n <= a.cols {
                tile::<L, ADJACENT, R, 2, false>(a, r, j, t0, kc, [all; 2]);
                j += 2 * n;
            }
            let rest = a.cols - j;
            if rest > n {
                tile::<L, ADJACENT, R, 2, true>(a, r, j, t0, kc, [all, L::mask(rest - n)]);
            } else if rest == n {
                tile::<L, ADJACENT, R, 1, false>(a, r, j, t0, kc, [all]);
            } else if rest > 0 {
                tile::<L, ADJACENT, R, 1, true>(a, r, j, t0, kc, [L::mask(rest)]);
            }
        }
    }

    /// `R` rows × `V` vectors of columns from column `j`, steps `t0..t0 + kc`: starting from
    /// zero on the first block and from the stored partial sums after it.
    #[inline(always)]
    unsafe fn tile<
        L: Lanes,
        const ADJACENT: bool,
        const R: usize,
        const V: usize,
        const MASKED: bool,
    >(
        a: &Args,
        r: usize,
        j: usize,
        t0: usize,
        kc: usize,
        mask: [L::M; V],
    ) {
        let n = L::N;
        // SAFETY: every P[r + i, t] and unmasked q[t, j + x], c[r + i, j + x] touched here is
        // in bounds, as `product` checked; masked-off lanes are never touched. Callers run
        // with L's features.
        unsafe {
            // Each vector's columns lie in one panel (8 is a whole number of vectors, and `j`
            // starts one), at these offsets from the tile's first column.
            let (mut qo, mut co) = ([0; V], [0; V]);
            for v in 1..V {
                qo[v] = a.ql.column(j + v * n) - a.ql.column(j);
                co[v] = a.cl.column(j + v * n) - a.cl.column(j);
            }
            let c_at = |i: usize| a.c.add(a.cl.at(r + i, j));
            let mut acc = [[L::splat(0.0); V]; R];
            if t0 > 0 {
                for (i, row) in acc.iter_mut().enumerate() {
                    let c = c_at(i);
                    for (v, x) in row.iter_mut().enumerate() {
                        *x = if MASKED {
                            L::load_masked(c.add(co[v]), mask[v])
                        } else {
                            L::load(c.add(co[v]))
                        };
                    }
                }
            }
            let prs = if ADJACENT { 1 } else { a.prs };
            let mut p = [a.p; R];
            for (i, p) in p.iter_mut().enumerate() {
                *p = a.p.add((r + i) * prs + t0 * a.pts);
            }
            let mut q = a.q.add(a.ql.at(t0, j));
            let mut qv = [L::splat(0.0); V];
            for _ in 0..kc {
                for (v, x) in qv.iter_mut().enumerate() {
                    *x = if MASKED {
                        L::load_masked(q.add(qo[v]), mask[v])
                    } else {
                        L::load(q.add(qo[v]))
                    };
                }
                for i in 0..R {
                    let b = L::splat(*p[i]);
                    for v in 0..V {
                        acc[i][v] = L::fma(b, qv[v], acc[i][v]);
                    }
                    p[i] = p[i].add(a.pts);
                }
                q = q.add(a.ql.step);
            }
            for (i, row) in acc.iter().enumerate() {
                let c = c_at(i);
                for (v, &x) in row.iter().enumerate() {
                    if MASKED {
                        L::store_masked(c.add(co[v]), mask[v], x);
                    } else {
                        L::store(c.add(co[v]), x);
                    }
                }
            }
        }
    }
}

#[inline(always)]
unsafe fn product_body(a: &Args) {
    let mut r = 0;
    while r + MR <= a.rows {
        // SAFETY: r + MR <= rows.
        unsafe { row_block::<MR>(a, r) };
        r += MR;
    }
    // SAFETY (all blocks): r + height <= rows.
    if r + 4 <= a.rows {
        unsafe { row_block::<4>(a, r) };
        r += 4;
    }
    if r + 2 <= a.rows {
        unsafe { row_block::<2>(a, r) };
        r += 2;
    }
    if r < a.rows {
        unsafe { row_block::<1>(a, r) };
    }
}

#[inline(always)]
unsafe fn row_block<const R: usize>(a: &Args, r: usize) {
    let mut j = 0;
    // SAFETY (all tiles): j + width <= cols and r + R <= rows.
    while j + 8 <= a.cols {
        unsafe { tile::<R, 8>(a, r, j) };
        j += 8;
    }
    if j + 4 <= a.cols {
        unsafe { tile::<R, 4>(a, r, j) };
        j += 4;
    }
    while j < a.cols {
        unsafe { tile::<R, 1>(a, r, j) };
        j += 1;
    }
}

/// `R` rows × `C` columns from column `j`: `C` is 8 from a multiple of 8, 4 from a multiple of
/// 4 or 1, so the columns lie in one panel of the layouts.
#[inline(always)]
unsafe fn tile<const R: usize, const C: usize>(a: &Args, r: usize, j: usize) {
    let mut acc = [[0.0f64; C]; R];
    // SAFETY: `product` checked that every P[r', t] and q[t, j'] read here is in bounds.
    unsafe {
        let mut pp = a.p.add(r * a.prs);
        let mut qq = a.q.add(a.ql.column(j));
        for _ in 0..a.depth {
            let mut qv = [0.0f64; C];
            for (x, v) in qv.iter_mut().enumerate() {
                *v = *qq.add(x);
            }
            for (i, row) in acc.iter_mut().enumerate() {
                let pv = *pp.add(i * a.prs);
                for (acc, &qx) in row.iter_mut().zip(&qv) {
                    *acc = pv.mul_add(qx, *acc);
                }
            }
            pp = pp.add(a.pts);
            qq = qq.add(a.ql.step);
        }
        for (i, row) in acc.iter().enumerate() {
            let out = a.c.add(a.cl.at(r + i, j));
            for (x, &v) in row.iter().enumerate() {
                *out.add(x) = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::simd::Path;

    /// The definition, one element at a time.
    fn naive(
        rows: usize,
        cols: usize,
        depth: usize,
        p: Lhs<'_>,
        q: &[f64],
        ldq: usize,
    ) -> Vec<f64> {
        let mut c = vec![0.0; rows * cols];
        for r in 0..rows {
            for j in 0..cols {
                let mut acc = 0.0f64;
                for t in 0..depth {
                    let pv = p.data[r * p.row_stride + t * p.depth_stride];
                    acc = pv.mul_add(q[t * ldq + j], acc);
                }
                c[r * cols + j] = acc;
            }
        }
        c
    }

    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    #[test]
    fn tiles_and_tails_match_the_sequential_definition_bit_for_bit() {
        for &(rows, cols, depth) in &[
            (7, 70, 80),
            (29, 10, 70),
            (64, 80, 64),
            (1, 3, 5),
            (5, 13, 1),
            (13, 17, 3),
            (25, 9, 600),
            (2, 31, 257),
        ] {
            let p = noise(rows * depth, 1);
            let q = noise(depth * cols, 2);
            // P row-major (forward and delta products) and P read as a transpose (the weight
            // gradient's δᵀ), which the vector kernels compile separately.
            for (row_stride, depth_stride) in [(depth, 1), (1, rows)] {
                let lhs = Lhs {
                    data: &p,
                    row_stride,
                    depth_stride,
                };
                let want = naive(rows, cols, depth, lhs, &q, cols);
                for path in Path::supported_here() {
                    let mut c = vec![f64::NAN; rows * cols];
                    let run = || product(rows, cols, depth, lhs, &q, cols, &mut c, cols);
                    super::super::simd::with_path(path, run).expect("a supported path");
                    let same = c.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(
                        same,
                        "{path}: {rows}x{cols}x{depth}, P strides {row_stride}, {depth_stride}"
                    );
                }
            }
        }
    }

    /// A right operand or an output in panels of 8 columns (or both) gives the row-major
    /// product's bits in the same places, on every path, with partial last panels too.
    #[test]
    fn panels_hold_the_row_major_products_bits() {
        for &(rows, cols, depth) in &[(64, 80, 784), (12, 16, 5), (7, 13, 9), (29, 10, 70)] {
            let p = noise(rows * depth, 3);
            let q = noise(depth * cols, 4);
            let lhs = Lhs {
                data: &p,
                row_stride: depth,
                depth_stride: 1,
            };
            let want = naive(rows, cols, depth, lhs, &q, cols);
            let (qp, cp) = (Layout::panels(depth), Layout::panels(rows));
            let mut q_panels = vec![f64::NAN; cols.div_ceil(8) * 8 * depth];
            for t in 0..depth {
                for j in 0..cols {
                    q_panels[qp.at(t, j)] = q[t * cols + j];
                }
            }
            let layouts = [(qp, Layout::rows(cols)), (Layout::rows(cols), cp), (qp, cp)];
            for path in Path::supported_here() {
                for (ql, cl) in layouts {
                    let q = if ql == qp { &q_panels[..] } else { &q[..] };
                    let mut c = vec![f64::NAN; cols.div_ceil(8) * 8 * rows];
                    let run = || {
                        let (q, c) = ((q, ql), (&mut c[..], cl));
                        product_cut(Cut::Columns, rows, cols, depth, lhs, q, c);
                    };
                    super::super::simd::with_path(path, run).expect("a supported path");
                    for r in 0..rows {
                        for j in 0..cols {
                            let (got, want) = (c[cl.at(r, j)], want[r * cols + j]);
                            assert_eq!(got.to_bits(), want.to_bits(), "{path} {ql:?} {cl:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn transposed_left_operand_reads_columns() {
        // P = Mᵀ for a 3×2 M stored row-major: P[r, t] = M[t, r].
        let m = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let q = [1.0, 10.0, 100.0];
        let lhs = Lhs {
            data: &m,
            row_stride: 1,
            depth_stride: 2,
        };
        let mut c = [0.0; 2];
        product(2, 1, 3, lhs, &q, 1, &mut c, 1);
        assert_eq!(c, [1.0 + 30.0 + 500.0, 2.0 + 40.0 + 600.0]);
    }

    #[test]
    fn zero_depth_gives_zeros() {
        let mut c = [9.0; 4];
        product(
            2,
            2,
            0,
            Lhs {
                data: &[],
                row_stride: 0,
                depth_stride: 0,
            },
            &[],
            2,
            &mut c,
            2,
        );
        assert_eq!(c, [0.0; 4]);
    }
}
