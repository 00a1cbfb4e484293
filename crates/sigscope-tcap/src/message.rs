//! TCAP messages: ITU (Q.773) and ANSI (T1.114) transaction portions.

use core::fmt;

use sigscope_core::ber::{Class, Tag, Tlv};
use sigscope_core::{open_enum, Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::ber_util::lenient_tlv;
use crate::component::Components;
use crate::dialogue::Dialogue;

open_enum! {
    /// ITU TCAP message type (the APPLICATION tag number of the message).
    pub struct MessageType(u8) {
        UNIDIRECTIONAL = 1 => "unidirectional",
        BEGIN = 2 => "begin",
        END = 4 => "end",
        CONTINUE = 5 => "continue",
        ABORT = 7 => "abort",
    }
}

open_enum! {
    /// ANSI TCAP package type (identifier octet).
    pub struct PackageType(u8) {
        UNIDIRECTIONAL = 0xe1 => "unidirectional",
        QUERY_WITH_PERM = 0xe2 => "query_with_perm",
        QUERY_WITHOUT_PERM = 0xe3 => "query_without_perm",
        RESPONSE = 0xe4 => "response",
        CONVERSATION_WITH_PERM = 0xe5 => "conversation_with_perm",
        CONVERSATION_WITHOUT_PERM = 0xe6 => "conversation_without_perm",
        ABORT = 0xf6 => "abort",
    }
}

open_enum! {
    /// P-Abort cause (Q.773 3.1; ANSI T1.114 values differ and are reported as numbers).
    pub struct PAbortCause(u8) {
        UNRECOGNIZED_MESSAGE_TYPE = 0 => "unrecognizedMessageType",
        UNRECOGNIZED_TRANSACTION_ID = 1 => "unrecognizedTransactionID",
        BADLY_FORMATTED_TRANSACTION_PORTION = 2 => "badlyFormattedTransactionPortion",
        INCORRECT_TRANSACTION_PORTION = 3 => "incorrectTransactionPortion",
        RESOURCE_LIMITATION = 4 => "resourceLimitation",
    }
}

/// A transaction id (1-4 octets ITU, 4 octets each ANSI), borrowed. Displays as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TransactionId<'a>(pub &'a [u8]);

impl TransactionId<'_> {
    /// The id as a number (big-endian; first four octets).
    pub fn value(&self) -> u32 {
        self.0
            .iter()
            .take(4)
            .fold(0u32, |a, b| (a << 8) | u32::from(*b))
    }

    /// Octets.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No octets.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Lowercase hex into a stack buffer.
    pub fn hex(&self) -> TidHex {
        let mut h = TidHex {
            buf: [0; 16],
            len: 0,
        };
        for b in self.0.iter().take(8) {
            for n in [b >> 4, b & 0x0f] {
                if let Some(s) = h.buf.get_mut(h.len) {
                    *s = b"0123456789abcdef"
                        .get(usize::from(n))
                        .copied()
                        .unwrap_or(b'0');
                    h.len += 1;
                }
            }
        }
        h
    }
}

/// Hex text of a transaction id.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TidHex {
    buf: [u8; 16],
    len: usize,
}

impl TidHex {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.buf
            .get(..self.len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// The text's octets (lowercase hex digits; no UTF-8 check).
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Display for TransactionId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.hex().as_str())
    }
}

impl fmt::Debug for TransactionId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tid({})", self.hex().as_str())
    }
}

/// A portion (contents + offset of the contents in the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Portion<'a> {
    /// Offset of the first content octet within the TCAP message.
    pub offset: usize,
    /// Contents.
    pub value: &'a [u8],
}

