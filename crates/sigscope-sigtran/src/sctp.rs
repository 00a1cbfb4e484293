//! SCTP (RFC 9260): common header, chunks, DATA / I-DATA, CRC32c, emitters.

use sigscope_core::error::{be_u16, be_u32, take};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

/// Length of the SCTP common header.
pub const COMMON_HEADER_LEN: usize = 12;
/// Length of a chunk header.
pub const CHUNK_HEADER_LEN: usize = 4;
/// DATA chunk header length (chunk header + TSN, stream, SSN, PPID).
pub const DATA_HEADER_LEN: usize = 16;
/// I-DATA chunk header length (chunk header + TSN, stream, reserved, MID, PPID/FSN).
pub const IDATA_HEADER_LEN: usize = 20;
/// Largest DATA payload an emitted chunk can carry (the 16-bit chunk length less the header).
pub const MAX_DATA_PAYLOAD: usize = u16::MAX as usize - DATA_HEADER_LEN;
/// Most chunks looked at in one packet; the rest is reported (`chunk_limit`).
pub const MAX_CHUNKS_PER_PACKET: usize = 512;

sigscope_core::open_enum! {
    /// SCTP chunk types (IANA registry).
    pub struct ChunkType(u8) {
        DATA = 0 => "DATA",
        INIT = 1 => "INIT",
        INIT_ACK = 2 => "INIT_ACK",
        SACK = 3 => "SACK",
        HEARTBEAT = 4 => "HEARTBEAT",
        HEARTBEAT_ACK = 5 => "HEARTBEAT_ACK",
        ABORT = 6 => "ABORT",
        SHUTDOWN = 7 => "SHUTDOWN",
        SHUTDOWN_ACK = 8 => "SHUTDOWN_ACK",
        ERROR = 9 => "ERROR",
        COOKIE_ECHO = 10 => "COOKIE_ECHO",
        COOKIE_ACK = 11 => "COOKIE_ACK",
        ECNE = 12 => "ECNE",
        CWR = 13 => "CWR",
        SHUTDOWN_COMPLETE = 14 => "SHUTDOWN_COMPLETE",
        AUTH = 15 => "AUTH",
        NR_SACK = 16 => "NR_SACK",
        I_DATA = 64 => "I_DATA",
        ASCONF_ACK = 128 => "ASCONF_ACK",
        RE_CONFIG = 130 => "RE_CONFIG",
        PAD = 132 => "PAD",
        FORWARD_TSN = 192 => "FORWARD_TSN",
        ASCONF = 193 => "ASCONF",
        I_FORWARD_TSN = 194 => "I_FORWARD_TSN",
    }
}

sigscope_core::open_enum! {
    /// Payload protocol identifiers (IANA) that matter here.
    pub struct Ppid(u32) {
        UNSPECIFIED = 0 => "unspecified",
        IUA = 1 => "IUA",
        M2UA = 2 => "M2UA",
        M3UA = 3 => "M3UA",
        SUA = 4 => "SUA",
        M2PA = 5 => "M2PA",
        V5UA = 6 => "V5UA",
        H248 = 7 => "H.248",
        BICC = 8 => "BICC",
        S1AP = 18 => "S1AP",
        X2AP = 27 => "X2AP",
        DIAMETER = 46 => "Diameter",
        DIAMETER_DTLS = 47 => "Diameter DTLS",
        NGAP = 60 => "NGAP",
        XWAP = 61 => "XwAP",
    }
}

/// A checked view of an SCTP packet (common header + chunks).
#[derive(Clone, Copy, Debug)]
pub struct SctpSlice<'a> {
    data: &'a [u8],
}

impl<'a> SctpSlice<'a> {
    /// Check the common header length. Chunks are checked as they are iterated.
    pub fn from_slice(data: &'a [u8]) -> Result<Self, Error> {
        if data.len() < COMMON_HEADER_LEN {
            return Err(Error::len(Layer::Sctp, COMMON_HEADER_LEN, data.len(), 0));
        }
        Ok(SctpSlice { data })
    }

