//! The stored JSON of every event type: a refactor must never change it silently. If a test
//! here fails, the change needs a new schema version and an upcaster, not a new expected string.

use std::collections::BTreeSet;

use bangiao_domain::{DecodeError, DomainEvent, FondsEvent, UnitEvent};

use crate::json_examples::{fixity_examples, fonds_examples, unit_examples};

const FONDS_PAYLOADS: &[(&str, &str)] = &[
    (
        "FondsOpened",
        r#"{"fonds_code":"UB-066","name":"Phông UBND huyện Pác Nặm","kind":"state","creator_organ_id":"000.00.07.H56","creator_name":"Ủy ban nhân dân huyện Pác Nặm","unit_code":"066","custodian":"UBND-066","opened_on":"2000-01-01"}"#,
    ),
    (
        "CreatorHistoryRecorded",
        r#"{"history":"Thành lập năm 2003.","recorded_on":"2025-07-02"}"#,
    ),
    (
        "FondsClosed",
        r#"{"closed_on":"2025-06-30","closing_act":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null}}"#,
    ),
    (
        "FileRecorded",
        r#"{"file_code":"000.00.07.H56.2020.01","title":"Hồ sơ số 1","start_date":"2020-01-01","end_date":"2020-12-31","retention":{"code":"01"},"access":"01","carrier":"paper","box_number":"1","sheets":10,"language":"Tiếng Việt","notes":null,"custodian":"UBND-066"}"#,
    ),
    (
        "FileRecorded",
        r#"{"file_code":"000.00.07.H56.2020.02","title":"Hồ sơ số 2","start_date":"2020-01-01","end_date":"2020-12-31","retention":{"code":"07","years":5},"access":"03","carrier":"electronic","box_number":null,"sheets":null,"language":"Tiếng Việt","notes":"Bản sao","custodian":"UBND-066","list_number":17}"#,
    ),
    (
        "FileCorrected",
        r#"{"file_code":"000.00.07.H56.2020.01","correction":{"field":"sheets","old_value":10,"new_value":12}}"#,
    ),
    (
        "FileRetentionAppraised",
        r#"{"file_code":"000.00.07.H56.2020.01","old_retention":{"code":"01"},"new_retention":{"code":"02"},"decision":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null}}"#,
    ),
    (
        "FileDigitised",
        r#"{"file_code":"000.00.07.H56.2020.01","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":91226112,"format":"PDF/A-2b","digitised_on":"2025-08-01"}"#,
    ),
    (
        "FileMarkedMissing",
        r#"{"file_code":"000.00.07.H56.2020.01","noted_on":"2025-07-01"}"#,
    ),
    (
        "FileMarkedDamaged",
        r#"{"file_code":"000.00.07.H56.2020.01","description":"Rách bìa","noted_on":"2025-07-01"}"#,
    ),
    (
        "FileFound",
        r#"{"file_code":"000.00.07.H56.2020.01","found_on":"2025-07-05"}"#,
    ),
    (
        "FileFlaggedUnfinished",
        r#"{"file_code":"000.00.07.H56.2020.01","tasks":["Trả lời đơn"]}"#,
    ),
    (
        "FileDeclassified",
        r#"{"file_code":"000.00.07.H56.2020.02","new_access":"02","decision":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null}}"#,
    ),
    (
        "HandoverDrafted",
        r#"{"handover_id":"00000000-0000-0000-0000-000000000001","batch":{"batch_id":"00000000-0000-0000-0000-000000000007","fonds_codes":["UB-066"]},"giving_custodian":"UBND-066","receiving_custodian":"SNV-11","giving_person":"giver-1","receiving_person":"receiver-1","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"file_codes":["000.00.07.H56.2020.01"],"declared_files":1,"declared_extent":{"boxes":1,"sheets":10,"linear_mm":100},"drafted_on":"2025-07-10"}"#,
    ),
    (
        "HandoverSigned",
        r#"{"handover_id":"00000000-0000-0000-0000-000000000001","signed_by":"giver-1","signed_on":"2025-07-11"}"#,
    ),
    (
        "HandoverReceived",
        r#"{"handover_id":"00000000-0000-0000-0000-000000000001","received_by":"receiver-1","received_on":"2025-07-12","discrepancies":[{"kind":"damaged","file_code":"000.00.07.H56.2020.01","description":"Ẩm"},{"kind":"not_on_list","file_code":"000.00.07.H56.2020.09"}]}"#,
    ),
    (
        "HandoverCancelled",
        r#"{"handover_id":"00000000-0000-0000-0000-000000000002","cancelled_by":"giver-1","cancelled_on":"2025-07-11","reason":"Lập lại biên bản"}"#,
    ),
    (
        "TransferRegistered",
        r#"{"transfer_id":"00000000-0000-0000-0000-000000000001","batch":null,"transferring_custodian":"UBND-066","archive":"LTLS-11","declared_kind":"state","file_codes":["000.00.07.H56.2020.01"],"registered_by":"giver-1","registered_on":"2025-08-01"}"#,
    ),
    (
        "TransferListAppraised",
        r#"{"transfer_id":"00000000-0000-0000-0000-000000000001","appraised_by":"archivist-1","appraised_on":"2025-08-15","outcome":"approved","notes":null}"#,
    ),
    (
        "TransferAccepted",
        r#"{"transfer_id":"00000000-0000-0000-0000-000000000001","accepted_by":"archivist-1","accepted_on":"2025-09-01","accepted":["000.00.07.H56.2020.01"],"rejected":[{"file_code":"000.00.07.H56.2020.02","reason":"Chưa chỉnh lý"}]}"#,
    ),
    (
        "DestructionProposed",
        r#"{"destruction_id":"00000000-0000-0000-0000-000000000001","file_codes":["000.00.07.H56.2020.03"],"council_decision":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"proposed_by":"clerk-1","proposed_on":"2025-03-01"}"#,
    ),
    (
        "DestructionApproved",
        r#"{"destruction_id":"00000000-0000-0000-0000-000000000001","approved_by":"director-1","approved_on":"2025-03-10"}"#,
    ),
    (
        "DestructionExecuted",
        r#"{"destruction_id":"00000000-0000-0000-0000-000000000001","executed_by":"clerk-1","executed_on":"2025-03-20"}"#,
    ),
    (
        "DestructionCancelled",
        r#"{"destruction_id":"00000000-0000-0000-0000-000000000002","cancelled_by":"director-1","cancelled_on":"2025-03-05","reason":"Hội đồng xem xét lại"}"#,
    ),
    (
        "HoldPlaced",
        r#"{"hold_id":"00000000-0000-0000-0000-000000000001","reason":"inspection","file_codes":["000.00.07.H56.2020.03"],"legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"placed_by":"inspector-1","placed_on":"2025-03-05"}"#,
    ),
    (
        "HoldLifted",
        r#"{"hold_id":"00000000-0000-0000-0000-000000000001","lifted_by":"inspector-1","lifted_on":"2025-03-08"}"#,
    ),
    (
        "DestructionExecuted",
        r#"{"destruction_id":"00000000-0000-0000-0000-000000000002","executed_by":"clerk-1","executed_on":"2025-03-20","deleted_copies":[{"file_code":"000.00.07.H56.2020.03","copy_id":"00000000-0000-0000-0000-000000000003","sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","size_bytes":4194304}]}"#,
    ),
    (
        "CopyAttached",
        r#"{"file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000001","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":4194304,"format":"pdf","pages":12,"dpi":null,"original_name":"ho-so-01.pdf","digitised_by":"clerk-1","digitised_on":"2025-08-01"}"#,
    ),
    (
        "DocumentRecorded",
        r#"{"file_code":"000.00.07.H56.2020.02","copy_id":"00000000-0000-0000-0000-000000000002","sha256":"efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef","size_bytes":52113,"format":"pdf","original_name":"cv-125.pdf","number":"125","notation":"UBND-VP","issued_on":"2020-03-02","issuer":"Ủy ban nhân dân huyện Pác Nặm","summary":"V/v báo cáo công tác lưu trữ","pages":2,"language":"Tiếng Việt","confidence_level":"01","recorded_by":"clerk-1","recorded_on":"2025-08-02"}"#,
    ),
    (
        "CopyReplaced",
        r#"{"file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000001","replaced_by":"00000000-0000-0000-0000-000000000004","replaced_on":"2025-08-03"}"#,
    ),
];

