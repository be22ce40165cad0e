//! Fuzz target `decode_extract`: see `bitext_fuzz::check_decode_extract` (fuzz/src/lib.rs) for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bitext_fuzz::check_decode_extract(data);
});
