//! GTP scenarios: benign control and user plane between declared gateways, GTPDOOR magic
//! packets, DNS tunnels inside GTP-U, a rogue session peer.

use sigscope_capture::writer::{ethernet_ipv4_tcp, ipv4_icmp_echo};
use sigscope_capture::TcpSegment;
use sigscope_core::digits::encode_tbcd;
use sigscope_gtp::prime::PrimeRepr;
use sigscope_gtp::{door, v1, v2};

use super::build::{
    dns_query, ipv4_udp, v1_message, v2_message, Frame, Net, SynthError, FOREIGN, GTPC, GTPU, PGW,
    SGW,
};

/// A subscriber's address.
const UE: [u8; 4] = [10, 45, 0, 2];
/// The DNS resolver.
const RESOLVER: [u8; 4] = [8, 8, 8, 8];
/// Another subscriber in the same gateways' tunnels (background).
const OTHER_UE: [u8; 4] = [10, 45, 0, 77];
/// Names the other subscriber looks up (background).
const ORDINARY_NAMES: [&str; 4] = [
    "www.example.com",
    "mail.example.net",
    "api.weather.example",
    "cdn.video.example.org",
];
/// GTP' port.
const GTP_PRIME_PORT: u16 = 3386;
/// The charging gateway.
const CHARGING_GW: [u8; 4] = [203, 0, 113, 200];
/// Octets of filler between the GTP header and GTPDOOR's key.
const GTPDOOR_FILLER: usize = door::KEY_AT - door::HEADER_LEN;

fn tbcd(d: &str) -> Result<Vec<u8>, SynthError> {
    encode_tbcd(d).ok_or_else(|| SynthError::Emit(format!("not TBCD digits: {d}")))
}

/// GTPv2 Create Session Request from `sgw` for `imsi`.
fn create_session(seq: u32, imsi: &str, sgw: [u8; 4]) -> Result<Vec<u8>, SynthError> {
    let mut qos = vec![0x49, 9];
    qos.resize(22, 0);
    v2_message(
        32,
        Some(0),
        seq,
        vec![
            v2::IeRepr::raw(1, 0, tbcd(imsi)?),
            v2::IeRepr::raw(76, 0, tbcd("447700900123")?),
            v2::IeRepr::raw(82, 0, vec![6]),
            v2::IeRepr::raw(71, 0, b"\x08internet".to_vec()),
            v2::IeRepr::raw(87, 0, [&[0x8a, 0, 0, 0x10, 0x01][..], &sgw[..]].concat()),
            v2::IeRepr::grouped(
                93,
                0,
                vec![v2::IeRepr::raw(73, 0, vec![5]), v2::IeRepr::raw(80, 0, qos)],
            ),
        ],
    )
}

/// Echoes, session creation, user DNS and web traffic, and a charging record, all between
/// declared gateways.
pub fn benign(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let names = [
        "www.example.com",
        "mail.example.org",
        "api.weather.example.net",
    ];
    for round in 0..5u32 {
        n.wait(10_000, 5_000);
        let rec = v2::IeRepr::raw(3, 0, vec![7]);
        n.gtpc(
            SGW,
            PGW,
            &v2_message(1, None, round * 2 + 1, vec![rec.clone()])?,
        )?;
        n.wait(2, 5);
        n.gtpc(PGW, SGW, &v2_message(2, None, round * 2 + 1, vec![rec])?)?;
        n.wait(500, 500);
        let imsi = format!("2341501{:08}", n.rng.below(100_000_000));
        n.gtpc(SGW, PGW, &create_session(0x2000 + round, &imsi, SGW)?)?;
        for (i, name) in names.iter().enumerate() {
            n.wait(50, 200);
            let id = n.rng.next_u32() as u16;
            let q = ipv4_udp(UE, RESOLVER, 40_000 + i as u16, 53, &dns_query(id, name, 1))?;
            n.gpdu(SGW, PGW, 0x1000 + round, q)?;
        }
    }
    n.wait_ms(1_000);
    let mut cdr = vec![1, 1, 0x13];
    let record = n.rng.bytes(40);
    cdr.extend_from_slice(&(record.len() as u16).to_be_bytes());
    cdr.extend(record);
    let mut drt = Vec::new();
    PrimeRepr::data_record_transfer(1, cdr).emit(&mut drt)?;
    n.udp((SGW, GTP_PRIME_PORT), (CHARGING_GW, GTP_PRIME_PORT), &drt)?;
    Ok(n.frames)
}

