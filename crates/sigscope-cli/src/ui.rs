//! What the binary says to people: messages and the summary on stderr (`-q` keeps the
//! summary back), colour (`--color auto|always|never`, `NO_COLOR` honoured; auto means a
//! terminal), and a progress bar on stderr for long inputs when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this (bytes, all inputs together) get no progress bar.
pub const PROGRESS_MIN_BYTES: u64 = 32 << 20;
/// The bar is brought up to date every this many frames.
pub const PROGRESS_EVERY_FRAMES: u64 = 4096;

/// `--color`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";

/// How the run talks.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    /// No summary on stderr.
    pub quiet: bool,
    /// Colour the table on the output.
    pub color_out: bool,
    /// Colour messages on stderr.
    pub color_err: bool,
    /// stderr is a terminal (the progress bar may show).
    pub err_tty: bool,
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether a stream is coloured: `always` / `never` as said; `auto` on a terminal unless
/// `NO_COLOR` is set to something.
fn colour(choice: ColorChoice, tty: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && !no_color,
    }
}

impl Ui {
    /// `out_is_terminal`: the output is stdout and stdout is a terminal.
    pub fn new(choice: ColorChoice, quiet: bool, out_is_terminal: bool) -> Ui {
        let err_tty = std::io::stderr().is_terminal();
        let no_color = no_color_env();
        Ui {
            quiet,
            color_out: colour(choice, out_is_terminal, no_color),
            color_err: colour(choice, err_tty, no_color),
            err_tty,
        }
    }

    /// An error message (always shown).
    pub fn error(&self, msg: &str) {
        if self.color_err {
            eprintln!("sigscope: {BOLD}{RED}error{RESET}: {msg}");
        } else {
            eprintln!("sigscope: error: {msg}");
        }
    }

    /// A summary line (kept back by `-q`).
    pub fn summary(&self, msg: &str) {
        if !self.quiet {
            if self.color_err {
                eprintln!("{DIM}sigscope:{RESET} {msg}");
            } else {
                eprintln!("sigscope: {msg}");
            }
        }
    }

    /// A detail line of the summary (kept back by `-q`).
    pub fn detail(&self, msg: &str) {
        if !self.quiet {
            eprintln!("  {msg}");
        }
    }

    /// `text` in bold on a coloured output.
    pub fn bold(&self, text: &str) -> String {
        if self.color_out {
            format!("{BOLD}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// `text` in the colour of a severity (1 red, 2 yellow, 3 cyan) on a coloured output.
    pub fn severity(&self, severity: u8, text: &str) -> String {
        let c = match severity {
            1 => RED,
            2 => YELLOW,
            _ => CYAN,
        };
        if self.color_out {
            format!("{c}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// A progress bar over `total` bytes, when it is worth one and stderr is a terminal.
    pub fn progress(&self, total: Option<u64>) -> Progress {
        let read = Arc::new(AtomicU64::new(0));
        let bar = match total {
            Some(t) if !self.quiet && self.err_tty && t >= PROGRESS_MIN_BYTES => {
                let b = ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr());
                if let Ok(s) = ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {wide_msg}",
                ) {
                    b.set_style(s);
                }
                Some(b)
            }
            _ => None,
        };
        Progress { read, bar }
    }
}

/// Bytes read so far, and the bar that shows them.
pub struct Progress {
    /// Bytes read from the inputs (the inputs' readers add to it).
    pub read: Arc<AtomicU64>,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Bring the bar up to date (call every `PROGRESS_EVERY_FRAMES` frames).
    pub fn tick(&self, input: &str) {
        if let Some(b) = &self.bar {
            b.set_position(self.read.load(Ordering::Relaxed));
            if b.message() != input {
                b.set_message(input.to_string());
            }
        }
    }

    /// Run `f` (which writes to stderr) with the bar taken off the terminal meanwhile.
    pub fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Take the bar off the terminal.
    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_auto_needs_a_terminal_and_no_no_color() {
        assert!(colour(ColorChoice::Auto, true, false));
        assert!(!colour(ColorChoice::Auto, true, true));
        assert!(!colour(ColorChoice::Auto, false, false));
        assert!(colour(ColorChoice::Always, false, true));
        assert!(!colour(ColorChoice::Never, true, false));
    }

    #[test]
    fn no_bar_for_short_inputs_or_without_a_terminal() {
        let ui = Ui {
            quiet: false,
            color_out: false,
            color_err: false,
            err_tty: true,
        };
        assert!(ui.progress(Some(PROGRESS_MIN_BYTES)).bar.is_some());
        assert!(ui.progress(Some(PROGRESS_MIN_BYTES - 1)).bar.is_none());
        assert!(ui.progress(None).bar.is_none());
        let quiet = Ui { quiet: true, ..ui };
        assert!(quiet.progress(Some(PROGRESS_MIN_BYTES)).bar.is_none());
        let piped = Ui {
            err_tty: false,
            ..ui
        };
        assert!(piped.progress(Some(PROGRESS_MIN_BYTES)).bar.is_none());
    }
}
