//! Which vector width the kernels run at: chosen here, once, for the whole program.
//!
//! The widest path the CPU has is the default; `DIGITS_TUI_SIMD=avx512|avx2|neon|portable`
//! forces one (an unknown name, or a path this CPU lacks, is an error the program reports at start).
//! Every path gives the same bits — each output element is the same sequence of IEEE
//! operations whatever the width — so the choice is about speed only, and the tests run the
//! golden traces on every path the CPU supports through [`with_path`].

use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

/// The environment variable that forces a path.
pub const ENV: &str = "DIGITS_TUI_SIMD";

/// A set of kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Path {
    /// AVX-512F: 8 doubles per vector.
    Avx512,
    /// AVX2 with FMA: 4 doubles per vector.
    Avx2,
    /// NEON (aarch64's Advanced SIMD): 2 doubles per vector.
    Neon,
    /// Plain Rust, for any CPU.
    Portable,
}

impl Path {
    /// Every path, widest first.
    pub const ALL: [Self; 4] = [Self::Avx512, Self::Avx2, Self::Neon, Self::Portable];

    /// The name `DIGITS_TUI_SIMD` and `bench --simd` use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Avx512 => "avx512",
            Self::Avx2 => "avx2",
            Self::Neon => "neon",
            Self::Portable => "portable",
        }
    }

    /// The path called `name` (case and surrounding blanks ignored).
    pub fn parse(name: &str) -> Result<Self, SimdError> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name.trim().to_ascii_lowercase())
            .ok_or_else(|| SimdError::Unknown {
                value: name.to_string(),
            })
    }

    /// Doubles per vector (1 for the portable path, which leaves vectors to the compiler).
    pub fn lanes(self) -> usize {
        match self {
            Self::Avx512 => 8,
            Self::Avx2 => 4,
            Self::Neon => 2,
            Self::Portable => 1,
        }
    }

    /// The CPU features the path needs, as `/proc/cpuinfo` names them.
    fn needs(self) -> &'static str {
        match self {
            Self::Avx512 => "avx512f",
            Self::Avx2 => "avx2 and fma",
            Self::Neon => "an aarch64 CPU with asimd",
            Self::Portable => "nothing",
        }
    }

    /// True when this CPU can run the path (std caches the detection).
    pub fn supported(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Self::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(target_arch = "x86_64")]
            Self::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "aarch64")]
            Self::Neon => std::arch::is_aarch64_feature_detected!("neon"),
            Self::Portable => true,
            _ => false,
        }
    }

    /// `self` if this CPU can run it, else an error naming what is missing.
    pub fn check(self) -> Result<Self, SimdError> {
        if self.supported() {
            Ok(self)
        } else {
            Err(SimdError::Unsupported { path: self })
        }
    }

    /// The widest path this CPU can run.
    pub fn widest() -> Self {
        Self::ALL
            .into_iter()
            .find(|p| p.supported())
            .unwrap_or(Self::Portable)
    }

    /// The paths this CPU can run, widest first.
    pub fn supported_here() -> Vec<Self> {
        Self::ALL.into_iter().filter(|p| p.supported()).collect()
    }

    fn code(self) -> u8 {
        match self {
            Self::Avx512 => 1,
            Self::Avx2 => 2,
            Self::Portable => 3,
            Self::Neon => 4,
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `bench --simd` times: one path, or every path this CPU has side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// One path (made the process's path, so the comparison runs on it too).
    One(Path),
    /// Every supported path, in one run.
    All,
}

impl Choice {
    /// A path's name or `all` (the command line's value parser).
    pub fn parse(name: &str) -> Result<Self, String> {
        if name.trim().eq_ignore_ascii_case("all") {
            return Ok(Self::All);
        }
        Path::parse(name)
            .map(Self::One)
            .map_err(|_| format!("unknown SIMD path {name:?}: expected {}", names(&["all"])))
    }
}

/// A path that cannot be used: named wrongly, or not on this CPU.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimdError {
    /// Not one of the path names.
    #[error("{ENV}={value:?} is not a SIMD path: expected {}", names(&[]))]
    Unknown {
        /// What was asked for.
        value: String,
    },
    /// The CPU lacks the path's features.
    #[error(
        "this CPU cannot run the {path} SIMD path (it needs {}); it can run: {}",
        path.needs(),
        supported_list()
    )]
    Unsupported {
        /// The path asked for.
        path: Path,
    },
}

