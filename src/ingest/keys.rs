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

/// The key map is keyed by a 128-bit hash of the key text (xxh3): 24 bytes a row instead of the
/// text. Two different keys share a hash with probability about n²/2¹²⁹ (10⁻²⁵ for 10 million
/// rows). The hash is already uniform, so the map uses its low bits as is.
#[derive(Default)]
pub(super) struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

pub(super) type KeyMap = HashMap<u128, RowId, BuildHasherDefault<PrehashedKey>>;

#[inline]
pub(super) fn key_hash(key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(key.as_bytes())
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
