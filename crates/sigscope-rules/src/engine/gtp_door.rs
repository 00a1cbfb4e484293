//! GTPDOOR and its family (structure, 1020-1025): magic packets behind a valid GTP header,
//! Echo headers no node sends, IEs of impossible lengths, piggybacking on an Echo, and
//! GTPDOOR v2's TCP beacon.
//!
//! GTPDOOR's frame is read by [`sigscope_gtp::door`] (the decoder also uses it to take the
//! implant's packets as GTP on any port). The implant answers with an Echo Response that
//! copies the request's flags. Its v2 beacon is a TCP RST/ACK whose urgent pointer is set while
//! URG is clear.

use serde_json::json;
use sigscope_core::AnomalyCode;
use sigscope_decode::{GtpLayer, Message, TcpSegment};
use sigscope_gtp::v2;
use sigscope_gtp::Message as Gtp;

use super::*;
use crate::content::encoded_binary;
use crate::signatures as sig;

use sigscope_gtp::door;

/// Length of the GTPv2 Recovery and Sending Node Features values (TS 29.274 8.5, 8.83).
pub const V2_ONE_OCTET_IE_LEN: usize = 1;

/// Anomalies that mean a GTP message's body is not what its type carries: an IE walk that
/// stopped, a G-PDU whose payload is no IP packet.
const NOT_ITS_KIND: [AnomalyCode; 4] = [
    AnomalyCode::UnknownTvIe,
    AnomalyCode::IeTruncated,
    AnomalyCode::IeLimitReached,
    AnomalyCode::TpduNotIp,
];

/// Whether a GTP message's body is not what its type carries ([`NOT_ITS_KIND`]).
pub(super) fn body_not_its_kind(m: &Message<'_>) -> bool {
    m.gtp.is_some()
        && m.anomalies
            .iter()
            .any(|a| a.layer == sigscope_core::Layer::Gtp && NOT_ITS_KIND.contains(&a.code))
}

