//! Each signature fires on the record shape that should raise it and stays quiet on its
//! benign neighbour. Records follow `sigscope decode`'s schema (the shapes here are cut from
//! real decode output of the demo capture and the public captures).

use proptest::prelude::*;
use serde_json::{json, Value};
use sigscope_core::AnomalyCode;
use sigscope_rules::{Alert, Engine, Policy};

fn run(engine: &mut Engine, recs: &[Value]) -> Vec<Alert> {
    let mut out = Vec::new();
    for r in recs {
        engine.observe(r, &mut |a| out.push(a));
    }
    out
}

fn ids(alerts: &[Alert]) -> Vec<u32> {
    let mut v: Vec<u32> = alerts.iter().map(|a| a.sig.id).collect();
    v.sort_unstable();
    v
}

fn fresh(recs: &[Value]) -> Vec<u32> {
    ids(&run(&mut Engine::new(Policy::default()), recs))
}

fn home_policy() -> Policy {
    Policy::from_toml(
        "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n[interconnect]\ngtp_peers=[\"203.0.113.0/24\"]\n",
    )
    .unwrap()
}

fn gtp(frame: u64, ts: f64, src: &str, g: Value) -> Value {
    json!({"frame": frame, "ts": ts, "src": src, "dst": "203.0.113.9", "sport": 2123, "dport": 2123, "gtp": g})
}

fn echo_v2(ies: Value) -> Value {
    json!({"protocol": "gtpv2", "version": 2, "type": 1, "name": "echo_request", "length": 9, "ies": ies})
}

fn map_rec(frame: u64, ts: f64, calling: &str, called: &str, m: Value) -> Value {
    let cc = |d: &str| {
        sigscope_core::e164::country_of(d)
            .map(|c| c.iso)
            .unwrap_or("")
    };
    json!({"frame": frame, "ts": ts,
           "sccp": {"type": "UDT", "data_len": 78,
                    "called": {"ri": "gt", "ssn": 6, "gt": {"digits": called, "country": cc(called)}},
                    "calling": {"ri": "gt", "ssn": 8, "gt": {"digits": calling, "country": cc(calling)}}},
           "tcap": {"type": "begin", "otid": "77000001"},
           "map": [m]})
}

#[test]
fn gtp_echo_with_foreign_ie() {
    let bad = gtp(
        1,
        1.0,
        "198.51.100.7",
        echo_v2(json!([{"type": 3, "len": 1}, {"type": 1, "len": 16, "name": "imsi"}])),
    );
    let good = gtp(
        2,
        2.0,
        "203.0.113.5",
        echo_v2(json!([{"type": 3, "len": 1}, {"type": 152, "len": 1}])),
    );
    assert_eq!(fresh(&[bad]), [1001]);
    assert_eq!(fresh(&[good]), Vec::<u32>::new());
    // v1: Recovery is 14, and v2's Recovery type 3 is Reordering Required there
    let v1 = gtp(
        3,
        3.0,
        "203.0.113.5",
        json!({"protocol": "gtpv1", "version": 1, "type": 2, "name": "echo_response", "ies": [{"type": 14, "len": 1}, {"type": 3, "len": 1}]}),
    );
    assert_eq!(fresh(&[v1]), [1001]);
}

#[test]
fn echo_private_extension_size_and_content() {
    let mut x: u32 = 7;
    let blob: String = (0..50)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if i < 2 {
                "00".to_string()
            } else {
                format!("{:02x}", x >> 24)
            }
        })
        .collect();
    let big = gtp(
        1,
        1.0,
        "203.0.113.5",
        echo_v2(
            json!([{"type": 3, "len": 1}, {"type": 255, "len": 50, "value": {"enterprise": 42, "hex": blob}}]),
        ),
    );
    assert_eq!(fresh(&[big]), [1002, 2003]);
    let small = gtp(
        1,
        1.0,
        "203.0.113.5",
        echo_v2(
            json!([{"type": 255, "len": 6, "value": {"enterprise": 10415, "hex": "01020304"}}]),
        ),
    );
    assert_eq!(fresh(&[small]), Vec::<u32>::new());
}

