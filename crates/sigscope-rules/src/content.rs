//! Is this field carrying data its type never carries? Heuristics for text (USSD, SMS) and
//! binary values (private extensions), built to stay quiet on what these fields normally
//! hold: service codes (`*100#`), menus and prose, one-time codes, URLs, vendor TLVs.

use crate::common_chars::{
    COMMON_HAN, COMMON_HANGUL, HANGUL_FIRST, HANGUL_LAST, HAN_FIRST, HAN_LAST,
};

/// Why a value looks encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// `base64`, `hex`, `high_entropy`, `rare_ideographs`, `unspaced_letters` or
    /// `block_mapped` (text); `encrypted` or
    /// `printable_encoded` (binary).
    pub kind: &'static str,
    /// Shannon entropy, bits per character of ASCII text, per UTF-8 octet of text in other
    /// scripts, or per byte (binary).
    pub entropy: f64,
    /// Length examined.
    pub len: usize,
}

/// Shannon entropy of a byte sequence, in bits per symbol.
pub fn entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    entropy_of_counts(&byte_counts(data), data.len())
}

/// How often each octet value occurs.
fn byte_counts(data: &[u8]) -> [u32; 256] {
    let mut counts = [0u32; 256];
    for b in data {
        if let Some(c) = counts.get_mut(usize::from(*b)) {
            *c += 1;
        }
    }
    counts
}

