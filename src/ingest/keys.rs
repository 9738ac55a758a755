//! The key map: which row holds each key, so that a later row with the same key replaces it.
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Where a row lives: in a part of an earlier ingest (part index in the manifest's list, row), or
/// in a file of this ingest (file index, physical line). Packed into one word for the key map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct RowId(pub(super) u64);

pub(super) const OLD_ROW: u64 = 1 << 63;

impl RowId {
    pub(super) fn old(part: usize, row: usize) -> RowId {
        RowId(OLD_ROW | (part as u64) << 32 | row as u64)
    }
    #[inline]
    pub(super) fn new(file: usize, line: u64) -> RowId {
        RowId((file as u64) << 40 | line)
    }
    pub(super) fn old_part(self) -> Option<(usize, usize)> {
        (self.0 & OLD_ROW != 0).then_some((((self.0 & !OLD_ROW) >> 32) as usize, (self.0 & 0xFFFF_FFFF) as usize))
    }
    pub(super) fn new_line(self) -> Option<(usize, u64)> {
        (self.0 & OLD_ROW == 0).then_some(((self.0 >> 40) as usize, self.0 & ((1 << 40) - 1)))
    }
}

/// A key's hash: 96 bits of its xxh3-128, as three `u32`s so that a map entry (with the row as
/// `PackedRow`) is 20 bytes, aligned to 4. Two different keys share a hash with probability
/// about n²/2⁹⁷ (7·10⁻¹⁵ for 34 million keys).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct KeyHash([u32; 3]);

impl KeyHash {
    /// The low 64 bits: the sub-map's own hash.
    #[inline]
    fn lo(&self) -> u64 {
        u64::from(self.0[0]) | u64::from(self.0[1]) << 32
    }
}

impl std::hash::Hash for KeyHash {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.lo());
    }
}

/// A `RowId` in a sub-map entry: two `u32`s, so that the entry needs no 8-byte alignment.
#[derive(Clone, Copy)]
struct PackedRow([u32; 2]);

impl From<RowId> for PackedRow {
    fn from(id: RowId) -> PackedRow {
        PackedRow([id.0 as u32, (id.0 >> 32) as u32])
    }
}

impl From<PackedRow> for RowId {
    fn from(p: PackedRow) -> RowId {
        RowId(u64::from(p.0[0]) | u64::from(p.0[1]) << 32)
    }
}

/// The hash is already uniform, so a sub-map uses its low bits as they are.
#[derive(Default)]
pub(super) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type SubMap = HashMap<KeyHash, PackedRow, BuildHasherDefault<Prehashed>>;

/// Bytes a sub-map spends per bucket: the entry and its control byte.
#[cfg(test)]
const BUCKET_BYTES: usize = std::mem::size_of::<(KeyHash, PackedRow)>() + 1;

/// The key map: the one part of an ingest that grows with the rows. A single hash table has a
/// power-of-two number of buckets, so n keys can cost up to twice n/0.875 buckets (and growing
/// briefly holds the old and the new table). Here the keys are spread by their hash's high bits
/// over k sub-maps, k picked from the expected number of keys so that the sub-maps' tables add up
/// to little more than the keys need at a 7/8 load: at most 26 bytes a key from 300,000 keys up
/// when the count is known (`reserve`), and a sub-map that outgrows its share doubles alone (1/k
/// of the whole).
pub(super) struct KeyMap {
    maps: Vec<SubMap>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        KeyMap { maps: vec![SubMap::default()] }
    }
}

impl KeyMap {
    fn sub(&self, h: &KeyHash) -> usize {
        ((u64::from(h.0[2]) * self.maps.len() as u64) >> 32) as usize
    }

    /// Inserts `id` for the key; returns the row that held the key before.
    pub(super) fn insert(&mut self, h: KeyHash, id: RowId) -> Option<RowId> {
        let i = self.sub(&h);
        self.maps[i].insert(h, id.into()).map(RowId::from)
    }

    pub(super) fn len(&self) -> usize {
        self.maps.iter().map(HashMap::len).sum()
    }

    /// Sizes the map for `additional` more keys, redistributing the keys it holds.
    pub(super) fn reserve(&mut self, additional: usize) {
        let total = self.len().saturating_add(additional);
        if self.maps.iter().map(HashMap::capacity).sum::<usize>() >= total {
            return;
        }
        // k tables of b buckets (a power of two, 7/8 of it usable), 16 ≤ k when there are keys
        // enough; k is the least for which a table expects its share of the keys plus five
        // standard deviations (a table that gets more than it holds doubles on its own).
        let usable = |b: usize| b / 8 * 7;
        let b = match total.saturating_mul(8) / 7 / 16 {
            small if small <= 1 << 10 => 1 << 10,
            n => 1 << (usize::BITS - 1 - n.leading_zeros()),
        };
        let mut k = total.div_ceil(usable(b)).max(1);
        while {
            let share = total as f64 / k as f64;
            share + 5.0 * share.sqrt() > usable(b) as f64
        } {
            k += 1;
        }
        let old =
            std::mem::replace(&mut self.maps, (0..k).map(|_| SubMap::with_capacity_and_hasher(usable(b), Default::default())).collect());
        for m in old {
            for (h, id) in m {
                let i = self.sub(&h);
                self.maps[i].insert(h, id);
            }
        }
    }

