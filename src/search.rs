//! Full-text search over the library, run off the UI thread.
//!
//! [`SearchIndex::build`] lowercases, once, everything a search looks at in each article: the
//! title, source title, outlet, tags and every paragraph of both languages. A [`Query`] is a list
//! of whitespace-separated words and `"quoted phrases"` that must all occur, case-insensitively
//! and as whole words where the script separates words with spaces (see [`Query`]). A
//! [`Searcher`] owns a long-lived worker thread (and helpers, one per further core, at most
//! [`MAX_THREADS`] in all) that scan the index in batches and stream [`SearchEvent`]s to a
//! callback in index order, so the list can show the first matches while the rest of a large
//! library is still being scanned, and a new keystroke supersedes the running scan.
//!
//! Case folding is [`str::to_lowercase`] on both sides (scripts without case, such as Hangul,
//! Han and kana, pass through unchanged), with one addition: Greek final sigma `ς` is folded
//! to `σ`, so that a term matches the middle of a word as well as its end.

use std::cell::Cell;
use std::io::Read as _;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::article::Article;

/// Documents scanned before the first [`SearchEvent::Batch`] of a search, kept small so the
/// first matches show quickly.
pub const FIRST_BATCH: usize = 64;
/// Documents scanned per later batch. A superseded scan stops at the next document.
pub const BATCH: usize = 256;
/// The most threads a [`Searcher`] scans with (its worker included); fewer on fewer cores.
pub const MAX_THREADS: usize = 8;
/// How long a search runs on the worker alone before helper threads join in.
const HELP_AFTER: Duration = Duration::from_millis(1);

/// The case folding applied to indexed text and to query terms alike: [`str::to_lowercase`],
/// then `ς` → `σ`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// Appends `fold(s)` to `out`.
///
/// Character by character: `str::to_lowercase` differs from per-character lowercasing only in
/// turning a word-final `Σ` into `ς`, which the sigma fold undoes. Scripts without case
/// (Hangul, kana, Han) are copied without a table lookup.
pub fn fold_into(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_caseless(c) {
            out.push(c);
        } else {
            for l in c.to_lowercase() {
                out.push(if l == 'ς' { 'σ' } else { l });
            }
        }
    }
}

/// Blocks with no case mappings at all (checked for every character in the tests).
fn is_caseless(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}'       // Hangul Jamo
        | '\u{2000}'..='\u{206f}'     // General Punctuation
        | '\u{3000}'..='\u{30ff}'     // CJK Symbols and Punctuation, Hiragana, Katakana
        | '\u{3130}'..='\u{318f}'     // Hangul Compatibility Jamo
        | '\u{3400}'..='\u{4dbf}'     // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'     // CJK Unified Ideographs
        | '\u{ac00}'..='\u{d7a3}') // Hangul Syllables
}

/// Whether `c`, in folded text, can only come from `c` itself or (ASCII) its capital: so a
/// folded term made of such characters occurs in `fold(s)` exactly where it occurs in `s` with
/// only ASCII lowercased. Not `i` and `k`, which also come from `İ` and the Kelvin sign
/// (checked for every character in the tests).
fn is_plain(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_uppercase() && c != 'i' && c != 'k') || is_caseless(c)
}

/// The longest run of [`is_plain`] characters in `term` without white space (empty if there is
/// none): the words of a phrase may be apart by any white space in the text.
fn longest_plain_run(term: &str) -> &str {
    let mut best = "";
    for run in term.split(|c: char| !is_plain(c) || c.is_whitespace()) {
        if run.len() > best.len() {
            best = run;
        }
    }
    best
}

/// Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar,
/// Tibetan): a term in them matches anywhere, as a substring.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0e00}'..='\u{0fff}'       // Thai, Lao, Tibetan
        | '\u{1000}'..='\u{109f}'     // Myanmar
        | '\u{1780}'..='\u{17ff}'     // Khmer
        | '\u{19e0}'..='\u{19ff}'     // Khmer Symbols
        | '\u{2e80}'..='\u{2fdf}'     // CJK Radicals, Kangxi Radicals
        | '\u{3040}'..='\u{30ff}'     // Hiragana, Katakana
        | '\u{3100}'..='\u{312f}'     // Bopomofo
        | '\u{31f0}'..='\u{31ff}'     // Katakana Phonetic Extensions
        | '\u{3400}'..='\u{4dbf}'     // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'     // CJK Unified Ideographs
        | '\u{f900}'..='\u{faff}'     // CJK Compatibility Ideographs
        | '\u{ff66}'..='\u{ff9f}'     // Halfwidth Katakana
        | '\u{20000}'..='\u{3134f}') // CJK Extensions B–G
}

/// Hangul: spaced, but words take their particles and endings without a space (`서울시는`).
fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}'       // Hangul Jamo
        | '\u{3130}'..='\u{318f}'     // Hangul Compatibility Jamo
        | '\u{a960}'..='\u{a97f}'     // Hangul Jamo Extended-A
        | '\u{ac00}'..='\u{d7ff}') // Hangul Syllables, Jamo Extended-B
}

/// A letter, digit or combining mark of a script that separates words with spaces: what a whole
/// word may not be cut from.
fn is_spaced_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric()
        || matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}'))
        && !is_unspaced(c)
}

/// One word or phrase of a [`Query`], folded, with what must surround it.
#[derive(Debug, Clone)]
struct Term {
    /// The folded text; the words of a phrase joined by one space.
    text: String,
    /// It starts with a letter or digit of a spaced script, so it must not follow one.
    start: bool,
    /// It ends with a letter or digit of a spaced script other than Hangul, so it must not be
    /// followed by one (Hangul may be: `LG는`).
    end: bool,
    /// A phrase of several words: each space matches any run of white space (but a line break)
    /// and hyphens.
    phrase: bool,
    /// Every character [`is_plain`].
    plain: bool,
    /// Its longest plain run without white space, looked for in raw files first.
    run: String,
    /// Finds its first word (the whole term unless it is a phrase).
    finder: memchr::memmem::Finder<'static>,
}

impl PartialEq for Term {
    fn eq(&self, other: &Term) -> bool {
        self.text == other.text && self.phrase == other.phrase
    }
}

impl Eq for Term {}

impl Term {
    fn new(text: String, phrase: bool) -> Term {
        let start = text.chars().next().is_some_and(is_spaced_word);
        let end = text.chars().next_back().is_some_and(|c| is_spaced_word(c) && !is_hangul(c));
        let phrase = phrase && text.contains(' ');
        let plain = text.chars().all(is_plain);
        let run = longest_plain_run(&text).to_owned();
        let first = if phrase { text.split(' ').next().unwrap_or_default() } else { text.as_str() };
        let finder = memchr::memmem::Finder::new(first.as_bytes()).into_owned();
        Term { text, start, end, phrase, plain, run, finder }
    }