#[test]
fn gtp_anomalies_map_to_structure_signatures() {
    let with = |code: AnomalyCode| {
        let mut r = gtp(
            1,
            1.0,
            "203.0.113.5",
            json!({"protocol": "gtpv1", "version": 1, "type": 255, "name": "g_pdu"}),
        );
        r["anomalies"] = json!([{"layer": "gtp", "code": code.as_str(), "offset": 2}]);
        r
    };
    assert_eq!(fresh(&[with(AnomalyCode::HeaderLengthMismatch)]), [1003]);
    assert_eq!(fresh(&[with(AnomalyCode::UnassignedMessageType)]), [1004]);
    assert_eq!(fresh(&[with(AnomalyCode::NotGtp)]), [1005]);
    assert_eq!(fresh(&[with(AnomalyCode::GtpInGtpu)]), [1006]);
    assert_eq!(fresh(&[with(AnomalyCode::GtpuOnControlPort)]), [1006]);
    assert_eq!(
        fresh(&[with(AnomalyCode::ReservedBitSet)]),
        Vec::<u32>::new()
    );
    // a record written before `trailing_octets` was unified into `trailing_bytes`
    let mut old = with(AnomalyCode::TrailingBytes);
    old["anomalies"][0]["code"] = "trailing_octets".into();
    assert_eq!(fresh(&[old]), [1003]);
}

#[test]
fn sccp_and_tcap_structure() {
    let mut r = map_rec(
        1,
        1.0,
        "447700900200",
        "447700900001",
        json!({"kind": "invoke", "opcode": 45}),
    );
    r["anomalies"] = json!([{"layer": "sccp", "code": AnomalyCode::SccpDataNotTcap.as_str(), "offset": 16, "value": 6}]);
    assert_eq!(fresh(&[r.clone()]), [1010]);
    r["anomalies"] =
        json!([{"layer": "tcap", "code": AnomalyCode::TcapMalformed.as_str(), "offset": 16}]);
    assert_eq!(fresh(&[r.clone()]), [1011]);
    r["anomalies"] = json!([{"layer": "map", "code": AnomalyCode::NonDigitNibble.as_str(), "offset": 30}, {"layer": "map", "code": AnomalyCode::NonDigitNibble.as_str(), "offset": 40}]);
    assert_eq!(fresh(&[r]), [1012]);
}

#[test]
fn ussd_and_sms_content() {
    let ussd = |t: &str| {
        map_rec(
            1,
            1.0,
            "447700900200",
            "447700900001",
            json!({"kind": "invoke", "opcode": 59, "operation": "processUnstructuredSS-Request", "ussd": {"dcs": 15, "text": t}}),
        )
    };
    assert_eq!(
        fresh(&[ussd("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk")]),
        [2001]
    );
    assert_eq!(fresh(&[ussd("*100#")]), Vec::<u32>::new());
    assert_eq!(
        fresh(&[ussd("1. Balance\n2. Bundles\n3. Roaming offers\n0. Back")]),
        Vec::<u32>::new()
    );
    let sms = |t: &str| {
        map_rec(
            1,
            1.0,
            "447700900001",
            "447700900500",
            json!({"kind": "invoke", "opcode": 44, "operation": "mt-forwardSM", "sms": {"tpdu": "SMS-DELIVER", "text": t}}),
        )
    };
    assert_eq!(
        fresh(&[sms("7f454c4602010100000000000000000003003e00")]),
        [2002]
    );
    assert_eq!(fresh(&[sms("Your code is 4821")]), Vec::<u32>::new());
}

#[test]
fn identities_of_impossible_shape() {
    let r = map_rec(
        1,
        1.0,
        "447700900200",
        "447700900001",
        json!({"kind": "invoke", "opcode": 56, "imsi": "0001234567890123456"}),
    );
    assert_eq!(fresh(&[r]), [2004]);
    let r = map_rec(
        1,
        1.0,
        "447700900200",
        "447700900001",
        json!({"kind": "invoke", "opcode": 56, "imsi": "234150123456789"}),
    );
    assert_eq!(fresh(&[r]), Vec::<u32>::new());
}

#[test]
fn fs11_category1_foreign_location_enquiry() {
    let ati = |calling: &str| {
        map_rec(
            1,
            1.0,
            calling,
            "447700900001",
            json!({"kind": "invoke", "opcode": 71, "operation": "anyTimeInterrogation", "msisdn": "447700900123"}),
        )
    };
    // without a policy: a calling GT of another country is foreign
    assert_eq!(fresh(&[ati("85290001234")]), [3002]);
    assert_eq!(fresh(&[ati("447700900999")]), Vec::<u32>::new());
    // with one: only the home prefixes are home (another UK operator is foreign)
    let mut e = Engine::new(home_policy());
    assert_eq!(ids(&run(&mut e, &[ati("447900100000")])), [3002]);
    let mut e = Engine::new(home_policy());
    assert_eq!(ids(&run(&mut e, &[ati("447700900999")])), Vec::<u32>::new());
    // results are not judged, only invokes
    let res = map_rec(
        1,
        1.0,
        "85290001234",
        "447700900001",
        json!({"kind": "return_result_last", "opcode": 71}),
    );
    assert_eq!(fresh(&[res]), Vec::<u32>::new());
}

