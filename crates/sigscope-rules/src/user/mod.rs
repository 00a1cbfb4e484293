//! Operator rules: a Suricata-style rule language over the decoder's typed fields.
//!
//! ```text
//! alert map any any -> any any (msg:"ATI from outside the home network"; map.opcode:71; \
//!     sccp.calling.digits; content:!"447700"; startswith; sid:9000001; rev:1; priority:1; \
//!     metadata: mitre T1430;)
//! alert gtpv2 any any -> $HOME_GTP any (msg:"Echo with private extension"; gtpv2.type:1; \
//!     gtpv2.ie:255; sid:9000002; rev:1;)
//! ```
//!
//! - Header: `alert` or `pass` (a matching `pass` rule suppresses every alert of the
//!   message, built-in and user), a protocol (`map`, `tcap`, `sccp`, `m3ua`, `sigtran` /
//!   `ss7`, `gtp`, `gtpv0`, `gtpv1`, `gtpv2`, `gtpu`, `gtpprime`, `ip`, `any`), addresses and
//!   ports (`any`, addresses, CIDR blocks, `[lists]`, `!`, `$VARS`), `->` or `<>`. A message
//!   without IP ends (MTP links) matches only `any` addresses and ports.
//! - Options as in Suricata: `msg`, `sid` (required, unique whatever the `gid`, never a
//!   built-in signature id),
//!   `rev`, `gid`, `priority` (the alert's severity, default 3), `classtype` (its
//!   category), `reference`, `metadata` (`mitre T1430` goes to `mitre_technique_id`),
//!   `content` (`!`, `nocase`, `startswith`, `endswith`, `depth`, `offset`, `|hex|`), `pcre`,
//!   `isdataat`, `byte_test`, `threshold`, `detection_filter`, plus `prefix:"882","37259"`.
//! - Field keywords name decoded fields in the record schema's terms: see [`ast::FIELDS`].
//!   Numeric ones take `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N-M`, `N,M`; a field with several
//!   values (MAP opcodes of several components, GTP IEs) matches when one value does, and
//!   its negation when the field is present and no value does. Sticky buffers (no value)
//!   select what the following `content` / `pcre` / `prefix` / `isdataat` / `byte_test` look
//!   at; a buffer with several instances matches when one instance satisfies them all.
//! - `pcre` uses the `regex` crate (linear time, no backtracking): flags `i`, `m`, `s`, `x`
//!   and `U` (ungreedy); back-references and look-around are refused when the rule loads.
//!
//! Rules compile once into matchers over [`Message`]; an index files each rule under its
//! first MAP operation code or GTP message type (else under SS7, GTP or every message), so a
//! message is matched only against the rules that can fire on it. A bad file is refused whole
//! with `file:line:col: reason` for every error ([`RuleErrors`]).

pub mod ast;
pub mod compile;
mod display;
pub mod error;
pub mod lexer;
pub mod limits;
pub mod matcher;
pub mod parser;
pub mod threshold;
pub mod values;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use sigscope_decode::Message;
use sigscope_gtp::Message as GtpMessage;

pub use ast::Rule;
pub use compile::Vars;
pub use error::{RuleError, RuleErrors};

use ast::Action;
use compile::{Compiled, IndexKey};
use error::At;
use limits::MAX_RULES;
use matcher::Scratch;
use threshold::Thresholds;

/// What an alert of a user rule says about its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// `sid`.
    pub sid: u32,
    /// `gid` (default 1).
    pub gid: u32,
    /// `rev` (default 1).
    pub rev: u32,
    /// `msg`.
    pub msg: String,
    /// `user_rule_<sid>`.
    pub name: String,
    /// `classtype`.
    pub classtype: Option<String>,
    /// `priority` (default 3): the alert's severity.
    pub priority: u8,
    /// `reference` values.
    pub references: Vec<String>,
    /// `metadata` entries other than `mitre`.
    pub metadata: Vec<(String, String)>,
    /// `metadata: mitre T...` values.
    pub mitre: Vec<String>,
    /// The file it came from.
    pub file: String,
    /// Its first line.
    pub line: u32,
}

