//! SCCP messages: fixed part, pointers, mandatory variable and optional parameters.

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::address::{Address, PcFormat};
use crate::types::{
    Cause, ErrorCause, MessageType, ParamName, ProtocolClass, RefusalCause, ReleaseCause,
    ResetCause, ReturnCause, Segmentation,
};

/// Most optional parameters walked in one message; more are reported and ignored.
pub const MAX_OPTIONAL_PARAMS: usize = 32;

/// A parameter value with its offset in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    /// Offset of the first value octet within the SCCP message.
    pub offset: usize,
    /// The value (without name and length octets).
    pub value: &'a [u8],
}

/// An optional parameter as found in the optional part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalParam<'a> {
    /// Parameter name.
    pub name: ParamName,
    /// Offset of the value within the SCCP message.
    pub offset: usize,
    /// Value octets.
    pub value: &'a [u8],
}

#[derive(Clone, Copy)]
enum Fixed {
    Dlr,
    Slr,
    Class,
    Hop,
    Return,
    Refusal,
    Release,
    Reset,
    ErrorC,
    SegReasm,
    SeqSeg,
    RecvSeq,
    Credit,
}

impl Fixed {
    const fn len(self) -> usize {
        match self {
            Fixed::Dlr | Fixed::Slr => 3,
            Fixed::SeqSeg => 2,
            _ => 1,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Var {
    Called,
    Calling,
    Data,
}

struct Layout {
    fixed: &'static [Fixed],
    vars: &'static [Var],
    optional: bool,
    long: bool,
}

fn layout(t: MessageType) -> Option<Layout> {
    use Fixed::*;
    use Var::*;
    const CL3: &[Var] = &[Called, Calling, Data];
    let l = |fixed: &'static [Fixed], vars: &'static [Var], optional: bool, long: bool| Layout {
        fixed,
        vars,
        optional,
        long,
    };
    Some(match t.0 {
        0x01 => l(&[Slr, Class], &[Called], true, false),
        0x02 => l(&[Dlr, Slr, Class], &[], true, false),
        0x03 => l(&[Dlr, Refusal], &[], true, false),
        0x04 => l(&[Dlr, Slr, Release], &[], true, false),
        0x05 => l(&[Dlr, Slr], &[], false, false),
        0x06 => l(&[Dlr, SegReasm], &[Data], false, false),
        0x07 => l(&[Dlr, SeqSeg], &[Data], false, false),
        0x08 => l(&[Dlr, RecvSeq, Credit], &[], false, false),
        0x09 => l(&[Class], CL3, false, false),
        0x0a => l(&[Return], CL3, false, false),
        0x0b => l(&[Dlr], &[Data], false, false),
        0x0c => l(&[Dlr], &[], false, false),
        0x0d => l(&[Dlr, Slr, Reset], &[], false, false),
        0x0e => l(&[Dlr, Slr], &[], false, false),
        0x0f => l(&[Dlr, ErrorC], &[], false, false),
        0x10 => l(&[Dlr, Slr, Class, SeqSeg, Credit], &[], false, false),
        0x11 => l(&[Class, Hop], CL3, true, false),
        0x12 => l(&[Return, Hop], CL3, true, false),
        0x13 => l(&[Class, Hop], CL3, true, true),
        0x14 => l(&[Return, Hop], CL3, true, true),
        _ => return None,
    })
}

/// A decoded SCCP message, borrowed. Parameters that the message type does not carry, or
/// that could not be decoded, are `None` (with an anomaly in the latter case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// The whole message.
    pub raw: &'a [u8],
    /// Message type.
    pub msg_type: MessageType,
    /// Destination local reference.
    pub dst_local_ref: Option<u32>,
    /// Source local reference.
    pub src_local_ref: Option<u32>,
    /// Protocol class.
    pub protocol_class: Option<ProtocolClass>,
    /// Hop counter (XUDT, XUDTS, LUDT, LUDTS, and optionally CR).
    pub hop_counter: Option<u8>,
    /// Return / refusal / release / reset / error cause.
    pub cause: Option<Cause>,
    /// Segmenting/reassembling octet of DT1 (bit 1 = more data).
    pub segmenting_reassembling: Option<u8>,
    /// Sequencing/segmenting of DT2 and IT: P(S) and P(R) with the more-data bit.
    pub sequencing_segmenting: Option<[u8; 2]>,
    /// Receive sequence number octet of AK.
    pub receive_sequence: Option<u8>,
    /// Credit (AK, IT, and optionally CR/CC).
    pub credit: Option<u8>,
    /// Called party address value.
    pub called: Option<Param<'a>>,
    /// Calling party address value.
    pub calling: Option<Param<'a>>,
    /// User data (data or long data).
    pub data: Option<Param<'a>>,
    /// Segmentation (optional part).
    pub segmentation: Option<Segmentation>,
    /// Offset of the segmentation value.
    pub segmentation_offset: usize,
    /// Importance (bits 3-1 of the optional parameter).
    pub importance: Option<u8>,
    /// The optional part (from the first optional parameter name), empty when absent.
    pub optional: Param<'a>,
}

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Sccp, code, offset, detail)
}

