//! GTPDOOR and its family (structure, 1020-1025): magic packets behind a valid GTP header,
//! Echo headers no node sends, IEs of impossible lengths, piggybacking on an Echo, and
//! GTPDOOR v2's TCP beacon.
//!
//! GTPDOOR (haxrob's analysis) reads its frame at fixed offsets of the UDP payload whatever
//! the GTP header says: 8 header octets, 9 filler octets, a 4-octet little-endian key at 17,
//! a command type at 21, a 2-octet command length at 22, the encrypted command from 24. The
//! implant answers with an Echo Response that copies the request's flags. Its v2 beacon is a
//! TCP RST/ACK whose urgent pointer is set while URG is clear.

use serde_json::json;
use sigscope_core::AnomalyCode;
use sigscope_decode::{GtpLayer, Message, TcpSegment};
use sigscope_gtp::v2;
use sigscope_gtp::Message as Gtp;

use super::*;
use crate::signatures as sig;

/// Offset of GTPDOOR's little-endian key in the UDP payload.
pub const GTPDOOR_KEY_AT: usize = 17;
/// Offset of GTPDOOR's command type.
pub const GTPDOOR_TYPE_AT: usize = 21;
/// Offset of GTPDOOR's 2-octet command length.
pub const GTPDOOR_LEN_AT: usize = 22;
/// Offset of GTPDOOR's encrypted command.
pub const GTPDOOR_DATA_AT: usize = 24;
/// GTPDOOR's default key (135798642), as the implant ships.
pub const GTPDOOR_DEFAULT_KEY: u32 = 135_798_642;
/// Highest GTPDOOR command type recognised (v1 and v2 use small numbers).
pub const GTPDOOR_MAX_TYPE: u8 = 16;
/// GTPDOOR command type of the scanner's probe.
pub const GTPDOOR_SCANNER_TYPE: u8 = 6;
/// Padding a block cipher may add after the command the length counts.
pub const GTPDOOR_MAX_PADDING: usize = 16;
/// Length of the GTPv2 Recovery and Sending Node Features values (TS 29.274 8.5, 8.83).
pub const V2_ONE_OCTET_IE_LEN: usize = 1;

/// Anomalies that mean the GTP length disagrees with the datagram (1003's ground).
const LENGTH_CODES: [AnomalyCode; 3] = [
    AnomalyCode::HeaderLengthMismatch,
    AnomalyCode::TrailingBytes,
    AnomalyCode::HeaderTruncated,
];

/// What a GTPDOOR frame at the fixed offsets says.
#[derive(Debug, Clone, Copy)]
struct DoorFrame {
    key: u32,
    command: u8,
    command_len: u16,
    data_len: usize,
}

/// The GTP header length GTPDOOR's fixed offsets assume.
pub const GTPDOOR_HEADER_LEN: usize = 8;

/// GTPDOOR's frame at its fixed offsets, when the command type is one it uses and its length
/// agrees with the bytes after it (either byte order, block padding allowed), or the key is
/// the default one.
fn door_frame(d: &[u8]) -> Option<DoorFrame> {
    door_frame_after(d, GTPDOOR_HEADER_LEN)
}

