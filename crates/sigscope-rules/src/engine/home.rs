//! The home country without a policy: a probe sits in its operator's network, so one end of
//! nearly every dialogue it sees is a home title. Without the policy's home prefixes,
//! "foreign" can only mean "of another country than the other end", which names both ends
//! of an international dialogue; the country most titles belong to tells which end is home,
//! so that a finding never names the home network's own node as the attacker whose other
//! messages are tagged (as the policy's home prefixes would not).

use sigscope_decode::Party;

use sigscope_core::e164;

use super::{country_code, Engine};

/// Messages with a title of known country seen before the most common country is taken as
/// home.
pub const HOME_GUESS_MIN_MESSAGES: u32 = 64;

/// Messages after which the guess stands (the country most titles belong to no longer
/// changes: later messages are not counted).
pub const HOME_GUESS_SETTLED: u32 = 4096;

/// Places of the counts: one per ISO 3166 alpha-2 code (26 × 26), then one per E.164 country
/// code (1 to 3 digits) of the non-geographic codes, which have no ISO code.
const ISO_PLACES: usize = 26 * 26;
const COUNTRY_PLACES: usize = ISO_PLACES + 1000;

/// How many messages had a title of each country.
#[derive(Debug, Default)]
pub(super) struct HomeGuess {
    /// Messages per country ([`place`]; made on first use).
    counts: Vec<u32>,
    /// Messages with a title of known country.
    messages: u32,
    /// The guess, once [`HOME_GUESS_SETTLED`] messages were counted: it stands (`None`
    /// inside: no country leads, as in a capture of transit traffic).
    settled: Option<Option<u16>>,
}

/// A country's place among the counts: its ISO code (so that the countries sharing +1, +7 or
/// +44 are told apart, as `foreign` tells them), else its E.164 country code.
fn place(c: &e164::Country) -> Option<u16> {
    if let [a, b] = c.iso.as_bytes() {
        let (a, b) = (a.checked_sub(b'A')?, b.checked_sub(b'A')?);
        return (a < 26 && b < 26).then(|| u16::from(a) * 26 + u16::from(b));
    }
    let n =
        c.cc.parse::<u16>()
            .ok()
            .filter(|n| usize::from(*n) < COUNTRY_PLACES - ISO_PLACES)?;
    Some(ISO_PLACES as u16 + n)
}

impl HomeGuess {
    /// One message between titles of countries `a` and `b` (each counted once).
    fn see(&mut self, a: Option<u16>, b: Option<u16>) {
        if a.is_none() && b.is_none() {
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; COUNTRY_PLACES];
        }
        self.messages = self.messages.saturating_add(1);
        let b = b.filter(|b| Some(*b) != a);
        for c in [a, b].into_iter().flatten() {
            if let Some(n) = self.counts.get_mut(usize::from(c)) {
                *n = n.saturating_add(1);
            }
        }
        if self.messages >= HOME_GUESS_SETTLED {
            self.settled = Some(self.leader());
        }
    }

    /// The home country's place: the one with titles in at least half the messages and
    /// strictly more than any other, once [`HOME_GUESS_MIN_MESSAGES`] were seen (a capture
    /// that opens on one foreign title flooding one home title has no home yet: both count
    /// alike). Read only when a finding would name a title (rare).
    fn home(&self) -> Option<u16> {
        match self.settled {
            Some(h) => h,
            None => self.leader(),
        }
    }

    /// [`HomeGuess::home`] from the counts (walks every country's).
    fn leader(&self) -> Option<u16> {
        if self.messages < HOME_GUESS_MIN_MESSAGES {
            return None;
        }
        let (mut first, mut second) = ((0usize, 0u32), 0u32);
        for (i, n) in self.counts.iter().enumerate() {
            if *n > first.1 {
                second = first.1;
                first = (i, *n);
            } else if *n > second {
                second = *n;
            }
        }
        let leads = first.1 > second && u64::from(first.1) * 2 >= u64::from(self.messages);
        leads.then_some(first.0 as u16)
    }
}

/// Octets of a home country's code as [`Engine::home_code`] writes it (an ISO code, or an
/// E.164 country code of up to three digits).
pub const HOME_CODE_OCTETS: usize = 3;

