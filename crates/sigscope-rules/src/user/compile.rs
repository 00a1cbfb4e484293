//! [`Parsed`] rules to matchers: variables resolved, regexes compiled (once, here), content
//! folded for `nocase`, checks ordered cheapest first, and the index key chosen.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

use super::ast::*;
use super::error::{At, Pos};
use super::limits::*;
use super::parser::{parse_addr, parse_port, Parsed};
use super::RuleMeta;

/// `$NAME` variables (without the `$`), values written as in a rule header.
pub type Vars = BTreeMap<String, String>;

/// A set of addresses, variables resolved.
#[derive(Debug, Clone)]
pub enum NetSet {
    /// Every address.
    Any,
    /// A block.
    Net(IpAddr, u8),
    /// Any of `any_of` (or any address when empty) and none of `none_of`.
    List {
        /// Positive items.
        any_of: Vec<NetSet>,
        /// Negated items (stored positive).
        none_of: Vec<NetSet>,
    },
    /// Not in the set.
    Not(Box<NetSet>),
}

impl NetSet {
    /// Whether `ip` is in the set.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match self {
            NetSet::Any => true,
            NetSet::Net(n, prefix) => in_block(*n, *prefix, ip),
            NetSet::List { any_of, none_of } => {
                (any_of.is_empty() || any_of.iter().any(|s| s.contains(ip)))
                    && !none_of.iter().any(|s| s.contains(ip))
            }
            NetSet::Not(s) => !s.contains(ip),
        }
    }

    fn is_any(&self) -> bool {
        matches!(self, NetSet::Any)
    }
}

fn in_block(n: IpAddr, prefix: u8, ip: IpAddr) -> bool {
    match (n, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(n) & m == u32::from(a) & m
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(n) & m == u128::from(a) & m
        }
        _ => false,
    }
}

/// A set of ports, variables resolved.
#[derive(Debug, Clone)]
pub enum PortSet {
    /// Every port.
    Any,
    /// Inclusive range.
    Range(u16, u16),
    /// Any of `any_of` (or any port when empty) and none of `none_of`.
    List {
        /// Positive items.
        any_of: Vec<PortSet>,
        /// Negated items (stored positive).
        none_of: Vec<PortSet>,
    },
    /// Not in the set.
    Not(Box<PortSet>),
}

impl PortSet {
    /// Whether `p` is in the set.
    pub fn contains(&self, p: u16) -> bool {
        match self {
            PortSet::Any => true,
            PortSet::Range(a, b) => (*a..=*b).contains(&p),
            PortSet::List { any_of, none_of } => {
                (any_of.is_empty() || any_of.iter().any(|s| s.contains(p)))
                    && !none_of.iter().any(|s| s.contains(p))
            }
            PortSet::Not(s) => !s.contains(p),
        }
    }

    fn is_any(&self) -> bool {
        matches!(self, PortSet::Any)
    }
}

/// One operation over a sticky buffer.
#[derive(Debug, Clone)]
pub enum BufOp {
    /// `content` (bytes lower-cased when `nocase`).
    Content(Content),
    /// `pcre`.
    Pcre {
        /// Negated.
        neg: bool,
        /// Compiled once.
        re: regex::bytes::Regex,
    },
    /// `prefix`.
    Prefix {
        /// Negated.
        neg: bool,
        /// The prefixes.
        items: Vec<Vec<u8>>,
    },
    /// `isdataat`.
    IsDataAt {
        /// Negated.
        neg: bool,
        /// Offset.
        n: u32,
        /// From the last match.
        relative: bool,
    },
    /// `byte_test`.
    ByteTest(ByteTest),
}