    /// Whether it occurs in the folded text `hay`.
    fn occurs_in(&self, hay: &str) -> bool {
        if !self.start && !self.end && !self.phrase {
            return hay.contains(self.text.as_str());
        }
        self.find_in(hay, 0).is_some()
    }

    /// Its first occurrence in the folded text `hay` at or after byte `from` (a character
    /// boundary). Candidates are found with a vectorised `memmem` (`str::find` is several times
    /// slower on Hangul); a match of UTF-8 in UTF-8 always starts at a character.
    fn find_in(&self, hay: &str, from: usize) -> Option<Range<usize>> {
        let first = self.finder.needle().len();
        let mut at = from;
        while let Some(p) = hay.as_bytes().get(at..).and_then(|h| self.finder.find(h)) {
            let start = at + p;
            let mut end = start + first;
            let whole = !self.phrase
                || self.text.split(' ').skip(1).all(|word| {
                    let rest = &hay[end..];
                    let gap = rest.len() - rest.trim_start_matches(is_phrase_gap).len();
                    let ok = gap > 0 && rest[gap..].starts_with(word);
                    end += gap + word.len();
                    ok
                });
            if whole && self.bounded(hay, start, end) {
                return Some(start..end);
            }
            at = start + 1;
        }
        None
    }

    /// Whether `hay[start..end]` is not cut out of a longer word.
    fn bounded(&self, hay: &str, start: usize, end: usize) -> bool {
        let before = || {
            let mut back = hay[..start].chars().rev();
            match back.next() {
                None => true,
                // `\n`, `\t` and the like of a raw TOML string end a word.
                Some(c) if c.is_ascii_alphabetic() && back.next() == Some('\\') => true,
                Some(c) => !is_spaced_word(c),
            }
        };
        let after = || hay[end..].chars().next().is_none_or(|c| !is_spaced_word(c) || is_hangul(c));
        (!self.start || before()) && (!self.end || after())
    }
}

/// What may stand between two words of a phrase: white space but a line break, and hyphens.
fn is_phrase_gap(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}') || (c.is_whitespace() && c != '\n')
}

/// Folded text with, for each of its bytes, where the character it came from starts in the
/// original: matches in the folded text are placed on the original.
pub(crate) struct FoldMap {
    pub text: String,
    origin: Vec<usize>,
}

impl FoldMap {
    pub fn new(s: &str) -> FoldMap {
        let mut text = String::with_capacity(s.len());
        let mut origin = Vec::with_capacity(s.len() + 1);
        let mut buf = [0u8; 4];
        for (i, c) in s.char_indices() {
            let before = text.len();
            fold_into(&mut text, c.encode_utf8(&mut buf));
            origin.extend(std::iter::repeat_n(i, text.len() - before));
        }
        origin.push(s.len());
        FoldMap { text, origin }
    }

    /// The range of the original `s` (the string this map was made of) that the folded range
    /// `r` came from, whole characters.
    pub fn original(&self, r: Range<usize>, s: &str) -> Range<usize> {
        let start = self.origin[r.start];
        if r.end <= r.start {
            return start..start;
        }
        let last = self.origin[r.end - 1];
        start..last + s[last..].chars().next().map_or(0, char::len_utf8)
    }
}

/// Sorts `ranges` and merges those that overlap or touch.
fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Every occurrence of the folded `needle` in `text` (case-insensitive, anywhere), as ranges of
/// `text`: the matching of a find typed in the reader.
pub fn locate_substring(needle: &str, text: &str) -> Vec<Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    let map = FoldMap::new(text);
    map.text.match_indices(needle).map(|(at, m)| map.original(at..at + m.len(), text)).collect()
}

/// What is searched for one article, lowercased once.
///
/// The fields are joined with `\n`; since no term matches a line break, a term can never
/// match across two fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Haystack {
    text: String,
}

impl Haystack {
    /// The searchable text of one article.
    pub fn of(article: &Article) -> Haystack {
        let meta = &article.meta;
        let paragraphs = article.groups.iter().flat_map(|g| g.source.iter().chain(&g.translation));
        let size = meta.title.len()
            + meta.source_title.as_ref().map_or(0, String::len)
            + meta.outlet.as_ref().map_or(0, |o| o.len())
            + meta.tags.iter().map(|t| t.len()).sum::<usize>()
            + paragraphs.clone().map(String::len).sum::<usize>();
        let mut text = String::with_capacity(size + size / 8 + 64);
        let mut push = |s: &str| {
            if !s.is_empty() {
                fold_into(&mut text, s);
                text.push('\n');
            }
        };
        push(&meta.title);
        push(meta.source_title.as_deref().unwrap_or_default());
        push(meta.outlet.as_deref().unwrap_or_default());
        for tag in &meta.tags {
            push(tag);
        }
        for p in paragraphs {
            push(p);
        }
        text.shrink_to_fit();
        Haystack { text }
    }

    /// The folded text (fields separated by `\n`).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The folded text of every article, in library order.
///
/// Built with [`SearchIndex::build`] it holds every article's text in memory; built with
/// [`SearchIndex::on_disk`] it holds only the metadata and reads each body from its file while
/// searching, so a large library costs no memory until it is searched.
///
/// The texts lie one after another in one string and the files' paths in one buffer (two
/// allocations, not two per article: at 100,000 articles the difference is about 10 MB).
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    docs: Arena<String>,
    /// For an on-disk index: the file to read the body from, per document (its path's bytes).
    files: Arena<Vec<u8>>,
}

/// Strings one after another in `buf`: the `i`th runs from the end of the one before to
/// `ends[i]`. A text's is a `String`, so a document's text is a slice of it with no check of
/// its bytes on every search.
#[derive(Debug, Clone, Default)]
struct Arena<B> {
    buf: B,
    ends: Vec<usize>,
}

