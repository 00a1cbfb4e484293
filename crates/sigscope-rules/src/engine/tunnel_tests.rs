//! Unit tests for the GTP-U tunnel detectors (`tunnel.rs`): the DNS parser, DNS and ICMP shapes.

use super::super::tunnel_icmp::*;
use super::*;

fn query(name: &str, qtype: u16) -> Vec<u8> {
    let mut d = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for l in name.split('.') {
        d.push(l.len() as u8);
        d.extend_from_slice(l.as_bytes());
    }
    d.push(0);
    d.extend_from_slice(&qtype.to_be_bytes());
    d.extend_from_slice(&[0, 1]);
    d
}

#[test]
fn question_and_domains() {
    let d = query("a1b2.tunnel.example.co.uk", 16);
    let q = dns_question(&d).unwrap();
    assert_eq!(q.labels.len(), 5);
    assert_eq!(q.domain(), [&b"example"[..], b"co", b"uk"]);
    assert_eq!(q.subdomain(), [&b"a1b2"[..], b"tunnel"]);
    assert_eq!(q.qtype, 16);
    assert!(!q.response);
    let d = query("www.example.com", 1);
    let q = dns_question(&d).unwrap();
    assert_eq!(q.subdomain(), [&b"www"[..]]);
    assert!(dns_question(&d[..14]).is_none());
}

