//! Writes a large mixed SIGTRAN + GTP capture for benchmarks (`benches/vs_tshark.sh`, section
//! "mixed"): about 60% of the frames are Ethernet/IPv4/SCTP/M3UA DATA/SCCP UDT/TCAP/MAP between
//! the signalling gateways of five mobile networks (roaming and SMS traffic: SRI-SM + MT-ForwardSM
//! with SMS-DELIVER text, MO-ForwardSM, UpdateLocation with InsertSubscriberData,
//! SendAuthenticationInfo, USSD, and a few AnyTimeInterrogation from a foreign GT), about 40%
//! GTP (GTPv2-C Create/Delete Session and Echo, GTPv1-C Create/Delete PDP Context and Echo,
//! GTP-U G-PDUs carrying DNS over IPv4/UDP for the sessions created).
//!
//! Every byte is made with the project's own emitters, as in `make_demo.rs`; the output is
//! deterministic (an xorshift PRNG with a constant seed). Dialogues and GTP transactions are
//! interleaved (answers follow their request a few frames later), timestamps increase by about
//! 1 ms per frame, and tens of thousands of subscribers (IMSI, MSISDN) take part.
//!
//! Run: `cargo run --release --example make_mixed -- OUT.pcap [FRAMES]` (default 200000).

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;

use sigscope::capture::reader::linktype;
use sigscope::capture::writer::{ethernet_ipv4, ethernet_ipv4_udp, PcapWriter};
use sigscope::core::ber::{write_tlv, Class, Tag};
use sigscope::core::digits::encode_tbcd;
use sigscope::core::gsm7;
use sigscope::gtp::{v1, v2};
use sigscope::sccp::address::{AddressRepr, GtRepr};
use sigscope::sccp::types::{MessageType, ProtocolClass};
use sigscope::sccp::{PcFormat, UnitdataRepr};
use sigscope::sigtran::m3ua::DataRepr;
use sigscope::sigtran::sctp::{DataChunkRepr, SctpRepr};

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// xorshift64* with a constant seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        (self.next() >> 11) % n.max(1)
    }
    fn u32(&mut self) -> u32 {
        (self.next() >> 32) as u32
    }
    fn nonzero_u32(&mut self) -> u32 {
        self.u32().max(1)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 56) as u8).collect()
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    /// Index chosen by weight.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut r = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// The networks

struct Net {
    mcc: &'static str,
    mnc: &'static str,
    /// Country code + national destination code of its global titles (node number follows).
    gt_prefix: &'static str,
    /// First digits of its subscribers' MSISDNs, and how many digits follow.
    msisdn_prefix: &'static str,
    msisdn_digits: u32,
    /// Country code (E.214 mobile global titles: CC + NDC + MSIN).
    cc_ndc: &'static str,
    /// ITU 14-bit point code of its international gateway.
    pc: u32,
    apn: &'static str,
}

const NETS: [Net; 5] = [
    Net {
        mcc: "234",
        mnc: "15",
        gt_prefix: "4477009000",
        msisdn_prefix: "447700",
        msisdn_digits: 6,
        cc_ndc: "447700",
        pc: 2201,
        apn: "internet",
    },
    Net {
        mcc: "262",
        mnc: "01",
        gt_prefix: "4917100000",
        msisdn_prefix: "49151",
        msisdn_digits: 8,
        cc_ndc: "49171",
        pc: 3301,
        apn: "internet.t-d1.de",
    },
    Net {
        mcc: "460",
        mnc: "00",
        gt_prefix: "8613800000",
        msisdn_prefix: "86138",
        msisdn_digits: 8,
        cc_ndc: "86139",
        pc: 4401,
        apn: "cmnet",
    },
    Net {
        mcc: "208",
        mnc: "01",
        gt_prefix: "3360900000",
        msisdn_prefix: "336",
        msisdn_digits: 8,
        cc_ndc: "33689",
        pc: 5501,
        apn: "orange.fr",
    },
    Net {
        mcc: "310",
        mnc: "260",
        gt_prefix: "1206555000",
        msisdn_prefix: "1206",
        msisdn_digits: 7,
        cc_ndc: "1206",
        pc: 6601,
        apn: "fast.t-mobile.com",
    },
];

/// The foreign node that sends AnyTimeInterrogation (not one of the five networks).
const FOREIGN: usize = NETS.len();
const FOREIGN_GT: &str = "85290001234";
const FOREIGN_PC: u32 = 7701;

// node numbers appended to a network's GT prefix
const HLR: &str = "01";
const VLR: &str = "10";
const MSC: &str = "11";
const SMSC: &str = "20";

// SCCP subsystems
const SSN_HLR: u8 = 6;
const SSN_VLR: u8 = 7;
const SSN_MSC: u8 = 8;
const SSN_GSMSCF: u8 = 147;

fn gt(net: usize, node: &str) -> String {
    format!("{}{node}", NETS[net].gt_prefix)
}

/// Signalling gateway (M3UA) address of a network; 198.51.100.7 for the foreign node.
fn sg_ip(net: usize) -> [u8; 4] {
    if net == FOREIGN {
        [198, 51, 100, 7]
    } else {
        [10, net as u8 + 1, 0, 1]
    }
}

fn pc(net: usize) -> u32 {
    if net == FOREIGN {
        FOREIGN_PC
    } else {
        NETS[net].pc
    }
}

/// GTP nodes: role 1 SGW, 2 PGW, 3 SGSN, 4 GGSN; two of each per network.
fn gtp_ip(net: usize, role: u8, k: u8) -> [u8; 4] {
    [10, net as u8 + 1, role, 1 + (k & 1)]
}

fn plmn(net: usize) -> [u8; 3] {
    let n = &NETS[net];
    let d = |s: &str, i: usize| s.as_bytes().get(i).map_or(0x0f, |c| c - b'0');
    [
        (d(n.mcc, 1) << 4) | d(n.mcc, 0),
        (d(n.mnc, 2) << 4) | d(n.mcc, 2),
        (d(n.mnc, 1) << 4) | d(n.mnc, 0),
    ]
}

// ---------------------------------------------------------------------------------------------
// Subscribers (derived from their index: nothing stored)

struct Sub {
    imsi: String,
    msisdn: String,
    imeisv: String,
    home: usize,
    visited: usize,
}

