//! The network, its optimizers and the arithmetic they share; nothing here knows about threads
//! or terminals.

pub mod exp;
mod exp_table;
pub mod gemm;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod lanes;
pub mod network;
pub mod optimizer;
pub mod simd;
pub mod sum;
pub mod transpose;

pub use network::{Gradients, Layer, Network, Workspace};
pub use optimizer::{Hyper, Moments, OptimizerKind};
