//! Rule text to [`Rule`]s: the header, and the options, each value checked for its
//! keyword's type ([`super::values`]) over the logical rules of [`super::lexer`]. Every error
//! carries its line and column.

use super::ast::*;
use super::error::{At, Pos};
use super::lexer::{open_quote, Cur};
use super::limits::*;
use super::values::*;

pub use super::lexer::{logical_rules, Chars};
pub use super::values::{num_max, parse_addr, parse_port, TCAP_TYPES};

/// One parsed rule with the positions the compiler reports against.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The rule.
    pub rule: Rule,
    /// Where the rule starts.
    pub start: Pos,
    /// Positions of the source address, source port, destination address, destination port.
    pub header: [Pos; 4],
    /// Position of each option (its keyword).
    pub opts: Vec<Pos>,
}

/// Parse one logical rule.
pub fn parse_rule(src: &[(char, Pos)]) -> Result<Parsed, At> {
    if src.len() > MAX_RULE_CHARS {
        return Err(At::new(
            src.first().map_or(Pos::default(), |(_, p)| *p),
            format!("rule longer than {MAX_RULE_CHARS} characters"),
        ));
    }
    let mut c = Cur {
        s: src,
        i: 0,
        end: src.len(),
    };
    c.skip_ws();
    let start = c.pos();
    let (action, p) = c.token();
    let action = match action.as_str() {
        "alert" => Action::Alert,
        "pass" => Action::Pass,
        "drop" | "reject" | "rejectsrc" | "rejectdst" | "rejectboth" => {
            return Err(At::new(
                p,
                format!(
                    "action {action:?} is not supported (sigscope only observes: alert or pass)"
                ),
            ))
        }
        _ => {
            return Err(At::new(
                p,
                format!("unknown action {action:?} (expected alert or pass)"),
            ))
        }
    };
    let (proto, p) = c.token();
    let proto = Proto::ALL
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(&proto))
        .map(|(p, _)| *p)
        .ok_or_else(|| {
            At::new(
                p,
                format!(
                    "unknown protocol {proto:?} (expected one of {})",
                    Proto::ALL.map(|(_, n)| n).join(", ")
                ),
            )
        })?;
    let (t, p_src) = c.token();
    let src_a = parse_addr(&t, p_src)?;
    let (t, p_sport) = c.token();
    let sport = parse_port(&t, p_sport)?;
    let (t, p) = c.token();
    let dir = match t.as_str() {
        "->" => Dir::To,
        "<>" => Dir::Both,
        _ => {
            return Err(At::new(
                p,
                format!("expected -> or <> between the addresses, found {t:?}"),
            ))
        }
    };
    let (t, p_dst) = c.token();
    let dst_a = parse_addr(&t, p_dst)?;
    let (t, p_dport) = c.token();
    let dport = parse_port(&t, p_dport)?;
    c.skip_ws();
    if c.peek() != Some('(') {
        return Err(At::new(c.pos(), "expected ( after the header"));
    }
    c.i += 1;
    // the options end at the last `)` of the rule
    let close = src.iter().rposition(|(ch, _)| !ch.is_whitespace());
    let close = match close {
        Some(k) if src.get(k).is_some_and(|(ch, _)| *ch == ')') && k >= c.i => k,
        _ => {
            // an unbalanced quote is the likelier cause: report it first
            if let Some(q) = open_quote(src, c.i, src.len()) {
                return Err(At::new(q, "unbalanced quotes"));
            }
            return Err(At::new(c.pos_at_end(), "rule does not end with )"));
        }
    };
    c.end = close;
    let mut rule = Rule {
        action,
        proto,
        src: src_a,
        sport,
        dir,
        dst: dst_a,
        dport,
        options: Vec::new(),
    };
    let mut opts = Vec::new();
    let mut st = OptState::default();
    loop {
        c.skip_ws();
        let Some(ch) = c.peek() else { break };
        let kpos = c.pos();
        if !(ch.is_ascii_alphanumeric() || ch == '_') {
            return Err(At::new(kpos, format!("expected a keyword, found {ch:?}")));
        }
        let mut name = String::new();
        while let Some(ch) = c.peek() {
            if ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-') {
                name.push(ch);
                c.i += 1;
            } else {
                break;
            }
        }
        c.skip_ws();
        let value = match c.peek() {
            Some(';') => {
                c.i += 1;
                None
            }
            Some(':') => {
                c.i += 1;
                c.skip_ws();
                let vpos = c.pos();
                let mut v = String::new();
                let mut quote: Option<Pos> = None;
                let mut ended = false;
                while let Some(ch) = c.peek() {
                    let p = c.pos();
                    c.i += 1;
                    match ch {
                        '\\' => {
                            v.push(ch);
                            if let Some(n) = c.peek() {
                                v.push(n);
                                c.i += 1;
                            }
                        }
                        '"' => {
                            quote = if quote.is_some() { None } else { Some(p) };
                            v.push(ch);
                        }
                        ';' if quote.is_none() => {
                            ended = true;
                            break;
                        }
                        _ => v.push(ch),
                    }
                }
                if let Some(q) = quote {
                    return Err(At::new(q, "unbalanced quotes"));
                }
                if !ended {
                    return Err(At::new(kpos, format!("option {name} is not ended by ;")));
                }
                Some((v.trim_end().to_string(), vpos))
            }
            _ => {
                if let Some(q) = open_quote(src, c.i, c.end) {
                    return Err(At::new(q, "unbalanced quotes"));
                }
                return Err(At::new(c.pos(), format!("expected : or ; after {name}")));
            }
        };
        if rule.options.len() >= MAX_OPTIONS {
            return Err(At::new(
                kpos,
                format!("more than {MAX_OPTIONS} options in one rule"),
            ));
        }
        option(&mut rule, &mut opts, &mut st, &name, kpos, value)?;
    }
    if rule.sid() == 0 {
        return Err(At::new(start, "rule has no sid"));
    }
    Ok(Parsed {
        rule,
        start,
        header: [p_src, p_sport, p_dst, p_dport],
        opts,
    })
}

