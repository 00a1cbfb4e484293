//! ITU TCAP (Q.773) emitter: Begin, Continue, End and Abort with transaction ids, an
//! optional dialogue portion (AARQ/AARE in the EXTERNAL of the dialogue-as-id) and
//! components (Invoke, ReturnResultLast, ReturnError). BER with definite lengths, written
//! with [`sigscope_core::ber::write_tlv`]; what [`crate::Message::decode`] reads back.
//!
//! Emitting never fails: every value has a BER encoding.

use sigscope_core::ber::{encode_int, write_tlv, Class, Tag};

use crate::message::MessageType;

/// Content octets of the dialogue-as-id OID (0.0.17.773.1.1.1).
pub const DIALOGUE_AS_OID: [u8; 7] = [0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01];
/// Content octets of the MAP application-context prefix (0.4.0.0.1.0): `ac` and `version`
/// follow.
pub const MAP_AC_PREFIX: [u8; 5] = [0x04, 0x00, 0x00, 0x01, 0x00];
/// Protocol version bit string (version1): unused-bits octet then the bits.
pub const PROTOCOL_VERSION_1: [u8; 2] = [0x07, 0x80];

/// APPLICATION tag of the originating transaction id.
const TAG_OTID: u32 = 8;
/// APPLICATION tag of the destination transaction id.
const TAG_DTID: u32 = 9;
/// APPLICATION tag of the dialogue portion.
const TAG_DIALOGUE: u32 = 11;
/// APPLICATION tag of the component portion.
const TAG_COMPONENTS: u32 = 12;
/// APPLICATION tag of the P-Abort cause.
const TAG_P_ABORT: u32 = 10;
/// APPLICATION tag (dialogue PDU) of the AARQ.
const TAG_AARQ: u32 = 0;
/// APPLICATION tag (dialogue PDU) of the AARE.
const TAG_AARE: u32 = 1;

/// The application context name of a dialogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AcnRepr {
    /// OID content octets, as given.
    Oid(Vec<u8>),
    /// A MAP application context: 0.4.0.0.1.0.`ac`.`version`.
    Map {
        /// Application context number (last-but-one arc).
        ac: u8,
        /// MAP version (last arc).
        version: u8,
    },
}

impl AcnRepr {
    /// The OID content octets. A MAP context is encoded by asn1-rs from its arcs (cold:
    /// emitters build test and synthetic traffic), so arcs of 128 or more take their
    /// base-128 form.
    pub fn oid_content(&self) -> Vec<u8> {
        match self {
            AcnRepr::Oid(v) => v.clone(),
            AcnRepr::Map { ac, version } => {
                let arcs = map_acn_arcs(*ac, *version);
                match sigscope_core::asn1_rs::Oid::from(&arcs) {
                    Ok(oid) => oid.as_bytes().to_vec(),
                    // unreachable for these arcs (the first is 0, the second 4)
                    Err(_) => Vec::new(),
                }
            }
        }
    }
}

/// The arcs of MAP application context `ac` in `version`: 0.4.0.0.1.0.`ac`.`version`.
pub fn map_acn_arcs(ac: u8, version: u8) -> [u64; 8] {
    [0, 4, 0, 0, 1, 0, u64::from(ac), u64::from(version)]
}

/// Dialogue portion: an AARQ (request) or an AARE (response, with result and diagnostic).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogueRepr {
    /// AARQ with the application context name.
    Aarq(AcnRepr),
    /// AARE with the application context name, result (0 accepted) and user diagnostic.
    Aare {
        /// Application context name.
        acn: AcnRepr,
        /// Result: 0 accepted, 1 reject-permanent.
        result: i64,
        /// dialogue-service-user diagnostic (0 null).
        diagnostic: i64,
    },
}

/// One component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComponentRepr {
    /// Invoke: invoke id, local operation code, parameter (a complete BER TLV, or empty).
    Invoke {
        /// Invoke id.
        invoke_id: i64,
        /// Local operation code.
        opcode: i64,
        /// The parameter's bytes (a whole TLV), or empty for none.
        parameter: Vec<u8>,
    },
    /// ReturnResultLast: invoke id and, when `result` is some, the SEQUENCE { opcode, result }.
    ReturnResultLast {
        /// Invoke id answered.
        invoke_id: i64,
        /// Operation code and result parameter (a whole TLV).
        result: Option<(i64, Vec<u8>)>,
    },
    /// ReturnError: invoke id, local error code, optional parameter (a whole TLV or empty).
    ReturnError {
        /// Invoke id answered.
        invoke_id: i64,
        /// Local error code.
        error_code: i64,
        /// The parameter's bytes, or empty.
        parameter: Vec<u8>,
    },
}

