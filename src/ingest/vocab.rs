//! Outcome vocabularies (docs/metrics.md): canonical values, and how a clerk's wording is read.
//!
//! Ledgers describe outcomes in sentences (判决撤销被诉行政行为并责令重作, 确认违法但不撤销,
//! 驳回上诉，维持原判). A cell is read in four steps, each easy to extend on its own:
//! 1. the office's own phrasings (`[outcomes]`, `[decisions]`, `[leniency]` in fuyuan.toml),
//!    matched on the whole cell;
//! 2. the canonical value itself, or with a leading 判决/裁定/决定;
//! 3. the sentence rules: every act the sentence names is found ([`acts`]), with its position;
//!    negated acts (不撤销, 不予赔偿) and acts inside another act's words (the 赔偿 of
//!    驳回原告的赔偿请求) do not count;
//! 4. precedence: one act → that outcome; several → the first act on the challenged decision
//!    (撤销…并责令重作 → 撤销), except that a 驳回其他诉讼请求 gives way to any other act; acts
//!    joined by 或/或者/"/" are alternatives and the cell is rejected naming them.
//!
//! The LOSS / JUDGMENT / CORRECTED / DECIDED groupings live in `queries/views.sql`, where an
//! analyst reads them; here we only map wording to the canonical value.
use std::collections::BTreeMap;
use std::fmt;

use super::width::fold_width;

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

/// Outcomes of appellate and retrial cases (行终, 行申, 行再, 行赔终 …), accepted besides
/// [`OUTCOMES`] for every case number that is not first instance.
pub const APPELLATE: &[&str] = &["驳回上诉维持原判", "维持原裁定", "改判", "发回重审", "驳回再审申请", "提审", "指令再审", "准予撤回上诉"];

/// [`APPELLATE`] then [`OUTCOMES`]: what an appellate or retrial case may carry.
const APPEAL_ALL: &[&str] = &[
    "驳回上诉维持原判",
    "维持原裁定",
    "改判",
    "发回重审",
    "驳回再审申请",
    "提审",
    "指令再审",
    "准予撤回上诉",
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

/// Which vocabulary a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    /// Litigation outcome of a first-instance case (行初, 行赔初).
    Outcome,
    /// Litigation outcome of an appellate or retrial case: [`APPELLATE`] and [`OUTCOMES`].
    AppealOutcome,
    Decision,
    Leniency,
}

impl Vocab {
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Vocab::Outcome => OUTCOMES,
            Vocab::AppealOutcome => APPEAL_ALL,
            Vocab::Decision => DECISIONS,
            Vocab::Leniency => LENIENCY,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Vocab::Outcome | Vocab::AppealOutcome => "outcome",
            Vocab::Decision => "decision",
            Vocab::Leniency => "leniency",
        }
    }

    fn a_what(self) -> &'static str {
        match self {
            Vocab::Outcome | Vocab::AppealOutcome => "an outcome",
            Vocab::Decision => "a decision",
            Vocab::Leniency => "a leniency value",
        }
    }
}

/// Why a cell could not be read; the text is the reject reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// No act of the vocabulary is named.
    Unknown { vocab: Vocab, raw: String },
    /// Several acts and no rule to choose (alternatives, or a word such as 败诉 that names a group).
    Ambiguous { vocab: Vocab, raw: String, candidates: Vec<&'static str> },
    /// An appellate outcome (改判, 发回重审 …) on a first-instance case number.
    AppellateOnFirstInstance { raw: String, value: &'static str },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Unknown { vocab, raw } => write!(f, "unknown {} '{raw}'", vocab.what()),
            Unreadable::Ambiguous { vocab, raw, candidates } => {
                write!(f, "ambiguous {} '{raw}': could be {}", vocab.what(), candidates.join(" or "))
            }
            Unreadable::AppellateOnFirstInstance { raw, value } => {
                write!(f, "outcome '{raw}' is an appellate or retrial outcome ({value}) but the case number is first instance")
            }
        }
    }
}

/// The office's own phrasings (fuyuan.toml), applied before the built-in rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Phrases {
    outcomes: BTreeMap<String, &'static str>,
    decisions: BTreeMap<String, &'static str>,
    leniency: BTreeMap<String, &'static str>,
}

