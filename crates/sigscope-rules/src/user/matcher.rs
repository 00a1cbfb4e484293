//! Compiled rules over one typed [`Message`]: the header, then each check, reading the
//! decoder's views directly. Digit buffers are the decoder's digits (or `Digits` on the
//! stack); text buffers (USSD, SMS, APN) are rendered into scratch buffers the rule set keeps
//! and reuses, so nothing is allocated per message in the steady state.

use sigscope_core::digits::Digits;
use sigscope_core::{e164, e212};
use sigscope_decode::{Message, Party};
use sigscope_gtp::Message as GtpMessage;
use sigscope_map::param::Role;
use sigscope_map::{MapEntry, SmRpDa, SmRpOa};
use sigscope_tcap::Tcap;

use super::ast::*;
use super::compile::{BufOp, Check, Compiled};

/// Reused text buffers.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    /// USSD / SMS text.
    pub text: String,
    /// APN.
    pub bytes: Vec<u8>,
}

/// Whether the message carries the rule's protocol.
pub fn proto_ok(p: Proto, m: &Message<'_>) -> bool {
    let gtp = m.gtp.map(|g| &g.decoded.message);
    match p {
        Proto::Any => true,
        Proto::Ip => m.endpoints.is_some(),
        Proto::Sigtran | Proto::Ss7 => {
            m.sctp.is_some() || m.adaptation.is_some() || m.mtp3.is_some() || m.sccp.is_some()
        }
        Proto::M3ua => m.m3ua().is_some(),
        Proto::Sccp => m.sccp.is_some(),
        Proto::Tcap => m.tcap.is_some(),
        Proto::Map => !m.map.is_empty(),
        Proto::Gtp => m.gtp.is_some(),
        Proto::Gtpv0 => matches!(gtp, Some(GtpMessage::V0(_))),
        Proto::Gtpv1 => {
            matches!(gtp, Some(GtpMessage::V1(_)))
                && m.gtp
                    .is_some_and(|g| g.plane != sigscope_gtp::matcher::Plane::User)
        }
        Proto::Gtpu => {
            matches!(gtp, Some(GtpMessage::V1(_)))
                && m.gtp
                    .is_some_and(|g| g.plane == sigscope_gtp::matcher::Plane::User)
        }
        Proto::Gtpv2 => matches!(gtp, Some(GtpMessage::V2(_))),
        Proto::GtpPrime => matches!(gtp, Some(GtpMessage::Prime(_))),
    }
}

fn header_ok(r: &Compiled, m: &Message<'_>) -> bool {
    if r.any_ends {
        return true;
    }
    let Some(e) = m.endpoints else { return false };
    let fwd = r.src.contains(e.src)
        && r.sport.contains(e.sport)
        && r.dst.contains(e.dst)
        && r.dport.contains(e.dport);
    fwd || (r.both
        && r.src.contains(e.dst)
        && r.sport.contains(e.dport)
        && r.dst.contains(e.src)
        && r.dport.contains(e.sport))
}

/// Whether rule `r` matches message `m`.
pub fn matches(r: &Compiled, m: &Message<'_>, s: &mut Scratch) -> bool {
    proto_ok(r.proto, m) && header_ok(r, m) && r.checks.iter().all(|c| check(c, m, s))
}