fn int_tlv(out: &mut Vec<u8>, v: i64) {
    let (b, n) = encode_int(v);
    write_tlv(out, Tag::INTEGER, b.get(..n).unwrap_or(&[]));
}

fn app(n: u32, constructed: bool) -> Tag {
    Tag::new(Class::Application, constructed, n)
}

impl ComponentRepr {
    /// Append the component's TLV to `out`.
    pub fn emit(&self, out: &mut Vec<u8>) {
        let mut body = Vec::new();
        let tag = match self {
            ComponentRepr::Invoke {
                invoke_id,
                opcode,
                parameter,
            } => {
                int_tlv(&mut body, *invoke_id);
                int_tlv(&mut body, *opcode);
                body.extend_from_slice(parameter);
                Tag::ctx_cons(1)
            }
            ComponentRepr::ReturnResultLast { invoke_id, result } => {
                int_tlv(&mut body, *invoke_id);
                if let Some((opcode, res)) = result {
                    let mut seq = Vec::new();
                    int_tlv(&mut seq, *opcode);
                    seq.extend_from_slice(res);
                    write_tlv(&mut body, Tag::SEQUENCE, &seq);
                }
                Tag::ctx_cons(2)
            }
            ComponentRepr::ReturnError {
                invoke_id,
                error_code,
                parameter,
            } => {
                int_tlv(&mut body, *invoke_id);
                int_tlv(&mut body, *error_code);
                body.extend_from_slice(parameter);
                Tag::ctx_cons(3)
            }
        };
        write_tlv(out, tag, &body);
    }
}

impl DialogueRepr {
    /// Append the dialogue portion ([APPLICATION 11] { EXTERNAL { OID, [0] { PDU } } }).
    pub fn emit(&self, out: &mut Vec<u8>) {
        let mut pdu_body = Vec::new();
        write_tlv(&mut pdu_body, Tag::ctx(0), &PROTOCOL_VERSION_1);
        let (tag, acn) = match self {
            DialogueRepr::Aarq(acn) => (TAG_AARQ, acn),
            DialogueRepr::Aare { acn, .. } => (TAG_AARE, acn),
        };
        let mut oid = Vec::new();
        write_tlv(&mut oid, Tag::OID, &acn.oid_content());
        write_tlv(&mut pdu_body, Tag::ctx_cons(1), &oid);
        if let DialogueRepr::Aare {
            result, diagnostic, ..
        } = self
        {
            let mut r = Vec::new();
            int_tlv(&mut r, *result);
            write_tlv(&mut pdu_body, Tag::ctx_cons(2), &r);
            let mut d = Vec::new();
            int_tlv(&mut d, *diagnostic);
            let mut user = Vec::new();
            write_tlv(&mut user, Tag::ctx_cons(1), &d);
            write_tlv(&mut pdu_body, Tag::ctx_cons(3), &user);
        }
        let mut pdu = Vec::new();
        write_tlv(&mut pdu, app(tag, true), &pdu_body);
        let mut ext = Vec::new();
        write_tlv(&mut ext, Tag::OID, &DIALOGUE_AS_OID);
        write_tlv(&mut ext, Tag::ctx_cons(0), &pdu);
        let mut external = Vec::new();
        write_tlv(&mut external, Tag::EXTERNAL, &ext);
        write_tlv(out, app(TAG_DIALOGUE, true), &external);
    }
}

/// An ITU TCAP message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcapRepr {
    /// Begin, Continue, End or Abort (Unidirectional also emits, without ids).
    pub msg_type: MessageType,
    /// Originating transaction id (Begin, Continue), 4 octets.
    pub otid: Option<u32>,
    /// Destination transaction id (Continue, End, Abort), 4 octets.
    pub dtid: Option<u32>,
    /// Dialogue portion.
    pub dialogue: Option<DialogueRepr>,
    /// Components (not in an Abort).
    pub components: Vec<ComponentRepr>,
    /// P-Abort cause (Abort without a dialogue portion).
    pub p_abort_cause: Option<u8>,
}