#[test]
fn fs11_category2_only_for_home_subscribers() {
    let psi = |imsi: &str| {
        map_rec(
            1,
            1.0,
            "85290001234",
            "447700900200",
            json!({"kind": "invoke", "opcode": 70, "operation": "provideSubscriberInfo", "imsi": imsi}),
        )
    };
    let mut e = Engine::new(home_policy());
    assert_eq!(ids(&run(&mut e, &[psi("234150123456789")])), [3003]);
    // an inbound roamer from Hong Kong: their home network asks, as it should
    let mut e = Engine::new(home_policy());
    assert_eq!(
        ids(&run(&mut e, &[psi("454000123456789")])),
        Vec::<u32>::new()
    );
}

#[test]
fn fs11_category3_impossible_travel() {
    let ul = |frame: u64, ts: f64, vlr: &str| {
        map_rec(
            frame,
            ts,
            vlr,
            "447700900001",
            json!({"kind": "invoke", "opcode": 2, "operation": "updateLocation", "imsi": "234150123456789", "vlr_number": vlr}),
        )
    };
    // France, then Hong Kong ten minutes later
    let a = fresh(&[ul(1, 0.0, "33612345678"), ul(2, 600.0, "85290001234")]);
    assert_eq!(a, [3004]);
    // France, then Hong Kong a day later
    let a = fresh(&[ul(1, 0.0, "33612345678"), ul(2, 86_400.0, "85290001234")]);
    assert!(a.is_empty(), "{a:?}");
}

#[test]
fn beaconing_regular_period_constant_size() {
    let ati = |i: u64, ts: f64| {
        map_rec(
            i,
            ts,
            "447700900777",
            "447700900001",
            json!({"kind": "invoke", "opcode": 45, "operation": "sendRoutingInfoForSM"}),
        )
    };
    let regular: Vec<Value> = (0..10)
        .map(|i| ati(i + 1, 1000.0 + i as f64 * 300.0))
        .collect();
    let got = fresh(&regular);
    assert_eq!(got, [3005], "{got:?}");
    // the same messages at irregular times: no beacon
    let times = [
        0.0, 7.0, 300.0, 310.0, 900.0, 2000.0, 2003.0, 4000.0, 4100.0, 9000.0,
    ];
    let irregular: Vec<Value> = times
        .iter()
        .enumerate()
        .map(|(i, t)| ati(i as u64 + 1, *t))
        .collect();
    assert!(fresh(&irregular).is_empty());
    // GTP Echo is a keepalive: periodic by design, never a beacon
    let echoes: Vec<Value> = (0..20)
        .map(|i| {
            gtp(
                i + 1,
                i as f64 * 60.0,
                "203.0.113.5",
                echo_v2(json!([{"type": 3, "len": 1}])),
            )
        })
        .collect();
    assert!(fresh(&echoes).is_empty());
}

#[test]
fn unsolicited_responses_need_a_pattern_after_warmup() {
    let resp = |i: u64, ts: f64| {
        let mut r = gtp(
            i,
            ts,
            "198.51.100.7",
            json!({"protocol": "gtpv2", "version": 2, "type": 2, "name": "echo_response", "ies": [{"type": 3, "len": 1}]}),
        );
        r["anomalies"] =
            json!([{"layer": "gtp", "code": AnomalyCode::UnmatchedResponse.as_str(), "offset": 0}]);
        r
    };
    // inside the warm-up: the requests may predate the capture
    assert!(fresh(&[resp(1, 0.0), resp(2, 1.0), resp(3, 2.0)]).is_empty());
    // after it: one stray response is noise, three within the window are a pattern
    assert!(fresh(&[resp(1, 0.0), resp(2, 100.0)]).is_empty());
    assert_eq!(
        fresh(&[resp(1, 0.0), resp(2, 100.0), resp(3, 101.0), resp(4, 102.0)]),
        [3001]
    );
}

#[test]
fn peers_outside_the_interconnect() {
    let echo = gtp(
        1,
        1.0,
        "198.51.100.7",
        echo_v2(json!([{"type": 3, "len": 1}])),
    );
    let mut e = Engine::new(home_policy());
    let a = run(&mut e, std::slice::from_ref(&echo));
    assert_eq!(ids(&a), [3006]);
    assert_eq!(a[0].evidence["outside"], json!(["198.51.100.7"]));
    // no peers declared: not checked
    assert!(fresh(&[echo]).is_empty());
    // SS7: calling countries allowed
    let p = Policy::from_toml("[interconnect]\nallowed_countries=[\"GB\",\"FR\"]\n").unwrap();
    let r = |c: &str| {
        map_rec(
            1,
            1.0,
            c,
            "447700900001",
            json!({"kind": "invoke", "opcode": 45}),
        )
    };
    assert_eq!(
        ids(&run(&mut Engine::new(p.clone()), &[r("85290001234")])),
        [3006]
    );
    assert!(run(&mut Engine::new(p), &[r("33612345678")]).is_empty());
}