impl Phrases {
    /// Adds `phrase → value` for `table` (`outcomes`, `decisions`, `leniency`); the error names
    /// the value and the vocabulary it is not in.
    pub fn add(&mut self, table: &str, phrase: &str, value: &str) -> Result<(), String> {
        let (vocab, map) = match table {
            "outcomes" => (Vocab::AppealOutcome, &mut self.outcomes),
            "decisions" => (Vocab::Decision, &mut self.decisions),
            "leniency" => (Vocab::Leniency, &mut self.leniency),
            other => return Err(format!("unknown phrase table [{other}]")),
        };
        let canonical = clean(value);
        let Some(v) = vocab.values().iter().copied().find(|v| *v == canonical) else {
            return Err(format!(
                "[{table}] maps '{phrase}' to '{value}', which is not {} (one of {})",
                vocab.a_what(),
                vocab.values().join(", ")
            ));
        };
        let key = clean(phrase);
        if key.is_empty() {
            return Err(format!("[{table}] has an empty phrase"));
        }
        map.insert(key, v);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty() && self.decisions.is_empty() && self.leniency.is_empty()
    }

    fn lookup(&self, vocab: Vocab, cleaned: &str) -> Option<&'static str> {
        let map = match vocab {
            Vocab::Outcome | Vocab::AppealOutcome => &self.outcomes,
            Vocab::Decision => &self.decisions,
            Vocab::Leniency => &self.leniency,
        };
        map.get(cleaned).copied()
    }
}

/// Width folded, spaces and invisible characters dropped, trailing punctuation trimmed.
fn clean(raw: &str) -> String {
    let s: String = fold_width(raw, &[]).chars().filter(|c| !c.is_whitespace()).collect();
    s.trim_end_matches(['。', '.', '；', ';', '，', ',', '、']).to_string()
}

/// Reads `raw` (a non-empty cell) in `vocab`.
pub fn read(vocab: Vocab, raw: &str, phrases: &Phrases) -> Result<&'static str, Unreadable> {
    let values = vocab.values();
    // Most cells hold the canonical value itself.
    let trimmed = super::width::trim(raw);
    if let Some(v) = values.iter().find(|v| **v == trimmed) {
        return Ok(v);
    }
    let s = clean(raw);
    if let Some(v) = phrases.lookup(vocab, &s) {
        // A first-instance case may not take an appellate value even from the office's table.
        return check_first_instance(vocab, raw, v);
    }
    let bare = ["判决", "裁定", "决定"].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(&s);
    if let Some(v) = values.iter().find(|v| **v == bare) {
        return Ok(v);
    }
    let raw_t = raw.trim().to_string();
    match vocab {
        Vocab::Leniency => read_leniency(&s).map_err(|c| unreadable(vocab, raw_t, c)),
        Vocab::Decision => choose(&s, &acts(&s, Vocab::Decision)).map_err(|c| unreadable(vocab, raw_t, c)),
        Vocab::AppealOutcome => {
            if let Some(v) = appellate(&s) {
                return Ok(v);
            }
            choose(&s, &acts(&s, Vocab::Outcome)).map_err(|c| unreadable(vocab, raw_t, c))
        }
        Vocab::Outcome => match choose(&s, &acts(&s, Vocab::Outcome)) {
            Ok(v) => Ok(v),
            Err(c) if c.is_empty() => match appellate(&s) {
                Some(v) => Err(Unreadable::AppellateOnFirstInstance { raw: raw_t, value: v }),
                None => Err(unreadable(vocab, raw_t, c)),
            },
            Err(c) => Err(unreadable(vocab, raw_t, c)),
        },
    }
}

fn check_first_instance(vocab: Vocab, raw: &str, v: &'static str) -> Result<&'static str, Unreadable> {
    if vocab == Vocab::Outcome && APPELLATE.contains(&v) {
        return Err(Unreadable::AppellateOnFirstInstance { raw: raw.trim().to_string(), value: v });
    }
    Ok(v)
}

fn unreadable(vocab: Vocab, raw: String, candidates: Vec<&'static str>) -> Unreadable {
    if candidates.is_empty() { Unreadable::Unknown { vocab, raw } } else { Unreadable::Ambiguous { vocab, raw, candidates } }
}

/// A first-instance outcome, without the office's phrasings (tests, fuzzing).
pub fn outcome(raw: &str) -> Option<&'static str> {
    read(Vocab::Outcome, raw, &Phrases::default()).ok()
}

pub fn decision(raw: &str) -> Option<&'static str> {
    read(Vocab::Decision, raw, &Phrases::default()).ok()
}

pub fn leniency(raw: &str) -> Option<&'static str> {
    read(Vocab::Leniency, raw, &Phrases::default()).ok()
}

