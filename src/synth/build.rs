//! The building blocks of the scenarios: a small deterministic PRNG, the frame list with its
//! clock, and the SIGTRAN / SCCP / TCAP / MAP / GTP layering done with the crates' emitters.

use sigscope_capture::writer::{ethernet_ipv4, ethernet_ipv4_udp};
use sigscope_gtp::{v1, v2};
use sigscope_sccp::address::{AddressRepr, GtRepr};
use sigscope_sccp::types::{MessageType, ProtocolClass};
use sigscope_sccp::{PcFormat, UnitdataRepr};
use sigscope_sigtran::m3ua::DataRepr;
use sigscope_sigtran::sctp::{DataChunkRepr, SctpRepr};
use sigscope_tcap::emit::TcapRepr;

/// Signalling transfer point (M3UA client side).
pub const STP: [u8; 4] = [192, 0, 2, 10];
/// HLR's signalling gateway.
pub const HLR_SG: [u8; 4] = [192, 0, 2, 20];
/// A peer outside every declared interconnect.
pub const FOREIGN: [u8; 4] = [198, 51, 100, 7];
/// Serving gateway (inside 203.0.113.0/28).
pub const SGW: [u8; 4] = [203, 0, 113, 5];
/// PDN gateway.
pub const PGW: [u8; 4] = [203, 0, 113, 9];
/// GTP-C port.
pub const GTPC: u16 = 2123;
/// GTP-U port.
pub const GTPU: u16 = 2152;
/// M3UA port.
pub const M3UA_PORT: u16 = 2905;
/// SCTP payload protocol id of M3UA.
pub const PPID_M3UA: u32 = 3;
/// IP protocol number of SCTP.
pub const IPPROTO_SCTP: u8 = 132;
/// First capture time of every scenario, nanoseconds (2025-11-24).
pub const EPOCH_NANOS: u64 = 1_764_000_000_000_000_000;
/// SCCP SSNs.
pub const SSN_HLR: u8 = 6;
/// MSC/VLR (and SMSC) SSN.
pub const SSN_MSC: u8 = 8;

/// Why a scenario could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynthError {
    /// An emitter refused a value.
    Emit(String),
    /// A frame did not fit an Ethernet/IPv4 frame.
    FrameTooLarge,
    /// No scenario of that name.
    UnknownScenario,
}

impl core::fmt::Display for SynthError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SynthError::Emit(e) => write!(f, "emitter: {e}"),
            SynthError::FrameTooLarge => f.write_str("frame too large"),
            SynthError::UnknownScenario => f.write_str("unknown scenario"),
        }
    }
}

impl std::error::Error for SynthError {}

impl From<sigscope_core::Error> for SynthError {
    fn from(e: sigscope_core::Error) -> Self {
        SynthError::Emit(e.to_string())
    }
}

/// xorshift64* seeded through splitmix64: deterministic, good enough for test traffic.
#[derive(Clone, Debug)]
pub struct Prng(u64);

impl Prng {
    /// A generator for `seed` (any value, 0 included).
    pub fn new(seed: u64) -> Prng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Prng((z ^ (z >> 31)) | 1)
    }
    /// Next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Next 32 bits.
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// A value in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    /// `n` random octets (look encrypted).
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next_u64() >> 56) as u8).collect()
    }
    /// `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// One frame: capture time, Ethernet bytes and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Capture time, nanoseconds since the epoch.
    pub ts_nanos: u64,
    /// Ethernet frame.
    pub data: Vec<u8>,
    /// Part of the attack (the attacker's messages and the victim's answers to them), not
    /// background or the benign set-up an attack scenario needs.
    pub attack: bool,
}

/// The frames of a scenario being made, with the SCTP counters and the clock.
#[derive(Debug)]
pub struct Net {
    /// Frames so far.
    pub frames: Vec<Frame>,
    /// Current time, nanoseconds.
    pub now: u64,
    tsn: u32,
    ssn: u16,
    /// The scenario's random numbers.
    pub rng: Prng,
    /// The label of the frames pushed from now on ([`Frame::attack`]).
    pub attack: bool,
}

impl Net {
    /// An empty capture at [`EPOCH_NANOS`] for `seed`.
    pub fn new(seed: u64) -> Net {
        Net {
            frames: Vec::new(),
            now: EPOCH_NANOS,
            tsn: 1000,
            ssn: 0,
            rng: Prng::new(seed),
            attack: false,
        }
    }

    /// Move the clock on by `ms` milliseconds.
    pub fn wait_ms(&mut self, ms: u64) {
        self.now = self.now.saturating_add(ms.saturating_mul(1_000_000));
    }

