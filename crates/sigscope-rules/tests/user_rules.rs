//! Operator rules behind the decoder, on real bytes: every rule of
//! `testdata/rules/example.rules` fires on the messages its `# expect` lines name and on no
//! other message of the demo capture and of the public captures (`$SIGSCOPE_CAPTURES`, else
//! `/work/shared/captures`, else `../shared/captures`; skipped when absent); and the engine
//! behaviour around them (EVE shape, pass, thresholds, built-in sid refusal) on frames made
//! with the project's emitters (`support`).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sigscope_capture::Reader;
use sigscope_decode::{Decoder, Options};
use sigscope_rules::{Alert, Engine, Policy, RuleSet, SigRef};
use sigscope_sigtran::Mtp3Variant;
use support::*;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const EXAMPLES: &str = "testdata/rules/example.rules";

fn example_text() -> String {
    std::fs::read_to_string(root().join(EXAMPLES)).expect("example rules")
}

/// The example rules with the variables they name.
fn examples() -> RuleSet {
    RuleSet::builder()
        .var("HOME_GTP", "203.0.113.0/24")
        .var("HOME_SIGTRAN", "[192.0.2.10,192.0.2.20]")
        .text(EXAMPLES, &example_text())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `# expect FILE: FRAMES` lines per sid: {sid: {file: frames}} (each block belongs to the
/// rule that starts on the next rule line); FRAMES is a list of numbers and ranges `N-M`.
fn expectations(text: &str) -> BTreeMap<u32, BTreeMap<String, BTreeSet<u64>>> {
    let mut by_line = BTreeMap::new();
    let mut pending: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("# expect ") {
            let (file, frames) = rest.split_once(": ").expect("# expect FILE: FRAMES");
            let set = pending.entry(file.trim().to_string()).or_default();
            for f in frames.split(',') {
                let (a, b) = f.trim().split_once('-').unwrap_or((f.trim(), f.trim()));
                let (a, b): (u64, u64) = (a.parse().expect("frame"), b.parse().expect("frame"));
                set.extend(a..=b);
            }
        } else if line.starts_with("alert") || line.starts_with("pass") {
            by_line.insert(i as u32 + 1, std::mem::take(&mut pending));
        }
    }
    examples()
        .rules()
        .map(|(_, m)| (m.sid, by_line.remove(&m.line).unwrap_or_default()))
        .collect()
}

/// (sid, frame) of every user-rule alert over a capture.
fn fire(rules: RuleSet, file: &Path, opts: Options) -> BTreeSet<(u32, u64)> {
    let mut reader = Reader::open(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut dec = Decoder::new(opts);
    let mut e = Engine::with_rules(Policy::default(), rules);
    let mut out = BTreeSet::new();
    // the rule's own matches (not the tagged members of the flows it flags)
    let mut keep = |a: Alert| {
        if let (SigRef::User(r), false) = (&a.sig, a.tagged) {
            out.insert((r.sid, a.frame));
        }
    };
    while let Ok(Some(pkt)) = reader.next_packet() {
        dec.packet(&pkt, &mut |m| e.observe(m, &mut keep));
    }
    dec.finish(&mut |m| e.observe(m, &mut keep));
    out
}

fn captures_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SIGSCOPE_CAPTURES").map(PathBuf::from),
        Some(PathBuf::from("/work/shared/captures")),
        Some(root().join("../shared/captures")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("MANIFEST.tsv").is_file());
    if found.is_none() {
        eprintln!("skipping the public captures: none found (set SIGSCOPE_CAPTURES)");
    }
    found
}

/// Every capture of MANIFEST.tsv with its decode options (DECODE_OPTIONS.tsv).
fn captures(dir: &Path) -> Vec<(String, Options)> {
    let opts = std::fs::read_to_string(dir.join("DECODE_OPTIONS.tsv")).unwrap_or_default();
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut o = Options::default();
            for l in opts.lines() {
                let f: Vec<&str> = l.split('\t').collect();
                if f.first() == Some(&p) {
                    o.mtp3 = match f.get(2).map(|s| s.trim()) {
                        Some("--mtp3 ansi") => Mtp3Variant::Ansi,
                        Some("--mtp3 chinese") => Mtp3Variant::Chinese,
                        Some("--mtp3 japan") => Mtp3Variant::Japan,
                        _ => Mtp3Variant::Itu,
                    };
                }
            }
            (p.to_string(), o)
        })
        .collect()
}