impl TcapRepr {
    /// A Begin with an AARQ for MAP `(ac, version)` and one Invoke.
    pub fn begin_invoke(
        otid: u32,
        (ac, version): (u8, u8),
        invoke_id: i64,
        opcode: i64,
        parameter: Vec<u8>,
    ) -> TcapRepr {
        TcapRepr {
            msg_type: MessageType::BEGIN,
            otid: Some(otid),
            dtid: None,
            dialogue: Some(DialogueRepr::Aarq(AcnRepr::Map { ac, version })),
            components: vec![ComponentRepr::Invoke {
                invoke_id,
                opcode,
                parameter,
            }],
            p_abort_cause: None,
        }
    }

    /// An End with an accepted AARE for MAP `(ac, version)` and one ReturnResultLast.
    pub fn end_result(
        dtid: u32,
        (ac, version): (u8, u8),
        invoke_id: i64,
        opcode: i64,
        result: Vec<u8>,
    ) -> TcapRepr {
        TcapRepr {
            msg_type: MessageType::END,
            otid: None,
            dtid: Some(dtid),
            dialogue: Some(DialogueRepr::Aare {
                acn: AcnRepr::Map { ac, version },
                result: 0,
                diagnostic: 0,
            }),
            components: vec![ComponentRepr::ReturnResultLast {
                invoke_id,
                result: Some((opcode, result)),
            }],
            p_abort_cause: None,
        }
    }

    /// Append the message to `out`.
    pub fn emit_into(&self, out: &mut Vec<u8>) {
        let mut body = Vec::new();
        if let Some(otid) = self.otid {
            write_tlv(&mut body, app(TAG_OTID, false), &otid.to_be_bytes());
        }
        if let Some(dtid) = self.dtid {
            write_tlv(&mut body, app(TAG_DTID, false), &dtid.to_be_bytes());
        }
        if let Some(cause) = self.p_abort_cause {
            write_tlv(&mut body, app(TAG_P_ABORT, false), &[cause]);
        }
        if let Some(d) = &self.dialogue {
            d.emit(&mut body);
        }
        if !self.components.is_empty() {
            let mut comps = Vec::new();
            for c in &self.components {
                c.emit(&mut comps);
            }
            write_tlv(&mut body, app(TAG_COMPONENTS, true), &comps);
        }
        write_tlv(out, app(u32::from(self.msg_type.0), true), &body);
    }

