//! The conformance suite every backend must pass, run with one line:
//! `bangiao_store::conformance_suite!(factory);` where `factory()` is an async fn returning a
//! [`Fixture`]. Each case is a plain async function, so a backend may also call them one by one.

use std::any::Any;
use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, EventMetadata, ExpectedState, NewEvent};
use crate::store::EventStore;
use crate::verify::verify_chain;

/// A fresh, empty store and whatever must live as long as it (a temporary directory, a server).
pub struct Fixture<S> {
    /// The store under test.
    pub store: S,
    /// Dropped after the case.
    pub guard: Box<dyn Any + Send>,
}

impl<S> Fixture<S> {
    /// A fixture with nothing to keep alive.
    pub fn bare(store: S) -> Self {
        Self {
            store,
            guard: Box::new(()),
        }
    }
}

/// A small event with a fresh id whose payload records `n`.
pub fn event(n: u64) -> NewEvent {
    NewEvent::new(
        Uuid::now_v7(),
        "TestHappened",
        1,
        format!(r#"{{"n":{n}}}"#),
        &EventMetadata::recorded_now(),
    )
}

/// An append of `count` fresh events numbered from `first`.
pub fn append(stream: &str, expected: ExpectedState, first: u64, count: u64) -> AppendRequest {
    AppendRequest {
        stream: stream.to_owned(),
        expected,
        command_id: None,
        events: (first..first + count).map(event).collect(),
    }
}

fn n_of(payload: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(payload).expect("test payloads are JSON");
    v["n"].as_u64().expect("test payloads carry n")
}

/// Events appended to a new stream read back in order with revisions from 0.
pub async fn append_and_read_back<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    let r = s
        .append(append("s-1", ExpectedState::NoStream, 0, 3))
        .await
        .expect("first append");
    assert_eq!(
        (r.next_expected_revision, r.first_position, r.position),
        (2, 1, 3)
    );
    let events = s.read_stream("s-1", 0, 10).await.expect("read");
    assert_eq!(
        events.iter().map(|e| e.revision).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert_eq!(
        events.iter().map(|e| n_of(&e.payload)).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert_eq!(events[0].event_type, "TestHappened");
    assert!(events[0].metadata().is_ok(), "metadata reads back");
    assert_eq!(s.stream_revision("s-1").await.expect("revision"), Some(2));
    assert_eq!(s.stream_revision("nope").await.expect("revision"), None);
    assert!(s.read_stream("nope", 0, 10).await.expect("read").is_empty());
    assert_eq!(s.head_position(), 3);
}

/// Each expected state accepts and refuses as KurrentDB does, reporting the current revision.
pub async fn expected_states<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    let refused = |r: Result<_, StoreError>, want: Option<u64>| match r {
        Err(StoreError::WrongExpectedVersion { current, .. }) => assert_eq!(current, want),
        other => panic!("expected a conflict reporting {want:?}, got {other:?}"),
    };
    refused(
        s.append(append("s", ExpectedState::StreamExists, 0, 1))
            .await,
        None,
    );
    refused(
        s.append(append("s", ExpectedState::Revision(0), 0, 1))
            .await,
        None,
    );
    s.append(append("s", ExpectedState::NoStream, 0, 1))
        .await
        .expect("no stream yet");
    refused(
        s.append(append("s", ExpectedState::NoStream, 1, 1)).await,
        Some(0),
    );
    refused(
        s.append(append("s", ExpectedState::Revision(5), 1, 1))
            .await,
        Some(0),
    );
    s.append(append("s", ExpectedState::Revision(0), 1, 1))
        .await
        .expect("right revision");
    s.append(append("s", ExpectedState::StreamExists, 2, 1))
        .await
        .expect("stream exists");
    let r = s
        .append(append("s", ExpectedState::Any, 3, 2))
        .await
        .expect("any");
    assert_eq!(r.next_expected_revision, 4);
    s.append(append("t", ExpectedState::Any, 0, 1))
        .await
        .expect("any on a new stream");
    assert_eq!(
        s.read_all(1, 100).await.expect("read").len(),
        6,
        "refused appends wrote nothing"
    );
}

/// A retried command id appends nothing and returns the first result.
pub async fn idempotent_command_retry<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    let command = Uuid::now_v7();
    let mut first = append("s", ExpectedState::NoStream, 0, 2);
    first.command_id = Some(command);
    let r1 = s.append(first).await.expect("first");
    let mut retry = append("s", ExpectedState::NoStream, 10, 2);
    retry.command_id = Some(command);
    let r2 = s.append(retry).await.expect("retry is not a conflict");
    assert_eq!(r1, r2);
    assert_eq!(s.find_command(command).await.expect("find"), Some(r1));
    assert_eq!(s.find_command(Uuid::now_v7()).await.expect("find"), None);
    let mut elsewhere = append("other", ExpectedState::Any, 0, 1);
    elsewhere.command_id = Some(command);
    assert!(matches!(
        s.append(elsewhere).await,
        Err(StoreError::CommandIdReused { .. })
    ));
    assert_eq!(s.read_all(1, 100).await.expect("read").len(), 2);
}

