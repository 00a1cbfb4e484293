//! The `sigscope` binary's contract: records on stdout, clear errors, nothing lost.

use std::io::Write;
use std::process::{Command, Output};

use serde_json::Value;
use sigscope::core::AnomalyCode;

fn sigscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(args)
        .output()
        .expect("runs")
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn demo_bytes() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/demo.pcap"
    ))
    .expect("demo capture")
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("sigscope-cli-{}-{name}", std::process::id()));
    std::fs::File::create(&p)
        .and_then(|mut f| f.write_all(bytes))
        .expect("temp file");
    p
}

#[test]
fn no_arguments_decodes_the_demo_as_a_table() {
    let out = sigscope(&[]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().next().is_some_and(|h| h.contains("frame")));
    assert!(text.contains("sctp/m3ua/sccp/tcap"));
    assert!(
        text.contains(AnomalyCode::EchoUnexpectedIe.as_str()),
        "the GTPDOOR-style echo is flagged:\n{text}"
    );
}

#[test]
fn decode_emits_the_record_schema() {
    let out = sigscope(&["decode"]);
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(recs.len(), 14);
    let r = &recs[2];
    assert_eq!(r["frame"], 3);
    assert!(r["ts"].as_f64().is_some());
    assert_eq!(r["src"], "192.0.2.10");
    assert_eq!(r["sctp"]["ppid"], 3);
    assert_eq!(r["m3ua"]["opc"], 1201);
    assert_eq!(r["m3ua"]["si"], 3);
    assert_eq!(r["sccp"]["called"]["gt"]["digits"], "447700900123");
    assert_eq!(r["tcap"]["otid"], "0a0b0c0d");
    assert_eq!(r["tcap"]["acn"], "0.4.0.0.1.0.20.3");
    let csr = &recs[10];
    assert_eq!(csr["gtp"]["version"], 2);
    assert_eq!(csr["gtp"]["imsi"], "234150123456789");
    assert_eq!(csr["gtp"]["apn"], "internet");
    // A layer that is absent is absent, not null.
    assert!(csr.get("sctp").is_none());
}

#[test]
fn not_a_capture_is_refused_with_its_magic() {
    let p = temp("notpcap", b"hello, world");
    let out = sigscope(&["decode", p.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a pcap or pcapng") && err.contains("68, 65, 6c, 6c"),
        "{err}"
    );
    let _ = std::fs::remove_file(p);
}

#[test]
fn truncated_capture_keeps_every_complete_frame_and_says_where() {
    let demo = demo_bytes();
    let p = temp("cut", &demo[..demo.len() - 7]);
    let out = sigscope(&["decode", p.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(records(&out).len(), 13, "all frames before the cut");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("truncated at byte") && err.contains("after frame 13"),
        "{err}"
    );
    let _ = std::fs::remove_file(p);
}

#[test]
fn malformed_frame_is_reported_and_the_next_is_decoded() {
    // Corrupt frame 3's M3UA length field; frames 4.. must decode as usual.
    let mut demo = demo_bytes();
    let needle = [0x01u8, 0x00, 0x01, 0x01];
    let first_data = demo
        .windows(4)
        .position(|w| w == needle)
        .expect("an M3UA DATA header");
    demo[first_data + 7] = 0xff;
    let p = temp("bad", &demo);
    let out = sigscope(&["decode", p.to_str().unwrap_or_default()]);
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(recs.len(), 14);
    let codes: Vec<&str> = recs[2]["anomalies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["code"].as_str())
        .collect();
    assert!(
        codes.contains(&AnomalyCode::LengthExceedsData.as_str())
            || codes.contains(&AnomalyCode::BadChecksum.as_str()),
        "{codes:?}"
    );
    assert_eq!(recs[3]["m3ua"]["opc"], 2201);
    let _ = std::fs::remove_file(p);
}

#[test]
fn stdin_and_stats() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(["stats", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(&demo_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("frames\t14"), "{text}");
    assert!(text.contains("m3ua.DATA\t6"), "{text}");
}

#[test]
fn detect_on_the_demo_raises_its_alerts_as_eve() {
    let out = sigscope(&["detect"]);
    assert!(out.status.success());
    let alerts = records(&out);
    let mut sids: Vec<u64> = alerts
        .iter()
        .map(|a| a["alert"]["signature_id"].as_u64().unwrap())
        .collect();
    sids.sort_unstable();
    assert_eq!(sids, [1001, 1002, 1012, 2001, 2003, 3002, 3006]);
    for a in &alerts {
        assert_eq!(a["event_type"], "alert");
        assert!(a["timestamp"].as_str().unwrap().ends_with("+0000"));
        assert!(a["alert"]["signature"].as_str().is_some());
        assert!(a["alert"]["category"].as_str().is_some());
        assert!(a["pcap_cnt"].as_u64().is_some());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("7 alerts"), "{err}");
}

#[test]
fn detect_refuses_a_bad_policy() {
    let p = temp("policy.toml", b"[home]\nplmn = [\"23415\"]\n");
    let out = sigscope(&["detect", "--policy", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field"));
    let _ = std::fs::remove_file(p);
}
