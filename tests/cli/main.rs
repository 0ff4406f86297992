//! The tests that run the built `digits-tui` (through [`binary`]) and those that read the
//! repository's files (the layering, the packaged file list, the README), in one test binary.
//! Tests of the library's internals are unit tests in `src/checks/`; the tests that need a
//! process of their own stay in their own binaries: `background_cpu` (reads the process's CPU
//! time), `event_loop_failure` (sets the worker fault for the process), `intra_run` (counts the
//! pool's helpers process-wide) and `e2e_tmux` (the real binary in tmux). The tests here
//! never use the library: what the binary prints is checked against fixtures, its own other
//! output and properties. [`digit_files`], [`numpy`] and [`csv_rows`] write and read data files
//! without it, [`dirs`] lists a directory and makes it read-only, [`readings`] reads a table row
//! and a landscape point; the library's checks compile them in, so both sides use the same
//! files and read them one way.

mod binary;
mod csv_rows;
mod digit_files;
mod dirs;
mod numpy;
mod readings;

mod architecture;
mod cli;
mod compare;
mod data_formats;
mod divergence;
mod export;
mod export_csv;
mod landscape;
mod numpy_data;
mod package;
mod plot;
mod readme;
mod shard;
mod shell;
mod sweep;
mod sweep_knobs;
