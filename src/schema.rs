//! The warehouse's tables and the ledgers' columns: canonical name, accepted Chinese headers, cell
//! type and whether the cell is required, and the Arrow schema each table is stored with. Ingest,
//! the warehouse, the engine and the ledger templates all read this one definition, so that a new
//! alias, column or ledger is added in one place. It sits at the bottom of the crate and imports
//! nothing of it.
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;

/// The warehouse's tables, each registered under its own name by the engine.
pub const TABLES: [&str; 7] = ["litigation", "reconsideration", "penalty", "regions", "supervision", "peers", "court"];

/// Tables a warehouse may lack (written before the table existed, or never given a file): they
/// are registered empty so that every query, view and command works on older warehouses.
pub const OPTIONAL_TABLES: [&str; 3] = ["supervision", "peers", "court"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A person's or party's name: stored masked (张三 → 张某) when it is a natural person.
    Name,
    /// Litigation case number, parsed and stored in canonical form (§4).
    CaseNo,
    /// Other keys: trimmed, brackets kept.
    Key,
    Region,
    Date,
    Bool,
    Amount,
    Outcome,
    Decision,
    Leniency,
    /// A person's name read as yes/no (出庭负责人: a name → yes, 无 → no); the name is never
    /// stored. Only in a [`Derived`] column.
    Presence,
    // ---- supervision ledger (监督台账) ----
    /// 监督方式: 监督意见书, 约谈, 通报批评, 责任追究, 督办.
    Action,
    /// 问题来源: 败诉案件, 复议纠错, 案卷评查, 投诉举报, 现场检查, 专项监督, 其他.
    Source,
    /// A list of case numbers; each litigation number stored canonical, joined with 、.
    CaseList,
    /// A whole number ≥ 0 (追责人数).
    Count,
    // ---- peers table (全省各市情况) ----
    /// Peers: a region code, or a name that identifies one region of the dimension (郑州市, 郑州).
    PeerRegion,
    /// Peers: a period or span as offices write it (2024年上半年, 2024H1, 2024-01-01..2024-06-30),
    /// stored as its span `YYYY-MM-DD..YYYY-MM-DD`.
    Period,
    /// Peers: a rate, `12.5%` or `0.125`, stored as a decimal.
    Rate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// Required when the row has a closed date (outcome, decision).
    IfClosed,
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub headers: &'static [&'static str],
    pub kind: Kind,
    pub need: Need,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Table {
    Litigation,
    Reconsideration,
    Penalty,
    /// 行政执法监督事项: letters, interviews, accountability (one row per document and unit).
    Supervision,
    /// Reported per-region figures (全省各市情况), one row per region and period.
    Peers,
    /// The court's own list of administrative cases (法院收结案清单): the litigation columns,
    /// ingested only with `--table court` because its headers are the litigation ones.
    Court,
}

impl Table {
    pub const ALL: [Table; 5] = [Table::Litigation, Table::Reconsideration, Table::Penalty, Table::Supervision, Table::Peers];

    /// Tables only ever named with `--table`, never detected from headers.
    pub const NAMED_ONLY: [Table; 1] = [Table::Court];

    /// Every table the warehouse stores (detected ones, then named-only ones).
    pub fn stored() -> impl Iterator<Item = Table> {
        Table::ALL.into_iter().chain(Table::NAMED_ONLY)
    }

    /// Tables whose rows are litigation cases (case-number fields derived at ingest).
    pub fn is_case_list(self) -> bool {
        matches!(self, Table::Litigation | Table::Court)
    }