fn subscriber(i: u64) -> Sub {
    let home = (i % NETS.len() as u64) as usize;
    let n = &NETS[home];
    // i -> MSIN is a bijection on 0..10^k (multiplier coprime with 10): IMSIs are distinct
    let msin_len = 15 - n.mcc.len() - n.mnc.len();
    let m = 10u64.pow(msin_len as u32);
    let msin = (i.wrapping_mul(7_919_357) + 1_234_567) % m;
    let mm = 10u64.pow(n.msisdn_digits);
    let num = (i.wrapping_mul(7_919) + 104_729) % mm;
    // every subscriber is roaming: visited network differs from home
    let visited = (home + 1 + ((i / 5) % 4) as usize) % NETS.len();
    Sub {
        imsi: format!("{}{}{msin:0w$}", n.mcc, n.mnc, w = msin_len),
        msisdn: format!("{}{num:0w$}", n.msisdn_prefix, w = n.msisdn_digits as usize),
        imeisv: format!("35{:012}{:02}", (i * 48_271) % 1_000_000_000_000, i % 97),
        home,
        visited,
    }
}

impl Sub {
    /// E.214 mobile global title: CC + NDC of the home network, then the MSIN.
    fn mgt(&self) -> String {
        let n = &NETS[self.home];
        let mut g = format!("{}{}", n.cc_ndc, &self.imsi[n.mcc.len() + n.mnc.len()..]);
        g.truncate(15); // E.214: at most 15 digits, the MSIN truncated
        g
    }
}

// ---------------------------------------------------------------------------------------------
// BER, TCAP and MAP (after make_demo.rs)

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

fn tbcd(digits: &str) -> Vec<u8> {
    encode_tbcd(digits).unwrap_or_default()
}

fn int(n: u8) -> Vec<u8> {
    tlv(Tag::INTEGER, &[&[n]])
}

fn acn(ac: u8, version: u8) -> Vec<u8> {
    tlv(Tag::OID, &[&[0x04, 0x00, 0x00, 0x01, 0x00, ac, version]])
}

/// Dialogue portion: EXTERNAL (dialogue-as-id) around an AARQ or AARE.
fn dialogue(pdu: &[u8]) -> Vec<u8> {
    let external = tlv(
        Tag::EXTERNAL,
        &[
            &tlv(Tag::OID, &[&[0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01]]),
            &tlv(Tag::ctx_cons(0), &[pdu]),
        ],
    );
    tlv(app(11, true), &[&external])
}

fn aarq(ac: u8, version: u8) -> Vec<u8> {
    dialogue(&tlv(
        app(0, true),
        &[
            &tlv(Tag::ctx(0), &[&[0x07, 0x80]]),
            &tlv(Tag::ctx_cons(1), &[&acn(ac, version)]),
        ],
    ))
}

/// AARE: accepted, dialogue-service-user null.
fn aare(ac: u8, version: u8) -> Vec<u8> {
    dialogue(&tlv(
        app(1, true),
        &[
            &tlv(Tag::ctx(0), &[&[0x07, 0x80]]),
            &tlv(Tag::ctx_cons(1), &[&acn(ac, version)]),
            &tlv(Tag::ctx_cons(2), &[&int(0)]),
            &tlv(Tag::ctx_cons(3), &[&tlv(Tag::ctx_cons(1), &[&int(0)])]),
        ],
    ))
}

fn invoke(invoke_id: u8, opcode: u8, arg: &[u8]) -> Vec<u8> {
    let comp = tlv(Tag::ctx_cons(1), &[&int(invoke_id), &int(opcode), arg]);
    tlv(app(12, true), &[&comp])
}

/// ReturnResultLast; without a result, only the invoke id.
fn rrl(invoke_id: u8, opcode: u8, res: Option<&[u8]>) -> Vec<u8> {
    let comp = match res {
        Some(r) => tlv(
            Tag::ctx_cons(2),
            &[&int(invoke_id), &tlv(Tag::SEQUENCE, &[&int(opcode), r])],
        ),
        None => tlv(Tag::ctx_cons(2), &[&int(invoke_id)]),
    };
    tlv(app(12, true), &[&comp])
}

fn tcap_begin(otid: u32, dlg: &[u8], comps: &[u8]) -> Vec<u8> {
    tlv(
        app(2, true),
        &[&tlv(app(8, false), &[&otid.to_be_bytes()]), dlg, comps],
    )
}

fn tcap_continue(otid: u32, dtid: u32, dlg: &[u8], comps: &[u8]) -> Vec<u8> {
    tlv(
        app(5, true),
        &[
            &tlv(app(8, false), &[&otid.to_be_bytes()]),
            &tlv(app(9, false), &[&dtid.to_be_bytes()]),
            dlg,
            comps,
        ],
    )
}

fn tcap_end(dtid: u32, dlg: &[u8], comps: &[u8]) -> Vec<u8> {
    tlv(
        app(4, true),
        &[&tlv(app(9, false), &[&dtid.to_be_bytes()]), dlg, comps],
    )
}

fn gt_address(digits: &str, ssn: u8, np: u8) -> AddressRepr {
    AddressRepr {
        national: false,
        route_on_ssn: false,
        pc: None,
        ssn: Some(ssn),
        gt: Some(GtRepr {
            gti: 4,
            tt: 0,
            np,
            nai: 4,
            digits: digits.to_string(),
        }),
    }
}

fn e164(digits: &str, ssn: u8) -> AddressRepr {
    gt_address(digits, ssn, 1)
}

fn e214(digits: &str, ssn: u8) -> AddressRepr {
    gt_address(digits, ssn, 7)
}

fn sccp_udt(called: AddressRepr, calling: AddressRepr, class: u8, data: Vec<u8>) -> Vec<u8> {
    UnitdataRepr {
        msg_type: MessageType::UDT,
        protocol_class: ProtocolClass(0x80 | class),
        called,
        calling,
        data,
        ..UnitdataRepr::default()
    }
    .emit(PcFormat::Itu14)
    .unwrap_or_default()
}

/// Swapped-nibble BCD of two decimal digits (TP-SCTS).
fn sbcd(n: u64) -> u8 {
    let n = (n % 100) as u8;
    ((n % 10) << 4) | (n / 10)
}

/// TP-SCTS for `secs` seconds after 2025-11-24 16:00:00 UTC (the capture's start).
fn scts(secs: u64) -> [u8; 7] {
    let m = 16 * 60 + secs / 60;
    [
        sbcd(25),
        sbcd(11),
        sbcd(24 + m / (24 * 60)),
        sbcd((m / 60) % 24),
        sbcd(m % 60),
        sbcd(secs % 60),
        0x00,
    ]
}

fn address_field(digits: &str) -> Vec<u8> {
    let mut v = vec![digits.len() as u8, 0x91];
    v.extend(tbcd(digits));
    v
}

fn gsm7_ud(text: &str) -> Vec<u8> {
    let septets = gsm7::encode_septets(text).unwrap_or_default();
    let mut v = vec![septets.len() as u8];
    v.extend(gsm7::pack_septets(&septets, 0));
    v
}

