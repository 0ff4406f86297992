//! What the checks share: the lab's `vectors.json`, parsed once, the prepared lab data, the
//! bit-for-bit checks of the recorded traces, and made-up epochs for the dashboard's tests.

use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::data::Dataset;
use crate::engine::{Event, Speed};
use crate::nn::Layer;
use crate::nn::simd::{self, Path};
use crate::train::{EpochReport, Settings};
use crate::ui::app::App;
use crate::ui::message::Message;
use crate::ui::theme::Theme;
use serde_json::Value;

/// `tests/data/vectors.json`, the lab's own numpy values.
pub(crate) fn vectors() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        let text = include_str!("../../tests/data/vectors.json");
        serde_json::from_str(text).expect("vectors.json parses")
    })
}

/// A JSON array of numbers.
pub(crate) fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// The lab's split and scaling of the embedded digits, prepared once per test binary.
pub(crate) fn lab_data() -> Arc<Dataset> {
    static D: OnceLock<Arc<Dataset>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| Arc::new(Dataset::lab())))
}

/// Runs `check` on this thread once per SIMD path the CPU supports, widest first, and says
/// on stderr (uncaptured, so it shows in every test run) which paths this CPU cannot check.
/// The paths must agree to the bit, so every golden check runs on each.
pub(crate) fn on_every_path(what: &str, check: impl Fn(Path)) {
    for path in Path::ALL {
        if !path.supported() {
            let _ = writeln!(
                std::io::stderr(),
                "note: {what}: the {path} SIMD path is not checked: this CPU lacks it"
            );
            continue;
        }
        simd::with_path(path, || check(path)).expect("a supported path");
    }
}

/// Asserts `got` equals `want` bit for bit (so `-0.0` is not `0.0`).
pub(crate) fn assert_bits(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.to_bits(), w.to_bits(), "{what}[{i}]: {g} != {w}");
    }
}

/// The weight samples a trace records after each epoch, bit for bit: the first five weights
/// of the first and last layers, the first five biases of the first, every bias of the last.
pub(crate) fn assert_epoch_samples(layers: &[Layer], reference: &Value, what: &str) {
    let first5 = |l: &Layer| l.by_unit().take(5).collect::<Vec<_>>();
    assert_bits(&first5(&layers[0]), &floats(&reference["W1_first5"]), what);
    assert_bits(&layers[0].b[..5], &floats(&reference["b1_first5"]), what);
    assert_bits(&first5(&layers[2]), &floats(&reference["W3_first5"]), what);
    assert_bits(&layers[2].b, &floats(&reference["b3"]), what);
}

/// The text of `area` in `buffer`, row by row: what a whole-screen check reads of one region.
pub(crate) fn text_in(
    buffer: &ratatui::buffer::Buffer,
    area: ratatui::layout::Rect,
) -> Vec<String> {
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// A made-up epoch's report: the figures given, in no time, not diverged, no penalty, no
/// health probe.
pub(crate) fn report(
    epoch: u32,
    loss: f64,
    train_acc: f64,
    test_acc: f64,
    predictions: impl Into<Arc<[u8]>>,
) -> EpochReport {
    EpochReport {
        epoch,
        loss,
        train_acc,
        test_acc,
        wall: Duration::ZERO,
        predictions: predictions.into(),
        diverged: false,
        penalty: None,
        health: None,
    }
}

/// The run in slot `slot` gets epoch `epoch` of the plain made-up curve (loss 1/epoch, accuracies 0.9 and 0.8,
/// every test image called a 1) reaches `app` from session generation 1.
pub(crate) fn epoch(app: &mut App, slot: usize, epoch: u32) {
    let report = report(epoch, 1.0 / f64::from(epoch), 0.9, 0.8, vec![1; 360]);
    app.update(Message::Session(Event::Epoch {
        generation: 1,
        slot,
        report,
        last: false,
    }));
}

/// The one "dashboard after N epochs" of the tests: `settings` on `data` (read from `source`),
/// drawn with `theme`, its session started (generation 1, seed 7), then `epochs` epochs in which
/// every slot's run in turn gets `made_up(slot, epoch)`: its report and whether it is the run's
/// last,
/// or `None` once the run has stopped.
pub(crate) fn app_after(
    settings: Settings,
    data: Arc<Dataset>,
    source: &str,
    theme: Theme,
    epochs: u32,
    mut made_up: impl FnMut(usize, u32) -> Option<(EpochReport, bool)>,
) -> App {
    let runs = settings.optimizers.len();
    let mut app = App::new(settings, data, source, false, Speed::Unlimited).with_theme(theme);
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    for epoch in 1..=epochs {
        for slot in 0..runs {
            if let Some((report, last)) = made_up(slot, epoch) {
                app.update(Message::Session(Event::Epoch {
                    generation: 1,
                    slot,
                    report,
                    last,
                }));
            }
        }
    }
    app
}

/// A fresh, empty directory for one check's files: `group` is the check file's, `name` the
/// test's, so no two tests share one (under the system's temporary directory, one per test
/// process).
pub(crate) fn scratch(group: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("digits-tui-checks-{}", std::process::id()))
        .join(group)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The one-line message `data::load` refuses `data` (and `test`) with.
pub(crate) fn load_err(data: &std::path::Path, test: Option<&std::path::Path>) -> String {
    let err = crate::data::load(Some(data), test).expect_err("must be rejected");
    let text = err.to_string();
    assert_eq!(text.lines().count(), 1, "{text}");
    text
}

/// Fails unless `text` holds every one of `needles`.
pub(crate) fn assert_has(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{text:?} lacks {needle:?}");
    }
}

/// A headless run of `settings` on the lab's data, as the binary's `--headless --export FILE`
/// does it: its JSON lines, its table and the file it wrote.
pub(crate) fn headless_export(settings: Settings, file: &std::path::Path) -> (String, String) {
    let options = crate::front::headless::Options {
        summary: crate::front::headless::SummaryFormat::Table,
        export: Some(file.to_path_buf()),
        data_source: "embedded".into(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    crate::front::headless::train(settings, lab_data(), &options, &mut out, &mut err)
        .expect("trains");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("UTF-8");
    (text(out), text(err))
}
