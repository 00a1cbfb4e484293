//! Spec points checked against TS 29.060 / 29.281 / 29.274, GSM 09.60 and Wireshark: the
//! one-octet length of the Extension Header Type List, the three-way SGSN Context exchange,
//! transaction keys per plane, payloads on GTP ports that are not GTP, GTPv0 IE meanings,
//! the piggybacking bound, v2 IE widths and mandatory IEs inside grouped IEs.

use sigscope_core::AnomalyCode;
use std::net::IpAddr;

use sigscope_gtp::matcher::{Matcher, Outcome, Plane, Role};
use sigscope_gtp::v1::{self, V1Repr, V1Slice, V1Value};
use sigscope_gtp::v2::{self, IeRepr, V2Repr, V2Slice, V2Value};
use sigscope_gtp::{decode, detect, Message};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn codes(d: &sigscope_gtp::Decoded<'_>) -> Vec<AnomalyCode> {
    d.anomalies.iter().map(|a| a.code).collect()
}

/// Supported Extension Headers Notification as a GTP-U node sends it (TS 29.281 7.2.2):
/// TEID 0, S = 1, Extension Header Type List (141, one-octet length) with UDP Port (0x40)
/// and PDCP PDU Number (0xc0). tshark 4.0 reads it as "Number of Extension Header Types in
/// list: 2", UDP Port number, PDCP PDU number.
const SEHN: &str = "321f000800000000123400008d0240c0";

#[test]
fn sehn_extension_header_type_list_has_a_one_octet_length() {
    let b = unhex(SEHN);
    for (sport, dport) in [(2152, 2152), (2123, 2123), (40000, 2123)] {
        let d = decode(&b, sport, dport).unwrap();
        assert!(
            d.anomalies.is_empty(),
            "{sport}->{dport}: {:?}",
            d.anomalies
        );
        let Message::V1(m) = d.message else {
            panic!("not v1")
        };
        let ies: Vec<_> = m.ies().map(|r| r.unwrap()).collect();
        assert_eq!(ies.len(), 1);
        assert_eq!(ies[0].ie_type, v1::IeType::EXTENSION_HEADER_TYPE_LIST);
        assert_eq!(ies[0].offset, 12);
        assert_eq!(
            ies[0].decode().unwrap(),
            V1Value::ExtHeaderTypes(&[0x40, 0xc0])
        );
    }
    // Recognised by its header off the GTP ports too (the IE walk is clean).
    assert!(detect(&b, 40000, 40001).is_some());
    // Owned round trip keeps the one-octet length.
    let r = V1Repr::parse(&V1Slice::from_slice(&b).unwrap()).unwrap();
    assert_eq!(r.to_bytes().unwrap(), b);
    let too_long = v1::IeRepr::new(141, vec![0x40; 256]);
    assert!(too_long.emit(&mut Vec::new()).is_err());
    assert_eq!(v1::IeRepr::new(141, vec![1, 2]).buffer_len(), 4);
}

#[test]
fn sehn_without_the_list_is_still_caught() {
    // Length field covers the optional header only: the mandatory list is missing.
    let b = unhex("321f00040000000012340000");
    let d = decode(&b, 2152, 2152).unwrap();
    assert_eq!(codes(&d), [AnomalyCode::MandatoryIeMissing]);
    // A list whose length runs past the message.
    let b = unhex("321f000800000000123400008d0540c0");
    let d = decode(&b, 2152, 2152).unwrap();
    assert!(
        codes(&d).contains(&AnomalyCode::IeTruncated),
        "{:?}",
        d.anomalies
    );
}

fn v1_msg(msg_type: u8, seq: u16, ies: Vec<v1::IeRepr>) -> Vec<u8> {
    V1Repr {
        msg_type,
        teid: 0x0102_0304,
        seq: Some(seq),
        npdu: None,
        ext_headers: Vec::new(),
        body: v1::BodyRepr::Ies(ies),
    }
    .to_bytes()
    .unwrap()
}

