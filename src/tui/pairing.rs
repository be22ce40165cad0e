//! Fixing a pair by hand in the reader: join the cursor's pair with the next (`+`), split it
//! into one pair a paragraph (`-`), unlink its two sides (`x`), undo the last of these (`u`).
//!
//! `update` only asks: the loop writes the file ([`edit`], [`undo`]; the editing itself is
//! [`crate::pairing_edit`]) and hands the outcome to [`App::pairing_done`], which shows the
//! article as the file now reads, the cursor on the edited pair. A file that changed on disk
//! since the reader read it is never written over. Also here: what the status line says of the
//! cursor's pair (moved, unsure, made by hand).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::app::{App, Effect, Focus};
use crate::article::{Article, Group};
use crate::pairing_edit::{self, Edit};

/// Undo entries kept in a session; the oldest go first.
const UNDO_KEPT: usize = 32;

/// An edit for the loop to make: `edit` on pair `index` of the file at `path`, whose pairs the
/// reader shows as `shown` (the file must still hold them).
#[derive(Debug, Clone, PartialEq)]
pub struct PairingEdit {
    pub path: PathBuf,
    pub id: String,
    /// The file as messages name it: its path in the library.
    pub file: String,
    pub shown: Arc<[Group]>,
    pub index: usize,
    pub edit: Edit,
}

/// What undoes an edit: the file's bytes before it, and after it (undone only while the file
/// still holds those).
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub path: PathBuf,
    pub id: String,
    pub file: String,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
    /// The pair edited, where the cursor goes back to.
    pub index: usize,
    /// What the edit did (`joined ¶4 and ¶5`).
    pub summary: String,
}

/// An edit written or undone, or why not: what the loop hands to [`App::pairing_done`].
#[derive(Debug)]
pub struct Done {
    pub path: PathBuf,
    pub result: Result<Reread, String>,
    /// The undo of the edit just written, or an undo that could not be done but may be later.
    pub undo: Option<Undo>,
}

/// The article as its file reads after the write, the pair for the cursor, and what to say.
#[derive(Debug)]
pub struct Reread {
    pub article: Article,
    pub cursor: usize,
    pub message: String,
}

/// Makes `request` on its file: read, checked against what the reader shows, edited, written
/// atomically, and read again. On any failure the file is left as it was.
pub fn edit(request: &PairingEdit) -> Done {
    let PairingEdit { path, id, file, shown, index, edit } = request;
    let written = (|| {
        let before = read(path, file)?;
        writable(path, file)?;
        let text = std::str::from_utf8(&before).map_err(|_| format!("{file} is not UTF-8; nothing was written"))?;
        let edited = pairing_edit::apply(text, path, shown, *index, *edit).map_err(|e| format!("{file}: {e}"))?;
        crate::files::write_atomically(path, edited.text.as_bytes())
            .map_err(|e| format!("could not write {file}: {e}; it is as it was"))?;
        let article = reread(&edited.text, id, path, file)?;
        let undo = Undo {
            path: path.clone(),
            id: id.clone(),
            file: file.clone(),
            before,
            after: edited.text.into_bytes(),
            index: *index,
            summary: edited.summary.clone(),
        };
        let message = format!("{} (written to {file})", edited.summary);
        Ok((Reread { article, cursor: *index, message }, undo))
    })();
    match written {
        Ok((reread, undo)) => Done { path: path.clone(), result: Ok(reread), undo: Some(undo) },
        Err(message) => Done { path: path.clone(), result: Err(message), undo: None },
    }
}

