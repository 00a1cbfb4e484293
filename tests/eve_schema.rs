//! EVE lines against Suricata's own EVE schema (`etc/schema.json`, kept in
//! `../shared/schemas/suricata-eve-schema.json` or `$SIGSCOPE_SCHEMAS`; the test skips cleanly
//! when it is absent). The schema has no `$schema` (validated as draft 2020-12, as Suricata's
//! own check does with Python `jsonschema`) and closes its top level with
//! `additionalProperties: false`: the one key it is opened for here is `sigscope`, the key
//! every sigscope addition lives under. So every key Suricata defines keeps Suricata's type and
//! shape, and nothing else reaches the top level.
//!
//! Lines come from the demo capture with its policy, from frames made with the project's
//! emitters (the rules crate's test support), and from the real captures when present.

#[path = "../crates/sigscope-rules/tests/support/mod.rs"]
mod support;

mod common;

use std::path::{Path, PathBuf};

use jsonschema::{Draft, Validator};
use serde_json::{json, Value};
use sigscope::capture::Reader;
use sigscope::decode::{Decoder, Options};
use sigscope::eve::{write_alert, write_alert_in, SIGSCOPE_KEY};
use sigscope::rules::{Engine, Policy};
use support::*;

/// At most this many lines of one real capture are checked (the big ones repeat themselves).
const MAX_LINES_PER_CAPTURE: usize = 5_000;

fn schema_path() -> Option<PathBuf> {
    let dir = match std::env::var_os("SIGSCOPE_SCHEMAS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas"),
    };
    let p = dir.join("suricata-eve-schema.json");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!(
            "skipping: no Suricata EVE schema at {} (set SIGSCOPE_SCHEMAS)",
            p.display()
        );
        None
    }
}

/// Suricata's schema, opened for `sigscope` only.
fn validator() -> Option<(Validator, Value)> {
    let text = std::fs::read_to_string(schema_path()?).expect("schema reads");
    let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(schema["additionalProperties"], false, "closed top level");
    assert!(
        schema["properties"].get(SIGSCOPE_KEY).is_none(),
        "Suricata does not define `{SIGSCOPE_KEY}`"
    );
    schema["properties"][SIGSCOPE_KEY] = json!({"type": "object"});
    let v = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .build(&schema)
        .expect("the schema compiles");
    Some((v, schema))
}

/// Every error of `line` against the schema, as text.
fn errors(v: &Validator, line: &Value) -> Vec<String> {
    v.iter_errors(line)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

fn assert_conforms(v: &Validator, schema: &Value, line: &Value, origin: &str) {
    let errs = errors(v, line);
    assert!(errs.is_empty(), "{origin}: {errs:?}\n{line}");
    // belt and braces: the only top-level key Suricata does not define is ours
    for k in line.as_object().expect("an object").keys() {
        assert!(
            schema["properties"].get(k).is_some(),
            "{origin}: key {k} is not Suricata's"
        );
    }
}

/// EVE lines of every alert over a capture (named in `pcap_filename` as one of several).
fn capture_lines(
    mut r: Reader,
    opts: Options,
    policy: Policy,
    max: usize,
    file: Option<&str>,
) -> Vec<Value> {
    let mut d = Decoder::new(opts);
    let mut e = Engine::new(policy);
    let mut lines = Vec::new();
    let mut emit = |m: &sigscope::decode::Message<'_>| {
        e.observe(m, &mut |a| {
            if lines.len() < max {
                let mut buf = Vec::new();
                write_alert_in(&mut buf, &a, Some(m), file);
                lines.push(serde_json::from_slice(&buf).expect("one JSON object"));
            }
        })
    };
    while let Ok(Some(p)) = r.next_packet() {
        d.packet(&p, &mut emit);
    }
    d.finish(&mut emit);
    lines
}

/// EVE lines of every alert over frames made with the emitters.
fn frame_lines(frames: &[Frame], policy: Policy) -> Vec<Value> {
    let mut d = Decoder::new(Options::default());
    let mut e = Engine::new(policy);
    let mut lines = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        d.packet(&packet(1 + i as u64, f), &mut |m| {
            e.observe(m, &mut |a| {
                let mut buf = Vec::new();
                write_alert(&mut buf, &a, Some(m));
                lines.push(serde_json::from_slice(&buf).expect("one JSON object"));
            })
        });
    }
    lines
}

#[test]
fn the_schema_refuses_what_sigscope_used_to_write() {
    let Some((v, _)) = validator() else { return };
    let base = json!({"timestamp": "2025-11-24T16:00:01.500000+0000", "event_type": "alert",
        "pcap_cnt": 7, "flow_id": 1, "src_ip": "192.0.2.1", "src_port": 2905,
        "alert": {"signature_id": 3002, "severity": 1}, "sigscope": {"evidence": {}}});
    assert!(errors(&v, &base).is_empty(), "{:?}", errors(&v, &base));
    // the decode record's `sctp` at the top level clashes with Suricata's `sctp` object
    let mut old = base.clone();
    old["sctp"] = json!({"ppid": 3, "stream": 1, "tsn": 7});
    assert!(!errors(&v, &old).is_empty());
    // a key nobody defines is refused
    let mut other = base.clone();
    other["tcap"] = json!({"type": "begin"});
    assert!(!errors(&v, &other).is_empty());
    // Suricata's types hold: the flow id is an integer, not text
    let mut flow = base;
    flow["flow_id"] = json!("a1b2");
    assert!(!errors(&v, &flow).is_empty());
}

