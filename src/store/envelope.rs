//! Every stored value is a versioned, checksummed envelope, so that a damaged record is
//! found and named by `verify` instead of being misread, and so that a record can be
//! found again by reading the database's files directly (`salvage`).
//!
//! Layout (format 2): `b"TP"`, format version (u8), record kind (u8), CRC-32 (u32,
//! big-endian) of everything after it, a write stamp (u64, big-endian), the record's key
//! (u16 big-endian length, then the bytes), then the payload as JSON. The stamp orders
//! versions of one record when several are found; the key says where the record
//! belongs. Format 1 (no stamp, no key, CRC of the payload only) is still read.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, Ordering};

pub const FORMAT_VERSION: u8 = 2;
pub const MAGIC: &[u8; 2] = b"TP";
/// Magic, version, kind and CRC.
const HEADER: usize = 8;
/// The longest key an envelope may carry; keys are ids, names of meta values and draft
/// names, all far shorter, so a longer length marks damage.
pub const MAX_KEY: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    Meta = 0,
    Service = 1,
    Person = 2,
    Conversation = 3,
    Audit = 4,
    Draft = 5,
    Tombstone = 6,
    /// An earlier revision of a corrected conversation, filed under the revision's key.
    Revision = 7,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Meta,
        Kind::Service,
        Kind::Person,
        Kind::Conversation,
        Kind::Audit,
        Kind::Draft,
        Kind::Tombstone,
        Kind::Revision,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Kind::Meta => "meta",
            Kind::Service => "service",
            Kind::Person => "person",
            Kind::Conversation => "conversation",
            Kind::Audit => "audit entry",
            Kind::Draft => "draft",
            Kind::Tombstone => "erasure tombstone",
            Kind::Revision => "earlier revision",
        }
    }

    pub fn from_u8(b: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| *k as u8 == b)
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("is too short to be a record")]
    Short,
    #[error("is not a talking-points record")]
    Magic,
    #[error("was written by a newer talking-points (format {0})")]
    Version(u8),
    #[error("holds a {found} where a {expected} belongs")]
    Kind { expected: &'static str, found: u8 },
    #[error("fails its checksum (the data is damaged)")]
    Checksum,
    #[error("cannot be read: {0}")]
    Payload(String),
    #[error("could not be written: {0}")]
    Encode(String),
    #[error("is stored under another record's key")]
    WrongKey,
}

static LAST_STAMP: AtomicU64 = AtomicU64::new(0);

/// A write stamp: nanoseconds since the epoch, and always above the last one this
/// process made, so two writes in the same nanosecond still order.
pub fn next_stamp() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    let mut last = LAST_STAMP.load(Ordering::Relaxed);
    loop {
        let next = now.max(last.saturating_add(1));
        match LAST_STAMP.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

/// Wraps `value` for storage under `key`. A value that cannot be serialised is an error,
/// never an empty record saved as a success.
pub fn encode<T: Serialize + ?Sized>(
    kind: Kind,
    key: &[u8],
    value: &T,
) -> Result<Vec<u8>, EnvelopeError> {
    let payload = serde_json::to_vec(value).map_err(|e| EnvelopeError::Encode(e.to_string()))?;
    encode_payload(kind, key, next_stamp(), &payload)
}

/// Wraps an already-serialised JSON payload with a given stamp.
pub fn encode_payload(
    kind: Kind,
    key: &[u8],
    stamp: u64,
    payload: &[u8],
) -> Result<Vec<u8>, EnvelopeError> {
    if key.len() > MAX_KEY {
        return Err(EnvelopeError::Encode(format!(
            "its key is {} bytes long, more than {MAX_KEY}",
            key.len()
        )));
    }
    let mut out = Vec::with_capacity(HEADER + 10 + key.len() + payload.len());
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.push(kind as u8);
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&stamp.to_be_bytes());
    out.extend_from_slice(&(key.len() as u16).to_be_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out[HEADER..]);
    out[4..8].copy_from_slice(&crc.to_be_bytes());
    Ok(out)
}

/// An envelope taken apart, checksum checked, payload not yet parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened<'a> {
    pub version: u8,
    pub kind: Kind,
    /// 0 for format 1, which has no stamp.
    pub stamp: u64,
    /// `None` for format 1, which does not carry its key.
    pub key: Option<&'a [u8]>,
    pub payload: &'a [u8],
}

