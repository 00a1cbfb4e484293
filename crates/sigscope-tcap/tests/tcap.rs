//! TCAP decoding on real bytes (shared captures) and on crafted messages for the constructs
//! no capture carries (Abort, ReturnError, Reject, Unidirectional, ReturnResult-NotLast,
//! global opcodes, indefinite lengths), the latter cross-checked with tshark through a
//! raw-MTP3 pcap (skipped when tshark is absent). Plus property tests.

use proptest::prelude::*;
use sigscope_core::ber::{write_header, write_tlv, Class, Tag};
use sigscope_core::Anomalies;
use sigscope_core::AnomalyCode;
use sigscope_tcap::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// CAP.pcap frame 9, SCCP data: Begin, AARQ (networkUnstructuredSs v2), invoke
/// processUnstructuredSS-Request (59), and 18 trailing octets that the frame carries.
const CAP_F9_TCAP: &str = "627c4804620004c46b542852060700118605010101a047604580020780a109060704000001001302be342832060704000001010101a027a025800824020301803988f28107916998051020f98207916998153056f78307916998051050f16c80a11a02010002013b301204010f040daa182ca6cad56032d90c971b010000";

/// CAP.pcap frame 11, SCCP data: Continue with AARE (accepted) and an indefinite-length
/// invoke insertSubscriberData (7).
const CAP_F11_TCAP: &str = "6581db48049b00009e49030004006b2a2828060700118605010101a01d611b80020780a109060704000001000103a203020100a305a1030201006c80a1819d02010402010730808107916998153056f782010a830100a40304011fa609040111040121040122a780a08004012130803006830110840104300682011884010400000000a08004012930803006830110840104300682011884010400000000a08004012a30803006830110840104300682011884010400000000a08004012b308030128301108401078507916998051105f78601000000000000000000000000";

#[test]
fn begin_with_aarq_and_invoke() {
    let b = hex(CAP_F9_TCAP);
    let mut a = Anomalies::new();
    let Tcap::Itu(m) = Tcap::decode(&b, &mut a).unwrap() else {
        panic!("not ITU")
    };
    assert_eq!(m.msg_type, MessageType::BEGIN);
    assert_eq!(m.otid.unwrap().to_string(), "620004c4");
    assert!(m.dtid.is_none());
    let d = m.dialogue(&mut a).unwrap();
    assert_eq!(d.kind, DialoguePduKind::Aarq);
    assert_eq!(d.oid.unwrap().to_string(), "0.0.17.773.1.1.1");
    assert_eq!(d.acn.unwrap().to_string(), "0.4.0.0.1.0.19.2");
    assert_eq!(d.protocol_version, Some(&[0x07, 0x80][..]));
    assert!(d.user_info.is_some_and(|u| u.len() == 0x34));
    let comps: Vec<_> = m.components().collect::<Result<_, _>>().unwrap();
    assert_eq!(comps.len(), 1);
    let c = &comps[0];
    assert_eq!(c.kind, ComponentKind::Invoke);
    assert_eq!(c.invoke_id, Some(0));
    assert_eq!(c.opcode, Some(Code::Local(59)));
    let p = c.parameter.unwrap();
    assert_eq!(p.tag, Tag::SEQUENCE);
    assert_eq!(p.value.len(), 0x12);
    assert!(a.is_empty(), "{a:?}");
}

#[test]
fn continue_with_aare_and_indefinite_invoke() {
    let b = hex(CAP_F11_TCAP);
    let mut a = Anomalies::new();
    let m = Message::decode(&b, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::CONTINUE);
    assert_eq!(m.otid.unwrap().to_string(), "9b00009e");
    assert_eq!(m.dtid.unwrap().to_string(), "000400");
    let d = m.dialogue(&mut a).unwrap();
    assert_eq!(d.kind, DialoguePduKind::Aare);
    assert_eq!(d.acn.unwrap().to_string(), "0.4.0.0.1.0.1.3");
    assert_eq!(d.result, Some(0));
    assert_eq!(d.diagnostic, Some(Diagnostic::User(0)));
    let c = m.components().next().unwrap().unwrap();
    assert_eq!(
        (c.kind, c.invoke_id, c.local_opcode()),
        (ComponentKind::Invoke, Some(4), Some(7))
    );
    assert!(c.parameter.unwrap().indefinite);
    assert!(m.components().nth(1).is_none());
}