/// Shannon entropy of `n` octets counted in `counts`.
fn entropy_of_counts(counts: &[u32; 256], n: usize) -> f64 {
    let n = n as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Slack of the bound in [`entropy_reaching`] (rounding of the sum, far below any threshold
/// written in a policy).
const ENTROPY_BOUND_SLACK: f64 = 1e-9;

/// The entropy of `data` ([`entropy`]) when it reaches `bits`. Entropy never exceeds the
/// log2 of the number of distinct octets, so data with too few of them is not summed.
fn entropy_reaching(data: &[u8], bits: f64) -> Option<f64> {
    if data.is_empty() {
        return (0.0 >= bits).then_some(0.0);
    }
    let counts = byte_counts(data);
    let distinct = counts.iter().filter(|c| **c > 0).count();
    if (distinct as f64).log2() + ENTROPY_BOUND_SLACK < bits {
        return None;
    }
    let e = entropy_of_counts(&counts, data.len());
    (e >= bits).then_some(e)
}

fn longest_token(s: &str) -> &str {
    s.split(|c: char| c.is_whitespace())
        .max_by_key(|t| t.len())
        .unwrap_or("")
}

/// Text that carries encoded data: a run without spaces of at least `min_len` characters that
/// is hex (letters and digits mixed, even length) or base64 (upper, lower and digits mixed,
/// entropy over 4 bits/char), or any text of twice `min_len` whose entropy exceeds
/// `entropy_bits`. Natural text, USSD codes and URLs do not qualify.
pub fn encoded_text(s: &str, min_len: usize, entropy_bits: f64) -> Option<Verdict> {
    // shorter than the shortest run judged (and than the text the entropy test needs)
    if s.len() < min_len.max(8) {
        return None;
    }
    let tok = longest_token(s);
    let tb = tok.as_bytes();
    if tb.len() >= min_len.max(8) && !looks_like_url(tok) {
        let hex = tb.iter().all(u8::is_ascii_hexdigit);
        let has_digit = tb.iter().any(u8::is_ascii_digit);
        let has_alpha = tb.iter().any(u8::is_ascii_alphabetic);
        if hex && has_digit && has_alpha && tb.len() % 2 == 0 && tb.len() >= min_len.max(24) {
            return Some(Verdict {
                kind: "hex",
                entropy: entropy(tb),
                len: tb.len(),
            });
        }
        let b64 = tb
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
        let upper = tb.iter().any(u8::is_ascii_uppercase);
        let lower = tb.iter().any(u8::is_ascii_lowercase);
        // padding only at the end, as base64 has it
        let pad_ok = || {
            tb.iter()
                .position(|b| *b == b'=')
                .map_or(true, |p| tb.iter().skip(p).all(|b| *b == b'='))
        };
        // a padded run is base64 whatever its entropy (UTF-16 text encoded, as PowerShell's
        // -enc takes it, repeats 'A' every other character; a concatenated message's last
        // part holds the run's end, not whole quanta)
        let padded = tb.len() >= BASE64_PADDED_MIN_LEN
            && tb.ends_with(b"=")
            && !tb.contains(&b'-')
            && !tb.contains(&b'_');
        if b64 && upper && lower && has_digit && pad_ok() && padded {
            if let Some(e) = entropy_reaching(tb, BASE64_PADDED_MIN_ENTROPY) {
                return Some(Verdict {
                    kind: "base64",
                    entropy: e,
                    len: tb.len(),
                });
            }
        }
        if b64 && upper && lower && has_digit && pad_ok() {
            if let Some(e) = entropy_reaching(tb, BASE64_MIN_ENTROPY) {
                return Some(Verdict {
                    kind: "base64",
                    entropy: e,
                    len: tb.len(),
                });
            }
        }
        // base32 (RFC 4648): one case of letters and the digits 2-7 only, digits among them
        if tb.len() >= min_len.max(BASE32_MIN_LEN) && pad_ok() && base32(tb) {
            if let Some(e) = entropy_reaching(tb, BASE32_MIN_ENTROPY) {
                return Some(Verdict {
                    kind: "base32",
                    entropy: e,
                    len: tb.len(),
                });
            }
        }
    }
    if let Some(v) = grouped_or_decimal(s, min_len) {
        return Some(v);
    }
    // (the three judge letters outside ASCII: most texts have none)
    if !s.is_ascii() {
        if let Some(v) = rare_ideographs(s)
            .or_else(|| unspaced_letters(s))
            .or_else(|| block_mapped(s))
        {
            return Some(v);
        }
    }
    let all = s.as_bytes();
    // prose in a non-Latin script (UCS-2 Chinese, Tamil, Arabic, Thai, Cyrillic...) has many
    // distinct characters, so high entropy; it is still prose
    if all.len() >= min_len.saturating_mul(2).max(32) {
        if let Some(e) = entropy_reaching(all, entropy_bits)
            .filter(|_| !human_script(s) && !latin_prose(s) && !form_like(s))
        {
            return Some(Verdict {
                kind: "high_entropy",
                entropy: e,
                len: all.len(),
            });
        }
    }
    None
}

/// Fewest groups for a text cut into equal groups to be judged as one run.
const MIN_GROUPS: usize = 5;
/// Group lengths an encoder's output is cut into for display or to pass word filters.
const GROUP_LENS: core::ops::RangeInclusive<usize> = 3..=8;
/// Shortest run of decimal digits read as data: longer than any phone number (15), IMEI
/// (16), card number (19) or booking reference.
pub const DECIMAL_RUN_MIN: usize = 40;

/// Encoded data cut into equal groups (`Qm9v YmFy ...`, base64 or hex in groups of 3-8
/// characters, the last one shorter or not), judged as the run they make; or a run of
/// decimal digits longer than any number people exchange (bytes written as 3-digit codes).
fn grouped_or_decimal(s: &str, min_len: usize) -> Option<Verdict> {
    // both are ASCII (prose in another script is settled here, unsplit)
    if s.len() < min_len.max(24) || !s.is_ascii() {
        return None;
    }
    let len = s.split_ascii_whitespace().next()?.len();
    let digits_only = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // (a plain count first: most texts have not that many digits in all)
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if let Some(run) = (digits >= DECIMAL_RUN_MIN)
        .then(|| {
            s.split_ascii_whitespace()
                .find(|t| t.len() >= DECIMAL_RUN_MIN && digits_only(t))
        })
        .flatten()
    {
        return Some(Verdict {
            kind: "decimal",
            entropy: entropy(run.as_bytes()),
            len: run.len(),
        });
    }
    if !GROUP_LENS.contains(&len) {
        return None;
    }
    let (mut n, mut chars, mut counts) = (0usize, 0usize, [0u32; 256]);
    let (mut upper, mut lower, mut digit, mut hex) = (false, false, false, true);
    let mut last_short = false;
    for t in s.split_ascii_whitespace() {
        if last_short || t.len() > len {
            return None;
        }
        last_short = t.len() < len;
        for b in t.bytes() {
            if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
                return None;
            }
            upper |= b.is_ascii_uppercase();
            lower |= b.is_ascii_lowercase();
            digit |= b.is_ascii_digit();
            hex &= b.is_ascii_hexdigit();
            if let Some(c) = counts.get_mut(usize::from(b)) {
                *c += 1;
            }
        }
        n += 1;
        chars += t.len();
    }
    if n < MIN_GROUPS || chars < min_len.max(24) {
        return None;
    }
    let e = entropy_of_counts(&counts, chars);
    let kind = if hex && digit && (upper || lower) && !(upper && lower) {
        "hex_grouped"
    } else if upper && lower && digit && e >= BASE64_MIN_ENTROPY {
        "base64_grouped"
    } else {
        return None;
    };
    Some(Verdict {
        kind,
        entropy: e,
        len: chars,
    })
}

/// Fewest whitespace-separated tokens before a text's words are counted.
const PROSE_MIN_TOKENS: usize = 4;
/// Share of a text's tokens that must be words for it to be prose.
const PROSE_WORD_SHARE: f64 = 0.5;
/// Share of a word's characters (its trailing punctuation aside) that are letters.
const WORD_LETTER_SHARE: f64 = 0.7;

/// Share of a spaced text's tokens that must be words (with [`PROSE_MIN_SPACE_SHARE`]).
const SPACED_WORD_SHARE: f64 = 1.0 / 3.0;
/// Share of whitespace among a text's characters that prose has (a space every 5-9
/// characters) and ciphertext rendered as text has not (one character in a hundred).
const PROSE_MIN_SPACE_SHARE: f64 = 0.08;

/// A token that reads as a word of a Latin-script language: letters, digits, hyphens and
/// apostrophes (punctuation around it aside), two letters or more and letters most of it, and
/// a vowel (an accented letter counts: Vietnamese or French words may have no other).
fn word_like(t: &str) -> bool {
    let t = t
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .trim_start_matches(['(', '"', '\'']);
    // inside a word: letters, digits, hyphens and apostrophes only
    if !t
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '\u{2019}'))
    {
        return false;
    }
    let n = t.chars().count();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let vowel = t.chars().any(|c| {
        matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
            || (c.is_alphabetic() && !c.is_ascii())
    });
    letters >= 2 && letters as f64 >= n as f64 * WORD_LETTER_SHARE && vowel
}

