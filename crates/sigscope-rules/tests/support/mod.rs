//! Frames for the engine's tests and bench, every byte made with the project's own emitters
//! (Ethernet/IPv4/UDP and SCTP framing, M3UA DATA, SCCP UDT, BER for TCAP/MAP, GTPv1/v2), the
//! way `sigscope::synth` builds the demo capture. Frames go through a real
//! [`Decoder`]; the engine sees the typed [`Message`]s it hands out.
//!
//! Shared by `tests/engine.rs`, `benches/rules.rs` and the facade's `tests/eve.rs`
//! (`#[path]`), so each builder is written once.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use sigscope_capture::reader::linktype;
use sigscope_capture::writer::{ethernet_ipv4, ethernet_ipv4_udp};
use sigscope_capture::Packet;
use sigscope_core::ber::{write_tlv, Class, Tag};
use sigscope_core::digits::encode_tbcd;
use sigscope_decode::{Decoder, Message, Options};
use sigscope_gtp::{v1, v2};
use sigscope_map::emit as map_emit;
use sigscope_map::sms::emit::SmsDeliverRepr;
use sigscope_sccp::address::{AddressRepr, GtRepr};
use sigscope_sccp::types::{MessageType, ProtocolClass};
use sigscope_sccp::{PcFormat, UnitdataRepr};
use sigscope_sigtran::m3ua::DataRepr;
use sigscope_sigtran::sctp::{DataChunkRepr, SctpRepr};
use sigscope_tcap::emit::TcapRepr;

/// Signalling transfer point (M3UA client side).
pub const STP: [u8; 4] = [192, 0, 2, 10];
/// HLR's signalling gateway.
pub const HLR_SG: [u8; 4] = [192, 0, 2, 20];
/// A peer outside every declared interconnect.
pub const FOREIGN: [u8; 4] = [198, 51, 100, 7];
/// Serving gateway (inside the test policies' GTP peer block 203.0.113.0/24).
pub const SGW: [u8; 4] = [203, 0, 113, 5];
/// PDN gateway.
pub const PGW: [u8; 4] = [203, 0, 113, 9];

/// GTP-C port.
pub const GTPC: u16 = 2123;
/// GTP-U port.
pub const GTPU: u16 = 2152;
/// M3UA port.
pub const M3UA_PORT: u16 = 2905;

/// MAP application-context numbers (last-but-one arc of the ACN) used here.
pub mod ac {
    /// networkLocUpContext (updateLocation).
    pub const NETWORK_LOC_UP: u8 = 1;
    /// infoRetrievalContext (sendAuthenticationInfo).
    pub const INFO_RETRIEVAL: u8 = 14;
    /// networkUnstructuredSsContext (processUnstructuredSS-Request).
    pub const NETWORK_UNSTRUCTURED_SS: u8 = 19;
    /// shortMsgGatewayContext (sendRoutingInfoForSM).
    pub const SHORT_MSG_GATEWAY: u8 = 20;
    /// shortMsgMT-RelayContext (mt-forwardSM).
    pub const SHORT_MSG_MT_RELAY: u8 = 25;
    /// shortMsgMO-RelayContext (mo-forwardSM; shortMsgRelayContext in v1).
    pub const SHORT_MSG_MO_RELAY: u8 = 21;
    /// subscriberInfoEnquiryContext (provideSubscriberInfo).
    pub const SUBSCRIBER_INFO_ENQUIRY: u8 = 28;
    /// anyTimeInfoEnquiryContext (anyTimeInterrogation).
    pub const ANY_TIME_INFO_ENQUIRY: u8 = 29;
}

/// MAP operation codes used here.
pub mod op {
    /// updateLocation.
    pub const UPDATE_LOCATION: u8 = 2;
    /// mt-forwardSM.
    pub const MT_FORWARD_SM: u8 = 44;
    /// mo-forwardSM (forwardSM in MAP v1 and v2, both directions).
    pub const MO_FORWARD_SM: u8 = 46;
    /// sendRoutingInfoForSM.
    pub const SRI_FOR_SM: u8 = 45;
    /// sendAuthenticationInfo.
    pub const SEND_AUTHENTICATION_INFO: u8 = 56;
    /// processUnstructuredSS-Request.
    pub const PROCESS_USSD: u8 = 59;
    /// provideSubscriberInfo.
    pub const PROVIDE_SUBSCRIBER_INFO: u8 = 70;
    /// anyTimeInterrogation.
    pub const ANY_TIME_INTERROGATION: u8 = 71;
}

// ------------------------------------------------------------------ frames and decoding

/// One captured frame: its time and its bytes (Ethernet).
#[derive(Clone, Debug)]
pub struct Frame {
    /// Capture time, nanoseconds since the epoch.
    pub ts_nanos: u64,
    /// Ethernet frame.
    pub data: Vec<u8>,
}

