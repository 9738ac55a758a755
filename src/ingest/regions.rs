//! The regions a ledger names: additions read from a regions file (townships, zones) and the
//! dimension's regions by name, for ledgers that write 湖滨区 instead of 411202. The dimension
//! itself (codes, levels, parents) is the warehouse's (`warehouse::regions`).
use std::path::Path;

use super::cells;
use super::read::{self, Cell};
use crate::warehouse::regions::{Level, Region, Regions};
use crate::{Error, Result};

/// Reads a user's additions (`code,name,level,parent_code`, or the Chinese headers 区划代码,
/// 名称, 级别, 上级代码) from CSV or a workbook and checks them against what is known.
pub fn read_additions(known: &Regions, path: &Path) -> Result<Vec<Region>> {
    let file = path.display().to_string();
    let raw = read::read_file(path, None)?;
    let mut rows = raw.records.iter().filter(|r| r.cells.iter().any(|c| !c.is_empty()));
    let header = rows.next().ok_or_else(|| Error::bad_file(&file, 1, "-", "the regions file has no header"))?;
    let find = |names: &[&str]| header.cells.iter().position(|c| names.contains(&cells::header(&c.to_text()).0.as_str()));
    let col = |names: &[&str], what: &str| {
        find(names).ok_or_else(|| Error::bad_file(&file, header.line, what, format!("regions file has no {what} column")))
    };
    let ci = col(&["code", "区划代码", "行政区划代码", "代码"], "code")?;
    let ni = col(&["name", "名称", "区划名称", "行政区划名称"], "name")?;
    let li = col(&["level", "级别", "层级"], "level")?;
    let pi = col(&["parent_code", "上级代码", "上级区划代码", "parent"], "parent_code")?;
    let mut out: Vec<Region> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let get = |cells: &[Cell], i: usize| cells.get(i).map(|c| c.to_text()).unwrap_or_default();
    for row in rows {
        let code_raw = get(&row.cells, ci);
        let code = cells::region_code(&code_raw)
            .ok_or_else(|| Error::bad_file(&file, row.line, "code", format!("region code '{}' is not 6 or 9 digits", code_raw.trim())))?;
        let name = cells::text(&get(&row.cells, ni)).ok_or_else(|| Error::bad_file(&file, row.line, "name", "region name is empty"))?;
        let level_raw = get(&row.cells, li);
        let level = Level::parse(&level_raw).ok_or_else(|| {
            Error::bad_file(&file, row.line, "level", format!("level '{}' is not province, city, county or township", level_raw.trim()))
        })?;
        let parent_raw = get(&row.cells, pi);
        let parent = cells::region_code(&parent_raw);
        if level != Level::Province && parent.is_none() {
            return Err(Error::bad_file(
                &file,
                row.line,
                "parent_code",
                format!("parent code '{}' is not 6 or 9 digits", parent_raw.trim()),
            ));
        }
        out.push(Region { code, name, level, parent_code: parent, source: "user".into() });
        lines.push(row.line);
    }
    // Parents may be defined later in the same file.
    for (r, line) in out.iter().zip(&lines) {
        if let Some(p) = &r.parent_code
            && known.get(p).is_none()
            && !out.iter().any(|o| &o.code == p)
        {
            return Err(Error::bad_file(
                &file,
                *line,
                "parent_code",
                format!("region {} ({}) names parent {p}, which is unknown", r.code, r.name),
            ));
        }
    }
    Ok(out)
}

/// Why a region name does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Unknown,
    /// Several regions answer to the name: "code name" of each (many counties have a 城关镇).
    Ambiguous(Vec<String>),
}

/// The dimension's regions by name, for ledgers that write a region instead of its code: the
/// full name (湖滨区), the name after its ancestors' (三门峡市湖滨区, 灵宝市城关镇), or a short
/// name without its 市/区/县/镇/乡/街道 suffix (湖滨) when only one region has it.
#[derive(Debug, Clone, Default)]
pub struct RegionNames {
    full: std::collections::HashMap<String, Vec<String>>,
    short: std::collections::HashMap<String, Vec<String>>,
    /// "411282100 灵宝市城关镇": how a candidate is named in a reject reason.
    labels: std::collections::HashMap<String, String>,
}

const NAME_SUFFIXES: &[&str] = &["街道办事处", "办事处", "街道", "自治县", "新区", "县", "区", "市", "镇", "乡", "省"];

impl RegionNames {
    pub fn new(regions: &Regions) -> RegionNames {
        let mut names = RegionNames::default();
        for r in regions.iter() {
            // A township known only by its code has no name to find it by.
            if r.source == "auto" || r.name == r.code {
                continue;
            }
            let mut qualified = r.name.clone();
            let mut keys = vec![qualified.clone()];
            let mut parent = r.parent_code.as_deref();
            let mut hops = 0;
            while let Some(p) = parent.and_then(|c| regions.get(c)) {
                qualified = format!("{}{qualified}", p.name);
                keys.push(qualified.clone());
                parent = p.parent_code.as_deref();
                hops += 1;
                if hops > 8 {
                    break;
                }
            }
            names.labels.insert(r.code.clone(), format!("{} {}", r.code, keys.get(1).unwrap_or(&keys[0])));
            for k in keys {
                let v = names.full.entry(k).or_default();
                if !v.contains(&r.code) {
                    v.push(r.code.clone());
                }
            }
            if let Some(stem) = NAME_SUFFIXES.iter().find_map(|s| r.name.strip_suffix(s)).filter(|s| s.chars().count() >= 2) {
                names.short.entry(stem.to_string()).or_default().push(r.code.clone());
            }
        }
        names
    }

    /// The code of the one region `raw` names.
    pub fn resolve(&self, raw: &str) -> Result<&str, NameError> {
        let s: String = super::width::fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
        for map in [&self.full, &self.short] {
            match map.get(&s).map(Vec::as_slice) {
                Some([one]) => return Ok(one),
                Some(many) if many.len() > 1 => {
                    let mut codes = many.to_vec();
                    codes.sort();
                    return Err(NameError::Ambiguous(
                        codes.iter().map(|c| self.labels.get(c).cloned().unwrap_or_else(|| c.clone())).collect(),
                    ));
                }
                _ => {}
            }
        }
        Err(NameError::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_one_region_or_name_the_candidates() {
        let mut r = Regions::builtin();
        for (code, name, parent) in [("411282100", "城关镇", "411282"), ("411224100", "城关镇", "411224")] {
            r.insert(Region {
                code: code.into(),
                name: name.into(),
                level: Level::Township,
                parent_code: Some(parent.into()),
                source: "user".into(),
            });
        }
        let n = RegionNames::new(&r);
        assert_eq!(n.resolve("湖滨区"), Ok("411202"));
        assert_eq!(n.resolve("三门峡市湖滨区"), Ok("411202"));
        assert_eq!(n.resolve("河南省三门峡市湖滨区"), Ok("411202"));
        assert_eq!(n.resolve("湖滨"), Ok("411202"));
        assert_eq!(n.resolve("灵宝市城关镇"), Ok("411282100"));
        assert_eq!(n.resolve("城关镇"), Err(NameError::Ambiguous(vec!["411224100 卢氏县城关镇".into(), "411282100 灵宝市城关镇".into()])));
        assert_eq!(n.resolve("不存在区"), Err(NameError::Unknown));
    }
}
