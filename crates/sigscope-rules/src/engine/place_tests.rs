//! Unit tests of `Place` (a node's place packed in a word).

use super::*;

/// Every country the velocity detector can meet (an ISO code, else the E.164 country
/// code) fits a [`Place`] and reads back the same.
#[test]
fn every_country_fits_a_place() {
    let mut buf = [0u8; PLACE_OCTETS];
    for (_, c) in e164::prefixes() {
        let code = if c.iso.is_empty() { c.cc } else { c.iso };
        let p = Place::of(code).unwrap_or_else(|| panic!("{code} does not fit"));
        assert_eq!(p.text(&mut buf), code);
    }
    // places of different codes differ (length is part of the place)
    assert_ne!(Place::of("1"), Place::of("10"));
    assert_ne!(Place::of("DE"), Place::of("FR"));
    assert_eq!(
        Place::of("882")
            .map(|p| p.text(&mut buf).to_owned())
            .as_deref(),
        Some("882")
    );
    assert_eq!(Place::of("8821"), None);
    assert_eq!(Place::of("").map(|p| p.text(&mut buf).len()), Some(0));
}
