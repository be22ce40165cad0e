//! Fuzz target `align`: see `bitext_fuzz::check_align` (fuzz/src/lib.rs) for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bitext_fuzz::check_align(data);
});
