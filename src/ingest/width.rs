//! Width folding and trimming: what every text cell goes through before any rule reads it.
//! Full-width ASCII and the ideographic space become half-width, invisible characters go, and
//! the ends are trimmed — without a copy for the usual cell, which needs none of it.
use std::borrow::Cow;

/// Characters that are invisible in a spreadsheet but break matching (zero-width space and joiners,
/// BOM, word joiner).
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// What width folding makes of one character: `None` drops it (invisible), otherwise the
/// character it becomes. `keep` lists full-width characters that stay as they are.
fn fold_char(c: char, keep: &[char]) -> Option<char> {
    if is_invisible(c) {
        return None;
    }
    if keep.contains(&c) {
        return Some(c);
    }
    let u = c as u32;
    Some(if (0xFF01..=0xFF5E).contains(&u) {
        char::from_u32(u - 0xFEE0).unwrap_or(c)
    } else if c == '\u{3000}' || c == '\u{00A0}' {
        ' '
    } else {
        c
    })
}

/// Folds full-width ASCII (U+FF01..U+FF5E) and the ideographic space to half-width, dropping
/// invisible characters. `keep` lists full-width characters that stay as they are.
pub fn fold_width(s: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter_map(|c| fold_char(c, keep)));
    out
}

/// Could `fold_width` change `s`? Every character it folds or drops (U+00A0, U+00AD, U+200B–U+2060,
/// U+3000, U+FEFF, U+FF01–U+FF5E) starts with one of the UTF-8 lead bytes C2, E2, E3 or EF; the
/// bytes after the lead then tell. Text without them — ASCII, CJK, and the brackets 〔〕 of
/// decision numbers (E3 80 94) — is used as is, without a copy (ingest's hot path).
fn may_fold(s: &str) -> bool {
    let b = s.as_bytes();
    // One pass without branches (the compiler vectorises it) settles most cells, which hold none
    // of the four lead bytes; two `memchr` searches per cell cost more on text this short.
    if !b.iter().fold(false, |any, &c| any | is_fold_lead(c)) {
        return false;
    }
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, b).chain(memchr::memchr_iter(0xEF, b)).any(|i| folds_at(b, i))
}

/// The UTF-8 lead bytes of every character `fold_width` changes (see `may_fold`).
#[inline]
fn is_fold_lead(c: u8) -> bool {
    matches!(c, 0xC2 | 0xE2 | 0xE3 | 0xEF)
}

/// Does the character at `b[i]`, whose lead byte is C2, E2, E3 or EF, fold or drop (with no keep
/// list)? The bytes after the lead tell.
#[inline]
fn folds_at(b: &[u8], i: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match b[i] {
        0xC2 => matches!(at(i + 1), 0xA0 | 0xAD),
        // U+200B–U+200D (E2 80 8B–8D) and U+2060 (E2 81 A0)
        0xE2 => matches!((at(i + 1), at(i + 2)), (0x80, 0x8B..=0x8D) | (0x81, 0xA0)),
        // U+3000, the ideographic space
        0xE3 => at(i + 1) == 0x80 && at(i + 2) == 0x80,
        // U+FEFF (EF BB BF), U+FF01–U+FF3F (EF BC 81–BF), U+FF40–U+FF5E (EF BD 80–9E)
        0xEF => matches!((at(i + 1), at(i + 2)), (0xBB, 0xBF) | (0xBC, 0x81..=0xBF) | (0xBD, 0x80..=0x9E)),
        _ => false,
    }
}

/// Appends to `out`, in order, the offset in `text` of every character that `fold_width` changes
/// with no keep list. A CSV chunk is screened once this way, 32 bytes at a time, instead of each
/// cell on its own: a cell that no offset falls in needs no folding (`fold_width_screened`).
/// Offsets are `u32`, as the chunk's field spans are.
pub fn foldable_offsets(text: &[u8], out: &mut Vec<u32>) {
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        done = unsafe { foldable_offsets_avx2(text, out) };
    }
    foldable_offsets_from(text, done, out);
}