/// One condition of a rule.
#[derive(Debug, Clone)]
pub enum Check {
    /// Numeric field.
    Num(NumField, NumMatch),
    /// Field by name.
    Name(NameField, SetMatch),
    /// Country of a global title.
    Country(CountryField, SetMatch),
    /// PLMN of an IMSI.
    Plmn(PlmnField, SetMatch),
    /// GTP peer addresses.
    Peer(NetSet),
    /// A sticky buffer and what must hold over one of its instances.
    Buf(Buffer, Vec<BufOp>),
}

impl Check {
    fn cost(&self) -> u8 {
        match self {
            Check::Num(..) | Check::Name(..) => 0,
            Check::Country(..) | Check::Peer(..) => 1,
            Check::Plmn(..) => 2,
            Check::Buf(b, _) => match b {
                Buffer::MapUssd | Buffer::MapSmsText | Buffer::GtpApn | Buffer::TcapAcn => 4,
                _ => 3,
            },
        }
    }
}

/// Where the index files a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKey {
    /// Under these MAP operation codes.
    MapOps(Vec<u8>),
    /// Under these GTP message types, in the versions of the mask (bit 0 GTPv0, 1 GTPv1,
    /// 2 GTPv2, 3 GTP').
    GtpTypes(u8, Vec<u8>),
    /// Under these values of another numeric field (point codes, SSNs, TEIDs, ...).
    Field(NumField, Vec<u64>),
    /// Every SS7 message.
    Ss7,
    /// Every GTP message.
    Gtp,
    /// Every message.
    Any,
}

/// A rule ready to match.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// What the alert says.
    pub meta: Arc<RuleMeta>,
    /// The rule as written (for listing and printing).
    pub rule: Rule,
    /// Action.
    pub action: Action,
    /// Protocol.
    pub proto: Proto,
    /// Source addresses.
    pub src: NetSet,
    /// Source ports.
    pub sport: PortSet,
    /// Destination addresses.
    pub dst: NetSet,
    /// Destination ports.
    pub dport: PortSet,
    /// `<>`.
    pub both: bool,
    /// The header's addresses and ports are all `any`.
    pub any_ends: bool,
    /// Conditions, cheapest first.
    pub checks: Vec<Check>,
    /// `threshold` / `detection_filter`.
    pub threshold: Option<Threshold>,
    /// Index key.
    pub key: IndexKey,
}

fn resolve_addr(a: &Addr, vars: &Vars, p: Pos, depth: usize) -> Result<NetSet, At> {
    if depth > MAX_VAR_DEPTH {
        return Err(At::new(p, "variables nested too deep (a loop?)"));
    }
    let base = match &a.kind {
        AddrKind::Any => NetSet::Any,
        AddrKind::Net { addr, prefix } => NetSet::Net(*addr, *prefix),
        AddrKind::Var(v) => {
            let text = vars
                .get(v)
                .ok_or_else(|| At::new(p, format!("unknown variable ${v}")))?;
            let inner = parse_addr(text, p)
                .map_err(|e| At::new(p, format!("variable ${v}: {}", e.reason)))?;
            resolve_addr(&inner, vars, p, depth + 1)?
        }
        AddrKind::List(items) => {
            let mut any_of = Vec::new();
            let mut none_of = Vec::new();
            for i in items {
                let positive = Addr {
                    neg: false,
                    kind: i.kind.clone(),
                };
                let s = resolve_addr(&positive, vars, p, depth + 1)?;
                if i.neg {
                    none_of.push(s);
                } else {
                    any_of.push(s);
                }
            }
            NetSet::List { any_of, none_of }
        }
    };
    Ok(if a.neg {
        NetSet::Not(Box::new(base))
    } else {
        base
    })
}

