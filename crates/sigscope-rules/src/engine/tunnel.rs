//! Tunnels inside GTP-U (content 2020-2021, behaviour 3021-3022): DNS and ICMP carrying
//! data through a subscriber's tunnel. The inner packet of a G-PDU is the decoder's
//! summary (addresses, ports, payload offsets, sliced by etherparse); ICMP is sliced with
//! etherparse here; DNS is read by a small hand parser (header, QNAME, QTYPE, answers), all
//! borrowing the frame.
//!
//! Per tunnel (the subscriber's inner address) and registered domain, a bounded table keeps
//! the distinct subdomains seen and the TXT / NULL / ANY query count within a window.

use arrayvec::ArrayVec;
use serde_json::json;
use sigscope_decode::GtpLayer;
use sigscope_gtp::Message as Gtp;

use super::*;
use crate::content::{encoded_binary, encoded_text};
use crate::signatures as sig;

/// UDP port of DNS.
pub const DNS_PORT: u16 = 53;
/// DNS header length.
pub const DNS_HEADER_LEN: usize = 12;
/// Most labels of a name read (DNS allows 127).
pub const MAX_DNS_LABELS: usize = 128;
/// Most answer records read from a response.
pub const MAX_DNS_ANSWERS: usize = 16;
/// Longest label DNS allows.
pub const MAX_DNS_LABEL_LEN: usize = 63;
/// Shortest label examined as a carrier of encoded data (names of hosts are shorter).
pub const DNS_LONG_LABEL: usize = 16;
/// Shortest subdomain part counted towards the distinct-subdomain table.
pub const DNS_COUNTED_SUBDOMAIN_LEN: usize = 8;
/// Entropy (bits per character) a counted subdomain part must reach.
pub const DNS_COUNTED_SUBDOMAIN_ENTROPY: f64 = 2.5;
/// Distinct subdomains remembered per tunnel and domain (a 32-bit digest each).
pub const DNS_MAX_DISTINCT: usize = 64;
/// Seconds before a window's start still taken as its own (the window starts at a message's
/// time, read back through a float).
const EARLIER_SLACK_S: f64 = 1e-3;
/// Distinct subdomains remembered per tunnel and domain for the slow window (a 32-bit digest
/// each); the most `dns_slow_subdomains` can ask.
pub const DNS_MAX_SLOW_DISTINCT: usize = 32;
/// Shortest label that is data whatever its letters (no host is named by 30 letters and
/// digits without a hyphen; encoders that mimic words still make such labels).
pub const DNS_DATA_LABEL_LEN: usize = 30;
/// Most answer, authority and additional records a DNS-shaped message off port 53 may carry
/// in its header counts (a query carries at most an EDNS OPT record).
pub const DNS_MAX_QUERY_ADDITIONAL: u16 = 1;
/// EDNS OPT record type.
pub const DNS_OPT: u16 = 41;
/// Longest DNS name in octets (RFC 1035 2.3.4).
pub const MAX_DNS_NAME_LEN: usize = 255;
/// DNS class IN, and the same with mDNS's unicast-response / cache-flush bit.
pub const DNS_CLASS_IN: u16 = 1;
/// The mDNS / unicast-response bit of a question's class.
pub const DNS_CLASS_TOP_BIT: u16 = 0x8000;
/// Most (tunnel, domain) keys in the DNS table; a full table is emptied. Only queries that
/// count (a machine-made or data-length label, a tunnel-friendly record type) take a key;
/// each holds under a kilobyte (its names' digests and first messages).
pub const MAX_DNS_KEYS: usize = 65_536;
/// Shortest TTL-0 answer data examined for encoded data.
pub const DNS_ANSWER_MIN_LEN: usize = 24;
/// DNS record types tunnels favour: NULL 10, TXT 16, ANY 255.
pub const DNS_TUNNEL_QTYPES: [u16; 3] = [10, 16, 255];
/// ICMP payload octets examined for ping's patterns.
pub const ICMP_EXAMINED: usize = 512;
/// Longest period of a repeating ping pattern looked for.
pub const ICMP_MAX_PERIOD: usize = 64;
/// Share of positions that must follow a pattern for the payload to be ping's.
pub const ICMP_PATTERN_SHARE: f64 = 0.8;
/// Shortest ping-sized ICMP payload judged: one that follows no ping fill and looks
/// encrypted (a tunnel's small chunks, mirrored by the peer as a real echo is). A ping's
/// timestamp has zero octets enough to stay below the bar; shorter payloads say too little.
pub const ICMP_SMALL_JUDGED: usize = 32;
/// Distinct octet values of an ICMP payload that is varied data (ping's fills have few
/// or, incrementing, are caught as patterns first).
pub const ICMP_MIN_DISTINCT: usize = 24;