fn check_file(
    name: &str,
    path: &Path,
    opts: Options,
    expect: &BTreeMap<u32, BTreeMap<String, BTreeSet<u64>>>,
    failures: &mut Vec<String>,
) {
    let got = fire(examples(), path, opts);
    for (sid, files) in expect {
        let want = files.get(name).cloned().unwrap_or_default();
        let have: BTreeSet<u64> = got
            .iter()
            .filter(|(s, _)| s == sid)
            .map(|(_, f)| *f)
            .collect();
        if want != have {
            failures.push(format!(
                "{name}: sid {sid} fired on {have:?}, expected {want:?}"
            ));
        }
    }
}

#[test]
fn every_example_rule_is_expected_somewhere() {
    let expect = expectations(&example_text());
    let rules = examples();
    assert_eq!(rules.len(), expect.len(), "one # expect block per rule");
    assert!(rules.len() >= 20);
    for (r, meta) in rules.rules() {
        let e = expect.get(&meta.sid).expect("expectations of the rule");
        assert!(!e.is_empty(), "sid {} names no message: {r}", meta.sid);
    }
}

#[test]
fn the_examples_use_every_keyword() {
    let rules: Vec<String> = examples().rules().map(|(r, _)| r.to_string()).collect();
    let used = |kw: &str| {
        rules.iter().any(|r| {
            [" ", "("]
                .iter()
                .any(|p| r.contains(&format!("{p}{kw};")) || r.contains(&format!("{p}{kw}:")))
        })
    };
    let mut missing: Vec<&str> = sigscope_rules::user::ast::FIELDS
        .iter()
        .map(|(name, _)| *name)
        .filter(|k| !used(k))
        .collect();
    for k in [
        "msg",
        "sid",
        "rev",
        "gid",
        "priority",
        "classtype",
        "reference",
        "metadata",
        "content",
        "nocase",
        "startswith",
        "endswith",
        "offset",
        "depth",
        "pcre",
        "prefix",
        "isdataat",
        "byte_test",
        "threshold",
        "detection_filter",
    ] {
        if !used(k) {
            missing.push(k);
        }
    }
    assert!(missing.is_empty(), "no example uses {missing:?}");
}