/// Text that reads as prose: tokens mostly words, or spaced like prose with a third of its
/// tokens words (a booking: reference, flight, times, seat and link between a few words).
/// Its letters, digits and link tokens together may reach a ciphertext's per-character
/// entropy; ciphertext rendered as text has few spaces and no words.
fn latin_prose(s: &str) -> bool {
    let (mut tokens, mut words) = (0usize, 0usize);
    for t in s.split_whitespace() {
        tokens += 1;
        words += usize::from(word_like(t));
    }
    let chars = s.chars().count();
    let spaces = s.chars().filter(|c| c.is_whitespace()).count();
    let spaced = spaces as f64 >= chars as f64 * PROSE_MIN_SPACE_SHARE
        && words as f64 >= tokens as f64 * SPACED_WORD_SHARE;
    tokens >= PROSE_MIN_TOKENS && (words as f64 >= tokens as f64 * PROSE_WORD_SHARE || spaced)
}

/// Fields a text needs to read as a form.
const FORM_MIN_FIELDS: usize = 3;
/// Longest field label (`Acct`, `Amt`, `Avail Bal`, `Desc`, `Ref No`...).
const FORM_MAX_LABEL: usize = 16;

/// Text laid out as labelled fields (`Acct:181*5665`, `Amt:NGN126,302.84 CR`, `Bal: ...`, one
/// a line or several on one): a bank's or a shop's notification. Amounts, account masks,
/// references and dates reach a ciphertext's per-character entropy, but ciphertext rendered
/// as text does not start field after field with a label of letters and a colon.
fn form_like(s: &str) -> bool {
    let label = |t: &str| {
        t.split_once([':', '=']).is_some_and(|(l, _)| {
            let l = l.trim();
            (2..=FORM_MAX_LABEL).contains(&l.len())
                && l.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2
                && l.chars()
                    .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '.' | '/'))
        })
    };
    // one field a line, or fields within a line after a space
    let lines = s.lines().filter(|l| label(l.trim_start())).count();
    let tokens = s.split_whitespace().filter(|t| label(t)).count();
    lines.max(tokens) >= FORM_MIN_FIELDS
}

