//! Fetching the feeds from the reader: `r` fetches them all and `F` chooses one, in the
//! background; the status line counts feeds and new articles as they come, the list grows in
//! place (the folder watcher brings the files in) with the selection and the reading place
//! left where they are, and the articles that arrived are marked new.

use super::app::{App, Effect, Overlay};
use super::library_view::Facet;
use crate::feeds::fetch::{Outcome, Progress, Summary};

/// How a fetch is going.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchStatus {
    /// Feeds done, of `total`.
    pub done: usize,
    pub total: usize,
    pub new: usize,
    pub failed: usize,
    /// New articles whose pairing looks implausible (`ID: why`), in the order they came.
    pub implausible: Vec<String>,
}

impl App {
    /// `r`: fetch every feed (unless a fetch is running).
    pub(crate) fn fetch_all(&mut self) {
        if let Some(f) = &self.fetching {
            self.message = Some(format!("already fetching ({}/{} feeds)", f.done, f.total));
            return;
        }
        self.effects.push(Effect::Fetch(None));
    }

    /// `F`: the loop reads the subscriptions and calls [`App::open_feed_picker`].
    pub(crate) fn choose_feed(&mut self) {
        if let Some(f) = &self.fetching {
            self.message = Some(format!("already fetching ({}/{} feeds)", f.done, f.total));
            return;
        }
        self.effects.push(Effect::PickFeed);
    }

    /// The subscriptions to choose from, with their article counts (or why there are none).
    pub fn open_feed_picker(&mut self, feeds: Result<Vec<String>, String>) {
        match feeds {
            Err(e) => self.message = Some(e),
            Ok(names) if names.is_empty() => self.message = Some(NO_FEEDS.into()),
            Ok(names) => {
                let entries = names
                    .into_iter()
                    .map(|n| {
                        let count =
                            self.library.articles.iter().filter(|a| a.meta.feed.as_deref() == Some(n.as_str())).count();
                        (Facet::Feed(n.into()), count)
                    })
                    .collect();
                self.overlay = Some(Overlay::FeedPicker(entries));
                self.overlay_scroll = 0;
            }
        }
    }

    /// Enter in the feed picker: fetch that feed.
    pub(crate) fn pick_feed(&mut self) {
        if let Some(Overlay::FeedPicker(entries)) = &self.overlay {
            if let Some((Facet::Feed(name), _)) = entries.get(self.overlay_scroll) {
                self.effects.push(Effect::Fetch(Some(name.to_string())));
            }
            self.overlay = None;
        }
    }

    /// The loop started a fetch of `total` feeds (none: there was nothing to fetch, or the
    /// reason it could not start).
    pub fn fetch_started(&mut self, total: Result<usize, String>) {
        match total {
            Ok(0) => self.message = Some(NO_FEEDS.into()),
            Ok(total) => self.fetching = Some(FetchStatus { total, ..Default::default() }),
            Err(e) => self.message = Some(e),
        }
    }

    pub fn fetch_progress(&mut self, p: Progress) {
        let Some(f) = &mut self.fetching else { return };
        match p {
            Progress::Added { id, .. } => {
                f.new += 1;
                self.fresh.insert(id);
            }
            Progress::Finished(report) => {
                f.done += 1;
                if matches!(report.outcome, Outcome::Failed(_) | Outcome::Waiting(_)) {
                    f.failed += 1;
                    self.message = Some(report.to_string());
                }
            }
            Progress::ItemFailed { feed, message } => tracing::warn!("fetch: {feed}: {message}"),
            Progress::Warning { feed, message } => {
                tracing::warn!("fetch: {feed}: {message}");
                f.implausible.push(message);
            }
            Progress::Started { .. } | Progress::Items { .. } => {}
        }
    }

