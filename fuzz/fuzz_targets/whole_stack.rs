//! The whole stack on the typed path: capture bytes → Decoder (all per-capture state) →
//! typed messages → detection engine → every sink (JSON record, table row, stats, EVE); and a
//! second engine as a `--threads` worker runs one, learning from every other message
//! (`Engine::learn`) and observing the rest.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope::decode::Message;
use sigscope::record::{table, write_record, Decoder, Options};
use sigscope::rules::{Engine, Policy};
use sigscope::stats::Stats;
use sigscope_capture::{Packet, SliceReader};

const LINKTYPES: [u32; 6] = [1, 113, 140, 141, 228, 276];

struct Sinks {
    engine: Engine,
    /// A worker's engine: learns from every other message, observes the rest.
    worker: Engine,
    stats: Stats,
    buf: Vec<u8>,
}

impl Sinks {
    fn new() -> Self {
        // a policy that turns every check on
        let policy = Policy::from_toml(
            "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"44\"]\n[interconnect]\ngtp_peers=[\"10.0.0.0/8\"]\nallowed_countries=[\"GB\"]\n",
        )
        .unwrap_or_default();
        Sinks {
            worker: Engine::new(policy.clone()),
            engine: Engine::new(policy),
            stats: Stats::new(),
            buf: Vec::new(),
        }
    }

    fn take(&mut self, m: &Message<'_>) {
        self.buf.clear();
        write_record(&mut self.buf, m);
        // every record is valid JSON
        assert!(serde_json::from_slice::<serde_json::Value>(&self.buf).is_ok());
        std::hint::black_box(table::row(m));
        self.stats.add(m);
        let buf = &mut self.buf;
        let mut eve = |a: sigscope::rules::Alert| {
            buf.clear();
            sigscope::eve::write_alert(buf, &a, Some(m));
            assert!(serde_json::from_slice::<serde_json::Value>(buf).is_ok());
        };
        self.engine.observe(m, &mut eve);
        if m.frame % 2 == 0 {
            self.worker.learn(m, &mut eve);
        } else {
            self.worker.observe(m, &mut eve);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut dec = Decoder::new(Options::default());
    let mut s = Sinks::new();
    if let Ok(mut r) = SliceReader::new(data) {
        while let Ok(Some(p)) = r.next_packet() {
            dec.packet(&p, &mut |m| s.take(m));
        }
        dec.finish(&mut |m| s.take(m));
        std::hint::black_box(s.stats.lines());
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
        dec.packet(&pkt, &mut |m| s.take(m));
    }
    dec.finish(&mut |m| s.take(m));
    std::hint::black_box(s.stats.lines());
});
