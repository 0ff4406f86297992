//! The lab's network ([`network`]) and scikit-learn's ([`mlp`]), their optimizers and the
//! arithmetic they share; nothing here starts a thread or knows about terminals (a [`team`]
//! splits loops across threads the engine lends it).

pub mod activation;
pub mod exp;
mod exp_table;
pub mod gemm;
pub mod init;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod lanes;
pub mod lines;
pub mod mlp;
pub mod network;
pub mod optimizer;
pub mod simd;
pub mod sum;
pub mod team;
pub mod transpose;

pub use activation::Activation;
pub use init::Init;
pub use mlp::Mlp;
pub use network::{Gradients, Layer, Network, Workspace};
pub use optimizer::{Hyper, Moments, OptimizerKind};
