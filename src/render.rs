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
    /// The article's summary, under the facts.
    Summary,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell<'a> {
    pub x: usize,
    pub text: &'a str,
    pub tone: Tone,
}

/// One row of a [`Layout`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The paragraph group this row belongs to (none for the header and blank rows).
    pub group: Option<usize>,
    cells: &'a [CellEntry],
    text: &'a str,
}

impl<'a> Row<'a> {
    /// The row's cells, left to right.
    pub fn cells(&self) -> impl Iterator<Item = Cell<'a>> + 'a {
        let text = self.text;
        self.cells.iter().map(move |c| Cell {
            x: c.x as usize,
            text: &text[c.start as usize..(c.start + c.len) as usize],
            tone: c.tone,
        })
    }

    /// The row as plain text (cells padded to their offsets, trailing spaces trimmed).
    pub fn plain(&self) -> String {
        let mut out = String::new();
        let mut at = 0;
        for cell in self.cells() {
            if cell.x > at {
                out.extend(std::iter::repeat_n(' ', cell.x - at));
                at = cell.x;
            }
            out.push_str(cell.text);
            at += width(cell.text);
        }
        out.truncate(out.trim_end().len());
        out
    }
}

/// A row as stored: its group (`NO_GROUP` for none) and where its cells start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowEntry {
    group: u32,
    first: u32,
}

const NO_GROUP: u32 = u32::MAX;

/// A cell as stored: its column, and its text as a range of the layout's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CellEntry {
    x: u32,
    start: u32,
    len: u32,
    tone: Tone,
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
    /// The key that machine-translates, named where a translation is missing (the reader's
    /// `press T to translate`; none for `bitext show`).
    pub translate_key: Option<char>,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_width: 80, gap: 3, min_column: 30, swap: false, translate_key: None }
    }
}

/// An article laid out for one mode and width. Rows and cells are small fixed records over one
/// string holding all the text, so a long article's layout costs little more than its text
/// (a few bytes a row); repeated pieces (the divider, the placeholders) are stored once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    rows: Vec<RowEntry>,
    cells: Vec<CellEntry>,
    text: String,
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
    /// A layout with no rows, to add rows to with [`Layout::push_row`].
    pub fn empty(mode: Mode) -> Layout {
        Layout {
            rows: Vec::new(),
            cells: Vec::new(),
            text: String::new(),
            group_starts: Vec::new(),
            mode,
            fell_back: false,
            bar: None,
            divider: None,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> Option<Row<'_>> {
        let entry = self.rows.get(i)?;
        let end = self.rows.get(i + 1).map_or(self.cells.len(), |r| r.first as usize);
        Some(Row {
            group: (entry.group != NO_GROUP).then_some(entry.group as usize),
            cells: &self.cells[entry.first as usize..end],
            text: &self.text,
        })
    }

    /// Rows `range` (clamped to the layout), in order.
    pub fn rows(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = Row<'_>> {
        let end = range.end.min(self.rows.len());
        (range.start.min(end)..end).filter_map(|i| self.row(i))
    }

    /// Adds a row of `cells` (column, text, tone) at the end.
    pub fn push_row<'t>(&mut self, group: Option<usize>, cells: impl IntoIterator<Item = (usize, &'t str, Tone)>) {
        self.start_row(group);
        for (x, text, tone) in cells {
            self.push_cell(x, text, tone);
        }
    }

    fn start_row(&mut self, group: Option<usize>) {
        let group = group.map_or(NO_GROUP, |g| u32::try_from(g).unwrap_or(NO_GROUP - 1));
        self.rows.push(RowEntry { group, first: self.cells.len() as u32 });
    }

    /// Adds a cell to the last row; its text is stored after what the layout holds.
    fn push_cell(&mut self, x: usize, text: &str, tone: Tone) {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        self.push_stored(x, start, text.len() as u32, tone);
    }

    /// Adds a cell whose text is already stored at `start`.
    fn push_stored(&mut self, x: usize, start: u32, len: u32, tone: Tone) {
        self.cells.push(CellEntry { x: x as u32, start, len, tone });
    }

    /// Appends `other`'s rows (a run of groups laid out apart), its group starts shifted.
    fn append(&mut self, other: Layout) {
        let (rows, cells, text) = (self.rows.len(), self.cells.len() as u32, self.text.len() as u32);
        self.group_starts.extend(other.group_starts.iter().map(|s| s + rows));
        self.rows.extend(other.rows.iter().map(|r| RowEntry { group: r.group, first: r.first + cells }));
        self.cells.extend(other.cells.iter().map(|c| CellEntry { start: c.start + text, ..*c }));
        self.text.push_str(&other.text);
    }

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
        self.rows(0..self.len()).map(|r| r.plain()).collect()
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

/// The widest a gutter mark may be: the gutter's last column is the reading cursor's bar.
pub const MARK_WIDTH: usize = GUTTER - 1;