/// Checks magic, version, kind byte and checksum of a whole stored value.
pub fn open(bytes: &[u8]) -> Result<Opened<'_>, EnvelopeError> {
    if bytes.len() < HEADER {
        return Err(EnvelopeError::Short);
    }
    if &bytes[0..2] != MAGIC {
        return Err(EnvelopeError::Magic);
    }
    let version = bytes[2];
    if version > FORMAT_VERSION || version == 0 {
        return Err(EnvelopeError::Version(version));
    }
    let kind = Kind::from_u8(bytes[3]).ok_or(EnvelopeError::Kind {
        expected: "known record",
        found: bytes[3],
    })?;
    let crc = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let body = &bytes[HEADER..];
    if crc32fast::hash(body) != crc {
        return Err(EnvelopeError::Checksum);
    }
    if version == 1 {
        return Ok(Opened {
            version,
            kind,
            stamp: 0,
            key: None,
            payload: body,
        });
    }
    if body.len() < 10 {
        return Err(EnvelopeError::Short);
    }
    let stamp = u64::from_be_bytes(body[0..8].try_into().map_err(|_| EnvelopeError::Short)?);
    let klen = u16::from_be_bytes([body[8], body[9]]) as usize;
    if klen > MAX_KEY || body.len() < 10 + klen {
        return Err(EnvelopeError::Short);
    }
    Ok(Opened {
        version,
        kind,
        stamp,
        key: Some(&body[10..10 + klen]),
        payload: &body[10 + klen..],
    })
}

pub fn decode<T: DeserializeOwned>(kind: Kind, bytes: &[u8]) -> Result<T, EnvelopeError> {
    if bytes.len() >= 4 && &bytes[0..2] == MAGIC && bytes[3] != kind as u8 {
        return Err(EnvelopeError::Kind {
            expected: kind.name(),
            found: bytes[3],
        });
    }
    let o = open(bytes)?;
    if o.kind != kind {
        return Err(EnvelopeError::Kind {
            expected: kind.name(),
            found: o.kind as u8,
        });
    }
    // Checked as UTF-8 once, in one pass, rather than string by string as the JSON
    // reader of bytes would: a tenth of an export's decoding.
    let text = std::str::from_utf8(o.payload).map_err(|e| EnvelopeError::Payload(e.to_string()))?;
    serde_json::from_str(text).map_err(|e| EnvelopeError::Payload(e.to_string()))
}

/// The key a format-2 envelope says it belongs under (`None` for format 1 or damage).
pub fn key_of(bytes: &[u8]) -> Option<Vec<u8>> {
    open(bytes).ok().and_then(|o| o.key.map(<[u8]>::to_vec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_damage() {
        let v = vec!["Mòrag".to_string(), "港口 🚶".to_string()];
        let mut bytes = encode(Kind::Person, b"k1", &v).unwrap();
        assert_eq!(decode::<Vec<String>>(Kind::Person, &bytes).unwrap(), v);
        assert_eq!(key_of(&bytes).as_deref(), Some(&b"k1"[..]));
        assert!(matches!(
            decode::<Vec<String>>(Kind::Conversation, &bytes),
            Err(EnvelopeError::Kind { .. })
        ));
        let last = bytes.len() - 3;
        bytes[last] ^= 0x20;
        assert_eq!(
            decode::<Vec<String>>(Kind::Person, &bytes),
            Err(EnvelopeError::Checksum)
        );
        assert_eq!(
            decode::<Vec<String>>(Kind::Person, &bytes[..5]),
            Err(EnvelopeError::Short)
        );
    }

    #[test]
    fn the_checksum_covers_stamp_and_key() {
        let bytes = encode(Kind::Draft, b"draft-1", &"words").unwrap();
        for i in 8..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            assert!(decode::<String>(Kind::Draft, &b).is_err(), "byte {i}");
        }
    }

    #[test]
    fn stamps_only_go_up() {
        let mut last = 0;
        for _ in 0..10_000 {
            let s = next_stamp();
            assert!(s > last);
            last = s;
        }
    }

    #[test]
    fn format_one_is_still_read() {
        let payload = serde_json::to_vec(&vec![1u8, 2, 3]).unwrap();
        let mut old = b"TP\x01\x00".to_vec();
        old.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
        old.extend_from_slice(&payload);
        assert_eq!(decode::<Vec<u8>>(Kind::Meta, &old).unwrap(), vec![1, 2, 3]);
        assert_eq!(key_of(&old), None);
    }

    #[test]
    fn a_failing_serialisation_is_an_error_not_an_empty_record() {
        use std::collections::HashMap;
        // JSON maps need string keys; a map keyed by a pair cannot be written.
        let mut m = HashMap::new();
        m.insert((1, 2), 3);
        assert!(matches!(
            encode(Kind::Draft, b"d", &m),
            Err(EnvelopeError::Encode(_))
        ));
    }
}
