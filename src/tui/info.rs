//! The article info (`i`, and `o` where nothing can open a URL): everything known about the
//! selected article, with its whole URL printed plain so that a terminal selection copies it,
//! and keys to open or copy the URL and to edit the article's file.

use std::path::Path;

use super::action::Action;
use super::app::{App, Effect, Focus, Overlay};
use crate::article::Article;
use crate::library::{Checked, Library};

impl App {
    /// The article the info and `e` are about: the selected one, which is the open one in the
    /// reader; in the list only while the list shows it.
    pub fn info_article(&self) -> Option<&Article> {
        self.selected_article().filter(|_| self.focus == Focus::Reader || self.view.contains(&self.selected))
    }

    /// `i`: the article info.
    pub(crate) fn open_info(&mut self) {
        if self.info_article().is_none() {
            self.message = Some("no article is selected".into());
            return;
        }
        self.peek = false;
        self.overlay = Some(Overlay::Info);
        self.overlay_scroll = 0;
    }

    /// `o` where nothing can open a URL (over SSH): the info, where the whole URL can be
    /// selected or copied.
    pub(crate) fn show_url(&mut self) {
        self.open_info();
        if self.overlay == Some(Overlay::Info) {
            self.message = Some(format!(
                "nothing here can open the URL (over SSH): select it, or {} copies it",
                self.key_hint("copy_paragraph")
            ));
        }
    }

    /// Keys in the info: the reader's keys to open (`o`) and copy (`y`, `Y`) the URL, `e` to
    /// edit, scrolling, and `i`, `q` or Esc to close.
    pub(crate) fn update_info(&mut self, action: Action) {
        let url = self.info_article().and_then(|a| a.meta.url.clone());
        match action {
            Action::Back | Action::Cancel | Action::Info => self.overlay = None,
            Action::OpenUrl => match url {
                Some(url) if self.can_open_urls => {
                    self.message = Some("opening the URL".into());
                    self.effects.push(Effect::Open(url));
                }
                Some(_) => {
                    self.message = Some(format!(
                        "nothing here can open the URL (over SSH): select it, or {} copies it",
                        self.key_hint("copy_paragraph")
                    ))
                }
                None => self.message = Some("this article has no URL".into()),
            },
            Action::CopyParagraph | Action::CopyUrl => match url {
                Some(url) => self.copy("the URL", url),
                None => self.message = Some("this article has no URL".into()),
            },
            Action::Edit => self.edit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.overlay_scroll = 0;
            }
            Action::Down => self.overlay_scroll = self.overlay_scroll.saturating_add(1),
            Action::Up => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => {
                self.overlay_scroll = self.overlay_scroll.saturating_add(self.page_height() / 2)
            }
            Action::PageUp | Action::HalfPageUp => {
                self.overlay_scroll = self.overlay_scroll.saturating_sub(self.page_height() / 2)
            }
            Action::Top => self.overlay_scroll = 0,
            // The view clamps it to the end.
            Action::Bottom => self.overlay_scroll = usize::MAX,
            _ => {}
        }
    }

    /// Puts `text` on the clipboard and says where it went: to the terminal by OSC 52 (which
    /// cannot tell whether it arrived), and into tmux's buffer too inside tmux.
    pub(crate) fn copy(&mut self, what: &str, text: String) {
        self.message = Some(if self.copy_to_tmux {
            format!("{what} sent to tmux's buffer and the terminal (OSC 52)")
        } else {
            format!("{what} sent to the terminal (OSC 52)")
        });
        self.effects.push(Effect::Copy(text));
    }

    /// `e`: the loop hands the terminal to `$EDITOR` on the article's file, then calls
    /// [`App::article_edited`].
    pub(crate) fn edit(&mut self) {
        match self.info_article() {
            Some(a) => self.effects.push(Effect::Edit(a.meta.path.clone())),
            None => self.message = Some("no article is selected".into()),
        }
    }

    /// The editor is done with the file at `path`: `reloaded` is that file read again, whole,
    /// and `editor` how the editor ended. The article takes what the file now says (its body is
    /// read again); the selection and the reading place stay.
    pub fn article_edited(&mut self, path: &Path, reloaded: Library, editor: Result<(), String>) {
        let at = self.library.articles.iter().position(|a| a.meta.path == path);
        if let Some(i) = at {
            // The body may have changed under the same header: it is read again.
            self.library.drop_body(i);
            self.layouts.forget(i);
            self.bodies.retain(|&b| b != i);
        }
        let error = reloaded.diagnostics.iter().find(|d| d.is_error()).map(|d| d.message.clone());
        let meta = reloaded.articles.into_iter().next().map(|a| a.meta);
        let id = meta.as_ref().map(|m| m.id.clone());
        self.apply_checked(vec![Checked {
            path: path.to_path_buf(),
            meta,
            diagnostics: reloaded.diagnostics,
            changed: true,
            was: at.map_or(crate::library::Was::Unlisted, crate::library::Was::At),
        }]);
        if self.overlay == Some(Overlay::Info) && self.selected_article().is_none_or(|a| a.meta.path != path) {
            self.overlay = None;
        }
        let read = match (id, error) {
            (Some(id), _) => format!("{id} read again"),
            (None, Some(e)) => format!("the file has an error: {e}"),
            (None, None) => "the file is no longer an article".into(),
        };
        self.message = Some(match editor {
            Ok(()) => read,
            Err(e) => format!("{e}; {read}"),
        });
    }
}
