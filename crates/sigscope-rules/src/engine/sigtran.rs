//! SIGTRAN carriage that is not signalling (SIGTRANslator-like).
//!
//! Opaque data (`sigtran_opaque_carriage`, severity 2): an MTP3 user part that looks encrypted
//! under any service indicator but SCCP (ISUP, BICC, GCP, TUP are structured, never random),
//! a spare service indicator, MTP3 network management longer than any of its messages, ISUP
//! longer than the signalling information field holds, and the opaque fields of M3UA
//! management (heartbeat data, info strings, diagnostic information) filled with
//! encrypted-looking data.
//!
//! Malformed carriage (`sigtran_payload_malformed`, severity 3): an SCTP PPID no protocol has
//! (on no SIGTRAN port), and "ISUP" that does not parse as ISUP (unassigned message type, IAM
//! pointers outside the message).

use serde_json::json;
use sigscope_core::{AnomalyCode, Layer};
use sigscope_decode::{Adaptation, Message, Mtp3Label};
use sigscope_sccp::Ssn;
use sigscope_sigtran::mtp3::{Mtp3Variant, ServiceIndicator};

use super::*;
use crate::content::encoded_binary;
use crate::signatures as sig;

/// Longest MTP3 network-management / test user part (SI 0-2): Q.704/Q.707 messages are a
/// few octets (an SLTM test pattern at most 15).
pub const MAX_MTP_MANAGEMENT_OCTETS: usize = 32;
/// Longest ISUP message: the MTP3 signalling information field holds 272 octets.
pub const MAX_ISUP_OCTETS: usize = 272;
/// Octets of an ISUP message before its type: the circuit identification code.
const ISUP_CIC_OCTETS: usize = 2;
/// ISUP Initial Address Message type.
const ISUP_IAM: u8 = 0x01;
/// IAM mandatory fixed part after the type (nature of connection, forward call indicators,
/// calling party's category, transmission medium requirement).
const ISUP_IAM_FIXED: usize = 5;

/// ISUP message types Q.763 (and ANSI T1.113) assign.
fn isup_type_assigned(t: u8) -> bool {
    matches!(t, 0x01..=0x09 | 0x0c..=0x0e | 0x10..=0x1b | 0x1f..=0x21 | 0x24 | 0x28..=0x38 | 0xe9..=0xed)
}

/// The layout of common ISUP messages (Q.763 tables 21-45; ANSI T1.113 lays these out
/// alike): octets of the mandatory fixed part, mandatory variable parameters, and whether an
/// optional part may follow. IAM is judged on its own.
fn isup_layout(t: u8) -> Option<(usize, usize, bool)> {
    Some(match t {
        0x02 => (0, 1, true),  // SAM: subsequent number
        0x05 => (1, 0, false), // COT: continuity indicators
        0x06 => (2, 0, true),  // ACM: backward call indicators
        0x07 => (2, 0, true),  // CON: backward call indicators
        0x09 => (0, 0, true),  // ANM
        0x0c => (0, 1, true),  // REL: cause indicators
        0x0d => (1, 0, true),  // SUS: suspend/resume indicators
        0x0e => (1, 0, true),  // RES: suspend/resume indicators
        0x10 => (0, 0, true),  // RLC
        0x2c => (1, 0, true),  // CPG: event information
        _ => return None,
    })
}

/// Octets of a SIGTRAN parameter's tag and length.
const PARAM_HEADER: usize = 4;

/// End of optional parameters (Q.763 3.20).
const ISUP_END_OF_OPTIONAL: u8 = 0;

