//! The flow a frame belongs to, read from its link, IP and transport headers before any
//! decoding, so that `--threads` keeps each flow on one worker (per-flow order and per-flow
//! state hold): the unordered pair of (IP address, port) ends of a UDP or TCP peer pair. IP
//! fragments (whose ports only the first carries) go by the unordered address pair alone.
//! SCTP (SIGTRAN) frames, whose SS7 state spans associations, GTP signalling (everything on
//! the GTP-C and GTP' ports, and what is not a G-PDU on the GTP-U port: Echo, Error
//! Indication, End Marker), whose detectors judge one address across all its peers (a sweep
//! of many hosts, answers of no such tunnel from many gateways, an Echo's sender's sessions),
//! and frames with no IP (MTP2/MTP3 link types, unknown links) all go to worker 0. G-PDUs on
//! the GTP-U port, the bulk of GTP, are dealt by peer pair (their tunnels' detectors judge one
//! tunnel); GTPv0's, on the GTP' port, go with the signalling. IP fragments carry no ports:
//! they go by address pair, so a fragmented GTP-C message is decoded (and judged) by that
//! pair's worker. [`Deal`] also says which frames every worker learns from.

use std::hash::{Hash, Hasher};

use sigscope::capture::reader::linktype;

/// Ethernet header length, and its EtherType offset.
const ETH_HEADER: usize = 14;
/// An 802.1Q / 802.1ad tag.
const VLAN_TAG: usize = 4;
/// Most VLAN tags walked.
const MAX_VLAN_TAGS: usize = 4;
const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: u16 = 0x8100;
const ETHERTYPE_QINQ: u16 = 0x88a8;
/// Linux cooked capture v1 / v2 header lengths.
const SLL_HEADER: usize = 16;
const SLL2_HEADER: usize = 20;
/// LINKTYPE_LINUX_SLL2.
const LINUX_SLL2: u32 = 276;
/// LINKTYPE_IPV4 / LINKTYPE_IPV6.
const RAW_IPV4: u32 = 228;
const RAW_IPV6: u32 = 229;
/// BSD loopback header.
const LOOPBACK_HEADER: usize = 4;
const IPV6_HEADER: usize = 40;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_SCTP: u8 = 132;
const IPV6_FRAGMENT: u8 = 44;
/// The flow key of every SCTP frame (see [`deal`]).
const SCTP_KEY: u64 = 0;
/// The flow key of GTP signalling (see [`deal`]): with SIGTRAN's.
const GTP_SIGNALLING_KEY: u64 = SCTP_KEY;
/// GTP ports (TS 29.060 / 29.274 / 32.295): control, user plane, GTP'.
const PORT_GTPC: u16 = sigscope::gtp::PORT_GTPC;
const PORT_GTPU: u16 = sigscope::gtp::PORT_GTPU;
const PORT_PRIME: u16 = sigscope::gtp::PORT_PRIME;
/// UDP header length; GTP message type octet within the GTP header.
const UDP_HEADER: usize = 8;
const GTP_TYPE_AT: usize = 1;
/// GTP-U G-PDU message type.
const GTP_GPDU: u8 = 255;

/// GTPv1 message types every worker learns from: Create PDP Context Request (TS 29.060: who
/// creates sessions, and where their user plane will be) and GTP-U Error Indication (TS
/// 29.281: a tunnel's end does not know the TEID of a G-PDU dealt elsewhere).
const V1_SHARED_TYPES: [u8; 2] = [16, 26];
/// GTPv2-C message types every worker learns from: Create Session Request (TS 29.274).
const V2_SHARED_TYPES: [u8; 1] = [32];

/// Whether a GTP signalling datagram's state matters to every worker: a Create, which says
/// who created a session and where its user plane will be (the G-PDUs of that session are
/// judged by other workers: a rogue's user plane), and an Error Indication (which answers
/// G-PDUs dealt elsewhere: tunnel probing). The rest of the session signalling is judged
/// where it is dealt, with its answers; who carries sessions the G-PDUs themselves say.
fn gtp_shared(udp: Option<&[u8]>) -> bool {
    let Some(g) = udp.and_then(|u| u.get(UDP_HEADER..)) else {
        return false;
    };
    let (Some(&flags), Some(&ty)) = (g.first(), g.get(GTP_TYPE_AT)) else {
        return false;
    };
    match flags >> 5 {
        1 => V1_SHARED_TYPES.contains(&ty),
        2 => V2_SHARED_TYPES.contains(&ty),
        _ => false,
    }
}

