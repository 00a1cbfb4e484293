//! The bundled demo capture (made by examples/make_demo.rs with the project's emitters) decodes
//! the same in sigscope and tshark, field for field: M3UA OPC/DPC, SCCP digits, TCAP otid/ACN,
//! MAP opcodes, IMSIs, SMS text (gsm_sms.sms_text) and USSD strings, GTPv2 message types, TEIDs
//! and IMSIs. Needs only tshark (skips where it is absent), not the shared captures.

mod common;

use std::path::Path;

use serde_json::Value;

fn strs(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .or_else(|| x.as_u64().map(|n| n.to_string()))
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

#[test]
fn demo_capture_agrees_with_tshark() {
    if !common::tshark_available() {
        return;
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo.pcap");
    let fields = [
        "m3ua.protocol_data_opc",
        "m3ua.protocol_data_dpc",
        "sccp.called.digits",
        "sccp.calling.digits",
        "tcap.otid",
        "gsm_old.localValue",
        "e212.imsi",
        "gsm_sms.sms_text",
        "gsm_map.ussd_string",
        "gtpv2.message_type",
    ];
    let theirs = common::tshark_fields(&file, &[], "", &fields);
    let records = sigscope::record::decode_path(&file, &sigscope::record::Options::default())
        .expect("demo decodes");
    assert_eq!(records.len(), theirs.len(), "one record per frame");
    let mut compared = 0;
    for r in &records {
        let frame = r["frame"].as_u64().unwrap_or(0);
        let t = &theirs[&frame];
        let col = |i: usize| common::occurrences(t.get(i).map_or("", String::as_str));
        let mut ours_ops = Vec::new();
        let mut ours_imsi = Vec::new();
        let mut ours_sms = Vec::new();
        let mut ours_ussd = Vec::new();
        for m in r["map"].as_array().into_iter().flatten() {
            ours_ops.extend(strs(m.get("opcode")));
            ours_imsi.extend(strs(m.get("imsi")));
            ours_sms.extend(strs(m.get("sms").and_then(|s| s.get("text"))));
            ours_ussd.extend(strs(m.get("ussd").and_then(|s| s.get("text"))));
        }
        ours_imsi.extend(strs(r.get("gtp").and_then(|g| g.get("imsi"))));
        // Non-digit nibbles: tshark prints '?', sigscope keeps the nibble (`*#abc`, `f`).
        let fold = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| {
                    s.chars()
                        .map(|c| if c.is_ascii_digit() { c } else { '?' })
                        .collect()
                })
                .collect()
        };
        let ours_imsi = fold(ours_imsi);
        let checks: [(&str, Vec<String>, Vec<String>); 9] = [
            (
                "opc",
                strs(r.get("m3ua").and_then(|m| m.get("opc"))),
                col(0),
            ),
            (
                "dpc",
                strs(r.get("m3ua").and_then(|m| m.get("dpc"))),
                col(1),
            ),
            ("called", strs(r.pointer("/sccp/called/gt/digits")), col(2)),
            (
                "calling",
                strs(r.pointer("/sccp/calling/gt/digits")),
                col(3),
            ),
            (
                "otid",
                strs(r.pointer("/tcap/otid")),
                col(4).iter().map(|s| s.replace(':', "")).collect(),
            ),
            ("opcode", ours_ops, col(5)),
            ("imsi", ours_imsi, col(6)),
            ("sms_text", ours_sms, col(7)),
            ("ussd", ours_ussd, col(8)),
        ];
        for (name, ours, theirs) in checks {
            assert_eq!(ours, theirs, "frame {frame}: {name}");
            compared += usize::from(!theirs.is_empty());
        }
        let gtp_type = strs(r.pointer("/gtp/type"))
            .into_iter()
            .filter(|_| r.pointer("/gtp/version") == Some(&Value::from(2)))
            .collect::<Vec<_>>();
        assert_eq!(gtp_type, col(9), "frame {frame}: gtpv2 type");
    }
    println!(
        "{} frames, {compared} non-empty fields agree with tshark",
        records.len()
    );
    assert!(compared >= 20);
}
