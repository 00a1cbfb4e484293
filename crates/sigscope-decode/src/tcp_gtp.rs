//! GTP' over TCP (TS 32.295 6.1.2: a charging gateway may take CDRs over TCP, port 3386):
//! the stream of each direction is cut into GTP' messages by their headers' lengths. A
//! segment that holds whole messages is read in place; only the start of a message a segment
//! cuts is kept (per direction, direct-mapped, bounded) until the next segment completes it.
//! A gap in the sequence numbers drops what was held (`stream_gap`).

use sigscope_core::{Anomaly, AnomalyCode, Layer};

/// Directions of TCP streams carrying GTP' followed at once (direct-mapped by their ends).
pub const TCP_GTP_STREAMS: usize = 64;
/// Most octets held for one direction: one whole message (a 20-octet header and the longest
/// length field).
pub const TCP_GTP_MAX_HELD: usize = sigscope_gtp::prime::V0_HEADER_LEN + u16::MAX as usize;
/// Most messages read from one segment.
pub const TCP_GTP_MAX_MESSAGES: usize = 64;

/// One direction of a stream: its key, the sequence number expected next, and the octets
/// held of a message a segment cut.
#[derive(Debug, Default)]
struct Direction {
    key: u64,
    next_seq: u32,
    held: Vec<u8>,
}

/// The TCP streams carrying GTP' (made on first use).
#[derive(Debug, Default)]
pub struct TcpGtpStreams {
    slots: Vec<Direction>,
}

/// Octets of a GTP' header up to the end of its length field: what [`message_len`] needs.
///
/// [`message_len`]: sigscope_gtp::prime::message_len
const LENGTH_END: usize = 4;

impl TcpGtpStreams {
    /// Take one segment's `payload` (sequence number `seq`) of the direction `key`: each whole
    /// message it completes goes to `each` in order, in place or from what was held. A gap in
    /// the sequence goes with the first of them; returned when the segment completes none.
    pub fn segment(
        &mut self,
        key: u64,
        mut seq: u32,
        mut payload: &[u8],
        each: &mut dyn FnMut(&[u8], Option<Anomaly>),
    ) -> Option<Anomaly> {
        if self.slots.is_empty() {
            self.slots.resize_with(TCP_GTP_STREAMS, Direction::default);
        }
        let d = self.slots.get_mut(key as usize % TCP_GTP_STREAMS)?;
        if d.key != key {
            *d = Direction {
                key,
                next_seq: seq,
                held: Vec::new(),
            };
        }
        // a retransmission: the octets already read are skipped
        let behind = d.next_seq.wrapping_sub(seq);
        if behind != 0 && behind < (1 << 31) {
            payload = payload.get(behind as usize..).filter(|p| !p.is_empty())?;
            seq = d.next_seq;
        }
        let mut gap = None;
        if seq != d.next_seq {
            if !d.held.is_empty() {
                gap = Some(
                    Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::StreamGap,
                        0,
                        "octets missing from a TCP stream of GTP': the message they cut was dropped",
                    )
                    .with_value(u64::from(seq.wrapping_sub(d.next_seq))),
                );
            }
            d.held.clear();
        }
        d.next_seq = seq.wrapping_add(payload.len() as u32);
        let mut rest = payload;
        let mut n = 0;
        if !d.held.is_empty() {
            // complete the held message first: its length field, then the rest of it
            let mut take = |d: &mut Direction, want: usize| {
                let (t, after) = rest.split_at(want.saturating_sub(d.held.len()).min(rest.len()));
                d.held.extend_from_slice(t);
                rest = after;
            };
            take(d, LENGTH_END);
            let Some(w) = sigscope_gtp::prime::message_len(&d.held) else {
                return gap;
            };
            take(d, w);
            if d.held.len() < w {
                return gap;
            }
            each(&d.held, gap.take());
            d.held.clear();
            n += 1;
        }
        while !rest.is_empty() && n < TCP_GTP_MAX_MESSAGES {
            match sigscope_gtp::prime::message_len(rest) {
                Some(w) if w <= rest.len() => {
                    let (msg, after) = rest.split_at(w);
                    each(msg, gap.take());
                    rest = after;
                    n += 1;
                }
                // the start of a message the next segment completes
                _ => {
                    if rest.len() <= TCP_GTP_MAX_HELD {
                        d.held.extend_from_slice(rest);
                    }
                    return gap;
                }
            }
        }
        // more messages than are read from one segment: the rest as one
        if !rest.is_empty() {
            each(rest, gap.take());
        }
        gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GTP' Data Record Transfer Request with a 6-octet header and `body` octets.
    fn drt(seq: u16, body: usize) -> Vec<u8> {
        let mut d = vec![0x4e, 240];
        d.extend_from_slice(&(body as u16).to_be_bytes());
        d.extend_from_slice(&seq.to_be_bytes());
        d.extend((0..body).map(|i| i as u8));
        d
    }