    fn u16_at(&self, at: usize) -> u16 {
        be_u16(self.data, at, Layer::Sctp).unwrap_or(0)
    }

    /// Source port.
    pub fn source_port(&self) -> u16 {
        self.u16_at(0)
    }

    /// Destination port.
    pub fn destination_port(&self) -> u16 {
        self.u16_at(2)
    }

    /// Verification tag.
    pub fn verification_tag(&self) -> u32 {
        be_u32(self.data, 4, Layer::Sctp).unwrap_or(0)
    }

    /// Checksum as carried (the CRC32c in its wire byte order read as little-endian).
    pub fn checksum(&self) -> u32 {
        match self.data.get(8..12) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => 0,
        }
    }

    /// CRC32c over the packet with the checksum field taken as zero.
    pub fn compute_crc32c(&self) -> u32 {
        crc32c_of(self.data)
    }

    /// Whether the carried checksum matches the CRC32c.
    pub fn checksum_ok(&self) -> bool {
        self.checksum() == self.compute_crc32c()
    }

    /// The whole packet.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Iterate the chunks.
    pub fn chunks(&self) -> ChunkIter<'a> {
        ChunkIter {
            data: self.data,
            offset: COMMON_HEADER_LEN,
            count: 0,
            done: false,
        }
    }
}

/// CRC32c of an SCTP packet with its checksum field taken as zero: the 12-byte common header
/// (ports and tag, then four zero bytes) by table, the chunks by the `crc32c` crate (SSE 4.2
/// when the CPU has it). A second crate call for the header cost as much as the chunks.
pub fn crc32c_of(packet: &[u8]) -> u32 {
    let head = match packet.get(..8) {
        Some(&[a, b, c, d, e, f, g, h]) => [a, b, c, d, e, f, g, h],
        _ => {
            let mut head = [0u8; 8];
            for (d, s) in head.iter_mut().zip(packet) {
                *d = *s;
            }
            head
        }
    };
    crc32c::crc32c_append(
        crc32c_common_header(head),
        packet.get(COMMON_HEADER_LEN..).unwrap_or(&[]),
    )
}

/// CRC32c (reflected polynomial 0x82F63B78) tables, built at compile time: entry `x` of
/// table `k` is the CRC register contribution of byte `x` followed by `k` zero bytes.
static CRC32C_TABLES: [[u32; 256]; 12] = crc32c_tables();

// Evaluated at compile time only (a constant initialiser): every index is below the array
// sizes by construction, and an out-of-range one would fail the build, not a run.
#[allow(clippy::indexing_slicing)]
const fn crc32c_tables() -> [[u32; 256]; 12] {
    let mut t = [[0u32; 256]; 12];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0x82F6_3B78
            } else {
                c >> 1
            };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut i = 0;
    while i < 256 {
        let mut j = 1;
        while j < 12 {
            let prev = t[j - 1][i];
            t[j][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            j += 1;
        }
        i += 1;
    }
    t
}

#[inline(always)]
fn lut(table: &[u32; 256], x: u32) -> u32 {
    table.get((x & 0xff) as usize).copied().unwrap_or(0)
}

/// The CRC32c (finalised, as `crc32c::crc32c` returns it) of the 8 given bytes followed by
/// four zero bytes (an SCTP common header with the checksum field zeroed): byte `i` of the
/// 12 is followed by `11 - i` more, so it goes through table `11 - i`.
fn crc32c_common_header(head: [u8; 8]) -> u32 {
    let [_, _, _, _, t4, t5, t6, t7, t8, t9, t10, t11] = &CRC32C_TABLES;
    let [a, b, c, d, e, f, g, h] = head;
    let one = u32::from_le_bytes([a, b, c, d]) ^ 0xffff_ffff;
    let two = u32::from_le_bytes([e, f, g, h]);
    let crc = lut(t11, one)
        ^ lut(t10, one >> 8)
        ^ lut(t9, one >> 16)
        ^ lut(t8, one >> 24)
        ^ lut(t7, two)
        ^ lut(t6, two >> 8)
        ^ lut(t5, two >> 16)
        ^ lut(t4, two >> 24);
    !crc
}