    /// The fetch ended: its summary, led by the first failure (which feed, and why) so that a
    /// narrow status line still shows it.
    pub fn fetch_finished(&mut self, result: Result<Summary, String>) {
        let implausible = self.fetching.take().map(|f| f.implausible).unwrap_or_default();
        let sep = self.theme.symbols.separator;
        self.message = Some(match result {
            Ok(s) => {
                let failures: Vec<_> = s
                    .reports
                    .iter()
                    .filter_map(|r| match &r.outcome {
                        Outcome::Failed(why) => Some(format!("{} failed: {}", r.name, short_reason(why))),
                        Outcome::Waiting(_) => Some(r.to_string()),
                        _ => None,
                    })
                    .collect();
                let mut line = match failures.len() {
                    0 => s.to_string(),
                    1 => format!("{}{sep}{s}", failures[0]),
                    n => format!("{} (and {} more){sep}{s}", failures[0], n - 1),
                };
                // An article paired with what looks like another story: which one.
                if let Some(first) = implausible.first() {
                    let id = first.split(": ").next().unwrap_or(first);
                    match implausible.len() {
                        1 => line.push_str(&format!("{sep}check the pairing of {id}")),
                        n => line.push_str(&format!("{sep}check the pairing of {id} and {} more", n - 1)),
                    }
                }
                line
            }
            Err(e) => e,
        });
    }

    /// `fetching 3/12 · 14 new`, for the status line.
    pub fn fetch_line(&self) -> Option<String> {
        let f = self.fetching.as_ref()?;
        let mut line = format!("fetching {}/{}{}{} new", f.done, f.total, self.theme.symbols.separator, f.new);
        if f.failed > 0 {
            line.push_str(&format!("{}{} failed", self.theme.symbols.separator, f.failed));
        }
        Some(line)
    }

    /// Whether the article arrived from a fetch during this session (and is still unread).
    pub fn is_fresh(&self, id: &str) -> bool {
        !self.fresh.is_empty() && self.fresh.contains(id) && !self.state.get(id).read
    }
}

/// `[feeds] refresh_minutes`: a fetch every so often while the reader is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refresh {
    every: std::time::Duration,
    next: std::time::Instant,
}

impl Refresh {
    /// Every `minutes` from `now` (none for 0).
    pub fn every(minutes: u64, now: std::time::Instant) -> Option<Refresh> {
        let every = std::time::Duration::from_secs(minutes.checked_mul(60)?);
        (minutes > 0).then(|| Refresh { every, next: now + every })
    }

    /// When the next fetch is due.
    pub fn next(&self) -> std::time::Instant {
        self.next
    }

    /// Whether a fetch is due at `now`; if so, the next one is a whole period later (a fetch
    /// missed while the machine slept is not made up twice).
    pub fn due(&mut self, now: std::time::Instant) -> bool {
        if now < self.next {
            return false;
        }
        self.next = now + self.every;
        true
    }
}

/// A failure without the address it begins with (`http://…/feed.xml: HTTP 500` → `HTTP 500`):
/// the feed's name says which.
fn short_reason(why: &str) -> &str {
    if why.starts_with("http://") || why.starts_with("https://") {
        // The address ends at the first ": " (an address has no space).
        if let Some(at) = why.find(": ") {
            return &why[at + 2..];
        }
    }
    why
}

const NO_FEEDS: &str = "no subscriptions: `bitext feed add URL` subscribes to a feed";

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn the_timer_comes_due_once_a_period() {
        let t0 = Instant::now();
        assert_eq!(Refresh::every(0, t0), None);
        let mut r = Refresh::every(15, t0).unwrap();
        assert!(!r.due(t0 + Duration::from_secs(14 * 60)));
        assert!(r.due(t0 + Duration::from_secs(15 * 60)));
        assert!(!r.due(t0 + Duration::from_secs(16 * 60)));
        // Asleep for hours: one fetch now, the next a period later.
        assert!(r.due(t0 + Duration::from_secs(300 * 60)));
        assert_eq!(r.next(), t0 + Duration::from_secs(315 * 60));
    }
}