/// ansi_tcap_over_itu_sccp_over_mtp3_over_mtp2.pcap frame 1: ANSI QueryWithPerm.
#[test]
fn ansi_query_with_perm() {
    let b = hex("e27cc70461060390e874e972cf0101d102092ff26995033940018805011890002789048d2ad4fe8107394001011c30009f6204000000009f7b020c719f21021004840a0100210b403480000102820201049f5d090000210a33135009279f50090200210a33135009279f82170124bf82180c9f8215037d7b1f9f8219010f");
    let mut a = Anomalies::new();
    let Tcap::Ansi(m) = Tcap::decode(&b, &mut a).unwrap() else {
        panic!("not ANSI")
    };
    assert_eq!(m.package, PackageType::QUERY_WITH_PERM);
    assert_eq!(m.otid.unwrap().to_string(), "61060390");
    let c = m.components().next().unwrap().unwrap();
    assert_eq!(c.kind, ComponentKind::Invoke);
    assert_eq!(c.invoke_id, Some(1));
    assert_eq!(c.opcode, Some(Code::Private(0x092f)));
    assert_eq!(c.parameter.unwrap().tag, Tag::new(Class::Private, true, 18));
}

fn tlv(tag: u8, v: &[u8]) -> Vec<u8> {
    let mut o = vec![tag];
    let mut h = Vec::new();
    write_header(&mut h, Tag::INTEGER, v.len());
    o.extend_from_slice(&h[1..]);
    o.extend_from_slice(v);
    o
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

fn dialogue(pdu: Vec<u8>, uni: bool) -> Vec<u8> {
    let oid = if uni {
        UNI_DIALOGUE_AS_ID
    } else {
        DIALOGUE_AS_ID
    };
    tlv(0x6b, &tlv(0x28, &cat(&[tlv(0x06, oid), tlv(0xa0, &pdu)])))
}

/// Crafted messages: (bytes, expected otid, dtid, p-abort cause, invoke ids, opcodes, error codes, problem).
#[allow(clippy::vec_init_then_push)]
fn crafted() -> Vec<Vec<u8>> {
    let acn = tlv(
        0xa1,
        &tlv(0x06, &[0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03]),
    );
    let mut v = Vec::new();
    // End: returnError (invoke 1, error 34 with parameter) + reject (invoke problem 1) + RR-last with result
    v.push(tlv(
        0x64,
        &cat(&[
            tlv(0x49, &[0x01, 0x02, 0x03, 0x04]),
            tlv(
                0x6c,
                &cat(&[
                    tlv(
                        0xa3,
                        &cat(&[
                            tlv(0x02, &[1]),
                            tlv(0x02, &[34]),
                            tlv(0x30, &tlv(0x0a, &[1])),
                        ]),
                    ),
                    tlv(0xa4, &cat(&[tlv(0x02, &[2]), tlv(0x81, &[1])])),
                    tlv(0xa4, &cat(&[vec![0x05, 0x00], tlv(0x82, &[2])])),
                    tlv(
                        0xa2,
                        &cat(&[
                            tlv(0x02, &[3]),
                            tlv(
                                0x30,
                                &cat(&[tlv(0x02, &[45]), tlv(0x30, &tlv(0x04, &[0x91, 0x44]))]),
                            ),
                        ]),
                    ),
                ]),
            ),
        ]),
    ));
    // Abort with P-Abort cause 1
    v.push(tlv(
        0x67,
        &cat(&[tlv(0x49, &[0xaa, 0xbb]), tlv(0x4a, &[1])]),
    ));
    // Abort with U-Abort: ABRT (dialogue-service-user)
    v.push(tlv(
        0x67,
        &cat(&[
            tlv(0x49, &[0x0a]),
            dialogue(tlv(0x64, &tlv(0x80, &[0])), false),
        ]),
    ));
    // Unidirectional: AUDT + invoke with a global opcode
    v.push(tlv(
        0x61,
        &cat(&[
            dialogue(
                tlv(0x60, &cat(&[tlv(0x80, &[0x07, 0x80]), acn.clone()])),
                true,
            ),
            tlv(
                0x6c,
                &tlv(
                    0xa1,
                    &cat(&[tlv(0x02, &[5]), tlv(0x06, &[0x2a, 0x03, 0x04])]),
                ),
            ),
        ]),
    ));
    // Continue: returnResultNotLast + returnResultLast, invoke with linked id
    v.push(tlv(
        0x65,
        &cat(&[
            tlv(0x48, &[0x11, 0x22, 0x33]),
            tlv(0x49, &[0x44]),
            tlv(
                0x6c,
                &cat(&[
                    tlv(
                        0xa7,
                        &cat(&[
                            tlv(0x02, &[7]),
                            tlv(0x30, &cat(&[tlv(0x02, &[56]), tlv(0x30, &[])])),
                        ]),
                    ),
                    tlv(0xa2, &tlv(0x02, &[7])),
                    tlv(
                        0xa1,
                        &cat(&[tlv(0x02, &[8]), tlv(0x80, &[7]), tlv(0x02, &[2])]),
                    ),
                ]),
            ),
        ]),
    ));
    // Begin, all indefinite lengths, AARQ
    let mut b = vec![0x62, 0x80];
    b.extend(tlv(0x48, &[0xde, 0xad, 0xbe, 0xef]));
    b.extend([0x6b, 0x80, 0x28, 0x80]);
    b.extend(tlv(0x06, DIALOGUE_AS_ID));
    b.extend([0xa0, 0x80, 0x60, 0x80]);
    b.extend(tlv(0x80, &[0x07, 0x80]));
    b.extend(acn);
    b.extend([0, 0, 0, 0, 0, 0, 0, 0]);
    b.extend([0x6c, 0x80, 0xa1, 0x80]);
    b.extend(tlv(0x02, &[1]));
    b.extend(tlv(0x02, &[45]));
    b.extend([0, 0, 0, 0, 0, 0]);
    v.push(b);
    v
}

#[test]
fn crafted_constructs() {
    let msgs = crafted();
    let mut a = Anomalies::new();
    // End
    let m = Message::decode(&msgs[0], &mut a).unwrap();
    let cs: Vec<_> = m.components().collect::<Result<_, _>>().unwrap();
    assert_eq!(cs[0].kind, ComponentKind::ReturnError);
    assert_eq!(cs[0].error_code, Some(Code::Local(34)));
    assert!(cs[0].parameter.is_some());
    assert_eq!(
        cs[1].problem,
        Some(Problem {
            kind: ProblemType::INVOKE,
            code: 1,
            ansi: false,
        })
    );
    assert_eq!(cs[1].problem.unwrap().name(), Some("unrecognizedOperation"));
    assert_eq!(cs[2].invoke_id, None);
    assert_eq!(cs[2].problem.unwrap().kind, ProblemType::RETURN_RESULT);
    assert_eq!(
        (cs[3].kind, cs[3].local_opcode()),
        (ComponentKind::ReturnResultLast, Some(45))
    );
    // P-Abort
    let m = Message::decode(&msgs[1], &mut a).unwrap();
    assert_eq!(
        m.p_abort_cause,
        Some(PAbortCause::UNRECOGNIZED_TRANSACTION_ID)
    );
    // U-Abort
    let m = Message::decode(&msgs[2], &mut a).unwrap();
    let d = m.dialogue(&mut a).unwrap();
    assert_eq!((d.kind, d.abort_source), (DialoguePduKind::Abrt, Some(0)));
    // Unidirectional
    let m = Message::decode(&msgs[3], &mut a).unwrap();
    let d = m.dialogue(&mut a).unwrap();
    assert_eq!(d.kind, DialoguePduKind::Audt);
    assert_eq!(d.acn.unwrap().to_string(), "0.4.0.0.1.0.20.3");
    let c = m.components().next().unwrap().unwrap();
    assert_eq!(
        c.opcode
            .map(|o| matches!(o, Code::Global(g) if g.to_string() == "1.2.3.4")),
        Some(true)
    );
    // Continue
    let m = Message::decode(&msgs[4], &mut a).unwrap();
    let cs: Vec<_> = m.components().collect::<Result<_, _>>().unwrap();
    assert_eq!(
        (cs[0].kind, cs[0].local_opcode()),
        (ComponentKind::ReturnResultNotLast, Some(56))
    );
    assert_eq!(
        (cs[1].kind, cs[1].opcode),
        (ComponentKind::ReturnResultLast, None)
    );
    assert_eq!((cs[2].linked_id, cs[2].local_opcode()), (Some(7), Some(2)));
    // Indefinite Begin
    let m = Message::decode(&msgs[5], &mut a).unwrap();
    assert_eq!(m.otid.unwrap().to_string(), "deadbeef");
    assert_eq!(
        m.dialogue(&mut a).unwrap().acn.unwrap().to_string(),
        "0.4.0.0.1.0.20.3"
    );
    assert_eq!(
        m.components().next().unwrap().unwrap().local_opcode(),
        Some(45)
    );
    assert!(a.is_empty(), "{a:?}");

    if !std::process::Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: tshark not on PATH; skipping the tshark comparison");
        return;
    }
    let path =
        std::env::temp_dir().join(format!("sigscope_tcap_crafted_{}.pcap", std::process::id()));
    let mut f = hex("d4c3b2a1020004000000000000000000ffff00008d000000");
    for (i, t) in msgs.iter().enumerate() {
        // MTP3 ITU + UDT, called/calling SSN 6/8 (TCAP on both sides for tshark)
        let mut p = vec![
            0x83, 0x01, 0x80, 0x00, 0x00, 0x09, 0x00, 0x03, 0x05, 0x07, 0x02, 0x42, 0x06, 0x02,
            0x42, 0x08,
        ];
        p.push(t.len() as u8);
        p.extend_from_slice(t);
        f.extend_from_slice(&(i as u32 + 1).to_le_bytes());
        f.extend_from_slice(&[0; 4]);
        f.extend_from_slice(&(p.len() as u32).to_le_bytes());
        f.extend_from_slice(&(p.len() as u32).to_le_bytes());
        f.extend_from_slice(&p);
    }
    std::fs::write(&path, &f).unwrap();
    let out = std::process::Command::new("tshark")
        .arg("-r")
        .arg(&path)
        .args([
            "-n",
            "-T",
            "fields",
            "-E",
            "separator=\t",
            "-E",
            "aggregator=,",
        ])
        .args([
            "-e",
            "tcap.otid",
            "-e",
            "tcap.dtid",
            "-e",
            "tcap.p_abortCause",
            "-e",
            "tcap.invokeID",
            "-e",
            "tcap.application_context_name",
            "-e",
            "gsm_old.invokeID",
            "-e",
            "tcap.abort_source",
        ])
        .args(["-e", "gsm_old.derivable", "-e", "tcap.derivable"])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), msgs.len());
    for (m, line) in msgs.iter().zip(lines) {
        let cols: Vec<&str> = line.split('\t').collect();
        let mut a = Anomalies::new();
        let msg = Message::decode(m, &mut a).unwrap();
        let tid = |t: Option<TransactionId<'_>>| t.map_or(String::new(), |t| t.to_string());
        assert_eq!(cols[0].replace(':', ""), tid(msg.otid), "otid {line}");
        assert_eq!(cols[1].replace(':', ""), tid(msg.dtid), "dtid {line}");
        assert_eq!(
            cols[2],
            msg.p_abort_cause.map_or(String::new(), |c| c.0.to_string()),
            "p-abort {line}"
        );
        // tshark splits invoke ids between TCAP and the MAP dissector (and reject's derivable)
        let mut ids: Vec<String> = msg
            .components()
            .flatten()
            .filter_map(|c| c.invoke_id)
            .map(|i| i.to_string())
            .collect();
        let mut theirs: Vec<String> = [3, 5, 7, 8]
            .iter()
            .flat_map(|i| cols.get(*i).copied().unwrap_or("").split(','))
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        ids.sort();
        theirs.sort();
        assert_eq!(theirs, ids, "invoke ids {line}");
        let d = msg.dialogue(&mut a);
        assert_eq!(
            cols[4],
            d.and_then(|d| d.acn)
                .map_or(String::new(), |o| o.to_string()),
            "acn {line}"
        );
        assert_eq!(
            cols.get(6).copied().unwrap_or(""),
            d.and_then(|d| d.abort_source)
                .map_or(String::new(), |s| s.to_string()),
            "abort source {line}"
        );
    }
}

