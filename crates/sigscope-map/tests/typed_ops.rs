//! Every typed operation decoded from bytes made by an independent encoder (pycrate, from the
//! TS 29.002 ASN.1; `tools/vectors.py` regenerates `vectors_data.rs`), plus vectors taken from
//! the shared captures. Each vector must decode without BER or layout anomalies, and show the
//! listed facts.

use sigscope_core::Anomalies;
use sigscope_core::AnomalyCode;
use sigscope_map::sms::Direction;
use sigscope_map::{decode, GeoInfo, Kind, MapParam, OpCode, SmRpDa, SmRpOa};

#[path = "data/vectors_data.rs"]
mod vectors_data;
use vectors_data::VECTORS;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// A flat list of `key=value` facts about a decoded parameter.
fn facts(p: &MapParam<'_>) -> Vec<String> {
    let mut f = Vec::new();
    if let Some(i) = p.imsi {
        f.push(format!("imsi={}", i.digits()));
    }
    if let Some(i) = p.imei {
        f.push(format!("imei={}", i.digits()));
    }
    if let Some(l) = p.lmsi {
        f.push(format!("lmsi={:02x?}", l.bytes));
    }
    if let Some(t) = p.tmsi {
        f.push(format!("tmsi={:02x?}", t.bytes));
    }
    for (r, a) in p.addresses() {
        f.push(format!("{}={}", r, a.digits()));
    }
    match p.sm_rp_da {
        Some(SmRpDa::Imsi(i)) => f.push(format!("da.imsi={}", i.digits())),
        Some(SmRpDa::Lmsi(l)) => f.push(format!("da.lmsi={l:02x?}")),
        Some(SmRpDa::ServiceCentre(a)) => f.push(format!("da.sc={}", a.digits())),
        Some(other) => f.push(format!("da={other:?}")),
        None => {}
    }
    match p.sm_rp_oa {
        Some(SmRpOa::Msisdn(a)) => f.push(format!("oa.msisdn={}", a.digits())),
        Some(SmRpOa::ServiceCentre(a)) => f.push(format!("oa.sc={}", a.digits())),
        Some(other) => f.push(format!("oa={other:?}")),
        None => {}
    }
    if let Some(d) = p.sms_direction {
        f.push(format!(
            "dir={}",
            if d == Direction::ToMs { "mt" } else { "mo" }
        ));
        let mut an = Anomalies::new();
        if let Some(Ok(t)) = p.sms(&mut an) {
            f.push(format!("tpdu={}", t.kind.as_str()));
            if let Some(a) = t.address {
                f.push(format!("tp_addr={}", a.text()));
            }
            if let Some(text) = t.text() {
                f.push(format!("text={text}"));
            }
            if let Some(s) = t.scts {
                f.push(format!("scts={s}"));
            }
            if let Some(v) = t.validity.and_then(|v| v.seconds()) {
                f.push(format!("vp={v}"));
            }
        }
        assert!(an.is_empty(), "sms anomalies {an:?}");
    }
    if let Some(u) = p.ussd {
        f.push(format!("ussd={}", u.text().unwrap_or_default()));
    }
    if let Some(r) = p.requested_info {
        for n in r.names() {
            f.push(format!("ri={n}"));
        }
    }
    for (k, l) in [
        ("cs", p.location),
        ("gprs", p.location_gprs),
        ("eps", p.location_eps),
    ] {
        let Some(l) = l else { continue };
        if let Some(a) = l.age {
            f.push(format!("{k}.age={a}"));
        }
        for c in [l.cell, l.rai, l.ecgi, l.tai].into_iter().flatten() {
            f.push(format!(
                "{k}.{}={}/{:?}/{:?}",
                c.kind.as_str(),
                c.plmn().map(|p| p.to_string()).unwrap_or_default(),
                c.lac(),
                c.cell()
            ));
        }
        if let Some(g) = l.geographical.and_then(|g| GeoInfo::parse(g.bytes)) {
            f.push(format!(
                "{k}.geo={:.1},{:.1}",
                g.latitude.unwrap_or(0.0),
                g.longitude.unwrap_or(0.0)
            ));
        }
    }
    if let Some(s) = p.subscriber_state {
        f.push(format!("state={}", s.as_str()));
    }
    if let Some(n) = p.requested_vectors {
        f.push(format!("requested_vectors={n}"));
    }
    if let Some(v) = p.auth_vectors {
        f.push(format!(
            "vectors={}/{}/{}",
            v.triplets, v.quintuplets, v.eps
        ));
    }
    for c in p.ss_codes() {
        f.push(format!("ss={c:#04x}"));
    }
    if p.extensions.containers > 0 {
        f.push(format!(
            "ext={}/{}",
            p.extensions.containers, p.extensions.private
        ));
    }
    for (k, v) in [
        ("cancellation_type", p.cancellation_type),
        ("alert_reason", p.alert_reason),
        ("failure_cause", p.failure_cause),
        ("interrogation_type", p.interrogation_type),
        ("equipment_status", p.equipment_status),
        ("lcs_event", p.lcs_event),
        ("sm_delivery_outcome", p.sm_delivery_outcome),
        ("category", p.category),
        ("password_len", p.password_len),
        ("guidance", p.guidance_info),
        ("ss_status", p.ss_status),
    ] {
        if let Some(v) = v {
            f.push(format!("{k}={v}"));
        }
    }
    if let Some(b) = p.sm_rp_pri {
        f.push(format!("pri={b}"));
    }
    if let Some(g) = p.location_estimate.and_then(|g| GeoInfo::parse(g.bytes)) {
        f.push(format!(
            "estimate={:.1},{:.1}",
            g.latitude.unwrap_or(0.0),
            g.longitude.unwrap_or(0.0)
        ));
    }
    if let Some(a) = p.sgsn_address {
        f.push(format!("sgsn_address={:02x?}", a.bytes));
    }
    if let Some(a) = p.ggsn_address {
        f.push(format!("ggsn_address={:02x?}", a.bytes));
    }
    if p.teleservices > 0 {
        f.push(format!("teleservices={}", p.teleservices));
    }
    if p.hlr_list > 0 {
        f.push(format!("hlr_list={}", p.hlr_list));
    }
    if let Some(t) = p.trace_type {
        f.push(format!("trace_type={t}"));
    }
    f
}

