//! Detection behind the decoder over real frames: a mix of MAP over M3UA
//! (sendRoutingInfoForSM), GTPv2-C (Create Session Request) and GTP-U (G-PDU), made with the
//! project's emitters (`tests/support`). Reported as messages per second (one core).
//!
//! - `decode_observe_mixed`: `Decoder::packet` + `Engine::observe` per frame, a fresh decoder
//!   and engine per pass (the state tables grow within the pass, as over a capture);
//! - `decode_only_mixed`: the decoder alone over the same frames, to read the engine's share.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_decode::{Decoder, Options};
use sigscope_rules::{Engine, Policy};
use support::{mixed, packet, Frame};

fn messages(frames: &[Frame]) -> u64 {
    let mut n = 0u64;
    support::decode(frames, &mut |_| n += 1);
    n
}

fn bench(c: &mut Criterion) {
    let frames = mixed(300, 1_764_000_000.0);
    let n = messages(&frames);
    assert_eq!(n, frames.len() as u64, "one message per frame");
    let policy = Policy::default();
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(n));
    g.bench_function("decode_observe_mixed", |b| {
        b.iter(|| {
            let mut d = Decoder::new(Options::default());
            let mut e = Engine::new(policy.clone());
            let mut alerts = 0usize;
            for (i, f) in frames.iter().enumerate() {
                d.packet(&packet(i as u64 + 1, f), &mut |m| {
                    e.observe(m, &mut |a| {
                        black_box(&a);
                        alerts += 1;
                    })
                });
            }
            alerts
        })
    });
    g.bench_function("decode_only_mixed", |b| {
        b.iter(|| {
            let mut d = Decoder::new(Options::default());
            let mut seen = 0usize;
            for (i, f) in frames.iter().enumerate() {
                d.packet(&packet(i as u64 + 1, f), &mut |m| {
                    black_box(m);
                    seen += 1;
                });
            }
            seen
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
