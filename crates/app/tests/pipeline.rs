//! The command pipeline on its own, with scope facts given by the test: a command is decided on
//! the action it asks for, a refusal of the policy is kept in the audit log, a decision taken
//! for another action does not let a command through, a command naming someone else as acting is
//! refused, and the write limit is the pipeline's.

use std::sync::Arc;

use bangiao_app::Service;
use bangiao_app::pipeline::{
    Call, Command, Envelope, Pipeline, Refusal, ScopeFacts, Target, WritePermits,
};
use bangiao_auth::policy::{Action, Facts};
use bangiao_auth::{Principal, Role};
use bangiao_domain::fonds::{CloseFonds, SignHandover};
use bangiao_domain::values::*;
use bangiao_store::{EventStore, MemoryStore};
use chrono::NaiveDate;

/// Scope facts fixed by the test: the caller is in scope or not, whatever the target.
struct Given(bool);

impl ScopeFacts for Given {
    type Error = std::convert::Infallible;

    async fn facts(
        &self,
        _who: &Principal,
        _action: Action,
        _target: Target<'_>,
    ) -> Result<Facts, Self::Error> {
        Ok(Facts {
            in_unit_scope: self.0,
            custodian_matches: self.0,
        })
    }
}

fn clerk() -> Principal {
    Principal {
        user_id: "vanthu.066".into(),
        role: Role::Clerk,
        scope: Some("066".into()),
        person: Default::default(),
    }
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).expect("date")
}

fn close() -> Command {
    Command::Fonds {
        code: FondsCode::parse("UB-066").expect("code"),
        command: CloseFonds {
            closed_on: day(),
            closing_act: LegalBasis {
                number: DocumentNumber::parse("1/QD").expect("number"),
                issued_on: day(),
                issuer: Name::parse("UBND").expect("name"),
                title: None,
            },
        }
        .into(),
    }
}

fn pipeline(limit: usize) -> (Arc<MemoryStore>, Pipeline<Arc<MemoryStore>>) {
    let store = Arc::new(MemoryStore::new());
    let service = Arc::new(Service::new(store.clone()));
    (
        store.clone(),
        Pipeline::new(service, WritePermits::new(limit)),
    )
}

fn call<'a>(who: &'a Principal, command: Command) -> Call<'a> {
    Call {
        who,
        asked: "test",
        command,
        envelope: Envelope::default(),
        decided: None,
    }
}

/// The audit events kept so far.
async fn audited(store: &MemoryStore) -> Vec<String> {
    store
        .read_all(0, 100)
        .await
        .expect("log")
        .into_iter()
        .filter(|e| e.stream.starts_with("audit-"))
        .map(|e| e.payload)
        .collect()
}

#[tokio::test]
async fn a_command_is_decided_on_its_own_action_and_a_refusal_is_audited() {
    let (store, pipeline) = pipeline(4);
    let who = clerk();
    let permit = pipeline
        .admit::<std::convert::Infallible>()
        .expect("admitted");

    let refused = pipeline
        .run(&permit, &Given(false), call(&who, close()))
        .await;
    assert!(
        matches!(&refused, Err(Refusal::Denied(d)) if d.code() == "out_of_scope"),
        "{refused:?}"
    );
    let audit = audited(&store).await;
    assert_eq!(audit.len(), 1, "the refusal is kept");
    assert!(audit[0].contains("out_of_scope") && audit[0].contains("vanthu.066"));

    // A decision taken for reading the fonds does not let a write through.
    let read = pipeline
        .decide(
            &Given(true),
            &who,
            Action::Read,
            Target::Fonds("UB-066"),
            "test",
            None,
        )
        .await
        .expect("may read");
    let mut with_read = call(&who, close());
    with_read.decided = Some(read);
    let refused = pipeline.run(&permit, &Given(false), with_read).await;
    assert!(
        matches!(&refused, Err(Refusal::Denied(d)) if d.code() == "out_of_scope"),
        "decided again on the command's own action: {refused:?}"
    );

    // In scope, the command reaches the domain (which refuses closing a fonds never opened).
    let decided = pipeline
        .run(&permit, &Given(true), call(&who, close()))
        .await;
    assert!(matches!(decided, Err(Refusal::Handle(_))), "{decided:?}");
}

#[tokio::test]
async fn a_command_naming_someone_else_as_acting_is_refused_and_audited() {
    let (store, pipeline) = pipeline(4);
    let who = clerk();
    let permit = pipeline
        .admit::<std::convert::Infallible>()
        .expect("admitted");
    let sign = Command::Fonds {
        code: FondsCode::parse("UB-066").expect("code"),
        command: SignHandover {
            handover_id: HandoverId::from_uuid(uuid::Uuid::now_v7()),
            signed_by: UserId::parse("someone.else").expect("user"),
            signed_on: day(),
        }
        .into(),
    };
    let refused = pipeline.run(&permit, &Given(true), call(&who, sign)).await;
    assert!(
        matches!(&refused, Err(Refusal::Denied(d)) if d.code() == "acting_as_another"),
        "{refused:?}"
    );
    assert_eq!(audited(&store).await.len(), 1);
}

#[tokio::test]
async fn the_write_limit_is_the_pipelines() {
    let (_store, pipeline) = pipeline(1);
    let first = pipeline
        .admit::<std::convert::Infallible>()
        .expect("admitted");
    assert!(matches!(
        pipeline.admit::<std::convert::Infallible>(),
        Err(Refusal::Busy)
    ));
    drop(first);
    assert!(pipeline.admit::<std::convert::Infallible>().is_ok());
}
