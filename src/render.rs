//! The render model: article + mode + width → rows of positioned text.
//!
//! It is pure and shared: the TUI draws these rows (adding colour from the theme), and
//! `bitext show` prints them as plain text, so both always agree on where every line falls.

use serde::Deserialize;

use crate::article::{Article, Group, Kind, Pairing};
use crate::text::{self, Wrapper, width, wrap};

/// How an article is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Translation only.
    Translation,
    /// Source only.
    Source,
    /// Source and translation in two columns, paragraph against paragraph.
    SideBySide,
    /// Each source paragraph followed by its translation.
    Interleaved,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved];

    pub fn next(self) -> Mode {
        let i = Self::ALL.iter().position(|m| *m == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Translation => "translation",
            Mode::Source => "source",
            Mode::SideBySide => "side by side",
            Mode::Interleaved => "interleaved",
        }
    }
}

/// Which language a piece of text is in, when it matters for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Translation,
}

/// What a piece of text is, which decides its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Title,
    SourceTitle,
    Meta,
    Rule,
    Body(Kind, Side),
    /// The dimmed stand-in for a missing side.
    Placeholder,
    /// The rule between the two columns.
    Divider,
    /// A mark in the gutter such as `2:1`.
    Gutter,
}

/// A run of text at a column offset of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub x: usize,
    pub text: String,
    pub tone: Tone,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// The paragraph group this row belongs to (none for the header and blank rows).
    pub group: Option<usize>,
    pub cells: Vec<Cell>,
}

impl Row {
    /// The row as plain text (cells padded to their offsets, trailing spaces trimmed).
    pub fn plain(&self) -> String {
        let mut out = String::new();
        let mut at = 0;
        for cell in &self.cells {
            if cell.x > at {
                out.extend(std::iter::repeat_n(' ', cell.x - at));
                at = cell.x;
            }
            out.push_str(&cell.text);
            at += width(&cell.text);
        }
        out.truncate(out.trim_end().len());
        out
    }
}

/// Options that shape the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The widest a text column may be.
    pub max_width: usize,
    /// Columns between the two columns of side-by-side.
    pub gap: usize,
    /// Below this column width side-by-side falls back to interleaved.
    pub min_column: usize,
    /// Translation on the left, source on the right.
    pub swap: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_width: 80, gap: 3, min_column: 30, swap: false }
    }
}

/// An article laid out for one mode and width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub rows: Vec<Row>,
    /// The first row of each paragraph group.
    pub group_starts: Vec<usize>,
    /// The mode actually used (side-by-side may fall back to interleaved).
    pub mode: Mode,
    /// True when side-by-side was asked for but the width was too small.
    pub fell_back: bool,
    /// The gutter column where the reader draws its cursor bar, if there is a gutter.
    pub bar: Option<usize>,
    /// The column of the rule between the two columns of side-by-side.
    pub divider: Option<usize>,
}

impl Layout {
    /// The rows of group `g`, without the blank row after it.
    pub fn group_rows(&self, g: usize) -> std::ops::Range<usize> {
        let start = self.group_starts.get(g).copied().unwrap_or(self.rows.len());
        // Every group is followed by one blank row, the last one too.
        let end = self.group_starts.get(g + 1).copied().unwrap_or(self.rows.len()).saturating_sub(1);
        start..end.max(start)
    }

    /// The group shown at `row` (the nearest group at or above it).
    pub fn group_at(&self, row: usize) -> Option<usize> {
        match self.group_starts.binary_search(&row) {
            Ok(i) => Some(i),
            Err(0) => None,
            Err(i) => Some(i - 1),
        }
    }

    /// The article as plain text lines, as `bitext show` prints it.
    pub fn plain_lines(&self) -> Vec<String> {
        self.rows.iter().map(Row::plain).collect()
    }
}

const NO_TRANSLATION: &str = "(no translation)";
const NO_SOURCE: &str = "(no source text)";
const QUOTE_BAR: &str = "▎ ";
const CAPTION_INDENT: &str = "  ";

