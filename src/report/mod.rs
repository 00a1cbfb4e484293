//! The HTML report of a capture: a summary (frames, messages per protocol, time span,
//! alerts by severity and by signature), the alerts table, and for every flagged exchange a
//! ladder (sequence) diagram in inline SVG, plus a timeline of message times for beacon
//! alerts. One self-contained file: inline CSS, no scripts, nothing fetched.
//!
//! A [`Report`] is fed every message with its alerts ([`Report::observe`]). Messages are
//! grouped into flows — a TCAP transaction between two parties, else the peer pair (global
//! titles, point codes or IP addresses) — and each flow keeps only its first [`FLOW_HEAD`]
//! and last [`FLOW_TAIL`] messages, for at most [`MAX_FLOWS`] flows. Everything taken from
//! the capture is escaped when written ([`html::escape`]): the capture is hostile.

pub mod html;
pub mod ladder;

use std::collections::{BTreeMap, HashMap, VecDeque};

use sigscope_decode::{Message, Party};
use sigscope_rules::Alert;
use sigscope_tcap::Tcap;

use crate::share::signature;

/// Most flows followed at once; when full, flows without alerts are forgotten first.
pub const MAX_FLOWS: usize = 4096;
/// Messages kept from the start of each flow.
pub const FLOW_HEAD: usize = 12;
/// Messages kept from the end of each flow.
pub const FLOW_TAIL: usize = 12;
/// Most participants drawn in one ladder (further ends share the last column).
pub const MAX_PARTICIPANTS: usize = 6;
/// Most ladders drawn (flagged flows, in order of their first alert).
pub const MAX_LADDERS: usize = 40;
/// Most alert rows listed (all are counted).
pub const MAX_ALERT_ROWS: usize = 2_000;
/// Longest evidence text shown in the alerts table (characters).
pub const MAX_EVIDENCE_CHARS: usize = 400;
/// Most message times kept per flow for beacon timelines.
pub const MAX_TIMELINE_POINTS: usize = 256;

/// A flow's identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlowKey {
    /// A TCAP transaction: the direction-independent key of the two ends and the
    /// originating transaction id (hex).
    Tcap(u64, String),
    /// Two ends (global titles, point codes or addresses), in sorted order.
    Peers(String, String),
}

/// One message drawn as an arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Frame number.
    pub frame: u64,
    /// Capture time.
    pub ts_nanos: u64,
    /// Sender's participant index.
    pub from: usize,
    /// Receiver's participant index.
    pub to: usize,
    /// MAP operation, TCAP / SCCP / GTP message type.
    pub label: String,
    /// Signatures that flagged this message.
    pub flagged: Vec<&'static str>,
}

/// One exchange and the messages kept of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// The key.
    pub key: FlowKey,
    /// Participant labels (global title with country, point code or address).
    pub participants: Vec<String>,
    /// The first messages.
    pub head: Vec<Step>,
    /// The last messages (after the head), flagged ones kept over unflagged ones.
    pub tail: VecDeque<Step>,
    /// Messages seen.
    pub total: u64,
    /// Alerts raised on its messages.
    pub alerts: u64,
    /// A beacon signature flagged it.
    pub beacon: bool,
    /// Message times (the first [`MAX_TIMELINE_POINTS`]).
    pub times: Vec<u64>,
}

impl Flow {
    fn new(key: FlowKey) -> Flow {
        Flow {
            key,
            participants: Vec::new(),
            head: Vec::new(),
            tail: VecDeque::new(),
            total: 0,
            alerts: 0,
            beacon: false,
            times: Vec::new(),
        }
    }

    fn participant(&mut self, label: String) -> usize {
        if let Some(i) = self.participants.iter().position(|p| *p == label) {
            return i;
        }
        if self.participants.len() < MAX_PARTICIPANTS {
            self.participants.push(label);
            self.participants.len() - 1
        } else {
            MAX_PARTICIPANTS - 1
        }
    }

    fn push(&mut self, step: Step) {
        self.total = self.total.saturating_add(1);
        if self.times.len() < MAX_TIMELINE_POINTS {
            self.times.push(step.ts_nanos);
        }
        if self.head.len() < FLOW_HEAD {
            self.head.push(step);
        } else {
            if self.tail.len() >= FLOW_TAIL {
                // flagged messages are kept over unflagged ones, oldest unflagged first
                match self.tail.iter().position(|s| s.flagged.is_empty()) {
                    Some(i) => {
                        self.tail.remove(i);
                    }
                    None => {
                        self.tail.pop_front();
                    }
                }
            }
            self.tail.push_back(step);
        }
    }

    /// Messages seen but not kept (between the head and the tail).
    pub fn elided(&self) -> u64 {
        self.total
            .saturating_sub((self.head.len() + self.tail.len()) as u64)
    }
}

