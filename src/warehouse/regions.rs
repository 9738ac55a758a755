//! The regions dimension (行政区划): Henan's province, its 18 city-level units and their
//! county-level units as GB/T 2260 lists them (shipped in `henan_regions.csv`), plus what users
//! add with `--regions FILE` and the townships that ledgers name by a 9-digit code only.
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

const BUILTIN: &str = include_str!("henan_regions.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    City,
    County,
    Township,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// The level a report on a region of this level ranks: a province its cities, a city its
    /// counties, a county (and a township) its townships.
    pub fn below(self) -> Level {
        match self {
            Level::Province => Level::City,
            Level::City => Level::County,
            Level::County | Level::Township => Level::Township,
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_lowercase().as_str() {
            "province" | "省" | "省级" => Some(Level::Province),
            "city" | "市" | "地级" | "市级" | "地市" => Some(Level::City),
            "county" | "县" | "县级" | "区县" | "县区" => Some(Level::County),
            "township" | "乡镇" | "乡" | "镇" | "街道" | "乡级" | "乡镇街道" => Some(Level::Township),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub parent_code: Option<String>,
    /// builtin | user | auto (a township known only by its code).
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Regions {
    /// In code order, for listings. Private, so that only `insert` changes it and `known` stays
    /// in step.
    map: BTreeMap<String, Region>,
    /// The codes again, for ingest, which resolves the region of every row: a code of digits as
    /// the number it spells (`code_key`), hashed as a number with no string hashed or compared;
    /// any other code as text.
    known: HashSet<u64, BuildHasherDefault<CodeHasher>>,
    known_text: HashSet<String>,
}

/// A code of up to 15 digits as one number, tagged with its length (so that 0411 and 411 differ).
fn code_key(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    if b.is_empty() || b.len() > 15 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) << 4 | b.len() as u64)
}

/// Spreads a `code_key` over the table's buckets (a multiply, its high half folded into the low).
#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        let x = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^ (x >> 32)
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

/// What a ledger's region code resolves to.
pub enum Resolved {
    Known,
    /// A 9-digit code with no entry: a township named by its code, under its first 6 digits.
    NewTownship(Region),
}

impl Regions {
    pub fn builtin() -> Regions {
        let mut r = Regions::default();
        for (i, line) in BUILTIN.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split(',').collect();
            let level = Level::parse(f[2]).unwrap_or_else(|| panic!("henan_regions.csv line {}: bad level", i + 1));
            let parent = f.get(3).map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
            r.insert(Region { code: f[0].trim().into(), name: f[1].trim().into(), level, parent_code: parent, source: "builtin".into() });
        }
        r
    }

    pub fn insert(&mut self, region: Region) {
        match code_key(&region.code) {
            Some(k) => self.known.insert(k),
            None => self.known_text.insert(region.code.clone()),
        };
        self.map.insert(region.code.clone(), region);
    }

    /// Every region, in code order.
    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.map.values()
    }

    pub fn get(&self, code: &str) -> Option<&Region> {
        self.map.get(code)
    }

    /// The region a command was asked about; `what` names where the code came from ("--region").
    pub fn require(&self, code: &str, what: &str) -> Result<Region> {
        self.get(code).cloned().ok_or_else(|| Error::Usage(format!("{what} {code} is not in the regions dimension")))
    }

    fn is_known(&self, code: &str) -> bool {
        match code_key(code) {
            Some(k) => self.known.contains(&k),
            None => self.known_text.contains(code),
        }
    }

    pub fn resolve(&self, code: &str) -> Option<Resolved> {
        if self.is_known(code) {
            return Some(Resolved::Known);
        }
        if code.len() == 9 && code.is_char_boundary(6) && self.is_known(&code[..6]) {
            return Some(Resolved::NewTownship(Region {
                code: code.to_string(),
                name: code.to_string(),
                level: Level::Township,
                parent_code: Some(code[..6].to_string()),
                source: "auto".into(),
            }));
        }
        None
    }

    /// Is `code` equal to `ancestor` or below it?
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        let mut cur = Some(code);
        let mut hops = 0;
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.map.get(c).and_then(|r| r.parent_code.as_deref());
            hops += 1;
            if hops > 16 {
                break;
            }
        }
        false
    }

    pub fn codes_at(&self, level: Level) -> impl Iterator<Item = &Region> {
        self.map.values().filter(move |r| r.level == level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_henan_and_its_cities() {
        let r = Regions::builtin();
        assert_eq!(r.get("410000").map(|x| x.name.as_str()), Some("河南省"));
        assert_eq!(r.codes_at(Level::City).count(), 18);
        assert_eq!(r.get("419001").map(|x| x.level), Some(Level::City));
        assert_eq!(r.get("411282").map(|x| x.name.as_str()), Some("灵宝市"));
        for reg in r.map.values() {
            if let Some(p) = &reg.parent_code {
                assert!(r.get(p).is_some(), "{} has unknown parent {p}", reg.code);
            }
        }
    }

    /// Every code of the dimension is known, by number or as text, and nothing else is.
    #[test]
    fn known_codes_are_exactly_the_dimensions() {
        let mut r = Regions::builtin();
        r.insert(Region { code: "X1".into(), name: "试验".into(), level: Level::County, parent_code: None, source: "user".into() });
        for code in r.map.keys() {
            assert!(matches!(r.resolve(code), Some(Resolved::Known)), "{code}");
        }
        for code in ["0411202", "4112020", "41120", "X2", "", "411202000000000000"] {
            assert!(!r.is_known(code), "{code}");
        }
    }

    #[test]
    fn nine_digit_codes_become_townships() {
        let r = Regions::builtin();
        match r.resolve("411202001") {
            Some(Resolved::NewTownship(t)) => assert_eq!(t.parent_code.as_deref(), Some("411202")),
            _ => panic!("expected a new township"),
        }
        assert!(r.resolve("419999").is_none());
        assert!(r.resolve("999999001").is_none());
        assert!(r.is_within("411282", "410000"));
        assert!(!r.is_within("410102", "411200"));
    }
}