/// Where a frame goes: its flow's key (equal for both directions of a flow), and whether
/// other workers are also to learn from it without reporting it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deal {
    /// The flow key.
    pub key: u64,
    /// Every worker learns from it; only the key's worker reports it.
    pub shared: bool,
    /// A G-PDU: a digest of its direction (source and destination address, in order), so
    /// that the signalling worker learns from the first of each direction which peers carry
    /// sessions (its Echo and probing detectors exempt them).
    pub gpdu_direction: Option<u64>,
}

/// What GTP a UDP datagram (`sp` → `dp`, `udp` from its header on) carries, for dealing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum GtpDeal {
    /// Not GTP.
    None,
    /// Signalling: anything on the GTP-C or GTP' port, and what is not a G-PDU on the GTP-U
    /// port or off the GTP ports (recognised as the decoder does, [`sigscope::gtp::detect`]:
    /// a GTPDOOR scanner or implant need not use the GTP ports).
    Signalling,
    /// A G-PDU (on the GTP-U port, or recognised off the GTP ports).
    UserPlane,
}

fn gtp_deal(sp: u16, dp: u16, udp: Option<&[u8]>) -> GtpDeal {
    let on = |p: u16| sp == p || dp == p;
    if on(PORT_GTPC) || on(PORT_PRIME) {
        return GtpDeal::Signalling;
    }
    let payload = udp.and_then(|u| u.get(UDP_HEADER..)).unwrap_or_default();
    if !on(PORT_GTPU) && sigscope::gtp::detect(payload, sp, dp).is_none() {
        return GtpDeal::None;
    }
    match payload.get(GTP_TYPE_AT) {
        Some(&GTP_GPDU) => GtpDeal::UserPlane,
        Some(_) => GtpDeal::Signalling,
        // too short for a type: judged with its pair
        None => GtpDeal::None,
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// The IP packet inside a frame of `link`.
fn ip_of(link: u32, data: &[u8]) -> Option<&[u8]> {
    let ethertype_payload = |mut et: u16, mut at: usize| {
        for _ in 0..MAX_VLAN_TAGS {
            if et != ETHERTYPE_VLAN && et != ETHERTYPE_QINQ {
                break;
            }
            et = u16_at(data, at + 2)?;
            at += VLAN_TAG;
        }
        matches!(et, ETHERTYPE_IPV4 | ETHERTYPE_IPV6).then(|| data.get(at..))?
    };
    match link {
        linktype::ETHERNET => ethertype_payload(u16_at(data, ETH_HEADER - 2)?, ETH_HEADER),
        linktype::LINUX_SLL => ethertype_payload(u16_at(data, SLL_HEADER - 2)?, SLL_HEADER),
        LINUX_SLL2 => ethertype_payload(u16_at(data, 0)?, SLL2_HEADER),
        linktype::RAW | linktype::RAW_12 | linktype::RAW_14 | RAW_IPV4 | RAW_IPV6 => Some(data),
        linktype::NULL | linktype::LOOP => data.get(LOOPBACK_HEADER..),
        _ => None,
    }
}

/// The flow key of a frame: equal for both directions of a flow.
#[cfg(test)]
pub fn flow_key(link: u32, data: &[u8]) -> u64 {
    deal(link, data).key
}

/// Where a frame goes (see [`Deal`]).
pub fn deal(link: u32, data: &[u8]) -> Deal {
    let keyed = |key| Deal {
        key,
        shared: false,
        gpdu_direction: None,
    };
    let Some(ip) = ip_of(link, data) else {
        return keyed(0);
    };
    let version = ip.first().map_or(0, |b| b >> 4);
    let (src, dst, proto, l4, fragment): (&[u8], &[u8], u8, Option<&[u8]>, bool) = match version {
        4 => {
            let ihl = usize::from(ip.first().map_or(0, |b| b & 0x0f)) * 4;
            let flags_frag = u16_at(ip, 6).unwrap_or(0);
            // more fragments, or an offset: a fragment
            let fragment = flags_frag & 0x3fff != 0;
            let (Some(src), Some(dst), Some(&proto)) = (ip.get(12..16), ip.get(16..20), ip.get(9))
            else {
                return keyed(0);
            };
            (src, dst, proto, ip.get(ihl..), fragment)
        }
        6 => {
            let (Some(src), Some(dst), Some(&next)) = (ip.get(8..24), ip.get(24..40), ip.get(6))
            else {
                return keyed(0);
            };
            (src, dst, next, ip.get(IPV6_HEADER..), next == IPV6_FRAGMENT)
        }
        _ => return keyed(0),
    };
    // SIGTRAN all on one worker: SS7 state spans associations (a transfer point sends the
    // answer on another association than the request; a subscriber's places, a title's
    // lookups and their answers come over many)
    if proto == IPPROTO_SCTP {
        return keyed(SCTP_KEY);
    }
    let ports = match (fragment, proto) {
        (false, IPPROTO_UDP | IPPROTO_SCTP | IPPROTO_TCP) => {
            l4.and_then(|l| Some((u16_at(l, 0)?, u16_at(l, 2)?)))
        }
        _ => None,
    };
    if let (IPPROTO_UDP, Some((sp, dp))) = (proto, ports) {
        match gtp_deal(sp, dp, l4) {
            GtpDeal::Signalling => {
                return Deal {
                    key: GTP_SIGNALLING_KEY,
                    shared: gtp_shared(l4),
                    gpdu_direction: None,
                }
            }
            GtpDeal::UserPlane => {
                let mut d = std::collections::hash_map::DefaultHasher::new();
                (src, dst).hash(&mut d);
                return Deal {
                    key: pair_key(src, dst, ports),
                    shared: false,
                    gpdu_direction: Some(d.finish()),
                };
            }
            GtpDeal::None => {}
        }
    }
    keyed(pair_key(src, dst, ports))
}

/// The unordered pair of (address, port) ends, or of addresses without ports, hashed.
fn pair_key(src: &[u8], dst: &[u8], ports: Option<(u16, u16)>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match ports {
        Some((sp, dp)) => {
            let (a, b) = ((src, sp), (dst, dp));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            lo.hash(&mut h);
            hi.hash(&mut h);
        }
        None => {
            let (lo, hi) = if src <= dst { (src, dst) } else { (dst, src) };
            lo.hash(&mut h);
            hi.hash(&mut h);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigscope::capture::writer::{ethernet_ipv4, ethernet_ipv4_udp};

    #[test]
    fn both_directions_share_a_key_and_fragments_go_by_address_pair() {
        let a = [192, 0, 2, 1];
        let b = [192, 0, 2, 2];
        let ab = ethernet_ipv4_udp(a, b, 2123, 2123, b"\x40\x01\x00\x04");
        let ba = ethernet_ipv4_udp(b, a, 2123, 2123, b"\x40\x02\x00\x04");
        assert_eq!(
            flow_key(linktype::ETHERNET, &ab),
            flow_key(linktype::ETHERNET, &ba)
        );
        let other_port = ethernet_ipv4_udp(a, b, 2152, 2152, b"\x30\xff\x00\x00");
        let other_pair = ethernet_ipv4_udp(a, [192, 0, 2, 3], 2152, 2152, b"\x30\xff\x00\x00");
        assert_ne!(
            flow_key(linktype::ETHERNET, &other_port),
            flow_key(linktype::ETHERNET, &other_pair)
        );
        assert_ne!(
            flow_key(linktype::ETHERNET, &ab),
            flow_key(linktype::ETHERNET, &other_port)
        );
        // a first fragment (MF set) of a UDP datagram and a later one: the address pair
        let mut first = ethernet_ipv4(a, b, IPPROTO_UDP, &[0u8; 64]);
        first[ETH_HEADER + 6] = 0x20;
        let mut later = ethernet_ipv4(b, a, IPPROTO_UDP, &[7u8; 64]);
        later[ETH_HEADER + 7] = 0x08;
        assert_eq!(
            flow_key(linktype::ETHERNET, &first),
            flow_key(linktype::ETHERNET, &later)
        );
        assert_ne!(flow_key(linktype::ETHERNET, &first), 0);
        // every SCTP association (and its fragments) on one worker, as frames with no IP
        let sctp_ab = ethernet_ipv4(a, b, IPPROTO_SCTP, &[0u8; 64]);
        let sctp_other = ethernet_ipv4([198, 51, 100, 1], b, IPPROTO_SCTP, &[1u8; 64]);
        assert_eq!(flow_key(linktype::ETHERNET, &sctp_ab), SCTP_KEY);
        assert_eq!(flow_key(linktype::ETHERNET, &sctp_other), SCTP_KEY);
        assert_eq!(flow_key(linktype::MTP2, &ab), 0);
        // GTP signalling on worker 0 too (control, GTP', and Echo / Error Indication on the
        // user-plane port); G-PDUs by their pair
        for (sp, dp, body) in [
            (2123u16, 2123u16, &b"\x32\x01\x00\x04"[..]),
            (40_000, 2123, &b"\x48\x20\x00\x04"[..]),
            (3386, 3386, &b"\x2e\xf0\x00\x00"[..]),
            (2152, 2152, &b"\x32\x01\x00\x04"[..]),
            (2152, 2152, &b"\x32\x1a\x00\x04"[..]),
        ] {
            let f = ethernet_ipv4_udp(a, [10, 9, 8, 7], sp, dp, body);
            assert_eq!(flow_key(linktype::ETHERNET, &f), SCTP_KEY, "{sp} {dp}");
        }
        assert_ne!(flow_key(linktype::ETHERNET, &other_pair), SCTP_KEY);
        // GTP off the GTP ports as the decoder recognises it (a strict GTPv2 Echo Request
        // with Recovery) goes with the signalling; other UDP by its pair
        let off_port = ethernet_ipv4_udp(
            a,
            [10, 9, 8, 7],
            40_000,
            40_123,
            b"\x40\x01\x00\x09\x00\x00\x01\x00\x03\x00\x01\x00\x05",
        );
        assert_eq!(flow_key(linktype::ETHERNET, &off_port), SCTP_KEY);
        let dns = ethernet_ipv4_udp(a, [10, 9, 8, 7], 40_000, 53, b"\x12\x34\x01\x00\x00\x01");
        assert_ne!(flow_key(linktype::ETHERNET, &dns), SCTP_KEY);
        // Creates and Error Indications are learnt by every worker; other session messages, Echoes,
        // G-PDUs and SIGTRAN are not
        let shared = |sp, dp, body: &[u8]| {
            deal(
                linktype::ETHERNET,
                &ethernet_ipv4_udp(a, [10, 9, 8, 7], sp, dp, body),
            )
            .shared
        };
        assert!(shared(2123, 2123, b"\x48\x20\x00\x04"));
        assert!(shared(2123, 2123, b"\x32\x10\x00\x04"));
        assert!(shared(2152, 2152, b"\x32\x1a\x00\x04"));
        assert!(!shared(2123, 2123, b"\x48\x24\x00\x04"));
        assert!(!shared(2123, 2123, b"\x32\x11\x00\x04"));
        assert!(!shared(2123, 2123, b"\x32\x01\x00\x04"));
        assert!(!shared(2123, 2123, b"\x40\x01\x00\x04"));
        assert!(!shared(2152, 2152, b"\x30\xff\x00\x00"));
        assert!(!deal(linktype::ETHERNET, &sctp_ab).shared);
        assert_eq!(flow_key(linktype::ETHERNET, &ab[..20]), 0);
    }

    proptest::proptest! {
        /// Any bytes under any link type are dealt without a panic, and a UDP datagram and
        /// its reply (ends swapped) go to the same worker with the same sharing.
        #[test]
        fn any_frame_is_dealt(
            link in proptest::sample::select(vec![
                linktype::ETHERNET, linktype::LINUX_SLL, LINUX_SLL2, linktype::RAW, RAW_IPV6,
                linktype::NULL, linktype::MTP2,
            ]),
            data in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            ports in (proptest::sample::select(vec![2123u16, 2152, 3386, 53, 40_000]),
                      proptest::sample::select(vec![2123u16, 2152, 3386, 53, 40_001])),
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
        ) {
            let _ = deal(link, &data);
            let a = [192, 0, 2, 1];
            let b = [198, 51, 100, 2];
            let there = deal(linktype::ETHERNET, &ethernet_ipv4_udp(a, b, ports.0, ports.1, &body));
            let back = deal(linktype::ETHERNET, &ethernet_ipv4_udp(b, a, ports.1, ports.0, &body));
            proptest::prop_assert_eq!(there.key, back.key);
            proptest::prop_assert_eq!(there.shared, back.shared);
        }
    }
}