    /// The message's bytes.
    pub fn emit(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.emit_into(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::{Code, ComponentKind};
    use crate::dialogue::DialoguePduKind;
    use crate::message::Message;
    use proptest::prelude::*;
    use sigscope_core::Anomalies;

    fn param() -> Vec<u8> {
        let mut p = Vec::new();
        write_tlv(&mut p, Tag::SEQUENCE, &[0x80, 0x01, 0xaa]);
        p
    }

    #[test]
    fn begin_round_trip() {
        let bytes = TcapRepr::begin_invoke(0x0a0b_0c0d, (20, 3), 1, 45, param()).emit();
        let mut an = Anomalies::default();
        let m = Message::decode(&bytes, &mut an).unwrap();
        assert_eq!(m.msg_type, MessageType::BEGIN);
        assert_eq!(m.otid.unwrap().value(), 0x0a0b_0c0d);
        let d = m.dialogue(&mut an).unwrap();
        assert_eq!(d.kind, DialoguePduKind::Aarq);
        assert_eq!(d.acn.unwrap().0, &[4, 0, 0, 1, 0, 20, 3]);
        let c: Vec<_> = m.components().map(|c| c.unwrap()).collect();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, ComponentKind::Invoke);
        assert_eq!(c[0].invoke_id, Some(1));
        assert_eq!(c[0].opcode, Some(Code::Local(45)));
        assert_eq!(c[0].parameter.unwrap().total_len(), param().len());
        assert!(an.is_empty(), "{an:?}");
    }

    #[test]
    fn end_continue_abort_round_trip() {
        let bytes = TcapRepr::end_result(7, (29, 3), 1, 71, param()).emit();
        let mut an = Anomalies::default();
        let m = Message::decode(&bytes, &mut an).unwrap();
        assert_eq!(m.msg_type, MessageType::END);
        assert_eq!(m.dtid.unwrap().value(), 7);
        let d = m.dialogue(&mut an).unwrap();
        assert_eq!(d.kind, DialoguePduKind::Aare);
        assert_eq!(d.result, Some(0));
        let c: Vec<_> = m.components().map(|c| c.unwrap()).collect();
        assert_eq!(c[0].kind, ComponentKind::ReturnResultLast);
        assert!(an.is_empty(), "{an:?}");

        let cont = TcapRepr {
            msg_type: MessageType::CONTINUE,
            otid: Some(1),
            dtid: Some(2),
            dialogue: None,
            components: vec![ComponentRepr::ReturnError {
                invoke_id: 3,
                error_code: 27,
                parameter: Vec::new(),
            }],
            p_abort_cause: None,
        }
        .emit();
        let m = Message::decode(&cont, &mut an).unwrap();
        assert_eq!(m.msg_type, MessageType::CONTINUE);
        let c: Vec<_> = m.components().map(|c| c.unwrap()).collect();
        assert_eq!(c[0].kind, ComponentKind::ReturnError);
        assert_eq!(c[0].error_code, Some(Code::Local(27)));

        let abort = TcapRepr {
            msg_type: MessageType::ABORT,
            otid: None,
            dtid: Some(9),
            dialogue: None,
            components: Vec::new(),
            p_abort_cause: Some(1),
        }
        .emit();
        let m = Message::decode(&abort, &mut an).unwrap();
        assert_eq!(m.msg_type, MessageType::ABORT);
        assert_eq!(m.p_abort_cause.map(|c| c.0), Some(1));
        assert!(an.is_empty(), "{an:?}");
    }

    #[test]
    fn map_acn_content_from_its_arcs() {
        let sri = AcnRepr::Map { ac: 20, version: 3 }.oid_content();
        assert_eq!(sri, [&MAP_AC_PREFIX[..], &[20, 3]].concat());
        // an arc of 128 or more is two base-128 octets
        let high = AcnRepr::Map {
            ac: 200,
            version: 1,
        }
        .oid_content();
        assert_eq!(high, [&MAP_AC_PREFIX[..], &[0x81, 0x48, 1]].concat());
        assert_eq!(
            sigscope_core::ber::oid_to_string(&high).unwrap().as_str(),
            "0.4.0.0.1.0.200.1"
        );
    }

    #[test]
    fn acn_as_oid_content_and_unidirectional() {
        let oid = vec![0x04, 0x00, 0x00, 0x01, 0x00, 0x13, 0x02];
        let bytes = TcapRepr {
            msg_type: MessageType::UNIDIRECTIONAL,
            otid: None,
            dtid: None,
            dialogue: Some(DialogueRepr::Aarq(AcnRepr::Oid(oid.clone()))),
            components: vec![ComponentRepr::Invoke {
                invoke_id: -5,
                opcode: 300,
                parameter: Vec::new(),
            }],
            p_abort_cause: None,
        }
        .emit();
        let mut an = Anomalies::default();
        let m = Message::decode(&bytes, &mut an).unwrap();
        assert_eq!(m.msg_type, MessageType::UNIDIRECTIONAL);
        assert_eq!(m.dialogue(&mut an).unwrap().acn.unwrap().0, oid.as_slice());
        let c: Vec<_> = m.components().map(|c| c.unwrap()).collect();
        assert_eq!(c[0].invoke_id, Some(-5));
        assert_eq!(c[0].opcode, Some(Code::Local(300)));
        assert!(c[0].parameter.is_none());
    }

    proptest! {
        #[test]
        fn invoke_round_trip(otid in any::<u32>(), id in -128i64..128, op in 0i64..1000,
                             ac in 1u8..60, ver in 1u8..4,
                             body in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut p = Vec::new();
            write_tlv(&mut p, Tag::OCTET_STRING, &body);
            let bytes = TcapRepr::begin_invoke(otid, (ac, ver), id, op, p.clone()).emit();
            let mut an = Anomalies::default();
            let m = Message::decode(&bytes, &mut an).unwrap();
            prop_assert_eq!(m.otid.unwrap().value(), otid);
            let c: Vec<_> = m.components().map(|c| c.unwrap()).collect();
            prop_assert_eq!(c[0].invoke_id, Some(id));
            prop_assert_eq!(c[0].opcode, Some(Code::Local(op)));
            prop_assert_eq!(c[0].parameter.unwrap().value, body.as_slice());
            let d = m.dialogue(&mut an).unwrap();
            let want = AcnRepr::Map { ac, version: ver }.oid_content();
            prop_assert_eq!(d.acn.unwrap().0, want.as_slice());
        }
    }
}