#[test]
fn bad_ber_is_reported() {
    let b = hex(CAP_F9_TCAP);
    // inner length broken: component portion claims more than there is
    let mut x = b.clone();
    let cp = x.windows(2).position(|w| w == [0x6c, 0x80]).unwrap();
    x[cp + 1] = 0x7f;
    let mut a = Anomalies::new();
    let m = Message::decode(&x, &mut a).unwrap();
    assert_eq!(m.otid.unwrap().to_string(), "620004c4");
    let an = a
        .iter()
        .find(|a| a.code == AnomalyCode::BerInvalid)
        .unwrap();
    assert_eq!(an.offset, cp + 2); // where the contents should start
                                   // outer length overruns the data: decoded as far as it goes
    let mut a = Anomalies::new();
    let m = Message::decode(&b[..60], &mut a).unwrap();
    assert!(a.contains(AnomalyCode::BerLengthOverrun));
    assert_eq!(m.otid.unwrap().to_string(), "620004c4");
    assert!(!Tcap::looks_like(&[0x30, 0x00]));
    assert!(Tcap::looks_like(&b[..60]));
    assert!(Message::decode(&[0x30, 0x00], &mut a).is_err());
}

#[test]
fn matcher_pairs_and_reports() {
    let mut mt = Matcher::new();
    let mut a = Anomalies::new();
    let begin = hex(CAP_F9_TCAP);
    let m = Message::decode(&begin, &mut a).unwrap();
    assert!(mt.observe(&m, 1, 0, &mut a).matched);
    // duplicate Begin
    mt.observe(&m, 1, 1, &mut a);
    assert!(a.contains(AnomalyCode::TcapDuplicateBegin));
    // End to an unknown transaction
    let msgs = crafted();
    let end = Message::decode(&msgs[0], &mut a).unwrap();
    let mut a = Anomalies::new();
    assert!(!mt.observe(&end, 1, 2, &mut a).matched);
    assert!(a.contains(AnomalyCode::TcapResponseWithoutRequest));
    // Continue answering CAP frame 9's Begin (dtid 620004c4), then End from the initiator
    let cont = tlv(
        0x65,
        &cat(&[
            tlv(0x48, &[9, 9]),
            tlv(0x49, &[0x62, 0x00, 0x04, 0xc4]),
            tlv(0x6c, &tlv(0xa2, &tlv(0x02, &[0]))),
        ]),
    );
    let c = Message::decode(&cont, &mut a).unwrap();
    let mut a = Anomalies::new();
    assert_eq!(mt.pending_opcode(1, &c.dtid.unwrap(), 0), Some(59));
    let o = mt.observe(&c, 1, 5, &mut a);
    assert!(o.matched && !o.ended && o.since_begin_nanos == Some(4));
    assert!(a.is_empty(), "{a:?}");
    let end2 = tlv(
        0x64,
        &cat(&[tlv(0x49, &[9, 9]), tlv(0x6c, &tlv(0xa2, &tlv(0x02, &[3])))]),
    );
    let e = Message::decode(&end2, &mut a).unwrap();
    let o = mt.observe(&e, 1, 6, &mut a);
    assert!(o.matched && o.ended);
    assert!(a.contains(AnomalyCode::TcapResultWithoutInvoke));
    assert!(mt.is_empty());
    // timeout
    let mut a = Anomalies::new();
    mt.observe(&m, 2, 10, &mut a);
    assert_eq!(mt.expire(10 + TRANSACTION_TIMEOUT_NANOS + 1, &mut a), 1);
    assert!(a.contains(AnomalyCode::TcapTransactionTimeout));
}