/// Longest Heartbeat Information parameter (header included) accepted as a stack's own: the
/// sender-specific data is an address, a time and a nonce (Linux 52-60 octets, FreeBSD 88).
pub const MAX_HEARTBEAT_INFO: usize = 128;

/// One chunk, borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// Byte offset of the chunk within the SCTP packet.
    pub offset: usize,
    /// Chunk type.
    pub kind: ChunkType,
    /// Chunk flags.
    pub flags: u8,
    /// Value of the length field (header included, padding excluded).
    pub length: u16,
    /// Chunk value (after the 4-byte chunk header, `length - 4` bytes, or what the packet
    /// holds when the length field overruns it).
    pub value: &'a [u8],
    /// The length field runs past the end of the packet (`value` is cut short).
    pub truncated: bool,
}

impl<'a> Chunk<'a> {
    /// The DATA or I-DATA view of this chunk, if it is one.
    pub fn data(&self) -> Option<Result<DataChunk<'a>, Error>> {
        match self.kind {
            ChunkType::DATA => Some(DataChunk::parse(self, false)),
            ChunkType::I_DATA => Some(DataChunk::parse(self, true)),
            _ => None,
        }
    }
}

/// Iterator over the chunks of a packet. Yields an error (once) when a chunk is malformed,
/// and an error when [`MAX_CHUNKS_PER_PACKET`] is reached.
#[derive(Clone, Debug)]
pub struct ChunkIter<'a> {
    data: &'a [u8],
    offset: usize,
    count: usize,
    done: bool,
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = Result<Chunk<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.offset >= self.data.len() {
            return None;
        }
        if self.count >= MAX_CHUNKS_PER_PACKET {
            self.done = true;
            return Some(Err(Error::Limit {
                layer: Layer::Sctp,
                what: "chunks per packet",
                limit: MAX_CHUNKS_PER_PACKET,
                offset: self.offset,
            }));
        }
        let at = self.offset;
        let hdr = match take(self.data, at, CHUNK_HEADER_LEN, Layer::Sctp) {
            Ok(h) => h,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let (kind, flags, length) = match hdr {
            &[k, f, a, b] => (ChunkType(k), f, u16::from_be_bytes([a, b])),
            _ => return None,
        };
        if usize::from(length) < CHUNK_HEADER_LEN {
            self.done = true;
            return Some(Err(Error::value(
                Layer::Sctp,
                "chunk length",
                u64::from(length),
                at + 2,
            )));
        }
        let (value, truncated) = match take(
            self.data,
            at + CHUNK_HEADER_LEN,
            usize::from(length) - CHUNK_HEADER_LEN,
            Layer::Sctp,
        ) {
            Ok(v) => (v, false),
            // Decode what is there (as Wireshark does); the iteration ends after this chunk.
            Err(_) => (self.data.get(at + CHUNK_HEADER_LEN..).unwrap_or(&[]), true),
        };
        let padded = (usize::from(length) + 3) & !3;
        self.offset = at + padded;
        if truncated {
            self.done = true;
        }
        self.count += 1;
        Some(Ok(Chunk {
            offset: at,
            kind,
            flags,
            length,
            value,
            truncated,
        }))
    }
}

