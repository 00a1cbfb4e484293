//! The whole SS7 application chain per message: SCCP → TCAP (transaction, dialogue,
//! components) → typed MAP (every component's parameter), on the real SCCP UDT payloads of
//! the shared captures (crates/sigscope-sccp/benches/corpus_udt.txt, 94 messages, bytes
//! committed with their capture and frame). Reported as messages per second (one core).
//!
//! Reference from the MAP issue: the crates.io chain `sccp` → `tcap` → `gsm_map` runs at
//! ≈ 745 k messages/s on real-shaped MAP messages (25 allocations each).

#[path = "common/chain.rs"]
mod chain_fn;

use chain_fn::chain;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope::map;

fn corpus() -> Vec<Vec<u8>> {
    sigscope::sccp::testdata::corpus_udt()
}

fn bench(c: &mut Criterion) {
    let msgs = corpus();
    let mut view = map::MapParam::empty();
    let typed: usize = msgs.iter().map(|m| chain(m, &mut view)).sum();
    assert!(typed > 0, "corpus gives typed MAP parameters");
    let mut g = c.benchmark_group("sccp_tcap_map_chain");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.bench_function("sigscope", |b| {
        let mut view = map::MapParam::empty();
        b.iter(|| {
            msgs.iter()
                .map(|m| chain(std::hint::black_box(m), &mut view))
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
