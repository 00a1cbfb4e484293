//! Dialogue portion (Q.773 clause 4.2.1): an EXTERNAL carrying a dialogue PDU (AARQ, AARE,
//! ABRT) under the dialogue-as-id, or an AUDT under the uni-dialogue-as-id.

use sigscope_core::ber::{Class, Tag, Tlv};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use crate::component::Oid;

/// Content octets of `{itu-t recommendation q 773 as(1) dialogue-as(1) version1(1)}`.
pub const DIALOGUE_AS_ID: &[u8] = &[0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01];
/// Content octets of `{itu-t recommendation q 773 as(1) uni-dialogue-as(2) version1(1)}`.
pub const UNI_DIALOGUE_AS_ID: &[u8] = &[0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01];

/// Dialogue PDU kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialoguePduKind {
    /// AARQ (dialogue request).
    Aarq,
    /// AARE (dialogue response).
    Aare,
    /// ABRT (dialogue abort).
    Abrt,
    /// AUDT (unidirectional dialogue).
    Audt,
    /// Something else (unknown tag or abstract syntax), kept raw.
    Other,
}

impl DialoguePduKind {
    /// Record name.
    pub const fn as_str(self) -> &'static str {
        match self {
            DialoguePduKind::Aarq => "aarq",
            DialoguePduKind::Aare => "aare",
            DialoguePduKind::Abrt => "abrt",
            DialoguePduKind::Audt => "audt",
            DialoguePduKind::Other => "other",
        }
    }
}

/// Result source diagnostic of an AARE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Diagnostic {
    /// dialogue-service-user (0 null, 1 no-reason-given, 2 application-context-name-not-supported).
    User(i64),
    /// dialogue-service-provider (0 null, 1 no-reason-given, 2 no-common-dialogue-portion).
    Provider(i64),
}

/// A decoded dialogue portion, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialogue<'a> {
    /// Offset of the dialogue portion within the TCAP message.
    pub offset: usize,
    /// The EXTERNAL's direct-reference (dialogue-as-id, uni-dialogue-as-id, or a user's OID).
    pub oid: Option<Oid<'a>>,
    /// PDU kind.
    pub kind: DialoguePduKind,
    /// Protocol version bit string contents (absent = version1 by default).
    pub protocol_version: Option<&'a [u8]>,
    /// Application context name.
    pub acn: Option<Oid<'a>>,
    /// AARE result (0 accepted, 1 reject-permanent).
    pub result: Option<i64>,
    /// AARE result source diagnostic.
    pub diagnostic: Option<Diagnostic>,
    /// ABRT abort source (0 dialogue-service-user, 1 dialogue-service-provider).
    pub abort_source: Option<i64>,
    /// user-information contents (raw: a SEQUENCE OF EXTERNAL for the application, e.g. MAP-OpenInfo).
    pub user_info: Option<&'a [u8]>,
    /// The dialogue PDU (or the EXTERNAL's contents for [`DialoguePduKind::Other`]).
    pub raw: &'a [u8],
}

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Tcap, code, offset, detail)
}

