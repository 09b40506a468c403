//! The protobuf events and the stored JSON events stay in step: every stored event type has a
//! protobuf message, and each converts JSON → protobuf → bytes → protobuf → JSON without losing
//! a field. The samples fill every optional field and list, and a test checks through the
//! descriptors that every field of every event message is exercised by some sample.

use std::collections::BTreeSet;

use bangiao_domain::{DomainEvent, FondsEvent, UnitEvent};
use bangiao_grpc::convert::{
    PUBLISHED_TYPES, metadata_to_json, metadata_to_proto, payload_to_json, payload_to_proto,
};
use bangiao_grpc::pb;
use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorSet};
use serde_json::Value;

const BASIS: &str = r#"{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":"Nghị quyết về việc sắp xếp đơn vị hành chính"}"#;

/// One payload of every stored event type (some types more than once), every optional field set.
fn samples() -> Vec<(&'static str, String)> {
    let b = BASIS;
    vec![
        ("UnitRegistered", format!(r#"{{"code":"066","name":"Huyện Pác Nặm","level":"district","unit_type":"district","parent":"11","valid_from":"2003-01-01","legal_basis":{b}}}"#)),
        ("UnitMergedInto", format!(r#"{{"successor":"01999","effective_on":"2025-07-01","legal_basis":{b},"merger_id":"00000000-0000-0000-0000-000000000001"}}"#)),
        ("UnitFormedByMerger", format!(r#"{{"code":"01999","name":"Xã Bằng Thành","level":"commune","unit_type":"commune","parent":"11","predecessors":["01960","01963"],"effective_on":"2025-07-01","legal_basis":{b},"merger_id":"00000000-0000-0000-0000-000000000001"}}"#)),
        ("UnitAbsorbed", format!(r#"{{"predecessors":["01960"],"effective_on":"2025-07-01","legal_basis":{b},"merger_id":"00000000-0000-0000-0000-000000000001"}}"#)),
        ("UnitSplitInto", format!(r#"{{"successors":["01997","01998"],"effective_on":"2025-07-01","legal_basis":{b},"split_id":"00000000-0000-0000-0000-000000000002"}}"#)),
        ("UnitFormedBySplit", format!(r#"{{"code":"01997","name":"Xã Bằng Thành","level":"commune","unit_type":"commune","parent":"11","predecessor":"01960","effective_on":"2025-07-01","legal_basis":{b},"split_id":"00000000-0000-0000-0000-000000000002"}}"#)),
        ("UnitEnded", format!(r#"{{"effective_on":"2025-07-01","legal_basis":{b},"reason":"tier_abolished"}}"#)),
        ("FondsOpened", r#"{"fonds_code":"UB-066","name":"Phông UBND huyện Pác Nặm","kind":"state","creator_organ_id":"000.00.07.H56","creator_name":"Ủy ban nhân dân huyện Pác Nặm","unit_code":"066","custodian":"UBND-066","opened_on":"2000-01-01"}"#.to_owned()),
        ("CreatorHistoryRecorded", r#"{"history":"Thành lập năm 2003.","recorded_on":"2025-07-02"}"#.to_owned()),
        ("FondsClosed", format!(r#"{{"closed_on":"2025-06-30","closing_act":{b}}}"#)),
        ("FileRecorded", r#"{"file_code":"000.00.07.H56.2020.01","title":"Hồ sơ số 1","start_date":"2020-01-01","end_date":"2020-12-31","retention":{"code":"07","years":5},"access":"02","carrier":"paper","box_number":"1","sheets":10,"language":"Tiếng Việt","notes":"Bản sao","custodian":"UBND-066","list_number":17}"#.to_owned()),
        ("FileCorrected", r#"{"file_code":"000.00.07.H56.2020.01","correction":{"field":"sheets","old_value":10,"new_value":12}}"#.to_owned()),
        ("FileCorrected", r#"{"file_code":"000.00.07.H56.2020.01","correction":{"field":"title","old_value":"Hồ sơ số 1","new_value":"Hồ sơ số một"}}"#.to_owned()),
        ("FileCorrected", r#"{"file_code":"000.00.07.H56.2020.01","correction":{"field":"notes","old_value":null,"new_value":"Bản chính"}}"#.to_owned()),
        ("FileCorrected", r#"{"file_code":"000.00.07.H56.2020.01","correction":{"field":"end_date","old_value":"2020-12-31","new_value":"2020-12-30"}}"#.to_owned()),
        ("FileRetentionAppraised", format!(r#"{{"file_code":"000.00.07.H56.2020.01","old_retention":{{"code":"01"}},"new_retention":{{"code":"07","years":10}},"decision":{b}}}"#)),
        ("FileRetentionAppraised", format!(r#"{{"file_code":"000.00.07.H56.2020.01","old_retention":{{"code":"07","years":10}},"new_retention":{{"code":"01"}},"decision":{b}}}"#)),
        ("FileDigitised", r#"{"file_code":"000.00.07.H56.2020.01","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":91226112,"format":"PDF/A-2b","digitised_on":"2025-08-01"}"#.to_owned()),
        ("FileMarkedMissing", r#"{"file_code":"000.00.07.H56.2020.01","noted_on":"2025-07-01"}"#.to_owned()),
        ("FileMarkedDamaged", r#"{"file_code":"000.00.07.H56.2020.01","description":"Rách bìa","noted_on":"2025-07-01"}"#.to_owned()),
        ("FileFound", r#"{"file_code":"000.00.07.H56.2020.01","found_on":"2025-07-05"}"#.to_owned()),
        ("FileFlaggedUnfinished", r#"{"file_code":"000.00.07.H56.2020.01","tasks":["Trả lời đơn","Lập biên bản"]}"#.to_owned()),
        ("FileDeclassified", format!(r#"{{"file_code":"000.00.07.H56.2020.02","new_access":"02","decision":{b}}}"#)),
        ("HandoverDrafted", format!(r#"{{"handover_id":"00000000-0000-0000-0000-000000000001","batch":{{"batch_id":"00000000-0000-0000-0000-000000000007","fonds_codes":["UB-066","UB-067"]}},"giving_custodian":"UBND-066","receiving_custodian":"SNV-11","giving_person":"giver-1","receiving_person":"receiver-1","legal_basis":{b},"file_codes":["000.00.07.H56.2020.01"],"declared_files":1,"declared_extent":{{"boxes":1,"sheets":10,"linear_mm":125}},"drafted_on":"2025-07-10"}}"#)),
        ("HandoverSigned", r#"{"handover_id":"00000000-0000-0000-0000-000000000001","signed_by":"giver-1","signed_on":"2025-07-11"}"#.to_owned()),
        ("HandoverReceived", r#"{"handover_id":"00000000-0000-0000-0000-000000000001","received_by":"receiver-1","received_on":"2025-07-12","discrepancies":[{"kind":"damaged","file_code":"000.00.07.H56.2020.01","description":"Ẩm"},{"kind":"missing","file_code":"000.00.07.H56.2020.02"},{"kind":"not_on_list","file_code":"000.00.07.H56.2020.09"}]}"#.to_owned()),
        ("HandoverCancelled", r#"{"handover_id":"00000000-0000-0000-0000-000000000002","cancelled_by":"giver-1","cancelled_on":"2025-07-11","reason":"Lập lại biên bản"}"#.to_owned()),
        ("TransferRegistered", r#"{"transfer_id":"00000000-0000-0000-0000-000000000001","batch":{"batch_id":"00000000-0000-0000-0000-000000000008","fonds_codes":["UB-066"]},"transferring_custodian":"UBND-066","archive":"LTLS-11","declared_kind":"party","file_codes":["000.00.07.H56.2020.01"],"registered_by":"giver-1","registered_on":"2025-08-01"}"#.to_owned()),
        ("TransferListAppraised", r#"{"transfer_id":"00000000-0000-0000-0000-000000000001","appraised_by":"archivist-1","appraised_on":"2025-08-15","outcome":"rejected","notes":"Thiếu mục lục"}"#.to_owned()),
        ("TransferAccepted", r#"{"transfer_id":"00000000-0000-0000-0000-000000000001","accepted_by":"archivist-1","accepted_on":"2025-09-01","accepted":["000.00.07.H56.2020.01"],"rejected":[{"file_code":"000.00.07.H56.2020.02","reason":"Chưa chỉnh lý"}]}"#.to_owned()),
        ("DestructionProposed", format!(r#"{{"destruction_id":"00000000-0000-0000-0000-000000000001","file_codes":["000.00.07.H56.2020.03"],"council_decision":{b},"proposed_by":"clerk-1","proposed_on":"2025-03-01"}}"#)),
        ("DestructionApproved", r#"{"destruction_id":"00000000-0000-0000-0000-000000000001","approved_by":"director-1","approved_on":"2025-03-10"}"#.to_owned()),
        ("DestructionExecuted", r#"{"destruction_id":"00000000-0000-0000-0000-000000000001","executed_by":"clerk-1","executed_on":"2025-03-20"}"#.to_owned()),
        ("DestructionCancelled", r#"{"destruction_id":"00000000-0000-0000-0000-000000000002","cancelled_by":"director-1","cancelled_on":"2025-03-05","reason":"Hội đồng xem xét lại"}"#.to_owned()),
        ("HoldPlaced", format!(r#"{{"hold_id":"00000000-0000-0000-0000-000000000001","reason":"dispute","file_codes":["000.00.07.H56.2020.03"],"legal_basis":{b},"placed_by":"inspector-1","placed_on":"2025-03-05"}}"#)),
        ("HoldLifted", r#"{"hold_id":"00000000-0000-0000-0000-000000000001","lifted_by":"inspector-1","lifted_on":"2025-03-08"}"#.to_owned()),
        ("DestructionExecuted", r#"{"destruction_id":"00000000-0000-0000-0000-000000000001","executed_by":"clerk-1","executed_on":"2025-03-20","deleted_copies":[{"file_code":"000.00.07.H56.2020.03","copy_id":"00000000-0000-0000-0000-000000000003","sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","size_bytes":4194304}]}"#.to_owned()),
        ("CopyAttached", r#"{"file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000001","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":4194304,"format":"tiff","pages":12,"dpi":300,"original_name":"ho-so-01.tif","digitised_by":"clerk-1","digitised_on":"2025-08-01"}"#.to_owned()),
        ("DocumentRecorded", r#"{"file_code":"000.00.07.H56.2020.02","copy_id":"00000000-0000-0000-0000-000000000002","sha256":"efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef","size_bytes":52113,"format":"pdf","original_name":"cv-125.pdf","number":"125","notation":"UBND-VP","issued_on":"2020-03-02","issuer":"Ủy ban nhân dân huyện Pác Nặm","summary":"V/v báo cáo công tác lưu trữ","pages":2,"language":"Tiếng Việt","confidence_level":"01","recorded_by":"clerk-1","recorded_on":"2025-08-02"}"#.to_owned()),
        ("CopyReplaced", r#"{"file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000001","replaced_by":"00000000-0000-0000-0000-000000000004","replaced_on":"2025-08-03"}"#.to_owned()),
    ]
}

fn stored_types() -> BTreeSet<&'static str> {
    UnitEvent::event_types()
        .iter()
        .chain(FondsEvent::event_types())
        .copied()
        .collect()
}

/// Removes `null` members of objects, recursively (an unset optional field).
fn without_nulls(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

/// JSON → domain event → stored JSON → protobuf → bytes → protobuf → JSON → domain event.
fn round_trip<E: DomainEvent + PartialEq + std::fmt::Debug>(event_type: &str, json: &str) {
    let event = E::from_payload(event_type, json)
        .unwrap_or_else(|e| panic!("{event_type}: the sample is not a valid stored payload: {e}"));
    let stored = event.to_payload();
    let payload = payload_to_proto(event_type, &stored)
        .unwrap_or_else(|e| panic!("{event_type}: no protobuf counterpart: {e}"));
    let bytes = pb::Event {
        event_type: event_type.to_owned(),
        payload: Some(payload),
        ..Default::default()
    }
    .encode_to_vec();
    let decoded = pb::Event::decode(bytes.as_slice()).expect("decodes");
    let (back_type, back_json) = payload_to_json(&decoded.payload.expect("payload survives"));
    assert_eq!(back_type, event_type);
    let read: Value = serde_json::from_str(&back_json).expect("JSON");
    let written: Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(
        without_nulls(read),
        without_nulls(written),
        "{event_type}: a field was lost or changed"
    );
    let back = E::from_payload(event_type, &back_json)
        .unwrap_or_else(|e| panic!("{event_type}: the protobuf JSON is not a stored payload: {e}"));
    assert_eq!(back, event, "{event_type}: the event changed on the way");
}

#[test]
fn every_stored_event_type_has_a_protobuf_message() {
    let published: BTreeSet<&str> = PUBLISHED_TYPES.iter().copied().collect();
    let missing: Vec<_> = stored_types().difference(&published).copied().collect();
    assert!(
        missing.is_empty(),
        "stored types without a protobuf message: {missing:?}"
    );
    let stale: Vec<_> = published.difference(&stored_types()).copied().collect();
    assert!(
        stale.is_empty(),
        "protobuf messages of no stored type: {stale:?}"
    );
    let sampled: BTreeSet<&str> = samples().iter().map(|(t, _)| *t).collect();
    assert_eq!(
        sampled,
        stored_types(),
        "every stored type needs a sample here"
    );
}

#[test]
fn every_event_converts_to_protobuf_and_back_without_loss() {
    for (event_type, json) in samples() {
        if UnitEvent::event_types().contains(&event_type) {
            round_trip::<UnitEvent>(event_type, &json);
        } else {
            round_trip::<FondsEvent>(event_type, &json);
        }
    }
}

#[test]
fn an_unknown_event_type_is_refused() {
    assert!(payload_to_proto("FileTeleported", "{}").is_err());
}

#[test]
fn a_payload_field_without_a_protobuf_field_is_refused() {
    let json = r#"{"file_code":"000.00.07.H56.2020.01","found_on":"2025-07-05","found_by":"x"}"#;
    assert!(payload_to_proto("FileFound", json).is_err());
}

#[test]
fn the_envelope_converts_without_loss() {
    let metadata = bangiao_store::EventMetadata {
        effective_on: chrono::NaiveDate::from_ymd_opt(2025, 7, 1),
        recorded_at: chrono::Utc::now(),
        actor: Some(bangiao_store::ActorRef::new(
            "clerk-1",
            "clerk",
            Some("066".into()),
        )),
        command_id: Some(uuid::Uuid::now_v7()),
        correlation_id: Some(uuid::Uuid::now_v7()),
        causation_id: Some(uuid::Uuid::now_v7()),
        legal_basis: Some(bangiao_store::LegalBasisRef {
            number: "203/2025/QH15".into(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 16).expect("date"),
            issuer: "Quốc hội".into(),
        }),
        // The request digest stays inside the service (it binds Idempotency-Keys); the
        // published envelope does not carry it.
        request_digest: None,
    };
    let json = serde_json::to_string(&metadata).expect("JSON");
    let proto = metadata_to_proto(&json).expect("converts");
    let decoded = pb::EventMetadata::decode(proto.encode_to_vec().as_slice()).expect("decodes");
    let back: bangiao_store::EventMetadata =
        serde_json::from_str(&metadata_to_json(&decoded)).expect("reads back");
    assert_eq!(back, metadata);
    let bare = bangiao_store::EventMetadata::recorded_now();
    let json = serde_json::to_string(&bare).expect("JSON");
    assert_eq!(
        metadata_to_json(&metadata_to_proto(&json).expect("converts")),
        json
    );
}

fn message<'a>(set: &'a FileDescriptorSet, name: &str) -> &'a DescriptorProto {
    set.file
        .iter()
        .flat_map(|f| &f.message_type)
        .find(|m| m.name() == name)
        .unwrap_or_else(|| panic!("no message {name}"))
}

/// Every field of `name` has a non-empty value in one of `values`, recursively into messages.
fn assert_exercised(set: &FileDescriptorSet, name: &str, values: &[&Value], path: &str) {
    for field in &message(set, name).field {
        let present: Vec<&Value> = values
            .iter()
            .filter_map(|v| v.get(field.name()))
            .filter(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
            .collect();
        assert!(
            !present.is_empty(),
            "{path}.{}: no sample sets this field, so its round trip is not checked",
            field.name()
        );
        if field.r#type() == Type::Message {
            let nested = field.type_name().rsplit('.').next().unwrap_or_default();
            let items: Vec<&Value> = if field.label() == Label::Repeated {
                present
                    .iter()
                    .filter_map(|v| v.as_array())
                    .flatten()
                    .collect()
            } else {
                present
            };
            if nested != "CorrectionValue" {
                assert_exercised(set, nested, &items, &format!("{path}.{}", field.name()));
            }
        }
    }
}

#[test]
fn the_samples_exercise_every_field_of_every_event_message() {
    let set = FileDescriptorSet::decode(pb::FILE_DESCRIPTOR_SET).expect("descriptors");
    let samples = samples();
    for event_type in stored_types() {
        let values: Vec<Value> = samples
            .iter()
            .filter(|(t, _)| *t == event_type)
            .map(|(_, json)| serde_json::from_str(json).expect("JSON"))
            .collect();
        let refs: Vec<&Value> = values.iter().collect();
        assert_exercised(&set, event_type, &refs, event_type);
    }
}