/// One act named in a sentence: where it starts, what it is, and whether it is a side act
/// (驳回其他诉讼请求) that gives way to any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Act {
    at: usize,
    value: &'static str,
    side: bool,
}

/// Characters that end a clause: an act's words do not run past them.
const CLAUSE_END: &[char] = &['，', ',', '；', ';', '。', ':', '：', '\n'];

/// The text from byte `from` to the end of its clause, at most `max` characters.
/// An alternative (或, "/") ends it too, so that 撤销或变更 is two acts.
fn clause(s: &str, from: usize, max: usize) -> &str {
    let rest = &s[from..];
    let end = rest.char_indices().take(max).find(|(_, c)| CLAUSE_END.contains(c) || matches!(c, '或' | '/' | '／')).map(|(i, _)| i);
    let cap = rest.char_indices().nth(max).map(|(i, _)| i).unwrap_or(rest.len());
    &rest[..end.unwrap_or(cap).min(cap)]
}

/// Byte positions of `pat` in `s` that no earlier rule has consumed.
fn occurrences(s: &str, pat: &str, used: &[(usize, usize)]) -> Vec<usize> {
    s.match_indices(pat).map(|(i, _)| i).filter(|i| !used.iter().any(|(a, b)| (*a..*b).contains(i))).collect()
}

/// The character just before byte `i`.
fn before(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}

fn preceded_by(s: &str, i: usize, words: &[&str]) -> bool {
    words.iter().any(|w| s[..i].ends_with(w))
}

/// Negations: the act after them is not done (确认违法但不撤销, 不予赔偿).
const NEGATIONS: &[&str] = &["不予", "不", "未", "无须", "无需", "没有"];

