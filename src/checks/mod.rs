//! The library's tests of its own internals, moved in from `tests/` so the crate's public
//! surface can stay what the binary and the examples need: the golden checks against the lab's
//! numpy values, whole screens compared with insta snapshots (in `snapshots/` beside each
//! file), the real event loop on a test backend, and the sessions, views and sweeps behind
//! them. One file per subject; what several share is in [`fixtures`]. Tests that run the built
//! binary are in `tests/cli/`; those that need a process of their own are separate binaries in
//! `tests/`.

pub(crate) mod fixtures;
// The binary's tests read tables and landscape points this way too.
#[path = "../../tests/cli/readings.rs"]
mod readings;

mod baseline;
mod chain;
mod data_formats;
mod divergence;
mod event_loop;
mod export_csv;
mod glyphs;
mod golden;
mod golden_idx;
mod knobs;
mod landscape_paths;
mod landscape_view;
mod numpy_data;
mod schedule;
mod screens;
mod session_file;
mod simd_check;
mod smaller_truths;
mod sweep_view;
mod ui_large_images;
mod views;
mod workbench;