const IMSI: &str = "imsi=001010123456789";
const MSISDN: &str = "msisdn=447700900123";
const EXT: &str = "ext=1/1";

fn expected(name: &str) -> &'static [&'static str] {
    match name {
        "update_location_arg" => &[
            IMSI,
            "msc_number=447700900556",
            "vlr_number=447700900555",
            "lmsi=[01, 02, 03, 04]",
            EXT,
        ],
        "update_location_res" | "ugl_res" | "restore_data_res" => &["hlr_number=447700900777"],
        "cancel_location_arg" => &[IMSI, "lmsi=[01, 02, 03, 04]", "cancellation_type=0"],
        "cancel_location_res"
        | "dsd_res"
        | "afr_res"
        | "note_ms_present_res"
        | "activate_trace_res"
        | "atm_res"
        | "ready_for_sm_res"
        | "ss_inv_notif_res"
        | "slr_res" => &[EXT],
        "prn_arg" => &[
            IMSI,
            "msc_number=447700900556",
            MSISDN,
            "gmsc_address=447700900888",
        ],
        "prn_res" | "sri_res_v2" => &["roaming_number=447700900321"],
        "isd_arg" => &[
            IMSI,
            MSISDN,
            "category=10",
            "teleservices=3",
            "ss=0x21",
            "ss=0x2a",
            "forwarded_to_number=447700900222",
        ],
        "isd_res" => &["ss=0x21"],
        "dsd_arg" => &[IMSI, "ss=0x21", "ss=0x92"],
        "register_ss_arg" => &["ss=0x21", "forwarded_to_number=447700900222"],
        "register_ss_res" => &["ss=0x21", "forwarded_to_number=447700900222", "ss_status=7"],
        "erase_ss_arg" | "activate_ss_arg" | "deactivate_ss_arg" | "interrogate_ss_arg" => {
            &["ss=0x92"]
        }
        "erase_ss_res" | "activate_ss_res" | "deactivate_ss_res" => &["ss=0x92"],
        "interrogate_ss_res" => &["ss_status=5"],
        "afr_arg" => &[IMSI, "failure_cause=0", "vlr_number=447700900555"],
        "register_password_arg" => &["ss=0x92"],
        "register_password_res" | "get_password_res" => &["password_len=4"],
        "get_password_arg" => &["guidance=0"],
        "sri_arg" => &[MSISDN, "interrogation_type=0", "gmsc_address=447700900888"],
        "sri_res" => &[
            IMSI,
            "roaming_number=447700900321",
            "cs.age=5",
            "cs.cgi=001-01/Some(11111)/Some(54321)",
            "cs.geo=45.0,45.0",
            "eps.ecgi=001-01/None/Some(19088743)",
            "eps.tai=001-01/Some(66)/None",
            "vlr_number=447700900555",
            "state=assumed_idle",
        ],
        "ugl_arg" => &[
            IMSI,
            "sgsn_number=447700900444",
            "sgsn_address=[04, c0, a8, 00, 01]",
        ],
        "sri_gprs_arg" => &[
            IMSI,
            "ggsn_number=447700900666",
            "ggsn_address=[04, c0, a8, 00, 02]",
        ],
        "sri_gprs_res" => &["sgsn_address=[04, c0, a8, 00, 01]"],
        "failure_report_arg" => &[IMSI, "ggsn_number=447700900666"],
        "failure_report_res" => &["ggsn_address=[04, c0, a8, 00, 02]"],
        "note_ms_present_arg" => &[IMSI, "sgsn_address=[04, c0, a8, 00, 01]"],
        "reset_arg" => &["hlr_number=447700900777", "hlr_list=2"],
        "check_imei_arg" | "check_imei_arg_v2" => &["imei=3520990017614823"],
        "check_imei_res" => &["equipment_status=0"],
        "check_imei_res_v2" => &["equipment_status=1"],
        "mt_fsm_arg" => &[
            "da.imsi=001010123456789",
            "oa.sc=447700900999",
            "dir=mt",
            "tpdu=SMS-DELIVER",
            "tp_addr=447700900123",
            "text=hello world",
            "scts=2024-01-02T03:04:05+01:00",
        ],
        "mt_fsm_res" => &["dir=mo", "tpdu=SMS-DELIVER-REPORT"],
        "mo_fsm_arg" => &[
            "da.sc=447700900999",
            "oa.msisdn=447700900123",
            IMSI,
            "dir=mo",
            "tpdu=SMS-SUBMIT",
            "tp_addr=12345",
            "text=Hi",
            "vp=86400",
        ],
        "mo_fsm_res" => &["dir=mt", "tpdu=SMS-SUBMIT-REPORT"],
        "forward_sm_v2_mt" => &[
            "da.lmsi=[01, 02, 03, 04]",
            "oa.sc=447700900999",
            "dir=mt",
            "tpdu=SMS-DELIVER",
            "text=hello world",
        ],
        "forward_sm_v2_mo" => &[
            "da.sc=447700900999",
            "oa.msisdn=447700900123",
            "dir=mo",
            "tpdu=SMS-SUBMIT",
            "text=Hi",
        ],
        "sri_sm_arg" => &[MSISDN, "pri=true", "service_centre_address=447700900999"],
        "sri_sm_res" => &[
            IMSI,
            "network_node_number=447700900556",
            "lmsi=[01, 02, 03, 04]",
            "additional_sgsn_number=447700900444",
        ],
        "rsds_arg" => &[
            MSISDN,
            "service_centre_address=447700900999",
            "sm_delivery_outcome=1",
        ],
        "rsds_res" => &["stored_msisdn=447700900123"],
        "activate_trace_arg" => &[IMSI, "trace_type=1", "omc_id=447700900111"],
        "send_id_arg" => &[
            "tmsi=[c0, ff, ee, 01]",
            "requested_vectors=3",
            "msc_number=447700900556",
        ],
        "send_id_res" => &[IMSI, "vectors=0/2/0"],
        "sai_arg" => &[IMSI, "requested_vectors=3"],
        "sai_res" => &["vectors=0/3/0"],
        "sai_arg_v2" => &[IMSI],
        "sai_res_v2" => &["vectors=2/0/0"],
        "restore_data_arg" => &[IMSI, "lmsi=[01, 02, 03, 04]"],
        "send_imsi_arg" => &[MSISDN],
        "send_imsi_res" => &[IMSI],
        "pussr_arg" => &["ussd=*100#", MSISDN],
        "pussr_res" => &["ussd=Balance 5"],
        "ussr_arg" => &["ussd=Привет"],
        "ussr_res" => &["ussd=1"],
        "ussn_arg" => &["ussd=Done"],
        "atsi_arg" => &[MSISDN, "ss=0x21", "gsmscf_address=447700900888"],
        "atsi_res" => &["forwarded_to_number=447700900222", "ss_status=7"],
        "inform_sc_arg" => &["stored_msisdn=447700900123"],
        "alert_sc_arg" => &[MSISDN, "service_centre_address=447700900999"],
        "atm_arg" => &[
            IMSI,
            "gsmscf_address=447700900888",
            "ss=0x21",
            "forwarded_to_number=447700900222",
        ],
        "ready_for_sm_arg" => &[IMSI, "alert_reason=0"],
        "purge_ms_arg" => &[IMSI, "vlr_number=447700900555"],
        "purge_ms_res" => &[],
        "psi_arg" => &[
            IMSI,
            "ri=location_information",
            "ri=subscriber_state",
            "ri=current_location",
        ],
        "psi_res" => &[
            "cs.cgi=001-01/Some(11111)/Some(54321)",
            "cs.age=5",
            "vlr_number=447700900555",
            "state=net_det_not_reachable",
        ],
        "ati_arg" => &[
            MSISDN,
            "ri=location_information",
            "ri=imei",
            "gsmscf_address=447700900888",
        ],
        "ati_res" => &[
            "state=assumed_idle",
            "imei=3520990017614823",
            "gprs.rai=001-01/Some(11111)/Some(1)",
            "sgsn_number=447700900444",
        ],
        "ss_inv_notif_arg" => &[IMSI, MSISDN, "ss=0xf0", "ss_event_address=447700900222"],
        "psl_arg" => &[IMSI, MSISDN, "mlc_number=447700900333"],
        "psl_res" => &[
            "estimate=45.0,45.0",
            "cs.cgi=001-01/Some(11111)/Some(54321)",
        ],
        "sri_lcs_arg" => &[MSISDN, "mlc_number=447700900333"],
        "sri_lcs_res" => &[IMSI, "network_node_number=447700900556"],
        "slr_arg" => &[
            IMSI,
            MSISDN,
            "lcs_event=0",
            "network_node_number=447700900556",
            "estimate=45.0,45.0",
        ],
        other => panic!("no expectation for vector {other}"),
    }
}