/// A decoded ITU TCAP message, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// The whole message.
    pub raw: &'a [u8],
    /// Message type.
    pub msg_type: MessageType,
    /// Originating transaction id.
    pub otid: Option<TransactionId<'a>>,
    /// Destination transaction id.
    pub dtid: Option<TransactionId<'a>>,
    /// Dialogue portion (`[APPLICATION 11]` contents); for Abort, the U-Abort information.
    pub dialogue_portion: Option<Portion<'a>>,
    /// Component portion (`[APPLICATION 12]` contents).
    pub component_portion: Option<Portion<'a>>,
    /// P-Abort cause (Abort only).
    pub p_abort_cause: Option<PAbortCause>,
}

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Tcap, code, offset, detail)
}

/// Maximum transaction id length in octets (Q.773).
pub const MAX_TID_LEN: usize = 4;

impl<'a> Message<'a> {
    /// Decode leniently; fails only when not even the message's tag and length can be read or
    /// the tag is not an ITU TCAP message.
    pub fn decode(data: &'a [u8], anomalies: &mut Anomalies) -> Result<Message<'a>, Error> {
        let (outer, rest, overrun) = lenient_tlv(data)?;
        if outer.tag.class != Class::Application || !outer.tag.constructed {
            return Err(Error::value(
                Layer::Tcap,
                "message tag",
                u64::from(data.first().copied().unwrap_or(0)),
                0,
            ));
        }
        let msg_type = MessageType(outer.tag.number as u8);
        if !msg_type.is_known() || outer.tag.number > 0xff {
            return Err(Error::value(
                Layer::Tcap,
                "message tag",
                u64::from(outer.tag.number),
                0,
            ));
        }
        if overrun {
            anomalies.push(anom(
                AnomalyCode::BerLengthOverrun,
                0,
                "message length runs past the data",
            ));
        }
        if !rest.is_empty() {
            anomalies.push(
                anom(
                    AnomalyCode::TrailingBytes,
                    outer.raw.len(),
                    "octets after the TCAP message",
                )
                .with_value(rest.len() as u64),
            );
        }
        let mut m = Message {
            raw: data,
            msg_type,
            otid: None,
            dtid: None,
            dialogue_portion: None,
            component_portion: None,
            p_abort_cause: None,
        };
        for r in outer.children_at(outer.header_len) {
            let (o, t) = match r {
                Ok(x) => x,
                Err(e) => {
                    anomalies.push(anom(
                        AnomalyCode::BerInvalid,
                        e.offset(),
                        "transaction portion breaks BER length rules",
                    ));
                    break;
                }
            };
            let tid = |t: &Tlv<'a>, anomalies: &mut Anomalies| {
                if t.value.is_empty() || t.value.len() > MAX_TID_LEN {
                    anomalies.push(
                        anom(
                            AnomalyCode::TidLengthInvalid,
                            o,
                            "transaction id not 1-4 octets",
                        )
                        .with_value(t.value.len() as u64),
                    );
                }
                Some(TransactionId(t.value))
            };
            let app = |n| Tag::new(Class::Application, false, n);
            if t.tag == app(8) {
                m.otid = tid(&t, anomalies);
            } else if t.tag == app(9) {
                m.dtid = tid(&t, anomalies);
            } else if t.tag == Tag::new(Class::Application, true, 11) {
                m.dialogue_portion = Some(Portion {
                    offset: o + t.header_len,
                    value: t.value,
                });
            } else if t.tag == Tag::new(Class::Application, true, 12) {
                m.component_portion = Some(Portion {
                    offset: o + t.header_len,
                    value: t.value,
                });
            } else if t.tag == app(10) && msg_type == MessageType::ABORT {
                m.p_abort_cause = t.uint().map(|v| PAbortCause(v.min(255) as u8));
            } else {
                anomalies.push(
                    anom(
                        AnomalyCode::UnexpectedElement,
                        o,
                        "unexpected element in the transaction portion",
                    )
                    .with_value(u64::from(t.tag.number)),
                );
            }
        }
        let (need_o, need_d) = match msg_type {
            MessageType::BEGIN => (true, false),
            MessageType::CONTINUE => (true, true),
            MessageType::END | MessageType::ABORT => (false, true),
            _ => (false, false),
        };
        if need_o && m.otid.is_none() {
            anomalies.push(anom(
                AnomalyCode::OtidMissing,
                0,
                "message requires an originating transaction id",
            ));
        }
        if need_d && m.dtid.is_none() {
            anomalies.push(anom(
                AnomalyCode::DtidMissing,
                0,
                "message requires a destination transaction id",
            ));
        }
        if (!need_o && m.otid.is_some()) || (!need_d && m.dtid.is_some()) {
            anomalies.push(anom(
                AnomalyCode::TidUnexpected,
                0,
                "transaction id not allowed in this message type",
            ));
        }
        if msg_type == MessageType::ABORT && m.component_portion.is_some() {
            anomalies.push(anom(
                AnomalyCode::ComponentsInAbort,
                0,
                "abort carries a component portion",
            ));
        }
        Ok(m)
    }

