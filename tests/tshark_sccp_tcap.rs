//! SCCP / TCAP decode records against tshark, message for message, for every capture of
//! `MANIFEST.tsv` that carries SCCP or TCAP (with the per-file options of
//! `DECODE_OPTIONS.tsv` on both sides).
//!
//! Compared per frame (as ordered lists, one entry per SCCP message in the frame):
//! `sccp.message_type`, `sccp.called/calling.digits` and `.ssn`, `tcap.otid`, `tcap.dtid`,
//! `tcap.application_context_name`, and the component operation codes (`gsm_old.localValue`
//! for MAP, `camel.local` for CAP).
//!
//! Documented exceptions (counted and printed, not failures):
//! - tshark dissects TCAP only for SSNs registered to TCAP; sigscope recognises TCAP by its
//!   structure. A frame where sigscope has TCAP and tshark has none is "extra", not a mismatch.
//! - A frame whose SCCP message never reached the SCCP decoder because a lower layer (MTP2,
//!   MTP3, M3UA, SCTP, ...) failed on it is counted under "lower" and listed, not compared.
//! - Operation codes are compared only where tshark decoded the MAP/CAP layer (ANSI MAP and
//!   unregistered SSNs carry no `gsm_old.localValue`/`camel.local`).
//!
//! Skips cleanly when the captures or tshark are absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use sigscope::core::AnomalyCode;
use sigscope::record::{decode_path, Options};
use sigscope::sigtran::Mtp3Variant;

fn captures_dir() -> Option<PathBuf> {
    let p = std::env::var_os("SIGSCOPE_CAPTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures"));
    p.join("MANIFEST.tsv").exists().then_some(p)
}

fn have_tshark() -> bool {
    Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

const FIELDS: &[&str] = &[
    "frame.number",
    "sccp.message_type",
    "sccp.called.digits",
    "sccp.calling.digits",
    "sccp.called.ssn",
    "sccp.calling.ssn",
    "tcap.otid",
    "tcap.dtid",
    "tcap.application_context_name",
    "gsm_old.localValue",
    "camel.local",
];

/// Per-frame lists of values, keyed by field name.
type Frame = BTreeMap<&'static str, Vec<String>>;

fn tshark_frames(file: &Path, opts: &[String]) -> BTreeMap<u64, Frame> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r").arg(file).arg("-n");
    for o in opts {
        cmd.arg(o);
    }
    cmd.args([
        "-Y",
        "sccp",
        "-T",
        "fields",
        "-E",
        "separator=\t",
        "-E",
        "aggregator=|",
        "-E",
        "occurrence=a",
    ]);
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("tshark runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut frames = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(n) = cols.first().and_then(|c| c.parse::<u64>().ok()) else {
            continue;
        };
        let mut fr = Frame::new();
        for (i, f) in FIELDS.iter().enumerate().skip(1) {
            let v = cols.get(i).copied().unwrap_or("");
            let list: Vec<String> = v
                .split('|')
                .filter(|s| !s.is_empty())
                .map(|s| normalise(f, s))
                .collect();
            fr.insert(f, list);
        }
        frames.insert(n, fr);
    }
    frames
}

fn normalise(field: &str, v: &str) -> String {
    match field {
        "sccp.message_type" => u64::from_str_radix(v.trim_start_matches("0x"), 16)
            .map_or(v.to_string(), |n| n.to_string()),
        "tcap.otid" | "tcap.dtid" => v.replace(':', "").to_lowercase(),
        _ => v.to_string(),
    }
}

/// Frames where a layer below SCCP (MTP2, MTP3, M2PA, M3UA, SCTP, ...) reported that it cut or
/// lost the payload (`truncated`): the SCCP decoder never saw the whole message.
fn lower_layer_failures(records: &[Value]) -> BTreeMap<u64, String> {
    const LOWER: &[&str] = &[
        "mtp2", "mtp3", "m2pa", "m2ua", "m3ua", "sctp", "ip", "link", "capture",
    ];
    let mut out = BTreeMap::new();
    for r in records {
        let Some(n) = r.get("frame").and_then(Value::as_u64) else {
            continue;
        };
        let Some(list) = r.get("anomalies").and_then(Value::as_array) else {
            continue;
        };
        let hit = list.iter().find(|a| {
            let layer = a.get("layer").and_then(Value::as_str).unwrap_or("");
            let code = a.get("code").and_then(Value::as_str).unwrap_or("");
            LOWER.contains(&layer) && (code == AnomalyCode::Truncated.as_str())
        });
        if let Some(a) = hit {
            let layer = a.get("layer").and_then(Value::as_str).unwrap_or("");
            let code = a.get("code").and_then(Value::as_str).unwrap_or("");
            out.insert(n, format!("{layer}:{code}"));
        }
    }
    out
}