#[test]
fn pycrate_vectors_decode_to_their_facts() {
    assert!(VECTORS.len() >= 85, "vectors missing");
    let mut ops = std::collections::BTreeSet::new();
    for (name, op, kind, version, hex) in VECTORS {
        let bytes = unhex(hex);
        let kind = if *kind == 'I' {
            Kind::Invoke
        } else {
            Kind::ReturnResult
        };
        let mut an = Anomalies::new();
        let p = decode(OpCode(*op), kind, *version, &bytes, &mut an);
        assert!(p.typed, "{name}: not typed");
        assert!(p.complete, "{name}: incomplete");
        assert!(an.is_empty(), "{name}: anomalies {an:?}");
        let f = facts(&p);
        for want in expected(name) {
            assert!(
                f.iter().any(|x| x == want),
                "{name}: missing {want} in {f:?}"
            );
        }
        ops.insert(*op);
    }
    // every operation of the issue has vectors (9 sendParameters is v1-only: see below)
    for op in [
        2, 3, 4, 7, 8, 10, 11, 12, 13, 14, 15, 17, 18, 22, 23, 24, 25, 26, 37, 43, 44, 45, 46, 47,
        50, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 70, 71, 72, 83, 85, 86,
    ] {
        assert!(ops.contains(&op), "no vector for opcode {op}");
    }
}

