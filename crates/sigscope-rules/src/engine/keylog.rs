//! A map from exact keys to small entries, laid out for state most of whose keys are seen
//! once (one subscriber's place, one beacon key): the entries are appended in the order their keys came and
//! found through an open-addressed index of 4-octet entries (the top bits of the key's hash
//! and the entry's position).
//!
//! Against a hash map of whole entries: the lookup of a new key reads one line of an index a
//! quarter or less of the table's size and writes where the last entry went; the entries
//! never move when the map grows (only the index is rebuilt, and the entries' vector grows in
//! place), so growth neither copies them nor touches fresh pages for a second copy.

use std::hash::{BuildHasher, Hash};

/// Places of the index when the first key comes (a power of two).
const MIN_PLACES: usize = 1024;
/// Bits of an index entry holding the entry's position plus one (0: an empty place).
const POS_BITS: u32 = 17;
/// Bits of an index entry holding the top bits of the key's hash.
const FRAG_BITS: u32 = u32::BITS - POS_BITS;
/// Most entries a log holds (positions must fit [`POS_BITS`]).
pub(super) const MAX_KEYLOG_ENTRIES: usize = (1 << POS_BITS) - 1;

/// An entry of a [`KeyLog`]: it carries its own exact key (a pair `(key, value)` does, and
/// so does an entry whose key is packed among its other fields).
pub(super) trait Logged {
    /// The key the entry is found by.
    type Key: Hash + Eq + Copy;
    /// The entry's key.
    fn key(&self) -> Self::Key;
}

impl<K: Hash + Eq + Copy, V> Logged for (K, V) {
    type Key = K;
    fn key(&self) -> K {
        self.0
    }
}

/// Entries `E`, found by their exact keys (see the module's text), hashed by `S` (whose
/// hashes' low bits place a key and top bits are kept in the index). It never holds more
/// than [`MAX_KEYLOG_ENTRIES`]; its owner empties it before that (an insert beyond is
/// refused).
#[derive(Debug)]
pub(super) struct KeyLog<E, S = foldhash::fast::RandomState> {
    /// Open addressing, linear probing, at most half full; empty until the first key.
    index: Vec<u32>,
    /// The entries, in the order their keys came.
    entries: Vec<E>,
    hasher: S,
}

impl<E, S: Default> Default for KeyLog<E, S> {
    fn default() -> Self {
        KeyLog {
            index: Vec::new(),
            entries: Vec::new(),
            hasher: S::default(),
        }
    }
}

/// The fragment of a hash an index entry holds (its top bits).
const fn fragment(hash: u64) -> u32 {
    (hash >> (u64::BITS - FRAG_BITS)) as u32
}

/// The index entry of a key of `hash` at position `at`.
const fn entry(hash: u64, at: usize) -> u32 {
    (fragment(hash) << POS_BITS) | (at as u32 + 1)
}

impl<E: Logged, S: BuildHasher> KeyLog<E, S> {
    /// Keys held.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forget every key (the index and the entries keep their room).
    pub(super) fn clear(&mut self) {
        self.index.fill(0);
        self.entries.clear();
    }

    /// Where in the index `key` (of `hash`) is, with its entry's position; or the empty
    /// place where it would go.
    fn find(&self, key: &E::Key, hash: u64) -> (usize, Option<usize>) {
        let mask = self.index.len().wrapping_sub(1);
        // the index's place bits are the hash's low bits, its fragment the top ones
        let mut i = hash as usize & mask;
        let frag = fragment(hash);
        // at most half full: an empty place ends every probe
        for _ in 0..self.index.len() {
            let Some(&e) = self.index.get(i) else { break };
            if e == 0 {
                return (i, None);
            }
            if e >> POS_BITS == frag {
                let at = ((e & ((1 << POS_BITS) - 1)) as usize).wrapping_sub(1);
                if self.entries.get(at).is_some_and(|x| x.key() == *key) {
                    return (i, Some(at));
                }
            }
            i = (i + 1) & mask;
        }
        (i, None)
    }

    /// The entry of `key`.
    pub(super) fn get(&self, key: &E::Key) -> Option<&E> {
        let (_, at) = self.find(key, self.hasher.hash_one(key));
        self.entries.get(at?)
    }