impl<B> Arena<B> {
    fn span(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(i)?;
        Some(if i == 0 { 0 } else { self.ends[i - 1] }..end)
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl Arena<String> {
    fn push_text(&mut self, h: &Haystack) {
        self.buf.push_str(&h.text);
        self.ends.push(self.buf.len());
    }

    /// Another arena's texts after these.
    fn append(&mut self, other: &Arena<String>) {
        let base = self.buf.len();
        self.buf.push_str(&other.buf);
        self.ends.extend(other.ends.iter().map(|e| base + e));
    }

    /// A document's folded text.
    fn text(&self, i: usize) -> Option<&str> {
        self.buf.get(self.span(i)?)
    }

    fn shrink_to_fit(&mut self) {
        self.buf.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl Arena<Vec<u8>> {
    fn push_path(&mut self, p: &std::path::Path) {
        use std::os::unix::ffi::OsStrExt;
        self.buf.extend_from_slice(p.as_os_str().as_bytes());
        self.ends.push(self.buf.len());
    }

    fn path(&self, i: usize) -> Option<&std::path::Path> {
        use std::os::unix::ffi::OsStrExt;
        self.buf.get(self.span(i)?).map(|b| std::path::Path::new(std::ffi::OsStr::from_bytes(b)))
    }

    fn shrink_to_fit(&mut self) {
        self.buf.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl SearchIndex {
    /// Indexes `articles`; document `i` is `articles[i]`. Large libraries are folded on all cores.
    pub fn build<A: std::borrow::Borrow<Article> + Sync>(articles: &[A]) -> SearchIndex {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut docs = Arena::default();
        if threads < 2 || articles.len() < 256 {
            for a in articles {
                docs.push_text(&Haystack::of(a.borrow()));
            }
            docs.shrink_to_fit();
            return SearchIndex { docs, files: Arena::default() };
        }
        let chunk = articles.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = articles
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        let mut docs = Arena::default();
                        for a in part {
                            docs.push_text(&Haystack::of(a.borrow()));
                        }
                        docs
                    })
                })
                .collect();
            for h in handles {
                let part = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                docs.append(&part);
            }
        });
        docs.shrink_to_fit();
        SearchIndex { docs, files: Arena::default() }
    }

    /// An index of the metadata of `articles` whose bodies are read from their files during a
    /// search (bodies need not be loaded).
    pub fn on_disk<A: std::borrow::Borrow<Article>>(articles: &[A]) -> SearchIndex {
        let (mut docs, mut files) = (Arena::default(), Arena::default());
        for a in articles {
            let a = a.borrow();
            let meta = Article { meta: a.meta.clone(), groups: Default::default(), pairing: a.pairing.clone() };
            docs.push_text(&Haystack::of(&meta));
            files.push_path(&a.meta.path);
        }
        docs.shrink_to_fit();
        files.shrink_to_fit();
        SearchIndex { docs, files }
    }

    /// [`SearchIndex::on_disk`] of the articles whose metadata `metas` yields, in that order,
    /// taking each as it comes (none is kept).
    pub fn on_disk_from(metas: impl Iterator<Item = crate::article::Meta>) -> SearchIndex {
        let (mut docs, mut files) = (Arena::default(), Arena::default());
        for meta in metas {
            let article = Article { meta, groups: Default::default(), pairing: crate::article::Pairing::Given };
            docs.push_text(&Haystack::of(&article));
            files.push_path(&article.meta.path);
        }
        docs.shrink_to_fit();
        files.shrink_to_fit();
        SearchIndex { docs, files }
    }

    /// Whether document `i` matches: its metadata, else (on disk) its metadata and body.
    ///
    /// The same as folding the whole body with [`body_text_into`] and matching the metadata and
    /// body together (a term never spans the two, as it never spans two fields), but cheaper: a
    /// term the metadata lacks is first looked for (its longest [`is_plain`] run) in the raw file
    /// with only ASCII lowercased, which rejects most articles without folding anything; a term
    /// made only of plain characters is then matched line by line without folding either.
    fn matches_with(&self, query: &Query, i: usize, scratch: &mut Scratch) -> bool {
        scratch.trim();
        scratch.body = None;
        let meta = self.docs.text(i).unwrap_or_default();
        let Scratch { raw, lower, folded, missing, body } = scratch;
        missing.clear();
        missing.extend(query.terms.iter().enumerate().filter(|(_, t)| !t.occurs_in(meta)).map(|(k, _)| k));
        if missing.is_empty() {
            return true;
        }
        let Some(path) = self.files.path(i) else { return false };
        if !read_into(raw, path) {
            return false;
        }
        // Folding does not tell `A` from `a`, nor does anything a body is split by. The file
        // itself is kept as it is, for a snippet.
        lower.clear();
        lower.extend(raw.iter().map(u8::to_ascii_lowercase));
        // A plain run of a term occurs in the folded body only where it occurs in the file (a
        // lossy decoding copies valid characters as they are): if it is not in the file at all,
        // the term is not in the body. Most articles stop here, before any decoding or folding.
        if !missing.iter().all(|&k| contains_bytes(lower, query.terms[k].run.as_bytes())) {
            return false;
        }
        let found = match std::str::from_utf8(lower) {
            Ok(text) => body_has_terms(text, query, missing, folded),
            Err(_) => {
                folded.clear();
                body_text_into(folded, &String::from_utf8_lossy(raw));
                missing.iter().all(|&k| query.terms[k].occurs_in(folded))
            }
        };
        if found {
            *body = Some(i);
        }
        found
    }

    /// A line of the body of document `i` around a term its metadata lacks, to show under the
    /// article in the list: `None` when the metadata holds every term (the list shows the field
    /// that matched) or the body was not read for this document by the last
    /// [`matches_with`](Self::matches_with).
    fn snippet_with(&self, query: &Query, i: usize, scratch: &mut Scratch) -> Option<String> {
        if scratch.body != Some(i) {
            return None;
        }
        let Scratch { raw, lower, folded, missing, .. } = scratch;
        let term = &query.terms[*missing.first()?];
        let value = match (std::str::from_utf8(raw), std::str::from_utf8(lower)) {
            // The lowercased copy has the layout of the file: a value found in it is the same
            // bytes of the file.
            (Ok(text), Ok(low)) if term.plain => {
                let v = body_values(low).find(|v| term.occurs_in(v))?;
                let at = v.as_ptr() as usize - low.as_ptr() as usize;
                text.get(at..at + v.len())?.to_string()
            }
            _ => {
                let text = String::from_utf8_lossy(raw);
                let v = body_values(&text).find(|v| {
                    folded.clear();
                    fold_into(folded, v);
                    term.occurs_in(folded)
                })?;
                v.to_string()
            }
        };
        Some(snippet(query, &unquote(&value)))
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The folded metadata of document `i` (fields separated by `\n`).
    pub fn get(&self, i: usize) -> Option<&str> {
        self.docs.text(i)
    }

    /// Every document matching `query`, in index order, scanned on the calling thread.
    pub fn search(&self, query: &Query) -> Vec<usize> {
        let mut scratch = Scratch::default();
        (0..self.docs.len()).filter(|&i| self.matches_with(query, i, &mut scratch)).collect()
    }
}

/// Buffers one scanning thread reuses from article to article.
#[derive(Default)]
struct Scratch {
    /// The article file.
    raw: Vec<u8>,
    /// The article file with ASCII lowercased.
    lower: Vec<u8>,
    /// Its folded body, when a term needs it.
    folded: String,
    /// The query terms (indices) the metadata lacks.
    missing: Vec<usize>,
    /// The document whose body matched `missing`, with its file in `raw` and `lower`.
    body: Option<usize>,
}

impl Scratch {
    /// Lets go of a buffer grown by an unusually large file.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 20;
        if self.raw.capacity() > 4 * KEEP {
            self.raw = Vec::with_capacity(KEEP);
            self.lower = Vec::with_capacity(KEEP);
        }
        if self.folded.capacity() > 4 * KEEP {
            self.folded = String::with_capacity(KEEP);
        }
    }
}

