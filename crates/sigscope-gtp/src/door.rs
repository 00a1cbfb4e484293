//! GTPDOOR's frame (haxrob's analysis of the implant and its scanner): the implant reads its
//! frame at fixed offsets of the UDP payload whatever the GTP header in front says: 8 header
//! octets (a GTP Echo header), 9 filler octets, a 4-octet little-endian key at 17, a command
//! type at 21, a 2-octet command length at 22, the encrypted command from 24. The scanner's
//! probe is command type 6 with no command.
//!
//! Recognising the frame is a protocol question (what these octets are), so it lives here:
//! [`crate::detect`] takes an Echo header carrying it off the GTP ports (the implant reads a
//! raw socket, any port reaches it), and the detection engine judges it.

/// Offset of GTPDOOR's little-endian key in the UDP payload.
pub const KEY_AT: usize = 17;
/// Offset of GTPDOOR's command type.
pub const TYPE_AT: usize = 21;
/// Offset of GTPDOOR's 2-octet command length.
pub const LEN_AT: usize = 22;
/// Offset of GTPDOOR's encrypted command.
pub const DATA_AT: usize = 24;
/// GTPDOOR's default key (135798642), as the implant ships.
pub const DEFAULT_KEY: u32 = 135_798_642;
/// Highest GTPDOOR command type recognised (v1 and v2 use small numbers).
pub const MAX_TYPE: u8 = 16;
/// GTPDOOR command type of the scanner's probe.
pub const SCANNER_TYPE: u8 = 6;
/// Padding a block cipher may add after the command the length counts: 1-16 octets for a
/// 16-octet block (PKCS#7 adds a whole block when the command fills its last one).
pub const MAX_PADDING: usize = 16;
/// The GTP header length GTPDOOR's fixed offsets assume.
pub const HEADER_LEN: usize = 8;

/// What a GTPDOOR frame at the fixed offsets says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// The key (little-endian at [`KEY_AT`]).
    pub key: u32,
    /// The command type.
    pub command: u8,
    /// The command length (the byte order that fits the data).
    pub command_len: u16,
    /// Octets after the length field.
    pub data_len: usize,
}

/// GTPDOOR's frame at its fixed offsets, when the command type is one it uses and its length
/// agrees with the bytes after it (either byte order, block padding allowed), or the key is
/// the default one.
pub fn frame(d: &[u8]) -> Option<Frame> {
    frame_after(d, HEADER_LEN)
}

/// The same frame behind a GTP header of `header_len` octets (a variant that follows the
/// header it sends: GTPv1 with S, GTPv2 with TEID, GTPv0 / GTP' long headers).
pub fn frame_after(d: &[u8], header_len: usize) -> Option<Frame> {
    let shift = header_len.checked_sub(HEADER_LEN)?;
    let at = |o: usize| o + shift;
    let key = d.get(at(KEY_AT)..at(TYPE_AT))?;
    let key = u32::from_le_bytes(key.try_into().ok()?);
    let command = *d.get(at(TYPE_AT))?;
    let len = d.get(at(LEN_AT)..at(DATA_AT))?;
    let data_len = d.len().checked_sub(at(DATA_AT))?;
    let fits = |l: u16| {
        let l = usize::from(l);
        l <= data_len && data_len - l <= MAX_PADDING && (l > 0 || data_len == 0)
    };
    let (le, be) = match len {
        [a, b] => (u16::from_le_bytes([*a, *b]), u16::from_be_bytes([*a, *b])),
        _ => return None,
    };
    let command_len = if fits(le) { le } else { be };
    // the scanner's probe carries no command; a variant may follow it with a few octets of
    // its own (a nonce, a block of padding)
    let probe = command == SCANNER_TYPE && le == 0 && data_len <= MAX_PADDING;
    let agrees = probe || ((1..=MAX_TYPE).contains(&command) && (fits(le) || fits(be)));
    (agrees || key == DEFAULT_KEY).then_some(Frame {
        key,
        command,
        command_len,
        data_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_bytes(key: u32, command: u8, len: [u8; 2], data: usize) -> Vec<u8> {
        let mut d = vec![0x30, 1, 0, 0, 0, 0, 0, 0];
        d.extend_from_slice(&[0x5a; 9]);
        d.extend_from_slice(&key.to_le_bytes());
        d.push(command);
        d.extend_from_slice(&len);
        d.extend(std::iter::repeat_n(0xa5, data));
        d
    }

    #[test]
    fn frame_reads_the_fixed_offsets() {
        let f = frame(&frame_bytes(0x1234_5678, 3, 40u16.to_le_bytes(), 40)).unwrap();
        assert_eq!(
            (f.key, f.command, f.command_len, f.data_len),
            (0x1234_5678, 3, 40, 40)
        );
        // big-endian length, padded to a block
        assert!(frame(&frame_bytes(7, 2, 33u16.to_be_bytes(), 48)).is_some());
        // a 32-octet command with PKCS#7's whole block of padding after it (16 octets)
        assert!(frame(&frame_bytes(7, 2, 32u16.to_le_bytes(), 48)).is_some());
        assert!(frame(&frame_bytes(7, 2, 32u16.to_le_bytes(), 49)).is_none());
        // length that disagrees, type out of range: not GTPDOOR (unless the key is the default)
        assert!(frame(&frame_bytes(7, 2, 300u16.to_le_bytes(), 40)).is_none());
        assert!(frame(&frame_bytes(7, 200, 40u16.to_le_bytes(), 40)).is_none());
        assert!(frame(&frame_bytes(DEFAULT_KEY, 200, [9, 9], 40)).is_some());
        // the scanner's probe: type 6, no command, or a few octets after it
        assert!(frame(&frame_bytes(99, 6, [0, 0], 0)).is_some());
        assert!(frame(&frame_bytes(99, 6, [0, 0], 8)).is_some());
        assert!(frame(&frame_bytes(99, 6, [0, 0], 16)).is_some());
        assert!(frame(&frame_bytes(99, 6, [0, 0], 40)).is_none());
        assert!(frame(&frame_bytes(99, 7, [0, 0], 8)).is_none());
        assert!(frame(&[0x32, 1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0]).is_none());
        // behind a 12-octet header: four octets further
        let mut d = frame_bytes(0x0bad_f00d, 4, 24u16.to_le_bytes(), 24);
        d.splice(8..8, [0, 0, 0, 0]);
        assert!(frame(&d).is_none());
        assert_eq!(frame_after(&d, 12).map(|f| f.key), Some(0x0bad_f00d));
    }
}
