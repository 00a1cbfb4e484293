//! Each signature fires on the traffic that should raise it and stays quiet on its benign
//! neighbour. Every input is real bytes: frames made with the project's own emitters
//! (`support`), decoded by a [`sigscope_decode::Decoder`], each typed message handed to the
//! [`Engine`] — the path `sigscope detect` takes.

mod support;

use proptest::prelude::*;
use serde_json::json;
use sigscope_core::ber::{Class, Tag};
use sigscope_core::AnomalyCode;
use sigscope_decode::{Decoder, Options};
use sigscope_gtp::v2;
use sigscope_rules::engine::MAX_STATE_KEYS;
use sigscope_rules::{Alert, Engine, Policy};
use sigscope_sccp::address::{AddressRepr, GtRepr};
use sigscope_tcap::ComponentKind;
use support::*;

/// The alerts (findings) the engine raises on `frames`, without the tagged members of
/// flagged flows.
fn run(engine: &mut Engine, frames: &[Frame]) -> Vec<Alert> {
    let mut v = run_all(engine, frames);
    v.retain(|a| !a.tagged);
    v
}

/// Every alert line, tagged flow members included.
fn run_all(engine: &mut Engine, frames: &[Frame]) -> Vec<Alert> {
    let mut out = Vec::new();
    decode(frames, &mut |m| engine.observe(m, &mut |a| out.push(a)));
    out
}

fn ids(alerts: &[Alert]) -> Vec<u32> {
    let mut v: Vec<u32> = alerts.iter().map(|a| a.sig.id()).collect();
    v.sort_unstable();
    v
}

fn fresh(frames: &[Frame]) -> Vec<u32> {
    ids(&run(&mut Engine::new(Policy::default()), frames))
}

/// Every anomaly code the decoder reports for `frames`: the bytes say what they should.
fn codes(frames: &[Frame]) -> Vec<AnomalyCode> {
    let mut v = Vec::new();
    decode(frames, &mut |m| {
        v.extend(m.anomalies.iter().map(|a| a.code))
    });
    v
}

/// (component, opcode) of every MAP entry the decoder hands out for `frames`.
fn map_entries(frames: &[Frame]) -> Vec<(ComponentKind, Option<i64>)> {
    let mut v = Vec::new();
    decode(frames, &mut |m| {
        v.extend(m.map.iter().map(|e| (e.component, e.opcode)));
    });
    v
}

fn home_policy() -> Policy {
    Policy::from_toml(
        "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n[interconnect]\ngtp_peers=[\"203.0.113.0/24\"]\n",
    )
    .unwrap()
}

/// A GTP-C datagram from `src` to the PGW at `ts`.
fn gtpc(ts: f64, src: [u8; 4], payload: &[u8]) -> Frame {
    Frame::at(ts, udp(src, PGW, GTPC, GTPC, payload))
}

/// A MAP Invoke from `calling` to `called` at `ts` (otid from `ts`, so repeats are new
/// transactions of the same size).
fn map_at(ts: f64, calling: &str, called: &str, ac: (u8, u8), opcode: u8, arg: &[u8]) -> Frame {
    let otid = 0x7700_0000 | (ts as u32 & 0x00ff_ffff);
    Frame::at(ts, map_invoke(otid, calling, called, ac, opcode, arg))
}

#[test]
fn gtp_echo_with_foreign_ie() {
    let bad = gtpc(
        1.0,
        FOREIGN,
        &echo_request_v2(1, vec![v2_recovery(7), v2_imsi("234150123456789")]),
    );
    let good = gtpc(
        2.0,
        SGW,
        &echo_request_v2(2, vec![v2_recovery(7), v2_node_features(1)]),
    );
    assert_eq!(fresh(&[bad]), [1001]);
    assert_eq!(fresh(&[good]), Vec::<u32>::new());
    // v1: Recovery is 14, and v2's Recovery type 3 is the Routeing Area Identity there
    let v1 = gtpc(
        3.0,
        SGW,
        &gtp_v1(
            2,
            0,
            Some(9),
            vec![
                v1_ie(3, vec![0x32, 0xf4, 0x51, 0, 1, 1]),
                v1_ie(14, vec![1]),
            ],
        ),
    );
    assert_eq!(fresh(&[v1]), [1001]);
    let v1_good = gtpc(3.0, SGW, &gtp_v1(2, 0, Some(9), vec![v1_ie(14, vec![1])]));
    assert_eq!(fresh(&[v1_good]), Vec::<u32>::new());
}

#[test]
fn echo_private_extension_size_and_content() {
    // 48 octets that look encrypted, enterprise 42: larger than a keepalive needs
    let big = gtpc(
        1.0,
        SGW,
        &echo_request_v2(
            1,
            vec![v2_recovery(7), v2_private_extension(42, &noise(7, 48))],
        ),
    );
    // and the SGW takes part in no session here: 3020 too (gtp_families.rs)
    assert_eq!(fresh(&[big]), [1002, 2003, 3020]);
    let small = gtpc(
        1.0,
        SGW,
        &echo_request_v2(1, vec![v2_private_extension(10415, &[1, 2, 3, 4])]),
    );
    assert_eq!(fresh(&[small]), Vec::<u32>::new());
}

#[test]
fn gtp_anomalies_map_to_structure_signatures() {
    let on = |sport: u16, dport: u16, payload: Vec<u8>| {
        vec![Frame::at(1.0, udp(SGW, PGW, sport, dport, &payload))]
    };
    let check = |frames: &[Frame], code: AnomalyCode, want: &[u32]| {
        assert!(codes(frames).contains(&code), "{code:?} not raised");
        assert_eq!(fresh(frames), want, "{code:?}");
    };
    // the header length disagrees with the datagram: bytes after the G-PDU
    let mut trailing = gpdu(0x1001, user_dns_packet());
    trailing.extend_from_slice(b"hidden");
    check(
        &on(GTPU, GTPU, trailing),
        AnomalyCode::HeaderLengthMismatch,
        &[1003],
    );
    // a message type GTPv1 does not assign
    check(
        &on(GTPU, GTPU, gtp_v1(0x50, 0x1001, Some(1), Vec::new())),
        AnomalyCode::UnassignedMessageType,
        &[1004],
    );
    // not GTP at all on the GTP-C port
    check(
        &on(GTPC, GTPC, b"hello, this is not GTP".to_vec()),
        AnomalyCode::NotGtp,
        &[1005],
    );
    // a STUN Binding Request (RFC 8489: type 0x0001, length, magic cookie, transaction id)
    // on the GTP-C port reads as a GTP' header whose spare bits are wrong: not GTP
    let mut stun = vec![0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42];
    stun.extend_from_slice(&[0x5a; 12]);
    check(
        &on(GTPC, GTPC, stun),
        AnomalyCode::GtpVersionPortMismatch,
        &[1005],
    );
    // GTP-C tunnelled inside a subscriber's G-PDU
    let inner = ipv4_udp(
        [10, 45, 0, 2],
        PGW,
        GTPC,
        GTPC,
        &echo_request_v2(5, vec![v2_recovery(1)]),
    );
    check(
        &on(GTPU, GTPU, gpdu(0x1001, inner)),
        AnomalyCode::GtpInGtpu,
        &[1006],
    );
    // a G-PDU on the control port
    check(
        &on(GTPC, GTPC, gpdu(0x1001, user_dns_packet())),
        AnomalyCode::GtpuOnControlPort,
        &[1006],
    );
    // a reserved bit is an oddity, not a signature
    let mut reserved = gpdu(0x1001, user_dns_packet());
    reserved[0] |= 0x08;
    check(&on(GTPU, GTPU, reserved), AnomalyCode::ReservedBitSet, &[]);
    // bytes after a piggybacked message (the JSON test's legacy `trailing_octets` name has
    // no byte-level form; the bytes raise `trailing_bytes`)
    let mut piggy = Vec::new();
    v2::V2Repr {
        msg_type: 33,
        teid: Some(0x10),
        seq: 0x2001,
        priority: None,
        ies: vec![v2::IeRepr::raw(2, 0, vec![16, 0])],
        piggybacked: Some(Box::new(v2::V2Repr {
            msg_type: 95,
            teid: Some(0x10),
            seq: 0x2002,
            priority: None,
            ies: vec![v2::IeRepr::raw(73, 0, vec![5])],
            piggybacked: None,
        })),
    }
    .emit(&mut piggy)
    .unwrap();
    piggy.extend_from_slice(b"hidden");
    check(&on(GTPC, GTPC, piggy), AnomalyCode::TrailingBytes, &[1003]);
}

#[test]
fn sccp_and_tcap_structure() {
    let (calling, called) = ("447700900200", "447700900001");
    // SCCP user data to the HLR (SSN 6) that is not TCAP
    let not_tcap = vec![Frame::at(
        1.0,
        m3ua_frame(udt_to_hlr(
            calling,
            called,
            b"hello, this is not TCAP".to_vec(),
        )),
    )];
    assert!(codes(&not_tcap).contains(&AnomalyCode::SccpDataNotTcap));
    assert_eq!(fresh(&not_tcap), [1010]);
    // a TCAP Begin tag whose contents break Q.773
    let bad_begin = tlv(
        sigscope_core::ber::Tag::new(sigscope_core::ber::Class::Application, true, 2),
        &[&tlv(sigscope_core::ber::Tag::INTEGER, &[&[1]])],
    );
    let malformed = vec![Frame::at(
        1.0,
        m3ua_frame(udt_to_hlr(calling, called, bad_begin)),
    )];
    assert!(codes(&malformed).contains(&AnomalyCode::TcapMalformed));
    assert_eq!(fresh(&malformed), [1011]);
    // both global titles with a signal that is not a digit: two anomalies, one alert
    let mut udt = udt_to_hlr(
        calling,
        called,
        tcap_begin(
            0x7700_0001,
            ac::SHORT_MSG_GATEWAY,
            3,
            op::SRI_FOR_SM,
            &sri_sm_arg("447700900123"),
        ),
    );
    spoil_gt(&mut udt, called);
    spoil_gt(&mut udt, calling);
    let spoiled = vec![Frame::at(1.0, m3ua_frame(udt))];
    let c = codes(&spoiled);
    assert_eq!(
        c.iter()
            .filter(|x| **x == AnomalyCode::GtNonDigitSignal)
            .count(),
        2,
        "{c:?}"
    );
    assert_eq!(fresh(&spoiled), [1012]);
    // the same message with clean global titles: nothing
    let clean = vec![map_at(
        1.0,
        calling,
        called,
        (ac::SHORT_MSG_GATEWAY, 3),
        op::SRI_FOR_SM,
        &sri_sm_arg("447700900123"),
    )];
    assert_eq!(fresh(&clean), Vec::<u32>::new());
}

/// MAP TBCD identities with non-digit nibbles raise `tbcd_non_digit` (layer map), which
/// raises `identity_not_digits` (1012) like `non_digit_nibble` (SUA, GTP) and
/// `gt_non_digit_signal` (SCCP).
#[test]
fn map_identity_not_digits() {
    let imsi = tbcd("23415012345a6789");
    let frames = vec![map_at(
        1.0,
        "447700900200",
        "447700900001",
        (ac::SUBSCRIBER_INFO_ENQUIRY, 3),
        op::PROVIDE_SUBSCRIBER_INFO,
        &psi_arg(&imsi),
    )];
    assert!(codes(&frames).contains(&AnomalyCode::TbcdNonDigit));
    assert_eq!(fresh(&frames), [1012]);
}

#[test]
fn ussd_and_sms_content() {
    let ussd = |t: &str| {
        vec![map_at(
            1.0,
            "447700900200",
            "447700900001",
            (ac::NETWORK_UNSTRUCTURED_SS, 2),
            op::PROCESS_USSD,
            &ussd_arg(t),
        )]
    };
    assert_eq!(fresh(&ussd("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk")), [2001]);
    assert_eq!(fresh(&ussd("*100#")), Vec::<u32>::new());
    assert_eq!(
        fresh(&ussd("1. Balance\n2. Bundles\n3. Roaming offers\n0. Back")),
        Vec::<u32>::new()
    );
    let sms = |t: &str| {
        vec![map_at(
            1.0,
            "447700900001",
            "447700900500",
            (ac::SHORT_MSG_MT_RELAY, 3),
            op::MT_FORWARD_SM,
            &mt_forward_sm_arg("447700900999", t),
        )]
    };
    assert_eq!(
        fresh(&sms("7f454c4602010100000000000000000003003e00")),
        [2002]
    );
    assert_eq!(fresh(&sms("Your code is 4821")), Vec::<u32>::new());
}

#[test]
fn identities_of_impossible_shape() {
    let sai = |imsi: &str| {
        vec![map_at(
            1.0,
            "447700900200",
            "447700900001",
            (ac::INFO_RETRIEVAL, 3),
            op::SEND_AUTHENTICATION_INFO,
            &sai_arg(&tbcd(imsi)),
        )]
    };
    assert_eq!(fresh(&sai("0001234567890123456")), [2004]);
    assert_eq!(fresh(&sai("234150123456789")), Vec::<u32>::new());
}

