//! [`Message`]: what the [`crate::Decoder`] hands out per signalling message — the crates'
//! own borrowed views of every layer present, the matched-transaction context, and the
//! anomalies. Nothing in it is text built for output; sinks serialise it when output is
//! wanted, detectors read it directly.

use core::fmt;
use std::net::IpAddr;

use sigscope_capture::{Encap, TcpSegment};
use sigscope_core::digits::Digits;
use sigscope_core::e164::Country;
use sigscope_core::Anomaly;
use sigscope_gtp::common::Labels;
use sigscope_gtp::matcher::{Outcome, Plane};
use sigscope_gtp::Decoded;
use sigscope_map::{MapDialogue, MapEntry};
use sigscope_sccp::{Address, Scmg};
use sigscope_sigtran::m2pa::{M2pa, M2ua};
use sigscope_sigtran::m3ua::M3uaMessage;
use sigscope_sigtran::sctp::Ppid;
use sigscope_sigtran::sua::SuaMessage;
use sigscope_tcap::{Component, Dialogue, Tcap};

/// The two ends of a message carried over IP (absent on MTP link types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Endpoints {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Source port (UDP / SCTP).
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
}

/// The first signalling layer after the transport, which ends the `path`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Upper {
    /// M3UA.
    M3ua,
    /// M2PA.
    M2pa,
    /// M2UA.
    M2ua,
    /// SUA.
    Sua,
    /// GTPv0.
    Gtpv0,
    /// GTPv1 control plane.
    Gtpv1,
    /// GTPv1 user plane.
    Gtpu,
    /// GTPv2-C.
    Gtpv2,
    /// GTP'.
    GtpPrime,
    /// Something on a GTP port that is cut short or not GTP.
    Gtp,
}

impl Upper {
    /// The step's name in the `path`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Upper::M3ua => "m3ua",
            Upper::M2pa => "m2pa",
            Upper::M2ua => "m2ua",
            Upper::Sua => "sua",
            Upper::Gtpv0 => "gtpv0",
            Upper::Gtpv1 => "gtpv1",
            Upper::Gtpu => "gtpu",
            Upper::Gtpv2 => "gtpv2",
            Upper::GtpPrime => "gtp_prime",
            Upper::Gtp => "gtp",
        }
    }
}

/// The way through the frame (`eth/vlan/ipv4(reassembled)/sctp`) and the first signalling
/// layer decoded after it. Displays as the record's `path`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    /// Link, IP and transport steps, as the demultiplexer walked them.
    pub encap: Encap,
    /// The first signalling layer.
    pub upper: Option<Upper>,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.encap, f)?;
        if let Some(u) = self.upper {
            if !self.encap.steps().is_empty() || self.encap.is_truncated() {
                f.write_str("/")?;
            }
            f.write_str(u.as_str())?;
        }
        Ok(())
    }
}

/// The SCTP DATA chunk (or reassembled user message) a SIGTRAN message came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SctpInfo {
    /// Payload protocol identifier.
    pub ppid: Ppid,
    /// Stream.
    pub stream: u16,
    /// Stream sequence number.
    pub ssn: u16,
    /// TSN (of the last fragment when reassembled).
    pub tsn: u32,
    /// Built from several DATA fragments.
    pub reassembled: bool,
}

