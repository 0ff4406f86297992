//! Optimizers on 2-D loss landscapes: four textbook functions and the paths the lab's five
//! update rules take on them, run through the very code that trains the networks
//! ([`crate::nn::optimizer::apply`]) on a parameter of two elements. Core: no threads, no
//! terminal; the `landscape` subcommand, the dashboard's view and `plot` all read it.

mod clip;
pub(crate) mod function;
pub(crate) mod path;

pub(crate) use clip::clip;
pub(crate) use function::Function;
pub(crate) use path::{Point, Walker};