/// A calling title in the land-mobile numbering plan (E.212) carries an IMSI's digits: its
/// country is its MCC's. `234 15...` is a UK title (home, quiet), not Nigeria's +234;
/// `452 04...` is Vietnam's (foreign: 3002).
#[test]
fn e212_titles_are_placed_by_their_mcc() {
    const NP_E212: u8 = 6;
    let ati = |calling: &str| {
        let mut calling_party = gt_address(calling, 8);
        if let Some(gt) = calling_party.gt.as_mut() {
            gt.np = NP_E212;
        }
        let tcap = tcap_begin(
            0x7100,
            ac::ANY_TIME_INFO_ENQUIRY,
            3,
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", "447700900001"),
        );
        vec![Frame::at(
            1.0,
            m3ua_frame(sccp_udt(gt_address("447700900001", 6), calling_party, tcap)),
        )]
    };
    assert_eq!(fresh(&ati("234150000000001")), Vec::<u32>::new());
    assert_eq!(fresh(&ati("452040000000001")), [3002]);
}

#[test]
fn fs11_category1_foreign_location_enquiry() {
    let ati = |calling: &str| {
        vec![map_at(
            1.0,
            calling,
            "447700900001",
            (ac::ANY_TIME_INFO_ENQUIRY, 3),
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", calling),
        )]
    };
    // without a policy: a calling GT of another country is foreign
    assert_eq!(fresh(&ati("85290001234")), [3002]);
    // sendRoutingInfoForGprs (24) under gprsLocationInfoRetrievalContext v4: only the home
    // GGSN asks it
    const GPRS_LOCATION_INFO_RETRIEVAL: u8 = 33;
    const SEND_ROUTING_INFO_FOR_GPRS: u8 = 24;
    let sri_gprs = |calling: &str| {
        use sigscope_core::ber::{Class, Tag};
        let ctx = |n: u32| Tag::new(Class::Context, false, n);
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(ctx(0), &[&tbcd("234150123456789")]),
                &tlv(ctx(2), &[&isdn("447700900050")]),
            ],
        );
        vec![map_at(
            1.0,
            calling,
            "447700900001",
            (GPRS_LOCATION_INFO_RETRIEVAL, 4),
            SEND_ROUTING_INFO_FOR_GPRS,
            &arg,
        )]
    };
    assert_eq!(fresh(&sri_gprs("85290001234")), [3002]);
    assert_eq!(fresh(&sri_gprs("447700900999")), Vec::<u32>::new());
    assert_eq!(fresh(&ati("447700900999")), Vec::<u32>::new());
    // with one: only the home prefixes are home (another UK operator is foreign)
    let mut e = Engine::new(home_policy());
    assert_eq!(ids(&run(&mut e, &ati("447900100000"))), [3002]);
    let mut e = Engine::new(home_policy());
    assert_eq!(ids(&run(&mut e, &ati("447700900999"))), Vec::<u32>::new());
    // results are not judged, only invokes
    let res = vec![Frame::at(
        1.0,
        m3ua_frame(udt_to_hlr(
            "85290001234",
            "447700900001",
            tcap_end(0x7700_0001, ac::ANY_TIME_INFO_ENQUIRY, 3, 71, &ati_res()),
        )),
    )];
    assert_eq!(
        map_entries(&res),
        [(ComponentKind::ReturnResultLast, Some(71))]
    );
    assert_eq!(fresh(&res), Vec::<u32>::new());
}

#[test]
fn fs11_category2_only_for_home_subscribers() {
    let psi = |imsi: &str| {
        vec![map_at(
            1.0,
            "85290001234",
            "447700900200",
            (ac::SUBSCRIBER_INFO_ENQUIRY, 3),
            op::PROVIDE_SUBSCRIBER_INFO,
            &psi_arg(&tbcd(imsi)),
        )]
    };
    let mut e = Engine::new(home_policy());
    assert_eq!(ids(&run(&mut e, &psi("234150123456789"))), [3003]);
    // an inbound roamer from Hong Kong: their home network asks, as it should
    let mut e = Engine::new(home_policy());
    assert_eq!(
        ids(&run(&mut e, &psi("454000123456789"))),
        Vec::<u32>::new()
    );
    // ... but a Russian GT asking about a Hong Kong roamer, or a Hong Kong GT about a
    // French roamer, is not their home network (with or without a policy)
    let from = |calling: &str, imsi: &str| {
        vec![map_at(
            1.0,
            calling,
            "447700900200",
            (ac::SUBSCRIBER_INFO_ENQUIRY, 3),
            op::PROVIDE_SUBSCRIBER_INFO,
            &psi_arg(&tbcd(imsi)),
        )]
    };
    for policy in [home_policy(), Policy::default()] {
        assert_eq!(
            ids(&run(
                &mut Engine::new(policy.clone()),
                &from("79161234567", "454000123456789")
            )),
            [3003]
        );
        assert_eq!(
            ids(&run(
                &mut Engine::new(policy),
                &from("85290001234", "208011234567890")
            )),
            [3003]
        );
    }
}

/// An update whose VLR number is another country's than the title sending it (a South
/// Sudanese title registering a subscriber at a Kenyan VLR; a foreign title claiming one of
/// our own VLRs) is a spoofed update (3003); a partner's VLR under its own country's title,
/// and a VLR number in national format (no country to compare), are not.
#[test]
fn an_update_naming_another_countrys_node_is_spoofed() {
    let ul = |calling: &str, vlr: &str| {
        vec![map_at(
            1.0,
            calling,
            "447700900001",
            (ac::NETWORK_LOC_UP, 3),
            op::UPDATE_LOCATION,
            &ul_arg(&tbcd("234150123456789"), vlr),
        )]
    };
    for (calling, vlr) in [
        ("211912345678", "254722000101"),
        ("85290001234", "447700900123"),
    ] {
        let a = fresh(&ul(calling, vlr));
        assert!(a.contains(&3003), "{calling} claims {vlr}: {a:?}");
    }
    for (calling, vlr) in [
        ("254722000100", "254722000101"),
        ("85290001234", "85290001299"),
    ] {
        let a = fresh(&ul(calling, vlr));
        assert!(!a.contains(&3003), "{calling} with {vlr}: {a:?}");
    }
}

#[test]
fn fs11_category3_impossible_travel() {
    let ul = |ts: f64, vlr: &str| {
        map_at(
            ts,
            vlr,
            "447700900001",
            (ac::NETWORK_LOC_UP, 3),
            op::UPDATE_LOCATION,
            &ul_arg(&tbcd("234150123456789"), vlr),
        )
    };
    // France, then Hong Kong ten minutes later
    let a = fresh(&[ul(0.0, "33612345678"), ul(600.0, "85290001234")]);
    assert_eq!(a, [3004]);
    // France, then Hong Kong a day later
    let a = fresh(&[ul(0.0, "33612345678"), ul(86_400.0, "85290001234")]);
    assert!(a.is_empty(), "{a:?}");
    // France, then Spain ten minutes later: neighbours, never impossible
    let a = fresh(&[ul(0.0, "33612345678"), ul(600.0, "34612345678")]);
    assert!(a.is_empty(), "{a:?}");
    // border crossings between large neighbours, whose centres lie thousands of kilometres
    // apart (US-Canada, Russia-Finland, China-Vietnam, Thailand-Malaysia), and the causeway
    // between Malaysia and Singapore: minutes apart, never impossible
    for (from, to) in [
        ("12025550123", "14165550123"),
        ("78123456789", "358401234567"),
        ("8613812345678", "84912345678"),
        ("66812345678", "60123456789"),
        ("60123456789", "6591234567"),
    ] {
        let a = fresh(&[ul(0.0, from), ul(900.0, to)]);
        assert!(a.is_empty(), "{from} -> {to}: {a:?}");
    }
    // countries near each other but not joined are judged edge to edge: the UK, then Germany
    // or the Netherlands a second later, is impossible (their centres are under 1,000 km apart)
    for to in ["4915123456789", "31612345678"] {
        let a = fresh(&[ul(0.0, "447700900555"), ul(1.0, to)]);
        assert_eq!(a, [3004], "GB -> {to}");
    }
    // Hong Kong two hours after being seen at home (authentication from a home VLR), then
    // Brazil three hours after that: both impossible at airliner speed
    let sai = |ts: f64, vlr: &str| {
        map_at(
            ts,
            vlr,
            "447700900001",
            (ac::INFO_RETRIEVAL, 3),
            op::SEND_AUTHENTICATION_INFO,
            &sai_arg(&tbcd("234150123456789")),
        )
    };
    let trip = [
        sai(0.0, "447700900123"),
        ul(7_200.0, "85290001234"),
        ul(18_000.0, "5511987654321"),
    ];
    let all = run(&mut Engine::new(home_policy()), &trip);
    let frames: Vec<(u64, u32)> = all.iter().map(|a| (a.frame, a.sig.id())).collect();
    assert_eq!(frames, [(2, 3004), (3, 3004)], "{frames:?}");
    assert_eq!(all[0].evidence["from_country"], "GB");
    assert!(all[0].evidence["distance_km"].as_f64().unwrap() > 9000.0);
    // a subscriber seen at home for a day, then in Hong Kong: travel was possible
    let slow = [sai(0.0, "447700900123"), ul(86_000.0, "85290001234")];
    assert!(run(&mut Engine::new(home_policy()), &slow).is_empty());
}

/// A SUA message's addresses are read as an SCCP message's: its titles have digits and a
/// country, and the FS.11 checks judge them (they had none over SUA).
#[test]
fn sua_titles_are_judged_as_sccp_titles() {
    let ati = |calling: &str| {
        Frame::at(
            1.0,
            sua_frame(
                calling,
                "447700900001",
                &tcap_begin(
                    0x51,
                    ac::ANY_TIME_INFO_ENQUIRY,
                    3,
                    op::ANY_TIME_INTERROGATION,
                    &ati_arg("447700900123", calling),
                ),
            ),
        )
    };
    let mut seen = Vec::new();
    decode(&[ati("996550003300")], &mut |m| {
        let (calling, called) = m.parties();
        seen.push((
            calling.and_then(|p| p.digits_str().map(str::to_owned)),
            calling.and_then(|p| p.country_name()),
            calling.and_then(|p| p.ssn()).map(|s| s.0),
            called.and_then(|p| p.country_name()),
            called.and_then(|p| p.ssn()).map(|s| s.0),
            m.map.len(),
        ));
    });
    assert_eq!(
        seen,
        [(
            Some("996550003300".to_owned()),
            Some("KG"),
            Some(7),
            Some("GB"),
            Some(6),
            1
        )]
    );
    assert_eq!(fresh(&[ati("996550003300")]), [3002]);
    assert_eq!(fresh(&[ati("447700900999")]), Vec::<u32>::new());
}