/// A DATA (RFC 9260) or I-DATA (RFC 8260) chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataChunk<'a> {
    /// Offset of the chunk in the packet.
    pub offset: usize,
    /// I-DATA rather than DATA.
    pub interleaved: bool,
    /// Chunk flags: I (0x08), U (0x04), B (0x02), E (0x01).
    pub flags: u8,
    /// Transmission sequence number.
    pub tsn: u32,
    /// Stream identifier.
    pub stream: u16,
    /// Stream sequence number (DATA) — 0 for I-DATA.
    pub ssn: u16,
    /// Message identifier (I-DATA), or the SSN widened (DATA).
    pub mid: u32,
    /// Payload protocol identifier (0 in non-first I-DATA fragments).
    pub ppid: Ppid,
    /// Fragment sequence number (I-DATA non-first fragments), else 0.
    pub fsn: u32,
    /// User data.
    pub payload: &'a [u8],
}

impl<'a> DataChunk<'a> {
    /// U bit.
    pub const FLAG_UNORDERED: u8 = 0x04;
    /// B bit.
    pub const FLAG_BEGIN: u8 = 0x02;
    /// E bit.
    pub const FLAG_END: u8 = 0x01;
    /// I bit (SACK immediately).
    pub const FLAG_IMMEDIATE: u8 = 0x08;

    fn parse(c: &Chunk<'a>, interleaved: bool) -> Result<Self, Error> {
        let v = c.value;
        let base = c.offset + CHUNK_HEADER_LEN;
        let shift = |e: Error| sigscope_core::ber::shift(e, base);
        let tsn = be_u32(v, 0, Layer::Sctp).map_err(shift)?;
        let stream = be_u16(v, 4, Layer::Sctp).map_err(shift)?;
        if interleaved {
            let mid = be_u32(v, 8, Layer::Sctp).map_err(shift)?;
            let x = be_u32(v, 12, Layer::Sctp).map_err(shift)?;
            let first = c.flags & Self::FLAG_BEGIN != 0;
            Ok(DataChunk {
                offset: c.offset,
                interleaved,
                flags: c.flags,
                tsn,
                stream,
                ssn: 0,
                mid,
                ppid: Ppid(if first { x } else { 0 }),
                fsn: if first { 0 } else { x },
                payload: v.get(16..).unwrap_or(&[]),
            })
        } else {
            let ssn = be_u16(v, 6, Layer::Sctp).map_err(shift)?;
            let ppid = be_u32(v, 8, Layer::Sctp).map_err(shift)?;
            Ok(DataChunk {
                offset: c.offset,
                interleaved,
                flags: c.flags,
                tsn,
                stream,
                ssn,
                mid: u32::from(ssn),
                ppid: Ppid(ppid),
                fsn: 0,
                payload: v.get(12..).unwrap_or(&[]),
            })
        }
    }

    /// Both B and E set: an unfragmented user message.
    pub const fn is_complete(&self) -> bool {
        self.flags & (Self::FLAG_BEGIN | Self::FLAG_END) == (Self::FLAG_BEGIN | Self::FLAG_END)
    }

    /// U bit.
    pub const fn is_unordered(&self) -> bool {
        self.flags & Self::FLAG_UNORDERED != 0
    }

    /// B bit.
    pub const fn is_begin(&self) -> bool {
        self.flags & Self::FLAG_BEGIN != 0
    }

    /// E bit.
    pub const fn is_end(&self) -> bool {
        self.flags & Self::FLAG_END != 0
    }
}

/// Check a packet's checksum and chunk layout, pushing anomalies (offsets within the packet).
pub fn check_packet(p: &SctpSlice<'_>, verify_crc: bool, out: &mut Anomalies) {
    if verify_crc {
        check_checksum(p, out);
    }
    let mut last_end = COMMON_HEADER_LEN;
    for c in p.chunks() {
        match c {
            Ok(c) => last_end = check_chunk(p, &c, out),
            Err(e) => out.push(e.to_anomaly()),
        }
    }
    check_trailing(p, last_end, out);
}

/// Verify the CRC32c (`bad_checksum`, or `zero_checksum` for an unset field).
pub fn check_checksum(p: &SctpSlice<'_>, out: &mut Anomalies) {
    let carried = p.checksum();
    if carried != p.compute_crc32c() {
        if carried == 0 {
            out.push(Anomaly::new(
                Layer::Sctp,
                AnomalyCode::ZeroChecksum,
                8,
                "checksum field is zero (not verified)",
            ));
        } else {
            out.push(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::BadChecksum,
                    8,
                    "CRC32c does not match",
                )
                .with_value(u64::from(carried)),
            );
        }
    }
}

