//! Writing small pcap files (test vectors, the demo capture, traffic synthesis) and framing
//! payloads in Ethernet/IPv4/UDP or SCTP with etherparse.

use etherparse::{IpNumber, PacketBuilder};

/// Build a classic pcap file (little-endian, microseconds) in memory.
#[derive(Debug, Clone)]
pub struct PcapWriter {
    out: Vec<u8>,
    nanos: bool,
}

impl PcapWriter {
    /// New file with this link type; `nanos` selects the nanosecond magic.
    pub fn new(linktype: u32, nanos: bool) -> Self {
        let mut out = Vec::with_capacity(4096);
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        out.extend_from_slice(&magic.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&0i32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&linktype.to_le_bytes());
        PcapWriter { out, nanos }
    }

    /// Append one frame.
    pub fn packet(&mut self, ts_nanos: u64, data: &[u8]) {
        let secs = (ts_nanos / 1_000_000_000) as u32;
        let frac = if self.nanos {
            (ts_nanos % 1_000_000_000) as u32
        } else {
            ((ts_nanos % 1_000_000_000) / 1000) as u32
        };
        let len = data.len() as u32;
        self.out.extend_from_slice(&secs.to_le_bytes());
        self.out.extend_from_slice(&frac.to_le_bytes());
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(data);
    }

    /// The file bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

const SRC_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const DST_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

/// An Ethernet/IPv4 frame carrying `payload` as IP protocol `proto` (e.g. 132 for SCTP).
pub fn ethernet_ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    let builder = PacketBuilder::ethernet2(SRC_MAC, DST_MAC).ipv4(src, dst, 64);
    let mut out = Vec::with_capacity(payload.len() + 34);
    // Writing to a Vec cannot fail; a payload too large for IPv4 yields an empty frame.
    if builder.write(&mut out, IpNumber(proto), payload).is_err() {
        out.clear();
    }
    out
}

/// An Ethernet/IPv4/UDP frame.
pub fn ethernet_ipv4_udp(
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Vec<u8> {
    let builder = PacketBuilder::ethernet2(SRC_MAC, DST_MAC)
        .ipv4(src, dst, 64)
        .udp(sport, dport);
    let mut out = Vec::with_capacity(payload.len() + 42);
    if builder.write(&mut out, payload).is_err() {
        out.clear();
    }
    out
}

/// An Ethernet/IPv4/TCP frame without options or payload from the header fields detection
/// reads ([`crate::TcpSegment`]: flags, sequence and acknowledgement numbers, window, urgent
/// pointer), the checksum computed. The urgent pointer is written as given whatever the URG
/// flag says (a beacon sets it with URG clear).
pub fn ethernet_ipv4_tcp(
    (src, sport): ([u8; 4], u16),
    (dst, dport): ([u8; 4], u16),
    seg: &crate::TcpSegment,
) -> Vec<u8> {
    use crate::TcpSegment as T;
    let mut h = etherparse::TcpHeader::new(sport, dport, seg.seq, seg.window);
    h.acknowledgment_number = seg.ack;
    h.fin = seg.has(T::FIN);
    h.syn = seg.has(T::SYN);
    h.rst = seg.has(T::RST);
    h.psh = seg.has(T::PSH);
    h.ack = seg.has(T::ACK);
    h.urg = seg.has(T::URG);
    h.urgent_pointer = seg.urgent_pointer;
    let builder = PacketBuilder::ethernet2(SRC_MAC, DST_MAC)
        .ipv4(src, dst, 64)
        .tcp_header(h);
    let mut out = Vec::with_capacity(54);
    if builder.write(&mut out, &[]).is_err() {
        out.clear();
    }
    out
}

/// An IPv4 packet (no link header) carrying an ICMP echo request or reply with `payload`, the
/// checksums computed: what a subscriber's ping is inside a G-PDU.
pub fn ipv4_icmp_echo(
    (src, dst): ([u8; 4], [u8; 4]),
    request: bool,
    (id, seq): (u16, u16),
    payload: &[u8],
) -> Vec<u8> {
    let ip = PacketBuilder::ipv4(src, dst, 64);
    let builder = if request {
        ip.icmpv4_echo_request(id, seq)
    } else {
        ip.icmpv4_echo_reply(id, seq)
    };
    let mut out = Vec::with_capacity(payload.len() + 28);
    if builder.write(&mut out, payload).is_err() {
        out.clear();
    }
    out
}

/// A synthetic M3UA capture (benches, profiling): `frames` Ethernet/IPv4/SCTP frames of
/// `per_packet` DATA chunks, each an M3UA DATA message (OPC 100-106, DPC 200 + chunk index,
/// SI 3) with 120 octets of user data, a typical SCCP UDT + TCAP/MAP size.
pub fn synthetic_m3ua(frames: usize, per_packet: usize) -> Vec<u8> {
    use sigscope_sigtran::m3ua::DataRepr;
    use sigscope_sigtran::sctp::{DataChunkRepr, SctpRepr};
    let mut w = PcapWriter::new(crate::reader::linktype::ETHERNET, false);
    for f in 0..frames {
        let chunks = (0..per_packet)
            .filter_map(|c| {
                let mut m = Vec::new();
                DataRepr {
                    network_appearance: None,
                    routing_context: Some(1),
                    opc: 100 + (f % 7) as u32,
                    dpc: 200 + c as u32,
                    si: 3,
                    ni: 2,
                    mp: 0,
                    sls: (f % 16) as u8,
                    user_data: vec![0x09; 120],
                }
                .emit(&mut m)
                .ok()?;
                Some(DataChunkRepr {
                    flags: 3,
                    tsn: (f * per_packet + c) as u32,
                    stream: 1,
                    ssn: f as u16,
                    ppid: 3,
                    payload: m,
                })
            })
            .collect();
        let sctp = SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 1,
            chunks,
        };
        if let Ok(p) = sctp.emit() {
            w.packet(
                1_700_000_000_000_000_000 + f as u64 * 1000,
                &ethernet_ipv4([10, 0, 0, 1], [10, 0, 0, 2], 132, &p),
            );
        }
    }
    w.into_bytes()
}
