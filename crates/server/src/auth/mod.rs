//! Authentication and authorisation at the HTTP edge: every request under `/api/v1` is
//! authenticated (API token or OIDC/JWT); a read is then decided by its route's action
//! (`routes`) judged by the policy (`bangiao_auth::authorize`) with the scope facts gathered here,
//! and a command by the command pipeline (`bangiao_app::pipeline`) with the action the command
//! itself asks for, on the same facts (this module implements its `ScopeFacts`).
//! Refusals are logged and kept in the audit log; repeated failed authentication is slowed down.

pub mod routes;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{ConnectInfo, MatchedPath, RawPathParams, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bangiao_app::pipeline::{Decided, ScopeFacts, Target};
use bangiao_auth::jwt::JwtVerifier;
use bangiao_auth::policy::{self, Action, Denial, Facts};
use bangiao_auth::token;
use bangiao_auth::{Principal, Role};
use bangiao_domain::DomainEvent;
use bangiao_projections::query::access;
use bangiao_store::{AppendRequest, EventMetadata, ExpectedState, NewEvent};

use crate::error::ApiError;
use crate::state::AppState;

/// Failed authentications allowed per client and window before it must wait.
pub const MAX_FAILURES: u32 = 20;
/// The window of [`MAX_FAILURES`].
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Longest a write waits for the read models to know the records it is judged on.
pub const SCOPE_WAIT: Duration = Duration::from_secs(2);

/// API tokens remembered at most; the memory is emptied when full.
const TOKEN_CACHE_LIMIT: usize = 4_096;

/// (unit scope, fonds) pairs remembered at most; the memory is emptied when full.
const SCOPE_CACHE_LIMIT: usize = 65_536;

/// A live API token as last read from the read model.
#[derive(Clone)]
struct KnownToken {
    who: Principal,
    expires_at: chrono::DateTime<chrono::Utc>,
    generation: u64,
}

/// The authentication settings, the failure counters and the live API tokens seen lately.
#[derive(Default)]
pub struct Guard {
    jwt: Option<JwtVerifier>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    tokens: Mutex<HashMap<String, KnownToken>>,
    /// Fonds known to lie within a unit scope. Only "yes" is kept: a unit scope only grows as
    /// the log does (units and links are added, never moved; a fonds keeps its unit).
    in_scope: Mutex<std::collections::HashSet<(String, String)>>,
}

impl Guard {
    /// A guard that also accepts JWTs checked by `jwt`.
    pub fn new(jwt: Option<JwtVerifier>) -> Self {
        Self {
            jwt,
            failures: Mutex::default(),
            tokens: Mutex::default(),
            in_scope: Mutex::default(),
        }
    }

    /// Whether fonds `fonds` is known to lie within unit scope `scope`.
    fn known_in_scope(&self, scope: &str, fonds: &str) -> bool {
        let known = self.in_scope.lock().unwrap_or_else(|p| p.into_inner());
        known.contains(&(scope.to_owned(), fonds.to_owned()))
    }

    /// Remembers that fonds `fonds` lies within unit scope `scope`.
    fn remember_in_scope(&self, scope: &str, fonds: &str) {
        let mut known = self.in_scope.lock().unwrap_or_else(|p| p.into_inner());
        if known.len() >= SCOPE_CACHE_LIMIT {
            known.clear();
        }
        known.insert((scope.to_owned(), fonds.to_owned()));
    }

    /// The principal of a token hash remembered under `generation` and not expired at `now`.
    fn known(
        &self,
        hash: &str,
        generation: u64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<Principal> {
        let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens
            .get(hash)
            .filter(|t| t.generation == generation && t.expires_at > now)
            .map(|t| t.who.clone())
    }

    /// Remembers a live token read under `generation`.
    fn remember(&self, hash: String, known: KnownToken) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if tokens.len() >= TOKEN_CACHE_LIMIT {
            tokens.clear();
        }
        tokens.insert(hash, known);
    }