/// `foldable_offsets` one byte at a time from `from`: the end of the text the AVX2 loop leaves,
/// or all of it on a CPU without AVX2.
fn foldable_offsets_from(text: &[u8], from: usize, out: &mut Vec<u32>) {
    for i in from..text.len() {
        if is_fold_lead(text[i]) && folds_at(text, i) {
            out.push(i as u32);
        }
    }
}

/// `foldable_offsets` over the 32-byte blocks that have two bytes after them; returns where it
/// stopped. The 〔〕 and 、。 of Chinese text (E3 80 xx) and the curly quotes (E2 80 9C/9D) share
/// their lead bytes with characters that fold, so the bytes after the lead are compared here too:
/// only full-width forms (EF …) and the rare C2 are left for `folds_at`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn foldable_offsets_avx2(text: &[u8], out: &mut Vec<u32>) -> usize {
    use std::arch::x86_64::*;
    let eq = |v: __m256i, b: u8| _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8));
    let mut base = 0;
    while base + 34 <= text.len() {
        // SAFETY: bytes base..base + 34 are in `text`: each load reads 32 of them.
        let (v, v1, v2) = unsafe {
            let p = text.as_ptr().add(base);
            (
                _mm256_loadu_si256(p as *const __m256i),
                _mm256_loadu_si256(p.add(1) as *const __m256i),
                _mm256_loadu_si256(p.add(2) as *const __m256i),
            )
        };
        // U+3000 (E3 80 80)
        let ideographic_space = _mm256_and_si256(_mm256_and_si256(eq(v, 0xE3), eq(v1, 0x80)), eq(v2, 0x80));
        // U+200B–U+200D (E2 80 8B–8D) and U+2060 (E2 81 A0)
        let zero_width = _mm256_and_si256(
            eq(v, 0xE2),
            _mm256_or_si256(
                _mm256_and_si256(eq(v1, 0x80), _mm256_or_si256(_mm256_or_si256(eq(v2, 0x8B), eq(v2, 0x8C)), eq(v2, 0x8D))),
                _mm256_and_si256(eq(v1, 0x81), eq(v2, 0xA0)),
            ),
        );
        let hit = _mm256_or_si256(_mm256_or_si256(ideographic_space, zero_width), _mm256_or_si256(eq(v, 0xC2), eq(v, 0xEF)));
        let mut m = _mm256_movemask_epi8(hit) as u32;
        while m != 0 {
            let i = base + m.trailing_zeros() as usize;
            m &= m - 1;
            if folds_at(text, i) {
                out.push(i as u32);
            }
        }
        base += 32;
    }
    base
}

/// Does `fold_width(_, keep)` change some character of `s`? Only characters whose UTF-8 lead byte
/// is C2, E2, E3 or EF can fold (`may_fold`), so only those are decoded and looked at, not every
/// character of the cell (the walk over every character was 1.6 % of an ingest's samples).
fn folds_any(s: &str, keep: &[char]) -> bool {
    let b = s.as_bytes();
    // These bytes are never UTF-8 continuation bytes (80–BF), so each starts a character.
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, b)
        .chain(memchr::memchr_iter(0xEF, b))
        .any(|i| s[i..].chars().next().is_some_and(|c| folds(c, keep)))
}

/// Does `fold_width(_, keep)` change this character (drop or replace it)?
fn folds(c: char, keep: &[char]) -> bool {
    fold_char(c, keep) != Some(c)
}

/// `fold_width` that borrows when nothing needs folding. With a `keep` list the screen is followed
/// by a look at the characters it flagged: a decision number such as 卢公（治）决字〔2023〕1号 holds
/// only kept characters, and nearly a third of penalty keys are written that way.
pub fn fold_width_cow<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !may_fold(s) || (!keep.is_empty() && !folds_any(s, keep)) { Cow::Borrowed(s) } else { Cow::Owned(fold_width(s, keep)) }
}

/// `fold_width_cow` for a cell whose row was screened already (`foldable_offsets`): text in which
/// the screen found nothing to fold (`may_fold` false) is used as it is, without a second look.
pub fn fold_width_screened<'a>(s: &'a str, keep: &[char], may_fold: bool) -> Cow<'a, str> {
    if may_fold { fold_width_cow(s, keep) } else { Cow::Borrowed(s) }
}