/// Shortest ICMP payload examined for encrypted data.
pub const ICMP_MIN_EXAMINED: usize = 32;
/// IP protocol numbers of ICMP and ICMPv6.
pub const IP_ICMP: u8 = 1;
/// IPv6 next header of ICMPv6.
pub const IP_ICMPV6: u8 = 58;
/// IP protocol number of UDP.
pub const IP_UDP: u8 = 17;
/// IP protocol number of TCP.
pub const IP_TCP: u8 = 6;

/// Per (tunnel, domain) counts within the window, and the distinct subdomains of the slow
/// window (a tunnel paced under the window's count).
#[derive(Debug, Clone, Copy)]
pub(super) struct DnsDomain {
    start: f64,
    distinct: [u32; DNS_MAX_DISTINCT],
    n: u8,
    record_queries: u32,
    alerted_subdomains: bool,
    alerted_records: bool,
    slow_start: f64,
    slow: [u32; DNS_MAX_SLOW_DISTINCT],
    /// The message (frame, time in nanoseconds) of each of `slow`'s names, first seen.
    slow_at: [(u64, u64); DNS_MAX_SLOW_DISTINCT],
    /// The first answer (frame, time) to each of `slow`'s names; frame 0: none seen.
    answer_at: [(u64, u64); DNS_MAX_SLOW_DISTINCT],
    slow_n: u8,
    /// When the slow window last alerted (or the fast count did within it): found again
    /// once the tagging of that alert has run out, so that a tunnel of an hour is reported
    /// whole.
    slow_alerted_at: Option<f64>,
}

/// FNV-1a of a subdomain's labels, case folded: one name's digest in a tunnel's count.
fn subdomain_digest(sub: &[&[u8]]) -> u32 {
    sub.iter()
        .flat_map(|l| l.iter())
        .fold(0x811c_9dc5u32, |a, b| {
            (a ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193)
        })
}

/// Add `digest` to the first `n` of `set` unless it is there or the set is full; the slot it
/// took.
fn add_distinct(set: &mut [u32], n: &mut u8, digest: u32) -> Option<usize> {
    let k = usize::from(*n);
    if set.get(..k).is_some_and(|s| s.contains(&digest)) {
        return None;
    }
    let slot = set.get_mut(k)?;
    *slot = digest;
    *n += 1;
    Some(k)
}

impl DnsDomain {
    const fn new(ts: f64) -> Self {
        DnsDomain {
            start: ts,
            distinct: [0; DNS_MAX_DISTINCT],
            n: 0,
            record_queries: 0,
            alerted_subdomains: false,
            alerted_records: false,
            slow_start: ts,
            slow: [0; DNS_MAX_SLOW_DISTINCT],
            slow_at: [(0, 0); DNS_MAX_SLOW_DISTINCT],
            answer_at: [(0, 0); DNS_MAX_SLOW_DISTINCT],
            slow_n: 0,
            slow_alerted_at: None,
        }
    }

    /// Start the windows that `ts` is past (`fast`, `slow`: their lengths; an earlier `ts`,
    /// out of order, starts both).
    fn roll(&mut self, ts: f64, fast: f64, slow: f64) {
        if ts - self.slow_start > slow || ts < self.slow_start {
            *self = DnsDomain::new(ts);
        } else if ts - self.start > fast || ts < self.start {
            self.start = ts;
            self.n = 0;
            self.record_queries = 0;
            self.alerted_subdomains = false;
            self.alerted_records = false;
        }
    }

    /// A name (its digest) queried by message `at` (frame, nanoseconds).
    fn add(&mut self, digest: u32, at: (u64, u64)) {
        add_distinct(&mut self.distinct, &mut self.n, digest);
        if let Some(k) = add_distinct(&mut self.slow, &mut self.slow_n, digest) {
            if let Some(slot) = self.slow_at.get_mut(k) {
                *slot = at;
            }
        }
    }

    /// A name (its digest) counted here was answered by message `at` (its first answer is
    /// kept).
    fn answered(&mut self, digest: u32, at: (u64, u64)) {
        let k = usize::from(self.slow_n);
        let Some(i) = self
            .slow
            .get(..k)
            .and_then(|s| s.iter().position(|d| *d == digest))
        else {
            return;
        };
        if let Some(slot) = self.answer_at.get_mut(i).filter(|s| s.0 == 0) {
            *slot = at;
        }
    }

    /// The messages (frame, nanoseconds) that first queried the names counted since `since`
    /// (seconds), and their first answers, but `frame`: the finding's own lookups.
    fn named_since(&self, since: f64, frame: u64) -> impl Iterator<Item = (u64, u64)> + '_ {
        let since_nanos = (since.max(0.0) * 1e9) as u64;
        let k = usize::from(self.slow_n);
        self.slow_at
            .iter()
            .take(k)
            .chain(self.answer_at.iter().take(k))
            .filter(move |(f, t)| *f != 0 && *f != frame && *t >= since_nanos)
            .copied()
    }
}