    fn run(s: &mut TcpGtpStreams, seq: u32, p: &[u8]) -> (Vec<Vec<u8>>, usize) {
        let (mut got, mut gaps) = (Vec::new(), 0);
        let left = s.segment(7, seq, p, &mut |m, gap| {
            got.push(m.to_vec());
            gaps += usize::from(gap.is_some());
        });
        (got, gaps + usize::from(left.is_some()))
    }

    proptest::proptest! {
        /// However a stream of messages is cut into segments, the same messages come out,
        /// in order, whole.
        #[test]
        fn any_segmentation_gives_the_messages(
            sizes in proptest::collection::vec(0usize..700, 1..12),
            cuts in proptest::collection::vec(1usize..900, 1..40),
        ) {
            let msgs: Vec<Vec<u8>> = sizes.iter().enumerate().map(|(i, n)| drt(i as u16, *n)).collect();
            let stream: Vec<u8> = msgs.concat();
            let mut s = TcpGtpStreams::default();
            let (mut got, mut at, mut k) = (Vec::new(), 0usize, 0usize);
            while at < stream.len() {
                let n = cuts.get(k % cuts.len()).copied().unwrap_or(1).min(stream.len() - at);
                k += 1;
                let (g, gaps) = run(&mut s, 1000 + at as u32, &stream[at..at + n]);
                proptest::prop_assert_eq!(gaps, 0);
                got.extend(g);
                at += n;
            }
            proptest::prop_assert_eq!(got, msgs);
        }
    }

    /// Messages back to back in one segment, one cut over three segments, a retransmission
    /// and a gap.
    #[test]
    fn a_stream_is_cut_into_its_messages() {
        let (a, b, c) = (drt(1, 30), drt(2, 500), drt(3, 10));
        let mut stream = a.clone();
        stream.extend_from_slice(&b);
        stream.extend_from_slice(&c);
        let mut s = TcpGtpStreams::default();
        // a whole and the first 3 octets of b
        let (got, _) = run(&mut s, 1000, &stream[..a.len() + 3]);
        assert_eq!(got, std::slice::from_ref(&a));
        // the rest of b's header and some of its body
        let at = a.len() + 3;
        let (got, _) = run(&mut s, 1000 + at as u32, &stream[at..at + 200]);
        assert!(got.is_empty());
        // a retransmission of what was read: nothing new
        let (got, gaps) = run(&mut s, 1000, &stream[..a.len()]);
        assert!(got.is_empty() && gaps == 0);
        // the rest of b, and c whole
        let at = at + 200;
        let (got, _) = run(&mut s, 1000 + at as u32, &stream[at..]);
        assert_eq!(got, [b.clone(), c.clone()]);
        // a gap: the held start of a message is dropped, the next whole one read
        let (got, _) = run(&mut s, 1000 + stream.len() as u32, &a[..10]);
        assert!(got.is_empty());
        let (got, gaps) = run(&mut s, 5000, &c);
        assert_eq!((got, gaps), (vec![c], 1));
    }
}
