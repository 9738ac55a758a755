//! Outcome vocabularies (contract §3): canonical values and the variants users write.
//! The LOSS / JUDGMENT / CORRECTED / DECIDED groupings live in `queries/views.sql`, where an
//! analyst reads them; here we only map spellings to the canonical value.
use super::cells::fold_width;

pub const OUTCOMES: &[&str] = &[
    "驳回诉讼请求",
    "撤销",
    "部分撤销",
    "变更",
    "确认违法",
    "确认无效",
    "责令履行",
    "给付",
    "赔偿",
    "驳回起诉",
    "不予立案",
    "准予撤诉",
    "调解",
    "移送",
    "终结",
    "其他",
];

pub const DECISIONS: &[&str] = &["维持", "驳回", "撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "调解", "和解", "终止"];

pub const LENIENCY: &[&str] = &["不予处罚", "减轻处罚", "从轻处罚", "一般", "从重处罚"];

/// Drops what the contract says to drop: spaces, a leading 判决/裁定/决定, the words 原告/申请人,
/// and the particle 的 and trailing punctuation that typing leaves behind.
fn strip_words(raw: &str) -> String {
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    let mut s = s.trim_end_matches(['。', '.', '；', ';']).to_string();
    for prefix in ["判决", "裁定", "决定"] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r.to_string();
            break;
        }
    }
    s.replace("原告", "").replace("申请人", "").replace("的", "")
}

pub fn outcome(raw: &str) -> Option<&'static str> {
    // Most cells hold the canonical value itself, which every rule below leaves unchanged.
    if let Some(v) = OUTCOMES.iter().find(|v| **v == raw.trim()) {
        return Some(v);
    }
    let s = strip_words(raw);
    if let Some(v) = OUTCOMES.iter().find(|v| **v == s) {
        return Some(v);
    }
    let v = match s.as_str() {
        "撤诉" | "按撤诉处理" | "准许撤诉" | "准予撤回起诉" | "撤回起诉" => "准予撤诉",
        "驳回请求" | "驳回诉请" | "驳回全部诉讼请求" => "驳回诉讼请求",
        "撤销行政行为" | "撤销被诉行政行为" | "撤销并责令重作" | "撤销并责令重新作出行政行为" => "撤销",
        "部分撤销行政行为" => "部分撤销",
        "变更行政行为" => "变更",
        "确认行政行为违法" | "确认被诉行政行为违法" => "确认违法",
        "确认行政行为无效" => "确认无效",
        "履行" | "履行法定职责" | "责令履行法定职责" => "责令履行",
        "行政赔偿" | "判赔" => "赔偿",
        "调解结案" | "调解书" => "调解",
        "移送管辖" => "移送",
        "终结诉讼" => "终结",
        _ => return None,
    };
    Some(v)
}

pub fn decision(raw: &str) -> Option<&'static str> {
    // Most cells hold the canonical value itself, which every rule below leaves unchanged.
    if let Some(v) = DECISIONS.iter().find(|v| **v == raw.trim()) {
        return Some(v);
    }
    let s = strip_words(raw);
    if let Some(v) = DECISIONS.iter().find(|v| **v == s) {
        return Some(v);
    }
    let v = match s.as_str() {
        "驳回行政复议请求" | "驳回复议请求" | "驳回复议申请" | "驳回行政复议申请" => "驳回",
        "维持原行政行为" | "维持行政行为" | "维持原具体行政行为" => "维持",
        "撤销行政行为" | "撤销原行政行为" | "撤销原具体行政行为" | "撤销并责令重作" => "撤销",
        "变更行政行为" => "变更",
        "确认行政行为违法" | "确认原行政行为违法" => "确认违法",
        "确认行政行为无效" => "确认无效",
        "履行" | "履行法定职责" | "责令履行法定职责" => "责令履行",
        "调解结案" => "调解",
        "达成和解" | "和解结案" => "和解",
        "终止审理" | "终止行政复议" | "终止复议" | "撤回申请" | "撤回复议申请" => "终止",
        _ => return None,
    };
    Some(v)
}

pub fn leniency(raw: &str) -> Option<&'static str> {
    if let Some(v) = LENIENCY.iter().find(|v| **v == raw.trim()) {
        return Some(v);
    }
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(v) = LENIENCY.iter().find(|v| **v == s) {
        return Some(v);
    }
    let v = match s.as_str() {
        "不予行政处罚" | "不罚" | "免予处罚" => "不予处罚",
        "减轻" | "减轻行政处罚" => "减轻处罚",
        "从轻" | "从轻行政处罚" => "从轻处罚",
        "从重" | "从重行政处罚" => "从重处罚",
        "一般处罚" | "一般情形" | "一般情节" => "一般",
        _ => return None,
    };
    Some(v)
}

// ---- The supervision ledger's vocabularies (监督方式, 问题来源) ----

pub const ACTIONS: &[&str] = &["监督意见书", "约谈", "通报批评", "责任追究", "督办"];

pub const SOURCES: &[&str] = &["败诉案件", "复议纠错", "案卷评查", "投诉举报", "现场检查", "专项监督", "其他"];

