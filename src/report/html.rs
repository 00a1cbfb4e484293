//! The page: escaping, summary, alerts table, ladders and timelines. Hand-written HTML with
//! one escaping helper; every string that came from the capture (digits, names, evidence)
//! passes through [`escape`] before it reaches the page.

use core::fmt::Write as _;

use super::ladder::{ladder_svg, timeline_svg};
use super::Report;

/// Text made safe for HTML text, attribute values and inline SVG: `& < > " '` become
/// entities, and control characters (which XML and some viewers refuse) become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde}\
h3{font-size:15px;margin:18px 0 6px}table{border-collapse:collapse;margin:6px 0}\
td,th{border:1px solid #ccd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f1f3f8}\
.sev1{color:#b00;font-weight:600}.sev2{color:#b60}.sev3{color:#556}\
td.ev{font-family:ui-monospace,monospace;font-size:12px;max-width:560px;word-break:break-all}\
.cards{display:flex;gap:24px;flex-wrap:wrap}.cards>div{min-width:220px}\
svg{display:block;margin:6px 0 14px;background:#fbfcff;border:1px solid #e3e6ef}\
svg text{font:12px system-ui,sans-serif;fill:#1d2330}\
.party rect{fill:#e9eefb;stroke:#8894b8}.party text{font-weight:600}\
.life{stroke:#99a;stroke-dasharray:4 4}.msg line,.msg path{stroke:#334;stroke-width:1.4;fill:none}\
.flagged line,.flagged path{stroke:#c00;stroke-width:2}.flagged text{fill:#c00;font-weight:600}\
.elided{fill:#778;font-style:italic}.axis{stroke:#334}.tick{stroke:#c00;stroke-width:1.5}\
.muted{color:#667}";

fn time(ts_nanos: u64) -> String {
    sigscope_rules::alert::rfc3339_nanos(ts_nanos)
}

fn severity_name(s: u8) -> &'static str {
    match s {
        1 => "high",
        2 => "medium",
        _ => "low",
    }
}

/// The whole page.
pub fn page(r: &Report, title: &str) -> String {
    let mut o = String::with_capacity(16_384 + r.alerts.len() * 400);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>sigscope report: {t}</title><style>{STYLE}</style></head><body>\
         <h1>sigscope report</h1><p class=\"muted\">{t}</p>",
        t = escape(title)
    );

    // summary
    o.push_str("<h2>Summary</h2><div class=\"cards\"><div><table>");
    let _ = write!(
        o,
        "<tr><th>frames</th><td>{}</td></tr><tr><th>signalling messages</th><td>{}</td></tr>",
        r.frames, r.messages
    );
    match r.span {
        Some((a, b)) => {
            let _ = write!(
                o,
                "<tr><th>first</th><td>{}</td></tr><tr><th>last</th><td>{}</td></tr>\
                 <tr><th>span</th><td>{:.3} s</td></tr>",
                time(a),
                time(b),
                b.saturating_sub(a) as f64 / 1e9
            );
        }
        None => o.push_str("<tr><th>time span</th><td>-</td></tr>"),
    }
    let _ = write!(
        o,
        "<tr><th>alerts</th><td>{}</td></tr></table></div>",
        r.alert_count
    );
    o.push_str("<div><table id=\"protocols\"><tr><th>protocol</th><th>messages</th></tr>");
    for (p, n) in &r.per_protocol {
        let _ = write!(o, "<tr><td>{}</td><td>{n}</td></tr>", escape(p));
    }
    o.push_str(
        "</table></div><div><table id=\"severities\"><tr><th>severity</th><th>alerts</th></tr>",
    );
    for (s, n) in &r.per_severity {
        let _ = write!(
            o,
            "<tr><td class=\"sev{s}\">{} ({s})</td><td>{n}</td></tr>",
            severity_name(*s)
        );
    }
    o.push_str(
        "</table></div><div><table id=\"signatures\"><tr><th>signature</th><th>alerts</th></tr>",
    );
    for (s, n) in &r.per_signature {
        let _ = write!(o, "<tr><td>{}</td><td>{n}</td></tr>", escape(s));
    }
    o.push_str("</table></div></div>");

    // alerts
    o.push_str("<h2>Alerts</h2>");
    if r.alerts.is_empty() {
        o.push_str("<p>No alerts.</p>");
    } else {
        o.push_str(
            "<table id=\"alerts\"><tr><th>frame</th><th>time</th><th>sev</th><th>signature</th>\
             <th>from</th><th>to</th><th>evidence</th></tr>",
        );
        for a in &r.alerts {
            let _ = write!(
                o,
                "<tr class=\"alert\"><td>{}</td><td>{}</td><td class=\"sev{s}\">{}</td>\
                 <td title=\"{title}\">{} <span class=\"muted\">{}</span></td><td>{}</td><td>{}</td>\
                 <td class=\"ev\">{}</td></tr>",
                a.frame,
                time(a.ts_nanos),
                severity_name(a.severity),
                escape(a.sig_name),
                a.sig_id,
                escape(&a.src),
                escape(&a.dst),
                escape(&a.evidence),
                s = a.severity,
                title = escape(a.title),
            );
        }
        o.push_str("</table>");
        if (r.alerts.len() as u64) < r.alert_count {
            let _ = write!(
                o,
                "<p class=\"muted\">{} more alerts counted, not listed.</p>",
                r.alert_count - r.alerts.len() as u64
            );
        }
    }

    // ladders
    o.push_str("<h2>Flagged exchanges</h2>");
    let mut any = false;
    for (i, f) in r.flagged_flows().enumerate() {
        any = true;
        let name = match &f.key {
            super::FlowKey::Tcap(_, tid) => format!("TCAP transaction {tid}"),
            super::FlowKey::Peers(a, b) => format!("{a} ⇄ {b}"),
        };
        let _ = write!(
            o,
            "<section class=\"flow\"><h3>{}</h3><p class=\"muted\">{} messages, {} alerts</p>",
            escape(&name),
            f.total,
            f.alerts
        );
        o.push_str(&ladder_svg(f, i));
        if f.beacon {
            o.push_str("<p>Message times (beacon):</p>");
            o.push_str(&timeline_svg(&f.times));
        }
        o.push_str("</section>");
    }
    if !any {
        o.push_str("<p>No flagged exchanges.</p>");
    }
    if r.dropped_flows > 0 {
        let _ = write!(
            o,
            "<p class=\"muted\">{} flows not followed (table full).</p>",
            r.dropped_flows
        );
    }
    o.push_str("<p class=\"muted\">Made by sigscope.</p></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<script>alert('x')</script>&\"\u{7}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\u{fffd}"
        );
    }
}
