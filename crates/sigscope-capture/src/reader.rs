//! Capture file reading: pcap (both byte orders, micro/nanosecond) and pcapng (several
//! interfaces, per-interface link type and timestamp resolution, EPB/SPB) through pcap-parser,
//! from a file, from stdin or from memory; gzip is read transparently. The format is told by
//! its magic bytes, never by the file name.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

use pcap_parser::pcapng::Block;
use pcap_parser::PcapBlockOwned;

/// Streaming buffer (grown for a larger block).
pub const READ_BUFFER: usize = 1 << 17;
/// Largest block the streaming reader grows its buffer for.
pub const MAX_BLOCK: usize = 1 << 26;
/// Most pcapng interfaces tracked per section.
pub const MAX_INTERFACES: usize = 1024;

/// Link-layer types this crate understands (LINKTYPE_* values).
pub mod linktype {
    /// BSD loopback (host byte order family).
    pub const NULL: u32 = 0;
    /// Ethernet.
    pub const ETHERNET: u32 = 1;
    /// Raw IP (OpenBSD value).
    pub const RAW_12: u32 = 12;
    /// Raw IP (alternate value).
    pub const RAW_14: u32 = 14;
    /// Raw IP.
    pub const RAW: u32 = 101;
    /// OpenBSD loopback (network byte order family).
    pub const LOOP: u32 = 108;
    /// Linux cooked capture v1.
    pub const LINUX_SLL: u32 = 113;
    /// MTP2 with pseudo-header.
    pub const MTP2_WITH_PHDR: u32 = 139;
    /// MTP2.
    pub const MTP2: u32 = 140;
    /// MTP3.
    pub const MTP3: u32 = 141;
    /// Raw IPv4.
    pub const IPV4: u32 = 228;
    /// Raw IPv6.
    pub const IPV6: u32 = 229;
    /// Linux cooked capture v2.
    pub const LINUX_SLL2: u32 = 276;
}

/// Errors reading a capture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// The input is neither pcap nor pcapng (nor gzip of one).
    #[error("not a pcap or pcapng capture: magic {magic:02x?}")]
    NotACapture {
        /// The first bytes found.
        magic: [u8; 4],
    },
    /// The capture ends inside a block.
    #[error("capture truncated at byte {offset} (after frame {frame})")]
    Truncated {
        /// Byte offset (in the uncompressed stream) where the incomplete block starts.
        offset: u64,
        /// Last complete frame.
        frame: u64,
    },
    /// A block that cannot be parsed.
    #[error("malformed capture block at byte {offset}: {detail}")]
    Format {
        /// Byte offset.
        offset: u64,
        /// What went wrong.
        detail: String,
    },
    /// An I/O error.
    #[error("i/o error: {0}")]
    Io(String),
}

impl From<io::Error> for CaptureError {
    fn from(e: io::Error) -> Self {
        CaptureError::Io(e.to_string())
    }
}

/// One captured frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Frame number, 1-based as in Wireshark.
    pub frame: u64,
    /// Timestamp in nanoseconds since the epoch.
    pub ts_nanos: u64,
    /// Link type of the interface.
    pub linktype: u32,
    /// Captured bytes.
    pub data: &'a [u8],
    /// Original length on the wire.
    pub orig_len: u32,
    /// pcapng interface id (0 for pcap).
    pub interface: u32,
}

/// What a packet block contributes (all but the data).
#[derive(Clone, Copy, Debug)]
struct Meta {
    ts_nanos: u64,
    linktype: u32,
    orig_len: u32,
    interface: u32,
}

#[derive(Clone, Copy, Debug)]
struct Iface {
    linktype: u32,
    resolution: u64,
    offset: i64,
    snaplen: u32,
}

/// Per-file state: legacy header, pcapng interfaces.
#[derive(Debug, Default)]
struct BlockState {
    legacy_linktype: u32,
    legacy_nanos: bool,
    ifaces: Vec<Iface>,
}

