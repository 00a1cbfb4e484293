//! The rule language's parser: every keyword, every error with its exact
//! `file:line:col: reason`, rule → text → rule round trips, and no panic on any text.

use proptest::prelude::*;
use sigscope_rules::user::ast::*;
use sigscope_rules::user::parser::{logical_rules, parse_rule};
use sigscope_rules::{RuleSet, RuleSetBuilder};

fn parse_one(text: &str) -> Rule {
    let rules = logical_rules(text);
    assert_eq!(rules.len(), 1, "{text}");
    parse_rule(&rules[0])
        .unwrap_or_else(|e| panic!("{text}: {}", e.reason))
        .rule
}

/// The options of `alert any any any -> any any (<opts> sid:1;)` but the sid.
fn opts(o: &str) -> Vec<Opt> {
    let mut r = parse_one(&format!("alert any any any -> any any ({o} sid:1;)")).options;
    assert_eq!(r.pop(), Some(Opt::Sid(1)));
    r
}

fn num(field: NumField, neg: bool, kind: NumKind) -> Opt {
    Opt::Field(
        Field::Num(field),
        Some(FieldValue::Num(NumMatch { neg, kind })),
    )
}

fn set(neg: bool, items: &[&str]) -> SetMatch {
    SetMatch {
        neg,
        items: items.iter().map(|s| s.to_string()).collect(),
    }
}

fn buf(b: Buffer) -> Opt {
    Opt::Field(Field::Buffer(b), None)
}

fn content(bytes: &[u8]) -> Content {
    Content {
        neg: false,
        bytes: bytes.to_vec(),
        nocase: false,
        startswith: false,
        endswith: false,
        depth: None,
        offset: None,
    }
}

