//! Capture reading: formats told by magic, both byte orders, ns timestamps, pcapng interfaces,
//! gzip, stdin-like streams, truncation and garbage — on made and on real captures.

use sigscope_core::AnomalyCode;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sigscope_capture::reader::linktype;
use sigscope_capture::writer::{ethernet_ipv4, ethernet_ipv4_udp, PcapWriter};
use sigscope_capture::{CaptureError, Demux, Reader, Signal, SliceReader, Transport};
use sigscope_core::Anomalies;
use sigscope_sigtran::m3ua::DataRepr;
use sigscope_sigtran::sctp::{DataChunkRepr, SctpRepr};

fn m3ua_frame(opc: u32, dpc: u32) -> Vec<u8> {
    let mut m3ua = Vec::new();
    DataRepr {
        network_appearance: None,
        routing_context: Some(1),
        opc,
        dpc,
        si: 3,
        ni: 2,
        mp: 0,
        sls: 1,
        user_data: vec![0x09, 0x80, 3, 5, 7],
    }
    .emit(&mut m3ua)
    .expect("fits an M3UA parameter");
    let sctp = SctpRepr {
        source_port: 2905,
        destination_port: 2905,
        verification_tag: 7,
        chunks: vec![DataChunkRepr {
            flags: 3,
            tsn: 1,
            stream: 1,
            ssn: 0,
            ppid: 3,
            payload: m3ua,
        }],
    }
    .emit()
    .expect("fits an SCTP packet");
    ethernet_ipv4([10, 0, 0, 1], [10, 0, 0, 2], 132, &sctp)
}

fn sample_pcap(nanos: bool) -> Vec<u8> {
    let mut w = PcapWriter::new(linktype::ETHERNET, nanos);
    w.packet(1_700_000_000_123_456_789, &m3ua_frame(1, 2));
    w.packet(
        1_700_000_001_000_000_000,
        &ethernet_ipv4_udp(
            [10, 0, 0, 3],
            [10, 0, 0, 4],
            2123,
            2123,
            &[0x32, 1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0],
        ),
    );
    w.packet(1_700_000_002_000_000_000, &m3ua_frame(3, 4));
    w.into_bytes()
}

/// (frame, ts, linktype, length) per frame.
type Frames = Vec<(u64, u64, u32, usize)>;

fn collect(data: &[u8]) -> (Frames, Option<CaptureError>) {
    let mut r = Reader::new(Box::new(Cursor::new(data.to_vec()))).expect("capture");
    let mut v = Vec::new();
    loop {
        match r.next_packet() {
            Ok(Some(p)) => v.push((p.frame, p.ts_nanos, p.linktype, p.data.len())),
            Ok(None) => return (v, None),
            Err(e) => return (v, Some(e)),
        }
    }
}

fn signals(data: &[u8]) -> Vec<(u64, Transport, Vec<u8>)> {
    let mut r = SliceReader::new(data).expect("capture");
    let mut d = Demux::default();
    let mut out = Vec::new();
    while let Ok(Some(p)) = r.next_packet() {
        let mut a = Anomalies::new();
        d.dissect(&p, &mut a, &mut |s: Signal<'_>, _| {
            out.push((p.frame, s.transport, s.data.to_vec()))
        });
    }
    out
}

#[test]
fn pcap_micro_and_nano() {
    let (v, e) = collect(&sample_pcap(false));
    assert!(e.is_none());
    assert_eq!(v.len(), 3);
    assert_eq!(v[0].0, 1);
    assert_eq!(v[0].1, 1_700_000_000_123_456_000);
    assert_eq!(v[0].2, linktype::ETHERNET);
    let (v, _) = collect(&sample_pcap(true));
    assert_eq!(v[0].1, 1_700_000_000_123_456_789);
}

