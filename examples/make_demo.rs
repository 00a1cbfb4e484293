//! Writes testdata/demo.pcap, the capture `sigscope` decodes when given no file.
//!
//! Every byte is made with the project's own emitters (SCTP, M3UA, SCCP, GTPv1/v2, pcap) and
//! BER written with `sigscope_core::ber`: an M3UA association coming up, a MAP SMS routing
//! enquiry and its answer, a location enquiry (anyTimeInterrogation) from a foreign global
//! title, a USSD request, GTPv2 echoes (one carrying an IE an Echo never carries, the GTPDOOR
//! pattern), a Create Session Request and a GTP-U packet.
//!
//! Run: `cargo run --example make_demo` (from the workspace root).

use sigscope::capture::reader::linktype;
use sigscope::capture::writer::{ethernet_ipv4, ethernet_ipv4_udp, PcapWriter};
use sigscope::core::ber::{write_tlv, Class, Tag};
use sigscope::core::digits::encode_tbcd;
use sigscope::core::gsm7;
use sigscope::gtp::{v1, v2};
use sigscope::sccp::address::{AddressRepr, GtRepr};
use sigscope::sccp::types::{MessageType, ProtocolClass};
use sigscope::sccp::{PcFormat, UnitdataRepr};
use sigscope::sigtran::common::emit_message;
use sigscope::sigtran::m3ua::DataRepr;
use sigscope::sigtran::sctp::{DataChunkRepr, SctpRepr};

const STP: [u8; 4] = [192, 0, 2, 10];
const HLR_SG: [u8; 4] = [192, 0, 2, 20];
const FOREIGN: [u8; 4] = [198, 51, 100, 7];
const SGW: [u8; 4] = [203, 0, 113, 5];
const PGW: [u8; 4] = [203, 0, 113, 9];

fn tlv(tag: Tag, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    write_tlv(&mut out, tag, &parts.concat());
    out
}

fn app(n: u32, cons: bool) -> Tag {
    Tag::new(Class::Application, cons, n)
}

/// ISDN-AddressString: nature/plan octet 0x91 (international, E.164) + TBCD digits.
fn isdn(digits: &str) -> Vec<u8> {
    let mut v = vec![0x91];
    v.extend(encode_tbcd(digits).unwrap_or_default());
    v
}

/// TCAP Begin with an AARQ for `acn` (last two arcs) and one Invoke.
fn tcap_begin(otid: u32, ac: u8, version: u8, invoke_id: u8, opcode: u8, arg: &[u8]) -> Vec<u8> {
    let acn = tlv(Tag::OID, &[&[0x04, 0x00, 0x00, 0x01, 0x00, ac, version]]);
    let aarq = tlv(
        app(0, true),
        &[
            &tlv(Tag::ctx(0), &[&[0x07, 0x80]]),
            &tlv(Tag::ctx_cons(1), &[&acn]),
        ],
    );
    let external = tlv(
        Tag::EXTERNAL,
        &[
            &tlv(Tag::OID, &[&[0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01]]),
            &tlv(Tag::ctx_cons(0), &[&aarq]),
        ],
    );
    let invoke = tlv(
        Tag::ctx_cons(1),
        &[
            &tlv(Tag::INTEGER, &[&[invoke_id]]),
            &tlv(Tag::INTEGER, &[&[opcode]]),
            arg,
        ],
    );
    tlv(
        app(2, true),
        &[
            &tlv(app(8, false), &[&otid.to_be_bytes()]),
            &tlv(app(11, true), &[&external]),
            &tlv(app(12, true), &[&invoke]),
        ],
    )
}

/// TCAP End with an AARE (accepted) and one ReturnResultLast.
fn tcap_end(dtid: u32, ac: u8, version: u8, invoke_id: u8, opcode: u8, res: &[u8]) -> Vec<u8> {
    let acn = tlv(Tag::OID, &[&[0x04, 0x00, 0x00, 0x01, 0x00, ac, version]]);
    let aare = tlv(
        app(1, true),
        &[
            &tlv(Tag::ctx(0), &[&[0x07, 0x80]]),
            &tlv(Tag::ctx_cons(1), &[&acn]),
            &tlv(Tag::ctx_cons(2), &[&tlv(Tag::INTEGER, &[&[0]])]),
            &tlv(
                Tag::ctx_cons(3),
                &[&tlv(Tag::ctx_cons(1), &[&tlv(Tag::INTEGER, &[&[0]])])],
            ),
        ],
    );
    let external = tlv(
        Tag::EXTERNAL,
        &[
            &tlv(Tag::OID, &[&[0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01]]),
            &tlv(Tag::ctx_cons(0), &[&aare]),
        ],
    );
    let rr = tlv(
        Tag::ctx_cons(2),
        &[
            &tlv(Tag::INTEGER, &[&[invoke_id]]),
            &tlv(Tag::SEQUENCE, &[&tlv(Tag::INTEGER, &[&[opcode]]), res]),
        ],
    );
    tlv(
        app(4, true),
        &[
            &tlv(app(9, false), &[&dtid.to_be_bytes()]),
            &tlv(app(11, true), &[&external]),
            &tlv(app(12, true), &[&rr]),
        ],
    )
}

