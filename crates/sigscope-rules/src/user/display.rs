//! Rules printed back as rule text (`Display`): parse → print → parse gives an equal rule.

use core::fmt;

use super::ast::*;

/// Write `s` quoted, escaping `\`, `"` and `;`.
fn quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        if matches!(c, '\\' | '"' | ';') {
            f.write_str("\\")?;
        }
        fmt::Write::write_char(f, c)?;
    }
    f.write_str("\"")
}

/// Content octets: printable ASCII as is (`\`, `"`, `;` escaped), the rest as `|hex|`.
fn content_text(f: &mut fmt::Formatter<'_>, b: &[u8]) -> fmt::Result {
    f.write_str("\"")?;
    let mut in_hex = false;
    for &c in b {
        let plain = (0x20..0x7f).contains(&c) && c != b'|';
        if plain == in_hex {
            f.write_str("|")?;
            in_hex = !in_hex;
        } else if in_hex {
            f.write_str(" ")?;
        }
        if in_hex {
            write!(f, "{c:02x}")?;
        } else {
            if matches!(c, b'\\' | b'"' | b';') {
                f.write_str("\\")?;
            }
            fmt::Write::write_char(f, char::from(c))?;
        }
    }
    if in_hex {
        f.write_str("|")?;
    }
    f.write_str("\"")
}

fn bang(f: &mut fmt::Formatter<'_>, neg: bool) -> fmt::Result {
    if neg {
        f.write_str("!")?;
    }
    Ok(())
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bang(f, self.neg)?;
        match &self.kind {
            AddrKind::Any => f.write_str("any"),
            AddrKind::Net { addr, prefix } => {
                let full = if addr.is_ipv4() { 32 } else { 128 };
                if *prefix == full {
                    write!(f, "{addr}")
                } else {
                    write!(f, "{addr}/{prefix}")
                }
            }
            AddrKind::Var(v) => write!(f, "${v}"),
            AddrKind::List(l) => {
                f.write_str("[")?;
                for (i, a) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bang(f, self.neg)?;
        match &self.kind {
            PortKind::Any => f.write_str("any"),
            PortKind::Range(a, b) if a == b => write!(f, "{a}"),
            PortKind::Range(a, b) => write!(f, "{a}:{b}"),
            PortKind::Var(v) => write!(f, "${v}"),
            PortKind::List(l) => {
                f.write_str("[")?;
                for (i, p) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{p}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for NumMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bang(f, self.neg)?;
        match &self.kind {
            NumKind::In(l) => {
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            NumKind::Lt(n) => write!(f, "<{n}"),
            NumKind::Gt(n) => write!(f, ">{n}"),
            NumKind::Le(n) => write!(f, "<={n}"),
            NumKind::Ge(n) => write!(f, ">={n}"),
            NumKind::Range(a, b) => write!(f, "{a}-{b}"),
        }
    }
}

impl fmt::Display for SetMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bang(f, self.neg)?;
        f.write_str(&self.items.join(","))
    }
}

impl fmt::Display for Opt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Opt::Msg(m) => {
                f.write_str("msg:")?;
                quoted(f, m)
            }
            Opt::Sid(n) => write!(f, "sid:{n}"),
            Opt::Rev(n) => write!(f, "rev:{n}"),
            Opt::Gid(n) => write!(f, "gid:{n}"),
            Opt::Priority(n) => write!(f, "priority:{n}"),
            Opt::Classtype(c) => write!(f, "classtype:{c}"),
            Opt::Reference(r) => write!(f, "reference:{r}"),
            Opt::Metadata(kv) => {
                f.write_str("metadata:")?;
                for (i, (k, v)) in kv.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} {v}")?;
                }
                Ok(())
            }
            Opt::Field(field, None) => f.write_str(field.name()),
            Opt::Field(field, Some(v)) => {
                write!(f, "{}:", field.name())?;
                match v {
                    FieldValue::Num(n) => write!(f, "{n}"),
                    FieldValue::Set(s) => write!(f, "{s}"),
                    FieldValue::Addr(a) => write!(f, "{a}"),
                }
            }
            Opt::Content(c) => {
                f.write_str("content:")?;
                bang(f, c.neg)?;
                content_text(f, &c.bytes)?;
                if c.nocase {
                    f.write_str("; nocase")?;
                }
                if c.startswith {
                    f.write_str("; startswith")?;
                }
                if c.endswith {
                    f.write_str("; endswith")?;
                }
                if let Some(o) = c.offset {
                    write!(f, "; offset:{o}")?;
                }
                if let Some(d) = c.depth {
                    write!(f, "; depth:{d}")?;
                }
                Ok(())
            }
            Opt::Pcre(p) => {
                f.write_str("pcre:")?;
                bang(f, p.neg)?;
                quoted(f, &format!("/{}/{}", p.pattern, p.flags))
            }
            Opt::Prefix(s) => {
                f.write_str("prefix:")?;
                bang(f, s.neg)?;
                for (i, p) in s.items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    quoted(f, p)?;
                }
                Ok(())
            }
            Opt::IsDataAt { neg, n, relative } => {
                f.write_str("isdataat:")?;
                bang(f, *neg)?;
                write!(f, "{n}")?;
                if *relative {
                    f.write_str(",relative")?;
                }
                Ok(())
            }
            Opt::ByteTest(b) => {
                write!(f, "byte_test:{},", b.nbytes)?;
                bang(f, b.neg)?;
                write!(f, "{},{},{}", b.op.text(), b.value, b.offset)?;
                if b.relative {
                    f.write_str(",relative")?;
                }
                if b.little {
                    f.write_str(",little")?;
                }
                Ok(())
            }
            Opt::Threshold(t) => {
                match t.kind {
                    Some(k) => write!(
                        f,
                        "threshold:type {}, ",
                        match k {
                            ThresholdKind::Limit => "limit",
                            ThresholdKind::Threshold => "threshold",
                            ThresholdKind::Both => "both",
                        }
                    )?,
                    None => f.write_str("detection_filter:")?,
                }
                write!(
                    f,
                    "track {}, count {}, seconds {}",
                    t.track.text(),
                    t.count,
                    t.seconds
                )
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {} {} (",
            match self.action {
                Action::Alert => "alert",
                Action::Pass => "pass",
            },
            self.proto.name(),
            self.src,
            self.sport,
            match self.dir {
                Dir::To => "->",
                Dir::Both => "<>",
            },
            self.dst,
            self.dport
        )?;
        for (i, o) in self.options.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{o};")?;
        }
        f.write_str(")")
    }
}