fn frac_to_nanos(frac: u64, resolution: u64) -> u64 {
    if resolution == 0 {
        return 0;
    }
    ((u128::from(frac) * 1_000_000_000u128) / u128::from(resolution)) as u64
}

impl BlockState {
    /// Handle a block; for packet blocks return metadata and the data slice.
    fn packet<'d>(&mut self, block: &PcapBlockOwned<'d>) -> Option<(Meta, &'d [u8])> {
        match block {
            PcapBlockOwned::LegacyHeader(h) => {
                self.legacy_linktype = h.network.0 as u32;
                self.legacy_nanos = h.is_nanosecond_precision();
                None
            }
            PcapBlockOwned::Legacy(b) => {
                let frac = if self.legacy_nanos {
                    u64::from(b.ts_usec)
                } else {
                    u64::from(b.ts_usec) * 1000
                };
                let ts = u64::from(b.ts_sec) * 1_000_000_000 + frac;
                let n = (b.caplen as usize).min(b.data.len());
                Some((
                    Meta {
                        ts_nanos: ts,
                        linktype: self.legacy_linktype,
                        orig_len: b.origlen,
                        interface: 0,
                    },
                    b.data.get(..n).unwrap_or(b.data),
                ))
            }
            PcapBlockOwned::NG(Block::SectionHeader(_)) => {
                self.ifaces.clear();
                None
            }
            PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                if self.ifaces.len() < MAX_INTERFACES {
                    self.ifaces.push(Iface {
                        linktype: idb.linktype.0 as u32,
                        resolution: idb.ts_resolution().unwrap_or(1_000_000),
                        offset: idb.ts_offset(),
                        snaplen: idb.snaplen,
                    });
                }
                None
            }
            PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                let iface = self
                    .ifaces
                    .get(epb.if_id as usize)
                    .copied()
                    .unwrap_or(Iface {
                        linktype: u32::MAX,
                        resolution: 1_000_000,
                        offset: 0,
                        snaplen: 0,
                    });
                let raw = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                let res = iface.resolution.max(1);
                // if_tsoffset is a full i64 from the file: saturate, never overflow
                let secs = i64::try_from(raw / res)
                    .unwrap_or(i64::MAX)
                    .saturating_add(iface.offset);
                let ts = (secs.max(0) as u64)
                    .saturating_mul(1_000_000_000)
                    .saturating_add(frac_to_nanos(raw % res, res));
                let n = (epb.caplen as usize).min(epb.data.len());
                Some((
                    Meta {
                        ts_nanos: ts,
                        linktype: iface.linktype,
                        orig_len: epb.origlen,
                        interface: epb.if_id,
                    },
                    epb.data.get(..n).unwrap_or(epb.data),
                ))
            }
            PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                let iface = self.ifaces.first().copied();
                let linktype = iface.map_or(u32::MAX, |i| i.linktype);
                let snap = iface.map_or(0, |i| i.snaplen);
                let mut n = (spb.origlen as usize).min(spb.data.len());
                if snap > 0 {
                    n = n.min(snap as usize);
                }
                Some((
                    Meta {
                        ts_nanos: 0,
                        linktype,
                        orig_len: spb.origlen,
                        interface: 0,
                    },
                    spb.data.get(..n).unwrap_or(spb.data),
                ))
            }
            PcapBlockOwned::NG(_) => None,
        }
    }
}

const PCAP_MAGICS: [[u8; 4]; 4] = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
];
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Is this the start of a pcap or pcapng file?
pub fn is_capture_magic(m: &[u8]) -> bool {
    m.get(..4)
        .is_some_and(|m| PCAP_MAGICS.iter().any(|p| p == m) || m == PCAPNG_MAGIC)
}

fn read_head(r: &mut dyn Read) -> io::Result<([u8; 4], usize)> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        let n = r.read(head.get_mut(got..).unwrap_or(&mut []))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok((head, got))
}

