//! What a key can do. Keys become actions through the keymap ([`crate::keys`]);
//! [`crate::tui::App::update`] carries them out.

use crate::render::Mode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Quit from anywhere.
    Quit,
    /// Close an overlay, leave the reader, or quit from the list.
    Back,
    /// Close an overlay or leave the reader; never quits.
    Cancel,
    Help,
    Problems,
    ToggleFocus,
    Open,
    Down,
    Up,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextParagraph,
    PrevParagraph,
    CycleMode,
    SetMode(Mode),
    Swap,
    /// Let the reader take the whole width of a wide terminal, or keep the list beside it.
    Zoom,
    /// Show the other language of the current paragraph.
    Peek,
    ToggleRead,
    ToggleStar,
    /// Search all articles (a prompt in the list).
    Search,
    FilterUnread,
    FilterStarred,
    /// The picker of tags, outlets and language pairs.
    Picker,
    CycleSort,
    /// Find in the open article (a prompt in the reader).
    Find,
    FindNext,
    FindPrev,
    CopyParagraph,
    CopyUrl,
    OpenUrl,
    Reload,
    /// Everything known about the selected or open article, its whole URL among it.
    Info,
    /// Edit the article's file in `$EDITOR`, then read it again.
    Edit,
    /// Join the cursor's pair with the next one (written to the article file).
    JoinPair,
    /// Split the cursor's pair into one pair a paragraph.
    SplitPair,
    /// Make the cursor's pair two entries: its source alone, then its translation alone.
    UnlinkPair,
    /// Put the article file back as it was before the last pairing edit of this session.
    UndoPairing,
    /// The next unread article of the list; opened when the reader has the focus.
    NextUnread,
    /// The previous unread article of the list; opened when the reader has the focus.
    PrevUnread,
    /// Mark every article the list shows read.
    MarkAllRead,
    /// Add an article from the web (a prompt for its URL).
    AddArticle,
    /// Machine-translate what the article has no translation for.
    Translate,
    /// Fetch every feed in the background.
    FetchFeeds,
    /// Choose one feed to fetch.
    FetchFeed,
    /// Ctrl-Z.
    Suspend,
    /// Ctrl-L: clear the terminal and draw everything again.
    Redraw,
    /// Typing into the prompt.
    PromptChar(char),
    PromptBackspace,
    /// Ctrl-U: clear the line.
    PromptClear,
    /// Up: bring back the prompt's default (the last find).
    PromptRecall,
    /// Enter: keep what was typed.
    PromptAccept,
    /// Esc: drop it.
    PromptCancel,
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
}