const FIXITY_PAYLOADS: &[(&str, &str)] = &[
    (
        "FixityChecked",
        r#"{"run_id":"00000000-0000-0000-0000-000000000009","results":[{"fonds_code":"UB-066","file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000001","sha256":"abababababababababababababababababababababababababababababababab","verdict":"intact"},{"fonds_code":"UB-066","file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000002","sha256":"abababababababababababababababababababababababababababababababab","verdict":"missing"},{"fonds_code":"UB-066","file_code":"000.00.07.H56.2020.01","copy_id":"00000000-0000-0000-0000-000000000003","sha256":"abababababababababababababababababababababababababababababababab","verdict":"altered","actual_sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","actual_size":4194304}]}"#,
    ),
    (
        "FixityRunCompleted",
        r#"{"run_id":"00000000-0000-0000-0000-000000000009","started_at":"2025-09-01T01:00:00Z","finished_at":"2025-09-01T02:00:00Z","sample_percent":100,"checked":3,"bytes":8388608,"intact":1,"missing":1,"altered":1}"#,
    ),
];

const UNIT_PAYLOADS: &[(&str, &str)] = &[
    (
        "UnitRegistered",
        r#"{"code":"066","name":"Huyện Pác Nặm","level":"district","unit_type":"district","parent":"11","valid_from":"2003-01-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null}}"#,
    ),
    (
        "UnitMergedInto",
        r#"{"successor":"01999","effective_on":"2025-07-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"merger_id":"00000000-0000-0000-0000-000000000001"}"#,
    ),
    (
        "UnitFormedByMerger",
        r#"{"code":"01999","name":"Xã Bằng Thành","level":"commune","unit_type":"commune","parent":"11","predecessors":["01960","01963"],"effective_on":"2025-07-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"merger_id":"00000000-0000-0000-0000-000000000001"}"#,
    ),
    (
        "UnitAbsorbed",
        r#"{"predecessors":["01960"],"effective_on":"2025-07-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"merger_id":"00000000-0000-0000-0000-000000000001"}"#,
    ),
    (
        "UnitSplitInto",
        r#"{"successors":["01997","01998"],"effective_on":"2025-07-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"split_id":"00000000-0000-0000-0000-000000000002"}"#,
    ),
    (
        "UnitFormedBySplit",
        r#"{"code":"01997","name":"Xã Bằng Thành","level":"commune","unit_type":"commune","parent":"11","predecessor":"01960","effective_on":"2025-07-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"split_id":"00000000-0000-0000-0000-000000000002"}"#,
    ),
    (
        "UnitEnded",
        r#"{"effective_on":"2025-07-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null},"reason":"tier_abolished"}"#,
    ),
];