/// Columns left of the text for marks such as `2:1` and the reading-cursor bar.
pub const GUTTER: usize = 4;
/// Panes narrower than this have no gutter.
const GUTTER_MIN_PANE: usize = 30;

/// The gutter mark of a group that is not a plain pair: `1:0` (no translation), `0:1` (no
/// source), `2:1`, `1:2`, `2:2` (merged or split paragraphs).
pub fn group_mark(g: &Group) -> Option<String> {
    let kind = (g.source.len(), g.translation.len());
    (kind != (1, 1)).then(|| format!("{}:{}", kind.0, kind.1))
}

/// Lays out `article` in `mode` for a pane `pane_width` columns wide.
pub fn layout(article: &Article, mode: Mode, pane_width: usize, opts: &Options) -> Layout {
    let plan = Plan::new(mode, pane_width, opts);
    let mut b = Builder { rows: Vec::new(), group_starts: Vec::new() };
    b.header(article, plan.x0, plan.total);
    let divider =
        (plan.mode == Mode::SideBySide && opts.gap > 0 && !article.groups.is_empty()).then_some(plan.divider_x);
    let parts = lay_out_groups(&article.groups, &plan, threads_for(article.groups.len()));
    b.rows.reserve_exact(parts.iter().map(|p| p.rows.len()).sum());
    b.group_starts.reserve_exact(article.groups.len());
    for part in parts {
        let offset = b.rows.len();
        b.group_starts.extend(part.group_starts.iter().map(|s| s + offset));
        b.rows.extend(part.rows);
    }
    let bar = (plan.gutter > 0).then(|| plan.x0 - 1);
    Layout { rows: b.rows, group_starts: b.group_starts, mode: plan.mode, fell_back: plan.fell_back, bar, divider }
}

/// Where everything goes, for the mode in use and the pane's width.
struct Plan {
    /// The mode actually used, and whether side by side fell back to interleaved.
    mode: Mode,
    fell_back: bool,
    /// The width of a text column, and of all text (both columns and the gap between).
    column: usize,
    total: usize,
    /// The column of the text (of the left column in side by side).
    x0: usize,
    gap: usize,
    gutter: usize,
    mark_x: usize,
    right_x: usize,
    divider_x: usize,
    left: Side,
    right: Side,
}

impl Plan {
    fn new(mode: Mode, pane_width: usize, opts: &Options) -> Plan {
        let gutter = if pane_width >= GUTTER_MIN_PANE { GUTTER } else { 0 };
        // One column is kept free on the right, so text never touches the scrollbar.
        let usable = pane_width.saturating_sub(gutter + 1).max(1);
        let max = opts.max_width.max(1);
        let side_column = usable.saturating_sub(opts.gap) / 2;
        let (mode, fell_back) = if mode == Mode::SideBySide && side_column.min(max) < opts.min_column {
            (Mode::Interleaved, true)
        } else {
            (mode, false)
        };
        let (column, total) = match mode {
            Mode::SideBySide => {
                let column = side_column.min(max);
                (column, column * 2 + opts.gap)
            }
            _ => {
                let column = usable.min(max);
                (column, column)
            }
        };
        let x0 = pane_width.saturating_sub(total + gutter + 1) / 2 + gutter;
        let (left, right) =
            if opts.swap { (Side::Translation, Side::Source) } else { (Side::Source, Side::Translation) };
        Plan {
            mode,
            fell_back,
            column,
            total,
            x0,
            gap: opts.gap,
            gutter,
            mark_x: x0.saturating_sub(gutter),
            right_x: x0 + column + opts.gap,
            divider_x: x0 + column + opts.gap / 2,
            left,
            right,
        }
    }
}

/// Groups from this many on are laid out on several threads.
const PARALLEL_MIN_GROUPS: usize = 200;
/// The fewest groups worth a thread of their own.
const GROUPS_PER_THREAD: usize = 100;

