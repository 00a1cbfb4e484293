use super::*;
use crate::common;
use proptest::prelude::*;
use sigscope_core::AnomalyCode;

#[test]
fn real_data_message() {
    let sctp = crate::testdata::M3UA_SYNTHETIC_F20_SCTP;
    let d = &sctp[crate::testdata::M3UA_OFFSET..];
    let mut a = Anomalies::new();
    let m = parse(&d[..120], &mut a).unwrap();
    let pd = m.protocol_data.unwrap();
    assert_eq!(
        (pd.opc, pd.dpc, pd.si, pd.ni, pd.mp, pd.sls),
        (600, 500, 3, 0, 0, 0)
    );
    assert_eq!(pd.user_data.len(), 120 - 8 - 4 - 12 - 2); // protocol data len 0x6e = 110 incl. 4-byte header
    assert_eq!(pd.user_data.first(), Some(&0x09)); // SCCP UDT
    assert_eq!(m.name(), Some("DATA"));
    assert!(a.is_empty(), "{a:?}");
    let r = DataRepr::parse(&m).unwrap();
    let mut out = Vec::new();
    r.emit(&mut out).unwrap();
    assert_eq!(&out[..], &d[..120]);
}

#[test]
fn aspup_and_unknown() {
    let mut out = Vec::new();
    common::emit_message(3, 1, &[], &mut out).unwrap();
    let mut a = Anomalies::new();
    let m = parse(&out, &mut a).unwrap();
    assert_eq!(m.name(), Some("ASPUP"));
    out.clear();
    common::emit_message(7, 9, &[(0x7777, &[1, 2, 3])], &mut out).unwrap();
    let m = parse(&out, &mut a).unwrap();
    assert_eq!(m.name(), None);
    assert!(a.contains(AnomalyCode::UnassignedMessageType));
    assert!(a.contains(AnomalyCode::UnknownParameter));
}

#[test]
fn bad_lengths() {
    let mut a = Anomalies::new();
    assert!(parse(&[1, 0, 1, 1, 0, 0], &mut a).is_err());
    let d = [1, 0, 1, 1, 0, 0, 0, 40, 0x02, 0x10, 0x00, 0x08, 0, 0, 0, 1];
    let m = parse(&d, &mut a).unwrap();
    assert!(m.protocol_data.is_none());
    assert!(a.contains(AnomalyCode::LengthExceedsData));
    assert!(a.contains(AnomalyCode::ProtocolDataShort));
}

// ---- management parameters on real bytes. Each array is one SCTP DATA chunk's user data,
// taken with `tshark -x` from the capture named (../shared/captures, see MANIFEST.tsv);
// the expected values are what tshark 4.x shows for the same frame.

fn ok(d: &[u8]) -> (M3uaMessage<'_>, Anomalies) {
    let mut a = Anomalies::new();
    let m = parse(d, &mut a).unwrap();
    (m, a)
}