/// Offset (in the datagram) where a GTP message's IEs stop walking, if they do.
fn first_ie_error(msg: &Gtp<'_>) -> Option<usize> {
    match msg {
        Gtp::V1(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
        Gtp::V2(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
        Gtp::V0(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
        Gtp::Prime(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
        Gtp::Runt(_) | Gtp::NotGtp(_) => None,
    }
}

/// Anomalies that mean the GTP length disagrees with the datagram (1003's ground).
const LENGTH_CODES: [AnomalyCode; 3] = [
    AnomalyCode::HeaderLengthMismatch,
    AnomalyCode::TrailingBytes,
    AnomalyCode::HeaderTruncated,
];

impl Engine {
    /// The GTPDOOR family's structure checks of one message.
    #[inline(never)]
    pub(super) fn gtp_door(&self, m: &Message<'_>, ies: &content::GtpIes, found: &mut Hits<'_>) {
        if let Some(seg) = &m.tcp {
            tcp_beacon(seg, found);
        }
        let Some(g) = m.gtp else { return };
        self.ie_lengths(g, ies, found);
        let msg = &g.decoded.message;
        let ty = msg.message_type();
        // the implant reads its frame behind any message type: an Echo, or one whose body
        // is not what its type carries (IEs that do not walk, a T-PDU that is no IP packet)
        let echo = matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE);
        if !echo && !body_not_its_kind(m) {
            return;
        }
        let d = msg.datagram();
        let header_len = match msg {
            Gtp::V1(x) => x.body_offset(),
            Gtp::V2(x) => x.header_len(),
            Gtp::Prime(x) => x.header_len(),
            Gtp::V0(_) => sigscope_gtp::prime::V0_HEADER_LEN,
            Gtp::Runt(_) | Gtp::NotGtp(_) => door::HEADER_LEN,
        };
        let frame = door::frame(d).or_else(|| {
            (header_len != door::HEADER_LEN)
                .then(|| door::frame_after(d, header_len))
                .flatten()
        });
        if let Some(f) = frame {
            found.hit(&sig::GTPDOOR_MAGIC, || {
                json!({"message": gtp_name(g), "protocol": msg.protocol(), "key": f.key,
                       "key_hex": format!("{:08x}", f.key), "default_key": f.key == door::DEFAULT_KEY,
                       "command_type": f.command, "command_len": f.command_len, "data_len": f.data_len,
                       "scanner_probe": f.command == door::SCANNER_TYPE, "datagram_len": d.len()})
            });
        }
        if !echo {
            // (called only for a body that is not its type's: see above)
            self.body_not_ies(g, found);
            return;
        }
        let length_ok = !g
            .decoded
            .anomalies
            .iter()
            .any(|a| LENGTH_CODES.contains(&a.code));
        if !length_ok {
            return; // 1003 speaks for it
        }
        // the body must walk as IEs (an empty body does)
        if let Some(offset) = first_ie_error(msg) {
            found.hit(&sig::GTP_ECHO_BODY_NOT_IES, || {
                json!({"message": gtp_name(g), "protocol": msg.protocol(), "ie_error_offset": offset,
                       "length": d.len()})
            });
        }
        let flags = match msg {
            // TS 29.060 / 29.281: S = 1 on Echo; an 8-octet header (no S) is what GTPDOOR sends;
            // no Echo carries an N-PDU number or extension headers (octets a channel can use)
            Gtp::V1(x) if !x.s() || x.pn() || x.e() => Some(x.flags()),
            Gtp::V2(x) if x.t() || x.mp() || x.flags() & v2::flags::SPARE != 0 => Some(x.flags()),
            _ => None,
        };
        if let Some(f) = flags {
            found.hit(&sig::GTP_ECHO_FLAGS_NEVER_SENT, || {
                json!({"message": gtp_name(g), "protocol": msg.protocol(), "flags": f,
                       "flags_hex": format!("{f:02x}")})
            });
        }
        if let Gtp::V2(x) = msg {
            if x.p() {
                found.hit(&sig::GTP_ECHO_PIGGYBACK, || {
                    json!({"message": gtp_name(g), "piggybacked": g.decoded.piggybacked.map(|p| p.message_type().0)})
                });
            }
        }
    }

    /// A GTP-C message other than Echo whose IEs stop walking where encrypted-looking octets
    /// begin (1020): a command carried behind the header of a message few nodes send
    /// (Version Not Supported, Node Alive, Redirection, Supported Extension Headers
    /// Notification, Data Record Transfer...), in any frame layout. A vendor's malformed IE
    /// leaves structured octets, which do not read as encrypted; G-PDUs (whose T-PDU may be
    /// non-IP) are not judged here.
    #[cold]
    #[inline(never)]
    fn body_not_ies(&self, g: &GtpLayer<'_>, found: &mut Hits<'_>) {
        let msg = &g.decoded.message;
        let t = &self.policy.thresholds;
        let gpdu = matches!(msg, Gtp::V1(x) if x.is_gpdu());
        if gpdu
            || g.decoded
                .anomalies
                .iter()
                .any(|a| LENGTH_CODES.contains(&a.code))
        {
            return; // 1003 speaks for a length that disagrees
        }
        let d = msg.datagram();
        let Some((offset, rest)) = first_ie_error(msg).and_then(|o| Some((o, d.get(o..)?))) else {
            return;
        };
        if let Some(v) = encoded_binary(rest, t.binary_min_len, t.binary_entropy_bits)
            .filter(|v| v.kind == "encrypted")
        {
            found.hit(&sig::GTP_ECHO_BODY_NOT_IES, || {
                json!({"message": gtp_name(g), "protocol": msg.protocol(), "ie_error_offset": offset,
                       "length": d.len(), "undecoded_len": rest.len(), "entropy": round(v.entropy, 2)})
            });
        }
    }

    /// IEs whose length no node sends for their type (found by [`Engine::gtp_ies`]).
    fn ie_lengths(&self, g: &GtpLayer<'_>, ies: &content::GtpIes, found: &mut Hits<'_>) {
        let max = self.policy.thresholds.private_extension_max_len;
        let bad = ies.bad_length;
        if let Some((t, name, len)) = bad {
            found.hit(&sig::GTP_IE_LENGTH_NEVER_SENT, || {
                json!({"message": gtp_name(g), "ie_type": t, "ie_name": name, "len": len,
                       "private_extension_max": max})
            });
        }
    }
}

/// GTPDOOR v2's beacon: a RST (usually with ACK) whose urgent pointer is set with URG clear.
fn tcp_beacon(seg: &TcpSegment, found: &mut Hits<'_>) {
    if seg.has(TcpSegment::RST) && seg.urgent_pointer_without_urg() {
        found.hit(&sig::TCP_URGENT_BEACON, || {
            json!({"flags": seg.flags, "rst": true, "ack": seg.has(TcpSegment::ACK),
                   "urgent_pointer": seg.urgent_pointer, "options": seg.has_options(),
                   "payload_len": seg.payload_len})
        });
    }
}
