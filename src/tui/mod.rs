//! The interactive reader: [`App`] holds the state and changes it in `update`, [`view()`] draws
//! it and changes nothing, and [`run`] connects them to a real terminal.

pub mod app;
pub mod clipboard;
pub mod editor;
pub mod fetching;
pub mod find;
pub mod info;
pub mod library_view;
pub mod navigation;
pub mod pairing;
pub mod picker;
pub mod reload;
pub mod screen;
pub mod terminal;
pub mod theme;
pub mod typed;
pub mod view;

/// The actions keys stand for and the keymap live below the reader, so the configuration can
/// check key bindings without depending on it.
pub use crate::action::{self, Action};
pub use crate::keys as keymap;
pub use app::App;
pub use terminal::run;
pub use view::view;
