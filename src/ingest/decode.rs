//! Decoding a whole CSV file's bytes (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030) and
//! the refusal of binary data, each as one line naming where.
use crate::{Error, Result};

/// Decodes CSV bytes: a UTF-8 BOM, else valid UTF-8, else GB18030 (a superset of GBK).
pub fn decode(bytes: &[u8], file: &str) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), "utf-8 (BOM)")),
            Err(e) => Err(encoding_error(rest, e.valid_up_to(), file, "the file starts with a UTF-8 BOM but is not UTF-8")),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (s, _, bad) = if bytes[0] == 0xFF { encoding_rs::UTF_16LE.decode(bytes) } else { encoding_rs::UTF_16BE.decode(bytes) };
        if !bad {
            return Ok((s.trim_start_matches('\u{FEFF}').to_string(), "utf-16"));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "utf-8")),
        Err(e) => {
            // Chinese text in GBK is practically never valid UTF-8 for a whole line (a GBK pair
            // may pass as a two-byte UTF-8 sequence, a run of three-byte CJK sequences does not).
            // A file with UTF-8 Chinese lines and lines that are not UTF-8 mixes encodings, and
            // no single decoding is right.
            if bytes.split(|b| *b == b'\n').any(|line| std::str::from_utf8(line).is_ok_and(|l| l.chars().any(|c| c as u32 >= 0x800))) {
                return Err(encoding_error(bytes, e.valid_up_to(), file, "mixed encodings: lines in UTF-8 and lines that are not UTF-8"));
            }
            let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                let pos = first_gb18030_error(bytes).unwrap_or(e.valid_up_to());
                return Err(encoding_error(bytes, pos, file, "text is neither UTF-8 nor GBK/GB18030"));
            }
            Ok((s.into_owned(), "gb18030"))
        }
    }
}

fn first_gb18030_error(bytes: &[u8]) -> Option<usize> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => Some(read.saturating_sub(bad as usize)),
        _ => None,
    }
}

fn encoding_error(bytes: &[u8], pos: usize, file: &str, what: &str) -> Error {
    let before = &bytes[..pos.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = before[line_start..].iter().filter(|b| **b == b',').count() + 1;
    Error::bad_file(file, line, format!("field {column}"), format!("{what} (byte {pos})"))
}

/// A NUL byte means binary data, not CSV text (UTF-16 files have a byte-order mark and are
/// exempt): one line naming where.
pub fn check_binary(bytes: &[u8], file: &str) -> Result<()> {
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !utf16 && let Some(pos) = memchr::memchr(0, bytes) {
        // A NUL near the start means the whole file is binary (line 1); later, it names its line.
        let line = if pos < 8192 { 1 } else { bytes[..pos].iter().filter(|b| **b == b'\n').count() as u64 + 1 };
        let hint = if pos < 2 || bytes.len() > 1 && (bytes[1] == 0 || bytes[0] == 0) {
            " (UTF-16 without a byte-order mark? save it as UTF-8)"
        } else {
            ""
        };
        return Err(Error::bad_file(file, line, "-", format!("binary data (a NUL byte at byte {pos}), not a CSV text file{hint}")));
    }
    Ok(())
}
