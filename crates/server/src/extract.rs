//! Extractors whose every rejection is a problem+json response, and the headers of a command.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use bangiao_app::pipeline::Envelope;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::explain;
use crate::state::AppState;

/// A JSON body; malformed JSON, wrong types and unknown fields become problems naming the
/// field in Vietnamese and English (the parser's own text in `detail`), and a body over
/// `HttpConfig::max_body_bytes` a 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "json_expected",
                "Cần gửi nội dung JSON với Content-Type: application/json.",
                "Send a JSON body with Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| body_problem(&rejection, state.config.max_body_bytes))?;
        decode_json(&bytes).map(Self)
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/*+json`).
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let subtype = subtype.to_ascii_lowercase();
    kind.eq_ignore_ascii_case("application") && (subtype == "json" || subtype.ends_with("+json"))
}

/// A body that could not be read: too large (413), or cut off.
fn body_problem(rejection: &BytesRejection, limit: usize) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::payload_too_large(limit);
    }
    ApiError::bad_request(
        "unreadable_body",
        "Không đọc được hết nội dung gửi lên (kết nối bị ngắt hoặc nội dung bị cắt); hãy gửi lại.",
        "The body could not be read to its end (connection dropped or body cut off); send it again.",
    )
    .with_detail(explain::detail(&rejection.body_text()))
}

/// Parses a JSON body, keeping the path of the field at fault.
fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| json_problem(&e.path().to_string(), e.inner()))?;
    deserializer.end().map_err(|e| json_problem(".", &e))?;
    Ok(value)
}

/// A JSON refusal: 400 `malformed_json` for bad syntax, 422 `invalid_body` for a well-formed
/// body of the wrong shape, naming the field.
fn json_problem(path: &str, error: &serde_json::Error) -> ApiError {
    let raw = error.to_string();
    let detail = if matches!(path, "" | ".") {
        raw.clone()
    } else {
        format!("{path}: {raw}")
    };
    if matches!(
        error.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    ) {
        let (vi, en) = explain::syntax_error(&raw);
        let (line, column) = (error.line(), error.column());
        return ApiError::bad_request(
            "malformed_json",
            format!("Nội dung gửi lên không phải JSON hợp lệ: {vi} (dòng {line}, cột {column})."),
            format!("The body is not valid JSON: {en} (line {line}, column {column})."),
        )
        .with_detail(explain::detail(&detail));
    }
    let explained = explain::data_error(path, &raw);
    let (vi, en) = match &explained.field {
        Some(field) => (
            format!(
                "Nội dung không đúng mẫu ở trường «{field}»: {}.",
                explained.vi
            ),
            format!(
                "The body does not match the expected shape at field `{field}`: {}.",
                explained.en
            ),
        ),
        None => (
            format!("Nội dung không đúng mẫu: {}.", explained.vi),
            format!(
                "The body does not match the expected shape: {}.",
                explained.en
            ),
        ),
    };
    let problem = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", vi, en)
        .with_detail(explain::detail(&detail));
    match explained.field {
        Some(field) => problem.with_field(field),
        None => problem,
    }
}

/// Query parameters; bad ones become problems naming the parameter in Vietnamese and English.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Self)
            .map_err(|e| query_problem(&e.path().to_string(), &e.inner().to_string()))
    }
}

/// 400 `invalid_query`, naming the parameter.
fn query_problem(path: &str, raw: &str) -> ApiError {
    let explained = explain::data_error(path, raw);
    let (vi, en) = match &explained.field {
        Some(field) => (
            format!("Tham số truy vấn «{field}» không hợp lệ: {}.", explained.vi),
            format!("Query parameter `{field}` is invalid: {}.", explained.en),
        ),
        None => (
            format!("Tham số truy vấn không hợp lệ: {}.", explained.vi),
            format!("Invalid query parameters: {}.", explained.en),
        ),
    };
    let detail = if matches!(path, "" | ".") {
        raw.to_owned()
    } else {
        format!("{path}: {raw}")
    };
    let problem =
        ApiError::bad_request("invalid_query", vi, en).with_detail(explain::detail(&detail));
    match explained.field {
        Some(field) => problem.with_field(field),
        None => problem,
    }
}

/// The headers that shape a command, as the command pipeline's envelope: `Idempotency-Key`
/// (the command id; a fresh one when absent), `If-Match` (the stream revision the caller saw)
/// and `X-Correlation-Id`. The pipeline parses the ids, so a bad one is refused with the same
/// code through every door.
pub struct CommandHeaders(pub Envelope);

impl<S: Send + Sync> FromRequestParts<S> for CommandHeaders {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let envelope = command_envelope(&parts.headers)?;
        // Refused before the body is read, with the pipeline's own codes.
        envelope
            .validate()
            .map_err(|e| ApiError::bad_request(e.code(), e.message_vi(), e.message_en()))?;
        Ok(Self(envelope))
    }
}

/// Binds a command id to the request that carries it: the SHA-256 of the method, the path and
/// the decoded body (so that spacing and the order of fields do not count). A retry with the
/// same `Idempotency-Key` and another path or body is then refused, never answered with the
/// first command's outcome (the IETF Idempotency-Key draft's "key reused" case).
pub fn bind_request(
    meta: &mut Envelope,
    path: &str,
    body: &impl serde::Serialize,
) -> Result<(), ApiError> {
    use sha2::{Digest, Sha256};
    let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let mut digest = Sha256::new();
    digest.update(b"POST ");
    digest.update(path.as_bytes());
    digest.update(b"\n");
    digest.update(&body);
    meta.request_digest = Some(hex::encode(digest.finalize()));
    Ok(())
}

/// The authenticated caller (set by the authentication layer; every `/api/v1` route has one).
pub struct Caller(pub bangiao_auth::Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<bangiao_auth::Principal>()
            .cloned()
            .map(Self)
            .ok_or_else(|| ApiError::internal("a handler ran without an authenticated caller"))
    }
}

fn command_envelope(headers: &HeaderMap) -> Result<Envelope, ApiError> {
    let text = |name: &str| headers.get(name).map(|v| v.to_str().map(str::trim));
    // A header that is not text is passed on as it reads, to be refused as not a UUID.
    let raw = |name: &str| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
    };
    let mut meta = Envelope {
        command_id: raw("idempotency-key"),
        correlation_id: raw("x-correlation-id"),
        ..Envelope::default()
    };
    if let Some(value) = text("if-match") {
        let revision = value
            .ok()
            .map(|v| v.trim_start_matches("W/").trim_matches('"'))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_if_match",
                    "If-Match phải là số phiên bản (ETag) nhận được khi đọc.",
                    "If-Match must be the revision (ETag) returned by a read.",
                )
            })?;
        meta.expected_revision = Some(revision);
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn who() -> bangiao_auth::Principal {
        bangiao_auth::Principal {
            user_id: "admin".into(),
            role: bangiao_auth::Role::Administrator,
            scope: None,
            person: bangiao_auth::Person::default(),
        }
    }

    #[test]
    fn headers_become_the_command_envelope() {
        let mut headers = HeaderMap::new();
        let key = Uuid::now_v7();
        headers.insert("idempotency-key", key.to_string().parse().expect("header"));
        headers.insert("if-match", "\"7\"".parse().expect("header"));
        headers.insert("x-correlation-id", key.to_string().parse().expect("header"));
        let meta = command_envelope(&headers)
            .expect("valid")
            .meta(&who())
            .expect("valid");
        assert_eq!(
            (meta.command_id, meta.expected_revision, meta.correlation_id),
            (key, Some(7), Some(key))
        );
    }

    #[test]
    fn bad_headers_are_refused_with_a_code() {
        let mut headers = HeaderMap::new();
        headers.insert("idempotency-key", "abc".parse().expect("header"));
        let envelope = command_envelope(&headers).expect("read");
        assert_eq!(
            envelope.meta(&who()).expect_err("refused").code(),
            "invalid_idempotency_key"
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-correlation-id", "abc".parse().expect("header"));
        let envelope = command_envelope(&headers).expect("read");
        assert_eq!(
            envelope.meta(&who()).expect_err("refused").code(),
            "invalid_correlation_id"
        );
        let mut headers = HeaderMap::new();
        headers.insert("if-match", "\"x\"".parse().expect("header"));
        assert_eq!(
            command_envelope(&headers)
                .expect_err("refused")
                .problem()
                .code,
            "invalid_if_match"
        );
    }
}