/// Shortest base64 run taken as base64 by its padding alone (ending in `=`), whatever its
/// entropy.
const BASE64_PADDED_MIN_LEN: usize = 24;
/// Entropy (bits per character) a padded base64 run must still reach (a run of one repeated
/// character is no encoding).
const BASE64_PADDED_MIN_ENTROPY: f64 = 3.0;

/// Entropy (bits per character) a base64 run must reach.
const BASE64_MIN_ENTROPY: f64 = 4.0;
/// Shortest run judged as base32.
const BASE32_MIN_LEN: usize = 24;
/// Entropy (bits per character) a base32 run must reach (its alphabet holds 32 symbols).
const BASE32_MIN_ENTROPY: f64 = 3.8;
/// Fewest digits (2-7) a base32 run holds, per this many characters (random base32 has one
/// in five or six).
const BASE32_DIGIT_EVERY: usize = 16;

/// Whether a run is base32's alphabet: letters of one case and the digits 2-7 (never 0, 1,
/// 8, 9), padding aside, with digits among them.
fn base32(tb: &[u8]) -> bool {
    let body: &[u8] = match tb.iter().position(|b| *b == b'=') {
        Some(p) => tb.get(..p).unwrap_or(tb),
        None => tb,
    };
    let upper = body
        .iter()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b));
    let lower = body
        .iter()
        .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(b));
    let digits = body.iter().filter(|b| b.is_ascii_digit()).count();
    (upper || lower)
        && digits * BASE32_DIGIT_EVERY >= body.len()
        && body.iter().any(u8::is_ascii_alphabetic)
}

/// Coarse script of a character (Unicode blocks), for telling prose from decoded ciphertext.
fn script(c: char) -> Option<u8> {
    Some(match u32::from(c) {
        0x0370..=0x03ff => 1,                                     // Greek
        0x0400..=0x052f => 2,                                     // Cyrillic
        0x0590..=0x05ff => 3,                                     // Hebrew
        0x0600..=0x06ff | 0x0750..=0x077f => 4,                   // Arabic
        0x0900..=0x0dff => 5, // Indic (Devanagari .. Sinhala, Tamil)
        0x0e00..=0x0eff => 6, // Thai, Lao
        0x1000..=0x109f => 7, // Myanmar
        0x1100..=0x11ff | 0x3130..=0x318f | 0xac00..=0xd7af => 8, // Hangul
        0x3000..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xff00..=0xffef => 9, // CJK, kana
        0x1200..=0x139f => 10, // Ethiopic
        0x0530..=0x058f => 11, // Armenian
        0x10a0..=0x10ff => 12, // Georgian
        0x0080..=0x024f | 0x1e00..=0x1eff => 13, // Latin supplements (Vietnamese too)
        _ => return None,
    })
}

/// Share of a text's non-ASCII letters that must fall into its main script for it to be
/// prose in that script.
const MAIN_SCRIPT_SHARE: f64 = 0.85;
/// Share of a text's characters that must be non-ASCII letters for the script test to apply.
const NON_ASCII_SHARE: f64 = 0.3;

