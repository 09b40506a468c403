//! One upcaster set for every reader of the log: an old payload of `FondsOpened` (schema
//! version 0, its name under `ten`) is read back by the command handler, the read model and the
//! feed alike once one step is registered, and refused by all three without it.

use std::sync::Arc;
use std::time::Duration;

use bangiao_app::handler::Repository;
use bangiao_domain::events;
use bangiao_domain::upcast::Upcasters;
use bangiao_domain::{FondsAggregate, FondsEvent};
use bangiao_feed::{FeedFilter, FeedItem};
use bangiao_projections::ReadModel;
use bangiao_projections::query::fonds;
use bangiao_store::{
    AppendRequest, EventMetadata, EventStore, ExpectedState, MemoryStore, NewEvent,
};
use futures::StreamExt;
use uuid::Uuid;

/// `FondsOpened` as an older program would have stored it: the name under `ten`.
const OLD: &str = r#"{"fonds_code":"UB-066","ten":"Phông UBND xã","kind":"state","creator_organ_id":"000.00.07.H56","creator_name":"UBND","unit_code":"066","custodian":"UBND-066","opened_on":"2000-01-01"}"#;

/// The step from that shape to the current one.
fn ten_to_name(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(name) = v.as_object_mut().and_then(|o| o.remove("ten")) {
        v["name"] = name;
    }
    v
}

/// The domain's registry with the step added.
fn registry() -> Upcasters {
    events::upcasters().register("FondsOpened", 0, ten_to_name)
}

async fn store() -> Arc<MemoryStore> {
    let store = MemoryStore::new();
    let old = NewEvent::new(
        Uuid::now_v7(),
        "FondsOpened",
        0,
        OLD.to_owned(),
        &EventMetadata::recorded_now(),
    );
    store
        .append(AppendRequest {
            stream: "fonds-UB-066".to_owned(),
            expected: ExpectedState::NoStream,
            command_id: None,
            events: vec![old],
        })
        .await
        .expect("appended");
    Arc::new(store)
}

/// The name the command handler reads, once it has folded the stream into an opened fonds.
async fn handler_reads(upcasters: Upcasters) -> Option<String> {
    let store = store().await;
    let repository: Repository<FondsAggregate, _> = Repository::new(store.clone(), upcasters);
    let (state, _) = repository.load("UB-066").await.ok()?;
    assert!(state.is_opened());
    let stored = store.read_stream("fonds-UB-066", 0, 1).await.expect("read");
    match repository.decode(&stored[0]).ok()? {
        FondsEvent::FondsOpened(opened) => Some(opened.name.as_str().to_owned()),
        other => panic!("unexpected {other:?}"),
    }
}

/// The name the read model projects.
async fn read_model_reads(upcasters: Upcasters) -> Option<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let model = ReadModel::open(dir.path().join("read.db"))
        .expect("read model")
        .with_upcasters(upcasters);
    model.catch_up(&*store().await).await.ok()?;
    let row = model
        .readers()
        .with(|c| fonds::get(c, "UB-066"))
        .await
        .expect("query");
    row.map(|r| r.name)
}

/// The name the feed publishes, and the schema version it publishes it at.
async fn feed_reads(upcasters: Upcasters) -> Option<(String, u32)> {
    let feed =
        bangiao_feed::subscribe_through(store().await, None, 1, FeedFilter::default(), upcasters)
            .expect("feed");
    let first = tokio::time::timeout(Duration::from_secs(10), feed.take(1).next())
        .await
        .expect("the feed answers")
        .expect("one item");
    match first.ok()? {
        FeedItem::Event { event, .. } => {
            let payload: serde_json::Value = serde_json::from_str(&event.payload).expect("JSON");
            Some((payload["name"].as_str()?.to_owned(), event.schema_version))
        }
        FeedItem::Checkpoint(p) => panic!("unexpected checkpoint {p}"),
    }
}

#[tokio::test]
async fn a_step_registered_once_is_applied_by_the_handler_the_read_model_and_the_feed() {
    let name = "Phông UBND xã".to_owned();
    assert_eq!(handler_reads(registry()).await, Some(name.clone()));
    assert_eq!(read_model_reads(registry()).await, Some(name.clone()));
    assert_eq!(feed_reads(registry()).await, Some((name, 1)));
}

#[tokio::test]
async fn without_the_step_every_reader_refuses_the_old_payload() {
    assert_eq!(handler_reads(events::upcasters()).await, None);
    assert_eq!(read_model_reads(events::upcasters()).await, None);
    assert_eq!(feed_reads(events::upcasters()).await, None);
}
