//! Signed checkpoints: the province signs the hash-chain head and the event count with an
//! Ed25519 key it keeps; a checkpoint printed on old minutes or stored in an exported bag proves
//! that nothing before it changed.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// A signed statement: "the log held `events` events up to `position`, ending in `head`".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Global position of the last event covered.
    pub position: u64,
    /// Events covered.
    pub events: u64,
    /// The chain hash of the last event covered (hex).
    pub head: String,
    /// When it was signed.
    pub signed_at: DateTime<Utc>,
    /// The public key (base64) that signed it.
    pub public_key: String,
    /// The Ed25519 signature (base64) of [`Checkpoint::message`].
    pub signature: String,
}

/// Why a checkpoint does not hold; messages are in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The key or signature bytes are malformed.
    #[error("khóa hoặc chữ ký hỏng / malformed key or signature: {0}")]
    Malformed(String),
    /// The signature does not match the statement.
    #[error(
        "chữ ký không khớp: điểm kiểm tra đã bị sửa hoặc được ký bằng khóa khác / the signature \
         does not match: the checkpoint was altered or signed with another key"
    )]
    BadSignature,
    /// The checkpoint was signed by another key than the one trusted.
    #[error(
        "điểm kiểm tra được ký bằng khóa khác với khóa được tin cậy / the checkpoint was signed \
         by another key than the one trusted"
    )]
    UntrustedKey,
    /// The log no longer matches the checkpoint.
    #[error(
        "nhật ký không còn khớp với điểm kiểm tra ở vị trí {position} / the log does not match \
         the checkpoint at position {position}: {detail}"
    )]
    LogChanged {
        /// The checkpoint's position.
        position: u64,
        /// What differs.
        detail: String,
    },
}

/// The exact bytes a checkpoint signature covers.
pub fn message(position: u64, events: u64, head: &str, signed_at: DateTime<Utc>) -> Vec<u8> {
    format!(
        "bangiao-checkpoint-v1\n{position}\n{events}\n{head}\n{}",
        signed_at.to_rfc3339()
    )
    .into_bytes()
}

/// A new signing key from 32 random bytes.
pub fn generate_key() -> Result<SigningKey, CheckpointError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Encodes a signing key for storage (base64 of its 32-byte seed).
pub fn encode_key(key: &SigningKey) -> String {
    STANDARD.encode(key.to_bytes())
}

/// Decodes a signing key written by [`encode_key`].
pub fn decode_key(text: &str) -> Result<SigningKey, CheckpointError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    let seed: [u8; 32] = bytes
        .try_into()
        .map_err(|_| CheckpointError::Malformed("khóa dài 32 byte / a key is 32 bytes".into()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Encodes a public key (base64).
pub fn encode_public(key: &VerifyingKey) -> String {
    STANDARD.encode(key.to_bytes())
}

/// Signs the statement about the log.
pub fn sign(
    key: &SigningKey,
    position: u64,
    events: u64,
    head: &str,
    signed_at: DateTime<Utc>,
) -> Checkpoint {
    let signature = key.sign(&message(position, events, head, signed_at));
    Checkpoint {
        position,
        events,
        head: head.to_owned(),
        signed_at,
        public_key: encode_public(&key.verifying_key()),
        signature: STANDARD.encode(signature.to_bytes()),
    }
}

/// Checks the signature, and that it was made by `trusted` (base64 public key) when given.
pub fn verify_signature(
    checkpoint: &Checkpoint,
    trusted: Option<&str>,
) -> Result<(), CheckpointError> {
    if let Some(trusted) = trusted
        && trusted.trim() != checkpoint.public_key
    {
        return Err(CheckpointError::UntrustedKey);
    }
    let key_bytes = STANDARD
        .decode(&checkpoint.public_key)
        .map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    let key_bytes: [u8; 32] = key_bytes.try_into().map_err(|_| {
        CheckpointError::Malformed("khóa công khai dài 32 byte / a public key is 32 bytes".into())
    })?;
    let key = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    let sig_bytes = STANDARD
        .decode(&checkpoint.signature)
        .map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    let signature =
        Signature::from_slice(&sig_bytes).map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    let statement = message(
        checkpoint.position,
        checkpoint.events,
        &checkpoint.head,
        checkpoint.signed_at,
    );
    key.verify(&statement, &signature)
        .map_err(|_| CheckpointError::BadSignature)
}

/// Checks the checkpoint against the log as it is now: the event at its position must still
/// carry the signed head hash (the chain makes that hash depend on every earlier event).
pub fn verify_against_log(
    checkpoint: &Checkpoint,
    head_at_position: Option<&str>,
) -> Result<(), CheckpointError> {
    match head_at_position {
        None => Err(CheckpointError::LogChanged {
            position: checkpoint.position,
            detail: "nhật ký không còn tới vị trí này / the log no longer reaches this position"
                .into(),
        }),
        Some(head) if head != checkpoint.head => Err(CheckpointError::LogChanged {
            position: checkpoint.position,
            detail: format!(
                "mã băm ở đó nay là {head}, điểm kiểm tra ghi {signed} / its hash is now {head}, \
                 the checkpoint says {signed}",
                signed = checkpoint.head
            ),
        }),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_checkpoint_verifies_and_any_change_is_caught() {
        let key = generate_key().expect("random");
        let at = Utc::now();
        let cp = sign(&key, 10, 10, "ab", at);
        assert!(verify_signature(&cp, Some(&cp.public_key)).is_ok());
        let mut altered = cp.clone();
        altered.events = 11;
        assert_eq!(
            verify_signature(&altered, None),
            Err(CheckpointError::BadSignature)
        );
        let other = generate_key().expect("random");
        assert_eq!(
            verify_signature(&cp, Some(&encode_public(&other.verifying_key()))),
            Err(CheckpointError::UntrustedKey)
        );
        assert!(verify_against_log(&cp, Some("ab")).is_ok());
        assert!(matches!(
            verify_against_log(&cp, Some("cd")),
            Err(CheckpointError::LogChanged { .. })
        ));
        let decoded = decode_key(&encode_key(&key)).expect("round trip");
        assert_eq!(decoded.to_bytes(), key.to_bytes());
    }
}