/// A VLR's supplementary-service and USSD operations place the subscriber their MAP-OPEN
/// names: from abroad minutes after the subscriber was active at home, impossible travel.
#[test]
fn ussd_and_forwarding_from_abroad_after_home_activity() {
    const IMSI: &str = "234150123456789";
    const REGISTER_SS: u8 = 10;
    const FUNCTIONAL_SS: u8 = 18;
    let sai = |ts: f64| {
        map_at(
            ts,
            "447700900123",
            "447700900001",
            (ac::INFO_RETRIEVAL, 3),
            op::SEND_AUTHENTICATION_INFO,
            &sai_arg(&tbcd(IMSI)),
        )
    };
    // from a VLR (SSN 7), as the VLR serving the subscriber sends it
    let opened = |ts: f64, calling: &str, calling_ssn: u8, (ac, opcode, arg): (u8, u8, Vec<u8>)| {
        Frame::at(
            ts,
            m3ua_frame(sccp_udt(
                gt_address("447700900001", 6),
                gt_address(calling, calling_ssn),
                tcap_begin_opened(0x6600_0000 | ts as u32, (ac, 2), opcode, &arg, IMSI),
            )),
        )
    };
    let ussd = || {
        (
            ac::NETWORK_UNSTRUCTURED_SS,
            op::PROCESS_USSD,
            ussd_arg("*100#"),
        )
    };
    // registerSS: unconditional forwarding (ss-Code 0x21) to a foreign number
    let forward = || {
        let ctx = |n: u32, cons: bool| Tag::new(Class::Context, cons, n);
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::new(Class::Universal, false, 4), &[&[0x21]]),
                &tlv(ctx(4, false), &[&isdn("85290009999")]),
            ],
        );
        (FUNCTIONAL_SS, REGISTER_SS, arg)
    };
    for (name, what) in [("ussd", ussd()), ("registerSS", forward())] {
        let trip = [sai(0.0), opened(600.0, "85290001234", 7, what.clone())];
        let got: Vec<(u64, u32)> = run(&mut Engine::new(home_policy()), &trip)
            .iter()
            .map(|a| (a.frame, a.sig.id()))
            .collect();
        assert_eq!(got, [(2, 3004)], "{name}");
        // a day later: travel was possible
        let late = [sai(0.0), opened(86_000.0, "85290001234", 7, what.clone())];
        assert!(
            run(&mut Engine::new(home_policy()), &late).is_empty(),
            "{name}"
        );
        // not a VLR's (an HLR relaying USSD to a gsmSCF, SSN 6): places no one
        let relayed = [sai(0.0), opened(600.0, "85290001234", 6, what.clone())];
        assert!(
            run(&mut Engine::new(home_policy()), &relayed).is_empty(),
            "{name}"
        );
        // the same from a home VLR places the subscriber at home: an update from Hong Kong
        // minutes later is impossible travel
        let home = [
            opened(0.0, "447700900124", 7, what),
            map_at(
                600.0,
                "85290001234",
                "447700900001",
                (ac::NETWORK_LOC_UP, 3),
                op::UPDATE_LOCATION,
                &ul_arg(&tbcd(IMSI), "85290001234"),
            ),
        ];
        let got: Vec<(u64, u32)> = run(&mut Engine::new(home_policy()), &home)
            .iter()
            .map(|a| (a.frame, a.sig.id()))
            .collect();
        assert_eq!(got, [(2, 3004)], "{name}");
    }
    // activity at a home VLR whose title is in national format (no country code: the
    // network's own numbering) places the subscriber at home too
    let national_sai = Frame::at(
        0.0,
        m3ua_frame(sccp_udt(
            gt_address("447700900001", 6),
            AddressRepr {
                gt: Some(GtRepr {
                    nai: 3,
                    ..gt_address("7700900123", 7).gt.unwrap()
                }),
                ..gt_address("7700900123", 7)
            },
            tcap_begin(
                0x4400_0001,
                ac::INFO_RETRIEVAL,
                3,
                op::SEND_AUTHENTICATION_INFO,
                &sai_arg(&tbcd(IMSI)),
            ),
        )),
    );
    let trip = [national_sai, opened(600.0, "85290001234", 7, ussd())];
    let got: Vec<(u64, u32)> = run(&mut Engine::new(home_policy()), &trip)
        .iter()
        .map(|a| (a.frame, a.sig.id()))
        .collect();
    assert_eq!(got, [(2, 3004)], "national title, with the policy");
    // without one, home is the country most titles belong to
    let mut warm: Vec<Frame> = (0..80)
        .map(|i| {
            map_at(
                -5000.0 + f64::from(i),
                &format!("4477009{:05}", 200 + i),
                "447700900001",
                (ac::INFO_RETRIEVAL, 3),
                op::SEND_AUTHENTICATION_INFO,
                &sai_arg(&tbcd(&format!("2341500000{:05}", i))),
            )
        })
        .collect();
    warm.extend(trip);
    let all = run(&mut Engine::new(Policy::default()), &warm);
    assert!(
        all.iter().any(|a| a.frame == 82 && a.sig.id() == 3004),
        "national title, guessed home"
    );
    // the decoder reads the MAP-OPEN's reference as land mobile numbering
    let mut refs = Vec::new();
    decode(&[opened(1.0, "85290001234", 7, ussd())], &mut |m| {
        let d = m.tcap.and_then(|t| t.map_dialogue.as_ref());
        refs.push(
            d.and_then(|d| d.destination_reference)
                .map(|r| (r.plan(), r.digits().as_str().to_owned())),
        );
    });
    assert_eq!(refs, [Some((6, IMSI.to_owned()))]);
}

#[test]
fn sms_to_the_node_of_an_impossible_update_is_interception() {
    let ul = |ts: f64, vlr: &str| {
        map_at(
            ts,
            vlr,
            "447700900001",
            (ac::NETWORK_LOC_UP, 3),
            op::UPDATE_LOCATION,
            &ul_arg(&tbcd("234150123456789"), vlr),
        )
    };
    let sms_to = |ts: f64, msc: &str, otid: u32| {
        Frame::at(
            ts,
            map_invoke(
                otid,
                "447700900777",
                msc,
                (ac::SHORT_MSG_MT_RELAY, 3),
                op::MT_FORWARD_SM,
                &mt_forward_sm_arg("447700900777", "Your bank code is 112233"),
            ),
        )
    };
    let frames = [
        ul(0.0, "447700900123"),
        ul(600.0, "85290001234"),
        sms_to(660.0, "85290001234", 0x9001),
        // delivered to the subscriber's home MSC: not interception
        sms_to(700.0, "447700900123", 0x9002),
    ];
    let found: Vec<(u64, u32)> = run(&mut Engine::new(home_policy()), &frames)
        .iter()
        .map(|a| (a.frame, a.sig.id()))
        .collect();
    assert!(found.contains(&(2, 3004)), "{found:?}");
    assert!(found.contains(&(3, 3008)), "{found:?}");
    assert!(!found.iter().any(|f| f.0 == 4), "{found:?}");
    // without the impossible update, the same delivery is quiet
    let quiet = run(
        &mut Engine::new(home_policy()),
        &[
            ul(0.0, "447700900123"),
            sms_to(60.0, "447700900123", 0x9003),
        ],
    );
    assert!(quiet.is_empty(), "{:?}", ids(&quiet));
}

/// The update names a VLR and, beside it, the MSC serving it; the short message goes to the
/// MSC's number (what the HLR gives the SMSC). Interception whichever the update named, and
/// whether the delivery is mt-ForwardSM (v3) or MAP v2 forwardSM with the IMSI in SM-RP-DA;
/// a mobile-originated forwardSM to that MSC (SM-RP-DA the service centre) is not.
#[test]
fn sms_to_the_msc_of_an_impossible_update_is_interception() {
    let (vlr, msc) = ("5511987650001", "5511987650002");
    let imsi = tbcd("234150123456789");
    let ul_arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::OCTET_STRING, &[&imsi]),
            &tlv(Tag::ctx(1), &[&isdn(msc)]),
            &tlv(Tag::OCTET_STRING, &[&isdn(vlr)]),
        ],
    );
    let home_ul = map_at(
        0.0,
        "447700900123",
        "447700900001",
        (ac::NETWORK_LOC_UP, 3),
        op::UPDATE_LOCATION,
        &ul_arg_home(&imsi),
    );
    let far_ul = map_at(
        600.0,
        vlr,
        "447700900001",
        (ac::NETWORK_LOC_UP, 3),
        op::UPDATE_LOCATION,
        &ul_arg,
    );
    let tpdu = sigscope_map::sms::emit::SmsDeliverRepr::text("447700900777", "Your code is 112233")
        .emit()
        .unwrap();
    // forwardSM (v2): sm-RP-DA imsi [0] or serviceCentreAddressDA [4], sm-RP-OA, SM-RP-UI
    let forward_sm = |da: Vec<u8>| {
        tlv(
            Tag::SEQUENCE,
            &[
                &da,
                &tlv(Tag::ctx(4), &[&isdn("447700900777")]),
                &tlv(Tag::OCTET_STRING, &[&tpdu]),
            ],
        )
    };
    let deliveries = [
        (
            (ac::SHORT_MSG_MT_RELAY, 3),
            op::MT_FORWARD_SM,
            mt_forward_sm_arg("447700900777", "Your code is 112233"),
            true,
        ),
        (
            (ac::SHORT_MSG_MT_RELAY, 2),
            op::MO_FORWARD_SM,
            forward_sm(tlv(Tag::ctx(0), &[&imsi])),
            true,
        ),
        (
            (ac::SHORT_MSG_MO_RELAY, 2),
            op::MO_FORWARD_SM,
            forward_sm(tlv(Tag::ctx(4), &[&isdn("447700900777")])),
            false,
        ),
    ];
    for (k, (ac, opcode, arg, interception)) in deliveries.into_iter().enumerate() {
        for to in [msc, vlr] {
            let sms = Frame::at(
                660.0,
                map_invoke(0x9100 + k as u32, "447700900777", to, ac, opcode, &arg),
            );
            let frames = [home_ul.clone(), far_ul.clone(), sms];
            let found: Vec<(u64, u32)> = run(&mut Engine::new(home_policy()), &frames)
                .iter()
                .filter(|a| !a.tagged)
                .map(|a| (a.frame, a.sig.id()))
                .collect();
            assert!(found.contains(&(2, 3004)), "{found:?}");
            assert_eq!(
                found.contains(&(3, 3008)),
                interception,
                "{k} to {to}: {found:?}"
            );
        }
    }
}

/// updateLocation argument from a home VLR (447700900123) for `imsi`.
fn ul_arg_home(imsi: &[u8]) -> Vec<u8> {
    ul_arg(imsi, "447700900123")
}

/// The answer to `map_at`'s Begin at `ts`, from `from` (the HLR or SMS router that answers,
/// not necessarily the title the Begin was routed on) to `to`: a ReturnError of `error`, or a
/// ReturnResultLast when `None`.
fn answer_at(ts: f64, from: &str, to: &str, ac: (u8, u8), opcode: u8, error: Option<i64>) -> Frame {
    let dtid = 0x7700_0000 | (ts as u32 & 0x00ff_ffff);
    let mut t = sigscope_tcap::emit::TcapRepr::end_result(dtid, ac, 1, i64::from(opcode), vec![]);
    if let Some(code) = error {
        t.components = vec![sigscope_tcap::emit::ComponentRepr::ReturnError {
            invoke_id: 1,
            error_code: code,
            parameter: vec![],
        }];
    }
    let sccp = sccp_udt(gt_address(to, 8), gt_address(from, 6), t.emit());
    Frame::at(ts + 0.2, m3ua_frame(sccp))
}

/// A run of the same lookup on a clock whose every earlier attempt failed with an error the
/// sender retries after (absent subscriber, busy, system failure) is a retry schedule (an
/// A2P hub's or an SMSC's), not a beacon; answered lookups, unanswered ones, a run broken by
/// a success and failures no sender retries (unknown subscriber) still are.
#[test]
fn beaconing_is_not_a_retry_schedule() {
    const ABSENT_SUBSCRIBER_SM: i64 = 6;
    const ABSENT_SUBSCRIBER: i64 = 27;
    const SYSTEM_FAILURE: i64 = 34;
    const UNKNOWN_SUBSCRIBER: i64 = 1;
    let hub = "85290001234";
    let sri = (ac::SHORT_MSG_GATEWAY, 3);
    // the lookup is routed on the subscriber's number; the HLR answers from its own title
    let run_of =
        |op: u8, arg: &[u8], ac: (u8, u8), answers: &dyn Fn(usize) -> Option<Option<i64>>| {
            let mut frames = Vec::new();
            for i in 0..10 {
                let ts = 1000.0 + i as f64 * 600.0 + (i % 3) as f64;
                frames.push(map_at(ts, hub, "447700900123", ac, op, arg));
                if let Some(a) = answers(i) {
                    frames.push(answer_at(ts, "447700900001", hub, ac, op, a));
                }
            }
            frames
        };
    let sri_arg = sri_sm_arg("447700900123");
    let beacons = |frames: &[Frame]| fresh(frames).contains(&3005);
    // retries: every answer an error retried after
    for code in [ABSENT_SUBSCRIBER_SM, SYSTEM_FAILURE] {
        let f = run_of(op::SRI_FOR_SM, &sri_arg, sri, &|_| Some(Some(code)));
        assert!(!beacons(&f), "error {code}: {:?}", fresh(&f));
    }
    let ati = ati_arg("447700900123", "85290001234");
    let f = run_of(
        op::ANY_TIME_INTERROGATION,
        &ati,
        (ac::ANY_TIME_INFO_ENQUIRY, 3),
        &|_| Some(Some(ABSENT_SUBSCRIBER)),
    );
    assert!(!fresh(&f).contains(&3005), "{:?}", fresh(&f));
    // the same polling answered is a beacon
    let f = run_of(
        op::ANY_TIME_INTERROGATION,
        &ati,
        (ac::ANY_TIME_INFO_ENQUIRY, 3),
        &|_| Some(None),
    );
    assert!(beacons(&f), "{:?}", fresh(&f));
    // beacons: answered with results, never answered, a success late in the run, a
    // permanent failure
    let answered = run_of(op::SRI_FOR_SM, &sri_arg, sri, &|_| Some(None));
    let silent = run_of(op::SRI_FOR_SM, &sri_arg, sri, &|_| None);
    let broken = run_of(op::SRI_FOR_SM, &sri_arg, sri, &|i| {
        Some((i != 6).then_some(ABSENT_SUBSCRIBER_SM))
    });
    let unknown = run_of(op::SRI_FOR_SM, &sri_arg, sri, &|_| {
        Some(Some(UNKNOWN_SUBSCRIBER))
    });
    for (name, f) in [
        ("answered", answered),
        ("silent", silent),
        ("broken", broken),
        ("unknown", unknown),
    ] {
        assert!(beacons(&f), "{name}: {:?}", fresh(&f));
    }
}

