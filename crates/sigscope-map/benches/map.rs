//! MAP parameter decode of typical messages — SRI-SM, MT-ForwardSM with text (TPDU decoded
//! too), UpdateLocation, SendAuthenticationInfo, ProvideSubscriberInfo — by sigscope-map and,
//! in the same group, by the `gsm_map` crate from crates.io on the same bytes (pycrate-made
//! vectors, `tests/data/vectors_data.rs`).
//!
//! Run: `cargo bench -p sigscope-map --bench map -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gsm_map::operations::auth::SendAuthenticationInfoArg;
use gsm_map::operations::location::UpdateLocationArg;
use gsm_map::operations::mt_forward_sm::MtForwardSmArg;
use gsm_map::operations::sri_sm::RoutingInfoForSmArg;
use gsm_map::operations::subscriber_info::ProvideSubscriberInfoArg;
use sigscope_core::Anomalies;
use sigscope_map::{decode, Kind, OpCode};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// (name, opcode, BER) — from tests/data/vectors_data.rs (pycrate).
const MSGS: &[(&str, u8, &str)] = &[
    ("sri_sm", 45, "30158007914477000910328101ff820791447700099099"),
    ("mt_forward_sm", 44, "3034800800010121436587f9840791447700099099041d040c914477000910320000421020304050400be8329bfd06dddf7236190500"),
    ("update_location", 2, "3033040800010121436587f98107914477000950650407914477000950558a0401020304300fa00d300b06092a863a0089613a0100"),
    ("send_auth_info", 56, "300d800800010121436587f9020103"),
    ("provide_subscriber_info", 70, "3012800800010121436587f9a206800081008300"),
];

fn ours(op: u8, b: &[u8]) -> usize {
    let mut an = Anomalies::new();
    let p = decode(OpCode(op), Kind::Invoke, 3, b, &mut an);
    let mut n = p.addresses().count() + usize::from(p.imsi.is_some());
    if let Some(Ok(t)) = p.sms(&mut an) {
        // the TPDU fields (zero-copy); the text itself is rendered only on demand
        n += t.user_data.map_or(0, |u| u.septet_count());
    }
    n + an.len()
}

fn theirs(op: u8, b: &[u8]) -> bool {
    match op {
        45 => gsm_map::decode::<RoutingInfoForSmArg>(b).is_ok(),
        44 => gsm_map::decode::<MtForwardSmArg>(b).is_ok(),
        2 => gsm_map::decode::<UpdateLocationArg>(b).is_ok(),
        56 => gsm_map::decode::<SendAuthenticationInfoArg>(b).is_ok(),
        70 => gsm_map::decode::<ProvideSubscriberInfoArg>(b).is_ok(),
        _ => false,
    }
}

fn bench(c: &mut Criterion) {
    let msgs: Vec<(&str, u8, Vec<u8>)> = MSGS.iter().map(|(n, o, h)| (*n, *o, unhex(h))).collect();
    for (n, op, b) in &msgs {
        assert!(theirs(*op, b), "gsm_map rejects {n}");
    }
    let mut g = c.benchmark_group("map_decode");
    for (n, op, b) in &msgs {
        g.throughput(Throughput::Elements(1));
        g.bench_function(format!("sigscope/{n}"), |bn| {
            bn.iter(|| ours(*op, black_box(b)))
        });
        g.bench_function(format!("gsm_map/{n}"), |bn| {
            bn.iter(|| theirs(*op, black_box(b)))
        });
    }
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.bench_function("sigscope/mix", |bn| {
        bn.iter(|| {
            msgs.iter()
                .map(|(_, op, b)| ours(*op, black_box(b)))
                .sum::<usize>()
        })
    });
    g.bench_function("gsm_map/mix", |bn| {
        bn.iter(|| {
            msgs.iter()
                .filter(|(_, op, b)| theirs(*op, black_box(b)))
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
