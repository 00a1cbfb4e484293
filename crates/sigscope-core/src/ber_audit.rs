//! BER shapes that conforming stacks never send and that break node parsers: the encodings
//! signalling exploits use (length fields of five octets or more, lengths far beyond the
//! data, indefinite lengths on primitives or never terminated, nesting deeper than any ASN.1
//! module defines, overlong tag numbers).
//!
//! [`audit`] walks a whole BER value (a TCAP message) and returns the first such shape. The
//! quirks of real stacks are not findings: non-minimal long-form lengths of up to four octets
//! (`0x81 0x05`), nested indefinite lengths that are closed (CAP does this), zero octets after
//! the last value (padding), and a length a few octets past the data (truncation, reported by
//! the decoder as an anomaly of its own).

/// Deepest nesting accepted: TCAP + MAP/CAP arguments nest about a dozen levels; far more is
/// a parser attack.
pub const MAX_AUDIT_DEPTH: usize = 32;
/// Most length octets a long-form length needs (lengths up to 4 GiB); more is never sent.
pub const MAX_LENGTH_OCTETS: usize = 4;
/// Most octets of a tag number (tag numbers up to 2^28); more is never sent.
pub const MAX_TAG_OCTETS: usize = 4;
/// A definite length this far past the data is not truncation but a length attack.
pub const OVERRUN_SLACK: usize = 1024;
/// Octets the outermost value may run past what carries it whole (an SCCP data parameter)
/// before the contradiction is judged a crafted length rather than an encoder's slip (which
/// the decoders report as malformed). A value inside it gets none: a child longer than a
/// parent whose own length fitted (or, under indefinite parents, than the whole message) is
/// no truncation and no encoder's slip — a few octets over is what swallows an indefinite
/// parent's end-of-contents or reads into the next value.
pub const ENCLOSING_SLACK: usize = 16;
/// The first tag number the high-tag-number form may carry (lower ones take one octet).
pub const HIGH_TAG_FIRST: u32 = 31;
/// Most TLVs walked in one value (bounds the work on hostile input).
pub const MAX_AUDIT_TLVS: usize = 4096;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An indefinite length on a primitive value.
    IndefinitePrimitive,
    /// An indefinite length never closed by end-of-contents inside its enclosing value.
    UnterminatedIndefinite,
    /// A long-form length of more than [`MAX_LENGTH_OCTETS`] octets (or the reserved 0xFF).
    OverlongLengthField {
        /// Length octets announced.
        octets: usize,
    },
    /// A definite length more than [`OVERRUN_SLACK`] octets past the data that holds it.
    LengthOverflow {
        /// The length announced.
        declared: u64,
        /// Octets there are.
        available: usize,
    },
    /// A definite length more than [`ENCLOSING_SLACK`] octets past the end of the value that
    /// encloses it, when that value is whole (its own length fits the data): lengths that
    /// contradict each other, never truncation.
    LengthPastEnclosing {
        /// The length announced.
        declared: u64,
        /// Octets left in the enclosing value.
        available: usize,
    },
    /// Nesting deeper than [`MAX_AUDIT_DEPTH`].
    NestingTooDeep,
    /// A tag number of more than [`MAX_TAG_OCTETS`] octets.
    OverlongTag,
    /// A tag number in the high-tag-number form that BER forbids: its first subsequent octet
    /// padded with zero bits (`0x80`, X.690 8.1.2.4.2 c), or a number under 31, which takes
    /// the single-octet form (8.1.2.2): a tag a parser may read other than the stack does.
    NonMinimalTag,
    /// End-of-contents octets inside a definite-length value, with values after them
    /// (X.690 8.1.5: they only close an indefinite length): a parser that honours them ends
    /// the value early, one that does not reads on.
    MisplacedEndOfContents,
}

impl Shape {
    /// Stable snake_case name (evidence).
    pub const fn name(&self) -> &'static str {
        match self {
            Shape::IndefinitePrimitive => "indefinite_length_on_primitive",
            Shape::UnterminatedIndefinite => "unterminated_indefinite_length",
            Shape::OverlongLengthField { .. } => "overlong_length_field",
            Shape::LengthOverflow { .. } => "length_far_beyond_data",
            Shape::LengthPastEnclosing { .. } => "length_past_enclosing_value",
            Shape::NestingTooDeep => "nesting_too_deep",
            Shape::OverlongTag => "overlong_tag",
            Shape::NonMinimalTag => "non_minimal_tag",
            Shape::MisplacedEndOfContents => "end_of_contents_in_definite_value",
        }
    }
}