/// Fewest ideographs and Hangul syllables a text needs before their rarity is judged.
const RARE_MIN_CHARS: u32 = 16;
/// Share of a text's ideographs and Hangul syllables outside the common sets
/// ([`crate::common_chars`]) from which it is octets mapped onto the blocks, not prose: prose
/// draws well over 99% of its characters from those sets (names add a rare one or two), octets
/// mapped one-to-one onto the blocks land outside them about half the time.
const RARE_MIN_SHARE: f64 = 0.25;

/// Whether an ideograph or Hangul syllable is one of the common sets (`None`: neither).
fn common_char(c: char) -> Option<bool> {
    let c = u32::from(c);
    let (table, first) = match c {
        HAN_FIRST..=HAN_LAST => (&COMMON_HAN[..], HAN_FIRST),
        HANGUL_FIRST..=HANGUL_LAST => (&COMMON_HANGUL[..], HANGUL_FIRST),
        _ => return None,
    };
    let i = c - first;
    Some(
        table
            .get((i / u64::BITS) as usize)
            .is_some_and(|w| (w >> (i % u64::BITS)) & 1 == 1),
    )
}

/// Text in ideographs or Hangul whose characters are too often rare ones for prose: data
/// mapped onto the blocks (an octet or a few bits a character, `0x4E00 + octet`,
/// base-2048/base-32768-style encoders), which reads as Chinese, Japanese or Korean to the
/// script test and to the eye. `len` counts the characters judged.
pub fn rare_ideographs(s: &str) -> Option<Verdict> {
    let (mut judged, mut rare) = (0u32, 0u32);
    for common in s.chars().filter_map(common_char) {
        judged += 1;
        rare += u32::from(!common);
    }
    (judged >= RARE_MIN_CHARS && f64::from(rare) >= RARE_MIN_SHARE * f64::from(judged)).then(|| {
        Verdict {
            kind: "rare_ideographs",
            entropy: entropy(s.as_bytes()),
            len: judged as usize,
        }
    })
}

/// Longest token (letters and digits of any script, and `+`, `/`, `=`, `_`, between spaces
/// and punctuation) prose in a script written with spaces between words has: words of
/// Cyrillic, Greek, Arabic, Hebrew, Indic, Ethiopic, Armenian, Georgian or Hangul text
/// (agglutinating languages' long words included) stay well under it.
const MAX_WORD_LETTERS: usize = 32;
/// Fewest distinct characters in such a token for it to be an alphabet of encoded data (hex
/// written with 16 letters; a word repeated or drawn out uses few).
const MIN_RUN_DISTINCT: usize = 12;

/// Whether a character's script writes spaces between its words (Thai, Lao, Myanmar and
/// the ideographs do not; Latin is judged by the ASCII checks).
fn spaced_script(c: char) -> bool {
    matches!(script(c), Some(1..=5 | 8 | 10..=12))
}

/// A character that continues a token: a letter or digit of any script, or one of the
/// symbols base64 and its variants use.
fn token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '+' | '/' | '=' | '_')
}

/// Text with a token longer than any word, at least half of it letters of a spaced script,
/// drawn from a wide alphabet: data encoded in those letters (base32/base64/hex with
/// Cyrillic, Greek or Arabic letters for some digits), which the script test would take for
/// prose. `len` is the token's length in characters.
pub fn unspaced_letters(s: &str) -> Option<Verdict> {
    let (mut len, mut spaced, mut start) = (0usize, 0usize, 0usize);
    let mut seen = [0u64; 4];
    for (i, c) in s.char_indices() {
        if !token_char(c) {
            len = 0;
            continue;
        }
        if len == 0 {
            start = i;
            spaced = 0;
            seen = [0; 4];
        }
        len += 1;
        spaced += usize::from(spaced_script(c));
        let bit = u32::from(c) % 256;
        if let Some(w) = seen.get_mut((bit / 64) as usize) {
            *w |= 1 << (bit % 64);
        }
        if len >= MAX_WORD_LETTERS
            && spaced * 2 >= len
            && seen.iter().map(|w| w.count_ones() as usize).sum::<usize>() >= MIN_RUN_DISTINCT
        {
            let tail = s.get(start..).unwrap_or("");
            let len = tail.chars().take_while(|c| token_char(*c)).count();
            return Some(Verdict {
                kind: "unspaced_letters",
                entropy: entropy(tail.as_bytes()),
                len,
            });
        }
    }
    None
}