/// Reads the file at `path` into `buf` (replacing its contents); false if it cannot be read.
fn read_into(buf: &mut Vec<u8>, path: &Path) -> bool {
    /// Reads a file with plain reads into the buffer's spare room: `File::read_to_end` first
    /// asks for the file's size and position, two system calls a reused buffer does not need.
    struct Plain(std::fs::File);
    impl std::io::Read for Plain {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.0.read(buf)
        }
    }
    buf.clear();
    std::fs::File::open(path).and_then(|f| Plain(f).read_to_end(buf)).is_ok()
}

/// Whether every term `missing` names occurs in the body of the article file `text` (ASCII
/// already lowercased), as it would in the text [`body_text_into`] makes of it.
fn body_has_terms(text: &str, query: &Query, missing: &[usize], folded: &mut String) -> bool {
    folded.clear();
    missing.iter().all(|&k| {
        let term = &query.terms[k];
        if term.plain {
            // A plain term occurs in a folded value exactly where it occurs in the value, and
            // what surrounds it is a letter or digit in one exactly where it is in the other.
            body_values(text).any(|v| term.occurs_in(v))
        } else {
            if folded.is_empty() {
                body_text_into(folded, text);
            }
            term.occurs_in(folded)
        }
    })
}

/// Characters of context a snippet keeps before its first match, and in all.
const SNIPPET_BEFORE: usize = 40;
const SNIPPET_CHARS: usize = 200;

/// The text of a value of an article file as a reader would see it: without its quotes, with
/// the common escapes (`\"`, `\\`, `\n`, `\t`) undone.
fn unquote(value: &str) -> String {
    let v = value.trim();
    let v = v.trim_start_matches(['"', '\'']).trim_end_matches(',').trim_end_matches(['"', '\'']);
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 't' | 'r') => out.push(' '),
            Some(e) => out.push(e),
            None => {}
        }
    }
    out
}

/// A stretch of one line of `text` around the first match of `query`: at most
/// `SNIPPET_CHARS` characters, starting up to `SNIPPET_BEFORE` before the match (at a word
/// if there is one), with `…` where it was cut. Sanitised: article text is untrusted.
pub fn snippet(query: &Query, text: &str) -> String {
    let text = crate::text::sanitize_line(text);
    let first = query.locate(&text).first().map_or(0, |r| r.start);
    let before: Vec<(usize, char)> = text[..first].char_indices().rev().take(SNIPPET_BEFORE + 1).collect();
    let mut start = if before.len() > SNIPPET_BEFORE { before[SNIPPET_BEFORE - 1].0 } else { 0 };
    if start > 0
        && let Some(space) = text[start..first].find(' ')
    {
        start += space + 1;
    }
    let end = text[start..].char_indices().nth(SNIPPET_CHARS).map_or(text.len(), |(at, _)| start + at);
    let mut out = String::with_capacity(end - start + 6);
    if start > 0 {
        out.push('…');
    }
    out.push_str(text[start..end].trim_end());
    if end < text.len() {
        out.push('…');
    }
    out
}

/// Whether `needle` occurs in `haystack` (see [`find_bytes`]).
fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    find_bytes(haystack, needle).is_some()
}

/// Where `needle` first occurs in `haystack`: two of the needle's bytes, the least common in
/// articles, are compared at 32 positions at a time (which the compiler vectorizes), and the
/// whole needle only where both agree.
fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    const LANES: usize = 32;
    let m = needle.len();
    match m {
        0 => return Some(0),
        1 => return haystack.iter().position(|&b| b == needle[0]),
        _ if m > haystack.len() => return None,
        _ => {}
    }
    // How common a byte is in an article file, roughly: Hangul lead bytes and spaces most.
    let rank = |b: u8| match b {
        0xe0..=0xef | b' ' => 3,
        b'e' | b't' | b'a' | b'o' | b'n' | b'i' | b's' | b'r' | b'h' | b'"' | b'\n' => 2,
        b'a'..=b'z' => 1,
        _ => 0,
    };
    let first = (0..m).min_by_key(|&i| rank(needle[i])).unwrap_or(0);
    let second = (0..m).filter(|&i| i != first).min_by_key(|&i| rank(needle[i])).unwrap_or(m - 1);
    let (b1, b2) = (needle[first], needle[second]);
    let starts = haystack.len() - m + 1;
    let is_at = |p: &usize| haystack[*p..*p + m] == *needle;
    let mut p = 0;
    while p + LANES <= starts {
        let a = &haystack[p + first..p + first + LANES];
        let b = &haystack[p + second..p + second + LANES];
        let hit = a.iter().zip(b).fold(false, |hit, (&x, &y)| hit | ((x == b1) & (y == b2)));
        if hit && let Some(at) = (p..p + LANES).find(is_at) {
            return Some(at);
        }
        p += LANES;
    }
    (p..starts).find(is_at)
}

/// Appends the folded string values of an article file (keys and table headers left out), each
/// followed by `\n`, to `out`. The file is read raw, not parsed: escapes such as `\"` stay as
/// written, which can only make a search find a little more. A file that is not UTF-8 is read
/// with [`String::from_utf8_lossy`].
fn body_text_into(out: &mut String, text: &str) {
    for value in body_values(text) {
        fold_into(out, value);
        out.push('\n');
    }
}

/// The parts of an article file that are searched, one per line, unfolded: of a `key = value`
/// line the value, of any other line but a table header, a comment or a blank line the whole
/// line (a line of a multi-line string).
fn body_values(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let t = line.trim_start();
        if t.starts_with('[') || t.starts_with('#') || t.is_empty() {
            return None;
        }
        Some(match t.split_once('=') {
            Some((key, value)) if key.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') => {
                value
            }
            _ => line,
        })
    })
}

/// What a search looks for: words and `"quoted phrases"`, every one of which must occur (AND).
/// An empty query matches everything.
///
/// Matching is case-insensitive ([`fold`]) and by script:
///
/// - In scripts that put spaces between words (Latin, Cyrillic, Greek, …) a word matches whole
///   words only: `oh` finds `Oh Se-hoon` but not `Doha`, and `se` not `several`. Digits count as
///   letters (`20` does not find `2024`); punctuation ends a word (`korea` finds `Korea's`).
/// - Korean is written with spaces, but a word carries its particles and endings: a Korean word
///   matches at the start of a word, so `서울` finds `서울시는` but not `북서울`.
/// - Chinese, Japanese, Thai, Lao, Khmer, Myanmar and Tibetan have no spaces between words: a
///   term in them matches anywhere, as a substring.
///
/// A phrase is its words in sequence, apart by white space or hyphens (`"human rights"` finds
/// `human-rights` too; not a line break, so a phrase never spans two fields or two lines of an
/// article file). `“curly”` quotes work too; an unclosed quote runs to the end of the query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Deduplicated, longest (likely rarest) first, so a miss is found early.
    terms: Vec<Term>,
}