/// sendParameters exists only in MAP v1 (GSM 09.02 phase 1), which pycrate does not carry;
/// hand-encoded from the phase 1 ASN.1: SendParametersArg ::= SEQUENCE { subscriberId
/// CHOICE { imsi [0] }, requestParameterList SEQUENCE OF ENUMERATED }; the result a
/// SentParameterList with one imsi [0] and two authenticationSet [1] (contents zeroed).
#[test]
fn send_parameters_v1() {
    let arg = unhex("3012800800010121436587f930060a01000a0101");
    let mut an = Anomalies::new();
    let p = decode(OpCode(9), Kind::Invoke, 1, &arg, &mut an);
    assert!(p.typed && an.is_empty(), "{an:?}");
    assert_eq!(p.imsi.unwrap().digits().as_str(), "001010123456789");
    let res = unhex("3018800800010121436587f9a1050403000000a1050403000000");
    let p = decode(OpCode(9), Kind::ReturnResult, 1, &res, &mut an);
    assert!(p.typed && an.is_empty(), "{an:?}");
    assert_eq!(p.auth_vectors.unwrap().triplets, 2);
}

/// From the shared captures (tshark -x), for the layouts pycrate's v3 modules do not show.
#[test]
fn capture_vectors() {
    let mut an = Anomalies::new();
    // CAP.pcap frame 21: sendRoutingInfoForSM result v2 (IMSI + locationInfoWithLMSI [0])
    let b = unhex("3015040824020301007925f5a0098107916998051050f1");
    let p = decode(OpCode(45), Kind::ReturnResult, 2, &b, &mut an);
    assert!(an.is_empty(), "{an:?}");
    assert_eq!(p.imsi.unwrap().digits().as_str(), "422030100097525");
    assert_eq!(
        p.address(sigscope_map::Role::NETWORK_NODE_NUMBER)
            .unwrap()
            .digits()
            .as_str(),
        "96895001051"
    );
    // SRI_Invalid_MSISDN11.pcap frame 1: sendRoutingInfo v3 with an MSISDN holding 0xB
    let b = unhex(concat!(
        "3032800791217643782bf88301008607916164268230f98704150472bdab04030205c0",
        "b10f0a0101040a0a088413217643782908"
    ));
    let p = decode(OpCode(22), Kind::Invoke, 3, &b, &mut an);
    assert_eq!(p.msisdn().unwrap().digits().as_str(), "12673487#28");
    assert_eq!(
        p.address(sigscope_map::Role::GMSC_ADDRESS)
            .unwrap()
            .digits()
            .as_str(),
        "16466228039"
    );
    assert_eq!(p.interrogation_type, Some(0));
    assert!(an.contains(AnomalyCode::TbcdNonDigit));
}