#[test]
fn rate_limit_counts_what_it_holds_back() {
    let bad = |i: u64, ts: f64| {
        gtp(
            i,
            ts,
            "198.51.100.7",
            echo_v2(json!([{"type": 3, "len": 1}, {"type": 1, "len": 8}])),
        )
    };
    let mut e = Engine::new(Policy::default());
    let a = run(
        &mut e,
        &[bad(1, 0.0), bad(2, 10.0), bad(3, 20.0), bad(4, 70.0)],
    );
    assert_eq!(a.len(), 2);
    assert_eq!(a[1].suppressed, 2);
    assert_eq!(e.stats().suppressed, 2);
    assert_eq!(e.stats().per_signature.get(&1001), Some(&2));
}

#[test]
fn eve_shape() {
    let r = gtp(
        7,
        1_764_000_001.5,
        "198.51.100.7",
        echo_v2(json!([{"type": 1, "len": 8}])),
    );
    let mut e = Engine::new(Policy::default());
    let a = run(&mut e, std::slice::from_ref(&r));
    let eve = a[0].to_eve(Some(&r));
    assert_eq!(eve["event_type"], "alert");
    assert_eq!(eve["timestamp"], "2025-11-24T16:00:01.500000+0000");
    assert_eq!(eve["src_ip"], "198.51.100.7");
    assert_eq!(eve["dest_port"], 2123);
    assert_eq!(eve["proto"], "UDP");
    assert_eq!(eve["alert"]["signature_id"], 1001);
    assert_eq!(eve["alert"]["severity"], 1);
    assert_eq!(eve["frame"], 7);
    assert_eq!(eve["gtp"]["name"], "echo_request");
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9_*#+/=]{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "frame",
                    "ts",
                    "src",
                    "dst",
                    "gtp",
                    "map",
                    "sccp",
                    "tcap",
                    "anomalies",
                    "ies",
                    "type",
                    "code",
                    "layer",
                    "ussd",
                    "sms",
                    "text",
                    "imsi",
                    "kind",
                    "opcode",
                    "calling",
                    "called",
                    "gt",
                    "digits",
                    "value",
                    "hex",
                    "len",
                    "protocol",
                ])
                .prop_map(str::to_string),
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Whatever the record holds, the engine does not panic, and EVE output is an object.
    #[test]
    fn never_panics(recs in prop::collection::vec(arb_json(), 1..12)) {
        let mut e = Engine::new(home_policy());
        for r in &recs {
            e.observe(r, &mut |a| {
                let eve = a.to_eve(Some(r));
                assert!(eve.is_object());
            });
        }
    }
}

#[test]
fn subscriber_harvesting_from_a_foreign_gt() {
    let sri = |i: u64, ts: f64, calling: &str, msisdn: &str| {
        map_rec(
            i,
            ts,
            calling,
            "447700900001",
            json!({"kind": "invoke", "opcode": 45, "operation": "sendRoutingInfoForSM", "msisdn": msisdn}),
        )
    };
    // 25 different subscribers in a minute from one Hong Kong GT
    let scan: Vec<Value> = (0..25)
        .map(|i| {
            // a scan, not a metronome
            let t = i as f64 * 2.0 + (i % 3) as f64 * 0.7;
            sri(i + 1, t, "85290001234", &format!("4477009{:05}", i))
        })
        .collect();
    let a = run(&mut Engine::new(Policy::default()), &scan);
    assert_eq!(ids(&a), [3007]);
    assert_eq!(a[0].frame, 20);
    // the same subscriber again and again is not harvesting (and home GTs are not judged)
    let same: Vec<Value> = (0..25)
        .map(|i| sri(i + 1, i as f64, "85290001234", "447700900123"))
        .collect();
    assert!(!fresh(&same).contains(&3007));
    let home: Vec<Value> = (0..25)
        .map(|i| sri(i + 1, i as f64, "447700900777", &format!("4477009{:05}", i)))
        .collect();
    assert!(!fresh(&home).contains(&3007));
    // spread over more than the window: no alert
    let slow: Vec<Value> = (0..25)
        .map(|i| {
            sri(
                i + 1,
                i as f64 * 60.0,
                "85290001234",
                &format!("4477009{:05}", i),
            )
        })
        .collect();
    assert!(!fresh(&slow).contains(&3007));
}