/// Why an ISUP message of a known layout does not hold together: a pointer outside the
/// message, a parameter longer than what is left, an optional part never ended.
fn isup_layout_broken(
    data: &[u8],
    (fixed, vars, opt): (usize, usize, bool),
) -> Option<&'static str> {
    let ptrs = ISUP_CIC_OCTETS + 1 + fixed;
    let n_ptrs = vars + usize::from(opt);
    if data.len() < ptrs + n_ptrs {
        return Some("isup_shorter_than_its_layout");
    }
    // a pointer counts from its own octet
    let target = |i: usize| data.get(ptrs + i).map(|p| (ptrs + i, usize::from(*p)));
    for i in 0..vars {
        let (at, p) = target(i)?;
        let fits = data
            .get(at + p)
            .is_some_and(|l| at + p + usize::from(*l) < data.len());
        if p == 0 || !fits {
            return Some("isup_pointer_outside_message");
        }
    }
    if !opt {
        return None;
    }
    let (at, p) = target(vars)?;
    if p == 0 {
        return None;
    }
    let mut i = at + p;
    loop {
        match data.get(i) {
            None => return Some("isup_optional_part_unterminated"),
            Some(&ISUP_END_OF_OPTIONAL) => return None,
            Some(_) => {
                let len = usize::from(*data.get(i + 1)?);
                i += 2 + len;
            }
        }
    }
}

/// Why `data` (an MTP3 user part announced as ISUP) is not ISUP, if it is not.
fn not_isup(data: &[u8]) -> Option<&'static str> {
    let t = *data.get(ISUP_CIC_OCTETS)?;
    if !isup_type_assigned(t) {
        return Some("unassigned_isup_message_type");
    }
    if let Some(layout) = isup_layout(t) {
        return isup_layout_broken(data, layout);
    }
    if t == ISUP_IAM {
        // the two pointers after the fixed part must land inside the message
        let p1_at = ISUP_CIC_OCTETS + 1 + ISUP_IAM_FIXED;
        let p1 = usize::from(*data.get(p1_at)?);
        let called_at = p1_at + p1;
        let fits = data
            .get(called_at)
            .is_some_and(|l| called_at + usize::from(*l) < data.len());
        if p1 == 0 || !fits {
            return Some("iam_pointer_outside_message");
        }
    }
    None
}

/// H.248 (Megaco) text encoding: a message starts with its version token, long or short
/// form (H.248.1 annex B: `MEGACO/1`, `!/1`).
fn megaco_text(data: &[u8]) -> bool {
    data.get(..7)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"MEGACO/"))
        || data.starts_with(b"!/")
}

/// Octets of a called party number before its digits (nature of address; numbering plan).
const CALLED_PARTY_HEADER: usize = 2;
/// Most address-signal octets of a called party number (E.164's 15 digits and more).
const MAX_CALLED_PARTY_DIGIT_OCTETS: usize = 16;
/// A BCD address signal's ST (end of pulsing) and filler values.
const ISUP_ST: u8 = 0x0f;

/// An ISUP IAM whose pointers lie inside it and whose called party number is BCD digits (an
/// ST or filler last): what a switch sends, which random octets almost never are.
fn well_formed_iam(data: &[u8]) -> bool {
    if data.get(ISUP_CIC_OCTETS) != Some(&ISUP_IAM) || not_isup(data).is_some() {
        return false;
    }
    let p1_at = ISUP_CIC_OCTETS + 1 + ISUP_IAM_FIXED;
    let Some(called_at) = data.get(p1_at).map(|p| p1_at + usize::from(*p)) else {
        return false;
    };
    let Some(&len) = data.get(called_at) else {
        return false;
    };
    let len = usize::from(len);
    if len <= CALLED_PARTY_HEADER || len > CALLED_PARTY_HEADER + MAX_CALLED_PARTY_DIGIT_OCTETS {
        return false;
    }
    let Some(digits) = data.get(called_at + 1 + CALLED_PARTY_HEADER..called_at + 1 + len) else {
        return false;
    };
    let n = digits.len() * 2;
    digits
        .iter()
        .flat_map(|b| [b & 0x0f, b >> 4])
        .enumerate()
        .all(|(i, d)| d <= 9 || (i + 2 >= n && (d == ISUP_ST || d == 0)))
}

