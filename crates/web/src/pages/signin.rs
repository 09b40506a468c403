//! Sign-in with an API token (or an OIDC JWT pasted as a token), sign-out, language switch.

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
        context! { next => local_path(next.next.as_deref()), failed => false },
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
            context! { next => next, failed => true },
        )?;
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(response);
    }
    let cookie = format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{}",
        secure(&headers)
    );
    let mut response = see_other(&next);
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| PageError::Forgery)?,
    );
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
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| PageError::Forgery)?,
    );
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