fn check(c: &Check, m: &Message<'_>, s: &mut Scratch) -> bool {
    match c {
        Check::Num(f, nm) => {
            let mut present = false;
            let mut hit = false;
            each_num(m, *f, &mut |v| {
                present = true;
                if nm.test(v) {
                    hit = true;
                }
                hit
            });
            if nm.neg {
                present && !hit
            } else {
                hit
            }
        }
        Check::Name(NameField::TcapType, set) => {
            let name = m.tcap.and_then(|t| match &t.tcap {
                Tcap::Itu(x) => x.msg_type.name(),
                Tcap::Ansi(x) => x.package.name(),
            });
            match name {
                Some(n) => set.items.iter().any(|i| i == n) != set.neg,
                None => false,
            }
        }
        Check::Country(f, set) => {
            let (calling, called) = m.parties();
            let p = match f {
                CountryField::SccpCalling => calling,
                CountryField::SccpCalled => called,
            };
            match p.and_then(country) {
                Some(c) => {
                    set.items
                        .iter()
                        .any(|i| i.eq_ignore_ascii_case(c.iso) || i == c.cc)
                        != set.neg
                }
                None => false,
            }
        }
        Check::Plmn(f, set) => {
            let mut present = false;
            let mut hit = false;
            let mut test = |d: &Digits| {
                present = true;
                if set.items.iter().any(|i| plmn_is(d.as_str(), i)) {
                    hit = true;
                }
            };
            match f {
                PlmnField::MapImsi => {
                    for e in m.map {
                        if let Some(d) = map_imsi(e) {
                            test(&d);
                        }
                    }
                }
                PlmnField::GtpImsi => {
                    if let Some(d) = m.gtp.and_then(|g| g.summary.imsi.as_ref()) {
                        test(d);
                    }
                }
            }
            if set.neg {
                present && !hit
            } else {
                hit
            }
        }
        Check::Peer(set) => match (m.gtp, m.endpoints) {
            (Some(_), Some(e)) => set.contains(e.src) || set.contains(e.dst),
            _ => false,
        },
        Check::Buf(b, ops) => each_buf(m, *b, s, &mut |buf| ops_match(buf, ops)),
    }
}

/// The E.164 country of a party's global title (the decoder's, else from the digits).
fn country(p: &Party<'_>) -> Option<e164::Country> {
    p.country.or_else(|| e164::country_of(p.digits_str()?))
}

/// Whether the IMSI's home network is `plmn` (MCC+MNC digits): by the E.212 table, else (a
/// network not in the table) by prefix.
fn plmn_is(imsi: &str, plmn: &str) -> bool {
    match e212::plmn_of(imsi) {
        Some(p) => {
            let (Some(mcc), Some(mnc)) = (plmn.get(..3), plmn.get(3..)) else {
                return false;
            };
            mcc.parse::<u16>().ok() == Some(p.mcc) && mnc == p.mnc
        }
        None => imsi.starts_with(plmn),
    }
}

fn map_imsi(e: &MapEntry<'_>) -> Option<Digits> {
    let p = e.param.as_ref()?;
    if let Some(i) = &p.imsi {
        return Some(i.digits());
    }
    match &p.sm_rp_da {
        Some(SmRpDa::Imsi(i)) => Some(i.digits()),
        _ => None,
    }
}

fn map_msisdn(e: &MapEntry<'_>) -> Option<Digits> {
    let p = e.param.as_ref()?;
    if let Some((_, a)) = p.addresses().find(|(r, _)| *r == Role::MSISDN) {
        return Some(a.digits());
    }
    match &p.sm_rp_oa {
        Some(SmRpOa::Msisdn(a)) => Some(a.digits()),
        _ => None,
    }
}

