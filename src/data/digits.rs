//! A raw image set as a file holds it: one row of byte intensities per image and its label.
//! The lab's 8×8 digits are embedded in the binary so `digits-tui` runs from any directory with
//! nothing to download; `csv` (which also reads the embedded copy) and `idx` read other sets.

use ndarray::Array2;

/// Pixels per image in the lab's layout (8×8).
pub(crate) const PIXELS: usize = 64;
/// Distinct labels.
pub(crate) const CLASSES: usize = 10;
/// The fewest rows the lab's 80/20 split can train and test on.
pub(crate) const MIN_ROWS: usize = 10;
/// Largest pixel intensity in scikit-learn's digits (the lab's layout).
pub(crate) const MAX_PIXEL: u8 = 16;
/// Largest pixel intensity of 8-bit images (MNIST and the CSVs made from it).
pub(crate) const MAX_BYTE_PIXEL: u8 = 255;
/// Widest image side accepted: 64×64 keeps the first layer and the display tractable.
pub(crate) const MAX_SIDE: usize = 64;
/// Most pixels per image accepted ([`MAX_SIDE`] squared).
pub(crate) const MAX_INPUTS: usize = MAX_SIDE * MAX_SIDE;

/// A raw dataset: one row of pixels per image and its label.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Digits {
    /// `(n, side²)` intensities `0..=max_pixel`, row-major images; bytes, because 60 000
    /// MNIST images are 47 MB as bytes and 376 MB as floats.
    pub pixels: Array2<u8>,
    /// Labels 0..9.
    pub labels: Vec<u8>,
    /// The format's largest intensity (16 in the lab's layout, 255 otherwise), so a display
    /// knows what full ink is.
    pub max_pixel: u8,
    /// Where the rows came from, for messages.
    pub source: String,
}

impl Digits {
    /// Pixels per image: the network's input width.
    pub(crate) fn width(&self) -> usize {
        self.pixels.ncols()
    }

    /// Number of images.
    pub(crate) fn len(&self) -> usize {
        self.labels.len()
    }

    /// Every image mirrored about its diagonal (row r, column c to row c, column r): EMNIST's
    /// IDX files store each image column by column, so read as rows its letters lie on their
    /// side. `--transpose-images` applies it to any source.
    pub(crate) fn transpose(&mut self) {
        let side = square_side(self.width()).unwrap_or(0);
        let mut image = vec![0u8; self.width()];
        for mut row in self.pixels.rows_mut() {
            for (i, pixel) in image.iter_mut().enumerate() {
                *pixel = row[(i % side) * side + i / side];
            }
            row.iter_mut().zip(&image).for_each(|(p, &v)| *p = v);
        }
    }
}

/// The side of a square image of `pixels` pixels, if it is one.
pub(crate) fn square_side(pixels: usize) -> Option<usize> {
    let side = (pixels as f64).sqrt().round() as usize;
    (pixels > 0 && side * side == pixels).then_some(side)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dataset_has_the_lab_shape() {
        let d = Digits::embedded();
        assert_eq!(d.pixels.dim(), (1797, 64));
        assert_eq!(d.labels.len(), 1797);
        assert_eq!(d.max_pixel, 16);
    }

    #[test]
    fn transposing_mirrors_each_image_about_its_diagonal() {
        let pixels = Array2::from_shape_vec((2, 4), vec![1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        let mut d = Digits {
            pixels,
            labels: vec![0, 1],
            max_pixel: 255,
            source: "t".into(),
        };
        d.transpose();
        assert_eq!(d.pixels.as_slice(), Some(&[1, 3, 2, 4, 5, 7, 6, 8][..]));
        let mut lab = Digits::embedded();
        let before = lab.clone();
        lab.transpose();
        assert_eq!(lab.pixels[[0, 1]], before.pixels[[0, 8]]);
        lab.transpose();
        assert_eq!(lab, before, "twice is the identity");
    }

    #[test]
    fn squares_are_recognised() {
        assert_eq!(square_side(64), Some(8));
        assert_eq!(square_side(784), Some(28));
        assert_eq!(square_side(4096), Some(64));
        assert_eq!(square_side(63), None);
        assert_eq!(square_side(0), None);
    }
}
