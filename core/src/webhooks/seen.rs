//! The replay guard's memory: webhook ids accepted within the window.

use std::collections::{HashMap, VecDeque};

/// Webhook ids accepted within the replay window, oldest first.
pub(crate) struct SeenIds {
    capacity: usize,
    order: VecDeque<(String, u64)>,
    ids: HashMap<String, u64>,
}

impl SeenIds {
    pub(crate) fn new(capacity: usize) -> Self {
        SeenIds {
            capacity,
            order: VecDeque::new(),
            ids: HashMap::new(),
        }
    }

    /// Records `id`; false if it was already there. Forgets ids older than
    /// `keep_ms` (their deliveries would fail the timestamp check anyway).
    pub(crate) fn insert(&mut self, id: &str, now_ms: u64, keep_ms: u64) -> bool {
        while let Some((old, at)) = self.order.front() {
            if now_ms.saturating_sub(*at) > keep_ms || self.order.len() >= self.capacity {
                self.ids.remove(old);
                self.order.pop_front();
            } else {
                break;
            }
        }
        if self.ids.contains_key(id) {
            return false;
        }
        self.ids.insert(id.to_string(), now_ms);
        self.order.push_back((id.to_string(), now_ms));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_ids_expire_and_cap() {
        let mut s = SeenIds::new(2);
        assert!(s.insert("a", 0, 100));
        assert!(!s.insert("a", 50, 100));
        assert!(s.insert("b", 60, 100));
        assert!(s.insert("c", 70, 100)); // evicts "a" by capacity
        assert!(s.insert("a", 80, 100));
        assert!(s.insert("d", 1_000, 100)); // everything older expired
        assert_eq!(s.order.len(), 1);
    }
}