/// Every path's name and then `more`, for the errors that list them:
/// `avx512, avx2, neon or portable`.
fn names(more: &[&str]) -> String {
    let mut names: Vec<&str> = Path::ALL.into_iter().map(Path::name).collect();
    names.extend(more);
    let (last, rest) = names.split_last().expect("at least one path");
    format!("{} or {last}", rest.join(", "))
}

fn supported_list() -> String {
    let names: Vec<&str> = Path::supported_here().into_iter().map(Path::name).collect();
    names.join(", ")
}

/// `DIGITS_TUI_SIMD`, read and checked once: `Ok(None)` when it is unset or empty.
pub fn from_env() -> Result<Option<Path>, SimdError> {
    static CHOICE: OnceLock<Result<Option<Path>, SimdError>> = OnceLock::new();
    CHOICE
        .get_or_init(|| match std::env::var(ENV) {
            Ok(v) if !v.trim().is_empty() => Path::parse(&v).and_then(Path::check).map(Some),
            _ => Ok(None),
        })
        .clone()
}

/// The path the program runs: the environment's choice, else the widest. The program calls
/// this at start so that a bad `DIGITS_TUI_SIMD` is reported before any work.
pub fn configured() -> Result<Path, SimdError> {
    Ok(from_env()?.unwrap_or_else(Path::widest))
}

/// The process-wide path once set or first used (0: not yet).
static PROCESS: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A scoped override for this thread (tests, `bench --simd all`).
    static OVERRIDE: Cell<Option<Path>> = const { Cell::new(None) };
}

/// Makes `path` the path of every thread without an override (`bench --simd`, whose
/// comparison trains on worker threads).
pub fn set_process_path(path: Path) -> Result<(), SimdError> {
    PROCESS.store(path.check()?.code(), Ordering::Relaxed);
    Ok(())
}

/// The path the kernels take on this thread right now: the thread's override, else the
/// process's. A bad `DIGITS_TUI_SIMD` falls back to the widest path here (the binary has
/// already refused it through [`configured`]). Always a path this CPU supports.
pub fn active() -> Path {
    if let Some(path) = OVERRIDE.with(Cell::get) {
        return path;
    }
    if let Some(path) = Path::from_code(PROCESS.load(Ordering::Relaxed)) {
        return path;
    }
    let path = configured().unwrap_or_else(|_| Path::widest());
    PROCESS.store(path.code(), Ordering::Relaxed);
    path
}

/// Runs `f` with this thread's kernels on `path` (then restores the previous choice, even if
/// `f` panics). For tests and side-by-side timing in one process.
pub fn with_path<R>(path: Path, f: impl FnOnce() -> R) -> Result<R, SimdError> {
    struct Restore(Option<Path>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let path = path.check()?;
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(path))));
    Ok(f())
}

/// Defines `fn $name(args)` (with the given visibility and return type) running the plain-Rust
/// function `$body` (which must be `#[inline(always)]`) compiled with the active path's target
/// features, so that its loops vectorise at that width. For the small elementwise loops beside the hand-written
/// kernels: LLVM never reorders or fuses floating-point operations on its own, so every path
/// keeps the portable bits. NEON needs no copy: it is part of every aarch64 target, so the
/// plain function already vectorises at its width.
macro_rules! vectorised {
    ($(#[$doc:meta])* $vis:vis fn $name:ident = $body:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?) => {
        $(#[$doc])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn avx512($($arg: $ty),*) $(-> $ret)? {
                    $body($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) $(-> $ret)? {
                    $body($($arg),*)
                }
                match $crate::nn::simd::active() {
                    // SAFETY: `active` only returns paths the CPU supports.
                    $crate::nn::simd::Path::Avx512 => return unsafe { avx512($($arg),*) },
                    // SAFETY: as above.
                    $crate::nn::simd::Path::Avx2 => return unsafe { avx2($($arg),*) },
                    _ => {}
                }
            }
            $body($($arg),*)
        }
    };
}
pub(crate) use vectorised;