/// Counters of the user rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleStats {
    /// Rules evaluated (after the index), over all messages.
    pub evaluated: u64,
    /// Messages a `pass` rule matched.
    pub passed: u64,
    /// Matches held back by `threshold` / `detection_filter`.
    pub thresholded: u64,
}

/// Gathers rule texts and variables, then compiles them all or none.
#[derive(Debug, Default, Clone)]
pub struct RuleSetBuilder {
    vars: Vars,
    sources: Vec<(String, String)>,
    errors: RuleErrors,
}

impl RuleSetBuilder {
    /// A variable (`name` without `$`), its value written as in a header
    /// (`"[203.0.113.0/24,198.51.100.1]"`, `"2123"`).
    pub fn var(mut self, name: &str, value: &str) -> Self {
        self.vars
            .insert(name.trim_start_matches('$').to_string(), value.to_string());
        self
    }

    /// Every variable of a table (the policy's `[vars]`).
    pub fn vars(mut self, vars: &BTreeMap<String, String>) -> Self {
        for (k, v) in vars {
            self.vars
                .insert(k.trim_start_matches('$').to_string(), v.clone());
        }
        self
    }

    /// The policy's rule files (`rules`, relative to `base_dir`, the policy file's folder)
    /// and variables (`[vars]`).
    pub fn policy(self, policy: &crate::Policy, base_dir: &Path) -> Self {
        let mut b = self.vars(&policy.vars);
        for r in &policy.rules {
            b = b.file(&base_dir.join(r));
        }
        b
    }

    /// Whether any rule text or file was given.
    pub fn has_sources(&self) -> bool {
        !self.sources.is_empty() || !self.errors.is_empty()
    }

    /// Rule text, named `name` in errors.
    pub fn text(mut self, name: &str, text: &str) -> Self {
        self.sources.push((name.to_string(), text.to_string()));
        self
    }

    /// A rule file (a file that cannot be read, or larger than
    /// [`limits::MAX_RULE_FILE_BYTES`], is an error of the build).
    pub fn file(mut self, path: &Path) -> Self {
        let name = path.display().to_string();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > limits::MAX_RULE_FILE_BYTES {
            self.errors.push(RuleError {
                file: name,
                line: 0,
                col: 0,
                reason: format!(
                    "larger than {} octets ({size})",
                    limits::MAX_RULE_FILE_BYTES
                ),
            });
            return self;
        }
        match std::fs::read_to_string(path) {
            Ok(t) => self.sources.push((name, t)),
            Err(e) => self.errors.push(RuleError {
                file: name,
                line: 0,
                col: 0,
                reason: format!("cannot read: {e}"),
            }),
        }
        self
    }

