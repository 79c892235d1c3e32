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
    /// Share of `ids` for which `bit_set` holds, in percent.
    fn share(ids: &[u16], bit_set: impl Fn(usize) -> bool) -> f64 {
        let hits = (0..ids.len()).filter(|&i| bit_set(i)).count();
        hits as f64 * 100.0 / ids.len() as f64
    }

    fn draws(n: usize) -> Vec<u16> {
        (0..n).map(|_| super::id()).collect()
    }

    // With 131 072 draws one standard deviation of a fair bit's share is 0.14 points:
    // the 2-point margins below fail only for a generator with a real bias, never by
    // chance. A counter, a clock, the process ID or a linear congruential generator
    // (whose low bits alternate) each fails at least one of them.
    #[test]
    fn every_bit_of_an_id_is_set_half_the_time() {
        let ids = draws(1 << 17);
        for bit in 0..16 {
            let set = share(&ids, |i| ids[i] & (1 << bit) != 0);
            assert!((48.0..52.0).contains(&set), "bit {bit} set in {set:.2}% of IDs");
        }
    }

    #[test]
    fn no_bit_of_an_id_follows_from_the_one_before() {
        let ids = draws(1 << 17);
        for bit in 0..16 {
            let same = share(&ids[1..], |i| (ids[i] ^ ids[i + 1]) & (1 << bit) == 0);
            assert!(
                (48.0..52.0).contains(&same),
                "bit {bit} repeats the previous ID's in {same:.2}% of draws"
            );
        }
    }

    #[test]
    fn consecutive_ids_are_not_near_each_other() {
        let ids = draws(10_000);
        let near = ids
            .windows(2)
            .filter(|pair| pair[0].abs_diff(pair[1]) <= 256)
            .count();
        // A uniform generator puts about 0.8% of pairs (78 of 10 000) this close.
        assert!(
            near < 200,
            "{near} of 10 000 consecutive IDs within 256 of each other"
        );
    }

    #[test]
    fn threads_draw_different_sequences() {
        let sequences: Vec<Vec<u16>> = (0..4)
            .map(|_| std::thread::spawn(|| draws(8)))
            .map(|thread| thread.join().unwrap())
            .collect();
        for (i, a) in sequences.iter().enumerate() {
            for b in &sequences[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