/// The gutter mark of a group that is not a plain pair: `1:0` (no translation), `0:1` (no
/// source), `2:1`, `1:2`, `2:2` (merged or split paragraphs); `mt` for a machine's translation.
pub fn group_mark(g: &Group) -> Option<String> {
    let kind = (g.source.len(), g.translation.len());
    if kind != (1, 1) {
        Some(format!("{}:{}", kind.0, kind.1))
    } else if g.machine {
        // A machine's translation, so a reader knows which text a person wrote.
        Some("mt".to_string())
    } else {
        None
    }
}

/// The mark of a pair whose source paragraph the translation moved: `↕7`, where it stands in the
/// source edition; only the arrow when the number does not fit the gutter (the status line
/// names it).
pub fn moved_mark(from: u32) -> String {
    let mark = format!("↕{from}");
    if width(&mark) <= MARK_WIDTH { mark } else { "↕".to_string() }
}

/// The mark of a pair the aligner was unsure of.
pub const UNSURE_MARK: &str = "?";

/// The gutter marks of group `g` laid out on `rows` rows, one a row from its first: its kind
/// (`2:1`, `mt`), then where its source stood (`↕7`), then `?` when unsure. A group with fewer
/// rows than marks puts marks side by side where they fit (`↕7?`), and leaves out the least
/// telling (the kind first: the placeholder or the stacked paragraphs show it anyway). A
/// hand-made pair has no mark: the status line and the header say so.
pub fn gutter_lines(g: &Group, rows: usize) -> Vec<String> {
    // Each with its weight: the lighter goes first when there is no room.
    let mut marks: Vec<(String, u8)> = Vec::new();
    marks.extend(group_mark(g).map(|m| (m, 0)));
    marks.extend(g.moved_from.map(|n| (moved_mark(n), 1)));
    if g.is_unsure() {
        marks.push((UNSURE_MARK.to_string(), 2));
    }
    loop {
        let lines: Vec<String> =
            if marks.len() <= rows { marks.iter().map(|(m, _)| m.clone()).collect() } else { packed(&marks) };
        if lines.len() <= rows.max(1) {
            return lines;
        }
        let lightest = marks.iter().enumerate().min_by_key(|(_, (_, w))| *w).map_or(0, |(i, _)| i);
        marks.remove(lightest);
    }
}

/// Marks in order, each put beside the one before when both fit [`MARK_WIDTH`].
fn packed(marks: &[(String, u8)]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (m, _) in marks {
        match lines.last_mut() {
            Some(last) if width(last) + width(m) <= MARK_WIDTH => last.push_str(m),
            _ => lines.push(m.clone()),
        }
    }
    lines
}

/// Lays out `article` in `mode` for a pane `pane_width` columns wide.
pub fn layout(article: &Article, mode: Mode, pane_width: usize, opts: &Options) -> Layout {
    let plan = Plan::new(mode, pane_width, opts);
    let mut b = Layout::empty(plan.mode);
    header(&mut b, article, plan.x0, plan.total);
    let parts = lay_out_groups(&article.groups, &plan, threads_for(article.groups.len()));
    b.rows.reserve_exact(parts.iter().map(|p| p.rows.len()).sum());
    b.cells.reserve_exact(parts.iter().map(|p| p.cells.len()).sum());
    b.text.reserve_exact(parts.iter().map(|p| p.text.len()).sum());
    b.group_starts.reserve_exact(article.groups.len());
    for part in parts {
        b.append(part);
    }
    b.divider = (plan.mode == Mode::SideBySide && opts.gap > 0 && !article.groups.is_empty()).then_some(plan.divider_x);
    b.bar = (plan.gutter > 0).then(|| plan.x0 - 1);
    b.fell_back = plan.fell_back;
    b
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
    translate_key: Option<char>,
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
            translate_key: opts.translate_key,
        }
    }
}

/// Groups from this many on are laid out on several threads.
const PARALLEL_MIN_GROUPS: usize = 200;
/// The fewest groups worth a thread of their own.
const GROUPS_PER_THREAD: usize = 100;

