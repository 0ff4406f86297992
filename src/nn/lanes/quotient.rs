//! Quotients without the division, to the division's bits: a vector division issues once in
//! many cycles where a multiplication or FMA issues twice a cycle, and Adam divides every
//! moment by one of two numbers. A quotient computed another way is kept only where
//! [`is_rounded_quotient`] proves it the one IEEE division returns; elsewhere the caller
//! divides. (The sigmoid's `1/(1 + e)`, from a reciprocal estimate refined by Newton's method
//! and the same proof, was slower than its division on an AVX-512 Xeon: 2.9-3.0 against
//! 2.6-2.7 ms per 8×8 SGD epoch.)

use super::Lanes;

const SIGN: u64 = 1 << 63;
const BINADE: u64 = 0x7ff0_0000_0000_0000;
const SIGNIFICAND: u64 = (1 << 52) - 1;

/// The quotients and dividends [`is_rounded_quotient`] can prove: within them none of its
/// products underflows or overflows.
const QUOTIENTS: (f64, f64) = (1e-270, 1e270);
const DIVIDENDS: f64 = 1e-280;

/// True when, in every lane, `q` is `a / c` rounded to nearest, the quotient IEEE division
/// returns. The residual `a − c·q`, rounded once by an FMA, is compared with `c·½ulp(q)`
/// (exact: a power of two times `c`): a rounding never crosses a number it can hold, so when
/// the rounded residual is below it the exact one is too, and `q` is nearer to `a/c` than
/// half an ulp. Unless `q` is a power of two (whose ulp below is half as wide) no other double
/// is as near. False wherever that argument does not apply: `q` outside 1e±270 (zeros, NaN and
/// infinities among them), `|a|` below 1e-280, or `c` not positive.
///
/// # Safety
/// Only call from a function compiled with L's features.
#[inline(always)]
pub(crate) unsafe fn is_rounded_quotient<L: Lanes>(a: L::V, c: L::V, q: L::V) -> bool {
    // SAFETY: the caller runs with L's features.
    unsafe {
        let magnitude = L::and_bits(q, !SIGN);
        let (low, high) = QUOTIENTS;
        let residual = L::and_bits(L::fma(L::neg(c), q, a), !SIGN);
        let half_ulp = L::mul(L::mul(L::and_bits(q, BINADE), L::splat(2f64.powi(-53))), c);
        // A significand of zero bits reads as 0.0, any other as a positive subnormal.
        let significand = L::and_bits(q, SIGNIFICAND);
        L::all_less(L::splat(low), magnitude)
            && L::all_less(magnitude, L::splat(high))
            && L::all_less(L::splat(DIVIDENDS), L::and_bits(a, !SIGN))
            && L::all_less(L::splat(0.0), significand)
            && L::all_less(residual, half_ulp)
    }
}

/// Numbers from all over the doubles, for the tests that hold quotients to IEEE division:
/// every sign, binade (subnormals, huge), significand pattern (powers of two, all ones), the
/// specials, and mostly the range moments and activations live in.
#[cfg(test)]
pub(crate) fn all_kinds(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|i| {
            let bits = next();
            match i % 16 {
                0 => [0.0, -0.0, f64::NAN, f64::INFINITY, -f64::INFINITY, 5e-324][i / 16 % 6],
                1 => f64::from_bits(bits & 0xfff0_0000_0000_0000),
                2 => f64::from_bits(bits | 0x000f_ffff_ffff_ffff),
                3..=5 => f64::from_bits(bits),
                _ => f64::from_bits(
                    (bits & 0x800f_ffff_ffff_ffff) | ((0x3c0 + (bits >> 52) % 0x80) << 52),
                ),
            }
        })
        .collect()
}
