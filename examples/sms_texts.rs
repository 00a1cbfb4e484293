//! Print the SMS texts of a capture: every MAP component carrying an SMS TPDU whose user data
//! is text, with its frame, operation, TPDU kind and address.
//! Run: `cargo run --example sms_texts -- capture.pcap` (the demo capture when none given).

use std::path::Path;

use sigscope::capture::Reader;
use sigscope::decode::{Decoder, Message, Options};

fn print_sms(m: &Message<'_>) {
    for e in m.map {
        let Some(tpdu) = &e.sms else { continue };
        let Some(text) = tpdu.text() else { continue };
        let address = tpdu.address.as_ref().map(|a| a.text().to_string());
        println!(
            "frame {:>6}  {:<22} {:<14} {:<16} {text:?}",
            m.frame,
            e.operation().unwrap_or("?"),
            tpdu.kind.as_str(),
            address.as_deref().unwrap_or("-"),
        );
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "testdata/demo.pcap".into());
    let mut reader = Reader::open(Path::new(&path))?;
    let mut decoder = Decoder::new(Options::default());
    while let Some(packet) = reader.next_packet()? {
        decoder.packet(&packet, &mut print_sms);
    }
    decoder.finish(&mut print_sms);
    Ok(())
}