proptest! {
    #[test]
    fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut a = Anomalies::new();
        let _ = Tcap::looks_like(&d);
        if let Ok(t) = Tcap::decode(&d, &mut a) {
            for c in t.components().flatten() {
                c.check(&mut a);
                let _ = c.problem.map(|p| p.name());
            }
            if let Tcap::Itu(m) = t {
                let _ = m.dialogue(&mut a).map(|d| d.acn.map(|o| o.to_string()));
                Matcher::new().observe(&m, 0, 0, &mut a);
            }
        }
    }

    #[test]
    fn mutated_real_never_panics(i in 0usize..230, b in any::<u8>(), cut in 0usize..240) {
        let mut d = hex(CAP_F11_TCAP);
        if let Some(x) = d.get_mut(i) { *x = b; }
        d.truncate(cut);
        let mut a = Anomalies::new();
        if let Ok(Tcap::Itu(m)) = Tcap::decode(&d, &mut a) {
            let _ = m.dialogue(&mut a);
            for c in m.components() { let _ = c; }
        }
    }

    #[test]
    fn invoke_round_trip(iid in -128i64..128, op in 0i64..200, param in proptest::collection::vec(any::<u8>(), 0..40), tid in proptest::collection::vec(any::<u8>(), 1..5)) {
        let mut comp = Vec::new();
        let (ib, il) = sigscope_core::ber::encode_int(iid);
        write_tlv(&mut comp, Tag::INTEGER, &ib[..il]);
        let (ob, ol) = sigscope_core::ber::encode_int(op);
        write_tlv(&mut comp, Tag::INTEGER, &ob[..ol]);
        write_tlv(&mut comp, Tag::OCTET_STRING, &param);
        let mut inv = Vec::new();
        write_tlv(&mut inv, Tag::ctx_cons(1), &comp);
        let mut cp = Vec::new();
        write_tlv(&mut cp, Tag::new(Class::Application, true, 12), &inv);
        let mut body = Vec::new();
        write_tlv(&mut body, Tag::new(Class::Application, false, 8), &tid);
        body.extend_from_slice(&cp);
        let mut msg = Vec::new();
        write_tlv(&mut msg, Tag::new(Class::Application, true, 2), &body);
        let mut a = Anomalies::new();
        let m = Message::decode(&msg, &mut a).unwrap();
        prop_assert!(a.is_empty());
        prop_assert_eq!(m.otid.unwrap().0, &tid[..]);
        let c = m.components().next().unwrap().unwrap();
        prop_assert_eq!(c.invoke_id, Some(iid));
        prop_assert_eq!(c.local_opcode(), Some(op));
        prop_assert_eq!(c.parameter.unwrap().value, &param[..]);
    }
}

