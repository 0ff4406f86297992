//! `App::update` driven directly: keys, session events and clock ticks, no threads or files.

use super::*;
use crate::checks::fixtures::{epoch, lab_data, report};
use crate::engine::{Command, Event, Speed};
use crate::train::EpochReport;
use crate::ui::canvas::CanvasEdit;
use crate::ui::intent::Intent;

fn app() -> App {
    App::new(
        Settings::default(),
        lab_data(),
        "embedded",
        false,
        Speed::Unlimited,
    )
}

fn started(app: &mut App, seed: u32) {
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed,
    }));
}

#[test]
fn selection_wraps_both_ways() {
    let mut a = app();
    a.update(Intent::SelectPrev);
    assert_eq!(a.selected(), a.runs().len() - 1);
    a.update(Intent::SelectNext);
    assert_eq!(a.selected(), 0);
    a.update(Intent::Select(3));
    assert_eq!(a.selected(), 3);
    a.update(Intent::Select(9));
    assert_eq!(a.selected(), 3);
}

#[test]
fn a_number_key_without_its_run_says_why() {
    let settings = Settings {
        optimizers: vec![crate::train::Contender::Sgd, crate::train::Contender::Adam],
        ..Settings::default()
    };
    let mut a = App::new(settings, lab_data(), "embedded", false, Speed::Unlimited);
    a.update(Intent::Select(1));
    assert_eq!((a.selected(), a.notice()), (1, None));
    // Keys 3–6 once did nothing, silently.
    a.update(Intent::Select(4));
    assert_eq!(a.selected(), 1);
    assert_eq!(a.notice(), Some("no run 5: this session has 2 runs"));
}

#[test]
fn pause_and_resume_send_commands() {
    let mut a = app();
    assert_eq!(
        a.update(Intent::TogglePause),
        Some(Effect::Send(Command::Pause))
    );
    assert_eq!(a.state(), RunState::Paused);
    assert_eq!(
        a.update(Intent::TogglePause),
        Some(Effect::Send(Command::Resume))
    );
    assert_eq!(a.state(), RunState::Running);
}

#[test]
fn step_pauses_and_every_run_advances_by_one() {
    let mut a = app();
    started(&mut a, 7);
    assert_eq!(a.update(Intent::Step), Some(Effect::Send(Command::Step)));
    assert_eq!(a.state(), RunState::Paused);
    for slot in 0..a.runs().len() {
        epoch(&mut a, slot, 1);
    }
    assert_eq!(a.epoch(), 1);
    assert!(a.runs().iter().all(|r| r.summary.epochs == 1));
    assert_eq!(a.update(Intent::Step), Some(Effect::Send(Command::Step)));
    assert_eq!(a.state(), RunState::Paused);
}

#[test]
fn restart_resets_histories() {
    let mut a = app();
    started(&mut a, 7);
    epoch(&mut a, 2, 1);
    assert_eq!(a.runs()[2].epochs.len(), 1);
    assert_eq!(
        a.update(Intent::Restart { same_seed: true }),
        Some(Effect::Send(Command::Restart { seed: 7 }))
    );
    assert!(
        a.runs()
            .iter()
            .all(|r| r.epochs.is_empty() && r.summary.epochs == 0)
    );
    let Some(Effect::Send(Command::Restart { .. })) =
        a.update(Intent::Restart { same_seed: false })
    else {
        panic!("restart sends a command");
    };
}

#[test]
fn stale_generations_are_ignored_and_finish_is_shown() {
    let mut a = app();
    started(&mut a, 7);
    let stale = report(1, 0.5, 0.5, 0.5, vec![0; 360]);
    a.update(Message::Session(Event::Epoch {
        generation: 0,
        slot: 0,
        report: stale,
        last: false,
    }));
    assert_eq!(a.runs()[0].summary.epochs, 0);
    a.update(Message::Session(Event::Finished { generation: 1 }));
    assert_eq!(a.state(), RunState::Finished);
    assert_eq!(a.update(Intent::TogglePause), None);
}

#[test]
fn speed_ladder_stops_at_both_ends() {
    let mut a = app();
    assert_eq!(a.update(Intent::Faster), None);
    assert_eq!(
        a.update(Intent::Slower),
        Some(Effect::Send(Command::SetSpeed(Speed::PerSecond(500.0))))
    );
    for _ in 0..20 {
        a.update(Intent::Slower);
    }
    assert_eq!(a.speed(), Speed::PerSecond(1.0));
    a.update(Intent::Faster);
    assert_eq!(a.speed(), Speed::PerSecond(2.0));
}