/// A tracker polling one subscriber from abroad hides its clock behind jitter (±35%): its
/// lookups are judged with a tracker's bound, so the poll is a beacon; a roaming machine's
/// authentications on a jittered clock, and the same jitter between home titles, are not.
#[test]
fn jittered_tracking_from_abroad_is_a_beacon() {
    // uniform-looking offsets within ±35% of the period
    const JITTER: [f64; 12] = [
        0.35, -0.3, 0.1, -0.33, 0.25, -0.05, 0.31, -0.2, 0.15, -0.34, 0.28, -0.12,
    ];
    let times = |period: f64| -> Vec<f64> {
        let mut t = 1000.0;
        (0..22)
            .map(|i| {
                t += period * (1.0 + JITTER[i % JITTER.len()]);
                t
            })
            .collect()
    };
    let sri = |calling: &str| -> Vec<Frame> {
        times(480.0)
            .into_iter()
            .map(|t| {
                map_at(
                    t,
                    calling,
                    "447700900123",
                    (ac::SHORT_MSG_GATEWAY, 3),
                    op::SRI_FOR_SM,
                    &sri_sm_arg("447700900123"),
                )
            })
            .collect()
    };
    // (between home titles, with the policy's: the operator's own service)
    beacon_abroad_not_home(&sri, "352621003300", "447700900777");
    // a roaming machine's authentications from a foreign VLR on the same clock
    let sai: Vec<Frame> = times(480.0)
        .into_iter()
        .map(|t| {
            map_at(
                t,
                "352621003301",
                "447700900001",
                (ac::INFO_RETRIEVAL, 3),
                op::SEND_AUTHENTICATION_INFO,
                &sai_arg(&tbcd("234150123456789")),
            )
        })
        .collect();
    assert!(!fresh(&sai).contains(&3005), "{:?}", fresh(&sai));
}

/// Silent SMS (type 0: acknowledged by the handset, never shown) delivered to one subscriber
/// from abroad on a jittered clock is a tracker's ping (3005); the same from home titles is
/// the operator's own.
#[test]
fn silent_sms_pings_from_abroad_are_a_beacon() {
    const JITTER: [f64; 8] = [0.3, -0.25, 0.1, -0.35, 0.2, -0.05, 0.33, -0.15];
    let pings = |from: &str| -> Vec<Frame> {
        let mut t = 100.0;
        (0..14)
            .map(|i| {
                t += 900.0 * (1.0 + JITTER[i % JITTER.len()]);
                let tpdu = sigscope_map::sms::emit::SmsDeliverRepr {
                    pid: 0x40,
                    ..sigscope_map::sms::emit::SmsDeliverRepr::text("447700900999", "")
                }
                .emit()
                .unwrap();
                let arg =
                    sigscope_map::emit::mt_forward_sm_arg("234150123456789", "447700900001", &tpdu)
                        .unwrap();
                map_at(t, from, "447700900123", (25, 3), op::MT_FORWARD_SM, &arg)
            })
            .collect()
    };
    beacon_abroad_not_home(&pings, "256700003300", "447700900555");
}

/// The frames `frames_of` makes from the title `foreign` beacon (3005); from the title `home`,
/// between home titles by the policy's prefixes, they do not.
fn beacon_abroad_not_home(frames_of: &dyn Fn(&str) -> Vec<Frame>, foreign: &str, home: &str) {
    let a = fresh(&frames_of(foreign));
    assert!(a.contains(&3005), "{foreign}: {a:?}");
    let mut e = Engine::new(home_policy());
    let h = ids(&run(&mut e, &frames_of(home)));
    assert!(!h.contains(&3005), "{home}: {h:?}");
}

/// An SMS service on a clock (a foreign SMSC's alerts or codes to one subscriber: each
/// lookup answered, then the short message delivered to the IMSI it gave) is no beacon; the
/// same lookups never followed by a delivery are (a poll for the subscriber's whereabouts),
/// and so are deliveries of no text for a reader (one character, every time).
#[test]
fn a_periodic_sms_service_is_no_beacon() {
    const MT_RELAY: (u8, u8) = (25, 3);
    let hub = "85290001234";
    let sri_res = sigscope_map::emit::sri_sm_res("234150123456789", "447700900123").unwrap();
    let run_of = |text: Option<&str>| {
        let mut frames = Vec::new();
        for i in 0..10 {
            let ts = 1000.0 + i as f64 * 720.0 + (i % 3) as f64 * 4.0;
            frames.push(map_at(
                ts,
                hub,
                "447700900123",
                (ac::SHORT_MSG_GATEWAY, 3),
                op::SRI_FOR_SM,
                &sri_sm_arg("447700900123"),
            ));
            let dtid = 0x7700_0000 | (ts as u32 & 0x00ff_ffff);
            let answer = sccp_udt(
                gt_address(hub, 8),
                gt_address("447700900001", 6),
                tcap_end(dtid, ac::SHORT_MSG_GATEWAY, 3, op::SRI_FOR_SM, &sri_res),
            );
            frames.push(Frame::at(ts + 0.2, m3ua_frame(answer)));
            if let Some(t) = text {
                frames.push(map_at(
                    ts + 1.0,
                    hub,
                    "447700900123",
                    MT_RELAY,
                    op::MT_FORWARD_SM,
                    &mt_forward_sm_arg("447700900999", t),
                ));
            }
        }
        frames
    };
    for text in [
        "Your one-time code is 482913",
        "Reminder: your plan renews tomorrow",
    ] {
        let a = fresh(&run_of(Some(text)));
        assert!(!a.contains(&3005), "{text}: {a:?}");
    }
    let a = fresh(&run_of(None));
    assert!(a.contains(&3005), "{a:?}");
    // a concatenated alert: its last part holds a word or two (still text for a reader)
    let mut concatenated = run_of(Some("Your statement for November is ready, total due"));
    for (k, f) in run_of(None).iter().enumerate().filter(|(k, _)| k % 2 == 0) {
        let ts = f.ts_nanos as f64 / 1e9 + 2.0;
        let part = |seq: u8, text: &str| {
            let tpdu = sigscope_map::sms::emit::SmsDeliverRepr {
                udh: Some(vec![0x00, 0x03, k as u8, 2, seq]),
                ..sigscope_map::sms::emit::SmsDeliverRepr::text("447700900999", text)
            }
            .emit()
            .unwrap();
            sigscope_map::emit::mt_forward_sm_arg("234150123456789", "447700900001", &tpdu).unwrap()
        };
        concatenated.push(map_at(
            ts,
            hub,
            "447700900123",
            MT_RELAY,
            op::MT_FORWARD_SM,
            &part(2, "ok."),
        ));
    }
    concatenated.sort_by_key(|f| f.ts_nanos);
    let a = fresh(&concatenated);
    assert!(!a.contains(&3005), "concatenated: {a:?}");
    // the exemption is the run's, not the key's history: four lookups delivered, then the
    // same title polling without deliveries, beacons again
    let mut history = run_of(Some("Your one-time code is 482913"));
    history.truncate(3 * 4);
    let resume: Vec<Frame> = run_of(None)
        .into_iter()
        .map(|f| Frame::at(f.ts_nanos as f64 / 1e9 + 20_000.0, f.data))
        .collect();
    history.extend(resume);
    let a = fresh(&history);
    assert!(a.contains(&3005), "after deliveries: {a:?}");
    // a delivery by another title than the one that asked is not the lookup's
    let mut other = Vec::new();
    for (k, f) in run_of(Some("Your one-time code is 482913"))
        .into_iter()
        .enumerate()
    {
        if k % 3 == 2 {
            let arg = mt_forward_sm_arg("447700900999", "Your one-time code is 482913");
            let ts = f.ts_nanos as f64 / 1e9;
            other.push(map_at(
                ts,
                "85290007777",
                "447700900123",
                MT_RELAY,
                op::MT_FORWARD_SM,
                &arg,
            ));
        } else {
            other.push(f);
        }
    }
    let all = run(&mut Engine::new(Policy::default()), &other);
    let sri_beacon = all.iter().any(|a| {
        a.sig.id() == 3005 && !a.tagged && a.evidence["operation"] == "sendRoutingInfoForSM"
    });
    assert!(sri_beacon, "delivered by another title: {:?}", ids(&all));
    // deliveries the handset never shows are judged whatever their length: a waiting
    // indication to discard (DCS 0xC0), a first part whose second never comes, a TP-UDL
    // that claims septets the octets do not hold
    let hidden = |tpdu: Vec<u8>| -> Vec<Frame> {
        let arg = sigscope_map::emit::mt_forward_sm_arg("234150123456789", "447700900001", &tpdu)
            .unwrap();
        (0..12)
            .map(|i| {
                map_at(
                    1000.0 + i as f64 * 720.0 + (i % 3) as f64 * 4.0,
                    hub,
                    "447700900123",
                    MT_RELAY,
                    op::MT_FORWARD_SM,
                    &arg,
                )
            })
            .collect()
    };
    let text = |dcs: u8, udh: Option<Vec<u8>>, t: &str| {
        sigscope_map::sms::emit::SmsDeliverRepr {
            dcs,
            udh,
            ..sigscope_map::sms::emit::SmsDeliverRepr::text("447700900999", t)
        }
        .emit()
        .unwrap()
    };
    let mut claimed = text(0, None, "");
    if let Some(udl) = claimed.last_mut() {
        *udl = 8;
    }
    for (name, tpdu) in [
        ("discard", text(0xc0, None, "ABCDEFGHIJ")),
        (
            "first part",
            text(0, Some(vec![0x00, 0x03, 0x42, 2, 1]), "A"),
        ),
        ("claimed", claimed),
    ] {
        let a = fresh(&hidden(tpdu));
        assert!(a.contains(&3005), "{name}: {a:?}");
    }
    let dots = run_of(Some("."));
    let all = run(&mut Engine::new(Policy::default()), &dots);
    let beacons: Vec<u64> = all
        .iter()
        .filter(|a| a.sig.id() == 3005)
        .map(|a| a.frame)
        .collect();
    // (the deliveries' key, every third frame)
    assert!(
        !beacons.is_empty() && beacons.iter().all(|f| f % 3 == 0),
        "{beacons:?}"
    );
}

/// Without the policy's home titles, a location service polling a subscriber within one
/// country (a gsmSCF's fleet tracking by anyTimeInterrogation, an HLR's provideSubscriberInfo
/// to a VLR of its own country) is the operator's own; the same polling from abroad, or with a
/// policy that names the caller as no home title, is a beacon.
#[test]
fn beaconing_leaves_domestic_location_polling() {
    let ati = (ac::ANY_TIME_INFO_ENQUIRY, 3);
    let poll = |from: &str, to: &str, opcode: u8, arg: &[u8]| -> Vec<Frame> {
        (0..10)
            .map(|i| map_at(5000.0 + f64::from(i) * 900.0, from, to, ati, opcode, arg))
            .collect()
    };
    let ati_arg_of = |scf: &str| ati_arg("447700900123", scf);
    let psi = psi_arg(&tbcd("234150123456789"));
    // domestic: GB gsmSCF to a GB subscriber's title; GB HLR to a GB VLR; DE to DE
    for f in [
        poll(
            "447700900040",
            "447700900123",
            op::ANY_TIME_INTERROGATION,
            &ati_arg_of("447700900040"),
        ),
        poll(
            "447700900011",
            "447700900555",
            op::PROVIDE_SUBSCRIBER_INFO,
            &psi,
        ),
        poll(
            "4917200000040",
            "4917212345678",
            op::ANY_TIME_INTERROGATION,
            &ati_arg_of("4917200000040"),
        ),
    ] {
        assert!(!fresh(&f).contains(&3005), "{:?}", fresh(&f));
    }
    // from abroad: a beacon
    for f in [
        poll(
            "85290001234",
            "447700900123",
            op::ANY_TIME_INTERROGATION,
            &ati_arg_of("85290001234"),
        ),
        poll(
            "4917200000040",
            "447700900555",
            op::PROVIDE_SUBSCRIBER_INFO,
            &psi,
        ),
    ] {
        assert!(fresh(&f).contains(&3005), "{:?}", fresh(&f));
    }
    // a policy whose home titles are 4477009: a UK title of another network polling ours is
    // no home pair, and the policy, not the country, decides
    let other = poll(
        "447800900040",
        "447700900123",
        op::ANY_TIME_INTERROGATION,
        &ati_arg_of("447800900040"),
    );
    let got = ids(&run(&mut Engine::new(home_policy()), &other));
    assert!(got.contains(&3005), "{got:?}");
}

