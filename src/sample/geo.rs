//! The region dimension as the generator sees it: Henan's cities and county-level units from the
//! shipped list, plus Sanmenxia's functional zones and townships from the additions file, with a
//! few fixed-per-seed traits per city (filing trend, loss rate, head-appearance rate).
use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::{Error, Result};

/// What kind of unit a region is; decides how its agencies and courts are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Province,
    City,
    /// 市辖区
    District,
    /// 县, 县级市
    County,
    /// 功能区 (示范区, 开发区): county level, no court, a 管理委员会 instead of a 人民政府.
    Zone,
    /// 镇, 乡
    Town,
    /// 街道
    Street,
}

#[derive(Debug)]
pub(super) struct Region {
    pub code: String,
    pub name: String,
    pub kind: Kind,
    pub parent: Option<usize>,
    /// Index into `Geo::cities` of the city this region belongs to (itself for a city).
    pub city: Option<usize>,
    /// Relative activity within its city.
    pub weight: f64,
}

#[derive(Debug)]
pub(super) struct City {
    pub region: usize,
    /// County-level units that may be picked (districts, counties, zones).
    pub counties: Vec<usize>,
    /// County-level units with a basic court (not zones).
    pub courts: Vec<usize>,
    /// Townships and subdistricts (only where the dimension lists them).
    pub towns: Vec<usize>,
    pub pop: f64,
    /// Litigation filings in 2024 relative to 2023.
    pub trend_2024: f64,
    /// Probability that a concluded first-instance case is lost: [up to 2023, 2024].
    pub loss: [f64; 2],
    /// Probability that the head appears at a hearing: [up to 2023, 2024].
    pub appear: [f64; 2],
    /// Probability that a head who appeared spoke.
    pub spoke: f64,
    /// Reconsideration correction share among decided cases.
    pub correct: f64,
    pub focus: bool,
}

pub(super) struct Geo {
    pub regions: Vec<Region>,
    pub cities: Vec<City>,
    pub province_name: String,
}

/// 2020 census population (millions) of Henan's city-level units: bigger cities send more cases.
const POP: &[(&str, f64)] = &[
    ("410100", 12.6),
    ("410200", 4.82),
    ("410300", 7.06),
    ("410400", 4.98),
    ("410500", 5.47),
    ("410600", 1.57),
    ("410700", 6.25),
    ("410800", 3.52),
    ("410900", 3.77),
    ("411000", 4.38),
    ("411100", 2.37),
    ("411200", 2.03),
    ("411300", 9.71),
    ("411400", 7.82),
    ("411500", 6.23),
    ("411600", 9.03),
    ("411700", 7.01),
    ("419001", 0.73),
];

/// The city shown in depth (三门峡).
pub(super) const FOCUS_CITY: &str = "411200";

const ZONE_WORDS: &[&str] = &["开发区", "示范区", "管理区", "集聚区", "高新区", "新区", "保税区", "试验区"];

struct Row {
    name: String,
    level: String,
    parent: String,
    addition: bool,
}

fn parse(text: &str, addition: bool, into: &mut BTreeMap<String, Row>) -> Result<()> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| Error::Other(format!("sample regions: {e}")))?.clone();
    let pos = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(ci), Some(ni), Some(li), Some(pi)) = (pos("code"), pos("name"), pos("level"), pos("parent_code")) else {
        return Err(Error::Other("sample regions: header must be code,name,level,parent_code".into()));
    };
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::Other(format!("sample regions: {e}")))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let code = get(ci);
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // A row the shipped list already has stays a regular unit even when the additions repeat it.
        let addition = addition && into.get(&code).is_none_or(|r| r.addition);
        into.insert(code, Row { name: get(ni), level: get(li).to_lowercase(), parent: get(pi), addition });
    }
    Ok(())
}

fn kind_of(row: &Row) -> Option<Kind> {
    Some(match row.level.as_str() {
        "province" => Kind::Province,
        "city" => Kind::City,
        "county" => {
            if row.addition || ZONE_WORDS.iter().any(|w| row.name.contains(w)) {
                Kind::Zone
            } else if row.name.ends_with('区') {
                Kind::District
            } else {
                Kind::County
            }
        }
        "township" => {
            if row.name.ends_with("街道") || row.name.ends_with("办事处") {
                Kind::Street
            } else {
                Kind::Town
            }
        }
        _ => return None,
    })
}

