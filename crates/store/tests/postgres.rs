//! The PostgreSQL backend against real throw-away clusters started by the test (see
//! `bangiao_store::postgres::test_cluster`): the whole conformance suite, each case in a fresh
//! database of one shared cluster; then what only a server shows: a standby refuses writes as
//! read-only, a stopped server is unavailable, events cannot be changed in place, and the
//! schema is versioned, TLS is verified against a given CA. Without PostgreSQL every test prints
//! `skipped: postgresql not found`.

use std::time::Duration;

use bangiao_store::conformance::{Fixture, append};
use bangiao_store::kurrentdb::RetryPolicy;
use bangiao_store::postgres::test_cluster::TestCluster;
use bangiao_store::{EventStore, ExpectedState, PostgresConfig, PostgresStore, StoreError};

/// Retries cut short, so that the failure cases answer in about a second.
fn quick(url: String) -> PostgresConfig {
    let mut config = PostgresConfig::new(url);
    config.retry = RetryPolicy {
        attempts: 3,
        first_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
    };
    config.timeout = Duration::from_secs(5);
    config
}

/// A client of its own, for what the store must not be asked to do.
async fn client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    client
}

mod conformance {
    use super::*;

    async fn fixture() -> Option<Fixture<PostgresStore>> {
        let cluster = TestCluster::shared()?;
        let url = cluster.create_database().await;
        let store = PostgresStore::connect(PostgresConfig::new(url))
            .await
            .expect("connect to the test cluster");
        Some(Fixture::bare(store))
    }

    bangiao_store::conformance_suite!(fixture);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_refuses_appends_as_read_only_and_serves_reads() {
    let Some(primary) = tokio::task::spawn_blocking(TestCluster::start)
        .await
        .expect("start")
    else {
        return;
    };
    let store = PostgresStore::connect(quick(primary.url("postgres")))
        .await
        .expect("connect to the primary");
    store
        .append(append("s", ExpectedState::NoStream, 0, 3))
        .await
        .expect("append on the primary");
    let standby = tokio::task::spawn_blocking(move || {
        let standby = TestCluster::standby_of(&primary, "standby");
        (primary, standby)
    })
    .await
    .expect("start the standby");
    let (_primary, standby) = standby;
    let on_standby = PostgresStore::connect(quick(standby.url("postgres")))
        .await
        .expect("a standby opens (the schema is already there)");
    assert_eq!(on_standby.read_all(1, 10).await.expect("read").len(), 3);
    let refused = on_standby
        .append(append("s", ExpectedState::Any, 3, 1))
        .await;
    assert!(
        matches!(refused, Err(StoreError::ReadOnly)),
        "expected ReadOnly, got {refused:?}"
    );
    // Asking for the primary among the standby alone: the client itself refuses it.
    let only_standby = format!(
        "{}?target_session_attrs=read-write",
        standby.url("postgres")
    );
    let refused = PostgresStore::connect(quick(only_standby)).await;
    assert!(
        matches!(refused, Err(StoreError::ReadOnly)),
        "expected ReadOnly, got {:?}",
        refused.err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_is_unavailable_and_the_store_carries_on_when_it_is_back() {
    let Some(mut cluster) = tokio::task::spawn_blocking(TestCluster::start)
        .await
        .expect("start")
    else {
        return;
    };
    let store = PostgresStore::connect(quick(cluster.url("postgres")))
        .await
        .expect("connect");
    store
        .append(append("s", ExpectedState::NoStream, 0, 1))
        .await
        .expect("append");
    let mut cluster = tokio::task::spawn_blocking(move || {
        cluster.kill9();
        cluster
    })
    .await
    .expect("kill");
    let refused = store.append(append("s", ExpectedState::Any, 1, 1)).await;
    assert!(
        matches!(refused, Err(StoreError::Unavailable(_))),
        "expected Unavailable, got {refused:?}"
    );
    assert!(matches!(
        store.read_all(1, 10).await,
        Err(StoreError::Unavailable(_))
    ));
    let _cluster = tokio::task::spawn_blocking(move || {
        cluster.restart();
        cluster
    })
    .await
    .expect("restart");
    let r = store
        .append(append("s", ExpectedState::Revision(0), 1, 1))
        .await
        .expect("the writer reconnects by itself");
    assert_eq!(r.position, 2);
    assert_eq!(store.read_all(1, 10).await.expect("read").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_events_cannot_be_changed_or_removed_and_the_schema_is_versioned() {
    let Some(cluster) = TestCluster::shared() else {
        return;
    };
    let url = cluster.create_database().await;
    let store = PostgresStore::connect(PostgresConfig::new(url.clone()))
        .await
        .expect("connect");
    store
        .append(append("s", ExpectedState::NoStream, 0, 2))
        .await
        .expect("append");
    let db = client(&url).await;
    for sql in [
        "UPDATE bangiao_events SET payload = '{}' WHERE position = 1",
        "DELETE FROM bangiao_events WHERE position = 2",
        "TRUNCATE bangiao_events",
    ] {
        let refused = db.batch_execute(sql).await.expect_err(sql);
        assert!(
            refused.to_string().contains("never changed or removed")
                || format!("{refused:?}").contains("never changed or removed"),
            "{sql}: {refused:?}"
        );
    }
    let version: i32 = db
        .query_one("SELECT max(version) FROM bangiao_schema", &[])
        .await
        .expect("schema version")
        .get(0);
    assert_eq!(version as u32, bangiao_store::postgres::SCHEMA_VERSION);
    // A database written by a newer Bàn Giao is refused, not written to.
    db.batch_execute("INSERT INTO bangiao_schema (version) VALUES (999)")
        .await
        .expect("pretend a newer version");
    let refused = PostgresStore::connect(quick(url)).await;
    assert!(
        matches!(&refused, Err(StoreError::Backend(why)) if why.contains("upgrade")),
        "{:?}",
        refused.err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_verified_against_the_given_ca_and_plain_connections_are_refused() {
    let Some(cluster) = tokio::task::spawn_blocking(TestCluster::start)
        .await
        .expect("start")
    else {
        return;
    };
    let Some(ca) = cluster.enable_tls() else {
        return;
    };
    let base = cluster.url("postgres");
    // The server takes only TLS: a store that connects at all went through TLS.
    let trusted = format!("{base}?sslmode=verify-full&sslrootcert={}", ca.display());
    let store = PostgresStore::connect(quick(trusted))
        .await
        .expect("TLS with the given CA");
    store
        .append(append("s", ExpectedState::NoStream, 0, 1))
        .await
        .expect("append over TLS");
    // Without the CA the server's certificate is not trusted (the system roots do not know it).
    let untrusted = PostgresStore::connect(quick(format!("{base}?sslmode=require"))).await;
    assert!(
        matches!(&untrusted, Err(StoreError::Unavailable(why)) if why.contains("certificate")),
        "{:?}",
        untrusted.err()
    );
    // Without TLS the server refuses.
    let plain = PostgresStore::connect(quick(format!("{base}?sslmode=disable"))).await;
    assert!(
        matches!(plain, Err(StoreError::AccessDenied(_))),
        "{:?}",
        plain.err()
    );
}