#[test]
fn beaconing_regular_period_constant_size() {
    let sri = |ts: f64| {
        map_at(
            ts,
            "447700900777",
            "447700900001",
            (ac::SHORT_MSG_GATEWAY, 3),
            op::SRI_FOR_SM,
            &sri_sm_arg("447700900123"),
        )
    };
    let regular: Vec<Frame> = (0..10).map(|i| sri(1000.0 + i as f64 * 300.0)).collect();
    let got = fresh(&regular);
    assert_eq!(got, [3005], "{got:?}");
    // the same messages at irregular times: no beacon
    let times = [
        0.0, 7.0, 300.0, 310.0, 900.0, 2000.0, 2003.0, 4000.0, 4100.0, 9000.0,
    ];
    let irregular: Vec<Frame> = times.iter().map(|t| sri(*t)).collect();
    assert!(fresh(&irregular).is_empty());
    // GTP: the same Create Session Request at a regular period (new sequence numbers, same
    // size) beacons; at irregular times it does not
    let csr = |i: usize, ts: f64| {
        gtpc(
            ts,
            SGW,
            &create_session_request(0x2000 + i as u32, "234150123456789"),
        )
    };
    let regular: Vec<Frame> = (0..10).map(|i| csr(i, 100.0 + i as f64 * 60.0)).collect();
    assert_eq!(fresh(&regular), [3005]);
    let irregular: Vec<Frame> = times.iter().enumerate().map(|(i, t)| csr(i, *t)).collect();
    assert!(fresh(&irregular).is_empty());
    // GTP Echo is a keepalive: periodic by design, never a beacon
    let echoes: Vec<Frame> = (0..20)
        .map(|i| {
            gtpc(
                i as f64 * 60.0,
                SGW,
                &echo_request_v2(i, vec![v2_recovery(3)]),
            )
        })
        .collect();
    assert!(fresh(&echoes).is_empty());
}

#[test]
fn unsolicited_responses_need_a_pattern_after_warmup() {
    // GTPv2 Echo Responses from a peer that was never asked
    let resp = |seq: u32, ts: f64| {
        gtpc(
            ts,
            FOREIGN,
            &echo_response_v2(0x100 + seq, vec![v2_recovery(3)]),
        )
    };
    let stray = [resp(1, 0.0), resp(2, 100.0)];
    assert!(codes(&stray).contains(&AnomalyCode::UnmatchedResponse));
    // inside the warm-up: the requests may predate the capture
    assert!(fresh(&[resp(1, 0.0), resp(2, 1.0), resp(3, 2.0)]).is_empty());
    // after it: one stray response is noise, three within the window are a pattern
    assert!(fresh(&stray).is_empty());
    assert_eq!(
        fresh(&[resp(1, 0.0), resp(2, 100.0), resp(3, 101.0), resp(4, 102.0)]),
        [3001]
    );
    // answered requests are not unsolicited
    let answered: Vec<Frame> = (0..4u32)
        .flat_map(|i| {
            let ts = if i == 0 { 0.0 } else { 100.0 + f64::from(i) };
            [
                Frame::at(
                    ts,
                    udp(
                        PGW,
                        FOREIGN,
                        GTPC,
                        GTPC,
                        &echo_request_v2(0x100 + i, vec![v2_recovery(1)]),
                    ),
                ),
                resp(i, ts + 0.01),
            ]
        })
        .collect();
    assert!(!codes(&answered).contains(&AnomalyCode::UnmatchedResponse));
    assert!(fresh(&answered).is_empty());
}

#[test]
fn peers_outside_the_interconnect() {
    let echo = [gtpc(
        1.0,
        FOREIGN,
        &echo_request_v2(1, vec![v2_recovery(3)]),
    )];
    let mut e = Engine::new(home_policy());
    let a = run(&mut e, &echo);
    assert_eq!(ids(&a), [3006]);
    assert_eq!(a[0].evidence["outside"], json!(["198.51.100.7"]));
    // both ends inside the declared peers: nothing
    let inside = [gtpc(1.0, SGW, &echo_request_v2(1, vec![v2_recovery(3)]))];
    assert!(run(&mut Engine::new(home_policy()), &inside).is_empty());
    // no peers declared: not checked
    assert!(fresh(&echo).is_empty());
    // SS7: calling countries allowed
    let p = Policy::from_toml("[interconnect]\nallowed_countries=[\"GB\",\"FR\"]\n").unwrap();
    let r = |c: &str| {
        [map_at(
            1.0,
            c,
            "447700900001",
            (ac::SHORT_MSG_GATEWAY, 3),
            op::SRI_FOR_SM,
            &sri_sm_arg("447700900123"),
        )]
    };
    assert_eq!(
        ids(&run(&mut Engine::new(p.clone()), &r("85290001234"))),
        [3006]
    );
    assert!(run(&mut Engine::new(p), &r("33612345678")).is_empty());
}

/// An undeclared GTP node that keeps talking (an operator's own RAN on addresses the policy
/// leaves out, or an implant's peer) is one alert when it is first seen and one an hour after,
/// counting its messages, however many flows and minutes it spans; another undeclared
/// address is reported on its own.
#[test]
fn peer_outside_the_interconnect_is_reported_per_address_and_hour() {
    let other = [198, 51, 100, 8];
    let mut frames = Vec::new();
    // two hours of Echoes every 20 s from FOREIGN, to both gateways (two flows)
    for i in 0..360u32 {
        let ts = 1.0 + f64::from(i) * 20.0;
        let to = if i % 2 == 0 { PGW } else { SGW };
        let echo = echo_request_v2(i, vec![v2_recovery(3)]);
        frames.push(Frame::at(ts, udp(FOREIGN, to, GTPC, GTPC, &echo)));
        // a second undeclared node, once, half an hour in
        if i == 90 {
            frames.push(gtpc(
                ts + 0.5,
                other,
                &echo_request_v2(9999, vec![v2_recovery(1)]),
            ));
        }
    }
    let a = run(&mut Engine::new(home_policy()), &frames);
    let outside: Vec<(f64, serde_json::Value)> = a
        .iter()
        .filter(|x| x.sig.id() == 3006)
        .map(|x| (x.ts_nanos as f64 / 1e9, x.evidence.clone()))
        .collect();
    assert_eq!(outside.len(), 3, "{outside:?}");
    assert_eq!(outside[0].1["outside"], json!(["198.51.100.7"]));
    assert_eq!(outside[0].1["messages"], json!([1]));
    assert_eq!(outside[1].1["outside"], json!(["198.51.100.8"]));
    // an hour after the first: the 180 messages since, this one included
    assert_eq!(outside[2].1["outside"], json!(["198.51.100.7"]));
    assert!((outside[2].0 - 3601.0).abs() < 1e-6, "{outside:?}");
    assert_eq!(outside[2].1["messages"], json!([180]));
    // its flow stays tagged until it is reported again: every Echo of its first hour to the
    // gateway its first report was about is reported (a beacon's messages between two
    // reports are not lost)
    let pgw = std::net::IpAddr::from(PGW);
    let to_pgw = run_all(&mut Engine::new(home_policy()), &frames)
        .iter()
        .filter(|x| {
            x.src == Some(std::net::IpAddr::from(FOREIGN))
                && x.dst == Some(pgw)
                && x.ts_nanos < 3_600_000_000_000
        })
        .count();
    assert_eq!(to_pgw, 90, "one Echo in two, every 20 s for an hour");
    // a shorter window reports more often
    let p = Policy::from_toml(
        "[interconnect]\ngtp_peers=[\"203.0.113.0/24\"]\n[thresholds]\noutside_peer_window_s=600\n",
    )
    .unwrap();
    let n = run(&mut Engine::new(p), &frames)
        .iter()
        .filter(|x| x.sig.id() == 3006)
        .count();
    assert_eq!(n, 13);
    // SS7: a calling title of a country not allowed, to three home titles every 30 s for two
    // hours, is one alert an hour; a second such title is reported on its own
    let p = Policy::from_toml("[interconnect]\nallowed_countries=[\"GB\",\"FR\"]\n").unwrap();
    let sri = |ts: f64, from: &str, to: &str| {
        map_at(
            ts,
            from,
            to,
            (ac::SHORT_MSG_GATEWAY, 3),
            op::SRI_FOR_SM,
            &sri_sm_arg("447700900123"),
        )
    };
    let mut ss7 = Vec::new();
    for i in 0..240u32 {
        let ts = 1.0 + f64::from(i) * 30.0;
        let to = ["447700900001", "447700900002", "447700900003"][i as usize % 3];
        ss7.push(sri(ts, "85290001234", to));
        if i == 100 {
            ss7.push(sri(ts + 1.0, "85290009999", to));
        }
    }
    let gt: Vec<serde_json::Value> = run(&mut Engine::new(p), &ss7)
        .iter()
        .filter(|x| x.sig.id() == 3006)
        .map(|x| x.evidence.clone())
        .collect();
    assert_eq!(gt.len(), 3, "{gt:?}");
    assert_eq!(gt[0]["calling_gt"], "85290001234");
    assert_eq!(gt[1]["calling_gt"], "85290009999");
    assert_eq!(gt[2]["calling_gt"], "85290001234");
    assert_eq!(gt[2]["messages"], 120);
}

#[test]
fn rate_limit_counts_what_it_holds_back() {
    let bad = |seq: u32, ts: f64| {
        gtpc(
            ts,
            FOREIGN,
            &echo_request_v2(seq, vec![v2_recovery(3), v2_imsi("234150123456789")]),
        )
    };
    let mut e = Engine::new(Policy::default());
    let a = run(
        &mut e,
        &[bad(1, 0.0), bad(2, 10.0), bad(3, 20.0), bad(4, 70.0)],
    );
    assert_eq!(a.len(), 2);
    assert_eq!((a[0].frame, a[1].frame), (1, 4));
    assert_eq!(a[1].suppressed, 2);
    assert_eq!(e.stats().suppressed, 2);
    assert_eq!(e.stats().per_signature.get(&1001), Some(&2));
}

#[test]
fn alerts_carry_the_message_ends() {
    let f = [Frame {
        ts_nanos: 1_764_000_001_500_000_000,
        data: udp(
            FOREIGN,
            PGW,
            41123,
            GTPC,
            &echo_request_v2(1, vec![v2_imsi("234150123456789")]),
        ),
    }];
    let a = run(&mut Engine::new(Policy::default()), &f);
    assert_eq!(ids(&a), [1001]);
    let a = &a[0];
    assert_eq!(a.frame, 1);
    assert_eq!(a.ts_nanos, 1_764_000_001_500_000_000);
    assert_eq!(a.timestamp(), "2025-11-24T16:00:01.500000+0000");
    assert_eq!(a.src, Some("198.51.100.7".parse().unwrap()));
    assert_eq!(a.dst, Some("203.0.113.9".parse().unwrap()));
    assert_eq!((a.sport, a.dport), (Some(41123), Some(GTPC)));
    assert_eq!(a.eve_alert()["signature_id"], 1001);
    assert_eq!(a.evidence["message"], "echo_request");
}

