//! The MAP dialogue PDU (TS 29.002 clause 17.4, `MAP-DialoguePDU`) carried in the TCAP
//! dialogue portion's user information under the abstract syntax `map-DialogueAS`
//! (0.4.0.0.1.1.1.1): MAP-OPEN with its destination / origination references, ACCEPT,
//! CLOSE, REFUSE, USER-ABORT and PROVIDER-ABORT.

use sigscope_core::ber::{read_tlv, Class, Tag, TlvIter};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use crate::ops::MAP_DIALOGUE_AS;
use crate::types::AddressString;

/// MAP dialogue PDU kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum MapDialogueKind {
    /// map-open [0].
    Open,
    /// map-accept [1].
    Accept,
    /// map-close [2].
    Close,
    /// map-refuse [3].
    Refuse,
    /// map-userAbort [4].
    UserAbort,
    /// map-providerAbort [5].
    ProviderAbort,
    /// Another tag.
    Other(u32),
}

impl MapDialogueKind {
    /// Record name.
    pub const fn as_str(self) -> &'static str {
        match self {
            MapDialogueKind::Open => "map_open",
            MapDialogueKind::Accept => "map_accept",
            MapDialogueKind::Close => "map_close",
            MapDialogueKind::Refuse => "map_refuse",
            MapDialogueKind::UserAbort => "map_user_abort",
            MapDialogueKind::ProviderAbort => "map_provider_abort",
            MapDialogueKind::Other(_) => "other",
        }
    }
}

/// A decoded MAP dialogue PDU, borrowed. Offsets are within the user information.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MapDialogue<'a> {
    /// Kind.
    pub kind: MapDialogueKind,
    /// MAP-OPEN destinationReference (often an IMSI coded as an AddressString).
    pub destination_reference: Option<AddressString<'a>>,
    /// MAP-OPEN originationReference.
    pub origination_reference: Option<AddressString<'a>>,
    /// MAP-REFUSE reason / MAP-PROVIDER-ABORT reason / user abort choice number.
    pub reason: Option<u8>,
    /// An extension container is present.
    pub extension: bool,
}

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Map, code, offset, detail)
}

impl<'a> MapDialogue<'a> {
    /// Decode the TCAP `user-information` contents (a sequence of EXTERNAL); the first
    /// EXTERNAL whose direct-reference is map-DialogueAS is decoded. `None` when there is none.
    pub fn decode(user_info: &'a [u8], anomalies: &mut Anomalies) -> Option<MapDialogue<'a>> {
        for r in TlvIter::new(user_info) {
            let (off, ext) = match r {
                Ok(x) => x,
                Err(e) => {
                    anomalies.push(anom(
                        AnomalyCode::DialogueUserInfoInvalid,
                        e.offset(),
                        "user information breaks BER",
                    ));
                    return None;
                }
            };
            if ext.tag != Tag::EXTERNAL {
                continue;
            }
            let mut is_map = false;
            let mut pdu = None;
            for k in ext.children_at(off + ext.header_len) {
                let k = match k {
                    Ok(k) => k,
                    Err(e) => {
                        anomalies.push(anom(
                            AnomalyCode::DialogueUserInfoInvalid,
                            e.offset(),
                            "user information EXTERNAL breaks BER",
                        ));
                        break;
                    }
                };
                if k.1.tag == Tag::OID {
                    is_map = k.1.value == MAP_DIALOGUE_AS;
                } else if k.1.tag == Tag::ctx_cons(0) {
                    pdu = Some(k);
                }
            }
            if !is_map {
                continue;
            }
            let (poff, p) = pdu?;
            let Ok((choice, _)) = read_tlv(p.value) else {
                anomalies.push(anom(
                    AnomalyCode::DialogueUserInfoInvalid,
                    poff,
                    "MAP dialogue PDU breaks BER",
                ));
                return None;
            };
            let coff = poff + p.header_len;
            let kind = match (choice.tag.class, choice.tag.number) {
                (Class::Context, 0) => MapDialogueKind::Open,
                (Class::Context, 1) => MapDialogueKind::Accept,
                (Class::Context, 2) => MapDialogueKind::Close,
                (Class::Context, 3) => MapDialogueKind::Refuse,
                (Class::Context, 4) => MapDialogueKind::UserAbort,
                (Class::Context, 5) => MapDialogueKind::ProviderAbort,
                (_, n) => MapDialogueKind::Other(n),
            };
            let mut m = MapDialogue {
                kind,
                destination_reference: None,
                origination_reference: None,
                reason: None,
                extension: false,
            };
            if !choice.tag.constructed {
                // X.690 8.1.3.2: a primitive value always has a definite length
                if choice.indefinite {
                    anomalies.push(anom(
                        AnomalyCode::DialogueUserInfoInvalid,
                        coff,
                        "MAP dialogue PDU: indefinite length on a primitive",
                    ));
                }
                return Some(m);
            }
            for r in choice.children_at(coff + choice.header_len) {
                let Ok((o, t)) = r else {
                    anomalies.push(anom(
                        AnomalyCode::DialogueUserInfoInvalid,
                        coff,
                        "MAP dialogue PDU breaks BER",
                    ));
                    break;
                };
                let addr = AddressString {
                    raw: t.value,
                    offset: o + t.header_len,
                };
                match (kind, t.tag.class, t.tag.number) {
                    (MapDialogueKind::Open, Class::Context, 0) => {
                        m.destination_reference = Some(addr)
                    }
                    (MapDialogueKind::Open, Class::Context, 1) => {
                        m.origination_reference = Some(addr)
                    }
                    (MapDialogueKind::UserAbort, Class::Context, n) => {
                        m.reason = Some(n.min(255) as u8)
                    }
                    (_, Class::Universal, 10) => m.reason = t.value.first().copied(),
                    (_, Class::Universal, 16) => m.extension = true,
                    _ => {}
                }
            }
            return Some(m);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len() / 2)
            .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
            .collect()
    }

    #[test]
    fn map_open_from_capture() {
        // CAP.pcap frame 9: contents of the AARQ's user-information [30] (tshark -x);
        // it carries two elements beyond MAP-OpenInfo's definition ([2], [3])
        let ui = hex(concat!(
            "2832060704000001010101a027a025800824020301803988f28107916998051020f9",
            "82079169981530 56f78307916998051050f1"
        ));
        let mut an = Anomalies::new();
        let m = MapDialogue::decode(&ui, &mut an).unwrap();
        assert_eq!(m.kind, MapDialogueKind::Open);
        assert_eq!(
            m.destination_reference.unwrap().digits().as_str(),
            "2030100893882"
        );
        assert_eq!(
            m.origination_reference.unwrap().digits().as_str(),
            "96895001029"
        );
    }
}