#[test]
fn unknown_and_broken_parameters_are_kept() {
    let mut an = Anomalies::new();
    let p = decode(
        OpCode(200),
        Kind::Invoke,
        3,
        &[0x30, 0x02, 0x04, 0x00],
        &mut an,
    );
    assert!(!p.typed);
    assert_eq!(p.raw.len(), 4);
    assert!(an.contains(AnomalyCode::UnknownOperation));
    let mut an = Anomalies::new();
    let p = decode(
        OpCode(2),
        Kind::Invoke,
        3,
        &[0x30, 0x05, 0x04, 0x08, 0x00],
        &mut an,
    );
    assert!(!p.complete);
    assert!(an.contains(AnomalyCode::ParameterUndecodable));
    let mut an = Anomalies::new();
    let p = decode(
        OpCode(2),
        Kind::Invoke,
        3,
        &[0x30, 0x03, 0x9f, 0x50, 0x00],
        &mut an,
    );
    assert_eq!(p.unexpected, 0, "extension tags are allowed");
    let p = decode(
        OpCode(45),
        Kind::Invoke,
        3,
        &[0x30, 0x02, 0x04, 0x00],
        &mut an,
    );
    assert_eq!(p.unexpected, 1);
    assert!(an.contains(AnomalyCode::UnexpectedTag));
}

