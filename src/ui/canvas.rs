//! The draw view's canvas: pixels at the data's size that every network reads, a pen and a
//! soft brush, and the test image last loaded onto it.

use rand::RngExt;

use crate::data::Dataset;
use crate::train::Snapshot;
use crate::ui::theme::LAB_SIDE;

/// Edits of the draw view's canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CanvasEdit {
    /// Move the pen.
    Move {
        /// Columns to the right.
        dx: i8,
        /// Rows down.
        dy: i8,
    },
    /// Ink level 0..9 of 9 under the pen (0 blank, 9 full ink).
    Ink(u8),
    /// Blank ↔ full intensity.
    Toggle,
    /// Blank every pixel.
    Clear,
    /// Copy a random test image.
    Load,
}

/// The test image `l` put on the canvas, so the view can say which it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Loaded {
    /// Its index in the test set.
    pub index: usize,
    /// Its true label.
    pub label: u8,
    /// Whether the canvas was drawn on since.
    pub edited: bool,
}

/// The soft brush of canvases larger than the lab's: full ink within this distance of the
/// stroke (in pixels) ...
const BRUSH_CORE: f64 = 0.5;
/// ... fading to none at this one: a 3–4 pixel stroke with grey edges, like the anti-aliased
/// pen strokes of MNIST's 28×28 digits.
const BRUSH_EDGE: f64 = 2.0;

/// The draw view's canvas at the data's size, with raw intensities on the data's scale
/// (0..=`max_pixel`), so the networks read it exactly as they read a test image.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Canvas {
    /// `side × side` pixels, row-major.
    pub pixels: Vec<f64>,
    /// Pixels across and down.
    pub side: usize,
    /// Full ink: 16 for the lab's digits, 255 for 8-bit images.
    pub max_pixel: f64,
    /// Pen column and row.
    pub pen: (u8, u8),
    /// The test image last loaded, if the canvas was not cleared since.
    pub loaded: Option<Loaded>,
}

impl Canvas {
    /// A blank canvas for images like `data`'s, the pen near the middle.
    pub(crate) fn new(data: &Dataset) -> Self {
        let side = data.side.clamp(1, usize::from(u8::MAX));
        let middle = (side.saturating_sub(1) / 2) as u8;
        Self {
            pixels: vec![0.0; side * side],
            side,
            max_pixel: f64::from(data.max_pixel),
            pen: (middle, middle),
            loaded: None,
        }
    }

    /// Whether strokes are soft (see [`BRUSH_EDGE`]): on images larger than the lab's, whose
    /// strokes span several pixels. The lab's 8×8 pixels are inked one at a time.
    fn soft(&self) -> bool {
        self.side > LAB_SIDE
    }

    /// The pen's pixel, as an index into `pixels`.
    fn at_pen(&self) -> usize {
        usize::from(self.pen.1) * self.side + usize::from(self.pen.0)
    }

    /// Inks `ink` (0..=1 of full; 0 erases) around the point `(x, y)` in pixels: the pixel
    /// there on the lab's canvas, the soft brush's neighbourhood on a larger one (ink only
    /// darkens; erasing fades by the same falloff).
    fn stamp(&mut self, (x, y): (f64, f64), ink: f64) {
        let full = self.max_pixel;
        let last = self.side.saturating_sub(1) as f64;
        if !self.soft() {
            let (c, r) = (x.floor().clamp(0.0, last), y.floor().clamp(0.0, last));
            self.pixels[r as usize * self.side + c as usize] = (ink * full).round();
            return;
        }
        let span = |v: f64| {
            let lo = (v - BRUSH_EDGE).floor().clamp(0.0, last) as usize;
            lo..=(v + BRUSH_EDGE).floor().clamp(0.0, last) as usize
        };
        for r in span(y) {
            for c in span(x) {
                let d = (c as f64 + 0.5 - x).hypot(r as f64 + 0.5 - y);
                let reach = ((BRUSH_EDGE - d) / (BRUSH_EDGE - BRUSH_CORE)).clamp(0.0, 1.0);
                let p = &mut self.pixels[r * self.side + c];
                *p = match ink > 0.0 {
                    true => p.max((ink * reach * full).round()),
                    false => (*p * (1.0 - reach)).round(),
                };
            }
        }
    }

    /// Paints (or erases) at the point `(x, y)` in pixels and moves the pen there.
    pub(crate) fn paint(&mut self, (x, y): (f64, f64), erase: bool) {
        let last = self.side.saturating_sub(1) as f64;
        self.pen = (
            x.floor().clamp(0.0, last) as u8,
            y.floor().clamp(0.0, last) as u8,
        );
        self.stamp((x, y), if erase { 0.0 } else { 1.0 });
        self.touched();
    }

    /// Marks a loaded image as drawn on.
    fn touched(&mut self) {
        if let Some(loaded) = &mut self.loaded {
            loaded.edited = true;
        }
    }

    /// Applies one edit; `Load` draws a random test image of `data`.
    pub(crate) fn edit(&mut self, edit: CanvasEdit, data: &Dataset) {
        let pen = (f64::from(self.pen.0) + 0.5, f64::from(self.pen.1) + 0.5);
        let last = self.side.saturating_sub(1) as u8;
        match edit {
            CanvasEdit::Move { dx, dy } => {
                self.pen.0 = self.pen.0.saturating_add_signed(dx).min(last);
                self.pen.1 = self.pen.1.saturating_add_signed(dy).min(last);
            }
            CanvasEdit::Ink(level) => {
                self.stamp(pen, f64::from(level.min(9)) / 9.0);
                self.touched();
            }
            CanvasEdit::Toggle => {
                let ink = if self.pixels[self.at_pen()] > 0.0 {
                    0.0
                } else {
                    1.0
                };
                self.stamp(pen, ink);
                self.touched();
            }
            CanvasEdit::Clear => {
                self.pixels.iter_mut().for_each(|p| *p = 0.0);
                self.loaded = None;
            }
            CanvasEdit::Load => {
                let n = data.y_test.len();
                if n > 0 && data.test_pixels.ncols() == self.pixels.len() {
                    let index = rand::rng().random_range(0..n);
                    let row = data.test_pixels.row(index);
                    for (p, &v) in self.pixels.iter_mut().zip(row) {
                        *p = f64::from(v);
                    }
                    self.loaded = Some(Loaded {
                        index,
                        label: data.y_test[index],
                        edited: false,
                    });
                }
            }
        }
    }
}

/// Class probabilities `snapshot` gives a drawn image of raw intensities at the data's size and
/// scale, standardised with the training set's scaler exactly as the test images were.
pub(crate) fn read_canvas(data: &Dataset, pixels: &[f64], snapshot: &Snapshot) -> Vec<f64> {
    snapshot.probabilities(&data.scaler.transform_row(pixels))
}
