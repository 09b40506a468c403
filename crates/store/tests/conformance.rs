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
