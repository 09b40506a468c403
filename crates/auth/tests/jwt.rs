//! JWT verification: a good token, an expired one, a wrong signature, another issuer.

use bangiao_auth::Role;
use bangiao_auth::jwt::{JwtError, JwtVerifier, OidcConfig};
use base64::Engine;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::json;

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn jwks(key: &SigningKey, kid: &str) -> String {
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    json!({ "keys": [{ "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid, "x": x }] }).to_string()
}

fn token(key: &SigningKey, kid: &str, claims: serde_json::Value) -> String {
    let der = key.to_pkcs8_der().expect("pkcs8");
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    encode(&header, &claims, &EncodingKey::from_ed_der(der.as_bytes())).expect("sign")
}

fn config() -> OidcConfig {
    OidcConfig {
        issuer: "https://sso.thainguyen.gov.vn".into(),
        audience: "bangiao".into(),
        role_claim: "bangiao_role".into(),
        scope_claim: "bangiao_scope".into(),
        name_claim: "name".into(),
        title_claim: "bangiao_title".into(),
        organ_claim: "bangiao_organ".into(),
        leeway_seconds: 30,
    }
}

fn claims(iss: &str, exp_offset: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({ "sub": "vanthu.066n4", "iss": iss, "aud": "bangiao", "exp": now + exp_offset,
            "bangiao_role": "clerk", "bangiao_scope": "066N4" })
}

#[test]
fn a_valid_token_names_its_principal() {
    let k = key(1);
    let verifier = JwtVerifier::new(config(), &jwks(&k, "k1")).expect("jwks");
    let who = verifier
        .verify(&token(
            &k,
            "k1",
            claims("https://sso.thainguyen.gov.vn", 600),
        ))
        .expect("valid");
    assert_eq!(
        (who.user_id.as_str(), who.role, who.scope.as_deref()),
        ("vanthu.066n4", Role::Clerk, Some("066N4"))
    );
}

#[test]
fn expired_wrongly_signed_and_foreign_tokens_are_refused() {
    let k = key(1);
    let verifier = JwtVerifier::new(config(), &jwks(&k, "k1")).expect("jwks");
    let expired = token(&k, "k1", claims("https://sso.thainguyen.gov.vn", -3600));
    assert!(matches!(
        verifier.verify(&expired),
        Err(JwtError::Invalid(_))
    ));
    let forged = token(&key(2), "k1", claims("https://sso.thainguyen.gov.vn", 600));
    assert!(matches!(
        verifier.verify(&forged),
        Err(JwtError::Invalid(_))
    ));
    let foreign = token(&k, "k1", claims("https://sso.other.gov.vn", 600));
    assert!(matches!(
        verifier.verify(&foreign),
        Err(JwtError::Invalid(_))
    ));
    let unknown_key = token(&k, "k9", claims("https://sso.thainguyen.gov.vn", 600));
    assert_eq!(verifier.verify(&unknown_key), Err(JwtError::UnknownKey));
    assert!(matches!(
        verifier.verify("not.a.jwt"),
        Err(JwtError::Invalid(_))
    ));
}
