//! bitext: a terminal reader for translated news, source and translation side by side.
//!
//! The binary is a thin shell over this library, so tests, benchmarks and the CLI share one
//! core: [`article`] parses files, [`library`] scans a folder, [`render`] lays an article out,
//! [`text`] sanitises and wraps, and [`tui`] is the interactive reader.

pub mod action;
pub mod align;
pub mod article;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod completion;
pub mod config;
pub mod context;
pub mod feeds;
pub mod files;
pub mod import;
pub mod ingest;
pub mod jobs;
pub mod keys;
pub mod lang;
pub mod library;
pub mod logging;
pub mod pairing_edit;
pub mod realign;
pub mod render;
pub mod search;
pub mod state;
pub mod text;
pub mod translate;
pub mod tui;
pub mod web;