/// raw/ajbanjara+Wireshark/centile_m3ua.cap frame 5, first chunk: DAVA, Affected Point
/// Code mask 0 PC 2000 (tshark m3ua.affected_point_code_pc 2000).
const CENTILE_F5_DAVA: &[u8] = &[
    0x01, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00, 0x12, 0x00, 0x08, 0x00, 0x00, 0x07, 0xd0,
];
/// Same frame, second chunk: ASPUP with ASP Identifier 0.
const CENTILE_F5_ASPUP: &[u8] = &[
    0x01, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
];
/// centile_m3ua.cap frame 9: NTFY, Status AS-State_Change / AS-INACTIVE (1/2), ASP id 0.
const CENTILE_F9_NTFY: &[u8] = &[
    0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x18, 0x00, 0x0d, 0x00, 0x08, 0x00, 0x01, 0x00, 0x02,
    0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
];
/// centile_m3ua.cap frame 13: ERR, Error Code 9 (Invalid Stream Identifier), Diagnostic
/// Information = the refused M3UA DATA (OPC 2000, DPC 1169, SI 3).
const CENTILE_F13_ERR: &[u8] = &[
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x0c, 0x00, 0x08, 0x00, 0x00, 0x00, 0x09,
    0x00, 0x07, 0x00, 0x2c, 0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x02, 0x10, 0x00, 0x21,
    0x00, 0x00, 0x07, 0xd0, 0x00, 0x00, 0x04, 0x91, 0x03, 0x02, 0x00, 0x00, 0x09, 0x81, 0x03, 0x05,
    0x07, 0x02, 0x42, 0x01, 0x02, 0x42, 0x01, 0x05, 0x01, 0x92, 0x16, 0x08,
];
/// raw/OISF+suricata-verify/sctp-keywords__input.pcap frame 12, first chunk: NTFY
/// AS-ACTIVE (1/3), ASP id 13, Routing Context 1110.
const KEYWORDS_F12_NTFY: &[u8] = &[
    0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x0d, 0x00, 0x08, 0x00, 0x01, 0x00, 0x03,
    0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x04, 0x56,
];
/// Same frame, second chunk: DAVA for PC 1110, Routing Context 1110.
const KEYWORDS_F12_DAVA: &[u8] = &[
    0x01, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x18, 0x00, 0x12, 0x00, 0x08, 0x00, 0x00, 0x04, 0x56,
    0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x04, 0x56,
];
/// sctp-keywords__input.pcap frame 8: ASPAC ACK, Traffic Mode Type 2 (Loadshare), RC 1110.
const KEYWORDS_F8_ASPAC_ACK: &[u8] = &[
    0x01, 0x00, 0x04, 0x03, 0x00, 0x00, 0x00, 0x18, 0x00, 0x0b, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02,
    0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x04, 0x56,
];
/// raw/araditc+sigtran.net/end-to-end-20260724T085858Z.pcap frame 5: ASPUP, ASP id 1001,
/// INFO String "Sigtran.NET end-to-end lab" (26 octets + 2 padding).
const SIGTRAN_NET_F5_ASPUP: &[u8] = &[
    0x01, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x30, 0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x03, 0xe9,
    0x00, 0x04, 0x00, 0x1e, 0x53, 0x69, 0x67, 0x74, 0x72, 0x61, 0x6e, 0x2e, 0x4e, 0x45, 0x54, 0x20,
    0x65, 0x6e, 0x64, 0x2d, 0x74, 0x6f, 0x2d, 0x65, 0x6e, 0x64, 0x20, 0x6c, 0x61, 0x62, 0x00, 0x00,
];
/// raw/ajbanjara+Wireshark/3gpp_mc.cap frame 195, first of five chunks: DUNA for the 24-bit
/// point code 256005 (0x03e805).
const MC_F195_DUNA: &[u8] = &[
    0x01, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x12, 0x00, 0x08, 0x00, 0x03, 0xe8, 0x05,
];

#[test]
fn real_ssnm_affected_point_codes() {
    let (m, a) = ok(CENTILE_F5_DAVA);
    assert_eq!(m.name(), Some("DAVA"));
    assert!(a.is_empty(), "{a:?}");
    let pcs: Vec<MaskedPc> = m.affected_pcs().collect();
    assert_eq!(pcs, [MaskedPc { mask: 0, pc: 2000 }]);
    assert_eq!(m.affected_point_codes.unwrap().offset(), 12);

    let (m, a) = ok(MC_F195_DUNA);
    assert_eq!(m.name(), Some("DUNA"));
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.affected_pcs().map(|p| p.pc).collect::<Vec<_>>(), [256005]);

    let (m, a) = ok(KEYWORDS_F12_DAVA);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.affected_pcs().map(|p| p.pc).collect::<Vec<_>>(), [1110]);
    assert_eq!(m.routing_context, Some(1110));
}

#[test]
fn real_aspsm_asp_id_and_info_string() {
    let (m, a) = ok(CENTILE_F5_ASPUP);
    assert_eq!((m.name(), m.asp_id), (Some("ASPUP"), Some(0)));
    assert!(a.is_empty(), "{a:?}");

    let (m, a) = ok(SIGTRAN_NET_F5_ASPUP);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.asp_id, Some(1001));
    assert_eq!(m.info_str(), Some("Sigtran.NET end-to-end lab"));
    assert_eq!(m.info_string.map(<[u8]>::len), Some(26));
}

