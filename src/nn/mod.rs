//! The network, its optimizers and the arithmetic they share; nothing here knows about threads
//! or terminals.

pub mod exp;
mod exp_table;
pub mod gemm;
pub mod network;
pub mod optimizer;
pub mod sum;

pub use network::{Gradients, Layer, Network, Workspace};
pub use optimizer::{Hyper, Moments, OptimizerKind};

/// True when the CPU runs the AVX2+FMA kernels (checked once, then cached by std).
pub(crate) fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
