//! SCCP + TCAP decode per message, against the `sccp` 1.1.1 and `tcap` 3.0.0 crates from
//! crates.io on the same bytes (real UDT payloads of the shared captures, `corpus_udt.txt`).
//!
//! Before timing, counts heap allocations per message for each decoder (stats_alloc's
//! instrumented allocator) and how many messages each decoder rejects, and prints both.
//!
//! Run: `cargo bench -p sigscope-sccp --bench sccp_tcap -- --warm-up-time 1 --measurement-time 3`

use std::alloc::System;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_core::Anomalies;
use sigscope_sccp::{Message, PcFormat};
use sigscope_tcap::Tcap;
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

/// Counts allocations through stats_alloc's instrumented system allocator.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn corpus() -> Vec<Vec<u8>> {
    sigscope_sccp::testdata::corpus_udt()
}

/// Message, both addresses and their global titles; digits stay lazy (the BCD signals are
/// borrowed), as a consumer that only routes on SSN/GT fields would use it.
fn ours_sccp_lazy(m: &[u8], a: &mut Anomalies) -> usize {
    let Ok(msg) = Message::decode(m, a) else {
        return 0;
    };
    let mut n = msg.user_data().len();
    for addr in [
        msg.called_address(PcFormat::Itu14, a),
        msg.calling_address(PcFormat::Itu14, a),
    ]
    .into_iter()
    .flatten()
    {
        n += addr.ssn.map_or(0, |s| usize::from(s.0)) + addr.gt.map_or(0, |g| g.signals.len());
    }
    n
}

/// Message, both addresses and the GT digits decoded (what `sccp` 1.1.1 does eagerly).
fn ours_sccp(m: &[u8], a: &mut Anomalies) -> usize {
    let Ok(msg) = Message::decode(m, a) else {
        return 0;
    };
    let mut n = msg.user_data().len();
    for addr in [
        msg.called_address(PcFormat::Itu14, a),
        msg.calling_address(PcFormat::Itu14, a),
    ]
    .into_iter()
    .flatten()
    {
        n += addr.ssn.map_or(0, |s| usize::from(s.0));
        if let Some(gt) = addr.gt {
            n += gt.digits().len();
        }
    }
    n
}

fn ours_tcap(t: &[u8], a: &mut Anomalies) -> usize {
    let Ok(tc) = Tcap::decode(t, a) else { return 0 };
    let mut n = 0;
    if let Tcap::Itu(m) = &tc {
        n += m.otid.map_or(0, |x| x.len()) + m.dtid.map_or(0, |x| x.len());
        if let Some(d) = m.dialogue(a) {
            n += d.acn.map_or(0, |o| o.0.len());
        }
    }
    for c in tc.components().flatten() {
        n += c.local_opcode().unwrap_or(0) as usize + c.parameter.map_or(0, |p| p.value.len());
    }
    n
}

fn allocs_per<F: FnMut(&[u8]) -> bool>(msgs: &[&[u8]], mut f: F) -> (f64, usize) {
    let before = GLOBAL.stats().allocations;
    let mut failed = 0;
    for m in msgs {
        if !f(m) {
            failed += 1;
        }
    }
    let n = GLOBAL.stats().allocations - before;
    (n as f64 / msgs.len().max(1) as f64, failed)
}

fn bench(c: &mut Criterion) {
    let all = corpus();
    let sccp_msgs: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
    let tcap_msgs: Vec<&[u8]> = sccp_msgs
        .iter()
        .filter_map(|m| {
            let mut a = Anomalies::new();
            Message::decode(m, &mut a)
                .ok()
                .map(|x| x.user_data())
                .filter(|d| Tcap::looks_like(d))
        })
        .collect();
    let (a1, f1) = allocs_per(&sccp_msgs, |m| ours_sccp(m, &mut Anomalies::new()) > 0);
    let (a2, f2) = allocs_per(&sccp_msgs, |m| sccp::SccpMessage::decode(m).is_ok());
    let (a3, f3) = allocs_per(&tcap_msgs, |m| {
        let mut a = Anomalies::new();
        Tcap::decode(m, &mut a).is_ok() && a.is_empty()
    });
    let (a4, f4) = allocs_per(&tcap_msgs, |m| tcap::decode(m).is_ok());
    println!(
        "corpus: {} SCCP messages, {} TCAP messages",
        sccp_msgs.len(),
        tcap_msgs.len()
    );
    println!("sigscope-sccp: {a1:.2} allocations/message, {f1} rejected");
    println!("sccp 1.1.1:    {a2:.2} allocations/message, {f2} rejected");
    println!("sigscope-tcap: {a3:.2} allocations/message, {f3} with anomalies");
    println!("tcap 3.0.0:    {a4:.2} allocations/message, {f4} rejected");

    let mut g = c.benchmark_group("sccp_tcap");
    g.throughput(Throughput::Elements(sccp_msgs.len() as u64));
    // The anomaly list is the caller's: one per message in the record layer; here one per
    // batch (well-formed messages push nothing), so that the decoder itself is measured.
    g.bench_function("sccp/sigscope", |b| {
        b.iter(|| {
            let mut a = Anomalies::new();
            sccp_msgs
                .iter()
                .map(|m| ours_sccp(black_box(m), &mut a))
                .sum::<usize>()
        })
    });
    g.bench_function("sccp/sigscope-lazy-digits", |b| {
        b.iter(|| {
            let mut a = Anomalies::new();
            sccp_msgs
                .iter()
                .map(|m| ours_sccp_lazy(black_box(m), &mut a))
                .sum::<usize>()
        })
    });
    g.bench_function("sccp/sigscope+fresh-anomaly-list", |b| {
        b.iter(|| {
            sccp_msgs
                .iter()
                .map(|m| ours_sccp(black_box(m), &mut Anomalies::new()))
                .sum::<usize>()
        })
    });
    g.bench_function("sccp/sccp-1.1.1", |b| {
        b.iter(|| {
            sccp_msgs
                .iter()
                .filter(|m| sccp::SccpMessage::decode(black_box(m)).is_ok())
                .count()
        })
    });
    g.throughput(Throughput::Elements(tcap_msgs.len() as u64));
    g.bench_function("tcap/sigscope", |b| {
        b.iter(|| {
            let mut a = Anomalies::new();
            tcap_msgs
                .iter()
                .map(|m| ours_tcap(black_box(m), &mut a))
                .sum::<usize>()
        })
    });
    g.bench_function("tcap/tcap-3.0.0", |b| {
        b.iter(|| {
            tcap_msgs
                .iter()
                .filter(|m| tcap::decode(black_box(m)).is_ok())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
