//! `--data` with NumPy files: the same images as an IDX directory, a CSV pair and every NumPy
//! layout read train the same networks, byte for byte; every way an archive can be wrong is
//! one line naming the file, the member and the rule, from the library and from the binary
//! (exit code 2, before any training), never a panic.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use digits_tui::data::{self, Digits, idx};
use digits_tui::error::DataError;

use crate::binary::{bin, scratch, stderr};
use crate::numpy::{archive, array, raw};

/// The committed 28×28 IDX fixture (300 train, 100 test images), as read from IDX.
fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/idx-small")
}

fn fixture() -> (Digits, Digits) {
    idx::load_dir(&fixture_dir()).expect("the fixture loads")
}

/// A set's images as `(n, side, side)` `uint8`, or `(n, side²)` when `flat`.
fn images(set: &Digits, flat: bool) -> Vec<u8> {
    let (n, width) = set.pixels.dim();
    let side = (width as f64).sqrt() as u64;
    let shape: Vec<u64> = if flat {
        vec![n as u64, width as u64]
    } else {
        vec![n as u64, side, side]
    };
    array(&shape, set.pixels.as_slice().expect("standard layout"))
}

/// A set's labels as `uint8`, or as `int64` (numpy's default integers) when `wide`.
fn labels(set: &Digits, wide: bool) -> Vec<u8> {
    let n = [set.labels.len() as u64];
    if wide {
        let wide: Vec<i64> = set.labels.iter().map(|&l| i64::from(l)).collect();
        array(&n, &wide)
    } else {
        array(&n, &set.labels)
    }
}