/// Off port 53 only a message that is DNS beyond doubt is read as DNS: a query ending
/// with its question or one EDNS OPT record, a response whose records fit.
#[test]
fn dns_shape_off_port_53() {
    let q = query("mzxw6ytboi2dcnzrgq3tmnbx.t.example.net", 1);
    assert!(dns_shaped(&q));
    let mut edns = q.clone();
    edns[11] = 1;
    edns.extend_from_slice(&[0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
    assert!(dns_shaped(&edns));
    // a response with one A record (a compressed name)
    let mut r = q.clone();
    r[2] = 0x81;
    r[3] = 0x80;
    r[7] = 1;
    r.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
    assert!(dns_shaped(&r));
    let bad: [fn(&mut Vec<u8>); 9] = [
        |d| d[5] = 2,                   // two questions
        |d| d[7] = 1,                   // an answer in a query
        |d| d[9] = 1,                   // an authority record in a query
        |d| d[2] = 0x08,                // opcode 1
        |d| d[3] = 0x40,                // Z set
        |d| d.push(0),                  // an octet after the question
        |d| d.truncate(d.len() - 1),    // the class cut
        |d| *d.last_mut().unwrap() = 3, // class CH
        |d| d[12] = 0xc0,               // a pointer in the question
    ];
    for (i, f) in bad.iter().enumerate() {
        let mut d = q.clone();
        f(&mut d);
        assert!(!dns_shaped(&d), "{i}");
    }
    // a response whose record runs past the datagram, an mDNS name, a short header
    let mut cut = r.clone();
    cut.truncate(r.len() - 2);
    assert!(!dns_shaped(&cut));
    assert!(!dns_shaped(&query("printer._ipp._tcp.local", 12)));
    assert!(!dns_shaped(&q[..11]));
}

#[test]
fn labels_that_read_as_data() {
    for l in [
        "mzxw6ytboi2dcnzrgq3tmnbx",
        "4a6f686e20536d697468",
        "ab12cd34ef56ab78cd90",
        "nbswy3dpeb3w64tmmq7q",
    ] {
        assert!(encoded_label(l.as_bytes()), "{l}");
    }
    assert!(encoded_label(&[
        0xbc, 0xd1, b'a', 0xfd, 0xe2, b'7', 0xc3, 0xc9
    ]));
    for l in [
        "apac-asia-courier-vs",
        "www",
        "ec2-54-234-123-45",
        "clients4",
        "connectivitycheck",
        "r3---sn-4g5e6nsz",
        "my-loadbalancer-1234567890",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "_domainkey",
    ] {
        assert!(!encoded_label(l.as_bytes()), "{l}");
    }
}

/// One digest-length hex label among short words is an id (ad frames, reputation
/// look-ups); hex of other lengths, two long labels, or mixed case are not.
#[test]
fn digest_named_subdomains() {
    let md5 = b"7955b6b9c0e14f2a8d3b6c1e0f9a47a8".as_slice();
    let sha1 = b"0123456789abcdef0123456789abcdef01234567".as_slice();
    assert!(digest_named(&[md5, b"safeframe"]));
    assert!(digest_named(&[sha1]));
    assert!(digest_named(&[b"0", md5, b"3"]));
    assert!(!digest_named(&[
        b"7955b6b9c0e14f2a8d3b6c1e0f9a47a8ff",
        b"x"
    ]));
    assert!(!digest_named(&[md5, md5]));
    assert!(!digest_named(&[b"7955B6b9c0e14f2a8d3b6c1e0f9a47a8"]));
    assert!(!digest_named(&[b"mzxw6ytboi2dcnzrgq3tmnbxmzxw6ytb"]));
}

/// Ping-sized payloads: the pings of every common stack (iputils with its 16-octet or
/// BSD's 8-octet timestamp at sizes 32-64, Windows' alphabet, BusyBox/fping zeros) are
/// not judged encrypted; 32-64 random octets (a tunnel's chunk, mirrored by its peer) are.
#[test]
fn ping_sized_payloads() {
    for n in 32..=64usize {
        for ts_len in PING_TIMESTAMP_LENS {
            let mut p = Vec::new();
            // seconds and microseconds of a timeval, little-endian, high octets zero
            p.extend_from_slice(&0x6751_2a3cu32.to_le_bytes());
            p.resize(ts_len / 2, 0);
            p.extend_from_slice(&0x000b_7f21u32.to_le_bytes());
            p.resize(ts_len, 0);
            p.extend((0..n.saturating_sub(ts_len)).map(|i| 0x10u8.wrapping_add(i as u8)));
            p.truncate(n);
            assert!(
                ping_sized_encrypted(&p, 6.0).is_none(),
                "-s {n}, timestamp {ts_len}"
            );
        }
        let windows: Vec<u8> = b"abcdefghijklmnopqrstuvw"
            .iter()
            .copied()
            .cycle()
            .take(n)
            .collect();
        assert!(ping_sized_encrypted(&windows, 6.0).is_none());
        assert!(ping_sized_encrypted(&vec![0u8; n], 6.0).is_none());
        for seed in 1..=20u32 {
            let noise = crate::content::xorshift_noise(seed.wrapping_mul(0x9e37_79b9), n);
            assert!(
                ping_sized_encrypted(&noise, 6.0).is_some(),
                "noise {n} seed {seed}"
            );
        }
    }
}

#[test]
fn ping_fills_are_patterns() {
    let unix: Vec<u8> = (0u8..56).map(|i| i.wrapping_add(0x10)).collect();
    assert!(ping_pattern(&unix));
    let big: Vec<u8> = (0..1400u32).map(|i| i as u8).collect();
    assert!(ping_pattern(&big));
    let windows: Vec<u8> = b"abcdefghijklmnopqrstuvw"
        .iter()
        .copied()
        .cycle()
        .take(200)
        .collect();
    assert!(ping_pattern(&windows));
    let p: Vec<u8> = [0xde, 0xad, 0xbe, 0xef]
        .iter()
        .copied()
        .cycle()
        .take(300)
        .collect();
    assert!(ping_pattern(&p));
    let noise = crate::content::xorshift_noise(7, 300);
    assert!(!ping_pattern(&noise));
    // iputils `ping -s N` on 64-bit Linux: a 16-octet timeval, then 0x10, 0x11, ...; on
    // a 32-bit system or BSD an 8-octet one, then 0x08, 0x09, ...: every size from 32 up
    // (shorter ones are within `icmp_ping_max_payload`, never judged)
    for n in 32..=200usize {
        for ts_len in PING_TIMESTAMP_LENS {
            let mut p = crate::content::xorshift_noise(n as u32, ts_len);
            p.extend((ts_len..n).map(|i| i as u8));
            assert!(ping_pattern(&p), "-s {n}, timestamp {ts_len}");
        }
    }
    // a timestamp-sized prefix does not excuse a payload that is noise after it
    let mut p = crate::content::xorshift_noise(9, 16);
    p.extend(crate::content::xorshift_noise(10, 60));
    assert!(!ping_pattern(&p));
}