/// A subscriber's ping inside the tunnel and its answer (the reply carries the request's
/// data back, as RFC 792 has it, unless `answer` differs).
fn ping(
    n: &mut Net,
    (teid, target): (u32, [u8; 4]),
    (id, seq): (u16, u16),
    data: &[u8],
    answer: Option<&[u8]>,
) -> Result<(), SynthError> {
    n.gpdu(
        SGW,
        PGW,
        teid,
        ipv4_icmp_echo((UE, target), true, (id, seq), data),
    )?;
    n.wait(20, 30);
    let back = answer.unwrap_or(data);
    n.gpdu(
        PGW,
        SGW,
        teid | 0x8000,
        ipv4_icmp_echo((target, UE), false, (id, seq), back),
    )
}

/// ICMP tunnels inside GTP-U: ping-sized echoes of random octets mirrored by the peer, large
/// encrypted-looking echoes, and a reply whose data is not its request's; beside them the
/// subscribers' own pings (iputils with its timestamp, Windows' alphabet) stay quiet.
pub fn icmp_tunnel(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let imsi = format!("2341501{:08}", n.rng.below(100_000_000));
    n.gtpc(SGW, PGW, &create_session(0x4000, &imsi, SGW)?)?;
    // a Linux ping (16-octet timeval, then 0x10, 0x11, ...) and a Windows one
    for seq in 1..=3u16 {
        n.wait(1_000, 50);
        let mut data = n.rng.bytes(6);
        data.resize(16, 0);
        data.extend((0..40u8).map(|i| 0x10 + i));
        ping(&mut n, (0x4001, [8, 8, 4, 4]), (0x0bad, seq), &data, None)?;
        let alphabet: Vec<u8> = b"abcdefghijklmnopqrstuvw"
            .iter()
            .copied()
            .cycle()
            .take(32)
            .collect();
        ping(
            &mut n,
            (0x4001, [1, 1, 1, 1]),
            (0x0001, seq),
            &alphabet,
            None,
        )?;
    }
    n.attack = true;
    let id = n.rng.next_u32() as u16;
    let relay = (0x4002, [198, 51, 100, 80 + n.rng.below(100) as u8]);
    // ping-sized chunks on a relay of their own (judged alone, not as members of another's
    // flow)
    let small = (0x4003, [203, 0, 113, 100 + n.rng.below(100) as u8]);
    for seq in 1..=6u16 {
        n.wait(800, 1_500);
        let len = 32 + n.rng.below(33) as usize;
        let data = n.rng.bytes(len);
        ping(&mut n, small, (id ^ 0x55, seq), &data, None)?;
    }
    for seq in 7..=8u16 {
        n.wait(800, 1_500);
        let len = 300 + n.rng.below(900) as usize;
        let data = n.rng.bytes(len);
        ping(&mut n, relay, (id, seq), &data, None)?;
    }
    n.wait(800, 1_500);
    let data = vec![0u8; 48];
    let answer = n.rng.bytes(48);
    ping(&mut n, relay, (id, 9), &data, Some(&answer))?;
    Ok(n.frames)
}

/// A GTPDOOR magic packet: GTP Echo header (v1 without S flag, or v2 without TEID), filler,
/// the little-endian key, command type, 2-octet little-endian length, encrypted command; the
/// GTP length right.
fn gtpdoor_magic(v2_header: bool, key: u32, command: u8, cmd: &[u8], filler: u8) -> Vec<u8> {
    gtpdoor_magic_in(ECHO_REQUEST, v2_header, key, command, cmd, filler)
}

/// GTP message type of an Echo Request (GTPv1 and v2).
const ECHO_REQUEST: u8 = 1;