/// Check one chunk (for callers that walk the chunks themselves); returns where it ends.
pub fn check_chunk(p: &SctpSlice<'_>, c: &Chunk<'_>, out: &mut Anomalies) -> usize {
    let mut end = c.offset + usize::from(c.length);
    if c.truncated {
        end = p.as_bytes().len();
        out.push(
            Anomaly::new(
                Layer::Sctp,
                AnomalyCode::ChunkTruncated,
                c.offset + 2,
                "chunk length runs past the end of the packet",
            )
            .with_value(u64::from(c.length)),
        );
    }
    if c.kind == ChunkType::DATA && c.value.len() < DATA_HEADER_LEN - CHUNK_HEADER_LEN {
        out.push(Anomaly::new(
            Layer::Sctp,
            AnomalyCode::DataChunkShort,
            c.offset,
            "DATA chunk shorter than its header",
        ));
    } else if c.kind == ChunkType::DATA && c.value.len() == DATA_HEADER_LEN - CHUNK_HEADER_LEN {
        out.push(Anomaly::new(
            Layer::Sctp,
            AnomalyCode::DataChunkEmpty,
            c.offset,
            "DATA chunk without user data",
        ));
    }
    if (c.kind == ChunkType::HEARTBEAT || c.kind == ChunkType::HEARTBEAT_ACK)
        && c.value.len() > MAX_HEARTBEAT_INFO
    {
        out.push(
            Anomaly::new(
                Layer::Sctp,
                AnomalyCode::HeartbeatInfoLong,
                c.offset,
                "heartbeat information longer than any stack sends (value: its length)",
            )
            .with_value(c.value.len() as u64),
        );
    }
    if c.kind == ChunkType::PAD && c.value.iter().any(|b| *b != 0) {
        out.push(
            Anomaly::new(
                Layer::Sctp,
                AnomalyCode::PadChunkData,
                c.offset,
                "PAD chunk whose padding is not zeros (value: its length)",
            )
            .with_value(c.value.len() as u64),
        );
    }
    if !c.kind.is_known() {
        out.push(
            Anomaly::new(
                Layer::Sctp,
                AnomalyCode::UnknownChunkType,
                c.offset,
                "unassigned chunk type",
            )
            .with_value(u64::from(c.kind.0)),
        );
    }
    end
}

/// Report non-zero bytes after the last chunk (`last_end` as returned by [`check_chunk`]).
pub fn check_trailing(p: &SctpSlice<'_>, last_end: usize, out: &mut Anomalies) {
    let padded_end = (last_end + 3) & !3;
    if p.as_bytes().len() > padded_end
        && p.as_bytes()
            .get(last_end..)
            .is_some_and(|t| t.iter().any(|b| *b != 0))
    {
        out.push(
            Anomaly::new(
                Layer::Sctp,
                AnomalyCode::TrailingBytes,
                last_end,
                "bytes after the last chunk",
            )
            .with_value((p.as_bytes().len() - last_end) as u64),
        );
    }
}

/// Owned DATA chunk, for emitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataChunkRepr {
    /// Flags (B/E/U/I).
    pub flags: u8,
    /// TSN.
    pub tsn: u32,
    /// Stream.
    pub stream: u16,
    /// Stream sequence number.
    pub ssn: u16,
    /// PPID.
    pub ppid: u32,
    /// User data.
    pub payload: Vec<u8>,
}

impl DataChunkRepr {
    /// Parse from a view.
    pub fn parse(c: &DataChunk<'_>) -> Self {
        DataChunkRepr {
            flags: c.flags,
            tsn: c.tsn,
            stream: c.stream,
            ssn: c.ssn,
            ppid: c.ppid.0,
            payload: c.payload.to_vec(),
        }
    }

