//! The partnership key: the secret behind every keyed pseudonym (`person_key`,
//! `record_key`) in exports. Each store makes its own when created; a partnership copies
//! one store's key into every practitioner's store (`key export` / `key import`), so the
//! same person has the same pseudonym in every store and in the team store merged from
//! them. Bundles never carry it; backups do.
//!
//! The key file is two lines of text: the header `talking-points partnership key 1` and
//! the 32-byte key as 64 hex digits. Text, so it survives being copied through a USB
//! stick or an encrypted e-mail attachment; a version, so a later format can be told apart.
//!
//! The fingerprint is a short hash that two people can read to each other to check they
//! hold the same key without revealing it. It is derived in its own BLAKE3 context, so
//! it is unrelated to any pseudonym, and it is 48 bits: enough to tell keys apart, far
//! too few to help anyone guess a 256-bit key.

/// The key length in bytes (the pseudonyms use a 32-byte BLAKE3 key).
pub const KEY_LEN: usize = 32;
const HEADER: &str = "talking-points partnership key 1";

/// The content of a key file for `key`.
pub fn encode(key: &[u8]) -> String {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    format!("{HEADER}\n{hex}\n")
}

/// The key in a key file, or what is wrong with it (a phrase to end a sentence with).
pub fn decode(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not text".to_string())?;
    let mut lines = text.lines();
    if lines.next().map(str::trim) != Some(HEADER) {
        return Err("it does not start with the line `talking-points partnership key 1`".into());
    }
    let hex = lines.next().map(str::trim).unwrap_or("");
    if lines.any(|l| !l.trim().is_empty()) {
        return Err("it has more than the two lines a key file holds".into());
    }
    if hex.len() != KEY_LEN * 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "its second line is not a key of {} hex digits",
            KEY_LEN * 2
        ));
    }
    let key: Vec<u8> = (0..KEY_LEN)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect();
    if key.iter().all(|&b| b == key[0]) {
        return Err("its key is one byte repeated, not a secret".into());
    }
    Ok(key)
}

/// A short, non-secret fingerprint of a key, e.g. `3f9a-01c2-7be4`.
pub fn fingerprint(key: &[u8]) -> String {
    let h = blake3::derive_key("talking-points partnership key fingerprint v1", key);
    let hex: String = h[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}", &hex[..4], &hex[4..8], &hex[8..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Vec<u8> {
        (0..KEY_LEN as u8)
            .map(|i| i.wrapping_mul(7).wrapping_add(n))
            .collect()
    }

    #[test]
    fn a_key_file_reads_back_as_the_same_key() {
        let k = key(3);
        assert_eq!(decode(encode(&k).as_bytes()), Ok(k.clone()));
        // Copied through Windows or with the newline lost, it still reads.
        let crlf = encode(&k).replace('\n', "\r\n");
        assert_eq!(decode(crlf.as_bytes()), Ok(k.clone()));
        assert_eq!(decode(encode(&k).trim_end().as_bytes()), Ok(k));
    }

    #[test]
    fn malformed_key_files_are_refused_with_the_reason() {
        let good = encode(&key(1));
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"".to_vec(), "does not start"),
            (b"\xff\xfe".to_vec(), "not text"),
            (b"TPBUNDLE 1\n{}".to_vec(), "does not start"),
            (
                good.replacen("1\n", "2\n", 1).into_bytes(),
                "does not start",
            ),
            (good.as_bytes()[..good.len() - 3].to_vec(), "64 hex digits"),
            (
                format!("{HEADER}\n{}\n", "g".repeat(64)).into_bytes(),
                "64 hex digits",
            ),
            (
                format!("{good}more\n").into_bytes(),
                "more than the two lines",
            ),
            (encode(&[0u8; KEY_LEN]).into_bytes(), "one byte repeated"),
        ];
        for (bytes, why) in cases {
            let err = decode(&bytes).unwrap_err();
            assert!(err.contains(why), "{err}");
        }
    }

    #[test]
    fn fingerprints_tell_keys_apart_and_do_not_show_the_key() {
        let (a, b) = (key(1), key(2));
        assert_eq!(fingerprint(&a), fingerprint(&a));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        let fp = fingerprint(&a).replace('-', "");
        assert_eq!(fp.len(), 12);
        assert!(!encode(&a).contains(&fp));
    }
}
