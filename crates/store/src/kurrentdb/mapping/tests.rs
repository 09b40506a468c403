use kurrentdb::{CurrentRevision, Endpoint, Position, StreamState};
use uuid::Uuid;

use super::*;
use crate::event::{ActorRef, EventMetadata, ExpectedState, NewEvent};
use crate::kurrentdb::transport::RawEvent;

fn names() -> Names {
    Names::new("", &["unit-".to_owned(), "fonds-".to_owned()]).expect("valid")
}

#[test]
fn every_expected_state_maps_to_its_stream_state() {
    assert_eq!(stream_state(ExpectedState::Any), StreamState::Any);
    assert_eq!(stream_state(ExpectedState::NoStream), StreamState::NoStream);
    assert_eq!(
        stream_state(ExpectedState::StreamExists),
        StreamState::StreamExists
    );
    assert_eq!(
        stream_state(ExpectedState::Revision(41)),
        StreamState::StreamRevision(41)
    );
    assert_eq!(current_revision(CurrentRevision::Current(7)), Some(7));
    assert_eq!(current_revision(CurrentRevision::NoStream), None);
}

#[test]
fn a_conflict_reports_our_stream_expectation_and_the_current_revision() {
    let e = kurrentdb::Error::WrongExpectedVersion {
        expected: StreamState::StreamRevision(3),
        current: CurrentRevision::Current(5),
    };
    match map_error(
        &e,
        Context::append("fonds-066-UB", ExpectedState::Revision(3)),
    ) {
        StoreError::WrongExpectedVersion {
            stream,
            expected,
            current,
        } => {
            assert_eq!(stream, "fonds-066-UB");
            assert_eq!(expected, ExpectedState::Revision(3));
            assert_eq!(current, Some(5));
        }
        other => panic!("{other:?}"),
    }
    let none = kurrentdb::Error::WrongExpectedVersion {
        expected: StreamState::StreamExists,
        current: CurrentRevision::NoStream,
    };
    assert!(matches!(
        map_error(
            &none,
            Context::append("unit-06", ExpectedState::StreamExists)
        ),
        StoreError::WrongExpectedVersion { current: None, .. }
    ));
}

/// Whether a mapped error is the expected one.
type Check = fn(&StoreError) -> bool;