/// Streaming reader over a file, stdin or any `Read`, in bounded memory: the source is read
/// in chunks of [`READ_BUFFER`] into one buffer, and each frame is handed out as a slice of it
/// (no copy per frame). A block larger than the buffer grows it, up to [`MAX_BLOCK`].
pub struct Reader {
    src: Box<dyn Read + Send>,
    buf: Vec<u8>,
    /// The unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// The source has nothing more.
    eof: bool,
    /// Bytes of the frame handed out last, consumed at the next call.
    pending: usize,
    /// `None` until the file header is read.
    format: Option<SliceFormat>,
    state: BlockState,
    frame: u64,
    /// Stream offset of `buf[start]`.
    offset: u64,
    done: bool,
}

impl Reader {
    /// Open a path; `-` reads stdin.
    pub fn open(path: &Path) -> Result<Reader, CaptureError> {
        if path.as_os_str() == "-" {
            return Reader::new(Box::new(io::stdin()));
        }
        let f = File::open(path)?;
        Reader::new(Box::new(f))
    }

    /// Read from any source; gzip is detected and decompressed. The reader buffers by itself:
    /// a `BufReader` around the source only adds a copy.
    pub fn new(mut r: Box<dyn Read + Send>) -> Result<Reader, CaptureError> {
        let (head, got) = read_head(&mut r)?;
        let head_bytes = head.get(..got).unwrap_or(&[]).to_vec();
        let chained: Box<dyn Read + Send> = Box::new(Cursor::new(head_bytes).chain(r));
        let mut src: Box<dyn Read + Send> = if head.get(..2) == Some(&GZIP_MAGIC[..]) {
            Box::new(flate2::read::MultiGzDecoder::new(chained))
        } else {
            chained
        };
        let (head, got) = read_head(&mut src)?;
        if got < 4 || !is_capture_magic(&head) {
            return Err(CaptureError::NotACapture { magic: head });
        }
        let mut buf = vec![0u8; READ_BUFFER];
        if let Some(h) = buf.get_mut(..4) {
            h.copy_from_slice(&head);
        }
        let mut r = Reader {
            src,
            buf,
            start: 0,
            end: 4,
            eof: false,
            pending: 0,
            format: None,
            state: BlockState::default(),
            frame: 0,
            offset: 0,
            done: false,
        };
        r.header()?;
        Ok(r)
    }

    /// Read the file header (pcap) or note the byte order (pcapng, whose section header is
    /// read as a block).
    fn header(&mut self) -> Result<(), CaptureError> {
        loop {
            let avail = self.buf.get(self.start..self.end).unwrap_or(&[]);
            if avail.get(..4) == Some(&PCAPNG_MAGIC[..]) {
                if avail.len() < 12 && !self.eof {
                    self.refill()?;
                    continue;
                }
                let big_endian = avail.get(8..12) == Some(&[0x1a, 0x2b, 0x3c, 0x4d][..]);
                self.format = Some(SliceFormat::Ng { big_endian });
                return Ok(());
            }
            match pcap_parser::parse_pcap_header(avail) {
                Ok((rem, hdr)) => {
                    let used = avail.len() - rem.len();
                    self.format = Some(SliceFormat::Legacy {
                        big_endian: hdr.is_bigendian(),
                        modified: hdr.is_modified_format(),
                    });
                    self.state.packet(&PcapBlockOwned::LegacyHeader(hdr));
                    self.start += used;
                    self.offset += used as u64;
                    return Ok(());
                }
                Err(nom::Err::Incomplete(_)) if !self.eof => self.refill()?,
                Err(_) => {
                    return Err(CaptureError::Truncated {
                        offset: 0,
                        frame: 0,
                    })
                }
            }
        }
    }

