//! The ways in that are not the dashboard: flags, headless JSON lines, `compare` and `sweep`
//! reports and their shards, `bench`, `landscape`, shell completions and the man page.

pub(crate) mod bench;
mod bench_cores;
pub mod cli;
pub(crate) mod compare;
pub(crate) mod document;
pub(crate) mod headless;
pub(crate) mod landscape;
pub(crate) mod merge;
pub(crate) mod plot;
pub(crate) mod runs;
pub(crate) mod shard;
pub(crate) mod shell;
pub(crate) mod sweep;
