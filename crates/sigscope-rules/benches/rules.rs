//! The engine over decode records: a mix of MAP, GTP-C and GTP-U records shaped like the
//! demo capture's. Reported as records per second (one core).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};
use sigscope_rules::{Engine, Policy};

fn records() -> Vec<Value> {
    let mut v = Vec::new();
    for i in 0..300u64 {
        let ts = 1_764_000_000.0 + i as f64 * 0.37;
        v.push(json!({"frame": i * 3 + 1, "ts": ts, "src": "192.0.2.10", "dst": "192.0.2.20", "sport": 2905, "dport": 2905,
            "sccp": {"called": {"gt": {"digits": "447700900123", "country": "GB"}, "ssn": 6}, "calling": {"gt": {"digits": format!("4477009{:05}", i % 50), "country": "GB"}, "ssn": 8}, "data_len": 73},
            "tcap": {"type": "begin", "otid": "0a0b0c0d"},
            "map": [{"kind": "invoke", "opcode": 45, "operation": "sendRoutingInfoForSM", "msisdn": "447700900123",
                     "ussd": {"text": "*100#"}, "sms": {"text": "Your code is 4821"}}]}));
        v.push(json!({"frame": i * 3 + 2, "ts": ts + 0.1, "src": "203.0.113.5", "dst": "203.0.113.9", "sport": 2123, "dport": 2123,
            "gtp": {"protocol": "gtpv2", "version": 2, "type": 32, "name": "create_session_request", "length": 96, "imsi": "234150123456789",
                    "ies": [{"type": 1, "len": 8}, {"type": 93, "len": 31, "ies": [{"type": 73, "len": 1}]}, {"type": 255, "len": 6, "value": {"enterprise": 10415, "hex": "01020304"}}]}}));
        v.push(json!({"frame": i * 3 + 3, "ts": ts + 0.2, "src": "203.0.113.5", "dst": "203.0.113.9", "sport": 2152, "dport": 2152,
            "gtp": {"protocol": "gtpv1", "version": 1, "type": 255, "name": "g_pdu", "length": 40, "teid": 4097}}));
    }
    v
}

fn bench(c: &mut Criterion) {
    let recs = records();
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(recs.len() as u64));
    g.bench_function("engine_observe_mixed", |b| {
        let mut e = Engine::new(Policy::default());
        b.iter(|| {
            let mut n = 0usize;
            for r in &recs {
                e.observe(r, &mut |_| n += 1);
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
