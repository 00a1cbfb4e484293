//! Counts per layer, message type and anomaly code, kept from typed messages without
//! building a string per message (keys are static names or numbers).

use std::collections::BTreeMap;

use foldhash::HashMap;

use sigscope_decode::{Adaptation, Message};
use sigscope_tcap::Tcap;

/// What a layer's message is called in the counts: its name, or its type number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// The layer alone.
    None,
    /// A name.
    Name(&'static str),
    /// A number (no name assigned).
    Num(u64),
}

/// The counts.
#[derive(Debug, Default)]
pub struct Stats {
    /// Messages counted.
    pub records: u64,
    counts: HashMap<(&'static str, Label), u64>,
    anomalies: HashMap<(&'static str, &'static str), u64>,
}

fn named(name: Option<&'static str>, num: u64) -> Label {
    name.map_or(Label::Num(num), Label::Name)
}

impl Stats {
    /// Empty counts.
    pub fn new() -> Self {
        Self::default()
    }

    fn bump(&mut self, layer: &'static str, label: Label) {
        *self.counts.entry((layer, Label::None)).or_default() += 1;
        if label != Label::None {
            *self.counts.entry((layer, label)).or_default() += 1;
        }
    }

    /// Count one message.
    pub fn add(&mut self, m: &Message<'_>) {
        self.records += 1;
        if m.sctp.is_some() {
            self.bump("sctp", Label::None);
        }
        match &m.adaptation {
            Some(Adaptation::M2ua(x)) => self.bump(
                "m2ua",
                named(
                    sigscope_sigtran::m2pa::m2ua_message_name(x.class, x.msg_type),
                    u64::from(x.msg_type),
                ),
            ),
            Some(Adaptation::M2pa(x)) => self.bump("m2pa", Label::Num(u64::from(x.msg_type))),
            Some(Adaptation::M3ua(x)) => {
                self.bump("m3ua", named(x.name(), u64::from(x.msg.msg_type())))
            }
            Some(Adaptation::Sua(x)) => {
                self.bump("sua", named(x.name(), u64::from(x.msg.msg_type())))
            }
            None => {}
        }
        // The MTP3 label of an M3UA message repeats its Protocol Data: counted once.
        if m.mtp3.is_some() && m.m3ua().is_none() {
            self.bump("mtp3", Label::None);
        }
        if let Some(s) = &m.sccp {
            let t = s.msg.msg_type;
            self.bump("sccp", named(t.name(), u64::from(t.0)));
        }
        if let Some(t) = &m.tcap {
            let l = match &t.tcap {
                Tcap::Itu(x) => named(x.msg_type.name(), u64::from(x.msg_type.0)),
                Tcap::Ansi(x) => named(x.package.name(), u64::from(x.package.0)),
            };
            self.bump("tcap", l);
        }
        if !m.map.is_empty() {
            self.bump("map", Label::None);
        }
        if let Some(g) = &m.gtp {
            let msg = &g.decoded.message;
            let l = match msg {
                sigscope_gtp::Message::NotGtp(_) => Label::None,
                _ => named(msg.name(), u64::from(msg.message_type())),
            };
            self.bump("gtp", l);
        }
        for a in m.anomalies {
            *self
                .anomalies
                .entry((a.layer.as_str(), a.code.as_str()))
                .or_default() += 1;
        }
    }

    /// The counts as `key → count`, keys as `sigscope stats` prints them (`gtp`,
    /// `gtp.echo_request`, `anomaly.gtp.not_gtp`, ...), sorted.
    pub fn lines(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for ((layer, label), n) in &self.counts {
            let k = match label {
                Label::None => layer.to_string(),
                Label::Name(s) => format!("{layer}.{s}"),
                Label::Num(v) => format!("{layer}.{v}"),
            };
            *out.entry(k).or_default() += n;
        }
        for ((layer, code), n) in &self.anomalies {
            *out.entry(format!("anomaly.{layer}.{code}")).or_default() += n;
        }
        out
    }
}
