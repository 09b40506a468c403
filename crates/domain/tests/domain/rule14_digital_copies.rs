//! Rule 14: digital copies. A copy is attached to a file that exists and is not destroyed (in a
//! closed fonds too: archivists digitise closed fonds), with a fresh id and bytes that are not
//! already the file's current copy; a copy replaced is kept, marked replaced, and cannot be
//! replaced again; a destruction deletes every copy of its files and keeps their checksums.

use bangiao_domain::fonds::*;
use bangiao_domain::values::*;
use uuid::Uuid;

use crate::fixtures::*;

fn copy_id(n: u128) -> CopyId {
    CopyId::from_uuid(Uuid::from_u128(n))
}

fn digest(n: u8) -> Sha256Hex {
    Sha256Hex::parse(&format!("{n:02x}").repeat(32)).expect("valid")
}

fn attach(n: u128, file: u32) -> AttachCopy {
    AttachCopy {
        file_code: code(file),
        copy_id: copy_id(n),
        sha256: digest(n as u8),
        size_bytes: 4_096,
        format: CopyFormat::Pdf,
        pages: Some(3),
        dpi: None,
        original_name: Some(Name::parse("scan.pdf").expect("valid")),
        digitised_by: user("clerk-1"),
        digitised_on: day(2025, 8, 1),
        replaces: None,
    }
}

fn attached(n: u128, file: u32) -> FondsEvent {
    CopyAttached {
        file_code: code(file).to_string(),
        copy_id: copy_id(n).to_string(),
        sha256: digest(n as u8).to_string(),
        size_bytes: 4_096,
        format: "pdf".into(),
        pages: Some(3),
        dpi: None,
        original_name: Some("scan.pdf".into()),
        digitised_by: "clerk-1".into(),
        digitised_on: day(2025, 8, 1),
    }
    .into()
}

fn document(n: u128, file: u32) -> RecordDocument {
    RecordDocument {
        file_code: code(file),
        copy_id: copy_id(n),
        sha256: digest(n as u8),
        size_bytes: 2_048,
        format: CopyFormat::Pdf,
        original_name: None,
        number: Some(DocumentNumber::parse("125").expect("valid")),
        notation: Some(DocumentNumber::parse("UBND-VP").expect("valid")),
        issued_on: day(2020, 3, 2),
        issuer: Name::parse("UBND huyện Pác Nặm").expect("valid"),
        summary: Title::parse("V/v báo cáo công tác lưu trữ").expect("valid"),
        pages: Some(2),
        language: Name::parse("Tiếng Việt").expect("valid"),
        confidence_level: Some(ConfidenceLevel::BornDigital),
        recorded_by: user("clerk-1"),
        recorded_on: day(2025, 8, 2),
        replaces: None,
    }
}

#[test]
fn a_scan_is_attached_to_a_recorded_file_of_a_closed_fonds() {
    fonds(closed_with_files(&[1]))
        .when(attach(1, 1))
        .then_expect(vec![attached(1, 1)]);
    fonds(closed_with_files(&[1]))
        .when(attach(1, 2))
        .then_expect_error("file_not_found");
}

#[test]
fn a_born_digital_document_keeps_its_tt05_metadata() {
    let state = fonds(closed_with_files(&[1])).when(document(2, 1));
    let recorded = DocumentRecorded {
        file_code: code(1).to_string(),
        copy_id: copy_id(2).to_string(),
        sha256: digest(2).to_string(),
        size_bytes: 2_048,
        format: "pdf".into(),
        original_name: None,
        number: Some("125".into()),
        notation: Some("UBND-VP".into()),
        issued_on: day(2020, 3, 2),
        issuer: "UBND huyện Pác Nặm".into(),
        summary: "V/v báo cáo công tác lưu trữ".into(),
        pages: Some(2),
        language: "Tiếng Việt".into(),
        confidence_level: Some("01".into()),
        recorded_by: "clerk-1".into(),
        recorded_on: day(2025, 8, 2),
    };
    state.then_expect(vec![recorded.into()]);
}

