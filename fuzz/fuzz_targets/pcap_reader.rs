//! pcap/pcapng reading, streaming and in-memory.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_capture::{Reader, SliceReader};

fuzz_target!(|data: &[u8]| {
    if let Ok(mut r) = SliceReader::new(data) {
        while let Ok(Some(_)) = r.next_packet() {}
    }
    if let Ok(mut r) = Reader::new(Box::new(std::io::Cursor::new(data.to_vec()))) {
        while let Ok(Some(_)) = r.next_packet() {}
    }
});