/// Application tags of a TCAP transaction portion (Q.773): originating and destination
/// transaction ids (8, 9), P-abort cause (10), dialogue portion (11), component portion (12).
const TCAP_TRANSACTION_ELEMENTS: [u32; 5] = [8, 9, 10, 11, 12];
/// Context tags of ITU components (Q.773): Invoke 1, ReturnResult-Last 2, ReturnError 3,
/// Reject 4, ReturnResult-NotLast 7.
const TCAP_COMPONENT_TAGS: [u32; 5] = [1, 2, 3, 4, 7];

/// SCCP users whose messages are not TCAP and are not judged here: ISUP carried by SCCP, and
/// the APER-encoded RANAP, RNSAP and PCAP (whose octets are dense by nature).
const STRUCTURED_NON_TCAP_SSNS: [Ssn; 4] = [Ssn::ISUP, Ssn::RANAP, Ssn::RNSAP, Ssn::PCAP];
/// BSSAP's discriminator of BSSMAP (then a length octet), and of DTAP (then DLCI and length)
/// (TS 48.006 9.3, TS 49.031 for BSSAP-LE).
const BSSAP_BSSMAP: u8 = 0x00;
const BSSAP_DTAP: u8 = 0x01;

/// A BSSAP family subsystem (A interface, BSSAP-LE, BSS O&M).
fn bssap_family(ssn: Ssn) -> bool {
    (Ssn::BSC_BSSAP_LE.0..=Ssn::BSSAP.0).contains(&ssn.0)
}

/// BSSAP framing: a discriminator and a length that is the rest of the data.
fn bssap_framed(d: &[u8]) -> bool {
    match d {
        [BSSAP_BSSMAP, len, rest @ ..] => usize::from(*len) == rest.len(),
        [BSSAP_DTAP, _dlci, len, rest @ ..] => usize::from(*len) == rest.len(),
        _ => false,
    }
}

/// The whole user data of a connectionless SCCP or SUA message that carries no TCAP (none
/// decoded, none announced by the SSNs, no SCCP management), with the called and calling
/// SSNs. A segment of a longer message is not whole.
fn non_tcap_user_data<'a>(m: &Message<'a>) -> Option<(&'a [u8], Option<Ssn>, Option<Ssn>)> {
    if m.tcap.is_some() {
        return None;
    }
    if let Some(s) = m.sccp {
        let single = s.msg.segmentation.map_or(true, |g| g.is_single());
        if !s.msg.msg_type.is_connectionless() || s.scmg.is_some() || !single {
            return None;
        }
        let d = s.msg.user_data();
        let called = s.called.as_ref().and_then(Party::ssn);
        let calling = s.calling.as_ref().and_then(Party::ssn);
        return (!d.is_empty()).then_some((d, called, calling));
    }
    match m.adaptation {
        Some(Adaptation::Sua(x)) => {
            let single = x.segmentation.map_or(true, |g| g.is_single());
            let d = x.data.filter(|d| single && !d.is_empty())?;
            let called = x.destination.and_then(|a| a.ssn).map(Ssn);
            let calling = x.source.and_then(|a| a.ssn).map(Ssn);
            Some((d, called, calling))
        }
        _ => None,
    }
}

/// Whether a SIGTRAN message without anomalies can raise anything here: SCCP user parts are
/// judged by TCAP and the content detectors, so only another service indicator's user part
/// (over M3UA, M2PA or M2UA), an opaque M3UA management field, or SCCP / SUA user data that
/// is no TCAP can.
pub(super) fn may_fire(m: &Message<'_>) -> bool {
    if m.tcap.is_none() && (m.sccp.is_some() || matches!(m.adaptation, Some(Adaptation::Sua(_)))) {
        return true;
    }
    match m.adaptation {
        Some(Adaptation::M3ua(x)) => {
            x.protocol_data
                .is_some_and(|pd| ServiceIndicator(pd.si) != ServiceIndicator::SCCP)
                || x.heartbeat_data.is_some()
                || x.info_string.is_some()
                || x.diagnostic_info.is_some()
        }
        // an MTP3 user part other than SCCP's over M2PA / M2UA
        Some(Adaptation::M2pa(_) | Adaptation::M2ua(_)) => m
            .mtp3
            .is_some_and(|l| ServiceIndicator(l.si) != ServiceIndicator::SCCP),
        _ => false,
    }
}