/// One row of the alerts table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    /// Frame.
    pub frame: u64,
    /// Time.
    pub ts_nanos: u64,
    /// Signature id, name, title and severity.
    pub sig_id: u32,
    /// Signature name.
    pub sig_name: &'static str,
    /// Signature title.
    pub title: &'static str,
    /// Severity (1 high).
    pub severity: u8,
    /// Sender and receiver as the ladder names them.
    pub src: String,
    /// Receiver.
    pub dst: String,
    /// Evidence JSON (cut at [`MAX_EVIDENCE_CHARS`]).
    pub evidence: String,
}

/// Everything the report shows, gathered message by message.
#[derive(Debug, Default)]
pub struct Report {
    /// Frames read (set by the caller at the end).
    pub frames: u64,
    /// Messages observed.
    pub messages: u64,
    /// Messages per protocol (the innermost decoded layer).
    pub per_protocol: BTreeMap<&'static str, u64>,
    /// First and last message time.
    pub span: Option<(u64, u64)>,
    /// Alerts per severity.
    pub per_severity: BTreeMap<u8, u64>,
    /// Alerts per signature name.
    pub per_signature: BTreeMap<&'static str, u64>,
    /// Alerts counted.
    pub alert_count: u64,
    /// Alert rows (the first [`MAX_ALERT_ROWS`]).
    pub alerts: Vec<AlertRow>,
    flows: HashMap<FlowKey, Flow>,
    /// Flagged flows in order of their first alert.
    pub flagged: Vec<FlowKey>,
    /// Flows forgotten or never followed because the table was full.
    pub dropped_flows: u64,
}