/// The rows of a run of groups, with the first row of each relative to the run.
struct Part {
    rows: Vec<Row>,
    group_starts: Vec<usize>,
}

/// The rows of every group: a long article is cut into runs of about equal text, laid out on
/// as many threads as there are cores (the calling thread takes the first run).
fn lay_out_groups(groups: &[Group], plan: &Plan, threads: usize) -> Vec<Part> {
    if threads <= 1 {
        return vec![lay_out_run(groups, 0, plan)];
    }
    let cuts = cut_evenly(groups, threads);
    std::thread::scope(|scope| {
        let others: Vec<_> = cuts
            .windows(2)
            .skip(1)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                scope.spawn(move || lay_out_run(&groups[a..b], a, plan))
            })
            .collect();
        let mut parts = vec![lay_out_run(&groups[cuts[0]..cuts[1]], 0, plan)];
        parts.extend(others.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
        parts
    })
}

/// How many threads to lay out `groups` groups on.
fn threads_for(groups: usize) -> usize {
    if groups >= PARALLEL_MIN_GROUPS { cores().min(groups / GROUPS_PER_THREAD) } else { 1 }
}

/// The number of cores, asked once.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// `n + 1` group indices from 0 to `groups.len()` that cut the groups into `n` runs of about
/// the same amount of text.
fn cut_evenly(groups: &[Group], n: usize) -> Vec<usize> {
    let size = |g: &Group| g.source.iter().chain(&g.translation).map(String::len).sum::<usize>() + 1;
    let total: usize = groups.iter().map(size).sum();
    let mut cuts = vec![0];
    let mut sum = 0;
    for (i, g) in groups.iter().enumerate() {
        if cuts.len() == n {
            break;
        }
        sum += size(g);
        if sum * n >= total * cuts.len() && i + 1 < groups.len() {
            cuts.push(i + 1);
        }
    }
    cuts.push(groups.len());
    cuts
}

/// Lays out `groups`, the first of which is group `first` of the article.
fn lay_out_run(groups: &[Group], first: usize, plan: &Plan) -> Part {
    let mut wrapper = Wrapper::default();
    let mut rows = Vec::with_capacity(groups.len() * 8);
    let mut group_starts = Vec::with_capacity(groups.len());
    let (mut l, mut r) = (Vec::new(), Vec::new());
    for (k, g) in groups.iter().enumerate() {
        let i = first + k;
        let start = rows.len();
        group_starts.push(start);
        if plan.mode == Mode::SideBySide {
            column_lines(g, plan.left, plan.column, &mut wrapper, |text, tone| l.push((text, tone)));
            column_lines(g, plan.right, plan.column, &mut wrapper, |text, tone| r.push((text, tone)));
            let n = l.len().max(r.len());
            let (mut l, mut r) = (l.drain(..), r.drain(..));
            for _ in 0..n {
                let mut cells = Vec::with_capacity(3);
                if let Some((text, tone)) = l.next() {
                    cells.push(Cell { x: plan.x0, text, tone });
                }
                if plan.gap > 0 {
                    cells.push(Cell { x: plan.divider_x, text: "│".into(), tone: Tone::Divider });
                }
                if let Some((text, tone)) = r.next() {
                    cells.push(Cell { x: plan.right_x, text, tone });
                }
                rows.push(Row { group: Some(i), cells });
            }
        } else {
            let mut push = |text, tone| rows.push(Row { group: Some(i), cells: vec![Cell { x: plan.x0, text, tone }] });
            match plan.mode {
                Mode::Translation => column_lines(g, Side::Translation, plan.column, &mut wrapper, push),
                Mode::Source => column_lines(g, Side::Source, plan.column, &mut wrapper, push),
                _ => {
                    column_lines(g, Side::Source, plan.column, &mut wrapper, &mut push);
                    column_lines(g, Side::Translation, plan.column, &mut wrapper, push);
                }
            }
        }
        if plan.gutter > 0
            && let Some(mark) = group_mark(g)
        {
            rows[start].cells.insert(0, Cell { x: plan.mark_x, text: mark, tone: Tone::Gutter });
        }
        rows.push(Row::default());
    }
    Part { rows, group_starts }
}

