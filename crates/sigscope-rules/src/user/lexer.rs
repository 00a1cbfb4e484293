//! The lexical layer of rule files: logical rules (comment and blank lines skipped, `\` at
//! the end of a line joining it with the next), each character with its line and column, and
//! a cursor over them for the parser.

use super::error::Pos;

/// A logical rule: its characters with their positions.
pub type Chars = Vec<(char, Pos)>;

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

/// A cursor over a logical rule.
pub(super) struct Cur<'s> {
    pub(super) s: &'s [(char, Pos)],
    pub(super) i: usize,
    pub(super) end: usize,
}

impl Cur<'_> {
    pub(super) fn peek(&self) -> Option<char> {
        if self.i >= self.end {
            return None;
        }
        self.s.get(self.i).map(|(c, _)| *c)
    }
    pub(super) fn pos(&self) -> Pos {
        match self.s.get(self.i) {
            Some((_, p)) => *p,
            None => self.s.last().map_or(Pos { line: 1, col: 1 }, |(_, p)| Pos {
                line: p.line,
                col: p.col.saturating_add(1),
            }),
        }
    }
    pub(super) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }
    /// A header token: up to whitespace or `(` outside brackets.
    pub(super) fn token(&mut self) -> (String, Pos) {
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

impl Cur<'_> {
    pub(super) fn pos_at_end(&self) -> Pos {
        self.s.last().map_or(Pos { line: 1, col: 1 }, |(_, p)| Pos {
            line: p.line,
            col: p.col.saturating_add(1),
        })
    }
}

/// The position of a quote left open between `from` and `to` (escapes honoured).
pub(super) fn open_quote(s: &[(char, Pos)], from: usize, to: usize) -> Option<Pos> {
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