/// Words that name each action in a clerk's phrasing (行政执法监督意见书, 执法监督约谈, 问责,
/// 挂牌督办 …), in the order of `ACTIONS`.
const ACTION_WORDS: &[(&str, &[&str])] = &[
    ("监督意见书", &["意见书", "监督意见"]),
    ("约谈", &["约谈"]),
    ("通报批评", &["通报批评", "通报"]),
    ("责任追究", &["责任追究", "追究责任", "追责", "问责", "追究"]),
    ("督办", &["督办"]),
];

/// Finds which vocabulary values a text names, by the first position where each one's words
/// occur; a text naming one value maps to it, a text naming several maps to the one named first
/// (the document's own kind comes first: "约谈后下发整改通知" is an interview).
fn first_named(s: &str, words: &[(&'static str, &[&str])]) -> Option<&'static str> {
    words
        .iter()
        .filter_map(|(v, ws)| ws.iter().filter_map(|w| s.find(w)).min().map(|pos| (pos, *v)))
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, v)| v)
}

/// 监督方式: the canonical value itself, a listed variant, or a sentence that names it.
pub fn action(raw: &str) -> Option<&'static str> {
    if let Some(v) = ACTIONS.iter().find(|v| **v == raw.trim()) {
        return Some(v);
    }
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    first_named(&s, ACTION_WORDS)
}

const SOURCE_WORDS: &[(&str, &[&str])] = &[
    ("败诉案件", &["败诉"]),
    ("复议纠错", &["纠错", "复议"]),
    ("案卷评查", &["案卷评查", "评查", "案卷"]),
    ("投诉举报", &["投诉", "举报", "信访"]),
    ("现场检查", &["现场检查", "检查"]),
    ("专项监督", &["专项"]),
    ("其他", &["其他", "其它"]),
];

/// 问题来源: the canonical value, or a phrasing that names one source (行政诉讼败诉 → 败诉案件,
/// 复议被纠错 → 复议纠错, 群众举报 → 投诉举报).
pub fn source(raw: &str) -> Option<&'static str> {
    if let Some(v) = SOURCES.iter().find(|v| **v == raw.trim()) {
        return Some(v);
    }
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    first_named(&s, SOURCE_WORDS)
}

#[cfg(test)]
mod supervision_tests {
    use super::*;

    #[test]
    fn action_variants_and_sentences() {
        for v in ACTIONS {
            assert_eq!(action(v), Some(*v));
        }
        assert_eq!(action("行政执法监督意见书"), Some("监督意见书"));
        assert_eq!(action("意见书"), Some("监督意见书"));
        assert_eq!(action("约谈会"), Some("约谈"));
        assert_eq!(action("执法监督约谈"), Some("约谈"));
        assert_eq!(action("追责"), Some("责任追究"));
        assert_eq!(action("问责"), Some("责任追究"));
        assert_eq!(action("督办函"), Some("督办"));
        assert_eq!(action("挂牌督办"), Some("督办"));
        assert_eq!(action("下发《行政执法监督意见书》"), Some("监督意见书"));
        assert_eq!(action("约谈单位主要负责人"), Some("约谈"));
        assert_eq!(action("全市通报批评"), Some("通报批评"));
        assert_eq!(action("对执法人员问责"), Some("责任追究"));
        assert_eq!(action("约谈后下发意见书"), Some("约谈"));
        assert_eq!(action("提醒"), None);
        assert_eq!(action("其他"), None);
    }

    #[test]
    fn source_variants() {
        for v in SOURCES {
            assert_eq!(source(v), Some(*v));
        }
        assert_eq!(source("行政诉讼败诉"), Some("败诉案件"));
        assert_eq!(source("复议被纠错"), Some("复议纠错"));
        assert_eq!(source("群众举报"), Some("投诉举报"));
        assert_eq!(source("未知"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_variants() {
        assert_eq!(outcome("判决驳回原告诉讼请求"), Some("驳回诉讼请求"));
        assert_eq!(outcome("裁定驳回起诉"), Some("驳回起诉"));
        assert_eq!(outcome("判决确认违法"), Some("确认违法"));
        assert_eq!(outcome("撤诉"), Some("准予撤诉"));
        assert_eq!(outcome("按撤诉处理"), Some("准予撤诉"));
        assert_eq!(outcome("裁定准予撤诉"), Some("准予撤诉"));
        assert_eq!(outcome("驳回原告的诉讼请求"), Some("驳回诉讼请求"));
        assert_eq!(decision("驳回行政复议请求"), Some("驳回"));
        assert_eq!(decision("驳回复议请求"), Some("驳回"));
        assert_eq!(decision("决定维持"), Some("维持"));
        assert_eq!(leniency("从轻"), Some("从轻处罚"));
    }

    #[test]
    fn every_canonical_value_maps_to_itself() {
        for v in OUTCOMES {
            assert_eq!(outcome(v), Some(*v));
        }
        for v in DECISIONS {
            assert_eq!(decision(v), Some(*v));
        }
        for v in LENIENCY {
            assert_eq!(leniency(v), Some(*v));
        }
    }

    #[test]
    fn unknown_values_are_none() {
        assert_eq!(outcome("胜诉"), None);
        assert_eq!(decision("不知道"), None);
        assert_eq!(leniency("很重"), None);
    }
}
