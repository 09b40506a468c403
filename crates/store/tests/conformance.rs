//! The conformance suite on the embedded SQLite backend and the in-memory backend.

mod sqlite {
    use bangiao_store::conformance::Fixture;
    use bangiao_store::{SqliteConfig, SqliteStore};

    async fn fixture() -> Option<Fixture<SqliteStore>> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store =
            SqliteStore::open(SqliteConfig::new(dir.path().join("events.db"))).expect("open");
        Some(Fixture {
            store,
            guard: Box::new(dir),
        })
    }

    bangiao_store::conformance_suite!(fixture);
}

mod memory {
    use bangiao_store::MemoryStore;
    use bangiao_store::conformance::Fixture;

    async fn fixture() -> Option<Fixture<MemoryStore>> {
        Some(Fixture::bare(MemoryStore::new()))
    }

    bangiao_store::conformance_suite!(fixture);
}

/// The KurrentDB backend over the in-memory cluster: every case, without a server.
mod kurrentdb_fake {
    use std::sync::Arc;

    use bangiao_store::conformance::Fixture;
    use bangiao_store::kurrentdb::fake::FakeCluster;
    use bangiao_store::{KurrentConfig, KurrentStore};

    async fn fixture() -> Option<Fixture<KurrentStore>> {
        let mut config = KurrentConfig::new("kurrentdb://fake:2113?tls=false");
        config.namespace = "conformance-".into();
        config.stream_prefixes = Vec::new();
        let store = KurrentStore::with_transport(Arc::new(FakeCluster::new()), config)
            .await
            .expect("the fake cluster answers");
        Some(Fixture::bare(store))
    }

    bangiao_store::conformance_suite!(fixture);
}

/// The KurrentDB backend against a real server or cluster named by `KURRENTDB_URL`, e.g.
/// `KURRENTDB_URL='kurrentdb://admin:changeit@localhost:2113?tls=false' cargo test -p
/// bangiao-store --test conformance kurrentdb_server -- --nocapture`. Each case writes under a
/// fresh namespace, so runs never see each other's events.
mod kurrentdb_server {
    use bangiao_store::conformance::Fixture;
    use bangiao_store::{KurrentConfig, KurrentStore};

    async fn fixture() -> Option<Fixture<KurrentStore>> {
        let Ok(url) = std::env::var("KURRENTDB_URL") else {
            println!("skipped: KURRENTDB_URL not set");
            eprintln!("skipped: KURRENTDB_URL not set");
            return None;
        };
        let mut config = KurrentConfig::new(url);
        config.namespace = format!("bg-conformance-{}-", uuid::Uuid::now_v7().simple());
        config.stream_prefixes = Vec::new();
        let store = KurrentStore::connect(config)
            .await
            .expect("KURRENTDB_URL names a reachable server");
        Some(Fixture::bare(store))
    }

    bangiao_store::conformance_suite!(fixture);
}