#[test]
fn real_mgmt_ntfy_and_err() {
    let (m, a) = ok(CENTILE_F9_NTFY);
    assert!(a.is_empty(), "{a:?}");
    let s = m.status.unwrap();
    assert_eq!((s.status_type, s.info), (StatusType::AS_STATE_CHANGE, 2));
    assert_eq!(s.info_name(), Some("AS-INACTIVE"));
    assert_eq!(m.asp_id, Some(0));

    let (m, a) = ok(KEYWORDS_F12_NTFY);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.status.and_then(|s| s.info_name()), Some("AS-ACTIVE"));
    assert_eq!((m.asp_id, m.routing_context), (Some(13), Some(1110)));

    let (m, a) = ok(CENTILE_F13_ERR);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.name(), Some("ERR"));
    assert_eq!(m.error_code, Some(ErrorCode::INVALID_STREAM_IDENTIFIER));
    assert_eq!(
        m.error_code.unwrap().to_string(),
        "Invalid Stream Identifier"
    );
    // The diagnostic is the refused message: decode it as M3UA in turn.
    let diag = m.diagnostic_info.unwrap();
    assert_eq!(diag.len(), 40);
    let mut a = Anomalies::new();
    let inner = parse(diag, &mut a).unwrap();
    let pd = inner.protocol_data.unwrap();
    assert_eq!((pd.opc, pd.dpc, pd.si), (2000, 1169, 3));
}

#[test]
fn real_asptm_traffic_mode() {
    let (m, a) = ok(KEYWORDS_F8_ASPAC_ACK);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.name(), Some("ASPAC_ACK"));
    assert_eq!(m.traffic_mode, Some(TrafficModeType::LOADSHARE));
    assert_eq!(m.routing_context, Some(1110));
}

// ---- messages no public capture carries, built field by field from RFC 4666.

#[test]
fn scon_and_dupu_from_the_rfc_layout() {
    // SCON (§3.4.4): Affected PC list (two), Concerned Destination, Congestion Indications.
    let mut b = Vec::new();
    common::emit_message(
        2,
        4,
        &[
            (0x0012, &[0, 0, 0x08, 0xae, 3, 0x01, 0x02, 0x03]),
            (0x0206, &[0, 0, 0x04, 0xd2]),
            (0x0205, &[0, 0, 0, 2]),
        ],
        &mut b,
    )
    .unwrap();
    let (m, a) = ok(&b);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.name(), Some("SCON"));
    let pcs: Vec<MaskedPc> = m.affected_pcs().collect();
    assert_eq!(
        pcs,
        [
            MaskedPc { mask: 0, pc: 2222 },
            MaskedPc {
                mask: 3,
                pc: 0x010203
            }
        ]
    );
    assert_eq!(m.concerned_dpc, Some(1234));
    assert_eq!(m.congestion_level, Some(CongestionLevel::LEVEL_2));

    // DUPU (§3.4.5): User/Cause = Unequipped Remote User, ISUP.
    b.clear();
    common::emit_message(
        2,
        5,
        &[(0x0012, &[0, 0, 0, 9]), (0x0204, &[0, 1, 0, 5])],
        &mut b,
    )
    .unwrap();
    let (m, a) = ok(&b);
    assert!(a.is_empty(), "{a:?}");
    let uc = m.user_cause.unwrap();
    assert_eq!(uc.cause, UnavailabilityCause::UNEQUIPPED_REMOTE_USER);
    assert_eq!(uc.user, MtpUserIdentity::ISUP);
    assert_eq!(uc.user.to_string(), "ISUP");

    // BEAT (§3.5.5) with opaque Heartbeat Data; Correlation ID on a DATA-less message.
    b.clear();
    common::emit_message(3, 3, &[(0x0009, b"abcde"), (0x0013, &[0, 0, 1, 0])], &mut b).unwrap();
    let (m, a) = ok(&b);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.heartbeat_data, Some(&b"abcde"[..]));
    assert_eq!(m.correlation_id, Some(256));
}

