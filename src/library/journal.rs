//! The changes to an index cache since it was written whole, appended to the file.
//!
//! A fetch that brings a few hundred articles into a library of 100,000 changes a few hundred
//! of the cache's entries; writing the cache again whole for that costs tens of megabytes.
//! Instead a journal goes at the end of the file: the base's entries it takes out (by their
//! places in the base) and the entries it adds (each with the place in the base it goes
//! before, in list order). Each journal says everything that changed since the base, so only
//! the last one counts; those before it are dead bytes until the cache is written whole again,
//! which happens once what follows the base grows past a quarter of it.
//!
//! A journal block: the journal (postcard), its length (8 bytes), [`MARK`], and its checksum (8
//! bytes), which is then the last eight bytes of the file ([`super::cache_sum`]). The journal
//! names the base by where it ends and its checksum, so it is never read over another base.

use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// What ends a journal block, before its checksum.
const MARK: &[u8; 8] = b"bitext+j";

/// Everything that changed since the base was written.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Journal {
    /// Where the base ends: the offset of its checksum in the file.
    pub base_end: u64,
    /// The base's checksum.
    pub base_sum: u64,
    /// The base's entries taken out (replaced or gone), by their places in it, ascending.
    pub removed: Vec<u32>,
    /// Entries put in, each with the place of the base's entry it goes before (the base's count
    /// for after the last), in list order; each entry's bytes as the base holds them.
    pub added: Vec<(u32, Vec<u8>)>,
}

/// What a whole read of the cache knows of its base, for a journal to go after it.
#[derive(Debug)]
pub(super) struct Base {
    /// The base's entries.
    pub count: usize,
    /// Where the base ends, and its checksum there.
    pub end: u64,
    pub sum: u64,
    /// The length and last eight bytes of the file when it was read: the file a journal goes
    /// at the end of must still be this one.
    pub file_len: u64,
    pub file_sum: u64,
    /// The journal the file ended with, if any.
    pub journal: Option<Journal>,
}

impl Journal {
    /// The journal at the end of a cache file of `len` bytes: `Ok(None)` when the file ends
    /// with its base, `Err` when it ends with a journal that is damaged or not of its base.
    pub fn read(file: &std::fs::File, len: u64) -> Result<Option<Journal>, ()> {
        let mut tail = [0u8; 24];
        if len < tail.len() as u64 || file.read_exact_at(&mut tail, len - 24).is_err() {
            return Ok(None);
        }
        if &tail[8..16] != MARK {
            return Ok(None);
        }
        let word = |i: usize| u64::from_le_bytes(tail[i..i + 8].try_into().unwrap_or_default());
        let (payload_len, sum) = (word(0), word(16));
        let start = (len - 24).checked_sub(payload_len).ok_or(())?;
        let mut payload = vec![0u8; usize::try_from(payload_len).map_err(|_| ())?];
        file.read_exact_at(&mut payload, start).map_err(|_| ())?;
        if super::checksum(&payload) != sum {
            return Err(());
        }
        let journal: Journal = postcard::from_bytes(&payload).map_err(|_| ())?;
        // The base and its checksum, then this journal (after any before it).
        if journal.base_end.checked_add(8).is_none_or(|e| e > start) {
            return Err(());
        }
        let mut base_sum = [0u8; 8];
        file.read_exact_at(&mut base_sum, journal.base_end).map_err(|_| ())?;
        if u64::from_le_bytes(base_sum) != journal.base_sum {
            return Err(());
        }
        Ok(Some(journal))
    }

    /// How many entries the cache holds with this journal over a base of `base` entries;
    /// `None` when the journal does not fit the base (places out of order or past its end).
    pub fn count_over(&self, base: usize) -> Option<usize> {
        let ascending = self.removed.windows(2).all(|w| w[0] < w[1]);
        let in_base = self.removed.last().is_none_or(|&r| (r as usize) < base);
        let in_order = self.added.windows(2).all(|w| w[0].0 <= w[1].0);
        let placed = self.added.last().is_none_or(|a| a.0 as usize <= base);
        (ascending && in_base && in_order && placed).then(|| base - self.removed.len() + self.added.len())
    }

    /// The journal as a block to append: the journal, its length, the mark, its checksum.
    pub fn block(&self) -> std::io::Result<Vec<u8>> {
        let mut block = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        let sum = super::checksum(&block);
        let len = block.len() as u64;
        block.extend_from_slice(&len.to_le_bytes());
        block.extend_from_slice(MARK);
        block.extend_from_slice(&sum.to_le_bytes());
        Ok(block)
    }
}

/// The cache file opened to append a journal to, when it is still the file `base` was read
/// from (its length and last eight bytes): another program may have written it since.
pub(super) fn open_to_append(path: &Path, base: &Base) -> Option<std::fs::File> {
    let file = std::fs::OpenOptions::new().read(true).append(true).open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut tail = [0u8; 8];
    file.read_exact_at(&mut tail, len.checked_sub(8)?).ok()?;
    (len == base.file_len && u64::from_le_bytes(tail) == base.file_sum).then_some(file)
}

/// Appends `block` to the cache file in one write: a reader meanwhile sees the file before or
/// after it (or a block cut short, which it refuses as damage).
pub(super) fn append(mut file: std::fs::File, block: &[u8]) -> std::io::Result<()> {
    file.write_all(block)?;
    file.flush()
}