/// reset names the HLR that restarted; only that HLR's network sends it. A foreign title
/// naming one of our HLRs (v2 with an HLR list, v1 without) is a spoofed restart (3003); a
/// foreign HLR resetting for its own subscribers roaming here, and our own HLR, are not.
#[test]
fn reset_naming_a_home_hlr_from_a_foreign_title() {
    let reset = |ts: f64, calling: &str, hlr: &str, list: bool, version: u8| {
        let mut parts = vec![tlv(Tag::OCTET_STRING, &[&isdn(hlr)])];
        if list {
            parts.push(tlv(
                Tag::SEQUENCE,
                &[&tlv(Tag::OCTET_STRING, &[&tbcd("23415010")])],
            ));
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let arg = tlv(Tag::SEQUENCE, &refs);
        let tcap = tcap_begin(0x3700 + ts as u32, 10, version, 37, &arg);
        Frame::at(
            ts,
            m3ua_frame(sccp_udt(
                gt_address("447700900020", 7),
                gt_address(calling, 6),
                tcap,
            )),
        )
    };
    for policy in [home_policy(), Policy::default()] {
        for (list, version) in [(true, 2), (false, 1), (true, 3)] {
            let spoofed = reset(1.0, "79031234567", "447700900010", list, version);
            let got = ids(&run(&mut Engine::new(policy.clone()), &[spoofed]));
            assert!(got.contains(&3003), "v{version}: {got:?}");
            for (calling, hlr) in [
                ("79031234567", "79031234567"),
                ("447700900010", "447700900010"),
            ] {
                let ok = reset(2.0, calling, hlr, list, version);
                let got = ids(&run(&mut Engine::new(policy.clone()), &[ok]));
                assert!(got.is_empty(), "{calling} naming {hlr}: {got:?}");
            }
        }
    }
}

/// A harvester that alternates its calling address between GTI 4 and GTI 2 (no odd/even
/// indicator: an odd-length title reads with its filler as a trailing `0`) and its SSN is
/// still one global title: 22 lookups, 11 in each form, raise 3007.
#[test]
fn harvesting_under_alternating_address_forms() {
    for gt in ["96279000100", "85290001234"] {
        let frames: Vec<Frame> = (0..22u32)
            .map(|i| {
                let mut calling = gt_address(gt, [8, 6, 147][i as usize % 3]);
                if i % 2 == 1 {
                    if let Some(g) = calling.gt.as_mut() {
                        g.gti = 2;
                    }
                }
                let tcap = tcap_begin(
                    0x4400 + i,
                    ac::SHORT_MSG_GATEWAY,
                    3,
                    op::SRI_FOR_SM,
                    &sri_sm_arg(&format!("4477009{:05}", 300 + i)),
                );
                let sccp = sccp_udt(gt_address("447700900001", 6), calling, tcap);
                Frame::at(f64::from(i) * 5.0, m3ua_frame(sccp))
            })
            .collect();
        let got = fresh(&frames);
        assert!(got.contains(&3007), "{gt}: {got:?}");
    }
}

#[test]
fn subscriber_harvesting_from_a_foreign_gt() {
    let sri = |ts: f64, calling: &str, msisdn: &str| {
        map_at(
            ts,
            calling,
            "447700900001",
            (ac::SHORT_MSG_GATEWAY, 3),
            op::SRI_FOR_SM,
            &sri_sm_arg(msisdn),
        )
    };
    // 25 different subscribers in a minute from one Hong Kong GT
    let scan: Vec<Frame> = (0..25)
        .map(|i| {
            // a scan, not a metronome
            let t = i as f64 * 2.0 + (i % 3) as f64 * 0.7;
            sri(t, "85290001234", &format!("4477009{:05}", i))
        })
        .collect();
    let all = run_all(&mut Engine::new(Policy::default()), &scan);
    let a: Vec<&Alert> = all.iter().filter(|a| !a.tagged).collect();
    // every lookup from the 20th on alerts (each is a new transaction); the 19 before it are
    // reported as members of the finding
    assert!(
        a.iter().all(|a| a.sig.id() == 3007),
        "{:?}",
        a.iter().map(|a| (a.frame, a.sig.id())).collect::<Vec<_>>()
    );
    assert_eq!(
        a.len(),
        6,
        "{:?}",
        a.iter().map(|a| (a.frame, a.tagged)).collect::<Vec<_>>()
    );
    assert_eq!(a[0].frame, 20);
    assert_eq!(a[0].evidence["pace"], "fast");
    let members: Vec<u64> = all.iter().filter(|a| a.tagged).map(|a| a.frame).collect();
    assert_eq!(members, (1..20).collect::<Vec<u64>>());
    // the same subscriber again and again is not harvesting (and home GTs are not judged)
    let same: Vec<Frame> = (0..25)
        .map(|i| sri(i as f64, "85290001234", "447700900123"))
        .collect();
    assert!(!fresh(&same).contains(&3007));
    let home: Vec<Frame> = (0..25)
        .map(|i| sri(i as f64, "447700900777", &format!("4477009{:05}", i)))
        .collect();
    assert!(!fresh(&home).contains(&3007));
    // spread over more than the window, fewer than the slow count (24): no alert
    let spread: Vec<Frame> = (0..22)
        .map(|i| sri(i as f64 * 60.0, "85290001234", &format!("4477009{:05}", i)))
        .collect();
    assert!(!fresh(&spread).contains(&3007));
    // 26 subscribers in a hundred minutes (one every 3 to 4.7 minutes), never delivered to:
    // under the window's count, over the slow one
    let hundred: Vec<Frame> = (0..26)
        .map(|i| {
            let t = i as f64 * 230.0 + ((i * 31) % 50) as f64;
            sri(t, "2207890003300", &format!("4477009{:05}", 900 + i * 11))
        })
        .collect();
    assert!(fresh(&hundred).contains(&3007), "{:?}", fresh(&hundred));
    // slow harvesting: dozens over hours (one every 5-7 minutes, jittered), other GTs and
    // operations (sendIMSI, SRI-for-GPRS) alike
    // sendIMSI (58, imsiRetrievalContext 26): its argument is the MSISDN itself
    let send_imsi_arg = |msisdn: &str| tlv(sigscope_core::ber::Tag::OCTET_STRING, &[&isdn(msisdn)]);
    for (calling, ac, opcode) in [
        ("85290001234", (ac::SHORT_MSG_GATEWAY, 3), op::SRI_FOR_SM),
        ("79161234567", (26, 2), 58),
    ] {
        let slow: Vec<Frame> = (0..40)
            .map(|i| {
                let t = i as f64 * 360.0 + ((i * 37) % 120) as f64;
                let msisdn = format!("4477009{:05}", i * 7);
                let arg = if opcode == 58 {
                    send_imsi_arg(&msisdn)
                } else {
                    sri_sm_arg(&msisdn)
                };
                map_at(t, calling, "447700900001", ac, opcode, &arg)
            })
            .collect();
        let all = run_all(&mut Engine::new(Policy::default()), &slow);
        let mut frames: Vec<u64> = all
            .iter()
            .filter(|a| a.sig.id() == 3007)
            .map(|a| a.frame)
            .collect();
        frames.sort_unstable();
        frames.dedup();
        assert_eq!(
            frames,
            (1..=40).collect::<Vec<u64>>(),
            "{calling}: every lookup reported"
        );
        let first = all
            .iter()
            .find(|a| !a.tagged && a.sig.id() == 3007)
            .unwrap();
        assert_eq!(first.evidence["pace"], "slow");
    }
    // slower still: 36 subscribers over twenty hours (one every 30-40 minutes, jittered),
    // each lookup on its own: found within the day the slow window spans
    let slower: Vec<Frame> = (0..36)
        .map(|i| {
            let t = i as f64 * 2_000.0 + ((i * 53) % 400) as f64;
            sri(t, "23480012345", &format!("4477009{:05}", 500 + i * 3))
        })
        .collect();
    let found = fresh(&slower);
    assert!(found.contains(&3007), "twenty hours: {found:?}");
    // a foreign SMSC's work: `n` lookups `gap` seconds apart from `from` (titles in turn),
    // each followed by the short message it delivers
    let smsc_work = |n: u32, gap: f64, first: u32, from: &[&str], text: &str| -> Vec<Frame> {
        let mut v = Vec::new();
        for i in 0..n {
            let t = 10.0 + f64::from(i) * gap;
            let title = from
                .get(i as usize % from.len())
                .copied()
                .unwrap_or("85290009999");
            v.push(sri(t, title, &format!("4477009{:05}", first + i)));
            v.push(Frame::at(
                t + 0.5,
                map_invoke(
                    0x5500_0000 + (first << 8) + i,
                    title,
                    "447700900555",
                    (ac::SHORT_MSG_MT_RELAY, 3),
                    op::MT_FORWARD_SM,
                    &mt_forward_sm_arg(title, text),
                ),
            ));
        }
        v
    };
    // many lookups, each followed by its delivery
    let smsc = smsc_work(60, 1.5, 0, &["85290009999"], "Your parcel arrives today");
    assert!(!fresh(&smsc).contains(&3007), "{:?}", fresh(&smsc));
    // the same SMSC's work over ten hours (one subscriber every 8 minutes, the slow window
    // sliding past its first hours): its deliveries leave the count with their lookups
    let day = smsc_work(75, 480.0, 100, &["85290009999"], "See you tonight");
    assert!(!fresh(&day).contains(&3007), "ten hours: {:?}", fresh(&day));
    // one harvester spreading 40 lookups over five consecutive titles (8 each, across a
    // decade: ...9017 to ...9021) within twenty minutes: found by their block of a hundred,
    // and every lookup reported
    let titles = [
        "964780009017",
        "964780009018",
        "964780009019",
        "964780009020",
        "964780009021",
    ];
    let spread: Vec<Frame> = (0..40u32)
        .map(|i| {
            let t = 10.0 + f64::from(i) * 29.0;
            let from = titles
                .get(i as usize % titles.len())
                .copied()
                .unwrap_or("964780009017");
            sri(t, from, &format!("4477009{:05}", 300 + i))
        })
        .collect();
    let all = run_all(&mut Engine::new(Policy::default()), &spread);
    let block = all
        .iter()
        .find(|a| !a.tagged && a.sig.id() == 3007)
        .map(|a| a.evidence["gt_block"].clone());
    assert_eq!(block, Some(serde_json::json!("9647800090XX")), "spread");
    let reported: std::collections::BTreeSet<u64> = all.iter().map(|a| a.frame).collect();
    assert_eq!(
        reported,
        (1..=40).collect(),
        "spread: every lookup reported"
    );
    // five SMSCs of one block delivering what they look up stay quiet
    let pool = smsc_work(40, 29.0, 400, &titles, "Your code is 4821");
    assert!(!fresh(&pool).contains(&3007), "pool: {:?}", fresh(&pool));
    // one harvester stepping its title by seven for each of 40 lookups over six hours
    // (...0000 to ...0273: three blocks of a hundred, none with the slow count): found by
    // the block of a thousand
    let stepping = |deliver: bool| -> Vec<Frame> {
        let titles: Vec<String> = (0..40u32).map(|i| format!("1876555{:04}", i * 7)).collect();
        let mut v = Vec::new();
        for (i, title) in titles.iter().enumerate() {
            let t = 10.0 + i as f64 * 540.0 + ((i * 41) % 90) as f64;
            v.push(sri(t, title, &format!("4477009{:05}", 700 + i * 13)));
            if deliver {
                v.push(Frame::at(
                    t + 0.5,
                    map_invoke(
                        0x6600_0000 + i as u32,
                        title,
                        "447700900555",
                        (ac::SHORT_MSG_MT_RELAY, 3),
                        op::MT_FORWARD_SM,
                        &mt_forward_sm_arg(title, "Your table is booked for 8 pm"),
                    ),
                ));
            }
        }
        v
    };
    let all = run_all(&mut Engine::new(Policy::default()), &stepping(false));
    let block = all
        .iter()
        .find(|a| !a.tagged && a.sig.id() == 3007)
        .map(|a| a.evidence["gt_block"].clone());
    assert_eq!(block, Some(serde_json::json!("18765550XXX")), "stepping");
    let quiet = fresh(&stepping(true));
    assert!(!quiet.contains(&3007), "stepping SMSCs: {quiet:?}");
}

/// More distinct keys than a state table holds: the table is emptied (and counted), never
/// grown past [`MAX_STATE_KEYS`].
#[test]
fn state_tables_stay_bounded() {
    // the same GTPv2 request type from ever new addresses: one beacon key each
    let payload = gtp_v2(36, Some(0x10), 1, vec![v2::IeRepr::raw(73, 0, vec![5])]);
    let mut d = Decoder::new(Options::default());
    let mut e = Engine::new(Policy::default());
    let n = MAX_STATE_KEYS as u32 + 10;
    let mut alerts = 0u64;
    for i in 0..n {
        let [_, a, b, c] = i.to_be_bytes();
        let f = Frame::at(
            f64::from(i) * 0.001,
            udp([10, a, b, c], PGW, GTPC, GTPC, &payload),
        );
        d.packet(&packet(u64::from(i) + 1, &f), &mut |m| {
            e.observe(m, &mut |_| alerts += 1)
        });
    }
    assert_eq!(e.stats().records, u64::from(n));
    assert!(e.stats().state_resets >= 1, "{:?}", e.stats());
    assert_eq!(alerts, 0);
}

/// What an arbitrary datagram is carried as.
#[derive(Debug, Clone, Copy)]
enum Carrier {
    /// UDP payload on the GTP-C port.
    GtpC,
    /// UDP payload on the GTP-U port.
    GtpU,
    /// SCTP DATA payload with the M3UA PPID.
    M3ua,
    /// User data of an M3UA DATA message (SCCP).
    Sccp,
    /// User data of an SCCP UDT to the HLR (TCAP).
    Tcap,
    /// A real MAP Invoke (TCAP) with the bytes XORed over it.
    MapMutated,
}

fn frame_of(carrier: Carrier, bytes: &[u8], ts: f64) -> Frame {
    let data = match carrier {
        Carrier::GtpC => udp(FOREIGN, PGW, GTPC, GTPC, bytes),
        Carrier::GtpU => udp(SGW, PGW, GTPU, GTPU, bytes),
        Carrier::M3ua => sctp(STP, HLR_SG, 3, bytes.to_vec()),
        Carrier::Sccp => m3ua_frame(bytes.to_vec()),
        // a UDT holds at most 255 octets of parameters
        Carrier::Tcap => m3ua_frame(udt_to_hlr(
            "85290001234",
            "447700900001",
            bytes[..bytes.len().min(200)].to_vec(),
        )),
        Carrier::MapMutated => {
            let templates = [
                tcap_begin(
                    1,
                    ac::ANY_TIME_INFO_ENQUIRY,
                    3,
                    op::ANY_TIME_INTERROGATION,
                    &ati_arg("447700900123", "85290001234"),
                ),
                tcap_begin(
                    2,
                    ac::NETWORK_UNSTRUCTURED_SS,
                    2,
                    op::PROCESS_USSD,
                    &ussd_arg("*100#"),
                ),
                tcap_begin(
                    3,
                    ac::NETWORK_LOC_UP,
                    3,
                    op::UPDATE_LOCATION,
                    &ul_arg(&tbcd("234150123456789"), "33612345678"),
                ),
                tcap_begin(
                    4,
                    ac::SHORT_MSG_MT_RELAY,
                    3,
                    op::MT_FORWARD_SM,
                    &mt_forward_sm_arg("447700900999", "Your code is 4821"),
                ),
            ];
            let pick = bytes
                .first()
                .map_or(0, |b| usize::from(*b) % templates.len());
            let mut t = templates[pick].clone();
            // XOR the tail of the bytes over the message, from a position they choose
            let start = bytes.get(1).map_or(0, |b| usize::from(*b)) % t.len();
            for (x, b) in t[start..].iter_mut().zip(bytes.iter().skip(2)) {
                *x ^= b;
            }
            m3ua_frame(udt_to_hlr("85290001234", "447700900001", t))
        }
    };
    Frame::at(ts, data)
}

fn arb_carrier() -> impl Strategy<Value = Carrier> {
    prop_oneof![
        Just(Carrier::GtpC),
        Just(Carrier::GtpU),
        Just(Carrier::M3ua),
        Just(Carrier::Sccp),
        Just(Carrier::Tcap),
        Just(Carrier::MapMutated),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Whatever the bytes, neither the decoder nor the engine panics, and the engine sees
    /// every message the decoder hands out.
    #[test]
    fn never_panics(
        items in prop::collection::vec(
            (arb_carrier(), prop::collection::vec(any::<u8>(), 0..300), 0.0f64..200.0),
            1..12,
        )
    ) {
        let mut ts = 0.0;
        let frames: Vec<Frame> = items
            .iter()
            .map(|(c, bytes, dt)| {
                ts += dt;
                frame_of(*c, bytes, ts)
            })
            .collect();
        let mut e = Engine::new(home_policy());
        let mut messages = 0u64;
        let mut alerts = Vec::new();
        decode(&frames, &mut |m| {
            messages += 1;
            e.observe(m, &mut |a| alerts.push(a));
        });
        prop_assert_eq!(e.stats().records, messages);
        prop_assert_eq!(e.stats().alerts + e.stats().tagged, alerts.len() as u64);
        for a in &alerts {
            prop_assert!(a.evidence.is_object());
            prop_assert!(a.frame >= 1 && a.frame <= frames.len() as u64);
        }
    }
}

/// The victim's answer to a flagged request, in the reverse direction.
fn map_end_back(ts: f64, dtid: u32, from: &str, to: &str, ac: (u8, u8), opcode: u8) -> Frame {
    let sccp = sccp_udt(
        gt_address(to, 8),
        gt_address(from, 6),
        tcap_end(dtid, ac.0, ac.1, opcode, &ati_res()),
    );
    Frame::at(ts, sctp(HLR_SG, STP, 3, m3ua_data(2201, 1201, sccp)))
}

/// Once an alert flags a flow, the flow's other messages are reported as tagged members of
/// it with the same signature and `flow_id`: the victim's answer after the alert, and the
/// earlier messages of a flow whose alert came late; other flows stay quiet.
#[test]
fn flagged_flows_report_the_whole_exchange() {
    let ati = (ac::ANY_TIME_INFO_ENQUIRY, 3);
    let otid = 0x7700_0001;
    let frames = [
        map_at(
            1.0,
            "85290001234",
            "447700900001",
            ati,
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", "85290001234"),
        ),
        map_end_back(
            1.2,
            otid,
            "447700900001",
            "85290001234",
            ati,
            op::ANY_TIME_INTERROGATION,
        ),
        // another transaction between the same nodes, home to home: not part of the flow
        map_at(
            5.0,
            "447700900777",
            "447700900001",
            (ac::SHORT_MSG_GATEWAY, 3),
            op::SRI_FOR_SM,
            &sri_sm_arg("447700900123"),
        ),
    ];
    let all = run_all(&mut Engine::new(Policy::default()), &frames);
    let found: Vec<(u64, u32, bool)> = all
        .iter()
        .map(|a| (a.frame, a.sig.id(), a.tagged))
        .collect();
    assert_eq!(found, [(1, 3002, false), (2, 3002, true)], "{found:?}");
    assert_eq!(all[0].flow_id, all[1].flow_id);
    assert!(all[1].eve_alert()["metadata"]["tagged"] == serde_json::json!(["flow"]));
    assert!(all[0].eve_alert()["metadata"].get("tagged").is_none());
    assert_eq!(all[1].evidence["alert_frame"], 1);

    // GTP: a GTPDOOR-style Echo answered by the implant; the answer (a plain Echo Response
    // to its sequence number) is tagged, an earlier Echo of the same covert shape is reported
    // with the alert, and the plain keep-alives between the same peers, before and after, are
    // not part of the exchange
    let plain = gtpc(0.5, FOREIGN, &echo_request_v2(9, vec![v2_recovery(3)]));
    let covert_before = gtpc(
        0.7,
        FOREIGN,
        &echo_request_v2(8, vec![v2_recovery(3), v2_imsi("234150123456780")]),
    );
    let bad = gtpc(
        1.0,
        FOREIGN,
        &echo_request_v2(10, vec![v2_recovery(3), v2_imsi("234150123456789")]),
    );
    let answer = Frame::at(
        1.1,
        udp(
            PGW,
            FOREIGN,
            GTPC,
            GTPC,
            &echo_response_v2(10, vec![v2_recovery(3)]),
        ),
    );
    let elsewhere = Frame::at(
        1.2,
        udp(
            SGW,
            PGW,
            GTPC,
            GTPC,
            &echo_request_v2(11, vec![v2_recovery(3)]),
        ),
    );
    let plain_after = gtpc(1.5, FOREIGN, &echo_request_v2(12, vec![v2_recovery(3)]));
    let plain_answer = Frame::at(
        1.6,
        udp(
            PGW,
            FOREIGN,
            GTPC,
            GTPC,
            &echo_response_v2(12, vec![v2_recovery(3)]),
        ),
    );
    let all = run_all(
        &mut Engine::new(Policy::default()),
        &[
            plain,
            covert_before,
            bad,
            answer,
            elsewhere,
            plain_after,
            plain_answer,
        ],
    );
    let found: Vec<(u64, u32, bool)> = all
        .iter()
        .map(|a| (a.frame, a.sig.id(), a.tagged))
        .collect();
    // (the earlier covert Echo alerts; the next one of its shape is a member of the flow it
    // flagged, as is the answer; no plain Echo is)
    assert_eq!(
        found,
        [(2, 1001, false), (3, 1001, true), (4, 1001, true)],
        "{found:?}"
    );
    assert!(all.iter().all(|a| a.flow_id == all[0].flow_id));

    // bounded: at most tag_max_per_flow members, and none after tag_window_s
    let p = Policy::from_toml("[thresholds]\ntag_max_per_flow = 2\ntag_window_s = 10.0\n").unwrap();
    let mut frames = vec![gtpc(
        1.0,
        FOREIGN,
        &echo_request_v2(1, vec![v2_recovery(3), v2_imsi("234150123456789")]),
    )];
    for i in 0..5u32 {
        frames.push(Frame::at(
            2.0 + f64::from(i),
            udp(
                PGW,
                FOREIGN,
                GTPC,
                GTPC,
                &echo_response_v2(1, vec![v2_recovery(3)]),
            ),
        ));
    }
    // (answers repeated to the covert Echo's sequence number: members by its transaction)
    let tagged: Vec<(u64, bool)> = run_all(&mut Engine::new(p.clone()), &frames)
        .iter()
        .map(|a| (a.frame, a.tagged))
        .collect();
    assert_eq!(tagged, [(1, false), (2, true), (3, true)], "{tagged:?}");
    frames.truncate(1);
    frames.push(Frame::at(
        20.0,
        udp(
            PGW,
            FOREIGN,
            GTPC,
            GTPC,
            &echo_response_v2(1, vec![v2_recovery(3)]),
        ),
    ));
    assert!(run_all(&mut Engine::new(p), &frames)
        .iter()
        .all(|a| !a.tagged));
}

/// The rate limit holds back repeats of a signature within one flow, never the first alert
/// of a new flow: two transactions from one attacker both alert.
#[test]
fn rate_limit_never_hides_a_new_flow() {
    let ati = |ts: f64| {
        map_at(
            ts,
            "85290001234",
            "447700900001",
            (ac::ANY_TIME_INFO_ENQUIRY, 3),
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", "85290001234"),
        )
    };
    let got = ids(&run(
        &mut Engine::new(Policy::default()),
        &[ati(1.0), ati(2.0), ati(3.0)],
    ));
    assert_eq!(got, [3002, 3002, 3002]);
}

/// A foreign title flagged for location tracking (3002) has its other transactions reported
/// with it: its routing enquiry in a new transaction (no finding of its own) and the HLR's
/// answer to it are tagged; another foreign title's enquiry and the home SMSC's are not.
#[test]
fn an_attacker_title_is_followed_across_transactions() {
    const HLR: &str = "447700900001";
    const ATTACKER: &str = "85290001234";
    let answer = |ts: f64, dtid: u32, to: &str, ac: (u8, u8), op: u8, res: &[u8]| {
        let udt = sccp_udt(
            gt_address(to, 8),
            gt_address(HLR, 6),
            tcap_end(dtid, ac.0, ac.1, op, res),
        );
        Frame::at(ts, m3ua_frame(udt))
    };
    let sri_res = sigscope_map::emit::sri_sm_res("234150123456789", "447700900123").unwrap();
    let frames = vec![
        // 1, 2: the ATI and its answer
        Frame::at(
            1.0,
            map_invoke(
                0x11,
                ATTACKER,
                HLR,
                (29, 3),
                71,
                &ati_arg("447700900555", ATTACKER),
            ),
        ),
        answer(1.1, 0x11, ATTACKER, (29, 3), 71, &ati_res()),
        // 3, 4: the same title's SRI-SM for another subscriber, answered
        Frame::at(
            20.0,
            map_invoke(
                0x22,
                ATTACKER,
                HLR,
                (20, 3),
                45,
                &sri_sm_arg("447700900556"),
            ),
        ),
        answer(20.1, 0x22, ATTACKER, (20, 3), 45, &sri_res),
        // 5, 6: another foreign title's SRI-SM, answered
        Frame::at(
            30.0,
            map_invoke(
                0x33,
                "79160000001",
                HLR,
                (20, 3),
                45,
                &sri_sm_arg("447700900557"),
            ),
        ),
        answer(30.1, 0x33, "79160000001", (20, 3), 45, &sri_res),
        // 7: the home SMSC's
        Frame::at(
            40.0,
            map_invoke(
                0x44,
                "447700900777",
                HLR,
                (20, 3),
                45,
                &sri_sm_arg("447700900558"),
            ),
        ),
    ];
    let a = run_all(&mut Engine::new(home_policy()), &frames);
    let reported: std::collections::BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert_eq!(
        reported,
        std::collections::BTreeSet::from([1, 2, 3, 4]),
        "{:?}",
        a.iter()
            .map(|x| (x.frame, x.sig.id(), x.tagged))
            .collect::<Vec<_>>()
    );
    assert!(a
        .iter()
        .filter(|x| x.frame == 3)
        .all(|x| x.tagged && x.sig.id() == 3002));
}

/// A title spoofed by an attacker on its own association: the real node's traffic under the
/// same title, over its own association, is no attacker's (neither its Begin nor the answer
/// to it is reported), while the attacker's next transaction on the attacker's association
/// is, with its answer wherever that leaves by.
#[test]
fn a_spoofed_title_does_not_tag_the_real_nodes_traffic() {
    const HLR: &str = "447700900001";
    const SPOOFED: &str = "85290001234";
    let sri_res = sigscope_map::emit::sri_sm_res("234150123456789", "447700900123").unwrap();
    let answer = |ts: f64, dtid: u32, ac: (u8, u8), op: u8, res: &[u8], other_link: bool| {
        let udt = sccp_udt(
            gt_address(SPOOFED, 8),
            gt_address(HLR, 6),
            tcap_end(dtid, ac.0, ac.1, op, res),
        );
        let m3ua = if other_link {
            sctp(
                [192, 0, 2, 21],
                [192, 0, 2, 50],
                3,
                m3ua_data(2202, 3300, udt),
            )
        } else {
            m3ua_frame(udt)
        };
        Frame::at(ts, m3ua)
    };
    // the real node's Begin over its own association
    let real = |ts: f64, otid: u32| {
        let udt = sccp_udt(
            gt_address(HLR, 6),
            gt_address(SPOOFED, 8),
            tcap_begin(otid, 20, 3, 45, &sri_sm_arg("447700900560")),
        );
        Frame::at(
            ts,
            sctp(
                [192, 0, 2, 50],
                [192, 0, 2, 21],
                3,
                m3ua_data(3300, 2202, udt),
            ),
        )
    };
    let frames = vec![
        // 1, 2: the attacker's ATI under the title, answered
        Frame::at(
            1.0,
            map_invoke(
                0x11,
                SPOOFED,
                HLR,
                (29, 3),
                71,
                &ati_arg("447700900555", SPOOFED),
            ),
        ),
        answer(1.1, 0x11, (29, 3), 71, &ati_res(), false),
        // 3, 4: the real node's lookup and its answer, over its own association
        real(10.0, 0x55),
        answer(10.1, 0x55, (20, 3), 45, &sri_res, true),
        // 5, 6: the attacker's next lookup on its association; the answer leaves by the
        // other one
        Frame::at(
            20.0,
            map_invoke(0x22, SPOOFED, HLR, (20, 3), 45, &sri_sm_arg("447700900556")),
        ),
        answer(20.1, 0x22, (20, 3), 45, &sri_res, true),
    ];
    let a = run_all(&mut Engine::new(home_policy()), &frames);
    let reported: std::collections::BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert_eq!(
        reported,
        std::collections::BTreeSet::from([1, 2, 5, 6]),
        "{:?}",
        a.iter()
            .map(|x| (x.frame, x.sig.id(), x.tagged))
            .collect::<Vec<_>>()
    );
}

/// A harvester's lookups are reported with its finding, and so are the HLR's answers to
/// them — the IMSIs and serving MSCs it stole — however far back they are among other
/// traffic, and when the answers leave through another association (another transfer
/// point) than the requests came in on. The home SMSC's own lookups meanwhile are not.
#[test]
fn harvest_answers_are_reported_wherever_they_went() {
    const HLR: &str = "447700900001";
    const HARVESTER: &str = "2348030000001";
    const SMSC: &str = "447700900777";
    let sri_res = sigscope_map::emit::sri_sm_res("234150123456789", "447700900123").unwrap();
    // the answers leave via a second signalling gateway and transfer point
    let back = |ts: f64, dtid: u32, to: &str| {
        let udt = sccp_udt(
            gt_address(to, 8),
            gt_address(HLR, 6),
            tcap_end(dtid, 20, 3, 45, &sri_res),
        );
        let m3ua = m3ua_data(2202, 1202, udt);
        Frame::at(ts, sctp([192, 0, 2, 21], [192, 0, 2, 11], 3, m3ua))
    };
    let mut frames = Vec::new();
    let mut attack = std::collections::BTreeSet::new();
    let mut home = std::collections::BTreeSet::new();
    for i in 0..25u32 {
        let ts = 10.0 + f64::from(i) * 8.0;
        let otid = 0x5000 + i;
        let msisdn = format!("4477009{:05}", 100 + i * 3);
        frames.push(Frame::at(
            ts,
            map_invoke(otid, HARVESTER, HLR, (20, 3), 45, &sri_sm_arg(&msisdn)),
        ));
        attack.insert(frames.len() as u64);
        frames.push(back(ts + 0.05, otid, HARVESTER));
        attack.insert(frames.len() as u64);
        // the home SMSC's deliveries meanwhile push the lookups out of recent memory
        for k in 0..40u32 {
            let t = ts + 0.1 + f64::from(k) * 0.15;
            let otid = 0x9000_0000 + i * 100 + k;
            let msisdn = format!("4477009{:05}", 5000 + k);
            frames.push(Frame::at(
                t,
                map_invoke(otid, SMSC, HLR, (20, 3), 45, &sri_sm_arg(&msisdn)),
            ));
            home.insert(frames.len() as u64);
        }
    }
    let a = run_all(&mut Engine::new(home_policy()), &frames);
    assert!(a.iter().any(|x| x.sig.id() == 3007 && !x.tagged));
    let reported: std::collections::BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert!(
        attack.is_subset(&reported),
        "not reported: {:?}",
        attack.difference(&reported).collect::<Vec<_>>()
    );
    assert!(home.is_disjoint(&reported));
}

/// Authentication vectors asked from abroad for a home subscriber who was just active at
/// home (a spoofed VLR) is judged as an impossible update is (3004); asked from a home VLR,
/// or from abroad long after, it is not.
#[test]
fn authentication_from_abroad_right_after_home_is_impossible_travel() {
    const HLR: &str = "447700900001";
    const HOME_VLR: &str = "447700900123";
    let imsi = tbcd("234150000000042");
    let frames = |gap: f64, second: &str| {
        vec![
            Frame::at(
                1.0,
                map_invoke(0x10, HOME_VLR, HLR, (14, 3), 56, &sai_arg(&imsi)),
            ),
            Frame::at(
                1.0 + gap,
                map_invoke(0x11, second, HLR, (14, 3), 56, &sai_arg(&imsi)),
            ),
        ]
    };
    let a = run(
        &mut Engine::new(home_policy()),
        &frames(240.0, "85290001234"),
    );
    assert_eq!(ids(&a), [3004], "from Hong Kong four minutes after London");
    let a = run(
        &mut Engine::new(home_policy()),
        &frames(240.0, "447700900124"),
    );
    assert!(a.is_empty(), "another home VLR: {:?}", ids(&a));
    let a = run(
        &mut Engine::new(home_policy()),
        &frames(2.0 * 86_400.0, "85290001234"),
    );
    assert!(a.is_empty(), "two days later: {:?}", ids(&a));
}

/// A purge (or a restore, or a ready-for-SM) sent from abroad for a home subscriber who was
/// just active at home says the subscriber is at a node they cannot have reached: judged as
/// an impossible update is (3004), the node named by the purge's VLR number. From another
/// home VLR, or two days later, it is not.
#[test]
fn a_purge_from_abroad_right_after_home_is_impossible_travel() {
    const HLR: &str = "447700900001";
    const HOME_VLR: &str = "447700900123";
    let imsi = tbcd("234150000000043");
    let address = |digits: &str| [&[0x91u8][..], &tbcd(digits)].concat();
    // purgeMS v2: SEQUENCE { imsi, vlr-Number }
    let purge = |vlr: &str| {
        tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&imsi]),
                &tlv(Tag::OCTET_STRING, &[&address(vlr)]),
            ],
        )
    };
    // readyForSM: SEQUENCE { imsi [0], alertReason ENUMERATED }
    let ready = tlv(
        Tag::SEQUENCE,
        &[&tlv(Tag::ctx(0), &[&imsi]), &tlv(Tag::ENUMERATED, &[&[0]])],
    );
    let frames = |gap: f64, second: &str, op: u8| {
        let (ac, arg) = if op == 67 {
            ((27u8, 2u8), purge(second))
        } else {
            ((20, 3), ready.clone())
        };
        vec![
            Frame::at(
                1.0,
                map_invoke(0x20, HOME_VLR, HLR, (14, 3), 56, &sai_arg(&imsi)),
            ),
            Frame::at(1.0 + gap, map_invoke(0x21, second, HLR, ac, op, &arg)),
        ]
    };
    for op in [67u8, 66] {
        let a = run(
            &mut Engine::new(home_policy()),
            &frames(170.0, "22376000410", op),
        );
        assert_eq!(ids(&a), [3004], "{op} from Mali three minutes after London");
        let a = run(
            &mut Engine::new(home_policy()),
            &frames(170.0, "447700900124", op),
        );
        assert!(a.is_empty(), "{op} from another home VLR: {:?}", ids(&a));
        let a = run(
            &mut Engine::new(home_policy()),
            &frames(2.0 * 86_400.0, "22376000410", op),
        );
        assert!(a.is_empty(), "{op} two days later: {:?}", ids(&a));
    }
    // a purge says where the subscriber was: it places no one, so authentication from Hong
    // Kong ten minutes after an old purge from Mali is judged from London two days before;
    // and an SGSN's purge (no VLR number: a subscriber back home on CS only never cancels
    // the SGSN abroad) is not judged
    let mut f = frames(2.0 * 86_400.0, "22376000410", 67);
    f.push(Frame::at(
        2.0 * 86_400.0 + 600.0,
        map_invoke(0x22, "85290001234", HLR, (14, 3), 56, &sai_arg(&imsi)),
    ));
    let a = run(&mut Engine::new(home_policy()), &f);
    assert!(a.is_empty(), "Hong Kong after an old purge: {:?}", ids(&a));
    let sgsn_purge = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::OCTET_STRING, &[&imsi]),
            &tlv(Tag::ctx(1), &[&address("22376000410")]),
        ],
    );
    let f = vec![
        Frame::at(
            1.0,
            map_invoke(0x30, HOME_VLR, HLR, (14, 3), 56, &sai_arg(&imsi)),
        ),
        Frame::at(
            171.0,
            map_invoke(0x31, "22376000410", HLR, (27, 3), 67, &sgsn_purge),
        ),
    ];
    let a = run(&mut Engine::new(home_policy()), &f);
    assert!(a.is_empty(), "an SGSN's purge: {:?}", ids(&a));
}