/// Multiply-adds per second one core sustains at `path`'s width: independent FMA chains,
/// enough to fill every FMA pipe. `None` for the portable path (no explicit vectors) or one
/// this CPU lacks. On CPUs that split 512-bit operations in two (Zen 4) the AVX-512 figure
/// comes out about the AVX2 one.
pub fn peak_fmas_per_second(path: Path) -> Option<f64> {
    const STEPS: u64 = 20_000_000;
    if !path.supported() {
        return None;
    }
    let started = Instant::now();
    let fmas: Option<f64> = match path {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU has the path's features, checked above.
        Path::Avx512 => Some(unsafe { peak::avx512(STEPS) }),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx2 => Some(unsafe { peak::avx2(STEPS) }),
        #[cfg(target_arch = "aarch64")]
        // SAFETY: as above.
        Path::Neon => Some(unsafe { peak::neon(STEPS) }),
        _ => None,
    };
    Some(fmas? / started.elapsed().as_secs_f64())
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod peak {
    use super::super::lanes::Lanes;
    #[cfg(target_arch = "aarch64")]
    use super::super::lanes::Neon;
    #[cfg(target_arch = "x86_64")]
    use super::super::lanes::{Avx2, Avx512};

    /// `STEPS` rounds of `C` independent FMA chains; returns the multiply-adds done.
    #[inline(always)]
    unsafe fn chains<L: Lanes, const C: usize>(steps: u64) -> f64 {
        // SAFETY: callers run with L's features; `lanes` holds N ≤ 8 doubles.
        unsafe {
            let mut acc = [L::splat(0.0); C];
            let (a, b) = (L::splat(0.999_999), L::splat(1e-9));
            for _ in 0..steps {
                for v in &mut acc {
                    *v = L::fma(*v, a, b);
                }
            }
            let mut total = L::splat(0.0);
            for v in acc {
                total = L::add(total, v);
            }
            let mut lanes = [0.0; 8];
            L::store(lanes.as_mut_ptr(), total);
            std::hint::black_box(lanes);
        }
        (steps * C as u64 * L::N as u64) as f64
    }

    /// 12 chains fill two 4-cycle FMA pipes with 16 registers.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn avx2(steps: u64) -> f64 {
        // SAFETY: compiled with AVX2+FMA.
        unsafe { chains::<Avx2, 12>(steps) }
    }

    /// 24 chains: 32 registers, enough for two pipes of longer latency.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn avx512(steps: u64) -> f64 {
        // SAFETY: compiled with AVX-512F.
        unsafe { chains::<Avx512, 24>(steps) }
    }

    /// 24 chains of 32 registers: enough for four 4-cycle FMA pipes (Apple's big cores).
    #[cfg(target_arch = "aarch64")]
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn neon(steps: u64) -> f64 {
        // SAFETY: compiled with NEON.
        unsafe { chains::<Neon, 24>(steps) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for p in Path::ALL {
            assert_eq!(Path::parse(p.name()), Ok(p));
        }
        assert_eq!(Path::parse(" AVX2 "), Ok(Path::Avx2));
        let err = Path::parse("sse9").unwrap_err();
        assert!(
            err.to_string()
                .contains("expected avx512, avx2, neon or portable")
        );
    }

    #[test]
    fn overrides_are_scoped_and_restored() {
        let before = active();
        assert_eq!(with_path(Path::Portable, active), Ok(Path::Portable));
        assert_eq!(active(), before);
    }

    #[test]
    fn the_portable_path_is_always_there() {
        assert!(Path::Portable.supported());
        assert!(Path::supported_here().contains(&Path::widest()));
    }
}