/// A set as "MNIST in CSV": a header with `label` first, then pixels 0..255.
fn csv(set: &Digits) -> String {
    let header = (0..set.width()).map(|i| format!("pixel{i}"));
    let mut text = std::iter::once("label".to_owned())
        .chain(header)
        .collect::<Vec<_>>()
        .join(",");
    for (row, label) in set.pixels.rows().into_iter().zip(&set.labels) {
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
fn keras(train: &Digits, test: &Digits) -> Vec<u8> {
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

/// Every form of the fixture, as the `--data` (and `--test-data`) arguments that read it.
fn every_form(dir: &Path) -> Vec<(&'static str, Vec<OsString>)> {
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

#[test]
fn every_form_of_the_same_images_trains_byte_for_byte_alike() {
    let dir = scratch("numpy-data", "forms");
    let mut reference: Option<(Vec<u8>, Vec<u8>)> = None;
    for (form, args) in every_form(&dir) {
        let o = bin()
            .args([
                "--headless",
                "--epochs",
                "2",
                "--hidden",
                "16",
                "--seed",
                "3",
            ])
            .args(["--optimizers", "sgd,adam,mlp"])
            .args(&args)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{form}: {}", stderr(&o));
        assert!(!o.stdout.is_empty(), "{form}: trained");
        match &reference {
            None => reference = Some((o.stdout, o.stderr)),
            Some((out, err)) => {
                assert!(o.stdout == *out, "{form}: stdout differs from IDX");
                assert!(o.stderr == *err, "{form}: stderr differs from IDX");
            }
        }
    }
}

#[test]
fn a_keras_archive_and_a_pair_bring_their_own_test_sets() {
    let dir = scratch("numpy-data", "own-test");
    let forms = every_form(&dir);
    let (train, test) = fixture();
    for (form, args) in &forms {
        let path = PathBuf::from(&args[1]);
        let test_path = args.get(3).map(PathBuf::from);
        let d = data::load(Some(&path), test_path.as_deref()).expect(form);
        assert_eq!((d.y_train.len(), d.y_test.len()), (300, 100), "{form}");
        assert_eq!(d.test_pixels, test.pixels, "{form}");
        assert_eq!((d.side, d.max_pixel), (28, 255), "{form}");
        assert!(d.split.is_none(), "{form}: the given test set, not a split");
        assert_eq!(d.y_train, train.labels, "{form}");
    }
    // Without its test twin a pair is split 80/20 like a CSV.
    std::fs::remove_file(dir.join("x_test.npy")).expect("remove");
    let d = data::load(Some(&dir.join("x_train.npy")), None).expect("valid");
    assert_eq!((d.y_train.len(), d.y_test.len()), (240, 60));
    assert!(d.split.is_some());
    // A Keras archive's test set is its own.
    let err = load_err(&dir.join("mnist.npz"), Some(&dir.join("test.csv")));
    assert_has(
        &err,
        &[
            "mnist.npz: holds its own test set",
            "--test-data does not apply",
        ],
    );
    let err = load_err(&dir.join("train.csv"), Some(&dir.join("mnist.npz")));
    assert_has(&err, &["mnist.npz: holds its own test set"]);
}

/// The one-line error loading `data` (and `test`) gives, checked to be what the binary prints
/// on stderr before any training, with exit code 2.
fn load_err(data: &Path, test: Option<&Path>) -> String {
    let err: DataError = data::load(Some(data), test).expect_err("must be rejected");
    let text = err.to_string();
    assert_eq!(text.lines().count(), 1, "{text}");
    let mut command = bin();
    command
        .args(["--headless", "--epochs", "1", "--data"])
        .arg(data);
    if let Some(test) = test {
        command.arg("--test-data").arg(test);
    }
    let o = command.output().expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("digits-tui: {text}\n"));
    assert!(o.stdout.is_empty(), "nothing trained");
    text
}

fn assert_has(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{text:?} lacks {needle:?}");
    }
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

#[test]
fn every_bad_archive_is_one_line_naming_file_member_and_rule() {
    let dir = scratch("numpy-data", "bad");
    let x_f4 = raw("<f4", false, "(12, 4, 4)", &[0; 12 * 16 * 4]);
    let x_fortran = raw("|u1", true, "(12, 4, 4)", &[0; 12 * 16]);
    let y_object = raw("|O", false, "(12,)", &[0x80, 0x02, b'.']);
    let y_big = raw(">i8", false, "(12,)", &[0; 12 * 8]);
    let y_short = array(&[11], &[1u8; 11]);
    let y_ten = array(&[12], &[0, 1, 10, 3, 4, 5, 6, 7, 8, 9, 0, 1u8]);
    let y_minus = array(&[12], &[0, 1, 2, -1, 4, 5, 6, 7, 8, 9, 0, 1i64]);
    let whole = keras_with("none", None);
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
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
    ];
    for (name, bytes, needles) in cases {
        let path = dir.join(format!("{name}.npz"));
        std::fs::write(&path, bytes).expect("write");
        assert_has(&load_err(&path, None), &needles);
    }
    // A damaged deflated member: the archive opens, the member does not inflate or check.
    let mut damaged = keras_with("none", None);
    let start = damaged.len() / 4;
    damaged[start..start + 40]
        .iter_mut()
        .for_each(|b| *b ^= 0x5a);
    let path = dir.join("damaged.npz");
    std::fs::write(&path, damaged).expect("write");
    assert_has(&load_err(&path, None), &["damaged.npz, member ", ".npy: "]);
}

#[test]
fn npy_pairs_need_their_labels_beside_them() {
    let dir = scratch("numpy-data", "pairs");
    let x = array(&[12, 4, 4], &[0u8; 12 * 16]);
    let path = dir.join("x_train.npy");
    std::fs::write(&path, &x).expect("write");
    assert_has(
        &load_err(&path, None),
        &["x_train.npy: no labels file", "y_train.npy beside it"],
    );
    let anonymous = dir.join("digits.npy");
    std::fs::write(&anonymous, &x).expect("write");
    assert_has(
        &load_err(&anonymous, None),
        &["digits.npy: cannot tell its labels file"],
    );
    let only = dir.join("kmnist-train-imgs.npz");
    std::fs::write(&only, archive(&[("arr_0", x)], false)).expect("write");
    assert_has(
        &load_err(&only, None),
        &["no labels file", "kmnist-train-labels.npz beside it"],
    );
}

/// `set` with every image mirrored about its diagonal, as EMNIST stores its images.
fn transposed(set: &Digits) -> Digits {
    let mut t = set.clone();
    let side = (set.width() as f64).sqrt() as usize;
    for (mut row, original) in t.pixels.rows_mut().into_iter().zip(set.pixels.rows()) {
        for r in 0..side {
            for c in 0..side {
                row[c * side + r] = original[r * side + c];
            }
        }
    }
    t
}

#[test]
fn transposed_images_read_with_the_flag_train_as_the_originals() {
    let dir = scratch("numpy-data", "transposed");
    let (train, test) = fixture();
    let (t_train, t_test) = (transposed(&train), transposed(&test));
    assert_ne!(t_train.pixels, train.pixels, "the fixture is not symmetric");
    let path = dir.join("emnist-like.npz");
    std::fs::write(&path, keras(&t_train, &t_test)).expect("write");
    let session = dir.join("session.json");
    let headless = |data: &Path, extra: &[&str]| {
        let o = bin()
            .args(["--headless", "--epochs", "2", "--hidden", "16"])
            .args(["--optimizers", "sgd,mlp", "--data"])
            .arg(data)
            .args(extra)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let reference = headless(&fixture_dir(), &[]);
    let export = session.to_str().expect("UTF-8 scratch path");
    let flagged = headless(&path, &["--transpose-images", "--export", export]);
    assert!(
        flagged == reference,
        "transposed back, the same networks train"
    );
    assert!(
        headless(&path, &[]) != reference,
        "without the flag they differ"
    );
    // The session records it, and loading the record reads the images transposed again.
    let record = digits_tui::export::read(&session).expect("readable");
    assert!(record.data.transpose());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).expect("read")).expect("json");
    assert_eq!(json["data"]["transpose"], true);
    let reloaded = data::load_source(&record.data).expect("loads");
    assert_eq!(reloaded.test_pixels, test.pixels);
}
