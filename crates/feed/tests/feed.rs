//! The feed over a real (in-memory) store: what a reader receives of a fonds' stream, as a
//! reader cleared for it and as one who is not.

use std::sync::Arc;
use std::time::Duration;

use bangiao_feed::{FeedFilter, FeedItem, Store};
use bangiao_projections::query::inventory::REDACTED_TITLE;
use bangiao_store::{
    AppendRequest, EventMetadata, EventStore, ExpectedState, MemoryStore, NewEvent, RecordedEvent,
};
use futures::StreamExt;
use uuid::Uuid;

const OPEN: &str = "000.00.07.H56.2020.01";
const SECRET: &str = "000.00.07.H56.2020.02";
/// The text of the secret file.
const MARK: &str = "BÍ MẬT";

fn file(code: &str, access: &str) -> String {
    format!(
        r#"{{"file_code":"{code}","title":"Hồ sơ {MARK} {access}","start_date":"2020-01-01","end_date":"2020-12-31","retention":{{"code":"01"}},"access":"{access}","carrier":"paper","box_number":"1","sheets":10,"language":"Tiếng Việt","notes":"Ghi chú {MARK}","custodian":"UBND-066"}}"#
    )
}

/// A fonds with an open and a secret file, the secret one damaged and refused at a transfer.
async fn store() -> Store {
    let store = MemoryStore::new();
    let events = [
        ("FondsOpened", r#"{"fonds_code":"UB-066","name":"Phông","kind":"state","creator_organ_id":"000.00.07.H56","creator_name":"UBND","unit_code":"066","custodian":"UBND-066","opened_on":"2000-01-01"}"#.to_owned()),
        ("FileRecorded", file(OPEN, "01")),
        ("FileRecorded", file(SECRET, "03")),
        ("FileMarkedDamaged", format!(r#"{{"file_code":"{SECRET}","description":"{MARK}","noted_on":"2025-07-01"}}"#)),
        ("FileMarkedDamaged", format!(r#"{{"file_code":"{OPEN}","description":"{MARK}","noted_on":"2025-07-01"}}"#)),
        ("TransferAccepted", format!(r#"{{"transfer_id":"00000000-0000-0000-0000-000000000001","accepted_by":"archivist-1","accepted_on":"2025-09-01","accepted":[],"rejected":[{{"file_code":"{SECRET}","reason":"{MARK}"}},{{"file_code":"{OPEN}","reason":"Chưa chỉnh lý"}}]}}"#)),
    ];
    let request = AppendRequest {
        stream: "fonds-UB-066".to_owned(),
        expected: ExpectedState::NoStream,
        command_id: None,
        events: events
            .into_iter()
            .map(|(event_type, payload)| {
                NewEvent::new(
                    Uuid::now_v7(),
                    event_type,
                    1,
                    payload,
                    &EventMetadata::recorded_now(),
                )
            })
            .collect(),
    };
    store.append(request).await.expect("appended");
    Arc::new(store)
}

/// The first `n` events the feed sends, with whether each was redacted.
async fn received(
    store: Store,
    cleared: Option<Vec<String>>,
    n: usize,
) -> Vec<(RecordedEvent, bool)> {
    let feed = bangiao_feed::subscribe(store, cleared, 1, FeedFilter::default()).expect("feed");
    let items = tokio::time::timeout(Duration::from_secs(10), feed.take(n).collect::<Vec<_>>())
        .await
        .expect("the feed delivers");
    items
        .into_iter()
        .map(|item| match item.expect("no error") {
            FeedItem::Event { event, redacted } => (event, redacted),
            FeedItem::Checkpoint(p) => panic!("unexpected checkpoint {p}"),
        })
        .collect()
}

#[tokio::test]
async fn a_reader_not_cleared_gets_no_text_of_the_secret_file_and_all_else_as_stored() {
    let store = store().await;
    let stored = store
        .read_stream("fonds-UB-066", 0, 100)
        .await
        .expect("read");
    let got = received(store, Some(Vec::new()), stored.len()).await;
    let redacted: Vec<bool> = got.iter().map(|(_, r)| *r).collect();
    assert_eq!(redacted, [false, false, true, true, false, true]);
    for ((event, redacted), original) in got.iter().zip(&stored) {
        assert_eq!(event.position, original.position);
        if *redacted {
            assert!(!event.payload.contains(MARK), "{}", event.payload);
            assert!(event.payload.contains(REDACTED_TITLE), "{}", event.payload);
            assert!(event.payload.contains(SECRET), "the file stays named");
        } else {
            // The wire format of what is not redacted is the stored JSON, byte for byte.
            assert_eq!(event.payload, original.payload);
        }
    }
    // The refusal of the open file keeps its reason.
    assert!(got[5].0.payload.contains("Chưa chỉnh lý"));
}

#[tokio::test]
async fn a_cleared_reader_gets_every_event_as_stored() {
    for cleared in [None, Some(vec!["UB-066".to_owned()])] {
        let store = store().await;
        let stored = store
            .read_stream("fonds-UB-066", 0, 100)
            .await
            .expect("read");
        let got = received(store, cleared, stored.len()).await;
        for ((event, redacted), original) in got.iter().zip(&stored) {
            assert!(!redacted);
            assert_eq!(event, original);
        }
    }
}