fn resolve_port(a: &Port, vars: &Vars, p: Pos, depth: usize) -> Result<PortSet, At> {
    if depth > MAX_VAR_DEPTH {
        return Err(At::new(p, "variables nested too deep (a loop?)"));
    }
    let base = match &a.kind {
        PortKind::Any => PortSet::Any,
        PortKind::Range(x, y) => PortSet::Range(*x, *y),
        PortKind::Var(v) => {
            let text = vars
                .get(v)
                .ok_or_else(|| At::new(p, format!("unknown variable ${v}")))?;
            let inner = parse_port(text, p)
                .map_err(|e| At::new(p, format!("variable ${v}: {}", e.reason)))?;
            resolve_port(&inner, vars, p, depth + 1)?
        }
        PortKind::List(items) => {
            let mut any_of = Vec::new();
            let mut none_of = Vec::new();
            for i in items {
                let positive = Port {
                    neg: false,
                    kind: i.kind.clone(),
                };
                let s = resolve_port(&positive, vars, p, depth + 1)?;
                if i.neg {
                    none_of.push(s);
                } else {
                    any_of.push(s);
                }
            }
            PortSet::List { any_of, none_of }
        }
    };
    Ok(if a.neg {
        PortSet::Not(Box::new(base))
    } else {
        base
    })
}

/// The regex of a `pcre` option (flags as inline flags; size-limited).
pub fn regex_of(p: &Pcre) -> Result<regex::bytes::Regex, String> {
    let mut b = regex::bytes::RegexBuilder::new(&p.pattern);
    b.size_limit(MAX_PCRE_COMPILED)
        .dfa_size_limit(MAX_PCRE_COMPILED)
        // buffers are octets: `.` and classes match any octet, not only UTF-8
        .unicode(false);
    for f in p.flags.chars() {
        match f {
            'i' => {
                b.case_insensitive(true);
            }
            'm' => {
                b.multi_line(true);
            }
            's' => {
                b.dot_matches_new_line(true);
            }
            'x' => {
                b.ignore_whitespace(true);
            }
            'U' => {
                b.swap_greed(true);
            }
            _ => return Err(format!("pcre flag {f:?} is not supported")),
        }
    }
    b.build().map_err(|e| {
        let t = e.to_string();
        let last = t.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        format!("pcre does not compile: {}", last.trim())
    })
}

