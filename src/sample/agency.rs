//! Agencies (行政机关) and courts, named the way Henan's ledgers name them: 灵宝市自然资源局,
//! 三门峡市公安局湖滨分局, 三门峡市生态环境局灵宝分局, 国家税务总局灵宝市税务局, 湖滨区人民政府,
//! 灵宝市大王镇人民政府, 三门峡市湖滨区人民法院 (豫1202), 三门峡市中级人民法院 (豫12).
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::geo::{Geo, Kind};
use super::pick;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dept {
    Gov,
    Land,
    Build,
    Police,
    Hr,
    Market,
    Eco,
    Transport,
    Urban,
    Tax,
    Medical,
    Agri,
    Health,
    Edu,
    Safety,
    Culture,
}

pub(super) struct DeptInfo {
    pub dept: Dept,
    /// Name after a city's name.
    pub city: &'static str,
    /// Name after a county's name.
    pub county: &'static str,
    pub domain: &'static str,
    /// Short form used in document numbers (灵市监罚〔2024〕12号).
    pub abbr: &'static str,
    /// Relative frequency as litigation defendant, reconsideration respondent, penalty agency.
    pub lit: u32,
    pub rec: u32,
    pub pen: u32,
}

#[allow(clippy::too_many_arguments)]
const fn d(
    dept: Dept,
    city: &'static str,
    county: &'static str,
    domain: &'static str,
    abbr: &'static str,
    lit: u32,
    rec: u32,
    pen: u32,
) -> DeptInfo {
    DeptInfo { dept, city, county, domain, abbr, lit, rec, pen }
}

pub(super) static DEPTS: &[DeptInfo] = &[
    d(Dept::Gov, "人民政府", "人民政府", "征收拆迁", "政", 24, 14, 0),
    d(Dept::Land, "自然资源和规划局", "自然资源局", "自然资源", "自然资", 15, 10, 5),
    d(Dept::Build, "住房和城乡建设局", "住房和城乡建设局", "城乡建设", "建", 8, 6, 2),
    d(Dept::Police, "公安局", "公安局", "公安", "公（治）决字", 12, 20, 30),
    d(Dept::Hr, "人力资源和社会保障局", "人力资源和社会保障局", "人社", "人社", 10, 12, 2),
    d(Dept::Market, "市场监督管理局", "市场监督管理局", "市场监管", "市监", 6, 12, 18),
    d(Dept::Eco, "生态环境局", "生态环境局", "生态环境", "环", 3, 3, 6),
    d(Dept::Transport, "交通运输局", "交通运输局", "交通运输", "交", 3, 5, 12),
    d(Dept::Urban, "城市管理局", "综合行政执法局", "城市管理", "城管", 5, 5, 8),
    d(Dept::Tax, "税务局", "税务局", "税务", "税", 2, 4, 4),
    d(Dept::Medical, "医疗保障局", "医疗保障局", "医疗保障", "医保", 2, 3, 1),
    d(Dept::Agri, "农业农村局", "农业农村局", "农业农村", "农", 2, 3, 3),
    d(Dept::Health, "卫生健康委员会", "卫生健康委员会", "卫生健康", "卫", 1, 2, 4),
    d(Dept::Edu, "教育局", "教育局", "教育", "教", 1, 1, 0),
    d(Dept::Safety, "应急管理局", "应急管理局", "应急管理", "应急", 1, 1, 5),
    d(Dept::Culture, "文化广电和旅游局", "文化广电和旅游局", "文化旅游", "文旅", 0, 1, 3),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    Lit,
    Rec,
    Pen,
}

/// Departments a functional zone has.
const ZONE_DEPTS: &[Dept] = &[Dept::Gov, Dept::Land, Dept::Build, Dept::Market, Dept::Urban, Dept::Hr];

pub(super) fn info(dept: Dept) -> &'static DeptInfo {
    DEPTS.iter().find(|i| i.dept == dept).expect("every Dept is in DEPTS")
}