/// `Matcher::default()` is bounded by MAX_TRANSACTIONS (a derived Default once made it hold
/// none, so every Begin after the first reported `tcap_transactions_full`).
#[test]
fn default_matcher_holds_many_transactions() {
    let mut mt = Matcher::default();
    let begin = hex(CAP_F9_TCAP);
    let mut a = Anomalies::new();
    let m = Message::decode(&begin, &mut a).unwrap();
    for peer in 0..100u64 {
        let mut a = Anomalies::new();
        assert!(mt.observe(&m, peer, 0, &mut a).matched);
        assert!(
            !a.contains(AnomalyCode::TcapTransactionsFull),
            "peer {peer}: {a:?}"
        );
    }
    assert_eq!(mt.len(), 100);
}

/// A full table forgets the transaction that began first, and goes on accepting Begins;
/// timeouts name the transaction they drop.
#[test]
fn full_matcher_evicts_in_begin_order() {
    let mut mt = Matcher::with_capacity_limit(3);
    let begin = hex(CAP_F9_TCAP);
    let mut a = Anomalies::new();
    let m = Message::decode(&begin, &mut a).unwrap();
    for peer in 0..3u64 {
        mt.observe(&m, peer, peer, &mut Anomalies::new());
    }
    // peer 1's transaction ends; a fourth Begin must evict peer 0's, not fail
    let end = tlv(0x64, &cat(&[tlv(0x49, &[0x62, 0x00, 0x04, 0xc4])]));
    let e = Message::decode(&end, &mut a).unwrap();
    assert!(mt.observe(&e, 1, 3, &mut Anomalies::new()).ended);
    let mut a = Anomalies::new();
    mt.observe(&m, 3, 4, &mut a);
    assert!(!a.contains(AnomalyCode::TcapTransactionsFull));
    mt.observe(&m, 4, 5, &mut a);
    assert!(a.contains(AnomalyCode::TcapTransactionsFull));
    assert_eq!(mt.len(), 3);
    // the rest time out, each named by its otid
    let mut a = Anomalies::new();
    assert_eq!(mt.expire(TRANSACTION_TIMEOUT_NANOS * 2, &mut a), 3);
    let t = a
        .iter()
        .find(|x| x.code == AnomalyCode::TcapTransactionTimeout)
        .unwrap();
    assert_eq!(t.value, Some(0x6200_04c4));
}

