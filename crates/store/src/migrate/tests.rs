use std::sync::Arc;

use uuid::Uuid;

use super::*;
use crate::event::EventMetadata;
use crate::kurrentdb::fake::FakeCluster;
use crate::{KurrentConfig, KurrentStore, MemoryStore, SqliteStore};

/// A log like the service writes: appends of several events under a command id, streams
/// interleaved, some appends without a command id.
async fn fill<S: EventStore>(store: &S, appends: u64) -> Vec<(Uuid, crate::AppendResult)> {
    let mut commands = Vec::new();
    for i in 0..appends {
        let stream = format!("fonds-{}", i % 3);
        let command = Uuid::now_v7();
        let mut metadata = EventMetadata::recorded_now();
        metadata.command_id = (i % 4 != 3).then_some(command);
        let events = (0..1 + i % 3)
            .map(|k| {
                NewEvent::new(
                    Uuid::now_v7(),
                    "FileRecorded",
                    1,
                    format!(r#"{{"i":{i},"k":{k}}}"#),
                    &metadata,
                )
            })
            .collect();
        let request = AppendRequest {
            stream,
            expected: ExpectedState::Any,
            command_id: metadata.command_id,
            events,
        };
        let result = store.append(request).await.expect("append");
        if let Some(command) = metadata.command_id {
            commands.push((command, result));
        }
    }
    commands
}

fn sqlite(dir: &tempfile::TempDir, name: &str) -> SqliteStore {
    SqliteStore::open_path(dir.path().join(name)).expect("open")
}

#[tokio::test]
async fn an_interrupted_migration_resumes_and_ends_verified_with_the_same_hashes() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = sqlite(&dir, "from/events.db");
    let commands = fill(&source, 400).await;
    let source_head = verify_chain(&source, |_| ()).await.expect("source chain");
    let target = sqlite(&dir, "to/events.db");

    let first = migrate(
        &source,
        &target,
        MigrateOptions {
            max_events: Some(300),
        },
        |_, _| (),
    )
    .await
    .expect("first slice");
    assert!(!first.complete);
    assert!(
        first.copied >= 300 && first.copied < 303,
        "stops at an append boundary"
    );
    assert_eq!(first.already, 0);
    assert_eq!(first.chain.events, first.copied, "what is there verifies");

    let second = migrate(&source, &target, MigrateOptions::default(), |_, _| ())
        .await
        .expect("resumed");
    assert!(second.complete);
    assert_eq!(second.already, first.copied);
    assert_eq!(second.already + second.copied, source_head.events);
    assert_eq!(second.chain, source_head, "same events, same head hash");

    // Idempotency survives: every command's append is found where it was.
    for (command, result) in commands {
        assert_eq!(
            target.find_command(command).await.expect("find"),
            Some(result)
        );
    }
    let again = migrate(&source, &target, MigrateOptions::default(), |_, _| ())
        .await
        .expect("nothing left");
    assert_eq!((again.copied, again.complete), (0, true));
}

#[tokio::test]
async fn sqlite_to_kurrentdb_and_back_keeps_every_hash() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = sqlite(&dir, "events.db");
    fill(&source, 120).await;
    let head = verify_chain(&source, |_| ()).await.expect("chain");
    let mut config = KurrentConfig::new("kurrentdb://fake:2113?tls=false");
    config.stream_prefixes = vec!["fonds-".into()];
    let cluster = KurrentStore::with_transport(Arc::new(FakeCluster::new()), config)
        .await
        .expect("cluster");
    let there = migrate(&source, &cluster, MigrateOptions::default(), |_, _| ())
        .await
        .expect("into the cluster");
    assert_eq!(there.chain, head);
    let back = MemoryStore::new();
    let home = migrate(&cluster, &back, MigrateOptions::default(), |_, _| ())
        .await
        .expect("out of the cluster");
    assert_eq!(home.chain, head);
    assert_eq!(
        source.read_all(1, 1000).await.expect("read"),
        back.read_all(1, 1000).await.expect("read")
    );
}

#[tokio::test]
async fn a_target_that_is_not_a_prefix_of_the_source_is_refused() {
    let source = MemoryStore::new();
    fill(&source, 10).await;
    let other = MemoryStore::new();
    fill(&other, 2).await;
    assert!(matches!(
        migrate(&source, &other, MigrateOptions::default(), |_, _| ()).await,
        Err(MigrateError::Diverged { position: _, .. })
    ));
    let longer = MemoryStore::new();
    fill(&longer, 30).await;
    let shorter = MemoryStore::new();
    migrate(
        &longer,
        &shorter,
        MigrateOptions {
            max_events: Some(5),
        },
        |_, _| (),
    )
    .await
    .expect("a slice");
    match migrate(&shorter, &longer, MigrateOptions::default(), |_, _| ()).await {
        Err(MigrateError::Diverged { why, .. }) => assert!(why.contains("more events"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn appends_are_regrouped_by_stream_revision_and_command() {
    let command = Uuid::now_v7();
    let mut with = EventMetadata::recorded_now();
    with.command_id = Some(command);
    let without = EventMetadata::recorded_now();
    let event = |position, stream: &str, revision, metadata: &EventMetadata| RecordedEvent {
        position,
        stream: stream.into(),
        revision,
        event_id: Uuid::now_v7(),
        event_type: "T".into(),
        schema_version: 1,
        payload: "{}".into(),
        metadata: serde_json::to_string(metadata).expect("json"),
        hash: [0; 32],
    };
    let groups = group_appends(vec![
        event(1, "a", 0, &with),
        event(2, "a", 1, &with),
        event(3, "b", 0, &with),
        event(4, "a", 2, &without),
        event(5, "a", 3, &without),
    ]);
    let sizes: Vec<_> = groups.iter().map(Vec::len).collect();
    assert_eq!(
        sizes,
        vec![2, 1, 1, 1],
        "no command id: one event per append"
    );
    let request = request_of(&groups[0], true);
    assert_eq!(request.expected, ExpectedState::NoStream);
    assert_eq!(request.command_id, Some(command));
    assert_eq!(
        request_of(&groups[3], true).expected,
        ExpectedState::Revision(2)
    );
}