fn gt_address(digits: &str, ssn: u8) -> AddressRepr {
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

fn sccp_udt(called: AddressRepr, calling: AddressRepr, data: Vec<u8>) -> Vec<u8> {
    let r = UnitdataRepr {
        msg_type: MessageType::UDT,
        protocol_class: ProtocolClass(0x80),
        called,
        calling,
        data,
        ..UnitdataRepr::default()
    };
    r.emit(PcFormat::Itu14).unwrap_or_default()
}

struct Sigtran {
    tsn: u32,
    ssn: u16,
}

impl Sigtran {
    fn frame(&mut self, src: [u8; 4], dst: [u8; 4], m3ua: Vec<u8>) -> Vec<u8> {
        self.tsn += 1;
        self.ssn += 1;
        let sctp = SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 0x5167_5c0e,
            chunks: vec![DataChunkRepr {
                flags: 3,
                tsn: self.tsn,
                stream: 1,
                ssn: self.ssn,
                ppid: 3,
                payload: m3ua,
            }],
        }
        .emit()
        .expect("fits an SCTP packet");
        ethernet_ipv4(src, dst, 132, &sctp)
    }

    fn data(&mut self, src: [u8; 4], dst: [u8; 4], opc: u32, dpc: u32, sccp: Vec<u8>) -> Vec<u8> {
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
            user_data: sccp,
        }
        .emit(&mut m)
        .expect("fits an M3UA parameter");
        self.frame(src, dst, m)
    }
}

fn gtp_v2(msg_type: u8, teid: Option<u32>, seq: u32, ies: Vec<v2::IeRepr>) -> Vec<u8> {
    let mut out = Vec::new();
    let r = v2::V2Repr {
        msg_type,
        teid,
        seq,
        priority: None,
        ies,
        piggybacked: None,
    };
    if r.emit(&mut out).is_err() {
        out.clear();
    }
    out
}