/// More outstanding invokes than are tracked: said once, and the results of untracked
/// invokes are not reported as results without invoke.
#[test]
fn invoke_overflow_is_reported_not_mistaken() {
    let mut mt = Matcher::new();
    let invokes: Vec<Vec<u8>> = (0..20u8)
        .map(|i| tlv(0xa1, &cat(&[tlv(0x02, &[i]), tlv(0x02, &[45])])))
        .collect();
    let begin = tlv(
        0x62,
        &cat(&[tlv(0x48, &[1, 2, 3, 4]), tlv(0x6c, &cat(&invokes))]),
    );
    let mut a = Anomalies::new();
    let b = Message::decode(&begin, &mut a).unwrap();
    mt.observe(&b, 9, 0, &mut a);
    assert_eq!(
        a.iter()
            .filter(|x| x.code == AnomalyCode::TcapInvokesFull)
            .count(),
        1
    );
    let end = tlv(
        0x64,
        &cat(&[
            tlv(0x49, &[1, 2, 3, 4]),
            tlv(0x6c, &tlv(0xa2, &tlv(0x02, &[19]))),
        ]),
    );
    let e = Message::decode(&end, &mut a).unwrap();
    let mut a = Anomalies::new();
    assert!(mt.observe(&e, 9, 1, &mut a).matched);
    assert!(!a.contains(AnomalyCode::TcapResultWithoutInvoke), "{a:?}");
}

