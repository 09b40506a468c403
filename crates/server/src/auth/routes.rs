//! Which action each route asks for: the route half of the one place where every request is
//! decided (the policy half is `bangiao_auth::policy`).

use axum::http::Method;
use bangiao_auth::Action;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// No authentication (health, metrics, the API description, verifying a printout).
    Public,
    /// An authenticated caller allowed to take this action.
    Needs(Action),
    /// A command: an authenticated caller, authorised by the command pipeline with the action
    /// the command itself asks for (`bangiao_app::pipeline::Command::action`).
    Command,
}

/// The rule of a route pattern, or `None` for a route nobody may call (unknown routes are
/// refused, so a new route must be added here and to docs/security.md).
pub fn rule(method: &Method, route: &str) -> Option<Rule> {
    let public = [
        "/health/live",
        "/health/ready",
        "/metrics",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/verifications/{id}",
    ];
    if public.contains(&route) {
        return Some(Rule::Public);
    }
    let action = match (method.as_str(), route) {
        ("GET", "/api/v1/audit" | "/api/v1/tokens") => Action::ReadAudit,
        ("GET", r) if r.starts_with("/api/v1/") => Action::Read,
        // An import is a batch of commands outside the pipeline: decided here.
        ("POST", "/api/v1/fonds/{code}/imports") => Action::WriteFonds,
        // An ingest records a package's files outside the pipeline too: the archive's act.
        ("POST", "/api/v1/fonds/{code}/sip") => Action::ArchiveTransfer,
        // An upload stores bytes, not an event: decided here; attaching them is a command.
        ("POST", "/api/v1/fonds/{code}/blobs") => Action::Digitise,
        ("POST", "/api/v1/units" | "/api/v1/fonds") => return Some(Rule::Command),
        ("POST", r)
            if r.starts_with("/api/v1/units/{code}/") || r.starts_with("/api/v1/fonds/{code}/") =>
        {
            return Some(Rule::Command);
        }
        _ => return None,
    };
    Some(Rule::Needs(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_map_to_actions() {
        assert_eq!(rule(&Method::GET, "/health/ready"), Some(Rule::Public));
        assert_eq!(
            rule(&Method::GET, "/api/v1/verifications/{id}"),
            Some(Rule::Public)
        );
        assert_eq!(
            rule(&Method::GET, "/api/v1/files/{code}/custody"),
            Some(Rule::Needs(Action::Read))
        );
        assert_eq!(
            rule(&Method::GET, "/api/v1/audit"),
            Some(Rule::Needs(Action::ReadAudit))
        );
        assert_eq!(
            rule(&Method::POST, "/api/v1/units/{code}/merge"),
            Some(Rule::Command)
        );
        assert_eq!(
            rule(&Method::POST, "/api/v1/fonds/{code}/close"),
            Some(Rule::Command)
        );
        assert_eq!(
            rule(&Method::POST, "/api/v1/fonds/{code}/imports"),
            Some(Rule::Needs(Action::WriteFonds))
        );
        assert_eq!(
            rule(&Method::POST, "/api/v1/fonds/{code}/sip"),
            Some(Rule::Needs(Action::ArchiveTransfer))
        );
        assert_eq!(
            rule(&Method::POST, "/api/v1/fonds/{code}/blobs"),
            Some(Rule::Needs(Action::Digitise))
        );
        assert_eq!(
            rule(&Method::POST, "/api/v1/fonds/{code}/files/copies"),
            Some(Rule::Command)
        );
        assert_eq!(rule(&Method::DELETE, "/api/v1/fonds/{code}"), None);
    }
}