fn main() {
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    let mut t: u64 = 1_764_000_000_000_000_000;
    let mut tick = |w: &mut PcapWriter, frame: &[u8]| {
        t += 150_000_000;
        w.packet(t, frame);
    };
    let mut s = Sigtran { tsn: 1000, ssn: 0 };

    // M3UA association: ASPUP / ASPUP_ACK.
    let mut aspup = Vec::new();
    emit_message(3, 1, &[], &mut aspup).expect("fits");
    tick(&mut w, &s.frame(STP, HLR_SG, aspup));
    let mut ack = Vec::new();
    emit_message(3, 4, &[], &mut ack).expect("fits");
    tick(&mut w, &s.frame(HLR_SG, STP, ack));

    // MAP sendRoutingInfoForSM (45, shortMsgGatewayContext v3) from an SMSC, and the answer.
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::ctx(0), &[&isdn("447700900123")]),
            &tlv(Tag::ctx(1), &[&[0xff]]),
            &tlv(Tag::ctx(2), &[&isdn("447700900001")]),
        ],
    );
    let begin = tcap_begin(0x0a0b_0c0d, 20, 3, 1, 45, &arg);
    let udt = sccp_udt(
        gt_address("447700900123", 6),
        gt_address("447700900001", 8),
        begin,
    );
    tick(&mut w, &s.data(STP, HLR_SG, 1201, 2201, udt));
    let res = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(
                Tag::OCTET_STRING,
                &[&encode_tbcd("234150123456789").unwrap_or_default()],
            ),
            &tlv(
                Tag::ctx_cons(0),
                &[&tlv(Tag::ctx(1), &[&isdn("447700900500")])],
            ),
        ],
    );
    let end = tcap_end(0x0a0b_0c0d, 20, 3, 1, 45, &res);
    let udt = sccp_udt(
        gt_address("447700900001", 8),
        gt_address("447700900123", 6),
        end,
    );
    tick(&mut w, &s.data(HLR_SG, STP, 2201, 1201, udt));

    // anyTimeInterrogation (71, anyTimeInfoEnquiryContext v3) from a foreign global title:
    // location and subscriber state of a home subscriber (a location-tracking pattern).
    let requested = tlv(
        Tag::ctx_cons(1),
        &[&tlv(Tag::ctx(0), &[]), &tlv(Tag::ctx(1), &[])],
    );
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(
                Tag::ctx_cons(0),
                &[&tlv(Tag::ctx(1), &[&isdn("447700900123")])],
            ),
            &requested,
            &tlv(Tag::ctx(3), &[&isdn("85290001234")]),
        ],
    );
    let begin = tcap_begin(0x7700_0001, 29, 3, 1, 71, &arg);
    let udt = sccp_udt(
        gt_address("447700900001", 6),
        gt_address("85290001234", 147),
        begin,
    );
    tick(&mut w, &s.data(FOREIGN, HLR_SG, 3301, 2201, udt));

    // processUnstructuredSS-Request (59, networkUnstructuredSsContext v2): USSD "*100#".
    let ussd = gsm7::pack_ussd("*100#").unwrap_or_default();
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::OCTET_STRING, &[&[0x0f]]),
            &tlv(Tag::OCTET_STRING, &[&ussd]),
            &tlv(Tag::ctx(0), &[&isdn("447700900123")]),
        ],
    );
    let begin = tcap_begin(0x0000_1234, 19, 2, 1, 59, &arg);
    let udt = sccp_udt(
        gt_address("447700900001", 6),
        gt_address("447700900200", 8),
        begin,
    );
    tick(&mut w, &s.data(STP, HLR_SG, 1201, 2201, udt));

    // mt-forwardSM (44, shortMsgMT-RelayContext v3): an SMS-DELIVER in GSM 7-bit to an IMSI.
    tick(&mut w, &s.data(STP, HLR_SG, 1201, 2201, mt_forward_sm()));

    // GTPv2-C: Echo Request / Response (Recovery only), then an Echo that carries an IMSI IE
    // holding text: what a GTPDOOR-style implant hides in an Echo.
    let rec = |n: u8| v2::IeRepr::raw(3, 0, vec![n]);
    tick(
        &mut w,
        &ethernet_ipv4_udp(SGW, PGW, 2123, 2123, &gtp_v2(1, None, 0x10, vec![rec(7)])),
    );
    tick(
        &mut w,
        &ethernet_ipv4_udp(PGW, SGW, 2123, 2123, &gtp_v2(2, None, 0x10, vec![rec(3)])),
    );
    tick(
        &mut w,
        &ethernet_ipv4_udp(
            FOREIGN,
            PGW,
            41123,
            2123,
            &gtp_v2(
                1,
                None,
                0x11,
                vec![rec(7), v2::IeRepr::raw(1, 0, b"d2hvYW1pOyBpZA==".to_vec())],
            ),
        ),
    );

    // GTPv2-C Create Session Request: IMSI, MSISDN, RAT type, APN.
    let csr = gtp_v2(
        32,
        Some(0),
        0x2001,
        vec![
            v2::IeRepr::raw(1, 0, encode_tbcd("234150123456789").unwrap_or_default()),
            v2::IeRepr::raw(76, 0, encode_tbcd("447700900123").unwrap_or_default()),
            v2::IeRepr::raw(82, 0, vec![6]),
            v2::IeRepr::raw(71, 0, b"\x08internet".to_vec()),
            v2::IeRepr::raw(
                87,
                0,
                vec![0x8a, 0, 0, 0x10, 0x01, SGW[0], SGW[1], SGW[2], SGW[3]],
            ),
            // Bearer Contexts to be Created: EBI 5 and Bearer QoS (QCI 9).
            v2::IeRepr {
                ie_type: 93,
                instance: 0,
                value: v2::IeValueRepr::Grouped(vec![
                    v2::IeRepr::raw(73, 0, vec![5]),
                    v2::IeRepr::raw(
                        80,
                        0,
                        vec![
                            0x49, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        ],
                    ),
                ]),
            },
        ],
    );
    tick(&mut w, &ethernet_ipv4_udp(SGW, PGW, 2123, 2123, &csr));

    // GTP-U G-PDU carrying a small IPv4/UDP packet.
    let mut inner = Vec::new();
    let b = etherparse_inner(&mut inner);
    if b {
        let mut out = Vec::new();
        let r = v1::V1Repr {
            msg_type: 255,
            teid: 0x0000_1001,
            seq: None,
            npdu: None,
            ext_headers: Vec::new(),
            body: v1::BodyRepr::Payload(inner),
        };
        if r.emit(&mut out).is_ok() {
            tick(&mut w, &ethernet_ipv4_udp(SGW, PGW, 2152, 2152, &out));
        }
    }

    // Two covert channels, for `sigscope detect`: a USSD string that carries a base64 command
    // ("id;uname -a;cat /etc/passwd") instead of a service code ...
    let ussd = gsm7::pack_ussd("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk").unwrap_or_default();
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::OCTET_STRING, &[&[0x0f]]),
            &tlv(Tag::OCTET_STRING, &[&ussd]),
            &tlv(Tag::ctx(0), &[&isdn("447700900123")]),
        ],
    );
    let begin = tcap_begin(0x0000_1235, 19, 2, 1, 59, &arg);
    let udt = sccp_udt(
        gt_address("447700900001", 6),
        gt_address("447700900200", 8),
        begin,
    );
    tick(&mut w, &s.data(STP, HLR_SG, 1201, 2201, udt));

    // ... and a GTPv1-C Echo Request whose Private Extension holds 48 bytes that look
    // encrypted (a GTPDOOR-style command), from outside the operator's GTP peers.
    let mut x: u32 = 0x9e37_79b9;
    let mut blob = vec![0x00, 0x2a]; // enterprise id 42
    for _ in 0..48 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        blob.push((x >> 24) as u8);
    }
    let echo = v1::V1Repr {
        msg_type: 1,
        teid: 0,
        seq: Some(0x0042),
        npdu: None,
        ext_headers: Vec::new(),
        body: v1::BodyRepr::Ies(vec![
            v1::IeRepr {
                ie_type: 14,
                value: vec![1],
            },
            v1::IeRepr {
                ie_type: 255,
                value: blob,
            },
        ]),
    };
    let mut out = Vec::new();
    if echo.emit(&mut out).is_ok() {
        tick(&mut w, &ethernet_ipv4_udp(FOREIGN, PGW, 2123, 2123, &out));
    }

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo.pcap");
    match std::fs::write(&path, w.into_bytes()) {
        Ok(()) => println!("wrote {}", path.display()),
        Err(e) => eprintln!("cannot write {}: {e}", path.display()),
    }
}

