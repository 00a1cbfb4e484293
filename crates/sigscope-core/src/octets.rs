//! Measures of an octet string's variety, for telling data from structure.

/// How many distinct octet values `p` holds (0 to 256).
pub fn distinct(p: &[u8]) -> usize {
    let mut seen = [0u64; 4];
    for b in p {
        if let Some(w) = seen.get_mut(usize::from(*b / 64)) {
            *w |= 1 << (b % 64);
        }
    }
    seen.iter().map(|w| w.count_ones() as usize).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_distinct_values() {
        assert_eq!(distinct(&[]), 0);
        assert_eq!(distinct(&[7, 7, 7]), 1);
        assert_eq!(distinct(&[0, 63, 64, 127, 128, 255, 255]), 6);
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(distinct(&all), 256);
    }
}