    /// Whether `client` has failed authentication too often in the current window.
    pub fn blocked(&self, client: &str) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.get(client).is_some_and(|(count, since)| {
            *count >= MAX_FAILURES && since.elapsed() < FAILURE_WINDOW
        })
    }

    /// Counts one failed authentication of `client`.
    pub fn failed(&self, client: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > 10_000 {
            failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        }
        let entry = failures
            .entry(client.to_owned())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

fn unauthenticated(code: &str, vi: &str, en: &str) -> Response {
    let mut response = ApiError::new(StatusCode::UNAUTHORIZED, code, vi, en).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The principal a bearer token names, if the token is live.
///
/// A live API token is remembered until the tokens table next changes (an issue or a revocation
/// committed to the read model) or it expires, so most requests do not read the table.
pub async fn resolve(state: &AppState, presented: &str) -> Result<Option<Principal>, ApiError> {
    if presented.starts_with(token::TOKEN_PREFIX) {
        let hash = token::hash(presented);
        let now = chrono::Utc::now();
        // Read before the lookup: a change committed meanwhile makes this entry stale at once.
        let generation = state.read.tokens_generation();
        if let Some(who) = state.guard.known(&hash, generation, now) {
            return Ok(Some(who));
        }
        let key = hash.clone();
        let live = state
            .read
            .readers()
            .with(move |c| access::live_token(c, &key, now))
            .await?;
        return Ok(live.map(|(who, expires_at)| {
            let known = KnownToken {
                who: who.clone(),
                expires_at,
                generation,
            };
            state.guard.remember(hash, known);
            who
        }));
    }
    Ok(state
        .guard
        .jwt
        .as_ref()
        .and_then(|jwt| jwt.verify(presented).ok()))
}

/// Scope facts about the caller and the fonds a request names.
pub async fn facts_for_fonds(
    state: &AppState,
    who: &Principal,
    fonds: &str,
) -> Result<Facts, ApiError> {
    let Some(scope) = who.scope.clone() else {
        return Ok(Facts::default());
    };
    let role = who.role;
    if matches!(role, Role::Clerk | Role::Approver) && state.guard.known_in_scope(&scope, fonds) {
        return Ok(Facts {
            in_unit_scope: true,
            custodian_matches: false,
        });
    }
    // Point queries: on this thread, which is cheaper than waking a blocking one.
    let facts = state.read.readers().with_blocking(|c| {
        Ok::<_, bangiao_projections::ProjectionError>(Facts {
            in_unit_scope: matches!(role, Role::Clerk | Role::Approver)
                && access::fonds_in_unit_scope(c, &scope, fonds)?,
            custodian_matches: role == Role::Archivist
                && access::custodian_concerned(c, &scope, fonds)?,
        })
    })?;
    if facts.in_unit_scope {
        state.guard.remember_in_scope(&scope, fonds);
    }
    Ok(facts)
}

/// The scope facts a request for `action` (naming `fonds`, if any) is decided on.
///
/// A write is judged on the log as it stands now, not on read models a few events behind. A
/// unit scope only grows as the log does (units and links are added, never moved; a fonds keeps
/// its unit), so a "yes" from the read models stands at once; a "no", and any fact about an
/// archivist's custody (which moves), is asked again once they have reached the log's head.
pub async fn facts_for_request(
    state: &AppState,
    who: &Principal,
    action: Action,
    fonds: Option<&str>,
) -> Result<Facts, ApiError> {
    let facts = || async {
        match fonds {
            Some(code) if action.scoped() => facts_for_fonds(state, who, code).await,
            _ => Ok(Facts::default()),
        }
    };
    if action == Action::Read || action == Action::ReadAudit {
        return facts().await;
    }
    if who.role != Role::Archivist {
        let first = facts().await?;
        if policy::authorize(who, action, first).is_ok() {
            return Ok(first);
        }
    }
    state
        .read
        .wait_for(state.store.head_position(), SCOPE_WAIT)
        .await;
    facts().await
}

/// Scope facts about the caller and a unit (opening a fonds for it); a "no" is asked again
/// once the read models have reached the log's head (see [`facts_for_request`]).
pub async fn facts_for_unit(
    state: &AppState,
    who: &Principal,
    unit: &str,
) -> Result<Facts, ApiError> {
    let Some(scope) = who.scope.clone() else {
        return Ok(Facts::default());
    };
    let ask = || {
        state
            .read
            .readers()
            .with_blocking(|c| access::unit_in_scope(c, &scope, unit))
    };
    let mut in_scope = ask()?;
    if !in_scope {
        state
            .read
            .wait_for(state.store.head_position(), SCOPE_WAIT)
            .await;
        in_scope = ask()?;
    }
    Ok(Facts {
        in_unit_scope: in_scope,
        custodian_matches: false,
    })
}

/// The read models' scope facts for the command pipeline: a fonds's as a request naming it
/// gets them ([`facts_for_request`]), a unit's as opening a fonds for it ([`facts_for_unit`]).
impl ScopeFacts for AppState {
    type Error = ApiError;

    async fn facts(
        &self,
        who: &Principal,
        action: Action,
        target: Target<'_>,
    ) -> Result<Facts, ApiError> {
        match target {
            Target::Fonds(code) => facts_for_request(self, who, action, Some(code)).await,
            Target::Unit(unit) => facts_for_unit(self, who, unit).await,
            Target::Nothing => Ok(Facts::default()),
        }
    }
}

/// Keeps a refusal in the audit log (and the service log), as the command pipeline does.
pub async fn record_denial(
    state: &AppState,
    who: &Principal,
    action: String,
    resource: Option<String>,
    denial: &Denial,
) {
    bangiao_app::pipeline::record_refusal(state.store.as_ref(), who, action, resource, denial)
        .await;
}

/// A 403 problem for a refusal.
pub fn forbidden(denial: &Denial) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        denial.code(),
        denial.message_vi(),
        denial.message_en(),
    )
}

/// Middleware: authenticates the caller and decides the request by its route.
pub async fn authenticate(
    State(state): State<AppState>,
    params: Result<RawPathParams, RawPathParamsRejection>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(route) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
    else {
        return next.run(request).await;
    };
    let method = request.method().clone();
    let action = match routes::rule(&method, &route) {
        Some(routes::Rule::Public) => return next.run(request).await,
        Some(routes::Rule::Needs(action)) => Some(action),
        Some(routes::Rule::Command) => None,
        None => return ApiError::not_found("đường dẫn", "route", &route).into_response(),
    };
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "local".to_owned(),
            |ConnectInfo(addr)| addr.ip().to_string(),
        );
    if state.guard.blocked(&client) {
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_failures",
            "Quá nhiều lần xác thực thất bại; hãy đợi một phút.",
            "Too many failed authentications; wait a minute.",
        )
        .into_response();
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(FAILURE_WINDOW.as_secs()),
        );
        return response;
    }
    let Some(presented) = bearer(request.headers()).map(str::to_owned) else {
        return unauthenticated(
            "unauthenticated",
            "Cần đăng nhập: gửi mã truy cập trong tiêu đề Authorization: Bearer.",
            "Authentication required: send a token as Authorization: Bearer.",
        );
    };
    let who = match resolve(&state, &presented).await {
        Ok(Some(who)) => who,
        Ok(None) => {
            state.guard.failed(&client);
            return unauthenticated(
                "invalid_token",
                "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
                "The token is invalid, expired or revoked.",
            );
        }
        Err(e) => return e.into_response(),
    };
    let fonds = match params {
        Ok(params) if route.starts_with("/api/v1/fonds/{code}") => params
            .iter()
            .find(|(name, _)| *name == "code")
            .map(|(_, value)| value.to_owned()),
        _ => None,
    };
    let asked = format!("{method} {route}");
    // A command: the first gate is the pipeline's own decision on the action of the route's
    // command type, before its body is read; the pipeline then needs not decide it again.
    let Some(action) = action else {
        return match command_gate(&state, &who, &route, &asked, fonds).await {
            Ok(decided) => {
                request.extensions_mut().insert(FirstGate(decided));
                request.extensions_mut().insert(who);
                next.run(request).await
            }
            Err(refused) => refused.into_response(),
        };
    };
    let facts = match facts_for_request(&state, &who, action, fonds.as_deref()).await {
        Ok(facts) => facts,
        Err(e) => return e.into_response(),
    };
    if let Err(denial) = policy::authorize(&who, action, facts) {
        let denial = match &fonds {
            Some(code) => denial.concerning(policy::Resource::Fonds(code.clone())),
            None => denial,
        };
        record_denial(&state, &who, asked, fonds, &denial).await;
        return forbidden(&denial).into_response();
    }
    request.extensions_mut().insert(who);
    next.run(request).await
}