impl Engine {
    #[inline(never)]
    pub(super) fn sigtran(&self, m: &Message<'_>, found: &mut Hits<'_>) {
        for a in m.anomalies {
            let shape = match (a.layer, a.code) {
                (Layer::Sctp, AnomalyCode::PpidUnassigned) => "sctp_ppid_unassigned",
                // a PPID of no SIGTRAN layer on a SIGTRAN port, and the payload is not that
                // layer either
                (Layer::Sctp, AnomalyCode::PpidNotSigtran) if m.adaptation.is_none() => {
                    "sctp_ppid_not_sigtran_payload_undecodable"
                }
                // what the PPID or port calls SIGTRAN is not: no version 1, or a message
                // class/type no RFC assigns
                (
                    Layer::M3ua | Layer::Sua | Layer::M2ua | Layer::M2pa,
                    AnomalyCode::UnknownVersion,
                ) => "sigtran_version_unknown",
                (Layer::M3ua | Layer::Sua | Layer::M2ua, AnomalyCode::UnassignedMessageType) => {
                    "sigtran_class_type_unassigned"
                }
                // an SCCP message type Q.713 assigns to nothing: what SCCP carries is not SCCP
                (Layer::Sccp, AnomalyCode::UnassignedMessageType) => "sccp_message_type_unassigned",
                _ => continue,
            };
            found.hit(
                &sig::SIGTRAN_PAYLOAD_MALFORMED,
                || json!({"shape": shape, "ppid": a.value}),
            );
            return;
        }
        // another protocol's data on an association of signalling (SIGTRANslator carries
        // its own over SIGTRAN's ports), and data in SCTP's own chunks (a heartbeat's
        // information longer than a stack's, padding that is not zeros)
        for a in m.anomalies.iter().filter(|a| a.layer == Layer::Sctp) {
            let shape = match a.code {
                AnomalyCode::PpidOtherProtocol => "other_protocol_on_sigtran_port",
                AnomalyCode::HeartbeatInfoLong => "sctp_heartbeat_info_oversized",
                AnomalyCode::PadChunkData => "sctp_pad_chunk_data",
                _ => continue,
            };
            found.hit(&sig::SIGTRAN_OPAQUE_CARRIAGE, || {
                json!({"shape": shape, "value": a.value, "offset": a.offset,
                       "sport": m.endpoints.map(|e| e.sport), "dport": m.endpoints.map(|e| e.dport)})
            });
            return;
        }
        if m.anomalies.iter().any(|a| {
            a.layer == Layer::Tcap
                && matches!(
                    a.code,
                    AnomalyCode::UnexpectedElement | AnomalyCode::UnknownComponent
                )
        }) && self.opaque_tcap_element(m, found)
        {
            return;
        }
        if let Some((d, called, calling)) = non_tcap_user_data(m) {
            if self.opaque_user_data(m, d, called, calling, found) {
                return;
            }
        }
        let x = match m.adaptation {
            Some(Adaptation::M3ua(x)) => x,
            // MTP3 carried by M2PA / M2UA: its user part is judged as M3UA's is
            Some(Adaptation::M2pa(a)) => {
                if let Some((label, data)) = mtp3_user_part(a.mtp3, m.mtp3) {
                    self.user_part(label, data, found);
                }
                return;
            }
            Some(Adaptation::M2ua(a)) => {
                if let Some((label, data)) = a.mtp3.and_then(|d| mtp3_user_part(d, m.mtp3)) {
                    self.user_part(label, data, found);
                }
                return;
            }
            _ => return,
        };
        let t = &self.policy.thresholds;
        if let Some(pd) = x.protocol_data {
            let label = Mtp3Label {
                opc: pd.opc,
                dpc: pd.dpc,
                si: pd.si,
                ni: pd.ni,
                sls: pd.sls,
            };
            if self.user_part(label, pd.user_data, found) {
                return;
            }
        }
        // a parameter no RFC assigns here (unknown, not allowed in this message or inside
        // this one, or running past the message) or octets after the last: its value
        let raw = x.msg.as_bytes();
        for a in m.anomalies.iter().filter(|a| {
            a.layer == Layer::M3ua
                && matches!(
                    a.code,
                    AnomalyCode::UnknownParameter
                        | AnomalyCode::UnexpectedParameter
                        | AnomalyCode::TrailingBytes
                )
        }) {
            let Some(rest) = raw.get(a.offset..) else {
                continue;
            };
            let value = match rest {
                [_, _, l0, l1, v @ ..] if a.code != AnomalyCode::TrailingBytes => {
                    let len = usize::from(u16::from_be_bytes([*l0, *l1]));
                    v.get(..len.saturating_sub(PARAM_HEADER)).unwrap_or(v)
                }
                _ => rest,
            };
            if let Some(v) = encoded_binary(value, t.binary_min_len, t.binary_entropy_bits) {
                found.hit(&sig::SIGTRAN_OPAQUE_CARRIAGE, || {
                    json!({"shape": "m3ua_opaque_parameter", "anomaly": a.code.as_str(),
                           "offset": a.offset, "length": value.len(), "verdict": v.kind,
                           "entropy": round(v.entropy, 2)})
                });
                return;
            }
        }
        let opaque = [
            ("heartbeat_data", x.heartbeat_data),
            ("info_string", x.info_string),
            ("diagnostic_info", x.diagnostic_info),
        ];
        for (field, value) in opaque {
            let Some(d) = value else { continue };
            if let Some(v) = encoded_binary(d, t.binary_min_len, t.binary_entropy_bits) {
                found.hit(&sig::SIGTRAN_OPAQUE_CARRIAGE, || {
                    json!({"shape": "m3ua_opaque_field", "field": field, "length": d.len(),
                           "verdict": v.kind, "entropy": round(v.entropy, 2)})
                });
                return;
            }
        }
    }
}