/// [`gtpdoor_magic`] behind a header of another message type.
fn gtpdoor_magic_in(
    msg_type: u8,
    v2_header: bool,
    key: u32,
    command: u8,
    cmd: &[u8],
    filler: u8,
) -> Vec<u8> {
    let mut body = vec![filler; GTPDOOR_FILLER];
    body.extend_from_slice(&key.to_le_bytes());
    body.push(command);
    body.extend_from_slice(&(cmd.len() as u16).to_le_bytes());
    body.extend_from_slice(cmd);
    let (mut d, len) = if v2_header {
        (vec![0x40, msg_type], body.len() + 4)
    } else {
        (vec![0x30, msg_type], body.len())
    };
    d.extend_from_slice(&(len.min(usize::from(u16::MAX)) as u16).to_be_bytes());
    d.extend_from_slice(if v2_header {
        &[0, 0x12, 0x34, 0]
    } else {
        &[0, 0, 0, 0]
    });
    d.extend(body);
    d
}

/// Magic packets with several keys and both header forms, and a v2 Echo with an IMSI IE.
pub fn gtpdoor(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    n.attack = true;
    let keys = [door::DEFAULT_KEY, 0xdead_beef, n.rng.next_u32() | 1];
    for (k, key) in keys.into_iter().enumerate() {
        for v2_header in [false, true] {
            n.wait(2_000, 8_000);
            let len = 16 + n.rng.below(120) as usize;
            let cmd = n.rng.bytes(len);
            let p = gtpdoor_magic(v2_header, key, 1 + (k as u8 % 5), &cmd, 0x5a ^ k as u8);
            n.udp((FOREIGN, 41_000 + k as u16), (PGW, 2123), &p)?;
        }
    }
    // the implant reads its frame behind any type: an Error Indication or End Marker on
    // GTP-U, a G-PDU, a Create PDP Context Request (bodies that are not their type's)
    let key = n.rng.next_u32() | 1;
    for (ty, port) in [(26u8, GTPU), (254, GTPU), (255, GTPU), (16, GTPC)] {
        n.wait(2_000, 8_000);
        let len = 16 + n.rng.below(120) as usize;
        let cmd = n.rng.bytes(len);
        let p = gtpdoor_magic_in(ty, false, key, 1 + n.rng.below(5) as u8, &cmd, 0x5a);
        n.udp((FOREIGN, port), (PGW, port), &p)?;
    }
    // GTPDOOR v2's TCP beacon: the controller's SYN or ACK to any port of the gateway,
    // answered by a RST (/ACK) with URG clear and the urgent pointer set
    for k in 0..2u16 {
        n.wait(2_000, 8_000);
        let (sport, dport) = (
            30_000 + n.rng.below(30_000) as u16,
            if k == 0 { 22 } else { 443 },
        );
        let seq = n.rng.next_u32();
        let probe = TcpSegment {
            flags: if k == 0 {
                TcpSegment::SYN
            } else {
                TcpSegment::ACK
            },
            urgent_pointer: 0,
            header_len: TcpSegment::MIN_HEADER_LEN,
            seq,
            ack: if k == 0 { 0 } else { n.rng.next_u32() },
            window: 64_240,
            payload_len: 0,
        };
        n.push(ethernet_ipv4_tcp((FOREIGN, sport), (PGW, dport), &probe))?;
        n.wait(1, 2);
        let beacon = TcpSegment {
            flags: TcpSegment::RST | TcpSegment::ACK,
            urgent_pointer: 1,
            header_len: TcpSegment::MIN_HEADER_LEN,
            seq: 0,
            ack: seq.wrapping_add(1),
            window: 0,
            payload_len: 0,
        };
        n.push(ethernet_ipv4_tcp((PGW, dport), (FOREIGN, sport), &beacon))?;
    }
    n.wait_ms(3_000);
    let echo = v2_message(
        1,
        None,
        n.rng.next_u32() & 0x00ff_ffff,
        vec![
            v2::IeRepr::raw(3, 0, vec![7]),
            v2::IeRepr::raw(1, 0, b"d2hvYW1pOyBpZA==".to_vec()),
        ],
    )?;
    n.udp((FOREIGN, 41_123), (PGW, 2123), &echo)?;
    Ok(n.frames)
}

/// RFC 4648 base32, lower case, no padding.
fn base32(data: &[u8]) -> String {
    const A: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in data {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(
                A.get(((acc >> bits) & 31) as usize)
                    .copied()
                    .unwrap_or(b'a'),
            ));
        }
        acc &= 0xff;
    }
    if bits > 0 {
        out.push(char::from(
            A.get(((acc << (5 - bits)) & 31) as usize)
                .copied()
                .unwrap_or(b'a'),
        ));
    }
    out
}

