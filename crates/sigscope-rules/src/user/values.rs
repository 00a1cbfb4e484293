//! Option and header values: numbers, quoted strings, content with `|hex|`, numeric
//! comparisons, word sets, thresholds, addresses and ports — each checked for its keyword's
//! type, with the reason when it is not.

use std::net::IpAddr;

use super::ast::*;
use super::error::{At, Pos};
use super::limits::*;

pub(super) fn number<T: TryFrom<u64>>(name: &str, s: &str, p: Pos, min: u64) -> Result<T, At> {
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
pub(super) fn unquote(name: &str, s: &str, p: Pos) -> Result<String, At> {
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
pub(super) fn split_list(s: &str) -> Vec<&str> {
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

pub(super) fn strip_bang(s: &str) -> (bool, &str) {
    let s = s.trim();
    match s.strip_prefix('!') {
        Some(r) => (true, r.trim_start()),
        None => (false, s),
    }
}

/// Content text: `|41 42|` hex runs between plain characters.
pub(super) fn content_bytes(s: &str, p: Pos) -> Result<Vec<u8>, At> {
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
pub(super) fn num_match(name: &str, s: &str, p: Pos, max: u64) -> Result<NumMatch, At> {
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

pub(super) fn words(
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

pub(super) fn field_value(field: Field, name: &str, s: &str, p: Pos) -> Result<FieldValue, At> {
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

pub(super) fn threshold(name: &str, s: &str, p: Pos) -> Result<Threshold, At> {
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

/// The name of a `$NAME` variable (`v`: what follows the `$` in `s`).
fn var_name(s: &str, v: &str, p: Pos) -> Result<String, At> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(At::new(p, format!("bad variable name {s:?}")));
    }
    Ok(v.to_string())
}

/// The items of a `[a, b, ...]` list (`inner`: what follows the `[` in `s`), each read by
/// `item`; 1 to [`MAX_LIST`] of them.
fn bracket_list<T>(
    s: &str,
    inner: &str,
    p: Pos,
    what: &str,
    item: impl Fn(&str) -> Result<T, At>,
) -> Result<Vec<T>, At> {
    let inner = inner
        .strip_suffix(']')
        .ok_or_else(|| At::new(p, format!("unbalanced [ in {s:?}")))?;
    let items = split_brackets(inner)
        .into_iter()
        .map(item)
        .collect::<Result<Vec<_>, _>>()?;
    if items.is_empty() || items.len() > MAX_LIST {
        return Err(At::new(
            p,
            format!("{what} list must have 1 to {MAX_LIST} items"),
        ));
    }
    Ok(items)
}

fn parse_addr_depth(s: &str, p: Pos, depth: usize) -> Result<Addr, At> {
    if depth > MAX_NESTING {
        return Err(At::new(p, "address lists nested too deep"));
    }
    let (neg, s) = strip_bang(s);
    let kind = if s.eq_ignore_ascii_case("any") {
        AddrKind::Any
    } else if let Some(v) = s.strip_prefix('$') {
        AddrKind::Var(var_name(s, v, p)?)
    } else if let Some(inner) = s.strip_prefix('[') {
        AddrKind::List(bracket_list(s, inner, p, "address", |i| {
            parse_addr_depth(i, p, depth + 1)
        })?)
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
        PortKind::Var(var_name(s, v, p)?)
    } else if let Some(inner) = s.strip_prefix('[') {
        PortKind::List(bracket_list(s, inner, p, "port", |i| {
            parse_port_depth(i, p, depth + 1)
        })?)
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
