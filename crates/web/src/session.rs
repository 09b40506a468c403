//! Who is reading: the API token kept in an HttpOnly, SameSite=Strict cookie, resolved to a
//! principal exactly as the API resolves a bearer token; the language cookie; and the
//! anti-forgery token every form carries.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use bangiao_auth::Principal;
use sha2::{Digest, Sha256};

use crate::WebState;
use crate::error::PageError;
use crate::i18n::Lang;

/// The cookie holding the API token of the person signed in.
pub const TOKEN_COOKIE: &str = "bg_token";
/// The cookie holding the chosen language.
pub const LANG_COOKIE: &str = "bg_lang";
/// The form field carrying the anti-forgery token.
pub const CSRF_FIELD: &str = "_csrf";

/// The value of cookie `name`, if sent.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// The language the reader chose (Vietnamese unless they chose English).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// The anti-forgery token of a session: a digest of its API token, which another site cannot
/// read (the cookie is HttpOnly) and so cannot compute.
pub fn csrf_token(api_token: &str) -> String {
    let digest = Sha256::digest(format!("bangiao-csrf\0{api_token}"));
    hex::encode(&digest[..16])
}

/// The address a request came from, for counting failed sign-ins as the API does.
pub fn client_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "local".to_owned(),
            |ConnectInfo(addr)| addr.ip().to_string(),
        )
}

/// The client's address as an extractor (see [`client_of`]).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_of(parts)))
    }
}

/// Whether a form POST comes from this site: the `Origin` (or, without it, the `Referer`)
/// must name the host the request was sent to. Browsers always send one of them on POST.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => {
            let rest = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                .unwrap_or("");
            rest.split('/').next() == Some(host)
        }
        // No Origin nor Referer: not a browser form (scripts use the API with a bearer token).
        (_, None) => true,
        (None, Some(_)) => false,
    }
}

/// The person signed in, with their language and the anti-forgery token of their forms.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// Who, in which role and scope.
    pub who: Principal,
    /// The language of the pages.
    pub lang: Lang,
    /// The anti-forgery token forms must send back.
    pub csrf: String,
    /// The path and query of this page (to come back to after switching language).
    pub here: String,
    /// Whether the request's `Origin` is this site.
    same_origin: bool,
}

impl Viewer {
    /// Checks a form's anti-forgery token and origin.
    pub fn check_form(&self, sent: Option<&str>) -> Result<(), PageError> {
        let matches = sent.is_some_and(|sent| {
            sent.len() == self.csrf.len()
                && sent
                    .bytes()
                    .zip(self.csrf.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        });
        if matches && self.same_origin {
            Ok(())
        } else {
            Err(PageError::Forgery)
        }
    }
}

impl FromRequestParts<WebState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, web: &WebState) -> Result<Self, PageError> {
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let sign_in = || PageError::SignIn { next: here.clone() };
        let Some(token) = cookie(&parts.headers, TOKEN_COOKIE).map(str::to_owned) else {
            return Err(sign_in());
        };
        let client = client_of(parts);
        if web.app.guard.blocked(&client) {
            return Err(PageError::TooManyFailures);
        }
        let Some(who) = bangiao_server::auth::resolve(&web.app, &token).await? else {
            web.app.guard.failed(&client);
            return Err(sign_in());
        };
        Ok(Self {
            who,
            lang: lang_of(&parts.headers),
            csrf: csrf_token(&token),
            here,
            same_origin: same_origin(&parts.headers),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; bg_lang=en; bg_token=bg_xyz".parse().expect("header"),
        );
        assert_eq!(cookie(&headers, TOKEN_COOKIE), Some("bg_xyz"));
        assert_eq!(lang_of(&headers), Lang::En);
        assert_eq!(cookie(&headers, "b"), None);
    }

    #[test]
    fn forms_from_another_site_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().expect("header"));
        headers.insert(
            header::ORIGIN,
            "http://127.0.0.1:8080".parse().expect("header"),
        );
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            "https://evil.example".parse().expect("header"),
        );
        assert!(!same_origin(&headers));
    }

    #[test]
    fn the_anti_forgery_token_depends_on_the_session() {
        assert_ne!(csrf_token("bg_a"), csrf_token("bg_b"));
        assert_eq!(csrf_token("bg_a").len(), 32);
    }
}
