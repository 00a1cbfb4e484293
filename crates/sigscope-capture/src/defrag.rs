//! IPv4/IPv6 fragment reassembly, bounded in datagrams, bytes and time.
//!
//! etherparse's `IpDefragBuf` does the range bookkeeping of one datagram; this table decides
//! which datagrams are kept. Its own pool (`IpDefragPool`) has no bound on entries or bytes,
//! which an attacker sending first fragments that never complete would exploit.
//!
//! Every datagram that is thrown away is reported: `defrag_timeout` (older than
//! [`IP_FRAGMENT_TIMEOUT_NANOS`]), `defrag_evicted` (the entry or byte bound was reached and
//! the oldest datagram made room), `defrag_incomplete` (still open at the end of the input),
//! `defrag_error` (fragments that contradict each other, or a datagram over 64 KiB).

use std::collections::HashMap;
use std::net::IpAddr;

use etherparse::defrag::{IpDefragBuf, IpFragRange};
use etherparse::{IpFragOffset, IpNumber, Ipv6ExtensionSlice, NetSlice, SlicedPacket};
use sigscope_core::{Anomaly, AnomalyCode, Layer};

/// Most fragmented datagrams in progress at once.
pub const MAX_IP_FRAGMENTS_PENDING: usize = 4096;
/// Most fragment payload bytes held across all datagrams in progress.
pub const MAX_IP_DEFRAG_BYTES: usize = 16 * 1024 * 1024;
/// A datagram whose first fragment is older than this (capture time, nanoseconds) is dropped.
pub const IP_FRAGMENT_TIMEOUT_NANOS: u64 = 30_000_000_000;
/// Finished datagrams' buffers kept for reuse.
pub const MAX_SPARE_BUFFERS: usize = 64;
/// Datagrams timed out at one time that are reported sorted by first frame: the whole table
/// (an expiry's list lives on the stack, 32 KiB).
pub const MAX_SORTED_EXPIRIES: usize = MAX_IP_FRAGMENTS_PENDING;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
    proto: u8,
}

struct Entry {
    buf: IpDefragBuf,
    first_ts: u64,
    first_frame: u64,
    bytes: usize,
}

/// A fragment's place in its datagram.
struct Fragment<'a> {
    key: Key,
    offset: IpFragOffset,
    more: bool,
    ip_number: IpNumber,
    payload: &'a [u8],
}

/// The outcome of one fragment.
pub enum Defragged {
    /// The datagram is complete: its payload (the transport header onward) and IP protocol.
    Complete(Vec<u8>, IpNumber),
    /// Held until the rest arrives.
    Pending,
    /// Not a fragment after all (etherparse said fragmented, no fragment header found).
    NotFragment,
}

/// The reassembly table.
#[derive(Default)]
pub struct Defragmenter {
    table: HashMap<Key, Entry>,
    bytes: usize,
    spare: Vec<Vec<u8>>,
    /// Range lists of finished datagrams, reused (nothing allocated per datagram once warm).
    spare_ranges: Vec<Vec<IpFragRange>>,
}

fn fragment_of<'a>(sp: &SlicedPacket<'a>) -> Option<Fragment<'a>> {
    match sp.net.as_ref()? {
        NetSlice::Ipv4(v4) => {
            let h = v4.header();
            if !h.is_fragmenting_payload() {
                return None;
            }
            Some(Fragment {
                key: Key {
                    src: IpAddr::V4(h.source_addr()),
                    dst: IpAddr::V4(h.destination_addr()),
                    id: u32::from(h.identification()),
                    proto: v4.payload().ip_number.0,
                },
                offset: h.fragments_offset(),
                more: h.more_fragments(),
                ip_number: v4.payload().ip_number,
                payload: v4.payload().payload,
            })
        }
        NetSlice::Ipv6(v6) => {
            let frag = v6.extensions().clone().into_iter().find_map(|e| match e {
                Ipv6ExtensionSlice::Fragment(f) if f.is_fragmenting_payload() => {
                    Some(f.to_header())
                }
                _ => None,
            })?;
            Some(Fragment {
                key: Key {
                    src: IpAddr::V6(v6.header().source_addr()),
                    dst: IpAddr::V6(v6.header().destination_addr()),
                    id: frag.identification,
                    proto: v6.payload().ip_number.0,
                },
                offset: frag.fragment_offset,
                more: frag.more_fragments,
                ip_number: v6.payload().ip_number,
                payload: v6.payload().payload,
            })
        }
        NetSlice::Arp(_) => None,
    }
}

impl Defragmenter {
    /// Empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Datagrams in progress.
    pub fn pending(&self) -> usize {
        self.table.len()
    }