#[test]
fn big_endian_pcap() {
    // Rewrite the little-endian sample as big-endian: header fields and record headers swapped.
    let le = sample_pcap(false);
    let mut be = Vec::new();
    let sw32 = |b: &[u8]| [b[3], b[2], b[1], b[0]];
    be.extend_from_slice(&sw32(&le[0..4]));
    be.extend_from_slice(&[le[5], le[4], le[7], le[6]]);
    for i in (8..24).step_by(4) {
        be.extend_from_slice(&sw32(&le[i..i + 4]));
    }
    let mut pos = 24;
    while pos < le.len() {
        let len =
            u32::from_le_bytes([le[pos + 8], le[pos + 9], le[pos + 10], le[pos + 11]]) as usize;
        for i in 0..4 {
            be.extend_from_slice(&sw32(&le[pos + 4 * i..pos + 4 * i + 4]));
        }
        be.extend_from_slice(&le[pos + 16..pos + 16 + len]);
        pos += 16 + len;
    }
    assert_eq!(collect(&be).0, collect(&le).0);
    let mut sr = SliceReader::new(&be).unwrap();
    assert_eq!(
        sr.next_packet().unwrap().unwrap().ts_nanos,
        1_700_000_000_123_456_000
    );
}

#[test]
fn gzip_is_transparent() {
    let raw = sample_pcap(false);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw).unwrap();
    let gz = gz.finish().unwrap();
    assert_eq!(collect(&gz).0, collect(&raw).0);
}

#[test]
fn not_a_capture_is_refused_with_its_magic() {
    match Reader::new(Box::new(Cursor::new(b"GET / HTTP/1.1\r\n".to_vec()))) {
        Err(CaptureError::NotACapture { magic }) => assert_eq!(&magic, b"GET "),
        other => panic!("expected NotACapture, got {:?}", other.map(|_| ())),
    }
    assert!(matches!(
        SliceReader::new(b"xy"),
        Err(CaptureError::NotACapture { .. })
    ));
    assert!(matches!(
        Reader::new(Box::new(Cursor::new(Vec::new()))),
        Err(CaptureError::NotACapture { .. })
    ));
}

#[test]
fn truncated_capture_yields_complete_frames_then_where_it_was_cut() {
    let raw = sample_pcap(false);
    let cut = &raw[..raw.len() - 10];
    let (v, e) = collect(cut);
    assert_eq!(v.len(), 2);
    match e {
        Some(CaptureError::Truncated { frame, offset }) => {
            assert_eq!(frame, 2);
            assert!(offset > 24 && offset < raw.len() as u64);
        }
        other => panic!("expected Truncated, got {other:?}"),
    }
    let mut sr = SliceReader::new(cut).unwrap();
    let mut n = 0;
    let err = loop {
        match sr.next_packet() {
            Ok(Some(_)) => n += 1,
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    assert_eq!(n, 2);
    assert!(matches!(
        err,
        Some(CaptureError::Truncated { frame: 2, .. })
    ));
}

#[test]
fn demux_finds_sctp_and_udp() {
    let s = signals(&sample_pcap(false));
    assert_eq!(s.len(), 3);
    assert!(matches!(s[0].1, Transport::Sctp { ppid, stream: 1, .. } if ppid.0 == 3));
    assert_eq!(s[1].1, Transport::Udp);
    assert_eq!(s[1].2[0], 0x32);
}

#[test]
fn sctp_fragments_are_reassembled() {
    let mut m3ua = Vec::new();
    DataRepr {
        network_appearance: None,
        routing_context: None,
        opc: 9,
        dpc: 8,
        si: 3,
        ni: 2,
        mp: 0,
        sls: 0,
        user_data: vec![0xab; 300],
    }
    .emit(&mut m3ua)
    .expect("fits an M3UA parameter");
    let (a, b) = m3ua.split_at(150);
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    for (i, (part, flags)) in [(b, 1u8), (a, 2u8)].into_iter().enumerate() {
        let tsn = if flags == 2 { 100 } else { 101 };
        let sctp = SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 1,
            chunks: vec![DataChunkRepr {
                flags,
                tsn,
                stream: 2,
                ssn: 4,
                ppid: 3,
                payload: part.to_vec(),
            }],
        }
        .emit()
        .expect("fits an SCTP packet");
        w.packet(
            i as u64 * 1000,
            &ethernet_ipv4([1, 1, 1, 1], [2, 2, 2, 2], 132, &sctp),
        );
    }
    let s = signals(&w.into_bytes());
    assert_eq!(s.len(), 1, "one message from two fragments");
    assert_eq!(s[0].0, 2);
    assert!(matches!(
        s[0].1,
        Transport::Sctp {
            reassembled: true,
            ..
        }
    ));
    assert_eq!(s[0].2, m3ua);
}

fn real(rel: &str) -> Option<PathBuf> {
    let base = match std::env::var_os("SIGSCOPE_CAPTURES") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures"),
    };
    let p = base.join(rel);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipping: {} absent", p.display());
        None
    }
}