#[test]
fn example_rules_fire_where_expected_on_the_demo_capture() {
    let expect = expectations(&example_text());
    let mut failures = Vec::new();
    check_file(
        "demo",
        &root().join("testdata/demo.pcap"),
        Options::default(),
        &expect,
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn example_rules_fire_where_expected_on_the_public_captures() {
    let Some(dir) = captures_dir() else { return };
    let expect = expectations(&example_text());
    let mut failures = Vec::new();
    let list = captures(&dir);
    assert!(list.len() > 10, "the manifest lists the captures");
    for (rel, opts) in list {
        check_file(&rel, &dir.join(&rel), opts, &expect, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------- behaviour on built frames

/// The alerts raised on `frames` (without the tagged members of flagged flows).
fn run(engine: &mut Engine, frames: &[Frame]) -> Vec<Alert> {
    let mut out = Vec::new();
    decode(frames, &mut |m| {
        engine.observe(m, &mut |a| {
            if !a.tagged {
                out.push(a)
            }
        })
    });
    out
}

fn rules(text: &str) -> RuleSet {
    RuleSet::builder()
        .var("HOME_GTP", "203.0.113.0/24")
        .text("t.rules", text)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn ati_from(ts: f64, calling: &str) -> Frame {
    let otid = 0x5500_0000 | (ts as u32);
    Frame::at(
        ts,
        map_invoke(
            otid,
            calling,
            "447700900001",
            (ac::ANY_TIME_INFO_ENQUIRY, 3),
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", calling),
        ),
    )
}

#[test]
fn user_alerts_have_the_eve_shape_of_built_in_ones() {
    let mut e = Engine::with_rules(
        Policy::default(),
        rules(
            "alert map any any -> any any (msg:\"ATI from outside\"; map.opcode:71; \
             sccp.calling.digits; content:!\"447700\"; startswith; sid:9000001; rev:4; gid:7; \
             priority:1; classtype:attempted-recon; metadata: mitre T1430, created_at 2026_01_01;)",
        ),
    );
    let alerts = run(
        &mut e,
        &[
            ati_from(10.0, "85290001234"),
            ati_from(11.0, "447700900555"),
        ],
    );
    let user: Vec<&Alert> = alerts
        .iter()
        .filter(|a| matches!(a.sig, SigRef::User(_)))
        .collect();
    assert_eq!(user.len(), 1, "{alerts:?}");
    let a = user[0];
    assert_eq!(a.frame, 1);
    let eve = a.eve_alert();
    assert_eq!(
        eve,
        serde_json::json!({
            "action": "allowed", "gid": 7, "signature_id": 9000001, "rev": 4,
            "signature": "ATI from outside", "category": "attempted-recon", "severity": 1,
            "metadata": {"sigscope_name": ["user_rule_9000001"], "sigscope_kind": ["user"],
                         "mitre_technique_id": ["T1430"], "created_at": ["2026_01_01"]}
        })
    );
    // the same keys as a built-in alert's
    let builtin = alerts
        .iter()
        .find(|a| matches!(a.sig, SigRef::Builtin(_)))
        .expect("FS.11 category 1 alert");
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&eve), keys(&builtin.eve_alert()));
    assert_eq!(builtin.sig.gid(), 1);
    assert_eq!(
        a.evidence,
        serde_json::json!({"sid": 9000001, "map.opcode": 71, "sccp.calling.digits": "85290001234"})
    );
    assert_eq!(e.stats().per_signature.get(&9000001), Some(&1));
}

#[test]
fn user_rules_fire_on_every_match_unlike_the_rate_limited_built_ins() {
    let mut e = Engine::with_rules(
        Policy::default(),
        rules("alert map any any -> any any (msg:\"ATI\"; map.opcode:71; sid:9000001;)"),
    );
    let frames: Vec<Frame> = (0..5)
        .map(|i| ati_from(10.0 + f64::from(i), "85290001234"))
        .collect();
    let alerts = run(&mut e, &frames);
    let user = alerts.iter().filter(|a| a.sig.id() == 9000001).count();
    let builtin = alerts.iter().filter(|a| a.sig.id() == 3002).count();
    assert_eq!(user, 5);
    // each ATI is a new TCAP transaction: the built-in rate limit never hides the first alert
    // of a new flow, so the built-in fires on each as well
    assert_eq!(builtin, 5);
}

#[test]
fn thresholds_and_detection_filters_count_per_tracked_end() {
    let frames: Vec<Frame> = (0..6)
        .map(|i| {
            ati_from(
                10.0 + f64::from(i),
                if i % 2 == 0 {
                    "85290001234"
                } else {
                    "8613900001111"
                },
            )
        })
        .collect();
    let count = |opt: &str| {
        let mut e = Engine::with_rules(
            Policy::default(),
            rules(&format!(
                "alert map any any -> any any (msg:\"ATI\"; map.opcode:71; {opt} sid:9000001;)"
            )),
        );
        run(&mut e, &frames)
            .iter()
            .filter(|a| a.sig.id() == 9000001)
            .map(|a| a.frame)
            .collect::<Vec<_>>()
    };
    assert_eq!(count(""), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        count("threshold: type limit, track by_src, count 1, seconds 60;"),
        [1, 2]
    );
    assert_eq!(
        count("threshold: type limit, track by_rule, count 2, seconds 60;"),
        [1, 2]
    );
    assert_eq!(
        count("threshold: type threshold, track by_src, count 2, seconds 60;"),
        [3, 4]
    );
    assert_eq!(
        count("threshold: type both, track by_dst, count 3, seconds 60;"),
        [3]
    );
    assert_eq!(
        count("detection_filter: track by_src, count 2, seconds 60;"),
        [5, 6]
    );
    // a window shorter than the gap between matches never reaches the count
    assert_eq!(
        count("detection_filter: track by_src, count 1, seconds 1;"),
        Vec::<u64>::new()
    );
}

#[test]
fn pass_rules_suppress_every_alert_of_the_message() {
    let frames = [
        ati_from(10.0, "85290001234"),
        ati_from(11.0, "8613900001111"),
    ];
    let mut e = Engine::with_rules(
        Policy::default(),
        rules(
            "pass map any any -> any any (msg:\"lab GT\"; sccp.calling.digits; prefix:\"852\"; sid:9000100;)\n\
             alert map any any -> any any (msg:\"ATI\"; map.opcode:71; sid:9000001;)",
        ),
    );
    let alerts = run(&mut e, &frames);
    assert!(alerts.iter().all(|a| a.frame == 2), "{alerts:?}");
    assert!(alerts.iter().any(|a| a.sig.id() == 9000001));
    assert!(alerts.iter().any(|a| a.sig.id() == 3002));
    assert_eq!(e.rules().unwrap().stats().passed, 1);
}

#[test]
fn gtp_rules_match_header_addresses_and_ies() {
    let frames = [
        Frame::at(
            1.0,
            udp(
                FOREIGN,
                PGW,
                GTPC,
                GTPC,
                &echo_request_v2(
                    1,
                    vec![v2_recovery(1), v2_private_extension(42, &[1, 2, 3])],
                ),
            ),
        ),
        Frame::at(
            2.0,
            udp(
                SGW,
                PGW,
                GTPC,
                GTPC,
                &echo_request_v2(2, vec![v2_recovery(1)]),
            ),
        ),
        Frame::at(
            3.0,
            udp(
                SGW,
                PGW,
                GTPC,
                GTPC,
                &create_session_request(3, "234150123456789"),
            ),
        ),
    ];
    let mut e = Engine::with_rules(
        Policy::default(),
        rules(
            "alert gtpv2 any any -> $HOME_GTP any (msg:\"Echo with private extension\"; gtpv2.type:1; gtpv2.ie:255; sid:9000002; rev:1;)\n\
             alert gtpv2 $HOME_GTP any -> $HOME_GTP 2123 (msg:\"no private extension\"; gtpv2.ie:!255; sid:9000003;)\n\
             alert gtpv2 any any -> any any (msg:\"internet\"; gtp.apn; content:\"INTER\"; nocase; startswith; sid:9000004;)",
        ),
    );
    let got: Vec<(u64, u32)> = run(&mut e, &frames)
        .iter()
        .filter(|a| matches!(a.sig, SigRef::User(_)))
        .map(|a| (a.frame, a.sig.id()))
        .collect();
    assert_eq!(got, [(1, 9000002), (2, 9000003), (3, 9000004)]);
}

#[test]
fn rule_set_keeps_no_state_without_thresholds_and_bounded_state_with() {
    let mut e = Engine::with_rules(
        Policy::default(),
        rules("alert map any any -> any any (msg:\"ATI\"; map.opcode:71; threshold: type limit, track by_src, count 1, seconds 60; sid:9000001;)"),
    );
    let frames: Vec<Frame> = (0..50)
        .map(|i| ati_from(10.0 + f64::from(i), &format!("8529000{i:04}")))
        .collect();
    let alerts = run(&mut e, &frames);
    assert_eq!(alerts.iter().filter(|a| a.sig.id() == 9000001).count(), 50);
    let (entries, resets) = e.rules().unwrap().threshold_state();
    assert_eq!((entries, resets), (50, 0));
    assert!(entries <= sigscope_rules::user::limits::MAX_THRESHOLD_ENTRIES);
}

#[test]
fn a_passed_message_takes_no_rate_limit_window() {
    // the pass rule matches the first ATI only (its own limit); the second, between the same
    // global titles a second later, still raises the built-in alert: the passed one did not
    // open the built-in rate limit's window
    let frames = [ati_from(10.0, "85290001234"), ati_from(11.0, "85290001234")];
    let mut e = Engine::with_rules(
        Policy::default(),
        rules(
            "pass map any any -> any any (msg:\"first ATI of a test run\"; map.opcode:71; \
             threshold: type limit, track by_rule, count 1, seconds 600; sid:9000100;)",
        ),
    );
    let got: Vec<(u64, u32)> = run(&mut e, &frames)
        .iter()
        .map(|a| (a.frame, a.sig.id()))
        .collect();
    assert_eq!(got, [(2, 3002)]);
    assert_eq!(e.stats().suppressed, 0);
}