/// A DNS message's question, as read.
#[derive(Debug)]
pub struct DnsQuestion<'a> {
    /// Response (QR = 1).
    pub response: bool,
    /// The question name's labels.
    pub labels: ArrayVec<&'a [u8], MAX_DNS_LABELS>,
    /// Query type.
    pub qtype: u16,
    /// Offset just after the question.
    pub end: usize,
    /// Answer count.
    pub answers: u16,
}

/// Registered domains of content-delivery and cloud providers whose subdomains are ids the
/// provider assigns (distributions, buckets, functions, edge servers) and whose names only
/// the provider's own servers answer: a DNS tunnel needs a domain whose authoritative server
/// the tunnel's far end runs, so none runs under these, while a phone resolves dozens of their
/// machine-made names in minutes.
pub const PROVIDER_DOMAINS: [&str; 46] = [
    "1e100.net",
    "aaplimg.com",
    "akamaiedge.net",
    "akamaihd.net",
    "akamaized.net",
    "amazonaws.com",
    "apple-dns.net",
    "appspot.com",
    "azureedge.net",
    "azurefd.net",
    "cdninstagram.com",
    "cloudapp.net",
    "cloudflare.net",
    "cloudflarestorage.com",
    "cloudfront.net",
    "edgekey.net",
    "edgesuite.net",
    "fastly.net",
    "fastlylb.net",
    "fbcdn.net",
    "firebaseio.com",
    "googleusercontent.com",
    "googlevideo.com",
    "googlesyndication.com",
    "gvt1.com",
    "llnwd.net",
    "on.aws",
    "pages.dev",
    "r2.dev",
    // Sophos's file-reputation lookups (`0.<md5>.3.sophosxl.net`), answered by Sophos
    "sophosxl.net",
    // McAfee's file and URL reputation (`<hash>.avqs.mcafee.com`), and the blocklists mail
    // servers ask hashes and addresses of (`<sha1>._email.<key>.hbl.dq.spamhaus.net`)
    "mcafee.com",
    "spamhaus.net",
    "spamhaus.org",
    "surbl.org",
    "uribl.com",
    "barracudacentral.org",
    "sorbs.net",
    "spamcop.net",
    "dnswl.org",
    "mailspike.net",
    "tiktokcdn.com",
    "trafficmanager.net",
    "whatsapp.net",
    "windows.net",
    "workers.dev",
    "ytimg.com",
];

/// Lengths of digests written in hex: MD5 or a 128-bit id, SHA-1, SHA-256.
const DIGEST_HEX_LENS: [usize; 3] = [32, 40, 64];

/// A subdomain whose one long label is a digest in hex (content-addressed names: ad frames'
/// `<md5>.safeframe...`, reputation look-ups, `<sha1>` keys) and whose other labels are short
/// words: one such name is an id, not data (a tunnel's many names are counted all the same).
fn digest_named(sub: &[&[u8]]) -> bool {
    let mut long = sub.iter().filter(|l| l.len() >= DNS_LONG_LABEL);
    let (Some(l), None) = (long.next(), long.next()) else {
        return false;
    };
    DIGEST_HEX_LENS.contains(&l.len())
        && (l
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
            || l.iter()
                .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c)))
}

/// The registered domain (its labels) is one of [`PROVIDER_DOMAINS`].
fn provider_domain(domain: &[&[u8]]) -> bool {
    let [a, b] = domain else { return false };
    PROVIDER_DOMAINS.iter().any(|p| {
        p.split_once('.').is_some_and(|(x, y)| {
            a.eq_ignore_ascii_case(x.as_bytes()) && b.eq_ignore_ascii_case(y.as_bytes())
        })
    })
}

/// Second-level labels under which two-letter country codes take registrations (the Public
/// Suffix List's common ones: `co.uk`, `com.au`, `or.jp`, `gov.cn`, `ac.za`, ...).
pub const CC_SECOND_LEVELS: [&str; 24] = [
    "ac", "biz", "co", "com", "edu", "go", "gob", "gouv", "gov", "gv", "in", "info", "int", "ltd",
    "mil", "ne", "net", "nic", "nom", "or", "org", "plc", "sch", "web",
];

