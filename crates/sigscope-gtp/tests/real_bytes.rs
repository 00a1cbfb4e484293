//! Decoding of real GTP messages (bytes from ../shared/captures, file and frame named at each
//! constant), validation anomalies, and property tests (no panics; emit -> parse round trips).

use sigscope_core::AnomalyCode;
use std::net::Ipv4Addr;

use proptest::prelude::*;
use sigscope_gtp::v1::{self, V1Repr, V1Value};
use sigscope_gtp::v2::{self, V2Repr, V2Value};
use sigscope_gtp::{decode, detect, gtpu, Kind, Message};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// raw/ajbanjara+Wireshark/GTPV2-Default.pcap frame 1: Create Session Request.
pub const CS_REQ: &str = "482000d1000000000b83f8000100080033333333333333f34c00080013210800011050f356000d001800000000010000000000d4d45300030000000052000100064d0002000000570009008a000000690a0a61035700090187000000000a0a610647001e0006616161636f6d03636f6d066d6e63303030066d63633030300467707273800001000063000100014f00050001000000007f0001000048000800000051ec0000a3d85d002500490001000550001600480500000000000000000000000000000000000000005f00020001000300010098";
/// raw/seladb+PcapPlusPlus/gtpv2.pcap frame 2: Echo Request (P = 1) + piggybacked Create Session Response.
const PIGGY: &str = "500100090030390003000100114c21001400015666010932900100080033879334495183f6";
/// raw/ErvinsK+gtp-rs/echo_request.pcap frame 1: GTPv1 Echo Request.
const V1_ECHO_REQ: &str = "320100040000000000010000";
/// raw/ErvinsK+gtp-rs/echo_response.pcap frame 1: GTPv1 Echo Response with Recovery.
const V1_ECHO_RESP: &str = "3202000600000000000000000e00";
/// raw/ajbanjara+Wireshark/DangerM.pcap frame 7510: Create PDP Context Request.
const CPDP_REQ: &str = "321000a0000000003e34ff000213200611441487f10313f062fffeff0e170ffc100000bf6911910014631405800002f121830014036d6d730b766f69636573747265616d03636f6d8400148080211001000010810600000000830600000000850004d89ba36f850004d89ba36f860007912160733178f787000f0223921f939687977483ffff00000097000101980008011320609e2fa9ef99000200fc9a00080044101171339220";
/// raw/seladb+PcapPlusPlus/gtp.pcap frame 5: G-PDU with PDCP PDU number + UDP port extension headers.
const GPDU_EXT: &str = "36ff00600000000128dd00c00109044001051c00450000540000400040015ea5ca0b289ec0a828b2080031e90000287d0611204b7f3a0d0008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
/// raw/seladb+PcapPlusPlus/gtp-u.pcap frame 1: G-PDU carrying ICMP echo.
pub const GPDU: &str = "32ff00580000000128db0000450000540000400040015ea5ca0b289ec0a828b20800bee70000287b0411204bf43d0d0008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
/// raw/ajbanjara+Wireshark/temp.cap frame 47: GTPv0 Echo Response on 3386.
const V0_ECHO_RESP: &str = "1e02000200120000ffffffff00000000000000000e00";
/// raw/ajbanjara+Wireshark/DangerM.pcap frame 6860: GTP' v0 Data Record Transfer Response (20-byte header).
const PRIME_DRT_RESP: &str = "0ef1000716cfffffffffffffffffffffffffffff0180fd000216cf";
/// raw/ntop+nDPI/fuzz-2021-06-07-c6c72a0a56.pcap frame 1: a 6-byte datagram on 2152.
const RUNT: &str = "2dff207b0b72";
/// raw/ntop+nDPI/gtp_false_positive.pcapng frame 1: not GTP' on 3386 (type 0).
const FALSE_PRIME: &str =
    "2700000002590000c800325ea56f010000001dad25500000000000000000000000000100000000";

fn codes(d: &sigscope_gtp::Decoded<'_>) -> Vec<AnomalyCode> {
    d.anomalies.iter().map(|a| a.code).collect()
}