impl Engine {
    /// The home country's code (ISO, else E.164 country code): the country of the policy's
    /// first home prefix, else the guess from the traffic ([`HomeGuess`]); written into `buf`
    /// when it is the guess's.
    pub(super) fn home_code<'b>(&self, buf: &'b mut [u8; HOME_CODE_OCTETS]) -> Option<&'b str> {
        if let Some(p) = self.policy.home.gt_prefixes.first() {
            let c = e164::country_of(p)?;
            return Some(if c.iso.is_empty() { c.cc } else { c.iso });
        }
        let h = usize::from(self.home_guess.home()?);
        let n = if h < ISO_PLACES {
            let (a, b) = (u8::try_from(h / 26).ok()?, u8::try_from(h % 26).ok()?);
            buf.get_mut(..2)?.copy_from_slice(&[b'A' + a, b'A' + b]);
            2
        } else {
            // a country code of one to three digits, most significant first
            let mut v = h - ISO_PLACES;
            let n = match v {
                0..=9 => 1,
                10..=99 => 2,
                _ => HOME_CODE_OCTETS,
            };
            for at in (0..n).rev() {
                *buf.get_mut(at)? = b'0' + u8::try_from(v % 10).ok()?;
                v /= 10;
            }
            n
        };
        std::str::from_utf8(buf.get(..n)?).ok()
    }

    /// Count one MAP message's titles toward the home country (only without the policy's
    /// home prefixes: with them, home is known; and only until the guess stands, after
    /// [`HOME_GUESS_SETTLED`] messages).
    pub(super) fn guess_home(&mut self, calling: Option<&Party<'_>>, called: Option<&Party<'_>>) {
        if self.home_guess.settled.is_some() || !self.policy.home.gt_prefixes.is_empty() {
            return;
        }
        let at = |p: Option<&Party<'_>>| p.and_then(country_code).as_ref().and_then(place);
        self.home_guess.see(at(calling), at(called));
    }

    /// Without the policy's home prefixes: whether a title is of the country most titles
    /// seen belong to (home, as far as the traffic tells). Always `false` with them (the
    /// policy says what is home).
    pub(super) fn probably_home(&self, p: &Party<'_>) -> bool {
        self.policy.home.gt_prefixes.is_empty()
            && country_code(p)
                .as_ref()
                .and_then(place)
                .is_some_and(|c| self.home_guess.home() == Some(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(digits: &str) -> Option<u16> {
        e164::country_of_bytes(digits.as_bytes())
            .as_ref()
            .and_then(place)
    }

    #[test]
    fn the_country_in_most_messages_is_home() {
        let id = country("6281100001");
        let others = [
            "963930009000",
            "27820000201",
            "447700900001",
            "6281100002",
            "254700000001",
        ];
        let mut g = HomeGuess::default();
        // every message has a home (Indonesian) end; the other ends are of many countries
        for i in 0..HOME_GUESS_MIN_MESSAGES {
            g.see(id, country(others[i as usize % others.len()]));
        }
        assert_eq!(g.home(), id);
        assert!(id.is_some());
        // too few messages: nothing is home yet
        let mut few = HomeGuess::default();
        few.see(id, country("447700900001"));
        assert_eq!(few.home(), None);
        // a capture opening on one foreign title flooding one home title: no home
        let mut flood = HomeGuess::default();
        for _ in 0..HOME_GUESS_MIN_MESSAGES * 2 {
            flood.see(id, country("963930009000"));
        }
        assert_eq!(flood.home(), None);
        // countries sharing a country code are told apart: +1 United States and Jamaica
        let us = country("12025550100");
        let jm = country("18765550100");
        assert!(us.is_some() && jm.is_some() && us != jm, "{us:?} {jm:?}");
        let mut nanp = HomeGuess::default();
        for i in 0..HOME_GUESS_MIN_MESSAGES {
            nanp.see(
                jm,
                if i % 2 == 0 {
                    us
                } else {
                    country("447700900001")
                },
            );
        }
        assert_eq!(nanp.home(), jm);
        // a non-geographic code has a place of its own
        assert!(country("882160000001").is_some());
    }
}
