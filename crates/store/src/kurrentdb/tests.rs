//! The backend over the in-memory cluster: what only a cluster can do to it (several replicas,
//! lost answers, leader changes, dropped subscriptions, foreign writers).

use std::sync::Arc;
use std::time::Duration;

use kurrentdb::{Endpoint, StreamState};
use uuid::Uuid;

use super::fake::FakeCluster;
use super::transport::RawNewEvent;
use super::*;
use crate::conformance::append;
use crate::event::ExpectedState;
use crate::store::wait_for_position;
use crate::verify::verify_chain;

fn config() -> KurrentConfig {
    let mut config = KurrentConfig::new("kurrentdb://fake:2113?tls=false");
    config.retry = RetryPolicy {
        attempts: 4,
        first_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };
    config.visible_timeout = Duration::from_secs(2);
    config.stream_prefixes = vec!["s-".into(), "fonds-".into()];
    config
}

async fn replica(cluster: &FakeCluster) -> KurrentStore {
    KurrentStore::with_transport(Arc::new(cluster.clone()), config())
        .await
        .expect("replica starts")
}

fn not_leader() -> kurrentdb::Error {
    kurrentdb::Error::NotLeaderException(Endpoint {
        host: "n3".into(),
        port: 2113,
    })
}

#[tokio::test]
async fn replicas_agree_on_positions_and_hashes_though_the_clusters_have_gaps() {
    let cluster = FakeCluster::new();
    let a = replica(&cluster).await;
    let b = replica(&cluster).await;
    for i in 0..10u64 {
        let writer = if i % 2 == 0 { &a } else { &b };
        let r = writer
            .append(append(&format!("s-{}", i % 3), ExpectedState::Any, i, 2))
            .await
            .expect("append");
        assert_eq!(r.position, 2 * i + 2, "gapless, whoever wrote");
        // Read-your-writes on the other replica: wait for the position, read the same event.
        let other = if i % 2 == 0 { &b } else { &a };
        assert!(wait_for_position(other, r.position, Duration::from_secs(5)).await >= r.position);
        let mine = writer.read_all(r.position, 1).await.expect("read");
        let theirs = other.read_all(r.position, 1).await.expect("read");
        assert_eq!(mine, theirs);
    }
    let raw = cluster.all_events();
    assert!(
        raw.windows(2)
            .all(|w| w[1].position.commit > w[0].position.commit + 1),
        "the cluster's own positions are not gapless"
    );
    let ra = verify_chain(&a, |_| ()).await.expect("chain on a");
    let rb = verify_chain(&b, |_| ()).await.expect("chain on b");
    assert_eq!((ra.events, ra.head), (rb.events, rb.head));
}

#[tokio::test]
async fn a_command_retried_through_another_replica_returns_the_first_result() {
    let cluster = FakeCluster::new();
    let a = replica(&cluster).await;
    let b = replica(&cluster).await;
    let command = Uuid::now_v7();
    let mut first = append("fonds-1", ExpectedState::NoStream, 0, 2);
    first.command_id = Some(command);
    let r1 = a.append(first).await.expect("first");
    assert_eq!(b.find_command(command).await.expect("find"), Some(r1));
    let mut retry = append("fonds-1", ExpectedState::NoStream, 5, 2);
    retry.command_id = Some(command);
    assert_eq!(b.append(retry).await.expect("a retry, not a conflict"), r1);
    let mut elsewhere = append("fonds-2", ExpectedState::Any, 0, 1);
    elsewhere.command_id = Some(command);
    assert!(matches!(
        b.append(elsewhere).await,
        Err(StoreError::CommandIdReused { .. })
    ));
    assert_eq!(cluster.all_events().len(), 2);
}

#[tokio::test]
async fn not_leader_is_retried_with_backoff_then_reported_unavailable() {
    let cluster = FakeCluster::new();
    let store = replica(&cluster).await;
    cluster.fail_next_appends([not_leader(), kurrentdb::Error::ConnectionClosed]);
    let r = store
        .append(append("s-1", ExpectedState::NoStream, 0, 1))
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(r.position, 1);
    cluster.fail_next_appends((0..4).map(|_| not_leader()));
    match store.append(append("s-1", ExpectedState::Any, 1, 1)).await {
        Err(StoreError::Unavailable(why)) => assert!(why.contains("n3:2113"), "{why}"),
        other => panic!("expected unavailable after 4 attempts, got {other:?}"),
    }
    cluster.fail_next_appends([kurrentdb::Error::AccessDenied]);
    assert!(matches!(
        store.append(append("s-1", ExpectedState::Any, 1, 1)).await,
        Err(StoreError::AccessDenied(_))
    ));
    assert_eq!(cluster.all_events().len(), 1, "nothing written by failures");
}

