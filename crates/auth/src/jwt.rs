//! OIDC/JWT bearer tokens from the province's identity provider, verified against configured
//! issuer keys (a JWKS document), audience, expiry and clock skew; role and scope are read from
//! configured claims, and so are the person's name, title and organ printed on what they sign.

use std::sync::{Arc, RwLock};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

use crate::principal::{Person, Principal, Role};

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
    /// The claim holding the person's full name [default: name, OpenID Connect's].
    #[serde(default = "default_name_claim")]
    pub name_claim: String,
    /// The claim holding the person's title (chức vụ) [default: bangiao_title].
    #[serde(default = "default_title_claim")]
    pub title_claim: String,
    /// The claim holding the organ (cơ quan) the person acts for [default: bangiao_organ].
    #[serde(default = "default_organ_claim")]
    pub organ_claim: String,
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

/// The claim holding the person's full name when none is configured: OpenID Connect's `name`.
pub fn default_name_claim() -> String {
    "name".into()
}

/// The claim holding the person's title when none is configured.
pub fn default_title_claim() -> String {
    "bangiao_title".into()
}

/// The claim holding the person's organ when none is configured.
pub fn default_organ_claim() -> String {
    "bangiao_organ".into()
}

impl OidcConfig {
    /// The configuration for an issuer and audience, every claim and the leeway at its default.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            role_claim: default_role_claim(),
            scope_claim: default_scope_claim(),
            name_claim: default_name_claim(),
            title_claim: default_title_claim(),
            organ_claim: default_organ_claim(),
            leeway_seconds: default_leeway(),
        }
    }
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

/// Verifies JWTs against one issuer's keys. Clones share the keys, so a refresh of the JWKS
/// (keys rotated at the identity provider) reaches every clone.
#[derive(Debug, Clone)]
pub struct JwtVerifier {
    config: OidcConfig,
    keys: Arc<RwLock<JwkSet>>,
}

fn parse_keys(jwks_json: &str) -> Result<JwkSet, JwtError> {
    let keys: JwkSet =
        serde_json::from_str(jwks_json).map_err(|e| JwtError::BadKeys(e.to_string()))?;
    if keys.keys.is_empty() {
        return Err(JwtError::BadKeys("the document holds no key".into()));
    }
    Ok(keys)
}

impl JwtVerifier {
    /// A verifier for `config` with the keys of a JWKS document (JSON text).
    pub fn new(config: OidcConfig, jwks_json: &str) -> Result<Self, JwtError> {
        Ok(Self {
            config,
            keys: Arc::new(RwLock::new(parse_keys(jwks_json)?)),
        })
    }

    /// Replaces the keys with those of a newer JWKS document; the old keys stay when it is bad.
    pub fn replace_keys(&self, jwks_json: &str) -> Result<usize, JwtError> {
        let keys = parse_keys(jwks_json)?;
        let count = keys.keys.len();
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
        Ok(count)
    }

    /// Checks a token and returns the principal it names.
    pub fn verify(&self, token: &str) -> Result<Principal, JwtError> {
        self.principal(&self.claims(token)?)
    }

    /// Checks an OpenID Connect ID token as [`JwtVerifier::verify`] does, and also that its
    /// `nonce` is the one sent with this sign-in's request, so a token issued for another
    /// sign-in cannot be slipped into this one.
    pub fn verify_id_token(&self, token: &str, nonce: &str) -> Result<Principal, JwtError> {
        let claims = self.claims(token)?;
        if claims.get("nonce").and_then(serde_json::Value::as_str) != Some(nonce) {
            return Err(JwtError::Claim("nonce".into()));
        }
        self.principal(&claims)
    }