/// One finding: its shape and the offset of the TLV that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// What.
    pub shape: Shape,
    /// Offset of the TLV within the audited value.
    pub offset: usize,
}

/// The first exploit-shaped encoding in `data` (one or more BER values), if any. Ordinary
/// malformation (a value cut short) is not reported.
pub fn audit(data: &[u8]) -> Option<Finding> {
    audit_in(data, false)
}

/// [`audit`] of a value known to be whole: what holds it (an SCCP data parameter whose
/// length fitted the message) was not cut short, so a top-level length past its end by
/// more than [`ENCLOSING_SLACK`] is a crafted length, not truncation.
pub fn audit_whole(data: &[u8]) -> Option<Finding> {
    audit_in(data, true)
}

fn audit_in(data: &[u8], whole: bool) -> Option<Finding> {
    let mut budget = MAX_AUDIT_TLVS;
    match walk(data, 0, 0, false, whole, &mut budget) {
        Err(Stop::Found(f)) => Some(f),
        _ => None,
    }
}

enum Stop {
    Found(Finding),
    /// Not judged further (cut short, budget spent).
    Quit,
}

fn found(shape: Shape, offset: usize) -> Stop {
    Stop::Found(Finding { shape, offset })
}

/// Walk the TLVs of `data` (at `base` in the whole value). With `indefinite`, the walk ends
/// at an end-of-contents and returns its end; else at the end of `data` (trailing zero
/// octets end it too: padding). `bounded`: `data` ends where an enclosing value whose own
/// length fitted ends (not where the capture may have cut the message).
fn walk(
    data: &[u8],
    base: usize,
    depth: usize,
    indefinite: bool,
    bounded: bool,
    budget: &mut usize,
) -> Result<usize, Stop> {
    if depth > MAX_AUDIT_DEPTH {
        return Err(found(Shape::NestingTooDeep, base));
    }
    // zeros after the last top-level value are padding, not values (found once, from the
    // end; inside a value, zero octets are read as the TLVs they are)
    let padding_from = if indefinite || depth > 0 {
        usize::MAX
    } else {
        data.iter().rposition(|b| *b != 0).map_or(0, |p| p + 1)
    };
    let mut pos = 0usize;
    loop {
        if pos >= padding_from {
            return Ok(data.len());
        }
        let rest = data.get(pos..).unwrap_or(&[]);
        match rest {
            [] if indefinite => return Err(found(Shape::UnterminatedIndefinite, base)),
            [] => return Ok(pos),
            [0, 0, ..] if indefinite => return Ok(pos + 2),
            // inside a definite value, end-of-contents with more than zeros after it
            [0, 0, tail @ ..] if depth > 0 && tail.iter().any(|b| *b != 0) => {
                return Err(found(Shape::MisplacedEndOfContents, base + pos))
            }
            [_] if indefinite => return Err(found(Shape::UnterminatedIndefinite, base)),
            _ => {}
        }
        *budget = budget.checked_sub(1).ok_or(Stop::Quit)?;
        pos += tlv(rest, base + pos, depth, bounded, budget)?;
    }
}

