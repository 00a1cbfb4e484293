//! Rule text to [`Rule`]s: logical lines (`\` continuations, `#` comments), the header, and
//! the options, each value checked for its keyword's type. Every error carries its line and
//! column.

use std::net::IpAddr;

use super::ast::*;
use super::error::{At, Pos};
use super::limits::*;

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

type Chars = Vec<(char, Pos)>;

/// The logical rules of a text: comment and blank lines skipped, `\` at the end of a line
/// joins it with the next.
pub fn logical_rules(text: &str) -> Vec<Chars> {
    let mut out = Vec::new();
    let mut cur: Chars = Vec::new();
    let mut continuing = false;
    for (ln, line) in text.lines().enumerate() {
        let line_no = u32::try_from(ln + 1).unwrap_or(u32::MAX);
        let t = line.trim_start();
        if !continuing && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        let body = line.trim_end();
        let (body, cont) = match body.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (body, false),
        };
        let mut col = 0u32;
        for c in body.chars() {
            col = col.saturating_add(1);
            cur.push((c, Pos { line: line_no, col }));
        }
        if cont {
            let end = Pos {
                line: line_no,
                col: col.saturating_add(1),
            };
            cur.push((' ', end));
            continuing = true;
        } else {
            out.push(std::mem::take(&mut cur));
            continuing = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

struct Cur<'s> {
    s: &'s [(char, Pos)],
    i: usize,
    end: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<char> {
        if self.i >= self.end {
            return None;
        }
        self.s.get(self.i).map(|(c, _)| *c)
    }
    fn pos(&self) -> Pos {
        match self.s.get(self.i) {
            Some((_, p)) => *p,
            None => self.s.last().map_or(Pos { line: 1, col: 1 }, |(_, p)| Pos {
                line: p.line,
                col: p.col.saturating_add(1),
            }),
        }
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }
    /// A header token: up to whitespace or `(` outside brackets.
    fn token(&mut self) -> (String, Pos) {
        self.skip_ws();
        let pos = self.pos();
        let mut depth = 0i32;
        let mut t = String::new();
        while let Some(c) = self.peek() {
            if depth == 0 && (c.is_whitespace() || c == '(') {
                break;
            }
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ => {}
            }
            t.push(c);
            self.i += 1;
        }
        (t, pos)
    }
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

impl Cur<'_> {
    fn pos_at_end(&self) -> Pos {
        self.s.last().map_or(Pos { line: 1, col: 1 }, |(_, p)| Pos {
            line: p.line,
            col: p.col.saturating_add(1),
        })
    }
}

