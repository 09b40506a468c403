//! Sign-in with an API token (or an OIDC JWT pasted as a token), or through the identity
//! provider's redirect (`crate::oidc`); sign-out, language switch.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use super::{Fields, field, see_other};
use crate::WebState;
use crate::error::PageError;
use crate::i18n::Lang;
use crate::oidc::{OidcError, PENDING_COOKIE, PENDING_SECONDS, Pending};
use crate::session::{self, ClientAddr, LANG_COOKIE, TOKEN_COOKIE, Viewer};

/// Where to go after signing in or switching language.
#[derive(Debug, Default, Deserialize)]
pub struct Next {
    /// A path of this site.
    pub next: Option<String>,
}

/// Only paths of this site: `/…` but not `//host…`.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `GET /trang/dang-nhap`: the sign-in form.
pub async fn form(
    State(web): State<WebState>,
    headers: HeaderMap,
    Query(next): Query<Next>,
) -> Result<Response, PageError> {
    let lang = session::lang_of(&headers);
    web.render.anonymous(
        lang,
        "signin.html",
        context! {
            next => local_path(next.next.as_deref()), failed => false, oidc => web.oidc.is_some(),
        },
    )
}

fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https");
    if https { "; Secure" } else { "" }
}

/// `POST /trang/dang-nhap`: checks the token as the API does and keeps it in an HttpOnly,
/// SameSite=Strict cookie.
pub async fn sign_in(
    State(web): State<WebState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let lang = session::lang_of(&headers);
    if !session::same_origin(&headers) {
        return Err(PageError::Forgery);
    }
    if web.app.guard.blocked(&client) {
        return Err(PageError::TooManyFailures);
    }
    let next = local_path(field(&fields, "next"));
    let token = field(&fields, "token").unwrap_or("").to_owned();
    let valid = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_graphic())
        && bangiao_server::auth::resolve(&web.app, &token)
            .await?
            .is_some();
    if !valid {
        web.app.guard.failed(&client);
        let mut response = web.render.anonymous(
            lang,
            "signin.html",
            context! { next => next, failed => true, oidc => web.oidc.is_some() },
        )?;
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(response);
    }
    let mut response = see_other(&next);
    set_cookie(&mut response, &session_cookie(&token, &headers))?;
    Ok(response)
}

/// The session cookie holding `token`.
fn session_cookie(token: &str, headers: &HeaderMap) -> String {
    format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{}",
        secure(headers)
    )
}

fn set_cookie(response: &mut Response, cookie: &str) -> Result<(), PageError> {
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(cookie).map_err(|_| PageError::Forgery)?,
    );
    Ok(())
}

/// `GET /trang/dang-nhap/oidc?next=`: sends the browser to the identity provider with a fresh
/// state, nonce and PKCE challenge, kept meanwhile in an HttpOnly cookie. The cookie is
/// `SameSite=Lax` because the provider's redirect back is a navigation from another site.
pub async fn oidc_start(
    State(web): State<WebState>,
    headers: HeaderMap,
    Query(next): Query<Next>,
) -> Result<Response, PageError> {
    let oidc = web.oidc.as_ref().ok_or_else(no_oidc)?;
    let pending = Pending::new(local_path(next.next.as_deref())).map_err(|e| {
        tracing::error!(error = %e, "OIDC sign-in could not start");
        PageError::invalid(e.to_string(), e.to_string())
    })?;
    let mut response = see_other(&oidc.authorization_url(&pending));
    let cookie = format!(
        "{PENDING_COOKIE}={}; Path=/trang/dang-nhap/oidc; HttpOnly; SameSite=Lax; Max-Age={PENDING_SECONDS}{}",
        pending.encode(),
        secure(&headers)
    );
    set_cookie(&mut response, &cookie)?;
    Ok(response)
}

fn no_oidc() -> PageError {
    PageError::invalid(
        "Chưa cấu hình đăng nhập qua cổng định danh ([oidc]).",
        "Sign-in through the identity provider is not configured ([oidc]).",
    )
}

/// `?code=&state=` (or `?error=`) of the provider's redirect back.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    /// The authorization code.
    pub code: Option<String>,
    /// The state sent out.
    pub state: Option<String>,
    /// The provider's error code, when it refused.
    pub error: Option<String>,
}

/// `GET /trang/dang-nhap/oidc/ve`: the provider's redirect back. The state must be the one in
/// the pending cookie; the code is exchanged with the PKCE verifier; the ID token must check
/// out with the sign-in's nonce. Then the ID token is the session and the browser goes on
/// (through a page, so the `SameSite=Strict` session cookie is sent on the next request).
pub async fn oidc_callback(
    State(web): State<WebState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Query(back): Query<Callback>,
) -> Result<Response, PageError> {
    let oidc = web.oidc.as_ref().ok_or_else(no_oidc)?;
    let lang = session::lang_of(&headers);
    if web.app.guard.blocked(&client) {
        return Err(PageError::TooManyFailures);
    }
    let pending = session::cookie(&headers, PENDING_COOKIE).and_then(Pending::decode);
    let outcome = match (&pending, back.error, back.code, back.state) {
        (_, Some(error), _, _) => Err(OidcError::Provider(error)),
        (Some(pending), None, Some(code), Some(state)) if state == pending.state => {
            oidc.exchange(pending, &code).await
        }
        _ => Err(OidcError::State),
    };
    let clear = format!(
        "{PENDING_COOKIE}=; Path=/trang/dang-nhap/oidc; HttpOnly; SameSite=Lax; Max-Age=0{}",
        secure(&headers)
    );
    let (token, who, next) = match (outcome, pending) {
        (Ok((token, who)), Some(pending)) => (token, who, local_path(Some(&pending.next))),
        (outcome, _) => {
            if let Err(error) = outcome {
                tracing::warn!(%error, "OIDC sign-in refused");
            }
            web.app.guard.failed(&client);
            let mut response = web.render.anonymous(
                lang,
                "signin.html",
                context! { next => "/", failed => true, oidc => true },
            )?;
            *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            set_cookie(&mut response, &clear)?;
            return Ok(response);
        }
    };
    tracing::info!(user = %who.user_id, role = who.role.as_str(), "signed in through OIDC");
    let mut response = web
        .render
        .anonymous(lang, "signed_in.html", context! { next => next })?;
    set_cookie(&mut response, &session_cookie(&token, &headers))?;
    set_cookie(&mut response, &clear)?;
    Ok(response)
}

/// `POST /trang/dang-xuat`: forgets the token cookie.
pub async fn sign_out(
    viewer: Viewer,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    viewer.check_form(field(&fields, session::CSRF_FIELD))?;
    let mut response = see_other("/trang/dang-nhap");
    let cookie = format!(
        "{TOKEN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        secure(&headers)
    );
    set_cookie(&mut response, &cookie)?;
    Ok(response)
}

/// `GET /trang/ngon-ngu/{lang}?next=`: keeps the language in a cookie and goes back.
pub async fn language(Path(tag): Path<String>, Query(next): Query<Next>) -> Response {
    let lang = Lang::parse(&tag).unwrap_or_default();
    let mut response = see_other(&local_path(next.next.as_deref()));
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.tag()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/trang/phong")), "/trang/phong");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil")), "/");
        assert_eq!(local_path(None), "/");
    }
}
