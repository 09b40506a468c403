//! API tokens: random, shown once, stored only as a SHA-256 hash, with expiry and revocation.
//! Issuing and revoking are events of the `token-{id}` stream, so every replica knows them and
//! the log records who issued what.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::principal::{Person, Role};

/// Prefix of every API token, so a leaked one is easy to recognise in logs and scanners.
pub const TOKEN_PREFIX: &str = "bg_";

/// Why a token could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the system's random source failed: {0}")]
pub struct RandomError(String);

/// A fresh secret token: `bg_` and 43 characters of base64url (256 random bits).
pub fn generate() -> Result<String, RandomError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    ))
}

/// The hash under which a token is stored and looked up.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A token was issued (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenIssued {
    /// Token id.
    pub token_id: Uuid,
    /// SHA-256 of the secret, hex.
    pub token_sha256: String,
    /// The user it authenticates.
    pub user_id: String,
    /// Its role.
    pub role: Role,
    /// Its scope.
    pub scope: Option<String>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Who issued it.
    pub issued_by: String,
    /// The person's full name, printed on the minutes they sign (absent from older tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The person's title (chức vụ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The organ (cơ quan) the person acts for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organ: Option<String>,
}

impl TokenIssued {
    /// The person the token names.
    pub fn person(&self) -> Person {
        Person {
            name: self.name.clone(),
            title: self.title.clone(),
            organ: self.organ.clone(),
        }
    }
}

/// A token was revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRevoked {
    /// Token id.
    pub token_id: Uuid,
    /// Who revoked it.
    pub revoked_by: String,
}

bangiao_domain::event_enum! {
    /// Events of the `token-{id}` streams.
    pub enum TokenEvent {
        TokenIssued,
        TokenRevoked,
    }
}

/// A request was refused: kept in the `audit-{date}` stream for inspectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDenied {
    /// Who asked (user id), or `anonymous`.
    pub user_id: String,
    /// Their role, if known.
    pub role: Option<Role>,
    /// HTTP method and route pattern.
    pub action: String,
    /// The resource (fonds or unit code) when the route names one.
    pub resource: Option<String>,
    /// Why it was refused: the denial's code.
    pub reason: String,
}

bangiao_domain::event_enum! {
    /// Events of the `audit-{date}` streams.
    pub enum AuditEvent {
        AccessDenied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hashed() {
        let a = generate().expect("random");
        let b = generate().expect("random");
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == 46, "{a}");
        assert_eq!(hash(&a).len(), 64);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn a_token_without_a_person_is_stored_as_before_and_one_with_a_person_names_them() {
        let before = r#"{"token_id":"0190a000-0000-7000-8000-000000000001","token_sha256":"ab","user_id":"vanthu.066","role":"clerk","scope":"066","expires_at":"2026-01-01T00:00:00Z","issued_by":"test"}"#;
        let event: TokenIssued = serde_json::from_str(before).expect("an older token");
        assert!(event.person().is_empty());
        assert_eq!(serde_json::to_string(&event).expect("json"), before);
        let named = TokenIssued {
            name: Some("Nông Văn Páo".into()),
            title: Some("Văn thư".into()),
            ..event
        };
        let json = serde_json::to_string(&named).expect("json");
        assert!(
            json.ends_with(r#""name":"Nông Văn Páo","title":"Văn thư"}"#),
            "{json}"
        );
        assert_eq!(named.person().title.as_deref(), Some("Văn thư"));
    }
}
