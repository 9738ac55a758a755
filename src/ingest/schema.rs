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
    /// The court's own list of administrative cases (法院收结案清单): the litigation columns,
    /// ingested only with `--table court` because its headers are the litigation ones.
    Court,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Litigation, Table::Reconsideration, Table::Penalty];

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
        }
    }

    /// The key column: a later row with the same key replaces the older one.
    pub fn key(self) -> &'static str {
        match self {
            Table::Penalty => "decision_no",
            _ => "case_no",
        }
    }

    /// The date that opens a case; a closed date may not precede it.
    pub fn start_date(self) -> &'static str {
        match self {
            Table::Litigation | Table::Court => "filed_date",
            Table::Reconsideration => "received_date",
            Table::Penalty => "decided_date",
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