#[test]
fn demo_capture_lines_fit_suricatas_schema() {
    let Some((v, schema)) = validator() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy_text =
        std::fs::read_to_string(root.join("testdata/demo-policy.toml")).expect("demo policy");
    let policy = Policy::from_toml(&policy_text).expect("demo policy parses");
    let r = Reader::open(&root.join("testdata/demo.pcap")).expect("demo capture");
    let lines = capture_lines(
        r,
        Options::default(),
        policy,
        usize::MAX,
        Some("testdata/demo.pcap"),
    );
    assert!(
        lines.len() >= 5,
        "the demo raises its alerts: {}",
        lines.len()
    );
    for l in &lines {
        assert_conforms(&v, &schema, l, "demo");
    }
    // the decoded layers went under `sigscope.layers`, with Suricata's `app_proto` beside
    assert!(lines
        .iter()
        .any(|l| l["sigscope"]["layers"]["sctp"].is_object()));
    assert!(lines
        .iter()
        .any(|l| l["sigscope"]["layers"]["gtp"].is_object()));
    assert!(lines.iter().any(|l| l["app_proto"] == "gsm_map"));
    assert!(lines
        .iter()
        .all(|l| l["pcap_filename"] == "testdata/demo.pcap"));
}

#[test]
fn detection_frame_lines_fit_suricatas_schema() {
    let Some((v, schema)) = validator() else {
        return;
    };
    let policy = Policy::from_toml(
        "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n[interconnect]\ngtp_peers=[\"203.0.113.0/24\"]\n",
    )
    .expect("policy");
    let echo = |seq: u32, ts: f64| {
        Frame::at(
            ts,
            udp(
                FOREIGN,
                PGW,
                GTPC,
                GTPC,
                &echo_request_v2(seq, vec![v2_recovery(3), v2_imsi("234150123456789")]),
            ),
        )
    };
    let mut frames = vec![
        echo(1, 0.0),
        echo(2, 10.0),
        echo(3, 70.0),
        Frame::at(
            1.0,
            map_invoke(
                0x7700_0001,
                "85290001234",
                "447700900001",
                (ac::ANY_TIME_INFO_ENQUIRY, 3),
                op::ANY_TIME_INTERROGATION,
                &ati_arg("447700900123", "85290001234"),
            ),
        ),
        Frame::at(
            2.0,
            m3ua_frame(udt_to_hlr(
                "85290001234",
                "447700900001",
                tcap_begin(
                    2,
                    ac::NETWORK_UNSTRUCTURED_SS,
                    2,
                    op::PROCESS_USSD,
                    &ussd_arg("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk"),
                ),
            )),
        ),
    ];
    // arbitrary bytes over the GTP ports and SCTP: whatever fires still fits
    for seed in 1..=60u32 {
        let bytes = noise(seed, (seed as usize * 7) % 180);
        let ts = 100.0 + f64::from(seed);
        frames.push(Frame::at(ts, udp(FOREIGN, PGW, GTPC, GTPC, &bytes)));
        frames.push(Frame::at(ts, udp(SGW, PGW, GTPU, GTPU, &bytes)));
        frames.push(Frame::at(ts, sctp(STP, HLR_SG, 3, bytes.clone())));
    }
    let lines = frame_lines(&frames, policy);
    let sids: std::collections::BTreeSet<u64> = lines
        .iter()
        .filter_map(|l| l["alert"]["signature_id"].as_u64())
        .collect();
    assert!(sids.len() >= 3, "several signatures fire: {sids:?}");
    assert!(lines
        .iter()
        .any(|l| l["alert"]["metadata"].get("tagged").is_some()));
    assert!(lines
        .iter()
        .any(|l| l["sigscope"].get("suppressed").is_some()));
    for l in &lines {
        assert_conforms(&v, &schema, l, "frames");
    }
}

#[test]
fn real_capture_lines_fit_suricatas_schema() {
    let Some((v, schema)) = validator() else {
        return;
    };
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let mut total = 0usize;
    for e in common::manifest(&dir) {
        let (_, opts) = common::decode_options(&dir, &e.path);
        let Ok(r) = Reader::open(&dir.join(&e.path)) else {
            continue;
        };
        let lines = capture_lines(r, opts, Policy::default(), MAX_LINES_PER_CAPTURE, None);
        for l in &lines {
            assert_conforms(&v, &schema, l, &e.path);
        }
        total += lines.len();
    }
    assert!(total > 0, "the real captures raise alerts");
}