fn assert_payloads<E: DomainEvent>(examples: &[E], expected: &[(&str, &str)]) {
    assert_eq!(examples.len(), expected.len());
    for (event, (event_type, payload)) in examples.iter().zip(expected) {
        assert_eq!(event.event_type(), *event_type);
        assert_eq!(event.to_payload(), *payload, "{event_type}");
        assert_eq!(event.schema_version(), 1, "{event_type}");
    }
}

fn assert_round_trip<E: DomainEvent + PartialEq + std::fmt::Debug>(examples: &[E]) {
    for event in examples {
        let read = E::from_payload(event.event_type(), &event.to_payload());
        assert_eq!(read.as_ref().ok(), Some(event), "{}", event.event_type());
    }
}

/// Every declared type has an example, and every example's type is declared, once.
fn assert_covered<E: DomainEvent>(examples: &[E]) {
    let declared: BTreeSet<&str> = E::event_types().iter().copied().collect();
    assert_eq!(
        declared.len(),
        E::event_types().len(),
        "a type name is declared twice"
    );
    let exemplified: BTreeSet<&str> = examples.iter().map(DomainEvent::event_type).collect();
    assert_eq!(exemplified, declared);
}

#[test]
fn fonds_payloads_are_the_stored_contract() {
    assert_payloads(&fonds_examples(), FONDS_PAYLOADS);
}

#[test]
fn unit_payloads_are_the_stored_contract() {
    assert_payloads(&unit_examples(), UNIT_PAYLOADS);
}

#[test]
fn fixity_payloads_are_the_stored_contract() {
    assert_payloads(&fixity_examples(), FIXITY_PAYLOADS);
    assert_round_trip(&fixity_examples());
    assert_covered(&fixity_examples());
}

#[test]
fn every_fonds_event_reads_back_as_written() {
    assert_round_trip(&fonds_examples());
}

#[test]
fn every_unit_event_reads_back_as_written() {
    assert_round_trip(&unit_examples());
}

#[test]
fn the_examples_cover_every_declared_event_type() {
    assert_covered(&fonds_examples());
    assert_covered(&unit_examples());
    assert_eq!(FondsEvent::event_types().len(), 28);
    assert_eq!(UnitEvent::event_types().len(), 7);
}

#[test]
fn an_unknown_event_type_is_refused() {
    let read = FondsEvent::from_payload("FondsReopened", "{}");
    assert!(matches!(read, Err(DecodeError::UnknownType(name)) if name == "FondsReopened"));
}

#[test]
fn unknown_fields_are_ignored_so_newer_writers_stay_readable() {
    let payload = r#"{"file_code":"000.00.07.H56.2020.01","found_on":"2025-07-05","found_by":"x"}"#;
    assert!(FondsEvent::from_payload("FileFound", payload).is_ok());
}

/// "Hồ sơ số" came later than the first stored files: a payload without it reads as a file
/// recorded from no list, and a file recorded so writes no `list_number` (the first
/// `FileRecorded` above), so the payloads stored before it are what would be written today.
#[test]
fn a_file_recorded_before_list_numbers_were_kept_reads_without_one() {
    let stored = FONDS_PAYLOADS
        .iter()
        .find(|(t, _)| *t == "FileRecorded")
        .map(|(_, p)| *p)
        .expect("a FileRecorded");
    assert!(!stored.contains("list_number"));
    let Ok(FondsEvent::FileRecorded(file)) = FondsEvent::from_payload("FileRecorded", stored)
    else {
        panic!("reads");
    };
    assert_eq!(file.list_number, None);
}

#[test]
fn invalid_values_in_a_payload_are_refused() {
    let payload = r#"{"file_code":"not a code","found_on":"2025-07-05"}"#;
    let read = FondsEvent::from_payload("FileFound", payload);
    assert!(matches!(read, Err(DecodeError::Payload { .. })));
}
