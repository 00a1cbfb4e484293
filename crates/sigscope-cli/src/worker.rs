//! What is done with each decoded message: a decode record or table row, the alerts of the
//! engine as EVE lines or table rows, or counts. One worker per thread.

use std::io::Write;
use std::sync::Arc;

use sigscope::decode::Message;
use sigscope::record::{table, write_record};
use sigscope::rules::{Alert, Engine};
use sigscope::stats::Stats;

use crate::ui::Ui;
use crate::Format;

/// Alert evidence longer than this is cut in the table.
const TABLE_EVIDENCE_MAX: usize = 110;

/// What a worker does.
pub enum Task {
    /// Decode records or table rows.
    Decode(Format),
    /// Alerts.
    Detect {
        /// Output format.
        format: Format,
        /// Alerts of a severity number above this are not written (1 high .. 3 low).
        max_severity: u8,
        /// The engine (one per worker).
        engine: Box<Engine>,
    },
    /// Counts.
    Stats(Box<Stats>),
}

/// One worker.
pub struct Worker {
    /// Its task.
    pub task: Task,
    /// Alerts written (findings; tagged flow members not counted).
    pub alerts: u64,
    /// Tagged flow members written.
    pub tagged: u64,
    ui: Ui,
    file: Option<Arc<str>>,
}

impl Worker {
    /// A worker for `task`.
    pub fn new(task: Task, ui: Ui) -> Worker {
        Worker {
            task,
            alerts: 0,
            tagged: 0,
            ui,
            file: None,
        }
    }

    /// The input now decoded, named in output lines when there are several.
    pub fn set_file(&mut self, file: Option<Arc<str>>) {
        self.file = file;
    }

    /// Learn from a message another worker reports ([`Engine::learn`]): the engine's state,
    /// and the lines of this worker's own messages that a finding on it names; other tasks
    /// ignore it.
    pub fn learn(&mut self, m: &Message<'_>, out: &mut Vec<u8>) {
        if matches!(self.task, Task::Detect { .. }) {
            self.handle(m, out, true);
        }
    }

    /// Handle one message, writing its output lines into `out`.
    pub fn message(&mut self, m: &Message<'_>, out: &mut Vec<u8>) {
        self.handle(m, out, false);
    }

    fn handle(&mut self, m: &Message<'_>, out: &mut Vec<u8>, learn: bool) {
        let (ui, file) = (self.ui, self.file.as_deref());
        match &mut self.task {
            Task::Decode(Format::Json) => {
                let start = out.len();
                write_record(out, m);
                if let Some(f) = file {
                    // one more key, last: the capture the frame number counts in
                    if out.last() == Some(&b'}') && out.len() > start + 2 {
                        out.pop();
                        out.extend_from_slice(b",\"file\":");
                        let _ = serde_json::to_writer(&mut *out, f);
                        out.push(b'}');
                    }
                }
                out.push(b'\n');
            }
            Task::Decode(Format::Table) => {
                if let Some(f) = file {
                    let _ = write!(out, "{f}: ");
                }
                let _ = writeln!(out, "{}", table::row(m));
            }
            Task::Decode(Format::None) => {
                std::hint::black_box(m);
            }
            Task::Detect {
                format,
                max_severity,
                engine,
            } => {
                let (format, max) = (*format, *max_severity);
                let (alerts, tagged) = (&mut self.alerts, &mut self.tagged);
                let mut write = |a: Alert| {
                    if a.sig.severity() > max {
                        return;
                    }
                    if a.tagged {
                        *tagged += 1;
                    } else {
                        *alerts += 1;
                    }
                    match format {
                        Format::Json => {
                            sigscope::eve::write_alert_in(out, &a, Some(m), file);
                            out.push(b'\n');
                        }
                        Format::Table => {
                            if let Some(f) = file {
                                let _ = write!(out, "{f}: ");
                            }
                            let _ = writeln!(out, "{}", alert_row(&ui, &a));
                        }
                        Format::None => {}
                    }
                };
                if learn {
                    engine.learn(m, &mut write);
                } else {
                    engine.observe(m, &mut write);
                }
            }
            Task::Stats(st) => st.add(m),
        }
    }
}

/// The alert table's header.
pub fn alert_header(ui: &Ui) -> String {
    ui.bold(&format!(
        "{:>6}  {:>4}  {:<3}  {:<34}  {}",
        "frame", "sid", "sev", "signature", "evidence"
    ))
}

/// One alert as a table row.
pub fn alert_row(ui: &Ui, a: &Alert) -> String {
    if a.tagged {
        // a member of the flow of the alert above it
        return format!(
            "{:>6}  {:>4}  {:<3}  {:<34}  flow {} of the alert at frame {}",
            a.frame,
            a.sig.id(),
            "",
            "  ↳ same flow",
            a.flow_id,
            a.evidence
                .get("alert_frame")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0)
        );
    }
    let mut ev = a.evidence.to_string();
    if ev.len() > TABLE_EVIDENCE_MAX {
        let cut = (0..=TABLE_EVIDENCE_MAX)
            .rev()
            .find(|i| ev.is_char_boundary(*i))
            .unwrap_or(0);
        ev.truncate(cut);
        ev.push('…');
    }
    let sev = ui.severity(a.sig.severity(), &format!("{:<3}", a.sig.severity()));
    let name = ui.severity(a.sig.severity(), &format!("{:<34}", a.sig.name()));
    format!("{:>6}  {:>4}  {sev}  {name}  {ev}", a.frame, a.sig.id())
}