/// SMS-DELIVER (TS 23.040 9.2.2.1), GSM 7-bit.
fn sms_deliver(oa: &str, text: &str, ts: [u8; 7]) -> Vec<u8> {
    let mut t = vec![0x04];
    t.extend(address_field(oa));
    t.extend_from_slice(&[0x00, 0x00]);
    t.extend_from_slice(&ts);
    t.extend(gsm7_ud(text));
    t
}

/// SMS-SUBMIT (TS 23.040 9.2.2.2), relative validity period, GSM 7-bit.
fn sms_submit(mr: u8, da: &str, text: &str) -> Vec<u8> {
    let mut t = vec![0x11, mr];
    t.extend(address_field(da));
    t.extend_from_slice(&[0x00, 0x00, 0xa7]);
    t.extend(gsm7_ud(text));
    t
}

const SMS_TEXTS: [&str; 10] = [
    "See you at 7pm at the station",
    "Running late, 10 min",
    "Can you call me back when you land?",
    "Welcome! Calls home cost 0.19 per minute. Data roaming is on.",
    "Happy birthday!!",
    "The meeting moved to room 4B",
    "ok",
    "Boarding now, talk tomorrow",
    "Your parcel will be delivered today between 10:00 and 12:00",
    "Did you get the tickets?",
];

const USSD_CODES: [&str; 5] = ["*100#", "*101#", "*123*1#", "*144#", "*135*2#"];

// ---------------------------------------------------------------------------------------------
// GTP

fn gtp_v2(msg_type: u8, teid: Option<u32>, seq: u32, ies: Vec<v2::IeRepr>) -> Vec<u8> {
    let mut out = Vec::new();
    let r = v2::V2Repr {
        msg_type,
        teid,
        seq: seq & 0x00ff_ffff,
        priority: None,
        ies,
        piggybacked: None,
    };
    if r.emit(&mut out).is_err() {
        out.clear();
    }
    out
}

fn gtp_v1(msg_type: u8, teid: u32, seq: Option<u16>, body: v1::BodyRepr) -> Vec<u8> {
    let mut out = Vec::new();
    let r = v1::V1Repr {
        msg_type,
        teid,
        seq,
        npdu: None,
        ext_headers: Vec::new(),
        body,
    };
    if r.emit(&mut out).is_err() {
        out.clear();
    }
    out
}

fn f_teid(instance: u8, interface_type: u8, teid: u32, ip: [u8; 4]) -> v2::IeRepr {
    v2::IeRepr::f_teid(
        instance,
        &v2::FTeid {
            interface_type,
            teid,
            ipv4: Some(Ipv4Addr::from(ip)),
            ipv6: None,
        },
    )
}

/// Bearer QoS (8.15): ARP, QCI, MBR/GBR uplink and downlink (5 octets each).
fn bearer_qos(qci: u8) -> v2::IeRepr {
    let mut v = vec![0x49, qci];
    v.extend_from_slice(&[0u8; 20]);
    v2::IeRepr::raw(80, 0, v)
}

const DNS_NAMES: [&str; 5] = [
    "www.example.com",
    "api.example.net",
    "mail.example.org",
    "cdn.example.com",
    "time.example.net",
];

/// A DNS query (uplink) or its answer (downlink) in IPv4/UDP, IPv4 checksum computed.
fn dns_packet(rng: &mut Rng, ue: [u8; 4], uplink: bool, id: u16, port: u16, name: &str) -> Vec<u8> {
    let mut dns = id.to_be_bytes().to_vec();
    dns.extend_from_slice(if uplink {
        &[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
    } else {
        &[0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]
    });
    for label in name.split('.') {
        dns.push(label.len() as u8);
        dns.extend_from_slice(label.as_bytes());
    }
    dns.extend_from_slice(&[0, 0, 1, 0, 1]);
    if !uplink {
        dns.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]);
        dns.extend_from_slice(&[93, 184, 216, 1 + rng.below(200) as u8]);
    }
    let resolver = [8, 8, 8, 8];
    let (src, dst, sport, dport) = if uplink {
        (ue, resolver, port, 53)
    } else {
        (resolver, ue, 53, port)
    };
    let total = (20 + 8 + dns.len()) as u16;
    let mut ip = vec![0x45, 0];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&(rng.below(65536) as u16).to_be_bytes());
    ip.extend_from_slice(&[0x40, 0, 64, 17, 0, 0]);
    ip.extend_from_slice(&src);
    ip.extend_from_slice(&dst);
    let mut sum: u32 = ip
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    let ck = !(sum as u16);
    ip[10..12].copy_from_slice(&ck.to_be_bytes());
    let ulen = (8 + dns.len()) as u16;
    ip.extend_from_slice(&sport.to_be_bytes());
    ip.extend_from_slice(&dport.to_be_bytes());
    ip.extend_from_slice(&ulen.to_be_bytes());
    ip.extend_from_slice(&[0, 0]);
    ip.extend(dns);
    ip
}

// ---------------------------------------------------------------------------------------------
// Messages waiting for their frame, and the frame writer

enum Msg {
    /// M3UA DATA carrying SCCP from one network's gateway to another's.
    Sigtran {
        src: usize,
        dst: usize,
        sls: u8,
        sccp: Vec<u8>,
    },
    Udp {
        src: [u8; 4],
        dst: [u8; 4],
        sport: u16,
        dport: u16,
        payload: Vec<u8>,
    },
}

/// SCTP state of one direction of an association.
#[derive(Default)]
struct Dir {
    tsn: u32,
    ssn: [u16; 4],
}

#[derive(Default)]
struct Framer {
    dirs: HashMap<(usize, usize), Dir>,
}