impl Query {
    pub fn parse(s: &str) -> Query {
        let s = s.replace(['“', '”', '„'], "\"");
        let mut terms: Vec<Term> = Vec::new();
        for (k, part) in s.split('"').enumerate() {
            if k % 2 == 1 {
                let words: Vec<String> = part.split_whitespace().map(fold).collect();
                if !words.is_empty() {
                    terms.push(Term::new(words.join(" "), true));
                }
            } else {
                terms.extend(part.split_whitespace().map(|w| Term::new(fold(w), false)));
            }
        }
        terms.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then_with(|| a.text.cmp(&b.text)));
        terms.dedup_by(|a, b| a.text == b.text);
        // A term found whole inside a longer one is implied by it.
        let mut kept: Vec<Term> = Vec::with_capacity(terms.len());
        for t in terms {
            if !kept.iter().any(|k| t.occurs_in(&k.text)) {
                kept.push(t);
            }
        }
        Query { terms: kept }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The folded terms, in the order they are checked (a phrase's words joined by a space).
    pub fn terms(&self) -> Vec<&str> {
        self.terms.iter().map(|t| t.text.as_str()).collect()
    }

    pub fn matches(&self, doc: &Haystack) -> bool {
        self.terms.iter().all(|t| t.occurs_in(&doc.text))
    }

    /// Where any of the terms occurs in `text` (original, unfolded), as byte ranges of `text`,
    /// in order; overlapping matches are merged.
    pub fn locate(&self, text: &str) -> Vec<Range<usize>> {
        if self.terms.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let map = FoldMap::new(text);
        let mut found = Vec::new();
        for t in &self.terms {
            let mut at = 0;
            while let Some(r) = t.find_in(&map.text, at) {
                at = r.end.max(r.start + 1);
                found.push(map.original(r, text));
                while at < map.text.len() && !map.text.is_char_boundary(at) {
                    at += 1;
                }
            }
        }
        merge_ranges(found)
    }
}

/// What a [`Searcher`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchEvent {
    /// Matching article indices found among the articles scanned so far (in index order), and progress.
    ///
    /// `matches` holds the matches of this batch only; the union over a search's batches is
    /// every match. `snippets` holds, for the matches whose body (read from its file by an
    /// on-disk index) has a term their metadata lacks, a stretch of the body around it (see
    /// [`snippet`]). `scanned` counts the documents scanned so far, up to `total`.
    Batch { generation: u64, matches: Vec<usize>, snippets: Vec<(usize, String)>, scanned: usize, total: usize },
    /// The search scanned every document; no more events come for this generation.
    Done { generation: u64, scanned: usize, total: usize },
}

impl SearchEvent {
    pub fn generation(&self) -> u64 {
        match self {
            SearchEvent::Batch { generation, .. } | SearchEvent::Done { generation, .. } => *generation,
        }
    }
}

struct Job {
    generation: u64,
    query: Query,
    index: Arc<SearchIndex>,
}

/// The callback events are reported to.
type Notify = Box<dyn Fn(SearchEvent) + Send>;

/// State shared by the [`Searcher`] handle and its threads.
struct Shared {
    /// The generation of the search that may report; anything else is stale.
    current: AtomicU64,
    /// The callback, locked while a generation changes and while an event is reported, so that
    /// no event of an old generation can be delivered once [`Searcher::start`] (or `cancel`)
    /// has returned.
    gate: Mutex<Notify>,
}

impl Shared {
    /// Reports `event` if search `generation` is still current; false if it is stale.
    fn report(&self, generation: u64, event: SearchEvent) -> bool {
        let notify = self.gate.lock().unwrap_or_else(PoisonError::into_inner);
        if self.current.load(Ordering::SeqCst) != generation {
            return false;
        }
        notify(event);
        true
    }

    fn is_current(&self, generation: u64) -> bool {
        self.current.load(Ordering::Relaxed) == generation
    }
}

thread_local! {
    /// Set on a searcher's worker and helper threads, which must not join themselves.
    static SEARCH_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Runs searches on background threads. Starting a new search supersedes the previous one: the
/// old scan stops at its next document and its events are never sent after the new search
/// started.
///
/// The documents are scanned in batches by a worker thread and, on a machine with more cores
/// and once a search has run for a millisecond, helper threads (as many threads as cores, at
/// most [`MAX_THREADS`]); whichever thread finishes a batch reports every finished batch that
/// is next in index order, so events arrive in index order however the batches were shared out.
///
/// `notify` runs on one of the search threads (one call at a time) while the searcher's gate is
/// held, so it must not wait for the thread that calls [`start`](Searcher::start),
/// [`cancel`](Searcher::cancel) or [`set_index`](Searcher::set_index) (sending into an
/// unbounded channel is the intended use).
pub struct Searcher {
    shared: Arc<Shared>,
    index: Mutex<Arc<SearchIndex>>,
    jobs: Option<Sender<Job>>,
    worker: Option<JoinHandle<()>>,
}

impl Searcher {
    /// `notify` is called on a search thread with each event (the TUI forwards it into its event channel).
    pub fn new(index: Arc<SearchIndex>, notify: impl Fn(SearchEvent) + Send + 'static) -> Searcher {
        let threads = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS);
        Searcher::with_threads(index, threads, notify)
    }

    /// Like [`new`](Searcher::new), but scanning with `threads` threads (at least one) whatever
    /// the number of cores.
    pub fn with_threads(
        index: Arc<SearchIndex>,
        threads: usize,
        notify: impl Fn(SearchEvent) + Send + 'static,
    ) -> Searcher {
        let shared = Arc::new(Shared { current: AtomicU64::new(0), gate: Mutex::new(Box::new(notify)) });
        let threads = threads.max(1);
        let (jobs, rx) = mpsc::channel();
        let worker_shared = Arc::clone(&shared);
        let worker = std::thread::Builder::new()
            .name("bitext-search".into())
            .spawn(move || worker(&worker_shared, &rx, threads))
            .expect("cannot start the search thread");
        Searcher { shared, index: Mutex::new(index), jobs: Some(jobs), worker: Some(worker) }
    }

    /// Starts a search and returns its generation number (monotonically increasing).
    pub fn start(&self, query: &str) -> u64 {
        let query = Query::parse(query);
        let index = Arc::clone(&self.index.lock().unwrap_or_else(PoisonError::into_inner));
        let generation = self.bump();
        if let Some(jobs) = &self.jobs {
            // Fails only if the worker died (a panicking `notify`); then nothing is reported.
            let _ = jobs.send(Job { generation, query, index });
        }
        generation
    }

    /// Replaces the index (after the library changed); cancels the running search.
    pub fn set_index(&self, index: Arc<SearchIndex>) {
        *self.index.lock().unwrap_or_else(PoisonError::into_inner) = index;
        self.cancel();
    }

    /// Stops the running search: it reports nothing more once this returns.
    pub fn cancel(&self) {
        self.bump();
    }

    /// The generation of the latest search (or cancellation).
    pub fn generation(&self) -> u64 {
        self.shared.current.load(Ordering::SeqCst)
    }

    fn bump(&self) -> u64 {
        let _gate = self.shared.gate.lock().unwrap_or_else(PoisonError::into_inner);
        self.shared.current.fetch_add(1, Ordering::SeqCst) + 1
    }
}

