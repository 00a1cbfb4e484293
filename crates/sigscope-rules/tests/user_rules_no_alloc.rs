//! Matching operator rules allocates nothing per message in the steady state: digit buffers
//! are the decoder's digits or `Digits` on the stack, text buffers (USSD, SMS, APN) are
//! rendered into scratch the rule set reuses, thresholds keep their table. Real-byte frames
//! (the demo capture and the emitters' mixed traffic) go through `RuleSet::evaluate` twice —
//! once to warm up, once counted by stats_alloc's instrumented allocator. (One test in this
//! binary: other threads would allocate.)

mod support;

use std::alloc::System;

use sigscope_capture::Reader;
use sigscope_decode::{Decoder, Message, Options};
use sigscope_rules::RuleSet;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn each_message(out: &mut dyn FnMut(&Message<'_>)) {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo.pcap");
    let mut reader = Reader::open(&demo).expect("demo capture");
    let mut dec = Decoder::new(Options::default());
    while let Ok(Some(pkt)) = reader.next_packet() {
        dec.packet(&pkt, out);
    }
    dec.finish(out);
    support::decode(&support::mixed(50, 1_764_000_000.0), out);
}

#[test]
fn evaluating_rules_allocates_nothing_per_message() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/rules/example.rules"),
    )
    .expect("example rules");
    let mut rules = RuleSet::builder()
        .var("HOME_GTP", "203.0.113.0/24")
        .var("HOME_SIGTRAN", "[192.0.2.10,192.0.2.20]")
        .text("example.rules", &text)
        .text(
            "more.rules",
            "alert map any any -> any any (map.sms.text; pcre:\"/code is [0-9]{4}/i\"; sid:9100001;)\n\
             alert gtp any any -> any any (gtp.apn; content:\"internet\"; sid:9100002;)\n\
             pass any any any -> any any (sccp.called.digits; prefix:\"999\"; sid:9100003;)\n\
             alert map any any -> any any (map.ussd; content:\"*100#\"; threshold: type both, track by_src, count 2, seconds 3600; sid:9100004;)",
        )
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut fired = 0usize;
    // warm-up: scratch buffers, candidate lists and threshold entries reach their size
    each_message(&mut |m| {
        rules.evaluate(m);
    });
    let mut allocations = 0usize;
    let mut messages = 0usize;
    each_message(&mut |m| {
        let region = Region::new(GLOBAL);
        rules.evaluate(m);
        let c = region.change();
        allocations += c.allocations + c.reallocations;
        messages += 1;
        // the hits of the message wait in the set; count them without building evidence
        rules.drain(m, &mut |_, _| fired += 1);
    });
    assert!(messages > 150);
    assert!(fired > 20, "the rules fire on these messages ({fired})");
    assert_eq!(
        allocations, 0,
        "allocations while matching {messages} messages"
    );
}