#[test]
fn v2_create_session_request() {
    let b = unhex(CS_REQ);
    let d = decode(&b, 2123, 2123).unwrap();
    let Message::V2(m) = d.message else {
        panic!("not v2")
    };
    assert_eq!(m.message_type(), v2::MsgType::CREATE_SESSION_REQUEST);
    assert_eq!(m.teid(), Some(0));
    assert_eq!(m.sequence(), 0x0b83f8);
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
    let mut imsi = None;
    let mut apn = None;
    let mut msisdn = None;
    let mut fteids = Vec::new();
    let mut nested = 0;
    let n = v2::walk(m.ies(), &mut |ie| {
        if ie.depth > 0 {
            nested += 1;
        }
        match ie.decode().unwrap() {
            V2Value::Imsi(d) => imsi = Some(d.as_str().to_string()),
            V2Value::Msisdn(d) => msisdn = Some(d.as_str().to_string()),
            V2Value::Apn(l) => apn = Some(l.to_string()),
            V2Value::FTeid(f) => fteids.push(f),
            _ => {}
        }
    })
    .unwrap();
    assert!(n > 15);
    assert!(nested >= 3, "bearer context walked");
    assert_eq!(imsi.as_deref(), Some("333333333333333"));
    assert_eq!(msisdn.as_deref(), Some("311280001001053"));
    assert_eq!(apn.as_deref(), Some("aaacom.com.mnc000.mcc000.gprs"));
    assert_eq!(fteids[0].interface_type, 10);
    assert_eq!(fteids[0].ipv4, Some(Ipv4Addr::new(10, 10, 97, 3)));
    // Round trip through the owned form reproduces the bytes.
    assert_eq!(V2Repr::parse(&m).unwrap().to_bytes().unwrap(), b);
}

#[test]
fn v2_piggybacked() {
    let b = unhex(PIGGY);
    let d = decode(&b, 2123, 2123).unwrap();
    let p = d.piggybacked.expect("piggybacked message");
    assert_eq!(p.message_type(), v2::MsgType::CREATE_SESSION_RESPONSE);
    assert_eq!(p.base(), 13);
    assert_eq!(d.message.message_type(), 1);
    // An Echo Request may not carry a piggybacked message.
    assert!(codes(&d).contains(&AnomalyCode::PiggybackNotAllowed));
    assert_eq!(
        V2Repr::parse(&match d.message {
            Message::V2(m) => m,
            _ => unreachable!(),
        })
        .unwrap()
        .to_bytes()
        .unwrap(),
        b
    );
}

#[test]
fn echo_with_foreign_ie_is_caught() {
    // A valid v2 Echo Request (Recovery), then the same with a hidden payload IE (GTPDOOR-style).
    let ok = V2Repr {
        msg_type: 1,
        teid: None,
        seq: 7,
        priority: None,
        ies: vec![v2::IeRepr::recovery(5)],
        piggybacked: None,
    };
    let bytes = ok.to_bytes().unwrap();
    let d = decode(&bytes, 40000, 2123).unwrap();
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
    let mut bad = ok.clone();
    bad.ies.push(v2::IeRepr::node_features(1));
    bad.ies.push(v2::IeRepr::raw(82, 0, b"whoami".to_vec()));
    let bytes = bad.to_bytes().unwrap();
    let d = decode(&bytes, 40000, 2123).unwrap();
    let a: Vec<_> = d
        .anomalies
        .iter()
        .filter(|a| a.code == AnomalyCode::EchoUnexpectedIe)
        .collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].value, Some(82));
    assert_eq!(a[0].offset, 8 + 5 + 5);
    // GTPv1 Echo: only Recovery / Private Extension.
    let b = unhex(V1_ECHO_RESP);
    assert!(decode(&b, 2123, 2123).unwrap().anomalies.is_empty());
    let mut m = V1Repr::parse(&v1::V1Slice::from_slice(&b).unwrap()).unwrap();
    if let v1::BodyRepr::Ies(ies) = &mut m.body {
        ies.push(v1::IeRepr::new(151, vec![1]));
    }
    let bytes = m.to_bytes().unwrap();
    let d = decode(&bytes, 2123, 2123).unwrap();
    assert!(d
        .anomalies
        .iter()
        .any(|a| a.code == AnomalyCode::EchoUnexpectedIe
            && a.value == Some(151)
            && a.offset == 14));
}