/// Hand every value of a numeric field to `f` until it returns true.
pub fn each_num(m: &Message<'_>, field: NumField, f: &mut dyn FnMut(u64) -> bool) {
    let gtp = m.gtp.map(|g| &g.decoded.message);
    let one = |v: Option<u64>, f: &mut dyn FnMut(u64) -> bool| {
        if let Some(v) = v {
            f(v);
        }
    };
    match field {
        NumField::M3uaOpc => one(m.mtp3.map(|l| u64::from(l.opc)), f),
        NumField::M3uaDpc => one(m.mtp3.map(|l| u64::from(l.dpc)), f),
        NumField::M3uaSi => one(m.mtp3.map(|l| u64::from(l.si)), f),
        NumField::M3uaNi => one(m.mtp3.map(|l| u64::from(l.ni)), f),
        NumField::SccpCalledSsn => one(
            m.parties().1.and_then(|p| p.ssn()).map(|s| u64::from(s.0)),
            f,
        ),
        NumField::SccpCallingSsn => one(
            m.parties().0.and_then(|p| p.ssn()).map(|s| u64::from(s.0)),
            f,
        ),
        NumField::MapOpcode => {
            for e in m.map {
                if let Some(op) = e.opcode.and_then(|o| u64::try_from(o).ok()) {
                    if f(op) {
                        return;
                    }
                }
            }
        }
        NumField::MapVersion => {
            for e in m.map {
                if f(u64::from(e.version)) {
                    return;
                }
            }
        }
        NumField::MapSmsDcs => {
            for e in m.map {
                if let Some(d) = e.sms.as_ref().and_then(|t| t.dcs) {
                    if f(u64::from(d.0)) {
                        return;
                    }
                }
            }
        }
        NumField::MapUssdDcs => {
            for e in m.map {
                if let Some(d) = e.param.as_ref().and_then(|p| p.ussd.as_ref()?.dcs) {
                    if f(u64::from(d)) {
                        return;
                    }
                }
            }
        }
        NumField::GtpVersion => one(gtp.map(|g| u64::from(g.version())), f),
        NumField::GtpType => one(gtp.map(|g| u64::from(g.message_type())), f),
        NumField::GtpTeid => one(gtp.and_then(|g| g.teid()).map(u64::from), f),
        NumField::GtpSeq => one(gtp.and_then(|g| g.sequence()).map(u64::from), f),
        NumField::Gtpv1Type => {
            if let Some(GtpMessage::V1(x)) = gtp {
                one(Some(u64::from(x.message_type().0)), f);
            }
        }
        NumField::Gtpv2Type => {
            if let Some(GtpMessage::V2(x)) = gtp {
                one(Some(u64::from(x.message_type().0)), f);
            }
        }
        NumField::Gtpv1Ie => {
            let it = match gtp {
                Some(GtpMessage::V1(x)) => x.ies(),
                Some(GtpMessage::V0(x)) => x.ies(),
                Some(GtpMessage::Prime(x)) => x.ies(),
                _ => return,
            };
            for ie in it.map_while(Result::ok) {
                if f(u64::from(ie.ie_type.0)) {
                    return;
                }
            }
        }
        NumField::Gtpv2Ie => {
            if let Some(GtpMessage::V2(x)) = gtp {
                for ie in x.ies().map_while(Result::ok) {
                    if f(u64::from(ie.ie_type.0)) {
                        return;
                    }
                }
            }
        }
    }
}

/// Hand every instance of a buffer to `f`; true as soon as one satisfies it.
pub fn each_buf(
    m: &Message<'_>,
    b: Buffer,
    s: &mut Scratch,
    f: &mut dyn FnMut(&[u8]) -> bool,
) -> bool {
    match b {
        Buffer::SccpCalledDigits => m
            .parties()
            .1
            .and_then(|p| p.digits_str())
            .is_some_and(|d| f(d.as_bytes())),
        Buffer::SccpCallingDigits => m
            .parties()
            .0
            .and_then(|p| p.digits_str())
            .is_some_and(|d| f(d.as_bytes())),
        Buffer::SccpData => m
            .sccp
            .and_then(|x| x.msg.data.as_ref())
            .is_some_and(|d| f(d.value)),
        Buffer::TcapAcn => m
            .tcap
            .and_then(|t| t.dialogue.as_ref()?.acn?.text())
            .is_some_and(|t| f(t.as_str().as_bytes())),
        Buffer::MapImsi => m
            .map
            .iter()
            .any(|e| map_imsi(e).is_some_and(|d| f(d.as_str().as_bytes()))),
        Buffer::MapMsisdn => m
            .map
            .iter()
            .any(|e| map_msisdn(e).is_some_and(|d| f(d.as_str().as_bytes()))),
        Buffer::MapUssd => m.map.iter().any(|e| {
            let Some(u) = e.param.as_ref().and_then(|p| p.ussd.as_ref()) else {
                return false;
            };
            s.text.clear();
            u.text_into(&mut s.text) && f(s.text.as_bytes())
        }),
        Buffer::MapSmsText => m.map.iter().any(|e| {
            let Some(u) = e.sms.as_ref().and_then(|t| t.user_data.as_ref()) else {
                return false;
            };
            s.text.clear();
            u.text_into(&mut s.text) && f(s.text.as_bytes())
        }),
        Buffer::GtpImsi => m
            .gtp
            .and_then(|g| g.summary.imsi.as_ref())
            .is_some_and(|d| f(d.as_str().as_bytes())),
        Buffer::GtpMsisdn => m
            .gtp
            .and_then(|g| g.summary.msisdn.as_ref())
            .is_some_and(|d| f(d.as_str().as_bytes())),
        Buffer::GtpApn => {
            let Some(apn) = m.gtp.and_then(|g| g.summary.apn.as_ref()) else {
                return false;
            };
            s.bytes.clear();
            for (i, l) in apn.iter().enumerate() {
                if i > 0 {
                    s.bytes.push(b'.');
                }
                s.bytes.extend_from_slice(l);
            }
            f(&s.bytes)
        }
    }
}