/// ANSI Reject: T1.114 problem type 5 (transaction portion), code 3 — named by T1.114, not
/// by the ITU table (whose categories start at 0 and codes at 0).
#[test]
fn ansi_reject_problem_is_named_by_t1_114() {
    let b = hex("e10fc700e80bec09cf0105d5020503f200");
    let mut a = Anomalies::new();
    let Tcap::Ansi(m) = Tcap::decode(&b, &mut a).unwrap() else {
        panic!("not ANSI")
    };
    let c = m.components().next().unwrap().unwrap();
    assert_eq!(c.kind, ComponentKind::Reject);
    let p = c.problem.unwrap();
    assert_eq!(
        (p.kind, p.code, p.ansi),
        (ProblemType::TRANSACTION, 3, true)
    );
    assert_eq!(p.name(), Some("badlyStructuredTransactionPortion"));
    let b = hex("e10fc700e80bec09cf0105d5020202f200");
    let m = match Tcap::decode(&b, &mut a).unwrap() {
        Tcap::Ansi(m) => m,
        Tcap::Itu(_) => panic!("not ANSI"),
    };
    let p = m.components().next().unwrap().unwrap().problem.unwrap();
    assert_eq!(
        (p.kind, p.name()),
        (ProblemType::INVOKE, Some("unrecognizedOperationCode"))
    );
}