/// The same frame behind a GTP header of `header_len` octets (a variant that follows the
/// header it sends: GTPv1 with S, GTPv2 with TEID, GTPv0 / GTP' long headers).
fn door_frame_after(d: &[u8], header_len: usize) -> Option<DoorFrame> {
    let shift = header_len.checked_sub(GTPDOOR_HEADER_LEN)?;
    let at = |o: usize| o + shift;
    let key = d.get(at(GTPDOOR_KEY_AT)..at(GTPDOOR_TYPE_AT))?;
    let key = u32::from_le_bytes(key.try_into().ok()?);
    let command = *d.get(at(GTPDOOR_TYPE_AT))?;
    let len = d.get(at(GTPDOOR_LEN_AT)..at(GTPDOOR_DATA_AT))?;
    let data_len = d.len().checked_sub(at(GTPDOOR_DATA_AT))?;
    let fits = |l: u16| {
        let l = usize::from(l);
        l <= data_len && data_len - l < GTPDOOR_MAX_PADDING && (l > 0 || data_len == 0)
    };
    let (le, be) = match len {
        [a, b] => (u16::from_le_bytes([*a, *b]), u16::from_be_bytes([*a, *b])),
        _ => return None,
    };
    let command_len = if fits(le) { le } else { be };
    let agrees = (1..=GTPDOOR_MAX_TYPE).contains(&command) && (fits(le) || fits(be));
    (agrees || key == GTPDOOR_DEFAULT_KEY).then_some(DoorFrame {
        key,
        command,
        command_len,
        data_len,
    })
}

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
        if !matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE) {
            return;
        }
        let d = msg.datagram();
        let header_len = match msg {
            Gtp::V1(x) => x.body_offset(),
            Gtp::V2(x) => x.header_len(),
            Gtp::Prime(x) => x.header_len(),
            Gtp::V0(_) => sigscope_gtp::prime::V0_HEADER_LEN,
            Gtp::Runt(_) | Gtp::NotGtp(_) => GTPDOOR_HEADER_LEN,
        };
        let frame = door_frame(d).or_else(|| {
            (header_len != GTPDOOR_HEADER_LEN)
                .then(|| door_frame_after(d, header_len))
                .flatten()
        });
        if let Some(f) = frame {
            found.hit(&sig::GTPDOOR_MAGIC, || {
                json!({"message": gtp_name(g), "protocol": msg.protocol(), "key": f.key,
                       "key_hex": format!("{:08x}", f.key), "default_key": f.key == GTPDOOR_DEFAULT_KEY,
                       "command_type": f.command, "command_len": f.command_len, "data_len": f.data_len,
                       "scanner_probe": f.command == GTPDOOR_SCANNER_TYPE, "datagram_len": d.len()})
            });
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
        let bad_ie = match msg {
            Gtp::V1(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
            Gtp::V2(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
            Gtp::V0(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
            Gtp::Prime(x) => x.ies().find_map(Result::err).map(|e| e.offset()),
            Gtp::Runt(_) | Gtp::NotGtp(_) => None,
        };
        if let Some(offset) = bad_ie {
            found.hit(&sig::GTP_ECHO_BODY_NOT_IES, || {
                json!({"message": gtp_name(g), "protocol": msg.protocol(), "ie_error_offset": offset,
                       "length": d.len()})
            });
        }
        let flags = match msg {
            // TS 29.060 / 29.281: S = 1 on Echo; an 8-octet header (no S) is what GTPDOOR sends
            Gtp::V1(x) if !x.s() || x.pn() => Some(x.flags()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(key: u32, command: u8, len: [u8; 2], data: usize) -> Vec<u8> {
        let mut d = vec![0x30, 1, 0, 0, 0, 0, 0, 0];
        d.extend_from_slice(&[0x5a; 9]);
        d.extend_from_slice(&key.to_le_bytes());
        d.push(command);
        d.extend_from_slice(&len);
        d.extend(std::iter::repeat_n(0xa5, data));
        d
    }

    #[test]
    fn door_frame_reads_the_fixed_offsets() {
        let f = door_frame(&frame(0x1234_5678, 3, 40u16.to_le_bytes(), 40)).unwrap();
        assert_eq!(
            (f.key, f.command, f.command_len, f.data_len),
            (0x1234_5678, 3, 40, 40)
        );
        // big-endian length, padded to a block
        assert!(door_frame(&frame(7, 2, 33u16.to_be_bytes(), 48)).is_some());
        // length that disagrees, type out of range: not GTPDOOR (unless the key is the default)
        assert!(door_frame(&frame(7, 2, 300u16.to_le_bytes(), 40)).is_none());
        assert!(door_frame(&frame(7, 200, 40u16.to_le_bytes(), 40)).is_none());
        assert!(door_frame(&frame(GTPDOOR_DEFAULT_KEY, 200, [9, 9], 40)).is_some());
        // the scanner's probe: type 6, no command
        assert!(door_frame(&frame(99, 6, [0, 0], 0)).is_some());
        assert!(door_frame(&[0x32, 1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0]).is_none());
        // behind a 12-octet header: four octets further
        let mut d = frame(0x0bad_f00d, 4, 24u16.to_le_bytes(), 24);
        d.splice(8..8, [0, 0, 0, 0]);
        assert!(door_frame(&d).is_none());
        assert_eq!(door_frame_after(&d, 12).map(|f| f.key), Some(0x0bad_f00d));
    }
}