    /// Encoded length including padding.
    pub fn buffer_len(&self) -> usize {
        (DATA_HEADER_LEN + self.payload.len() + 3) & !3
    }

    /// Append the chunk, padded to a multiple of 4 bytes counted from the chunk's own start
    /// (so it may follow anything already in `out`), and return its length field.
    ///
    /// A payload longer than [`MAX_DATA_PAYLOAD`] cannot be described by the 16-bit length
    /// field: the chunk is refused with [`Error::Limit`] and `out` is left as it was.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<u16, Error> {
        let len = match u16::try_from(DATA_HEADER_LEN + self.payload.len()) {
            Ok(l) => l,
            Err(_) => {
                return Err(Error::Limit {
                    layer: Layer::Sctp,
                    what: "DATA chunk length",
                    limit: usize::from(u16::MAX),
                    offset: out.len(),
                })
            }
        };
        out.reserve(self.buffer_len());
        out.push(ChunkType::DATA.0);
        out.push(self.flags);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&self.tsn.to_be_bytes());
        out.extend_from_slice(&self.stream.to_be_bytes());
        out.extend_from_slice(&self.ssn.to_be_bytes());
        out.extend_from_slice(&self.ppid.to_be_bytes());
        out.extend_from_slice(&self.payload);
        let padding = (4 - usize::from(len) % 4) % 4;
        out.resize(out.len() + padding, 0);
        Ok(len)
    }
}

/// Owned SCTP packet with DATA chunks, for emitting (checksum computed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SctpRepr {
    /// Source port.
    pub source_port: u16,
    /// Destination port.
    pub destination_port: u16,
    /// Verification tag.
    pub verification_tag: u32,
    /// DATA chunks.
    pub chunks: Vec<DataChunkRepr>,
}