#[test]
fn routing_key_management_from_the_rfc_layout() {
    // REG REQ (§3.6.1): Routing Key { Local-RK-Id 7, Traffic Mode 1, DPC 0/300,
    // SI [3, 5], OPC list [0/100, 0/101] }.
    let mut rk = Vec::new();
    for (tag, v) in [
        (0x020a_u16, &[0u8, 0, 0, 7][..]),
        (0x000b, &[0, 0, 0, 1]),
        (0x020b, &[0, 0, 0x01, 0x2c]),
        (0x020c, &[3, 5]),
        (0x020e, &[0, 0, 0, 100, 0, 0, 0, 101]),
    ] {
        rk.extend_from_slice(&tag.to_be_bytes());
        rk.extend_from_slice(&(v.len() as u16 + 4).to_be_bytes());
        rk.extend_from_slice(v);
        while rk.len() % 4 != 0 {
            rk.push(0);
        }
    }
    let mut b = Vec::new();
    common::emit_message(9, 1, &[(0x0207, &rk)], &mut b).unwrap();
    let (m, a) = ok(&b);
    assert!(a.is_empty(), "{a:?}");
    assert_eq!(m.name(), Some("REG_REQ"));
    let keys: Vec<RoutingKey<'_>> = m.routing_keys().collect();
    assert_eq!(keys.len(), 1);
    let k = keys[0];
    assert_eq!(k.local_rk_id, Some(7));
    assert_eq!(k.traffic_mode, Some(TrafficModeType::OVERRIDE));
    assert_eq!(k.dpc, Some(MaskedPc { mask: 0, pc: 300 }));
    assert_eq!(k.service_indicators, Some(&[3u8, 5][..]));
    let opcs: Vec<u32> = k
        .opc_list
        .unwrap()
        .point_codes()
        .map(|p| p.unwrap().pc)
        .collect();
    assert_eq!(opcs, [100, 101]);

    // REG RSP (§3.6.2): Registration Result { Local-RK-Id 7, status 5, RC 0 }.
    let rr = [
        0x02, 0x0a, 0, 8, 0, 0, 0, 7, 0x02, 0x12, 0, 8, 0, 0, 0, 5, 0x00, 0x06, 0, 8, 0, 0, 0, 0,
    ];
    b.clear();
    common::emit_message(9, 2, &[(0x0208, &rr)], &mut b).unwrap();
    let (m, a) = ok(&b);
    assert!(a.is_empty(), "{a:?}");
    let r: Vec<RegistrationResult> = m.registration_results().collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].local_rk_id, Some(7));
    assert_eq!(r[0].status, Some(RegistrationStatus::PERMISSION_DENIED));
    assert_eq!(r[0].routing_context, Some(0));

    // DEREG RSP (§3.6.4): two Deregistration Results.
    let d1 = [0x00, 0x06, 0, 8, 0, 0, 0, 9, 0x02, 0x13, 0, 8, 0, 0, 0, 0];
    let d2 = [0x00, 0x06, 0, 8, 0, 0, 0, 10, 0x02, 0x13, 0, 8, 0, 0, 0, 4];
    b.clear();
    common::emit_message(9, 4, &[(0x0209, &d1), (0x0209, &d2)], &mut b).unwrap();
    let (m, a) = ok(&b);
    assert!(a.is_empty(), "{a:?}");
    let d: Vec<(Option<u32>, Option<DeregistrationStatus>)> = m
        .deregistration_results()
        .map(|r| (r.routing_context, r.status))
        .collect();
    assert_eq!(
        d,
        [
            (
                Some(9),
                Some(DeregistrationStatus::SUCCESSFULLY_DEREGISTERED)
            ),
            (Some(10), Some(DeregistrationStatus::NOT_REGISTERED))
        ]
    );
}

#[test]
fn odd_parameters_are_reported_with_offsets() {
    let mut b = Vec::new();
    let long = [b'x'; 300];
    common::emit_message(
        0,
        0,
        &[
            (0x000c, &[0, 0, 0, 0x02]),    // "Not Used in M3UA" (an M2UA code)
            (0x000c, &[0, 0, 0, 0x01]),    // second Error Code
            (0x000d, &[0, 1, 0, 9]),       // unassigned status information
            (0x0012, &[0, 0, 7]),          // Affected PC of 3 bytes
            (0x0004, &[0x66, 0xff, 0x6f]), // not UTF-8
            (0x000b, &[0, 0, 0, 7]),       // unassigned traffic mode
            (0x020a, &[0, 0, 0, 1]),       // Routing Key part at top level
        ],
        &mut b,
    )
    .unwrap();
    let mut a = Anomalies::new();
    let m = parse(&b, &mut a).unwrap();
    assert_eq!(m.error_code, Some(ErrorCode(2)));
    let find = |code: AnomalyCode| a.iter().find(|x| x.code == code).copied();
    let e = find(AnomalyCode::UnknownErrorCode).unwrap();
    assert_eq!((e.offset, e.value), (12, Some(2)));
    assert_eq!(find(AnomalyCode::DuplicateParameter).unwrap().offset, 16);
    assert_eq!(
        find(AnomalyCode::UnknownStatus).unwrap().value,
        Some(0x0001_0009)
    );
    let l = find(AnomalyCode::ParameterLengthInvalid).unwrap();
    assert_eq!((l.offset, l.value), (34, Some(0x12)));
    assert_eq!(m.affected_pcs().count(), 0);
    assert!(m
        .affected_point_codes
        .unwrap()
        .point_codes()
        .next()
        .unwrap()
        .is_err());
    assert_eq!(find(AnomalyCode::InfoStringNotUtf8).unwrap().offset, 45);
    assert_eq!(m.info_str(), None);
    assert!(a.contains(AnomalyCode::UnknownTrafficMode));
    assert!(a.contains(AnomalyCode::UnexpectedParameter));

    let mut b = Vec::new();
    common::emit_message(3, 1, &[(0x0004, &long), (0x0011, &[1, 2])], &mut b).unwrap();
    let mut a = Anomalies::new();
    let m = parse(&b, &mut a).unwrap();
    assert!(a.contains(AnomalyCode::InfoStringTooLong));
    assert!(a.contains(AnomalyCode::ParameterLengthInvalid));
    assert_eq!(m.asp_id, None);
}

