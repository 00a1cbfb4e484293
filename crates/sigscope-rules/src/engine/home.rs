//! The home country without a policy: a probe sits in its operator's network, so one end of
//! nearly every dialogue it sees is a home title. Without the policy's home prefixes,
//! "foreign" can only mean "of another country than the other end", which names both ends
//! of an international dialogue; the country most titles belong to tells which end is home,
//! so that a finding never names the home network's own node as the attacker whose other
//! messages are tagged (as the policy's home prefixes would not).

use sigscope_decode::Party;

use super::{country_code, Engine};

/// Messages with a title of known country seen before the most common country is taken as
/// home.
pub const HOME_GUESS_MIN_MESSAGES: u32 = 64;

/// Messages after which the guess stands (the country most titles belong to no longer
/// changes: later messages are not counted).
pub const HOME_GUESS_SETTLED: u32 = 4096;

/// E.164 country codes are 1 to 3 digits: one place each.
const COUNTRY_CODES: usize = 1000;

/// How many messages had a title of each country (by E.164 country code), and the leader.
#[derive(Debug, Default)]
pub(super) struct HomeGuess {
    /// Messages per country code (made on first use).
    counts: Vec<u32>,
    /// Messages with a title of known country.
    messages: u32,
    /// The country code with the most messages, and its count.
    leader: (u16, u32),
}

/// An E.164 country code as a number (`"44"` → 44).
fn code(cc: &str) -> Option<u16> {
    if cc.is_empty() || cc.len() > 3 {
        return None;
    }
    cc.bytes().try_fold(0u16, |a, b| {
        b.is_ascii_digit().then(|| a * 10 + u16::from(b - b'0'))
    })
}

impl HomeGuess {
    /// One message between titles of countries `a` and `b` (each counted once).
    pub(super) fn see(&mut self, a: Option<u16>, b: Option<u16>) {
        if a.is_none() && b.is_none() {
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; COUNTRY_CODES];
        }
        self.messages = self.messages.saturating_add(1);
        let b = b.filter(|b| Some(*b) != a);
        for c in [a, b].into_iter().flatten() {
            if let Some(n) = self.counts.get_mut(usize::from(c)) {
                *n = n.saturating_add(1);
                if *n > self.leader.1 {
                    self.leader = (c, *n);
                }
            }
        }
    }

    /// Whether country code `c` is home: the leader, with titles in at least half the
    /// messages, once [`HOME_GUESS_MIN_MESSAGES`] were seen.
    fn is_home(&self, c: u16) -> bool {
        self.messages >= HOME_GUESS_MIN_MESSAGES
            && self.leader.0 == c
            && u64::from(self.leader.1) * 2 >= u64::from(self.messages)
    }
}

impl Engine {
    /// Count one MAP message's titles toward the home country (only without the policy's
    /// home prefixes: with them, home is known; and only until [`HOME_GUESS_SETTLED`]
    /// messages were counted).
    pub(super) fn guess_home(&mut self, calling: Option<&Party<'_>>, called: Option<&Party<'_>>) {
        if self.home_guess.messages >= HOME_GUESS_SETTLED
            || !self.policy.home.gt_prefixes.is_empty()
        {
            return;
        }
        let cc = |p: Option<&Party<'_>>| p.and_then(country_code).and_then(|c| code(c.cc));
        self.home_guess.see(cc(calling), cc(called));
    }

    /// Without the policy's home prefixes: whether a title is of the country most titles
    /// seen belong to (home, as far as the traffic tells). Always `false` with them (the
    /// policy says what is home).
    pub(super) fn probably_home(&self, p: &Party<'_>) -> bool {
        self.policy.home.gt_prefixes.is_empty()
            && country_code(p)
                .and_then(|c| code(c.cc))
                .is_some_and(|c| self.home_guess.is_home(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_in_most_messages_is_home() {
        let mut g = HomeGuess::default();
        // every message has a home (62) end; the other ends are of many countries
        for i in 0..HOME_GUESS_MIN_MESSAGES {
            let other = [963u16, 27, 44, 62, 254][i as usize % 5];
            g.see(Some(62), Some(other));
        }
        assert!(g.is_home(62));
        assert!(!g.is_home(963));
        assert!(!g.is_home(44));
        // too few messages: nothing is home yet
        let mut few = HomeGuess::default();
        few.see(Some(62), Some(44));
        assert!(!few.is_home(62));
        // no country in half the messages: none is home
        let mut split = HomeGuess::default();
        for i in 0..HOME_GUESS_MIN_MESSAGES * 3 {
            let c = [1u16, 44, 62][i as usize % 3];
            split.see(Some(c), None);
        }
        assert!(!split.is_home(1) && !split.is_home(44) && !split.is_home(62));
        assert_eq!(code("44"), Some(44));
        assert_eq!(code("882"), Some(882));
        assert_eq!(code(""), None);
        assert_eq!(code("1234"), None);
    }
}