/// Compile one parsed rule (`file` names it in its metadata).
pub fn compile(p: &Parsed, vars: &Vars, file: &str) -> Result<Compiled, At> {
    let r = &p.rule;
    let [ps, psp, pd, pdp] = p.header;
    let src = resolve_addr(&r.src, vars, ps, 0)?;
    let sport = resolve_port(&r.sport, vars, psp, 0)?;
    let dst = resolve_addr(&r.dst, vars, pd, 0)?;
    let dport = resolve_port(&r.dport, vars, pdp, 0)?;
    let mut meta = RuleMeta {
        sid: 0,
        gid: 1,
        rev: 1,
        msg: String::new(),
        name: String::new(),
        classtype: None,
        priority: 3,
        references: Vec::new(),
        metadata: Vec::new(),
        mitre: Vec::new(),
        file: file.to_string(),
        line: p.start.line,
    };
    let mut checks: Vec<Check> = Vec::new();
    let mut threshold = None;
    let mut cur: Option<(Buffer, Vec<BufOp>)> = None;
    let flush = |cur: &mut Option<(Buffer, Vec<BufOp>)>, checks: &mut Vec<Check>| {
        if let Some((b, ops)) = cur.take() {
            checks.push(Check::Buf(b, ops));
        }
    };
    for (i, o) in r.options.iter().enumerate() {
        let pos = p.opts.get(i).copied().unwrap_or(p.start);
        match o {
            Opt::Msg(m) => meta.msg = m.clone(),
            Opt::Sid(s) => meta.sid = *s,
            Opt::Rev(v) => meta.rev = *v,
            Opt::Gid(g) => meta.gid = *g,
            Opt::Priority(v) => meta.priority = *v,
            Opt::Classtype(c) => meta.classtype = Some(c.clone()),
            Opt::Reference(x) => meta.references.push(x.clone()),
            Opt::Metadata(kv) => {
                for (k, v) in kv {
                    if k.eq_ignore_ascii_case("mitre") || k == "mitre_technique_id" {
                        meta.mitre.push(v.clone());
                    } else {
                        meta.metadata.push((k.clone(), v.clone()));
                    }
                }
            }
            Opt::Threshold(t) => threshold = Some(t.clone()),
            Opt::Field(Field::Buffer(b), None) => {
                flush(&mut cur, &mut checks);
                cur = Some((*b, Vec::new()));
            }
            Opt::Field(f, v) => {
                let c = match (f, v) {
                    (Field::Num(n), Some(FieldValue::Num(m))) => Check::Num(*n, m.clone()),
                    (Field::Name(n), Some(FieldValue::Set(s))) => Check::Name(*n, s.clone()),
                    (Field::Country(c), Some(FieldValue::Set(s))) => Check::Country(*c, s.clone()),
                    (Field::Plmn(c), Some(FieldValue::Set(s))) => Check::Plmn(*c, s.clone()),
                    (Field::GtpPeer, Some(FieldValue::Addr(a))) => {
                        Check::Peer(resolve_addr(a, vars, pos, 0)?)
                    }
                    _ => return Err(At::new(pos, format!("{}: wrong value", f.name()))),
                };
                checks.push(c);
            }
            Opt::Content(c) => {
                let mut c = c.clone();
                if c.nocase {
                    c.bytes.make_ascii_lowercase();
                }
                push_op(&mut cur, BufOp::Content(c), pos)?;
            }
            Opt::Pcre(pc) => {
                let re = regex_of(pc).map_err(|e| At::new(pos, e))?;
                push_op(&mut cur, BufOp::Pcre { neg: pc.neg, re }, pos)?;
            }
            Opt::Prefix(s) => push_op(
                &mut cur,
                BufOp::Prefix {
                    neg: s.neg,
                    items: s.items.iter().map(|x| x.as_bytes().to_vec()).collect(),
                },
                pos,
            )?,
            Opt::IsDataAt { neg, n, relative } => push_op(
                &mut cur,
                BufOp::IsDataAt {
                    neg: *neg,
                    n: *n,
                    relative: *relative,
                },
                pos,
            )?,
            Opt::ByteTest(b) => push_op(&mut cur, BufOp::ByteTest(b.clone()), pos)?,
        }
    }
    flush(&mut cur, &mut checks);
    checks.sort_by_key(Check::cost);
    meta.name = format!("user_rule_{}", meta.sid);
    let key = index_key(r, &checks);
    let any_ends = src.is_any() && dst.is_any() && sport.is_any() && dport.is_any();
    Ok(Compiled {
        meta: Arc::new(meta),
        rule: r.clone(),
        action: r.action,
        proto: r.proto,
        src,
        sport,
        dst,
        dport,
        both: r.dir == Dir::Both,
        any_ends,
        checks,
        threshold,
        key,
    })
}

fn push_op(cur: &mut Option<(Buffer, Vec<BufOp>)>, op: BufOp, pos: Pos) -> Result<(), At> {
    match cur {
        Some((_, ops)) => {
            ops.push(op);
            Ok(())
        }
        None => Err(At::new(pos, "needs a sticky buffer before it")),
    }
}

/// The values a positive numeric match names, when they are few (a list, or a range of at
/// most [`MAX_INDEXED_RANGE`] values).
fn few_values(nm: &NumMatch) -> Option<Vec<u64>> {
    if nm.neg {
        return None;
    }
    match &nm.kind {
        NumKind::In(l) => Some(l.clone()),
        NumKind::Range(a, b) if a <= b && b - a < MAX_INDEXED_RANGE => Some((*a..=*b).collect()),
        _ => None,
    }
}

/// Widest range a rule is filed under value by value.
pub const MAX_INDEXED_RANGE: u64 = 16;