#[test]
fn sgsn_context_acknowledge_completes_the_exchange() {
    let (new_sgsn, old_sgsn): (IpAddr, IpAddr) = ([10, 1, 0, 1].into(), [10, 2, 0, 1].into());
    let req = v1_msg(50, 900, vec![]);
    let resp = v1_msg(51, 900, vec![v1::IeRepr::cause(128)]);
    let ack = v1_msg(52, 900, vec![v1::IeRepr::cause(128)]);
    let mut m = Matcher::new();
    let mut see = |b: &[u8], src, dst, sport, dport, ts| {
        let d = decode(b, sport, dport).unwrap();
        assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
        m.observe(&d.message.txn(sport, dport), src, dst, ts)
    };
    assert_eq!(
        see(&req, new_sgsn, old_sgsn, 40000, 2123, 0),
        Outcome::Request
    );
    assert!(matches!(
        see(&resp, old_sgsn, new_sgsn, 2123, 40000, 1_000),
        Outcome::Response {
            request_type: 50,
            type_mismatch: false,
            ..
        }
    ));
    assert_eq!(
        see(&ack, new_sgsn, old_sgsn, 40000, 2123, 2_000),
        Outcome::Acknowledge {
            request_type: 50,
            latency_nanos: 2_000,
            type_mismatch: false
        }
    );
    let d = decode(&ack, 2123, 2123).unwrap();
    assert_eq!(
        d.message.txn(2123, 2123).role,
        Role::Acknowledge { request: 50 }
    );
    // Cause is mandatory in the acknowledge.
    let bare = v1_msg(52, 1, vec![]);
    let d = decode(&bare, 2123, 2123).unwrap();
    assert_eq!(codes(&d), [AnomalyCode::MandatoryIeMissing]);
}

#[test]
fn echo_on_both_planes_between_the_same_nodes() {
    let (a, b): (IpAddr, IpAddr) = ([10, 1, 0, 1].into(), [10, 2, 0, 1].into());
    let req = v1_msg(1, 7, vec![]);
    let resp = v1_msg(2, 7, vec![v1::IeRepr::recovery(0)]);
    let mut m = Matcher::new();
    let mut see = |bytes: &[u8], src, dst, port: u16, ts| {
        let d = decode(bytes, port, port).unwrap();
        let t = d.message.txn(port, port);
        m.observe(&t, src, dst, ts)
    };
    assert_eq!(see(&req, a, b, 2123, 0), Outcome::Request);
    assert_eq!(see(&req, a, b, 2152, 10), Outcome::Request);
    assert!(matches!(
        see(&resp, b, a, 2152, 20),
        Outcome::Response { .. }
    ));
    assert!(matches!(
        see(&resp, b, a, 2123, 30),
        Outcome::Response { .. }
    ));
    let d = decode(&req, 2152, 2152).unwrap();
    assert_eq!(d.message.plane(2152, 2152), Plane::User);
    assert_eq!(d.message.plane(2123, 50000), Plane::Control);
}

