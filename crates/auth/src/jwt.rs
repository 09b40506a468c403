//! OIDC/JWT bearer tokens from the province's identity provider, verified against configured
//! issuer keys (a JWKS document), audience, expiry and clock skew; role and scope are read from
//! configured claims.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

use crate::principal::{Principal, Role};

/// How JWTs are checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    /// The expected `iss`.
    pub issuer: String,
    /// The expected `aud`.
    pub audience: String,
    /// The claim holding the role [default: bangiao_role].
    #[serde(default = "default_role_claim")]
    pub role_claim: String,
    /// The claim holding the scope [default: bangiao_scope].
    #[serde(default = "default_scope_claim")]
    pub scope_claim: String,
    /// Clock skew allowed on `exp` and `nbf`, in seconds [default: 60].
    #[serde(default = "default_leeway")]
    pub leeway_seconds: u64,
}

fn default_role_claim() -> String {
    "bangiao_role".into()
}
fn default_scope_claim() -> String {
    "bangiao_scope".into()
}
fn default_leeway() -> u64 {
    60
}

/// Why a JWT was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// The JWKS document is not valid.
    #[error("the JWKS document is not valid: {0}")]
    BadKeys(String),
    /// The token names a key the JWKS does not hold.
    #[error("the token was signed with an unknown key")]
    UnknownKey,
    /// Signature, issuer, audience or time checks failed.
    #[error("the token is not valid: {0}")]
    Invalid(String),
    /// A required claim is missing or has an unknown value.
    #[error("the token's claim {0} is missing or unknown")]
    Claim(String),
}

/// Verifies JWTs against one issuer's keys.
#[derive(Debug, Clone)]
pub struct JwtVerifier {
    config: OidcConfig,
    keys: JwkSet,
}

impl JwtVerifier {
    /// A verifier for `config` with the keys of a JWKS document (JSON text).
    pub fn new(config: OidcConfig, jwks_json: &str) -> Result<Self, JwtError> {
        let keys: JwkSet =
            serde_json::from_str(jwks_json).map_err(|e| JwtError::BadKeys(e.to_string()))?;
        Ok(Self { config, keys })
    }

    /// Checks a token and returns the principal it names.
    pub fn verify(&self, token: &str) -> Result<Principal, JwtError> {
        let header = decode_header(token).map_err(|e| JwtError::Invalid(e.to_string()))?;
        let jwk = match &header.kid {
            Some(kid) => self.keys.find(kid),
            None if self.keys.keys.len() == 1 => self.keys.keys.first(),
            None => None,
        }
        .ok_or(JwtError::UnknownKey)?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| JwtError::BadKeys(e.to_string()))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.leeway = self.config.leeway_seconds;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = decode::<serde_json::Value>(token, &key, &validation)
            .map_err(|e| JwtError::Invalid(e.to_string()))?
            .claims;
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let user_id = text("sub").ok_or_else(|| JwtError::Claim("sub".into()))?;
        let role = text(&self.config.role_claim)
            .and_then(|r| Role::parse(&r))
            .ok_or_else(|| JwtError::Claim(self.config.role_claim.clone()))?;
        Ok(Principal {
            user_id,
            role,
            scope: text(&self.config.scope_claim),
        })
    }
}