    /// Move the unread bytes to the front, grow the buffer when they fill it, and read more.
    fn refill(&mut self) -> Result<(), CaptureError> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_BLOCK {
                self.done = true;
                return Err(CaptureError::Format {
                    offset: self.offset,
                    detail: "block larger than MAX_BLOCK".into(),
                });
            }
            let grown = (self.buf.len() * 2).min(MAX_BLOCK);
            self.buf.resize(grown, 0);
        }
        loop {
            let room = self.buf.get_mut(self.end..).unwrap_or(&mut []);
            match self.src.read(room) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Err(CaptureError::Io(e.to_string()));
                }
            }
        }
    }

    /// Frames read so far.
    pub fn frames(&self) -> u64 {
        self.frame
    }

    /// The next frame, `Ok(None)` at the end, or an error (after which it returns `Ok(None)`).
    /// A truncated capture yields every complete frame and then [`CaptureError::Truncated`].
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        self.start += self.pending;
        self.offset += self.pending as u64;
        self.pending = 0;
        loop {
            if self.done {
                return Ok(None);
            }
            let Some(format) = self.format.as_mut() else {
                return Ok(None);
            };
            let avail = self.buf.get(self.start..self.end).unwrap_or(&[]);
            match parse_block(format, &mut self.state, avail) {
                Step::Packet { used, meta, data } => {
                    self.pending = used;
                    self.frame += 1;
                    let at = self.start + data.start;
                    return Ok(Some(Packet {
                        frame: self.frame,
                        ts_nanos: meta.ts_nanos,
                        linktype: meta.linktype,
                        data: self.buf.get(at..at + data.len()).unwrap_or(&[]),
                        orig_len: meta.orig_len,
                        interface: meta.interface,
                    }));
                }
                Step::Skip { used } => {
                    self.start += used;
                    self.offset += used as u64;
                }
                Step::Incomplete if !self.eof => self.refill()?,
                Step::Incomplete => {
                    self.done = true;
                    if self.start == self.end {
                        return Ok(None);
                    }
                    return Err(CaptureError::Truncated {
                        offset: self.offset,
                        frame: self.frame,
                    });
                }
                Step::Error(detail) => {
                    self.done = true;
                    return Err(CaptureError::Format {
                        offset: self.offset,
                        detail,
                    });
                }
            }
        }
    }
}

/// What one block at the start of the unread bytes is.
enum Step {
    /// A frame: `used` bytes in all, its data at `data` (relative to the block's start).
    Packet {
        used: usize,
        meta: Meta,
        data: core::ops::Range<usize>,
    },
    /// A block that is no frame (headers, statistics...).
    Skip { used: usize },
    /// The block goes on past the bytes given.
    Incomplete,
    /// A block that cannot be parsed.
    Error(String),
}

/// Parse the block at the start of `rem` (a standard pcap record by hand, anything else
/// through pcap-parser).
fn parse_block(format: &mut SliceFormat, state: &mut BlockState, rem: &[u8]) -> Step {
    if rem.is_empty() {
        return Step::Incomplete;
    }
    if let SliceFormat::Legacy {
        big_endian,
        modified: false,
    } = *format
    {
        let Some((meta, caplen)) = legacy_head(state, big_endian, rem) else {
            return Step::Incomplete;
        };
        if caplen > MAX_BLOCK {
            return Step::Error(format!("record of {caplen} octets: more than MAX_BLOCK"));
        }
        let data = LEGACY_RECORD_HEADER..LEGACY_RECORD_HEADER + caplen;
        if rem.len() < data.end {
            return Step::Incomplete;
        }
        return Step::Packet {
            used: data.end,
            meta,
            data,
        };
    }
    let parsed = match *format {
        SliceFormat::Legacy {
            big_endian,
            modified,
        } => {
            let r = if modified {
                pcap_parser::pcap::parse_pcap_frame_modified(rem)
            } else if big_endian {
                pcap_parser::pcap::parse_pcap_frame_be(rem)
            } else {
                pcap_parser::pcap::parse_pcap_frame(rem)
            };
            r.map(|(rest, b)| (rest, PcapBlockOwned::Legacy(b)))
        }
        SliceFormat::Ng { big_endian } => {
            let r = if big_endian {
                pcap_parser::pcapng::parse_block_be(rem)
            } else {
                pcap_parser::pcapng::parse_block_le(rem)
            };
            r.map(|(rest, b)| (rest, PcapBlockOwned::NG(b)))
        }
    };
    let (rest, block) = match parsed {
        Ok(x) => x,
        Err(nom::Err::Incomplete(_)) => return Step::Incomplete,
        Err(e) => return Step::Error(format!("{e:?}")),
    };
    if let PcapBlockOwned::NG(Block::SectionHeader(shb)) = &block {
        *format = SliceFormat::Ng {
            big_endian: shb.big_endian(),
        };
    }
    let used = rem.len() - rest.len();
    match state.packet(&block) {
        Some((meta, data)) => {
            // where the data slice lies in the block (pcap-parser hands out a sub-slice)
            let at = (data.as_ptr() as usize).saturating_sub(rem.as_ptr() as usize);
            let at = at.min(used);
            let end = (at + data.len()).min(used);
            Step::Packet {
                used,
                meta,
                data: at..end,
            }
        }
        None => Step::Skip { used },
    }
}