/// Whether one buffer instance satisfies every operation, in order (relative operations
/// start where the previous match ended).
pub fn ops_match(buf: &[u8], ops: &[BufOp]) -> bool {
    let mut cursor = 0usize;
    for op in ops {
        let ok = match op {
            BufOp::Content(c) => match find_content(buf, c) {
                Some(end) => {
                    if !c.neg {
                        cursor = end;
                    }
                    !c.neg
                }
                None => c.neg,
            },
            BufOp::Pcre { neg, re } => match re.find(buf) {
                Some(x) => {
                    if !*neg {
                        cursor = x.end();
                    }
                    !*neg
                }
                None => *neg,
            },
            BufOp::Prefix { neg, items } => items.iter().any(|p| buf.starts_with(p)) != *neg,
            BufOp::IsDataAt { neg, n, relative } => {
                let at = if *relative { cursor } else { 0 }.saturating_add(*n as usize);
                (at < buf.len()) != *neg
            }
            BufOp::ByteTest(b) => byte_test(buf, b, cursor),
        };
        if !ok {
            return false;
        }
    }
    true
}

fn eq_bytes(a: &[u8], b: &[u8], nocase: bool) -> bool {
    if nocase {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_ascii_lowercase() == *y)
    } else {
        a == b
    }
}

/// End of the first occurrence of the content within its window.
fn find_content(buf: &[u8], c: &Content) -> Option<usize> {
    let n = c.bytes.len();
    let start = c.offset.map_or(0, |o| o as usize);
    let end = match c.depth {
        Some(d) => start.saturating_add(d as usize).min(buf.len()),
        None => buf.len(),
    };
    let window = buf.get(start..end)?;
    if window.len() < n {
        return None;
    }
    if c.startswith {
        return eq_bytes(window.get(..n)?, &c.bytes, c.nocase).then_some(start + n);
    }
    if c.endswith {
        if end != buf.len() {
            return None;
        }
        let at = window.len() - n;
        return eq_bytes(window.get(at..)?, &c.bytes, c.nocase).then_some(end);
    }
    let first = *c.bytes.first()?;
    (0..=window.len() - n)
        .find(|&i| {
            window
                .get(i)
                .is_some_and(|b| (if c.nocase { b.to_ascii_lowercase() } else { *b }) == first)
                && window
                    .get(i..i + n)
                    .is_some_and(|w| eq_bytes(w, &c.bytes, c.nocase))
        })
        .map(|i| start + i + n)
}

fn byte_test(buf: &[u8], b: &ByteTest, cursor: usize) -> bool {
    let base = if b.relative { cursor as i64 } else { 0 };
    let Ok(at) = usize::try_from(base + b.offset) else {
        return false;
    };
    let Some(bytes) = buf.get(at..at + usize::from(b.nbytes)) else {
        return false;
    };
    let mut v = 0u64;
    if b.little {
        for x in bytes.iter().rev() {
            v = v << 8 | u64::from(*x);
        }
    } else {
        for x in bytes {
            v = v << 8 | u64::from(*x);
        }
    }
    let r = match b.op {
        ByteOp::Lt => v < b.value,
        ByteOp::Gt => v > b.value,
        ByteOp::Eq => v == b.value,
        ByteOp::Le => v <= b.value,
        ByteOp::Ge => v >= b.value,
        ByteOp::And => v & b.value != 0,
        ByteOp::Xor => v ^ b.value != 0,
    };
    r != b.neg
}

