//! Fuzz the operator rule language: any text is refused with errors or loads; whatever loads
//! prints back (`Display`) to text that parses to the same rule.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_rules::user::parser::{logical_rules, parse_rule};
use sigscope_rules::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let built = RuleSet::builder()
        .var("HOME_GTP", "[10.0.0.0/8,2001:db8::/32]")
        .var("PORTS", "[2123,2152]")
        .text("fuzz.rules", text)
        .build();
    let Ok(set) = built else { return };
    for (rule, _) in set.rules() {
        let printed = rule.to_string();
        let again = logical_rules(&printed);
        assert_eq!(again.len(), 1, "{printed}");
        let back = again.first().map(|r| parse_rule(r));
        match back {
            Some(Ok(p)) => assert_eq!(&p.rule, rule, "{printed}"),
            other => panic!("{printed}: {other:?}"),
        }
    }
});