/// Codes of anomalies that make [`Message::from_slice`] fail.
pub const STRUCTURAL_ANOMALIES: &[AnomalyCode] = &[
    AnomalyCode::Truncated,
    AnomalyCode::PointerOutOfRange,
    AnomalyCode::PointerZero,
    AnomalyCode::ParameterOverrun,
    AnomalyCode::OptionalOverrun,
    AnomalyCode::UnassignedMessageType,
];

impl<'a> Message<'a> {
    /// Decode a message leniently: everything that can be decoded is, and every problem is an
    /// anomaly (offsets relative to `data`). Fails only on empty input.
    pub fn decode(data: &'a [u8], anomalies: &mut Anomalies) -> Result<Message<'a>, Error> {
        let (&t, _) = data.split_first().ok_or(Error::len(Layer::Sccp, 1, 0, 0))?;
        let msg_type = MessageType(t);
        let mut m = Message {
            raw: data,
            msg_type,
            dst_local_ref: None,
            src_local_ref: None,
            protocol_class: None,
            hop_counter: None,
            cause: None,
            segmenting_reassembling: None,
            sequencing_segmenting: None,
            receive_sequence: None,
            credit: None,
            called: None,
            calling: None,
            data: None,
            segmentation: None,
            segmentation_offset: 0,
            importance: None,
            optional: Param {
                offset: data.len(),
                value: &[],
            },
        };
        let Some(lay) = layout(msg_type) else {
            anomalies.push(
                anom(
                    AnomalyCode::UnassignedMessageType,
                    0,
                    "unassigned SCCP message type",
                )
                .with_value(u64::from(t)),
            );
            return Ok(m);
        };
        let mut pos = 1usize;
        let (mut class_at, mut hop_at) = (1usize, 2usize);
        for f in lay.fixed {
            let n = f.len();
            let Some(v) = data.get(pos..pos + n) else {
                anomalies.push(
                    anom(
                        AnomalyCode::Truncated,
                        pos,
                        "message ends inside its fixed part",
                    )
                    .with_value((pos + n - data.len()) as u64),
                );
                return Ok(m);
            };
            let b0 = v.first().copied().unwrap_or(0);
            match f {
                Fixed::Dlr => m.dst_local_ref = Some(le24(v)),
                Fixed::Slr => m.src_local_ref = Some(le24(v)),
                Fixed::Class => {
                    m.protocol_class = Some(ProtocolClass(b0));
                    class_at = pos;
                }
                Fixed::Hop => {
                    m.hop_counter = Some(b0);
                    hop_at = pos;
                }
                Fixed::Return => m.cause = Some(Cause::Return(ReturnCause(b0))),
                Fixed::Refusal => m.cause = Some(Cause::Refusal(RefusalCause(b0))),
                Fixed::Release => m.cause = Some(Cause::Release(ReleaseCause(b0))),
                Fixed::Reset => m.cause = Some(Cause::Reset(ResetCause(b0))),
                Fixed::ErrorC => m.cause = Some(Cause::Error(ErrorCause(b0))),
                Fixed::SegReasm => m.segmenting_reassembling = Some(b0),
                Fixed::SeqSeg => {
                    m.sequencing_segmenting = Some([b0, v.get(1).copied().unwrap_or(0)])
                }
                Fixed::RecvSeq => m.receive_sequence = Some(b0),
                Fixed::Credit => m.credit = Some(b0),
            }
            pos += n;
        }
        if let Some(pc) = m.protocol_class {
            if pc.class() > 3 {
                anomalies.push(
                    anom(
                        AnomalyCode::ProtocolClassInvalid,
                        class_at,
                        "protocol class above 3",
                    )
                    .with_value(u64::from(pc.class())),
                );
            }
        }
        if let Some(h) = m.hop_counter {
            if h == 0 || h > 15 {
                anomalies.push(
                    anom(
                        AnomalyCode::HopCounterInvalid,
                        hop_at,
                        "hop counter outside 1-15",
                    )
                    .with_value(u64::from(h)),
                );
            }
        }
        let psize = if lay.long { 2 } else { 1 };
        let mut end = pos + (lay.vars.len() + usize::from(lay.optional)) * psize;
        // Mandatory variable parameters.
        for (i, var) in lay.vars.iter().enumerate() {
            let at = pos + i * psize;
            let Some(target) = read_pointer(data, at, psize, anomalies) else {
                if at + psize > data.len() {
                    return Ok(m);
                }
                // a bad pointer loses its own parameter only: the others are still read
                continue;
            };
            let long_len = lay.long && *var == Var::Data;
            let Some(p) = read_var(data, target, if long_len { 2 } else { 1 }, at, anomalies)
            else {
                continue;
            };
            end = end.max(p.offset + p.value.len());
            match var {
                Var::Called => m.called = Some(p),
                Var::Calling => m.calling = Some(p),
                Var::Data => m.data = Some(p),
            }
        }
        if lay.optional {
            let at = pos + lay.vars.len() * psize;
            let ptr = match data.get(at..at + psize) {
                Some([a]) => usize::from(*a),
                Some([a, b]) => usize::from(u16::from_le_bytes([*a, *b])),
                _ => {
                    anomalies.push(anom(
                        AnomalyCode::Truncated,
                        at,
                        "message ends inside its pointers",
                    ));
                    return Ok(m);
                }
            };
            if ptr != 0 {
                // 2-octet pointers count from their second octet (as Wireshark reads LUDT).
                let start = at + ptr + (psize - 1);
                if start >= data.len() {
                    anomalies.push(
                        anom(
                            AnomalyCode::PointerOutOfRange,
                            at,
                            "optional part pointer beyond the message",
                        )
                        .with_value(ptr as u64),
                    );
                } else {
                    m.optional = Param {
                        offset: start,
                        value: data.get(start..).unwrap_or(&[]),
                    };
                    end = end.max(m.walk_optional(anomalies));
                }
            }
        }
        if end < data.len() {
            anomalies.push(
                anom(
                    AnomalyCode::TrailingBytes,
                    end,
                    "octets after the last parameter of the message",
                )
                .with_value((data.len() - end) as u64),
            );
        }
        Ok(m)
    }

    /// Decode strictly: like [`Message::decode`] but any structural anomaly (truncation, a
    /// pointer or parameter outside the message, an unknown type) is an error.
    pub fn from_slice(data: &'a [u8]) -> Result<Message<'a>, Error> {
        let mut a = Anomalies::new();
        let m = Message::decode(data, &mut a)?;
        let bad = a
            .iter()
            .find(|x| STRUCTURAL_ANOMALIES.contains(&x.code))
            .copied();
        match bad {
            Some(x) => Err(Error::value(
                Layer::Sccp,
                x.code.as_str(),
                x.value.unwrap_or(0),
                x.offset,
            )),
            None => Ok(m),
        }
    }

    /// Walk the optional part; returns the offset just past it.
    fn walk_optional(&mut self, anomalies: &mut Anomalies) -> usize {
        let mut ended = false;
        let mut end = self.raw.len();
        let mut count = 0usize;
        for r in self.optional_params() {
            count += 1;
            if count > MAX_OPTIONAL_PARAMS {
                anomalies.push(
                    anom(
                        AnomalyCode::OptionalLimit,
                        self.optional.offset,
                        "too many optional parameters",
                    )
                    .with_value(MAX_OPTIONAL_PARAMS as u64),
                );
                return end;
            }
            let p = match r {
                Ok(p) => p,
                Err(e) => {
                    anomalies.push(
                        anom(
                            AnomalyCode::OptionalOverrun,
                            e.offset(),
                            "optional parameter runs past the message",
                        )
                        .with_value(e.offset() as u64),
                    );
                    return end;
                }
            };
            let one = |v: &[u8], what: &'static str, anomalies: &mut Anomalies| -> Option<u8> {
                match v {
                    [b] => Some(*b),
                    _ => {
                        anomalies.push(
                            anom(AnomalyCode::ParameterLengthInvalid, p.offset, what)
                                .with_value(v.len() as u64),
                        );
                        None
                    }
                }
            };
            match p.name {
                ParamName::END_OF_OPTIONAL => {
                    ended = true;
                    end = p.offset;
                    break;
                }
                ParamName::SEGMENTATION => match Segmentation::parse(p.value) {
                    Some(s) => {
                        if s.spare != 0 {
                            anomalies.push(anom(
                                AnomalyCode::SegmentationSpareBits,
                                p.offset,
                                "spare bits 6-5 of segmentation set",
                            ));
                        }
                        self.segmentation = Some(s);
                        self.segmentation_offset = p.offset;
                    }
                    None => anomalies.push(
                        anom(
                            AnomalyCode::ParameterLengthInvalid,
                            p.offset,
                            "segmentation is not 4 octets",
                        )
                        .with_value(p.value.len() as u64),
                    ),
                },
                ParamName::IMPORTANCE => {
                    self.importance =
                        one(p.value, "importance is not 1 octet", anomalies).map(|b| b & 0x07);
                }
                ParamName::HOP_COUNTER => {
                    self.hop_counter = one(p.value, "hop counter is not 1 octet", anomalies)
                }
                ParamName::CREDIT => self.credit = one(p.value, "credit is not 1 octet", anomalies),
                ParamName::CALLED_PARTY_ADDRESS => {
                    self.called = Some(Param {
                        offset: p.offset,
                        value: p.value,
                    })
                }
                ParamName::CALLING_PARTY_ADDRESS => {
                    self.calling = Some(Param {
                        offset: p.offset,
                        value: p.value,
                    })
                }
                ParamName::DATA => {
                    self.data = Some(Param {
                        offset: p.offset,
                        value: p.value,
                    })
                }
                _ => anomalies.push(
                    anom(
                        AnomalyCode::OptionalParameterUnexpected,
                        p.offset.saturating_sub(2),
                        "optional parameter not defined for SCCP optional parts",
                    )
                    .with_value(u64::from(p.name.0)),
                ),
            }
        }
        if !ended {
            anomalies.push(anom(
                AnomalyCode::OptionalWithoutEnd,
                self.raw.len(),
                "optional part without end-of-optional-parameters",
            ));
        }
        end
    }

    /// Iterate the optional part: `(name, length, value)` triples up to the end-of-optional
    /// octet (yielded as a parameter named [`ParamName::END_OF_OPTIONAL`] and then stopping).
    pub fn optional_params(&self) -> OptionalIter<'a> {
        OptionalIter {
            data: self.optional.value,
            base: self.optional.offset,
            pos: 0,
            done: false,
        }
    }

