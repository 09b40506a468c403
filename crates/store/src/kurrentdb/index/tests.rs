use kurrentdb::Position;
use uuid::Uuid;

use super::*;
use crate::event::RecordedEvent;
use crate::hash::ChainVerifier;

fn decoded(stream: &str, revision: u64, n: u128, at: u64, command: Option<Uuid>) -> Decoded {
    Decoded {
        stream: stream.into(),
        revision,
        event_id: Uuid::from_u128(n),
        event_type: "TestHappened".into(),
        schema_version: 1,
        payload: format!(r#"{{"n":{n}}}"#),
        metadata: "{}".into(),
        command_id: command,
        position: Position {
            commit: at,
            prepare: at,
        },
    }
}

fn recorded(row: &IndexRow, d: &Decoded) -> RecordedEvent {
    RecordedEvent {
        position: row.position,
        stream: d.stream.clone(),
        revision: d.revision,
        event_id: d.event_id,
        event_type: d.event_type.clone(),
        schema_version: d.schema_version,
        payload: d.payload.clone(),
        metadata: d.metadata.clone(),
        hash: row.hash,
    }
}

#[test]
fn ranks_in_all_become_gapless_positions_with_the_sqlite_chain() {
    let mut ix = Index::open(&IndexLocation::Memory, "t").expect("open");
    let events = vec![
        decoded("a", 0, 1, 4_096, None),
        decoded("b", 0, 2, 4_500, None),
        decoded("a", 1, 3, 9_999, None),
    ];
    assert_eq!(ix.apply(&events).expect("apply"), 3);
    let rows = ix.rows(1, 10).expect("rows");
    assert_eq!(
        rows.iter().map(|r| r.position).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    // The chain verifies exactly as a SQLite log does: same fields, same positions.
    let mut verifier = ChainVerifier::default();
    for (row, d) in rows.iter().zip(&events) {
        verifier.check(&recorded(row, d)).expect("links");
    }
    assert_eq!(ix.tail().position, 3);
    assert_eq!(ix.tail().hash, rows[2].hash);
    assert_eq!(ix.tail().last, Some(events[2].position));
    assert_eq!(ix.rows(2, 1).expect("rows")[0].event_id, Uuid::from_u128(2));
    assert_eq!(
        ix.at_kpos(events[1].position)
            .expect("lookup")
            .map(|r| r.position),
        Some(2)
    );
    assert_eq!(
        ix.at_kpos(Position {
            commit: 4_501,
            prepare: 4_501
        })
        .expect("lookup"),
        None
    );
}

#[test]
fn events_at_or_before_the_tail_are_skipped() {
    let mut ix = Index::open(&IndexLocation::Memory, "t").expect("open");
    let a = decoded("a", 0, 1, 100, None);
    let b = decoded("a", 1, 2, 200, None);
    let c = decoded("a", 2, 3, 300, None);
    ix.apply(&[a.clone(), b.clone()]).expect("apply");
    // A catch-up read and the live subscription both deliver b: it is indexed once.
    assert_eq!(ix.apply(&[a, b, c]).expect("apply"), 1);
    assert_eq!(ix.tail().position, 3);
    assert_eq!(ix.by_event_id(Uuid::from_u128(2)).expect("lookup").len(), 1);
}

#[test]
fn a_commands_append_is_recorded_from_its_first_to_its_last_event() {
    let mut ix = Index::open(&IndexLocation::Memory, "t").expect("open");
    let command = Uuid::from_u128(77);
    ix.apply(&[
        decoded("other", 0, 1, 10, None),
        decoded("s", 0, 2, 20, Some(command)),
        decoded("s", 1, 3, 30, Some(command)),
        decoded("s", 2, 4, 40, Some(command)),
        // The same id reused later (two replicas racing on one retry) is not the result.
        decoded("s", 3, 5, 50, None),
        decoded("s", 4, 6, 60, Some(command)),
    ])
    .expect("apply");
    let (stream, result) = ix.command(command).expect("lookup").expect("recorded");
    assert_eq!(stream, "s");
    assert_eq!(
        (
            result.first_position,
            result.position,
            result.next_expected_revision
        ),
        (2, 4, 2)
    );
    assert_eq!(ix.command(Uuid::from_u128(1)).expect("lookup"), None);
}

#[test]
fn a_file_index_reopens_at_its_tail_and_is_rebuilt_for_other_streams() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let location = IndexLocation::File(dir.path().join("sub/kurrentdb-index.db"));
    {
        let mut ix = Index::open(&location, "prod").expect("open");
        ix.apply(&[decoded("a", 0, 1, 100, None), decoded("a", 1, 2, 200, None)])
            .expect("apply");
    }
    let ix = Index::open(&location, "prod").expect("reopen");
    assert_eq!(ix.tail().position, 2);
    assert_eq!(
        ix.tail().last,
        Some(Position {
            commit: 200,
            prepare: 200
        })
    );
    drop(ix);
    let other = Index::open(&location, "another namespace").expect("reopen");
    assert_eq!(other.tail().position, 0, "built for other streams: emptied");
    let mut again = Index::open(&location, "another namespace").expect("reopen");
    again
        .apply(&[decoded("a", 0, 1, 100, None)])
        .expect("apply");
    again.reset().expect("reset");
    assert_eq!(again.tail().position, 0);
    assert!(again.rows(1, 10).expect("rows").is_empty());
}