#[tokio::test]
async fn an_append_whose_answer_was_lost_is_not_written_twice() {
    let cluster = FakeCluster::new();
    let store = replica(&cluster).await;
    for expected in [ExpectedState::NoStream, ExpectedState::Any] {
        cluster.lose_next_answers(1);
        let request = append("s-lost", expected, 0, 3);
        let r = store
            .append(request.clone())
            .await
            .expect("recognised as written");
        assert_eq!(r.position - r.first_position, 2);
        assert_eq!(store.append(request).await.expect("and again"), r);
    }
    assert_eq!(cluster.all_events().len(), 6);
    assert_eq!(store.head_position(), 6);
}

#[tokio::test]
async fn the_follower_resumes_after_the_last_event_not_after_a_checkpoint() {
    let cluster = FakeCluster::new();
    let writer = replica(&cluster).await;
    cluster.send_checkpoints_ahead(true);
    cluster.drop_subscriptions_after(Some(3));
    let reader = replica(&cluster).await;
    for i in 0..20 {
        writer
            .append(append("s-live", ExpectedState::Any, i, 1))
            .await
            .expect("append");
    }
    // The reader never appends: only its follower (resubscribing every 3 events, with
    // checkpoints past the end) moves its head.
    assert_eq!(
        wait_for_position(&reader, 20, Duration::from_secs(10)).await,
        20
    );
    let all = reader.read_all(1, 100).await.expect("read");
    assert_eq!(all.len(), 20);
    assert_eq!(all, writer.read_all(1, 100).await.expect("read"));
}

#[tokio::test]
async fn other_streams_in_all_are_filtered_out_and_never_written() {
    let cluster = FakeCluster::new();
    let store = replica(&cluster).await;
    store
        .append(append("s-1", ExpectedState::Any, 0, 1))
        .await
        .expect("append");
    let other = RawNewEvent {
        event_id: Uuid::now_v7(),
        event_type: "OrderPlaced".into(),
        data: bytes::Bytes::from_static(b"{}"),
        is_json: true,
        custom_metadata: bytes::Bytes::new(),
    };
    cluster.write_raw("orders-1", vec![other]);
    let r = store
        .append(append("s-1", ExpectedState::Any, 1, 1))
        .await
        .expect("append");
    assert_eq!(
        r.position, 2,
        "the other application's event takes no position"
    );
    assert!(matches!(
        store
            .append(append("orders-2", ExpectedState::Any, 0, 1))
            .await,
        Err(StoreError::InvalidRequest(_))
    ));
    assert!(
        store
            .read_stream("orders-1", 0, 10)
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(store.stream_revision("orders-1").await.expect("rev"), None);
}

#[tokio::test]
async fn a_foreign_event_in_our_streams_is_named_not_skipped() {
    let cluster = FakeCluster::new();
    let store = replica(&cluster).await;
    store
        .append(append("s-1", ExpectedState::Any, 0, 1))
        .await
        .expect("append");
    cluster.write_raw(
        "s-1",
        vec![RawNewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Hand".into(),
            data: bytes::Bytes::from_static(b"{}"),
            is_json: true,
            custom_metadata: bytes::Bytes::from_static(b"{}"),
        }],
    );
    match store.append(append("s-2", ExpectedState::Any, 1, 1)).await {
        Err(StoreError::Corrupt { position, reason }) => {
            assert_eq!(position, 2);
            assert!(reason.contains("no bangiao envelope"), "{reason}");
        }
        other => panic!("expected the foreign event to be named, got {other:?}"),
    }
}

#[tokio::test]
async fn a_file_index_resumes_and_is_rebuilt_when_the_cluster_changed() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("kurrentdb-index.db");
    let cluster = FakeCluster::new();
    let open = |cluster: &FakeCluster| {
        let transport: Arc<dyn transport::Transport> = Arc::new(cluster.clone());
        KurrentStore::with_transport(transport, config().with_index_file(&path))
    };
    let store = open(&cluster).await.expect("open");
    store
        .append(append("s-1", ExpectedState::NoStream, 0, 5))
        .await
        .expect("append");
    let head = verify_chain(&store, |_| ()).await.expect("chain").head;
    drop(store);
    let again = open(&cluster).await.expect("reopen");
    assert_eq!(again.head_position(), 5);
    assert_eq!(
        verify_chain(&again, |_| ()).await.expect("chain").head,
        head
    );
    drop(again);
    // Another cluster (restored from an older backup, or replaced): the index starts over.
    let replaced = FakeCluster::new();
    replaced
        .append(
            "s-9",
            StreamState::Any,
            vec![
                super::mapping::encode_event(&crate::conformance::event(1), None).expect("encode"),
            ],
        )
        .await
        .expect("write");
    let fresh = open(&replaced).await.expect("open on the other cluster");
    assert_eq!(fresh.head_position(), 1);
    assert_eq!(fresh.read_all(1, 10).await.expect("read")[0].stream, "s-9");
}