    /// Decode the called party address.
    pub fn called_address(
        &self,
        format: PcFormat,
        anomalies: &mut Anomalies,
    ) -> Option<Address<'a>> {
        let p = self.called?;
        decode_address(p, format, anomalies)
    }

    /// Decode the calling party address.
    pub fn calling_address(
        &self,
        format: PcFormat,
        anomalies: &mut Anomalies,
    ) -> Option<Address<'a>> {
        let p = self.calling?;
        decode_address(p, format, anomalies)
    }

    /// [`Message::called_address`] decoded into `out` (see [`Address::decode_into`]);
    /// false, with `out` untouched, when there is none.
    pub fn called_address_into(
        &self,
        format: PcFormat,
        anomalies: &mut Anomalies,
        out: &mut Address<'a>,
    ) -> bool {
        self.called
            .is_some_and(|p| decode_address_into(p, format, anomalies, out))
    }

    /// [`Message::calling_address`] decoded into `out`; false when there is none.
    pub fn calling_address_into(
        &self,
        format: PcFormat,
        anomalies: &mut Anomalies,
        out: &mut Address<'a>,
    ) -> bool {
        self.calling
            .is_some_and(|p| decode_address_into(p, format, anomalies, out))
    }

    /// The user data octets (data or long data), empty when absent.
    pub fn user_data(&self) -> &'a [u8] {
        self.data.map_or(&[], |p| p.value)
    }
}