    pub fn name(self) -> &'static str {
        match self {
            Table::Court => "court",
            Table::Litigation => "litigation",
            Table::Reconsideration => "reconsideration",
            Table::Penalty => "penalty",
            Table::Supervision => "supervision",
            Table::Peers => "peers",
        }
    }

    pub fn parse(s: &str) -> Option<Table> {
        Table::stored().find(|t| t.name() == s)
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Litigation | Table::Court => LITIGATION,
            Table::Reconsideration => RECONSIDERATION,
            Table::Penalty => PENALTY,
            Table::Supervision => SUPERVISION,
            Table::Peers => PEERS,
        }
    }

    /// The first key column (the whole key is `key_columns`).
    pub fn key(self) -> &'static str {
        self.key_columns()[0]
    }

    /// The key columns: a later row with the same key replaces the older one. One column for
    /// the case ledgers; the supervision ledger's key is (doc_no, agency), since one letter
    /// addresses several units.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            Table::Penalty => &["decision_no"],
            Table::Supervision => &["doc_no", "agency"],
            Table::Peers => &["region_code", "period"],
            _ => &["case_no"],
        }
    }

    /// The two columns that name a unit of the agency metrics (region code, agency), for a
    /// table whose parts record the pairs they hold (`warehouse::units`): only the penalty
    /// ledger, the one large enough that listing its agencies by reading every row would cost a
    /// query more than its figures do. Litigation and reconsideration are read whole anyway.
    pub fn unit_columns(self) -> Option<[&'static str; 2]> {
        match self {
            Table::Penalty => Some(["region_code", "agency"]),
            _ => None,
        }
    }

    /// Headers of columns that name persons (被追责人, 责任人, 姓名): dropped at ingest, never
    /// stored, never copied into a rejects file, and named in the manifest as personal data.
    pub fn is_personal_header(self, base: &str) -> bool {
        match self {
            Table::Supervision => {
                ["被追责人", "责任人", "姓名", "被问责人", "追责人员", "责任人员", "当事人员"].iter().any(|w| base.contains(w))
            }
            _ => false,
        }
    }

    /// The date that opens a case; a closed date may not precede it.
    pub fn start_date(self) -> &'static str {
        match self {
            Table::Litigation | Table::Court => "filed_date",
            Table::Reconsideration => "received_date",
            Table::Penalty => "decided_date",
            Table::Supervision => "issued_date",
            // No case dates: the closing checks do not apply.
            Table::Peers => "period",
        }
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// Columns that feed a canonical column by another reading, when the ledger lacks that
    /// column's own header.
    pub fn derived(self) -> &'static [Derived] {
        match self {
            Table::Litigation | Table::Court => LITIGATION_DERIVED,
            _ => &[],
        }
    }
}

/// A ledger column that is not stored but sets a canonical column (`column`) read as `kind`.
#[derive(Debug)]
pub struct Derived {
    pub headers: &'static [&'static str],
    pub column: &'static str,
    pub kind: Kind,
}

pub static LITIGATION_DERIVED: &[Derived] = &[Derived {
    headers: &["出庭负责人", "出庭负责人及职务", "出庭负责人姓名", "出庭负责人姓名及职务", "出庭应诉负责人", "出庭的负责人", "出庭领导"],
    column: "head_appeared",
    kind: Presence,
}];

/// Words in a header that mark a column fuyuan reads in some ledger: an ignored column holding
/// one is named as a likely miss (a header spelled in a way fuyuan does not know).
pub const LIKELY_MISS_WORDS: &[&str] = &[
    "案号",
    "被告",
    "被诉",
    "被申请人",
    "立案",
    "收案",
    "结案",
    "审结",
    "开庭",
    "判决",
    "裁判",
    "结果",
    "出庭",
    "出声",
    "应诉",
    "复议",
    "罚款",
    "没收",
    "处罚",
    "裁量",
    "赋权",
    "区划",
    "执法机关",
    "文号",
];

