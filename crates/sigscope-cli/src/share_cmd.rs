//! `sigscope share`: decode + detect over a capture, then the alerts as a STIX 2.1 bundle or
//! a MISP event; and the decode + detect walk that `share` and `report` both use.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use sigscope::capture::CaptureError;
use sigscope::decode::Message;
use sigscope::rules::{Alert, Engine, Policy};
use sigscope::share::hash::{IdentityHasher, MAX_SALT_LEN};
use sigscope::share::{misp, stix, Collector, ShareOptions, Tlp};

use crate::{load_policy, open, options, run, Variant};

/// Where a capture comes from and how to decode and judge it (shared by share and report).
#[derive(Args, Clone)]
pub struct CaptureArgs {
    /// pcap / pcapng file (gzip allowed); `-` for stdin; the bundled demo capture when absent.
    pub file: Option<PathBuf>,
    /// Operator policy (TOML); the demo policy for the bundled demo capture.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// MTP3 routing label format.
    #[arg(long, value_enum, default_value_t = Variant::Itu)]
    pub mtp3: Variant,
    /// Do not verify SCTP CRC32c checksums.
    #[arg(long)]
    pub no_checksum: bool,
}

impl CaptureArgs {
    /// The input's name in messages: the path as given, `-`, or `demo`.
    pub fn input_name(&self) -> String {
        self.file
            .as_ref()
            .map_or("demo".into(), |p| p.display().to_string())
    }
}

/// The output's name in messages: the file of `-o`, or `output` (stdout).
pub fn output_name(output: &Option<PathBuf>) -> String {
    output
        .as_ref()
        .map_or("output".into(), |p| p.display().to_string())
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ShareFormat {
    /// STIX 2.1 bundle.
    Stix,
    /// MISP event JSON.
    Misp,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TlpArg {
    Clear,
    Green,
    Amber,
    Red,
}

#[derive(Args, Clone)]
pub struct ShareArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ShareFormat,
    /// File holding the salt shared by the operators who correlate (at least 16 bytes).
    /// Without it, subscriber identities (IMSI, MSISDN, IMEI) are left out entirely.
    #[arg(long)]
    pub salt_file: Option<PathBuf>,
    /// The reporting operator's name (STIX identity, MISP organisation).
    #[arg(long, default_value = "sigscope operator")]
    pub operator: String,
    /// TLP marking.
    #[arg(long, value_enum, default_value_t = TlpArg::Amber)]
    pub tlp: TlpArg,
    /// Output file (stdout when absent).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// Decode and detect over the capture, handing each message with its alerts to `each`.
/// Returns the frames read and the capture error that ended the input early, if any.
pub fn detect_each(
    a: &CaptureArgs,
    each: &mut dyn FnMut(&Message<'_>, &[Alert]),
) -> Result<(u64, Option<CaptureError>), String> {
    let policy = load_policy(&a.policy, a.file.is_none())?;
    let mut reader = open(&a.file).map_err(|e| format!("{}: {e}", a.input_name()))?;
    let mut engine = Engine::new(policy);
    let mut alerts: Vec<Alert> = Vec::new();
    let res = run(&mut reader, options(a.mtp3, a.no_checksum), &mut |m| {
        alerts.clear();
        engine.observe(m, &mut |al| alerts.push(al));
        each(m, &alerts);
        Ok(())
    });
    match res {
        Ok(e) => Ok((reader.frames(), e)),
        Err(e) => Err(format!("{}: {e}", a.input_name())),
    }
}

/// The policy the capture is judged with (for the parts of the policy sharing needs).
pub fn policy_of(a: &CaptureArgs) -> Result<Policy, String> {
    load_policy(&a.policy, a.file.is_none())
}

/// Write `bytes` to the file, or to stdout without one.
pub fn write_out(output: &Option<PathBuf>, bytes: &[u8]) -> io::Result<()> {
    match output {
        Some(p) => std::fs::write(p, bytes),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()
        }
    }
}

fn hasher(a: &ShareArgs) -> Result<IdentityHasher, String> {
    let Some(p) = &a.salt_file else {
        return Ok(IdentityHasher::withheld());
    };
    let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
    if meta.len() > MAX_SALT_LEN as u64 + 64 {
        return Err(format!("{}: salt file too large", p.display()));
    }
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    IdentityHasher::from_salt(&bytes).map_err(|e| format!("{}: {e}", p.display()))
}

/// `quiet`: no summary on stderr (`-q`).
pub fn share(a: &ShareArgs, quiet: bool) -> ExitCode {
    let prepared = hasher(a).and_then(|h| policy_of(&a.capture).map(|p| (h, p)));
    let (hasher, policy) = match prepared {
        Ok(x) => x,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(2);
        }
    };
    if !hasher.is_salted() {
        eprintln!("sigscope: no --salt-file: subscriber identities are left out");
    }
    let mut collector = Collector::new(&policy, hasher);
    let walked = detect_each(&a.capture, &mut |m, alerts| {
        // findings only: a tagged member of a flagged flow may be the victim's answer, whose
        // ends are no indicator
        for al in alerts.iter().filter(|al| !al.tagged) {
            collector.observe(al, m);
        }
    });
    let capture_err = match walked {
        Ok((_, e)) => e,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(2);
        }
    };
    let opts = ShareOptions {
        operator: a.operator.clone(),
        tlp: match a.tlp {
            TlpArg::Clear => Tlp::Clear,
            TlpArg::Green => Tlp::Green,
            TlpArg::Amber => Tlp::Amber,
            TlpArg::Red => Tlp::Red,
        },
    };
    let doc = match a.format {
        ShareFormat::Stix => stix::bundle(&collector, &opts),
        ShareFormat::Misp => misp::event(&collector, &opts),
    };
    let mut bytes = match serde_json::to_vec_pretty(&doc) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(1);
        }
    };
    bytes.push(b'\n');
    if let Err(e) = write_out(&a.output, &bytes) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("sigscope: {}: {e}", output_name(&a.output));
            return ExitCode::from(1);
        }
    }
    if !quiet {
        eprintln!(
            "sigscope: {} alerts, {} network identities, {} subscriber labels shared",
            collector.alerts,
            collector.indicators.len(),
            collector.subscribers.len()
        );
    }
    match capture_err {
        Some(e) => {
            eprintln!("sigscope: {}: {e}", a.capture.input_name());
            ExitCode::from(1)
        }
        None => ExitCode::SUCCESS,
    }
}
