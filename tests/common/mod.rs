//! Shared helpers for the capture tests: where the captures are, MANIFEST.tsv and
//! DECODE_OPTIONS.tsv, and running tshark. Tests skip cleanly when either is missing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sigscope::record::Options;
use sigscope::sigtran::Mtp3Variant;

/// The captures folder: `$SIGSCOPE_CAPTURES`, else `../shared/captures` beside the workspace.
pub fn captures_dir() -> Option<PathBuf> {
    let p = match std::env::var_os("SIGSCOPE_CAPTURES") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures"),
    };
    if p.join("MANIFEST.tsv").is_file() {
        Some(p)
    } else {
        eprintln!(
            "skipping: no captures at {} (set SIGSCOPE_CAPTURES)",
            p.display()
        );
        None
    }
}

/// Whether tshark runs here.
pub fn tshark_available() -> bool {
    let ok = Command::new("tshark")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("skipping: tshark is not installed");
    }
    ok
}

/// One MANIFEST.tsv row.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative path.
    pub path: String,
    /// `proto=count;...`
    pub protocols: String,
    /// Notes.
    pub notes: String,
}

/// MANIFEST.tsv rows.
pub fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some(Entry {
                path: f.first()?.to_string(),
                protocols: f.get(7).unwrap_or(&"").to_string(),
                notes: f.get(8).unwrap_or(&"").to_string(),
            })
        })
        .collect()
}

/// Whether an entry's protocol counts name `proto` (exactly, before '=').
pub fn carries(e: &Entry, proto: &str) -> bool {
    e.protocols
        .split(';')
        .any(|p| p.split('=').next() == Some(proto))
        || e.notes.contains(&format!("{proto}="))
}

/// tshark options and sigscope options for a capture (DECODE_OPTIONS.tsv).
pub fn decode_options(dir: &Path, rel: &str) -> (Vec<String>, Options) {
    let text = std::fs::read_to_string(dir.join("DECODE_OPTIONS.tsv")).unwrap_or_default();
    let mut opts = Options::default();
    let mut targs = Vec::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.first() != Some(&rel) {
            continue;
        }
        targs = f.get(1).map(|s| split_tshark_opts(s)).unwrap_or_default();
        let so = f.get(2).copied().unwrap_or("");
        let words: Vec<&str> = so.split_whitespace().collect();
        for w in words.windows(2) {
            if w[0] == "--mtp3" {
                if let Some(v) = Mtp3Variant::from_name(w[1]) {
                    opts.mtp3 = v;
                }
            }
        }
    }
    (targs, opts)
}

/// `-o mtp3.standard:Chinese ITU` → ["-o", "mtp3.standard:Chinese ITU"] (values may hold spaces).
fn split_tshark_opts(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split("-o ").map(str::trim).filter(|p| !p.is_empty()) {
        out.push("-o".to_string());
        out.push(part.to_string());
    }
    out
}

/// Run tshark with `fields` (each occurrence kept, comma-aggregated); returns per frame the
/// list of field values (one String per field, possibly "a,b" for several occurrences).
pub fn tshark_fields(
    file: &Path,
    extra: &[String],
    filter: &str,
    fields: &[&str],
) -> BTreeMap<u64, Vec<String>> {
    tshark_fields_aggregated(file, extra, filter, fields, ',')
}

/// [`tshark_fields`] with another aggregator between occurrences (for text fields that may
/// hold commas).
pub fn tshark_fields_aggregated(
    file: &Path,
    extra: &[String],
    filter: &str,
    fields: &[&str],
    aggregator: char,
) -> BTreeMap<u64, Vec<String>> {
    let agg = format!("aggregator={aggregator}");
    let mut cmd = Command::new("tshark");
    cmd.arg("-n").arg("-r").arg(file).args(extra);
    if !filter.is_empty() {
        cmd.arg("-Y").arg(filter);
    }
    cmd.args([
        "-T",
        "fields",
        "-E",
        "separator=\t",
        "-E",
        "occurrence=a",
        "-E",
        agg.as_str(),
        "-e",
        "frame.number",
    ]);
    for f in fields {
        cmd.arg("-e").arg(f);
    }
    let out = cmd.output().expect("tshark runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut m = BTreeMap::new();
    for line in text.lines() {
        let mut it = line.split('\t');
        let Some(Ok(frame)) = it.next().map(str::parse::<u64>) else {
            continue;
        };
        m.insert(frame, it.map(str::to_string).collect());
    }
    m
}

/// Split a comma-aggregated tshark value into its occurrences ("" → none).
pub fn occurrences(v: &str) -> Vec<String> {
    if v.is_empty() {
        Vec::new()
    } else {
        v.split(',').map(str::to_string).collect()
    }
}
