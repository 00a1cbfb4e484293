//! The whole stack: capture bytes → records (JSON), with all per-capture state.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope::record::{Decoder, Options};
use sigscope::rules::{Engine, Policy};
use sigscope_capture::{Packet, SliceReader};

const LINKTYPES: [u32; 6] = [1, 113, 140, 141, 228, 276];

fuzz_target!(|data: &[u8]| {
    let mut dec = Decoder::new(Options::default());
    // every record also goes through the detection engine (with a policy that turns every
    // check on)
    let policy = Policy::from_toml(
        "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"44\"]\n[interconnect]\ngtp_peers=[\"10.0.0.0/8\"]\nallowed_countries=[\"GB\"]\n",
    )
    .unwrap_or_default();
    let mut engine = Engine::new(policy);
    if let Ok(mut r) = SliceReader::new(data) {
        while let Ok(Some(p)) = r.next_packet() {
            dec.packet(&p, &mut |rec| {
                std::hint::black_box(rec.to_string());
                engine.observe(&rec, &mut |a| {
                    std::hint::black_box(a.to_eve(Some(&rec)));
                });
            });
        }
        dec.finish(&mut |rec| {
            std::hint::black_box(rec.to_string());
            engine.observe(&rec, &mut |a| {
                std::hint::black_box(a.to_eve(Some(&rec)));
            });
        });
        return;
    }
    // Not a capture: treat the input as frames of several link types.
    for (i, frame) in data.split(|b| *b == 0xfe).enumerate() {
        let Some((lt, rest)) = frame.split_first() else {
            continue;
        };
        let pkt = Packet {
            frame: i as u64 + 1,
            ts_nanos: i as u64,
            linktype: LINKTYPES[usize::from(*lt) % LINKTYPES.len()],
            data: rest,
            orig_len: rest.len() as u32,
            interface: 0,
        };
        dec.packet(&pkt, &mut |rec| {
            std::hint::black_box(rec.to_string());
            engine.observe(&rec, &mut |a| {
                std::hint::black_box(a.to_eve(Some(&rec)));
            });
        });
    }
    dec.finish(&mut |rec| {
        std::hint::black_box(rec.to_string());
        engine.observe(&rec, &mut |a| {
            std::hint::black_box(a.to_eve(Some(&rec)));
        });
    });
});