    /// The claims of a token whose key, signature, issuer, audience and times check out.
    fn claims(&self, token: &str) -> Result<serde_json::Value, JwtError> {
        let header = decode_header(token).map_err(|e| JwtError::Invalid(e.to_string()))?;
        let key = {
            let keys = self.keys.read().unwrap_or_else(|p| p.into_inner());
            let jwk = match &header.kid {
                Some(kid) => keys.find(kid),
                None if keys.keys.len() == 1 => keys.keys.first(),
                None => None,
            }
            .ok_or(JwtError::UnknownKey)?;
            // A key published for one algorithm is never used with another the token names.
            if let Some(declared) = jwk.common.key_algorithm
                && format!("{declared:?}") != format!("{:?}", header.alg)
            {
                return Err(JwtError::Invalid(format!(
                    "the token uses {:?}, its key is for {declared:?}",
                    header.alg
                )));
            }
            DecodingKey::from_jwk(jwk).map_err(|e| JwtError::BadKeys(e.to_string()))?
        };
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.leeway = self.config.leeway_seconds;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Ok(decode::<serde_json::Value>(token, &key, &validation)
            .map_err(|e| JwtError::Invalid(e.to_string()))?
            .claims)
    }

    /// The principal named by checked claims: `sub`, the role claim and the scope claim, with
    /// the person's name, title and organ claims when present.
    fn principal(&self, claims: &serde_json::Value) -> Result<Principal, JwtError> {
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
        let person = Person::new(
            text(&self.config.name_claim).as_deref(),
            text(&self.config.title_claim).as_deref(),
            text(&self.config.organ_claim).as_deref(),
        );
        Ok(Principal {
            user_id,
            role,
            scope: text(&self.config.scope_claim),
            person,
        })
    }
}

