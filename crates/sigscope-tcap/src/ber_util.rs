//! Small BER helpers on top of `sigscope_core::ber`.

use sigscope_core::ber::{read_tlv, Class, Tag, Tlv, MAX_LENGTH_OCTETS};
use sigscope_core::{Error, Layer};

/// Read one TLV; when its length runs past the input, still return it with the contents
/// that are there (`true` in the third field) so that callers can decode what is present.
pub(crate) fn lenient_tlv(data: &[u8]) -> Result<(Tlv<'_>, &[u8], bool), Error> {
    match read_tlv(data) {
        Ok((t, rest)) => Ok((t, rest, false)),
        Err(e @ Error::Len(_)) => {
            // Re-read the header (single-octet tag only) and take what is there.
            let (&id, after) = data.split_first().ok_or(e)?;
            if id & 0x1f == 0x1f {
                return Err(e);
            }
            let (&l, _) = after.split_first().ok_or(e)?;
            let hl = match l {
                0..=0x80 => 2,
                0x81..=0x84 => 2 + usize::from(l & 0x7f),
                _ => return Err(e),
            };
            let _ = MAX_LENGTH_OCTETS;
            let value = data.get(hl..).ok_or(e)?;
            let class = match id >> 6 {
                0 => Class::Universal,
                1 => Class::Application,
                2 => Class::Context,
                _ => Class::Private,
            };
            let tag = Tag::new(class, id & 0x20 != 0, u32::from(id & 0x1f));
            Ok((
                Tlv {
                    tag,
                    header_len: hl,
                    value,
                    indefinite: l == 0x80,
                    raw: data,
                },
                &[],
                true,
            ))
        }
        Err(e) => Err(e),
    }
}

/// Error for an unexpected element.
pub(crate) fn unexpected(tag: Tag, offset: usize) -> Error {
    Error::value(
        Layer::Tcap,
        "unexpected element",
        u64::from(tag.number),
        offset,
    )
}