/// The typed view lives on the stack of every decode: keep it bounded.
#[test]
fn view_size_is_bounded() {
    assert!(std::mem::size_of::<MapParam<'_>>() <= 2048);
    assert!(std::mem::size_of::<sigscope_map::Location<'_>>() <= 256);
}

/// BER TLV with a one-octet tag and a short-form length (test vectors below stay small).
fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let v = parts.concat();
    assert!(v.len() < 0x80);
    let mut out = vec![tag, v.len() as u8];
    out.extend(v);
    out
}

/// ISDN-AddressString 0x91 (international, E.164) + TBCD digits of an even-length number.
fn isdn(digits: &str) -> Vec<u8> {
    let d = digits.as_bytes();
    let mut v = vec![0x91];
    for p in d.chunks(2) {
        v.push((p[0] - b'0') | ((p[1] - b'0') << 4));
    }
    v
}

const IMSI_TBCD: [u8; 8] = [0x00, 0x01, 0x01, 0x21, 0x43, 0x65, 0x87, 0xf9];
/// ExtensionContainer { privateExtensionList [0] { PrivateExtension { extId 1.2.3.4 } } }
/// with the contents of the context tag that carries it.
fn ext_container_contents() -> Vec<u8> {
    tlv(0xa0, &[&tlv(0x30, &[&tlv(0x06, &[&[0x2a, 0x03, 0x04]])])])
}

/// CancelLocationArg v3 (TS 29.002 MAP-MS-DataTypes): identity, cancellationType, then
/// after the extension marker typeOfUpdate [0], mtrf-SupportedAndAuthorized [1],
/// newMSC-Number [3], newVLR-Number [4], new-lmsi [5].
#[test]
fn cancel_location_v3_new_serving_node() {
    let arg = tlv(
        0xa3,
        &[
            &tlv(0x04, &[&IMSI_TBCD]),
            &tlv(0x0a, &[&[0x00]]),
            &tlv(0x80, &[&[0x00]]),
            &tlv(0x81, &[]),
            &tlv(0x83, &[&isdn("447700900556")]),
            &tlv(0x84, &[&isdn("447700900555")]),
            &tlv(0x85, &[&[0x0a, 0x0b, 0x0c, 0x0d]]),
        ],
    );
    let mut an = Anomalies::new();
    let p = decode(OpCode(3), Kind::Invoke, 3, &arg, &mut an);
    assert!(p.typed && p.complete && an.is_empty(), "{an:?}");
    assert_eq!(p.unexpected, 0);
    let f = facts(&p);
    for want in [
        IMSI,
        "new_msc_number=447700900556",
        "new_vlr_number=447700900555",
        "lmsi=[0a, 0b, 0c, 0d]",
        "cancellation_type=0",
    ] {
        assert!(f.iter().any(|x| x == want), "missing {want} in {f:?}");
    }
    // the LMSI of an imsi-WithLMSI identity stays the parameter's LMSI
    let arg = tlv(
        0xa3,
        &[
            &tlv(
                0x30,
                &[&tlv(0x04, &[&IMSI_TBCD]), &tlv(0x04, &[&[1, 2, 3, 4]])],
            ),
            &tlv(0x85, &[&[0x0a, 0x0b, 0x0c, 0x0d]]),
        ],
    );
    let p = decode(OpCode(3), Kind::Invoke, 3, &arg, &mut an);
    assert!(an.is_empty(), "{an:?}");
    assert_eq!(p.lmsi.unwrap().bytes, &[1, 2, 3, 4]);
}

/// AlertServiceCentreArg (TS 29.002 MAP-SM-DataTypes): msisdn, serviceCentreAddress, then
/// imsi, correlationID (untagged SEQUENCE), maximumUeAvailabilityTime [0],
/// smsGmscAlertEvent [1], newSGSNNumber [3], newMMENumber [5], newMSCNumber [7].
#[test]
fn alert_service_centre_new_serving_nodes() {
    let arg = tlv(
        0x30,
        &[
            &tlv(0x04, &[&isdn("447700900123")]),
            &tlv(0x04, &[&isdn("447700900999")]),
            &tlv(0x04, &[&IMSI_TBCD]),
            &tlv(0x30, &[&tlv(0x82, &[b"sip:b"])]),
            &tlv(0x81, &[&[0x01]]),
            &tlv(0x83, &[&isdn("447700900444")]),
            &tlv(0x85, &[&isdn("447700900666")]),
            &tlv(0x87, &[&isdn("447700900556")]),
        ],
    );
    let mut an = Anomalies::new();
    let p = decode(OpCode(64), Kind::Invoke, 2, &arg, &mut an);
    assert!(p.typed && p.complete && an.is_empty(), "{an:?}");
    assert_eq!((p.unexpected, p.extensions.containers), (0, 0));
    let f = facts(&p);
    for want in [
        MSISDN,
        "service_centre_address=447700900999",
        IMSI,
        "new_sgsn_number=447700900444",
        "new_mme_number=447700900666",
        "new_msc_number=447700900556",
    ] {
        assert!(f.iter().any(|x| x == want), "missing {want} in {f:?}");
    }
}

/// Ext-ForwFeature (TS 29.002 MAP-MS-DataTypes): ss-Status [4], forwardedToNumber [5],
/// extensionContainer [9], longForwardedToNumber [10] — in insertSubscriberData v3
/// (provisionedSS [7] / forwardingInfo [0]) and in anyTimeSubscriptionInterrogation results
/// (callForwardingData [1]).
#[test]
fn ext_forw_feature_extension_and_long_ftn() {
    let feature = tlv(
        0x30,
        &[
            &tlv(0x84, &[&[0x05]]),
            &tlv(0x85, &[&isdn("447700900222")]),
            &tlv(0xa9, &[&ext_container_contents()]),
            &tlv(0x8a, &[&isdn("447700900333")]),
        ],
    );
    let isd = tlv(
        0x30,
        &[
            &tlv(0x80, &[&IMSI_TBCD]),
            &tlv(
                0xa7,
                &[&tlv(
                    0xa0,
                    &[&tlv(0x04, &[&[0x21]]), &tlv(0x30, &[&feature])],
                )],
            ),
        ],
    );
    let atsi = tlv(
        0x30,
        &[&tlv(
            0xa1,
            &[
                &tlv(0x30, &[&feature]),
                &tlv(0x05, &[]),
                &tlv(0xa0, &[&ext_container_contents()]),
            ],
        )],
    );
    for (op, kind, bytes, containers) in [
        (7, Kind::Invoke, &isd, 1),
        (62, Kind::ReturnResult, &atsi, 2),
    ] {
        let mut an = Anomalies::new();
        let p = decode(OpCode(op), kind, 3, bytes, &mut an);
        assert!(p.typed && p.complete && an.is_empty(), "{op}: {an:?}");
        assert_eq!(p.unexpected, 0, "{op}");
        assert_eq!(p.extensions.containers, containers, "{op}");
        let f = facts(&p);
        for want in [
            "forwarded_to_number=447700900222",
            "forwarded_to_number=447700900333",
            "ss_status=5",
        ] {
            assert!(f.iter().any(|x| x == want), "{op}: missing {want} in {f:?}");
        }
    }
    // SS-Info of the SS results (MAP-SS-DataTypes ForwardingFeature) keeps
    // longForwardedToNumber at [9]
    let res = tlv(
        0xa0,
        &[
            &tlv(0x04, &[&[0x21]]),
            &tlv(
                0x30,
                &[&tlv(
                    0x30,
                    &[&tlv(0x84, &[&[0x07]]), &tlv(0x89, &[&isdn("447700900333")])],
                )],
            ),
        ],
    );
    let mut an = Anomalies::new();
    let p = decode(OpCode(10), Kind::ReturnResult, 3, &res, &mut an);
    assert!(an.is_empty(), "{an:?}");
    assert_eq!(
        p.address(sigscope_map::Role::FORWARDED_TO_NUMBER)
            .unwrap()
            .digits()
            .as_str(),
        "447700900333"
    );
}

/// GSM 09.02 phase 1 operations: their codes are MAP operations in a v1 dialogue (no
/// unknown_operation), read without today's layout when the code now names another
/// operation, and unknown in later versions when no later release assigns the code.
#[test]
fn phase1_operations() {
    let arg = tlv(0x30, &[&tlv(0x04, &[&IMSI_TBCD])]);
    for op in [1, 27] {
        let mut an = Anomalies::new();
        let p = decode(OpCode(op), Kind::Invoke, 1, &arg, &mut an);
        assert!(!an.contains(AnomalyCode::UnknownOperation), "{op}: {an:?}");
        assert!(!p.typed);
        let mut an = Anomalies::new();
        decode(OpCode(op), Kind::Invoke, 2, &arg, &mut an);
        assert!(an.contains(AnomalyCode::UnknownOperation), "{op}");
    }
    // 23 is completeCall in v1, updateGprsLocation from v3: the v1 argument is not read as
    // an UpdateGprsLocationArg (whose first element would be taken for an IMSI)
    let mut an = Anomalies::new();
    let p = decode(OpCode(23), Kind::Invoke, 1, &arg, &mut an);
    assert!(!p.typed && p.imsi.is_none() && an.is_empty(), "{an:?}");
    let p = decode(OpCode(23), Kind::Invoke, 3, &arg, &mut an);
    assert!(p.typed && p.imsi.is_some());
    // a renamed operation of the same meaning keeps its layout: forwardSM (46) in v1
    assert!(!OpCode(46).v1_differs());
}