#[test]
fn every_other_failure_maps_to_a_typed_error() {
    use kurrentdb::Error as K;
    let cx = Context::stream("fonds-1");
    let cases: Vec<(K, Check, bool)> = vec![
        (
            K::NotLeaderException(Endpoint {
                host: "n2".into(),
                port: 2113,
            }),
            |e| matches!(e, StoreError::Unavailable(why) if why.contains("n2:2113")),
            true,
        ),
        (
            K::ConnectionClosed,
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::GrpcConnectionError(kurrentdb::GrpcConnectionError::MaxDiscoveryAttemptReached(
                10,
            )),
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::DeadlineExceeded,
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::InitializationError("dns".into()),
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::ServerError("status: Unavailable, message: \"leader election\"".into()),
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::ServerError("status: DataLoss".into()),
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
        (
            K::AccessDenied,
            |e| matches!(e, StoreError::AccessDenied(why) if why.contains("fonds-1")),
            false,
        ),
        (
            K::ResourceNotFound,
            |e| matches!(e, StoreError::NotFound(s) if s == "fonds-1"),
            false,
        ),
        (
            K::ResourceDeleted,
            |e| matches!(e, StoreError::StreamDeleted { stream } if stream == "fonds-1"),
            false,
        ),
        (
            K::Grpc {
                code: 8.into(),
                message: "slow down".into(),
            },
            |e| matches!(e, StoreError::Busy),
            true,
        ),
        (
            K::Grpc {
                code: 3.into(),
                message: "Maximum Append Size exceeded".into(),
            },
            |e| matches!(e, StoreError::InvalidRequest(why) if why.contains("Append Size")),
            false,
        ),
        (
            K::Grpc {
                code: 10.into(),
                message: "aborted".into(),
            },
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::Grpc {
                code: 1.into(),
                message: "cancelled".into(),
            },
            |e| matches!(e, StoreError::Unavailable(_)),
            true,
        ),
        (
            K::Grpc {
                code: 9.into(),
                message: "precondition".into(),
            },
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
        (
            K::UnsupportedFeature,
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
        (
            K::InternalParsingError("x".into()),
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
        (
            K::ResourceAlreadyExists,
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
        (
            K::InternalClientError,
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
        (
            K::IllegalStateError("x".into()),
            |e| matches!(e, StoreError::Backend(_)),
            false,
        ),
    ];
    for (error, expected, transient) in cases {
        let mapped = map_error(&error, cx);
        assert!(expected(&mapped), "{error:?} mapped to {mapped:?}");
        assert_eq!(mapped.is_transient(), transient, "{error:?} → {mapped:?}");
    }
    assert!(matches!(
        map_error(&K::ResourceNotFound, Context::ALL),
        StoreError::NotFound(s) if s == "$all"
    ));
}

fn metadata_text() -> String {
    let mut m =
        EventMetadata::recorded_at("2025-07-01T08:30:00Z".parse().expect("a valid instant"));
    m.actor = Some(ActorRef {
        name: Some("Lục Thị Mai".into()),
        title: Some("Văn thư".into()),
        ..ActorRef::new("vanthu.066n4", "clerk", Some("066N4".into()))
    });
    m.correlation_id = Some(Uuid::from_u128(7));
    m.causation_id = Some(Uuid::from_u128(8));
    m.command_id = Some(Uuid::from_u128(9));
    serde_json::to_string(&m).expect("serializable")
}

fn raw_of(names: &Names, stream: &str, revision: u64, e: &RawNewEvent, at: u64) -> RawEvent {
    RawEvent {
        stream: names.to_kurrent(stream),
        revision,
        event_id: e.event_id,
        event_type: e.event_type.clone(),
        data: e.data.clone(),
        custom_metadata: e.custom_metadata.clone(),
        position: Position {
            commit: at,
            prepare: at,
        },
    }
}

#[test]
fn the_envelope_round_trips_payload_metadata_and_reserved_fields_byte_for_byte() {
    let names = names();
    let command = Uuid::from_u128(42);
    // Odd spacing and key order must survive: the chain hash covers these exact bytes.
    let metadata = format!("  {}", metadata_text().replace(",\"", ", \""));
    let event = NewEvent {
        event_id: Uuid::from_u128(1),
        event_type: "FileRecorded".into(),
        schema_version: 3,
        payload: r#"{ "title": "Sổ đăng ký hộ tịch", "sheets": 10 }"#.into(),
        metadata: metadata.clone(),
    };
    let encoded = encode_event(&event, Some(command)).expect("encodes");
    assert!(encoded.is_json);
    assert_eq!(encoded.event_id, event.event_id);
    let envelope: serde_json::Value =
        serde_json::from_slice(&encoded.custom_metadata).expect("JSON");
    assert_eq!(envelope["bangiao"]["format"], 1);
    assert_eq!(envelope["bangiao"]["schema_version"], 3);
    assert_eq!(envelope["bangiao"]["command_id"], command.to_string());
    assert_eq!(envelope["$correlationId"], Uuid::from_u128(7).to_string());
    assert_eq!(envelope["$causationId"], Uuid::from_u128(8).to_string());
    assert_eq!(envelope["metadata"]["actor"]["user_id"], "vanthu.066n4");

    let decoded =
        decode_event(&names, &raw_of(&names, "fonds-066-UB", 4, &encoded, 9_000)).expect("ours");
    assert_eq!(decoded.stream, "fonds-066-UB");
    assert_eq!(decoded.revision, 4);
    assert_eq!(decoded.event_type, "FileRecorded");
    assert_eq!(decoded.schema_version, 3);
    assert_eq!(decoded.payload, event.payload);
    assert_eq!(
        decoded.metadata,
        metadata.trim_start(),
        "metadata bytes kept"
    );
    assert_eq!(decoded.command_id, Some(command));
    assert_eq!(decoded.position.commit, 9_000);
}

#[test]
fn metadata_and_payloads_that_are_not_json_still_round_trip() {
    let names = names();
    let event = NewEvent {
        event_id: Uuid::from_u128(2),
        event_type: "T".into(),
        schema_version: 1,
        payload: "not json".into(),
        metadata: "{broken".into(),
    };
    let encoded = encode_event(&event, None).expect("encodes");
    assert!(!encoded.is_json);
    let decoded = decode_event(&names, &raw_of(&names, "unit-06", 0, &encoded, 1)).expect("ours");
    assert_eq!(
        (decoded.payload.as_str(), decoded.metadata.as_str()),
        ("not json", "{broken")
    );
    assert_eq!(decoded.command_id, None);
}

#[test]
fn events_without_our_envelope_or_outside_our_streams_are_refused() {
    let names = names();
    let encoded = encode_event(
        &NewEvent {
            event_id: Uuid::from_u128(3),
            event_type: "T".into(),
            schema_version: 1,
            payload: "{}".into(),
            metadata: "{}".into(),
        },
        None,
    )
    .expect("encodes");
    let mut foreign = raw_of(&names, "orders-1", 0, &encoded, 1);
    assert!(matches!(
        decode_event(&names, &foreign),
        Err(MappingError::ForeignStream(_))
    ));
    foreign.stream = "unit-06".into();
    foreign.custom_metadata = bytes::Bytes::from_static(br#"{"$correlationId":"x"}"#);
    assert!(matches!(
        decode_event(&names, &foreign),
        Err(MappingError::NoEnvelope { .. })
    ));
    foreign.custom_metadata = bytes::Bytes::new();
    assert!(matches!(
        decode_event(&names, &foreign),
        Err(MappingError::NoEnvelope { .. })
    ));
    foreign.custom_metadata =
        bytes::Bytes::from_static(br#"{"bangiao":{"format":2,"schema_version":1},"metadata":{}}"#);
    assert!(matches!(
        decode_event(&names, &foreign),
        Err(MappingError::NewerFormat { found: 2, .. })
    ));
    foreign.custom_metadata = encoded.custom_metadata.clone();
    foreign.data = bytes::Bytes::from_static(&[0xff, 0xfe]);
    assert!(matches!(
        decode_event(&names, &foreign),
        Err(MappingError::NotText {
            what: "payload",
            ..
        })
    ));
}

#[test]
fn stream_names_keep_to_the_namespace_and_prefixes() {
    let prod = names();
    assert!(prod.owns("fonds-066-UB") && prod.owns("unit-06") && !prod.owns("orders-1"));
    assert_eq!(prod.to_kurrent("unit-06"), "unit-06");
    assert_eq!(prod.from_kurrent("unit-06"), Some("unit-06"));
    assert_eq!(prod.from_kurrent("$stats-1"), None);
    assert_eq!(prod.filter_prefixes(), vec!["unit-", "fonds-"]);

    let test = Names::new("t1a2-", &[]).expect("a namespace alone is enough");
    assert!(test.owns("anything"));
    assert_eq!(test.to_kurrent("s-1"), "t1a2-s-1");
    assert_eq!(test.from_kurrent("t1a2-s-1"), Some("s-1"));
    assert_eq!(test.from_kurrent("other-s-1"), None);
    assert_eq!(test.filter_prefixes(), vec!["t1a2-"]);

    let both = Names::new("prov19-", &["unit-".to_owned()]).expect("valid");
    assert_eq!(both.filter_prefixes(), vec!["prov19-unit-"]);
    assert_eq!(both.from_kurrent("prov19-fonds-1"), None);
    assert_ne!(both.identity(), prod.identity());

    assert!(Names::new("", &[]).is_err(), "never all of $all");
    assert!(Names::new("", &[String::new()]).is_err());
    assert!(Names::new("$", &[]).is_err());
}

#[test]
fn kurrent_positions_store_as_two_integers_and_order_by_commit_then_prepare() {
    let p = Position {
        commit: 1 << 40,
        prepare: (1 << 40) + 17,
    };
    let (c, q) = position_to_sql(p).expect("fits");
    assert_eq!(position_from_sql(c, q), p);
    assert!(position_to_sql(Position::end()).is_err());
    let a = Position {
        commit: 10,
        prepare: 10,
    };
    let b = Position {
        commit: 10,
        prepare: 12,
    };
    let c = Position {
        commit: 11,
        prepare: 0,
    };
    assert!(a < b && b < c);
}

#[test]
fn the_default_prefixes_own_every_stream_the_service_writes_the_audit_log_included() {
    // Without `audit-`, the refusals the command pipeline keeps in `audit-{date}` were refused
    // by the KurrentDB backend, and the access read model never saw one.
    let config = crate::kurrentdb::KurrentConfig::new("kurrentdb://localhost:2113");
    let names = Names::new(&config.namespace, &config.stream_prefixes).expect("valid");
    for stream in [
        "fonds-066-UB",
        "unit-066",
        "token-0190a000-0000-7000-8000-000000000001",
        "audit-2026-12-05",
    ] {
        assert!(names.owns(stream), "{stream}");
    }
}
