//! The layer-health view.

use super::*;

// The layer-health view (`i`) drawn from real training: two lab runs of the knobs' contrast
// (the lab's weights with sigmoids, He weights with relu) trained a few epochs with their
// health watched, then the view at 120×40 and 80×24 without colour, in ASCII and in colour.
// Its figures are also checked against an independent computation.

/// Epochs the layer-health view's runs train.
const HEALTH_EPOCHS: u32 = 4;

fn health_settings(init: Init, activation: Activation) -> Settings {
    Settings {
        epochs: 20,
        init,
        activation,
        optimizers: vec![Contender::Sgd, Contender::Adam, Contender::Mlp],
        health: true,
        ..Settings::default()
    }
}

/// A dashboard whose two lab runs trained [`HEALTH_EPOCHS`] epochs for real, health watched, the
/// baseline none yet; the view open on run `selected`.
fn health_app(init: Init, activation: Activation, theme: Theme) -> App {
    let data = lab_data();
    let settings = health_settings(init, activation);
    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    )
    .with_theme(theme);
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    for (slot, kind) in [OptimizerKind::Sgd, OptimizerKind::Adam]
        .into_iter()
        .enumerate()
    {
        let mut trainer = LabTrainer::new(kind, &settings, Arc::clone(&data));
        for _ in 0..HEALTH_EPOCHS {
            let report = trainer.train_epoch();
            app.update(Message::Session(Event::Epoch {
                generation: 1,
                slot,
                report,
                last: false,
            }));
        }
    }
    app.update(Intent::ToggleView(View::Health));
    app
}

#[test]
fn health_view_in_plain_ascii_and_colour() {
    for (name, init, activation) in [
        ("lab_sigmoid", Init::Lab, Activation::Sigmoid),
        ("he_relu", Init::He, Activation::Relu),
    ] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut plain = health_app(init, activation, Theme::plain());
            insta::assert_snapshot!(format!("health_{name}_{w}x{h}"), screen(&mut plain, w, h));
            let mut ascii = health_app(init, activation, Theme::ascii());
            insta::assert_snapshot!(
                format!("health_{name}_ascii_{w}x{h}"),
                screen(&mut ascii, w, h)
            );
        }
    }
    let mut colour = health_app(Init::He, Activation::Relu, Theme::default());
    insta::assert_snapshot!(
        "health_he_relu_colour_120x40",
        coloured(&mut colour, 120, 40)
    );
    let mut colour = health_app(Init::He, Activation::Relu, Theme::default());
    insta::assert_snapshot!("health_he_relu_colour_80x24", coloured(&mut colour, 80, 24));
}

#[test]
fn health_view_of_the_baseline_says_it_has_none_and_tiny_sizes_do_not_panic() {
    let mut app = health_app(Init::Lab, Activation::Sigmoid, Theme::plain());
    app.update(Intent::SelectNext);
    app.update(Intent::SelectNext);
    assert!(screen(&mut app, 120, 40).contains("no layer health"));
    for (w, h) in [(80, 24), (100, 30), (20, 5), (1, 1)] {
        screen(&mut app, w, h);
    }
}

/// The probe's figures against a computation of their own: the same run stepped batch by
/// batch through the public network API, every norm, bin and count taken afresh.
#[test]
fn health_figures_match_an_independent_computation() {
    let data = lab_data();
    for activation in Activation::ALL {
        let s = Settings {
            weight_decay: 0.01,
            ..health_settings(Init::Xavier, activation)
        };
        let mut run = LabTrainer::new(OptimizerKind::Momentum, &s, Arc::clone(&data));
        let mut rng = RandomState::new(s.seed);
        let sizes = s.layer_sizes(data.width(), CLASSES);
        let mut net = Network::new(&sizes, s.init, activation, &mut rng);
        let mut ws = Workspace::new(&sizes, s.batch_size);
        let x = data.x_train.as_slice().expect("standard layout");
        let width = data.width();
        for epoch in 1..=2 {
            let report = run.train_epoch();
            let mut order: Vec<usize> = (0..data.y_train.len()).collect();
            rng.shuffle(&mut order);
            let (mut grad_norms, mut ratios, mut batches) = ([0.0; 2], [0.0; 2], 0.0);
            for rows in order.chunks(s.batch_size) {
                let bx: Vec<f64> = rows
                    .iter()
                    .flat_map(|&r| x[r * width..(r + 1) * width].iter().copied())
                    .collect();
                let by: Vec<u8> = rows.iter().map(|&r| data.y_train[r]).collect();
                net.backward(&bx, &by, &mut ws);
                net.decay_gradients(s.weight_decay, &mut ws);
                let before: Vec<Vec<f64>> = (net.layers().iter())
                    .map(|l| l.by_input().to_vec())
                    .collect();
                for (norm, grad) in grad_norms.iter_mut().zip(ws.grads()) {
                    *norm += frobenius(&grad.w);
                }
                net.update(OptimizerKind::Momentum, &s.hyper, epoch, &ws);
                for ((ratio, layer), before) in ratios.iter_mut().zip(net.layers()).zip(&before) {
                    let delta: Vec<f64> = (layer.by_input().iter())
                        .zip(before)
                        .map(|(a, b)| a - b)
                        .collect();
                    *ratio += frobenius(&delta) / frobenius(before);
                }
                batches += 1.0;
            }
            let got = report.health.expect("watched");
            let x_test = data.x_test.as_slice().expect("standard layout");
            let n_test = data.y_test.len();
            let mut eval = Workspace::new(&sizes, n_test);
            net.forward(x_test, n_test, &mut eval);
            for l in 0..2 {
                let units = sizes[l + 1];
                let acts = &eval.activations(l)[..n_test * units];
                let range = activation.histogram_range();
                let mut histogram = vec![0u64; health::BINS];
                for &a in acts {
                    histogram[health::bin(a, range)] += 1;
                }
                let saturated = acts.iter().filter(|&&a| activation.is_saturated(a)).count();
                let stuck = (0..units)
                    .filter(|&u| (0..n_test).all(|i| activation.is_saturated(acts[i * units + u])))
                    .count();
                let h = &got[l];
                let what = format!("{activation:?} epoch {epoch} layer {}", l + 1);
                assert_eq!(h.histogram, histogram, "{what}");
                assert_eq!(h.saturated, saturated as f64 / acts.len() as f64, "{what}");
                assert_eq!(h.stuck_units, stuck, "{what}");
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
                assert!(close(h.grad_norm, grad_norms[l] / batches), "{what}");
                assert!(close(h.update_ratio, ratios[l] / batches), "{what}");
            }
        }
    }
}

fn frobenius(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}