impl Frame {
    /// A frame at `ts` seconds.
    pub fn at(ts: f64, data: Vec<u8>) -> Frame {
        Frame {
            ts_nanos: nanos(ts),
            data,
        }
    }
}

/// Seconds to nanoseconds.
pub fn nanos(ts: f64) -> u64 {
    (ts * 1e9).round() as u64
}

/// The frame as the capture reader hands it out (`frame` is 1-based).
pub fn packet(frame: u64, f: &Frame) -> Packet<'_> {
    Packet {
        frame,
        ts_nanos: f.ts_nanos,
        linktype: linktype::ETHERNET,
        data: &f.data,
        orig_len: f.data.len() as u32,
        interface: 0,
    }
}

/// Decode `frames` (numbered from 1) with a fresh [`Decoder`], end of input included, and
/// hand every message to `out`.
pub fn decode(frames: &[Frame], out: &mut dyn FnMut(&Message<'_>)) {
    let mut d = Decoder::new(Options::default());
    for (i, f) in frames.iter().enumerate() {
        d.packet(&packet(i as u64 + 1, f), out);
    }
    d.finish(out);
}

/// Deterministic noise (xorshift32): looks encrypted.
pub fn noise(seed: u32, n: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

// ------------------------------------------------------------------ GTP

/// Ethernet/IPv4/UDP frame.
pub fn udp(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let f = ethernet_ipv4_udp(src, dst, sport, dport, payload);
    assert!(!f.is_empty(), "UDP payload too large for a frame");
    f
}

/// An IPv4/UDP packet without link layer (what a G-PDU carries).
pub fn ipv4_udp(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    udp(src, dst, sport, dport, payload)[14..].to_vec()
}

/// GTPv2-C message.
pub fn gtp_v2(msg_type: u8, teid: Option<u32>, seq: u32, ies: Vec<v2::IeRepr>) -> Vec<u8> {
    let mut out = Vec::new();
    v2::V2Repr {
        msg_type,
        teid,
        seq,
        priority: None,
        ies,
        piggybacked: None,
    }
    .emit(&mut out)
    .expect("GTPv2 message emits");
    out
}

/// GTPv2 Recovery IE.
pub fn v2_recovery(n: u8) -> v2::IeRepr {
    v2::IeRepr::raw(v2::IeType::RECOVERY.0, 0, vec![n])
}

/// GTPv2 IMSI IE (TBCD).
pub fn v2_imsi(digits: &str) -> v2::IeRepr {
    v2::IeRepr::raw(
        v2::IeType::IMSI.0,
        0,
        encode_tbcd(digits).expect("TBCD digits"),
    )
}

/// GTPv2 Sending Node Features IE.
pub fn v2_node_features(f: u8) -> v2::IeRepr {
    v2::IeRepr::raw(v2::IeType::NODE_FEATURES.0, 0, vec![f])
}

/// GTPv2 Private Extension IE: enterprise id, then the value.
pub fn v2_private_extension(enterprise: u16, value: &[u8]) -> v2::IeRepr {
    let mut v = enterprise.to_be_bytes().to_vec();
    v.extend_from_slice(value);
    v2::IeRepr::raw(v2::IeType::PRIVATE_EXTENSION.0, 0, v)
}

/// GTPv2 Echo Request (type 1, no TEID).
pub fn echo_request_v2(seq: u32, ies: Vec<v2::IeRepr>) -> Vec<u8> {
    gtp_v2(1, None, seq, ies)
}

/// GTPv2 Echo Response (type 2, no TEID).
pub fn echo_response_v2(seq: u32, ies: Vec<v2::IeRepr>) -> Vec<u8> {
    gtp_v2(2, None, seq, ies)
}

/// GTPv2 Create Session Request (as the demo capture's): IMSI, MSISDN, RAT type, APN, sender
/// F-TEID, Bearer Contexts to be Created.
pub fn create_session_request(seq: u32, imsi: &str) -> Vec<u8> {
    create_session_request_split(seq, imsi, None)
}

/// [`create_session_request`] whose bearer context names `user` as the sender's S5/S8-U
/// F-TEID address (`None`: no user-plane F-TEID).
pub fn create_session_request_split(seq: u32, imsi: &str, user: Option<[u8; 4]>) -> Vec<u8> {
    let mut bearer = vec![
        v2::IeRepr::raw(73, 0, vec![5]),
        v2::IeRepr::raw(
            80,
            0,
            vec![
                0x49, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
        ),
    ];
    if let Some(u) = user {
        // V4 flag, interface type 4 (S5/S8-U SGW), TEID 0x20
        bearer.push(v2::IeRepr::raw(
            87,
            2,
            vec![0x84, 0, 0, 0, 0x20, u[0], u[1], u[2], u[3]],
        ));
    }
    gtp_v2(
        32,
        Some(0),
        seq,
        vec![
            v2_imsi(imsi),
            v2::IeRepr::raw(76, 0, encode_tbcd("447700900123").expect("digits")),
            v2::IeRepr::raw(82, 0, vec![6]),
            v2::IeRepr::raw(71, 0, b"\x08internet".to_vec()),
            v2::IeRepr::raw(
                87,
                0,
                vec![0x8a, 0, 0, 0x10, 0x01, SGW[0], SGW[1], SGW[2], SGW[3]],
            ),
            v2::IeRepr::grouped(93, 0, bearer),
            v2_private_extension(10415, &[1, 2, 3, 4]),
        ],
    )
}

/// GTPv1 message with IEs.
pub fn gtp_v1(msg_type: u8, teid: u32, seq: Option<u16>, ies: Vec<v1::IeRepr>) -> Vec<u8> {
    let mut out = Vec::new();
    v1::V1Repr {
        msg_type,
        teid,
        seq,
        npdu: None,
        ext_headers: Vec::new(),
        body: v1::BodyRepr::Ies(ies),
    }
    .emit(&mut out)
    .expect("GTPv1 message emits");
    out
}

/// GTPv1 IE.
pub fn v1_ie(ie_type: u8, value: Vec<u8>) -> v1::IeRepr {
    v1::IeRepr { ie_type, value }
}

/// GTPv1-U G-PDU carrying `inner` (an IP packet).
pub fn gpdu(teid: u32, inner: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    v1::V1Repr {
        msg_type: 255,
        teid,
        seq: None,
        npdu: None,
        ext_headers: Vec::new(),
        body: v1::BodyRepr::Payload(inner),
    }
    .emit(&mut out)
    .expect("G-PDU emits");
    out
}

/// A subscriber's DNS query, as a G-PDU carries it.
pub fn user_dns_packet() -> Vec<u8> {
    ipv4_udp([10, 45, 0, 2], [8, 8, 8, 8], 49153, 53, &[0u8; 12])
}

// ------------------------------------------------------------------ SIGTRAN, SCCP, TCAP, MAP

static TSN: AtomicU32 = AtomicU32::new(1000);

/// Ethernet/IPv4/SCTP frame with one complete DATA chunk of `ppid` (M3UA port both ends).
pub fn sctp(src: [u8; 4], dst: [u8; 4], ppid: u32, payload: Vec<u8>) -> Vec<u8> {
    let tsn = TSN.fetch_add(1, Ordering::Relaxed);
    let sctp = SctpRepr {
        source_port: M3UA_PORT,
        destination_port: M3UA_PORT,
        verification_tag: 0x5167_5c0e,
        chunks: vec![DataChunkRepr {
            flags: 3,
            tsn,
            stream: 1,
            ssn: tsn as u16,
            ppid,
            payload,
        }],
    }
    .emit()
    .expect("fits an SCTP packet");
    let f = ethernet_ipv4(src, dst, 132, &sctp);
    assert!(!f.is_empty(), "SCTP packet too large for a frame");
    f
}

/// An M3UA DATA message (SI 3, SCCP) carrying `user_data`.
pub fn m3ua_data(opc: u32, dpc: u32, user_data: Vec<u8>) -> Vec<u8> {
    let mut m = Vec::new();
    DataRepr {
        network_appearance: None,
        routing_context: Some(100),
        opc,
        dpc,
        si: 3,
        ni: 2,
        mp: 0,
        sls: 5,
        user_data,
    }
    .emit(&mut m)
    .expect("fits an M3UA parameter");
    m
}

/// A SUA address parameter's value (RFC 3868 3.10.2): route on the global title (GTI 4,
/// E.164, international) `digits`, with subsystem `ssn`.
pub fn sua_address(digits: &str, ssn: u8) -> Vec<u8> {
    let mut v = vec![0, 1, 0, 7];
    let mut gt = vec![0, 0, 0, 4, digits.len() as u8, 0, 1, 4];
    gt.extend_from_slice(&encode_tbcd(digits).expect("digits"));
    v.extend_from_slice(&[0x80, 0x01, 0, (gt.len() + 4) as u8]);
    v.extend_from_slice(&gt);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v.extend_from_slice(&[0x80, 0x03, 0, 8, 0, 0, 0, ssn]);
    v
}

/// Ethernet/IPv4/SCTP frame (PPID 4) with a SUA CLDT from `calling` (SSN 7, a VLR) to
/// `called` (SSN 6, an HLR) carrying `tcap`.
pub fn sua_frame(calling: &str, called: &str, tcap: &[u8]) -> Vec<u8> {
    let (src, dst) = (sua_address(calling, 7), sua_address(called, 6));
    let mut m = Vec::new();
    sigscope_sigtran::common::emit_message(
        7,
        1,
        &[
            (0x0006, &[0, 0, 0, 1][..]),
            (0x0115, &[0, 0, 0, 0][..]),
            (0x0102, &src[..]),
            (0x0103, &dst[..]),
            (0x010b, tcap),
        ],
        &mut m,
    )
    .expect("fits a SUA message");
    sctp(FOREIGN, HLR_SG, 4, m)
}

/// Ethernet/IPv4/SCTP/M3UA DATA frame from the STP to the HLR's gateway carrying `sccp`.
pub fn m3ua_frame(sccp: Vec<u8>) -> Vec<u8> {
    sctp(STP, HLR_SG, 3, m3ua_data(1201, 2201, sccp))
}

/// BER TLV of the concatenated parts.
pub fn tlv(tag: Tag, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    write_tlv(&mut out, tag, &parts.concat());
    out
}

/// An APPLICATION-class tag.
pub fn app(n: u32, cons: bool) -> Tag {
    Tag::new(Class::Application, cons, n)
}

/// ISDN-AddressString: nature/plan octet 0x91 (international, E.164) + TBCD digits.
pub fn isdn(digits: &str) -> Vec<u8> {
    let mut v = vec![0x91];
    v.extend(encode_tbcd(digits).expect("TBCD digits"));
    v
}

/// TBCD identity (IMSI).
pub fn tbcd(digits: &str) -> Vec<u8> {
    encode_tbcd(digits).expect("TBCD digits")
}

/// TCAP Begin with an AARQ for application context `ac` version `version`, and one Invoke
/// (invoke id 1), made with `sigscope_tcap::emit`.
pub fn tcap_begin(otid: u32, ac: u8, version: u8, opcode: u8, arg: &[u8]) -> Vec<u8> {
    TcapRepr::begin_invoke(otid, (ac, version), 1, i64::from(opcode), arg.to_vec()).emit()
}

/// TCAP Begin as [`tcap_begin`] whose AARQ carries a MAP-OPEN (user information, TS 29.002
/// 17.2.2) naming `imsi` as its destination reference (an address string in land mobile
/// numbering, as VLRs send with supplementary-service and USSD operations): BER written
/// field by field (the TCAP emitter writes no user information).
pub fn tcap_begin_opened(
    otid: u32,
    (ac, version): (u8, u8),
    opcode: u8,
    arg: &[u8],
    imsi: &str,
) -> Vec<u8> {
    let ctx = |n: u32, cons: bool| Tag::new(Class::Context, cons, n);
    let oid = |b: &[u8]| tlv(Tag::OID, &[b]);
    // dialogue-as-id 0.0.17.773.1.1.1 and map-DialogueAS 0.4.0.0.1.1.1.1
    let dialogue_as = oid(&[0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01]);
    let map_dialogue_as = oid(&[0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01]);
    // international, land mobile numbering (E.212)
    let mut reference = vec![0x96];
    reference.extend(tbcd(imsi));
    let map_open = tlv(ctx(0, true), &[&tlv(ctx(0, false), &[&reference])]);
    // an EXTERNAL of `direct` reference whose single-ASN1-type [0] is `value`
    let external =
        |direct: &[u8], value: &[u8]| tlv(Tag::EXTERNAL, &[direct, &tlv(ctx(0, true), &[value])]);
    let user_info = tlv(ctx(30, true), &[&external(&map_dialogue_as, &map_open)]);
    let acn = tlv(
        ctx(1, true),
        &[&oid(&[0x04, 0x00, 0x00, 0x01, 0x00, ac, version])],
    );
    let aarq = tlv(
        app(0, true),
        &[&tlv(ctx(0, false), &[&[0x07, 0x80]]), &acn, &user_info],
    );
    let dialogue = tlv(app(11, true), &[&external(&dialogue_as, &aarq)]);
    let invoke = tlv(
        ctx(1, true),
        &[
            &tlv(Tag::INTEGER, &[&[1]]),
            &tlv(Tag::INTEGER, &[&[opcode]]),
            arg,
        ],
    );
    tlv(
        app(2, true),
        &[
            &tlv(app(8, false), &[&otid.to_be_bytes()]),
            &dialogue,
            &tlv(app(12, true), &[&invoke]),
        ],
    )
}

/// TCAP End with an AARE (accepted) and one ReturnResultLast (invoke id 1), made with
/// `sigscope_tcap::emit`.
pub fn tcap_end(dtid: u32, ac: u8, version: u8, opcode: u8, res: &[u8]) -> Vec<u8> {
    TcapRepr::end_result(dtid, (ac, version), 1, i64::from(opcode), res.to_vec()).emit()
}

/// SCCP party address: global title (E.164, international) and SSN.
pub fn gt_address(digits: &str, ssn: u8) -> AddressRepr {
    AddressRepr {
        national: false,
        route_on_ssn: false,
        pc: None,
        ssn: Some(ssn),
        gt: Some(GtRepr {
            gti: 4,
            tt: 0,
            np: 1,
            nai: 4,
            digits: digits.to_string(),
        }),
    }
}

/// SCCP UDT (class 0, return on error).
pub fn sccp_udt(called: AddressRepr, calling: AddressRepr, data: Vec<u8>) -> Vec<u8> {
    UnitdataRepr {
        msg_type: MessageType::UDT,
        protocol_class: ProtocolClass(0x80),
        called,
        calling,
        data,
        ..UnitdataRepr::default()
    }
    .emit(PcFormat::Itu14)
    .expect("SCCP UDT emits")
}

/// SCCP UDT from `calling` (SSN 8, an MSC/VLR or SMSC) to `called` (SSN 6, the HLR) carrying
/// `tcap`.
pub fn udt_to_hlr(calling: &str, called: &str, tcap: Vec<u8>) -> Vec<u8> {
    sccp_udt(gt_address(called, 6), gt_address(calling, 8), tcap)
}

/// A MAP Invoke in a TCAP Begin, SCCP UDT from `calling` to `called` (HLR), M3UA, SCTP.
pub fn map_invoke(
    otid: u32,
    calling: &str,
    called: &str,
    (ac, version): (u8, u8),
    opcode: u8,
    arg: &[u8],
) -> Vec<u8> {
    m3ua_frame(udt_to_hlr(
        calling,
        called,
        tcap_begin(otid, ac, version, opcode, arg),
    ))
}

/// Overwrite the first digit nibble of the global title `digits` in an emitted SCCP message
/// with 0xA (not a digit): the emitter writes only digits.
pub fn spoil_gt(sccp: &mut [u8], digits: &str) {
    let mut signals = Vec::new();
    for pair in digits.as_bytes().chunks(2) {
        let lo = pair[0] - b'0';
        let hi = pair.get(1).map_or(0, |c| c - b'0');
        signals.push(lo | (hi << 4));
    }
    let at = sccp
        .windows(signals.len())
        .position(|w| w == signals.as_slice())
        .expect("global title in the SCCP message");
    sccp[at] = (sccp[at] & 0xf0) | 0x0a;
}

/// sendRoutingInfoForSM argument: msisdn [0], sm-RP-PRI [1], serviceCentreAddress [2]
/// (`sigscope_map::emit`).
pub fn sri_sm_arg(msisdn: &str) -> Vec<u8> {
    map_emit::sri_sm_arg(msisdn, "447700900001").expect("digits")
}

/// anyTimeInterrogation argument: subscriberIdentity msisdn, requestedInfo (location,
/// subscriber state), gsmSCF-Address (`sigscope_map::emit`).
pub fn ati_arg(msisdn: &str, gsm_scf: &str) -> Vec<u8> {
    map_emit::ati_arg(msisdn, gsm_scf).expect("digits")
}

/// anyTimeInterrogation result: subscriberInfo with an empty locationInformation.
pub fn ati_res() -> Vec<u8> {
    tlv(
        Tag::SEQUENCE,
        &[&tlv(Tag::SEQUENCE, &[&tlv(Tag::ctx_cons(0), &[])])],
    )
}

/// provideSubscriberInfo argument: imsi [0], requestedInfo [2] (location).
pub fn psi_arg(imsi: &[u8]) -> Vec<u8> {
    tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::ctx(0), &[imsi]),
            &tlv(Tag::ctx_cons(2), &[&tlv(Tag::ctx(0), &[])]),
        ],
    )
}

