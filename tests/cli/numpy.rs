//! Writes NumPy files for the tests, as numpy does: `.npy` arrays with `npyz`'s writer (or,
//! for the headers numpy can write but digits-tui refuses, by hand) and `.npz` archives,
//! stored (`np.savez`) or deflated (`np.savez_compressed`), with `zip`'s writer; from them,
//! every NumPy form of the committed IDX fixture and every way an archive can be wrong.
//! Shared with the library's own checks (`src/checks/numpy_data.rs` compiles it in): the
//! library's reading is checked there, the binary's in `tests/cli/numpy_data.rs`, on the same
//! files. It reads the fixture itself, without the library.

use std::ffi::OsString;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use npyz::WriterBuilder;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// `values` as a C-order `.npy` array of `shape`, in the dtype numpy gives `T`
/// (`|u1` for bytes, `<i8` for `i64`).
pub(crate) fn array<T: npyz::AutoSerialize + Copy>(shape: &[u64], values: &[T]) -> Vec<u8> {
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
pub(crate) fn raw(descr: &str, fortran: bool, shape: &str, body: &[u8]) -> Vec<u8> {
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
pub(crate) fn archive(members: &[(&str, Vec<u8>)], deflated: bool) -> Vec<u8> {
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

/// One set of the fixture as its IDX files hold it: `width` pixels an image, row by row.
#[derive(Clone)]
pub(crate) struct Set {
    pub(crate) pixels: Vec<u8>,
    pub(crate) labels: Vec<u8>,
    pub(crate) width: usize,
}

/// The committed 28×28 IDX fixture (300 train, 100 test images).
pub(crate) fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/idx-small")
}

/// The fixture's train and test sets, read here from the gzip'd IDX files (a 16-byte header
/// before the images, 8 before the labels).
pub(crate) fn fixture() -> (Set, Set) {
    let read = |name: &str| {
        let file = std::fs::File::open(fixture_dir().join(format!("{name}.gz"))).expect("open");
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .expect("gzip");
        bytes
    };
    let set = |images: &str, labels: &str| {
        let images = read(images);
        let n = u32::from_be_bytes(images[4..8].try_into().expect("4 bytes")) as usize;
        Set {
            pixels: images[16..].to_vec(),
            labels: read(labels)[8..].to_vec(),
            width: (images.len() - 16) / n,
        }
    };
    (
        set("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        set("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
    )
}

/// A set's images as `(n, side, side)` `uint8`, or `(n, side²)` when `flat`.
pub(crate) fn images(set: &Set, flat: bool) -> Vec<u8> {
    let (n, width) = (set.labels.len(), set.width);
    let side = (width as f64).sqrt() as u64;
    let shape: Vec<u64> = if flat {
        vec![n as u64, width as u64]
    } else {
        vec![n as u64, side, side]
    };
    array(&shape, &set.pixels)
}

/// A set's labels as `uint8`, or as `int64` (numpy's default integers) when `wide`.
pub(crate) fn labels(set: &Set, wide: bool) -> Vec<u8> {
    let n = [set.labels.len() as u64];
    if wide {
        let wide: Vec<i64> = set.labels.iter().map(|&l| i64::from(l)).collect();
        array(&n, &wide)
    } else {
        array(&n, &set.labels)
    }
}

/// A set as "MNIST in CSV": a header with `label` first, then pixels 0..255.
pub(crate) fn csv(set: &Set) -> String {
    let header = (0..set.width).map(|i| format!("pixel{i}"));
    let mut text = std::iter::once("label".to_owned())
        .chain(header)
        .collect::<Vec<_>>()
        .join(",");
    for (row, label) in set.pixels.chunks(set.width).zip(&set.labels) {
        let cells = row.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        text.push_str(&format!("\n{label},{cells}"));
    }
    text + "\n"
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> OsString {
    std::fs::write(path, bytes).expect("write");
    path.as_os_str().to_owned()
}

/// A Keras archive of the fixture, deflated as `np.savez_compressed` writes it.
pub(crate) fn keras(train: &Set, test: &Set) -> Vec<u8> {
    archive(
        &[
            ("x_train", images(train, false)),
            ("y_train", labels(train, false)),
            ("x_test", images(test, false)),
            ("y_test", labels(test, false)),
        ],
        true,
    )
}

/// Every form of the fixture, written into `dir`, as the `--data` (and `--test-data`)
/// arguments that read it: IDX, a CSV pair, a Keras archive, KMNIST's archives, generic
/// archives and `.npy` pairs.
pub(crate) fn every_form(dir: &Path) -> Vec<(&'static str, Vec<OsString>)> {
    let (train, test) = fixture();
    let data = |path: OsString| vec!["--data".into(), path];
    let with_test =
        |path: OsString, test: OsString| vec!["--data".into(), path, "--test-data".into(), test];
    let mut forms = vec![("idx", data(fixture_dir().into_os_string()))];
    forms.push((
        "csv",
        with_test(
            write(&dir.join("train.csv"), csv(&train)),
            write(&dir.join("test.csv"), csv(&test)),
        ),
    ));
    forms.push((
        "keras",
        data(write(&dir.join("mnist.npz"), keras(&train, &test))),
    ));
    // KMNIST: four one-array archives, stored as `np.savez` writes them; the test pair is
    // found beside the train pair.
    let kmnist = |part: &str, kind: &str, bytes: Vec<u8>| {
        let path = dir.join(format!("kmnist-{part}-{kind}.npz"));
        write(&path, archive(&[("arr_0", bytes)], false))
    };
    kmnist("train", "labels", labels(&train, false));
    kmnist("test", "imgs", images(&test, false));
    kmnist("test", "labels", labels(&test, false));
    forms.push((
        "kmnist",
        data(kmnist("train", "imgs", images(&train, false))),
    ));
    // Generic archives: x and y (flat images, int64 labels), images and labels.
    let generic = with_test(
        write(
            &dir.join("train.npz"),
            archive(
                &[("x", images(&train, true)), ("y", labels(&train, true))],
                true,
            ),
        ),
        write(
            &dir.join("test.npz"),
            archive(
                &[
                    ("images", images(&test, false)),
                    ("labels", labels(&test, true)),
                ],
                false,
            ),
        ),
    );
    forms.push(("generic", generic));
    // `.npy` pairs, their test twins beside them.
    write(&dir.join("y_train.npy"), labels(&train, true));
    write(&dir.join("x_test.npy"), images(&test, false));
    write(&dir.join("y_test.npy"), labels(&test, true));
    forms.push((
        "npy",
        data(write(&dir.join("x_train.npy"), images(&train, false))),
    ));
    forms
}

/// `set` with every image mirrored about its diagonal, as EMNIST stores its images.
pub(crate) fn transposed(set: &Set) -> Set {
    let mut t = set.clone();
    let side = (set.width as f64).sqrt() as usize;
    for (row, original) in (t.pixels.chunks_mut(set.width)).zip(set.pixels.chunks(set.width)) {
        for r in 0..side {
            for c in 0..side {
                row[c * side + r] = original[r * side + c];
            }
        }
    }
    t
}

/// The fixture with every image mirrored, as EMNIST stores them, in a Keras archive
/// `emnist-like.npz` in `dir`: its path, the original test set and the mirrored one.
pub(crate) fn emnist_like(dir: &Path) -> (PathBuf, Set, Set) {
    let (train, test) = fixture();
    let (t_train, t_test) = (transposed(&train), transposed(&test));
    assert_ne!(t_train.pixels, train.pixels, "the fixture is not symmetric");
    let path = dir.join("emnist-like.npz");
    std::fs::write(&path, keras(&t_train, &t_test)).expect("write");
    (path, test, t_test)
}

/// Image files with no labels file to pair them with, written to `dir`, and the words each
/// one's error must have.
pub(crate) fn unpaired_images(dir: &Path) -> Vec<(PathBuf, Vec<&'static str>)> {
    let x = array(&[12, 4, 4], &[0u8; 12 * 16]);
    let files = [
        (
            "x_train.npy",
            x.clone(),
            vec!["x_train.npy: no labels file", "y_train.npy beside it"],
        ),
        (
            "digits.npy",
            x.clone(),
            vec!["digits.npy: cannot tell its labels file"],
        ),
        (
            "kmnist-train-imgs.npz",
            archive(&[("arr_0", x)], false),
            vec!["no labels file", "kmnist-train-labels.npz beside it"],
        ),
    ];
    (files.into_iter())
        .map(|(name, bytes, needles)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).expect("write");
            (path, needles)
        })
        .collect()
}

/// A small Keras archive with one member replaced (or removed, for `None`).
fn keras_with(member: &str, bytes: Option<Vec<u8>>) -> Vec<u8> {
    let n = 12usize;
    let x: Vec<u8> = (0..n * 16).map(|i| (i * 7 % 256) as u8).collect();
    let y: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
    let mut members = vec![
        ("x_train", array(&[n as u64, 4, 4], &x)),
        ("y_train", array(&[n as u64], &y)),
        ("x_test", array(&[n as u64, 4, 4], &x)),
        ("y_test", array(&[n as u64], &y)),
    ];
    members.retain(|(name, _)| *name != member);
    if let Some(bytes) = bytes {
        members.insert(0, (member, bytes));
    }
    archive(&members, true)
}

/// Every way an archive can be wrong: its name (the file is `NAME.npz`), its bytes, and the
/// words its one-line error must have (the file, the member, the rule).
pub(crate) fn bad_archives() -> Vec<(&'static str, Vec<u8>, Vec<&'static str>)> {
    let x_f4 = raw("<f4", false, "(12, 4, 4)", &[0; 12 * 16 * 4]);
    let x_fortran = raw("|u1", true, "(12, 4, 4)", &[0; 12 * 16]);
    let y_object = raw("|O", false, "(12,)", &[0x80, 0x02, b'.']);
    let y_big = raw(">i8", false, "(12,)", &[0; 12 * 8]);
    let y_short = array(&[11], &[1u8; 11]);
    let y_ten = array(&[12], &[0, 1, 10, 3, 4, 5, 6, 7, 8, 9, 0, 1u8]);
    let y_minus = array(&[12], &[0, 1, 2, -1, 4, 5, 6, 7, 8, 9, 0, 1i64]);
    let whole = keras_with("none", None);
    // A damaged deflated member: the archive opens, the member does not inflate or check.
    let mut damaged = whole.clone();
    let start = damaged.len() / 4;
    damaged[start..start + 40]
        .iter_mut()
        .for_each(|b| *b ^= 0x5a);
    vec![
        (
            "truncated",
            whole[..whole.len() / 2].to_vec(),
            vec!["truncated.npz: not a readable .npz (zip) archive"],
        ),
        (
            "missing",
            keras_with("y_test", None),
            vec![
                "missing.npz: no member y_test.npy",
                "an archive with x_train.npy needs x_train, y_train, x_test, y_test",
            ],
        ),
        (
            "dtype",
            keras_with("x_train", Some(x_f4)),
            vec![
                "dtype.npz, member x_train.npy: images have dtype <f4",
                "must be uint8",
            ],
        ),
        (
            "fortran",
            keras_with("x_train", Some(x_fortran)),
            vec!["fortran.npz, member x_train.npy: stored in Fortran order"],
        ),
        (
            "pickle",
            keras_with("y_train", Some(y_object)),
            vec!["pickle.npz, member y_train.npy: an object array (stored with pickle)"],
        ),
        (
            "big-endian",
            keras_with("y_test", Some(y_big)),
            vec!["big-endian.npz, member y_test.npy: dtype >i8 is big-endian"],
        ),
        (
            "counts",
            keras_with("y_train", Some(y_short)),
            vec![
                "counts.npz, member y_train.npy: 11 labels",
                "counts.npz, member x_train.npy holds 12 images",
            ],
        ),
        (
            "label",
            keras_with("y_test", Some(y_ten)),
            vec!["label.npz, member y_test.npy: record 3: label is 10; labels must be 0..9"],
        ),
        (
            "negative",
            keras_with("y_train", Some(y_minus)),
            vec!["negative.npz, member y_train.npy: record 4: label is -1"],
        ),
        (
            "layout",
            archive(
                &[("a", array(&[1], &[1u8])), ("b", array(&[1], &[1u8]))],
                false,
            ),
            vec!["layout.npz: no known layout", "it holds a.npy, b.npy"],
        ),
        (
            "half",
            archive(&[("x", array(&[1, 1], &[1u8]))], false),
            vec!["half.npz: no member y.npy; an archive with x.npy needs x, y"],
        ),
        ("damaged", damaged, vec!["damaged.npz, member ", ".npy: "]),
    ]
}
