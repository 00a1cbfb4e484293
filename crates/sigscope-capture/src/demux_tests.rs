//! Unit tests for the frame demultiplexer (`demux.rs`): IP and SCTP parsing against etherparse.

use super::*;

/// [`plain_ipv4`] carrying SCTP ([`sctp_of`]): the addresses and the SCTP packet.
fn plain_ipv4_sctp(ip: &[u8]) -> Option<(Addrs, &[u8])> {
    let (addrs, proto, payload) = plain_ipv4(ip)?;
    Some((addrs, sctp_of(proto, payload)?))
}

/// [`plain_ipv4`] carrying UDP ([`udp_of`]): the addresses and the datagram.
fn plain_ipv4_udp(ip: &[u8]) -> Option<(Addrs, etherparse::UdpSlice<'_>)> {
    let (addrs, proto, payload) = plain_ipv4(ip)?;
    Some((addrs, udp_of(proto, payload)?))
}

use proptest::prelude::*;

/// What etherparse makes of an IPv4 packet when it is whole SCTP: addresses and payload.
fn etherparse_view(sp: &SlicedPacket<'_>) -> Option<(IpAddr, IpAddr, Vec<u8>)> {
    let Some(NetSlice::Ipv4(v4)) = &sp.net else {
        return None;
    };
    let pl = v4.payload();
    (!pl.fragmented && pl.ip_number == IpNumber::SCTP && sp.transport.is_none()).then(|| {
        (
            IpAddr::V4(v4.header().source_addr()),
            IpAddr::V4(v4.header().destination_addr()),
            pl.payload.to_vec(),
        )
    })
}

/// The hand path and etherparse (from raw IP and from an EtherType) on one packet: they
/// must agree; gives the hand path's view.
fn agreed(ip: &[u8]) -> Option<(IpAddr, IpAddr, Vec<u8>)> {
    let hand = plain_ipv4_sctp(ip).map(|(a, p)| (a.src, a.dst, p.to_vec()));
    for sp in [
        SlicedPacket::from_ip(ip),
        SlicedPacket::from_ether_type(EtherType::IPV4, ip),
    ] {
        assert_eq!(
            hand,
            sp.ok().as_ref().and_then(etherparse_view),
            "{ip:02x?}"
        );
    }
    hand
}

