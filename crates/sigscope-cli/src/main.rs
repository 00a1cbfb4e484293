//! `sigscope`: decode SS7/SIGTRAN and GTP signalling from captures.
//!
//! - `sigscope` (no arguments): decode the bundled demo capture as a table, then its alerts.
//! - `sigscope decode [INPUT...]`: one JSON line per signalling message (DESIGN.md record
//!   schema), or a table for people.
//! - `sigscope stats [INPUT...] [--format table|json]`: counts per layer, message type and
//!   anomaly code.
//! - `sigscope detect [INPUT...] [--policy policy.toml] [--min-severity N]`: EVE alerts (one
//!   JSON line each, Suricata's schema), and a count per signature on stderr.
//! - `sigscope detect ... --rules FILE [--var NAME=VALUE]`: with operator rules too.
//! - `sigscope rules check FILE...` / `sigscope rules list`: validate operator rule files;
//!   list the built-in signatures (see `rules_cmd`).
//! - `sigscope share` / `sigscope report`: threat-intel export and the HTML report.
//!
//! An INPUT is a pcap/pcapng file (gzip allowed), a directory (its capture files, recursively,
//! sorted by path) or `-` (stdin); the bundled demo capture when none is given.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sigscope::record::Options;
use sigscope::sigtran::Mtp3Variant;

mod commands;
mod inputs;
mod report_cmd;
mod rules_cmd;
mod run;
mod shard;
mod share_cmd;
mod synth_cmd;
mod ui;
mod worker;

pub use commands::{load_policy, open, run_one as run};

/// The exit codes, as `--help` shows them.
const EXIT_CODES: &str = "\
Exit status:
  0  success (whether or not alerts were raised, unless --fail-on-alert)
  1  an input or the output failed mid-way (a cut capture: every complete frame is still
     decoded and written, the others inputs too)
  2  usage error, or an input, policy or output file that cannot be read or created
  3  with --fail-on-alert: alerts were raised (1 and 2 take precedence)

Colour: --color auto (a terminal, NO_COLOR unset) | always | never.";

#[derive(Parser)]
#[command(
    name = "sigscope",
    version,
    about = "Inspect SS7/SIGTRAN and GTP signalling in captures",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    #[command(flatten)]
    global: GlobalArgs,
}

/// Options every command takes.
#[derive(Args, Clone, Copy)]
pub struct GlobalArgs {
    /// Colour the table and the messages: auto (terminal only, NO_COLOR honoured), always, never.
    #[arg(long, value_enum, default_value_t = ui::ColorChoice::Auto, global = true)]
    pub color: ui::ColorChoice,
    /// Quiet: no summary on stderr (errors are still reported).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Subcommand)]
enum Cmd {
    /// Decode captures: one record per signalling message.
    #[command(after_help = EXIT_CODES)]
    Decode(DecodeArgs),
    /// Count messages per layer and type, and anomalies per code.
    #[command(after_help = EXIT_CODES)]
    Stats(StatsArgs),
    /// Detect C2 and espionage traffic: EVE alerts (Suricata's schema), one JSON line each.
    #[command(after_help = EXIT_CODES)]
    Detect(DetectArgs),
    /// Share the alerts' attacker identities as a STIX 2.1 bundle or a MISP event.
    Share(share_cmd::ShareArgs),
    /// One self-contained HTML report: summary, alerts, ladder diagrams of flagged exchanges.
    Report(report_cmd::ReportArgs),
    /// Operator rule files (check) and the built-in signatures (list).
    #[command(subcommand)]
    Rules(rules_cmd::RulesCmd),
    /// Write a synthetic capture of a named scenario (benign traffic or an attack family).
    Synth(synth_cmd::SynthArgs),
}

/// Where the frames come from and how to decode them.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// pcap / pcapng files (gzip allowed), directories (their capture files, recursively,
    /// sorted) or `-` for stdin; the bundled demo capture when none. Frames are numbered per
    /// file.
    pub inputs: Vec<PathBuf>,
    /// MTP3 routing label format.
    #[arg(long, value_enum, default_value_t = Variant::Itu)]
    pub mtp3: Variant,
    /// Do not verify SCTP CRC32c checksums.
    #[arg(long)]
    pub no_checksum: bool,
}

#[derive(Args, Clone)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Output file (stdout when absent).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Worker threads: frames are dealt by flow, each worker with its own decoder and engine
    /// (SIGTRAN and GTP signalling on the first, G-PDUs and other UDP/TCP by peer pair);
    /// output stays in frame order.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=run::MAX_THREADS as i64))]
    pub threads: u16,
}

#[derive(Args, Clone)]
pub struct StatsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
    /// Output file (stdout when absent).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

#[derive(Args, Clone)]
pub struct DetectArgs {
    #[command(flatten)]
    pub decode: DecodeArgs,
    /// Operator policy (TOML: home network, interconnect, FS.11 categories, thresholds,
    /// signatures switched off). The bundled demo capture uses the demo policy when none is
    /// given.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Write only alerts of this severity or higher: 1 = only high, 2 = high and medium,
    /// 3 = all.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub min_severity: u8,
    /// Exit with status 3 when alerts were written.
    #[arg(long)]
    pub fail_on_alert: bool,
    #[command(flatten)]
    pub user: rules_cmd::RuleArgs,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Variant {
    Itu,
    Ansi,
    Chinese,
    Japan,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// One JSON object per line.
    Json,
    /// A table for people.
    Table,
    /// Decode to typed messages and write nothing (to measure decoding alone).
    None,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum StatsFormat {
    /// `name<TAB>count` lines.
    Table,
    /// One JSON object: `frames`, `records`, `counts`.
    Json,
}

/// Decoder options from the MTP3 variant and the checksum switch.
pub fn options(mtp3: Variant, no_checksum: bool) -> Options {
    let mtp3 = match mtp3 {
        Variant::Itu => Mtp3Variant::Itu,
        Variant::Ansi => Mtp3Variant::Ansi,
        Variant::Chinese => Mtp3Variant::Chinese,
        Variant::Japan => Mtp3Variant::Japan,
    };
    Options {
        mtp3,
        verify_sctp_checksum: !no_checksum,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let g = cli.global;
    match cli.cmd {
        Some(Cmd::Decode(a)) => commands::decode(&a, g),
        Some(Cmd::Stats(a)) => commands::stats(&a, g),
        Some(Cmd::Detect(a)) => commands::detect(&a, g),
        Some(Cmd::Share(a)) => share_cmd::share(&a, g.quiet),
        Some(Cmd::Report(a)) => report_cmd::report(&a, g.quiet),
        Some(Cmd::Rules(c)) => rules_cmd::run(&c),
        Some(Cmd::Synth(a)) => synth_cmd::run(&a, g.quiet),
        None => commands::demo(g),
    }
}