struct Builder {
    rows: Vec<Row>,
    group_starts: Vec<usize>,
}

impl Builder {
    fn blank(&mut self) {
        self.rows.push(Row::default());
    }

    fn line(&mut self, x: usize, text: String, tone: Tone) {
        self.rows.push(Row { group: None, cells: vec![Cell { x, text, tone }] });
    }

    /// Title, source title, a line of facts, a rule.
    fn header(&mut self, article: &Article, x: usize, w: usize) {
        let m = &article.meta;
        for l in wrap(&m.title, w) {
            self.line(x, l, Tone::Title);
        }
        if let Some(st) = &m.source_title {
            for l in wrap(st, w) {
                self.line(x, l, Tone::SourceTitle);
            }
        }
        let mut facts: Vec<String> = Vec::new();
        facts.extend(m.outlet.clone());
        facts.extend(m.published.as_ref().map(|p| p.date().to_string()));
        if !m.authors.is_empty() {
            facts.push(format!("by {}", m.authors.join(", ")));
        }
        if let Some(t) = &m.translator {
            facts.push(format!("translated by {t}"));
        }
        facts.push(m.lang_pair());
        facts.push(match &article.pairing {
            Pairing::Given => "pairs given".to_string(),
            Pairing::Aligned(summary) => format!("aligned: {summary}"),
        });
        for l in wrap(&facts.join(" · "), w) {
            self.line(x, l, Tone::Meta);
        }
        self.line(x, "─".repeat(w), Tone::Rule);
        self.blank();
    }
}

