//! Extractors whose every rejection is a problem+json response, and the headers of a command.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use bangiao_store::handler::CommandMeta;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON body; malformed JSON, wrong types and unknown fields become problems, and a body
/// over `HttpConfig::max_body_bytes` a 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_problem(rejection, state.config.max_body_bytes)),
        }
    }
}

fn json_problem(rejection: JsonRejection, limit: usize) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::payload_too_large(limit);
    }
    let detail = rejection.body_text();
    match rejection {
        JsonRejection::JsonSyntaxError(_) => ApiError::bad_request(
            "malformed_json",
            format!("Nội dung gửi lên không phải JSON hợp lệ: {detail}"),
            format!("The body is not valid JSON: {detail}"),
        ),
        JsonRejection::JsonDataError(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!(
                "Nội dung không đúng mẫu (trường lạ, sai kiểu hoặc giá trị không hợp lệ): {detail}"
            ),
            format!(
                "The body does not match the expected shape (unknown field, wrong type or invalid value): {detail}"
            ),
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "json_expected",
            "Cần gửi nội dung JSON với Content-Type: application/json.",
            "Send a JSON body with Content-Type: application/json.",
        ),
        _ => ApiError::bad_request(
            "unreadable_body",
            format!("Không đọc được nội dung gửi lên: {detail}"),
            format!("The body could not be read: {detail}"),
        ),
    }
}

/// Query parameters; bad ones become problems.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(query_problem(&rejection)),
        }
    }
}

fn query_problem(rejection: &QueryRejection) -> ApiError {
    let detail = rejection.body_text();
    ApiError::bad_request(
        "invalid_query",
        format!("Tham số truy vấn không hợp lệ: {detail}"),
        format!("Invalid query parameters: {detail}"),
    )
}

/// The headers that shape a command: `Idempotency-Key` (the command id; a fresh one when absent)
/// and `If-Match` (the stream revision the caller saw).
pub struct CommandHeaders(pub CommandMeta);

impl<S: Send + Sync> FromRequestParts<S> for CommandHeaders {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut meta = command_meta(&parts.headers)?;
        // Every event names its actor: the caller the authentication layer established.
        if let Some(who) = parts.extensions.get::<bangiao_auth::Principal>() {
            meta.actor = Some(bangiao_store::ActorRef {
                user_id: who.user_id.clone(),
                role: who.role.as_str().to_owned(),
                unit: who.scope.clone(),
            });
        }
        Ok(Self(meta))
    }
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

fn command_meta(headers: &HeaderMap) -> Result<CommandMeta, ApiError> {
    let text = |name: &str| headers.get(name).map(|v| v.to_str().map(str::trim));
    let command_id = match text("idempotency-key") {
        None => Uuid::now_v7(),
        Some(Ok(key)) => Uuid::parse_str(key.trim_matches('"')).map_err(|_| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key phải là một UUID.",
                "Idempotency-Key must be a UUID.",
            )
        })?,
        Some(Err(_)) => {
            return Err(ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key phải là một UUID.",
                "Idempotency-Key must be a UUID.",
            ));
        }
    };
    let mut meta = CommandMeta::new(command_id);
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
    if let Some(Ok(value)) = text("x-correlation-id") {
        meta.correlation_id = Uuid::parse_str(value).ok();
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_become_the_command_envelope() {
        let mut headers = HeaderMap::new();
        let key = Uuid::now_v7();
        headers.insert("idempotency-key", key.to_string().parse().expect("header"));
        headers.insert("if-match", "\"7\"".parse().expect("header"));
        let meta = command_meta(&headers).expect("valid");
        assert_eq!((meta.command_id, meta.expected_revision), (key, Some(7)));
    }

    #[test]
    fn bad_headers_are_refused_with_a_code() {
        let mut headers = HeaderMap::new();
        headers.insert("idempotency-key", "abc".parse().expect("header"));
        let err = command_meta(&headers).expect_err("refused");
        assert_eq!(err.problem().code, "invalid_idempotency_key");
        let mut headers = HeaderMap::new();
        headers.insert("if-match", "\"x\"".parse().expect("header"));
        assert_eq!(
            command_meta(&headers).expect_err("refused").problem().code,
            "invalid_if_match"
        );
    }
}