#[test]
fn help_closes_before_quitting_and_failures_are_kept() {
    let mut a = app();
    a.update(Intent::ToggleHelp);
    a.update(Intent::Back);
    assert!(!a.show_help() && !a.quit());
    a.update(Message::Session(Event::Failed {
        message: "boom".into(),
    }));
    assert_eq!(a.failure(), Some("boom"));
    a.update(Intent::Back);
    assert!(a.quit());
}

#[test]
fn the_lab_canvas_inks_one_pixel_and_loads_a_named_test_image() {
    let mut a = app();
    a.update(Intent::Canvas(CanvasEdit::Ink(5)));
    let inked: Vec<f64> = (a.canvas().pixels.iter().copied())
        .filter(|&p| p > 0.0)
        .collect();
    assert_eq!(inked, [9.0], "level 5 of 9 is 9 of 16, on one pixel");
    a.update(Intent::Canvas(CanvasEdit::Load));
    let loaded = a.canvas().loaded.expect("loaded");
    assert_eq!(loaded.label, lab_data().y_test[loaded.index]);
    let row = lab_data().test_pixels.row(loaded.index).to_vec();
    let pixels: Vec<u8> = a.canvas().pixels.iter().map(|&p| p as u8).collect();
    assert_eq!(pixels, row);
    assert!(!loaded.edited);
    a.update(Intent::Canvas(CanvasEdit::Toggle));
    assert!(a.canvas().loaded.is_some_and(|l| l.edited));
}

#[test]
fn a_burst_of_rate_presses_counts_every_press() {
    let mut a = app();
    started(&mut a, 7);
    let mut last = None;
    for _ in 0..4 {
        last = a.update(Intent::ScaleLearningRate { up: true });
    }
    assert_eq!(
        last,
        Some(Effect::Send(Command::SetLearningRate { slot: 0, lr: 0.16 }))
    );
    // Confirmed by the session: the next press builds on the rate in force.
    a.update(Message::Session(Event::LearningRate {
        generation: 1,
        slot: 0,
        epoch: 0,
        lr: 0.16,
    }));
    assert_eq!(
        a.update(Intent::ScaleLearningRate { up: false }),
        Some(Effect::Send(Command::SetLearningRate { slot: 0, lr: 0.08 }))
    );
}

#[test]
fn a_finished_run_refuses_a_new_rate_and_says_why() {
    let mut a = app();
    started(&mut a, 7);
    a.update(Message::Session(Event::Epoch {
        generation: 1,
        slot: 0,
        report: report(1, 0.5, 0.5, 0.5, vec![0; 360]),
        last: true,
    }));
    assert_eq!(a.update(Intent::ScaleLearningRate { up: true }), None);
    assert!(
        a.notice().is_some_and(|n| n.contains("finished")),
        "{:?}",
        a.notice()
    );
}

#[test]
fn a_restart_forgets_the_seeds_view_notices_and_clock() {
    let mut a = app();
    started(&mut a, 7);
    let Some(Effect::StartBackground { seeds, .. }) = a.update(Intent::ToggleView(View::Seeds))
    else {
        panic!("the seeds view starts its sweep");
    };
    assert_eq!(seeds, (7..=16).collect::<Vec<_>>());
    a.update(Message::Notice("saved x.json".into()));
    a.update(Message::Tick(Duration::from_secs(30)));
    a.update(Intent::Restart { same_seed: false });
    assert!(!a.background(Background::Seeds).started() && a.notice().is_none());
    assert_eq!((a.view(), a.elapsed()), (View::Main, Duration::ZERO));
    a.update(Message::Tick(Duration::from_secs(31)));
    assert_eq!(a.elapsed(), Duration::from_secs(1));
}

#[test]
fn export_and_the_seeds_view_are_effects_and_a_replay_refuses_training() {
    let mut a = app().with_export_path(Some(PathBuf::from("out.json")));
    assert_eq!(
        a.update(Intent::Export),
        Some(Effect::Export(PathBuf::from("out.json")))
    );
    let mut r = app().replaying("saved.json");
    for action in [
        Intent::Step,
        Intent::TogglePause,
        Intent::Restart { same_seed: true },
        Intent::ScaleLearningRate { up: true },
        Intent::ToggleView(View::Seeds),
        Intent::ToggleView(View::Weights),
        Intent::ToggleView(View::Draw),
    ] {
        assert_eq!(r.update(action), None);
    }
    assert_eq!(r.view(), View::Main);
    assert!(r.notice().is_some_and(|n| n.contains("no weights")));
}

