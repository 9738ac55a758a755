//! The briefing's Markdown as the blocks the Word writer lays out, read with pulldown-cmark and
//! the options the HTML page uses, so Word and HTML read the same text the same way.
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::report::text::MARKDOWN_OPTIONS;

/// Pieces of text, each bold or not; neighbours of the same weight are one piece.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Runs(pub(super) Vec<(String, bool)>);

impl Runs {
    fn push(&mut self, text: &str, bold: bool) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some((t, b)) if *b == bold => t.push_str(text),
            _ => self.0.push((text.to_string(), bold)),
        }
    }

    fn append(&mut self, other: Runs) {
        for (t, b) in other.0 {
            self.push(&t, b);
        }
    }

    /// The text without weights.
    pub(super) fn plain(&self) -> String {
        self.0.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// The runs of one line of Markdown.
#[cfg(test)]
impl From<&str> for Runs {
    fn from(s: &str) -> Runs {
        match parse(s).into_iter().next() {
            Some(Block::Para(r)) => r,
            _ => Runs::default(),
        }
    }
}

/// One block of the briefing.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Block {
    Title(String),
    /// 2 for `##`, 3 for `###` (and deeper).
    Heading(u8, Runs),
    Para(Runs),
    /// Rows of cells, the header row first.
    Table(Vec<Vec<Runs>>),
    Image {
        caption: Runs,
        src: String,
    },
    /// `---` (a thematic break).
    PageBreak,
    /// A line `落款: …` (or `落款：…`).
    Signature(String),
    /// A line `日期: …`.
    Date(String),
}

/// The blocks of `md`. Lines of a paragraph join into one (a space only between two ASCII
/// letters or digits); a line of a paragraph that starts with `落款:` or `日期:` is a block of its
/// own; HTML comments are dropped, other HTML is kept as text; links show their text; list items
/// are paragraphs starting with their marker; anything else shows its text.
pub(super) fn parse(md: &str) -> Vec<Block> {
    let mut w = Walk::default();
    for ev in Parser::new_ext(md, MARKDOWN_OPTIONS) {
        w.event(ev);
    }
    w.end_paragraph();
    w.out
}

#[derive(Default)]
struct Walk {
    out: Vec<Block>,
    /// The lines (split at soft and hard breaks) of the paragraph, heading or cell being read.
    lines: Vec<Runs>,
    /// Nesting depth of `**…**`.
    bold: usize,
    /// The image being read: its source and its caption (the alt text).
    image: Option<(String, Runs)>,
    table: Option<Vec<Vec<Runs>>>,
    /// The text of the HTML block being read.
    html: Option<String>,
    /// For each open list, the number of its next item (None: a bullet list).
    lists: Vec<Option<u64>>,
}

