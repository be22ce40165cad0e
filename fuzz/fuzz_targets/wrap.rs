//! Fuzz target `wrap`: see `bitext_fuzz::check_wrap` (fuzz/src/lib.rs) for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bitext_fuzz::check_wrap(data);
});