fn count(p: &Path) -> (u64, Option<CaptureError>) {
    let mut r = Reader::open(p).unwrap();
    let mut n = 0;
    loop {
        match r.next_packet() {
            Ok(Some(_)) => n += 1,
            Ok(None) => return (n, None),
            Err(e) => return (n, Some(e)),
        }
    }
}

/// Frame counts from MANIFEST.tsv (tshark 4.0) for captures of every container kind.
#[test]
fn real_captures_frame_counts() {
    for (rel, frames) in [
        ("raw/ajbanjara+Wireshark/CAP.pcap", 58), // pcap, MTP3 link type
        ("raw/ajbanjara+Wireshark/isup_load_generator.pcap", 5265), // pcapng named .pcap, MTP2
        ("raw/ajbanjara+Wireshark/c05-http-reply-r1.pcap.gz", 68294), // gzip
        ("raw/open5gs+open5gs/testattach.pcapng", 565), // pcapng, Linux SLL
        ("raw/OISF+suricata-verify/sctp-max-chunks.pcap", 1), // raw IPv4 link type
        ("raw/ajbanjara+Wireshark/kNet-SCTP-Packets.pcap", 326), // pcapng SLL
    ] {
        let Some(p) = real(rel) else { continue };
        let (n, e) = count(&p);
        assert!(e.is_none(), "{rel}: {e:?}");
        assert_eq!(n, frames, "{rel}");
    }
}

/// The packet with 16,143 SCTP ABORT chunks is handled within the chunk limit, reported, and
/// nothing panics.
#[test]
fn sctp_max_chunks() {
    let Some(p) = real("raw/OISF+suricata-verify/sctp-max-chunks.pcap") else {
        return;
    };
    let data = std::fs::read(p).unwrap();
    let mut r = SliceReader::new(&data).unwrap();
    let pkt = r.next_packet().unwrap().unwrap();
    let mut a = Anomalies::new();
    Demux::default().dissect(&pkt, &mut a, &mut |_, _| {});
    assert!(a.contains(AnomalyCode::LimitReached), "{a:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Arbitrary bytes as a capture file: never panics.
    #[test]
    fn reader_never_panics(d in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(mut r) = SliceReader::new(&d) {
            for _ in 0..100 {
                match r.next_packet() { Ok(Some(_)) => {}, _ => break }
            }
        }
        if let Ok(mut r) = Reader::new(Box::new(Cursor::new(d.clone()))) {
            for _ in 0..100 {
                match r.next_packet() { Ok(Some(_)) => {}, _ => break }
            }
        }
    }

    /// Arbitrary frames on every link type: never panics.
    #[test]
    fn demux_never_panics(d in proptest::collection::vec(any::<u8>(), 0..300), lt in prop::sample::select(vec![0u32, 1, 12, 101, 108, 113, 139, 140, 141, 228, 229, 276, 9999])) {
        let pkt = sigscope_capture::Packet { frame: 1, ts_nanos: 0, linktype: lt, data: &d, orig_len: d.len() as u32, interface: 0 };
        let mut a = Anomalies::new();
        Demux::default().dissect(&pkt, &mut a, &mut |_, _| {});
    }

    /// Mutated real-shaped frames (Ethernet/IPv4/SCTP/M3UA with one byte changed): never panics.
    #[test]
    fn mutated_frames_never_panic(pos in 0usize..120, val: u8) {
        let mut f = m3ua_frame(1, 2);
        if let Some(b) = f.get_mut(pos) { *b = val; }
        let pkt = sigscope_capture::Packet { frame: 1, ts_nanos: 0, linktype: 1, data: &f, orig_len: f.len() as u32, interface: 0 };
        let mut a = Anomalies::new();
        Demux::default().dissect(&pkt, &mut a, &mut |_, _| {});
    }
}

// ---- pcapng made by hand (little-endian), for what the real captures do not all show:
// several interfaces with their own link type and timestamp resolution, SPB, and a hostile
// if_tsoffset.

fn ng_block(out: &mut Vec<u8>, ty: u32, body: &[u8]) {
    let mut body = body.to_vec();
    while body.len() % 4 != 0 {
        body.push(0);
    }
    let len = (12 + body.len()) as u32;
    out.extend_from_slice(&ty.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&len.to_le_bytes());
}

fn ng_shb(out: &mut Vec<u8>) {
    let mut b = Vec::new();
    b.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&(-1i64).to_le_bytes());
    ng_block(out, 0x0A0D_0D0A, &b);
}