fn decode_address_into<'a>(
    p: Param<'a>,
    format: PcFormat,
    anomalies: &mut Anomalies,
    out: &mut Address<'a>,
) -> bool {
    match out.decode_into(p.value, format, p.offset, anomalies) {
        Ok(()) => true,
        Err(_) => {
            anomalies.push(anom(
                AnomalyCode::AddressEmpty,
                p.offset,
                "address parameter of length 0",
            ));
            false
        }
    }
}

fn decode_address<'a>(
    p: Param<'a>,
    format: PcFormat,
    anomalies: &mut Anomalies,
) -> Option<Address<'a>> {
    let mut a = Address::EMPTY;
    decode_address_into(p, format, anomalies, &mut a).then_some(a)
}

fn le24(v: &[u8]) -> u32 {
    match v {
        [a, b, c, ..] => u32::from_le_bytes([*a, *b, *c, 0]),
        _ => 0,
    }
}

/// Read a pointer of `psize` octets at `at`; returns the parameter's offset.
fn read_pointer(data: &[u8], at: usize, psize: usize, anomalies: &mut Anomalies) -> Option<usize> {
    let ptr = match data.get(at..at + psize) {
        Some([a]) => usize::from(*a),
        Some([a, b]) => usize::from(u16::from_le_bytes([*a, *b])),
        _ => {
            anomalies.push(anom(
                AnomalyCode::Truncated,
                at,
                "message ends inside its pointers",
            ));
            return None;
        }
    };
    if ptr == 0 {
        anomalies.push(anom(
            AnomalyCode::PointerZero,
            at,
            "mandatory parameter pointer is 0",
        ));
        return None;
    }
    // 2-octet pointers count from their second octet (as Wireshark reads LUDT).
    let target = at + ptr + (psize - 1);
    if target >= data.len() {
        anomalies.push(
            anom(
                AnomalyCode::PointerOutOfRange,
                at,
                "pointer beyond the end of the message",
            )
            .with_value(ptr as u64),
        );
        return None;
    }
    Some(target)
}