/// Puts back the file `undo` was made for, if it still holds what the edit wrote. An undo that
/// failed for a reason that may pass (the file could not be read or written) is handed back.
pub fn undo(undo: Undo) -> Done {
    let path = undo.path.clone();
    let file = undo.file.clone();
    let now = match read(&path, &file) {
        Ok(now) => now,
        Err(message) => return Done { path, result: Err(message), undo: Some(undo) },
    };
    if now != undo.after {
        let message = format!("{file} changed on disk since {}; not undone", undo.summary);
        return Done { path, result: Err(message), undo: None };
    }
    if let Err(message) = writable(&path, &file) {
        return Done { path, result: Err(message), undo: Some(undo) };
    }
    if let Err(e) = crate::files::write_atomically(&path, &undo.before) {
        let message = format!("could not write {file}: {e}; not undone");
        return Done { path, result: Err(message), undo: Some(undo) };
    }
    let text = String::from_utf8_lossy(&undo.before);
    let result = reread(&text, &undo.id, &path, &file).map(|article| Reread {
        article,
        cursor: undo.index,
        message: format!("undone: {} ({file} is as it was)", undo.summary),
    });
    Done { path, result, undo: None }
}

fn read(path: &Path, file: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("could not read {file}: {e}"))
}

/// A read-only file is not replaced, though its folder would allow it.
fn writable(path: &Path, file: &str) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().readonly() => Err(format!("{file} is read-only; nothing was written")),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("could not read {file}: {e}")),
    }
}

/// The article the file at `path` now holds, from the text written to it.
fn reread(text: &str, id: &str, path: &Path, file: &str) -> Result<Article, String> {
    let parsed = crate::article::parse(text.as_bytes(), id, path);
    parsed.article.ok_or_else(|| {
        let why =
            parsed.diagnostics.iter().find(|d| d.is_error()).map_or(String::new(), |d| format!(": {}", d.message));
        format!("{file} was written but does not load{why}")
    })
}

impl App {
    /// `+`, `-`, `x`: asks the loop to make `edit` on the cursor's pair, once it is plain that
    /// the pair can take it (else says why at once).
    pub(crate) fn edit_pair(&mut self, edit: Edit) {
        let Some((r, a)) = self.pairing_target() else { return };
        if let Err(e) = pairing_edit::check(&a.groups, r, edit) {
            self.message = Some(e.to_string());
            return;
        }
        let request = PairingEdit {
            path: a.meta.path.clone(),
            id: a.meta.id.to_string(),
            file: self.file_name(&a.meta.path),
            shown: a.groups.clone(),
            index: r,
            edit,
        };
        self.effects.push(Effect::EditPairing(request));
    }

    /// `u` in the reader: undoes the last pairing edit of the open article, this session.
    pub(crate) fn undo_pairing(&mut self) {
        let Some((_, a)) = self.pairing_target() else { return };
        let path = a.meta.path.clone();
        match self.undo.iter().rposition(|u| u.path == path) {
            Some(i) => {
                let undo = self.undo.remove(i);
                self.effects.push(Effect::UndoPairing(undo));
            }
            None => self.message = Some("no pairing edit of this article to undo".into()),
        }
    }

    /// The cursor's pair and its article, when the pairs may be edited now: not while the
    /// article is being translated (the translation would write the file over).
    fn pairing_target(&mut self) -> Option<(usize, Article)> {
        if self.focus != Focus::Reader {
            return None;
        }
        let r = self.reader.as_ref()?;
        let a = self.library.articles.get(r.index)?;
        if self.translating.as_ref().is_some_and(|(p, _)| *p == a.meta.path) {
            self.message = Some("the article is being translated; pairs can be edited when it is done".into());
            return None;
        }
        Some((r.current, Article::clone(a)))
    }

    /// The file as messages name it: its path in the library, escaped where unprintable.
    fn file_name(&self, path: &Path) -> String {
        use std::os::unix::ffi::OsStrExt;
        let shown = path.strip_prefix(&self.library.root).unwrap_or(path);
        crate::text::escape_unprintable(shown.as_os_str().as_bytes())
    }