impl DnsQuestion<'_> {
    /// How many trailing labels make the registered domain: two, or three under a
    /// two-letter country code whose second level is one the registries use for
    /// registrations ([`CC_SECOND_LEVELS`]: `co.uk`, `com.au`, `ne.jp`). Any other short
    /// second level is a registered name (`t1.io`): a tunnel under it must not have its data
    /// label taken for part of the domain.
    pub fn domain_labels(&self) -> usize {
        let n = self.labels.len();
        let short_sld = n >= 3
            && self.labels.get(n - 1).is_some_and(|l| l.len() == 2)
            && self.labels.get(n - 2).is_some_and(|l| {
                CC_SECOND_LEVELS
                    .iter()
                    .any(|s| l.eq_ignore_ascii_case(s.as_bytes()))
            });
        if short_sld {
            3
        } else {
            2.min(n)
        }
    }

    /// The subdomain labels (before the registered domain).
    pub fn subdomain(&self) -> &[&[u8]] {
        let k = self.labels.len() - self.domain_labels();
        self.labels.get(..k).unwrap_or(&[])
    }

    /// The registered domain's labels.
    pub fn domain(&self) -> &[&[u8]] {
        let k = self.labels.len() - self.domain_labels();
        self.labels.get(k..).unwrap_or(&[])
    }

    /// Nothing read yet (filled in place by [`read_question`]).
    fn empty() -> Self {
        DnsQuestion {
            response: false,
            labels: ArrayVec::new(),
            qtype: 0,
            end: 0,
            answers: 0,
        }
    }

    /// Reverse lookups (`in-addr.arpa`, `ip6.arpa`): nibble and octet labels, not data.
    pub fn is_reverse(&self) -> bool {
        self.labels
            .last()
            .is_some_and(|l| l.eq_ignore_ascii_case(b"arpa"))
    }
}

/// Read the header and first question of a DNS message (`None` when it is not DNS-shaped).
/// Compression pointers are not followed in the question (queries never use them).
#[cfg(test)]
pub fn dns_question(d: &[u8]) -> Option<DnsQuestion<'_>> {
    let mut q = DnsQuestion::empty();
    read_question(d, &mut q)?;
    Some(q)
}

/// [`dns_question`] into `q` (whose labels are a few kilobytes: read in place, not moved).
fn read_question<'a>(d: &'a [u8], q: &mut DnsQuestion<'a>) -> Option<()> {
    let h = d.get(..DNS_HEADER_LEN)?;
    let (flags, qd, an) = match h {
        [_, _, f, _, q0, q1, a0, a1, ..] => (
            *f,
            u16::from_be_bytes([*q0, *q1]),
            u16::from_be_bytes([*a0, *a1]),
        ),
        _ => return None,
    };
    if qd == 0 {
        return None;
    }
    let labels = &mut q.labels;
    labels.clear();
    let mut at = DNS_HEADER_LEN;
    loop {
        let len = usize::from(*d.get(at)?);
        at += 1;
        if len == 0 {
            break;
        }
        if len > MAX_DNS_LABEL_LEN {
            return None; // a pointer or an extended label type
        }
        let l = d.get(at..at + len)?;
        labels.try_push(l).ok()?;
        at += len;
    }
    q.qtype = u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]);
    q.response = flags & 0x80 != 0;
    q.end = at + 4;
    q.answers = an;
    Some(())
}

/// QR, the response bit of a DNS header's third octet.
pub const DNS_QR: u8 = 0x80;
/// Opcode bits of a DNS header's third octet (0: a standard query).
pub const DNS_OPCODE: u8 = 0x78;
/// Z, the reserved bit of a DNS header's fourth octet.
pub const DNS_Z: u8 = 0x40;

/// A datagram on a port other than 53 that is a DNS message beyond doubt: one question, an
/// opcode 0 header with Z clear, a name of 1-63-octet labels, class IN; a query carries
/// nothing after its question but at most an EDNS OPT record and ends there exactly, and a
/// response's records fit. Random or encrypted payloads (QUIC, WireGuard, RTP) miss at once
/// on the header. mDNS names (`.local`) are the link's own, never a tunnel's.
pub fn dns_shaped(d: &[u8]) -> bool {
    let Some(&[_, _, f2, f3, q0, q1, a0, a1, n0, n1, r0, r1]) = d.first_chunk::<DNS_HEADER_LEN>()
    else {
        return false;
    };
    let count = |a: u8, b: u8| u16::from_be_bytes([a, b]);
    let (qd, an, ns, ar) = (count(q0, q1), count(a0, a1), count(n0, n1), count(r0, r1));
    let response = f2 & DNS_QR != 0;
    if qd != 1 || f2 & DNS_OPCODE != 0 || f3 & DNS_Z != 0 {
        return false;
    }
    if !response && (an != 0 || ns != 0 || ar > DNS_MAX_QUERY_ADDITIONAL || f3 & 0x0f != 0) {
        return false;
    }
    // the question: labels, no pointer, within the longest name
    let mut at = DNS_HEADER_LEN;
    let mut last: &[u8] = &[];
    loop {
        let Some(&len) = d.get(at) else { return false };
        let len = usize::from(len);
        at += 1;
        if len == 0 {
            break;
        }
        if len > MAX_DNS_LABEL_LEN || at + len - DNS_HEADER_LEN > MAX_DNS_NAME_LEN {
            return false;
        }
        let Some(l) = d.get(at..at + len) else {
            return false;
        };
        last = l;
        at += len;
    }
    let (Some(&[t0, t1]), Some(&[c0, c1])) = (
        d.get(at..at + 2).and_then(|x| x.first_chunk::<2>()),
        d.get(at + 2..at + 4).and_then(|x| x.first_chunk::<2>()),
    ) else {
        return false;
    };
    if count(t0, t1) == 0 || count(c0, c1) & !DNS_CLASS_TOP_BIT != DNS_CLASS_IN {
        return false;
    }
    if last.eq_ignore_ascii_case(b"local") {
        return false;
    }
    at += 4;
    if response {
        // every record there is fits (names skipped, data lengths followed)
        let records = usize::from(an) + usize::from(ns) + usize::from(ar);
        for _ in 0..records.min(MAX_DNS_ANSWERS) {
            let Some(after) = skip_name(d, at) else {
                return false;
            };
            let Some(&[_, _, _, _, _, _, _, _, l0, l1]) =
                d.get(after..after + 10).and_then(|x| x.first_chunk::<10>())
            else {
                return false;
            };
            at = after + 10 + usize::from(count(l0, l1));
            if at > d.len() {
                return false;
            }
        }
        return records > MAX_DNS_ANSWERS || at == d.len();
    }
    if ar == 0 {
        return at == d.len();
    }
    // the OPT record: root name, type 41, its data to the end
    match d.get(at..at + 11) {
        Some(&[0, o0, o1, _, _, _, _, _, _, l0, l1]) => {
            count(o0, o1) == DNS_OPT && at + 11 + usize::from(count(l0, l1)) == d.len()
        }
        _ => false,
    }
}