impl Framer {
    fn frame(&mut self, m: Msg) -> Vec<u8> {
        match m {
            Msg::Sigtran {
                src,
                dst,
                sls,
                sccp,
            } => {
                let mut m3ua = Vec::new();
                DataRepr {
                    network_appearance: None,
                    routing_context: Some(100 + dst as u32),
                    opc: pc(src),
                    dpc: pc(dst),
                    si: 3,
                    ni: 0,
                    mp: 0,
                    sls,
                    user_data: sccp,
                }
                .emit(&mut m3ua)
                .expect("fits an M3UA parameter");
                let d = self.dirs.entry((src, dst)).or_insert_with(|| Dir {
                    tsn: 0x1000_0000u32.wrapping_mul(src as u32 + 1) ^ (dst as u32 * 7919),
                    ssn: [0; 4],
                });
                d.tsn = d.tsn.wrapping_add(1);
                let stream = usize::from(sls & 3);
                let ssn = d.ssn[stream];
                d.ssn[stream] = ssn.wrapping_add(1);
                let sctp = SctpRepr {
                    source_port: 2905,
                    destination_port: 2905,
                    // the receiver's tag for this association
                    verification_tag: 0x5167_0000 ^ (((dst as u32) << 8) | src as u32),
                    chunks: vec![DataChunkRepr {
                        flags: 3,
                        tsn: d.tsn,
                        stream: stream as u16 + 1,
                        ssn,
                        ppid: 3,
                        payload: m3ua,
                    }],
                }
                .emit()
                .expect("fits an SCTP packet");
                ethernet_ipv4(sg_ip(src), sg_ip(dst), 132, &sctp)
            }
            Msg::Udp {
                src,
                dst,
                sport,
                dport,
                payload,
            } => ethernet_ipv4_udp(src, dst, sport, dport, &payload),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Traffic

struct Session {
    v2: bool,
    /// Visited-side (SGW / SGSN) and home-side (PGW / GGSN) addresses.
    near: [u8; 4],
    far: [u8; 4],
    near_c: u32,
    far_c: u32,
    near_u: u32,
    far_u: u32,
    ue: [u8; 4],
    /// Slot from which the Create answer has been written.
    ready: u64,
}

struct Gen {
    rng: Rng,
    subscribers: u64,
    sessions: Vec<Session>,
    max_sessions: usize,
    /// GTP sequence numbers per node.
    seq: HashMap<[u8; 4], u32>,
    ue_next: u32,
    /// A new scenario's messages: delay in slots after the previous one, label, message.
    out: Vec<(u64, &'static str, Msg)>,
}

impl Gen {
    fn push(&mut self, delay: u64, label: &'static str, m: Msg) {
        self.out.push((delay, label, m));
    }

    fn gap(&mut self) -> u64 {
        2 + self.rng.below(25)
    }

    fn map(&mut self, label: &'static str, src: usize, dst: usize, sls: u8, sccp: Vec<u8>) {
        let d = if self.out.is_empty() { 0 } else { self.gap() };
        self.push(
            d,
            label,
            Msg::Sigtran {
                src,
                dst,
                sls,
                sccp,
            },
        );
    }

    fn udp(&mut self, label: &'static str, src: [u8; 4], dst: [u8; 4], payload: Vec<u8>) {
        let d = if self.out.is_empty() { 0 } else { self.gap() };
        let port = if label.starts_with("gtpu") {
            2152
        } else {
            2123
        };
        self.push(
            d,
            label,
            Msg::Udp {
                src,
                dst,
                sport: port,
                dport: port,
                payload,
            },
        );
    }

    fn pick_sub(&mut self) -> (u64, Sub) {
        let i = self.rng.below(self.subscribers);
        (i, subscriber(i))
    }

    fn next_seq(&mut self, node: [u8; 4]) -> u32 {
        let s = self
            .seq
            .entry(node)
            .or_insert_with(|| (u32::from(node[1]) << 16) | (u32::from(node[2]) << 8));
        *s = (*s + 1) & 0x00ff_ffff;
        *s
    }

    fn tid(&mut self) -> u32 {
        self.rng.nonzero_u32()
    }

    // --- MAP -----------------------------------------------------------------------------

    /// MT SMS: SRI-SM from an SMSC of a third network to the subscriber's HLR, then
    /// MT-ForwardSM to the visited MSC.
    fn mt_sms(&mut self, secs: u64) {
        let (_, sub) = self.pick_sub();
        let mut s = self.rng.below(NETS.len() as u64) as usize;
        while s == sub.home || s == sub.visited {
            s = (s + 1) % NETS.len();
        }
        let smsc = gt(s, SMSC);
        let hlr = gt(sub.home, HLR);
        let msc = gt(sub.visited, MSC);
        let sls = self.rng.below(16) as u8;

        let otid = self.tid();
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::ctx(0), &[&isdn(&sub.msisdn)]),
                &tlv(Tag::ctx(1), &[&[0xff]]),
                &tlv(Tag::ctx(2), &[&isdn(&smsc)]),
            ],
        );
        let b = tcap_begin(otid, &aarq(20, 3), &invoke(1, 45, &arg));
        let udt = sccp_udt(e164(&sub.msisdn, SSN_HLR), e164(&smsc, SSN_MSC), 0, b);
        self.map("map.sri_sm.begin", s, sub.home, sls, udt);
        let res = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&tbcd(&sub.imsi)]),
                &tlv(Tag::ctx_cons(0), &[&tlv(Tag::ctx(1), &[&isdn(&msc)])]),
            ],
        );
        let e = tcap_end(otid, &aare(20, 3), &rrl(1, 45, Some(&res)));
        let udt = sccp_udt(e164(&smsc, SSN_MSC), e164(&hlr, SSN_HLR), 0, e);
        self.map("map.sri_sm.end", sub.home, s, sls, udt);

        let otid = self.tid();
        let (_, from) = self.pick_sub();
        let text = if self.rng.below(4) == 0 {
            format!("Your code is {}", self.rng.digits(6))
        } else {
            SMS_TEXTS[self.rng.below(SMS_TEXTS.len() as u64) as usize].to_string()
        };
        let tpdu = sms_deliver(&from.msisdn, &text, scts(secs));
        let mut parts: Vec<Vec<u8>> = vec![
            tlv(Tag::ctx(0), &[&tbcd(&sub.imsi)]),
            tlv(Tag::ctx(4), &[&isdn(&smsc)]),
            tlv(Tag::OCTET_STRING, &[&tpdu]),
        ];
        if self.rng.below(8) == 0 {
            parts.push(tlv(Tag::NULL, &[]));
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let arg = tlv(Tag::SEQUENCE, &refs);
        let b = tcap_begin(otid, &aarq(25, 3), &invoke(1, 44, &arg));
        let udt = sccp_udt(e164(&msc, SSN_MSC), e164(&smsc, SSN_MSC), 0, b);
        self.map("map.mt_fsm.begin", s, sub.visited, sls, udt);
        // SMS-DELIVER-REPORT (RP-ACK): MTI 0, no parameters
        let res = tlv(Tag::SEQUENCE, &[&tlv(Tag::OCTET_STRING, &[&[0x00, 0x00]])]);
        let e = tcap_end(otid, &aare(25, 3), &rrl(1, 44, Some(&res)));
        let udt = sccp_udt(e164(&smsc, SSN_MSC), e164(&msc, SSN_MSC), 0, e);
        self.map("map.mt_fsm.end", sub.visited, s, sls, udt);
    }

    /// MO SMS from a roaming subscriber: visited MSC to the home SMSC.
    fn mo_sms(&mut self, secs: u64) {
        let (_, sub) = self.pick_sub();
        let (_, to) = self.pick_sub();
        let smsc = gt(sub.home, SMSC);
        let msc = gt(sub.visited, MSC);
        let sls = self.rng.below(16) as u8;
        let otid = self.tid();
        let text = SMS_TEXTS[self.rng.below(SMS_TEXTS.len() as u64) as usize];
        let mr = self.rng.below(256) as u8;
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::ctx(4), &[&isdn(&smsc)]),
                &tlv(Tag::ctx(2), &[&isdn(&sub.msisdn)]),
                &tlv(Tag::OCTET_STRING, &[&sms_submit(mr, &to.msisdn, text)]),
                &tlv(Tag::OCTET_STRING, &[&tbcd(&sub.imsi)]),
            ],
        );
        let b = tcap_begin(otid, &aarq(21, 3), &invoke(1, 46, &arg));
        let udt = sccp_udt(e164(&smsc, SSN_MSC), e164(&msc, SSN_MSC), 0, b);
        self.map("map.mo_fsm.begin", sub.visited, sub.home, sls, udt);
        // SMS-SUBMIT-REPORT (RP-ACK): MTI 1, no parameters, service centre time stamp
        let mut report = vec![0x01, 0x00];
        report.extend_from_slice(&scts(secs));
        let res = tlv(Tag::SEQUENCE, &[&tlv(Tag::OCTET_STRING, &[&report])]);
        let e = tcap_end(otid, &aare(21, 3), &rrl(1, 46, Some(&res)));
        let udt = sccp_udt(e164(&msc, SSN_MSC), e164(&smsc, SSN_MSC), 0, e);
        self.map("map.mo_fsm.end", sub.home, sub.visited, sls, udt);
    }

    /// UpdateLocation from the visited VLR; the HLR sends InsertSubscriberData in the same
    /// dialogue and ends it with the HLR number.
    fn update_location(&mut self) {
        let (_, sub) = self.pick_sub();
        let vlr = gt(sub.visited, VLR);
        let msc = gt(sub.visited, MSC);
        let hlr = gt(sub.home, HLR);
        let mgt = sub.mgt();
        let sls = self.rng.below(16) as u8;
        let vlr_tid = self.tid();
        let hlr_tid = self.tid();
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&tbcd(&sub.imsi)]),
                &tlv(Tag::ctx(1), &[&isdn(&msc)]),
                &tlv(Tag::OCTET_STRING, &[&isdn(&vlr)]),
                // vlr-Capability: supportedCamelPhases phase 1-3
                &tlv(Tag::ctx_cons(6), &[&tlv(Tag::ctx(0), &[&[0x05, 0xe0]])]),
            ],
        );
        let b = tcap_begin(vlr_tid, &aarq(1, 3), &invoke(1, 2, &arg));
        let udt = sccp_udt(e214(&mgt, SSN_HLR), e164(&vlr, SSN_VLR), 1, b);
        self.map("map.ul.begin", sub.visited, sub.home, sls, udt);

        let isd = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::ctx(1), &[&isdn(&sub.msisdn)]),
                &tlv(Tag::ctx(2), &[&[0x0a]]),
                &tlv(Tag::ctx(3), &[&[0x00]]),
                &tlv(
                    Tag::ctx_cons(6),
                    &[
                        &tlv(Tag::OCTET_STRING, &[&[0x11]]),
                        &tlv(Tag::OCTET_STRING, &[&[0x21]]),
                        &tlv(Tag::OCTET_STRING, &[&[0x22]]),
                    ],
                ),
            ],
        );
        let c = tcap_continue(hlr_tid, vlr_tid, &aare(1, 3), &invoke(1, 7, &isd));
        let udt = sccp_udt(e164(&vlr, SSN_VLR), e164(&hlr, SSN_HLR), 1, c);
        self.map("map.ul.continue_isd", sub.home, sub.visited, sls, udt);

        let c = tcap_continue(vlr_tid, hlr_tid, &[], &rrl(1, 7, None));
        let udt = sccp_udt(e164(&hlr, SSN_HLR), e164(&vlr, SSN_VLR), 1, c);
        self.map("map.ul.continue_isd_ack", sub.visited, sub.home, sls, udt);

        let res = tlv(Tag::SEQUENCE, &[&tlv(Tag::OCTET_STRING, &[&isdn(&hlr)])]);
        let e = tcap_end(vlr_tid, &[], &rrl(1, 2, Some(&res)));
        let udt = sccp_udt(e164(&vlr, SSN_VLR), e164(&hlr, SSN_HLR), 1, e);
        self.map("map.ul.end", sub.home, sub.visited, sls, udt);
    }

    /// SendAuthenticationInfo (v3) and two quintuplets.
    fn send_auth_info(&mut self) {
        let (_, sub) = self.pick_sub();
        let vlr = gt(sub.visited, VLR);
        let hlr = gt(sub.home, HLR);
        let sls = self.rng.below(16) as u8;
        let otid = self.tid();
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::ctx(0), &[&tbcd(&sub.imsi)]),
                &int(2),
                &tlv(Tag::ctx(3), &[&[0x00]]), // requestingNodeType vlr
                &tlv(Tag::ctx(4), &[&plmn(sub.visited)]),
            ],
        );
        let b = tcap_begin(otid, &aarq(14, 3), &invoke(1, 56, &arg));
        let udt = sccp_udt(e214(&sub.mgt(), SSN_HLR), e164(&vlr, SSN_VLR), 0, b);
        self.map("map.sai.begin", sub.visited, sub.home, sls, udt);
        let quint = |rng: &mut Rng| {
            tlv(
                Tag::SEQUENCE,
                &[
                    &tlv(Tag::OCTET_STRING, &[&rng.bytes(16)]),
                    &tlv(Tag::OCTET_STRING, &[&rng.bytes(8)]),
                    &tlv(Tag::OCTET_STRING, &[&rng.bytes(16)]),
                    &tlv(Tag::OCTET_STRING, &[&rng.bytes(16)]),
                    &tlv(Tag::OCTET_STRING, &[&rng.bytes(16)]),
                ],
            )
        };
        let (q1, q2) = (quint(&mut self.rng), quint(&mut self.rng));
        let res = tlv(Tag::ctx_cons(3), &[&tlv(Tag::ctx_cons(1), &[&q1, &q2])]);
        let e = tcap_end(otid, &aare(14, 3), &rrl(1, 56, Some(&res)));
        let udt = sccp_udt(e164(&vlr, SSN_VLR), e164(&hlr, SSN_HLR), 0, e);
        self.map("map.sai.end", sub.home, sub.visited, sls, udt);
    }

    /// processUnstructuredSS-Request from the visited MSC to the home HLR.
    fn ussd(&mut self) {
        let (_, sub) = self.pick_sub();
        let vlr = gt(sub.visited, VLR);
        let hlr = gt(sub.home, HLR);
        let sls = self.rng.below(16) as u8;
        let otid = self.tid();
        let code = USSD_CODES[self.rng.below(USSD_CODES.len() as u64) as usize];
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&[0x0f]]),
                &tlv(
                    Tag::OCTET_STRING,
                    &[&gsm7::pack_ussd(code).unwrap_or_default()],
                ),
                &tlv(Tag::ctx(0), &[&isdn(&sub.msisdn)]),
            ],
        );
        let b = tcap_begin(otid, &aarq(19, 2), &invoke(1, 59, &arg));
        let udt = sccp_udt(e214(&sub.mgt(), SSN_HLR), e164(&vlr, SSN_VLR), 0, b);
        self.map("map.ussd.begin", sub.visited, sub.home, sls, udt);
        let answer = format!(
            "Balance {}.{:02} EUR, valid until 31/12",
            self.rng.below(90),
            self.rng.below(100)
        );
        let res = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&[0x0f]]),
                &tlv(
                    Tag::OCTET_STRING,
                    &[&gsm7::pack_ussd(&answer).unwrap_or_default()],
                ),
            ],
        );
        let e = tcap_end(otid, &aare(19, 2), &rrl(1, 59, Some(&res)));
        let udt = sccp_udt(e164(&vlr, SSN_VLR), e164(&hlr, SSN_HLR), 0, e);
        self.map("map.ussd.end", sub.home, sub.visited, sls, udt);
    }

    /// anyTimeInterrogation from a foreign gsmSCF GT (location tracking), and the answer.
    fn any_time_interrogation(&mut self) {
        let (i, sub) = self.pick_sub();
        let hlr = gt(sub.home, HLR);
        let sls = self.rng.below(16) as u8;
        let otid = self.tid();
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(
                    Tag::ctx_cons(0),
                    &[&tlv(Tag::ctx(1), &[&isdn(&sub.msisdn)])],
                ),
                &tlv(
                    Tag::ctx_cons(1),
                    &[&tlv(Tag::ctx(0), &[]), &tlv(Tag::ctx(1), &[])],
                ),
                &tlv(Tag::ctx(3), &[&isdn(FOREIGN_GT)]),
            ],
        );
        let b = tcap_begin(otid, &aarq(29, 3), &invoke(1, 71, &arg));
        let udt = sccp_udt(e164(&hlr, SSN_HLR), e164(FOREIGN_GT, SSN_GSMSCF), 0, b);
        self.map("map.ati.begin", FOREIGN, sub.home, sls, udt);
        let mut cgi = plmn(sub.visited).to_vec();
        cgi.extend_from_slice(&(0x1000 + (i % 0x800) as u16).to_be_bytes());
        cgi.extend_from_slice(&(self.rng.below(65535) as u16 + 1).to_be_bytes());
        let loc = tlv(
            Tag::ctx_cons(0),
            &[
                &int(self.rng.below(60) as u8),
                &tlv(Tag::ctx(1), &[&isdn(&gt(sub.visited, VLR))]),
                &tlv(Tag::ctx_cons(3), &[&tlv(Tag::ctx(0), &[&cgi])]),
            ],
        );
        let state = tlv(Tag::ctx_cons(1), &[&tlv(Tag::ctx(0), &[])]);
        let res = tlv(Tag::SEQUENCE, &[&tlv(Tag::SEQUENCE, &[&loc, &state])]);
        let e = tcap_end(otid, &aare(29, 3), &rrl(1, 71, Some(&res)));
        let udt = sccp_udt(e164(FOREIGN_GT, SSN_GSMSCF), e164(&hlr, SSN_HLR), 0, e);
        self.map("map.ati.end", sub.home, FOREIGN, sls, udt);
    }

    // --- GTP -----------------------------------------------------------------------------

    fn new_ue(&mut self) -> [u8; 4] {
        self.ue_next = self.ue_next.wrapping_add(1);
        let n = self.ue_next % (1 << 22);
        // 100.64.0.0/10
        [100, 64 | (n >> 16) as u8, (n >> 8) as u8, n as u8]
    }

    /// GTPv2-C Create Session Request / Response on S5/S8 (visited SGW to home PGW).
    fn create_session(&mut self, slot: u64) {
        let (i, sub) = self.pick_sub();
        let k = self.rng.below(2) as u8;
        let sgw = gtp_ip(sub.visited, 1, k);
        let pgw = gtp_ip(sub.home, 2, k);
        let (sgw_c, sgw_u, pgw_c, pgw_u) = (
            self.rng.nonzero_u32(),
            self.rng.nonzero_u32(),
            self.rng.nonzero_u32(),
            self.rng.nonzero_u32(),
        );
        let seq = self.next_seq(sgw);
        let ue = self.new_ue();
        let vp = plmn(sub.visited);
        let mut uli = vec![0x18];
        uli.extend_from_slice(&vp);
        uli.extend_from_slice(&(0x0100 + (i % 0x700) as u16).to_be_bytes());
        uli.extend_from_slice(&vp);
        uli.extend_from_slice(&((i as u32 * 37) & 0x0fff_ffff).to_be_bytes());
        let apn = NETS[sub.home].apn;
        let csr = gtp_v2(
            32,
            Some(0),
            seq,
            vec![
                v2::IeRepr::imsi(&sub.imsi).expect("IMSI digits"),
                v2::IeRepr::msisdn(&sub.msisdn).expect("MSISDN digits"),
                v2::IeRepr::raw(75, 0, tbcd(&sub.imeisv)),
                v2::IeRepr::raw(86, 0, uli),
                v2::IeRepr::raw(83, 0, vp.to_vec()),
                v2::IeRepr::rat_type(6),
                f_teid(0, 6, sgw_c, sgw),
                v2::IeRepr::apn(apn).expect("APN labels"),
                v2::IeRepr::raw(128, 0, vec![0x00]),
                v2::IeRepr::raw(99, 0, vec![1]),
                v2::IeRepr::raw(79, 0, vec![1, 0, 0, 0, 0]),
                v2::IeRepr::raw(127, 0, vec![0]),
                v2::IeRepr::ambr(50_000, 150_000),
                v2::IeRepr::grouped(
                    93,
                    0,
                    vec![
                        v2::IeRepr::ebi(0, 5),
                        f_teid(2, 4, sgw_u, sgw),
                        bearer_qos(9),
                    ],
                ),
                v2::IeRepr::recovery(sub.visited as u8 + 1),
            ],
        );
        self.udp("gtpv2.create_session_req", sgw, pgw, csr);
        let mut paa = vec![1];
        paa.extend_from_slice(&ue);
        let charging = self.rng.nonzero_u32();
        let resp = gtp_v2(
            33,
            Some(sgw_c),
            seq,
            vec![
                v2::IeRepr::cause(16),
                f_teid(1, 7, pgw_c, pgw),
                v2::IeRepr::raw(79, 0, paa),
                v2::IeRepr::raw(127, 0, vec![0]),
                v2::IeRepr::ambr(50_000, 150_000),
                v2::IeRepr::grouped(
                    93,
                    0,
                    vec![
                        v2::IeRepr::ebi(0, 5),
                        v2::IeRepr::cause(16),
                        f_teid(2, 5, pgw_u, pgw),
                        bearer_qos(9),
                        v2::IeRepr::raw(94, 0, charging.to_be_bytes().to_vec()),
                    ],
                ),
                v2::IeRepr::recovery(sub.home as u8 + 1),
            ],
        );
        self.udp("gtpv2.create_session_resp", pgw, sgw, resp);
        let delay: u64 = self.out.iter().map(|o| o.0).sum();
        self.sessions.push(Session {
            v2: true,
            near: sgw,
            far: pgw,
            near_c: sgw_c,
            far_c: pgw_c,
            near_u: sgw_u,
            far_u: pgw_u,
            ue,
            ready: slot + delay + 1,
        });
    }

    /// GTPv1-C Create PDP Context Request / Response on Gp (visited SGSN to home GGSN).
    fn create_pdp(&mut self, slot: u64) {
        let (i, sub) = self.pick_sub();
        let k = self.rng.below(2) as u8;
        let sgsn = gtp_ip(sub.visited, 3, k);
        let ggsn = gtp_ip(sub.home, 4, k);
        let (sgsn_c, sgsn_u, ggsn_c, ggsn_u) = (
            self.rng.nonzero_u32(),
            self.rng.nonzero_u32(),
            self.rng.nonzero_u32(),
            self.rng.nonzero_u32(),
        );
        let seq = self.next_seq(sgsn) as u16;
        let ue = self.new_ue();
        let mut rai = plmn(sub.visited).to_vec();
        rai.extend_from_slice(&(0x2000 + (i % 0x400) as u16).to_be_bytes());
        rai.push((i % 200) as u8);
        let qos = vec![0x02, 0x23, 0x92, 0x1f];
        let apn = NETS[sub.home].apn;
        let req = gtp_v1(
            16,
            0,
            Some(seq),
            v1::BodyRepr::Ies(vec![
                v1::IeRepr::imsi(&sub.imsi).expect("IMSI digits"),
                v1::IeRepr::new(3, rai),
                v1::IeRepr::recovery(sub.visited as u8 + 1),
                v1::IeRepr::new(15, vec![0xfc]),
                v1::IeRepr::teid_data_i(sgsn_u),
                v1::IeRepr::teid_c_plane(sgsn_c),
                v1::IeRepr::nsapi(5),
                v1::IeRepr::new(26, vec![0x08, 0x00]),
                v1::IeRepr::new(128, vec![0xf1, 0x21]),
                v1::IeRepr::apn(apn).expect("APN labels"),
                v1::IeRepr::gsn_address(Ipv4Addr::from(sgsn).into()),
                v1::IeRepr::gsn_address(Ipv4Addr::from(sgsn).into()),
                v1::IeRepr::msisdn(&sub.msisdn).expect("MSISDN digits"),
                v1::IeRepr::new(135, qos.clone()),
                v1::IeRepr::new(151, vec![1]),
            ]),
        );
        self.udp("gtpv1.create_pdp_req", sgsn, ggsn, req);
        let mut eua = vec![0xf1, 0x21];
        eua.extend_from_slice(&ue);
        let charging = self.rng.nonzero_u32();
        let resp = gtp_v1(
            17,
            sgsn_c,
            Some(seq),
            v1::BodyRepr::Ies(vec![
                v1::IeRepr::cause(128),
                v1::IeRepr::new(8, vec![0xfe]),
                v1::IeRepr::recovery(sub.home as u8 + 1),
                v1::IeRepr::teid_data_i(ggsn_u),
                v1::IeRepr::teid_c_plane(ggsn_c),
                v1::IeRepr::new(127, charging.to_be_bytes().to_vec()),
                v1::IeRepr::new(128, eua),
                v1::IeRepr::gsn_address(Ipv4Addr::from(ggsn).into()),
                v1::IeRepr::gsn_address(Ipv4Addr::from(ggsn).into()),
                v1::IeRepr::new(135, qos),
            ]),
        );
        self.udp("gtpv1.create_pdp_resp", ggsn, sgsn, resp);
        let delay: u64 = self.out.iter().map(|o| o.0).sum();
        self.sessions.push(Session {
            v2: false,
            near: sgsn,
            far: ggsn,
            near_c: sgsn_c,
            far_c: ggsn_c,
            near_u: sgsn_u,
            far_u: ggsn_u,
            ue,
            ready: slot + delay + 1,
        });
    }

    /// A random session whose Create answer is out, if any.
    fn ready_session(&mut self, slot: u64) -> Option<usize> {
        if self.sessions.is_empty() {
            return None;
        }
        let k = self.rng.below(self.sessions.len() as u64) as usize;
        (self.sessions[k].ready <= slot).then_some(k)
    }

    /// Delete Session (v2) or Delete PDP Context (v1) of an established session.
    fn delete(&mut self, slot: u64) -> bool {
        let Some(k) = self.ready_session(slot) else {
            return false;
        };
        let s = self.sessions.swap_remove(k);
        let seq = self.next_seq(s.near);
        if s.v2 {
            let req = gtp_v2(36, Some(s.far_c), seq, vec![v2::IeRepr::ebi(0, 5)]);
            self.udp("gtpv2.delete_session_req", s.near, s.far, req);
            let resp = gtp_v2(37, Some(s.near_c), seq, vec![v2::IeRepr::cause(16)]);
            self.udp("gtpv2.delete_session_resp", s.far, s.near, resp);
        } else {
            let seq = seq as u16;
            let req = gtp_v1(
                20,
                s.far_c,
                Some(seq),
                v1::BodyRepr::Ies(vec![v1::IeRepr::new(19, vec![0xff]), v1::IeRepr::nsapi(5)]),
            );
            self.udp("gtpv1.delete_pdp_req", s.near, s.far, req);
            let resp = gtp_v1(
                21,
                s.near_c,
                Some(seq),
                v1::BodyRepr::Ies(vec![v1::IeRepr::cause(128)]),
            );
            self.udp("gtpv1.delete_pdp_resp", s.far, s.near, resp);
        }
        true
    }

    /// Two G-PDUs of an established session: a DNS query up and its answer down.
    fn gpdu(&mut self, slot: u64) -> bool {
        let Some(k) = self.ready_session(slot) else {
            return false;
        };
        let (near, far, near_u, far_u, ue) = {
            let s = &self.sessions[k];
            (s.near, s.far, s.near_u, s.far_u, s.ue)
        };
        let name = DNS_NAMES[self.rng.below(DNS_NAMES.len() as u64) as usize];
        let id = self.rng.below(65536) as u16;
        let port = 49152 + self.rng.below(16000) as u16;
        let query = dns_packet(&mut self.rng, ue, true, id, port, name);
        let pdu = gtp_v1(255, far_u, None, v1::BodyRepr::Payload(query));
        self.udp("gtpu.g_pdu", near, far, pdu);
        let answer = dns_packet(&mut self.rng, ue, false, id, port, name);
        let pdu = gtp_v1(255, near_u, None, v1::BodyRepr::Payload(answer));
        self.udp("gtpu.g_pdu", far, near, pdu);
        true
    }

    /// Echo Request / Response between two GTP-C peers of different networks.
    fn echo(&mut self, is_v2: bool) {
        let a = self.rng.below(NETS.len() as u64) as usize;
        let b = (a + 1 + self.rng.below(NETS.len() as u64 - 1) as usize) % NETS.len();
        let k = self.rng.below(2) as u8;
        let (ra, rb) = if is_v2 { (1, 2) } else { (3, 4) };
        let (mut x, mut y) = (gtp_ip(a, ra, k), gtp_ip(b, rb, k));
        if self.rng.below(2) == 0 {
            std::mem::swap(&mut x, &mut y);
        }
        let seq = self.next_seq(x);
        if is_v2 {
            let req = gtp_v2(1, None, seq, vec![v2::IeRepr::recovery(x[1])]);
            self.udp("gtpv2.echo_req", x, y, req);
            let resp = gtp_v2(2, None, seq, vec![v2::IeRepr::recovery(y[1])]);
            self.udp("gtpv2.echo_resp", y, x, resp);
        } else {
            let req = gtp_v1(1, 0, Some(seq as u16), v1::BodyRepr::Ies(Vec::new()));
            self.udp("gtpv1.echo_req", x, y, req);
            let resp = gtp_v1(
                2,
                0,
                Some(seq as u16),
                v1::BodyRepr::Ies(vec![v1::IeRepr::recovery(y[1])]),
            );
            self.udp("gtpv1.echo_resp", y, x, resp);
        }
    }

    /// A new scenario starting at `slot` (`secs` after the capture's start) into `self.out`.
    fn scenario(&mut self, slot: u64, secs: u64) {
        self.out.clear();
        // scenario weights tuned for ~60% SIGTRAN / ~40% GTP frames
        if self.rng.below(1000) < 527 {
            match self.rng.weighted(&[250, 250, 150, 300, 200, 1]) {
                0 => self.mt_sms(secs),
                1 => self.mo_sms(secs),
                2 => self.update_location(),
                3 => self.send_auth_info(),
                4 => self.ussd(),
                _ => self.any_time_interrogation(),
            }
            return;
        }
        let full = self.sessions.len() >= self.max_sessions;
        let w: [u64; 7] = [
            30,
            if full { 0 } else { 10 },
            8,
            4,
            if full { 0 } else { 6 },
            6,
            3,
        ];
        match self.rng.weighted(&w) {
            0 if self.gpdu(slot) => {}
            2 | 5 if self.delete(slot) => {}
            3 => self.echo(true),
            6 => self.echo(false),
            _ => {
                if self.rng.below(10) < 6 {
                    self.create_session(slot)
                } else {
                    self.create_pdp(slot)
                }
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .unwrap_or_else(|| "target/bench/mixed.pcap".to_string());
    let frames: u64 = match args.next().map(|s| s.parse()) {
        None => 200_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: make_mixed OUT.pcap [FRAMES]");
            std::process::exit(2);
        }
    };

    let mut g = Gen {
        rng: Rng(0x5eed_5167_c0de_2025),
        subscribers: (frames / 4).clamp(1_000, 500_000),
        sessions: Vec::new(),
        max_sessions: (frames / 20).max(100) as usize,
        seq: HashMap::new(),
        ue_next: 0,
        out: Vec::new(),
    };
    let mut framer = Framer::default();
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    let t0: u64 = 1_764_000_000_000_000_000; // 2025-11-24 16:00:00 UTC
    let mut t = t0;
    let mut queue: BTreeMap<(u64, u64), (&'static str, Msg)> = BTreeMap::new();
    let mut order = 0u64;
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut bytes = 0u64;

    for slot in 0..frames {
        t += 500_000 + g.rng.below(1_000_000);
        let due = queue.first_key_value().is_some_and(|(k, _)| k.0 <= slot);
        let (label, msg) = if due {
            queue.pop_first().map(|(_, v)| v).expect("queue not empty")
        } else {
            g.scenario(slot, (t - t0) / 1_000_000_000);
            let mut at = slot;
            let mut first = None;
            for (delay, label, m) in g.out.drain(..) {
                at += delay;
                if first.is_none() {
                    first = Some((label, m));
                } else {
                    order += 1;
                    queue.insert((at, order), (label, m));
                }
            }
            first.expect("a scenario writes at least one message")
        };
        let frame = framer.frame(msg);
        bytes += frame.len() as u64;
        w.packet(t, &frame);
        *counts.entry(label).or_default() += 1;
    }

    if let Some(dir) = std::path::Path::new(&out).parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    if let Err(e) = std::fs::write(&out, w.into_bytes()) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    let sig: u64 = counts
        .iter()
        .filter(|(k, _)| k.starts_with("map."))
        .map(|(_, v)| v)
        .sum();
    println!(
        "wrote {out}: {frames} frames, {bytes} frame bytes, {sig} SIGTRAN ({:.1}%), {} GTP ({:.1}%), {} subscribers, {} sessions open at the end",
        100.0 * sig as f64 / frames as f64,
        frames - sig,
        100.0 * (frames - sig) as f64 / frames as f64,
        g.subscribers,
        g.sessions.len()
    );
    for (k, v) in &counts {
        println!("  {k:<28} {v}");
    }
}
