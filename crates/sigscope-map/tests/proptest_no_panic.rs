//! Arbitrary bytes never panic any entry point, for every operation code, kind and version.

use proptest::prelude::*;
use sigscope_core::Anomalies;
use sigscope_map::sms::{Direction, Tpdu};
use sigscope_map::{decode, Kind, MapDialogue, OpCode, Ussd};

fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Invoke),
        Just(Kind::ReturnResult),
        Just(Kind::ReturnError)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn map_param_never_panics(op in 0u8..=130, kind in kinds(), v in 1u8..=4,
                              data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut an = Anomalies::new();
        let p = decode(OpCode(op), kind, v, &data, &mut an);
        let _ = p.addresses().count();
        let mut an2 = Anomalies::new();
        if let Some(Ok(t)) = p.sms(&mut an2) {
            let _ = t.text();
        }
        if let Some(u) = p.ussd { let _ = u.text(); }
    }

    /// Structured inputs: a SEQUENCE wrapping random context-tagged elements reaches deeper
    /// into the typed layouts than flat random bytes.
    #[test]
    fn map_param_structured(op in 0u8..=90, kind in kinds(), v in 1u8..=3,
                            elems in proptest::collection::vec(
                                (0u8..=31, any::<bool>(), proptest::collection::vec(any::<u8>(), 0..20)), 0..8)) {
        let mut body = Vec::new();
        for (tag, cons, val) in &elems {
            body.push(0x80 | if *cons { 0x20 } else { 0 } | tag);
            body.push(val.len() as u8);
            body.extend(val);
        }
        let mut data = vec![0x30, body.len() as u8];
        data.extend(body);
        let mut an = Anomalies::new();
        let _ = decode(OpCode(op), kind, v, &data, &mut an);
    }

    #[test]
    fn tpdu_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200), mo in any::<bool>()) {
        let mut an = Anomalies::new();
        let dir = if mo { Direction::FromMs } else { Direction::ToMs };
        if let Ok(t) = Tpdu::parse(&data, dir, &mut an) {
            let _ = t.text();
            if let Some(u) = t.user_data {
                let _ = u.concat();
                let _ = u.ports();
                let _ = u.ies().count();
            }
            if let Some(s) = t.scts { let _ = s.to_string(); }
            if let Some(v) = t.validity { let _ = v.seconds(); }
            if let Some(a) = t.address { let _ = a.text(); }
        }
    }

    #[test]
    fn ussd_and_dialogue_never_panic(dcs in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let u = Ussd { dcs: Some(dcs), string: &data, offset: 0 };
        let _ = u.text();
        let mut an = Anomalies::new();
        let _ = MapDialogue::decode(&data, &mut an);
    }
}