/// updateLocation argument: imsi, msc-Number [1], vlr-Number.
pub fn ul_arg(imsi: &[u8], vlr: &str) -> Vec<u8> {
    tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::OCTET_STRING, &[imsi]),
            &tlv(Tag::ctx(1), &[&isdn(vlr)]),
            &tlv(Tag::OCTET_STRING, &[&isdn(vlr)]),
        ],
    )
}

/// sendAuthenticationInfo (v3) argument: imsi [0], numberOfRequestedVectors.
pub fn sai_arg(imsi: &[u8]) -> Vec<u8> {
    tlv(
        Tag::SEQUENCE,
        &[&tlv(Tag::ctx(0), &[imsi]), &tlv(Tag::INTEGER, &[&[1]])],
    )
}

/// processUnstructuredSS-Request argument: DCS 0x0f (GSM 7-bit), packed string, msisdn [0]
/// (`sigscope_map::emit`).
pub fn ussd_arg(text: &str) -> Vec<u8> {
    map_emit::ussd_arg(text, "447700900123").expect("GSM 7-bit text")
}

/// mt-forwardSM argument: sm-RP-DA imsi [0], sm-RP-OA serviceCentreAddressOA [4], SM-RP-UI an
/// SMS-DELIVER in GSM 7-bit from `originator` (`sigscope_map::emit`, `sigscope_map::sms::emit`).
pub fn mt_forward_sm_arg(originator: &str, text: &str) -> Vec<u8> {
    let tpdu = SmsDeliverRepr::text(originator, text)
        .emit()
        .expect("GSM 7-bit text");
    map_emit::mt_forward_sm_arg("234150123456789", "447700900001", &tpdu).expect("digits")
}