/// The same event ids at the same place succeed once; elsewhere they are refused.
pub async fn idempotent_event_ids<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    let request = append("s", ExpectedState::NoStream, 0, 3);
    let r1 = s.append(request.clone()).await.expect("first");
    let r2 = s
        .append(request.clone())
        .await
        .expect("the same ids at the same place");
    assert_eq!(r1, r2);
    let mut moved = request.clone();
    moved.stream = "t".into();
    assert!(matches!(
        s.append(moved).await,
        Err(StoreError::DuplicateEventId { .. })
    ));
    let mut partial = append("s", ExpectedState::Any, 10, 2);
    partial.events[1].event_id = request.events[0].event_id;
    assert!(matches!(
        s.append(partial).await,
        Err(StoreError::DuplicateEventId { .. })
    ));
    assert_eq!(s.read_all(1, 100).await.expect("read").len(), 3);
}

/// Malformed appends are refused before anything is written.
pub async fn invalid_requests<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    let empty = append("s", ExpectedState::Any, 0, 0);
    assert!(matches!(
        s.append(empty).await,
        Err(StoreError::InvalidRequest(_))
    ));
    let mut twice = append("s", ExpectedState::Any, 0, 2);
    twice.events[1].event_id = twice.events[0].event_id;
    assert!(matches!(
        s.append(twice).await,
        Err(StoreError::InvalidRequest(_))
    ));
    let unnamed = append("", ExpectedState::Any, 0, 1);
    assert!(matches!(
        s.append(unnamed).await,
        Err(StoreError::InvalidRequest(_))
    ));
    assert_eq!(s.head_position(), 0);
}

/// Global positions are gapless in commit order, and the log reads from any position.
pub async fn global_order<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    for i in 0..30u64 {
        let stream = format!("s-{}", i % 3);
        s.append(append(&stream, ExpectedState::Any, i, 1))
            .await
            .expect("append");
    }
    let all = s.read_all(1, 1000).await.expect("read");
    assert_eq!(
        all.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=30).collect::<Vec<_>>()
    );
    assert_eq!(
        all.iter().map(|e| n_of(&e.payload)).collect::<Vec<_>>(),
        (0..30).collect::<Vec<_>>()
    );
    for from in [1, 2, 15, 30] {
        let page = s.read_all(from, 5).await.expect("read");
        assert_eq!(page[0].position, from);
        assert!(page.len() <= 5);
    }
    assert!(
        s.read_all(31, 5)
            .await
            .expect("read past the end")
            .is_empty()
    );
    assert_eq!(
        s.read_all(0, 1)
            .await
            .expect("position 0 reads from the start")[0]
            .position,
        1
    );
}

/// A stream reads forward from any revision, a page at a time.
pub async fn read_stream_from_any_revision<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    s.append(append("s", ExpectedState::NoStream, 0, 10))
        .await
        .expect("append");
    s.append(append("t", ExpectedState::NoStream, 100, 3))
        .await
        .expect("append");
    s.append(append("s", ExpectedState::Revision(9), 10, 5))
        .await
        .expect("append");
    let page = s.read_stream("s", 8, 4).await.expect("read");
    assert_eq!(
        page.iter().map(|e| e.revision).collect::<Vec<_>>(),
        vec![8, 9, 10, 11]
    );
    assert_eq!(
        page.iter().map(|e| n_of(&e.payload)).collect::<Vec<_>>(),
        vec![8, 9, 10, 11]
    );
    assert!(s.read_stream("s", 15, 4).await.expect("read").is_empty());
}

