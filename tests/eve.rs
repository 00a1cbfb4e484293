//! EVE alert lines (`sigscope::eve::write_alert`) from real bytes: frames made with the
//! project's emitters (the rules crate's test support), decoded, judged by the engine, and
//! each alert written beside the message that raised it. Every line parses as one JSON object
//! in Suricata's alert shape.

#[path = "../crates/sigscope-rules/tests/support/mod.rs"]
mod support;

use serde_json::Value;
use sigscope::decode::{Decoder, Options};
use sigscope::eve::write_alert;
use sigscope::rules::{Engine, Policy};
use support::*;

/// Decode `frames` (numbered from `first`) and write the EVE line of every alert.
fn eve_lines(frames: &[Frame], first: u64, policy: Policy) -> Vec<Value> {
    let mut d = Decoder::new(Options::default());
    let mut e = Engine::new(policy);
    let mut lines = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        d.packet(&packet(first + i as u64, f), &mut |m| {
            e.observe(m, &mut |a| {
                let mut buf = Vec::new();
                write_alert(&mut buf, &a, Some(m));
                assert!(!buf.contains(&b'\n'), "one line per alert");
                let v: Value = serde_json::from_slice(&buf)
                    .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&buf)));
                lines.push(v);
            })
        });
    }
    lines
}

#[test]
fn eve_shape_gtp() {
    // a GTPv2 Echo carrying an IMSI IE, frame 7
    let f = Frame {
        ts_nanos: 1_764_000_001_500_000_000,
        data: udp(
            FOREIGN,
            PGW,
            GTPC,
            GTPC,
            &echo_request_v2(0x11, vec![v2_recovery(7), v2_imsi("234150123456789")]),
        ),
    };
    let lines = eve_lines(&[f], 7, Policy::default());
    assert_eq!(lines.len(), 1, "{lines:?}");
    let eve = &lines[0];
    assert_eq!(eve["event_type"], "alert");
    assert_eq!(eve["timestamp"], "2025-11-24T16:00:01.500000+0000");
    assert_eq!(eve["src_ip"], "198.51.100.7");
    assert_eq!(eve["dest_ip"], "203.0.113.9");
    assert_eq!(eve["src_port"], 2123);
    assert_eq!(eve["dest_port"], 2123);
    assert_eq!(eve["proto"], "UDP");
    assert_eq!(eve["alert"]["signature_id"], 1001);
    assert_eq!(eve["alert"]["severity"], 1);
    assert_eq!(eve["alert"]["action"], "allowed");
    assert_eq!(
        eve["alert"]["metadata"]["sigscope_name"][0],
        "gtp_echo_unexpected_ie"
    );
    assert_eq!(eve["pcap_cnt"], 7);
    assert_eq!(eve["app_proto"], "gtpv2");
    assert_eq!(eve["sigscope"]["path"], "eth/ipv4/udp/gtpv2");
    assert_eq!(eve["sigscope"]["layers"]["gtp"]["name"], "echo_request");
    // the layers live under `sigscope`, never at the top level
    assert!(eve.get("gtp").is_none());
    assert_eq!(eve["sigscope"]["evidence"]["message"], "echo_request");
    assert!(eve["sigscope"].get("suppressed").is_none());
}

#[test]
fn eve_shape_map_over_sctp() {
    // anyTimeInterrogation from a Hong Kong global title: FS.11 category 1
    let f = Frame {
        ts_nanos: 1_764_000_000_750_000_000,
        data: map_invoke(
            0x7700_0001,
            "85290001234",
            "447700900001",
            (ac::ANY_TIME_INFO_ENQUIRY, 3),
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", "85290001234"),
        ),
    };
    let lines = eve_lines(&[f], 5, Policy::default());
    assert_eq!(lines.len(), 1, "{lines:?}");
    let eve = &lines[0];
    assert_eq!(eve["timestamp"], "2025-11-24T16:00:00.750000+0000");
    assert_eq!(eve["pcap_cnt"], 5);
    assert_eq!(eve["proto"], "SCTP");
    assert_eq!(eve["src_ip"], "192.0.2.10");
    assert_eq!(eve["dest_port"], 2905);
    assert_eq!(eve["alert"]["signature_id"], 3002);
    assert_eq!(eve["sigscope"]["evidence"]["calling_gt"], "85290001234");
    assert_eq!(eve["app_proto"], "gsm_map");
    let layers = &eve["sigscope"]["layers"];
    assert_eq!(layers["sctp"]["ppid"], 3);
    assert!(layers["sccp"].is_object());
    assert!(layers["tcap"].is_object());
    assert!(layers["map"].is_array());
    // Suricata's own `sctp` object has another shape: ours must not sit at the top level
    assert!(eve.get("sctp").is_none());
}

#[test]
fn eve_counts_what_the_rate_limit_held_back() {
    let bad = |seq: u32, ts: f64| {
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
    let lines = eve_lines(
        &[bad(1, 0.0), bad(2, 10.0), bad(3, 20.0), bad(4, 70.0)],
        1,
        Policy::default(),
    );
    // the held-back repeats are reported as tagged members of the flagged flow
    let (tagged, lines): (Vec<_>, Vec<_>) = lines
        .into_iter()
        .partition(|l| l["alert"]["metadata"].get("tagged").is_some());
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["sigscope"].get("suppressed").is_none());
    assert_eq!(lines[1]["sigscope"]["suppressed"], 2);
    assert_eq!(tagged.len(), 2);
    for t in &tagged {
        assert_eq!(
            t["alert"]["metadata"]["tagged"],
            serde_json::json!(["flow"])
        );
        assert_eq!(t["flow_id"], lines[0]["flow_id"]);
        assert_eq!(t["alert"]["signature_id"], 1001);
    }
    assert_eq!(
        tagged
            .iter()
            .map(|t| t["pcap_cnt"].as_u64())
            .collect::<Vec<_>>(),
        [Some(2), Some(3)]
    );
}

/// Arbitrary bytes over the GTP ports and M3UA, and mutated MAP: whatever alert fires, its
/// line is one JSON object.
#[test]
fn eve_lines_are_objects_whatever_the_bytes() {
    let policy = Policy::from_toml(
        "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n[interconnect]\ngtp_peers=[\"203.0.113.0/24\"]\n",
    )
    .unwrap();
    let template = tcap_begin(
        2,
        ac::NETWORK_UNSTRUCTURED_SS,
        2,
        op::PROCESS_USSD,
        &ussd_arg("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk"),
    );
    let mut total = 0usize;
    for seed in 1..=300u32 {
        let bytes = noise(seed, (seed as usize * 7) % 180);
        let ts = f64::from(seed);
        let mut mutated = template.clone();
        let at = seed as usize % mutated.len();
        mutated[at] ^= (seed % 255 + 1) as u8;
        let frames = [
            Frame::at(ts, udp(FOREIGN, PGW, GTPC, GTPC, &bytes)),
            Frame::at(ts, udp(SGW, PGW, GTPU, GTPU, &bytes)),
            Frame::at(ts, sctp(STP, HLR_SG, 3, bytes.clone())),
            Frame::at(
                ts,
                m3ua_frame(udt_to_hlr("85290001234", "447700900001", mutated)),
            ),
        ];
        let lines = eve_lines(&frames, 1, policy.clone());
        for l in &lines {
            assert!(l.is_object());
            assert_eq!(l["event_type"], "alert");
        }
        total += lines.len();
    }
    assert!(total > 0, "the noise raised no alert at all");
}