#[derive(Default)]
struct OptState {
    /// Index (in `rule.options`) of the current sticky buffer.
    buffer: Option<usize>,
    /// Index of the last content since the sticky buffer.
    content: Option<usize>,
    seen: Vec<&'static str>,
}

fn once(st: &mut OptState, name: &'static str, pos: Pos) -> Result<(), At> {
    if st.seen.contains(&name) {
        return Err(At::new(pos, format!("{name} given twice")));
    }
    st.seen.push(name);
    Ok(())
}

fn need<'v>(name: &str, v: &'v Option<(String, Pos)>, pos: Pos) -> Result<(&'v str, Pos), At> {
    match v {
        Some((s, p)) if !s.is_empty() => Ok((s.as_str(), *p)),
        _ => Err(At::new(pos, format!("{name} needs a value"))),
    }
}

fn option(
    rule: &mut Rule,
    opts: &mut Vec<Pos>,
    st: &mut OptState,
    name: &str,
    pos: Pos,
    value: Option<(String, Pos)>,
) -> Result<(), At> {
    let no_value = |v: &Option<(String, Pos)>| -> Result<(), At> {
        match v {
            Some((_, p)) => Err(At::new(*p, format!("{name} takes no value"))),
            None => Ok(()),
        }
    };
    // content modifiers change the last content
    if matches!(
        name,
        "nocase" | "startswith" | "endswith" | "depth" | "offset"
    ) {
        let Some(Opt::Content(c)) = st.content.and_then(|i| rule.options.get_mut(i)) else {
            return Err(At::new(pos, format!("{name} needs a content before it")));
        };
        match name {
            "nocase" => {
                no_value(&value)?;
                c.nocase = true;
            }
            "startswith" => {
                no_value(&value)?;
                c.startswith = true;
            }
            "endswith" => {
                no_value(&value)?;
                c.endswith = true;
            }
            "depth" => {
                let (s, p) = need(name, &value, pos)?;
                c.depth = Some(number("depth", s, p, 1)?);
            }
            _ => {
                let (s, p) = need(name, &value, pos)?;
                c.offset = Some(number("offset", s, p, 0)?);
            }
        }
        if c.startswith && (c.offset.is_some() || c.depth.is_some()) {
            return Err(At::new(
                pos,
                "startswith cannot be combined with depth or offset",
            ));
        }
        return Ok(());
    }
    let buffer_op = matches!(
        name,
        "content" | "pcre" | "prefix" | "isdataat" | "byte_test"
    );
    if buffer_op && st.buffer.is_none() {
        return Err(At::new(
            pos,
            format!("{name} needs a sticky buffer before it (such as sccp.calling.digits;)"),
        ));
    }
    let opt = match name {
        "msg" => {
            once(st, "msg", pos)?;
            let (s, p) = need(name, &value, pos)?;
            let m = unquote(name, s, p)?;
            if m.len() > MAX_MSG_LEN {
                return Err(At::new(p, format!("msg longer than {MAX_MSG_LEN} octets")));
            }
            Opt::Msg(m)
        }
        "sid" => {
            once(st, "sid", pos)?;
            let (s, p) = need(name, &value, pos)?;
            Opt::Sid(number(name, s, p, 1)?)
        }
        "rev" => {
            once(st, "rev", pos)?;
            let (s, p) = need(name, &value, pos)?;
            Opt::Rev(number(name, s, p, 0)?)
        }
        "gid" => {
            once(st, "gid", pos)?;
            let (s, p) = need(name, &value, pos)?;
            Opt::Gid(number(name, s, p, 1)?)
        }
        "priority" => {
            once(st, "priority", pos)?;
            let (s, p) = need(name, &value, pos)?;
            Opt::Priority(number(name, s, p, 1)?)
        }
        "classtype" => {
            once(st, "classtype", pos)?;
            let (s, p) = need(name, &value, pos)?;
            if !s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(At::new(
                    p,
                    format!("classtype must be a word (found {s:?})"),
                ));
            }
            Opt::Classtype(s.to_string())
        }
        "reference" => {
            let (s, _) = need(name, &value, pos)?;
            Opt::Reference(s.to_string())
        }
        "metadata" => {
            let (s, p) = need(name, &value, pos)?;
            let mut kv = Vec::new();
            for item in s.split(',') {
                let item = item.trim();
                let (k, v) = item.split_once(char::is_whitespace).ok_or_else(|| {
                    At::new(
                        p,
                        format!("metadata entries are `key value` (found {item:?})"),
                    )
                })?;
                let (k, v) = (k.trim(), v.trim());
                if !k
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                    || v.contains(';')
                {
                    return Err(At::new(
                        p,
                        format!("metadata key must be a word (found {k:?})"),
                    ));
                }
                kv.push((k.to_string(), v.to_string()));
            }
            Opt::Metadata(kv)
        }
        "content" => {
            let (s, p) = need(name, &value, pos)?;
            let (neg, s) = strip_bang(s);
            let c = Content {
                neg,
                bytes: content_bytes(s, p)?,
                nocase: false,
                startswith: false,
                endswith: false,
                depth: None,
                offset: None,
            };
            st.content = Some(rule.options.len());
            Opt::Content(c)
        }
        "pcre" => {
            let (s, p) = need(name, &value, pos)?;
            let (neg, s) = strip_bang(s);
            let text = unquote(name, s, p)?;
            let body = text
                .strip_prefix('/')
                .ok_or_else(|| At::new(p, "pcre needs \"/pattern/flags\""))?;
            let (pattern, flags) = body
                .rsplit_once('/')
                .ok_or_else(|| At::new(p, "pcre needs \"/pattern/flags\""))?;
            for f in flags.chars() {
                if !PCRE_FLAGS.contains(f) {
                    return Err(At::new(
                        p,
                        format!("pcre flag {f:?} is not supported (supported: {PCRE_FLAGS})"),
                    ));
                }
            }
            if pattern.len() > MAX_PCRE_LEN {
                return Err(At::new(
                    p,
                    format!("pcre longer than {MAX_PCRE_LEN} characters"),
                ));
            }
            Opt::Pcre(Pcre {
                neg,
                pattern: pattern.to_string(),
                flags: flags.to_string(),
            })
        }
        "prefix" => {
            let (s, p) = need(name, &value, pos)?;
            let (neg, s) = strip_bang(s);
            let mut items = Vec::new();
            for it in split_list(s) {
                let t = unquote(name, it, p)?;
                if t.is_empty() || t.len() > MAX_CONTENT_LEN {
                    return Err(At::new(p, "prefix needs non-empty quoted strings"));
                }
                items.push(t);
            }
            if items.len() > MAX_LIST {
                return Err(At::new(p, format!("prefix: more than {MAX_LIST} values")));
            }
            Opt::Prefix(SetMatch { neg, items })
        }
        "isdataat" => {
            let (s, p) = need(name, &value, pos)?;
            let (neg, s) = strip_bang(s);
            let parts = split_list(s);
            let n = number(name, parts.first().copied().unwrap_or(""), p, 0)?;
            let relative = match parts.get(1..) {
                Some([]) | None => false,
                Some(["relative"]) => true,
                Some(_) => {
                    return Err(At::new(p, "isdataat takes N or N,relative"));
                }
            };
            Opt::IsDataAt { neg, n, relative }
        }
        "byte_test" => {
            let (s, p) = need(name, &value, pos)?;
            let parts = split_list(s);
            let bad = || {
                At::new(
                    p,
                    "byte_test takes nbytes,[!]operator,value,offset[,relative][,big|little]",
                )
            };
            let (nb, op, val, off) = match parts.get(..4) {
                Some([a, b, c, d]) => (*a, *b, *c, *d),
                _ => return Err(bad()),
            };
            let nbytes: u8 = number("byte_test nbytes", nb, p, 1)?;
            if nbytes > 8 {
                return Err(At::new(p, "byte_test reads 1 to 8 octets"));
            }
            let (neg, op) = strip_bang(op);
            let op = ByteOp::ALL
                .iter()
                .find(|(_, t)| *t == op)
                .map(|(o, _)| *o)
                .ok_or_else(bad)?;
            let value = if let Some(h) = val.strip_prefix("0x") {
                u64::from_str_radix(h, 16).map_err(|_| bad())?
            } else {
                val.parse().map_err(|_| bad())?
            };
            let offset: i64 = off.parse().map_err(|_| bad())?;
            if offset.unsigned_abs() > MAX_BUFFER_OFFSET {
                return Err(At::new(
                    p,
                    format!("byte_test offset beyond {MAX_BUFFER_OFFSET}"),
                ));
            }
            let mut b = ByteTest {
                nbytes,
                neg,
                op,
                value,
                offset,
                relative: false,
                little: false,
            };
            for extra in parts.get(4..).unwrap_or(&[]) {
                match *extra {
                    "relative" => b.relative = true,
                    "little" => b.little = true,
                    "big" => b.little = false,
                    "string" | "dec" | "hex" | "oct" | "dce" | "bitmask" => {
                        return Err(At::new(
                            p,
                            format!("byte_test option {extra:?} is not supported (use a numeric keyword or pcre over text)"),
                        ))
                    }
                    _ => return Err(bad()),
                }
            }
            Opt::ByteTest(b)
        }
        "threshold" | "detection_filter" => {
            once(st, "threshold or detection_filter", pos)?;
            let (s, p) = need(name, &value, pos)?;
            Opt::Threshold(threshold(name, s, p)?)
        }
        _ => match Field::by_name(name) {
            Some(field) => {
                let fam = rule.proto.family();
                if fam != Family::Any && field.family() != fam {
                    return Err(At::new(
                        pos,
                        format!("{name} never matches protocol {}", rule.proto.name()),
                    ));
                }
                match field {
                    Field::Buffer(_) => {
                        if let Some((_, p)) = &value {
                            return Err(At::new(
                                *p,
                                format!("{name} is a sticky buffer and takes no value (write {name}; then content, pcre or prefix)"),
                            ));
                        }
                        st.buffer = Some(rule.options.len());
                        st.content = None;
                        Opt::Field(field, None)
                    }
                    _ => {
                        let (s, p) = need(name, &value, pos)?;
                        Opt::Field(field, Some(field_value(field, name, s, p)?))
                    }
                }
            }
            None => return Err(At::new(pos, format!("unknown keyword {name:?}"))),
        },
    };
    rule.options.push(opt);
    opts.push(pos);
    Ok(())
}