/// Text written in one non-Latin script (with ASCII digits, punctuation and spaces mixed in):
/// human prose in Chinese, Tamil, Arabic, Thai, Cyrillic..., whatever its per-character
/// entropy. Random octets decoded as UCS-2 scatter over every block and do not qualify, nor
/// do octets mapped onto the ideographs or Hangul ([`rare_ideographs`]), encoded data written
/// in a spaced script's letters ([`unspaced_letters`]) or octets mapped onto one block
/// ([`block_mapped`]).
pub fn human_script(s: &str) -> bool {
    let mut counts = [0u32; 14];
    let (mut total, mut non_ascii) = (0u32, 0u32);
    for c in s.chars() {
        total += 1;
        if c.is_ascii() {
            continue;
        }
        non_ascii += 1;
        if let Some(n) = script(c).and_then(|i| counts.get_mut(usize::from(i))) {
            *n += 1;
        }
    }
    if total == 0 || f64::from(non_ascii) < NON_ASCII_SHARE * f64::from(total) {
        return false;
    }
    let main = counts.iter().copied().max().unwrap_or(0);
    f64::from(main) >= MAIN_SCRIPT_SHARE * f64::from(non_ascii)
        && rare_ideographs(s).is_none()
        && unspaced_letters(s).is_none()
        && block_mapped(s).is_none()
}

/// Fewest characters of one block before their spread over it is judged.
const BLOCK_MAPPED_MIN_CHARS: u32 = 32;
/// Share of a text's non-ASCII characters that must lie in its main 256-code-point block.
const BLOCK_MAPPED_BLOCK_SHARE: f64 = 0.95;
/// Share of those characters each quarter of the block must hold: octets mapped onto a block
/// (`base + octet`) spread evenly over all four quarters, while a script's letters fill one
/// or two of them (Thai, Cyrillic, Arabic, Devanagari, Hebrew, Greek, Georgian, Tibetan, kana
/// all leave a quarter or more of their block to signs prose seldom uses, or to another
/// script), and Ethiopic's syllables run on into the next block.
const BLOCK_MAPPED_QUARTER_SHARE: f64 = 0.08;
/// Share of the distinct characters `n` random octets give (`256 (1 - (255/256)^n)`) that
/// must be distinct among them: random octets repeat only by chance, prose repeats its common
/// letters.
const BLOCK_MAPPED_DISTINCT_OF_RANDOM: f64 = 0.85;
/// Most whitespace among the text's characters: prose in a spaced script has a space every
/// 5-9 characters, octets mapped onto letters have none.
const BLOCK_MAPPED_MAX_SPACE_SHARE: f64 = 0.04;

/// How many distinct values `n` uniformly random octets give, on average.
fn random_distinct(n: u32) -> f64 {
    let n = i32::try_from(n).unwrap_or(i32::MAX);
    256.0 * (1.0 - (255.0f64 / 256.0).powi(n))
}