impl Drop for Searcher {
    fn drop(&mut self) {
        self.bump();
        drop(self.jobs.take());
        // Dropped by `notify` on a search thread: the threads end by themselves.
        if let Some(worker) = self.worker.take()
            && !SEARCH_THREAD.get()
        {
            let _ = worker.join();
        }
    }
}

/// A helper thread and the channel that hands it searches.
struct Helper {
    runs: Sender<Arc<Run>>,
    thread: JoinHandle<()>,
}

fn worker(shared: &Arc<Shared>, jobs: &Receiver<Job>, threads: usize) {
    SEARCH_THREAD.set(true);
    let mut helpers: Vec<Helper> = Vec::new();
    let mut scratch = Scratch::default();
    while let Ok(mut job) = jobs.recv() {
        // Only the newest queued search matters.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let run = Arc::new(Run::new(job));
        if run.batches == 0 {
            shared.report(run.generation, SearchEvent::Done { generation: run.generation, scanned: 0, total: 0 });
            continue;
        }
        // The worker alone at first: a search superseded within a keystroke never costs the
        // new one a core. Past `HELP_AFTER`, every thread takes batches until none is left.
        let started = Instant::now();
        let mut helped = threads < 2;
        while let Some(b) = run.claim(shared) {
            if !helped && b > 0 && started.elapsed() >= HELP_AFTER {
                helped = true;
                if helpers.is_empty() {
                    helpers = (1..threads).filter_map(|_| spawn_helper(shared)).collect();
                }
                for h in &helpers {
                    let _ = h.runs.send(Arc::clone(&run));
                }
            }
            if !run.scan_batch(shared, b, &mut scratch) {
                break;
            }
        }
    }
    for h in helpers {
        drop(h.runs);
        let _ = h.thread.join();
    }
}

/// A helper thread, or `None` if the system has no more threads to give.
fn spawn_helper(shared: &Arc<Shared>) -> Option<Helper> {
    let (runs, rx) = mpsc::channel::<Arc<Run>>();
    let shared = Arc::clone(shared);
    let thread = std::thread::Builder::new()
        .name("bitext-search-helper".into())
        .spawn(move || {
            SEARCH_THREAD.set(true);
            let mut scratch = Scratch::default();
            while let Ok(mut run) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    run = newer;
                }
                run.scan(&shared, &mut scratch);
            }
        })
        .ok()?;
    Some(Helper { runs, thread })
}

/// One search, shared by the threads that scan it.
struct Run {
    generation: u64,
    query: Query,
    index: Arc<SearchIndex>,
    total: usize,
    /// Batch 0 is the first [`FIRST_BATCH`] documents, each later one the next [`BATCH`].
    batches: usize,
    /// The next batch to hand out.
    next: AtomicUsize,
    report: Mutex<Reorder>,
}

/// The matches of a batch and their snippets.
type Found = (Vec<usize>, Vec<(usize, String)>);

/// Finished batches waiting for the ones before them.
struct Reorder {
    /// The next batch to report.
    next: usize,
    /// The matches (and snippets) of finished batches not yet reported, by batch number.
    ready: Vec<Option<Found>>,
    /// The search went stale: report nothing more.
    stopped: bool,
}

impl Run {
    fn new(job: Job) -> Run {
        let total = job.index.len();
        let batches =
            if total <= FIRST_BATCH { usize::from(total > 0) } else { 1 + (total - FIRST_BATCH).div_ceil(BATCH) };
        Run {
            generation: job.generation,
            query: job.query,
            index: job.index,
            total,
            batches,
            next: AtomicUsize::new(0),
            report: Mutex::new(Reorder { next: 0, ready: vec![None; batches], stopped: false }),
        }
    }

    /// The documents of batch `b`.
    fn range(&self, b: usize) -> Range<usize> {
        let (start, len) = if b == 0 { (0, FIRST_BATCH) } else { (FIRST_BATCH + (b - 1) * BATCH, BATCH) };
        start.min(self.total)..(start + len).min(self.total)
    }

    /// The next batch to scan, unless none is left or the search went stale.
    fn claim(&self, shared: &Shared) -> Option<usize> {
        if !shared.is_current(self.generation) {
            return None;
        }
        let b = self.next.fetch_add(1, Ordering::Relaxed);
        (b < self.batches).then_some(b)
    }

    /// Scans batches until none is left or the search went stale.
    fn scan(&self, shared: &Shared, scratch: &mut Scratch) {
        while let Some(b) = self.claim(shared) {
            if !self.scan_batch(shared, b, scratch) {
                return;
            }
        }
    }