/// The position of a quote left open between `from` and `to` (escapes honoured).
fn open_quote(s: &[(char, Pos)], from: usize, to: usize) -> Option<Pos> {
    let mut open: Option<Pos> = None;
    let mut i = from;
    while i < to {
        match s.get(i) {
            Some(('\\', _)) => i += 1,
            Some(('"', p)) => open = if open.is_some() { None } else { Some(*p) },
            _ => {}
        }
        i += 1;
    }
    open
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

fn number<T: TryFrom<u64>>(name: &str, s: &str, p: Pos, min: u64) -> Result<T, At> {
    let n: Option<u64> = s.trim().parse().ok();
    match n.filter(|n| *n >= min).and_then(|n| T::try_from(n).ok()) {
        Some(v) => Ok(v),
        None => Err(At::new(
            p,
            format!("{name} needs a number (found {:?})", s.trim()),
        )),
    }
}

/// `"text"` with `\"`, `\;`, `\\` unescaped (other escapes kept as written).
fn unquote(name: &str, s: &str, p: Pos) -> Result<String, At> {
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or_else(|| At::new(p, format!("{name} needs a quoted string")))?;
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some(n @ ('"' | ';' | '\\')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else if c == '"' {
            return Err(At::new(
                p,
                format!("{name}: unescaped \" inside the string"),
            ));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Split a list at commas outside quotes.
fn split_list(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut q = false;
    let mut esc = false;
    for (i, c) in s.char_indices() {
        if esc {
            esc = false;
            continue;
        }
        match c {
            '\\' => esc = true,
            '"' => q = !q,
            ',' if !q => {
                out.push(s.get(start..i).unwrap_or("").trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or("").trim());
    out
}

fn strip_bang(s: &str) -> (bool, &str) {
    let s = s.trim();
    match s.strip_prefix('!') {
        Some(r) => (true, r.trim_start()),
        None => (false, s),
    }
}

/// Content text: `|41 42|` hex runs between plain characters.
fn content_bytes(s: &str, p: Pos) -> Result<Vec<u8>, At> {
    let s = s.trim();
    let text = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or_else(|| At::new(p, "content needs a quoted string"))?;
    let mut out = Vec::new();
    let mut hex = false;
    let mut nib: Option<u8> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '|' {
            if nib.is_some() {
                return Err(At::new(p, "content: odd number of hex digits between |"));
            }
            hex = !hex;
            continue;
        }
        if hex {
            if c.is_whitespace() {
                continue;
            }
            let d = c.to_digit(16).ok_or_else(|| {
                At::new(p, format!("content: {c:?} is not a hex digit inside |...|"))
            })? as u8;
            match nib.take() {
                Some(h) => out.push(h << 4 | d),
                None => nib = Some(d),
            }
        } else if c == '"' {
            return Err(At::new(p, "content: unescaped \" inside the string"));
        } else if c == '\\' {
            // `\"`, `\;`, `\\`, `\|` (any escaped character): the character itself
            if let Some(n) = chars.next() {
                let mut b = [0u8; 4];
                out.extend_from_slice(n.encode_utf8(&mut b).as_bytes());
            }
        } else {
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
    }
    if hex {
        return Err(At::new(p, "content: | not closed"));
    }
    if out.is_empty() {
        return Err(At::new(p, "content is empty"));
    }
    if out.len() > MAX_CONTENT_LEN {
        return Err(At::new(
            p,
            format!("content longer than {MAX_CONTENT_LEN} octets"),
        ));
    }
    Ok(out)
}

/// Numeric comparison.
fn num_match(name: &str, s: &str, p: Pos, max: u64) -> Result<NumMatch, At> {
    let (neg, s) = strip_bang(s);
    let bad = || {
        At::new(
            p,
            format!(
                "{name} needs a number, a range N-M, a comparison (<N, >N, <=N, >=N) or a list N,M (found {s:?})"
            ),
        )
    };
    let n = |t: &str| -> Result<u64, At> {
        let t = t.trim();
        let v = if let Some(h) = t.strip_prefix("0x") {
            u64::from_str_radix(h, 16).map_err(|_| bad())?
        } else {
            t.parse::<u64>().map_err(|_| bad())?
        };
        if v > max {
            return Err(At::new(
                p,
                format!("{name}: {v} is out of range (at most {max})"),
            ));
        }
        Ok(v)
    };
    let kind = if let Some(r) = s.strip_prefix("<=") {
        NumKind::Le(n(r)?)
    } else if let Some(r) = s.strip_prefix(">=") {
        NumKind::Ge(n(r)?)
    } else if let Some(r) = s.strip_prefix('<') {
        NumKind::Lt(n(r)?)
    } else if let Some(r) = s.strip_prefix('>') {
        NumKind::Gt(n(r)?)
    } else if s.contains(',') {
        let l = s.split(',').map(n).collect::<Result<Vec<_>, _>>()?;
        if l.len() > MAX_LIST {
            return Err(At::new(p, format!("{name}: more than {MAX_LIST} values")));
        }
        NumKind::In(l)
    } else if let Some((a, b)) = s.split_once('-') {
        let (a, b) = (n(a)?, n(b)?);
        if a > b {
            return Err(At::new(p, format!("{name}: range {a}-{b} is empty")));
        }
        NumKind::Range(a, b)
    } else {
        NumKind::In(vec![n(s)?])
    };
    Ok(NumMatch { neg, kind })
}

fn words(
    name: &str,
    s: &str,
    p: Pos,
    check: impl Fn(&str) -> Option<String>,
    what: &str,
) -> Result<SetMatch, At> {
    let (neg, s) = strip_bang(s);
    let mut items = Vec::new();
    for w in s.split(',') {
        let w = w.trim();
        match check(w) {
            Some(v) => items.push(v),
            None => return Err(At::new(p, format!("{name} takes {what} (found {w:?})"))),
        }
    }
    if items.len() > MAX_LIST {
        return Err(At::new(p, format!("{name}: more than {MAX_LIST} values")));
    }
    Ok(SetMatch { neg, items })
}

/// TCAP type names (ITU and ANSI, as the record writes them).
pub const TCAP_TYPES: [&str; 10] = [
    "unidirectional",
    "begin",
    "end",
    "continue",
    "abort",
    "query_with_perm",
    "query_without_perm",
    "response",
    "conversation_with_perm",
    "conversation_without_perm",
];

fn field_value(field: Field, name: &str, s: &str, p: Pos) -> Result<FieldValue, At> {
    Ok(match field {
        Field::Buffer(_) => {
            return Err(At::new(
                p,
                format!("{name} is a sticky buffer and takes no value (write {name}; then content, pcre or prefix)"),
            ))
        }
        Field::Num(f) => FieldValue::Num(num_match(name, s, p, num_max(f))?),
        Field::Name(NameField::TcapType) => FieldValue::Set(words(
            name,
            s,
            p,
            |w| {
                let w = w.to_ascii_lowercase();
                TCAP_TYPES.contains(&w.as_str()).then_some(w)
            },
            "TCAP message types (begin, continue, end, abort, unidirectional, or ANSI package names)",
        )?),
        Field::Country(_) => FieldValue::Set(words(
            name,
            s,
            p,
            |w| {
                let ok = (w.len() == 2 && w.bytes().all(|b| b.is_ascii_alphabetic()))
                    || ((1..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()));
                ok.then(|| w.to_ascii_uppercase())
            },
            "ISO 3166 country codes (GB) or E.164 country codes (44)",
        )?),
        Field::Plmn(_) => FieldValue::Set(words(
            name,
            s,
            p,
            |w| {
                ((5..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| w.to_string())
            },
            "PLMNs as MCC+MNC digits (23415)",
        )?),
        Field::GtpPeer => FieldValue::Addr(parse_addr(s, p)?),
    })
}

/// The largest value of a numeric field.
pub fn num_max(f: NumField) -> u64 {
    match f {
        NumField::M3uaOpc | NumField::M3uaDpc => 0xff_ffff,
        NumField::M3uaSi => 15,
        NumField::M3uaNi => 3,
        NumField::GtpVersion => 7,
        NumField::GtpTeid | NumField::GtpSeq => u64::from(u32::MAX),
        NumField::MapOpcode => 255,
        _ => 255,
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

fn threshold(name: &str, s: &str, p: Pos) -> Result<Threshold, At> {
    let mut kind = None;
    let mut track = None;
    let mut count = None;
    let mut seconds = None;
    for part in s.split(',') {
        let part = part.trim();
        let (k, v) = part
            .split_once(char::is_whitespace)
            .map(|(k, v)| (k.trim(), v.trim()))
            .ok_or_else(|| At::new(p, format!("{name}: expected `key value` (found {part:?})")))?;
        match k {
            "type" if name == "threshold" => {
                kind = Some(match v {
                    "limit" => ThresholdKind::Limit,
                    "threshold" => ThresholdKind::Threshold,
                    "both" => ThresholdKind::Both,
                    _ => {
                        return Err(At::new(
                            p,
                            format!("{name}: type must be limit, threshold or both (found {v:?})"),
                        ))
                    }
                })
            }
            "track" => {
                track = Some(
                    Track::ALL
                        .iter()
                        .find(|(_, n)| *n == v)
                        .map(|(t, _)| *t)
                        .ok_or_else(|| {
                            At::new(
                                p,
                                format!("{name}: track must be by_src, by_dst, by_both or by_rule (found {v:?})"),
                            )
                        })?,
                )
            }
            "count" => count = Some(number::<u32>(&format!("{name} count"), v, p, 1)?),
            "seconds" => seconds = Some(number::<u32>(&format!("{name} seconds"), v, p, 1)?),
            _ => return Err(At::new(p, format!("{name}: unknown setting {k:?}"))),
        }
    }
    let missing = |what: &str| At::new(p, format!("{name} needs {what}"));
    if name == "threshold" && kind.is_none() {
        return Err(missing("type"));
    }
    Ok(Threshold {
        kind,
        track: track.ok_or_else(|| missing("track"))?,
        count: count.ok_or_else(|| missing("count"))?,
        seconds: seconds.ok_or_else(|| missing("seconds"))?,
    })
}

/// An address part: `any`, an address, a CIDR block, `$VAR`, `[list]`, each with `!`.
pub fn parse_addr(s: &str, p: Pos) -> Result<Addr, At> {
    parse_addr_depth(s.trim(), p, 0)
}

fn parse_addr_depth(s: &str, p: Pos, depth: usize) -> Result<Addr, At> {
    if depth > MAX_NESTING {
        return Err(At::new(p, "address lists nested too deep"));
    }
    let (neg, s) = strip_bang(s);
    let kind = if s.eq_ignore_ascii_case("any") {
        AddrKind::Any
    } else if let Some(v) = s.strip_prefix('$') {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(At::new(p, format!("bad variable name {s:?}")));
        }
        AddrKind::Var(v.to_string())
    } else if let Some(inner) = s.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| At::new(p, format!("unbalanced [ in {s:?}")))?;
        let items = split_brackets(inner)
            .into_iter()
            .map(|i| parse_addr_depth(i, p, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        if items.is_empty() || items.len() > MAX_LIST {
            return Err(At::new(
                p,
                format!("address list must have 1 to {MAX_LIST} items"),
            ));
        }
        AddrKind::List(items)
    } else {
        let (a, pre) = match s.split_once('/') {
            Some((a, x)) => (a, Some(x)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().map_err(|_| {
            At::new(
                p,
                format!(
                    "bad address {s:?} (expected any, an address, a CIDR block, $VAR or [list])"
                ),
            )
        })?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match pre {
            Some(x) => x
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| At::new(p, format!("bad prefix length in {s:?}")))?,
            None => max,
        };
        AddrKind::Net { addr, prefix }
    };
    Ok(Addr { neg, kind })
}

/// Split at commas outside brackets.
fn split_brackets(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s.get(start..i).unwrap_or("").trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = s.get(start..).unwrap_or("").trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    out
}

/// A port part: `any`, `N`, `N:M`, `N:`, `:M`, `$VAR`, `[list]`, each with `!`.
pub fn parse_port(s: &str, p: Pos) -> Result<Port, At> {
    parse_port_depth(s.trim(), p, 0)
}

fn parse_port_depth(s: &str, p: Pos, depth: usize) -> Result<Port, At> {
    if depth > MAX_NESTING {
        return Err(At::new(p, "port lists nested too deep"));
    }
    let (neg, s) = strip_bang(s);
    let bad = || {
        At::new(
            p,
            format!("bad port {s:?} (expected any, N, N:M, $VAR or [list])"),
        )
    };
    let kind = if s.eq_ignore_ascii_case("any") {
        PortKind::Any
    } else if let Some(v) = s.strip_prefix('$') {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(At::new(p, format!("bad variable name {s:?}")));
        }
        PortKind::Var(v.to_string())
    } else if let Some(inner) = s.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| At::new(p, format!("unbalanced [ in {s:?}")))?;
        let items = split_brackets(inner)
            .into_iter()
            .map(|i| parse_port_depth(i, p, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        if items.is_empty() || items.len() > MAX_LIST {
            return Err(At::new(
                p,
                format!("port list must have 1 to {MAX_LIST} items"),
            ));
        }
        PortKind::List(items)
    } else if let Some((a, b)) = s.split_once(':') {
        let lo = if a.is_empty() {
            0
        } else {
            a.parse().map_err(|_| bad())?
        };
        let hi = if b.is_empty() {
            u16::MAX
        } else {
            b.parse().map_err(|_| bad())?
        };
        if lo > hi {
            return Err(bad());
        }
        PortKind::Range(lo, hi)
    } else {
        let n: u16 = s.parse().map_err(|_| bad())?;
        PortKind::Range(n, n)
    };
    Ok(Port { neg, kind })
}