#[test]
fn confusion_is_kept_as_epochs_arrive_and_forgotten_on_restart() {
    let mut a = app();
    started(&mut a, 7);
    assert!(a.confusion().is_none());
    epoch(&mut a, 0, 1);
    let c = a.confusion().expect("run 0 has predictions");
    // Every test image predicted 1: column 1 holds them all.
    let column: u32 = c.matrix.iter().map(|row| row[1]).sum();
    assert_eq!(column, 360);
    a.update(Intent::SelectNext);
    assert!(a.confusion().is_none(), "run 1 has no epoch yet");
    a.update(Intent::Restart { same_seed: true });
    a.update(Intent::SelectPrev);
    assert!(a.confusion().is_none());
}

#[test]
fn closing_a_background_view_pauses_its_job_unless_kept_and_x_cancels() {
    use crate::ui::background::JobState;
    let mut a = app();
    started(&mut a, 7);
    assert!(matches!(
        a.update(Intent::ToggleView(View::Seeds)),
        Some(Effect::StartBackground { .. })
    ));
    let state = |a: &App| a.background(Background::Seeds).state;
    assert_eq!(state(&a), JobState::Running);
    a.update(Intent::Back);
    assert_eq!((a.view(), state(&a)), (View::Main, JobState::Paused));
    // Opening the view again resumes where it stood: no second start.
    assert_eq!(a.update(Intent::ToggleView(View::Seeds)), None);
    assert_eq!(state(&a), JobState::Running);
    a.update(Intent::KeepJob);
    assert_eq!((a.view(), state(&a)), (View::Main, JobState::Running));
    // A second job takes the one core: the kept one pauses, and says so.
    assert!(a.update(Intent::ToggleView(View::Sweep)).is_some());
    assert_eq!(state(&a), JobState::Paused);
    assert!(
        a.notice().is_some_and(|n| n.contains("seeds paused")),
        "{:?}",
        a.notice()
    );
    a.update(Intent::CancelJob);
    assert_eq!(a.background(Background::Sweep).state, JobState::Cancelled);
    assert!(a.notice().is_some_and(|n| n.contains("sweep cancelled")));
    // Cancelled, Enter starts it afresh.
    assert!(matches!(
        a.update(Intent::StartJob),
        Some(Effect::StartBackground {
            which: Background::Sweep,
            ..
        })
    ));
}

/// The lab's training images seven times over: large data, as far as the jobs can tell.
fn large_data() -> Arc<Dataset> {
    let mut d = Dataset::lab();
    let views = vec![d.x_train.view(); 7];
    d.x_train = ndarray::concatenate(ndarray::Axis(0), &views).expect("same widths");
    d.y_train = d.y_train.repeat(7);
    Arc::new(d)
}

#[test]
fn on_large_data_a_job_shows_an_estimate_and_waits_for_enter() {
    use crate::ui::background::JobState;
    let settings = Settings::default();
    let mut a = App::new(settings, large_data(), "large", false, Speed::Unlimited);
    started(&mut a, 7);
    assert_eq!(a.update(Intent::ToggleView(View::Seeds)), None);
    assert_eq!(a.view(), View::Seeds);
    assert_eq!(a.background(Background::Seeds).state, JobState::Confirm);
    assert_eq!(a.backgrounds().estimate(Background::Seeds), None);
    // A lab epoch of 2 s: 60 runs of 1000 epochs take 120 000 s at most.
    let report = EpochReport {
        wall: Duration::from_secs(2),
        ..report(1, 1.0, 0.5, 0.5, vec![1; 360])
    };
    a.update(Message::Session(Event::Epoch {
        generation: 1,
        slot: 0,
        report,
        last: false,
    }));
    assert_eq!(
        a.backgrounds().estimate(Background::Seeds),
        Some(Duration::from_secs(120_000))
    );
    // Esc closes without starting; Enter in the view starts it.
    a.update(Intent::Back);
    assert_eq!(a.background(Background::Seeds).state, JobState::Confirm);
    a.update(Intent::ToggleView(View::Seeds));
    let Some(Effect::StartBackground { seeds, .. }) = a.update(Intent::StartJob) else {
        panic!("Enter starts the job");
    };
    assert_eq!(seeds.len(), 10);
    assert_eq!(a.background(Background::Seeds).state, JobState::Running);
    // Progress within runs: run 1 of 60 at its 412th epoch, its rate over 2 s.
    a.update(Message::Tick(Duration::from_secs(10)));
    a.update(Message::JobEpochs(Background::Seeds, 0));
    a.update(Message::Tick(Duration::from_secs(12)));
    a.update(Message::JobEpochs(Background::Seeds, 412));
    assert_eq!(a.background(Background::Seeds).current(), (1, 412));
    assert!(a.background(Background::Seeds).time_left().is_some());
}