    /// Parse and compile everything: a rule set, or every error (nothing half-loaded).
    pub fn build(self) -> Result<RuleSet, RuleErrors> {
        let mut errors = self.errors;
        let mut rules: Vec<Compiled> = Vec::new();
        // sids are unique whatever their gid (the engine counts alerts per sid)
        let mut sids: BTreeMap<u32, (String, u32)> = BTreeMap::new();
        for (file, text) in &self.sources {
            for src in parser::logical_rules(text) {
                let parsed = match parser::parse_rule(&src) {
                    Ok(p) => p,
                    Err(e) => {
                        errors.push(e.in_file(file));
                        continue;
                    }
                };
                let sid = parsed.rule.sid();
                let sid_pos = parsed
                    .rule
                    .options
                    .iter()
                    .position(|o| matches!(o, ast::Opt::Sid(_)))
                    .and_then(|i| parsed.opts.get(i).copied())
                    .unwrap_or(parsed.start);
                let c = match compile::compile(&parsed, &self.vars, file) {
                    Ok(c) => c,
                    Err(e) => {
                        errors.push(e.in_file(file));
                        continue;
                    }
                };
                if crate::signatures::by_id(sid).is_some() {
                    errors.push(
                        At::new(sid_pos, format!("sid {sid} is a built-in signature id"))
                            .in_file(file),
                    );
                    continue;
                }
                if let Some((f, l)) = sids.get(&sid) {
                    errors.push(
                        At::new(sid_pos, format!("duplicate sid {sid} (first at {f}:{l})"))
                            .in_file(file),
                    );
                    continue;
                }
                if rules.len() >= MAX_RULES {
                    errors.push(
                        At::new(parsed.start, format!("more than {MAX_RULES} rules")).in_file(file),
                    );
                    break;
                }
                sids.insert(sid, (file.clone(), parsed.start.line));
                rules.push(c);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RuleSet::from_compiled(rules))
    }
}

/// Rules filed by what a message must carry for them to match.
#[derive(Debug, Default, Clone)]
struct Index {
    /// By MAP operation code (0-255).
    map_op: Vec<Vec<u32>>,
    /// By GTP version bucket (GTPv0, v1, v2, GTP') × message type.
    gtp_type: Vec<Vec<u32>>,
    /// By the value of another numeric field: each field used as a key, with its table.
    by_field: Vec<(ast::NumField, foldhash::HashMap<u64, Vec<u32>>)>,
    ss7: Vec<u32>,
    gtp: Vec<u32>,
    any: Vec<u32>,
}

/// The version bucket of a GTP message in [`Index::gtp_type`].
fn gtp_bucket(m: &GtpMessage<'_>) -> usize {
    match m {
        GtpMessage::V0(_) => 0,
        GtpMessage::V1(_) => 1,
        GtpMessage::V2(_) => 2,
        GtpMessage::Prime(_) => 3,
        GtpMessage::Runt(_) | GtpMessage::NotGtp(_) => usize::from(m.version().min(3)),
    }
}

/// Loaded user rules, compiled, with their bounded state (thresholds) and reused scratch.
/// A clone carries the state as it is.
#[derive(Debug, Default, Clone)]
pub struct RuleSet {
    rules: Vec<Compiled>,
    index: Index,
    thresholds: Thresholds,
    scratch: Scratch,
    candidates: Vec<u32>,
    hits: Vec<u32>,
    stats: RuleStats,
}

impl RuleSet {
    /// Start a set.
    pub fn builder() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }

    /// Rules from one text with variables (`name` in errors).
    pub fn parse(name: &str, text: &str, vars: &Vars) -> Result<RuleSet, RuleErrors> {
        RuleSet::builder().vars(vars).text(name, text).build()
    }