// ------------------------------------------------------------------ a mixed capture

/// `n` rounds of three frames each, 0.37 s apart from `start`: MAP sendRoutingInfoForSM over
/// M3UA (calling GTs cycling over 50 SMSCs), a GTPv2-C Create Session Request, a GTP-U
/// G-PDU. The bench's input.
pub fn mixed(n: u64, start: f64) -> Vec<Frame> {
    let mut v = Vec::with_capacity(3 * n as usize);
    for i in 0..n {
        let ts = start + i as f64 * 0.37;
        let calling = format!("4477009{:05}", i % 50);
        v.push(Frame::at(
            ts,
            map_invoke(
                0x0a0b_0000 + i as u32,
                &calling,
                "447700900123",
                (ac::SHORT_MSG_GATEWAY, 3),
                op::SRI_FOR_SM,
                &sri_sm_arg("447700900123"),
            ),
        ));
        v.push(Frame::at(
            ts + 0.1,
            udp(
                SGW,
                PGW,
                GTPC,
                GTPC,
                &create_session_request(0x2000 + i as u32, "234150123456789"),
            ),
        ));
        v.push(Frame::at(
            ts + 0.2,
            udp(SGW, PGW, GTPU, GTPU, &gpdu(0x1001, user_dns_packet())),
        ));
    }
    v
}