const fn col(name: &'static str, headers: &'static [&'static str], kind: Kind, need: Need) -> Column {
    Column { name, headers, kind, need }
}

use Kind::*;
use Need::*;

pub static LITIGATION: &[Column] = &[
    col("case_no", &["案号"], CaseNo, Required),
    col("court", &["审理法院", "法院"], Text, Optional),
    col("defendant", &["被告", "被告行政机关", "被诉行政机关", "被诉机关", "被告单位", "被诉单位", "被告名称"], Text, Required),
    col(
        "region_code",
        &[
            "行政区划代码",
            "区划代码",
            "被告所属区划",
            "所属县区代码",
            "所属区划代码",
            "行政区划编码",
            "区划编码",
            "统计用区划代码",
            "被告所属区划代码",
            "被告所属行政区划代码",
            "所属地区",
            "所属区县",
            "县区",
            "区划名称",
            "行政区划名称",
            "所属县区",
            "所属县市区",
            "所属区划",
        ],
        Region,
        Required,
    ),
    col("domain", &["管理领域", "行政管理领域", "案件领域"], Text, Optional),
    col("action_type", &["被诉行为", "行为类别"], Text, Optional),
    col("filed_date", &["立案日期", "收案日期", "受理日期"], Date, Required),
    col("closed_date", &["结案日期", "审结日期", "办结日期"], Date, Optional),
    col(
        "outcome",
        &[
            "裁判结果",
            "结案方式",
            "判决结果",
            "审理结果",
            "一审结果",
            "审判结果",
            "一审裁判结果",
            "一审判决结果",
            "裁判情况",
            "判决情况",
            "结案情况",
        ],
        Outcome,
        IfClosed,
    ),
    col("hearing_date", &["开庭日期", "庭审日期"], Date, Optional),
    col(
        "head_appeared",
        &[
            "负责人出庭",
            "负责人是否出庭",
            "负责人是否出庭应诉",
            "行政机关负责人是否出庭应诉",
            "行政机关负责人出庭应诉",
            "负责人出庭应诉",
            "是否负责人出庭应诉",
            "是否负责人出庭",
            "是否出庭应诉",
            "负责人出庭情况",
            "出庭应诉情况",
            "行政机关负责人出庭情况",
            "负责人出庭应诉情况",
        ],
        Bool,
        Optional,
    ),
    col(
        "head_spoke",
        &[
            "负责人出声",
            "出庭出声",
            "负责人是否出声",
            "是否出声",
            "出庭是否出声",
            "负责人出庭出声",
            "负责人是否发言",
            "出庭负责人是否出声",
            "是否发言",
        ],
        Bool,
        Optional,
    ),
    col(
        "appearance_required",
        &["应当出庭", "通知出庭", "是否应当出庭", "应出庭", "法院通知出庭", "是否通知出庭", "法院是否通知出庭"],
        Bool,
        Optional,
    ),
    col("reconsidered", &["经复议", "是否经复议", "是否复议", "是否经过复议", "复议前置"], Bool, Optional),
    col("loss_reason", &["败诉原因"], Text, Optional),
    col("plaintiff", &["原告"], Name, Optional),
];

pub static RECONSIDERATION: &[Column] = &[
    col("case_no", &["复议案号", "案号", "复议案件编号"], Key, Required),
    col("organ", &["复议机关"], Text, Optional),
    col("respondent", &["被申请人"], Text, Required),
    col(
        "region_code",
        &[
            "行政区划代码",
            "区划代码",
            "所属县区代码",
            "所属区划代码",
            "行政区划编码",
            "区划编码",
            "所属地区",
            "区划名称",
            "行政区划名称",
            "所属县区",
            "所属区划",
        ],
        Region,
        Required,
    ),
    col("domain", &["管理领域"], Text, Optional),
    col("received_date", &["收案日期", "申请日期", "受理日期"], Date, Required),
    col("closed_date", &["结案日期", "审结日期", "办结日期"], Date, Optional),
    col(
        "decision",
        &["复议决定", "结案方式", "复议结果", "复议决定结果", "复议决定类型", "决定结果", "审理结果", "结案情况"],
        Decision,
        IfClosed,
    ),
    col("sued_after", &["复议后起诉", "是否复议后起诉", "复议后是否起诉", "复议后提起诉讼"], Bool, Optional),
    col("applicant", &["申请人"], Name, Optional),
];

pub static PENALTY: &[Column] = &[
    col("decision_no", &["处罚决定书文号", "决定书文号", "文号"], Key, Required),
    col("agency", &["执法机关", "处罚机关", "实施机关"], Text, Required),
    col(
        "region_code",
        &[
            "行政区划代码",
            "区划代码",
            "所属县区代码",
            "所属区划代码",
            "行政区划编码",
            "区划编码",
            "所属地区",
            "区划名称",
            "行政区划名称",
            "所属县区",
            "所属区划",
        ],
        Region,
        Required,
    ),
    col("domain", &["执法领域", "管理领域"], Text, Optional),
    col("decided_date", &["处罚决定日期", "决定日期"], Date, Required),
    col("penalty_kind", &["处罚种类"], Text, Optional),
    col("fine_yuan", &["罚款金额"], Amount, Optional),
    col("confiscated_yuan", &["没收金额", "没收违法所得"], Amount, Optional),
    col("leniency", &["裁量情形", "裁量基准适用情形", "裁量档次"], Leniency, Optional),
    col("delegated", &["赋权事项", "是否赋权", "是否赋权事项"], Bool, Optional),
    col("party", &["当事人"], Name, Optional),
];

pub static SUPERVISION: &[Column] = &[
    col("doc_no", &["文书编号", "文号", "监督文书编号"], Key, Required),
    col("action", &["监督方式", "监督类型", "事项类型"], Action, Required),
    col("agency", &["监督对象", "被监督单位", "行政执法单位"], Text, Required),
    col("region_code", &["行政区划代码", "区划代码"], Region, Required),
    col("issued_date", &["下发日期", "印发日期", "约谈日期", "日期"], Date, Required),
    col("source", &["问题来源", "线索来源"], Source, Optional),
    col("related_cases", &["关联案号"], CaseList, Optional),
    col("deadline", &["整改期限"], Date, Optional),
    col("rectified_date", &["整改完成日期", "整改日期"], Date, Optional),
    col("persons_accountable", &["追责人数", "责任追究人数"], Count, Optional),
    col("referred", &["移送纪检监察", "是否移送"], Bool, Optional),
    col("note", &["整改情况", "备注"], Text, Optional),
];

pub static PEERS: &[Column] = &[
    col("region_code", &["行政区划代码", "区划代码", "地区", "地市", "省辖市", "单位"], PeerRegion, Required),
    col("period", &["统计期间", "期间"], Period, Required),
    col("filed", &["收案", "一审收案", "发案量", "新收"], Count, Optional),
    col("concluded", &["审结", "结案"], Count, Optional),
    col("lost", &["败诉", "败诉案件"], Count, Optional),
    col("loss_rate", &["败诉率"], Rate, Optional),
    col("hearings", &["开庭"], Count, Optional),
    col("appeared", &["出庭"], Count, Optional),
    col("appearance_rate", &["出庭应诉率", "出庭率"], Rate, Optional),
    col("source", &["来源", "数据来源"], Text, Optional),
];

// ---- the stored form ----

/// Money: yuan with two decimals, exact.
pub const MONEY: DataType = DataType::Decimal128(18, 2);

/// Arrow's day 0. A constant: dates are converted on every row of an ingest.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!("1970-01-01 is a date"),
};
/// Days from 0001-01-01 (day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn epoch() -> NaiveDate {
    EPOCH
}

