//! The key map: which row holds each key, so that a later row with the same key replaces it.

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
/// two more) is 20 bytes and three fit a cache line. Two different keys share a hash with probability
/// about n²/2⁹⁷ (7·10⁻¹⁵ for 34 million keys).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct KeyHash([u32; 3]);

impl KeyHash {
    /// The low 64 bits: the sub-table's own hash (the high bits pick the sub-table).
    #[inline]
    fn lo(&self) -> u64 {
        u64::from(self.0[0]) | u64::from(self.0[1]) << 32
    }
}

/// One cache line of a sub-table: three entries (a key's hash and its row, as `u32`s) in 64
/// bytes, so that a lookup usually touches one line, which `KeyMap::prefetch` can load ahead.
/// A row of `[0, 0]` is an empty slot: no `RowId` is 0 (lines count from 1, old rows carry
/// `OLD_ROW`). Slots fill from the left and are never emptied.
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Line {
    hashes: [[u32; 3]; SLOTS],
    rows: [[u32; 2]; SLOTS],
}

const SLOTS: usize = 3;
const EMPTY: [u32; 2] = [0, 0];

/// An open-addressing table of lines, probed line after line from the one the hash picks. At
/// most 85 % of its slots are used: filling a table to that load, an insert reads 1.8 lines on
/// average, the further ones adjacent to the first (a simulation filling 32,768 lines with
/// random keys; docs/decisions.md).
#[derive(Default)]
struct SubTable {
    lines: Vec<Line>,
    len: usize,
}

/// `n` empty lines, from zeroed memory: the allocator clears a table of hundreds of megabytes
/// with one `memset`, where `vec![Line::default(); n]` stored every line 16 bytes at a time (that
/// loop was 1.7 % of an ingest's samples at scale 10; for an alignment of 64 the allocator cannot
/// hand back untouched pages, so the table is still written once before the first insert).
fn zeroed_lines(n: usize) -> Vec<Line> {
    if n == 0 {
        return Vec::new();
    }
    let layout = std::alloc::Layout::array::<Line>(n).expect("a key table fits the address space");
    // SAFETY: `Line` is `repr(C)` and holds only `u32`s, so all-zero bytes are a valid `Line` (the
    // empty one, equal to `Line::default()`); the memory comes from the global allocator with the
    // layout `Vec<Line>` uses for capacity `n`, and all `n` elements are initialised.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout).cast::<Line>();
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Vec::from_raw_parts(p, n, n)
    }
}

/// Usable slots of a table of `lines` lines.
fn usable(lines: usize) -> usize {
    lines * SLOTS * 85 / 100
}

impl SubTable {
    fn with_lines(lines: usize) -> SubTable {
        SubTable { lines: zeroed_lines(lines.next_power_of_two()), len: 0 }
    }

    #[inline]
    fn home(&self, h: &KeyHash) -> usize {
        h.lo() as usize & (self.lines.len() - 1)
    }

    fn insert(&mut self, h: KeyHash, row: [u32; 2]) -> Option<[u32; 2]> {
        if self.len >= usable(self.lines.len()) {
            self.grow();
        }
        let mask = self.lines.len() - 1;
        let mut i = self.home(&h);
        loop {
            let line = &mut self.lines[i];
            for s in 0..SLOTS {
                if line.rows[s] == EMPTY {
                    line.hashes[s] = h.0;
                    line.rows[s] = row;
                    self.len += 1;
                    return None;
                }
                if line.hashes[s] == h.0 {
                    return Some(std::mem::replace(&mut line.rows[s], row));
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::replace(self, SubTable::with_lines((self.lines.len() * 2).max(16)));
        for (h, row) in old.entries() {
            self.insert(h, row);
        }
    }

    fn entries(&self) -> impl Iterator<Item = (KeyHash, [u32; 2])> + '_ {
        self.lines.iter().flat_map(|l| (0..SLOTS).filter(|&s| l.rows[s] != EMPTY).map(|s| (KeyHash(l.hashes[s]), l.rows[s])))
    }
}

fn pack(id: RowId) -> [u32; 2] {
    [id.0 as u32, (id.0 >> 32) as u32]
}

fn unpack(p: [u32; 2]) -> RowId {
    RowId(u64::from(p[0]) | u64::from(p[1]) << 32)
}

/// The key map: the one part of an ingest that grows with the rows. A single table has a
/// power-of-two number of lines, so n keys can cost up to twice what they need (and growing
/// briefly holds the old and the new table). Here the keys are spread by their hash's high bits
/// over k sub-tables, k picked from the expected number of keys so that the sub-tables add up to
/// little more than the keys need at an 85 % load: at most 27 bytes a key from 300,000 keys up
/// when the count is known (`reserve`), and a sub-table that outgrows its share doubles alone
/// (1/k of the whole).
pub(super) struct KeyMap {
    maps: Vec<SubTable>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        KeyMap { maps: vec![SubTable::default()] }
    }
}

impl KeyMap {
    fn sub(&self, h: &KeyHash) -> usize {
        ((u64::from(h.0[2]) * self.maps.len() as u64) >> 32) as usize
    }

    /// Inserts `id` for the key; returns the row that held the key before.
    pub(super) fn insert(&mut self, h: KeyHash, id: RowId) -> Option<RowId> {
        let i = self.sub(&h);
        self.maps[i].insert(h, pack(id)).map(unpack)
    }

