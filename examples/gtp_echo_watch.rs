//! Watch GTP Echo traffic: per peer pair, requests and responses, the intervals between
//! requests, and the Recovery counters each end announced (a change: that node restarted).
//! Run: `cargo run --example gtp_echo_watch -- capture.pcap` (the demo capture when none given).

use sigscope::capture::Reader;
use sigscope::decode::{Decoder, Message, Options};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

#[derive(Default)]
struct Pair {
    request_times_ns: Vec<u64>,
    responses: u64,
    recovery: BTreeMap<IpAddr, Vec<u8>>,
}

fn observe(pairs: &mut BTreeMap<(IpAddr, IpAddr), Pair>, m: &Message<'_>) -> Option<()> {
    let (g, e) = (m.gtp?, m.endpoints?);
    let name = g.decoded.message.name()?;
    (name == "echo_request" || name == "echo_response").then_some(())?;
    let key = (e.src.min(e.dst), e.src.max(e.dst));
    let p = pairs.entry(key).or_default();
    match name {
        "echo_request" => p.request_times_ns.push(m.ts_nanos),
        _ => p.responses += 1,
    }
    let seen = p.recovery.entry(e.src).or_default();
    seen.push(g.summary.recovery?);
    seen.dedup(); // repeats left out: a change is a restart
    Some(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map_or("testdata/demo.pcap", String::as_str);
    let mut reader = Reader::open(Path::new(path))?;
    let mut decoder = Decoder::new(Options::default());
    let mut pairs = BTreeMap::new();
    while let Some(packet) = reader.next_packet()? {
        decoder.packet(&packet, &mut |m| _ = observe(&mut pairs, m));
    }
    for ((a, b), p) in &pairs {
        let t = &p.request_times_ns;
        let gaps: Vec<f64> = t
            .windows(2)
            .map(|w| w[1].saturating_sub(w[0]) as f64 / 1e9)
            .collect();
        let (req, resp) = (t.len(), p.responses);
        println!("{a} <-> {b}: {req} requests, {resp} responses, intervals {gaps:?} s");
        for (end, r) in &p.recovery {
            println!(
                "  {end} recovery {r:?}, {} restarts",
                r.len().saturating_sub(1)
            );
        }
    }
    Ok(())
}
