//! Embed the Decoder and the Engine, and add a detector of your own over `&Message`: here,
//! MAP operations whose calling global title is not on the operator's list of partners.
//! Your alerts and the Engine's go out side by side.
//! Run: `cargo run --example custom_detector -- capture.pcap` (the demo capture when none given).

use std::path::Path;

use sigscope::capture::Reader;
use sigscope::decode::{Decoder, Message, Options};
use sigscope::rules::{Engine, Policy};

/// Global-title prefixes of the roaming partners this operator expects MAP from.
const PARTNER_PREFIXES: &[&str] = &["4477", "4915", "3361"];

/// The detector: the calling GT and operation of a MAP invoke from a GT no partner owns.
fn unknown_partner(m: &Message<'_>) -> Option<(String, &'static str)> {
    let calling = m.sccp?.calling.as_ref()?.digits_str()?;
    let op = m.map.iter().find_map(|e| e.operation())?;
    let known = PARTNER_PREFIXES.iter().any(|p| calling.starts_with(p));
    (!known).then(|| (calling.to_string(), op))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "testdata/demo.pcap".into());
    let policy = Policy::from_toml(&std::fs::read_to_string("testdata/demo-policy.toml")?)?;
    let mut reader = Reader::open(Path::new(&path))?;
    let mut decoder = Decoder::new(Options::default());
    let mut engine = Engine::new(policy);
    let mut each = |m: &Message<'_>| {
        engine.observe(m, &mut |a| {
            println!(
                "frame {:>5}  engine  {} {}",
                a.frame,
                a.sig.id(),
                a.sig.name()
            );
        });
        if let Some((gt, op)) = unknown_partner(m) {
            println!(
                "frame {:>5}  custom  {op} from unknown partner GT {gt}",
                m.frame
            );
        }
    };
    while let Some(packet) = reader.next_packet()? {
        decoder.packet(&packet, &mut each);
    }
    decoder.finish(&mut each);
    Ok(())
}