    /// The bytes the tables hold (entries, control bytes and empty buckets).
    #[cfg(test)]
    pub(super) fn table_bytes(&self) -> usize {
        self.maps.iter().map(|m| buckets(m.capacity()) * BUCKET_BYTES).sum()
    }
}

#[cfg(test)]
/// hashbrown's bucket count for a capacity: a power of two with 7/8 of it usable (from 8 up).
fn buckets(capacity: usize) -> usize {
    if capacity == 0 {
        0
    } else if capacity < 8 {
        (capacity + 1).next_power_of_two()
    } else {
        (capacity * 8 / 7).next_power_of_two()
    }
}

#[inline]
pub(super) fn key_hash(key: &str) -> KeyHash {
    let h = xxhash_rust::xxh3::xxh3_128(key.as_bytes());
    KeyHash([h as u32, (h >> 32) as u32, (h >> 64) as u32])
}

/// Separates the parts of a composite key ((doc_no, agency) for supervision) in the hashed text;
/// a control character no cell keeps after trimming.
const KEY_SEP: char = '\u{1f}';

/// The key text of a row from its key columns' texts: the one column's text for a single key.
#[inline]
pub(super) fn key_text<'k>(parts: impl IntoIterator<Item = &'k str>) -> std::borrow::Cow<'k, str> {
    let mut it = parts.into_iter();
    let first = it.next().unwrap_or_default();
    match it.next() {
        None => std::borrow::Cow::Borrowed(first),
        Some(second) => {
            let mut s = format!("{first}{KEY_SEP}{second}");
            for p in it {
                s.push(KEY_SEP);
                s.push_str(p);
            }
            std::borrow::Cow::Owned(s)
        }
    }
}

/// A key as the manifest shows it: composite parts joined with " / ".
pub(super) fn key_display(key: &str) -> String {
    key.replace(KEY_SEP, " / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> impl Iterator<Item = KeyHash> {
        (0..n).map(|i| key_hash(&format!("豫三市监罚〔2024〕{i}号")))
    }

    /// The bound docs/benchmarks.md states: sized for its keys, the map costs at most 26 bytes a
    /// key from 300,000 keys up (a 20-byte entry and a control byte, tables about 80 % full);
    /// grown without a size, at most 48 (a table just doubled is half full, 21 · 8/7 · 2).
    #[test]
    fn bytes_per_key_stay_bounded() {
        assert_eq!(BUCKET_BYTES, 21);
        for n in [1_000, 50_000, 300_000, 1_000_000] {
            let mut sized = KeyMap::default();
            sized.reserve(n);
            let mut grown = KeyMap::default();
            for (i, h) in keys(n).enumerate() {
                assert!(sized.insert(h, RowId::new(0, i as u64 + 2)).is_none());
                grown.insert(h, RowId::new(0, i as u64 + 2));
            }
            assert_eq!((sized.len(), grown.len()), (n, n));
            let per_key = |m: &KeyMap| m.table_bytes() as f64 / n as f64;
            // Below that, tables of at least 1,024 buckets and the headroom for an uneven share
            // weigh more.
            if n >= 300_000 {
                assert!(per_key(&sized) <= 26.0, "{n} keys, sized: {:.1} bytes a key", per_key(&sized));
            }
            assert!(per_key(&grown) <= 48.0, "{n} keys, grown: {:.1} bytes a key", per_key(&grown));
        }
    }

    /// A key seen again returns the row that held it, whatever sub-map it lands in, also after
    /// the map is re-sized with keys in it.
    #[test]
    fn a_repeated_key_finds_its_row() {
        let mut m = KeyMap::default();
        let hs: Vec<KeyHash> = keys(20_000).collect();
        for (i, h) in hs.iter().enumerate().take(5_000) {
            m.insert(*h, RowId::new(1, i as u64));
        }
        m.reserve(100_000);
        for (i, h) in hs.iter().enumerate().skip(5_000) {
            assert_eq!(m.insert(*h, RowId::new(1, i as u64)), None);
        }
        for (i, h) in hs.iter().enumerate() {
            assert_eq!(m.insert(*h, RowId::new(2, i as u64)), Some(RowId::new(1, i as u64)));
        }
        assert_eq!(m.len(), 20_000);
    }
}
