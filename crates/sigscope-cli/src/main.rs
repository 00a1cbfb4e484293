//! `sigscope`: decode SS7/SIGTRAN and GTP signalling from captures.
//!
//! - `sigscope` (no arguments): decode the bundled demo capture as a table.
//! - `sigscope decode [FILE|-] [--mtp3 itu|ansi|chinese|japan] [--format json|table]`: one JSON
//!   line per signalling message (DESIGN.md record schema), or a table for people.
//! - `sigscope stats [FILE|-]`: counts per layer, message type and anomaly code.
//! - `sigscope detect [FILE|-] [--policy policy.toml] [--format json|table]`: EVE-style alerts
//!   (one JSON line each), and a count per signature on stderr.
//! - `sigscope share [FILE|-] --format stix|misp [--salt-file F] [-o OUT]`: the alerts'
//!   attacker identities for threat-intel sharing.
//! - `sigscope report [FILE|-] -o report.html`: one self-contained HTML report.
//! - `sigscope detect ... --rules FILE [--var NAME=VALUE]`: with operator rules too.
//! - `sigscope rules check FILE...`: validate operator rule files (see `rules_cmd`).
#![forbid(unsafe_code)]

mod rules_cmd;

use std::cell::RefCell;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sigscope::capture::{CaptureError, Reader};
use sigscope::decode::Message;
use sigscope::record::{table, write_record, Decoder, Options};
use sigscope::rules::Policy;
use sigscope::sigtran::Mtp3Variant;

mod report_cmd;
mod share_cmd;

/// The demo capture bundled into the binary (made by `cargo run --example make_demo`).
const DEMO: &[u8] = include_bytes!("../../../testdata/demo.pcap");

#[derive(Parser)]
#[command(
    name = "sigscope",
    version,
    about = "Inspect SS7/SIGTRAN and GTP signalling in captures"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Decode a capture: one record per signalling message.
    Decode(DecodeArgs),
    /// Count messages per layer and type, and anomalies per code.
    Stats(DecodeArgs),
    /// Detect C2 and espionage traffic: EVE-style alerts, one JSON line each.
    Detect(DetectArgs),
    /// Share the alerts' attacker identities as a STIX 2.1 bundle or a MISP event.
    Share(share_cmd::ShareArgs),
    /// One self-contained HTML report: summary, alerts, ladder diagrams of flagged exchanges.
    Report(report_cmd::ReportArgs),
    /// Operator rule files.
    #[command(subcommand)]
    Rules(rules_cmd::RulesCmd),
}

#[derive(Args, Clone)]
struct DetectArgs {
    #[command(flatten)]
    decode: DecodeArgs,
    /// Operator policy (TOML: home network, interconnect, FS.11 categories, thresholds).
    /// The bundled demo capture uses the demo policy when none is given.
    #[arg(long)]
    policy: Option<PathBuf>,
    #[command(flatten)]
    user: rules_cmd::RuleArgs,
}

/// The policy that goes with the demo capture (home network GB 234-15, GTs 4477009...).
const DEMO_POLICY: &str = include_str!("../../../testdata/demo-policy.toml");

#[derive(Args, Clone)]
struct DecodeArgs {
    /// pcap / pcapng file (gzip allowed); `-` for stdin; the bundled demo capture when absent.
    file: Option<PathBuf>,
    /// MTP3 routing label format.
    #[arg(long, value_enum, default_value_t = Variant::Itu)]
    mtp3: Variant,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Do not verify SCTP CRC32c checksums.
    #[arg(long)]
    no_checksum: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Variant {
    Itu,
    Ansi,
    Chinese,
    Japan,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// One JSON object per line.
    Json,
    /// A table for people.
    Table,
    /// Decode to typed messages and write nothing (to measure decoding alone).
    None,
}

fn open(file: &Option<PathBuf>) -> Result<Reader, CaptureError> {
    match file {
        Some(p) => Reader::open(p),
        None => Reader::new(Box::new(io::Cursor::new(DEMO))),
    }
}

fn options(a: &DecodeArgs) -> Options {
    let mtp3 = match a.mtp3 {
        Variant::Itu => Mtp3Variant::Itu,
        Variant::Ansi => Mtp3Variant::Ansi,
        Variant::Chinese => Mtp3Variant::Chinese,
        Variant::Japan => Mtp3Variant::Japan,
    };
    Options {
        mtp3,
        verify_sctp_checksum: !a.no_checksum,
    }
}

/// Run the decoder over a reader, handing each message to `sink`. Returns the error that
/// ended the capture early, if any.
fn run(
    reader: &mut Reader,
    opts: Options,
    sink: &mut dyn FnMut(&Message<'_>) -> io::Result<()>,
) -> Result<Option<CaptureError>, io::Error> {
    let mut dec = Decoder::new(opts);
    // the first output error stops the run (a closed pipe must not keep us reading)
    let io_err: RefCell<Option<io::Error>> = RefCell::new(None);
    let mut emit = |r: &Message<'_>| {
        if io_err.borrow().is_none() {
            if let Err(e) = sink(r) {
                *io_err.borrow_mut() = Some(e);
            }
        }
    };
    let capture_err = loop {
        match reader.next_packet() {
            Ok(Some(pkt)) => dec.packet(&pkt, &mut emit),
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
        if io_err.borrow().is_some() {
            break None;
        }
    };
    // what reassembly still holds is reported whether the input ended or was cut
    dec.finish(&mut emit);
    match io_err.into_inner() {
        Some(e) => Err(e),
        None => Ok(capture_err),
    }
}

fn decode(a: &DecodeArgs) -> ExitCode {
    let mut reader = match open(&a.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "sigscope: {}: {e}",
                a.file
                    .as_ref()
                    .map_or("demo".into(), |p| p.display().to_string())
            );
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let format = a.format;
    if format == Format::Table {
        let _ = writeln!(out, "{}", table::header());
    }
    // records are written into one buffer and handed to the output in large pieces
    let mut buf: Vec<u8> = Vec::with_capacity(OUTPUT_CHUNK + 8192);
    let res = run(&mut reader, options(a), &mut |m| match format {
        Format::Json => {
            write_record(&mut buf, m);
            buf.push(b'\n');
            if buf.len() >= OUTPUT_CHUNK {
                let r = out.write_all(&buf);
                buf.clear();
                r
            } else {
                Ok(())
            }
        }
        Format::Table => writeln!(out, "{}", table::row(m)),
        Format::None => {
            std::hint::black_box(m);
            Ok(())
        }
    });
    let res = match res {
        Ok(r) => out.write_all(&buf).map(|()| r),
        e => e,
    };
    let _ = out.flush();
    finish(res, reader.frames())
}

/// Decode records are handed to the output in pieces of about this many bytes.
const OUTPUT_CHUNK: usize = 1 << 16;

fn finish(res: Result<Option<CaptureError>, io::Error>, frames: u64) -> ExitCode {
    match res {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(e)) => {
            eprintln!("sigscope: {e} ({frames} frames decoded)");
            ExitCode::from(1)
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sigscope: output: {e}");
            ExitCode::from(1)
        }
    }
}

fn stats(a: &DecodeArgs) -> ExitCode {
    let mut reader = match open(&a.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(2);
        }
    };
    let mut st = sigscope::stats::Stats::new();
    let res = run(&mut reader, options(a), &mut |m| {
        st.add(m);
        Ok(())
    });
    println!("frames\t{}", reader.frames());
    println!("records\t{}", st.records);
    for (k, v) in &st.lines() {
        println!("{k}\t{v}");
    }
    finish(res, reader.frames())
}