#[test]
fn payloads_on_gtp_ports_that_are_not_gtp() {
    // (payload, port, expected version, anomaly offset)
    let cases: [(&[u8], u16, Option<u8>, usize); 6] = [
        // Version 3.
        (
            &[0x72, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0],
            2123,
            Some(3),
            0,
        ),
        // PT = 0 with a type no GTP version assigns.
        (&[0x2e, 0x00, 0x00, 0x00, 0x00, 0x01], 2152, Some(1), 1),
        // GTPv0 header with a GTPv1-only type (Supported Extension Headers Notification).
        (
            &[
                0x1e, 31, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
            3386,
            Some(0),
            1,
        ),
        // One byte.
        (&[0x32], 2152, Some(1), 1),
        // GTP' layout too short for its header.
        (&[0x2e, 0x01, 0x00], 3386, Some(1), 3),
        // Nothing at all.
        (&[], 2123, None, 0),
    ];
    for (p, port, version, offset) in cases {
        let d = decode(p, 50000, port).unwrap_or_else(|| panic!("{p:02x?}: no record"));
        let Message::NotGtp(n) = d.message else {
            panic!("{p:02x?}: {:?}", d.message)
        };
        assert_eq!(n.version(), version, "{p:02x?}");
        assert_eq!(codes(&d), [AnomalyCode::NotGtp], "{p:02x?}");
        assert_eq!(
            d.anomalies.iter().next().unwrap().offset,
            offset,
            "{p:02x?}"
        );
        assert_eq!(d.message.txn(50000, port).role, Role::Other);
        // Off the GTP ports the same bytes are ordinary UDP.
        assert!(decode(p, 50000, 50001).is_none(), "{p:02x?}");
    }
    // nDPI's GTP' false positive: type 0 on 3386.
    let fp =
        unhex("2700000002590000c800325ea56f010000001dad25500000000000000000000000000100000000");
    assert_eq!(detect(&fp, 29255, 3386), None);
    let d = decode(&fp, 29255, 3386).unwrap();
    assert!(matches!(d.message, Message::NotGtp(_)));
    assert_eq!(codes(&d), [AnomalyCode::NotGtp]);
}

#[test]
fn gtpv0_ies_have_gsm_09_60_meanings() {
    // GTPv0 Create PDP Context Request (GSM 09.60 7.5.1) header, TID = IMSI 262011234567890 +
    // NSAPI 5, then QoS Profile (6), Selection Mode (15), Flow Label Data I (16), Flow Label
    // Signalling (17), Flow Label Data II (18), MS Not Reachable Reason (19).
    let mut b = unhex("1e1000000007000000ffffff6202214365870959");
    assert_eq!(b.len(), 20);
    b.extend_from_slice(&unhex("0623921f0f01100001110002120500031302"));
    let n = (b.len() - 20) as u16;
    b[2..4].copy_from_slice(&n.to_be_bytes());
    let d = decode(&b, 3386, 3386).unwrap();
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
    let Message::V0(m) = d.message else {
        panic!("not v0")
    };
    let got: Vec<_> = m
        .ies()
        .map(|r| r.unwrap())
        .map(|ie| (ie.name(), ie.decode().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some("quality_of_service_profile"),
                V1Value::QosProfileV0 {
                    delay_class: 4,
                    reliability_class: 3,
                    peak_throughput: 9,
                    precedence_class: 2,
                    mean_throughput: 0x1f,
                }
            ),
            (Some("selection_mode"), V1Value::SelectionMode(1)),
            (Some("flow_label_data_i"), V1Value::FlowLabel(1)),
            (Some("flow_label_signalling"), V1Value::FlowLabel(2)),
            (
                Some("flow_label_data_ii"),
                V1Value::FlowLabelDataII {
                    nsapi: 5,
                    flow_label: 3
                }
            ),
            (
                Some("ms_not_reachable_reason"),
                V1Value::MsNotReachableReason(2)
            ),
        ]
    );
    // The GTPv1 meanings of the same numbers stay with GTPv1.
    let cpdp = v1_msg(16, 1, vec![v1::IeRepr::teid_data_i(9)]);
    let m1 = V1Slice::from_slice(&cpdp).unwrap();
    let ie = m1.ies().next().unwrap().unwrap();
    assert_eq!(ie.name(), Some("teid_data_i"));
    assert_eq!(ie.decode().unwrap(), V1Value::TeidDataI(9));
}

fn v2_bytes(r: &V2Repr) -> Vec<u8> {
    r.to_bytes().unwrap()
}

fn v2(msg_type: u8, ies: Vec<IeRepr>) -> V2Repr {
    V2Repr {
        msg_type,
        teid: Some(0x11),
        seq: 0x42,
        priority: None,
        ies,
        piggybacked: None,
    }
}