/// Skip a (possibly compressed) name from `at`; the offset after it.
fn skip_name(d: &[u8], mut at: usize) -> Option<usize> {
    for _ in 0..MAX_DNS_LABELS {
        let len = *d.get(at)?;
        if len & 0xc0 == 0xc0 {
            return Some(at + 2);
        }
        at += 1 + usize::from(len);
        if len == 0 {
            return Some(at);
        }
    }
    None
}

/// The first answer with TTL 0 whose data looks encoded: (type, data length, verdict).
fn ttl0_encoded_answer(
    d: &[u8],
    q: &DnsQuestion<'_>,
    t: &crate::policy::Thresholds,
) -> Option<(u16, usize, crate::content::Verdict)> {
    let mut at = q.end;
    for _ in 0..usize::from(q.answers).min(MAX_DNS_ANSWERS) {
        at = skip_name(d, at)?;
        let f = d.get(at..at + 10)?;
        let (rtype, ttl, rdlen) = match f {
            [t0, t1, _, _, a, b, c, e, l0, l1] => (
                u16::from_be_bytes([*t0, *t1]),
                u32::from_be_bytes([*a, *b, *c, *e]),
                usize::from(u16::from_be_bytes([*l0, *l1])),
            ),
            _ => return None,
        };
        at += 10;
        let rdata = d.get(at..at + rdlen)?;
        at += rdlen;
        if ttl != 0 || rdlen < DNS_ANSWER_MIN_LEN {
            continue;
        }
        // TXT: the first character-string; names: their labels; others: the raw data
        let verdict = if NAME_RTYPES.contains(&rtype) {
            let skip = usize::from(rtype == DNS_MX) * 2;
            encoded_name(rdata.get(skip..).unwrap_or(&[]))
        } else if rtype == 16 {
            let n = usize::from(*rdata.first()?);
            let s = rdata.get(1..1 + n)?;
            std::str::from_utf8(s)
                .ok()
                .and_then(|s| encoded_text(s, t.encoded_min_len, t.text_entropy_bits))
                .or_else(|| encoded_binary(s, t.binary_min_len, t.binary_entropy_bits))
        } else if rtype == 1 || rtype == 28 {
            None // addresses
        } else {
            encoded_binary(rdata, DNS_ANSWER_MIN_LEN, t.binary_entropy_bits)
        };
        if let Some(v) = verdict {
            return Some((rtype, rdlen, v));
        }
    }
    None
}

/// Largest share of vowels among the letters of an encoded label (base32 / base64 give about
/// a fifth; words and the names people give hosts, two fifths).
pub const ENCODED_MAX_VOWEL_SHARE: f64 = 0.35;
/// Share of octets outside letters, digits, `-` and `_` that makes a label binary data.
pub const ENCODED_MIN_BINARY_SHARE: f64 = 0.25;
/// Fewest digits in a hex or base32 label.
pub const ENCODED_MIN_DIGITS: usize = 2;
/// Smallest share of letters and digits in an encoded label (hyphens join words).
pub const ENCODED_MIN_ALNUM_SHARE: f64 = 0.85;