fn ours(records: &[Value]) -> BTreeMap<u64, Frame> {
    let mut frames: BTreeMap<u64, Frame> = BTreeMap::new();
    for r in records {
        let Some(n) = r.get("frame").and_then(Value::as_u64) else {
            continue;
        };
        let Some(s) = r.get("sccp") else { continue };
        let fr = frames.entry(n).or_default();
        let mut push = |k: &'static str, v: Option<String>| {
            let e = fr.entry(k).or_default();
            if let Some(v) = v {
                e.push(v);
            }
        };
        push(
            "sccp.message_type",
            s.get("type_code").map(|v| v.to_string()),
        );
        for (side, key) in [("called", "sccp.called"), ("calling", "sccp.calling")] {
            let a = s.get(side);
            let digits = a
                .and_then(|a| a.get("gt"))
                .and_then(|g| g.get("digits"))
                .and_then(Value::as_str);
            let ssn = a.and_then(|a| a.get("ssn")).and_then(Value::as_u64);
            push(
                if key == "sccp.called" {
                    "sccp.called.digits"
                } else {
                    "sccp.calling.digits"
                },
                digits.filter(|d| !d.is_empty()).map(String::from),
            );
            push(
                if key == "sccp.called" {
                    "sccp.called.ssn"
                } else {
                    "sccp.calling.ssn"
                },
                ssn.map(|v| v.to_string()),
            );
        }
        let t = r.get("tcap").filter(|t| t.get("variant").is_none());
        push(
            "tcap.otid",
            t.and_then(|t| t.get("otid"))
                .and_then(Value::as_str)
                .map(String::from),
        );
        push(
            "tcap.dtid",
            t.and_then(|t| t.get("dtid"))
                .and_then(Value::as_str)
                .map(String::from),
        );
        push(
            "tcap.application_context_name",
            t.and_then(|t| t.get("acn"))
                .and_then(Value::as_str)
                .map(String::from),
        );
        let ops: Vec<String> = t
            .and_then(|t| t.get("components"))
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .filter_map(|c| c.get("opcode").and_then(Value::as_i64))
                    .map(|v| v.to_string())
                    .collect()
            })
            .unwrap_or_default();
        fr.entry("opcodes").or_default().extend(ops);
    }
    frames
}

#[derive(Default)]
struct Tally {
    messages: usize,
    compared: usize,
    agree: usize,
    tcap_extra: usize,
    lower: usize,
    lower_notes: Vec<String>,
    mismatches: Vec<String>,
}