/// The MTP3 user part of an MTP3 message M2PA / M2UA carries, with the label the decoder
/// read from it: the variant is the one whose label reads back the same point codes.
fn mtp3_user_part(mtp3: &[u8], label: Option<Mtp3Label>) -> Option<(Mtp3Label, &[u8])> {
    let label = label?;
    [
        Mtp3Variant::Itu,
        Mtp3Variant::Ansi,
        Mtp3Variant::Chinese,
        Mtp3Variant::Japan,
    ]
    .into_iter()
    .find_map(|v| {
        let m =
            sigscope_sigtran::mtp3::parse(mtp3, v, &mut sigscope_core::Anomalies::new()).ok()?;
        (m.opc == label.opc && m.dpc == label.dpc && m.si.0 == label.si)
            .then_some((label, m.payload))
    })
}

impl Engine {
    /// Connectionless SCCP (or SUA) user data that is no TCAP, to or from a subsystem that is
    /// no TCAP user (none, 0, an unassigned one, or a BSSAP one whose data has no BSSAP
    /// framing), and that looks encrypted or encoded: data carried in signalling's envelope
    /// (1010). SCCP management, ISUP, and the APER users (RANAP, RNSAP, PCAP) are not judged;
    /// data to a TCAP user that is no TCAP raised `sccp_data_not_tcap` already.
    fn opaque_user_data(
        &self,
        m: &Message<'_>,
        d: &[u8],
        called: Option<Ssn>,
        calling: Option<Ssn>,
        found: &mut Hits<'_>,
    ) -> bool {
        let judged = m.anomalies.iter().any(|a| {
            matches!(
                a.code,
                AnomalyCode::SccpDataNotTcap | AnomalyCode::TcapMalformed
            )
        });
        let ssns = [called, calling];
        let skip = |s: &Ssn| STRUCTURED_NON_TCAP_SSNS.contains(s) || s.is_tcap_user();
        if judged || ssns.iter().flatten().any(skip) {
            return false;
        }
        if ssns.iter().flatten().any(|s| bssap_family(*s)) && bssap_framed(d) {
            return false;
        }
        let t = &self.policy.thresholds;
        let Some(v) = encoded_binary(d, t.binary_min_len, t.binary_entropy_bits) else {
            return false;
        };
        found.hit(&sig::SCCP_NOT_TCAP, || {
            json!({"shape": "opaque_user_data", "called_ssn": called.map(|s| s.0),
                   "calling_ssn": calling.map(|s| s.0), "length": d.len(),
                   "verdict": v.kind, "entropy": round(v.entropy, 2)})
        });
        true
    }