/// Judge one TLV at the front of `data`; returns its total length.
fn tlv(
    data: &[u8],
    at: usize,
    depth: usize,
    bounded: bool,
    budget: &mut usize,
) -> Result<usize, Stop> {
    let first = *data.first().ok_or(Stop::Quit)?;
    let constructed = first & 0x20 != 0;
    let mut i = 1usize;
    if first & 0x1f == 0x1f {
        let mut n = 0;
        let mut number = 0u32;
        loop {
            let b = *data.get(i).ok_or(Stop::Quit)?;
            if n == 0 && b == 0x80 {
                return Err(found(Shape::NonMinimalTag, at));
            }
            i += 1;
            n += 1;
            if n > MAX_TAG_OCTETS {
                return Err(found(Shape::OverlongTag, at));
            }
            number = (number << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
        if number < HIGH_TAG_FIRST {
            return Err(found(Shape::NonMinimalTag, at));
        }
    }
    let l = *data.get(i).ok_or(Stop::Quit)?;
    i += 1;
    let len = match l {
        0x80 => {
            if !constructed {
                return Err(found(Shape::IndefinitePrimitive, at));
            }
            let inner = data.get(i..).unwrap_or(&[]);
            let used = walk(inner, at + i, depth + 1, true, bounded, budget)?;
            return Ok(i + used);
        }
        0x81..=0xfe => {
            let n = usize::from(l & 0x7f);
            if n > MAX_LENGTH_OCTETS || l == 0xff {
                return Err(found(Shape::OverlongLengthField { octets: n }, at));
            }
            let octets = data.get(i..i + n).ok_or(Stop::Quit)?;
            i += n;
            octets.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b))
        }
        0xff => return Err(found(Shape::OverlongLengthField { octets: 127 }, at)),
        short => u64::from(short),
    };
    let available = data.len().saturating_sub(i);
    if len > available as u64 {
        if len - available as u64 > OVERRUN_SLACK as u64 {
            return Err(found(
                Shape::LengthOverflow {
                    declared: len,
                    available,
                },
                at,
            ));
        }
        // past a whole enclosing value: the lengths contradict each other (a child longer
        // than its parent), which no truncation makes; a few octets over is an encoder's
        // slip (judged as malformed), more is crafted
        let slack = if depth == 0 {
            ENCLOSING_SLACK as u64
        } else {
            0
        };
        if bounded && len - available as u64 > slack {
            return Err(found(
                Shape::LengthPastEnclosing {
                    declared: len,
                    available,
                },
                at,
            ));
        }
        // cut short: ordinary malformation, not judged here
        return Err(Stop::Quit);
    }
    let len = len as usize;
    if constructed {
        let inner = data.get(i..i + len).unwrap_or(&[]);
        walk(inner, at + i, depth + 1, false, true, budget)?;
    }
    Ok(i + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(d: &[u8]) -> Option<Shape> {
        audit(d).map(|f| f.shape)
    }

    /// A message's own length past its end: truncation when the value may have been cut by
    /// the capture, a crafted length when what holds it is whole (by more than the slack).
    #[test]
    fn top_level_overrun_is_judged_only_in_a_whole_value() {
        let mut begin = vec![0x62, 0x82, 0x02, 0x58, 0x48, 0x04, 1, 2, 3, 4];
        begin.extend_from_slice(&[0x6c, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x01]);
        assert_eq!(shape(&begin), None);
        assert!(matches!(
            audit_whole(&begin).map(|f| f.shape),
            Some(Shape::LengthPastEnclosing { declared: 600, .. })
        ));
        // a few octets over is an encoder's slip, judged as malformed elsewhere
        let mut slip = begin.clone();
        // 13 octets of contents announced as 23
        if let Some(l) = slip.get_mut(2..4) {
            l.copy_from_slice(&[0x00, 0x17]);
        }
        assert_eq!(audit_whole(&slip), None);
    }

    /// A value inside the message a few octets past its parent gets no slack: an invoke
    /// three octets longer than the component portion that holds it, and an indefinite
    /// Begin whose invoke's length swallows the end-of-contents octets (the round-V red team's
    /// x8 and x2, sent as AnyTimeInterrogation); end-of-contents inside a definite invoke with
    /// the operation code after it (x10). Zeros at the end of a definite value stay padding.
    #[test]
    fn small_inner_contradictions_are_found() {
        // 6c 07 { a1 08 { 02 01 01 02 01 47 } }: the invoke announces 8 of the 5 it has
        let portion = [
            0x6c, 0x07, 0xa1, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x47, 0x30,
        ];
        assert_eq!(
            shape(&portion),
            Some(Shape::LengthPastEnclosing {
                declared: 8,
                available: 5
            })
        );
        // 62 80 { 6c 80 { a1 0c { 02 01 01 02 01 47 } 00 00 } 00 00 }: 12 announced, 10 there
        let swallowed = [
            0x62, 0x80, 0x6c, 0x80, 0xa1, 0x0c, 0x02, 0x01, 0x01, 0x02, 0x01, 0x47, 0x00, 0x00,
            0x00, 0x00,
        ];
        assert!(matches!(
            audit_whole(&swallowed).map(|f| f.shape),
            Some(Shape::LengthPastEnclosing { declared: 12, .. })
        ));
        // a1 08 { 02 01 01 00 00 02 01 47 }
        let eoc = [0xa1, 0x08, 0x02, 0x01, 0x01, 0x00, 0x00, 0x02, 0x01, 0x47];
        assert_eq!(shape(&eoc), Some(Shape::MisplacedEndOfContents));
        // zeros closing a definite value are padding, not end-of-contents
        let padded = [0xa1, 0x05, 0x02, 0x01, 0x01, 0x00, 0x00];
        assert_eq!(shape(&padded), None);
    }

    #[test]
    fn conforming_and_quirky_encodings_pass() {
        // a TCAP Begin shape: 62 len { 48 04 otid, 6c { a1 { 02 01 01 02 01 2d 30 02 80 00 } } }
        let begin = [
            0x62, 0x14, 0x48, 0x04, 1, 2, 3, 4, 0x6c, 0x0c, 0xa1, 0x0a, 0x02, 0x01, 0x01, 0x02,
            0x01, 0x2d, 0x30, 0x02, 0x80, 0x00,
        ];
        assert_eq!(audit(&begin), None);
        assert_eq!(
            audit(&begin[..begin.len() - 1]),
            None,
            "cut short: not judged"
        );
        // nested closed indefinite lengths (CAP), non-minimal 0x81 lengths, zero padding
        let cap = [
            0x62, 0x80, 0x48, 0x81, 0x01, 0x07, 0x6c, 0x80, 0xa1, 0x80, 0x02, 0x01, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        assert_eq!(audit(&cap), None);
        // a four-octet length field is still accepted
        assert_eq!(audit(&[0x04, 0x84, 0, 0, 0, 1, 0xaa]), None);
    }

    /// Tags in the high-tag-number form BER forbids: padded with a zero first subsequent
    /// octet (`BF 80 80 01` for [1]), or a number under 31; a proper high tag ([31], [100]:
    /// MAP uses such) passes.
    #[test]
    fn non_minimal_tags_are_found() {
        assert_eq!(
            shape(&[0xbf, 0x80, 0x80, 0x01, 0x03, 0x02, 0x01, 0x01]),
            Some(Shape::NonMinimalTag)
        );
        assert_eq!(shape(&[0x9f, 0x05, 0x01, 0xaa]), Some(Shape::NonMinimalTag));
        assert_eq!(
            shape(&[0x30, 0x06, 0xbf, 0x80, 0x01, 0x02, 0x05, 0x00]),
            Some(Shape::NonMinimalTag),
            "inside a value"
        );
        assert_eq!(shape(&[0x9f, 0x1f, 0x01, 0xaa]), None);
        assert_eq!(shape(&[0xbf, 0x64, 0x02, 0x05, 0x00]), None);
        assert_eq!(shape(&[0x9f, 0x81, 0x00, 0x01, 0xaa]), None, "[128]");
    }

    #[test]
    fn exploit_shapes_are_found() {
        assert_eq!(
            shape(&[0x04, 0x80, 0xaa, 0x00, 0x00]),
            Some(Shape::IndefinitePrimitive)
        );
        assert_eq!(
            shape(&[0x30, 0x80, 0x02, 0x01, 0x01]),
            Some(Shape::UnterminatedIndefinite)
        );
        assert_eq!(
            shape(&[0x30, 0x06, 0x30, 0x80, 0x02, 0x01, 0x01, 0x00]),
            Some(Shape::UnterminatedIndefinite),
            "closed only past its enclosing value"
        );
        assert_eq!(
            shape(&[0x04, 0x88, 0, 0, 0, 0, 0, 0, 0, 1, 0xaa]),
            Some(Shape::OverlongLengthField { octets: 8 })
        );
        // a child longer than its whole parent: 30 05 { 04 82 01 2c ... }, and a component
        // longer than the component portion that holds it, inside an indefinite value
        assert_eq!(
            shape(&[0x30, 0x05, 0x04, 0x82, 0x01, 0x2c, 0xaa, 0xbb, 0xcc]),
            Some(Shape::LengthPastEnclosing {
                declared: 300,
                available: 1
            })
        );
        assert_eq!(
            shape(&[0x62, 0x80, 0x6c, 0x04, 0xa1, 0x81, 0xf0, 0x02, 0x00, 0x00]),
            Some(Shape::LengthPastEnclosing {
                declared: 240,
                available: 1
            })
        );
        assert_eq!(
            shape(&[0x30, 0x06, 0x04, 0x84, 0x7f, 0xff, 0xff, 0xff]),
            Some(Shape::LengthOverflow {
                declared: 0x7fff_ffff,
                available: 0
            })
        );
        let mut deep = Vec::new();
        for _ in 0..40 {
            deep.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..40 {
            deep.extend_from_slice(&[0, 0]);
        }
        assert_eq!(shape(&deep), Some(Shape::NestingTooDeep));
        assert_eq!(
            shape(&[0x1f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]),
            Some(Shape::OverlongTag)
        );
    }
}
