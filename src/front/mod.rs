//! The ways in that are not the dashboard: flags and config files, headless JSON lines,
//! `compare` reports and `bench`.

pub mod bench;
pub mod cli;
pub mod compare;
pub mod config;
pub mod headless;
pub mod validate;
