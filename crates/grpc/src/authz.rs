//! Authentication and permission of a gRPC call, by the HTTP API's functions: the caller is
//! resolved from `authorization: Bearer …` as over HTTP; a read names the HTTP route whose rule
//! it follows (`bangiao_server::auth::routes`) and the policy judges the same facts; a command is
//! authorised by the command pipeline with the command's own action (`crate::commands`).

use bangiao_auth::Principal;
use bangiao_auth::policy;
use bangiao_server::AppState;
use bangiao_server::auth::routes::{self, Rule};
use bangiao_server::auth::{FAILURE_WINDOW, facts_for_request, forbidden, record_denial, resolve};
use bangiao_server::error::ApiError;
use tonic::Status;
use tonic::codegen::http::{Method, StatusCode};
use tonic::metadata::MetadataMap;

use crate::status::from_api;

/// What a read asks: the HTTP method and route pattern whose rule applies.
pub struct Call {
    /// GET.
    pub method: Method,
    /// The route pattern, e.g. `/api/v1/files/{code}/custody`.
    pub route: &'static str,
}

impl Call {
    /// A read following `route`.
    pub fn read(route: &'static str) -> Self {
        Self {
            method: Method::GET,
            route,
        }
    }
}

fn unauthenticated(code: &str, vi: &str, en: &str) -> Status {
    from_api(&ApiError::new(StatusCode::UNAUTHORIZED, code, vi, en))
}

fn bearer(metadata: &MetadataMap) -> Option<&str> {
    metadata
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Authenticates the caller of a request and decides the read as the HTTP middleware decides
/// its route; refusals are kept in the audit log.
pub async fn authorize<T>(
    state: &AppState,
    request: &tonic::Request<T>,
    call: Call,
) -> Result<Principal, Status> {
    let action = match routes::rule(&call.method, call.route) {
        Some(Rule::Needs(action)) => action,
        Some(Rule::Public | Rule::Command) | None => {
            return Err(from_api(&ApiError::internal(format!(
                "gRPC read mapped to a route without a read rule: {} {}",
                call.method, call.route
            ))));
        }
    };
    let who = authenticate(state, request).await?;
    // The same facts as the HTTP middleware's, judged the same way.
    let facts = facts_for_request(state, &who, action, None)
        .await
        .map_err(|e| from_api(&e))?;
    if let Err(denial) = policy::authorize(&who, action, facts) {
        record_denial(
            state,
            &who,
            format!("gRPC {} {}", call.method, call.route),
            None,
            &denial,
        )
        .await;
        return Err(from_api(&forbidden(&denial)));
    }
    Ok(who)
}

/// The caller of a request, resolved from `authorization: Bearer …` as over HTTP; repeated
/// failures from one address are slowed down.
pub async fn authenticate<T>(
    state: &AppState,
    request: &tonic::Request<T>,
) -> Result<Principal, Status> {
    let client = request
        .remote_addr()
        .map_or_else(|| "local".to_owned(), |addr| addr.ip().to_string());
    if state.guard.blocked(&client) {
        return Err(from_api(&ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_failures",
            "Quá nhiều lần xác thực thất bại; hãy đợi một phút.",
            format!(
                "Too many failed authentications; wait {} s.",
                FAILURE_WINDOW.as_secs()
            ),
        )));
    }
    let Some(presented) = bearer(request.metadata()) else {
        return Err(unauthenticated(
            "unauthenticated",
            "Cần đăng nhập: gửi mã truy cập trong metadata authorization: Bearer.",
            "Authentication required: send a token as authorization: Bearer metadata.",
        ));
    };
    let who = match resolve(state, presented).await {
        Ok(Some(who)) => who,
        Ok(None) => {
            state.guard.failed(&client);
            return Err(unauthenticated(
                "invalid_token",
                "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
                "The token is invalid, expired or revoked.",
            ));
        }
        Err(e) => return Err(from_api(&e)),
    };
    Ok(who)
}
