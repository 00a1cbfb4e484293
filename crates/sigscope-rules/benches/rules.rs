//! Detection behind the decoder over real frames: a mix of MAP over M3UA
//! (sendRoutingInfoForSM), GTPv2-C (Create Session Request) and GTP-U (G-PDU), made with the
//! project's emitters (`tests/support`). Reported as messages per second (one core).
//!
//! - `decode_observe_mixed`: `Decoder::packet` + `Engine::observe` per frame, a fresh decoder
//!   and engine per pass (the state tables grow within the pass, as over a capture);
//! - `decode_only_mixed`: the decoder alone over the same frames, to read the engine's share;
//! - `detect_user_rules/N`: decode + observe with N operator rules loaded, one engine over
//!   every pass (steady state: warm rules and tables), a fresh decoder per pass
//!   ([`synthetic_rules`]: the mix an operator set has — rules keyed by MAP operation,
//!   by GTPv2 / GTPv1 message type, one in twenty by the called SSN).

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_decode::{Decoder, Options};
use sigscope_rules::{Engine, Policy, RuleSet};
use support::{mixed, packet, Frame};

fn messages(frames: &[Frame]) -> u64 {
    let mut n = 0u64;
    support::decode(frames, &mut |_| n += 1);
    n
}

/// `n` operator rules of the usual shapes; like an operator's set on its own traffic, they
/// rarely fire (the ones with a `pcre` on the MSISDN do, once per source and minute).
pub fn synthetic_rules(n: usize) -> RuleSet {
    let mut text = String::new();
    for i in 0..n {
        let sid = 9_000_000 + i;
        let rule = match i % 20 {
            // filed under the called SSN (the index's generic numeric-field table)
            0 => format!(
                "alert sccp any any -> any any (msg:\"r{i}\"; sccp.called.ssn:{}; sccp.calling.digits; prefix:\"49{i}\"; sid:{sid};)",
                i % 256
            ),
            1..=7 => format!(
                "alert map any any -> any any (msg:\"r{i}\"; map.opcode:{}; sccp.calling.digits; content:!\"4477009\"; startswith; sid:{sid};)",
                i % 90
            ),
            8..=13 => format!(
                "alert gtpv2 any any -> any any (msg:\"r{i}\"; gtpv2.type:{}; gtp.imsi; prefix:\"2620{}\"; sid:{sid};)",
                1 + i % 100,
                i % 10
            ),
            14..=16 => format!(
                "alert gtpv1 any any -> any any (msg:\"r{i}\"; gtpv1.type:{}; gtpv1.ie:{}; sid:{sid};)",
                1 + i % 60,
                i % 200
            ),
            _ => format!(
                "alert map any any -> any any (msg:\"r{i}\"; map.opcode:{}; map.msisdn; pcre:\"/^447700{}/\"; threshold: type limit, track by_src, count 1, seconds 60; sid:{sid};)",
                i % 90,
                i % 1000
            ),
        };
        text.push_str(&rule);
        text.push('\n');
    }
    RuleSet::builder()
        .text("synthetic.rules", &text)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
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
    for n in [0usize, 100, 1000] {
        let set = synthetic_rules(n);
        {
            let mut e = Engine::with_rules(policy.clone(), set.clone());
            // how many rules the index lets through per message, and how many fire
            let mut d = Decoder::new(Options::default());
            let mut alerts = 0u64;
            for (i, f) in frames.iter().enumerate() {
                d.packet(&packet(i as u64 + 1, f), &mut |m| {
                    e.observe(m, &mut |_| alerts += 1)
                });
            }
            let st = e.rules().map(|r| r.stats().clone()).unwrap_or_default();
            eprintln!(
                "{n} rules: {} evaluated over {} messages, {alerts} alerts",
                st.evaluated,
                frames.len()
            );
        }
        // one engine for every pass, as on a live link (its rules and tables stay warm); a
        // fresh decoder per pass
        let mut e = Engine::with_rules(policy.clone(), set);
        g.bench_function(format!("detect_user_rules/{n}"), |b| {
            b.iter(|| {
                let mut d = Decoder::new(Options::default());
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
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