/// An answered dialogue (handover: prepareHandover ... processAccessSignalling ...
/// sendEndSignal) stays open for the call: minutes between Continues are not a timeout.
#[test]
fn answered_dialogue_survives_long_idle_periods() {
    let mut mt = Matcher::new();
    let mut a = Anomalies::new();
    let begin = hex(CAP_F9_TCAP);
    let m = Message::decode(&begin, &mut a).unwrap();
    mt.observe(&m, 1, 0, &mut a);
    let cont = tlv(
        0x65,
        &cat(&[tlv(0x48, &[9, 9]), tlv(0x49, &[0x62, 0x00, 0x04, 0xc4])]),
    );
    let c = Message::decode(&cont, &mut a).unwrap();
    assert!(mt.observe(&c, 1, 1, &mut a).matched);
    // five minutes later, the initiator continues
    let later = tlv(
        0x65,
        &cat(&[tlv(0x48, &[0x62, 0x00, 0x04, 0xc4]), tlv(0x49, &[9, 9])]),
    );
    let l = Message::decode(&later, &mut a).unwrap();
    let mut a = Anomalies::new();
    let five_min = 300 * 1_000_000_000;
    assert!(mt.observe(&l, 1, five_min, &mut a).matched);
    assert!(
        !a.contains(AnomalyCode::TcapResponseWithoutRequest),
        "{a:?}"
    );
    assert!(!a.contains(AnomalyCode::TcapTransactionTimeout), "{a:?}");
}

/// The answer comes back through other point codes (an STP mated pair, an alias point code):
/// the peer keys differ, the transaction id is the one open: still matched (22-249.pcap
/// frames 41/42: Begin 1505538→1507304, Continue 1507304→1505537).
#[test]
fn answer_through_another_point_code_matches_by_transaction_id() {
    let mut mt = Matcher::new();
    let mut a = Anomalies::new();
    let begin = hex(CAP_F9_TCAP);
    let m = Message::decode(&begin, &mut a).unwrap();
    mt.observe(&m, 100, 0, &mut a);
    let cont = tlv(
        0x65,
        &cat(&[tlv(0x48, &[7, 7]), tlv(0x49, &[0x62, 0x00, 0x04, 0xc4])]),
    );
    let c = Message::decode(&cont, &mut a).unwrap();
    let mut a = Anomalies::new();
    assert!(mt.observe(&c, 200, 1, &mut a).matched);
    assert!(a.is_empty(), "{a:?}");
    // and the initiator's next message, on its own peer key, finds it by the responder's id
    let next = tlv(0x64, &cat(&[tlv(0x49, &[7, 7])]));
    let e = Message::decode(&next, &mut a).unwrap();
    let o = mt.observe(&e, 100, 2, &mut a);
    assert!(o.matched && o.ended);
    assert!(mt.is_empty());
}