/// Every act `s` names in the first-instance (`Vocab::Outcome`) or reconsideration
/// (`Vocab::Decision`) vocabulary. Rules run in order; each marks the words it used so that a later
/// rule does not read them again (the 赔偿 inside 驳回原告的赔偿请求 is not a 赔偿).
fn acts(s: &str, vocab: Vocab) -> Vec<Act> {
    let litigation = vocab != Vocab::Decision;
    let mut out: Vec<Act> = Vec::new();
    let mut used: Vec<(usize, usize)> = Vec::new();
    let hit = |out: &mut Vec<Act>, used: &mut Vec<(usize, usize)>, at: usize, end: usize, value: &'static str, side: bool| {
        out.push(Act { at, value, side });
        used.push((at, end));
    };

    // Withdrawal: 撤诉, 撤回起诉, 按撤诉处理 (litigation); 撤回申请 (reconsideration → 终止).
    for pat in ["撤回起诉", "撤回诉讼", "撤诉", "撤回行政复议申请", "撤回复议申请", "撤回申请", "撤回"] {
        for i in occurrences(s, pat, &used) {
            // 撤回上诉 and 撤回再审申请 belong to appeals (read by `appellate`).
            let tail = &s[i + pat.len()..];
            if pat == "撤回" && (tail.starts_with("上诉") || tail.starts_with("再审")) {
                continue;
            }
            hit(&mut out, &mut used, i, i + pat.len(), if litigation { "准予撤诉" } else { "终止" }, false);
        }
    }
    // 驳回 …: the words up to 起诉 / 请求 / 申请 belong to it.
    for i in occurrences(s, "驳回", &used) {
        let c = clause(s, i, 40);
        if c.starts_with("驳回上诉") || c.starts_with("驳回再审") || c.contains("再审申请") {
            used.push((i, i + c.len()));
            continue;
        }
        let side = ["其他", "其它", "其余", "剩余", "余下"].iter().any(|w| c.contains(w));
        let value = if !litigation {
            "驳回"
        } else {
            let q = c.find("请求").or_else(|| c.find("诉请")).or_else(|| c.find("诉讼"));
            match (c.find("起诉"), q) {
                (Some(a), Some(b)) if a < b => "驳回起诉",
                (Some(_), None) => "驳回起诉",
                (_, Some(_)) => "驳回诉讼请求",
                (None, None) => {
                    // A bare 驳回 could be either; a human could not tell from the ledger.
                    hit(&mut out, &mut used, i, i + c.len(), "驳回诉讼请求", false);
                    hit(&mut out, &mut used, i, i + c.len(), "驳回起诉", false);
                    continue;
                }
            }
        };
        hit(&mut out, &mut used, i, i + c.len(), value, side);
    }
    for pat in ["不予立案", "不予受理", "不予登记立案"] {
        for i in occurrences(s, pat, &used) {
            hit(&mut out, &mut used, i, i + pat.len(), if litigation { "不予立案" } else { "驳回" }, false);
        }
    }
    // Negated acts: consumed, no act (确认违法但不撤销, 不予赔偿 is a refused claim).
    for act in ["撤销", "变更", "赔偿", "履行", "确认"] {
        for neg in NEGATIONS {
            let pat = format!("{neg}{act}");
            for i in occurrences(s, &pat, &used) {
                if act == "赔偿" && *neg == "不予" {
                    hit(&mut out, &mut used, i, i + pat.len(), if litigation { "驳回诉讼请求" } else { "驳回" }, true);
                } else {
                    used.push((i, i + pat.len()));
                }
            }
        }
    }
    // 确认 … 无效 / 违法.
    for i in occurrences(s, "确认", &used) {
        let c = clause(s, i, 50);
        let (v, end) = match (c.find("无效"), c.find("违法")) {
            (Some(e), _) => ("确认无效", e + "无效".len()),
            (None, Some(e)) => ("确认违法", e + "违法".len()),
            _ => continue,
        };
        hit(&mut out, &mut used, i, i + end, v, false);
    }
    // 部分撤销, 撤销 … 部分 / 第N项 / 中的…, 撤销.
    for i in occurrences(s, "部分撤销", &used) {
        hit(&mut out, &mut used, i, i + "部分撤销".len(), "部分撤销", false);
    }
    for i in occurrences(s, "撤销", &used) {
        let c = clause(s, i, 50);
        let tail = &c["撤销".len()..];
        // 撤销原判, 撤销一审判决 are appellate acts, read by `appellate`.
        if ["原判", "原审", "一审", "原裁定", "原一审"].iter().any(|w| tail.starts_with(w)) {
            used.push((i, i + c.len()));
            continue;
        }
        let partial = tail.contains("部分") || (tail.contains('第') && tail.contains('项')) || tail.contains("中的");
        hit(&mut out, &mut used, i, i + c.len(), if partial { "部分撤销" } else { "撤销" }, false);
    }
    for i in occurrences(s, "变更", &used) {
        // 变更登记 is the act sued over, not a judgment changing it.
        if s[i + "变更".len()..].starts_with("登记") {
            continue;
        }
        hit(&mut out, &mut used, i, i + "变更".len(), "变更", false);
    }
    // 责令重作 / 重新作出 follows a 撤销; alone it still says the act was set aside.
    for pat in ["重新作出", "重作"] {
        for i in occurrences(s, pat, &used) {
            let v = "撤销";
            let side = out.iter().any(|a| a.value == "撤销" || a.value == "部分撤销");
            let start =
                ["责令", "判令"].iter().filter_map(|w| s[..i].rfind(w)).filter(|p| !s[*p..i].contains(CLAUSE_END)).min().unwrap_or(i);
            hit(&mut out, &mut used, start, i + pat.len(), v, side);
        }
    }
    // Performance: 责令/判令 … 履行 / 作出 / 答复 / 处理, 履行 … 职责.
    for i in occurrences(s, "履行", &used) {
        if before(s, i).is_some_and(|c| "不未".contains(c)) {
            continue;
        }
        let start =
            ["责令", "判令", "限期"].iter().filter_map(|w| s[..i].rfind(w)).filter(|p| !s[*p..i].contains(CLAUSE_END)).min().unwrap_or(i);
        hit(&mut out, &mut used, start, i + "履行".len(), "责令履行", false);
    }
    for cue in ["责令", "判令", "判决被告", "限期"] {
        for i in occurrences(s, cue, &used) {
            let c = clause(s, i, 40);
            if ["作出", "答复", "处理", "办理", "颁发", "公开"].iter().any(|w| c.contains(w)) {
                hit(&mut out, &mut used, i, i + c.len(), "责令履行", false);
            }
        }
    }
    if litigation {
        for pat in ["赔偿"] {
            for i in occurrences(s, pat, &used) {
                hit(&mut out, &mut used, i, i + pat.len(), "赔偿", false);
            }
        }
        for pat in ["给付", "支付", "发放"] {
            for i in occurrences(s, pat, &used) {
                hit(&mut out, &mut used, i, i + pat.len(), "给付", false);
            }
        }
        for pat in ["移送"] {
            for i in occurrences(s, pat, &used) {
                hit(&mut out, &mut used, i, i + pat.len(), "移送", false);
            }
        }
        for pat in ["终结"] {
            for i in occurrences(s, pat, &used) {
                hit(&mut out, &mut used, i, i + pat.len(), "终结", false);
            }
        }
    } else {
        for pat in ["终止"] {
            for i in occurrences(s, pat, &used) {
                hit(&mut out, &mut used, i, i + pat.len(), "终止", false);
            }
        }
        for pat in ["和解"] {
            for i in occurrences(s, pat, &used) {
                hit(&mut out, &mut used, i, i + pat.len(), "和解", false);
            }
        }
    }
    for i in occurrences(s, "调解", &used) {
        hit(&mut out, &mut used, i, i + "调解".len(), "调解", false);
    }
    // 维持: before 2015 a first-instance judgment upholding the act was a 维持判决 (now
    // 驳回诉讼请求); 维持原判 is an appeal's and read by `appellate`.
    for i in occurrences(s, "维持", &used) {
        let tail = &s[i + "维持".len()..];
        if ["原判", "原审", "一审", "原裁定"].iter().any(|w| tail.starts_with(w)) {
            continue;
        }
        hit(&mut out, &mut used, i, i + "维持".len(), if litigation { "驳回诉讼请求" } else { "维持" }, false);
    }
    if litigation && out.is_empty() {
        // Words that name a group, not an outcome: a human could not tell which either.
        if s.contains("败诉") {
            return LOSS.iter().map(|v| Act { at: 0, value: v, side: false }).collect();
        }
        if s == "其他" || s == "其它" {
            return vec![Act { at: 0, value: "其他", side: false }];
        }
    }
    if !litigation && out.is_empty() && s.contains("纠错") {
        return CORRECTED.iter().map(|v| Act { at: 0, value: v, side: false }).collect();
    }
    out.sort_by_key(|a| a.at);
    out
}