#[test]
fn long_piggyback_chains_are_bounded() {
    // 8000 headers of 8 octets, every one with P = 1.
    let one = [0x50u8, 33, 0, 4, 0, 0, 1, 0];
    let b: Vec<u8> = one.iter().copied().cycle().take(8 * 8000).collect();
    let owned = b.clone();
    let s = V2Slice::from_slice(&owned).unwrap();
    // On a small stack: parsing walks the chain without recursion.
    let h = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || {
            let s = V2Slice::from_slice(&b).unwrap();
            let r = V2Repr::parse(&s);
            let d = decode(&b, 2123, 2123).map(|d| codes(&d));
            (r.is_err(), d)
        })
        .unwrap();
    let (err, d) = h.join().unwrap();
    assert!(err, "a chain longer than MAX_PIGGYBACKED parses");
    assert!(d.unwrap().contains(&AnomalyCode::PiggybackNested));
    assert!(matches!(
        V2Repr::parse(&s),
        Err(sigscope_core::Error::Limit {
            limit: v2::MAX_PIGGYBACKED,
            offset: 16,
            ..
        })
    ));
    // Two messages (the most allowed) round-trip.
    let mut r = v2(33, vec![IeRepr::cause(16)]);
    r.piggybacked = Some(Box::new(v2(95, vec![IeRepr::ebi(0, 5)])));
    let b = v2_bytes(&r);
    assert_eq!(V2Repr::parse(&V2Slice::from_slice(&b).unwrap()).unwrap(), r);
    assert_eq!(r.buffer_len(), b.len());
    // Three do not emit.
    let mut three = r.clone();
    if let Some(p) = three.piggybacked.as_mut() {
        p.piggybacked = Some(Box::new(v2(95, vec![])));
    }
    let mut out = Vec::new();
    assert!(three.emit(&mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn v2_ie_widths() {
    let b = v2_bytes(&v2(
        34,
        vec![
            IeRepr::raw(144, 0, vec![0x01, 0x00]),
            IeRepr::raw(206, 0, {
                let mut v = vec![0x01, 0, 0, 0, 7, 11];
                v.extend_from_slice(b"example.com");
                v.extend_from_slice(&[0, 0, 0x3c]);
                v
            }),
            IeRepr::raw(207, 0, vec![0xff, 0xff, 0x00, 0xff]),
        ],
    ));
    let s = V2Slice::from_slice(&b).unwrap();
    let v: Vec<_> = s.ies().map(|r| r.unwrap().decode().unwrap()).collect();
    assert_eq!(v[0], V2Value::U16(256));
    assert_eq!(
        v[1],
        V2Value::MonitoringEventExtension {
            flags: 1,
            scef_reference_id: 7,
            scef_id: b"example.com",
            rest: &[0, 0, 0x3c],
        }
    );
    assert_eq!(v[2], V2Value::U32(0xffff_00ff));
    // A one-octet RFSP index or a short ARPI does not decode.
    let b = v2_bytes(&v2(
        34,
        vec![
            IeRepr::raw(144, 0, vec![1]),
            IeRepr::raw(207, 0, vec![1, 2]),
        ],
    ));
    let s = V2Slice::from_slice(&b).unwrap();
    assert!(s.ies().all(|r| r.unwrap().decode().is_err()));
}

fn missing(d: &sigscope_gtp::Decoded<'_>) -> Vec<(usize, u64)> {
    d.anomalies
        .iter()
        .filter(|a| a.code == AnomalyCode::MandatoryIeMissing)
        .map(|a| (a.offset, a.value.unwrap_or(0)))
        .collect()
}

#[test]
fn mandatory_ies_inside_bearer_contexts() {
    let fteid = IeRepr::raw(87, 0, vec![0x8a, 0, 0, 0, 1, 10, 0, 0, 1]);
    let qos = IeRepr::raw(
        80,
        0,
        vec![
            0x48, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
    let csr = |bearer: Vec<IeRepr>| {
        v2(
            32,
            vec![
                IeRepr::raw(71, 0, b"\x08internet".to_vec()),
                IeRepr::raw(82, 0, vec![6]),
                fteid.clone(),
                IeRepr::grouped(93, 0, bearer),
            ],
        )
    };
    // Complete: no anomaly.
    let b = v2_bytes(&csr(vec![IeRepr::ebi(0, 5), qos.clone()]));
    let d = decode(&b, 2123, 2123).unwrap();
    assert!(d.anomalies.is_empty(), "{:?}", d.anomalies);
    // Bearer Context without Bearer QoS: reported at the Bearer Context IE.
    let b = v2_bytes(&csr(vec![IeRepr::ebi(0, 5)]));
    let d = decode(&b, 2123, 2123).unwrap();
    let at = 12 + 13 + 5 + 13;
    assert_eq!(b[at], 93);
    assert_eq!(missing(&d), [(at, 80)]);
    // Without EBI either.
    let b = v2_bytes(&csr(vec![]));
    let d = decode(&b, 2123, 2123).unwrap();
    assert_eq!(missing(&d), [(at, 73), (at, 80)]);

    // Create Session Response: Bearer Context created without Cause.
    let b = v2_bytes(&v2(
        33,
        vec![
            IeRepr::cause(16),
            IeRepr::grouped(93, 0, vec![IeRepr::ebi(0, 5)]),
        ],
    ));
    let d = decode(&b, 2123, 2123).unwrap();
    assert_eq!(missing(&d), [(12 + 6, 2)]);
    let b = v2_bytes(&v2(
        33,
        vec![
            IeRepr::cause(16),
            IeRepr::grouped(93, 0, vec![IeRepr::ebi(0, 5), IeRepr::cause(16)]),
        ],
    ));
    assert!(missing(&decode(&b, 2123, 2123).unwrap()).is_empty());

    // Bearer Resource Command without its Traffic Aggregate Description.
    let pti = IeRepr::raw(100, 0, vec![3]);
    let b = v2_bytes(&v2(68, vec![IeRepr::ebi(0, 5), pti.clone()]));
    let d = decode(&b, 2123, 2123).unwrap();
    assert_eq!(missing(&d), [(1, 85)]);
    let tad = IeRepr::raw(85, 0, vec![0x21, 0x10, 0x10, 0x02, 0x30, 0x11]);
    let b = v2_bytes(&v2(68, vec![IeRepr::ebi(0, 5), tad, pti]));
    assert!(missing(&decode(&b, 2123, 2123).unwrap()).is_empty());
}

/// `decode_into` writes the datagram where the caller keeps it: the same as `decode`, for
/// GTP, a runt, a non-GTP payload on a GTP port, and nothing for a non-GTP payload elsewhere.
#[test]
fn decode_into_writes_in_place_what_decode_returns() {
    let echo = v1_msg(1, 7, vec![]);
    let cases: [(&[u8], u16, u16); 4] = [
        (&echo, 2123, 2123),
        (&[0x32, 0x01], 2123, 2123),
        (b"GET / HTTP/1.1\r\n\r\n", 2152, 2152),
        (b"GET / HTTP/1.1\r\n\r\n", 8080, 80),
    ];
    for (payload, sport, dport) in cases {
        let mut d = sigscope_gtp::Decoded::empty();
        let ok = sigscope_gtp::decode_into(payload, sport, dport, &mut d);
        match decode(payload, sport, dport) {
            Some(r) => {
                assert!(ok);
                assert_eq!(format!("{r:?}"), format!("{d:?}"));
                assert_eq!(codes(&r), codes(&d));
            }
            None => assert!(!ok, "{sport} -> {dport}"),
        }
    }
    // one place reused for every datagram (as a decoder would): what it held is replaced
    let mut d = sigscope_gtp::Decoded::empty();
    for (payload, sport, dport) in cases.iter().chain(cases.iter().rev()) {
        if let Some(r) = decode(payload, *sport, *dport) {
            assert!(sigscope_gtp::decode_into(payload, *sport, *dport, &mut d));
            assert_eq!(format!("{r:?}"), format!("{d:?}"));
        }
    }
}

/// A standard DNS query for `www.example.com` A (id 0x1a2b, RD).
const DNS_QUERY: &str = "1a2b01000001000000000000037777770765786d706c6503636f6d0000010001";
/// An NTP v4 client request (mode 3), as `ntpdate` sends it: LI 0, VN 4, mode 3, then zeros
/// and the transmit timestamp.
const NTP_REQUEST: &str = "230000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e8f5a1c2a0000000";

#[test]
fn services_on_well_known_ports_are_not_gtp() {
    let dns = unhex(DNS_QUERY);
    let ntp = unhex(NTP_REQUEST);
    // a client that picked a GTP port as its source port, and the service's answer to it:
    // Wireshark takes the lower (well-known) port's protocol
    for (p, sport, dport) in [
        (&dns, 2152, 53),
        (&dns, 53, 2152),
        (&dns, 2123, 53),
        (&ntp, 2152, 123),
        (&ntp, 3386, 123),
    ] {
        assert!(!sigscope_gtp::on_gtp_ports(sport, dport));
        assert_eq!(detect(p, sport, dport), None, "{sport} -> {dport}");
        assert!(decode(p, sport, dport).is_none(), "{sport} -> {dport}");
    }
    // the same payloads between a GTP port and an ephemeral one are judged as GTP
    let d = decode(&dns, 40000, 2123).unwrap();
    assert!(matches!(
        d.message,
        Message::V1(_) | Message::NotGtp(_) | Message::Runt(_)
    ));
    assert!(decode(&ntp, 2152, 40000).is_some());
    // well-formed GTP from or to a well-known port is still GTP (the checks used off the GTP
    // ports): an Echo Request from source port 53
    let echo = v1_msg(v1::MsgType::ECHO_REQUEST.0, 7, vec![]);
    assert_eq!(detect(&echo, 53, 2123), Some(sigscope_gtp::Kind::V1));
}

/// A G-PDU (TEID 0x11223344) carrying IPv4/UDP from 10.45.0.7:`sport` to 10.0.0.53:`dport`
/// with `payload`.
fn gpdu_udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let udp_len = 8 + payload.len();
    let total = 20 + udp_len;
    let mut ip = vec![
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        1,
        0x40,
        0,
        64,
        17,
        0,
        0,
        10,
        45,
        0,
        7,
        10,
        0,
        0,
        53,
    ];
    ip.extend_from_slice(&sport.to_be_bytes());
    ip.extend_from_slice(&dport.to_be_bytes());
    ip.extend_from_slice(&[(udp_len >> 8) as u8, udp_len as u8, 0, 0]);
    ip.extend_from_slice(payload);
    let mut g = vec![
        0x30,
        0xff,
        (ip.len() >> 8) as u8,
        ip.len() as u8,
        0x11,
        0x22,
        0x33,
        0x44,
    ];
    g.extend_from_slice(&ip);
    g
}

#[test]
fn a_subscribers_dns_from_port_2152_is_not_gtp_in_gtp() {
    let g = gpdu_udp(2152, 53, &unhex(DNS_QUERY));
    let d = decode(&g, 2152, 2152).unwrap();
    assert!(d.inner.is_some());
    assert!(
        !codes(&d).contains(&AnomalyCode::GtpInGtpu),
        "{:?}",
        codes(&d)
    );
    // a GTP Echo Request inside the tunnel is GTP in GTP, to port 2123 or to any other port
    // (PFCP's 8805, IPsec NAT-T's 4500) when it is well-formed
    let echo = v1_msg(v1::MsgType::ECHO_REQUEST.0, 7, vec![]);
    for dport in [2123, 8805, 4500] {
        let g = gpdu_udp(40000, dport, &echo);
        let d = decode(&g, 2152, 2152).unwrap();
        assert!(
            codes(&d).contains(&AnomalyCode::GtpInGtpu),
            "{dport}: {:?}",
            codes(&d)
        );
    }
    // a QUIC short-header packet (first octet 0x40-0x5f reads as GTPv2) to a GTP port or any
    // other: not GTP
    let mut quic = vec![0x43];
    quic.extend((0..60u8).map(|i| i.wrapping_mul(37) ^ 0x5a));
    for dport in [2123, 2152, 443, 50000] {
        let g = gpdu_udp(51000, dport, &quic);
        let d = decode(&g, 2152, 2152).unwrap();
        assert!(
            !codes(&d).contains(&AnomalyCode::GtpInGtpu),
            "{dport}: {:?}",
            codes(&d)
        );
    }
}