/// USSD commands from a foreign title name it: its next command, too short to be judged
/// encoded on its own, is tagged with the finding; a home VLR's balance enquiry is not.
#[test]
fn a_ussd_commander_is_followed() {
    const HLR: &str = "447700900001";
    const C2: &str = "85290001234";
    let frames = vec![
        Frame::at(
            1.0,
            map_invoke(
                0x61,
                C2,
                HLR,
                (19, 2),
                59,
                &ussd_arg("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk"),
            ),
        ),
        Frame::at(
            61.0,
            map_invoke(0x62, C2, HLR, (19, 2), 59, &ussd_arg("ZXhpdA==")),
        ),
        Frame::at(
            62.0,
            map_invoke(0x63, "447700900123", HLR, (19, 2), 59, &ussd_arg("*100#")),
        ),
    ];
    let a = run_all(&mut Engine::new(home_policy()), &frames);
    let by_frame: Vec<(u64, u32, bool)> =
        a.iter().map(|x| (x.frame, x.sig.id(), x.tagged)).collect();
    assert!(by_frame.contains(&(1, 2001, false)), "{by_frame:?}");
    assert!(
        by_frame.iter().any(|&(f, _, t)| f == 2 && t),
        "{by_frame:?}"
    );
    assert!(by_frame.iter().all(|&(f, ..)| f != 3), "{by_frame:?}");
}