    /// The loop wrote (or did not write) a pairing edit or its undo: the article takes the
    /// pairs its file now holds, the cursor on the edited pair, and the status line says what
    /// happened.
    pub fn pairing_done(&mut self, done: Done) {
        if let Some(undo) = done.undo {
            self.undo.push(undo);
            if self.undo.len() > UNDO_KEPT {
                self.undo.remove(0);
            }
        }
        let reread = match done.result {
            Ok(reread) => reread,
            Err(message) => {
                self.message = Some(message);
                return;
            }
        };
        self.message = Some(reread.message);
        let Some(i) = self.library.articles.iter().position(|a| a.meta.path == done.path) else { return };
        let a = &mut self.library.articles[i];
        a.groups = reread.article.groups;
        a.pairing = reread.article.pairing;
        a.meta.alignment = reread.article.meta.alignment;
        self.layouts.forget(i);
        if let Some(r) = self.reader.as_mut().filter(|r| r.index == i) {
            r.current = reread.cursor;
            r.moved = true;
        }
        if i == self.selected {
            self.relayout();
        }
    }

    /// What the status line says of the cursor's pair, when there is something to say:
    /// `moved: source ¶7 · unsure pair (confidence 0.31) · paired by hand`.
    pub fn pair_note(&self) -> Option<String> {
        if self.focus != Focus::Reader {
            return None;
        }
        let r = self.reader.as_ref()?;
        let g = self.library.articles.get(r.index)?.groups.get(r.current)?;
        let mut notes = Vec::new();
        if let Some(n) = g.moved_from {
            notes.push(format!("moved: source ¶{n}"));
        }
        if let Some(c) = g.confidence.filter(|_| g.is_unsure()) {
            notes.push(format!("unsure pair (confidence {c:.2})"));
        }
        if g.manual {
            notes.push("paired by hand".to_string());
        }
        (!notes.is_empty()).then(|| notes.join(" · "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
                        [[paragraphs]]\nsource = \"가\"\ntranslation = \"A\"\n\
                        [[paragraphs]]\nsource = \"나\"\ntranslation = \"B\"\n";

    fn request(dir: &Path) -> PairingEdit {
        let path = dir.join("a.toml");
        std::fs::write(&path, TEXT).unwrap();
        let shown = crate::article::parse(TEXT.as_bytes(), "a", &path).article.unwrap().groups;
        PairingEdit { path, id: "a".into(), file: "a.toml".into(), shown, index: 0, edit: Edit::Join }
    }

    #[test]
    fn an_edit_is_written_and_undone_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let request = request(dir.path());
        let done = edit(&request);
        let reread = done.result.unwrap();
        assert_eq!(reread.message, "joined ¶1 and ¶2 (written to a.toml)");
        assert_eq!(reread.article.groups.len(), 1);
        assert_eq!(std::fs::read(&request.path).unwrap(), done.undo.as_ref().unwrap().after);
        let undone = undo(done.undo.unwrap());
        assert_eq!(undone.result.unwrap().message, "undone: joined ¶1 and ¶2 (a.toml is as it was)");
        assert_eq!(std::fs::read_to_string(&request.path).unwrap(), TEXT);
    }

    #[test]
    fn a_read_only_or_changed_file_is_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let request = request(dir.path());
        std::fs::set_permissions(&request.path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let done = edit(&request);
        assert_eq!(done.result.unwrap_err(), "a.toml is read-only; nothing was written");
        assert_eq!(std::fs::read_to_string(&request.path).unwrap(), TEXT);
        std::fs::set_permissions(&request.path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let done = edit(&request);
        let undo_it = done.undo.unwrap();
        std::fs::write(&request.path, "changed by someone else").unwrap();
        let undone = undo(undo_it);
        assert!(undone.result.unwrap_err().contains("changed on disk"), "not undone");
        assert!(undone.undo.is_none(), "a stale undo is dropped");
        assert_eq!(std::fs::read_to_string(&request.path).unwrap(), "changed by someone else");
        let gone = PairingEdit { path: dir.path().join("gone.toml"), file: "gone.toml".into(), ..request };
        assert!(edit(&gone).result.unwrap_err().starts_with("could not read gone.toml: "));
    }
}
