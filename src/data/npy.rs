//! One NumPy `.npy` array (a file, or a member of an `.npz` archive) as images or labels.
//!
//! The header is parsed by `npyz`; this module only says which arrays it reads: images as
//! `uint8` `(n, side, side)` (or `(n, side, side, 1)`, or `(n, side²)`), labels as integers
//! `(n,)` (or `(n, 1)`) of any width, C order, little endian, no pickles. Anything else is
//! one line naming the array (`FILE` or `FILE, member M`) and the rule.

use ndarray::Array2;
use npyz::{DType, Endianness, NpyHeader, Order, TypeChar, TypeStr};

use super::csv::check_width;
use super::digits::{CLASSES, Digits, MAX_BYTE_PIXEL};
use crate::error::DataError;

/// An array's body after its checked header: its shape, its scalar type, its bytes.
struct Body<'a> {
    shape: Vec<usize>,
    kind: TypeStr,
    bytes: &'a [u8],
}

/// Parses the header of `bytes` and checks what every array must satisfy: a plain numeric
/// dtype (no pickle, no record), C order, little endian, and exactly the bytes it promises.
fn body<'a>(bytes: &'a [u8], what: &str) -> Result<Body<'a>, DataError> {
    let rule = |rule: String| DataError::Array {
        what: what.to_owned(),
        rule,
    };
    let mut rest = bytes;
    let header =
        NpyHeader::from_reader(&mut rest).map_err(|e| rule(format!("not a .npy array: {e}")))?;
    if header.uses_pickled_array() {
        return Err(rule(
            "an object array (stored with pickle); only numeric arrays are read".into(),
        ));
    }
    let DType::Plain(kind) = header.dtype() else {
        return Err(rule(format!(
            "a structured dtype {}; only plain numeric arrays are read",
            header.dtype().descr()
        )));
    };
    if header.order() == Order::Fortran {
        return Err(rule(
            "stored in Fortran order; save it in C order (np.ascontiguousarray)".into(),
        ));
    }
    if kind.endianness() == Endianness::Big {
        return Err(rule(format!(
            "dtype {kind} is big-endian; only little-endian arrays are read"
        )));
    }
    let shape: Vec<usize> = (header.shape().iter())
        .map(|&d| usize::try_from(d).ok())
        .collect::<Option<_>>()
        .ok_or_else(|| rule("a dimension too large for this machine".into()))?;
    let expected = (shape.iter())
        .try_fold(kind.num_bytes().unwrap_or(0), |acc, &d| acc.checked_mul(d))
        .unwrap_or(usize::MAX);
    if rest.len() != expected {
        let why = if rest.len() < expected {
            "truncated"
        } else {
            "extra bytes after the array"
        };
        return Err(rule(format!(
            "{} data bytes, but its header promises {expected}; {why}",
            rest.len()
        )));
    }
    Ok(Body {
        shape,
        kind,
        bytes: rest,
    })
}

/// An image array: `uint8`, one square image per row of the result, its pixels kept in
/// place (no second copy of MNIST's 47 MB).
pub(crate) fn images(mut bytes: Vec<u8>, what: &str) -> Result<Array2<u8>, DataError> {
    let rule = |rule: String| DataError::Array {
        what: what.to_owned(),
        rule,
    };
    let body = body(&bytes, what)?;
    if body.kind.type_char() != TypeChar::Uint || body.kind.size_field() != 1 {
        return Err(rule(format!(
            "images have dtype {}; they must be uint8 (|u1), pixels 0..255",
            body.kind
        )));
    }
    let (n, width) = match body.shape[..] {
        [n, rows, cols] | [n, rows, cols, 1] if rows == cols => (n, rows * cols),
        [n, width] => (n, width),
        _ => {
            return Err(rule(format!(
                "images have shape {:?}; expected (n, side, side) or (n, side²)",
                body.shape
            )));
        }
    };
    check_width(width, what)?;
    let header = bytes.len() - body.bytes.len();
    bytes.drain(..header);
    Array2::from_shape_vec((n, width), bytes).map_err(|e| {
        rule(format!(
            "cannot be read as {n} images of {width} pixels: {e}"
        ))
    })
}