/// The SIGTRAN adaptation layer of a message.
#[derive(Clone, Debug)]
pub enum Adaptation<'a> {
    /// M3UA (RFC 4666).
    M3ua(M3uaMessage<'a>),
    /// M2PA (RFC 4165).
    M2pa(M2pa<'a>),
    /// M2UA (RFC 3331).
    M2ua(M2ua<'a>),
    /// SUA (RFC 3868).
    Sua(SuaMessage<'a>),
}

/// The MTP3 routing label (from MTP3 itself, or from M3UA's Protocol Data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mtp3Label {
    /// Originating point code.
    pub opc: u32,
    /// Destination point code.
    pub dpc: u32,
    /// Service indicator.
    pub si: u8,
    /// Network indicator.
    pub ni: u8,
    /// Signalling link selection.
    pub sls: u8,
}

/// One SCCP party address with its global title digits and country worked out once.
#[derive(Clone, Copy, Debug)]
pub struct Party<'a> {
    /// The address as decoded.
    pub address: Address<'a>,
    /// Global title digits, when there is a global title.
    pub digits: Option<Digits>,
    /// Country of the global title (E.164 / E.214 numbering plans).
    pub country: Option<Country>,
}

impl Party<'_> {
    /// The digits as text, when there is a global title.
    pub fn digits_str(&self) -> Option<&str> {
        self.digits.as_ref().map(Digits::as_str)
    }

    /// The country as the record writes it: ISO code, or the name of a non-geographic code.
    pub fn country_name(&self) -> Option<&'static str> {
        self.country
            .map(|c| if c.iso.is_empty() { c.name } else { c.iso })
    }

    /// The subsystem number.
    pub fn ssn(&self) -> Option<sigscope_sccp::Ssn> {
        self.address.ssn
    }
}

/// The parties of a SUA message, seen as SCCP parties (the view every reader of
/// [`Message::parties`] takes): SUA carries SCCP's addresses in parameters of its own.
#[derive(Clone, Copy, Debug, Default)]
pub struct SuaParties<'a> {
    /// Calling party (the source address).
    pub calling: Option<Party<'a>>,
    /// Called party (the destination address).
    pub called: Option<Party<'a>>,
}

/// The SCCP layer.
#[derive(Clone, Debug)]
pub struct SccpLayer<'a> {
    /// The message.
    pub msg: sigscope_sccp::Message<'a>,
    /// Called party.
    pub called: Option<Party<'a>>,
    /// Calling party.
    pub calling: Option<Party<'a>>,
    /// Length of the reassembled user data, when this segment completed a segmented message.
    pub reassembled_len: Option<usize>,
    /// SCCP management message (SSN 1).
    pub scmg: Option<Scmg>,
}

/// The TCAP layer with its matched-transaction context.
#[derive(Clone, Debug)]
pub struct TcapLayer<'a> {
    /// The message (ITU or ANSI).
    pub tcap: Tcap<'a>,
    /// The dialogue portion (ITU).
    pub dialogue: Option<Dialogue<'a>>,
    /// MAP-OPEN / -REFUSE / -ABORT of the dialogue's user information.
    pub map_dialogue: Option<MapDialogue<'a>>,
    /// Time since the transaction's Begin (a matched Continue / End / Abort).
    pub since_begin_nanos: Option<u64>,
    /// MAP version of the dialogue, when it is MAP.
    pub map_version: Option<u8>,
    /// Direction-independent key of the two ends (IP ends and point codes): with a
    /// transaction id it names the TCAP flow.
    pub peer_key: u64,
}

/// GTP identities and key values gathered from the IEs (first occurrence wins).
#[derive(Clone, Copy, Debug, Default)]
pub struct GtpSummary<'a> {
    /// IMSI.
    pub imsi: Option<Digits>,
    /// MSISDN.
    pub msisdn: Option<Digits>,
    /// APN.
    pub apn: Option<Labels<'a>>,
    /// IMEI(SV) / MEI.
    pub mei: Option<Digits>,
    /// Cause value (top level).
    pub cause: Option<u8>,
    /// Recovery restart counter.
    pub recovery: Option<u8>,
    /// RAT type.
    pub rat_type: Option<u8>,
    /// A Private Extension IE is present (GTPv2: at any depth of grouped IEs), so that a
    /// reader looking for one walks the IEs only then.
    pub private_extension: bool,
}