    /// An ITU TCAP message whose transaction portion holds an element Q.773 does not define
    /// (anything but the transaction ids, the dialogue and component portions, an abort
    /// cause) with encrypted-looking or encoded contents: a TCAP envelope around a blob
    /// (1010).
    fn opaque_tcap_element(&self, m: &Message<'_>, found: &mut Hits<'_>) -> bool {
        use sigscope_core::ber::{Class, TlvIter};
        let Some(sigscope_tcap::Tcap::Itu(x)) = m.tcap.map(|t| &t.tcap) else {
            return false;
        };
        let Ok((outer, _)) = sigscope_core::ber::read_tlv(x.raw) else {
            return false;
        };
        // elements of the transaction portion but the defined ones, then elements of the
        // component portion that are no components
        let transaction = outer
            .children_at(outer.header_len)
            .map_while(Result::ok)
            .filter(|(_, e)| {
                !(e.tag.class == Class::Application
                    && TCAP_TRANSACTION_ELEMENTS.contains(&e.tag.number))
            })
            .map(|(at, e)| ("opaque_element_in_tcap", at, e));
        let components = x
            .component_portion
            .into_iter()
            .flat_map(|p| TlvIter::with_base(p.value, p.offset).map_while(Result::ok))
            .filter(|(_, e)| {
                !(e.tag.class == Class::Context && TCAP_COMPONENT_TAGS.contains(&e.tag.number))
            })
            .map(|(at, e)| ("opaque_element_in_component_portion", at, e));
        let t = &self.policy.thresholds;
        let Some((shape, at, e, v)) = transaction.chain(components).find_map(|(shape, at, e)| {
            let v = encoded_binary(e.value, t.binary_min_len, t.binary_entropy_bits)?;
            Some((shape, at, e, v))
        }) else {
            return false;
        };
        found.hit(&sig::SCCP_NOT_TCAP, || {
            json!({"shape": shape, "tag": e.tag.number, "offset": at, "length": e.value.len(),
                   "verdict": v.kind, "entropy": round(v.entropy, 2)})
        });
        true
    }