/// Lower-case hex.
fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// `s` cut into labels of at most `max` characters, joined by dots.
fn labels(s: &str, max: usize) -> String {
    s.as_bytes()
        .chunks(max)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(".")
}

/// DNS queries inside GTP-U whose names carry encoded data.
pub fn dns_tunnel(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let domains = ["t1.example.org", "data.evil-c2.net", "x.exfil.co.uk"];
    for (d, domain) in domains.iter().enumerate() {
        for (s, size) in [20usize, 32, 60].into_iter().enumerate() {
            n.wait(200, 800);
            let data = n.rng.bytes(size);
            let enc = if s % 2 == 0 {
                base32(&data)
            } else {
                hex(&data)
            };
            let name = format!("{}.{domain}", labels(&enc, 63));
            let qtype = [1u16, 16, 28].get(s).copied().unwrap_or(16);
            let id = n.rng.next_u32() as u16;
            let q = ipv4_udp(
                UE,
                RESOLVER,
                40_000 + d as u16,
                53,
                &dns_query(id, &name, qtype),
            )?;
            n.attack = true;
            n.gpdu(SGW, PGW, 1 + d as u32, q)?;
            // another subscriber's ordinary lookups through the same gateways
            n.attack = false;
            n.wait(10, 50);
            let name = ORDINARY_NAMES
                .get(n.rng.below(ORDINARY_NAMES.len() as u64) as usize)
                .copied()
                .unwrap_or("www.example.com");
            let id = n.rng.next_u32() as u16;
            let q = ipv4_udp(OTHER_UE, RESOLVER, 51_000, 53, &dns_query(id, name, 1))?;
            n.gpdu(SGW, PGW, 0x500, q)?;
        }
    }
    Ok(n.frames)
}

/// Ports a slow tunnel's client may send to its own server on (no resolver on the way).
const SLOW_TUNNEL_PORTS: [u16; 4] = [5353, 8053, 443, 31_337];

/// A DNS tunnel paced under the 300-second count: 15-character base32 labels (too short to
/// be judged one by one) under one domain, one query every one to two and a half minutes,
/// sent straight to the tunnel's server on a port other than 53.
pub fn dns_tunnel_slow(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    n.attack = true;
    let port = SLOW_TUNNEL_PORTS
        .get(n.rng.below(SLOW_TUNNEL_PORTS.len() as u64) as usize)
        .copied()
        .unwrap_or(5353);
    for i in 0..30u16 {
        n.wait(60_000, 90_000);
        let data = n.rng.bytes(10);
        let label = base32(&data);
        let name = format!("{}.sync.example-c2.net", label.get(..15).unwrap_or(&label));
        let id = n.rng.next_u32() as u16;
        let q = ipv4_udp(UE, FOREIGN, 41_000 + i, port, &dns_query(id, &name, 1))?;
        n.gpdu(SGW, PGW, 0x77, q)?;
    }
    Ok(n.frames)
}

/// A gateway in sessions whose Echo Requests each carry a new small private extension (10 to
/// 16 random octets: under the keepalive maximum, too short to measure as encrypted).
pub fn echo_private_data(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let imsi = format!("2341501{:08}", n.rng.below(100_000_000));
    n.gtpc(SGW, PGW, &create_session(0x3000, &imsi, SGW)?)?;
    n.attack = true;
    for i in 0..8u32 {
        n.wait(55_000, 10_000);
        let mut pe = 0x0009u16.to_be_bytes().to_vec();
        let len = 10 + n.rng.below(7) as usize;
        pe.extend(n.rng.bytes(len));
        let echo = v2_message(
            1,
            None,
            0x100 + i,
            vec![v2::IeRepr::raw(3, 0, vec![7]), v2::IeRepr::raw(255, 0, pe)],
        )?;
        n.gtpc(SGW, PGW, &echo)?;
        n.wait(2, 5);
        let reply = v2_message(2, None, 0x100 + i, vec![v2::IeRepr::raw(3, 0, vec![7])])?;
        n.gtpc(PGW, SGW, &reply)?;
    }
    // a peer in no session whose Echoes carry no private extension, but a restart counter
    // that takes a new value every time (a byte a beat); the gateway answers with its own
    let mut seq = n.rng.below(60_000) as u16;
    for _ in 0..6 {
        n.wait(40_000, 60_000);
        seq = seq.wrapping_add(1);
        let rec = v1::IeRepr {
            ie_type: RECOVERY_V1,
            value: vec![n.rng.below(256) as u8],
        };
        let req = v1_message(1, 0, Some(seq), v1::BodyRepr::Ies(vec![rec]))?;
        n.udp((FOREIGN, GTPC), (PGW, GTPC), &req)?;
        n.wait(2, 5);
        let own = v1::IeRepr {
            ie_type: RECOVERY_V1,
            value: vec![7],
        };
        let reply = v1_message(2, 0, Some(seq), v1::BodyRepr::Ies(vec![own]))?;
        n.udp((PGW, GTPC), (FOREIGN, GTPC), &reply)?;
    }
    Ok(n.frames)
}