/// IDB with optional if_tsresol (code 9) and if_tsoffset (code 14).
fn ng_idb(out: &mut Vec<u8>, linktype: u16, tsresol: Option<u8>, tsoffset: Option<i64>) {
    let mut b = Vec::new();
    b.extend_from_slice(&linktype.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&65535u32.to_le_bytes());
    if let Some(r) = tsresol {
        b.extend_from_slice(&9u16.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&[r, 0, 0, 0]);
    }
    if let Some(o) = tsoffset {
        b.extend_from_slice(&14u16.to_le_bytes());
        b.extend_from_slice(&8u16.to_le_bytes());
        b.extend_from_slice(&o.to_le_bytes());
    }
    if tsresol.is_some() || tsoffset.is_some() {
        b.extend_from_slice(&[0, 0, 0, 0]); // opt_endofopt
    }
    ng_block(out, 1, &b);
}

fn ng_epb(out: &mut Vec<u8>, iface: u32, ts: u64, data: &[u8]) {
    let mut b = Vec::new();
    b.extend_from_slice(&iface.to_le_bytes());
    b.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
    b.extend_from_slice(&(ts as u32).to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(data);
    ng_block(out, 6, &b);
}

fn ng_spb(out: &mut Vec<u8>, data: &[u8]) {
    let mut b = Vec::new();
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(data);
    ng_block(out, 3, &b);
}

fn two_interface_pcapng() -> Vec<u8> {
    let eth = m3ua_frame(11, 22);
    let raw_ip = &eth[14..];
    let mut f = Vec::new();
    ng_shb(&mut f);
    ng_idb(&mut f, 1, None, None); // Ethernet, microseconds
    ng_idb(&mut f, 101, Some(9), Some(10)); // raw IP, nanoseconds, +10 s offset
    ng_epb(&mut f, 0, 1_700_000_000_250_000, &eth);
    ng_epb(&mut f, 1, 1_700_000_000_000_000_123, raw_ip);
    ng_spb(&mut f, &eth); // SPB: first interface
    f
}

#[test]
fn pcapng_interfaces_have_their_own_linktype_and_resolution() {
    let f = two_interface_pcapng();
    let mut seen = Vec::new();
    let mut r = SliceReader::new(&f).unwrap();
    while let Some(p) = r.next_packet().unwrap() {
        let mut opc = None;
        Demux::default().dissect(&p, &mut Anomalies::new(), &mut |s, _| {
            if let Transport::Sctp { .. } = s.transport {
                opc = Some(s.data.len());
            }
        });
        seen.push((p.frame, p.linktype, p.ts_nanos, opc.is_some()));
    }
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0], (1, 1, 1_700_000_000_250_000_000, true));
    assert_eq!(seen[1], (2, 101, 1_700_000_010_000_000_123, true));
    assert_eq!((seen[2].0, seen[2].1, seen[2].3), (3, 1, true));
    // the streaming reader agrees
    let mut r = Reader::new(Box::new(Cursor::new(f))).unwrap();
    let mut n = 0;
    while let Some(p) = r.next_packet().unwrap() {
        n += 1;
        assert_eq!(p.linktype, seen[n - 1].1);
    }
    assert_eq!(n, 3);
}