const LOSS: &[&str] = &["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"];
const CORRECTED: &[&str] = &["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行"];

/// Words that join alternatives: the sentence does not say which act was taken.
const ALTERNATIVES: &[&str] = &["或者", "或", "/", "／", "?", "？", "还是"];

/// Precedence over the acts found: the first main act; a side act only when there is nothing
/// else. Err(candidates) when there is no act (empty) or no rule to choose: several acts at the
/// first place (a bare 驳回), or the first act and the next one joined as alternatives.
fn choose(s: &str, acts: &[Act]) -> Result<&'static str, Vec<&'static str>> {
    let main: Vec<&Act> = acts.iter().filter(|a| !a.side).collect();
    let pool: Vec<&Act> = if main.is_empty() { acts.iter().collect() } else { main };
    let Some(first) = pool.first() else { return Err(vec![]) };
    let mut candidates: Vec<&'static str> = Vec::new();
    for a in pool.iter().filter(|a| a.at == first.at) {
        if !candidates.contains(&a.value) {
            candidates.push(a.value);
        }
    }
    if let Some(next) = pool.iter().find(|a| a.at > first.at && !candidates.contains(&a.value))
        && ALTERNATIVES.iter().any(|w| s[first.at..next.at].contains(w))
    {
        candidates.push(next.value);
    }
    if candidates.len() == 1 { Ok(candidates[0]) } else { Err(candidates) }
}

/// The outcome of an appeal or a retrial, if the sentence names one: a return for retrial wins
/// over the 撤销原判 that precedes it, a changed judgment over the parts upheld.
fn appellate(s: &str) -> Option<&'static str> {
    let has = |w: &str| s.contains(w);
    let sent_back = has("发回") && (has("重审") || has("重新审理")) || has("指令") && has("继续审理");
    if sent_back {
        return Some("发回重审");
    }
    if has("指令") && has("再审") {
        return Some("指令再审");
    }
    if has("提审") {
        return Some("提审");
    }
    if has("再审申请") && has("驳回") {
        return Some("驳回再审申请");
    }
    if has("撤回上诉") {
        return Some("准予撤回上诉");
    }
    let reversed = ["撤销原判", "撤销一审", "撤销原审", "撤销原一审", "撤销原裁定"].iter().any(|w| has(w));
    if has("改判") || reversed && !has("维持原") {
        return Some("改判");
    }
    if has("维持原裁定") || has("维持一审裁定") || has("维持原审裁定") {
        return Some("维持原裁定");
    }
    if has("驳回上诉") || has("维持原判") || has("维持一审判决") || has("维持原审判决") || has("维持原一审判决")
    {
        return Some("驳回上诉维持原判");
    }
    None
}