    /// Starts loading the line where the key's lookup begins: the table is far larger than the
    /// caches, so each insert would otherwise wait for memory in turn.
    #[inline]
    pub(super) fn prefetch(&self, h: &KeyHash) {
        let t = &self.maps[self.sub(h)];
        if t.lines.is_empty() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch only hints the cache; the address is a line of the table.
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(t.lines.as_ptr().add(t.home(h)) as *const i8);
        }
    }

    pub(super) fn len(&self) -> usize {
        self.maps.iter().map(|m| m.len).sum()
    }

    /// Sizes the map for `additional` more keys, redistributing the keys it holds.
    pub(super) fn reserve(&mut self, additional: usize) {
        let total = self.len().saturating_add(additional);
        if self.maps.iter().map(|m| usable(m.lines.len())).sum::<usize>() >= total {
            return;
        }
        // k tables of b lines (a power of two), 16 ≤ k when there are keys enough; k is the
        // least for which a table expects its share of the keys plus five standard deviations
        // (a table that gets more than it holds doubles on its own).
        // The first guess at b: 16 tables at two keys a line. It sits below the 85 % load on
        // purpose; rounding b down to a power of two and k up leaves the least slack this way
        // (2.55 keys a line, 85 % of three, gave 27.1 bytes a key at 300,000 keys instead of 26.2).
        let b = match total.div_ceil(2) / 16 {
            small if small <= 1 << 8 => 1 << 8,
            n => 1 << (usize::BITS - 1 - n.leading_zeros()),
        };
        let mut k = total.div_ceil(usable(b)).max(1);
        while {
            let share = total as f64 / k as f64;
            share + 5.0 * share.sqrt() > usable(b) as f64
        } {
            k += 1;
        }
        let old = std::mem::replace(&mut self.maps, new_tables(k, b));
        for m in old {
            for (h, row) in m.entries() {
                let i = self.sub(&h);
                self.maps[i].insert(h, row);
            }
        }
    }

    /// The bytes the tables hold (entries and empty slots).
    #[cfg(test)]
    pub(super) fn table_bytes(&self) -> usize {
        self.maps.iter().map(|m| m.lines.len() * std::mem::size_of::<Line>()).sum()
    }
}

/// `k` empty tables of `b` lines, cleared on every core at once. At the first chunk of a large
/// ledger this is hundreds of megabytes, each page faulted in and zeroed; on the applying thread
/// alone it took about a tenth of a second at scale 10, while the reader and the workers, their
/// queues full, left the other core idle.
fn new_tables(k: usize, b: usize) -> Vec<SubTable> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(k).max(1);
    if threads == 1 || k * b * std::mem::size_of::<Line>() < 64 << 20 {
        return (0..k).map(|_| SubTable::with_lines(b)).collect();
    }
    let per = k.div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..threads)
            .map(|t| {
                let n = per.min(k.saturating_sub(t * per));
                scope.spawn(move || (0..n).map(|_| SubTable::with_lines(b)).collect::<Vec<SubTable>>())
            })
            .collect();
        parts.into_iter().flat_map(|p| p.join().expect("a key table is only allocated and cleared")).collect()
    })
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

    /// The bound docs/benchmarks.md states: sized for its keys, the map costs at most 27 bytes a
    /// key from 300,000 keys up (64-byte lines of three entries, tables at most 85 % full:
    /// 64/3/0.85 = 25.1, plus the headroom for an uneven share); grown without a size, at most 51
    /// (a table just doubled is a little over 42 % full: 25.1 · 2 = 50.2).
    #[test]
    fn bytes_per_key_stay_bounded() {
        assert_eq!(std::mem::size_of::<Line>(), 64, "a line is one cache line");
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
                assert!(per_key(&sized) <= 27.0, "{n} keys, sized: {:.1} bytes a key", per_key(&sized));
            }
            assert!(per_key(&grown) <= 51.0, "{n} keys, grown: {:.1} bytes a key", per_key(&grown));
        }
    }

    /// A key seen again returns the row that held it, whatever sub-table it lands in, also after
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

    /// Tables made on several threads are as many, as large and as empty as asked, however the
    /// count splits over the threads.
    #[test]
    fn tables_cleared_in_parallel_are_all_there_and_empty() {
        for k in [5, 6] {
            // 16 MiB a table: above the size one thread clears alone.
            let b = 1 << 18;
            let t = new_tables(k, b);
            assert_eq!(t.len(), k);
            assert!(t.iter().all(|s| s.lines.len() == b && s.len == 0 && s.lines.iter().all(|l| l.rows == [EMPTY; SLOTS])));
        }
    }

    /// Keys whose home is the same line (a table of 16 lines, 40 keys: the line fills and the
    /// probe runs on, past the table's end and round to its start) are all found again.
    #[test]
    fn a_full_line_sends_keys_on_to_the_next() {
        let mut t = SubTable::with_lines(16);
        let key = |i: u32| KeyHash([15, 0, i]);
        for i in 0..usable(16) as u32 {
            assert_eq!(t.insert(key(i), [i + 1, 0]), None);
        }
        assert_eq!(t.lines.len(), 16, "no growth below 85 %");
        for i in 0..usable(16) as u32 {
            assert_eq!(t.insert(key(i), [i + 100, 0]), Some([i + 1, 0]));
        }
        // The next insert grows the table, and every key moves with its row.
        assert_eq!(t.insert(key(999), [7, 7]), None);
        assert_eq!(t.lines.len(), 32);
        for i in 0..usable(16) as u32 {
            assert_eq!(t.insert(key(i), [1, 1]), Some([i + 100, 0]));
        }
        assert_eq!(t.len, usable(16) + 1);
    }
}
