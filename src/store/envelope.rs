//! Every stored value is a versioned, checksummed envelope, so that a damaged record is
//! found and named by `verify` instead of being misread.
//!
//! Layout: `b"TP"`, format version (u8), record kind (u8), CRC-32 of the payload (u32,
//! big-endian), then the payload as JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub const FORMAT_VERSION: u8 = 1;
const HEADER: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Meta = 0,
    Service = 1,
    Person = 2,
    Conversation = 3,
    Audit = 4,
    Draft = 5,
    Tombstone = 6,
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Meta => "meta",
            Kind::Service => "service",
            Kind::Person => "person",
            Kind::Conversation => "conversation",
            Kind::Audit => "audit entry",
            Kind::Draft => "draft",
            Kind::Tombstone => "tombstone",
        }
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
}

pub fn encode<T: Serialize>(kind: Kind, value: &T) -> Vec<u8> {
    // Serialising our own plain data types to JSON cannot fail (no maps with non-string
    // keys, no custom serialisers); fall back to an empty payload that verify reports.
    let payload = serde_json::to_vec(value).unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(b"TP");
    out.push(FORMAT_VERSION);
    out.push(kind as u8);
    out.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
    out.extend_from_slice(&payload);
    out
}

pub fn decode<T: DeserializeOwned>(kind: Kind, bytes: &[u8]) -> Result<T, EnvelopeError> {
    if bytes.len() < HEADER {
        return Err(EnvelopeError::Short);
    }
    if &bytes[0..2] != b"TP" {
        return Err(EnvelopeError::Magic);
    }
    if bytes[2] > FORMAT_VERSION {
        return Err(EnvelopeError::Version(bytes[2]));
    }
    if bytes[3] != kind as u8 {
        return Err(EnvelopeError::Kind {
            expected: kind.name(),
            found: bytes[3],
        });
    }
    let crc = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let payload = &bytes[HEADER..];
    if crc32fast::hash(payload) != crc {
        return Err(EnvelopeError::Checksum);
    }
    serde_json::from_slice(payload).map_err(|e| EnvelopeError::Payload(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_damage() {
        let v = vec!["Mòrag".to_string(), "港口 🚶".to_string()];
        let mut bytes = encode(Kind::Person, &v);
        assert_eq!(decode::<Vec<String>>(Kind::Person, &bytes).unwrap(), v);
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
}