impl SctpRepr {
    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        COMMON_HEADER_LEN
            + self
                .chunks
                .iter()
                .map(DataChunkRepr::buffer_len)
                .sum::<usize>()
    }

    /// Emit the packet with a correct CRC32c; a chunk whose payload is longer than
    /// [`MAX_DATA_PAYLOAD`] is refused ([`Error::Limit`], offset within the packet).
    pub fn emit(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(self.buffer_len());
        out.extend_from_slice(&self.source_port.to_be_bytes());
        out.extend_from_slice(&self.destination_port.to_be_bytes());
        out.extend_from_slice(&self.verification_tag.to_be_bytes());
        out.extend_from_slice(&[0, 0, 0, 0]);
        for c in &self.chunks {
            c.emit(&mut out)?;
        }
        let crc = crc32c_of(&out);
        if let Some(slot) = out.get_mut(8..12) {
            slot.copy_from_slice(&crc.to_le_bytes());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Two DATA chunks built by the emitter.
    fn sample() -> SctpRepr {
        SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 0x1234_5678,
            chunks: vec![
                DataChunkRepr {
                    flags: 3,
                    tsn: 10,
                    stream: 1,
                    ssn: 7,
                    ppid: 3,
                    payload: vec![1, 0, 1, 1, 0, 0, 0, 8],
                },
                DataChunkRepr {
                    flags: 3,
                    tsn: 11,
                    stream: 2,
                    ssn: 8,
                    ppid: 3,
                    payload: vec![9; 5],
                },
            ],
        }
    }

    #[test]
    fn emit_parse() {
        let bytes = sample().emit().unwrap();
        let p = SctpSlice::from_slice(&bytes).unwrap();
        assert!(p.checksum_ok());
        let datas: Vec<_> = p
            .chunks()
            .map(|c| c.unwrap().data().unwrap().unwrap())
            .collect();
        assert_eq!(datas.len(), 2);
        assert_eq!(datas[1].payload, &[9; 5]);
        assert_eq!(datas[1].ppid, Ppid::M3UA);
        assert_eq!(DataChunkRepr::parse(&datas[0]), sample().chunks[0]);
        let mut a = Anomalies::new();
        check_packet(&p, true, &mut a);
        assert!(a.is_empty(), "{a:?}");
    }

    #[test]
    fn bad_checksum_and_bad_chunk() {
        let mut bytes = sample().emit().unwrap();
        bytes[20] ^= 1;
        let p = SctpSlice::from_slice(&bytes).unwrap();
        let mut a = Anomalies::new();
        check_packet(&p, true, &mut a);
        assert!(a.contains(AnomalyCode::BadChecksum));
        // chunk length 2 (< 4)
        let mut b = sample().emit().unwrap();
        b[14] = 0;
        b[15] = 2;
        let p = SctpSlice::from_slice(&b).unwrap();
        let r: Vec<_> = p.chunks().collect();
        assert_eq!(r.len(), 1);
        assert!(r[0].is_err());
        // DATA chunk length beyond the packet: decoded as far as it goes, flagged
        let mut c = sample().emit().unwrap();
        c[15] = 200;
        let p = SctpSlice::from_slice(&c).unwrap();
        let first = p.chunks().next().unwrap().unwrap();
        assert!(first.truncated);
        assert_eq!(first.data().unwrap().unwrap().payload, &c[28..]);
        let mut a = Anomalies::new();
        check_packet(&p, false, &mut a);
        assert!(a.contains(AnomalyCode::ChunkTruncated));
    }

    #[test]
    fn real_packet() {
        let p = SctpSlice::from_slice(crate::testdata::M3UA_SYNTHETIC_F20_SCTP).unwrap();
        assert_eq!(
            (p.source_port(), p.destination_port(), p.verification_tag()),
            (2907, 2907, 0)
        );
        assert!(
            p.checksum_ok(),
            "crc {:08x} vs {:08x}",
            p.checksum(),
            p.compute_crc32c()
        );
        let c = p.chunks().next().unwrap().unwrap();
        let d = c.data().unwrap().unwrap();
        assert_eq!(
            (d.tsn, d.stream, d.ppid, d.is_complete()),
            (7000, 0, Ppid::M3UA, true)
        );
        assert_eq!(d.payload.len(), 120);
        let mut a = Anomalies::new();
        check_packet(&p, true, &mut a);
        assert!(a.is_empty(), "{a:?}");
    }

    /// CRC32c of 32 zero bytes is 0x8a9136aa (RFC 3720 B.4).
    #[test]
    fn crc32c_vector() {
        assert_eq!(crc32c::crc32c(&[0u8; 32]), 0x8a91_36aa);
    }

    /// The table-driven header CRC agrees with the crate on the header with the field zeroed.
    #[test]
    fn crc32c_of_matches_zeroed_field() {
        let mut x = 0x1234_5678_9abc_def0u64;
        for len in 0..80usize {
            let packet: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let mut zeroed = packet.clone();
            zeroed.resize(zeroed.len().max(COMMON_HEADER_LEN), 0);
            zeroed[8..12].fill(0);
            assert_eq!(crc32c_of(&packet), crc32c::crc32c(&zeroed), "len {len}");
        }
    }

    #[test]
    fn emit_pads_from_the_chunk_start() {
        let c = DataChunkRepr {
            flags: 3,
            tsn: 1,
            stream: 0,
            ssn: 0,
            ppid: 3,
            payload: vec![7; 5],
        };
        // Appended after 3 bytes: 16 + 5 = 21 bytes of chunk, 3 of padding (the old code
        // padded the buffer to a multiple of 4 and gave the chunk none).
        let mut out = vec![0xee; 3];
        assert_eq!(c.emit(&mut out), Ok(21));
        assert_eq!(out.len(), 3 + 24);
        assert_eq!(out.len() - 3, c.buffer_len());
        assert_eq!(&out[24..], &[0, 0, 0]);
    }

    #[test]
    fn emit_refuses_what_the_length_field_cannot_say() {
        let mut c = DataChunkRepr {
            flags: 3,
            tsn: 1,
            stream: 0,
            ssn: 0,
            ppid: 3,
            payload: vec![0; MAX_DATA_PAYLOAD],
        };
        let mut out = vec![1, 2];
        assert_eq!(c.emit(&mut out), Ok(u16::MAX));
        assert_eq!(out.len() - 2, c.buffer_len());
        c.payload.push(0);
        let mut out = vec![1, 2];
        assert!(matches!(
            c.emit(&mut out),
            Err(Error::Limit { offset: 2, .. })
        ));
        assert_eq!(out, [1, 2], "nothing written");
        let p = SctpRepr {
            source_port: 1,
            destination_port: 2,
            verification_tag: 3,
            chunks: vec![sample().chunks[0].clone(), c],
        };
        assert!(matches!(p.emit(), Err(Error::Limit { offset: 36, .. })));
    }

    proptest! {
        /// Chunks appended to a buffer that already holds an odd number of bytes are padded
        /// from their own start: each is `buffer_len()` long and parses back.
        #[test]
        fn emit_after_unaligned_prefix(prefix in proptest::collection::vec(any::<u8>(), 0..11),
                                       tsn: u32, stream: u16, ssn: u16, ppid: u32, flags in 0u8..16,
                                       p1 in proptest::collection::vec(any::<u8>(), 0..40),
                                       p2 in proptest::collection::vec(any::<u8>(), 0..40)) {
            let c1 = DataChunkRepr { flags, tsn, stream, ssn, ppid, payload: p1 };
            let c2 = DataChunkRepr { flags: 3, tsn: tsn.wrapping_add(1), stream, ssn, ppid, payload: p2 };
            let mut out = prefix.clone();
            prop_assert_eq!(c1.emit(&mut out), Ok((DATA_HEADER_LEN + c1.payload.len()) as u16));
            prop_assert_eq!(out.len() - prefix.len(), c1.buffer_len());
            c2.emit(&mut out).unwrap();
            prop_assert_eq!(out.len() - prefix.len(), c1.buffer_len() + c2.buffer_len());
            prop_assert_eq!(&out[..prefix.len()], &prefix[..]);
            // The chunks, behind a common header, parse back to what was emitted.
            let mut packet = vec![0u8; COMMON_HEADER_LEN];
            packet.extend_from_slice(&out[prefix.len()..]);
            let p = SctpSlice::from_slice(&packet).unwrap();
            let back: Vec<DataChunkRepr> = p
                .chunks()
                .map(|c| DataChunkRepr::parse(&c.unwrap().data().unwrap().unwrap()))
                .collect();
            prop_assert_eq!(back, vec![c1, c2]);
            let mut a = Anomalies::new();
            check_packet(&p, false, &mut a);
            prop_assert!(a.iter().all(|x| x.code == AnomalyCode::DataChunkEmpty), "{:?}", a);
        }

        #[test]
        fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(p) = SctpSlice::from_slice(&d) {
                let mut a = Anomalies::new();
                check_packet(&p, true, &mut a);
                for c in p.chunks().flatten() {
                    let _ = c.data();
                }
            }
        }

        #[test]
        fn round_trip(tsn: u32, stream: u16, ssn: u16, ppid: u32, flags in 0u8..16, payload in proptest::collection::vec(any::<u8>(), 0..64)) {
            let r = SctpRepr { source_port: 1, destination_port: 2, verification_tag: 3,
                chunks: vec![DataChunkRepr { flags, tsn, stream, ssn, ppid, payload }] };
            let b = r.emit().unwrap();
            prop_assert_eq!(b.len(), r.buffer_len());
            let p = SctpSlice::from_slice(&b).unwrap();
            prop_assert!(p.checksum_ok());
            let c = p.chunks().next().unwrap().unwrap().data().unwrap().unwrap();
            prop_assert_eq!(DataChunkRepr::parse(&c), r.chunks[0].clone());
        }
    }
}