impl Geo {
    pub fn load(henan: &str, additions: &str, rng: &mut ChaCha8Rng) -> Result<Geo> {
        let mut rows = BTreeMap::new();
        parse(henan, false, &mut rows)?;
        parse(additions, true, &mut rows)?;

        let mut regions: Vec<Region> = Vec::new();
        let mut parents: Vec<String> = Vec::new();
        for (code, row) in &rows {
            let Some(kind) = kind_of(row) else { continue };
            if row.name.is_empty() || row.name == "市辖区" {
                continue;
            }
            regions.push(Region { code: code.clone(), name: row.name.clone(), kind, parent: None, city: None, weight: 1.0 });
            parents.push(row.parent.clone());
        }
        let by_code: HashMap<String, usize> = regions.iter().enumerate().map(|(i, r)| (r.code.clone(), i)).collect();
        for (i, p) in parents.iter().enumerate() {
            regions[i].parent = by_code.get(p).copied();
        }
        let province_name = regions.iter().find(|r| r.kind == Kind::Province).map_or("河南省".to_string(), |r| r.name.clone());

        let mut cities = Vec::new();
        for (i, reg) in regions.iter_mut().enumerate() {
            if reg.kind != Kind::City {
                continue;
            }
            let focus = reg.code == FOCUS_CITY;
            let pop = POP.iter().find(|(c, _)| *c == reg.code).map_or(3.0, |(_, p)| *p);
            let loss_base = if focus { 0.088 } else { rng.random_range(0.11..0.21) };
            let loss_2024 = if focus { 0.072 } else { loss_base * rng.random_range(0.8..1.2) };
            let appear_base: f64 = if focus { 0.93 } else { rng.random_range(0.72..0.92) };
            let appear_2024: f64 = if focus { 0.97 } else { (appear_base + rng.random_range(-0.03..0.08)).min(0.99) };
            cities.push(City {
                region: i,
                counties: Vec::new(),
                courts: Vec::new(),
                towns: Vec::new(),
                pop,
                trend_2024: if focus { 0.90 } else { rng.random_range(0.88..1.12) },
                loss: [loss_base, loss_2024],
                appear: [appear_base, appear_2024],
                spoke: if focus { 0.93 } else { rng.random_range(0.70..0.90) },
                correct: if focus { 0.10 } else { rng.random_range(0.10..0.16) },
                focus,
            });
            reg.city = Some(cities.len() - 1);
        }
        if cities.is_empty() {
            return Err(Error::Other("sample regions: no city-level rows in the region list".into()));
        }
        // County-level units, then townships (a township's parent may be a county or a city).
        for i in 0..regions.len() {
            let kind = regions[i].kind;
            if matches!(kind, Kind::District | Kind::County | Kind::Zone) {
                let Some(city) = regions[i].parent.and_then(|p| regions[p].city) else { continue };
                regions[i].city = Some(city);
                regions[i].weight = match kind {
                    Kind::District => rng.random_range(0.8..1.8),
                    Kind::County => rng.random_range(0.6..1.4),
                    _ => 0.35,
                };
                cities[city].counties.push(i);
                if kind != Kind::Zone {
                    cities[city].courts.push(i);
                }
            }
        }
        for i in 0..regions.len() {
            if matches!(regions[i].kind, Kind::Town | Kind::Street) {
                let Some(city) = regions[i].parent.and_then(|p| regions[p].city) else { continue };
                regions[i].city = Some(city);
                // Farms and other township-level units (园艺场) have no township government.
                let n = &regions[i].name;
                if n.ends_with('镇') || n.ends_with('乡') || n.ends_with("街道") || n.ends_with("办事处") {
                    cities[city].towns.push(i);
                }
            }
        }
        Ok(Geo { regions, cities, province_name })
    }

    /// Weight of each city for one year. The focus city gets `focus_share` of everything, the
    /// others share the rest by population and their 2024 trend.
    pub fn city_weights(&self, year: i32, focus_share: f64, use_trend: bool) -> Vec<f64> {
        let others: f64 =
            self.cities.iter().filter(|c| !c.focus).map(|c| c.pop * if use_trend && year >= 2024 { c.trend_2024 } else { 1.0 }).sum();
        self.cities
            .iter()
            .map(|c| {
                if c.focus {
                    if others > 0.0 { focus_share } else { 1.0 }
                } else {
                    let t = if use_trend && year >= 2024 { c.trend_2024 } else { 1.0 };
                    (1.0 - focus_share) * c.pop * t / others
                }
            })
            .collect()
    }

    pub fn city_of(&self, r: usize) -> Option<&City> {
        self.regions[r].city.map(|c| &self.cities[c])
    }

    /// The county-level unit above a township (or the region itself).
    pub fn county_of(&self, r: usize) -> usize {
        match self.regions[r].kind {
            Kind::Town | Kind::Street => self.regions[r].parent.unwrap_or(r),
            _ => r,
        }
    }
}