/// A label that reads as encoded data rather than a name: letters and digits (base64url's
/// `-` and `_` allowed) and either all hex with digits, mixed case with a digit (base64), or
/// digits in a label poor in vowels (base32).
pub fn encoded_label(l: &[u8]) -> bool {
    let n = l.len() as f64;
    // octets no host name has (iodine's base128 / raw labels): binary data
    let odd = l
        .iter()
        .filter(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
        .count();
    if odd as f64 >= n * ENCODED_MIN_BINARY_SHARE {
        return true;
    }
    let digits = l.iter().filter(|b| b.is_ascii_digit()).count();
    let letters = l.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let upper = l.iter().any(u8::is_ascii_uppercase);
    let lower = l.iter().any(u8::is_ascii_lowercase);
    let plain = l.iter().all(u8::is_ascii_alphanumeric);
    if letters == 0 || ((digits + letters) as f64) < n * ENCODED_MIN_ALNUM_SHARE {
        return false;
    }
    let hex = digits >= ENCODED_MIN_DIGITS && l.iter().all(u8::is_ascii_hexdigit);
    let base64 = upper && lower && digits >= 1;
    // base32 has neither hyphens nor underscores (names joined by hyphens are people's)
    let base32 = plain && digits >= ENCODED_MIN_DIGITS && vowel_share(l) < ENCODED_MAX_VOWEL_SHARE;
    hex || base64 || base32
}

/// Share of vowels among the letters of a label (1 without letters).
fn vowel_share(l: &[u8]) -> f64 {
    let letters = l.iter().filter(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 {
        return 1.0;
    }
    let vowels = l
        .iter()
        .filter(|b| matches!(b.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'))
        .count();
    vowels as f64 / letters as f64
}

/// Shortest label of hex digits (with both digits and letters) taken as machine-made
/// whatever its vowels: a beacon's hex identifier or counter (`106a5a83ae52b1`) has a, e as
/// a third of its letters, as names do.
pub const HEX_LABEL_MIN: usize = 8;

/// A label made by a machine rather than named by people: letters with a digit or with
/// mixed case, few hyphens, poor in vowels, or hex digits of both kinds (counted towards the
/// distinct-subdomain table; weaker than [`encoded_label`], which judges a single query).
pub fn machine_label(l: &[u8]) -> bool {
    let hex = l.len() >= HEX_LABEL_MIN
        && l.iter().all(u8::is_ascii_hexdigit)
        && l.iter().any(u8::is_ascii_digit)
        && l.iter().any(u8::is_ascii_alphabetic);
    if hex {
        return true;
    }
    let n = l.len() as f64;
    let digits = l.iter().filter(|b| b.is_ascii_digit()).count();
    let upper = l.iter().any(u8::is_ascii_uppercase);
    let lower = l.iter().any(u8::is_ascii_lowercase);
    let alnum = l.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    (upper || lower)
        && (digits > 0 || (upper && lower))
        && alnum as f64 >= n * ENCODED_MIN_ALNUM_SHARE
        && vowel_share(l) < ENCODED_MAX_VOWEL_SHARE
}

/// A label long enough to be data whatever its letters ([`DNS_DATA_LABEL_LEN`] letters and
/// digits, no hyphen): encoders that read like words (syllables, word lists) still make
/// labels no host name has. Counted like [`machine_label`]'s, never judged alone.
pub fn data_label(l: &[u8]) -> bool {
    l.len() >= DNS_DATA_LABEL_LEN && l.iter().all(u8::is_ascii_alphanumeric)
}

/// Record types whose data is a name: NS 2, CNAME 5, PTR 12, MX 15 (after a preference).
pub const NAME_RTYPES: [u16; 4] = [2, 5, 12, DNS_MX];
/// MX record type.
pub const DNS_MX: u16 = 15;

/// A name in record data (uncompressed labels until a pointer or the root) with a long label
/// that reads as encoded data.
fn encoded_name(d: &[u8]) -> Option<crate::content::Verdict> {
    let mut at = 0;
    for _ in 0..MAX_DNS_LABELS {
        let len = usize::from(*d.get(at)?);
        if len == 0 || len > MAX_DNS_LABEL_LEN {
            return None;
        }
        let l = d.get(at + 1..at + 1 + len)?;
        if len >= DNS_LONG_LABEL && encoded_label(l) {
            return Some(crate::content::Verdict {
                kind: "encoded_label",
                entropy: entropy_of(&[l]).0,
                len,
            });
        }
        at += 1 + len;
    }
    None
}

/// Shannon entropy (bits per character) of the bytes of several slices.
fn entropy_of(parts: &[&[u8]]) -> (f64, usize) {
    let mut counts = [0u32; 256];
    let mut n = 0usize;
    for p in parts {
        for b in *p {
            if let Some(c) = counts.get_mut(usize::from(b.to_ascii_lowercase())) {
                *c += 1;
            }
            n += 1;
        }
    }
    if n == 0 {
        return (0.0, 0);
    }
    let total = n as f64;
    let e = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / total;
            -p * p.log2()
        })
        .sum();
    (e, n)
}

impl Engine {
    /// DNS and ICMP inside a G-PDU.
    pub(super) fn gtpu_tunnel(&mut self, g: &GtpLayer<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let Gtp::V1(x) = &g.decoded.message else {
            return;
        };
        let Some(inner) = g.decoded.inner.filter(|i| !i.fragmented) else {
            return;
        };
        let tpdu = x.body();
        let dns_port = inner.sport == Some(DNS_PORT) || inner.dport == Some(DNS_PORT);
        match inner.protocol {
            IP_UDP | IP_TCP if dns_port => {
                let (Some(off), Some(len)) = (inner.payload_offset, inner.payload_len) else {
                    return;
                };
                let Some(payload) = tpdu.get(off..off + len) else {
                    return;
                };
                // DNS over TCP: each message behind a 2-octet length (RFC 1035 4.2.2); the
                // segment's first one is judged
                let dns = if inner.protocol == IP_TCP {
                    let Some((&[a, b], rest)) = payload.split_first_chunk::<2>() else {
                        return;
                    };
                    rest.get(..usize::from(u16::from_be_bytes([a, b])))
                        .unwrap_or(rest)
                } else {
                    payload
                };
                let query = inner.dport == Some(DNS_PORT);
                let subscriber = if query { inner.src } else { inner.dst };
                self.dns(dns, subscriber, ctx, found);
            }
            // DNS sent straight to a server on another port (a tunnel's own server needs no
            // resolver): judged when the datagram is DNS-shaped, its direction by QR
            IP_UDP => {
                let (Some(off), Some(len)) = (inner.payload_offset, inner.payload_len) else {
                    return;
                };
                let Some(dns) = tpdu.get(off..off + len).filter(|d| dns_shaped(d)) else {
                    return;
                };
                let query = dns.get(2).is_some_and(|f| f & DNS_QR == 0);
                let subscriber = if query { inner.src } else { inner.dst };
                self.dns(dns, subscriber, ctx, found);
            }
            IP_ICMP | IP_ICMPV6 => self.icmp(tpdu, inner.src, inner.dst, found),
            _ => {}
        }
    }

    /// The key of a tunnel's (subscriber's) lookups under one domain.
    fn dns_key(&self, subscriber: IpAddr, q: &DnsQuestion<'_>) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = self.beacon_keys.build_hasher();
        subscriber.hash(&mut h);
        for l in q.domain() {
            h.write(l);
        }
        h.finish()
    }

    fn dns(&mut self, d: &[u8], subscriber: IpAddr, ctx: &Ctx, found: &mut Hits<'_>) {
        let ts = ctx.ts;
        let mut q = DnsQuestion::empty();
        if read_question(d, &mut q).is_none() || q.is_reverse() || q.labels.len() < 2 {
            return;
        }
        let t = &self.policy.thresholds;
        let sub = q.subdomain();
        // a query with a short subdomain and an ordinary record type can raise nothing: the
        // encoded-subdomain and counting checks need longer ones, the record-volume check a
        // tunnel-friendly type, the answer checks a response
        let short = sub.iter().map(|l| l.len()).sum::<usize>()
            < DNS_COUNTED_SUBDOMAIN_LEN.min(t.dns_encoded_min_len);
        if !q.response && short && !DNS_TUNNEL_QTYPES.contains(&q.qtype) {
            return;
        }
        // what each check needs is worked out only when the cheaper conditions before it hold
        // (a response is judged by its answers alone)
        let sub_len: usize = sub.iter().map(|l| l.len()).sum();
        // a provider's domain, whose subdomains are the ids it gives its tenants and edges,
        // resolved by its own servers: no tunnel answers there, and its ids are not data
        let provider = !short && provider_domain(q.domain());
        let long_encoded = || {
            sub.iter()
                .any(|l| l.len() >= DNS_LONG_LABEL && encoded_label(l))
        };
        let entropy = || entropy_of(sub).0;
        let name = || {
            let mut s = String::new();
            for (i, l) in q.labels.iter().enumerate() {
                if i > 0 {
                    s.push('.');
                }
                s.push_str(&String::from_utf8_lossy(l));
            }
            s
        };
        let domain = || {
            let mut s = String::new();
            for (i, l) in q.domain().iter().enumerate() {
                if i > 0 {
                    s.push('.');
                }
                s.push_str(&String::from_utf8_lossy(l));
            }
            s
        };
        if !q.response
            && !provider
            && sub_len >= t.dns_encoded_min_len
            && long_encoded()
            && !digest_named(sub)
        {
            let entropy = entropy();
            let longest = sub.iter().map(|l| l.len()).max().unwrap_or(0);
            if entropy >= t.dns_label_entropy_bits {
                found.hit(&sig::DNS_TUNNEL_IN_GTPU, || {
                json!({"kind": "encoded_subdomain", "qname": name(), "domain": domain(), "qtype": q.qtype,
                       "subdomain_len": sub_len, "longest_label": longest, "entropy": round(entropy, 2),
                       "subscriber": subscriber.to_string()})
                });
            }
        }
        if q.response {
            if let Some((rtype, len, v)) = ttl0_encoded_answer(d, &q, t) {
                found.hit(&sig::DNS_TUNNEL_IN_GTPU, || {
                    json!({"kind": "ttl0_encoded_answer", "qname": name(), "domain": domain(), "rtype": rtype,
                           "rdata_len": len, "encoding": v.kind, "entropy": round(v.entropy, 2),
                           "subscriber": subscriber.to_string()})
                });
            }
            // the answer to a name its tunnel's count holds is remembered with the query
            // (named with the finding, however long before it came)
            if sub_len >= DNS_COUNTED_SUBDOMAIN_LEN && !provider && !self.fam.dns.is_empty() {
                let key = self.dns_key(subscriber, &q);
                if let Some(e) = self.fam.dns.get_mut(&key) {
                    e.answered(subdomain_digest(sub), (ctx.m.frame, ctx.m.ts_nanos));
                }
            }
            return;
        }
        // per tunnel and domain: distinct subdomains and tunnel-friendly record types
        let (need_sub, need_rec, window) = (
            t.dns_subdomains.clamp(2, DNS_MAX_DISTINCT),
            t.dns_record_queries.max(1),
            t.dns_window_s,
        );
        let (need_slow, slow_window) = (
            t.dns_slow_subdomains.clamp(2, DNS_MAX_SLOW_DISTINCT),
            t.dns_slow_window_s.max(window),
        );
        let again = realert_after(t.tag_window_s, slow_window);
        // only queries that count (a machine-made subdomain, a tunnel-friendly record type)
        // take a table entry: ordinary lookups leave no state behind
        let counted = sub_len >= DNS_COUNTED_SUBDOMAIN_LEN
            && !provider
            && sub.iter().any(|l| machine_label(l) || data_label(l))
            && entropy() >= DNS_COUNTED_SUBDOMAIN_ENTROPY;
        // a provider's zone is answered by the provider: no tunnel's records come from it
        let record_query = !provider && DNS_TUNNEL_QTYPES.contains(&q.qtype);
        if !(counted || record_query) {
            return;
        }
        let key = self.dns_key(subscriber, &q);
        let table = &mut self.fam.dns;
        if table.len() >= MAX_DNS_KEYS && !table.contains_key(&key) {
            bounded(table, &mut self.stats.state_resets);
        }
        let e = table.entry(key).or_insert(DnsDomain::new(ts));
        e.roll(ts, window, slow_window);
        if counted {
            e.add(subdomain_digest(sub), (ctx.m.frame, ctx.m.ts_nanos));
        }
        if record_query {
            e.record_queries += 1;
        }
        let e = *e;
        if usize::from(e.n) >= need_sub && !e.alerted_subdomains {
            if let Some(x) = self.fam.dns.get_mut(&key) {
                x.alerted_subdomains = true;
                x.slow_alerted_at = Some(ts);
            }
            // the lookups that led to it are part of the finding
            found
                .earlier
                .extend(e.named_since(e.start - EARLIER_SLACK_S, ctx.m.frame));
            found.hit(&sig::DNS_TUNNEL_SUBDOMAINS, || {
                json!({"domain": domain(), "distinct_subdomains": e.n, "within_s": round(ts - e.start, 3),
                       "window_s": window, "last_qname": name(), "subscriber": subscriber.to_string()})
            });
        } else if usize::from(e.slow_n) >= need_slow
            && e.slow_alerted_at.map_or(true, |a| ts - a >= again)
        {
            // a tunnel paced under the window's count: as many over the slow window (again
            // with the lookups since the last alert, once its tagging ran out)
            if let Some(x) = self.fam.dns.get_mut(&key) {
                x.slow_alerted_at = Some(ts);
            }
            let since = e.slow_alerted_at.unwrap_or(e.slow_start - EARLIER_SLACK_S);
            found.earlier.extend(e.named_since(since, ctx.m.frame));
            found.hit(&sig::DNS_TUNNEL_SUBDOMAINS, || {
                json!({"domain": domain(), "distinct_subdomains": e.slow_n, "within_s": round(ts - e.slow_start, 3),
                       "window_s": slow_window, "pace": "slow", "last_qname": name(),
                       "subscriber": subscriber.to_string()})
            });
        }
        if e.record_queries as usize >= need_rec && !e.alerted_records {
            if let Some(x) = self.fam.dns.get_mut(&key) {
                x.alerted_records = true;
            }
            found.hit(&sig::DNS_TUNNEL_RECORD_VOLUME, || {
                json!({"domain": domain(), "queries": e.record_queries, "qtype": q.qtype,
                       "within_s": round(ts - e.start, 3), "window_s": window,
                       "subscriber": subscriber.to_string()})
            });
        }
    }
}

#[cfg(test)]
#[path = "tunnel_tests.rs"]
mod tests;