#[test]
fn a_copy_id_is_used_once_and_the_same_bytes_are_not_attached_twice() {
    let history = with(closed_with_files(&[1, 2]), [attached(1, 1)]);
    fonds(history.clone())
        .when(AttachCopy {
            sha256: digest(9),
            ..attach(1, 2)
        })
        .then_expect_error("already_exists");
    fonds(history.clone())
        .when(AttachCopy {
            copy_id: copy_id(5),
            ..attach(1, 1)
        })
        .then_expect_error("already_exists");
    // The same bytes may be another file's copy.
    fonds(history)
        .when(AttachCopy {
            copy_id: copy_id(5),
            ..attach(1, 2)
        })
        .then_expect(vec![
            CopyAttached {
                copy_id: copy_id(5).to_string(),
                ..copy_attached(1, 2)
            }
            .into(),
        ]);
}

fn copy_attached(n: u128, file: u32) -> CopyAttached {
    match attached(n, file) {
        FondsEvent::CopyAttached(e) => e,
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_empty_copy_is_refused() {
    fonds(closed_with_files(&[1]))
        .when(AttachCopy {
            size_bytes: 0,
            ..attach(1, 1)
        })
        .then_expect_error("invalid_value");
}

#[test]
fn a_replaced_copy_is_kept_and_cannot_be_replaced_again() {
    let history = with(closed_with_files(&[1, 2]), [attached(1, 1)]);
    let replace = AttachCopy {
        replaces: Some(copy_id(1)),
        ..attach(2, 1)
    };
    let replaced: FondsEvent = CopyReplaced {
        file_code: code(1).to_string(),
        copy_id: copy_id(1).to_string(),
        replaced_by: copy_id(2).to_string(),
        replaced_on: day(2025, 8, 1),
    }
    .into();
    fonds(history.clone())
        .when(replace.clone())
        .then_expect(vec![attached(2, 1), replaced.clone()]);
    let state = fonds(with(history.clone(), [attached(2, 1), replaced.clone()])).state();
    assert_eq!(
        state.copy(&copy_id(1)).map(|c| c.status),
        Some(CopyStatus::Replaced)
    );
    assert_eq!(state.copies_of(&code(1)).count(), 2);
    fonds(with(history.clone(), [attached(2, 1), replaced]))
        .when(AttachCopy {
            replaces: Some(copy_id(1)),
            ..attach(3, 1)
        })
        .then_expect_error("copy_not_current");
    // Only a copy of the same file is replaced.
    fonds(history)
        .when(AttachCopy {
            replaces: Some(copy_id(1)),
            ..attach(2, 2)
        })
        .then_expect_error("not_found");
}

#[test]
fn a_destroyed_file_gets_no_copy_and_its_copies_are_tombstoned() {
    let history = with(
        vec![opened(), expired_file(1).into(), expired_file(2).into()],
        [
            attached(1, 1),
            attached(2, 2),
            proposed(1, &[1]),
            approved(1),
        ],
    );
    let tombstone = CopyTombstone {
        file_code: code(1).to_string(),
        copy_id: copy_id(1).to_string(),
        sha256: digest(1).to_string(),
        size_bytes: 4_096,
    };
    let executed_with_copies: FondsEvent = DestructionExecuted {
        deleted_copies: vec![tombstone],
        ..destruction_executed(1)
    }
    .into();
    fonds(history.clone())
        .when(execute(1))
        .then_expect(vec![executed_with_copies.clone()]);
    let after = with(history, [executed_with_copies]);
    let state = fonds(after.clone()).state();
    assert_eq!(
        state.copy(&copy_id(1)).map(|c| c.status),
        Some(CopyStatus::Deleted)
    );
    assert_eq!(
        state.copy(&copy_id(2)).map(|c| c.status),
        Some(CopyStatus::Current)
    );
    fonds(after)
        .when(attach(3, 1))
        .then_expect_error("file_destroyed");
}

#[test]
fn a_held_file_keeps_its_copies() {
    let history = with(
        vec![opened(), expired_file(1).into()],
        [
            attached(1, 1),
            proposed(1, &[1]),
            approved(1),
            hold_placed(1, &[1]),
        ],
    );
    fonds(history)
        .when(execute(1))
        .then_expect_error("file_on_hold");
}

#[test]
fn a_copy_is_not_dated_in_the_future() {
    let mut command = attach(1, 1);
    command.digitised_on = day(2030, 1, 1);
    let refused = FondsCommand::from(command).check_dates(day(2025, 9, 1));
    assert_eq!(refused.map_err(|e| e.code()), Err("date_in_future"));
}
