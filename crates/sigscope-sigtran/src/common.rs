//! The common message header and TLV parameters shared by M3UA, M2UA, SUA (RFC 4666 §3.1,
//! RFC 3331, RFC 3868) and M2PA (RFC 4165).

use sigscope_core::error::{be_u16, be_u32, take};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

/// Length of the common header.
pub const COMMON_HEADER_LEN: usize = 8;
/// Most parameters looked at in one message.
pub const MAX_PARAMS: usize = 64;

/// A checked view of a SIGTRAN message: common header + body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    layer: Layer,
    data: &'a [u8],
    /// Message length (length field, bounded by what is there).
    body_end: usize,
}

impl<'a> Message<'a> {
    /// Check the header, record length disagreements as anomalies.
    pub fn parse(layer: Layer, data: &'a [u8], anomalies: &mut Anomalies) -> Result<Self, Error> {
        let _ = take(data, 0, COMMON_HEADER_LEN, layer)?;
        let version = data.first().copied().unwrap_or(0);
        if version != 1 {
            anomalies.push(
                Anomaly::new(layer, AnomalyCode::UnknownVersion, 0, "version is not 1")
                    .with_value(u64::from(version)),
            );
        }
        if data.get(1).copied().unwrap_or(0) != 0 && layer != Layer::M2pa {
            anomalies.push(Anomaly::new(
                layer,
                AnomalyCode::ReservedBitSet,
                1,
                "reserved octet set",
            ));
        }
        let len = be_u32(data, 4, layer)? as usize;
        let body_end = if len < COMMON_HEADER_LEN {
            anomalies.push(
                Anomaly::new(
                    layer,
                    AnomalyCode::LengthTooSmall,
                    4,
                    "message length below header size",
                )
                .with_value(len as u64),
            );
            data.len()
        } else if len > data.len() {
            anomalies.push(
                Anomaly::new(
                    layer,
                    AnomalyCode::LengthExceedsData,
                    4,
                    "message length beyond the data",
                )
                .with_value(len as u64),
            );
            data.len()
        } else {
            if len < data.len() {
                anomalies.push(
                    Anomaly::new(
                        layer,
                        AnomalyCode::TrailingBytes,
                        len,
                        "bytes after the message",
                    )
                    .with_value((data.len() - len) as u64),
                );
            }
            len
        };
        Ok(Message {
            layer,
            data,
            body_end,
        })
    }

    /// Version.
    pub fn version(&self) -> u8 {
        self.data.first().copied().unwrap_or(0)
    }

    /// Message class.
    pub fn class(&self) -> u8 {
        self.data.get(2).copied().unwrap_or(0)
    }

    /// Message type within the class.
    pub fn msg_type(&self) -> u8 {
        self.data.get(3).copied().unwrap_or(0)
    }

    /// Length field.
    pub fn length_field(&self) -> u32 {
        be_u32(self.data, 4, self.layer).unwrap_or(0)
    }

    /// The message (header + body, bounded by the length field).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data.get(..self.body_end).unwrap_or(self.data)
    }

    /// The body after the common header.
    pub fn body(&self) -> &'a [u8] {
        self.data
            .get(COMMON_HEADER_LEN..self.body_end)
            .unwrap_or(&[])
    }

    /// Iterate the TLV parameters of the body.
    pub fn params(&self) -> ParamIter<'a> {
        ParamIter::new(self.layer, self.body(), COMMON_HEADER_LEN)
    }

    /// The first parameter with this tag.
    pub fn param(&self, tag: u16) -> Option<Param<'a>> {
        self.params().flatten().find(|p| p.tag == tag)
    }
}

/// One TLV parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    /// Offset of the parameter within the message.
    pub offset: usize,
    /// Tag.
    pub tag: u16,
    /// Value (length field minus the 4-byte header, or what the message holds when the
    /// length field overruns it).
    pub value: &'a [u8],
    /// The length field runs past the end of the message.
    pub truncated: bool,
}

impl Param<'_> {
    /// The anomaly for a truncated parameter, if it is one.
    pub fn truncation(&self, layer: Layer) -> Option<Anomaly> {
        self.truncated.then(|| {
            Anomaly::new(
                layer,
                AnomalyCode::ParameterTruncated,
                self.offset + 2,
                "parameter length runs past the end of the message",
            )
            .with_value(u64::from(self.tag))
        })
    }
}

impl Param<'_> {
    /// The value as a big-endian u32 when it is exactly 4 bytes.
    pub fn u32(&self) -> Option<u32> {
        match self.value {
            &[a, b, c, d] => Some(u32::from_be_bytes([a, b, c, d])),
            _ => None,
        }
    }
}

/// Octets of a parameter's tag and length.
pub const TLV_HEADER_LEN: usize = 4;

/// A parameter's tag and length field (nom: the benches show the combinators cost nothing
/// over hand-written reads here).
fn tlv_head(i: &[u8]) -> nom::IResult<&[u8], (u16, u16)> {
    nom::sequence::pair(nom::number::complete::be_u16, nom::number::complete::be_u16)(i)
}