/// Octets of a standard pcap record header.
const LEGACY_RECORD_HEADER: usize = 16;

/// A standard pcap record header: the frame's metadata and captured length.
#[inline]
fn legacy_head(state: &BlockState, big_endian: bool, rem: &[u8]) -> Option<(Meta, usize)> {
    let word = |at: usize| match rem.get(at..at + 4) {
        Some(&[a, b, c, d]) if big_endian => Some(u32::from_be_bytes([a, b, c, d])),
        Some(&[a, b, c, d]) => Some(u32::from_le_bytes([a, b, c, d])),
        _ => None,
    };
    let (ts_sec, ts_frac, caplen, orig_len) = (word(0)?, word(4)?, word(8)?, word(12)?);
    let frac = if state.legacy_nanos {
        u64::from(ts_frac)
    } else {
        u64::from(ts_frac) * 1000
    };
    Some((
        Meta {
            ts_nanos: u64::from(ts_sec) * 1_000_000_000 + frac,
            linktype: state.legacy_linktype,
            orig_len,
            interface: 0,
        },
        caplen as usize,
    ))
}

enum SliceFormat {
    Legacy { big_endian: bool, modified: bool },
    Ng { big_endian: bool },
}

/// Zero-copy reader over a capture held in memory (pcap or pcapng, not compressed).
pub struct SliceReader<'a> {
    rem: &'a [u8],
    total: usize,
    format: SliceFormat,
    state: BlockState,
    frame: u64,
    done: bool,
}

impl<'a> SliceReader<'a> {
    /// Check the magic and the file header.
    pub fn new(data: &'a [u8]) -> Result<Self, CaptureError> {
        let magic: [u8; 4] = match data.get(..4) {
            Some(&[a, b, c, d]) => [a, b, c, d],
            _ => {
                let mut m = [0u8; 4];
                for (s, b) in m.iter_mut().zip(data) {
                    *s = *b;
                }
                return Err(CaptureError::NotACapture { magic: m });
            }
        };
        let mut state = BlockState::default();
        if magic == PCAPNG_MAGIC {
            let big_endian = data.get(8..12) == Some(&[0x1a, 0x2b, 0x3c, 0x4d][..]);
            return Ok(SliceReader {
                rem: data,
                total: data.len(),
                format: SliceFormat::Ng { big_endian },
                state,
                frame: 0,
                done: false,
            });
        }
        if !is_capture_magic(&magic) {
            return Err(CaptureError::NotACapture { magic });
        }
        let (rem, hdr) =
            pcap_parser::parse_pcap_header(data).map_err(|_| CaptureError::Truncated {
                offset: 0,
                frame: 0,
            })?;
        let format = SliceFormat::Legacy {
            big_endian: hdr.is_bigendian(),
            modified: hdr.is_modified_format(),
        };
        state.packet(&PcapBlockOwned::LegacyHeader(hdr));
        Ok(SliceReader {
            rem,
            total: data.len(),
            format,
            state,
            frame: 0,
            done: false,
        })
    }

