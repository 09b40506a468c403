//! What a request body cannot do: carry unknown fields, bad values, or the service's facts.

use bangiao_domain::fonds::*;
use bangiao_domain::unit::*;

use super::{BASIS, refused, uuid};
use crate::fixtures::*;

const RECORD_FILE: &str = r#"{"file_code":"000.00.07.H56.2020.01","title":"Hồ sơ số 1",
    "start_date":"2020-01-01","end_date":"2020-12-31","retention":{"code":"01"},
    "access":"01","carrier":"paper","box_number":"1","sheets":10,
    "language":"Tiếng Việt","custodian":"UBND-066"}"#;

const OPEN_FONDS: &str = r#"{"fonds_code":"UB-066","name":"Phông UBND huyện Pác Nặm",
    "kind":"state","creator_organ_id":"000.00.07.H56",
    "creator_name":"Ủy ban nhân dân huyện Pác Nặm","unit_code":"066","custodian":"UBND-066",
    "opened_on":"2000-01-01"}"#;

/// The record-file body with one piece of text replaced.
fn record_file_with(from: &str, to: &str) -> String {
    assert!(RECORD_FILE.contains(from), "{from}");
    RECORD_FILE.replacen(from, to, 1)
}

#[test]
fn the_sample_bodies_are_accepted() {
    assert!(serde_json::from_str::<RecordFile>(RECORD_FILE).is_ok());
    assert!(serde_json::from_str::<OpenFonds>(OPEN_FONDS).is_ok());
}

#[test]
fn an_unknown_field_is_refused_by_name() {
    let body = record_file_with(r#""sheets":10"#, r#""sheets":10,"pages":10"#);
    let message = refused::<RecordFile>(&body);
    assert!(
        message.starts_with("unknown field `pages`, expected one of"),
        "{message}"
    );
}

#[test]
fn a_misspelt_field_is_refused_not_dropped() {
    let body = record_file_with(r#""sheets":10"#, r#""sheets":10,"note":"Bản sao""#);
    assert!(refused::<RecordFile>(&body).starts_with("unknown field `note`"));
}

#[test]
fn a_missing_field_is_named() {
    let body = record_file_with(r#","end_date":"2020-12-31""#, "");
    assert!(refused::<RecordFile>(&body).starts_with("missing field `end_date`"));
}

#[test]
fn an_unknown_retention_code_is_refused_with_the_value_message() {
    let body = record_file_with(r#"{"code":"01"}"#, r#"{"code":"09"}"#);
    let message = refused::<RecordFile>(&body);
    assert!(
        message.starts_with(r#"retention: value "09" is not a known value"#),
        "{message}"
    );
}

#[test]
fn code_07_without_years_is_refused() {
    let body = record_file_with(r#"{"code":"01"}"#, r#"{"code":"07"}"#);
    let message = refused::<RecordFile>(&body);
    assert!(
        message.starts_with(r#"retention: value "07" is empty"#),
        "{message}"
    );
}

#[test]
fn a_file_code_with_a_space_is_refused_with_the_expected_form() {
    let body = record_file_with("H56.2020.01", "H56.2020.0 1");
    let message = refused::<RecordFile>(&body);
    assert!(
        message.starts_with(
            "file_code: value \"000.00.07.H56.2020.0 1\" is not in the expected form: \
             {organ id or fonds code}.{4-digit year}.{file notation}"
        ),
        "{message}"
    );
}

#[test]
fn a_malformed_end_date_is_refused() {
    for (date, expected) in [
        ("31/12/2020", "input contains invalid characters"),
        ("2020-13-01", "input is out of range"),
        ("2020-12", "premature end of input"),
    ] {
        let body = record_file_with("2020-12-31", date);
        let message = refused::<RecordFile>(&body);
        assert!(message.starts_with(expected), "{date}: {message}");
    }
}

#[test]
fn codes_and_names_outside_their_lists_are_refused() {
    let message = refused::<RecordFile>(&record_file_with(r#""access":"01""#, r#""access":"1""#));
    assert!(
        message.starts_with(r#"access: value "1" is not a known value"#),
        "{message}"
    );
    let message = refused::<RecordFile>(&record_file_with(r#""paper""#, r#""giấy""#));
    assert!(
        message.starts_with("unknown variant `giấy`, expected one of `paper`"),
        "{message}"
    );
    let message = refused::<RecordFile>(&record_file_with(r#""sheets":10"#, r#""sheets":-1"#));
    assert!(
        message.starts_with("invalid value: integer `-1`, expected u32"),
        "{message}"
    );
}

#[test]
fn an_id_that_is_not_a_uuid_is_refused() {
    let body = r#"{"handover_id":"bb-01","signed_by":"giver-1","signed_on":"2025-07-11"}"#;
    let message = refused::<SignHandover>(body);
    assert!(
        message.starts_with(r#"handover_id: value "bb-01" is not in the expected form: a UUID"#),
        "{message}"
    );
}

#[test]
fn an_unknown_discrepancy_kind_is_refused() {
    let body = format!(
        r#"{{"handover_id":"{}","received_by":"receiver-1","received_on":"2025-07-12",
        "discrepancies":[{{"kind":"stolen","file_code":"000.00.07.H56.2020.01"}}]}}"#,
        uuid(1)
    );
    assert!(refused::<ReceiveHandover>(&body).starts_with("unknown variant `stolen`"));
}

#[test]
fn a_caller_cannot_say_when_the_unit_ended() {
    let body = OPEN_FONDS.replacen("}", r#","unit_ended_on":"2025-07-01"}"#, 1);
    let message = refused::<OpenFonds>(&body);
    assert!(
        message.starts_with("unknown field `unit_ended_on`"),
        "{message}"
    );
    let written = serde_json::to_string(&open()).expect("serializes");
    assert!(!written.contains("unit_ended_on"), "{written}");
}

#[test]
fn a_caller_cannot_give_the_parent_level() {
    let body = format!(
        r#"{{"code":"01960","details":{{"name":"Xã Cao Tân","level":"commune",
        "unit_type":"commune","parent":"066","parent_level":"district"}},
        "valid_from":"2003-01-01","legal_basis":{BASIS}}}"#
    );
    let message = refused::<RegisterUnit>(&body);
    assert!(
        message.starts_with("unknown field `parent_level`"),
        "{message}"
    );
}

/// Legal bases, batches, extents, discrepancies and rejected files are also parts of stored
/// events, which ignore unknown fields so that old code can read newer events: inside them an
/// unknown field is ignored, also in a command. Only the command's own fields are strict.
#[test]
fn unknown_fields_inside_shared_event_types_are_ignored() {
    let basis = BASIS.replacen("{", r#"{"signed_by":"Chủ tịch","#, 1);
    let body = format!(r#"{{"closed_on":"2025-06-30","closing_act":{basis}}}"#);
    assert_eq!(
        serde_json::from_str::<CloseFonds>(&body).ok(),
        Some(close())
    );
}