fn read_leniency(s: &str) -> Result<&'static str, Vec<&'static str>> {
    let rules: &[(&[&str], &'static str)] = &[
        (&["不予处罚", "不予行政处罚", "免予处罚", "免于处罚", "免予行政处罚", "免罚", "首违不罚", "不罚", "轻微不罚"], "不予处罚"),
        (&["减轻"], "减轻处罚"),
        (&["从轻"], "从轻处罚"),
        (&["从重", "加重"], "从重处罚"),
        (&["一般"], "一般"),
    ];
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    let mut used: Vec<(usize, usize)> = Vec::new();
    for (words, v) in rules {
        for w in *words {
            for i in occurrences(s, w, &used) {
                used.push((i, i + w.len()));
                // 不予从重 is not a 从重.
                if *v != "不予处罚" && preceded_by(s, i, NEGATIONS) {
                    continue;
                }
                if !found.iter().any(|(_, x)| x == v) {
                    found.push((i, v));
                }
            }
        }
    }
    found.sort();
    match found.len() {
        0 => Err(vec![]),
        1 => Ok(found[0].1),
        // 从轻或者减轻, 从轻、减轻: the ledger does not say which was applied.
        _ => Err(found.into_iter().map(|(_, v)| v).collect()),
    }
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
        assert_eq!(decision("准予撤回申请"), Some("终止"));
        assert_eq!(leniency("从轻"), Some("从轻处罚"));
        assert_eq!(leniency("首违不罚"), Some("不予处罚"));
    }

    #[test]
    fn precedence_of_acts() {
        assert_eq!(outcome("判决撤销被诉行政行为并责令重作"), Some("撤销"));
        assert_eq!(outcome("确认违法但不撤销"), Some("确认违法"));
        assert_eq!(outcome("撤销被诉决定，驳回原告其他诉讼请求"), Some("撤销"));
        assert_eq!(outcome("驳回原告的行政赔偿请求"), Some("驳回诉讼请求"));
    }

    #[test]
    fn appellate_outcomes() {
        let r = |s| read(Vocab::AppealOutcome, s, &Phrases::default());
        assert_eq!(r("驳回上诉，维持原判"), Ok("驳回上诉维持原判"));
        assert_eq!(r("撤销原判，发回重审"), Ok("发回重审"));
        assert_eq!(r("撤销一审判决，改判撤销被诉行政行为"), Ok("改判"));
        assert_eq!(r("驳回再审申请"), Ok("驳回再审申请"));
        assert_eq!(r("裁定驳回起诉"), Ok("驳回起诉"));
        assert!(matches!(
            read(Vocab::Outcome, "驳回上诉，维持原判", &Phrases::default()),
            Err(Unreadable::AppellateOnFirstInstance { value: "驳回上诉维持原判", .. })
        ));
    }

    #[test]
    fn ambiguity_names_the_candidates() {
        let e = read(Vocab::Outcome, "撤销或确认违法", &Phrases::default()).unwrap_err();
        assert_eq!(e.to_string(), "ambiguous outcome '撤销或确认违法': could be 撤销 or 确认违法");
        let e = read(Vocab::Leniency, "从轻或者减轻处罚", &Phrases::default()).unwrap_err();
        assert!(e.to_string().contains("减轻处罚") && e.to_string().contains("从轻处罚"), "{e}");
    }

    #[test]
    fn office_phrases_come_first_and_are_checked() {
        let mut p = Phrases::default();
        p.add("outcomes", "协调撤诉", "准予撤诉").unwrap();
        p.add("decisions", "纠正", "撤销").unwrap();
        assert_eq!(read(Vocab::Outcome, " 协调撤诉 ", &p), Ok("准予撤诉"));
        assert_eq!(read(Vocab::Decision, "纠正", &p), Ok("撤销"));
        assert!(p.add("outcomes", "x", "胜诉").unwrap_err().contains("'胜诉', which is not an outcome"));
        assert!(p.add("decisions", "x", "驳回诉讼请求").is_err());
    }

    #[test]
    fn every_canonical_value_maps_to_itself() {
        for v in OUTCOMES {
            assert_eq!(outcome(v), Some(*v));
        }
        for v in APPELLATE.iter().chain(OUTCOMES) {
            assert_eq!(read(Vocab::AppealOutcome, v, &Phrases::default()), Ok(*v));
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
        assert_eq!(outcome("中止诉讼"), None);
        assert_eq!(outcome("已结"), None);
        assert_eq!(decision("不知道"), None);
        assert_eq!(leniency("很重"), None);
    }
}