/// A home subscriber abroad is delivered a short message by the home SMSC (MAP v2
/// forwardSM, its SM-RP-DA the IMSI): that places them nowhere, so the visited VLR's next
/// authentication request is no impossible travel.
#[test]
fn an_smsc_delivery_does_not_place_its_subscriber() {
    const HLR: &str = "447700900001";
    const SMSC: &str = "447700900777";
    const VISITED: &str = "85290001234";
    let imsi = tbcd("234150123456789");
    let frames = vec![
        Frame::at(
            1.0,
            map_invoke(0x71, VISITED, HLR, (1, 3), 2, &ul_arg(&imsi, VISITED)),
        ),
        // forwardSM (46) in the v2 relay context, from the home SMSC to the visited MSC
        Frame::at(
            7_200.0,
            map_invoke(
                0x72,
                SMSC,
                VISITED,
                (21, 2),
                46,
                &mt_forward_sm_arg(SMSC, "Welcome to Hong Kong"),
            ),
        ),
        Frame::at(
            7_260.0,
            map_invoke(0x73, VISITED, HLR, (14, 3), 56, &sai_arg(&imsi)),
        ),
    ];
    let a = run(&mut Engine::new(home_policy()), &frames);
    assert!(!ids(&a).contains(&3004), "{:?}", ids(&a));
}

/// A subscriber's own HLR asking the VLR serving them abroad where they are, every quarter
/// of an hour (a location service's fleet tracking), is not a beacon; the same polling from
/// a foreign title is.
#[test]
fn own_hlr_polling_is_not_a_beacon() {
    const HLR: &str = "447700900001";
    let imsi = tbcd("234150123456789");
    let poll = |from: &str, to: &str| -> Vec<Frame> {
        (0..12u32)
            .map(|i| {
                Frame::at(
                    10.0 + f64::from(i) * 900.0,
                    map_invoke(0x80 + i, from, to, (28, 3), 70, &psi_arg(&imsi)),
                )
            })
            .collect()
    };
    let a = run(&mut Engine::new(home_policy()), &poll(HLR, "85290001234"));
    assert!(!ids(&a).contains(&3005), "own HLR: {:?}", ids(&a));
    let a = run(
        &mut Engine::new(Policy::default()),
        &poll(HLR, "85290001234"),
    );
    assert!(
        !ids(&a).contains(&3005),
        "own HLR, no policy: {:?}",
        ids(&a)
    );
    let a = run(
        &mut Engine::new(home_policy()),
        &poll("79160000001", "447700900123"),
    );
    assert!(ids(&a).contains(&3005), "foreign title: {:?}", ids(&a));
    // an inbound roamer's own HLR (Malaysia, a Malaysian IMSI) polling our VLR, with our
    // policy: its own network; a third country's title polling that roamer is a beacon
    let roamer = tbcd("502120000000077");
    let poll_roamer = |from: &str| -> Vec<Frame> {
        (0..12u32)
            .map(|i| {
                Frame::at(
                    10.0 + f64::from(i) * 1_800.0,
                    map_invoke(
                        0x90 + i,
                        from,
                        "447700900123",
                        (28, 3),
                        70,
                        &psi_arg(&roamer),
                    ),
                )
            })
            .collect()
    };
    let a = run(&mut Engine::new(home_policy()), &poll_roamer("60120000301"));
    assert!(!ids(&a).contains(&3005), "roamer's own HLR: {:?}", ids(&a));
    let a = run(&mut Engine::new(home_policy()), &poll_roamer("79160000001"));
    assert!(ids(&a).contains(&3005), "third country: {:?}", ids(&a));
}