#[test]
fn the_chart_ranges_follow_epochs_and_the_zoom() {
    use crate::ui::chart_ranges::ChartRanges;
    let fresh = |a: &App| ChartRanges::of(a.runs(), a.epoch_window());
    let mut a = app();
    started(&mut a, 7);
    for e in 1..=40 {
        epoch(&mut a, 0, e);
        epoch(&mut a, 1, e);
    }
    let all = a.chart_ranges().clone();
    assert_eq!(all, fresh(&a));
    assert_eq!(
        all.loss(),
        ((1.0f64 / 40.0).log10(), 0.0),
        "log10 of 1/40 and of 1"
    );
    // Zoomed to epochs 30–40 the loss spans less: the ranges follow the key, not a frame.
    a.update(Intent::CycleZoom);
    assert_eq!(a.chart_ranges(), &fresh(&a));
    assert_ne!(a.chart_ranges(), &all);
    a.update(Intent::Restart { same_seed: false });
    assert_eq!(a.chart_ranges(), &fresh(&a));
}

#[test]
fn the_weight_glyphs_follow_the_selected_runs_weights() {
    use crate::train::Trainer;
    use crate::ui::widgets::downsample;
    let mut a = app();
    started(&mut a, 7);
    a.update(Message::Resize(Rect::new(0, 0, 120, 40)));
    a.update(Intent::ToggleView(View::Weights));
    assert!(a.weight_glyphs().glyphs().is_empty(), "no weights yet");
    let snapshot =
        Arc::new(Trainer::new(a.runs()[1].contender, a.settings(), lab_data()).snapshot());
    a.update(Message::Session(Event::Snapshot {
        generation: 1,
        slot: 1,
        snapshot: Arc::clone(&snapshot),
    }));
    assert!(
        !a.weight_glyphs().are_of(&snapshot),
        "run 1 is not selected"
    );
    a.update(Intent::Select(1));
    let glyphs = a.weight_glyphs();
    assert!(glyphs.are_of(&snapshot));
    let first = snapshot.first_layer();
    let side = lab_data().side;
    let fresh: Vec<Vec<f64>> = (0..first.units)
        .map(|u| downsample(first.unit(u), side, glyphs.downsample()))
        .collect();
    let scale = fresh.iter().flatten().fold(0.0f64, |m, w| m.max(w.abs()));
    assert_eq!(glyphs.glyphs(), fresh);
    assert_eq!(glyphs.scale(), scale);
    assert_eq!(
        (glyphs.units(), glyphs.inputs()),
        (first.units, first.inputs)
    );
}

#[test]
fn the_terrain_follows_the_function_and_the_size() {
    use crate::ui::landscape::{self, LandscapeEdit, LandscapeLayout};
    use crate::ui::layout::Areas;
    let plot = |a: &App| {
        let areas = Areas::new(a.size(), a.runs().len(), lab_data().side);
        LandscapeLayout::new(landscape::area(&areas), a.landscape().walkers().len()).plot
    };
    let mut a = app();
    a.update(Message::Resize(Rect::new(0, 0, 120, 40)));
    a.update(Intent::ToggleView(View::Landscape));
    let cut = |a: &App| {
        a.terrain()
            .cells(a.landscape().function(), plot(a))
            .is_some()
    };
    assert!(cut(&a));
    a.update(Intent::Landscape(LandscapeEdit::Function { forward: true }));
    assert!(cut(&a), "another function");
    a.update(Message::Resize(Rect::new(0, 0, 100, 30)));
    assert!(cut(&a), "another size");
}

#[test]
fn enter_is_offered_only_while_the_job_in_view_waits_for_it() {
    let offered = |a: &App| {
        let footer = crate::ui::keymap::footer_hints(a.view(), |i| a.offers(i));
        let enter = footer
            .iter()
            .any(|h| h.hint == crate::ui::keymap::Hint::Start);
        (a.offers(Intent::StartJob), enter)
    };
    let mut a = App::new(
        Settings::default(),
        large_data(),
        "large",
        false,
        Speed::Unlimited,
    );
    started(&mut a, 7);
    a.update(Intent::ToggleView(View::Seeds));
    assert_eq!(offered(&a), (true, true), "waiting to be confirmed");
    assert!(a.update(Intent::StartJob).is_some());
    // The footer offered `Enter start` while the job ran, and Enter did nothing.
    assert_eq!(offered(&a), (false, false), "running");
    assert_eq!((a.update(Intent::StartJob), a.notice()), (None, None));
    a.update(Intent::CancelJob);
    assert_eq!(
        offered(&a),
        (true, true),
        "cancelled: Enter starts it again"
    );
    a.update(Intent::Back);
    assert!(!offered(&a).0, "no job in view");
}
