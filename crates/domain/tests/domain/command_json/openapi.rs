//! With feature `openapi`: the schemas of every command and event generate, every reference
//! resolves, and the schemas say what the JSON is (facts hidden, unknown fields refused).

use bangiao_domain::fonds::*;
use bangiao_domain::unit::*;
use serde_json::Value;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(components(schemas(
    OpenFonds,
    RecordCreatorHistory,
    CloseFonds,
    RecordFile,
    CorrectFile,
    AppraiseRetention,
    DigitiseFile,
    DeclassifyFile,
    MarkFileMissing,
    MarkFileDamaged,
    MarkFileFound,
    FlagUnfinished,
    DraftHandover,
    SignHandover,
    ReceiveHandover,
    CancelHandover,
    RegisterTransfer,
    AppraiseTransferList,
    AcceptTransfer,
    ProposeDestruction,
    ApproveDestruction,
    ExecuteDestruction,
    CancelDestruction,
    PlaceHold,
    LiftHold,
    RegisterUnit,
    EndUnit,
    MergeUnits,
    SplitUnit,
    FondsOpened,
    CreatorHistoryRecorded,
    FondsClosed,
    FileRecorded,
    FileCorrected,
    FileRetentionAppraised,
    FileDigitised,
    FileMarkedMissing,
    FileMarkedDamaged,
    FileFound,
    FileFlaggedUnfinished,
    FileDeclassified,
    HandoverDrafted,
    HandoverSigned,
    HandoverReceived,
    HandoverCancelled,
    TransferRegistered,
    TransferListAppraised,
    TransferAccepted,
    DestructionProposed,
    DestructionApproved,
    DestructionExecuted,
    DestructionCancelled,
    HoldPlaced,
    HoldLifted,
    UnitRegistered,
    UnitMergedInto,
    UnitFormedByMerger,
    UnitAbsorbed,
    UnitSplitInto,
    UnitFormedBySplit,
    UnitEnded,
)))]
struct Api;

fn spec() -> Value {
    let json = Api::openapi().to_json().expect("the spec serializes");
    serde_json::from_str(&json).expect("the spec is JSON")
}

fn schema(name: &str) -> Value {
    spec()["components"]["schemas"][name].clone()
}

fn property_names(schema: &Value) -> Vec<String> {
    let properties = schema["properties"].as_object().expect("an object schema");
    properties.keys().cloned().collect()
}

fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target.clone());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_to_a_component() {
    let spec = spec();
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 100, "{}", found.len());
    for target in found {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(spec["components"]["schemas"][name].is_object(), "{target}");
    }
}

#[test]
fn command_schemas_refuse_unknown_fields_and_hide_the_facts() {
    let open = schema("OpenFonds");
    assert_eq!(open["additionalProperties"], Value::Bool(false));
    assert!(!property_names(&open).contains(&"unit_ended_on".to_owned()));
    let details = schema("UnitDetails");
    assert_eq!(details["additionalProperties"], Value::Bool(false));
    assert_eq!(
        property_names(&details),
        ["level", "name", "parent", "unit_type"]
    );
}

#[test]
fn optional_fields_are_not_required() {
    let record = schema("RecordFile");
    let required: Vec<&str> = record["required"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(required.contains(&"file_code") && required.contains(&"retention"));
    assert!(!required.contains(&"notes") && !required.contains(&"box_number"));
}

#[test]
fn values_are_described_as_their_json() {
    assert_eq!(schema("FileCode")["type"], "string");
    assert_eq!(schema("FileCode")["maxLength"], 46);
    assert_eq!(schema("HandoverId")["format"], "uuid");
    assert_eq!(schema("AccessRegime")["enum"][2], "03");
    let retention = schema("RetentionPeriod");
    assert_eq!(retention["required"][0], "code");
    assert_eq!(retention["properties"]["code"]["enum"][6], "07");
    assert_eq!(schema("Carrier")["enum"][0], "paper");
    let file = schema("FileRecorded");
    assert_eq!(file["properties"]["end_date"]["format"], "date");
}

#[test]
fn tagged_enums_are_one_of_their_variants() {
    let discrepancy = schema("Discrepancy");
    let variants = discrepancy["oneOf"].as_array().expect("oneOf");
    assert_eq!(variants.len(), 3);
    let text = discrepancy.to_string();
    assert!(
        text.contains(r#""not_on_list""#) && text.contains(r#""kind""#),
        "{text}"
    );
    assert!(schema("Correction").to_string().contains(r#""field""#));
}