    /// Whether `key` is held.
    pub(super) fn contains_key(&self, key: &E::Key) -> bool {
        self.get(key).is_some()
    }

    /// The entry of `key`, or `None` after appending `entry()` for it (whose key must be
    /// `key`; `None` too, with nothing appended, when the log holds [`MAX_KEYLOG_ENTRIES`]
    /// already).
    pub(super) fn get_or_insert_with(
        &mut self,
        key: E::Key,
        entry: impl FnOnce() -> E,
    ) -> Option<&mut E> {
        let hash = self.hasher.hash_one(key);
        if self.index.is_empty() {
            self.grow();
        }
        let (mut i, found) = self.find(&key, hash);
        if let Some(at) = found {
            return self.entries.get_mut(at);
        }
        if self.entries.len() >= MAX_KEYLOG_ENTRIES {
            return None;
        }
        if (self.entries.len() + 1) * 2 > self.index.len() {
            self.grow();
            i = self.find(&key, hash).0;
        }
        if let Some(e) = self.index.get_mut(i) {
            *e = self::entry(hash, self.entries.len());
            self.entries.push(entry());
        }
        None
    }

    /// Twice the index (or the first one), every entry placed anew.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let n = (self.index.len() * 2).max(MIN_PLACES);
        self.index.clear();
        self.index.resize(n, 0);
        let mask = n - 1;
        for (at, x) in self.entries.iter().enumerate() {
            let hash = self.hasher.hash_one(x.key());
            let mut i = hash as usize & mask;
            // every key is distinct: its place is the first empty one
            while let Some(e) = self.index.get_mut(i) {
                if *e == 0 {
                    *e = entry(hash, at);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The log answers every lookup and insert as a hash map does, through growth
        /// from its first places to thousands of keys, and after being emptied.
        #[test]
        fn agrees_with_a_map(ops in proptest::collection::vec((0u32..3000, 0u8..4), 0..6000)) {
            let mut log: KeyLog<(u32, u32)> = KeyLog::default();
            let mut map = std::collections::HashMap::new();
            for (n, (k, op)) in ops.into_iter().enumerate() {
                match op {
                    0 => proptest::prop_assert_eq!(log.get(&k).map(|e| &e.1), map.get(&k)),
                    1 if n % 997 == 0 => { log.clear(); map.clear(); }
                    _ => {
                        let got = log.get_or_insert_with(k, || (k, n as u32)).map(|e| { e.1 += 1; e.1 });
                        let want = match map.entry(k) {
                            std::collections::hash_map::Entry::Occupied(mut o) => { *o.get_mut() += 1; Some(*o.get()) }
                            std::collections::hash_map::Entry::Vacant(v) => { v.insert(n as u32); None }
                        };
                        proptest::prop_assert_eq!(got, want);
                    }
                }
                proptest::prop_assert_eq!(log.len(), map.len());
            }
        }
    }

    /// Keys whose hashes agree in their place bits and fragment stay apart (a hasher that
    /// gives every key the same hash: every lookup walks the probe and compares keys).
    #[test]
    fn colliding_hashes_stay_apart() {
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        struct Same(u32);
        impl Hash for Same {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                h.write_u8(0);
            }
        }
        let mut log: KeyLog<(Same, u32)> = KeyLog::default();
        for k in 0..300 {
            assert!(log
                .get_or_insert_with(Same(k), || (Same(k), k * 10))
                .is_none());
        }
        for k in 0..300 {
            assert_eq!(log.get(&Same(k)).map(|e| e.1), Some(k * 10));
        }
        assert_eq!(log.get(&Same(300)), None);
        assert_eq!(log.len(), 300);
    }

    /// A full log refuses a new key and still answers the ones it holds.
    #[test]
    fn a_full_log_refuses_new_keys() {
        let mut log: KeyLog<(u32, ())> = KeyLog::default();
        for k in 0..MAX_KEYLOG_ENTRIES as u32 {
            assert!(log.get_or_insert_with(k, || (k, ())).is_none());
        }
        assert!(log
            .get_or_insert_with(u32::MAX, || (u32::MAX, ()))
            .is_none());
        assert!(!log.contains_key(&u32::MAX));
        assert!(log.contains_key(&7));
        log.clear();
        assert_eq!((log.len(), log.contains_key(&7)), (0, false));
    }
}