/// Octets mapped one-to-one onto one block of the Basic Multilingual Plane (`0x1200 + octet`
/// reads as Ethiopic, `0x0400 + octet` as Cyrillic): unspaced, drawn evenly from the whole
/// block, few characters repeated. The script test takes such text for prose; its letters say
/// otherwise. `len` counts the characters in the block.
pub fn block_mapped(s: &str) -> Option<Verdict> {
    // the block most of the non-ASCII characters lie in (majority vote)
    let (mut block, mut votes) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_ascii()) {
        let b = u32::from(c) >> 8;
        if votes == 0 {
            block = b;
        }
        votes = if b == block { votes + 1 } else { votes - 1 };
    }
    if votes == 0 || block > 0xff {
        return None;
    }
    let (mut spaces, mut total, mut non_ascii, mut inside) = (0u32, 0u32, 0u32, 0u32);
    let mut quarters = [0u32; 4];
    let mut seen = [0u64; 4];
    for c in s.chars() {
        total += 1;
        if c.is_whitespace() {
            spaces += 1;
            continue;
        }
        if c.is_ascii() {
            continue;
        }
        non_ascii += 1;
        let v = u32::from(c);
        if v >> 8 != block {
            continue;
        }
        inside += 1;
        let low = v & 0xff;
        if let Some(q) = quarters.get_mut((low / 64) as usize) {
            *q += 1;
        }
        if let Some(w) = seen.get_mut((low / 64) as usize) {
            *w |= 1 << (low % 64);
        }
    }
    let distinct = seen.iter().map(|w| w.count_ones()).sum::<u32>();
    let mapped = inside >= BLOCK_MAPPED_MIN_CHARS
        && f64::from(inside) >= BLOCK_MAPPED_BLOCK_SHARE * f64::from(non_ascii)
        && f64::from(spaces) <= BLOCK_MAPPED_MAX_SPACE_SHARE * f64::from(total)
        && quarters
            .iter()
            .all(|q| f64::from(*q) >= BLOCK_MAPPED_QUARTER_SHARE * f64::from(inside))
        && f64::from(distinct) >= BLOCK_MAPPED_DISTINCT_OF_RANDOM * random_distinct(inside);
    mapped.then(|| Verdict {
        kind: "block_mapped",
        entropy: entropy(s.as_bytes()),
        len: inside as usize,
    })
}

/// Markers of shell commands: a text carrying one of these reads as a command line.
const SHELL_MARKERS: &[&str] = &[
    "/bin/",
    "/etc/",
    "/tmp/",
    "/dev/",
    "/proc/",
    "/var/",
    "$(",
    "`",
    "&&",
    "||",
    "2>&1",
    ">/dev",
    "| sh",
    "|sh",
    "| bash",
    "chmod ",
    "wget ",
    "curl ",
    "nc -",
    "ncat ",
    "bash -",
    "sh -c",
    "python -c",
    "python3 -c",
    "perl -e",
    "base64 -d",
    "rm -rf",
    "busybox",
    "iptables",
    "crontab",
    "/sbin/",
    "powershell",
    "cmd.exe",
];
/// Command words: a token that starts a command line.
const SHELL_COMMANDS: &[&str] = &[
    "ls", "cat", "id", "whoami", "uname", "ps", "netstat", "ifconfig", "ip", "wget", "curl",
    "chmod", "sh", "bash", "nc", "echo", "rm", "cd", "kill", "python", "python3", "perl", "tar",
    "ssh", "scp", "ping", "busybox", "exec", "sudo", "su", "pwd", "hostname", "env", "export",
    "nohup", "killall", "mkdir", "mv", "cp", "dd", "awk", "sed", "grep", "find",
];

/// The shell markers as one automaton, built once: a text is scanned in one pass.
static MARKERS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();

/// Text that reads as a shell command line (USSD or SMS used as a command channel): two
/// distinct markers, or one marker and a command word starting a segment.
pub fn shell_like(s: &str) -> Option<&'static str> {
    let ac = MARKERS
        .get_or_init(|| aho_corasick::AhoCorasick::new(SHELL_MARKERS).ok())
        .as_ref()?;
    // most texts carry no marker: a plain search (with the automaton's prefilter) says so
    // before the overlapping walk
    if !ac.is_match(s) {
        return command_words(s);
    }
    let mut hits = ac.find_overlapping_iter(s).map(|m| m.pattern().as_usize());
    let first = hits.next()?;
    let marker = *SHELL_MARKERS.get(first)?;
    if hits.any(|p| p != first) {
        return Some(marker);
    }
    let starts_command = s
        .split([';', '|', '&', '\n', '`', '(', ')'])
        .filter_map(|seg| seg.split_whitespace().next())
        .any(|w| SHELL_COMMANDS.contains(&w));
    starts_command.then_some(marker)
}