    /// Move the clock on by `base_ms` plus up to `jitter_ms` random milliseconds.
    pub fn wait(&mut self, base_ms: u64, jitter_ms: u64) {
        let j = self.rng.below(jitter_ms);
        self.wait_ms(base_ms.saturating_add(j));
    }

    /// Append `data` at the current time.
    pub fn push(&mut self, data: Vec<u8>) -> Result<(), SynthError> {
        if data.is_empty() {
            return Err(SynthError::FrameTooLarge);
        }
        self.frames.push(Frame {
            ts_nanos: self.now,
            data,
            attack: self.attack,
        });
        Ok(())
    }

    /// An SCTP DATA chunk (M3UA port both ends, ppid 3) carrying `payload`.
    pub fn sctp(&mut self, src: [u8; 4], dst: [u8; 4], payload: Vec<u8>) -> Result<(), SynthError> {
        self.sctp_with(src, dst, M3UA_PORT, PPID_M3UA, payload)
    }

    /// An SCTP DATA chunk (`port` both ends, payload protocol `ppid`) carrying `payload`.
    pub fn sctp_with(
        &mut self,
        src: [u8; 4],
        dst: [u8; 4],
        port: u16,
        ppid: u32,
        payload: Vec<u8>,
    ) -> Result<(), SynthError> {
        self.tsn = self.tsn.wrapping_add(1);
        self.ssn = self.ssn.wrapping_add(1);
        let sctp = SctpRepr {
            source_port: port,
            destination_port: port,
            verification_tag: 0x5167_5c0e,
            chunks: vec![DataChunkRepr {
                flags: 3,
                tsn: self.tsn,
                stream: 1,
                ssn: self.ssn,
                ppid,
                payload,
            }],
        }
        .emit()?;
        self.push(ethernet_ipv4(src, dst, IPPROTO_SCTP, &sctp))
    }

    /// An SCTP packet (`port` both ends) of raw chunks (type, flags, value), the checksum
    /// computed: SCTP's own chunks (HEARTBEAT, PAD) as a stack sends them.
    pub fn sctp_chunks(
        &mut self,
        (src, dst): ([u8; 4], [u8; 4]),
        port: u16,
        chunks: &[(u8, u8, Vec<u8>)],
    ) -> Result<(), SynthError> {
        let mut p = SctpRepr {
            source_port: port,
            destination_port: port,
            verification_tag: 0x5167_5c0e,
            chunks: Vec::new(),
        }
        .emit()?;
        for (kind, flags, value) in chunks {
            let len = u16::try_from(value.len() + 4).map_err(|_| SynthError::FrameTooLarge)?;
            p.extend_from_slice(&[*kind, *flags]);
            p.extend_from_slice(&len.to_be_bytes());
            p.extend_from_slice(value);
            p.resize(p.len().next_multiple_of(4), 0);
        }
        if let Some(c) = p.get_mut(8..12) {
            c.copy_from_slice(&[0; 4]);
        }
        let crc = sigscope_sigtran::sctp::crc32c_of(&p);
        if let Some(c) = p.get_mut(8..12) {
            c.copy_from_slice(&crc.to_le_bytes());
        }
        self.push(ethernet_ipv4(src, dst, IPPROTO_SCTP, &p))
    }

    /// M3UA DATA with service indicator `si` from `opc` to `dpc`.
    #[allow(clippy::too_many_arguments)]
    pub fn m3ua_si(
        &mut self,
        (src, dst): ([u8; 4], [u8; 4]),
        (opc, dpc): (u32, u32),
        si: u8,
        user_data: Vec<u8>,
    ) -> Result<(), SynthError> {
        let mut m = Vec::new();
        DataRepr {
            network_appearance: None,
            routing_context: Some(100),
            opc,
            dpc,
            si,
            ni: 2,
            mp: 0,
            sls: 5,
            user_data,
        }
        .emit(&mut m)?;
        self.sctp(src, dst, m)
    }

    /// M3UA DATA (SI 3, SCCP) from the STP to the HLR's gateway carrying `sccp`.
    pub fn m3ua(&mut self, sccp: Vec<u8>) -> Result<(), SynthError> {
        self.m3ua_si((STP, HLR_SG), (1201, 2201), 3, sccp)
    }

    /// M3UA DATA (SI 3) back from the HLR's gateway to the STP.
    pub fn m3ua_back(&mut self, sccp: Vec<u8>) -> Result<(), SynthError> {
        self.m3ua_si((HLR_SG, STP), (2201, 1201), 3, sccp)
    }

