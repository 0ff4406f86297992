//! The ways in that are not the dashboard: flags and config files, headless JSON lines,
//! `compare` and `sweep` reports and their shards, `bench`, shell completions and the man page.

pub mod bench;
pub mod cli;
pub mod compare;
pub mod config;
pub mod headless;
pub mod merge;
pub mod plot;
pub mod runs;
pub mod shard;
pub mod shell;
pub mod sweep;
pub mod validate;