/// A 20-byte IPv4 header (10.0.0.1 -> 10.0.0.2) with its total length, then `payload`.
fn ipv4(proto: u8, flags: u16, payload: &[u8]) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let mut ip = vec![0x45, 0];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&[0, 1]);
    ip.extend_from_slice(&flags.to_be_bytes());
    ip.extend_from_slice(&[64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    ip.extend_from_slice(payload);
    ip
}

/// SCTP behind an IPsec authentication header (protocol 51): etherparse skips the AH
/// ((payload length + 2) * 4 bytes) and slices SCTP; the hand path once declined it (the
/// proptest below found it: AH next header 132, payload length 1, then zeros).
#[test]
fn sctp_behind_ah_agrees_with_etherparse() {
    let src = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let dst = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
    // the proptest's minimal failing case: a 12-byte AH, then 44 bytes
    let mut ah = vec![132, 1];
    ah.resize(56, 0);
    assert_eq!(agreed(&ipv4(51, 0, &ah)), Some((src, dst, vec![0; 44])));
    // a 24-byte AH (12-byte ICV) before an SCTP common header and a DATA chunk
    let sctp = [
        0x0b, 0x59, 0x0b, 0x59, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0x14, 0, 0, 0, 7, 0, 1, 0, 0, 0,
        0, 0, 3, 1, 2, 3, 4,
    ];
    let mut ah = vec![132, 4, 0, 0, 0, 0, 1, 0x23, 0, 0, 0, 9];
    ah.extend_from_slice(&[0xaa; 12]);
    ah.extend_from_slice(&sctp);
    assert_eq!(agreed(&ipv4(51, 0, &ah)), Some((src, dst, sctp.to_vec())));
    // trailing bytes past the total length are not SCTP
    let mut padded = ipv4(51, 0, &ah);
    padded.extend_from_slice(&[0; 6]);
    assert_eq!(agreed(&padded), Some((src, dst, sctp.to_vec())));
    // what is not SCTP behind one well-formed AH in a whole datagram is left to etherparse
    let not = |p: &[u8], flags: u16| assert_eq!(agreed(&ipv4(51, flags, p)), None);
    not(&[132, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2], 0); // AH payload length 0
    not(
        &[17, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 8, 0, 0],
        0,
    ); // UDP behind
    not(&[51, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 132, 1, 0, 0], 0); // AH behind AH
    not(&[132, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0); // AH past the datagram
    not(&[132, 1, 0, 0, 0, 0, 0, 0], 0); // shorter than an AH
    not(&[132], 0);
    not(&[], 0);
    not(&[132, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2], 0x2000); // a fragment (MF)
    not(&[132, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2], 0x0001); // a fragment (offset)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, .. ProptestConfig::default() })]

    /// The hand-decoded IPv4 path accepts exactly what etherparse slices as whole UDP,
    /// and gives the same addresses, ports and payload, from raw IP and from an EtherType.
    #[test]
    fn plain_ipv4_udp_agrees_with_etherparse(
        vihl in prop_oneof![4 => Just(0x45u8), 1 => Just(0x46u8), 1 => any::<u8>()],
        total_delta in prop_oneof![3 => Just(0i32), 1 => -30i32..30],
        flags in prop_oneof![3 => Just(0u16), 1 => any::<u16>()],
        proto in prop_oneof![4 => Just(17u8), 1 => any::<u8>()],
        udp_len_delta in prop_oneof![3 => Just(0i32), 1 => -12i32..12, 1 => Just(i32::MIN)],
        rest in proptest::collection::vec(any::<u8>(), 0..60),
        pad in 0usize..6,
    ) {
        let mut ip = vec![vihl, 0, 0, 0, 0, 1];
        ip.extend_from_slice(&flags.to_be_bytes());
        ip.extend_from_slice(&[64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        let udp_len = if udp_len_delta == i32::MIN {
            0 // "length 0": the slice's length is taken
        } else {
            (8 + rest.len() as i32 + udp_len_delta).clamp(0, 0xffff) as u16
        };
        ip.extend_from_slice(&[0x08, 0x4b, 0x08, 0x68]);
        ip.extend_from_slice(&udp_len.to_be_bytes());
        ip.extend_from_slice(&[0, 0]);
        ip.extend_from_slice(&rest);
        let total = (ip.len() as i32 + total_delta).clamp(0, 0xffff) as u16;
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip.extend(std::iter::repeat_n(0u8, pad));
        let hand = plain_ipv4_udp(&ip)
            .map(|(a, u)| (a.src, a.dst, u.source_port(), u.destination_port(), u.payload().to_vec()));
        // what the hand path takes, the slicer takes the same way; what it leaves goes to
        // the slicer (nothing is lost)
        for sp in [SlicedPacket::from_ip(&ip), SlicedPacket::from_ether_type(EtherType::IPV4, &ip)] {
            let theirs = sp.ok().as_ref().and_then(|sp| {
                let Some(NetSlice::Ipv4(v4)) = &sp.net else { return None };
                let Some(TransportSlice::Udp(u)) = &sp.transport else { return None };
                (!v4.payload().fragmented).then(|| (
                    IpAddr::V4(v4.header().source_addr()),
                    IpAddr::V4(v4.header().destination_addr()),
                    u.source_port(),
                    u.destination_port(),
                    u.payload().to_vec(),
                ))
            });
            prop_assert_eq!(&hand, &theirs);
        }
    }

    /// The hand-decoded IPv4 path accepts exactly what etherparse slices as whole SCTP,
    /// and gives the same addresses and payload, from raw IP and from an EtherType.
    #[test]
    fn plain_ipv4_sctp_agrees_with_etherparse(
        vihl in prop_oneof![4 => Just(0x45u8), 1 => Just(0x46u8), 1 => any::<u8>()],
        total_delta in prop_oneof![3 => Just(0i32), 1 => -30i32..30],
        flags in prop_oneof![3 => Just(0u16), 1 => any::<u16>()],
        proto in prop_oneof![3 => Just(132u8), 1 => Just(51u8), 1 => any::<u8>()],
        ah in prop_oneof![
            2 => Just(Vec::new()),
            1 => (prop_oneof![Just(132u8), Just(51u8), any::<u8>()], 0u8..5)
                .prop_map(|(next, words)| vec![next, words]),
        ],
        rest in proptest::collection::vec(any::<u8>(), 0..60),
        pad in 0usize..6,
    ) {
        let mut ip = vec![vihl, 0, 0, 0, 0, 1];
        ip.extend_from_slice(&flags.to_be_bytes());
        ip.extend_from_slice(&[64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        // after a 20-byte header with protocol 51: the start of an authentication header
        ip.extend_from_slice(&ah);
        ip.extend_from_slice(&rest);
        let total = (ip.len() as i32 + total_delta).clamp(0, 0xffff) as u16;
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip.extend(std::iter::repeat_n(0u8, pad));
        let hand = plain_ipv4_sctp(&ip).map(|(a, p)| (a.src, a.dst, p.to_vec()));
        for sp in [SlicedPacket::from_ip(&ip), SlicedPacket::from_ether_type(EtherType::IPV4, &ip)] {
            let theirs = sp.ok().as_ref().and_then(etherparse_view);
            prop_assert_eq!(&hand, &theirs);
        }
    }
}
