//! Sign-in through the province's identity provider (OpenID Connect, authorization code flow
//! with PKCE): the pages send the browser to the provider with a fresh `state`, `nonce` and
//! code challenge, kept meanwhile in a short-lived HttpOnly cookie; the provider sends it back
//! with a code; the pages check the `state`, exchange the code and the verifier for tokens at
//! the token endpoint, and check the ID token (signature, issuer, audience, expiry and nonce)
//! with the same verifier as the API's bearer JWTs. The ID token then is the session, exactly
//! as a pasted one would be.

use bangiao_auth::Principal;
use bangiao_auth::jwt::JwtVerifier;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The cookie that holds a sign-in in progress: `state.nonce.verifier.next`.
pub const PENDING_COOKIE: &str = "bg_oidc";

/// How long a sign-in may stay at the provider, in seconds.
pub const PENDING_SECONDS: u32 = 600;

/// Where the provider is and who the pages are to it (the `[oidc]` section of the config).
#[derive(Debug, Clone)]
pub struct OidcRedirect {
    /// The provider's authorization endpoint.
    pub authorization_endpoint: String,
    /// The provider's token endpoint.
    pub token_endpoint: String,
    /// The pages' client id at the provider; ID tokens must name it in `aud`, so it is the
    /// `audience` the verifier checks.
    pub client_id: String,
    /// The client secret, for providers that require one beside PKCE.
    pub client_secret: Option<String>,
    /// This site's callback, `https://…/trang/dang-nhap/oidc/ve`, as registered at the provider.
    pub redirect_url: String,
    /// Checks the ID token (the API's JWT verifier).
    pub verifier: JwtVerifier,
}

/// Why a redirect sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The system's random source failed.
    #[error("không tạo được số ngẫu nhiên / the random source failed: {0}")]
    Random(String),
    /// The callback came without a sign-in in progress, or with another `state`.
    #[error("phiên đăng nhập không khớp / the sign-in state does not match")]
    State,
    /// The provider answered with an error instead of a code.
    #[error("cổng định danh từ chối / the identity provider refused: {0}")]
    Provider(String),
    /// The token endpoint could not be reached or gave no ID token.
    #[error("không đổi được mã lấy token / the code could not be exchanged: {0}")]
    Exchange(String),
    /// The ID token did not check out.
    #[error("token định danh không hợp lệ / the ID token is not valid: {0}")]
    Token(#[from] bangiao_auth::jwt::JwtError),
}

/// A sign-in in progress: what the callback must find again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Sent as `state`; the callback must bring it back.
    pub state: String,
    /// Sent as `nonce`; the ID token must carry it.
    pub nonce: String,
    /// The PKCE code verifier; only its SHA-256 was sent.
    pub verifier: String,
    /// Where to go once signed in (a local path).
    pub next: String,
}

/// 32 random bytes as base64url: 43 characters, valid for `state`, `nonce` and PKCE.
fn random() -> Result<String, OidcError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| OidcError::Random(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

impl Pending {
    /// A fresh sign-in going to `next` afterwards.
    pub fn new(next: String) -> Result<Self, OidcError> {
        Ok(Self {
            state: random()?,
            nonce: random()?,
            verifier: random()?,
            next,
        })
    }

    /// The PKCE challenge (S256) of the verifier.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier.as_bytes()))
    }

    /// The cookie value: the four parts joined by dots (base64url has no dot; the path is
    /// percent-encoded).
    pub fn encode(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.state,
            self.nonce,
            self.verifier,
            crate::error::encode(&self.next)
        )
    }

    /// Reads a cookie value back.
    pub fn decode(value: &str) -> Option<Self> {
        let mut parts = value.splitn(4, '.');
        let (state, nonce, verifier, next) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let next = decode_path(next)?;
        (!state.is_empty() && !nonce.is_empty() && !verifier.is_empty()).then(|| Self {
            state: state.to_owned(),
            nonce: nonce.to_owned(),
            verifier: verifier.to_owned(),
            next,
        })
    }
}

/// Undoes [`crate::error::encode`].
fn decode_path(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What the token endpoint answers (only the ID token is used).
#[derive(Debug, Deserialize)]
struct TokenAnswer {
    id_token: Option<String>,
}

impl OidcRedirect {
    /// The provider's authorization URL for a sign-in.
    pub fn authorization_url(&self, pending: &Pending) -> String {
        let pairs = [
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", self.redirect_url.as_str()),
            ("scope", "openid"),
            ("state", pending.state.as_str()),
            ("nonce", pending.nonce.as_str()),
            ("code_challenge", &pending.challenge()),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::error::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
        let join = if self.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{join}{pairs}", self.authorization_endpoint)
    }

    /// Exchanges the code at the token endpoint and checks the ID token against the sign-in's
    /// nonce; returns the ID token (the session) and the person it names.
    pub async fn exchange(
        &self,
        pending: &Pending,
        code: &str,
    ) -> Result<(String, Principal), OidcError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_url.as_str()),
            ("client_id", self.client_id.as_str()),
            ("code_verifier", pending.verifier.as_str()),
        ];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.as_str()));
        }
        let failed = |e: reqwest::Error| OidcError::Exchange(e.to_string());
        let answer: TokenAnswer = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(failed)?
            .post(&self.token_endpoint)
            .form(&form)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(failed)?
            .json()
            .await
            .map_err(failed)?;
        let id_token = answer
            .id_token
            .ok_or_else(|| OidcError::Exchange("no id_token in the answer".into()))?;
        let who = self.verifier.verify_id_token(&id_token, &pending.nonce)?;
        Ok((id_token, who))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_sign_in_reads_back_from_its_cookie() {
        let pending = Pending::new("/trang/phong?q=pác nặm".into()).expect("random");
        assert_eq!(pending.state.len(), 43);
        assert_ne!(pending.state, pending.nonce);
        assert_eq!(Pending::decode(&pending.encode()), Some(pending.clone()));
        assert_eq!(Pending::decode("a.b"), None);
        assert_eq!(Pending::decode("..x./"), None);
    }

    #[test]
    fn the_challenge_is_the_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        let pending = Pending {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            next: "/".into(),
        };
        assert_eq!(
            pending.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