#[test]
fn hostile_tsoffset_saturates() {
    let eth = m3ua_frame(1, 2);
    for off in [i64::MAX, i64::MIN] {
        let mut f = Vec::new();
        ng_shb(&mut f);
        ng_idb(&mut f, 1, Some(0x80 | 1), Some(off));
        ng_epb(&mut f, 0, u64::MAX, &eth);
        let mut r = SliceReader::new(&f).unwrap();
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(p.frame, 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, .. ProptestConfig::default() })]

    /// A valid two-interface pcapng with bytes overwritten past the magic: never panics,
    /// and both readers yield the same frames.
    #[test]
    fn mutated_pcapng_never_panics(edits in proptest::collection::vec((8usize..400, any::<u8>()), 1..6)) {
        let mut f = two_interface_pcapng();
        for (pos, v) in edits {
            let n = f.len();
            if let Some(b) = f.get_mut(pos % n) { *b = v; }
        }
        let mut a = Vec::new();
        if let Ok(mut r) = SliceReader::new(&f) {
            for _ in 0..16 {
                match r.next_packet() {
                    Ok(Some(p)) => {
                        Demux::default().dissect(&p, &mut Anomalies::new(), &mut |_, _| {});
                        a.push((p.frame, p.ts_nanos));
                    }
                    _ => break,
                }
            }
        }
        if let Ok(mut r) = Reader::new(Box::new(Cursor::new(f.clone()))) {
            for _ in 0..16 {
                match r.next_packet() { Ok(Some(_)) => {}, _ => break }
            }
        }
    }

    /// A valid pcap with bytes overwritten past the magic: never panics.
    #[test]
    fn mutated_pcap_never_panics(edits in proptest::collection::vec((4usize..300, any::<u8>()), 1..6), nanos: bool) {
        let mut w = PcapWriter::new(linktype::ETHERNET, nanos);
        w.packet(1_000, &m3ua_frame(1, 2));
        w.packet(2_000, &m3ua_frame(3, 4));
        let mut f = w.into_bytes();
        for (pos, v) in edits {
            let n = f.len();
            if let Some(b) = f.get_mut(pos % n) { *b = v; }
        }
        if let Ok(mut r) = SliceReader::new(&f) {
            for _ in 0..16 {
                match r.next_packet() {
                    Ok(Some(p)) => Demux::default().dissect(&p, &mut Anomalies::new(), &mut |_, _| {}),
                    _ => break,
                }
            }
        }
    }
}

/// A source that hands out its bytes a few at a time (a pipe, a slow disk), in the sizes
/// given, round and round.
struct Trickle {
    data: Vec<u8>,
    pos: usize,
    sizes: Vec<usize>,
    turn: usize,
}

impl std::io::Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self
            .sizes
            .get(self.turn % self.sizes.len().max(1))
            .copied()
            .unwrap_or(1)
            .max(1);
        self.turn += 1;
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let n = want.min(buf.len()).min(rest.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// Every frame a reader yields before its end or first error: (frame, ts, linktype, data).
type Yielded = Vec<(u64, u64, u32, Vec<u8>)>;

fn slice_frames(f: &[u8]) -> Yielded {
    let mut out = Vec::new();
    if let Ok(mut r) = SliceReader::new(f) {
        while let Ok(Some(p)) = r.next_packet() {
            out.push((p.frame, p.ts_nanos, p.linktype, p.data.to_vec()));
        }
    }
    out
}

fn stream_frames(f: &[u8], sizes: Vec<usize>) -> Yielded {
    let mut out = Vec::new();
    let src = Trickle {
        data: f.to_vec(),
        pos: 0,
        sizes,
        turn: 0,
    };
    if let Ok(mut r) = Reader::new(Box::new(src)) {
        while let Ok(Some(p)) = r.next_packet() {
            out.push((p.frame, p.ts_nanos, p.linktype, p.data.to_vec()));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// The streaming reader, fed a few bytes at a time, yields exactly the frames the
    /// in-memory reader yields: on valid captures of random frames, and on pcap and pcapng
    /// with bytes overwritten (up to the first error).
    #[test]
    fn streaming_reader_agrees_with_slice_reader(
        frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..1600), 0..12),
        sizes in proptest::collection::vec(1usize..5000, 1..8),
        edits in proptest::collection::vec((4usize..4000, any::<u8>()), 0..4),
        nanos: bool,
        ng: bool,
    ) {
        let mut f = if ng {
            two_interface_pcapng()
        } else {
            let mut w = PcapWriter::new(linktype::ETHERNET, nanos);
            for (i, fr) in frames.iter().enumerate() {
                w.packet(1_000_000_000 * i as u64 + 7, fr);
            }
            w.into_bytes()
        };
        for (pos, v) in edits {
            let n = f.len();
            if let Some(b) = f.get_mut(pos % n) { *b = v; }
        }
        let want = slice_frames(&f);
        prop_assert_eq!(stream_frames(&f, sizes), want);
    }
}

/// A frame larger than the streaming buffer grows it, and comes out whole.
#[test]
fn frame_larger_than_the_buffer() {
    let big: Vec<u8> = (0..sigscope_capture::reader::READ_BUFFER * 2 + 77)
        .map(|i| (i % 251) as u8)
        .collect();
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    w.packet(1_000, &m3ua_frame(1, 2));
    w.packet(2_000, &big);
    w.packet(3_000, &m3ua_frame(3, 4));
    let f = w.into_bytes();
    let want = slice_frames(&f);
    assert_eq!(want.len(), 3);
    assert_eq!(want[1].3, big);
    assert_eq!(stream_frames(&f, vec![65_536]), want);
    assert_eq!(stream_frames(&f, vec![1, 7, 100_000]), want);
}

// ---- the way each payload came (Signal::path), on frames built for each link layer.

/// Every signal of one frame: (path as text, transport, payload).
fn paths(linktype: u32, frames: &[Vec<u8>]) -> Vec<(String, Transport, Vec<u8>)> {
    let mut d = Demux::default();
    let mut out = Vec::new();
    for (i, data) in frames.iter().enumerate() {
        let pkt = sigscope_capture::Packet {
            frame: i as u64 + 1,
            ts_nanos: i as u64 * 1000,
            linktype,
            data,
            orig_len: data.len() as u32,
            interface: 0,
        };
        let mut a = Anomalies::new();
        d.dissect(&pkt, &mut a, &mut |s: Signal<'_>, _| {
            out.push((s.path.to_string(), s.transport, s.data.to_vec()))
        });
    }
    out
}