    /// Decode the dialogue portion, if any.
    pub fn dialogue(&self, anomalies: &mut Anomalies) -> Option<Dialogue<'a>> {
        self.dialogue_portion
            .map(|p| Dialogue::decode(p.value, p.offset, anomalies))
    }

    /// Iterate the components lazily (empty when there is no component portion).
    pub fn components(&self) -> Components<'a> {
        match self.component_portion {
            Some(p) => Components::new(p.value, p.offset, false),
            None => Components::new(&[], 0, false),
        }
    }
}

/// A decoded ANSI TCAP package, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnsiMessage<'a> {
    /// The whole message.
    pub raw: &'a [u8],
    /// Package type.
    pub package: PackageType,
    /// Originating transaction id (first four octets of the transaction ID element).
    pub otid: Option<TransactionId<'a>>,
    /// Responding transaction id (next four octets).
    pub rtid: Option<TransactionId<'a>>,
    /// Dialogue portion contents (protocol version, application context, ...), not decoded.
    pub dialogue_portion: Option<Portion<'a>>,
    /// Component sequence contents.
    pub component_portion: Option<Portion<'a>>,
    /// P-Abort cause (Abort).
    pub p_abort_cause: Option<u8>,
    /// User abort information (Abort).
    pub user_abort: Option<Portion<'a>>,
}

impl<'a> AnsiMessage<'a> {
    /// Decode leniently; fails when the identifier is not an ANSI package type.
    pub fn decode(data: &'a [u8], anomalies: &mut Anomalies) -> Result<AnsiMessage<'a>, Error> {
        let (outer, rest, overrun) = lenient_tlv(data)?;
        let id = data.first().copied().unwrap_or(0);
        let package = PackageType(id);
        if !package.is_known() {
            return Err(Error::value(
                Layer::Tcap,
                "ansi package type",
                u64::from(id),
                0,
            ));
        }
        if overrun {
            anomalies.push(anom(
                AnomalyCode::BerLengthOverrun,
                0,
                "package length runs past the data",
            ));
        }
        if !rest.is_empty() {
            anomalies.push(
                anom(
                    AnomalyCode::TrailingBytes,
                    outer.raw.len(),
                    "octets after the TCAP package",
                )
                .with_value(rest.len() as u64),
            );
        }
        let mut m = AnsiMessage {
            raw: data,
            package,
            otid: None,
            rtid: None,
            dialogue_portion: None,
            component_portion: None,
            p_abort_cause: None,
            user_abort: None,
        };
        let p = |c, n| Tag::new(Class::Private, c, n);
        for r in outer.children_at(outer.header_len) {
            let (o, t) = match r {
                Ok(x) => x,
                Err(e) => {
                    anomalies.push(anom(
                        AnomalyCode::BerInvalid,
                        e.offset(),
                        "package breaks BER length rules",
                    ));
                    break;
                }
            };
            let portion = Some(Portion {
                offset: o + t.header_len,
                value: t.value,
            });
            if t.tag == p(false, 7) {
                match t.value.len() {
                    0 => {}
                    4 => m.otid = Some(TransactionId(t.value)),
                    8 => {
                        m.otid = t.value.get(..4).map(TransactionId);
                        m.rtid = t.value.get(4..).map(TransactionId);
                    }
                    n => {
                        anomalies.push(
                            anom(
                                AnomalyCode::TidLengthInvalid,
                                o,
                                "ANSI transaction ids are 0, 4 or 8 octets",
                            )
                            .with_value(n as u64),
                        );
                        m.otid = Some(TransactionId(t.value));
                    }
                }
            } else if t.tag == p(true, 25) {
                m.dialogue_portion = portion;
                anomalies.push(anom(
                    AnomalyCode::AnsiDialogueNotDecoded,
                    o,
                    "ANSI dialogue portion kept raw (not decoded)",
                ));
            } else if t.tag == p(true, 8) {
                m.component_portion = portion;
            } else if t.tag == p(false, 23) {
                m.p_abort_cause = t.value.first().copied();
            } else if t.tag == p(true, 24) || t.tag == p(false, 24) {
                m.user_abort = portion;
            } else {
                anomalies.push(
                    anom(
                        AnomalyCode::UnexpectedElement,
                        o,
                        "unexpected element in the ANSI package",
                    )
                    .with_value(u64::from(t.tag.number)),
                );
            }
        }
        Ok(m)
    }

    /// Iterate the components lazily.
    pub fn components(&self) -> Components<'a> {
        match self.component_portion {
            Some(p) => Components::new(p.value, p.offset, true),
            None => Components::new(&[], 0, true),
        }
    }
}

