//! Articles from the web, in stages that each take plain data and return plain data:
//! [`http`] fetches a page with one carefully configured client, [`decode`] turns its bytes into
//! text whatever the encoding, and [`extract`] finds the article in it (paragraphs with their
//! kinds, metadata, links to its other-language editions). [`crate::ingest`] runs them.

pub mod decode;
pub mod extract;
pub mod http;
pub mod pages;