fn only_path(linktype: u32, frame: Vec<u8>) -> String {
    let s = paths(linktype, &[frame]);
    assert_eq!(s.len(), 1, "one signal");
    s[0].0.clone()
}

/// `frame` with 802.1Q tags (VLAN ids 10, 11, ...) inserted after the MAC addresses.
fn with_vlans(frame: &[u8], tags: usize) -> Vec<u8> {
    let mut v = frame[..12].to_vec();
    for i in 0..tags {
        let tpid: u16 = if i + 1 < tags { 0x88a8 } else { 0x8100 };
        v.extend_from_slice(&tpid.to_be_bytes());
        v.extend_from_slice(&(10 + i as u16).to_be_bytes());
    }
    v.extend_from_slice(&frame[12..]);
    v
}

fn ipv4_checksum(h: &[u8]) -> u16 {
    let mut sum: u32 = h
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// An IPv4 fragment (no options) of datagram `id` carrying `part` at byte `offset`.
fn ipv4_fragment(id: u16, offset: usize, more: bool, proto: u8, part: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&((20 + part.len()) as u16).to_be_bytes());
    h.extend_from_slice(&id.to_be_bytes());
    let flags_off = (offset / 8) as u16 | if more { 0x2000 } else { 0 };
    h.extend_from_slice(&flags_off.to_be_bytes());
    h.extend_from_slice(&[64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    let c = ipv4_checksum(&h);
    h[10..12].copy_from_slice(&c.to_be_bytes());
    h.extend_from_slice(part);
    h
}

#[test]
fn path_ethernet_vlan_qinq_mpls() {
    let eth = m3ua_frame(1, 2);
    assert_eq!(only_path(linktype::ETHERNET, eth.clone()), "eth/ipv4/sctp");
    assert_eq!(
        only_path(linktype::ETHERNET, with_vlans(&eth, 1)),
        "eth/vlan/ipv4/sctp"
    );
    assert_eq!(
        only_path(linktype::ETHERNET, with_vlans(&eth, 2)),
        "eth/vlan/vlan/ipv4/sctp"
    );
    // MPLS: two labels (bottom of stack on the second), then the IPv4 packet.
    let mut mpls = eth[..12].to_vec();
    mpls.extend_from_slice(&[0x88, 0x47, 0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40]);
    mpls.extend_from_slice(&eth[14..]);
    assert_eq!(only_path(linktype::ETHERNET, mpls), "eth/mpls/ipv4/sctp");
    let udp = ethernet_ipv4_udp([10, 0, 0, 1], [10, 0, 0, 2], 2123, 2123, &[0x48, 1, 0, 4]);
    assert_eq!(
        only_path(linktype::ETHERNET, with_vlans(&udp, 1)),
        "eth/vlan/ipv4/udp"
    );
}

#[test]
fn path_cooked_raw_loopback_and_ipv6() {
    let eth = m3ua_frame(1, 2);
    let ip = eth[14..].to_vec();
    // SLL: packet type, ARPHRD, address length, 8-byte address, protocol 0x0800.
    let mut sll = vec![0, 0, 0x03, 0x04, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00];
    sll.extend_from_slice(&ip);
    assert_eq!(only_path(linktype::LINUX_SLL, sll), "sll/ipv4/sctp");
    // SLL2: protocol first, 20-byte header.
    let mut sll2 = vec![
        0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0,
    ];
    sll2.extend_from_slice(&ip);
    assert_eq!(only_path(linktype::LINUX_SLL2, sll2), "sll2/ipv4/sctp");
    assert_eq!(only_path(linktype::RAW, ip.clone()), "ipv4/sctp");
    let mut null = 2u32.to_le_bytes().to_vec();
    null.extend_from_slice(&ip);
    assert_eq!(only_path(linktype::NULL, null), "null/ipv4/sctp");
    // IPv6 / UDP.
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv6([0x20; 16], [0x21; 16], 64)
        .udp(2123, 2123);
    let mut v6 = Vec::new();
    b.write(&mut v6, &[0x48, 1, 0, 4, 0, 0, 0, 0]).unwrap();
    assert_eq!(only_path(linktype::ETHERNET, v6.clone()), "eth/ipv6/udp");
    let mut sll6 = vec![0, 0, 0x03, 0x04, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x86, 0xdd];
    sll6.extend_from_slice(&v6[14..]);
    assert_eq!(only_path(linktype::LINUX_SLL, sll6), "sll/ipv6/udp");
}

#[test]
fn path_marks_ip_and_sctp_reassembly() {
    // The SCTP packet of an M3UA frame, cut in two IPv4 fragments.
    let eth = m3ua_frame(5, 6);
    let sctp = &eth[34..];
    let (a, b) = sctp.split_at(24);
    let frag = |p: Vec<u8>| {
        let mut f = eth[..14].to_vec();
        f.extend_from_slice(&p);
        f
    };
    let s = paths(
        linktype::ETHERNET,
        &[
            frag(ipv4_fragment(77, 0, true, 132, a)),
            frag(ipv4_fragment(77, 24, false, 132, b)),
        ],
    );
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].0, "eth/ipv4(reassembled)/sctp");
    assert_eq!(s[0].2, &eth[34 + 28..], "the whole M3UA message");

    // SCTP DATA fragments in two packets: the message is marked at the SCTP step.
    let mut m3ua = Vec::new();
    DataRepr {
        network_appearance: None,
        routing_context: None,
        opc: 9,
        dpc: 8,
        si: 3,
        ni: 2,
        mp: 0,
        sls: 0,
        user_data: vec![0xab; 100],
    }
    .emit(&mut m3ua)
    .expect("fits an M3UA parameter");
    let (x, y) = m3ua.split_at(60);
    let frames: Vec<Vec<u8>> = [(x, 2u8, 100u32), (y, 1, 101)]
        .into_iter()
        .map(|(part, flags, tsn)| {
            let sctp = SctpRepr {
                source_port: 2905,
                destination_port: 2905,
                verification_tag: 1,
                chunks: vec![DataChunkRepr {
                    flags,
                    tsn,
                    stream: 2,
                    ssn: 4,
                    ppid: 3,
                    payload: part.to_vec(),
                }],
            }
            .emit()
            .expect("fits an SCTP packet");
            with_vlans(&ethernet_ipv4([1, 1, 1, 1], [2, 2, 2, 2], 132, &sctp), 1)
        })
        .collect();
    let s = paths(linktype::ETHERNET, &frames);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].0, "eth/vlan/ipv4/sctp(reassembled)");
    assert!(matches!(
        s[0].1,
        Transport::Sctp {
            reassembled: true,
            ..
        }
    ));
}

#[test]
fn path_mtp_link_types() {
    // MTP3 MSU: SIO 0x83 (SCCP, national), ITU routing label, 3 bytes of user part.
    let msu = [0x83, 0x01, 0x40, 0x00, 0x00, 0x09, 0x00, 0x03];
    assert_eq!(only_path(linktype::MTP3, msu.to_vec()), "mtp3");
    // MTP2: BSN/BIB, FSN/FIB, LI = length of the MSU, then the MSU.
    let mut su = vec![0x80, 0x80, msu.len() as u8];
    su.extend_from_slice(&msu);
    let s = paths(linktype::MTP2, &[su]);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].0, "mtp2/mtp3");
    assert_eq!((s[0].1, &s[0].2[..]), (Transport::Mtp3, &msu[..]));
}
