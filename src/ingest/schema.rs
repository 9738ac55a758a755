//! The three ledgers' columns as contract §1 lists them: canonical name, accepted Chinese headers,
//! cell type and whether the cell is required. Ingest, the warehouse schema and header detection
//! all read this one table so that a new alias is added in one place.

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
    /// Peers: a region code, or a name that identifies one region of the dimension (郑州市, 郑州).
    PeerRegion,
    /// Peers: a period or span as offices write it (2024年上半年, 2024H1, 2024-01-01..2024-06-30),
    /// stored as its span `YYYY-MM-DD..YYYY-MM-DD`.
    Period,
    /// Peers: an integer ≥ 0.
    Count,
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
    /// Reported per-region figures (全省各市情况), one row per region and period.
    Peers,
}

impl Table {
    pub const ALL: [Table; 4] = [Table::Litigation, Table::Reconsideration, Table::Penalty, Table::Peers];

    pub fn name(self) -> &'static str {
        match self {
            Table::Litigation => "litigation",
            Table::Reconsideration => "reconsideration",
            Table::Penalty => "penalty",
            Table::Peers => "peers",
        }
    }

    pub fn parse(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Litigation => LITIGATION,
            Table::Reconsideration => RECONSIDERATION,
            Table::Penalty => PENALTY,
            Table::Peers => PEERS,
        }
    }

    /// The key column: a later row with the same key replaces the older one. Peers are keyed by
    /// region and period together: `key_columns`.
    pub fn key(self) -> &'static str {
        match self {
            Table::Penalty => "decision_no",
            Table::Peers => "region_code",
            _ => "case_no",
        }
    }

    /// The columns whose values together make the key.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            Table::Peers => &["region_code", "period"],
            Table::Litigation | Table::Reconsideration => &["case_no"],
            Table::Penalty => &["decision_no"],
        }
    }

    /// The date that opens a case; a closed date may not precede it.
    pub fn start_date(self) -> &'static str {
        match self {
            Table::Litigation => "filed_date",
            Table::Reconsideration => "received_date",
            Table::Penalty => "decided_date",
            // No case dates: the closing checks do not apply.
            Table::Peers => "period",
        }
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }
}

const fn col(name: &'static str, headers: &'static [&'static str], kind: Kind, need: Need) -> Column {
    Column { name, headers, kind, need }
}

use Kind::*;
use Need::*;

pub static LITIGATION: &[Column] = &[
    col("case_no", &["案号"], CaseNo, Required),
    col("court", &["审理法院", "法院"], Text, Optional),
    col("defendant", &["被告", "被告行政机关", "被诉行政机关"], Text, Required),
    col("region_code", &["行政区划代码", "区划代码", "被告所属区划"], Region, Required),
    col("domain", &["管理领域", "行政管理领域", "案件领域"], Text, Optional),
    col("action_type", &["被诉行为", "行为类别"], Text, Optional),
    col("filed_date", &["立案日期", "收案日期"], Date, Required),
    col("closed_date", &["结案日期", "审结日期"], Date, Optional),
    col("outcome", &["裁判结果", "结案方式"], Outcome, IfClosed),
    col("hearing_date", &["开庭日期"], Date, Optional),
    col("head_appeared", &["负责人出庭", "负责人是否出庭"], Bool, Optional),
    col("head_spoke", &["负责人出声", "出庭出声"], Bool, Optional),
    col("appearance_required", &["应当出庭", "通知出庭"], Bool, Optional),
    col("reconsidered", &["经复议", "是否经复议"], Bool, Optional),
    col("loss_reason", &["败诉原因"], Text, Optional),
    col("plaintiff", &["原告"], Name, Optional),
];

pub static RECONSIDERATION: &[Column] = &[
    col("case_no", &["复议案号", "案号"], Key, Required),
    col("organ", &["复议机关"], Text, Optional),
    col("respondent", &["被申请人"], Text, Required),
    col("region_code", &["行政区划代码", "区划代码"], Region, Required),
    col("domain", &["管理领域"], Text, Optional),
    col("received_date", &["收案日期", "申请日期"], Date, Required),
    col("closed_date", &["结案日期", "审结日期"], Date, Optional),
    col("decision", &["复议决定", "结案方式"], Decision, IfClosed),
    col("sued_after", &["复议后起诉"], Bool, Optional),
    col("applicant", &["申请人"], Name, Optional),
];

pub static PENALTY: &[Column] = &[
    col("decision_no", &["处罚决定书文号", "决定书文号", "文号"], Key, Required),
    col("agency", &["执法机关", "处罚机关", "实施机关"], Text, Required),
    col("region_code", &["行政区划代码", "区划代码"], Region, Required),
    col("domain", &["执法领域", "管理领域"], Text, Optional),
    col("decided_date", &["处罚决定日期", "决定日期"], Date, Required),
    col("penalty_kind", &["处罚种类"], Text, Optional),
    col("fine_yuan", &["罚款金额"], Amount, Optional),
    col("confiscated_yuan", &["没收金额", "没收违法所得"], Amount, Optional),
    col("leniency", &["裁量情形"], Leniency, Optional),
    col("delegated", &["赋权事项", "是否赋权"], Bool, Optional),
    col("party", &["当事人"], Name, Optional),
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
