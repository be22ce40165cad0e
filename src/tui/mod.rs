//! The interactive reader: [`App`] holds the state and changes it in `update`, [`view`] draws
//! it and changes nothing, and [`run`] connects them to a real terminal.

pub mod action;
pub mod app;
pub mod find;
pub mod keymap;
pub mod library_view;
pub mod screen;
pub mod terminal;
pub mod theme;
pub mod view;

pub use action::Action;
pub use app::App;
pub use terminal::run;
pub use view::view;