/// A 100,000-event stream appends in batches and reads back whole and in order.
pub async fn long_stream<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    let total = 100_000u64;
    let batch = 1_000u64;
    let mut expected = ExpectedState::NoStream;
    for first in (0..total).step_by(batch as usize) {
        let r = s
            .append(append("long", expected, first, batch))
            .await
            .expect("append");
        expected = ExpectedState::Revision(r.next_expected_revision);
    }
    let mut next = 0u64;
    loop {
        let page = s.read_stream("long", next, 4096).await.expect("read");
        if page.is_empty() {
            break;
        }
        for e in &page {
            assert_eq!((e.revision, n_of(&e.payload)), (next, next));
            next += 1;
        }
    }
    assert_eq!(next, total);
    assert_eq!(
        s.stream_revision("long").await.expect("revision"),
        Some(total - 1)
    );
}

/// A subscription delivers what was written before it, then what is written after, in order.
pub async fn subscription_catch_up_then_live<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    s.append(append("a", ExpectedState::Any, 0, 600))
        .await
        .expect("before");
    let mut sub = s.subscribe_all(1);
    let mut seen = Vec::new();
    while seen.len() < 600 {
        let e = tokio::time::timeout(Duration::from_secs(10), sub.next())
            .await
            .expect("catch-up does not stall")
            .expect("stream open")
            .expect("read");
        seen.push(e.position);
    }
    for i in 0..5 {
        s.append(append("b", ExpectedState::Any, 600 + i, 1))
            .await
            .expect("live");
    }
    while seen.len() < 605 {
        let e = tokio::time::timeout(Duration::from_secs(10), sub.next())
            .await
            .expect("live events arrive")
            .expect("stream open")
            .expect("read");
        seen.push(e.position);
    }
    assert_eq!(seen, (1..=605).collect::<Vec<_>>());
    let mut late = s.subscribe_all(604);
    let e = late.next().await.expect("open").expect("read");
    assert_eq!(e.position, 604, "a subscription starts where asked");
}

/// Eight writers on overlapping streams: every acknowledged append is there once, revisions and
/// positions are gapless.
pub async fn concurrent_writers<S: EventStore + Clone>(fx: Fixture<S>) {
    let writers = 8u64;
    let per_writer = 150u64;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let s = fx.store.clone();
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0..per_writer {
                let stream = format!("shared-{}", (w + i) % 4);
                let n = w * 1_000_000 + i;
                loop {
                    let current = s.stream_revision(&stream).await.expect("revision");
                    let expected = current.map_or(ExpectedState::NoStream, ExpectedState::Revision);
                    match s.append(append(&stream, expected, n, 1)).await {
                        Ok(_) => break,
                        Err(StoreError::WrongExpectedVersion { .. }) => {
                            tokio::task::yield_now().await
                        }
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
                acked.push(n);
            }
            acked
        }));
    }
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.expect("writer task"));
    }
    let all = fx.store.read_all(1, 10_000).await.expect("read");
    assert_eq!(all.len() as u64, writers * per_writer);
    assert_eq!(
        all.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=all.len() as u64).collect::<Vec<_>>()
    );
    let mut per_stream: HashMap<&str, Vec<u64>> = HashMap::new();
    for e in &all {
        per_stream.entry(&e.stream).or_default().push(e.revision);
    }
    for revisions in per_stream.values() {
        assert_eq!(*revisions, (0..revisions.len() as u64).collect::<Vec<_>>());
    }
    let mut written: Vec<u64> = all.iter().map(|e| n_of(&e.payload)).collect();
    written.sort_unstable();
    acked.sort_unstable();
    assert_eq!(written, acked);
    verify_chain(&fx.store, |_| ())
        .await
        .expect("chain intact under concurrency");
}

/// The hash chain over the log verifies, and its head is the last event's hash.
pub async fn hash_chain_verifies<S: EventStore>(fx: Fixture<S>) {
    let s = &fx.store;
    for i in 0..20 {
        s.append(append(&format!("s-{}", i % 2), ExpectedState::Any, i, 3))
            .await
            .expect("append");
    }
    let report = verify_chain(s, |_| ()).await.expect("intact");
    assert_eq!(report.events, 60);
    let last = s.read_all(60, 1).await.expect("read");
    assert_eq!(report.head, last[0].hash);
}

/// Expands to one `#[tokio::test]` per conformance case for the backend `factory()` builds.
#[macro_export]
macro_rules! conformance_suite {
    ($factory:path) => {
        $crate::conformance_suite!(@cases $factory;
            append_and_read_back, expected_states, idempotent_command_retry, idempotent_event_ids,
            invalid_requests, global_order, read_stream_from_any_revision, long_stream,
            subscription_catch_up_then_live, concurrent_writers, hash_chain_verifies);
    };
    (@cases $factory:path; $($case:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some(fixture) = $factory().await {
                    $crate::conformance::$case(fixture).await;
                }
            }
        )+
    };
}
