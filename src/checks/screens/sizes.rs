//! Sizes, the help overlay, the finished table, failures, clicks and the chain protocol.

use super::*;

#[test]
pub(super) fn running_120x40() {
    insta::assert_snapshot!(screen(&mut app_after(40), 120, 40));
}

#[test]
pub(super) fn running_80x24_the_minimum() {
    let mut app = app_after(40);
    app.update(Intent::SelectNext);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
pub(super) fn just_below_the_minimum_asks_to_enlarge() {
    insta::assert_snapshot!(screen(&mut app_after(3), 79, 24));
}

#[test]
pub(super) fn tiny_20x5() {
    insta::assert_snapshot!(screen(&mut app_after(3), 20, 5));
}

#[test]
pub(super) fn degenerate_sizes_show_the_enlarge_message_whole_or_nothing() {
    for (w, h) in [
        (1, 1),
        (1, 40),
        (200, 1),
        (80, 23),
        (9, 3),
        (20, 2),
        (79, 24),
    ] {
        let mut app = app_after(2);
        app.update(Message::Resize(ratatui::layout::Rect::new(0, 0, w, h)));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        terminal.draw(|f| render(&app, f)).expect("draw");
        let buffer = terminal.backend().buffer();
        assert_eq!((buffer.area.width, buffer.area.height), (w, h));
        let text: Vec<String> = (0..h)
            .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect())
            .collect();
        let words = text
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let messages = [
            format!("Terminal too small: {w}×{h}. Enlarge to at least 80×24. (q quits)"),
            format!("Too small: {w}×{h}, need 80×24."),
            "Enlarge the terminal.".to_owned(),
            "Enlarge".to_owned(),
            String::new(),
        ];
        assert!(messages.contains(&words), "{w}x{h}: {words:?}");
        // Every line of it is centred and inside the screen (no cell past the buffer).
        for line in &text {
            assert_eq!(line.chars().count(), usize::from(w));
        }
    }
    // A 0×0 terminal draws nothing (TestBackend cannot print a 0-wide screen, so no text).
    let mut app = app_after(2);
    app.update(Message::Resize(ratatui::layout::Rect::ZERO));
    let mut terminal = Terminal::new(TestBackend::new(0, 0)).expect("test terminal");
    terminal.draw(|f| render(&app, f)).expect("draw");
    assert_eq!(terminal.backend().buffer().area.area(), 0);
}

#[test]
pub(super) fn help_overlay_120x40() {
    let mut app = app_after(5);
    app.update(Intent::ToggleHelp);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
    insta::assert_snapshot!("help_overlay_80x24", screen(&mut app, 80, 24));
}

/// `--optimizers adam,sgd`: two runs, so the help offers the number keys of those two only
/// (it once said "1–6 (6 is the baseline)"), and the speed line names the ladder's range.
#[test]
pub(super) fn help_names_only_the_runs_present() {
    let settings = Settings {
        optimizers: vec![Contender::Adam, Contender::Sgd],
        ..Settings::default()
    };
    let mut app = App::new(settings, lab_data(), "embedded", false, Speed::Unlimited)
        .with_theme(Theme::plain());
    app.update(Intent::ToggleHelp);
    let shown = screen(&mut app, 80, 24);
    let text = help_text(&shown);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("1 2 select a run by its number"), "{words}");
    assert!(
        !words.contains("1–6") && !words.contains("baseline"),
        "{words}"
    );
    assert!(words.contains("slower / faster (1 epoch/s up to unlimited)"));
    insta::assert_snapshot!("help_adam_sgd_80x24", shown);
}

pub(super) fn finished() -> App {
    let mut app = app_after(100);
    app.update(Message::Session(Event::Finished { generation: 1 }));
    app
}

#[test]
pub(super) fn finished_shows_the_final_table() {
    let mut app = finished();
    insta::assert_snapshot!(screen(&mut app, 120, 40));
    insta::assert_snapshot!("finished_80x24", screen(&mut app, 80, 24));
}

#[test]
pub(super) fn ascii_mode_and_before_any_epoch() {
    let mut app = app_after(0).with_theme(Theme::ascii());
    insta::assert_snapshot!(screen(&mut app, 100, 30));
}

#[test]
pub(super) fn worker_failure_is_a_panel() {
    let mut app = app_after(2);
    app.update(Message::Session(Event::Failed {
        message: "worker panicked at epoch 3".into(),
    }));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
    insta::assert_snapshot!("worker_failure_120x40", screen(&mut app, 120, 40));
}

#[test]
pub(super) fn clicking_a_chart_selects_it() {
    let mut app = app_after(2);
    screen(&mut app, 120, 40);
    // Six charts of 20 columns: x = 85 is the fifth.
    app.update(Message::Click(ratatui::layout::Position::new(85, 5)));
    assert_eq!(app.selected(), 4);
}

#[test]
pub(super) fn chain_protocol_shows_the_stage_in_progress() {
    let data = lab_data();
    let settings = Settings {
        epochs: 100,
        protocol: Protocol::Chain,
        ..Settings::default()
    };
    let mut app = App::new(
        settings,
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    )
    .with_theme(Theme::plain());
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    // SGD ran its 100 epochs, Momentum continues from its weights and is at epoch 40.
    let mut feed = |slot: usize, e: u32, loss: f64, last: bool| {
        let report = report(e, loss, 0.99, 0.95, data.y_test.clone());
        app.update(Message::Session(Event::Epoch {
            generation: 1,
            slot,
            report,
            last,
        }));
    };
    for e in 1..=100 {
        feed(0, e, 2.0 * (-0.05 * f64::from(e)).exp(), e == 100);
    }
    for e in 1..=40 {
        feed(1, e, 0.013 * (-0.08 * f64::from(e)).exp(), false);
    }
    assert_eq!(app.stage(), Some((1, 2)));
    assert_eq!(app.epoch(), 40);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}