// ------------------------------------------------------------------ GTP families (issue 9)

/// GTP' port.
pub const GTP_PRIME: u16 = 3386;
/// GTPDOOR's default key.
pub const GTPDOOR_DEFAULT_KEY: u32 = 135_798_642;

/// How a GTPDOOR magic packet's GTP header is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoorHeader {
    /// GTPv1, 8-octet header (flags 0x30: no sequence number), as the implant sends.
    V1Short,
    /// GTPv1 with the S flag (12-octet header): the frame stays at its fixed offsets.
    V1Seq,
    /// GTPv2 without TEID (8 octets).
    V2,
}

/// A GTPDOOR magic packet (haxrob's layout): a GTP Echo `msg_type` header, 9 filler octets,
/// the little-endian `key`, the command type, its 2-octet length (little-endian), the
/// encrypted command; the GTP length correct, or `length_delta` octets off.
pub fn gtpdoor_magic(
    header: DoorHeader,
    msg_type: u8,
    key: u32,
    command: u8,
    cmd: &[u8],
    filler: [u8; 9],
    length_delta: i32,
) -> Vec<u8> {
    let mut d = match header {
        DoorHeader::V1Short => vec![0x30, msg_type, 0, 0, 0, 0, 0, 0],
        DoorHeader::V1Seq => vec![0x32, msg_type, 0, 0, 0, 0, 0, 0],
        DoorHeader::V2 => vec![0x40, msg_type, 0, 0, 0, 0x12, 0x34, 0],
    };
    // the frame is read at fixed offsets of the payload: 9 filler octets from offset 8
    d.truncate(8);
    d.extend_from_slice(&filler);
    d.extend_from_slice(&key.to_le_bytes());
    d.push(command);
    d.extend_from_slice(&(cmd.len() as u16).to_le_bytes());
    d.extend_from_slice(cmd);
    let len = (d.len() as i32 - 4 + if header == DoorHeader::V2 { 0 } else { -4 }) + length_delta;
    d[2..4].copy_from_slice(&(len.clamp(0, 0xffff) as u16).to_be_bytes());
    d
}