#[test]
fn v1_echo_and_create_pdp() {
    let b = unhex(V1_ECHO_REQ);
    let d = decode(&b, 2123, 2123).unwrap();
    assert_eq!(d.message.sequence(), Some(1));
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);

    let b = unhex(CPDP_REQ);
    let d = decode(&b, 1737, 2123).unwrap();
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
    let Message::V1(m) = d.message else { panic!() };
    assert_eq!(m.message_type(), v1::MsgType::CREATE_PDP_CONTEXT_REQUEST);
    assert_eq!(m.sequence(), Some(0x3e34));
    let vals: Vec<V1Value<'_>> = m.ies().map(|r| r.unwrap().decode().unwrap()).collect();
    assert!(vals
        .iter()
        .any(|v| matches!(v, V1Value::Imsi(d) if d.as_str() == "310260114441781")));
    assert!(vals
        .iter()
        .any(|v| matches!(v, V1Value::Apn(l) if l.to_string() == "mms.voicestream.com")));
    assert!(vals
        .iter()
        .any(|v| matches!(v, V1Value::Msisdn { digits, .. } if digits.as_str() == "12063713877")));
    assert!(vals
        .iter()
        .any(|v| matches!(v, V1Value::Uli(u) if u.plmn.mcc() == "310")));
    // Round trip: the unused N-PDU octet (0xff here, PN = 0) is emitted as 0; all else is equal.
    let again = V1Repr::parse(&m).unwrap().to_bytes().unwrap();
    assert_eq!(again.len(), b.len());
    assert_eq!((&again[..10], &again[11..]), (&b[..10], &b[11..]));

    // Swapping two IEs breaks the ascending order; dropping NSAPI breaks a mandatory IE.
    let mut r = V1Repr::parse(&m).unwrap();
    if let v1::BodyRepr::Ies(ies) = &mut r.body {
        ies.swap(0, 1);
        ies.retain(|ie| ie.ie_type != 20);
    }
    let bytes = r.to_bytes().unwrap();
    let d = decode(&bytes, 1737, 2123).unwrap();
    assert!(codes(&d).contains(&AnomalyCode::IeOutOfOrder));
    assert!(d
        .anomalies
        .iter()
        .any(|a| a.code == AnomalyCode::MandatoryIeMissing && a.value == Some(20)));
}

#[test]
fn gtpu_extension_headers_and_inner_ip() {
    let b = unhex(GPDU_EXT);
    let d = decode(&b, 2152, 2152).unwrap();
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
    let Message::V1(m) = d.message else { panic!() };
    let ext: Vec<_> = m.ext_headers().map(Result::unwrap).collect();
    assert_eq!(ext.len(), 2);
    assert_eq!(ext[0].ext_type, v1::ExtHeaderType::PDCP_PDU_NUMBER);
    assert_eq!(ext[0].value(), v1::ExtValue::PdcpPduNumber(0x0904));
    assert_eq!(ext[1].value(), v1::ExtValue::UdpPort(0x051c));
    assert_eq!(m.body_offset(), 20);
    let inner = d.inner.unwrap();
    assert_eq!((inner.version, inner.protocol), (4, 1));
    assert_eq!(inner.dst.to_string(), "192.168.40.178");
    assert_eq!(V1Repr::parse(&m).unwrap().to_bytes().unwrap(), b);

    let b = unhex(GPDU);
    let d = decode(&b, 2152, 2152).unwrap();
    assert!(d.anomalies.is_empty());
    assert_eq!(d.inner.unwrap().src.to_string(), "202.11.40.158");
    // The same G-PDU on the control port.
    assert!(codes(&decode(&b, 2123, 2123).unwrap()).contains(&AnomalyCode::GtpuOnControlPort));
}