/// GTPv1 Recovery IE type (TS 29.060 7.7.11).
const RECOVERY_V1: u8 = 14;

/// A node discovery sweep from outside (SigPloit-style): GTPv1-C Echo Requests from a high
/// source port to a /24 of addresses in a random order, GTPv2 or GTP-U ones mixed in, a few
/// of the addresses answering; beside it, the declared gateways' own Echoes.
pub fn node_sweep(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let scanner = [198, 51, 100, 23 + n.rng.below(200) as u8];
    let sport = 30_000 + n.rng.below(30_000) as u16;
    let net = [10, 60 + n.rng.below(100) as u8, n.rng.below(250) as u8];
    // the gateways' keepalive
    let echo_v2 = |seq: u32| v2_message(1, None, seq, vec![v2::IeRepr::raw(3, 0, vec![3])]);
    n.gtpc(SGW, PGW, &echo_v2(1)?)?;
    n.wait(3, 2);
    n.gtpc(
        PGW,
        SGW,
        &v2_message(2, None, 1, vec![v2::IeRepr::raw(3, 0, vec![4])])?,
    )?;
    // a random order of the 254 hosts
    let mut hosts: Vec<u8> = (1..=254).collect();
    for i in (1..hosts.len()).rev() {
        let j = n.rng.below(i as u64 + 1) as usize;
        hosts.swap(i, j);
    }
    for (k, h) in hosts.iter().take(80).enumerate() {
        if k > 0 && k % 20 == 0 {
            // the gateways keep echoing each other meanwhile
            n.attack = false;
            n.gtpc(SGW, PGW, &echo_v2(1 + k as u32)?)?;
            n.wait(3, 2);
            let rec = vec![v2::IeRepr::raw(3, 0, vec![4])];
            n.gtpc(PGW, SGW, &v2_message(2, None, 1 + k as u32, rec)?)?;
        }
        n.attack = true;
        n.wait(20, 40);
        let to = [net[0], net[1], net[2], *h];
        let seq = k as u16;
        let (payload, port) = match n.rng.below(4) {
            0 => (echo_v2(u32::from(seq))?, GTPC),
            1 => (
                v1_message(1, 0, Some(seq), v1::BodyRepr::Ies(vec![]))?,
                GTPU,
            ),
            _ => (
                v1_message(1, 0, Some(seq), v1::BodyRepr::Ies(vec![]))?,
                GTPC,
            ),
        };
        n.udp((scanner, sport), (to, port), &payload)?;
        if n.rng.below(8) == 0 {
            n.wait(2, 3);
            let ie = v1::IeRepr {
                ie_type: 14,
                value: vec![1],
            };
            let reply = v1_message(2, 0, Some(seq), v1::BodyRepr::Ies(vec![ie]))?;
            n.udp((to, port), (scanner, sport), &reply)?;
        }
    }
    Ok(n.frames)
}

