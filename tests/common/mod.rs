#![allow(dead_code)]
pub mod align_cases;
pub mod http;
pub mod pty;