pub fn date_to_days(d: NaiveDate) -> i32 {
    // The day count chrono keeps, rather than a `Duration` between two dates.
    chrono::Datelike::num_days_from_ce(&d) - EPOCH_DAYS_FROM_CE
}

pub fn days_to_date(days: i32) -> NaiveDate {
    epoch() + chrono::Duration::days(days as i64)
}

/// The Arrow type a column of this kind is stored as.
pub fn kind_type(kind: Kind) -> DataType {
    match kind {
        Kind::Date => DataType::Date32,
        Kind::Bool => DataType::Boolean,
        Kind::Amount => MONEY,
        Kind::Count => DataType::Int64,
        Kind::Rate => DataType::Float64,
        _ => DataType::Utf8,
    }
}

/// A table's stored schema: its columns in order, the parsed case-number columns of a case
/// list, and the provenance columns (`_source_file`, `_source_line`, `_ingest_id`).
pub fn arrow_schema(table: Table) -> SchemaRef {
    let mut fields: Vec<Field> = table.columns().iter().map(|c| Field::new(c.name, kind_type(c.kind), c.need != Need::Required)).collect();
    if table.is_case_list() {
        fields.push(Field::new("case_year", DataType::Int32, false));
        fields.push(Field::new("court_code", DataType::Utf8, false));
        fields.push(Field::new("case_type", DataType::Utf8, false));
        fields.push(Field::new("first_instance", DataType::Boolean, false));
    }
    fields.push(Field::new("_source_file", DataType::Utf8, false));
    fields.push(Field::new("_source_line", DataType::Int64, false));
    fields.push(Field::new("_ingest_id", DataType::Int64, false));
    Arc::new(Schema::new(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day count is Arrow's (days since 1970-01-01) for every date ledgers can hold, and
    /// `days_to_date` reads it back.
    #[test]
    fn date_to_days_counts_from_1970() {
        let mut d = NaiveDate::from_ymd_opt(1000, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2200, 12, 31).unwrap();
        while d <= end {
            let days = date_to_days(d);
            assert_eq!(i64::from(days), (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days(), "{d}");
            assert_eq!(days_to_date(days), d);
            d = d.succ_opt().unwrap();
        }
    }
}
