//! `sigscope synth`: write a synthetic capture of a named scenario (see `sigscope::synth`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use sigscope::synth;

/// `sigscope synth` arguments.
#[derive(Args)]
pub struct SynthArgs {
    /// List the scenarios (name and one sentence each) and exit.
    #[arg(long, conflicts_with_all = ["scenario", "output"])]
    pub list: bool,
    /// The scenario to write.
    #[arg(
        long,
        short = 's',
        value_name = "NAME",
        required_unless_present = "list"
    )]
    pub scenario: Option<String>,
    /// The pcap file to write.
    #[arg(
        long,
        short = 'o',
        value_name = "FILE.pcap",
        required_unless_present = "list"
    )]
    pub output: Option<PathBuf>,
    /// Seed of the scenario's random choices (same seed, same bytes).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the operator policy (TOML) the scenario is meant to be checked with.
    #[arg(long, value_name = "FILE.toml", requires = "scenario")]
    pub policy_out: Option<PathBuf>,
    /// Also write each frame's label (TSV: frame number, `attack` or `benign`), to measure
    /// what share of an attack's messages a detector reports.
    #[arg(long, value_name = "FILE.tsv", requires = "scenario")]
    pub labels_out: Option<PathBuf>,
}

/// Run `sigscope synth`.
pub fn run(a: &SynthArgs, quiet: bool) -> ExitCode {
    if a.list {
        let width = synth::SCENARIOS
            .iter()
            .map(|s| s.name.len())
            .max()
            .unwrap_or(0);
        for s in synth::SCENARIOS {
            println!("{:width$}  {}", s.name, s.description);
        }
        return ExitCode::SUCCESS;
    }
    let (Some(name), Some(out)) = (a.scenario.as_deref(), a.output.as_ref()) else {
        eprintln!("sigscope synth: give --scenario NAME -o FILE.pcap, or --list");
        return ExitCode::from(2);
    };
    let Some(s) = synth::find(name) else {
        eprintln!("sigscope synth: no scenario {name:?} (see `sigscope synth --list`)");
        return ExitCode::from(2);
    };
    let frames = match (s.generate)(a.seed) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("sigscope synth: {name}: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::write(out, synth::pcap(&frames)) {
        eprintln!("sigscope synth: cannot write {}: {e}", out.display());
        return ExitCode::from(2);
    }
    if let Some(p) = &a.policy_out {
        let text = if s.policy.is_empty() {
            "# the default policy\n"
        } else {
            s.policy
        };
        if let Err(e) = std::fs::write(p, text) {
            eprintln!("sigscope synth: cannot write {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    if let Some(p) = &a.labels_out {
        if let Err(e) = std::fs::write(p, synth::labels_tsv(&frames)) {
            eprintln!("sigscope synth: cannot write {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    if !quiet {
        eprintln!(
            "sigscope synth: wrote {} ({} frames, scenario {name}, seed {})",
            out.display(),
            frames.len(),
            a.seed
        );
    }
    ExitCode::SUCCESS
}