/// Test helpers: an Ed25519 identity provider that signs tokens and publishes its JWKS.
#[doc(hidden)]
pub mod testing {
    use base64::Engine;
    use ed25519_dalek::SigningKey;
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};

    /// A signing key with its key id.
    pub struct Issuer {
        kid: String,
        key: SigningKey,
    }

    impl Issuer {
        /// A key made from a 32-byte seed (deterministic for tests).
        pub fn new(kid: &str, seed: u8) -> Self {
            Self {
                kid: kid.to_owned(),
                key: SigningKey::from_bytes(&[seed; 32]),
            }
        }

        /// The JWKS document publishing this key.
        pub fn jwks(&self) -> String {
            let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(self.key.verifying_key().as_bytes());
            serde_json::json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA",
                "use": "sig", "kid": self.kid, "x": x}]})
            .to_string()
        }

        /// A token over `claims`, signed with this key.
        pub fn sign(&self, claims: &serde_json::Value) -> String {
            let der = self
                .key
                .to_pkcs8_der()
                .expect("an Ed25519 key encodes as PKCS#8");
            let mut header = Header::new(Algorithm::EdDSA);
            header.kid = Some(self.kid.clone());
            encode(&header, claims, &EncodingKey::from_ed_der(der.as_bytes()))
                .expect("a token encodes")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Issuer;
    use super::*;
    use serde_json::json;

    fn config() -> OidcConfig {
        OidcConfig::new("https://sso.thainguyen.gov.vn", "bangiao")
    }

    fn claims(offset_seconds: i64) -> serde_json::Value {
        json!({"iss": "https://sso.thainguyen.gov.vn", "aud": "bangiao", "sub": "vanthu.066n1",
            "exp": chrono::Utc::now().timestamp() + offset_seconds,
            "bangiao_role": "clerk", "bangiao_scope": "066N1"})
    }

    #[test]
    fn a_valid_token_names_its_principal() {
        let issuer = Issuer::new("k1", 7);
        let verifier = JwtVerifier::new(config(), &issuer.jwks()).expect("keys");
        let who = verifier.verify(&issuer.sign(&claims(300))).expect("valid");
        assert_eq!(
            (who.user_id.as_str(), who.role, who.scope.as_deref()),
            ("vanthu.066n1", Role::Clerk, Some("066N1"))
        );
    }

    #[test]
    fn the_name_title_and_organ_claims_name_the_person() {
        let issuer = Issuer::new("k1", 7);
        let verifier = JwtVerifier::new(config(), &issuer.jwks()).expect("keys");
        let mut c = claims(300);
        c["name"] = json!("Hoàng Thị Hoa");
        c["bangiao_title"] = json!("Công chức Văn phòng - Thống kê");
        c["bangiao_organ"] = json!("Ủy ban nhân dân xã Nghiên Loan");
        let who = verifier.verify(&issuer.sign(&c)).expect("valid");
        assert_eq!(
            who.person,
            Person {
                name: Some("Hoàng Thị Hoa".into()),
                title: Some("Công chức Văn phòng - Thống kê".into()),
                organ: Some("Ủy ban nhân dân xã Nghiên Loan".into()),
            }
        );
        let configured = OidcConfig {
            title_claim: "chuc_vu".into(),
            ..config()
        };
        let verifier = JwtVerifier::new(configured, &issuer.jwks()).expect("keys");
        c["chuc_vu"] = json!("Chủ tịch");
        let who = verifier.verify(&issuer.sign(&c)).expect("valid");
        assert_eq!(who.person.title.as_deref(), Some("Chủ tịch"));
        let who = verifier.verify(&issuer.sign(&claims(300))).expect("valid");
        assert!(who.person.is_empty(), "no claims, no person: {who:?}");
    }

    #[test]
    fn expiry_is_checked_with_the_configured_leeway() {
        let issuer = Issuer::new("k1", 7);
        let verifier = JwtVerifier::new(config(), &issuer.jwks()).expect("keys");
        assert!(
            verifier.verify(&issuer.sign(&claims(-30))).is_ok(),
            "within skew"
        );
        assert!(matches!(
            verifier.verify(&issuer.sign(&claims(-120))),
            Err(JwtError::Invalid(_))
        ));
    }

    #[test]
    fn a_foreign_key_issuer_or_audience_is_refused() {
        let ours = Issuer::new("k1", 7);
        let verifier = JwtVerifier::new(config(), &ours.jwks()).expect("keys");
        // Same key id, another key: the signature does not hold.
        let forger = Issuer::new("k1", 8);
        assert!(matches!(
            verifier.verify(&forger.sign(&claims(300))),
            Err(JwtError::Invalid(_))
        ));
        assert_eq!(
            verifier.verify(&Issuer::new("k2", 7).sign(&claims(300))),
            Err(JwtError::UnknownKey)
        );
        for (claim, value) in [("iss", "https://sso.other.gov.vn"), ("aud", "other")] {
            let mut c = claims(300);
            c[claim] = json!(value);
            assert!(
                matches!(verifier.verify(&ours.sign(&c)), Err(JwtError::Invalid(_))),
                "{claim}"
            );
        }
        let mut c = claims(300);
        c["bangiao_role"] = json!("king");
        assert_eq!(
            verifier.verify(&ours.sign(&c)),
            Err(JwtError::Claim("bangiao_role".into()))
        );
        assert!(verifier.verify("not.a.token").is_err());
    }

    #[test]
    fn an_id_token_must_carry_the_nonce_of_its_sign_in() {
        let issuer = Issuer::new("k1", 7);
        let verifier = JwtVerifier::new(config(), &issuer.jwks()).expect("keys");
        let mut c = claims(300);
        c["nonce"] = json!("n-123");
        let token = issuer.sign(&c);
        assert_eq!(
            verifier.verify_id_token(&token, "n-123").map(|w| w.user_id),
            Ok("vanthu.066n1".into())
        );
        assert_eq!(
            verifier.verify_id_token(&token, "n-456"),
            Err(JwtError::Claim("nonce".into()))
        );
        assert_eq!(
            verifier.verify_id_token(&issuer.sign(&claims(300)), "n-123"),
            Err(JwtError::Claim("nonce".into()))
        );
    }

    #[test]
    fn replaced_keys_take_effect_and_bad_documents_keep_the_old_ones() {
        let old = Issuer::new("k1", 7);
        let new = Issuer::new("k2", 9);
        let verifier = JwtVerifier::new(config(), &old.jwks()).expect("keys");
        let shared = verifier.clone();
        assert!(verifier.replace_keys("{\"keys\": []}").is_err());
        assert!(verifier.verify(&old.sign(&claims(300))).is_ok());
        assert_eq!(verifier.replace_keys(&new.jwks()), Ok(1));
        assert!(shared.verify(&new.sign(&claims(300))).is_ok());
        assert_eq!(
            shared.verify(&old.sign(&claims(300))),
            Err(JwtError::UnknownKey)
        );
    }
}