/// The first `n` octets of `i`, if it holds them.
fn tlv_value(i: &[u8], n: usize) -> Option<&[u8]> {
    nom::bytes::complete::take::<_, _, nom::error::Error<&[u8]>>(n)(i)
        .ok()
        .map(|(_, v)| v)
}

/// Iterator over TLV parameters (tag 2, length 2 incl. header, value, padding to 4).
#[derive(Clone, Debug)]
pub struct ParamIter<'a> {
    layer: Layer,
    data: &'a [u8],
    pos: usize,
    base: usize,
    count: usize,
    done: bool,
}

impl<'a> ParamIter<'a> {
    /// Iterate `data`, which starts at `base` within the message.
    pub fn new(layer: Layer, data: &'a [u8], base: usize) -> Self {
        ParamIter {
            layer,
            data,
            pos: 0,
            base,
            count: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Result<Param<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        let at = self.base + self.pos;
        let fail = |s: &mut Self, e: Error| {
            s.done = true;
            Some(Err(sigscope_core::ber::shift(e, s.base)))
        };
        if self.count >= MAX_PARAMS {
            return fail(
                self,
                Error::Limit {
                    layer: self.layer,
                    what: "parameters",
                    limit: MAX_PARAMS,
                    offset: self.pos,
                },
            );
        }
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let (after, (tag, len)) = match tlv_head(rest) {
            Ok(x) => x,
            // the error names the field that is cut short, as the checked readers do
            Err(_) => {
                let e = be_u16(self.data, self.pos, self.layer)
                    .and_then(|_| be_u16(self.data, self.pos + 2, self.layer))
                    .err()
                    .unwrap_or(Error::len(self.layer, TLV_HEADER_LEN, rest.len(), self.pos));
                return fail(self, e);
            }
        };
        let len = usize::from(len);
        if len < TLV_HEADER_LEN {
            return fail(
                self,
                Error::value(self.layer, "parameter length", len as u64, self.pos + 2),
            );
        }
        let (value, truncated) = match tlv_value(after, len - TLV_HEADER_LEN) {
            Some(v) => (v, false),
            // Decode what is there (as Wireshark does); the iteration ends here.
            None => (after, true),
        };
        self.pos += (len + 3) & !3;
        self.count += 1;
        if truncated {
            self.done = true;
        }
        Some(Ok(Param {
            offset: at,
            tag,
            value,
            truncated,
        }))
    }
}

/// Names of the message classes the SIGTRAN adaptation layers share (RFC 4666 §3.1.3,
/// RFC 3331, RFC 3868): MGMT (0), ASPSM (3), ASPTM (4).
pub fn shared_message_name(class: u8, msg_type: u8) -> Option<&'static str> {
    Some(match (class, msg_type) {
        (0, 0) => "ERR",
        (0, 1) => "NTFY",
        (3, 1) => "ASPUP",
        (3, 2) => "ASPDN",
        (3, 3) => "BEAT",
        (3, 4) => "ASPUP_ACK",
        (3, 5) => "ASPDN_ACK",
        (3, 6) => "BEAT_ACK",
        (4, 1) => "ASPAC",
        (4, 2) => "ASPIA",
        (4, 3) => "ASPAC_ACK",
        (4, 4) => "ASPIA_ACK",
        _ => return None,
    })
}

/// Names of the SSNM class (2) shared by M3UA and SUA.
pub fn ssnm_message_name(msg_type: u8) -> Option<&'static str> {
    Some(match msg_type {
        1 => "DUNA",
        2 => "DAVA",
        3 => "DAUD",
        4 => "SCON",
        5 => "DUPU",
        6 => "DRST",
        _ => return None,
    })
}

/// Largest parameter value a SIGTRAN parameter can carry (the 16-bit length counts the
/// 4-octet parameter header too).
pub const MAX_PARAMETER_VALUE: usize = u16::MAX as usize - 4;

/// Emit a common header + parameters. `params` are (tag, value); padding is added. A value
/// longer than [`MAX_PARAMETER_VALUE`] cannot be encoded: [`Error::Limit`] (offset: the
/// parameter's index), and nothing is written.
pub fn emit_message(
    class: u8,
    msg_type: u8,
    params: &[(u16, &[u8])],
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    if let Some(i) = params
        .iter()
        .position(|(_, v)| v.len() > MAX_PARAMETER_VALUE)
    {
        return Err(Error::Limit {
            layer: Layer::M3ua,
            what: "parameter value length",
            limit: MAX_PARAMETER_VALUE,
            offset: i,
        });
    }
    let start = out.len();
    out.extend_from_slice(&[1, 0, class, msg_type, 0, 0, 0, 0]);
    for (tag, value) in params {
        let len = u16::try_from(value.len() + 4).unwrap_or(u16::MAX);
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(value);
        while (out.len() - start) % 4 != 0 {
            out.push(0);
        }
    }
    let total = u32::try_from(out.len() - start).unwrap_or(u32::MAX);
    if let Some(slot) = out.get_mut(start + 4..start + 8) {
        slot.copy_from_slice(&total.to_be_bytes());
    }
    Ok(())
}
