//! Buffers that start on a cache line, for the arrays a team's threads write side by side.
//!
//! A loop split across threads cuts its output at multiples of 8 doubles (64 bytes); when the
//! buffer itself starts mid-line (the allocator aligns to 16 bytes), every cut shares a line
//! between two cores, and the line moves back and forth between them (784 such lines per batch
//! in the first layer's weights, whose unit columns the forward product cuts). Starting the buffer on a line keeps each cut on
//! a line boundary.

use std::ops::{Deref, DerefMut};

/// One cache line of doubles.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Line([f64; 8]);

/// A zero-initialised `[f64]` of fixed length whose first element starts a cache line.
#[derive(Clone, Debug)]
pub struct Lines {
    lines: Vec<Line>,
    len: usize,
}

impl Lines {
    /// `len` zeros.
    pub fn zeros(len: usize) -> Self {
        Self {
            lines: vec![Line([0.0; 8]); len.div_ceil(8)],
            len,
        }
    }

    /// A copy of `values`, for state that starts from given numbers (a golden case's).
    pub fn from_slice(values: &[f64]) -> Self {
        let mut lines = Self::zeros(values.len());
        lines.copy_from_slice(values);
        lines
    }
}

impl PartialEq for Lines {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl Deref for Lines {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        // SAFETY: `Line` is `repr(C)` around `[f64; 8]` with no padding (its size is 64), so
        // the lines are `8 × lines.len() >= len` contiguous, initialised doubles.
        unsafe { std::slice::from_raw_parts(self.lines.as_ptr().cast(), self.len) }
    }
}

impl DerefMut for Lines {
    fn deref_mut(&mut self) -> &mut [f64] {
        // SAFETY: as in `deref`, borrowed mutably through `self`.
        unsafe { std::slice::from_raw_parts_mut(self.lines.as_mut_ptr().cast(), self.len) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_on_a_line_and_holds_len_zeros() {
        for len in [0, 1, 7, 8, 9, 62_720] {
            let mut buf = Lines::zeros(len);
            assert_eq!(buf.len(), len);
            assert!(buf.iter().all(|&x| x == 0.0));
            assert_eq!(buf.as_ptr() as usize % 64, 0, "{len}");
            if let Some(last) = buf.last_mut() {
                *last = 1.0;
            }
            let copy = buf.clone();
            assert_eq!(copy.as_ptr() as usize % 64, 0);
            assert_eq!(copy, buf);
            assert_eq!(Lines::from_slice(&buf), buf);
        }
    }
}