/// The first value of a numeric field, and the first instance of a buffer as text: what
/// the alert's evidence shows (built only when a rule fires).
pub fn evidence(r: &Compiled, m: &Message<'_>, s: &mut Scratch) -> serde_json::Value {
    let mut o = serde_json::Map::new();
    o.insert("sid".into(), r.meta.sid.into());
    for c in &r.checks {
        match c {
            Check::Num(f, nm) => {
                // the value that matched (a negated match: the first value seen)
                let mut first = None;
                each_num(m, *f, &mut |v| {
                    if first.is_none() || (!nm.neg && nm.test(v)) {
                        first = Some(v);
                    }
                    nm.neg || nm.test(v)
                });
                if let Some(v) = first {
                    o.insert(Field::Num(*f).name().into(), v.into());
                }
            }
            Check::Buf(b, _) => {
                let mut text = None;
                let binary = *b == Buffer::SccpData;
                each_buf(m, *b, s, &mut |x| {
                    text = Some(if binary {
                        x.iter().map(|o| format!("{o:02x}")).collect()
                    } else {
                        String::from_utf8_lossy(x).into_owned()
                    });
                    true
                });
                if let Some(t) = text {
                    o.insert(Field::Buffer(*b).name().into(), t.into());
                }
            }
            Check::Country(f, _) => {
                let (calling, called) = m.parties();
                let p = match f {
                    CountryField::SccpCalling => calling,
                    CountryField::SccpCalled => called,
                };
                if let Some(c) = p.and_then(country) {
                    let name = if c.iso.is_empty() { c.name } else { c.iso };
                    o.insert(Field::Country(*f).name().into(), name.into());
                }
            }
            Check::Name(..) | Check::Plmn(..) | Check::Peer(..) => {}
        }
    }
    serde_json::Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::compile::regex_of;

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

    fn c(f: impl FnOnce(&mut Content), bytes: &[u8]) -> BufOp {
        let mut x = content(bytes);
        f(&mut x);
        if x.nocase {
            x.bytes.make_ascii_lowercase();
        }
        BufOp::Content(x)
    }

    #[test]
    fn content_windows() {
        let buf = b"447700900123";
        assert!(ops_match(buf, &[c(|_| {}, b"0090")]));
        assert!(!ops_match(buf, &[c(|_| {}, b"0091")]));
        assert!(ops_match(buf, &[c(|x| x.startswith = true, b"4477")]));
        assert!(!ops_match(buf, &[c(|x| x.startswith = true, b"7700")]));
        assert!(ops_match(buf, &[c(|x| x.endswith = true, b"0123")]));
        assert!(!ops_match(buf, &[c(|x| x.endswith = true, b"0012")]));
        // offset and depth: the window is [offset, offset + depth)
        assert!(ops_match(
            buf,
            &[c(
                |x| {
                    x.offset = Some(4);
                    x.depth = Some(4)
                },
                b"0090"
            )]
        ));
        assert!(!ops_match(
            buf,
            &[c(
                |x| {
                    x.offset = Some(4);
                    x.depth = Some(3)
                },
                b"0090"
            )]
        ));
        assert!(!ops_match(buf, &[c(|x| x.offset = Some(9), b"0090")]));
        assert!(!ops_match(buf, &[c(|x| x.offset = Some(99), b"4")]));
        // negation
        assert!(ops_match(
            buf,
            &[c(
                |x| {
                    x.neg = true;
                    x.startswith = true
                },
                b"852"
            )]
        ));
        assert!(!ops_match(
            buf,
            &[c(
                |x| {
                    x.neg = true;
                    x.startswith = true
                },
                b"447"
            )]
        ));
        // nocase
        assert!(ops_match(
            b"Your CODE is",
            &[c(|x| x.nocase = true, b"code")]
        ));
        assert!(!ops_match(b"Your CODE is", &[c(|_| {}, b"code")]));
        // content longer than the buffer
        assert!(!ops_match(b"ab", &[c(|_| {}, b"abc")]));
        assert!(ops_match(b"ab", &[c(|x| x.neg = true, b"abc")]));
    }

    #[test]
    fn relative_operations_start_after_the_last_match() {
        let buf = b"key=AB\x01\x02rest";
        let after = |n: u32, neg: bool| BufOp::IsDataAt {
            neg,
            n,
            relative: true,
        };
        assert!(ops_match(buf, &[c(|_| {}, b"key="), after(7, false)]));
        assert!(!ops_match(buf, &[c(|_| {}, b"key="), after(8, false)]));
        assert!(ops_match(buf, &[c(|_| {}, b"key="), after(8, true)]));
        assert!(ops_match(
            buf,
            &[BufOp::IsDataAt {
                neg: false,
                n: 11,
                relative: false
            }]
        ));
        assert!(!ops_match(
            buf,
            &[BufOp::IsDataAt {
                neg: false,
                n: 12,
                relative: false
            }]
        ));
        let bt = |offset: i64, little: bool, op: ByteOp, value: u64, relative: bool, neg: bool| {
            BufOp::ByteTest(ByteTest {
                nbytes: 2,
                neg,
                op,
                value,
                offset,
                relative,
                little,
            })
        };
        // "AB" then 01 02 after "key="
        assert!(ops_match(
            buf,
            &[
                c(|_| {}, b"AB"),
                bt(0, false, ByteOp::Eq, 0x0102, true, false)
            ]
        ));
        assert!(ops_match(
            buf,
            &[
                c(|_| {}, b"AB"),
                bt(0, true, ByteOp::Eq, 0x0201, true, false)
            ]
        ));
        assert!(ops_match(
            buf,
            &[
                c(|_| {}, b"AB"),
                bt(-2, false, ByteOp::Eq, 0x4142, true, false)
            ]
        ));
        assert!(ops_match(
            buf,
            &[bt(6, false, ByteOp::Gt, 0x0101, false, false)]
        ));
        assert!(ops_match(
            buf,
            &[bt(6, false, ByteOp::And, 0x0002, false, false)]
        ));
        assert!(!ops_match(
            buf,
            &[bt(6, false, ByteOp::Xor, 0x0102, false, false)]
        ));
        assert!(ops_match(
            buf,
            &[bt(6, false, ByteOp::Lt, 0x0102, false, true)]
        ));
        // out of the buffer: the test fails (negated or not)
        assert!(!ops_match(
            buf,
            &[bt(11, false, ByteOp::Ge, 0, false, false)]
        ));
        assert!(!ops_match(
            buf,
            &[bt(-1, false, ByteOp::Ge, 0, false, false)]
        ));
        // pcre moves the cursor to the end of its match
        let re = regex_of(&Pcre {
            neg: false,
            pattern: "[A-Z]+".into(),
            flags: String::new(),
        })
        .unwrap();
        assert!(ops_match(
            buf,
            &[
                BufOp::Pcre {
                    neg: false,
                    re: re.clone()
                },
                after(5, false)
            ]
        ));
        assert!(!ops_match(
            buf,
            &[BufOp::Pcre { neg: false, re }, after(6, false)]
        ));
    }

    #[test]
    fn pcre_flags_and_octets() {
        let m = |pattern: &str, flags: &str, buf: &[u8]| {
            let re = regex_of(&Pcre {
                neg: false,
                pattern: pattern.into(),
                flags: flags.into(),
            })
            .unwrap();
            ops_match(buf, &[BufOp::Pcre { neg: false, re }])
        };
        assert!(m("^abc$", "i", b"ABC"));
        assert!(!m("^abc$", "", b"ABC"));
        assert!(m("^b$", "m", b"a\nb\nc"));
        assert!(m("a.c", "s", b"a\nc"));
        assert!(!m("a.c", "", b"a\nc"));
        assert!(m("a b c", "x", b"abc"));
        // octets that are not UTF-8 are matched as octets
        assert!(m(r"\xff\x00", "", b"\x01\xff\x00"));
        assert!(m("^.{3}$", "", b"\xff\xfe\xfd"));
        assert!(regex_of(&Pcre {
            neg: false,
            pattern: "(a)\\1".into(),
            flags: String::new()
        })
        .is_err());
    }
}