/// Separators of shell commands on one line.
const COMMAND_SEPARATORS: [u8; 4] = [b';', b'|', b'&', b'\n'];
/// Fewest segments starting with a command word, one with an option, for a line with no
/// marker to read as commands (`uname -a; id; ls -la ~`).
const MIN_COMMAND_SEGMENTS: usize = 2;

/// A command line without any marker: several segments that each start with a command word,
/// one of them with an option (`-a`), or a command word whose argument is an IPv4 address
/// (`nc 203.0.113.9 4444 -e sh`, `ping 10.1.2.3`). Prose does neither.
fn command_words(s: &str) -> Option<&'static str> {
    let option = |w: &str| {
        w.strip_prefix('-')
            .and_then(|o| o.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic())
    };
    // most texts have no separator: one segment, the text itself (not split char by char)
    let separated = s.bytes().any(|b| COMMAND_SEPARATORS.contains(&b));
    let split = |c: char| u8::try_from(c).is_ok_and(|b| COMMAND_SEPARATORS.contains(&b));
    let segments = separated.then(|| s.split(split));
    let mut commands = 0usize;
    let mut with_option = false;
    for seg in segments
        .into_iter()
        .flatten()
        .chain((!separated).then_some(s))
    {
        let mut words = seg.split_whitespace();
        let Some(first) = words.next() else { continue };
        if !SHELL_COMMANDS.contains(&first) {
            continue;
        }
        commands += 1;
        for w in words {
            if w.parse::<std::net::Ipv4Addr>().is_ok() {
                return Some("command_with_address");
            }
            with_option |= option(w);
        }
    }
    (commands >= MIN_COMMAND_SEGMENTS && with_option).then_some("command_sequence")
}

fn looks_like_url(t: &str) -> bool {
    let starts = |p: &str| {
        t.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    starts("http://") || starts("https://") || starts("www.")
}

/// A printable ASCII octet (a space too).
pub fn printable(b: u8) -> bool {
    b.is_ascii_graphic() || b == b' '
}

/// Printable ASCII (so valid UTF-8) as text: binary data that is text is judged as text.
pub fn printable_text(data: &[u8]) -> Option<&str> {
    if data.iter().all(|b| printable(*b)) {
        std::str::from_utf8(data).ok()
    } else {
        None
    }
}

/// Entropy (bits per character) above which printable text found where binary data was
/// expected is judged encoded.
pub const PRINTABLE_ENCODED_BITS: f64 = 4.5;

/// Binary data (a private extension value) that looks encrypted or is printable encoded
/// text. Encrypted: entropy at least `entropy_bits`, or, for values too short to reach it
/// (n bytes carry at most log2(n) bits per byte), at least 85% of log2(n).
pub fn encoded_binary(data: &[u8], min_len: usize, entropy_bits: f64) -> Option<Verdict> {
    if data.len() < min_len.max(8) {
        return None;
    }
    let e = entropy(data);
    // printable: judged as text (a banner is not a command)
    if let Some(s) = printable_text(data) {
        return encoded_text(s, min_len, PRINTABLE_ENCODED_BITS).map(|v| Verdict {
            kind: "printable_encoded",
            ..v
        });
    }
    let reachable = (data.len().min(256) as f64).log2() * 0.85;
    if e >= entropy_bits.min(reachable) {
        return Some(Verdict {
            kind: "encrypted",
            entropy: e,
            len: data.len(),
        });
    }
    None
}

/// `n` octets of xorshift noise from `seed` (tests' stand-in for ciphertext).
#[cfg(test)]
pub(crate) fn xorshift_noise(seed: u32, n: usize) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// Hex text (as records carry raw values) to bytes; `None` if it is not hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks(2)
        .map(|p| {
            let hi = char::from(*p.first()?).to_digit(16)?;
            let lo = char::from(*p.get(1)?).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "content_script_tests.rs"]
mod script_tests;
