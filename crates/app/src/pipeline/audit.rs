//! The one function every door keeps a refusal in the audit log with.

use bangiao_auth::Principal;
use bangiao_auth::policy::Denial;
use bangiao_auth::token::{AccessDenied, AuditEvent};
use bangiao_domain::DomainEvent;
use bangiao_store::{AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent};
use uuid::Uuid;

use super::envelope::actor;

/// Keeps a refusal in the audit log (and the service log): the one place every door audits.
pub async fn record_refusal<S: EventStore + ?Sized>(
    store: &S,
    who: &Principal,
    action: String,
    resource: Option<String>,
    denial: &Denial,
) {
    tracing::warn!(user = %who.user_id, role = who.role.as_str(), %action, ?resource, reason = denial.code(), "request refused");
    let event = AuditEvent::AccessDenied(AccessDenied {
        user_id: who.user_id.clone(),
        role: Some(who.role),
        action,
        resource,
        reason: denial.code().to_owned(),
    });
    let mut metadata = EventMetadata::recorded_now();
    metadata.actor = Some(actor(who));
    let request = AppendRequest {
        stream: bangiao_domain::streams::audit(chrono::Utc::now().date_naive()),
        expected: ExpectedState::Any,
        command_id: None,
        events: vec![NewEvent::new(
            Uuid::now_v7(),
            event.event_type(),
            event.schema_version(),
            event.to_payload(),
            &metadata,
        )],
    };
    if let Err(error) = store.append(request).await {
        tracing::error!(%error, "could not keep a refusal in the audit log");
    }
}
