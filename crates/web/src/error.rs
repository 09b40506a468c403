//! Failures of the pages. A handler's [`PageError`] becomes a response carrying an
//! [`ErrorPage`]; the [`finish`] middleware renders it in the reader's language and adds the
//! security headers to every page.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use bangiao_auth::Denial;
use bangiao_server::error::ApiError;

use crate::WebState;

/// Failures while setting the pages up.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A message catalogue does not parse.
    #[error("the {lang} message catalogue is invalid: {reason}")]
    Catalogue {
        /// The language.
        lang: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A template does not compile.
    #[error("template error: {0}")]
    Template(#[from] minijinja::Error),
    /// The kept list of imports with problems cannot be read.
    #[error(transparent)]
    Problems(#[from] crate::problems::ProblemsError),
}

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nobody is signed in (or the token no longer works): go to the sign-in page.
    #[error("sign-in needed")]
    SignIn {
        /// Where to come back to.
        next: String,
    },
    /// The API's own error (a refused command, a missing record, a store failure).
    #[error("{}", .0.problem().message_en)]
    Api(ApiError),
    /// The policy refused the request.
    #[error("{}", .0.message_en())]
    Denied(Denial),
    /// A form without the right anti-forgery token, or from another site.
    #[error("the form could not be verified")]
    Forgery,
    /// A form field is missing or malformed.
    #[error("{en}")]
    Invalid {
        /// The message in Vietnamese.
        vi: String,
        /// The message in English.
        en: String,
    },
    /// Too many failed sign-ins from this address.
    #[error("too many failed sign-ins")]
    TooManyFailures,
    /// A template failed to render.
    #[error("template error: {0}")]
    Render(#[from] minijinja::Error),
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<bangiao_app::pipeline::Refusal<ApiError>> for PageError {
    fn from(refusal: bangiao_app::pipeline::Refusal<ApiError>) -> Self {
        match refusal {
            bangiao_app::pipeline::Refusal::Denied(denial) => Self::Denied(denial),
            other => Self::Api(other.into()),
        }
    }
}

impl From<bangiao_projections::ProjectionError> for PageError {
    fn from(error: bangiao_projections::ProjectionError) -> Self {
        Self::Api(error.into())
    }
}

impl PageError {
    /// A malformed field, in both languages.
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Invalid {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// A value of the domain that did not parse.
    pub fn value(error: &bangiao_domain::ValueError) -> Self {
        Self::invalid(error.message_vi(), error.message_en())
    }
}

/// What the error page shows: a status, a stable code and the message in both languages.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code (the API's codes).
    pub code: String,
    /// The message in Vietnamese.
    pub vi: String,
    /// The message in English.
    pub en: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = match self {
            Self::SignIn { next } => {
                let target = format!("/trang/dang-nhap?next={}", encode(&next));
                return Redirect::to(&target).into_response();
            }
            Self::Api(error) => {
                let problem = error.problem();
                ErrorPage {
                    status: StatusCode::from_u16(problem.status)
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    code: problem.code.clone(),
                    vi: problem.message_vi.clone(),
                    en: problem.message_en.clone(),
                }
            }
            Self::Denied(denial) => ErrorPage {
                status: StatusCode::FORBIDDEN,
                code: denial.code().into(),
                vi: denial.message_vi(),
                en: denial.message_en(),
            },
            Self::Forgery => ErrorPage {
                status: StatusCode::FORBIDDEN,
                code: "form_not_verified".into(),
                vi: "Không xác minh được biểu mẫu (hết phiên hoặc gửi từ trang khác). Hãy mở lại trang và thử lại.".into(),
                en: "The form could not be verified (session changed or sent from another site). Open the page again and retry.".into(),
            },
            Self::Invalid { vi, en } => ErrorPage {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid_form".into(),
                vi,
                en,
            },
            Self::TooManyFailures => ErrorPage {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "too_many_failures".into(),
                vi: "Quá nhiều lần đăng nhập thất bại; hãy đợi một phút.".into(),
                en: "Too many failed sign-ins; wait a minute.".into(),
            },
            Self::Render(error) => {
                tracing::error!(%error, "page template failed");
                ErrorPage {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal".into(),
                    vi: "Lỗi nội bộ của hệ thống; đã ghi nhật ký.".into(),
                    en: "Internal error; it has been logged.".into(),
                }
            }
        };
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// Percent-encodes a path and query for use inside a query parameter.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Middleware: renders error pages in the reader's language, sets the security headers, and
/// tells the time the server spent (`Server-Timing: app;dur=…` in milliseconds, which browsers
/// show in their developer tools and the benchmark reads).
pub async fn finish(State(web): State<WebState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let lang = crate::session::lang_of(request.headers());
    let mut response = next.run(request).await;
    if let Some(page) = response.extensions_mut().remove::<ErrorPage>() {
        response = web.render.error_page(lang, &page);
    }
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        (
            "content-security-policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ),
    ] {
        headers
            .entry(HeaderName::from_static(name))
            .or_insert(HeaderValue::from_static(value));
    }
    let spent = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&format!("app;dur={spent:.1}")) {
        headers.insert(HeaderName::from_static("server-timing"), value);
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}