    /// Scans batch `b` and reports what can be reported; false once the search is stale.
    fn scan_batch(&self, shared: &Shared, b: usize, scratch: &mut Scratch) -> bool {
        let mut matches = Vec::new();
        let mut snippets = Vec::new();
        for i in self.range(b) {
            // A superseded search gives up at once, so that the new one has every core.
            if !shared.is_current(self.generation) {
                return false;
            }
            if self.index.matches_with(&self.query, i, scratch) {
                matches.push(i);
                if let Some(s) = self.index.snippet_with(&self.query, i, scratch) {
                    snippets.push((i, s));
                }
            }
        }
        let mut guard = self.report.lock().unwrap_or_else(PoisonError::into_inner);
        let reorder = &mut *guard;
        if reorder.stopped {
            return false;
        }
        reorder.ready[b] = Some((matches, snippets));
        let generation = self.generation;
        while let Some((matches, snippets)) = reorder.ready.get_mut(reorder.next).and_then(Option::take) {
            let scanned = self.range(reorder.next).end;
            reorder.next += 1;
            let mut live = shared
                .report(generation, SearchEvent::Batch { generation, matches, snippets, scanned, total: self.total });
            if live && reorder.next == self.batches {
                live = shared.report(generation, SearchEvent::Done { generation, scanned, total: self.total });
            }
            if !live {
                reorder.stopped = true;
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Haystack {
        Haystack { text: fold(s) }
    }

    #[test]
    fn terms_are_folded_deduplicated_and_longest_first() {
        let q = Query::parse("  Seoul  태풍  SEOUL typhoons typhoon ");
        // A whole-word `typhoon` is not implied by `typhoons`.
        assert_eq!(q.terms(), ["typhoons", "typhoon", "태풍", "seoul"]);
        assert_eq!(Query::parse("korea North-Korea 서울 서울시").terms(), ["north-korea", "서울시"]);
        assert!(Query::parse(" \t ").is_empty());
    }

    #[test]
    fn terms_do_not_match_across_fields() {
        let h = Haystack { text: "seoul\nforum\n".into() };
        assert!(Query::parse("seoul forum").matches(&h));
        assert!(!Query::parse("ulfo").matches(&h));
    }

    /// `fold` is `str::to_lowercase` plus the sigma fold, for every character.
    #[test]
    fn fold_agrees_with_to_lowercase_for_every_char() {
        let reference = |s: &str| s.to_lowercase().replace('ς', "σ");
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(fold(&s), reference(&s), "U+{:04X}", c as u32);
            if is_caseless(c) {
                assert!(c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]), "U+{:04X} has case", c as u32);
            }
        }
        for s in ["ὈΔΥΣΣΕΎΣ", "ΣΑΣ Σ ΑΣ.", "İstanbul ǅemal", "Straße ẞ", "태풍 TYPHOON 台風 Ｔｙｐｈｏｏｎ", "ΑΣ태풍"]
        {
            assert_eq!(fold(s), reference(s), "{s}");
        }
    }

    #[test]
    fn final_sigma_folds_like_any_sigma() {
        assert!(Query::parse("ΟΔΟΣ").matches(&doc("η οδος")));
        assert!(Query::parse("οδος").matches(&doc("ΟΔΟΣ")));
        assert!(Query::parse("οδοσ").matches(&doc("ΟΔΟΣ")));
        // Greek is spaced: whole words only.
        assert!(!Query::parse("ΟΔΟΣ").matches(&doc("οδοστρωτήρας")));
    }

    #[test]
    fn spaced_scripts_match_whole_words() {
        let h = doc("Seoul Mayor Oh Se-hoon spoke in Doha; several K-pop fans, Korea's 2024 budget.");
        let m = |q: &str| Query::parse(q).matches(&h);
        assert!(m("Oh Se"), "`Oh` and `Se` stand as words in `Oh Se-hoon`");
        assert!(!m("ha") && !m("sev") && !m("20") && !m("korea's budgets"));
        assert!(m("korea") && m("korea's") && m("k-pop") && m("2024") && m("doha"));
        assert!(m("se-hoon") && m("spoke hoon") && m("\"hoon spoke\""));
        assert!(!m("\"spoke hoon\""), "a phrase needs its words in sequence");
        assert!(!m("\"oh mayor\"") && m("\"Mayor   Oh\"") && m("“oh se-hoon”") && m("\"se hoon\""));
        // Cyrillic the same.
        let h = doc("Снегопад в Москве: снег шёл всю ночь");
        assert!(Query::parse("снег").matches(&h) && !Query::parse("снего").matches(&h));
        assert!(Query::parse("москве").matches(&h) && !Query::parse("моск").matches(&h));
    }

    #[test]
    fn korean_matches_at_word_starts_and_unspaced_scripts_anywhere() {
        let h = doc("서울시는 북서울 꿈의숲에서 LG는 행사를 열었다");
        let m = |q: &str| Query::parse(q).matches(&h);
        assert!(m("서울") && m("서울시는") && m("꿈의숲에서") && m("lg"), "a Korean word may take endings");
        assert!(!m("울시") && !m("숲에서") && !m("g"), "but starts a word");
        // `북서울` holds `서울` only after its first syllable.
        let found = Query::parse("서울").locate("서울시는 북서울");
        assert_eq!((found.len(), found[0].clone()), (1, 0..6));
        for (text, q) in [("東京都は台風に備えた", "台風"), ("台风登陆上海", "登陆"), ("แม่น้ำเจ้าพระยา", "เจ้าพระยา")]
        {
            assert!(Query::parse(q).matches(&doc(text)), "{q} in {text}");
        }
    }

    #[test]
    fn locate_places_matches_on_the_original_text() {
        // The Kelvin sign and `ẞ` fold to fewer bytes than they take.
        let q = Query::parse("straße \"north korea\"");
        let text = "DIE STRAẞE and North  \u{212a}orea, not North Koreans";
        let spans: Vec<&str> = q.locate(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(spans, ["STRAẞE", "North  \u{212a}orea"]);
        assert_eq!(locate_substring("ul", "Seoul, ULSAN"), [3..5, 7..9]);
    }

    #[test]
    fn snippets_start_near_the_match_and_are_cut_with_an_ellipsis() {
        let q = Query::parse("haenyeo");
        let text = format!("{} the haenyeo of Jeju {}", "word ".repeat(30), "more ".repeat(60));
        let s = snippet(&q, &text);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        let at = s.find("haenyeo").unwrap();
        assert!(s[..at].chars().count() <= SNIPPET_BEFORE + 1, "{s}");
        assert_eq!(snippet(&q, "the haenyeo\u{1b}[31m"), "the haenyeo", "sanitised");
        assert_eq!(unquote(" \"say \\\"hi\\\"\\n\","), "say \"hi\" ");
    }
    /// A plain character in folded text comes only from itself or its ASCII capital, and folds
    /// to itself: what lets a plain term be looked for in text with only ASCII lowercased.
    #[test]
    fn plain_characters_come_only_from_themselves() {
        for d in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let folded = fold(&d.to_string());
            if is_plain(d) {
                assert_eq!(folded, d.to_string(), "U+{:04X}", d as u32);
                assert_ne!(d, '\u{fffd}');
            }
            for l in folded.chars().filter(|&l| is_plain(l)) {
                assert!(
                    l == d || (d.is_ascii() && d.to_ascii_lowercase() == l),
                    "U+{:04X} folds to plain U+{:04X}",
                    d as u32,
                    l as u32
                );
            }
        }
        assert_eq!(longest_plain_run("kim"), "m");
        assert_eq!(longest_plain_run("오δ태풍x"), "태풍x");
        assert_eq!(longest_plain_run("ik"), "");
    }