/// The Internet checksum (RFC 1071) of the concatenated parts.
pub fn inet_checksum(parts: &[&[u8]]) -> u16 {
    let bytes: Vec<u8> = parts.concat();
    let mut sum: u32 = bytes
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Ethernet/IPv4/TCP frame with the given flags (`syn`, `ack`, `rst`, `urg`), urgent pointer
/// and, when `options`, one MSS option; the checksum is right.
#[allow(clippy::too_many_arguments)]
pub fn tcp_segment(
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    (syn, ack, rst, urg): (bool, bool, bool, bool),
    urgent_pointer: u16,
    options: bool,
    payload: &[u8],
) -> Vec<u8> {
    let hlen: u8 = if options { 24 } else { 20 };
    let flags = u8::from(urg) << 5 | u8::from(ack) << 4 | u8::from(rst) << 2 | u8::from(syn) << 1;
    let mut t = Vec::new();
    t.extend_from_slice(&sport.to_be_bytes());
    t.extend_from_slice(&dport.to_be_bytes());
    t.extend_from_slice(&0x1000_0001u32.to_be_bytes());
    t.extend_from_slice(&(if ack { 0x2000_0002u32 } else { 0 }).to_be_bytes());
    t.extend_from_slice(&[(hlen / 4) << 4, flags, 0, 0, 0, 0]);
    t.extend_from_slice(&urgent_pointer.to_be_bytes());
    if options {
        t.extend_from_slice(&[2, 4, 0x05, 0xb4]);
    }
    t.extend_from_slice(payload);
    let len = (t.len() as u16).to_be_bytes();
    let pseudo = [&src[..], &dst[..], &[0, 6], &len[..]].concat();
    let c = inet_checksum(&[&pseudo, &t]);
    t[16..18].copy_from_slice(&c.to_be_bytes());
    let f = ethernet_ipv4(src, dst, 6, &t);
    assert!(!f.is_empty(), "TCP segment too large for a frame");
    f
}

/// An IPv4 ICMP echo request (what a G-PDU carries).
pub fn icmpv4_echo(src: [u8; 4], dst: [u8; 4], seq: u16, payload: &[u8]) -> Vec<u8> {
    icmpv4_echo_of(ICMP_ECHO_REQUEST, src, dst, seq, payload)
}

/// An IPv4 ICMP echo reply.
pub fn icmpv4_reply(src: [u8; 4], dst: [u8; 4], seq: u16, payload: &[u8]) -> Vec<u8> {
    icmpv4_echo_of(ICMP_ECHO_REPLY, src, dst, seq, payload)
}

const ICMP_ECHO_REQUEST: u8 = 8;
const ICMP_ECHO_REPLY: u8 = 0;

/// An IPv4 ICMP echo message of type `ty` (identifier 0x4242).
fn icmpv4_echo_of(ty: u8, src: [u8; 4], dst: [u8; 4], seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![ty, 0, 0, 0, 0x42, 0x42];
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(payload);
    let c = inet_checksum(&[&m]);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    ethernet_ipv4(src, dst, 1, &m)[14..].to_vec()
}

/// Linux (iputils, 64-bit) ping's payload of `n` octets: a 16-octet `struct timeval`, then
/// octets counting on from 0x10.
pub fn linux_ping_payload(n: usize, t: u64) -> Vec<u8> {
    let mut p = t.to_le_bytes().to_vec();
    p.extend_from_slice(&(t.wrapping_mul(7919) % 1_000_000).to_le_bytes());
    p.extend((16..n).map(|i| i as u8));
    p.truncate(n);
    p
}

/// An IPv6 ICMPv6 echo request.
pub fn icmpv6_echo(src: [u8; 16], dst: [u8; 16], seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![128, 0, 0, 0, 0x42, 0x42];
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(payload);
    let len = (m.len() as u32).to_be_bytes();
    let pseudo = [&src[..], &dst[..], &len[..], &[0, 0, 0, 58]].concat();
    let c = inet_checksum(&[&pseudo, &m]);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    let mut ip = vec![0x60, 0, 0, 0];
    ip.extend_from_slice(&(m.len() as u16).to_be_bytes());
    ip.extend_from_slice(&[58, 64]);
    ip.extend_from_slice(&src);
    ip.extend_from_slice(&dst);
    ip.extend(m);
    ip
}

/// Unix ping's payload of `n` octets: 8 octets of time, then incrementing octets.
pub fn ping_payload(n: usize, t: u32) -> Vec<u8> {
    let mut p = t.to_le_bytes().to_vec();
    p.extend_from_slice(&[0, 0, 0, 0]);
    p.extend((8..n).map(|i| i as u8));
    p.truncate(n);
    p
}

/// A DNS query for `name` of type `qtype`.
pub fn dns_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut d = id.to_be_bytes().to_vec();
    d.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    dns_name(&mut d, name);
    d.extend_from_slice(&qtype.to_be_bytes());
    d.extend_from_slice(&[0, 1]);
    d
}