    /// Fragment bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn remove(&mut self, key: &Key) -> Option<Entry> {
        let e = self.table.remove(key)?;
        self.bytes = self.bytes.saturating_sub(e.bytes);
        Some(e)
    }

    fn recycle(&mut self, e: Entry) {
        let (data, ranges) = e.buf.take_bufs();
        self.give_back(data);
        self.give_back_ranges(ranges);
    }

    fn give_back_ranges(&mut self, mut ranges: Vec<IpFragRange>) {
        if self.spare_ranges.len() < MAX_SPARE_BUFFERS {
            ranges.clear();
            self.spare_ranges.push(ranges);
        }
    }

    fn evict_oldest(&mut self, report: &mut dyn FnMut(Anomaly)) {
        let oldest = self
            .table
            .iter()
            .min_by_key(|(_, e)| e.first_ts)
            .map(|(k, _)| *k);
        if let Some(k) = oldest {
            if let Some(e) = self.remove(&k) {
                report(
                    Anomaly::new(
                        Layer::Ip,
                        AnomalyCode::DefragEvicted,
                        0,
                        "reassembly bound reached: the oldest unfinished datagram was dropped \
                         (value: its first frame)",
                    )
                    .with_value(e.first_frame),
                );
                self.recycle(e);
            }
        }
    }

    /// Add one fragment of frame `frame` at capture time `now`.
    pub fn push(
        &mut self,
        sp: &SlicedPacket<'_>,
        frame: u64,
        now: u64,
        report: &mut dyn FnMut(Anomaly),
    ) -> Defragged {
        let Some(frag) = fragment_of(sp) else {
            return Defragged::NotFragment;
        };
        let len = frag.payload.len();
        // Make room within both bounds, oldest first; if that drops this datagram itself it
        // starts afresh below, like a new one.
        let new = !self.table.contains_key(&frag.key);
        while (new && self.table.len() >= MAX_IP_FRAGMENTS_PENDING)
            || (!self.table.is_empty() && self.bytes + len > MAX_IP_DEFRAG_BYTES)
        {
            self.evict_oldest(report);
        }
        if !self.table.contains_key(&frag.key) {
            let data = self.spare.pop().unwrap_or_default();
            let ranges = self.spare_ranges.pop().unwrap_or_default();
            self.table.insert(
                frag.key,
                Entry {
                    buf: IpDefragBuf::new(frag.ip_number, data, ranges),
                    first_ts: now,
                    first_frame: frame,
                    bytes: 0,
                },
            );
        }
        let Some(entry) = self.table.get_mut(&frag.key) else {
            return Defragged::Pending;
        };
        if let Err(_e) = entry.buf.add(frag.offset, frag.more, frag.payload) {
            report(
                Anomaly::new(
                    Layer::Ip,
                    AnomalyCode::DefragError,
                    0,
                    "fragments contradict each other or exceed 64 KiB; datagram dropped \
                     (value: its first frame)",
                )
                .with_value(entry.first_frame),
            );
            if let Some(e) = self.remove(&frag.key) {
                self.recycle(e);
            }
            return Defragged::Pending;
        }
        entry.bytes += len;
        self.bytes += len;
        if entry.buf.is_complete() {
            let proto = entry.buf.ip_number();
            if let Some(e) = self.remove(&frag.key) {
                let (data, ranges) = e.buf.take_bufs();
                self.give_back_ranges(ranges);
                return Defragged::Complete(data, proto);
            }
        }
        Defragged::Pending
    }

    /// Give a finished datagram's buffer back for reuse.
    pub fn give_back(&mut self, buf: Vec<u8>) {
        if self.spare.len() < MAX_SPARE_BUFFERS {
            self.spare.push(buf);
        }
    }

    /// Drop datagrams whose first fragment is older than the timeout, reporting each in the
    /// order of their first frames (the table's order is a hash's).
    #[inline(never)]
    pub fn expire(&mut self, now: u64, report: &mut dyn FnMut(Anomaly)) {
        // in place (no list of expired keys built): each expired entry is reported, its
        // bytes released and its buffers kept for reuse
        let Defragmenter {
            table,
            bytes,
            spare,
            spare_ranges,
        } = self;
        let timeout = |first_frame: u64| {
            Anomaly::new(
                Layer::Ip,
                AnomalyCode::DefragTimeout,
                0,
                "IP datagram never completed within the timeout (value: its first frame)",
            )
            .with_value(first_frame)
        };
        let mut expired: arrayvec::ArrayVec<u64, MAX_SORTED_EXPIRIES> = arrayvec::ArrayVec::new();
        table.retain(|_, e| {
            if now.saturating_sub(e.first_ts) <= IP_FRAGMENT_TIMEOUT_NANOS {
                return true;
            }
            if expired.try_push(e.first_frame).is_err() {
                report(timeout(e.first_frame));
            }
            *bytes = bytes.saturating_sub(e.bytes);
            let empty = IpDefragBuf::new(IpNumber(0), Vec::new(), Vec::new());
            let (data, mut ranges) = std::mem::replace(&mut e.buf, empty).take_bufs();
            if spare.len() < MAX_SPARE_BUFFERS {
                spare.push(data);
            }
            if spare_ranges.len() < MAX_SPARE_BUFFERS {
                ranges.clear();
                spare_ranges.push(ranges);
            }
            false
        });
        expired.sort_unstable();
        // by reference: the list is large (moving it into an iterator copied all of it)
        for f in &expired {
            report(timeout(*f));
        }
    }

    /// End of input: report every datagram still open, and empty the table.
    pub fn flush(&mut self, report: &mut dyn FnMut(Anomaly)) {
        let mut open: Vec<(u64, Key)> = self
            .table
            .iter()
            .map(|(k, e)| (e.first_frame, *k))
            .collect();
        open.sort_unstable_by_key(|(f, _)| *f);
        for (_, k) in open {
            if let Some(e) = self.remove(&k) {
                report(
                    Anomaly::new(
                        Layer::Ip,
                        AnomalyCode::DefragIncomplete,
                        0,
                        "IP datagram still incomplete at the end of the input (value: its first frame)",
                    )
                    .with_value(e.first_frame),
                );
            }
        }
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::PacketBuilder;

    /// An IPv4/UDP datagram split into fragments of `chunk` bytes (multiple of 8).
    fn fragments(id: u16, payload_len: usize, chunk: usize) -> Vec<Vec<u8>> {
        let payload: Vec<u8> = (0..payload_len).map(|i| i as u8).collect();
        let b = PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64).udp(2905, 2905);
        let mut whole = Vec::new();
        b.write(&mut whole, &payload).expect("write");
        // whole = IPv4 header (20) + UDP (8) + payload
        let body = &whole[20..];
        let mut out = Vec::new();
        let mut off = 0;
        while off < body.len() {
            let end = (off + chunk).min(body.len());
            let more = end < body.len();
            let mut h = etherparse::Ipv4Header::new(
                (end - off) as u16,
                64,
                IpNumber::UDP,
                [10, 0, 0, 1],
                [10, 0, 0, 2],
            )
            .expect("header");
            h.identification = id;
            h.more_fragments = more;
            h.fragment_offset = IpFragOffset::try_new((off / 8) as u16).expect("offset");
            let mut pkt = Vec::new();
            h.write(&mut pkt).expect("write");
            pkt.extend_from_slice(&body[off..end]);
            out.push(pkt);
            off = end;
        }
        out
    }

    fn push(
        d: &mut Defragmenter,
        pkt: &[u8],
        frame: u64,
        now: u64,
        got: &mut Vec<Anomaly>,
    ) -> Defragged {
        let sp = SlicedPacket::from_ip(pkt).expect("slice");
        d.push(&sp, frame, now, &mut |a| got.push(a))
    }

    #[test]
    fn reassembles_out_of_order() {
        let frags = fragments(7, 300, 96);
        assert!(frags.len() >= 3);
        let mut d = Defragmenter::new();
        let mut a = Vec::new();
        let mut done = None;
        for (i, f) in frags.iter().enumerate().rev() {
            if let Defragged::Complete(data, p) = push(&mut d, f, i as u64 + 1, 0, &mut a) {
                done = Some((data, p));
            }
        }
        let (data, p) = done.expect("complete");
        assert_eq!(p, IpNumber::UDP);
        assert_eq!(data.len(), 308);
        assert_eq!(&data[8..12], &[0, 1, 2, 3]);
        assert!(a.is_empty());
        assert_eq!(d.pending(), 0);
        assert_eq!(d.bytes(), 0);
    }

    #[test]
    fn timeout_and_flush_are_reported() {
        let mut d = Defragmenter::new();
        let mut a = Vec::new();
        push(&mut d, &fragments(1, 300, 96)[0], 1, 0, &mut a);
        push(&mut d, &fragments(2, 300, 96)[0], 2, 20_000_000_000, &mut a);
        assert_eq!(d.pending(), 2);
        d.expire(40_000_000_000, &mut |x| a.push(x));
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].code, AnomalyCode::DefragTimeout);
        assert_eq!(a[0].value, Some(1));
        d.flush(&mut |x| a.push(x));
        assert_eq!(a[1].code, AnomalyCode::DefragIncomplete);
        assert_eq!(a[1].value, Some(2));
        assert_eq!((d.pending(), d.bytes()), (0, 0));
    }

    #[test]
    fn entry_bound_evicts_oldest_and_counts_stay_exact() {
        let mut d = Defragmenter::new();
        let mut a = Vec::new();
        for i in 0..(MAX_IP_FRAGMENTS_PENDING as u16 + 10) {
            push(
                &mut d,
                &fragments(i, 300, 96)[0],
                u64::from(i) + 1,
                u64::from(i),
                &mut a,
            );
        }
        assert_eq!(d.pending(), MAX_IP_FRAGMENTS_PENDING);
        assert_eq!(a.len(), 10);
        assert!(a.iter().all(|x| x.code == AnomalyCode::DefragEvicted));
        assert_eq!(a[0].value, Some(1));
        assert_eq!(d.bytes(), MAX_IP_FRAGMENTS_PENDING * 96);
        // a datagram completing after all that still comes out whole
        let frags = fragments(60_000, 300, 96);
        let mut done = false;
        for f in &frags {
            if let Defragged::Complete(data, _) = push(&mut d, f, 1, 5000, &mut a) {
                done = data.len() == 308;
            }
        }
        assert!(done);
        // making room for it evicted one more datagram
        assert_eq!(a.len(), 11);
        assert_eq!(d.bytes(), (MAX_IP_FRAGMENTS_PENDING - 1) * 96);
    }
}
