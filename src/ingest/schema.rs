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
    // ---- supervision ledger (监督台账) ----
    /// 监督方式: 监督意见书, 约谈, 通报批评, 责任追究, 督办.
    Action,
    /// 问题来源: 败诉案件, 复议纠错, 案卷评查, 投诉举报, 现场检查, 专项监督, 其他.
    Source,
    /// A list of case numbers; each litigation number stored canonical, joined with 、.
    CaseList,
    /// A whole number ≥ 0 (追责人数).
    Count,
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
}

impl Table {
    pub const ALL: [Table; 4] = [Table::Litigation, Table::Reconsideration, Table::Penalty, Table::Supervision];

    pub fn name(self) -> &'static str {
        match self {
            Table::Litigation => "litigation",
            Table::Reconsideration => "reconsideration",
            Table::Penalty => "penalty",
            Table::Supervision => "supervision",
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
            Table::Supervision => SUPERVISION,
        }
    }

    /// The key columns: a later row with the same key replaces the older one. One column for
    /// the case ledgers; the supervision ledger's key is (doc_no, agency), since one letter
    /// addresses several units.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            Table::Penalty => &["decision_no"],
            Table::Supervision => &["doc_no", "agency"],
            _ => &["case_no"],
        }
    }

    /// The first key column: the whole key of every table but supervision, whose key is
    /// (doc_no, agency) — code that keys rows uses `key_columns`.
    pub fn key(self) -> &'static str {
        self.key_columns()[0]
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
            Table::Litigation => "filed_date",
            Table::Reconsideration => "received_date",
            Table::Penalty => "decided_date",
            Table::Supervision => "issued_date",
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