/// Pick a department for a county- or city-level region of `kind`.
pub(super) fn pick_dept(rng: &mut ChaCha8Rng, kind: Kind, use_: Use) -> &'static DeptInfo {
    let weight = |i: &DeptInfo| -> u32 {
        if kind == Kind::Zone && !ZONE_DEPTS.contains(&i.dept) {
            return 0;
        }
        match use_ {
            Use::Lit => i.lit,
            Use::Rec => i.rec,
            Use::Pen => i.pen,
        }
    };
    let total: u32 = DEPTS.iter().map(weight).sum();
    let mut x = rng.random_range(0..total.max(1));
    for i in DEPTS {
        let w = weight(i);
        if x < w {
            return i;
        }
        x -= w;
    }
    &DEPTS[0]
}

/// A name without its 市/县/区 suffix, when something is left (湖滨区 → 湖滨, 义马市 → 义马).
pub(super) fn short(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() > 2 && matches!(chars.last(), Some('市' | '县' | '区')) {
        chars.pop();
    }
    let s: String = chars.into_iter().collect();
    // 瀍河回族区 → 瀍河 (its police branch is 洛阳市公安局瀍河分局).
    match s.strip_suffix("回族") {
        Some(t) if t.chars().count() >= 2 => t.to_string(),
        _ => s,
    }
}

fn city_name(geo: &Geo, r: usize) -> String {
    geo.city_of(r).map_or_else(String::new, |c| geo.regions[c.region].name.clone())
}

/// The agency of `dept` at region `r`.
pub(super) fn agency_name(geo: &Geo, r: usize, dept: Dept) -> String {
    let reg = &geo.regions[r];
    let name = &reg.name;
    let i = info(dept);
    match reg.kind {
        Kind::Province => format!("{name}{}", i.city),
        Kind::City => match dept {
            Dept::Tax => format!("国家税务总局{name}税务局"),
            _ => format!("{name}{}", i.city),
        },
        Kind::District | Kind::County => {
            let city = city_name(geo, r);
            let district = reg.kind == Kind::District;
            match dept {
                Dept::Police if district => format!("{city}公安局{}分局", short(name)),
                Dept::Land if district => format!("{city}自然资源和规划局{}分局", short(name)),
                Dept::Eco => format!("{city}生态环境局{}分局", short(name)),
                Dept::Tax if district => format!("国家税务总局{city}{name}税务局"),
                Dept::Tax => format!("国家税务总局{name}税务局"),
                _ => format!("{name}{}", i.county),
            }
        }
        Kind::Zone => match dept {
            Dept::Gov => format!("{name}管理委员会"),
            _ => format!("{name}{}", i.county),
        },
        Kind::Town => format!("{}{name}人民政府", parent_name(geo, r)),
        Kind::Street => {
            if name.ends_with("办事处") {
                format!("{}{name}", parent_name(geo, r))
            } else {
                format!("{}{name}办事处", parent_name(geo, r))
            }
        }
    }
}

fn parent_name(geo: &Geo, r: usize) -> String {
    geo.regions[r].parent.map_or_else(String::new, |p| geo.regions[p].name.clone())
}

/// The people's government that heads region `r` (the reconsideration organ for its departments).
pub(super) fn government(geo: &Geo, r: usize) -> String {
    agency_name(geo, r, Dept::Gov)
}

/// One- or two-character short form of a region for document numbers (灵, 三湖, 三经).
pub(super) fn region_abbr(geo: &Geo, r: usize) -> String {
    let reg = &geo.regions[r];
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    match reg.kind {
        Kind::Province => "豫".to_string(),
        Kind::City | Kind::County => first(&reg.name),
        Kind::District | Kind::Zone => {
            let city = city_name(geo, r);
            let stem = short(&city);
            let rest = reg.name.strip_prefix(stem.as_str()).unwrap_or(&reg.name);
            format!("{}{}", first(&city), first(rest))
        }
        Kind::Town | Kind::Street => {
            let county = geo.county_of(r);
            let name = reg.name.trim_end_matches("办事处");
            format!("{}{}", region_abbr(geo, county), name)
        }
    }
}

/// A place word for company names (灵宝, 三门峡).
pub(super) fn place_word(geo: &Geo, r: usize) -> String {
    let reg = &geo.regions[geo.county_of(r)];
    match reg.kind {
        Kind::District | Kind::Zone => short(&city_name(geo, r)),
        _ => short(&reg.name),
    }
}

#[derive(Debug, Clone)]
pub(super) struct Court {
    pub code: String,
    pub name: String,
}