/// What the first gate of a command route decided: `None` when the decision waits for the body
/// (opening a fonds is judged on the unit the body names).
#[derive(Debug, Clone)]
pub struct FirstGate(pub Option<Decided>);

/// The first gate of a command route: the action of the route's command type, decided by the
/// command pipeline on the fonds the path names; for a route naming no fonds of a scoped action
/// (opening a fonds), only the role.
async fn command_gate(
    state: &AppState,
    who: &Principal,
    route: &str,
    asked: &str,
    fonds: Option<String>,
) -> Result<Option<Decided>, ApiError> {
    let action = crate::commands::route_action(route)
        .ok_or_else(|| ApiError::internal(format!("a command route without a command: {route}")))?;
    if fonds.is_none() && action.scoped() {
        if let Err(denial) = policy::authorize(who, action, Facts::default())
            && matches!(denial, Denial::WrongRole { .. })
        {
            state.commands.refuse(who, asked, None, &denial).await;
            return Err(forbidden(&denial));
        }
        return Ok(None);
    }
    let target = fonds.as_deref().map_or(Target::Nothing, Target::Fonds);
    let decided = state
        .commands
        .decide(state, who, action, target, asked, fonds.clone())
        .await?;
    Ok(Some(decided))
}

/// Appends a `TokenIssued` event for `secret` (the secret itself is never stored); returns the
/// token's id. Used by `bangiao token create`, the demo and tests.
pub async fn issue_token(
    store: &crate::state::Store,
    secret: &str,
    who: &Principal,
    days: i64,
    issued_by: &str,
) -> Result<uuid::Uuid, bangiao_store::StoreError> {
    let id = uuid::Uuid::now_v7();
    let event = token::TokenEvent::TokenIssued(token::TokenIssued {
        token_id: id,
        token_sha256: token::hash(secret),
        user_id: who.user_id.clone(),
        role: who.role,
        scope: who.scope.clone(),
        expires_at: chrono::Utc::now() + chrono::Duration::days(days),
        issued_by: issued_by.to_owned(),
        name: who.person.name.clone(),
        title: who.person.title.clone(),
        organ: who.person.organ.clone(),
    });
    let mut metadata = EventMetadata::recorded_now();
    metadata.actor = Some(bangiao_store::ActorRef::new(
        issued_by,
        "administrator",
        None,
    ));
    store
        .append(AppendRequest {
            stream: bangiao_domain::streams::token(id),
            expected: ExpectedState::NoStream,
            command_id: None,
            events: vec![NewEvent::new(
                uuid::Uuid::now_v7(),
                event.event_type(),
                event.schema_version(),
                event.to_payload(),
                &metadata,
            )],
        })
        .await?;
    Ok(id)
}