#[test]
fn gtp_inside_gtpu() {
    // Tunnel the v1 Echo Request inside a G-PDU (IPv4/UDP to 2123).
    let inner_gtp = unhex(V1_ECHO_REQ);
    let mut ip = vec![
        0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    let total = 20 + 8 + inner_gtp.len();
    ip[2..4].copy_from_slice(&(total as u16).to_be_bytes());
    ip.extend_from_slice(&[0x08, 0x4b, 0x08, 0x4b]);
    ip.extend_from_slice(&((8 + inner_gtp.len()) as u16).to_be_bytes());
    ip.extend_from_slice(&[0, 0]);
    ip.extend_from_slice(&inner_gtp);
    let r = V1Repr {
        msg_type: 255,
        teid: 9,
        seq: None,
        npdu: None,
        ext_headers: vec![],
        body: v1::BodyRepr::Payload(ip),
    };
    let b = r.to_bytes().unwrap();
    let d = decode(&b, 2152, 2152).unwrap();
    let a = d
        .anomalies
        .iter()
        .find(|a| a.code == AnomalyCode::GtpInGtpu)
        .expect("gtp_in_gtpu");
    assert_eq!(a.value, Some(2123));
    assert_eq!(a.offset, 8 + 28);
    assert!(gtpu::inner_packet(&b[8..]).is_some());
}

#[test]
fn prime_v0_and_oddities() {
    let b = unhex(V0_ECHO_RESP);
    let d = decode(&b, 3386, 3386).unwrap();
    assert!(matches!(d.message, Message::V0(_)));
    assert_eq!(d.message.sequence(), Some(0x12));
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);

    let b = unhex(PRIME_DRT_RESP);
    let d = decode(&b, 3386, 3386).unwrap();
    let Message::Prime(p) = d.message else {
        panic!()
    };
    assert_eq!(p.header_len(), 20);
    assert_eq!(d.message.name(), Some("data_record_transfer_response"));
    let v: Vec<_> = p.ies().map(|r| r.unwrap().decode().unwrap()).collect();
    assert_eq!(v[0], V1Value::Cause(0x80));
    assert_eq!(v[1], V1Value::SequenceNumbers(&[0x16, 0xcf]));
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);

    // Not GTP' (type 0) on 3386: not GTP.
    assert_eq!(detect(&unhex(FALSE_PRIME), 29255, 3386), None);
    // 6 bytes on 2152 with PT = 0: the GTP' layout, reported with its length disagreement.
    let b = unhex(RUNT);
    let d = decode(&b, 2152, 53975).unwrap();
    assert_eq!(d.message.message_type(), 255);
    assert_eq!(d.message.sequence(), Some(0x0b72));
    assert!(codes(&d).contains(&AnomalyCode::HeaderLengthMismatch));
    // Too short for any header.
    assert_eq!(detect(&[0x32], 2152, 2152), None);
    assert_eq!(detect(&[0x32, 0xff, 0], 2152, 2152), Some(Kind::Runt));
}

#[test]
fn recognised_by_header_on_other_ports() {
    let b = unhex(CS_REQ);
    let d = decode(&b, 40000, 40001).unwrap();
    assert!(codes(&d).contains(&AnomalyCode::GtpOnNonstandardPort));
    // One byte off and it is not GTP any more.
    let mut c = b.clone();
    c.push(0);
    assert_eq!(detect(&c, 40000, 40001), None);
    assert_eq!(detect(b"GET / HTTP/1.1\r\n\r\n", 40000, 80), None);
}

#[test]
fn header_length_and_reserved_bits() {
    let mut b = unhex(V1_ECHO_RESP);
    b[0] |= 0x08;
    b.extend_from_slice(&[1, 2, 3]);
    let d = decode(&b, 2123, 2123).unwrap();
    let c = codes(&d);
    assert!(c.contains(&AnomalyCode::ReservedBitSet));
    assert!(c.contains(&AnomalyCode::HeaderLengthMismatch));
    let b = unhex(CS_REQ);
    let d = decode(&b[..b.len() - 10], 2123, 2123).unwrap();
    assert!(codes(&d).contains(&AnomalyCode::HeaderLengthMismatch));
    assert!(codes(&d).contains(&AnomalyCode::IeTruncated));
    // Unassigned type and duplicate IE.
    let r = V2Repr {
        msg_type: 250,
        teid: Some(1),
        seq: 1,
        priority: Some(3),
        ies: vec![v2::IeRepr::cause(16), v2::IeRepr::cause(16)],
        piggybacked: None,
    };
    let bytes = r.to_bytes().unwrap();
    let d = decode(&bytes, 2123, 2123).unwrap();
    assert!(codes(&d).contains(&AnomalyCode::UnassignedMessageType));
    assert!(codes(&d).contains(&AnomalyCode::DuplicateIe));
    // GTPv2 on the user port.
    assert!(
        codes(&decode(&unhex(CS_REQ), 2152, 2152).unwrap()).contains(&AnomalyCode::GtpcOnUserPort)
    );
}