/// Tunnel id guessing from outside: Delete Session Requests (GTPv2) for TEIDs a counter or a
/// random walk picks, each answered Context Not Found, then G-PDUs to guessed TEIDs answered
/// by Error Indications; beside it, a declared gateway's session and its keepalive.
pub fn tunnel_probing(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let prober = [198, 51, 100, 100 + n.rng.below(100) as u8];
    let imsi = format!("2341501{:08}", n.rng.below(100_000_000));
    n.gtpc(SGW, PGW, &create_session(0x10, &imsi, SGW)?)?;
    n.wait(5, 5);
    let cause = |c: u8| v2::IeRepr::raw(2, 0, vec![c, 0]);
    n.gtpc(
        PGW,
        SGW,
        &v2_message(33, Some(0x4242), 0x10, vec![cause(16)])?,
    )?;
    let base = n.rng.below(1 << 30) as u32;
    n.attack = true;
    for i in 0..24u32 {
        n.wait(150, 200);
        let teid = base.wrapping_add(i.wrapping_mul(1 + n.rng.below(64) as u32));
        n.gtpc(prober, PGW, &v2_message(36, Some(teid), 0x900 + i, vec![])?)?;
        n.wait(1, 3);
        n.gtpc(
            PGW,
            prober,
            &v2_message(37, Some(0), 0x900 + i, vec![cause(64)])?,
        )?;
    }
    for i in 0..20u32 {
        n.wait(50, 100);
        let teid = base.wrapping_add(0x10_000 + i * 3);
        n.gpdu(
            prober,
            PGW,
            teid,
            ipv4_udp(
                UE,
                RESOLVER,
                40_000,
                53,
                &dns_query(i as u16, "example.com", 1),
            )?,
        )?;
        n.wait(1, 2);
        let ie = |ie_type: u8, value: Vec<u8>| v1::IeRepr { ie_type, value };
        let ind = v1_message(
            26,
            0,
            Some(i as u16),
            v1::BodyRepr::Ies(vec![
                ie(16, teid.to_be_bytes().to_vec()),
                ie(133, PGW.to_vec()),
            ]),
        )?;
        n.udp((PGW, GTPU), (prober, GTPU), &ind)?;
    }
    Ok(n.frames)
}

/// GTPv1 Create PDP Context Request with sgsnemu's defaults from `gsn`.
fn create_pdp(seq: u16, imsi: &str, msisdn: &str, gsn: [u8; 4]) -> Result<Vec<u8>, SynthError> {
    let (user, pass) = ("mig", "hemmelig");
    let mut pap = vec![1, 0];
    let pap_len = 4 + 1 + user.len() + 1 + pass.len();
    pap.extend_from_slice(&(pap_len as u16).to_be_bytes());
    pap.push(user.len() as u8);
    pap.extend_from_slice(user.as_bytes());
    pap.push(pass.len() as u8);
    pap.extend_from_slice(pass.as_bytes());
    let mut pco = vec![0x80, 0xc0, 0x23, pap.len() as u8];
    pco.extend(pap);
    let mut msisdn_v = vec![0x91];
    msisdn_v.extend(tbcd(msisdn)?);
    let ie = |ie_type: u8, value: Vec<u8>| v1::IeRepr { ie_type, value };
    v1_message(
        16,
        0,
        Some(seq),
        v1::BodyRepr::Ies(vec![
            ie(2, tbcd(imsi)?),
            ie(14, vec![0]),
            ie(16, vec![0, 0, 0, 1]),
            ie(20, vec![5]),
            ie(128, vec![0xf1, 0x21]),
            ie(131, b"\x08internet".to_vec()),
            ie(132, pco),
            ie(133, gsn.to_vec()),
            ie(133, gsn.to_vec()),
            ie(134, msisdn_v),
            ie(135, vec![1, 0x23, 0x92, 0x1f]),
        ]),
    )
}

/// A Create PDP Context from outside the declared session peers, then user plane with it.
pub fn rogue_peer(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let rogues = [[198, 51, 100, 66], [100, 64, 7, 1]];
    let rogue = rogues
        .get(n.rng.below(2) as usize)
        .copied()
        .unwrap_or(FOREIGN);
    let imsi = format!("24001{:010}", n.rng.below(10_000_000_000));
    n.attack = true;
    n.wait_ms(1_000);
    n.gtpc(rogue, PGW, &create_pdp(10, &imsi, "46702123456", rogue)?)?;
    let q = || ipv4_udp(UE, RESOLVER, 49_153, 53, &[0u8; 12]);
    n.wait_ms(1_000);
    n.gpdu(rogue, PGW, 0x99, q()?)?;
    n.wait_ms(1_000);
    n.gpdu(PGW, rogue, 0x98, q()?)?;
    Ok(n.frames)
}