fn dns_name(d: &mut Vec<u8>, name: &str) {
    for l in name.split('.').filter(|l| !l.is_empty()) {
        d.push(l.len() as u8);
        d.extend_from_slice(l.as_bytes());
    }
    d.push(0);
}

/// A DNS response to `name` / `qtype` with one answer (name compressed to the question)
/// of type `rtype`, `ttl` and `rdata`.
pub fn dns_response(
    id: u16,
    name: &str,
    qtype: u16,
    rtype: u16,
    ttl: u32,
    rdata: &[u8],
) -> Vec<u8> {
    let mut d = id.to_be_bytes().to_vec();
    d.extend_from_slice(&[0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    dns_name(&mut d, name);
    d.extend_from_slice(&qtype.to_be_bytes());
    d.extend_from_slice(&[0, 1, 0xc0, 12]);
    d.extend_from_slice(&rtype.to_be_bytes());
    d.extend_from_slice(&[0, 1]);
    d.extend_from_slice(&ttl.to_be_bytes());
    d.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    d.extend_from_slice(rdata);
    d
}

/// A TXT record's data: one character-string.
pub fn txt_rdata(s: &str) -> Vec<u8> {
    let mut v = vec![s.len() as u8];
    v.extend_from_slice(s.as_bytes());
    v
}

/// RFC 4648 base32 (lower case, no padding) of `data`.
pub fn base32(data: &[u8]) -> String {
    const A: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in data {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(A[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(A[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Lower-case hex of `data`.
pub fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// URL-safe base64 (no padding) of `data`.
pub fn base64url(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = c.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) << (8 * (3 - c.len()));
        for i in 0..=c.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// `s` cut into DNS labels of at most `max` characters, joined by dots.
pub fn labels(s: &str, max: usize) -> String {
    s.as_bytes()
        .chunks(max)
        .map(|c| std::str::from_utf8(c).expect("ASCII"))
        .collect::<Vec<_>>()
        .join(".")
}

/// GTPv1 Create PDP Context Request: IMSI, Recovery, TEID data I, NSAPI, End User Address,
/// APN, PCO (PAP `user` / `password`), two GSN addresses, MSISDN, QoS.
pub fn create_pdp_request(
    seq: u16,
    imsi: &str,
    msisdn: &str,
    pap: (&str, &str),
    gsn: [u8; 4],
) -> Vec<u8> {
    create_pdp_request_split(seq, imsi, msisdn, pap, gsn, gsn)
}

/// [`create_pdp_request`] naming `signalling` as the SGSN's address for signalling and
/// `user` as its address for user traffic (TS 29.060 7.3.1: the two GSN Address IEs).
pub fn create_pdp_request_split(
    seq: u16,
    imsi: &str,
    msisdn: &str,
    pap: (&str, &str),
    signalling: [u8; 4],
    user: [u8; 4],
) -> Vec<u8> {
    let (user_name, pass) = pap;
    let user_ip = user;
    let user = user_name;
    // PCO: config protocol 0x80, PAP (0xc023) Authenticate-Request
    let mut pap_msg = vec![1, 0, 0, 0, user.len() as u8];
    pap_msg.extend_from_slice(user.as_bytes());
    pap_msg.push(pass.len() as u8);
    pap_msg.extend_from_slice(pass.as_bytes());
    let l = pap_msg.len() as u16;
    pap_msg[2..4].copy_from_slice(&l.to_be_bytes());
    let mut pco = vec![0x80, 0xc0, 0x23, pap_msg.len() as u8];
    pco.extend(pap_msg);
    let mut msisdn_v = vec![0x91];
    msisdn_v.extend(encode_tbcd(msisdn).expect("digits"));
    gtp_v1(
        16,
        0,
        Some(seq),
        vec![
            v1_ie(2, encode_tbcd(imsi).expect("digits")),
            v1_ie(14, vec![0]),
            v1_ie(16, vec![0, 0, 0, 1]),
            v1_ie(20, vec![5]),
            v1_ie(128, vec![0xf1, 0x21]),
            v1_ie(131, b"\x08internet".to_vec()),
            v1_ie(132, pco),
            v1_ie(133, signalling.to_vec()),
            v1_ie(133, user_ip.to_vec()),
            v1_ie(134, msisdn_v),
            v1_ie(135, vec![1, 0x23, 0x92, 0x1f]),
        ],
    )
}

/// GTP' (version 2, 6-octet header) Data Record Transfer Request carrying `records` octets of
/// CDR data (Packet Transfer Command "send data record packet", Data Record Packet).
pub fn gtp_prime_drt(seq: u16, records: &[u8]) -> Vec<u8> {
    let mut body = vec![126, 1, 252];
    let mut drp = vec![1, 1, 0x13]; // one record, format 1, version
    drp.extend_from_slice(&(records.len() as u16).to_be_bytes());
    drp.extend_from_slice(records);
    body.extend_from_slice(&(drp.len() as u16).to_be_bytes());
    body.extend(drp);
    let mut d = vec![0x4e, 240];
    d.extend_from_slice(&(body.len() as u16).to_be_bytes());
    d.extend_from_slice(&seq.to_be_bytes());
    d.extend(body);
    d
}

/// A DNS query whose name is given as raw labels (any octets, as iodine's base128 sends).
pub fn dns_query_raw(id: u16, labels: &[&[u8]], qtype: u16) -> Vec<u8> {
    let mut d = id.to_be_bytes().to_vec();
    d.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for l in labels {
        d.push(l.len() as u8);
        d.extend_from_slice(l);
    }
    d.push(0);
    d.extend_from_slice(&qtype.to_be_bytes());
    d.extend_from_slice(&[0, 1]);
    d
}
