//! Subscriptions and fetching them: `feeds.toml` ([`config`]), reading RSS, Atom and JSON Feed
//! ([`parse`]), what each feed's last fetch left ([`state`]: validators for conditional
//! requests, errors, the items seen), OPML and newsboat `urls` lists ([`opml`]), and the run
//! that turns new items into articles ([`fetch`]).

pub mod config;
pub mod fetch;
pub mod opml;
pub mod parse;
pub mod state;
