//! Fuzz target `parse_article`: see `bitext_fuzz::check_parse_article` (fuzz/src/lib.rs) for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bitext_fuzz::check_parse_article(data);
});