/// The rows of every group: a long article is cut into runs of about equal text, laid out on
/// as many threads as there are cores (the calling thread takes the first run).
fn lay_out_groups(groups: &[Group], plan: &Plan, threads: usize) -> Vec<Layout> {
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

/// Lays out `groups`, the first of which is group `first` of the article: a part of a layout,
/// its group starts relative to the part.
fn lay_out_run(groups: &[Group], first: usize, plan: &Plan) -> Layout {
    let mut wrapper = Wrapper::default();
    let mut part = Layout::empty(plan.mode);
    part.rows.reserve(groups.len() * 8);
    part.group_starts.reserve(groups.len());
    // Pieces every row or many rows repeat, stored once.
    let mut interned: Vec<(&'static str, u32)> = Vec::new();
    let mut stored = |part: &mut Layout, text: &'static str| -> (u32, u32) {
        let start = match interned.iter().find(|(t, _)| *t == text) {
            Some(&(_, start)) => start,
            None => {
                let start = part.text.len() as u32;
                part.text.push_str(text);
                interned.push((text, start));
                start
            }
        };
        (start, text.len() as u32)
    };
    let mut l: Vec<(Line, Tone)> = Vec::new();
    let mut r: Vec<(Line, Tone)> = Vec::new();
    for (k, g) in groups.iter().enumerate() {
        let i = first + k;
        let start = part.rows.len();
        part.group_starts.push(start);
        if plan.mode == Mode::SideBySide {
            column_lines(g, plan.left, plan, &mut wrapper, &mut part.text, &mut l);
            column_lines(g, plan.right, plan, &mut wrapper, &mut part.text, &mut r);
            let n = l.len().max(r.len());
            let marks = if plan.gutter > 0 { gutter_lines(g, n) } else { Vec::new() };
            let (mut li, mut ri) = (l.drain(..), r.drain(..));
            for row in 0..n {
                part.start_row(Some(i));
                if let Some(mark) = marks.get(row) {
                    part.push_cell(plan.mark_x, mark, Tone::Gutter);
                }
                if let Some((piece, tone)) = li.next() {
                    push_line(&mut part, plan.x0, piece, tone, &mut stored);
                }
                if plan.gap > 0 {
                    let (start, len) = stored(&mut part, "│");
                    part.push_stored(plan.divider_x, start, len, Tone::Divider);
                }
                if let Some((piece, tone)) = ri.next() {
                    push_line(&mut part, plan.right_x, piece, tone, &mut stored);
                }
            }
        } else {
            let sides: &[Side] = match plan.mode {
                Mode::Translation => &[Side::Translation],
                Mode::Source => &[Side::Source],
                _ => &[Side::Source, Side::Translation],
            };
            for &side in sides {
                column_lines(g, side, plan, &mut wrapper, &mut part.text, &mut l);
            }
            let marks = if plan.gutter > 0 { gutter_lines(g, l.len()) } else { Vec::new() };
            for (row, (piece, tone)) in l.drain(..).enumerate() {
                part.start_row(Some(i));
                if let Some(mark) = marks.get(row) {
                    part.push_cell(plan.mark_x, mark, Tone::Gutter);
                }
                push_line(&mut part, plan.x0, piece, tone, &mut stored);
            }
        }
        part.start_row(None);
    }
    part
}

/// A line of a column: text to store, or a piece stored once for the whole layout.
enum Line {
    Text(std::ops::Range<u32>),
    Stored(&'static str),
    /// A placeholder cut to the column.
    Owned(String),
}

fn push_line(
    part: &mut Layout,
    x: usize,
    line: Line,
    tone: Tone,
    stored: &mut impl FnMut(&mut Layout, &'static str) -> (u32, u32),
) {
    match line {
        Line::Text(range) => part.push_stored(x, range.start, range.end - range.start, tone),
        Line::Stored(text) => {
            let (start, len) = stored(part, text);
            part.push_stored(x, start, len, tone);
        }
        Line::Owned(text) => part.push_cell(x, &text, tone),
    }
}

/// The title, the source title, the line of facts, the summary, a rule and a blank row.
fn header(b: &mut Layout, article: &Article, x: usize, w: usize) {
    let m = &article.meta;
    for l in wrap(&m.title, w) {
        b.push_row(None, [(x, l.as_str(), Tone::Title)]);
    }
    if let Some(st) = &m.source_title {
        for l in wrap(st, w) {
            b.push_row(None, [(x, l.as_str(), Tone::SourceTitle)]);
        }
    }
    for l in fact_lines(&facts(article), w) {
        b.push_row(None, [(x, l.as_str(), Tone::Meta)]);
    }
    if let Some(summary) = m.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        for l in wrap(summary, w) {
            b.push_row(None, [(x, l.as_str(), Tone::Summary)]);
        }
    }
    b.push_row(None, [(x, "─".repeat(w).as_str(), Tone::Rule)]);
    b.push_row(None, []);
}

/// The facts of the header, in order: each a phrase (`2024-07-11`, `by Kim Su-a, Lee Jun`)
/// given as its parts, which a list such as the authors, the tags or an alignment's beads has
/// several of.
fn facts(article: &Article) -> Vec<Vec<String>> {
    let m = &article.meta;
    let mut facts: Vec<Vec<String>> = Vec::new();
    facts.extend(m.outlet.as_ref().map(|o| vec![o.to_string()]));
    facts.extend(m.published.as_ref().map(|p| vec![p.date().to_string()]));
    facts.extend(labelled("by ", m.authors.iter().map(|a| a.as_str())));
    if let Some(t) = &m.translator {
        facts.push(vec![format!("translated by {t}")]);
    }
    facts.push(vec![m.lang_pair()]);
    let paired = paired_facts(article);
    match &article.pairing {
        Pairing::Given if paired.is_empty() => facts.push(vec!["pairs given".to_string()]),
        Pairing::Given => {}
        Pairing::Aligned(summary) => facts.extend(labelled("aligned: ", summary.split(PART_SEPARATOR))),
    }
    facts.extend(paired);
    if let Some(mt) = &m.machine_translation {
        facts.push(vec!["machine translation".to_string()]);
        facts.push(vec![match &mt.model {
            Some(model) => format!("{} ({model})", mt.engine),
            None => mt.engine.clone(),
        }]);
        facts.extend(mt.date.clone().map(|d| vec![d]));
    }
    facts.extend(labelled("tags: ", m.tags.iter().map(|t| t.as_str())));
    facts
}

/// How the pairs came to be, each its own fact, the first after `paired: `: the aligner's method
/// and confidence (`[alignment]`), then how many pairs are unsure, moved and made by hand
/// (`paired: anchors and lengths · 0.87 · 2 unsure · 1 moved · 3 by hand`); what is zero or
/// absent is left out, and nothing at all when the file says none of it.
fn paired_facts(article: &Article) -> Vec<Vec<String>> {
    let alignment = article.meta.alignment.as_ref();
    let count = |f: fn(&Group) -> bool| article.groups.iter().filter(|g| f(g)).count();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(alignment.map(|a| a.method.clone()).filter(|m| !m.is_empty()));
    parts.extend(alignment.and_then(|a| a.confidence).map(|c| format!("{c:.2}")));
    for (n, what) in [
        (count(Group::is_unsure), "unsure"),
        (count(|g| g.moved_from.is_some()), "moved"),
        (count(|g| g.manual), "by hand"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if let Some(first) = parts.first_mut() {
        first.insert_str(0, "paired: ");
    }
    parts.into_iter().map(|p| vec![p]).collect()
}

/// A list as the parts of one fact, the first after `label`; none for an empty list.
fn labelled<'a>(label: &str, items: impl IntoIterator<Item = &'a str>) -> Option<Vec<String>> {
    let mut items = items.into_iter();
    let first = items.next()?;
    Some(std::iter::once(format!("{label}{first}")).chain(items.map(str::to_string)).collect())
}

/// Between two facts on a line.
const FACT_SEPARATOR: &str = " · ";
/// Between two parts of one fact.
const PART_SEPARATOR: &str = ", ";

/// The facts as lines at most `w` wide, `a · b · c`. Lines break only between facts; a fact
/// wider than a whole line starts a line of its own and breaks between its parts (the comma
/// kept at the end of the line), and a part wider than a line is wrapped as text is.
fn fact_lines(facts: &[Vec<String>], w: usize) -> Vec<String> {
    let mut out = Packed { lines: Vec::new(), line: String::new(), w };
    for fact in facts {
        let whole = fact.join(PART_SEPARATOR);
        if width(&whole) <= w {
            out.put(&whole, FACT_SEPARATOR);
            continue;
        }
        out.end_line();
        let comma = PART_SEPARATOR.trim_end();
        for (i, part) in fact.iter().enumerate() {
            let piece = if i + 1 < fact.len() { format!("{part}{comma}") } else { part.clone() };
            if width(&piece) <= w {
                out.put(&piece, " ");
                continue;
            }
            out.end_line();
            let mut wrapped = wrap(&piece, w);
            let last = wrapped.pop().unwrap_or_default();
            out.lines.extend(wrapped);
            out.line = last;
        }
    }
    out.end_line();
    out.lines
}

/// Lines filled piece by piece, first fit.
struct Packed {
    lines: Vec<String>,
    line: String,
    w: usize,
}

impl Packed {
    /// Adds `piece` to the line after `separator`, or starts a new line with it when it does
    /// not fit.
    fn put(&mut self, piece: &str, separator: &str) {
        if !self.line.is_empty() && width(&self.line) + width(separator) + width(piece) > self.w {
            self.end_line();
        }
        if !self.line.is_empty() {
            self.line.push_str(separator);
        }
        self.line.push_str(piece);
    }

    fn end_line(&mut self) {
        if !self.line.is_empty() {
            self.lines.push(std::mem::take(&mut self.line));
        }
    }
}

/// The wrapped lines of one side of a group, with their tones, added to `out`: each line's
/// text is written to `text` (the layout's text) and named by its range there; a placeholder
/// when the side is missing. Several paragraphs on one side are stacked with a blank line
/// between them.
fn column_lines(
    g: &Group,
    side: Side,
    plan: &Plan,
    wrapper: &mut Wrapper,
    text: &mut String,
    out: &mut Vec<(Line, Tone)>,
) {
    let (column, translate_key) = (plan.column, plan.translate_key);
    let paragraphs = match side {
        Side::Source => &g.source,
        Side::Translation => &g.translation,
    };
    if paragraphs.is_empty() {
        let placeholder = match side {
            Side::Source => NO_SOURCE,
            Side::Translation => NO_TRANSLATION,
        };
        if side == Side::Translation
            && let Some(key) = translate_key
        {
            let hint = format!("(no translation: press {key} to translate)");
            if width(&hint) <= column {
                out.push((Line::Owned(hint), Tone::Placeholder));
                return;
            }
        }
        let piece = if width(placeholder) <= column {
            Line::Stored(placeholder)
        } else {
            Line::Owned(text::truncate(placeholder, column))
        };
        out.push((piece, Tone::Placeholder));
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
            out.push((Line::Stored(""), tone));
        }
        wrapper.wrap_each(p, inner, |l| {
            let start = text.len() as u32;
            text.push_str(prefix);
            text.push_str(l);
            out.push((Line::Text(start..text.len() as u32), tone));
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
                machine_translation: None,
                feed: None,
                guid: None,
                alignment: None,
            },
            groups: groups.into(),
            pairing: Pairing::Given,
        }
    }

    fn g(s: &str, t: &str) -> Group {
        let side = |x: &str| {
            if x.is_empty() { vec![] } else { vec![x.to_string()] }
        };
        Group { kind: Kind::Text, source: side(s), translation: side(t), ..Group::default() }
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

    /// The cells of row `i`.
    fn cells(l: &Layout, i: usize) -> Vec<Cell<'_>> {
        l.row(i).map(|r| r.cells().collect()).unwrap_or_default()
    }

    /// Every row as owned data: its group and cells, for comparing layouts.
    type Owned = Vec<(Option<usize>, Vec<(usize, String, Tone)>)>;
    fn owned(l: &Layout) -> Owned {
        l.rows(0..l.len()).map(|r| (r.group, r.cells().map(|c| (c.x, c.text.to_string(), c.tone)).collect())).collect()
    }

    #[test]
    fn side_by_side_pairs_start_on_the_same_row() {
        let a = ko_en();
        let l = layout(&a, Mode::SideBySide, 100, &Options::default());
        assert_eq!(l.mode, Mode::SideBySide);
        for (i, &start) in l.group_starts.iter().enumerate() {
            assert_eq!(l.row(start).unwrap().group, Some(i));
            let row = cells(&l, start);
            let texts: Vec<_> = row.iter().filter(|c| !matches!(c.tone, Tone::Divider | Tone::Gutter)).collect();
            assert_eq!(texts.len(), 2, "group {i} starts with both sides: {row:?}");
            assert_eq!(texts[0].x, cells(&l, l.group_starts[0])[0].x);
        }
    }

    #[test]
    fn korean_line_never_exceeds_column() {
        let a = ko_en();
        for w in [40, 63, 80, 100, 160] {
            let opts = Options { min_column: 10, ..Options::default() };
            let l = layout(&a, Mode::SideBySide, w, &opts);
            let column = (w - 2 - opts.gap) / 2;
            for row in l.rows(0..l.len()) {
                for c in row.cells().filter(|c| matches!(c.tone, Tone::Body(..) | Tone::Placeholder)) {
                    assert!(width(c.text) <= column.min(80), "{w}: {:?}", c.text);
                }
                assert!(width(&row.plain()) <= w, "{w}: {}", row.plain());
            }
        }
    }

    #[test]
    fn missing_side_is_a_placeholder_in_its_own_column() {
        let l = layout(&ko_en(), Mode::SideBySide, 120, &Options::default());
        let row = cells(&l, l.group_starts[2]);
        let placeholder = row.iter().find(|c| c.tone == Tone::Placeholder).unwrap();
        let source = row.iter().find(|c| matches!(c.tone, Tone::Body(_, Side::Source))).unwrap();
        assert!(placeholder.x > source.x, "the translation column stays on the right");
        assert_eq!(placeholder.text, "(no translation)");
        // The reader names the key that translates, where there is room.
        let hinted = Options { translate_key: Some('T'), ..Options::default() };
        let l = layout(&ko_en(), Mode::Translation, 120, &hinted);
        let row = cells(&l, l.group_starts[2]);
        assert!(row.iter().any(|c| c.text == "(no translation: press T to translate)"), "{row:?}");
        let l = layout(&ko_en(), Mode::SideBySide, 60, &Options { min_column: 10, ..hinted });
        let row = cells(&l, l.group_starts[2]);
        assert!(row.iter().any(|c| c.text == "(no translation)"), "too narrow for the hint: {row:?}");
    }

    #[test]
    fn swap_puts_translation_left() {
        let opts = Options { swap: true, ..Options::default() };
        let l = layout(&ko_en(), Mode::SideBySide, 120, &opts);
        assert_eq!(cells(&l, l.group_starts[0])[0].tone, Tone::Body(Kind::Text, Side::Translation));
    }

    #[test]
    fn interleaved_puts_source_before_translation() {
        let l = layout(&ko_en(), Mode::Interleaved, 80, &Options::default());
        let rows: Vec<_> = (0..l.len()).filter(|&i| l.row(i).unwrap().group == Some(0)).collect();
        assert_eq!(cells(&l, rows[0])[0].tone, Tone::Body(Kind::Text, Side::Source));
        assert_eq!(cells(&l, *rows.last().unwrap())[0].tone, Tone::Body(Kind::Text, Side::Translation));
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
            for row in l.rows(0..l.len()) {
                for c in row.cells() {
                    assert!(width(c.text) <= 80);
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
            ..Group::default()
        });
        a.groups = groups.into();
        let l = layout(&a, Mode::SideBySide, 120, &Options::default());
        let mark =
            |g: usize| cells(&l, l.group_starts[g]).iter().find(|c| c.tone == Tone::Gutter).map(|c| c.text.to_string());
        assert_eq!(mark(0), None);
        assert_eq!(mark(2).as_deref(), Some("1:0"));
        assert_eq!(mark(4).as_deref(), Some("2:1"));
        let bar = l.bar.unwrap();
        let text_x = cells(&l, l.group_starts[0])[0].x;
        assert_eq!(bar + 1, text_x);
        // The two stacked source paragraphs and the one translation start on the same row.
        let first = cells(&l, l.group_starts[4]);
        assert!(first.iter().any(|c| c.text == "가") && first.iter().any(|c| c.text == "A and B."));
        assert!(l.rows(l.group_rows(4)).any(|r| r.cells().any(|c| c.text == "나")));
    }

    /// A group with pairing facts: `g` moved from `moved`, with `confidence`.
    fn with_facts(mut g: Group, moved: Option<u32>, confidence: Option<f32>) -> Group {
        g.moved_from = moved;
        g.confidence = confidence;
        g
    }

    /// The gutter marks of group `i`, row by row (empty where a row has none).
    fn marks(l: &Layout, i: usize) -> Vec<String> {
        let rows: Vec<String> = l
            .rows(l.group_rows(i))
            .map(|r| r.cells().find(|c| c.tone == Tone::Gutter).map_or(String::new(), |c| c.text.to_string()))
            .collect();
        let n = rows.iter().rposition(|m| !m.is_empty()).map_or(0, |p| p + 1);
        rows[..n].to_vec()
    }

    #[test]
    fn several_facts_stack_on_the_rows_of_a_group() {
        let merged =
            Group {
                source: vec!["가".into(), "나".into()], translation: vec!["A and B.".into()], ..Group::default()
            };
        let a = article(vec![
            with_facts(merged, Some(7), Some(0.31)),
            with_facts(g("다", "C."), Some(12), None),
            with_facts(g("라", "D."), None, Some(0.2)),
            with_facts(g("마", "E."), Some(3), Some(0.9)),
        ]);
        let l = layout(&a, Mode::SideBySide, 120, &Options::default());
        assert_eq!(marks(&l, 0), ["2:1", "↕7", "?"]);
        assert_eq!(marks(&l, 1), ["↕12"]);
        assert_eq!(marks(&l, 2), ["?"]);
        assert_eq!(marks(&l, 3), ["↕3"], "sure enough: no `?`");
    }

    /// A group of one row shows its facts side by side where they fit, else the one that
    /// matters most: unsure, then moved, then the kind.
    #[test]
    fn a_one_line_group_shows_what_matters_most() {
        let one = |g: Group| gutter_lines(&g, 1);
        assert_eq!(one(with_facts(g("가", "A"), Some(7), Some(0.1))), ["↕7?"]);
        assert_eq!(one(with_facts(g("가", ""), Some(7), None)), ["↕7"], "the placeholder shows 1:0");
        assert_eq!(one(with_facts(g("가", ""), Some(12), Some(0.1))), ["?"]);
        let mut mt = g("가", "A");
        mt.machine = true;
        assert_eq!(one(with_facts(mt.clone(), None, Some(0.1))), ["mt?"]);
        assert_eq!(gutter_lines(&with_facts(mt, Some(7), Some(0.1)), 2), ["mt", "↕7?"]);
        assert_eq!(one(g("가", "A")), Vec::<String>::new());
        assert_eq!(moved_mark(99), "↕99");
        assert_eq!(moved_mark(100), "↕", "too wide for the gutter: the status line names it");
        // Made by hand: nothing in the gutter.
        let manual = Group { manual: true, ..g("가", "A") };
        assert_eq!(one(manual), Vec::<String>::new());
    }

    /// Whatever marks are shown, every line of both columns is where it would be without them,
    /// in every mode and at every width (narrow panes have no gutter at all), with CJK text;
    /// and no mark reaches the cursor's bar.
    #[test]
    fn marks_never_move_the_text() {
        let plain = ko_en();
        let mut marked = ko_en();
        let facts = [(Some(7), Some(0.2)), (Some(123), None), (None, Some(0.4)), (Some(2), Some(0.9))];
        marked.groups =
            marked.groups.iter().zip(facts).map(|(g, (m, c))| with_facts(g.clone(), m, c)).collect::<Vec<_>>().into();
        // The rows of the paragraphs without their marks (the header counts the facts).
        let text_only = |l: &Layout| -> Owned {
            owned(l)[l.group_starts[0]..]
                .iter()
                .map(|(g, cells)| (*g, cells.iter().filter(|c| c.2 != Tone::Gutter).cloned().collect()))
                .collect()
        };
        let starts = |l: &Layout| l.group_starts.iter().map(|s| s - l.group_starts[0]).collect::<Vec<_>>();
        for mode in Mode::ALL {
            for w in [20, 29, 30, 40, 63, 80, 100, 160] {
                let opts = Options { min_column: 10, ..Options::default() };
                let (a, b) = (layout(&plain, mode, w, &opts), layout(&marked, mode, w, &opts));
                assert_eq!(text_only(&a), text_only(&b), "{mode:?} at {w}");
                assert_eq!(starts(&a), starts(&b));
                let gutter: Vec<Cell<'_>> = b
                    .rows(0..b.len())
                    .flat_map(|r| r.cells().filter(|c| c.tone == Tone::Gutter).collect::<Vec<_>>())
                    .collect();
                match b.bar {
                    None => assert!(gutter.is_empty(), "no gutter below {GUTTER_MIN_PANE} columns: {w}"),
                    Some(bar) => {
                        assert!(!gutter.is_empty());
                        for c in gutter {
                            assert!(c.x + width(c.text) <= bar, "{mode:?} at {w}: {:?} reaches the bar", c.text);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_header_says_how_the_pairs_were_paired() {
        let line = |a: &Article| -> String {
            header_rows(&layout(a, Mode::Translation, 200, &Options { max_width: 200, ..Options::default() }))
                .into_iter()
                .filter(|(t, _)| *t == Tone::Meta)
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(line(&ko_en()).contains("ko→en · pairs given"), "{}", line(&ko_en()));
        let mut a = ko_en();
        a.meta.alignment = Some(Box::new(crate::article::AlignmentInfo {
            method: "anchors and lengths".into(),
            confidence: Some(0.87),
        }));
        let mut groups = a.groups.to_vec();
        groups[0] = with_facts(groups[0].clone(), Some(2), Some(0.3));
        groups[1] = with_facts(groups[1].clone(), None, Some(0.1));
        groups[1].manual = true;
        groups[2].manual = true;
        groups[3].manual = true;
        a.groups = groups.into();
        assert!(
            line(&a).contains("ko→en · paired: anchors and lengths · 0.87 · 2 unsure · 1 moved · 3 by hand"),
            "{}",
            line(&a)
        );
        // What is absent is left out; the aligner's summary of a `[body]` stays.
        a.meta.alignment = None;
        a.pairing = Pairing::Aligned("3×1-1, 1×1-0".into());
        assert!(line(&a).contains("aligned: 3×1-1, 1×1-0 · paired: 2 unsure · 1 moved · 3 by hand"), "{}", line(&a));
    }

    /// The divider and the placeholders are stored once, however many rows show them: a
    /// layout's text is about the article's text.
    #[test]
    fn repeated_pieces_are_stored_once() {
        let groups: Vec<Group> =
            (0..2_000).map(|i| g(&format!("문단 {i}"), if i % 2 == 0 { "" } else { "Text." })).collect();
        let a = article(groups);
        let l = layout(&a, Mode::SideBySide, 120, &Options::default());
        let dividers = (0..l.len()).filter(|&i| cells(&l, i).iter().any(|c| c.tone == Tone::Divider)).count();
        assert!(dividers >= 2_000);
        let body: usize = a.groups.iter().flat_map(|g| g.source.iter().chain(&g.translation)).map(String::len).sum();
        // The gutter marks (`1:0`, 3 bytes each) and the header come on top; 2,000 dividers and
        // 1,000 placeholders stored each time would add 22,000 bytes.
        assert!(l.text.len() < body + 4_000, "{} bytes of text for {body} bytes of paragraphs", l.text.len());
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
        let join = |parts: Vec<Layout>| {
            let mut l = Layout::empty(Mode::Translation);
            for p in parts {
                l.append(p);
            }
            (owned(&l), l.group_starts)
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
                let l = owned(&layout(&a, mode, 120, &opts));
                let header = owned(&layout(&article(vec![]), mode, 120, &opts));
                assert_eq!(l[..header.len()], header[..]);
                assert_eq!(l[header.len()..], rows[..], "{mode:?} swap {swap}");
                assert_eq!(
                    layout(&a, mode, 120, &opts).group_starts,
                    starts.iter().map(|s| s + header.len()).collect::<Vec<_>>()
                );
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

    /// The tones and texts of the header's rows (up to the rule).
    fn header_rows(l: &Layout) -> Vec<(Tone, String)> {
        let mut out = Vec::new();
        for row in l.rows(0..l.len()) {
            let Some(c) = row.cells().next() else { break };
            out.push((c.tone, c.text.to_string()));
            if c.tone == Tone::Rule {
                break;
            }
        }
        out
    }

    #[test]
    fn header_shows_the_tags_among_the_facts_and_the_summary_before_the_rule() {
        let mut a = ko_en();
        a.meta.tags = vec!["north korea".into(), "human rights".into()];
        a.meta.summary = Some("Seoul City Hall hosted the first forum on North Korean human rights.".into());
        let l = layout(&a, Mode::Translation, 40, &Options::default());
        let header = header_rows(&l);
        let tones: Vec<Tone> = header.iter().map(|(t, _)| *t).collect();
        let meta = tones.iter().position(|t| *t == Tone::Meta).unwrap();
        let summary = tones.iter().position(|t| *t == Tone::Summary).unwrap();
        assert!(meta < summary && tones[summary..tones.len() - 1].iter().all(|t| *t == Tone::Summary), "{header:?}");
        assert_eq!(tones.last(), Some(&Tone::Rule));
        let text = |tone| header.iter().filter(|(t, _)| *t == tone).map(|(_, s)| s.as_str()).collect::<Vec<_>>();
        assert_eq!(text(Tone::Summary).join(" "), a.meta.summary.as_deref().unwrap());
        assert!(text(Tone::Summary).iter().all(|l| width(l) <= 40));
        assert!(text(Tone::Meta).iter().any(|l| l.contains("tags: north korea, human rights")), "{header:?}");
        // None of either: the header is as it was.
        let plain = layout(&ko_en(), Mode::Translation, 40, &Options::default());
        assert!(header_rows(&plain).iter().all(|(t, s)| *t != Tone::Summary && !s.contains("tags")));
    }

    /// The facts of `meta`'s line, each whole: a line holds whole facts, `a · b`, or, for a fact
    /// wider than the line, a run of its parts.
    #[test]
    fn facts_break_only_between_facts() {
        let mut a = ko_en();
        a.meta.outlet = Some("Hangang Morning Post".into());
        a.meta.authors = vec!["Ko Eun-byeol".into(), "Kim Su-a".into()];
        a.meta.translator = Some("Claire Donnelly".into());
        a.meta.tags = vec!["north korea".into(), "human rights".into(), "seoul".into()];
        a.pairing = Pairing::Aligned("16×1-1, 1×2-1".into());
        let facts = facts(&a);
        let wholes: Vec<String> = facts.iter().map(|f| f.join(PART_SEPARATOR)).collect();
        assert!(wholes.contains(&"by Ko Eun-byeol, Kim Su-a".to_string()), "{wholes:?}");
        for w in 8..=160 {
            let lines = fact_lines(&facts, w);
            for line in &lines {
                assert!(width(line) <= w, "{w}: {line:?}");
            }
            // Every fact that fits a line is whole on one line.
            for whole in wholes.iter().filter(|f| width(f) <= w) {
                assert!(
                    lines.iter().any(|l| l.split(FACT_SEPARATOR).any(|piece| piece == whole)),
                    "{w}: {whole:?} is broken: {lines:#?}"
                );
            }
            // A fact too wide for a line breaks after its commas, each part whole where it fits.
            for fact in facts.iter().filter(|f| width(&f.join(PART_SEPARATOR)) > w) {
                for part in fact.iter().filter(|p| width(p) < w) {
                    assert!(lines.iter().any(|l| l.contains(part.as_str())), "{w}: {part:?} is broken: {lines:#?}");
                }
            }
            // Nothing is lost or added: the lines read back as the facts.
            let mut joined = String::new();
            for l in &lines {
                if !joined.is_empty() {
                    joined.push_str(if joined.ends_with(',') { " " } else { FACT_SEPARATOR });
                }
                joined.push_str(l);
            }
            if wholes.iter().all(|f| f.split(PART_SEPARATOR).all(|p| width(p) < w)) {
                assert_eq!(joined, wholes.join(FACT_SEPARATOR), "{w}");
            }
        }
        // The report's examples, at the widths where they broke.
        let at = |w| fact_lines(&facts, w);
        assert!(at(97).iter().all(|l| !l.ends_with("pairs") && !l.ends_with("Eun-")), "{:?}", at(97));
        assert!(at(60).iter().any(|l| l.contains("aligned: 16×1-1")), "{:?}", at(60));
    }
}