/// A label array: integers 0..9, one per image.
pub(crate) fn labels(bytes: &[u8], what: &str) -> Result<Vec<u8>, DataError> {
    let rule = |rule: String| DataError::Array {
        what: what.to_owned(),
        rule,
    };
    let body = body(bytes, what)?;
    let size = body.kind.num_bytes().unwrap_or(0);
    let signed = match body.kind.type_char() {
        TypeChar::Int if matches!(size, 1 | 2 | 4 | 8) => true,
        TypeChar::Uint if matches!(size, 1 | 2 | 4 | 8) => false,
        _ => {
            return Err(rule(format!(
                "labels have dtype {}; they must be integers (uint8, int64, …)",
                body.kind
            )));
        }
    };
    if !matches!(body.shape[..], [_] | [_, 1]) {
        return Err(rule(format!(
            "labels have shape {:?}; expected (n,)",
            body.shape
        )));
    }
    let mut labels = Vec::with_capacity(body.bytes.len() / size);
    for (i, cell) in body.bytes.chunks_exact(size).enumerate() {
        let value = little_endian(cell, signed);
        match u8::try_from(value) {
            Ok(label) if usize::from(label) < CLASSES => labels.push(label),
            _ => {
                return Err(rule(format!(
                    "record {}: label is {value}; labels must be 0..9",
                    i + 1
                )));
            }
        }
    }
    Ok(labels)
}

/// A little-endian integer of 1 to 8 bytes, sign-extended when `signed`.
fn little_endian(cell: &[u8], signed: bool) -> i128 {
    let mut raw = [0u8; 16];
    raw[..cell.len()].copy_from_slice(cell);
    let negative = signed && cell.last().is_some_and(|&b| b & 0x80 != 0);
    if negative {
        raw[cell.len()..].fill(0xff);
    }
    i128::from_le_bytes(raw)
}

/// An image array and its label array, checked against each other, as a set named `source`.
pub(crate) fn set(
    (image_bytes, image_what): (Vec<u8>, &str),
    (label_bytes, label_what): (&[u8], &str),
    source: &str,
) -> Result<Digits, DataError> {
    let pixels = images(image_bytes, image_what)?;
    let labels = labels(label_bytes, label_what)?;
    if pixels.nrows() != labels.len() {
        return Err(DataError::CountMismatch {
            images: image_what.to_owned(),
            image_count: pixels.nrows(),
            labels: label_what.to_owned(),
            label_count: labels.len(),
        });
    }
    if labels.is_empty() {
        return Err(DataError::Empty {
            path: image_what.to_owned(),
        });
    }
    Ok(Digits {
        pixels,
        labels,
        max_pixel: MAX_BYTE_PIXEL,
        source: source.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1.0 `.npy` header and body, as numpy writes them.
    fn npy(descr: &str, fortran: bool, shape: &str, body: &[u8]) -> Vec<u8> {
        let dict = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        let pad = 64 - (10 + dict.len() + 1) % 64;
        let text = format!("{dict}{}\n", " ".repeat(pad % 64));
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend(u16::try_from(text.len()).unwrap().to_le_bytes());
        out.extend(text.as_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn images_and_labels_of_the_usual_shapes_read() {
        let body: Vec<u8> = (0..2 * 9).collect();
        for shape in ["(2, 3, 3)", "(2, 3, 3, 1)", "(2, 9)"] {
            let px = images(npy("|u1", false, shape, &body), "a").expect(shape);
            assert_eq!(px.dim(), (2, 9));
            assert_eq!(px[[1, 0]], 9);
        }
        let wide: Vec<u8> = [3i64, 9, 0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let read = |array: Vec<u8>| labels(&array, "y").expect("valid labels");
        assert_eq!(read(npy("<i8", false, "(3,)", &wide)), vec![3, 9, 0]);
        assert_eq!(read(npy("|u1", false, "(2, 1)", &[1, 2])), vec![1, 2]);
    }

    #[test]
    fn each_rule_is_named() {
        let px = vec![0u8; 8];
        for (array, rule) in [
            (npy("<f4", false, "(2, 1)", &px), "must be uint8"),
            (npy("|u1", true, "(2, 2, 2)", &px), "Fortran order"),
            (npy("|O", false, "(2,)", &px), "object array"),
            (
                npy("|u1", false, "(1, 2, 4)", &px),
                "expected (n, side, side)",
            ),
            (
                npy("|u1", false, "(3, 2, 2)", &px),
                "8 data bytes, but its header promises 12",
            ),
            (b"PK\x03\x04".to_vec(), "not a .npy array"),
        ] {
            let err = images(array, "f.npz, member x.npy")
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("f.npz, member x.npy: "), "{err}");
            assert!(err.contains(rule), "{err} lacks {rule}");
        }
        let minus: Vec<u8> = (-1i32).to_le_bytes().to_vec();
        for (array, rule) in [
            (
                npy("<i4", false, "(1,)", &minus),
                "record 1: label is -1; labels must be 0..9",
            ),
            (npy(">i4", false, "(1,)", &minus), "big-endian"),
            (npy("<f8", false, "(1,)", &[0; 8]), "must be integers"),
            (npy("<i16", false, "(1,)", &[0; 16]), "has invalid size"),
        ] {
            let err = labels(&array, "y.npy").unwrap_err().to_string();
            assert!(err.contains(rule), "{err} lacks {rule}");
        }
    }
}