impl<'a> Dialogue<'a> {
    /// Decode dialogue portion contents (`data` = contents of `[APPLICATION 11]`, starting at
    /// `base` in the message). Problems are anomalies; what was found is returned.
    pub fn decode(data: &'a [u8], base: usize, anomalies: &mut Anomalies) -> Dialogue<'a> {
        let mut d = Dialogue {
            offset: base,
            oid: None,
            kind: DialoguePduKind::Other,
            protocol_version: None,
            acn: None,
            result: None,
            diagnostic: None,
            abort_source: None,
            user_info: None,
            raw: data,
        };
        let (ext, ext_off) = match crate::ber_util::lenient_tlv(data) {
            Ok((t, _, overrun)) => {
                if overrun {
                    anomalies.push(anom(
                        AnomalyCode::BerLengthOverrun,
                        base,
                        "EXTERNAL length runs past the dialogue portion",
                    ));
                }
                (t, base)
            }
            Err(e) => {
                anomalies.push(anom(
                    AnomalyCode::BerInvalid,
                    e.offset() + base,
                    "dialogue portion is not valid BER",
                ));
                return d;
            }
        };
        if ext.tag != Tag::EXTERNAL {
            anomalies.push(
                anom(
                    AnomalyCode::DialogueNotExternal,
                    ext_off,
                    "dialogue portion does not hold an EXTERNAL",
                )
                .with_value(u64::from(ext.tag.number)),
            );
            return d;
        }
        let mut pdu: Option<(usize, Tlv<'a>)> = None;
        for r in ext.children_at(ext_off + ext.header_len) {
            match r {
                Ok((o, t)) => {
                    if t.tag == Tag::OID {
                        d.oid = Some(Oid(t.value));
                        if let Some(a) = Oid(t.value).range_anomaly(o) {
                            anomalies.push(a);
                        }
                    } else if t.tag == Tag::ctx_cons(0) {
                        // single-ASN1-type
                        match crate::ber_util::lenient_tlv(t.value) {
                            Ok((p, _, _)) => pdu = Some((o + t.header_len, p)),
                            Err(e) => {
                                anomalies.push(anom(
                                    AnomalyCode::BerInvalid,
                                    o + t.header_len + e.offset(),
                                    "dialogue PDU is not valid BER",
                                ));
                            }
                        }
                    } else if t.tag == Tag::INTEGER {
                        // indirect-reference: allowed, unused by TCAP
                    } else {
                        anomalies.push(
                            anom(
                                AnomalyCode::DialogueEncodingUnsupported,
                                o,
                                "EXTERNAL encoding other than single-ASN1-type",
                            )
                            .with_value(u64::from(t.tag.number)),
                        );
                        d.raw = t.value;
                    }
                }
                Err(e) => {
                    anomalies.push(anom(
                        AnomalyCode::BerInvalid,
                        e.offset(),
                        "EXTERNAL contents are not valid BER",
                    ));
                    break;
                }
            }
        }
        let Some((poff, p)) = pdu else {
            return d;
        };
        d.raw = p.raw;
        let uni = d.oid.is_some_and(|o| o.0 == UNI_DIALOGUE_AS_ID);
        let std = d.oid.is_some_and(|o| o.0 == DIALOGUE_AS_ID);
        if !(uni || std) {
            // A user abstract syntax (e.g. a MAP abort in a U-Abort): kept raw.
            return d;
        }
        d.kind = match (p.tag.class, p.tag.number, uni) {
            (Class::Application, 0, true) => DialoguePduKind::Audt,
            (Class::Application, 0, false) => DialoguePduKind::Aarq,
            (Class::Application, 1, false) => DialoguePduKind::Aare,
            (Class::Application, 4, false) => DialoguePduKind::Abrt,
            _ => {
                anomalies.push(
                    anom(
                        AnomalyCode::DialoguePduUnknown,
                        poff,
                        "unknown dialogue PDU",
                    )
                    .with_value(u64::from(p.tag.number)),
                );
                return d;
            }
        };
        for r in p.children_at(poff + p.header_len) {
            let (o, t) = match r {
                Ok(x) => x,
                Err(e) => {
                    anomalies.push(anom(
                        AnomalyCode::BerInvalid,
                        e.offset(),
                        "dialogue PDU contents are not valid BER",
                    ));
                    break;
                }
            };
            match (d.kind, t.tag.class, t.tag.constructed, t.tag.number) {
                (DialoguePduKind::Abrt, Class::Context, false, 0) => d.abort_source = t.int(),
                (_, Class::Context, false, 0) => d.protocol_version = Some(t.value),
                (_, Class::Context, true, 1) => match crate::ber_util::lenient_tlv(t.value) {
                    Ok((oid, _, _)) if oid.tag == Tag::OID => {
                        d.acn = Some(Oid(oid.value));
                        if let Some(a) = Oid(oid.value).range_anomaly(o) {
                            anomalies.push(a);
                        }
                    }
                    _ => anomalies.push(anom(
                        AnomalyCode::AcnInvalid,
                        o,
                        "application context name is not an OID",
                    )),
                },
                (DialoguePduKind::Aare, Class::Context, true, 2) => {
                    d.result = crate::ber_util::lenient_tlv(t.value)
                        .ok()
                        .and_then(|(i, _, _)| i.int());
                }
                (DialoguePduKind::Aare, Class::Context, true, 3) => {
                    if let Ok((c, _, _)) = crate::ber_util::lenient_tlv(t.value) {
                        let v = crate::ber_util::lenient_tlv(c.value)
                            .ok()
                            .and_then(|(i, _, _)| i.int())
                            .unwrap_or(-1);
                        d.diagnostic = match c.tag.number {
                            1 => Some(Diagnostic::User(v)),
                            2 => Some(Diagnostic::Provider(v)),
                            _ => None,
                        };
                    }
                }
                (_, Class::Context, true, 30) => d.user_info = Some(t.value),
                _ => anomalies.push(
                    anom(
                        AnomalyCode::DialogueElementUnexpected,
                        o,
                        "unexpected element in dialogue PDU",
                    )
                    .with_value(u64::from(t.tag.number)),
                ),
            }
        }
        if matches!(
            d.kind,
            DialoguePduKind::Aarq | DialoguePduKind::Aare | DialoguePduKind::Audt
        ) && d.acn.is_none()
        {
            anomalies.push(anom(
                AnomalyCode::AcnMissing,
                poff,
                "dialogue PDU without application context name",
            ));
        }
        if d.kind == DialoguePduKind::Aare && d.result.is_none() {
            anomalies.push(anom(
                AnomalyCode::AareResultMissing,
                poff,
                "AARE without result",
            ));
        }
        d
    }
}