/// The basic court (基层人民法院) of county-level region `r`, or of a city without counties.
pub(super) fn basic_court(geo: &Geo, r: usize) -> Court {
    let reg = &geo.regions[r];
    let digits = reg.code.get(2..6).unwrap_or("0000");
    let name = match reg.kind {
        Kind::District => format!("{}{}人民法院", city_name(geo, r), reg.name),
        _ => format!("{}人民法院", reg.name),
    };
    Court { code: format!("豫{digits}"), name }
}

/// The intermediate court (中级人民法院) of city index `c`.
pub(super) fn intermediate_court(geo: &Geo, c: usize) -> Court {
    let reg = &geo.regions[geo.cities[c].region];
    let digits = reg.code.get(2..4).unwrap_or("00");
    Court { code: format!("豫{digits}"), name: format!("{}中级人民法院", reg.name) }
}

pub(super) fn high_court(geo: &Geo) -> Court {
    Court { code: "豫".to_string(), name: format!("{}高级人民法院", geo.province_name) }
}

/// Where a first-instance case against an agency of region `r` is heard: its own basic court
/// most of the time, another basic court of the city otherwise (集中管辖, 异地管辖).
pub(super) fn first_instance_basic(geo: &Geo, r: usize, rng: &mut ChaCha8Rng) -> Court {
    let county = geo.county_of(r);
    let Some(city) = geo.regions[county].city else { return basic_court(geo, county) };
    let courts = &geo.cities[city].courts;
    if courts.is_empty() {
        return basic_court(geo, geo.cities[city].region);
    }
    let own = courts.contains(&county);
    if own && rng.random_bool(0.65) { basic_court(geo, county) } else { basic_court(geo, courts[rng.random_range(0..courts.len())]) }
}

/// Domain of a litigation or reconsideration case against `dept` at a region of `kind`.
pub(super) fn case_domain(rng: &mut ChaCha8Rng, dept: Dept, kind: Kind) -> &'static str {
    if matches!(kind, Kind::Town | Kind::Street) {
        return pick(rng, &[("征收拆迁", 40), ("城乡建设", 35), ("自然资源", 20), ("信息公开", 5)]);
    }
    if dept == Dept::Gov {
        return pick(rng, &[("征收拆迁", 45), ("信息公开", 20), ("自然资源", 15), ("城乡建设", 12), ("人社", 3), ("农业农村", 5)]);
    }
    if rng.random_bool(0.08) {
        return "信息公开";
    }
    info(dept).domain
}

/// The challenged act (被诉行为) typical of a domain.
pub(super) fn action_for(rng: &mut ChaCha8Rng, domain: &str) -> &'static str {
    let table: &[(&'static str, u32)] = match domain {
        "征收拆迁" => &[("行政征收", 30), ("行政强制", 35), ("行政协议", 15), ("行政补偿", 10), ("不履行法定职责", 10)],
        "信息公开" => &[("信息公开", 1)],
        "自然资源" => &[("行政处罚", 30), ("行政登记", 25), ("行政许可", 10), ("不履行法定职责", 20), ("行政强制", 15)],
        "城乡建设" => &[("行政强制", 40), ("行政处罚", 25), ("行政许可", 15), ("不履行法定职责", 20)],
        "公安" => &[("行政处罚", 60), ("行政强制", 15), ("不履行法定职责", 20), ("行政登记", 5)],
        "人社" => &[("行政确认", 55), ("不履行法定职责", 25), ("行政给付", 20)],
        "市场监管" => &[("行政处罚", 45), ("不履行法定职责", 35), ("行政登记", 20)],
        "生态环境" => &[("行政处罚", 70), ("行政强制", 15), ("不履行法定职责", 15)],
        "交通运输" => &[("行政处罚", 60), ("行政强制", 30), ("不履行法定职责", 10)],
        "城市管理" => &[("行政强制", 50), ("行政处罚", 40), ("不履行法定职责", 10)],
        "税务" => &[("行政征收", 50), ("行政处罚", 40), ("不履行法定职责", 10)],
        "医疗保障" => &[("行政给付", 50), ("行政处罚", 30), ("不履行法定职责", 20)],
        "农业农村" => &[("行政确认", 40), ("行政处罚", 30), ("不履行法定职责", 30)],
        _ => &[("行政处罚", 50), ("不履行法定职责", 50)],
    };
    pick(rng, table)
}