#[test]
fn group_depth_cap() {
    let mut ie = v2::IeRepr::recovery(1);
    for _ in 0..(v2::MAX_GROUP_DEPTH + 2) {
        ie = v2::IeRepr::grouped(93, 0, vec![ie]);
    }
    let r = V2Repr {
        msg_type: 95,
        teid: Some(1),
        seq: 1,
        priority: None,
        ies: vec![v2::IeRepr::ebi(0, 5), ie],
        piggybacked: None,
    };
    let b = r.to_bytes().unwrap();
    let d = decode(&b, 2123, 2123).unwrap();
    assert!(
        codes(&d).contains(&AnomalyCode::GroupDepthExceeded),
        "{:?}",
        d.anomalies
    );
}

fn arb_v2_ie(depth: u32) -> BoxedStrategy<v2::IeRepr> {
    let leaf = (
        any::<u8>().prop_filter("not grouped", |t| !v2::IeType(*t).is_grouped()),
        0u8..16,
        proptest::collection::vec(any::<u8>(), 0..24),
    )
        .prop_map(|(t, i, v)| v2::IeRepr::raw(t, i, v));
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => (prop_oneof![Just(93u8), Just(109), Just(180), Just(181)], 0u8..16, proptest::collection::vec(arb_v2_ie(depth - 1), 0..4))
            .prop_map(|(t, i, v)| v2::IeRepr::grouped(t, i, v)),
    ]
    .boxed()
}

fn arb_v2() -> impl Strategy<Value = V2Repr> {
    (
        any::<u8>(),
        proptest::option::of(any::<u32>()),
        0u32..0x0100_0000,
        proptest::option::of(0u8..16),
        proptest::collection::vec(arb_v2_ie(2), 0..6),
    )
        .prop_map(|(t, teid, seq, priority, ies)| V2Repr {
            msg_type: t,
            teid,
            seq,
            priority,
            ies,
            piggybacked: None,
        })
}

fn arb_v1_ie() -> impl Strategy<Value = v1::IeRepr> {
    prop_oneof![
        (prop_oneof![
            Just(1u8),
            Just(2),
            Just(3),
            Just(14),
            Just(16),
            Just(17),
            Just(18),
            Just(20),
            Just(127)
        ])
        .prop_flat_map(|t| proptest::collection::vec(
            any::<u8>(),
            v1::TvTable::V1.tv_len(t).unwrap_or(1)
        )
        .prop_map(move |v| v1::IeRepr::new(t, v))),
        (128u8..=255, proptest::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(t, v)| v1::IeRepr::new(t, v)),
    ]
}

