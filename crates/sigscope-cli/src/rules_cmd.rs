//! `sigscope rules ...` (operator rule files) and the rule options of `sigscope detect`.
//!
//! - `sigscope rules check FILE... [--policy P] [--var NAME=VALUE]`: parse and compile the
//!   files as `detect` would, without reading a capture: "N rules OK", or every error as
//!   `file:line:col: reason` and exit status 2.
//! - `sigscope rules list [--format table|json]`: every built-in signature with its id, name,
//!   severity, kind, MITRE ATT&CK and GSMA MoTIF techniques and one sentence.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use sigscope::rules::{Engine, Policy, RuleSet};

/// `sigscope rules ...`.
#[derive(Subcommand)]
pub enum RulesCmd {
    /// Validate rule files without running them: "N rules OK", or the errors (exit 2).
    Check(CheckArgs),
    /// List the built-in signatures: id, name, severity, kind, MITRE, MoTIF, one sentence.
    List(ListArgs),
}

/// `sigscope rules list`.
#[derive(Args)]
pub struct ListArgs {
    /// `table` for people, `json` one object per line.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    format: String,
}

fn list(a: &ListArgs) -> ExitCode {
    use sigscope::rules::signatures::{motif, ALL};
    let json = a.format == "json";
    if !json {
        println!(
            "{:>5}  {:<36} {:>3}  {:<9}  {:<22}  {:<24}  description",
            "id", "name", "sev", "kind", "mitre", "motif"
        );
    }
    for s in ALL {
        if json {
            let line = serde_json::json!({"id": s.id, "name": s.name, "severity": s.severity,
                "kind": s.kind, "category": s.category, "mitre": s.mitre,
                "motif": motif(s.id), "description": s.title});
            println!("{line}");
        } else {
            println!(
                "{:>5}  {:<36} {:>3}  {:<9}  {:<22}  {:<24}  {}",
                s.id,
                s.name,
                s.severity,
                s.kind,
                s.mitre.join(","),
                motif(s.id).join(","),
                s.title
            );
        }
    }
    ExitCode::SUCCESS
}

/// `sigscope rules check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Rule files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Policy whose `[vars]` (and `rules`) the files are checked with.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// A `$NAME` variable, `NAME=VALUE` (repeatable; overrides the policy's).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
}

/// Rule options of `sigscope detect`.
#[derive(Args, Clone, Default)]
pub struct RuleArgs {
    /// Operator rule file (Suricata-style; repeatable), besides the policy's `rules`.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// A `$NAME` variable of the rules, `NAME=VALUE` (repeatable; overrides the policy's).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
}

/// Run `sigscope rules ...`.
pub fn run(cmd: &RulesCmd) -> ExitCode {
    match cmd {
        RulesCmd::Check(a) => check(a),
        RulesCmd::List(a) => list(a),
    }
}

fn check(a: &CheckArgs) -> ExitCode {
    let policy = match &a.policy {
        Some(p) => match read_policy(p) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("sigscope: {e}");
                return ExitCode::from(2);
            }
        },
        None => Policy::default(),
    };
    let args = RuleArgs {
        rules: a.files.clone(),
        vars: a.vars.clone(),
    };
    match load(&policy, a.policy.as_deref(), &args) {
        Ok(Some(r)) => {
            println!("{} rules OK", r.len());
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("0 rules OK");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Read and parse a policy file; what it allows but probably does not mean is said on stderr.
pub fn read_policy(p: &Path) -> Result<Policy, String> {
    let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    let policy = Policy::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))?;
    for w in policy.warnings() {
        eprintln!("sigscope: warning: {}: {w}", p.display());
    }
    Ok(policy)
}

/// The rules of the policy (paths relative to `policy_path`) and of the command line, with
/// the policy's variables and the command line's; `None` when there are no rule files.
pub fn load(
    policy: &Policy,
    policy_path: Option<&Path>,
    args: &RuleArgs,
) -> Result<Option<RuleSet>, String> {
    let base = policy_path
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    // the policy's variables first: the command line's override them
    let mut b = RuleSet::builder().policy(policy, &base);
    for v in &args.vars {
        let (k, val) = v
            .split_once('=')
            .ok_or_else(|| format!("--var {v:?}: expected NAME=VALUE"))?;
        b = b.var(k.trim(), val.trim());
    }
    for f in &args.rules {
        b = b.file(f);
    }
    if !b.has_sources() {
        return Ok(None);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

/// The engine for `detect`: the policy's and the command line's rules loaded (all or none).
pub fn engine(
    policy: Policy,
    policy_path: Option<&Path>,
    args: &RuleArgs,
) -> Result<Engine, String> {
    Ok(match load(&policy, policy_path, args)? {
        Some(r) => Engine::with_rules(policy, r),
        None => Engine::new(policy),
    })
}

/// A signature name for the per-signature counts (built-in or user rule).
pub fn signature_name(engine: &Engine, id: u32) -> Option<String> {
    if let Some(s) = sigscope::rules::signatures::by_id(id) {
        return Some(s.name.to_string());
    }
    engine
        .rules()
        .and_then(|r| r.meta(id))
        .map(|m| m.name.clone())
}