    /// An MTP3 user part (under any adaptation): encrypted-looking data under any service
    /// indicator but SCCP, a spare indicator, management or ISUP longer than any of their
    /// messages (1043), ISUP that does not parse (1044). Whether it raised one.
    fn user_part(&self, label: Mtp3Label, data: &[u8], found: &mut Hits<'_>) -> bool {
        let t = &self.policy.thresholds;
        let si = ServiceIndicator(label.si);
        let len = data.len();
        // encrypted-looking user data under any service indicator but SCCP (whose user
        // data TCAP and the content detectors judge); printable payloads (H.248 text
        // encoding over GCP) are text protocols, not ciphertext
        // a well-formed IAM (pointers inside it, a called party number of BCD digits) is
        // encrypted only at full entropy: its few dozen distinct octets (CIC, indicators,
        // digits) reach the reduced bar short values get (ISUP's other messages are
        // shorter than any value judged)
        let isup_ok = si == ServiceIndicator::ISUP && well_formed_iam(data);
        let encrypted = if si == ServiceIndicator::SCCP {
            None
        } else if isup_ok {
            let e = crate::content::entropy(data);
            (len >= t.binary_min_len && e >= t.binary_entropy_bits).then_some(
                crate::content::Verdict {
                    kind: "encrypted",
                    entropy: e,
                    len,
                },
            )
        } else {
            // printable: encoded text (base64, hex) is carriage, but H.248's text encoding
            // over GCP is the protocol itself
            encoded_binary(data, t.binary_min_len, t.binary_entropy_bits).filter(|v| {
                v.kind == "encrypted" || (v.kind == "printable_encoded" && !megaco_text(data))
            })
        };
        let opaque = match si {
            _ if encrypted.is_some() => Some("encrypted_user_part"),
            ServiceIndicator::SNM | ServiceIndicator::MTN | ServiceIndicator::MTNS
                if len > MAX_MTP_MANAGEMENT_OCTETS =>
            {
                Some("mtp_management_longer_than_its_messages")
            }
            ServiceIndicator::ISUP if len > MAX_ISUP_OCTETS => Some("longer_than_any_isup_message"),
            _ if !si.is_known() => Some("service_indicator_spare"),
            _ => None,
        };
        let malformed = match si {
            ServiceIndicator::ISUP => not_isup(data),
            _ => None,
        };
        let hit = match (opaque, malformed) {
            (Some(o), _) => Some((&sig::SIGTRAN_OPAQUE_CARRIAGE, o)),
            (None, Some(w)) => Some((&sig::SIGTRAN_PAYLOAD_MALFORMED, w)),
            (None, None) => None,
        };
        let Some((s, shape)) = hit else {
            return false;
        };
        found.hit(s, || {
            json!({"shape": shape, "si": label.si, "si_name": si.name(), "length": len,
                   "opc": label.opc, "dpc": label.dpc,
                   "entropy": encrypted.map(|v| round(v.entropy, 2))})
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isup_judged_by_type_length_and_iam_pointers() {
        // a real IAM shape: CIC, type, NCI, FCI(2), CPC, TMR, ptr called=2, ptr optional=0,
        // called party number (len 4)
        let iam = [
            0x01, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x00, 0x04, 0x81, 0x10, 0x21,
            0x43,
        ];
        assert_eq!(not_isup(&iam), None);
        let mut bad = iam;
        bad[8] = 0x40;
        assert_eq!(not_isup(&bad), Some("iam_pointer_outside_message"));
        assert_eq!(
            not_isup(&[0, 1, 0x77, 0]),
            Some("unassigned_isup_message_type")
        );
        // release (REL) with a cause
        assert_eq!(
            not_isup(&[0x05, 0x00, 0x0c, 0x02, 0x00, 0x02, 0x80, 0x90]),
            None
        );
    }

    /// An IAM with its optional part (calling party number, forward call indicators,
    /// generic number) has a few dozen distinct octets: over the reduced bar a 32-octet value
    /// gets, so only its structure keeps it from being taken for ciphertext. Random octets
    /// with IAM's type byte are no IAM.
    #[test]
    fn a_full_iam_is_not_ciphertext() {
        let iam = [
            0x2f, 0x01, 0x01, 0x00, 0x01, 0x20, 0x0a, 0x00, 0x02, 0x0b, 0x09, 0x84, 0x10, 0x44,
            0x97, 0x81, 0x72, 0x63, 0x54, 0x05, 0x0a, 0x07, 0x83, 0x13, 0x44, 0x97, 0x56, 0x35,
            0x12, 0x1d, 0x01, 0x80, 0x31, 0x02, 0xc1, 0x6e, 0x00,
        ];
        assert!(well_formed_iam(&iam));
        let reduced = crate::content::encoded_binary(&iam, 32, 6.0);
        assert_eq!(reduced.map(|v| v.kind), Some("encrypted"), "the old bar");
        assert!(crate::content::entropy(&iam) < 6.0);
        for seed in 1..=200u32 {
            let mut noise = crate::content::xorshift_noise(seed.wrapping_mul(0x9e37_79b9), 48);
            noise[2] = ISUP_IAM;
            assert!(!well_formed_iam(&noise), "{noise:02x?}");
        }
    }
}
