//! Two store handles on one file, as when `bangiao token create` appends while the service runs:
//! each handle's writer notices the other's commits before its own next append (no clash of
//! positions, an unbroken hash chain), and the other handle's head rises so followers see them.

use std::time::{Duration, Instant};

use bangiao_store::conformance::append;
use bangiao_store::verify::verify_chain;
use bangiao_store::{EventStore, ExpectedState, SqliteStore};

#[tokio::test]
async fn appends_from_another_handle_are_taken_into_account() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("events.db");
    let service = SqliteStore::open_path(&path).expect("service's store");
    service
        .append(append("a", ExpectedState::NoStream, 0, 3))
        .await
        .expect("service appends");
    let tool = SqliteStore::open_path(&path).expect("tool's store");
    let by_tool = tool
        .append(append("b", ExpectedState::NoStream, 0, 2))
        .await
        .expect("tool appends");
    assert_eq!((by_tool.first_position, by_tool.position), (4, 5));
    drop(tool);

    // The service's followers learn of the tool's events without an append of their own.
    let started = Instant::now();
    while service.head_position() < 5 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "head stayed at {}",
            service.head_position()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let next = service
        .append(append("a", ExpectedState::Revision(2), 3, 1))
        .await
        .expect("the service appends after the tool");
    assert_eq!(next.position, 6);
    let report = verify_chain(&service, |_| ()).await.expect("chain intact");
    assert_eq!(report.events, 6);
}
