//! One vector width as a type, so that each kernel is written once and instantiated for
//! every width: AVX2 (`__m256d`, 4 lanes) and AVX-512 (`__m512d`, 8 lanes) on x86-64, NEON
//! (`float64x2_t`, 2 lanes) on aarch64. The code tested at one width is the code that runs at
//! the others.
//!
//! Every operation is a single IEEE operation per lane (or a bit manipulation), whose result
//! does not depend on how many lanes run beside it; that is why every width gives the same bits.

#[cfg(target_arch = "aarch64")]
mod neon;
pub(crate) mod quotient;
#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(target_arch = "aarch64")]
pub(crate) use neon::Neon;
#[cfg(target_arch = "x86_64")]
pub(crate) use x86::{Avx2, Avx512};

/// A vector width and the handful of operations the kernels need.
///
/// # Safety
/// Every method may only be called from code compiled with the width's target features
/// (the `#[target_feature]` entry points in [`super::simd`]'s users), and the pointer methods
/// need `N` (or the masked) readable/writable doubles at the pointer.
pub(crate) trait Lanes {
    /// Doubles per vector.
    const N: usize;
    /// Rows of the product's register tile (two vectors of columns each): as many
    /// accumulators as the register file holds next to the operands (12 with 32 registers,
    /// 6 with 16).
    const MR: usize;
    /// The vector.
    type V: Copy;
    /// Which lanes a partial load or store touches.
    type M: Copy;

    /// All lanes `x`.
    unsafe fn splat(x: f64) -> Self::V;
    /// `N` doubles from `p`.
    unsafe fn load(p: *const f64) -> Self::V;
    /// `N` doubles to `p`.
    unsafe fn store(p: *mut f64, v: Self::V);
    /// The first `n` lanes (`n <= N`).
    unsafe fn mask(n: usize) -> Self::M;
    /// The masked lanes from `p`, zero elsewhere; other lanes' memory is never touched.
    unsafe fn load_masked(p: *const f64, m: Self::M) -> Self::V;
    /// The masked lanes to `p`; other lanes' memory is never touched.
    unsafe fn store_masked(p: *mut f64, m: Self::M, v: Self::V);
    /// `a·b + c`, rounded once.
    unsafe fn fma(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// `a + b`.
    unsafe fn add(a: Self::V, b: Self::V) -> Self::V;
    /// `a − b`.
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V;
    /// `a · b`.
    unsafe fn mul(a: Self::V, b: Self::V) -> Self::V;
    /// `a / b`.
    unsafe fn div(a: Self::V, b: Self::V) -> Self::V;
    /// `√a`.
    unsafe fn sqrt(a: Self::V) -> Self::V;
    /// `−a` (a sign flip, as Rust's unary minus).
    unsafe fn neg(a: Self::V) -> Self::V;
    /// True if any lane is NaN or at least `limit` in magnitude: the arguments `exp` hands
    /// to the scalar function.
    unsafe fn any_abs_from(x: Self::V, limit: f64) -> bool;
    /// Each lane's bits ANDed with `mask`: its magnitude, binade or significand.
    unsafe fn and_bits(a: Self::V, mask: u64) -> Self::V;
    /// True if `a < b` in every lane (false where either is NaN).
    unsafe fn all_less(a: Self::V, b: Self::V) -> bool;
    /// `exp`'s table step for `kd` (the shifted `x/ln2·128`): per lane, with `ki` its bits and
    /// `i = ki mod 128`, the pair `(tail[i], scale[i] bits + ki << 45)`.
    unsafe fn exp_table(kd: Self::V) -> (Self::V, Self::V);
}
