//! Unpredictable numbers for message IDs and client cookies.
//!
//! std's `RandomState` is keyed from the operating system's entropy source once per
//! thread; hashing a counter and the clock with it yields values an off-path attacker
//! cannot guess (RFC 5452 §9.2), without adding a crate for it.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::SystemTime;

thread_local! {
    static STATE: (RandomState, Cell<u64>) = (RandomState::new(), Cell::new(0));
}

/// 64 unpredictable bits.
pub(crate) fn u64() -> u64 {
    STATE.with(|(keys, counter)| {
        let n = counter.get().wrapping_add(1);
        counter.set(n);
        let mut hasher = keys.build_hasher();
        hasher.write_u64(n);
        if let Ok(since) = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
            hasher.write_u128(since.as_nanos());
        }
        hasher.finish()
    })
}

/// A message ID.
pub(crate) fn id() -> u16 {
    u16::try_from(u64() & 0xffff).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_differ() {
        let values: std::collections::HashSet<u64> = (0..1000).map(|_| super::u64()).collect();
        assert_eq!(values.len(), 1000);
    }
}