/// The wrapped lines of one side of a group, with their tones, handed to `emit`; a placeholder
/// when the side is missing. Several paragraphs on one side are stacked with a blank line
/// between them.
fn column_lines(g: &Group, side: Side, column: usize, wrapper: &mut Wrapper, mut emit: impl FnMut(String, Tone)) {
    let paragraphs = match side {
        Side::Source => &g.source,
        Side::Translation => &g.translation,
    };
    if paragraphs.is_empty() {
        let text = match side {
            Side::Source => NO_SOURCE,
            Side::Translation => NO_TRANSLATION,
        };
        emit(text::truncate(text, column), Tone::Placeholder);
        return;
    }
    let tone = Tone::Body(g.kind, side);
    let prefix = match g.kind {
        Kind::Quote => QUOTE_BAR,
        Kind::Caption => CAPTION_INDENT,
        _ => "",
    };
    let prefix = if width(prefix) < column { prefix } else { "" };
    let inner = column - width(prefix);
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            emit(String::new(), tone);
        }
        wrapper.wrap_each(p, inner, |l| {
            let mut line = String::with_capacity(prefix.len() + l.len());
            line.push_str(prefix);
            line.push_str(l);
            emit(line, tone);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Meta, Published};

    fn article(groups: Vec<Group>) -> Article {
        Article {
            meta: Meta {
                id: "a".into(),
                path: "a.toml".into(),
                title: "Seoul hosts a forum".into(),
                source_title: Some("서울시 포럼".into()),
                source_lang: "ko".into(),
                target_lang: "en".into(),
                outlet: Some("Daily".into()),
                url: None,
                published: Some(Published("2024-07-11".into())),
                authors: vec!["Kim".into()],
                translator: None,
                tags: vec![],
                summary: None,
            },
            groups: groups.into(),
            pairing: Pairing::Given,
        }
    }

    fn g(s: &str, t: &str) -> Group {
        let side = |x: &str| {
            if x.is_empty() { vec![] } else { vec![x.to_string()] }
        };
        Group { kind: Kind::Text, source: side(s), translation: side(t) }
    }

    fn ko_en() -> Article {
        article(vec![
            g(
                "서울시는 11일 오후 시청 다목적홀에서 제1회 서울 북한인권 포럼을 열었다. 포럼은 7월 14일 북한이탈주민의 날을 앞두고 마련됐다.",
                "Seoul held its first forum.",
            ),
            g(
                "짧다.",
                "This English paragraph is considerably longer than its Korean source, so it wraps onto several lines in a narrow column.",
            ),
            g("번역 없음", ""),
            g("中文段落，没有空格也能正确换行。日本語の文章も同じです。", "Chinese and Japanese."),
        ])
    }

    #[test]
    fn side_by_side_pairs_start_on_the_same_row() {
        let a = ko_en();
        let l = layout(&a, Mode::SideBySide, 100, &Options::default());
        assert_eq!(l.mode, Mode::SideBySide);
        for (i, &start) in l.group_starts.iter().enumerate() {
            let row = &l.rows[start];
            assert_eq!(row.group, Some(i));
            let texts: Vec<_> = row.cells.iter().filter(|c| !matches!(c.tone, Tone::Divider | Tone::Gutter)).collect();
            assert_eq!(texts.len(), 2, "group {i} starts with both sides: {row:?}");
            assert_eq!(texts[0].x, l.rows[l.group_starts[0]].cells[0].x);
        }
    }

    #[test]
    fn korean_line_never_exceeds_column() {
        let a = ko_en();
        for w in [40, 63, 80, 100, 160] {
            let opts = Options { min_column: 10, ..Options::default() };
            let l = layout(&a, Mode::SideBySide, w, &opts);
            let column = (w - 2 - opts.gap) / 2;
            for row in &l.rows {
                for c in row.cells.iter().filter(|c| matches!(c.tone, Tone::Body(..) | Tone::Placeholder)) {
                    assert!(width(&c.text) <= column.min(80), "{w}: {:?}", c.text);
                }
            }
            for row in &l.rows {
                assert!(width(&row.plain()) <= w, "{w}: {}", row.plain());
            }
        }
    }

    #[test]
    fn missing_side_is_a_placeholder_in_its_own_column() {
        let l = layout(&ko_en(), Mode::SideBySide, 120, &Options::default());
        let row = &l.rows[l.group_starts[2]];
        let placeholder = row.cells.iter().find(|c| c.tone == Tone::Placeholder).unwrap();
        let source = row.cells.iter().find(|c| matches!(c.tone, Tone::Body(_, Side::Source))).unwrap();
        assert!(placeholder.x > source.x, "the translation column stays on the right");
    }

    #[test]
    fn swap_puts_translation_left() {
        let opts = Options { swap: true, ..Options::default() };
        let l = layout(&ko_en(), Mode::SideBySide, 120, &opts);
        let row = &l.rows[l.group_starts[0]];
        assert_eq!(row.cells[0].tone, Tone::Body(Kind::Text, Side::Translation));
    }

    #[test]
    fn interleaved_puts_source_before_translation() {
        let l = layout(&ko_en(), Mode::Interleaved, 80, &Options::default());
        let rows: Vec<_> = l.rows.iter().filter(|r| r.group == Some(0)).collect();
        assert_eq!(rows[0].cells[0].tone, Tone::Body(Kind::Text, Side::Source));
        assert_eq!(rows.last().unwrap().cells[0].tone, Tone::Body(Kind::Text, Side::Translation));
    }

    #[test]
    fn narrow_side_by_side_falls_back_to_interleaved() {
        let l = layout(&ko_en(), Mode::SideBySide, 50, &Options::default());
        assert!(l.fell_back);
        assert_eq!(l.mode, Mode::Interleaved);
    }

    #[test]
    fn single_column_modes_respect_max_width() {
        for mode in [Mode::Translation, Mode::Source, Mode::Interleaved] {
            let l = layout(&ko_en(), mode, 200, &Options::default());
            for row in &l.rows {
                for c in &row.cells {
                    assert!(width(&c.text) <= 80);
                }
            }
        }
    }

    #[test]
    fn unpaired_and_merged_groups_are_marked_in_the_gutter() {
        let mut a = ko_en();
        let mut groups = a.groups.to_vec();
        groups.push(Group {
            kind: Kind::Text,
            source: vec!["가".into(), "나".into()],
            translation: vec!["A and B.".into()],
        });
        a.groups = groups.into();
        let l = layout(&a, Mode::SideBySide, 120, &Options::default());
        let mark =
            |g: usize| l.rows[l.group_starts[g]].cells.iter().find(|c| c.tone == Tone::Gutter).map(|c| c.text.clone());
        assert_eq!(mark(0), None);
        assert_eq!(mark(2).as_deref(), Some("1:0"));
        assert_eq!(mark(4).as_deref(), Some("2:1"));
        let bar = l.bar.unwrap();
        let text_x = l.rows[l.group_starts[0]].cells[0].x;
        assert_eq!(bar + 1, text_x);
        // The two stacked source paragraphs and the one translation start on the same row.
        let first = &l.rows[l.group_starts[4]];
        assert!(first.cells.iter().any(|c| c.text == "가") && first.cells.iter().any(|c| c.text == "A and B."));
        assert!(l.rows[l.group_rows(4)].iter().any(|r| r.cells.iter().any(|c| c.text == "나")));
    }

    /// A long article is laid out in runs on several threads; the rows are the same as laying
    /// it out in one run.
    #[test]
    fn runs_on_threads_join_into_the_same_layout() {
        let mut groups = Vec::new();
        for i in 0..700 {
            let mut g = ko_en().groups[i % 4].clone();
            g.kind = [Kind::Text, Kind::Quote, Kind::Caption, Kind::Heading][i % 4];
            if i % 11 == 0 {
                g.source.push(format!("{i}번째 문단"));
            }
            groups.push(g);
        }
        let join = |parts: Vec<Part>| {
            let mut rows = Vec::new();
            let mut starts = Vec::new();
            for p in parts {
                starts.extend(p.group_starts.iter().map(|s| s + rows.len()));
                rows.extend(p.rows);
            }
            (rows, starts)
        };
        let a = article(groups);
        for mode in Mode::ALL {
            for swap in [false, true] {
                let opts = Options { swap, ..Options::default() };
                let plan = Plan::new(mode, 120, &opts);
                let (rows, starts) = join(lay_out_groups(&a.groups, &plan, 1));
                for threads in [2, 3, 5] {
                    assert_eq!(join(lay_out_groups(&a.groups, &plan, threads)), (rows.clone(), starts.clone()));
                }
                let l = layout(&a, mode, 120, &opts);
                let header = layout(&article(vec![]), mode, 120, &opts).rows;
                assert_eq!(l.rows[..header.len()], header[..]);
                assert_eq!(l.rows[header.len()..], rows[..], "{mode:?} swap {swap}");
                assert_eq!(l.group_starts, starts.iter().map(|s| s + header.len()).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn cuts_are_even_and_cover_every_group() {
        let groups: Vec<Group> = (0..10).map(|i| g(&"가".repeat(if i < 5 { 1 } else { 30 }), "")).collect();
        assert_eq!(cut_evenly(&groups, 1), vec![0, 10]);
        let cuts = cut_evenly(&groups, 2);
        assert_eq!(cuts.len(), 3);
        assert!((6..=8).contains(&cuts[1]), "{cuts:?}");
        assert_eq!(cut_evenly(&groups[..1], 2), vec![0, 1]);
        assert_eq!(cut_evenly(&[], 2), vec![0, 0]);
    }

    #[test]
    fn group_at_finds_the_group_above() {
        let l = layout(&ko_en(), Mode::Translation, 80, &Options::default());
        assert_eq!(l.group_at(0), None);
        assert_eq!(l.group_at(l.group_starts[1]), Some(1));
        assert_eq!(l.group_at(l.group_starts[1] + 1), Some(1));
    }
}