impl Walk {
    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::InlineHtml(t) if !t.starts_with("<!--") => self.text(&t),
            Event::Html(t) => {
                if let Some(h) = self.html.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if self.image.is_none() => self.lines.push(Runs::default()),
            Event::Rule => {
                self.end_paragraph();
                self.out.push(Block::PageBreak);
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { .. } | Tag::TableCell => self.end_paragraph(),
            Tag::Table(_) => {
                self.end_paragraph();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => self.table.get_or_insert_with(Vec::new).push(Vec::new()),
            Tag::Strong => self.bold += 1,
            Tag::Image { dest_url, .. } if self.table.is_none() => {
                // An image is a block of its own: the text before it is a paragraph.
                self.end_paragraph();
                self.image = Some((dest_url.trim().to_string(), Runs::default()));
            }
            Tag::HtmlBlock => {
                self.end_paragraph();
                self.html = Some(String::new());
            }
            Tag::List(first) => {
                self.end_paragraph();
                self.lists.push(first);
            }
            Tag::Item => {
                self.end_paragraph();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.text(&marker);
            }
            // Paragraphs, block quotes, links, emphasis: their text is read as it comes.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::BlockQuote(_) => self.end_paragraph(),
            TagEnd::Heading(level) => {
                let text = joined(std::mem::take(&mut self.lines));
                self.out.push(match level {
                    HeadingLevel::H1 => Block::Title(text.plain()),
                    HeadingLevel::H2 => Block::Heading(2, text),
                    _ => Block::Heading(3, text),
                });
            }
            TagEnd::TableCell => {
                let cell = joined(std::mem::take(&mut self.lines));
                if let Some(row) = self.table.as_mut().and_then(|t| t.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::Table => {
                if let Some(rows) = self.table.take() {
                    self.out.push(Block::Table(rows));
                }
            }
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Image => {
                if let Some((src, caption)) = self.image.take() {
                    let mut caption = caption.0;
                    if let Some((t, _)) = caption.first_mut() {
                        *t = t.trim_start().to_string();
                    }
                    if let Some((t, _)) = caption.last_mut() {
                        *t = t.trim_end().to_string();
                    }
                    let caption = Runs(caption.into_iter().filter(|(t, _)| !t.is_empty()).collect());
                    self.out.push(Block::Image { caption, src });
                }
            }
            TagEnd::HtmlBlock => {
                let html = self.html.take().unwrap_or_default();
                if !html.trim_start().starts_with("<!--") {
                    for line in html.lines() {
                        self.text(line);
                        self.lines.push(Runs::default());
                    }
                    self.end_paragraph();
                }
            }
            TagEnd::List(_) => {
                self.end_paragraph();
                self.lists.pop();
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        let bold = self.bold > 0;
        if let Some((_, caption)) = self.image.as_mut() {
            caption.push(t, bold);
            return;
        }
        // Code blocks bring their lines in one piece.
        for (i, line) in t.split('\n').enumerate() {
            if i > 0 || self.lines.is_empty() {
                self.lines.push(Runs::default());
            }
            let line = if i > 0 || t.contains('\n') { line.trim() } else { line };
            if let Some(last) = self.lines.last_mut() {
                last.push(line, bold);
            }
        }
    }

    /// The lines read so far as a paragraph, the labelled lines as blocks of their own.
    fn end_paragraph(&mut self) {
        let mut para: Vec<Runs> = Vec::new();
        for line in std::mem::take(&mut self.lines) {
            let text = line.plain();
            let labelled =
                strip_label(text.trim(), "落款").map(Block::Signature).or_else(|| strip_label(text.trim(), "日期").map(Block::Date));
            if let Some(block) = labelled {
                self.push_para(std::mem::take(&mut para));
                self.out.push(block);
            } else {
                para.push(line);
            }
        }
        self.push_para(para);
    }

    fn push_para(&mut self, lines: Vec<Runs>) {
        let runs = joined(lines);
        if !runs.plain().trim().is_empty() {
            self.out.push(Block::Para(runs));
        }
    }
}

/// Lines joined into one, with a space only where two ASCII letters or digits would meet; the
/// space is bold when the text on both sides is.
fn joined(lines: Vec<Runs>) -> Runs {
    let mut out = Runs::default();
    for line in lines {
        let (Some((_, prev_bold)), Some((next, next_bold))) = (out.0.last().cloned(), line.0.first().cloned()) else {
            out.append(line);
            continue;
        };
        let prev_last = out.0.last().and_then(|(t, _)| t.chars().last());
        if prev_last.is_some_and(|c| c.is_ascii_alphanumeric()) && next.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
            out.push(" ", prev_bold && next_bold);
        }
        out.append(line);
    }
    out
}

fn strip_label(line: &str, label: &str) -> Option<String> {
    let rest = line.strip_prefix(label)?;
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some(rest.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of one line of Markdown, as `(text, bold)` pairs.
    fn inline(s: &str) -> Vec<(String, bool)> {
        Runs::from(s).0
    }

    #[test]
    fn parses_the_subset() {
        let md = "# 关于X的通报\n<!-- subtitle: 2024 -->\n\n各县(市、区)人民政府：\n\n## 一、总体情况\n\n第一行\n第二行**加粗**。\n\n| a | b |\n|---|---:|\n| 甲 | 1 |\n\n![图1 趋势](charts/trend.png)\n\n落款: 办公室\n日期: 2024年7月1日\n\n---\n\n## 附表\n";
        let b = parse(md);
        assert_eq!(
            b,
            vec![
                Block::Title("关于X的通报".into()),
                Block::Para("各县(市、区)人民政府：".into()),
                Block::Heading(2, "一、总体情况".into()),
                Block::Para("第一行第二行**加粗**。".into()),
                Block::Table(vec![vec!["a".into(), "b".into()], vec!["甲".into(), "1".into()]]),
                Block::Image { caption: "图1 趋势".into(), src: "charts/trend.png".into() },
                Block::Signature("办公室".into()),
                Block::Date("2024年7月1日".into()),
                Block::PageBreak,
                Block::Heading(2, "附表".into()),
            ]
        );
    }

    #[test]
    fn bold_runs() {
        assert_eq!(inline("a**b**c"), vec![("a".into(), false), ("b".into(), true), ("c".into(), false)]);
        assert_eq!(inline("a**b"), vec![("a**b".into(), false)]);
    }

    #[test]
    fn bold_is_what_commonmark_makes_bold() {
        // `**` after Chinese punctuation and before a letter does not close (CommonMark's
        // flanking rule): the HTML page shows the asterisks, and so does Word.
        let s = "为13.91%。**全市实现“双下降”。**败诉率";
        assert_eq!(inline(s), vec![(s.into(), false)]);
        assert_eq!(inline("**全市实现“双下降”。**"), vec![("全市实现“双下降”。".into(), true)]);
        // Closed before the full stop, the bold is bold in both.
        assert_eq!(
            inline("为13.91%。**全市实现“双下降”**。败诉率"),
            vec![("为13.91%。".into(), false), ("全市实现“双下降”".into(), true), ("。败诉率".into(), false)]
        );
    }

    #[test]
    fn lines_labels_images_and_lists() {
        let plain = |s: &str| Runs(vec![(s.to_string(), false)]);
        let md = "第一段 abc\ndef\n落款: 办公室\n日期：2024年7月1日\n\n前文![图1](charts/a.png)后文\n\n1. 甲\n2. 乙\n";
        assert_eq!(
            parse(md),
            vec![
                Block::Para(plain("第一段 abc def")),
                Block::Signature("办公室".into()),
                Block::Date("2024年7月1日".into()),
                Block::Para(plain("前文")),
                Block::Image { caption: plain("图1"), src: "charts/a.png".into() },
                Block::Para(plain("后文")),
                Block::Para(plain("1. 甲")),
                Block::Para(plain("2. 乙")),
            ]
        );
    }
}