proptest! {
    #[test]
    fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut a = Anomalies::new();
        if let Ok(m) = parse(&d, &mut a) {
            let _ = m.affected_pcs().count();
            let _ = m.routing_keys().count();
            let _ = m.registration_results().count();
            let _ = m.deregistration_results().count();
            let _ = m.info_str();
        }
    }

    /// The one-pass DATA decoding gives what the general walk gives, anomalies included,
    /// on DATA messages built from NA / RC / Protocol Data / other parameters of any
    /// length, in any order, with the length field and the data cut anywhere.
    #[test]
    fn plain_data_agrees_with_the_general_walk(
        params in proptest::collection::vec(
            (prop_oneof![3 => Just(0x0210u16), 2 => Just(0x0006), 2 => Just(0x0200),
                         1 => Just(0x0004), 1 => any::<u16>()],
             prop_oneof![Just(vec![1, 2, 3, 4]), proptest::collection::vec(any::<u8>(), 0..24)],
             0u16..40),
            0..5),
        len_delta in prop_oneof![3 => Just(0i32), 1 => -6i32..6],
        cut in prop_oneof![3 => Just(0usize), 1 => 0usize..8],
        raw_len in proptest::bool::weighted(0.2),
    ) {
        let mut d = vec![1, 0, 1, 1, 0, 0, 0, 0];
        for (tag, value, bad_len) in &params {
            d.extend_from_slice(&tag.to_be_bytes());
            let len = if raw_len { *bad_len } else { value.len() as u16 + 4 };
            d.extend_from_slice(&len.to_be_bytes());
            d.extend_from_slice(value);
            while d.len() % 4 != 0 {
                d.push(0);
            }
        }
        let len = (d.len() as i32 + len_delta).max(0) as u32;
        d[4..8].copy_from_slice(&len.to_be_bytes());
        d.truncate(d.len().saturating_sub(cut).max(8));
        let mut fast_a = Anomalies::new();
        let fast = parse(&d, &mut fast_a);
        let mut slow_a = Anomalies::new();
        let slow = Message::parse(Layer::M3ua, &d, &mut slow_a).map(|msg| {
            let mut out = M3uaMessage {
                msg,
                protocol_data: None,
                network_appearance: None,
                routing_context: None,
                routing_contexts: None,
                info_string: None,
                diagnostic_info: None,
                heartbeat_data: None,
                traffic_mode: None,
                error_code: None,
                status: None,
                asp_id: None,
                affected_point_codes: None,
                correlation_id: None,
                user_cause: None,
                congestion_level: None,
                concerned_dpc: None,
                registration_status: None,
                deregistration_status: None,
            };
            parameters(&msg, &mut out, &mut slow_a);
            out
        });
        prop_assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
        prop_assert_eq!(format!("{fast_a:?}"), format!("{slow_a:?}"));
    }

    #[test]
    fn round_trip(opc: u32, dpc: u32, si: u8, ni: u8, mp: u8, sls: u8, na: Option<u32>, rc: Option<u32>,
                  user_data in proptest::collection::vec(any::<u8>(), 0..100)) {
        let r = DataRepr { network_appearance: na, routing_context: rc, opc, dpc, si, ni, mp, sls, user_data };
        let mut b = Vec::new();
        r.emit(&mut b).unwrap();
        prop_assert_eq!(b.len(), r.buffer_len());
        let mut a = Anomalies::new();
        let m = parse(&b, &mut a).unwrap();
        prop_assert_eq!(DataRepr::parse(&m), Some(r));
        prop_assert!(a.is_empty());
    }
}