proptest! {
    #[test]
    fn never_panics(b in proptest::collection::vec(any::<u8>(), 0..200), sport in prop_oneof![Just(2123u16), Just(2152), Just(3386), any::<u16>()], dport in any::<u16>()) {
        if let Some(d) = decode(&b, sport, dport) {
            let _ = d.message.name();
            let _ = d.message.txn(sport, dport);
            match d.message {
                Message::V1(m) => {
                    for ie in m.ies().flatten() { let _ = ie.decode(); }
                    for h in m.ext_headers().flatten() { let _ = h.value(); }
                    let _ = V1Repr::parse(&m);
                }
                Message::V2(m) => {
                    let _ = v2::walk(m.ies(), &mut |ie| { let _ = ie.decode(); });
                    let _ = V2Repr::parse(&m);
                }
                Message::Prime(p) => for ie in p.ies().flatten() { let _ = ie.decode(); },
                Message::V0(p) => { let _ = p.tid_imsi(); for ie in p.ies().flatten() { let _ = ie.decode(); } },
                Message::Runt(_) => {}
                Message::NotGtp(n) => {
                    let _ = n.reason();
                    prop_assert!(d.anomalies.iter().any(|a| a.code == AnomalyCode::NotGtp));
                }
            }
        }
    }

    #[test]
    fn gtp_like_bytes_never_panic(mut b in proptest::collection::vec(any::<u8>(), 8..120), v in 0u8..3, t in any::<u8>()) {
        b[0] = (b[0] & 0x1f) | (v << 5);
        b[1] = t;
        let n = (b.len() - if v == 2 { 4 } else { 8 }) as u16;
        b[2..4].copy_from_slice(&n.to_be_bytes());
        let _ = decode(&b, 2123, 2152).map(|d| d.anomalies.len());
        let _ = decode(&b, 3386, 1).map(|d| d.anomalies.len());
    }

    #[test]
    fn v2_round_trip(r in arb_v2(), pig in proptest::option::of(arb_v2())) {
        let mut r = r;
        r.piggybacked = pig.map(Box::new);
        let b = r.to_bytes().unwrap();
        prop_assert_eq!(b.len(), r.buffer_len());
        let s = v2::V2Slice::from_slice(&b).unwrap();
        prop_assert_eq!(V2Repr::parse(&s).unwrap(), r);
    }

    #[test]
    fn v1_round_trip(t in 1u8..255, teid in any::<u32>(), seq in proptest::option::of(any::<u16>()), npdu in proptest::option::of(any::<u8>()),
                     ext in proptest::collection::vec((1u8..=255, 0usize..3), 0..3), ies in proptest::collection::vec(arb_v1_ie(), 0..6)) {
        let mut ies = ies;
        ies.sort_by_key(|i| i.ie_type);
        let ext_headers = ext.into_iter().map(|(ty, n)| v1::ExtHeaderRepr { ext_type: ty, content: vec![0xab; 4 * n + 2] }).collect();
        let r = V1Repr { msg_type: t, teid, seq, npdu, ext_headers, body: v1::BodyRepr::Ies(ies) };
        let b = r.to_bytes().unwrap();
        prop_assert_eq!(b.len(), r.buffer_len());
        let s = v1::V1Slice::from_slice(&b).unwrap();
        prop_assert_eq!(V1Repr::parse(&s).unwrap(), r);
    }

    #[test]
    fn typed_round_trip(imsi in "[0-9]{6,15}", apn in "[a-z]{1,10}(\\.[a-z0-9]{1,8}){0,3}", teid in any::<u32>(), a in any::<[u8; 4]>()) {
        let f = v2::FTeid { interface_type: 10, teid, ipv4: Some(Ipv4Addr::from(a)), ipv6: None };
        let r = V2Repr { msg_type: 32, teid: Some(0), seq: 1, priority: None, piggybacked: None,
            ies: vec![v2::IeRepr::imsi(&imsi).unwrap(), v2::IeRepr::apn(&apn).unwrap(), v2::IeRepr::f_teid(0, &f)] };
        let b = r.to_bytes().unwrap();
        let s = v2::V2Slice::from_slice(&b).unwrap();
        let v: Vec<_> = s.ies().map(|i| i.unwrap().decode().unwrap()).collect();
        prop_assert!(matches!(&v[0], V2Value::Imsi(d) if d.as_str() == imsi));
        prop_assert!(matches!(&v[1], V2Value::Apn(l) if l.to_string() == apn));
        prop_assert_eq!(&v[2], &V2Value::FTeid(f));
        let m = V1Repr { msg_type: 16, teid: 0, seq: Some(1), npdu: None, ext_headers: vec![],
            body: v1::BodyRepr::Ies(vec![v1::IeRepr::imsi(&imsi).unwrap(), v1::IeRepr::apn(&apn).unwrap()]) };
        let b = m.to_bytes().unwrap();
        let s = v1::V1Slice::from_slice(&b).unwrap();
        let v: Vec<_> = s.ies().map(|i| i.unwrap().decode().unwrap()).collect();
        prop_assert!(matches!(&v[0], V1Value::Imsi(d) if d.as_str() == imsi));
        prop_assert!(matches!(&v[1], V1Value::Apn(l) if l.to_string() == apn));
    }
}