/// The error of a one-file build, as printed.
fn error(text: &str) -> String {
    match RuleSet::builder().text("x.rules", text).build() {
        Ok(r) => panic!("loaded {} rules from {text:?}", r.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn header_parts() {
    let r =
        parse_one("pass gtpv2 [10.0.0.0/8,!10.1.0.0/16] [2123,3386] <> !$HOME_GTP 1024: (sid:5;)");
    assert_eq!(r.action, Action::Pass);
    assert_eq!(r.proto, Proto::Gtpv2);
    assert_eq!(
        r.src,
        Addr {
            neg: false,
            kind: AddrKind::List(vec![
                Addr {
                    neg: false,
                    kind: AddrKind::Net {
                        addr: "10.0.0.0".parse().unwrap(),
                        prefix: 8
                    }
                },
                Addr {
                    neg: true,
                    kind: AddrKind::Net {
                        addr: "10.1.0.0".parse().unwrap(),
                        prefix: 16
                    }
                },
            ])
        }
    );
    assert_eq!(
        r.sport,
        Port {
            neg: false,
            kind: PortKind::List(vec![
                Port {
                    neg: false,
                    kind: PortKind::Range(2123, 2123)
                },
                Port {
                    neg: false,
                    kind: PortKind::Range(3386, 3386)
                },
            ])
        }
    );
    assert_eq!(r.dir, Dir::Both);
    assert_eq!(
        r.dst,
        Addr {
            neg: true,
            kind: AddrKind::Var("HOME_GTP".into())
        }
    );
    assert_eq!(
        r.dport,
        Port {
            neg: false,
            kind: PortKind::Range(1024, 65535)
        }
    );
    for (p, name) in Proto::ALL {
        assert_eq!(
            parse_one(&format!("alert {name} any any -> any any (sid:1;)")).proto,
            p
        );
    }
    let v6 = parse_one("alert ip 2001:db8::/32 :1023 -> ::1 any (sid:1;)");
    assert_eq!(
        v6.src.kind,
        AddrKind::Net {
            addr: "2001:db8::".parse().unwrap(),
            prefix: 32
        }
    );
    assert_eq!(v6.sport.kind, PortKind::Range(0, 1023));
}

#[test]
fn meta_options() {
    assert_eq!(
        opts(
            r#"msg:"a \"quoted\" \; msg"; rev:3; gid:7; priority:1; classtype:attempted-recon; reference:url,example.org/x; metadata: mitre T1430, created_at 2026_01_01;"#
        ),
        [
            Opt::Msg("a \"quoted\" ; msg".into()),
            Opt::Rev(3),
            Opt::Gid(7),
            Opt::Priority(1),
            Opt::Classtype("attempted-recon".into()),
            Opt::Reference("url,example.org/x".into()),
            Opt::Metadata(vec![
                ("mitre".into(), "T1430".into()),
                ("created_at".into(), "2026_01_01".into())
            ]),
        ]
    );
}

#[test]
fn numeric_keywords_take_every_form() {
    use NumField::*;
    let cases: [(&str, NumField); 18] = [
        ("m3ua.opc", M3uaOpc),
        ("m3ua.dpc", M3uaDpc),
        ("m3ua.si", M3uaSi),
        ("m3ua.ni", M3uaNi),
        ("sccp.called.ssn", SccpCalledSsn),
        ("sccp.calling.ssn", SccpCallingSsn),
        ("map.opcode", MapOpcode),
        ("map.version", MapVersion),
        ("map.sms.dcs", MapSmsDcs),
        ("map.ussd.dcs", MapUssdDcs),
        ("gtp.version", GtpVersion),
        ("gtp.type", GtpType),
        ("gtp.teid", GtpTeid),
        ("gtp.seq", GtpSeq),
        ("gtpv1.type", Gtpv1Type),
        ("gtpv2.type", Gtpv2Type),
        ("gtpv1.ie", Gtpv1Ie),
        ("gtpv2.ie", Gtpv2Ie),
    ];
    for (kw, f) in cases {
        assert_eq!(
            opts(&format!("{kw}:3;")),
            [num(f, false, NumKind::In(vec![3]))],
            "{kw}"
        );
        assert_eq!(
            opts(&format!("{kw}:!3;")),
            [num(f, true, NumKind::In(vec![3]))]
        );
        assert_eq!(opts(&format!("{kw}:<3;")), [num(f, false, NumKind::Lt(3))]);
        assert_eq!(opts(&format!("{kw}:>3;")), [num(f, false, NumKind::Gt(3))]);
        assert_eq!(opts(&format!("{kw}:<=3;")), [num(f, false, NumKind::Le(3))]);
        assert_eq!(opts(&format!("{kw}:>=3;")), [num(f, false, NumKind::Ge(3))]);
        assert_eq!(
            opts(&format!("{kw}:1-3;")),
            [num(f, false, NumKind::Range(1, 3))]
        );
        assert_eq!(
            opts(&format!("{kw}:1,2, 3;")),
            [num(f, false, NumKind::In(vec![1, 2, 3]))]
        );
        assert_eq!(
            opts(&format!("{kw}:0x2;")),
            [num(f, false, NumKind::In(vec![2]))]
        );
    }
}

#[test]
fn buffers_and_their_operations() {
    use Buffer::*;
    for (kw, b) in [
        ("sccp.called.digits", SccpCalledDigits),
        ("sccp.calling.digits", SccpCallingDigits),
        ("sccp.data", SccpData),
        ("tcap.acn", TcapAcn),
        ("map.imsi", MapImsi),
        ("map.msisdn", MapMsisdn),
        ("map.ussd", MapUssd),
        ("map.sms.text", MapSmsText),
        ("gtp.imsi", GtpImsi),
        ("gtp.msisdn", GtpMsisdn),
        ("gtp.apn", GtpApn),
    ] {
        assert_eq!(
            opts(&format!("{kw}; prefix:\"882\",\"37259\";")),
            [buf(b), Opt::Prefix(set(false, &["882", "37259"]))],
            "{kw}"
        );
    }
    let mut c = content(b"4477");
    c.neg = true;
    c.startswith = true;
    assert_eq!(
        opts(r#"sccp.calling.digits; content:!"4477"; startswith;"#),
        [buf(SccpCallingDigits), Opt::Content(c)]
    );
    let mut c = content(b"AB\x00\xff;\"");
    c.nocase = true;
    c.endswith = true;
    c.offset = Some(2);
    c.depth = Some(10);
    assert_eq!(
        opts(r#"map.ussd; content:"AB|00 ff|\;\""; nocase; endswith; offset:2; depth:10;"#),
        [buf(MapUssd), Opt::Content(c)]
    );
    assert_eq!(
        opts(
            r#"map.sms.text; pcre:!"/^\d+\/x$/iU"; isdataat:!4,relative; byte_test:2,!>=,0x10,-1,relative,little;"#
        ),
        [
            buf(MapSmsText),
            Opt::Pcre(Pcre {
                neg: true,
                pattern: r"^\d+/x$".replace('/', r"\/"),
                flags: "iU".into()
            }),
            Opt::IsDataAt {
                neg: true,
                n: 4,
                relative: true
            },
            Opt::ByteTest(ByteTest {
                nbytes: 2,
                neg: true,
                op: ByteOp::Ge,
                value: 16,
                offset: -1,
                relative: true,
                little: true
            }),
        ]
    );
}

#[test]
fn word_address_and_state_keywords() {
    assert_eq!(
        opts("tcap.type:begin,END; sccp.calling.country:!gb,44; sccp.called.country:FR; map.imsi.plmn:23415,310410; gtp.imsi.plmn:!23415;"),
        [
            Opt::Field(Field::Name(NameField::TcapType), Some(FieldValue::Set(set(false, &["begin", "end"])))),
            Opt::Field(Field::Country(CountryField::SccpCalling), Some(FieldValue::Set(set(true, &["GB", "44"])))),
            Opt::Field(Field::Country(CountryField::SccpCalled), Some(FieldValue::Set(set(false, &["FR"])))),
            Opt::Field(Field::Plmn(PlmnField::MapImsi), Some(FieldValue::Set(set(false, &["23415", "310410"])))),
            Opt::Field(Field::Plmn(PlmnField::GtpImsi), Some(FieldValue::Set(set(true, &["23415"])))),
        ]
    );
    assert_eq!(
        opts("gtp.peer:![$HOME_GTP,192.0.2.1];"),
        [Opt::Field(
            Field::GtpPeer,
            Some(FieldValue::Addr(Addr {
                neg: true,
                kind: AddrKind::List(vec![
                    Addr {
                        neg: false,
                        kind: AddrKind::Var("HOME_GTP".into())
                    },
                    Addr {
                        neg: false,
                        kind: AddrKind::Net {
                            addr: "192.0.2.1".parse().unwrap(),
                            prefix: 32
                        }
                    },
                ])
            }))
        )]
    );
    assert_eq!(
        opts("threshold: type both, track by_dst, count 5, seconds 60;"),
        [Opt::Threshold(Threshold {
            kind: Some(ThresholdKind::Both),
            track: Track::ByDst,
            count: 5,
            seconds: 60
        })]
    );
    assert_eq!(
        opts("detection_filter: track by_src, count 3, seconds 10;"),
        [Opt::Threshold(Threshold {
            kind: None,
            track: Track::BySrc,
            count: 3,
            seconds: 10
        })]
    );
    for (t, k) in [
        ("limit", ThresholdKind::Limit),
        ("threshold", ThresholdKind::Threshold),
    ] {
        assert_eq!(
            opts(&format!(
                "threshold: type {t}, track by_rule, count 1, seconds 1;"
            )),
            [Opt::Threshold(Threshold {
                kind: Some(k),
                track: Track::ByRule,
                count: 1,
                seconds: 1
            })]
        );
    }
    // every field keyword of the table parses in some form
    for (name, f) in FIELDS {
        let o = match f {
            Field::Buffer(_) => format!("{name};"),
            Field::Num(_) => format!("{name}:1;"),
            Field::Name(_) => format!("{name}:begin;"),
            Field::Country(_) => format!("{name}:GB;"),
            Field::Plmn(_) => format!("{name}:23415;"),
            Field::GtpPeer => format!("{name}:any;"),
        };
        assert_eq!(opts(&o).len(), 1, "{name}");
    }
}

#[test]
fn continuations_and_comments() {
    let text = "# a comment\n\n  # indented comment\nalert map any any -> any any (msg:\"two \\\n   lines\"; \\\n   map.opcode:71; \\\n   sid:9;)\nalert gtp any any -> any any (sid:10;)\n";
    let rules = logical_rules(text);
    assert_eq!(rules.len(), 2);
    let p = parse_rule(&rules[0]).unwrap();
    assert_eq!(p.start.line, 4);
    assert_eq!(p.rule.options[0], Opt::Msg("two     lines".into()));
    assert_eq!(p.opts[2].line, 7, "positions point into the physical lines");
    assert_eq!(parse_rule(&rules[1]).unwrap().start.line, 8);
}

const ROUND_TRIP: &[&str] = &[
    r#"alert map any any -> any any (msg:"ATI from outside the home network"; map.opcode:71; sccp.calling.digits; content:!"447700"; startswith; sid:9000001; rev:1; priority:1; metadata: mitre T1430;)"#,
    r#"alert gtpv2 any any -> $HOME_GTP any (msg:"Echo with private extension"; gtpv2.type:1; gtpv2.ie:255; sid:9000002; rev:1;)"#,
    r#"pass sigtran [192.0.2.0/24,!192.0.2.7] [2905,1000:2000] <> ![2001:db8::1,$X] !2905 (sid:3; sccp.data; content:"|00 01|a\;b\\c\"d|7c|"; nocase; offset:1; depth:9; pcre:"/a;b\"c\/d\\\d/imsxU"; isdataat:3,relative; byte_test:4,!&,0xff,2,relative,little;)"#,
    r#"alert tcap any any -> any any (sid:4; tcap.type:!begin,end; tcap.acn; prefix:!"0.4.0.0.1"; threshold: type threshold, track by_both, count 2, seconds 30; classtype:x-y_z; reference:cve,2024-1; gid:3;)"#,
    r#"alert gtp any any -> any any (sid:5; gtp.peer:![$HOME,10.0.0.0/8]; gtp.version:<=2; gtp.teid:>=10; gtp.seq:1-9; gtpv1.ie:1,2,3; gtp.imsi.plmn:!23415; gtp.msisdn; content:"44"; detection_filter: track by_rule, count 1, seconds 1;)"#,
    r#"alert any any any -> any any (sid:6; sccp.calling.country:!GB,44; map.sms.text; content:"é"; endswith;)"#,
];

#[test]
fn rules_round_trip_through_their_text() {
    let examples = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/rules/example.rules"),
    )
    .unwrap();
    let mut all: Vec<Rule> = ROUND_TRIP.iter().map(|t| parse_one(t)).collect();
    for src in logical_rules(&examples) {
        all.push(parse_rule(&src).unwrap().rule);
    }
    assert!(all.len() > 25);
    for r in all {
        let text = r.to_string();
        let back = parse_one(&text);
        assert_eq!(back, r, "{text}");
        assert_eq!(back.to_string(), text);
    }
}

#[test]
fn every_error_names_file_line_column_and_reason() {
    let cases: &[(&str, &str)] = &[
        ("alert map any any -> any any (msg:\"x\"; map.foo:1; sid:1;)", "x.rules:1:40: unknown keyword \"map.foo\""),
        ("alert map any any -> any any (map.opcode:abc; sid:1;)", "x.rules:1:42: map.opcode needs a number, a range N-M, a comparison (<N, >N, <=N, >=N) or a list N,M (found \"abc\")"),
        ("alert map any any -> any any (map.opcode:300; sid:1;)", "x.rules:1:42: map.opcode: 300 is out of range (at most 255)"),
        ("alert map any any -> any any (map.imsi:1; sid:1;)", "x.rules:1:40: map.imsi is a sticky buffer and takes no value (write map.imsi; then content, pcre or prefix)"),
        ("alert map any any -> any any (sid:1;)\nalert map any any -> any any (sid:1;)", "x.rules:2:31: duplicate sid 1 (first at x.rules:1)"),
        ("alert map any any -> any any (msg:\"open; sid:1;)", "x.rules:1:35: unbalanced quotes"),
        ("alert map any any -> any any (msg:\"no sid\";)", "x.rules:1:1: rule has no sid"),
        ("alert map any any -> any any (sid:3002;)", "x.rules:1:31: sid 3002 is a built-in signature id"),
        ("alert map any any -> any any (content:\"x\"; sid:1;)", "x.rules:1:31: content needs a sticky buffer before it (such as sccp.calling.digits;)"),
        ("alert map any any -> any any (nocase; sid:1;)", "x.rules:1:31: nocase needs a content before it"),
        ("alert map any any -> $NOPE any (sid:1;)", "x.rules:1:22: unknown variable $NOPE"),
        ("alert map any any -> any any (map.ussd; pcre:\"/a(?=b)/\"; sid:1;)", "x.rules:1:41: pcre does not compile: error: look-around, including look-ahead and look-behind, is not supported"),
        ("alert map any any -> any any (map.ussd; pcre:\"/a/R\"; sid:1;)", "x.rules:1:46: pcre flag 'R' is not supported (supported: imsxU)"),
        ("drop map any any -> any any (sid:1;)", "x.rules:1:1: action \"drop\" is not supported (sigscope only observes: alert or pass)"),
        ("alert foo any any -> any any (sid:1;)", "x.rules:1:7: unknown protocol \"foo\" (expected one of any, ip, sigtran, ss7, m3ua, sccp, tcap, map, gtp, gtpv0, gtpv1, gtpv2, gtpu, gtpprime)"),
        ("alert map 10.0.0.300 any -> any any (sid:1;)", "x.rules:1:11: bad address \"10.0.0.300\" (expected any, an address, a CIDR block, $VAR or [list])"),
        ("alert map any 70000 -> any any (sid:1;)", "x.rules:1:15: bad port \"70000\" (expected any, N, N:M, $VAR or [list])"),
        ("alert map any any => any any (sid:1;)", "x.rules:1:19: expected -> or <> between the addresses, found \"=>\""),
        ("alert map any any -> any any sid:1;", "x.rules:1:30: expected ( after the header"),
        ("alert map any any -> any any (sid:1;", "x.rules:1:37: rule does not end with )"),
        ("alert map any any -> any any (sid:1; msg:\"x\")", "x.rules:1:38: option msg is not ended by ;"),
        ("alert gtpv2 any any -> any any (map.opcode:1; sid:1;)", "x.rules:1:33: map.opcode never matches protocol gtpv2"),
        ("alert map any any -> any any (sid:1; sid:2;)", "x.rules:1:38: sid given twice"),
        ("alert map any any -> any any (sid:0;)", "x.rules:1:35: sid needs a number (found \"0\")"),
        ("alert map any any -> any any (sccp.calling.country:GBR; sid:1;)", "x.rules:1:52: sccp.calling.country takes ISO 3166 country codes (GB) or E.164 country codes (44) (found \"GBR\")"),
        ("alert map any any -> any any (map.imsi.plmn:2341; sid:1;)", "x.rules:1:45: map.imsi.plmn takes PLMNs as MCC+MNC digits (23415) (found \"2341\")"),
        ("alert tcap any any -> any any (tcap.type:bogus; sid:1;)", "x.rules:1:42: tcap.type takes TCAP message types (begin, continue, end, abort, unidirectional, or ANSI package names) (found \"bogus\")"),
        ("alert map any any -> any any (threshold: type limit, count 1, seconds 60; sid:1;)", "x.rules:1:42: threshold needs track"),
        ("alert map any any -> any any (threshold: type sometimes, track by_src, count 1, seconds 6; sid:1;)", "x.rules:1:42: threshold: type must be limit, threshold or both (found \"sometimes\")"),
        ("alert map any any -> any any (map.ussd; content:\"|4|\"; sid:1;)", "x.rules:1:49: content: odd number of hex digits between |"),
        ("alert map any any -> any any (map.ussd; byte_test:9,=,1,0; sid:1;)", "x.rules:1:51: byte_test reads 1 to 8 octets"),
        ("alert map any any -> any any (map.ussd; byte_test:1,=,1,0,string,dec; sid:1;)", "x.rules:1:51: byte_test option \"string\" is not supported (use a numeric keyword or pcre over text)"),
        ("alert map any any -> any any (msg:71; sid:1;)", "x.rules:1:35: msg needs a quoted string"),
        ("alert map any any -> any any (priority:0; sid:1;)", "x.rules:1:40: priority needs a number (found \"0\")"),
        ("alert map any any -> any any (priority:256; sid:1;)", "x.rules:1:40: priority needs a number (found \"256\")"),
        ("alert map any any -> any any (msg:\"x\"; @; sid:1;)", "x.rules:1:40: expected a keyword, found '@'"),
        ("alert map any any -> any any (map.opcode 71; sid:1;)", "x.rules:1:42: expected : or ; after map.opcode"),
        ("alert map any any -> any any (\\\n  map.opcode:1-; \\\n  sid:1;)", "x.rules:2:14: map.opcode needs a number, a range N-M, a comparison (<N, >N, <=N, >=N) or a list N,M (found \"1-\")"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(text, want)| {
            let got = error(text);
            (got != *want).then(|| format!("{text}\n  got:  {got}\n  want: {want}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_bad_file_loads_nothing_and_reports_every_error() {
    let text = "alert map any any -> any any (map.opcode:71; sid:9000001;)\n\
                alert map any any -> any any (map.opcod:71; sid:9000002;)\n\
                alert map any any -> any any (sid:9000001;)\n";
    let e = RuleSet::builder()
        .text("x.rules", text)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.rules:2:31: unknown keyword \"map.opcod\"\nx.rules:3:31: duplicate sid 9000001 (first at x.rules:1)"
    );
    assert_eq!(e.count(), 2);
    // duplicates across files, and a file that cannot be read
    let e = RuleSetBuilder::default()
        .text("a.rules", "alert map any any -> any any (sid:9;)")
        .text("b.rules", "\n alert map any any -> any any (sid:9;)")
        .file(std::path::Path::new("/nonexistent/c.rules"))
        .build()
        .unwrap_err();
    let lines: Vec<String> = e.errors.iter().map(|x| x.to_string()).collect();
    assert_eq!(
        lines[0],
        "/nonexistent/c.rules:0:0: cannot read: No such file or directory (os error 2)"
    );
    assert_eq!(
        lines[1],
        "b.rules:2:32: duplicate sid 9 (first at a.rules:1)"
    );
    // sids are unique whatever the gid, and never a built-in id
    let e = RuleSet::builder()
        .text("a.rules", "alert map any any -> any any (sid:9;)\nalert map any any -> any any (sid:9; gid:2;)\nalert map any any -> any any (sid:1001; gid:5;)")
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "a.rules:2:31: duplicate sid 9 (first at a.rules:1)\na.rules:3:31: sid 1001 is a built-in signature id"
    );
}

#[test]
fn variables_come_from_the_builder_and_may_name_variables() {
    let r = RuleSet::builder()
        .var("$HOME", "[$A, 10.0.0.0/8]")
        .var("A", "192.0.2.1")
        .var("PORTS", "[2123,2152]")
        .text("v.rules", "alert gtp $HOME $PORTS -> !$HOME any (sid:1;)")
        .build()
        .unwrap();
    assert_eq!(r.len(), 1);
    let loop_ = RuleSet::builder()
        .var("A", "$B")
        .var("B", "$A")
        .text("v.rules", "alert gtp $A any -> any any (sid:1;)")
        .build()
        .unwrap_err();
    assert_eq!(
        loop_.to_string(),
        "v.rules:1:11: variables nested too deep (a loop?)"
    );
    let bad = RuleSet::builder()
        .var("A", "not-an-address")
        .text("v.rules", "alert gtp $A any -> any any (sid:1;)")
        .build()
        .unwrap_err();
    assert_eq!(
        bad.to_string(),
        "v.rules:1:11: variable $A: bad address \"not-an-address\" (expected any, an address, a CIDR block, $VAR or [list])"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any text: an error or rules, never a panic; what loads prints back to itself.
    #[test]
    fn parser_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        if let Ok(r) = RuleSet::builder().text("p.rules", &text).build() {
            for (rule, _) in r.rules() {
                prop_assert_eq!(&parse_one(&rule.to_string()), rule);
            }
        }
    }

    /// Rule-shaped text built from the language's own pieces.
    #[test]
    fn parser_never_panics_on_rule_shaped_text(
        parts in proptest::collection::vec(prop_oneof![
            Just("alert "), Just("pass "), Just("map "), Just("gtpv2 "), Just("any "), Just("-> "),
            Just("<> "), Just("[1.2.3.4/8,!$X] "), Just("("), Just(")"), Just("sid:9;"), Just("msg:\""),
            Just("\""), Just("\\"), Just("\n"), Just("#"), Just(";"), Just(":"), Just("!"), Just(","),
            Just("content:"), Just("map.imsi;"), Just("pcre:\"/(a|b)*/i\";"), Just("nocase;"),
            Just("depth:3;"), Just("byte_test:1,>,2,-3,relative;"), Just("isdataat:1,relative;"),
            Just("map.opcode:1-"), Just("threshold: type limit, track by_src, count 1, seconds 1;"),
            Just("|0"), Just("ff|"), Just("gtp.peer:!"), Just("prefix:\"1\",\"2\";"), Just("[")
        ], 0..40)
    ) {
        let text: String = parts.concat();
        let _ = RuleSet::builder().text("p.rules", &text).build();
    }
}
