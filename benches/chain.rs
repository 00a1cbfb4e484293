//! The whole SS7 application chain per message: SCCP → TCAP (transaction, dialogue,
//! components) → typed MAP (every component's parameter), on the real SCCP UDT payloads of
//! the shared captures (crates/sigscope-sccp/benches/corpus_udt.txt, 94 messages, bytes
//! committed with their capture and frame). Reported as messages per second (one core).
//!
//! Reference from the MAP issue: the crates.io chain `sccp` → `tcap` → `gsm_map` runs at
//! ≈ 745 k messages/s on real-shaped MAP messages (25 allocations each).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope::core::Anomalies;
use sigscope::map::{self, OpCode};
use sigscope::sccp::Message as Sccp;
use sigscope::tcap::{Code, ComponentKind, Tcap};

fn corpus() -> Vec<Vec<u8>> {
    sigscope::sccp::testdata::corpus_udt()
}

/// Decode one SCCP payload down to typed MAP; returns how many MAP parameters were decoded.
fn chain<'c>(udt: &'c [u8], view: &mut map::MapParam<'c>) -> usize {
    let mut a = Anomalies::new();
    let Ok(s) = Sccp::decode(udt, &mut a) else {
        return 0;
    };
    let Ok(Tcap::Itu(t)) = Tcap::decode(s.user_data(), &mut a) else {
        return 0;
    };
    let version = t
        .dialogue(&mut a)
        .and_then(|d| d.acn)
        .map_or(Some(1), |oid| map::version_of(Some(oid.0)));
    let Some(version) = version else { return 0 };
    let mut n = 0;
    for c in t.components().flatten() {
        let kind = match c.kind {
            ComponentKind::Invoke | ComponentKind::InvokeNotLast => map::Kind::Invoke,
            ComponentKind::ReturnResultLast | ComponentKind::ReturnResultNotLast => {
                map::Kind::ReturnResult
            }
            ComponentKind::ReturnError => map::Kind::ReturnError,
            _ => continue,
        };
        let (Some(Code::Local(op)), Some(p)) = (c.opcode, c.parameter) else {
            continue;
        };
        let Some(op) = OpCode::from_local(op) else {
            continue;
        };
        map::decode_into(view, op, kind, version, p.raw, &mut a);
        std::hint::black_box(&*view);
        n += 1;
    }
    n
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
