//! The ways in that are not the dashboard: flags, headless JSON lines, `compare` and `sweep`
//! reports and their shards, `bench`, `landscape`, shell completions and the man page.

pub mod bench;
mod bench_cores;
pub mod cli;
pub mod compare;
pub mod document;
pub mod headless;
pub mod landscape;
pub mod merge;
pub mod plot;
pub mod runs;
pub mod shard;
pub mod shell;
pub mod sweep;