/// A TCAP message of either flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tcap<'a> {
    /// ITU-T Q.773.
    Itu(Message<'a>),
    /// ANSI T1.114.
    Ansi(AnsiMessage<'a>),
}

impl<'a> Tcap<'a> {
    /// Decode ITU or ANSI by the first octet (APPLICATION class = ITU, PRIVATE = ANSI).
    pub fn decode(data: &'a [u8], anomalies: &mut Anomalies) -> Result<Tcap<'a>, Error> {
        match data.first() {
            Some(b) if b & 0xc0 == 0xc0 => AnsiMessage::decode(data, anomalies).map(Tcap::Ansi),
            Some(_) => Message::decode(data, anomalies).map(Tcap::Itu),
            None => Err(Error::len(Layer::Tcap, 1, 0, 0)),
        }
    }

    /// Components of either flavour.
    pub fn components(&self) -> Components<'a> {
        match self {
            Tcap::Itu(m) => m.components(),
            Tcap::Ansi(m) => m.components(),
        }
    }

    /// The first octet of an ITU TCAP message (Unidirectional, Begin, End, Continue, Abort).
    pub const fn is_itu_tag(id: u8) -> bool {
        matches!(id, 0x61 | 0x62 | 0x64 | 0x65 | 0x67)
    }

    /// The first octet of an ITU message or an ANSI package: what TCAP starts with, whatever
    /// follows.
    pub fn is_package_tag(id: u8) -> bool {
        Self::is_itu_tag(id) || PackageType(id).is_known()
    }

    /// True when the octets look like a TCAP message: a known ITU message or ANSI package tag
    /// whose first element is a transaction-portion element (ITU otid/dtid/P-Abort cause/
    /// dialogue/components; ANSI transaction ids). A length that runs past the data is
    /// accepted (decoding reports it). Reads only two headers.
    pub fn looks_like(data: &[u8]) -> bool {
        let Some(&id) = data.first() else {
            return false;
        };
        if !Self::is_package_tag(id) {
            return false;
        }
        let itu = Self::is_itu_tag(id);
        let Ok((outer, _, _)) = lenient_tlv(data) else {
            return false;
        };
        match outer.value.first() {
            Some(0x48 | 0x49 | 0x4a | 0x6b | 0x6c) => itu,
            Some(0xc7) => !itu,
            _ => false,
        }
    }
}
