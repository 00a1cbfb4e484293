//! Fuzz the SCCP message decoder, address / global title decoding in every point-code format,
//! the optional-part iterator and the SCMG decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_sccp::{Message, PcFormat, Scmg};

fuzz_target!(|data: &[u8]| {
    let (fmt, data) = match data.split_first() {
        Some((f, rest)) => (
            [
                PcFormat::Itu14,
                PcFormat::Ansi24,
                PcFormat::Chinese24,
                PcFormat::Japan16,
            ][usize::from(f & 3)],
            rest,
        ),
        None => (PcFormat::Itu14, data),
    };
    let mut a = Anomalies::new();
    if let Ok(m) = Message::decode(data, &mut a) {
        for addr in [
            m.called_address(fmt, &mut a),
            m.calling_address(fmt, &mut a),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(gt) = addr.gt {
                let _ = gt.digits();
                let _ = gt.country();
            }
        }
        for p in m.optional_params() {
            let _ = p;
        }
        let _ = Scmg::parse(m.user_data(), fmt);
    }
    let _ = Message::from_slice(data);
});
