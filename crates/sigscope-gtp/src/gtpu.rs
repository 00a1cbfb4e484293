//! GTP-U user data: the T-PDU of a G-PDU is the inner IPv4/IPv6 packet, borrowed; its IP and
//! UDP/TCP headers are parsed with etherparse (lax: truncated inner packets still give what
//! they have).

use std::net::IpAddr;

use etherparse::{LaxNetSlice, LaxSlicedPacket, TransportSlice};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use crate::v1::V1Slice;
use crate::{detect_well_formed, PORT_GTPC, PORT_GTPU, PORT_PRIME};

/// The inner packet of a G-PDU, parsed through etherparse.
pub fn inner_packet<'a>(tpdu: &'a [u8]) -> Option<LaxSlicedPacket<'a>> {
    LaxSlicedPacket::from_ip(tpdu).ok()
}

/// What an IDS usually wants from the inner packet, without keeping etherparse types around.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct InnerSummary {
    /// 4 or 6.
    pub version: u8,
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// IP protocol / next header of the payload.
    pub protocol: u8,
    /// Inner transport source port (UDP/TCP).
    pub sport: Option<u16>,
    /// Inner transport destination port (UDP/TCP).
    pub dport: Option<u16>,
    /// Offset of the transport payload within the T-PDU.
    pub payload_offset: Option<usize>,
    /// Length of the transport payload.
    pub payload_len: Option<usize>,
    /// The IP payload is a fragment.
    pub fragmented: bool,
    /// etherparse stopped early (truncated or malformed inner packet).
    pub incomplete: bool,
}

fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    i.checked_sub(o).filter(|d| d + inner.len() <= outer.len())
}

/// Summarise the inner packet (`None` when the T-PDU is not IPv4/IPv6).
pub fn summarize(tpdu: &[u8]) -> Option<InnerSummary> {
    let p = inner_packet(tpdu)?;
    let (version, src, dst, protocol, fragmented, ip_incomplete) = match &p.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let h = v4.header();
            let pl = v4.payload();
            (
                4,
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                pl.ip_number.0,
                pl.fragmented,
                pl.incomplete,
            )
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let h = v6.header();
            let pl = v6.payload();
            (
                6,
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                pl.ip_number.0,
                pl.fragmented,
                pl.incomplete,
            )
        }
        _ => return None,
    };
    let (sport, dport, payload) = match &p.transport {
        Some(TransportSlice::Udp(u)) => (
            Some(u.source_port()),
            Some(u.destination_port()),
            Some(u.payload()),
        ),
        Some(TransportSlice::Tcp(t)) => (
            Some(t.source_port()),
            Some(t.destination_port()),
            Some(t.payload()),
        ),
        _ => (None, None, None),
    };
    Some(InnerSummary {
        version,
        src,
        dst,
        protocol,
        sport,
        dport,
        payload_offset: payload.and_then(|pl| offset_in(tpdu, pl)),
        payload_len: payload.map(<[u8]>::len),
        fragmented,
        incomplete: ip_incomplete || p.stop_err.is_some(),
    })
}

/// For a G-PDU: report GTP carried inside the tunnel (inner UDP whose payload is well-formed
/// GTP, [`detect_well_formed`], on any port) as `gtp_in_gtpu`, with the inner GTP port (else the destination port) as value and the
/// offset of the inner GTP header within the datagram. Returns the summary of the inner
/// packet.
pub fn check_inner(msg: &V1Slice<'_>, out: &mut Anomalies) -> Option<InnerSummary> {
    let tpdu = msg.body();
    let s = summarize(tpdu)?;
    if s.protocol == 17 {
        if let (Some(sport), Some(dport), Some(off), Some(len)) =
            (s.sport, s.dport, s.payload_offset, s.payload_len)
        {
            let port = [dport, sport]
                .into_iter()
                .find(|p| matches!(*p, PORT_GTPC | PORT_GTPU | PORT_PRIME))
                .unwrap_or(dport);
            let inner = tpdu.get(off..off + len).unwrap_or(&[]);
            // well-formed GTP only, on whatever port: a subscriber's own traffic to or from a
            // GTP port (DNS sent from source port 2152, QUIC whose first octet reads as a
            // GTPv2 header) is not GTP
            if detect_well_formed(inner).is_some() {
                out.push(
                    Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::GtpInGtpu,
                        msg.body_offset() + off,
                        "GTP tunnelled inside GTP-U",
                    )
                    .with_value(u64::from(port)),
                );
            }
        }
    }
    Some(s)
}