    /// A standard pcap record (16-byte header, then the data), read by hand: what
    /// `pcap_parser::pcap::parse_pcap_frame{,_be}` and [`BlockState::packet`] do, without
    /// building a block per frame.
    #[inline]
    fn legacy_record(
        &mut self,
        big_endian: bool,
        offset: u64,
    ) -> Result<Option<Packet<'a>>, CaptureError> {
        let rem = self.rem;
        let record = legacy_head(&self.state, big_endian, rem).and_then(|(meta, caplen)| {
            let data = rem.get(LEGACY_RECORD_HEADER..LEGACY_RECORD_HEADER.checked_add(caplen)?)?;
            Some((meta, data))
        });
        let Some((meta, data)) = record else {
            self.done = true;
            return Err(CaptureError::Truncated {
                offset,
                frame: self.frame,
            });
        };
        self.rem = rem.get(LEGACY_RECORD_HEADER + data.len()..).unwrap_or(&[]);
        self.frame += 1;
        Ok(Some(Packet {
            frame: self.frame,
            ts_nanos: meta.ts_nanos,
            linktype: meta.linktype,
            data,
            orig_len: meta.orig_len,
            interface: 0,
        }))
    }

    /// The next frame.
    #[inline]
    pub fn next_packet(&mut self) -> Result<Option<Packet<'a>>, CaptureError> {
        if self.done || self.rem.is_empty() {
            return Ok(None);
        }
        if let SliceFormat::Legacy {
            big_endian,
            modified: false,
        } = self.format
        {
            let offset = (self.total - self.rem.len()) as u64;
            return self.legacy_record(big_endian, offset);
        }
        self.next_block()
    }

    /// The next frame through pcap-parser (pcapng, modified pcap).
    #[inline(never)]
    fn next_block(&mut self) -> Result<Option<Packet<'a>>, CaptureError> {
        loop {
            if self.done || self.rem.is_empty() {
                return Ok(None);
            }
            let offset = (self.total - self.rem.len()) as u64;
            let parsed = match self.format {
                SliceFormat::Legacy {
                    big_endian,
                    modified,
                } => {
                    let r = if modified {
                        pcap_parser::pcap::parse_pcap_frame_modified(self.rem)
                    } else if big_endian {
                        pcap_parser::pcap::parse_pcap_frame_be(self.rem)
                    } else {
                        pcap_parser::pcap::parse_pcap_frame(self.rem)
                    };
                    r.map(|(rem, b)| (rem, PcapBlockOwned::Legacy(b)))
                }
                SliceFormat::Ng { big_endian } => {
                    let r = if big_endian {
                        pcap_parser::pcapng::parse_block_be(self.rem)
                    } else {
                        pcap_parser::pcapng::parse_block_le(self.rem)
                    };
                    r.map(|(rem, b)| (rem, PcapBlockOwned::NG(b)))
                }
            };
            let (rem, block) = match parsed {
                Ok(x) => x,
                Err(nom::Err::Incomplete(_)) => {
                    self.done = true;
                    return Err(CaptureError::Truncated {
                        offset,
                        frame: self.frame,
                    });
                }
                Err(e) => {
                    self.done = true;
                    return Err(CaptureError::Format {
                        offset,
                        detail: format!("{e:?}"),
                    });
                }
            };
            if let PcapBlockOwned::NG(Block::SectionHeader(shb)) = &block {
                self.format = SliceFormat::Ng {
                    big_endian: shb.big_endian(),
                };
            }
            self.rem = rem;
            if let Some((m, data)) = self.state.packet(&block) {
                self.frame += 1;
                return Ok(Some(Packet {
                    frame: self.frame,
                    ts_nanos: m.ts_nanos,
                    linktype: m.linktype,
                    data,
                    orig_len: m.orig_len,
                    interface: m.interface,
                }));
            }
        }
    }
}
