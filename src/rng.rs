//! numpy's legacy `RandomState`, reproduced bit for bit (LAB.md part A).
//!
//! The lab seeds `np.random` and draws its initial weights and every epoch's shuffle from it; to
//! replay a lab run from `--seed`, digits-tui must consume the exact same MT19937 stream in the
//! exact same way, including the Gaussian cache that survives odd-sized `randn` calls.

const N: usize = 624;
const M: usize = 397;

/// A numpy `RandomState`: one MT19937 generator plus the one-value Gaussian cache.
#[derive(Clone)]
pub struct RandomState {
    key: [u32; N],
    pos: usize,
    gauss: Option<f64>,
}

impl RandomState {
    /// Seeds like `np.random.seed(s)` / `RandomState(s)` (Knuth seeding, cache cleared).
    pub fn new(seed: u32) -> Self {
        let mut key = [0u32; N];
        key[0] = seed;
        for i in 1..N {
            let prev = key[i - 1];
            key[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self {
            key,
            pos: N,
            gauss: None,
        }
    }

    /// Regenerates the 624-word block in place, in increasing order (LAB.md A.2).
    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.key[i] & 0x8000_0000) | (self.key[(i + 1) % N] & 0x7fff_ffff);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            self.key[i] = self.key[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.pos = 0;
    }

    /// One tempered 32-bit output.
    pub(crate) fn next_u32(&mut self) -> u32 {
        if self.pos == N {
            self.twist();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// Two outputs, high word first, as numpy's `next64`.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        (hi << 32) | u64::from(self.next_u32())
    }

    /// A double in [0, 1) with 53 random bits, from exactly two 32-bit outputs.
    pub fn next_f64(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `uniform(low, high)` for one value: `low + (high - low) * u`.
    pub(crate) fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let range = high - low;
        low + range * self.next_f64()
    }

    /// One standard normal draw by the legacy polar method, honouring the cache.
    pub(crate) fn gauss(&mut self) -> f64 {
        if let Some(cached) = self.gauss.take() {
            return cached;
        }
        loop {
            let x1 = 2.0 * self.next_f64() - 1.0;
            let x2 = 2.0 * self.next_f64() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = ((-2.0 * r2.ln()) / r2).sqrt();
                self.gauss = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// Fills `out` in order with normal draws, like `randn(*shape)` in C order.
    pub(crate) fn fill_randn(&mut self, out: &mut [f64]) {
        for v in out {
            *v = self.gauss();
        }
    }

    /// Uniform integer in `[0, max]` by masked rejection (numpy's `random_interval`).
    pub(crate) fn interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = mask_for(max);
        if max <= u64::from(u32::MAX) {
            loop {
                let v = u64::from(self.next_u32()) & mask;
                if v <= max {
                    return v;
                }
            }
        }
        loop {
            let v = self.next_u64() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `randint(low, high)` for one value, `high` exclusive (legacy masked method).
    #[cfg(test)]
    pub(crate) fn randint(&mut self, low: i64, high: i64) -> i64 {
        let range = high.wrapping_sub(low).wrapping_sub(1) as u64;
        if range == 0 {
            return low;
        }
        let offset = if range == u64::from(u32::MAX) {
            u64::from(self.next_u32())
        } else {
            self.interval(range)
        };
        low.wrapping_add(offset as i64)
    }

    /// In-place Fisher–Yates from the end, one `interval` call per position (numpy `shuffle`).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.interval(i as u64) as usize;
            items.swap(i, j);
        }
    }

    /// `permutation(n)`: a shuffled `0..n`.
    pub(crate) fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        self.shuffle(&mut p);
        p
    }
}

/// Smallest `2^k - 1` that is at least `max`.
fn mask_for(max: u64) -> u64 {
    let mut mask = max;
    for shift in [1, 2, 4, 8, 16, 32] {
        mask |= mask >> shift;
    }
    mask
}

/// Lets the rest of the `rand` ecosystem draw from a lab-compatible stream.
impl rand::TryRng for RandomState {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.next_u32())
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(4) {
            let word = self.next_u32().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_5489_matches_the_reference_mt19937() {
        let mut rs = RandomState::new(5489);
        let got: Vec<u32> = (0..5).map(|_| rs.next_u32()).collect();
        assert_eq!(
            got,
            [
                3_499_211_612,
                581_869_302,
                3_890_346_734,
                3_586_334_585,
                545_404_204
            ]
        );
    }

    #[test]
    fn randn_pairs_are_emitted_second_first_and_cached() {
        let mut a = RandomState::new(3);
        let mut b = RandomState::new(3);
        let first = a.gauss();
        let second = a.gauss();
        // The cached value is returned without touching the generator.
        let pos_after_pair = a.pos;
        b.gauss();
        assert_eq!(b.pos, pos_after_pair);
        assert_ne!(first, second);
    }

    #[test]
    fn interval_zero_draws_nothing() {
        let mut rs = RandomState::new(1);
        assert_eq!(rs.interval(0), 0);
        assert_eq!(rs.pos, N);
    }

    #[test]
    fn mask_covers_max() {
        assert_eq!(mask_for(1), 1);
        assert_eq!(mask_for(8), 15);
        assert_eq!(mask_for(1796), 2047);
        assert_eq!(mask_for(u64::MAX), u64::MAX);
    }
}
