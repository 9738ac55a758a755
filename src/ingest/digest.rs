//! A ledger file's content hashes, which recognise a file already ingested.
//!
//! BLAKE3 is the identity recorded in the manifest (`b3sum FILE` prints the same hex). It replaced
//! SHA-256, which hashed about a quarter as fast here and was 6.8 % of an ingest's CPU samples
//! (docs/decisions.md). Records written before keep SHA-256 only; a file that could be one of
//! them (`Known::needs_sha256` in ingest::files) is hashed both ways, so that it is still
//! recognised.
use sha2::{Digest, Sha256};

/// What a file's bytes hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashes {
    /// Lowercase hex, as `b3sum` prints it.
    pub blake3: String,
    /// Lowercase hex, as `sha256sum` prints it; only when asked for (an older record's size).
    pub sha256: Option<String>,
}

impl Hashes {
    /// The keys under which `Known` (ingest::files) looks the file up.
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(blake3_key(&self.blake3)).chain(self.sha256.iter().map(|h| sha256_key(h)))
    }
}

pub fn blake3_key(hex: &str) -> String {
    format!("blake3:{hex}")
}

pub fn sha256_key(hex: &str) -> String {
    format!("sha256:{hex}")
}

/// Hashes bytes as they are read.
#[derive(Clone)]
pub struct Hasher {
    blake3: blake3::Hasher,
    sha256: Option<Sha256>,
}

impl Hasher {
    /// `sha256`: compute SHA-256 as well.
    pub fn new(sha256: bool) -> Hasher {
        Hasher { blake3: blake3::Hasher::new(), sha256: sha256.then(Sha256::new) }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.blake3.update(bytes);
        if let Some(s) = &mut self.sha256 {
            s.update(bytes);
        }
    }

    pub fn finish(&self) -> Hashes {
        Hashes {
            blake3: self.blake3.finalize().to_hex().to_string(),
            sha256: self.sha256.clone().map(|s| s.finalize().iter().map(|b| format!("{b:02x}")).collect()),
        }
    }
}

/// The hashes of bytes in memory (a workbook, read whole).
pub fn of_bytes(bytes: &[u8], sha256: bool) -> Hashes {
    let mut h = Hasher::new(sha256);
    h.update(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digests of "abc" published with each algorithm, so that the manifest's hex is what
    /// `b3sum` and `sha256sum` print; and the same whether the bytes come at once or in pieces.
    #[test]
    fn digests_are_the_published_ones() {
        let h = of_bytes(b"abc", true);
        assert_eq!(h.blake3, "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
        assert_eq!(h.sha256.as_deref(), Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assert_eq!(of_bytes(b"abc", false).sha256, None);
        let text: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut pieces = Hasher::new(true);
        for part in text.chunks(65_537) {
            pieces.update(part);
        }
        assert_eq!(pieces.finish(), of_bytes(&text, true));
    }
}