/// Read a variable parameter (length octet(s) + value) at `target`.
fn read_var<'a>(
    data: &'a [u8],
    target: usize,
    lsize: usize,
    ptr_at: usize,
    anomalies: &mut Anomalies,
) -> Option<Param<'a>> {
    let len = match data.get(target..target + lsize) {
        Some([a]) => usize::from(*a),
        Some([a, b]) => usize::from(u16::from_le_bytes([*a, *b])),
        _ => {
            anomalies.push(anom(
                AnomalyCode::PointerOutOfRange,
                ptr_at,
                "length indicator beyond the message",
            ));
            return None;
        }
    };
    let start = target + lsize;
    let avail = data.len().saturating_sub(start);
    if len > avail {
        anomalies.push(
            anom(
                AnomalyCode::ParameterOverrun,
                target,
                "parameter length runs past the end of the message",
            )
            .with_value((len - avail) as u64),
        );
    }
    let value = data.get(start..start + len.min(avail)).unwrap_or(&[]);
    Some(Param {
        offset: start,
        value,
    })
}

/// Iterator over the optional part. Yields an error (and stops) when a parameter's length runs
/// past the message.
#[derive(Debug, Clone)]
pub struct OptionalIter<'a> {
    data: &'a [u8],
    base: usize,
    pos: usize,
    done: bool,
}

impl<'a> Iterator for OptionalIter<'a> {
    type Item = Result<OptionalParam<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let (&name, after) = match rest.split_first() {
            Some(x) => x,
            None => {
                self.done = true;
                return None;
            }
        };
        let at = self.base + self.pos;
        if name == 0 {
            self.done = true;
            return Some(Ok(OptionalParam {
                name: ParamName::END_OF_OPTIONAL,
                offset: at + 1,
                value: &[],
            }));
        }
        let Some((&len, body)) = after.split_first() else {
            self.done = true;
            return Some(Err(Error::len(Layer::Sccp, 1, 0, at + 1)));
        };
        let len = usize::from(len);
        let Some(value) = body.get(..len) else {
            self.done = true;
            return Some(Err(Error::len(Layer::Sccp, len, body.len(), at)));
        };
        self.pos += 2 + len;
        Some(Ok(OptionalParam {
            name: ParamName(name),
            offset: at + 2,
            value,
        }))
    }
}