/// The cheapest first field the index can file the rule under: a MAP operation code or a GTP
/// message type, else another numeric field with few values, else the protocol family.
fn index_key(r: &Rule, checks: &[Check]) -> IndexKey {
    let nums = || {
        checks.iter().filter_map(|c| match c {
            Check::Num(f, nm) => Some((*f, few_values(nm)?)),
            _ => None,
        })
    };
    for (f, values) in nums() {
        let bytes = || {
            values
                .iter()
                .map(|v| u8::try_from(*v).ok())
                .collect::<Option<Vec<u8>>>()
        };
        let key = match f {
            NumField::MapOpcode => bytes().map(IndexKey::MapOps),
            NumField::GtpType => bytes().map(|b| IndexKey::GtpTypes(0b1111, b)),
            NumField::Gtpv1Type => bytes().map(|b| IndexKey::GtpTypes(0b0010, b)),
            NumField::Gtpv2Type => bytes().map(|b| IndexKey::GtpTypes(0b0100, b)),
            _ => None,
        };
        if let Some(k) = key {
            return k;
        }
    }
    if let Some((f, values)) = nums().next() {
        return IndexKey::Field(f, values);
    }
    match r.proto.family() {
        Family::Ss7 => return IndexKey::Ss7,
        Family::Gtp => return IndexKey::Gtp,
        Family::Any => {}
    }
    let mut ss7 = false;
    let mut gtp = false;
    for o in &r.options {
        if let Opt::Field(f, _) = o {
            match f.family() {
                Family::Gtp => gtp = true,
                _ => ss7 = true,
            }
        }
    }
    match (ss7, gtp) {
        (true, false) => IndexKey::Ss7,
        (false, true) => IndexKey::Gtp,
        _ => IndexKey::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str, vars: &Vars) -> NetSet {
        let a = parse_addr(text, Pos::default()).unwrap();
        resolve_addr(&a, vars, Pos::default(), 0).unwrap()
    }

    #[test]
    fn address_sets_follow_suricata() {
        let mut vars = Vars::new();
        vars.insert("HOME".into(), "[10.0.0.0/8, 2001:db8::/32]".into());
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let home = addr("$HOME", &vars);
        assert!(home.contains(ip("10.9.8.7")));
        assert!(home.contains(ip("2001:db8::5")));
        assert!(!home.contains(ip("192.0.2.1")));
        let not_home = addr("!$HOME", &vars);
        assert!(not_home.contains(ip("192.0.2.1")));
        assert!(!not_home.contains(ip("10.0.0.1")));
        // positives widen, negations cut out
        let l = addr("[$HOME, !10.1.0.0/16, 192.0.2.1]", &vars);
        assert!(l.contains(ip("10.2.0.1")));
        assert!(!l.contains(ip("10.1.2.3")));
        assert!(l.contains(ip("192.0.2.1")));
        assert!(!l.contains(ip("192.0.2.2")));
        // only negations: everything else
        let n = addr("[!10.0.0.0/8]", &vars);
        assert!(n.contains(ip("192.0.2.2")));
        assert!(!n.contains(ip("10.0.0.2")));
        assert!(addr("0.0.0.0/0", &vars).contains(ip("198.51.100.1")));
        assert!(!addr("0.0.0.0/0", &vars).contains(ip("::1")));
    }

    #[test]
    fn port_sets() {
        let vars = Vars::new();
        let p = |t: &str| {
            let x = parse_port(t, Pos::default()).unwrap();
            resolve_port(&x, &vars, Pos::default(), 0).unwrap()
        };
        assert!(p("2123").contains(2123));
        assert!(!p("2123").contains(2152));
        assert!(p("1024:").contains(65535));
        assert!(!p(":1023").contains(1024));
        assert!(p("[2123,2152:2153]").contains(2153));
        assert!(p("![2123,2152]").contains(3386));
        assert!(!p("[1:100,!50]").contains(50));
        assert!(p("[1:100,!50]").contains(51));
    }
}
