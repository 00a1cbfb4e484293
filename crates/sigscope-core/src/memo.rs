//! A direct-mapped memo: a fixed number of places, each holding the last key that fell there
//! and its value. For exact caches of pure lookups: the key must be everything the lookup
//! reads, so that a hit is the lookup's own answer.

/// `N` places of `(key, value)`; a key's place is its hash modulo `N`.
#[derive(Clone, Debug)]
pub struct DirectMemo<K, V, const N: usize> {
    slots: [(K, V); N],
}

impl<K: Copy + Eq, V: Copy, const N: usize> DirectMemo<K, V, N> {
    /// Every place empty: holding `vacant` (a key no lookup makes) and `value`.
    pub const fn new(vacant: K, value: V) -> Self {
        DirectMemo {
            slots: [(vacant, value); N],
        }
    }

    /// The value of `key` (whose hash is `hash`): from its place when the key is there, else
    /// from `lookup`, then kept in its place.
    #[inline]
    pub fn get_or(&mut self, key: K, hash: u64, lookup: impl FnOnce() -> V) -> V {
        let at = (hash % N.max(1) as u64) as usize;
        match self.slots.get_mut(at) {
            Some((k, v)) if *k == key => *v,
            Some(place) => {
                let v = lookup();
                *place = (key, v);
                v
            }
            None => lookup(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_key_of_each_place() {
        let mut m: DirectMemo<u32, u32, 4> = DirectMemo::new(u32::MAX, 0);
        let mut calls = 0;
        let mut get = |m: &mut DirectMemo<u32, u32, 4>, k: u32| {
            m.get_or(k, u64::from(k), || {
                calls += 1;
                k * 10
            })
        };
        assert_eq!(get(&mut m, 1), 10);
        assert_eq!(get(&mut m, 1), 10);
        assert_eq!(get(&mut m, 5), 50); // same place as 1: replaces it
        assert_eq!(get(&mut m, 1), 10);
        assert_eq!(get(&mut m, 2), 20);
        assert_eq!(calls, 4);
    }
}