/// The innermost protocol a message decoded to.
fn protocol(m: &Message<'_>) -> &'static str {
    if !m.map.is_empty() {
        "MAP"
    } else if m.tcap.is_some() {
        "TCAP"
    } else if m.sccp.is_some() {
        "SCCP"
    } else if let Some(u) = m.path.and_then(|p| p.upper) {
        match u.as_str() {
            "gtpv0" => "GTPv0",
            "gtpv1" => "GTPv1-C",
            "gtpu" => "GTPv1-U",
            "gtpv2" => "GTPv2-C",
            "gtp_prime" => "GTP'",
            "m3ua" => "M3UA",
            "m2pa" => "M2PA",
            "m2ua" => "M2UA",
            "sua" => "SUA",
            _ => "GTP (not decoded)",
        }
    } else if m.mtp3.is_some() {
        "MTP3"
    } else {
        "other"
    }
}

fn party_label(p: &Party<'_>) -> Option<String> {
    let d = p.digits_str().filter(|d| !d.is_empty())?;
    Some(match p.country_name() {
        Some(c) => format!("GT {d} ({c})"),
        None => format!("GT {d}"),
    })
}

/// The two ends of a message as the ladder names them.
pub fn ends(m: &Message<'_>) -> (String, String) {
    let (calling, called) = m.parties();
    let gt = (calling.and_then(party_label), called.and_then(party_label));
    if let (Some(a), Some(b)) = gt {
        return (a, b);
    }
    if m.gtp.is_none() {
        if let Some(l) = m.mtp3 {
            return (format!("PC {}", l.opc), format!("PC {}", l.dpc));
        }
    }
    match m.endpoints {
        Some(e) => (e.src.to_string(), e.dst.to_string()),
        None => ("?".to_string(), "?".to_string()),
    }
}

fn tid_hex(t: Option<sigscope_tcap::message::TransactionId<'_>>) -> Option<String> {
    t.map(|t| t.hex().as_str().to_string())
}

/// What the arrow of a message says.
fn step_label(m: &Message<'_>) -> String {
    if !m.map.is_empty() {
        let ops: Vec<String> = m
            .map
            .iter()
            .map(|e| {
                let op = e
                    .operation()
                    .map(str::to_string)
                    .or_else(|| e.opcode.map(|c| format!("op {c}")))
                    .unwrap_or_else(|| "?".to_string());
                match e.component.as_str() {
                    "invoke" => op,
                    k => format!("{op} ({k})"),
                }
            })
            .collect();
        return ops.join(", ");
    }
    if let Some(t) = m.tcap {
        return match &t.tcap {
            Tcap::Itu(x) => format!("TCAP {}", x.msg_type),
            Tcap::Ansi(x) => format!("TCAP {}", x.package),
        };
    }
    if let Some(s) = m.sccp {
        return match s.msg.msg_type.name() {
            Some(n) => format!("SCCP {n}"),
            None => format!("SCCP {}", s.msg.msg_type.0),
        };
    }
    if let Some(g) = m.gtp {
        let msg = &g.decoded.message;
        return match msg.name() {
            Some(n) => format!("GTPv{} {n}", msg.version()),
            None => format!("GTP type {}", msg.message_type()),
        };
    }
    match m.m3ua() {
        Some(x) => format!("M3UA {}", x.name().unwrap_or("?")),
        None => m
            .path
            .and_then(|p| p.upper)
            .map_or_else(|| "frame".to_string(), |u| u.as_str().to_string()),
    }
}

impl Report {
    /// An empty report.
    pub fn new() -> Report {
        Report::default()
    }

    /// The flow of a message.
    fn key(&self, m: &Message<'_>, ends: &(String, String)) -> FlowKey {
        if let Some(t) = m.tcap {
            let (o, d) = match &t.tcap {
                Tcap::Itu(x) => (tid_hex(x.otid), tid_hex(x.dtid)),
                Tcap::Ansi(x) => (tid_hex(x.otid), tid_hex(x.rtid)),
            };
            // a Begin names the transaction by its otid; an End by its dtid; a Continue
            // by whichever of the two a flow already carries
            let known = |tid: &Option<String>| {
                tid.as_ref().is_some_and(|x| {
                    self.flows
                        .contains_key(&FlowKey::Tcap(t.peer_key, x.clone()))
                })
            };
            let tid = if known(&d) {
                d
            } else if known(&o) {
                o
            } else {
                o.or(d)
            };
            if let Some(tid) = tid {
                return FlowKey::Tcap(t.peer_key, tid);
            }
        }
        let (a, b) = ends;
        if a <= b {
            FlowKey::Peers(a.clone(), b.clone())
        } else {
            FlowKey::Peers(b.clone(), a.clone())
        }
    }

    /// Room for one more flow: forget unflagged flows when the table is full.
    fn make_room(&mut self) -> bool {
        if self.flows.len() < MAX_FLOWS {
            return true;
        }
        let before = self.flows.len();
        self.flows.retain(|_, f| f.alerts > 0);
        self.dropped_flows = self
            .dropped_flows
            .saturating_add((before - self.flows.len()) as u64);
        self.flows.len() < MAX_FLOWS
    }

    /// Take one message and the alerts it raised.
    pub fn observe(&mut self, m: &Message<'_>, alerts: &[Alert]) {
        self.messages = self.messages.saturating_add(1);
        *self.per_protocol.entry(protocol(m)).or_insert(0) += 1;
        if m.path.is_some() || m.ts_nanos > 0 {
            self.span = Some(match self.span {
                Some((a, b)) => (a.min(m.ts_nanos), b.max(m.ts_nanos)),
                None => (m.ts_nanos, m.ts_nanos),
            });
        }
        if m.path.is_none() && alerts.is_empty() {
            // anomaly-only frames and end-of-input reports are not exchanges
            return;
        }
        let ends = ends(m);
        let key = self.key(m, &ends);
        if !self.flows.contains_key(&key) && !self.make_room() {
            self.dropped_flows = self.dropped_flows.saturating_add(1);
            for a in alerts {
                self.add_alert(a, &ends);
            }
            return;
        }
        let flow = self
            .flows
            .entry(key.clone())
            .or_insert_with(|| Flow::new(key.clone()));
        let from = flow.participant(ends.0.clone());
        let to = flow.participant(ends.1.clone());
        let mut flagged = Vec::new();
        for s in alerts.iter().filter_map(signature) {
            flagged.push(s.name);
            if s.name.contains("beacon") {
                flow.beacon = true;
            }
        }
        if !alerts.is_empty() {
            if flow.alerts == 0 {
                self.flagged.push(key);
            }
            flow.alerts = flow.alerts.saturating_add(alerts.len() as u64);
        }
        flow.push(Step {
            frame: m.frame,
            ts_nanos: m.ts_nanos,
            from,
            to,
            label: step_label(m),
            flagged,
        });
        for a in alerts {
            self.add_alert(a, &ends);
        }
    }

    fn add_alert(&mut self, a: &Alert, ends: &(String, String)) {
        let Some(s) = signature(a) else {
            return;
        };
        self.alert_count = self.alert_count.saturating_add(1);
        *self.per_severity.entry(s.severity).or_insert(0) += 1;
        *self.per_signature.entry(s.name).or_insert(0) += 1;
        if self.alerts.len() >= MAX_ALERT_ROWS {
            return;
        }
        let mut evidence = a.evidence.to_string();
        if evidence.chars().count() > MAX_EVIDENCE_CHARS {
            evidence = evidence.chars().take(MAX_EVIDENCE_CHARS).collect();
            evidence.push('…');
        }
        self.alerts.push(AlertRow {
            frame: a.frame,
            ts_nanos: a.ts_nanos,
            sig_id: s.id,
            sig_name: s.name,
            title: s.title,
            severity: s.severity,
            src: ends.0.clone(),
            dst: ends.1.clone(),
            evidence,
        });
    }

    /// The flagged flows to draw (at most [`MAX_LADDERS`]).
    pub fn flagged_flows(&self) -> impl Iterator<Item = &Flow> {
        self.flagged
            .iter()
            .filter_map(|k| self.flows.get(k))
            .take(MAX_LADDERS)
    }

    /// The whole report as one HTML page.
    pub fn to_html(&self, title: &str) -> String {
        html::page(self, title)
    }
}