    fn from_compiled(rules: Vec<Compiled>) -> RuleSet {
        let mut index = Index {
            map_op: vec![Vec::new(); 256],
            gtp_type: vec![Vec::new(); 4 * 256],
            ..Index::default()
        };
        for (i, r) in rules.iter().enumerate() {
            let i = i as u32;
            match &r.key {
                IndexKey::MapOps(ops) => {
                    for op in ops {
                        if let Some(v) = index.map_op.get_mut(usize::from(*op)) {
                            v.push(i);
                        }
                    }
                }
                IndexKey::GtpTypes(mask, types) => {
                    for b in 0..4 {
                        if mask & (1 << b) == 0 {
                            continue;
                        }
                        for t in types {
                            if let Some(v) = index.gtp_type.get_mut(b * 256 + usize::from(*t)) {
                                v.push(i);
                            }
                        }
                    }
                }
                IndexKey::Field(f, values) => {
                    let at = match index.by_field.iter().position(|(g, _)| g == f) {
                        Some(at) => at,
                        None => {
                            index.by_field.push((*f, foldhash::HashMap::default()));
                            index.by_field.len() - 1
                        }
                    };
                    if let Some((_, table)) = index.by_field.get_mut(at) {
                        for v in values {
                            table.entry(*v).or_default().push(i);
                        }
                    }
                }
                IndexKey::Ss7 => index.ss7.push(i),
                IndexKey::Gtp => index.gtp.push(i),
                IndexKey::Any => index.any.push(i),
            }
        }
        RuleSet {
            rules,
            index,
            ..RuleSet::default()
        }
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// No rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every rule as written, with what its alerts say.
    pub fn rules(&self) -> impl Iterator<Item = (&Rule, &Arc<RuleMeta>)> {
        self.rules.iter().map(|c| (&c.rule, &c.meta))
    }

    /// The rule with this sid.
    pub fn meta(&self, sid: u32) -> Option<&Arc<RuleMeta>> {
        self.rules.iter().map(|c| &c.meta).find(|m| m.sid == sid)
    }

    /// Counters.
    pub fn stats(&self) -> &RuleStats {
        &self.stats
    }

    /// Threshold table entries and resets.
    pub fn threshold_state(&self) -> (usize, u64) {
        (self.thresholds.len(), self.thresholds.resets)
    }

    /// Match `m` against the rules that can fire on it. Returns whether a `pass` rule
    /// matched; the alert rules that fired (after their thresholds) wait for
    /// [`RuleSet::drain`]. Out of line: the engine's code for a message stays small when no
    /// rules are loaded.
    #[inline(never)]
    pub fn evaluate(&mut self, m: &Message<'_>) -> bool {
        self.hits.clear();
        self.candidates.clear();
        let idx = &self.index;
        let c = &mut self.candidates;
        c.extend_from_slice(&idx.any);
        match m.gtp {
            Some(g) => {
                c.extend_from_slice(&idx.gtp);
                let b = gtp_bucket(&g.decoded.message);
                let t = usize::from(g.decoded.message.message_type());
                if let Some(v) = idx.gtp_type.get(b * 256 + t) {
                    c.extend_from_slice(v);
                }
            }
            None => {
                c.extend_from_slice(&idx.ss7);
                for e in m.map {
                    let op = e.opcode.and_then(|o| usize::try_from(o).ok());
                    if let Some(v) = op.and_then(|o| idx.map_op.get(o)) {
                        c.extend_from_slice(v);
                    }
                }
            }
        }
        for (f, table) in &idx.by_field {
            matcher::each_num(m, *f, &mut |v| {
                if let Some(list) = table.get(&v) {
                    c.extend_from_slice(list);
                }
                false
            });
        }
        if c.is_empty() {
            return false;
        }
        // file order, each rule once (a rule filed under several values a message has)
        if !c.windows(2).all(|w| matches!(w, [a, b] if a <= b)) {
            c.sort_unstable();
        }
        c.dedup();
        let ts = m.ts_nanos as f64 / 1e9;
        let mut passed = false;
        for &i in c.iter() {
            let Some(r) = self.rules.get(i as usize) else {
                continue;
            };
            self.stats.evaluated += 1;
            if !matcher::matches(r, m, &mut self.scratch) {
                continue;
            }
            if let Some(t) = &r.threshold {
                if !self.thresholds.admit(i, t, m, ts) {
                    self.stats.thresholded += 1;
                    continue;
                }
            }
            match r.action {
                Action::Pass => passed = true,
                Action::Alert => self.hits.push(i),
            }
        }
        if passed {
            self.stats.passed += 1;
            self.hits.clear();
        }
        passed
    }

    /// Hand the rules that fired on `m` in [`RuleSet::evaluate`] to `out`, with their
    /// evidence (built here, only for rules that fired).
    pub fn drain(&mut self, m: &Message<'_>, out: &mut dyn FnMut(&Arc<RuleMeta>, Value)) {
        for &i in &self.hits {
            if let Some(r) = self.rules.get(i as usize) {
                let ev = matcher::evidence(r, m, &mut self.scratch);
                out(&r.meta, ev);
            }
        }
        self.hits.clear();
    }
}
