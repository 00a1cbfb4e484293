//! Inline SVG: the ladder (sequence) diagram of one flow, and the timeline of a flow's
//! message times. All text goes through [`escape`].

use core::fmt::Write as _;

use super::html::escape;
use super::{Flow, Step};

/// Horizontal distance between participants' lifelines (px).
pub const LANE_WIDTH: usize = 320;
/// Left margin before the first lifeline.
pub const LEFT: usize = 120;
/// Height of one message row.
pub const ROW_HEIGHT: usize = 30;
/// Top of the first message row.
pub const TOP: usize = 64;
/// Longest arrow label (characters); longer ones are cut.
pub const MAX_LABEL_CHARS: usize = 60;
/// Timeline width (px).
pub const TIMELINE_WIDTH: usize = 900;

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn lane_x(i: usize) -> usize {
    LEFT + i * LANE_WIDTH
}

fn arrow(out: &mut String, s: &Step, y: usize, id: usize) {
    let red = !s.flagged.is_empty();
    let (class, marker) = if red {
        ("msg flagged", format!("ahr{id}"))
    } else {
        ("msg", format!("ah{id}"))
    };
    let (x1, x2) = (lane_x(s.from), lane_x(s.to));
    let mut label = format!("#{} {}", s.frame, s.label);
    if red {
        let _ = write!(label, " ⚠ {}", s.flagged.join(", "));
    }
    let label = escape(&cut(&label, MAX_LABEL_CHARS));
    let _ = write!(out, "<g class=\"{class}\">");
    if x1 == x2 {
        // a message to itself (both ends drawn in the same column): a small loop
        let _ = write!(
            out,
            "<path d=\"M{x1} {y0} h40 v14 h-36\" marker-end=\"url(#{marker})\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{label}</text>",
            y0 = y - 7,
            tx = x1 + 46,
            ty = y + 4
        );
    } else {
        let mid = (x1 + x2) / 2;
        let _ = write!(
            out,
            "<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2e}\" y2=\"{y}\" marker-end=\"url(#{marker})\"/>\
             <text x=\"{mid}\" y=\"{ty}\" text-anchor=\"middle\">{label}</text>",
            x2e = if x2 > x1 { x2 - 2 } else { x2 + 2 },
            ty = y - 6
        );
    }
    out.push_str("</g>");
}

/// The ladder of a flow; `id` makes its marker ids unique in the page.
pub fn ladder_svg(flow: &Flow, id: usize) -> String {
    let lanes = flow.participants.len().max(1);
    let elided = flow.elided();
    let rows = flow.head.len() + flow.tail.len() + usize::from(elided > 0);
    let width = LEFT * 2 + (lanes - 1) * LANE_WIDTH;
    let height = TOP + rows * ROW_HEIGHT + 20;
    let mut out = String::with_capacity(1024 + rows * 200);
    let _ = write!(
        out,
        "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"ladder diagram\">\
         <defs>\
         <marker id=\"ah{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"#334\"/></marker>\
         <marker id=\"ahr{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"#c00\"/></marker>\
         </defs>"
    );
    for (i, p) in flow.participants.iter().enumerate() {
        let x = lane_x(i);
        let _ = write!(
            out,
            "<g class=\"party\"><rect x=\"{rx}\" y=\"8\" width=\"200\" height=\"28\" rx=\"4\"/>\
             <text x=\"{x}\" y=\"27\" text-anchor=\"middle\">{t}</text>\
             <line class=\"life\" x1=\"{x}\" y1=\"36\" x2=\"{x}\" y2=\"{y2}\"/></g>",
            rx = x.saturating_sub(100),
            t = escape(&cut(p, 30)),
            y2 = height - 8
        );
    }
    let mut y = TOP;
    for s in &flow.head {
        arrow(&mut out, s, y, id);
        y += ROW_HEIGHT;
    }
    if elided > 0 {
        let _ = write!(
            out,
            "<text class=\"elided\" x=\"{x}\" y=\"{y}\" text-anchor=\"middle\">… {elided} more messages …</text>",
            x = width / 2
        );
        y += ROW_HEIGHT;
    }
    for s in &flow.tail {
        arrow(&mut out, s, y, id);
        y += ROW_HEIGHT;
    }
    out.push_str("</svg>");
    out
}

/// The timeline of message times (ns since the epoch): one tick per message.
pub fn timeline_svg(times: &[u64]) -> String {
    let first = times.iter().copied().min().unwrap_or(0);
    let last = times.iter().copied().max().unwrap_or(0);
    let span = last.saturating_sub(first).max(1);
    let (w, h, pad) = (TIMELINE_WIDTH, 70usize, 20usize);
    let mut out = String::with_capacity(512 + times.len() * 64);
    let _ = write!(
        out,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"message timeline\">\
         <line class=\"axis\" x1=\"{pad}\" y1=\"40\" x2=\"{x2}\" y2=\"40\"/>",
        x2 = w - pad
    );
    let usable = (w - 2 * pad) as f64;
    for t in times {
        let x = pad as f64 + usable * (t.saturating_sub(first) as f64 / span as f64);
        let _ = write!(
            out,
            "<line class=\"tick\" x1=\"{x:.1}\" y1=\"26\" x2=\"{x:.1}\" y2=\"40\"/>"
        );
    }
    let secs = span as f64 / 1e9;
    let _ = write!(
        out,
        "<text x=\"{pad}\" y=\"60\">0 s</text><text x=\"{x}\" y=\"60\" text-anchor=\"end\">{secs:.3} s</text>\
         <text x=\"{pad}\" y=\"16\">{n} messages</text></svg>",
        x = w - pad,
        n = times.len()
    );
    out
}