/// The GTP layer with its matched-transaction context.
#[derive(Clone, Debug)]
pub struct GtpLayer<'a> {
    /// The datagram as decoded (message, piggybacked message, inner packet, anomalies).
    pub decoded: Decoded<'a>,
    /// The plane the ports say.
    pub plane: Plane,
    /// Identities and key values.
    pub summary: GtpSummary<'a>,
    /// Matcher outcome of the message (`None` without IP addresses).
    pub outcome: Option<Outcome>,
    /// Matcher outcome of the piggybacked message.
    pub piggybacked_outcome: Option<Outcome>,
}

/// One signalling message (or a frame's anomalies, or what was left at end of input).
#[derive(Clone, Debug)]
pub struct Message<'a> {
    /// Frame number, 1-based as in Wireshark (the last frame for end-of-input).
    pub frame: u64,
    /// Capture time, nanoseconds since the epoch.
    pub ts_nanos: u64,
    /// IP ends, when it came over IP.
    pub endpoints: Option<Endpoints>,
    /// The way through the frame (absent for anomaly-only and end-of-input messages).
    pub path: Option<Path>,
    /// This is the end-of-input report of what never completed.
    pub end_of_input: bool,
    /// SCTP DATA chunk information.
    pub sctp: Option<SctpInfo>,
    /// SIGTRAN adaptation layer.
    pub adaptation: Option<&'a Adaptation<'a>>,
    /// MTP3 routing label.
    pub mtp3: Option<Mtp3Label>,
    /// SCCP.
    pub sccp: Option<&'a SccpLayer<'a>>,
    /// The parties of a SUA message (SUA's addresses as SCCP parties).
    pub sua_parties: Option<&'a SuaParties<'a>>,
    /// TCAP.
    pub tcap: Option<&'a TcapLayer<'a>>,
    /// TCAP components that decoded, in order (empty without TCAP).
    pub components: &'a [Component<'a>],
    /// MAP entries, one per Invoke / ReturnResult / ReturnError of a MAP dialogue.
    pub map: &'a [MapEntry<'a>],
    /// GTP.
    pub gtp: Option<&'a GtpLayer<'a>>,
    /// A TCP segment's header, for the few segments the decoder hands out as messages: those
    /// no TCP stack sends ([`TcpSegment::urgent_pointer_without_urg`], GTPDOOR v2's beacon).
    /// Other TCP segments yield no message, so decode records of ordinary traffic do not
    /// change; such a message has the path `.../tcp` and no other layer.
    pub tcp: Option<TcpSegment>,
    /// Earlier frames that are part of this message, each with its capture time: when it
    /// completed a segmented SCCP (or SUA) message, the other segments in the order sent;
    /// when it is a TCP segment no stack sends, the payload-less segment it answers (a
    /// beacon's probe). Empty otherwise.
    pub segments: &'a [(u64, u64)],
    /// Anomalies, outermost layer first.
    pub anomalies: &'a [Anomaly],
}

impl<'a> Message<'a> {
    /// A message with only its frame and time.
    pub fn bare(frame: u64, ts_nanos: u64) -> Message<'a> {
        Message {
            frame,
            ts_nanos,
            endpoints: None,
            path: None,
            end_of_input: false,
            sctp: None,
            adaptation: None,
            mtp3: None,
            sccp: None,
            sua_parties: None,
            tcap: None,
            components: &[],
            map: &[],
            gtp: None,
            tcp: None,
            segments: &[],
            anomalies: &[],
        }
    }

    /// The M3UA message, if the adaptation layer is M3UA.
    pub fn m3ua(&self) -> Option<&'a M3uaMessage<'a>> {
        match self.adaptation {
            Some(Adaptation::M3ua(m)) => Some(m),
            _ => None,
        }
    }

    /// Calling and called SCCP parties (SUA's addresses when SUA carries the message).
    pub fn parties(&self) -> (Option<&'a Party<'a>>, Option<&'a Party<'a>>) {
        match (self.sccp, self.sua_parties) {
            (Some(s), _) => (s.calling.as_ref(), s.called.as_ref()),
            (None, Some(p)) => (p.calling.as_ref(), p.called.as_ref()),
            (None, None) => (None, None),
        }
    }
}
