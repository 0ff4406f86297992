//! The confusion, weights, draw and seeds views, and diverged runs.

use super::*;

/// A dashboard whose runs carry real (freshly initialised) weights, as the weights and draw
/// views receive them from the session.
pub(super) fn app_with_snapshots(epochs: u32) -> App {
    let mut app = app_after(epochs);
    let settings = Settings::default();
    for (slot, &contender) in settings.optimizers.iter().enumerate() {
        let snapshot = Trainer::new(contender, &settings, lab_data()).snapshot();
        app.update(Message::Session(Event::Snapshot {
            generation: 1,
            slot,
            snapshot: Arc::new(snapshot),
        }));
    }
    app
}

#[test]
pub(super) fn confusion_view_at_120x40_and_80x24() {
    let mut app = app_after(40);
    app.update(Intent::ToggleView(View::Confusion));
    insta::assert_snapshot!("confusion_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("confusion_80x24", screen(&mut app, 80, 24));
}

#[test]
pub(super) fn weights_view_at_120x40_and_80x24() {
    let mut app = app_with_snapshots(10);
    assert_eq!(
        app.update(Intent::ToggleView(View::Weights)),
        Some(Effect::Send(Command::WatchSnapshots(true)))
    );
    insta::assert_snapshot!("weights_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("weights_80x24", screen(&mut app, 80, 24));
    assert_eq!(
        app.update(Intent::Back),
        Some(Effect::Send(Command::WatchSnapshots(false)))
    );
    assert_eq!(app.view(), View::Main);
}

#[test]
pub(super) fn draw_view_at_120x40_and_80x24() {
    let mut app = app_with_snapshots(10);
    app.update(Intent::ToggleView(View::Draw));
    // A vertical stroke down the middle, drawn with the keys.
    for _ in 0..8 {
        app.update(Intent::Canvas(CanvasEdit::Ink(9)));
        app.update(Intent::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }));
    }
    insta::assert_snapshot!("draw_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("draw_80x24", screen(&mut app, 80, 24));
}

#[test]
pub(super) fn seeds_view_fills_in_as_runs_finish() {
    use crate::engine::SeedResult;
    use crate::train::Contender;

    let mut app = app_after(40);
    assert_eq!(
        app.update(Intent::ToggleView(View::Seeds)),
        Some(Effect::StartBackground {
            which: Background::Seeds,
            seeds: (7..=16).collect(),
            rates: Vec::new(),
        })
    );
    // Three seeds of made-up results for every contender but the baseline, still running.
    for (k, &optimizer) in Contender::ALL[..5].iter().enumerate() {
        for seed in 7..=9u32 {
            let acc = 0.93 + 0.01 * k as f64 + 0.005 * f64::from(seed - 7);
            app.update(Message::Background(
                Background::Seeds,
                Ok(SeedResult {
                    seed,
                    optimizer,
                    at: None,
                    epochs: 100,
                    test_acc: Some(acc),
                    final_loss: Some(1e-3 / (k as f64 + 1.0)),
                    diverged: false,
                    perfect_train_epoch: Some(20),
                }),
            ));
        }
    }
    insta::assert_snapshot!("seeds_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("seeds_80x24", screen(&mut app, 80, 24));
}

/// RMSProp (run 3) diverges at epoch 12.
pub(super) fn diverge_rmsprop(app: &mut App) {
    let report = EpochReport {
        diverged: true,
        ..report(12, f64::NAN, 0.1, 0.1, vec![9; lab_data().y_test.len()])
    };
    app.update(Message::Session(Event::Epoch {
        generation: 1,
        slot: 3,
        report,
        last: true,
    }));
}

/// A dashboard whose RMSProp (run 3) diverged at epoch 12, the others at epoch 40.
pub(super) fn diverged() -> App {
    let mut app = app_after(11);
    diverge_rmsprop(&mut app);
    app.update(Intent::Select(3));
    app
}

#[test]
pub(super) fn a_diverged_run_says_so_wherever_a_figure_would_be() {
    let mut app = diverged();
    let main = screen(&mut app, 120, 40);
    assert!(main.contains("diverged at epoch 12"), "{main}");
    assert!(main.contains("diverged@12"), "{main}");
    assert!(!main.contains("best 0.000"), "{main}");
    insta::assert_snapshot!("diverged_120x40", main);
    // The draw view gives it no reading (its probabilities are not numbers).
    let mut with_snapshots = app_with_snapshots(11);
    let draw = screen(diverged_draw(&mut with_snapshots), 120, 40);
    let rmsprop: Vec<&str> = draw.lines().filter(|l| l.contains("RMSProp  ")).collect();
    assert_eq!(rmsprop.len(), 1, "{draw}");
    assert!(rmsprop[0].contains("diverged at epoch 12"), "{draw}");
    assert!(!rmsprop[0].contains('%'), "{draw}");
}

/// The draw view of `app` after its RMSProp diverged.
pub(super) fn diverged_draw(app: &mut App) -> &mut App {
    diverge_rmsprop(app);
    app.update(Intent::ToggleView(View::Draw));
    app
}

#[test]
pub(super) fn before_the_first_epoch_no_figure_is_made_up() {
    let text = screen(&mut app_after(0), 120, 40);
    assert!(text.contains("epoch 0 · no epoch yet · lr 0.01"), "{text}");
    assert!(!text.contains("0.000"), "{text}");
}

#[test]
pub(super) fn the_weights_view_pages_through_every_unit() {
    let mut app = app_with_snapshots(10);
    app.update(Intent::ToggleView(View::Weights));
    let first = screen(&mut app, 120, 40);
    assert!(first.contains("units 1–26 of 80"), "{first}");
    let mut seen = 26;
    while seen < 80 {
        app.update(Intent::WeightsPage { forward: true });
        let page = screen(&mut app, 120, 40);
        // Pages start where the last one ended: no unit is shown twice.
        let (start, end) = (seen + 1, (seen + 26).min(80));
        assert!(
            page.contains(&format!("units {start}–{end} of 80")),
            "{page}"
        );
        seen = end;
    }
    app.update(Intent::WeightsPage { forward: true });
    assert!(screen(&mut app, 120, 40).contains("units 79–80 of 80"));
    app.update(Intent::WeightsPage { forward: false });
    app.update(Intent::WeightsPage { forward: false });
    app.update(Intent::WeightsPage { forward: false });
    app.update(Intent::WeightsPage { forward: false });
    assert!(screen(&mut app, 120, 40).contains("units 1–26 of 80"));
}
