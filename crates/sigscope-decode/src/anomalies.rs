//! The anomaly list of one message: fixed capacity, allocation-free, and never silent about
//! what did not fit (one `anomalies_dropped` entry counts it).

use arrayvec::ArrayVec;
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

/// Most anomalies one message lists (the last place is kept for `anomalies_dropped`).
pub const MAX_MESSAGE_ANOMALIES: usize = 64;

/// The anomaly list of one message.
#[derive(Clone, Debug, Default)]
pub struct MsgAnomalies {
    items: ArrayVec<Anomaly, MAX_MESSAGE_ANOMALIES>,
    dropped: usize,
    dropped_layer: Option<Layer>,
}

impl MsgAnomalies {
    /// Empty.
    pub const fn new() -> Self {
        MsgAnomalies {
            items: ArrayVec::new_const(),
            dropped: 0,
            dropped_layer: None,
        }
    }

    /// Add one (counted only when the list is full). Cold: most messages have none, and the
    /// decoders' anomaly paths stay out of their hot code.
    #[cold]
    #[inline(never)]
    pub fn push(&mut self, a: Anomaly) {
        if self.items.len() + 1 < MAX_MESSAGE_ANOMALIES {
            self.items.push(a);
        } else {
            self.count_dropped(a.layer, 1);
        }
    }

    /// Count `n` anomalies of `layer` that a layer's own list could not keep.
    pub fn count_dropped_from(&mut self, layer: Layer, n: usize) {
        self.count_dropped(layer, n);
    }

    fn count_dropped(&mut self, layer: Layer, n: usize) {
        if n > 0 {
            self.dropped = self.dropped.saturating_add(n);
            self.dropped_layer.get_or_insert(layer);
        }
    }

    /// Add a layer's list, offsets shifted by `shift`, and what it could not keep.
    #[inline]
    pub fn take(&mut self, list: &Anomalies, shift: usize, layer: Layer) {
        if !list.is_empty() {
            self.take_all(list, shift, layer);
        }
    }

    /// [`MsgAnomalies::take`] of a list that has something (out of line: most have nothing).
    #[cold]
    #[inline(never)]
    fn take_all(&mut self, list: &Anomalies, shift: usize, layer: Layer) {
        for a in list.iter() {
            self.push(a.shifted(shift));
        }
        self.count_dropped(layer, list.dropped());
    }

    /// Nothing recorded, nothing dropped.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped == 0
    }

    /// Number kept.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Shift the offsets of the anomalies from index `from` on.
    pub fn shift_from(&mut self, from: usize, by: usize) {
        for a in self.items.iter_mut().skip(from) {
            *a = a.shifted(by);
        }
    }

    /// The list, closed with one `anomalies_dropped` entry (value: how many) when anything
    /// did not fit.
    pub fn finish(&mut self) -> &[Anomaly] {
        if self.dropped > 0 {
            let layer = self.dropped_layer.unwrap_or(Layer::Capture);
            let marker = Anomaly::new(
                layer,
                AnomalyCode::AnomaliesDropped,
                0,
                "more anomalies than one message keeps",
            )
            .with_value(self.dropped as u64);
            self.dropped = 0;
            if self.items.try_push(marker).is_err() {
                // cannot happen (one place is kept free); the count stays visible in `len`
            }
        }
        &self.items
    }
}

impl Extend<Anomaly> for MsgAnomalies {
    fn extend<T: IntoIterator<Item = Anomaly>>(&mut self, iter: T) {
        for a in iter {
            self.push(a);
        }
    }
}