    /// A TCAP message in an SCCP UDT from `calling` (SSN 8) to `called` (SSN 6), to the HLR.
    pub fn tcap_to_hlr(
        &mut self,
        calling: &str,
        called: &str,
        tcap: &TcapRepr,
    ) -> Result<(), SynthError> {
        let udt = udt(gt(called, SSN_HLR), gt(calling, SSN_MSC), tcap.emit())?;
        self.m3ua(udt)
    }

    /// A TCAP message in an SCCP UDT from the HLR (`calling`, SSN 6) back to `called` (SSN 8).
    pub fn tcap_from_hlr(
        &mut self,
        calling: &str,
        called: &str,
        tcap: &TcapRepr,
    ) -> Result<(), SynthError> {
        let udt = udt(gt(called, SSN_MSC), gt(calling, SSN_HLR), tcap.emit())?;
        self.m3ua_back(udt)
    }

    /// A UDP datagram.
    pub fn udp(
        &mut self,
        (src, sport): ([u8; 4], u16),
        (dst, dport): ([u8; 4], u16),
        payload: &[u8],
    ) -> Result<(), SynthError> {
        self.push(ethernet_ipv4_udp(src, dst, sport, dport, payload))
    }

    /// A GTP-C datagram (port 2123 both ends).
    pub fn gtpc(&mut self, src: [u8; 4], dst: [u8; 4], payload: &[u8]) -> Result<(), SynthError> {
        self.udp((src, GTPC), (dst, GTPC), payload)
    }

    /// A GTP-U G-PDU (port 2152 both ends) carrying the IP packet `inner`.
    pub fn gpdu(
        &mut self,
        src: [u8; 4],
        dst: [u8; 4],
        teid: u32,
        inner: Vec<u8>,
    ) -> Result<(), SynthError> {
        let g = v1_message(255, teid, None, v1::BodyRepr::Payload(inner))?;
        self.udp((src, GTPU), (dst, GTPU), &g)
    }
}

/// SCCP party address: E.164 international global title and SSN.
pub fn gt(digits: &str, ssn: u8) -> AddressRepr {
    AddressRepr {
        national: false,
        route_on_ssn: false,
        pc: None,
        ssn: Some(ssn),
        gt: Some(GtRepr {
            gti: 4,
            tt: 0,
            np: 1,
            nai: 4,
            digits: digits.to_string(),
        }),
    }
}

/// SCCP UDT (class 0, return on error).
pub fn udt(
    called: AddressRepr,
    calling: AddressRepr,
    data: Vec<u8>,
) -> Result<Vec<u8>, SynthError> {
    Ok(UnitdataRepr {
        msg_type: MessageType::UDT,
        protocol_class: ProtocolClass(0x80),
        called,
        calling,
        data,
        ..UnitdataRepr::default()
    }
    .emit(PcFormat::Itu14)?)
}

/// GTPv2-C message.
pub fn v2_message(
    msg_type: u8,
    teid: Option<u32>,
    seq: u32,
    ies: Vec<v2::IeRepr>,
) -> Result<Vec<u8>, SynthError> {
    let mut out = Vec::new();
    v2::V2Repr {
        msg_type,
        teid,
        seq,
        priority: None,
        ies,
        piggybacked: None,
    }
    .emit(&mut out)?;
    Ok(out)
}

/// GTPv1 message.
pub fn v1_message(
    msg_type: u8,
    teid: u32,
    seq: Option<u16>,
    body: v1::BodyRepr,
) -> Result<Vec<u8>, SynthError> {
    let mut out = Vec::new();
    v1::V1Repr {
        msg_type,
        teid,
        seq,
        npdu: None,
        ext_headers: Vec::new(),
        body,
    }
    .emit(&mut out)?;
    Ok(out)
}

/// An IPv4/UDP packet without link layer (what a G-PDU carries).
pub fn ipv4_udp(
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Result<Vec<u8>, SynthError> {
    let f = ethernet_ipv4_udp(src, dst, sport, dport, payload);
    f.get(14..)
        .filter(|ip| !ip.is_empty())
        .map(<[u8]>::to_vec)
        .ok_or(SynthError::FrameTooLarge)
}

/// A DNS query for `name` of type `qtype`.
pub fn dns_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut d = id.to_be_bytes().to_vec();
    d.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for l in name.split('.').filter(|l| !l.is_empty()) {
        d.push(l.len().min(63) as u8);
        d.extend_from_slice(l.as_bytes().get(..l.len().min(63)).unwrap_or(&[]));
    }
    d.push(0);
    d.extend_from_slice(&qtype.to_be_bytes());
    d.extend_from_slice(&[0, 1]);
    d
}
