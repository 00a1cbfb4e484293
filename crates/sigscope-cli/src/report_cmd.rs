//! `sigscope report`: decode + detect over a capture, then one self-contained HTML page
//! (summary, alerts, ladder diagrams of the flagged exchanges).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use sigscope::report::Report;

use crate::share_cmd::{detect_each, output_name, write_out, CaptureArgs};

#[derive(Args, Clone)]
pub struct ReportArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// Output HTML file (stdout when absent).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// `quiet`: no summary on stderr (`-q`).
pub fn report(a: &ReportArgs, quiet: bool) -> ExitCode {
    let mut report = Report::new();
    // the report's ladders show every message of a flagged exchange already: the tagged
    // members of flagged flows are not listed again as alerts
    let mut findings = Vec::new();
    let walked = detect_each(&a.capture, &mut |m, alerts| {
        findings.clear();
        findings.extend(alerts.iter().filter(|a| !a.tagged).cloned());
        report.observe(m, &findings)
    });
    let (frames, capture_err) = match walked {
        Ok(x) => x,
        Err(e) => {
            eprintln!("sigscope: {e}");
            return ExitCode::from(2);
        }
    };
    report.frames = frames;
    let title = a
        .capture
        .file
        .as_ref()
        .map_or("bundled demo capture".to_string(), |p| {
            p.display().to_string()
        });
    if let Err(e) = write_out(&a.output, report.to_html(&title).as_bytes()) {
        eprintln!("sigscope: {}: {e}", output_name(&a.output));
        return ExitCode::from(1);
    }
    if !quiet {
        eprintln!(
            "sigscope: {frames} frames, {} messages, {} alerts, {} flagged exchanges",
            report.messages,
            report.alert_count,
            report.flagged.len()
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