#[test]
fn sccp_tcap_agree_with_tshark() {
    let Some(dir) = captures_dir() else {
        eprintln!("note: captures not found (set SIGSCOPE_CAPTURES); skipping");
        return;
    };
    if !have_tshark() {
        eprintln!("note: tshark not on PATH; skipping");
        return;
    }
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    let options = std::fs::read_to_string(dir.join("DECODE_OPTIONS.tsv")).unwrap_or_default();
    let mut opt_map: BTreeMap<String, (Vec<String>, String)> = BTreeMap::new();
    for l in options.lines().skip(1) {
        let c: Vec<&str> = l.split('\t').collect();
        if let [f, t, s, ..] = c.as_slice() {
            let topts: Vec<String> = t
                .split(" -o ")
                .map(|x| x.trim().trim_start_matches("-o ").to_string())
                .filter(|x| !x.is_empty())
                .flat_map(|x| ["-o".to_string(), x])
                .collect();
            opt_map.insert(f.to_string(), (topts, s.to_string()));
        } else if let [f, t] = c.as_slice() {
            let topts: Vec<String> = t
                .split(" -o ")
                .map(|x| x.trim().trim_start_matches("-o ").to_string())
                .filter(|x| !x.is_empty())
                .flat_map(|x| ["-o".to_string(), x])
                .collect();
            opt_map.insert(f.to_string(), (topts, String::new()));
        }
    }
    let mut total = Tally::default();
    println!(
        "{:<70} {:>5} {:>8} {:>6} {:>6} {:>6}",
        "file", "msgs", "compared", "agree", "extra", "lower"
    );
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(counts)) = (cols.first(), cols.get(7)) else {
            continue;
        };
        if !(counts.contains("sccp=") || counts.contains("tcap=")) {
            continue;
        }
        let file = dir.join(path);
        if !file.exists() {
            continue;
        }
        let (topts, sopts) = opt_map.get(*path).cloned().unwrap_or_default();
        // Default options: SCTP checksums are verified (a bad one is an anomaly, never a drop).
        let opts = Options {
            mtp3: match sopts.trim() {
                "--mtp3 ansi" => Mtp3Variant::Ansi,
                "--mtp3 chinese" => Mtp3Variant::Chinese,
                "--mtp3 japan" => Mtp3Variant::Japan,
                _ => Mtp3Variant::Itu,
            },
            ..Options::default()
        };
        let records = match decode_path(&file, &opts) {
            Ok(r) => r,
            Err(e) => {
                total
                    .mismatches
                    .push(format!("{path}: sigscope failed: {e}"));
                continue;
            }
        };
        let theirs = tshark_frames(&file, &topts);
        let mine = ours(&records);
        let lower = lower_layer_failures(&records);
        let mut t = Tally::default();
        for (n, tf) in &theirs {
            let empty = Frame::new();
            let msgs = tf.get("sccp.message_type").map_or(0, Vec::len);
            t.messages += msgs;
            if let Some(why) = lower.get(n) {
                t.lower += msgs;
                t.lower_notes.push(format!("{path} frame {n}: {why}"));
                continue;
            }
            let Some(of) = mine.get(n) else {
                t.mismatches
                    .push(format!("{path} frame {n}: no SCCP record from sigscope"));
                continue;
            };
            let _ = &empty;
            let mut ok = true;
            for f in FIELDS.iter().skip(1) {
                let tv = tf.get(f).cloned().unwrap_or_default();
                let (key, ov) = match *f {
                    "gsm_old.localValue" | "camel.local" => {
                        // opcodes: compared against the MAP and CAP lists together
                        if *f == "camel.local" {
                            continue;
                        }
                        let mut all = tv.clone();
                        all.extend(tf.get("camel.local").cloned().unwrap_or_default());
                        if all.is_empty() {
                            continue;
                        }
                        let mut o = of.get("opcodes").cloned().unwrap_or_default();
                        let mut a2 = all;
                        o.sort();
                        a2.sort();
                        if o != a2 {
                            ok = false;
                            t.mismatches.push(format!(
                                "{path} frame {n}: opcodes tshark {a2:?} sigscope {o:?}"
                            ));
                        }
                        continue;
                    }
                    k => (k, of.get(k).cloned().unwrap_or_default()),
                };
                if key.starts_with("tcap.") && tv.is_empty() && !ov.is_empty() {
                    t.tcap_extra += 1;
                    continue;
                }
                if tv != ov {
                    ok = false;
                    t.mismatches.push(format!(
                        "{path} frame {n}: {key} tshark {tv:?} sigscope {ov:?}"
                    ));
                }
            }
            t.compared += msgs;
            if ok {
                t.agree += msgs;
            }
        }
        println!(
            "{:<70} {:>5} {:>8} {:>6} {:>6} {:>6}",
            path, t.messages, t.compared, t.agree, t.tcap_extra, t.lower
        );
        total.lower += t.lower;
        total.lower_notes.extend(t.lower_notes);
        total.messages += t.messages;
        total.compared += t.compared;
        total.agree += t.agree;
        total.tcap_extra += t.tcap_extra;
        total.mismatches.extend(t.mismatches);
    }
    println!(
        "{:<70} {:>5} {:>8} {:>6} {:>6} {:>6}",
        "TOTAL", total.messages, total.compared, total.agree, total.tcap_extra, total.lower
    );
    for m in &total.lower_notes {
        println!("LOWER-LAYER (not compared) {m}");
    }
    for m in &total.mismatches {
        println!("MISMATCH {m}");
    }
    assert!(total.messages > 0, "no SCCP message compared");
    assert!(
        total.mismatches.is_empty(),
        "{} mismatches with tshark",
        total.mismatches.len()
    );
}