/// Does a character starting with this byte show ink? A printable ASCII character, or a CJK
/// ideograph (UTF-8 lead bytes E4–E9, U+4000–U+9FFF): neither is whitespace nor invisible. Most
/// cells start (and end) with one, which lets the blank test and `trim` skip walking them.
#[inline]
pub fn solid_lead(b: u8) -> bool {
    matches!(b, 0x21..=0x7E | 0xE4..=0xE9)
}

/// `str::trim`, with a shortcut for the usual cell: one that starts and ends with a solid
/// character (`solid_lead`) has nothing to trim, and Unicode's whitespace table is not consulted.
#[inline]
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let solid_start = b.first().is_some_and(|&c| solid_lead(c));
    // A lead byte E4–E9 three bytes from the end starts the last character (valid UTF-8).
    let solid_end = matches!(b, [.., 0x21..=0x7E] | [.., 0xE4..=0xE9, _, _]);
    if solid_start && solid_end { s } else { s.trim() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut trims exactly as `str::trim` does, whatever character sits at either end.
    #[test]
    fn trim_agrees_with_str_trim() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [
                format!("{c}"),
                format!("a{c}"),
                format!("{c}a"),
                format!("中{c}"),
                format!("{c}中"),
                format!("中{c}中 "),
                format!("x{c}x"),
            ] {
                assert_eq!(trim(&s), s.trim(), "{:?}", s);
            }
        }
    }

    /// `may_fold` may say yes to text that folding leaves alone, never no to text it changes:
    /// every character is tried alone and between CJK and ASCII neighbours.
    #[test]
    fn may_fold_misses_no_character_that_folds() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("中{c}a"), format!("a{c}〔")] {
                if fold_width(&s, &[]) != s {
                    assert!(may_fold(&s), "{:?} (U+{:04X}) folds but may_fold says no", s, c as u32);
                }
            }
        }
        assert!(!may_fold("新红建罚〔2024〕1号 红旗区住房和城乡建设局"));
    }

    /// The chunk screen names exactly the characters folding changes, wherever the 64-byte blocks
    /// cut them: every character, between varying runs of ASCII and CJK.
    #[test]
    fn foldable_offsets_name_every_character_that_folds() {
        let mut text = String::new();
        let mut expected = Vec::new();
        for (n, c) in (0..=0x10FFFFu32).filter_map(char::from_u32).enumerate() {
            text.push_str(&"a".repeat(n % 3));
            text.push_str(&"中".repeat(n % 2));
            if folds(c, &[]) {
                expected.push(text.len() as u32);
            }
            text.push(c);
        }
        let mut got = Vec::new();
        foldable_offsets(text.as_bytes(), &mut got);
        assert_eq!(got, expected);
        // The byte loop alone, as a CPU without AVX2 runs it.
        got.clear();
        foldable_offsets_from(text.as_bytes(), 0, &mut got);
        assert_eq!(got, expected);
        assert!(expected.len() > 90, "{}", expected.len());
    }

    /// `folds` names exactly the characters `fold_width` changes, so that with a keep list
    /// `fold_width_cow` borrows exactly the text folding would leave as it is.
    #[test]
    fn fold_width_cow_borrows_only_what_folding_keeps() {
        for keep in [&[][..], &['（', '）'][..]] {
            for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
                let one = c.to_string();
                assert_eq!(folds(c, keep), fold_width(&one, keep) != one, "U+{:04X} with keep {keep:?}", c as u32);
                for s in [format!("卢公{c}治）决字〔2023〕1号"), format!("（{c}")] {
                    let cow = fold_width_cow(&s, keep);
                    assert_eq!(cow, fold_width(&s, keep), "{s:?}");
                    if !keep.is_empty() {
                        assert_eq!(matches!(cow, Cow::Borrowed(_)), fold_width(&s, keep) == s, "{s:?}");
                    }
                }
            }
        }
    }
}