    /// A tiny xorshift generator for the tests below.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    #[test]
    fn find_bytes_agrees_with_a_naive_search() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let alphabet = [b'a', b'b', b' ', 0xeb, 0x91, 0x90, b'e'];
        for _ in 0..20_000 {
            let haystack: Vec<u8> = (0..rng.below(100)).map(|_| *rng.pick(&alphabet)).collect();
            let needle: Vec<u8> = if !haystack.is_empty() && rng.below(2) == 0 {
                let start = rng.below(haystack.len());
                haystack[start..(start + rng.below(6)).min(haystack.len())].to_vec()
            } else {
                (0..rng.below(5)).map(|_| *rng.pick(&alphabet)).collect()
            };
            let naive =
                if needle.is_empty() { Some(0) } else { haystack.windows(needle.len()).position(|w| w == needle) };
            assert_eq!(find_bytes(&haystack, &needle), naive, "{haystack:?} {needle:?}");
            assert_eq!(contains_bytes(&haystack, &needle), naive.is_some());
        }
    }

    /// What the search matched before it read files with a pre-filter, per document: the
    /// metadata and the whole folded, lossily decoded body, to be matched together.
    fn reference_texts(index: &SearchIndex) -> Vec<Haystack> {
        fn old_body_text_into(out: &mut String, path: &std::path::Path) {
            let Ok(bytes) = std::fs::read(path) else { return };
            let text = String::from_utf8_lossy(&bytes);
            for line in text.lines() {
                let t = line.trim_start();
                if t.starts_with('[') || t.starts_with('#') || t.is_empty() {
                    continue;
                }
                let value = match t.split_once('=') {
                    Some((key, value))
                        if key.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
                    {
                        value
                    }
                    _ => line,
                };
                fold_into(out, value);
                out.push('\n');
            }
        }
        (0..index.len())
            .map(|i| {
                let mut text = index.get(i).unwrap_or_default().to_string();
                old_body_text_into(&mut text, index.files.path(i).unwrap());
                Haystack { text }
            })
            .collect()
    }

    /// Pieces of article files that fold in every way there is: ASCII and non-ASCII case,
    /// characters that fold to several (`İ`) or into ASCII (the Kelvin sign), final sigma, full
    /// width, Hangul, jamo, kana, Han, TOML syntax, and bytes that are not UTF-8.
    const PIECES: &[&[u8]] = &[
        b"typhoon",
        b"TYPHOON",
        b"Typhoon",
        "태풍".as_bytes(),
        "부산".as_bytes(),
        "두루미".as_bytes(),
        "\u{212a}orea".as_bytes(),
        b"Korea",
        b"KOREA",
        "İstanbul".as_bytes(),
        b"istanbul",
        "ΟΔΟΣ".as_bytes(),
        "οδος".as_bytes(),
        "σ".as_bytes(),
        "ＴＹＰＨＯＯＮ".as_bytes(),
        "ｔｙｐｈｏｏｎ".as_bytes(),
        "ß".as_bytes(),
        "ẞ".as_bytes(),
        "ǅ".as_bytes(),
        "ᄐ".as_bytes(),
        "ㅌ".as_bytes(),
        "台風".as_bytes(),
        "きっぷ".as_bytes(),
        "é".as_bytes(),
        "É".as_bytes(),
        "\u{307}".as_bytes(),
        "\u{fffd}".as_bytes(),
        "\u{3000}".as_bytes(),
        b"=",
        b"\"",
        b"\\\"",
        b" ",
        b"\t",
        b"#",
        b"[",
        b"]",
        b"title",
        b"_",
        b"-",
        b"k",
        b"K",
        b"i",
        b"I",
        b"s",
        b"S",
        b"1",
        b"\xff",
        b"\xed\x83",
        b"\xe3\x80",
    ];

    /// How a line of a generated article file starts.
    const LINE_STARTS: &[&[u8]] =
        &[b"", b"", b"  ", b"title = ", b"source_lang=", b"x y = ", b"[[paragraphs]]", b"# ", b"K-ey_1 = ", b"\t"];

    fn pieces(rng: &mut Rng, n: usize) -> Vec<u8> {
        (0..n).flat_map(|_| rng.pick(PIECES).to_vec()).collect()
    }

    /// Every query gives the same ids as folding every body whole, over generated files.
    #[test]
    fn on_disk_search_matches_folding_everything() {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut articles = Vec::new();
        let mut bodies = Vec::new();
        for i in 0..200 {
            let path = dir.path().join(format!("{i}.toml"));
            let mut file = Vec::new();
            for _ in 0..rng.below(12) {
                let start: &&[u8] = rng.pick(LINE_STARTS);
                file.extend_from_slice(start);
                let n = rng.below(8);
                file.extend(pieces(&mut rng, n));
                file.extend_from_slice(if rng.below(4) == 0 { b"\r\n" } else { b"\n" });
            }
            if rng.below(10) == 0 {
                file.pop();
            }
            // A few files are missing: their bodies are empty.
            if rng.below(30) != 0 {
                std::fs::write(&path, &file).unwrap();
            }
            let title_len = rng.below(4);
            let title = String::from_utf8_lossy(&pieces(&mut rng, title_len)).into_owned();
            let outlet = (rng.below(3) == 0).then(|| String::from_utf8_lossy(&pieces(&mut rng, 2)).into());
            let tags = (0..rng.below(3)).map(|_| String::from_utf8_lossy(&pieces(&mut rng, 1)).into()).collect();
            articles.push(Article {
                meta: crate::article::Meta {
                    id: i.to_string().into(),
                    path,
                    title,
                    source_title: None,
                    source_lang: "ko".into(),
                    target_lang: "en".into(),
                    outlet,
                    url: None,
                    published: None,
                    authors: Vec::new(),
                    translator: None,
                    tags,
                    summary: None,
                    machine_translation: None,
                    feed: None,
                    guid: None,
                    alignment: None,
                },
                groups: Default::default(),
                pairing: crate::article::Pairing::Given,
            });
            bodies.push(file);
        }
        let index = SearchIndex::on_disk(&articles);
        let reference = reference_texts(&index);
        let mut hits = 0;
        for n in 0..1000 {
            // Terms made of pieces, or cut out of a file, so that many queries find something.
            let text = match n % 3 {
                0 => {
                    let k = 1 + rng.below(3);
                    String::from_utf8_lossy(&pieces(&mut rng, k)).into_owned()
                }
                _ => {
                    let body = String::from_utf8_lossy(rng.pick(&bodies).as_slice()).into_owned();
                    let chars: Vec<char> = body.chars().collect();
                    let start = rng.below(chars.len() + 1);
                    let len = rng.below(8);
                    chars[start.min(chars.len())..(start + len).min(chars.len())].iter().collect()
                }
            };
            let query = Query::parse(&text);
            let expected: Vec<usize> = (0..index.len()).filter(|&i| query.matches(&reference[i])).collect();
            hits += usize::from(!expected.is_empty() && expected.len() < index.len());
            assert_eq!(index.search(&query), expected, "query {text:?} → {:?}", query.terms());
        }
        assert!(hits > 300, "too few queries tell articles apart: {hits}");
    }
}