/// SCCP UDT + TCAP Begin + MT-ForwardSM whose SM-RP-UI is an SMS-DELIVER (TS 23.040 §9.2.2.1)
/// built field by field: first octet, originating address, PID, DCS, SCTS, UDL, packed text.
fn mt_forward_sm() -> Vec<u8> {
    let text = "Your code is 4821";
    let septets = gsm7::encode_septets(text).unwrap_or_default();
    let mut tpdu = vec![0x04]; // SMS-DELIVER, more-messages-to-send = no
    let oa = "447700900999";
    tpdu.push(oa.len() as u8);
    tpdu.push(0x91);
    tpdu.extend(encode_tbcd(oa).unwrap_or_default());
    tpdu.extend_from_slice(&[0x00, 0x00]); // PID, DCS (GSM 7-bit)
    tpdu.extend_from_slice(&[0x52, 0x11, 0x52, 0x01, 0x00, 0x00, 0x00]); // SCTS 2025-11-25 10:00:00 +0
    tpdu.push(septets.len() as u8);
    tpdu.extend(gsm7::pack_septets(&septets, 0));
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(
                Tag::ctx(0),
                &[&encode_tbcd("234150123456789").unwrap_or_default()],
            ),
            &tlv(Tag::ctx(4), &[&isdn("447700900001")]),
            &tlv(Tag::OCTET_STRING, &[&tpdu]),
        ],
    );
    let begin = tcap_begin(0x0000_5eed, 25, 3, 1, 44, &arg);
    sccp_udt(
        gt_address("447700900500", 8),
        gt_address("447700900001", 8),
        begin,
    )
}

/// An IPv4/UDP DNS-sized packet for the G-PDU (IPv4 header built by hand: 20 bytes, checksum 0).
fn etherparse_inner(out: &mut Vec<u8>) -> bool {
    let payload = [0u8; 12];
    let total = (20 + 8 + payload.len()) as u16;
    out.extend_from_slice(&[
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        1,
        0,
        0,
        64,
        17,
        0,
        0,
    ]);
    out.extend_from_slice(&[10, 45, 0, 2, 8, 8, 8, 8]);
    let ulen = (8 + payload.len()) as u16;
    out.extend_from_slice(&[0xc0, 0x01, 0, 53, (ulen >> 8) as u8, ulen as u8, 0, 0]);
    out.extend_from_slice(&payload);
    true
}