fn load_policy(a: &DetectArgs) -> Result<Policy, String> {
    match (&a.policy, &a.decode.file) {
        (Some(p), _) => rules_cmd::read_policy(p),
        (None, None) => Policy::from_toml(DEMO_POLICY).map_err(|e| format!("demo policy: {e}")),
        (None, Some(_)) => Ok(Policy::default()),
    }
}

fn detect(a: &DetectArgs) -> ExitCode {
    let policy = match load_policy(a) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(2);
        }
    };
    let mut reader = match open(&a.decode.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(2);
        }
    };
    let mut engine = match rules_cmd::engine(policy, a.policy.as_deref(), &a.user) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let format = a.decode.format;
    if format == Format::Table {
        let _ = writeln!(out, "{}", alert_header());
    }
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let res = run(&mut reader, options(&a.decode), &mut |m| {
        let mut res = Ok(());
        engine.observe(m, &mut |alert| {
            if res.is_ok() {
                res = match format {
                    Format::Json => {
                        buf.clear();
                        sigscope::eve::write_alert(&mut buf, &alert, Some(m));
                        buf.push(b'\n');
                        out.write_all(&buf)
                    }
                    Format::Table => writeln!(out, "{}", alert_row(&alert)),
                    Format::None => Ok(()),
                };
            }
        });
        res
    });
    let _ = out.flush();
    let st = engine.stats();
    eprintln!(
        "sigscope: {} records, {} alerts ({} held back by the rate limit), {} more messages of flagged flows",
        st.records, st.alerts, st.suppressed, st.tagged
    );
    for (id, n) in &st.per_signature {
        if let Some(name) = rules_cmd::signature_name(&engine, *id) {
            eprintln!("  {id} {name:<34} {n}");
        }
    }
    finish(res, reader.frames())
}

fn alert_header() -> String {
    format!(
        "{:>6}  {:>4}  {:<3}  {:<34}  {}",
        "frame", "sid", "sev", "signature", "evidence"
    )
}

fn alert_row(a: &sigscope::rules::Alert) -> String {
    if a.tagged {
        // a member of the flow of the alert above it
        return format!(
            "{:>6}  {:>4}  {:<3}  {:<34}  flow {} of the alert at frame {}",
            a.frame,
            a.sig.id(),
            "",
            "  ↳ same flow",
            a.flow_id,
            a.evidence
                .get("alert_frame")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0)
        );
    }
    let mut ev = a.evidence.to_string();
    if ev.len() > 110 {
        let cut = (0..=110)
            .rev()
            .find(|i| ev.is_char_boundary(*i))
            .unwrap_or(0);
        ev.truncate(cut);
        ev.push('…');
    }
    format!(
        "{:>6}  {:>4}  {:<3}  {:<34}  {ev}",
        a.frame,
        a.sig.id(),
        a.sig.severity(),
        a.sig.name()
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Some(Cmd::Decode(a)) => decode(&a),
        Some(Cmd::Stats(a)) => stats(&a),
        Some(Cmd::Detect(a)) => detect(&a),
        Some(Cmd::Share(a)) => share_cmd::share(&a),
        Some(Cmd::Report(a)) => report_cmd::report(&a),
        Some(Cmd::Rules(c)) => rules_cmd::run(&c),
        None => {
            let demo = DecodeArgs {
                file: None,
                mtp3: Variant::Itu,
                format: Format::Table,
                no_checksum: false,
            };
            let code = decode(&demo);
            if code != ExitCode::SUCCESS {
                return code;
            }
            println!();
            detect(&DetectArgs {
                decode: demo,
                policy: None,
                user: Default::default(),
            })
        }
    }
}
