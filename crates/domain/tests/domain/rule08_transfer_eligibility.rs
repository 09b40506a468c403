//! Rule 8: only permanent, non-secret files held by the transferor go to a historical archive,
//! in a transfer of one fonds kind.

use bangiao_domain::fonds::*;
use bangiao_domain::values::*;
use uuid::Uuid;

use crate::fixtures::*;

#[test]
fn permanent_open_files_are_registered_for_transfer() {
    fonds(closed_with_files(&[1, 2]))
        .when(register_transfer(1, &[1, 2]))
        .then_expect(vec![transfer_registered(1, &[1, 2])]);
}

#[test]
fn a_fixed_term_file_is_refused() {
    let seventy_years = FileRecorded {
        retention: RetentionPeriod::fixed_term(70).expect("valid"),
        ..file(2)
    };
    fonds(closed_with([file(1), seventy_years]))
        .when(register_transfer(1, &[1, 2]))
        .then_expect_error("not_permanent");
}

#[test]
fn a_secret_file_is_refused_until_declassified() {
    let secret = FileRecorded {
        access: AccessRegime::Secret,
        ..file(1)
    };
    let history = closed_with([secret]);
    fonds(history.clone())
        .when(register_transfer(1, &[1]))
        .then_expect_error("secret_not_declassified");
    let declassified = FileDeclassified {
        file_code: code(1),
        new_access: AccessRegime::Conditional,
        decision: basis(),
    };
    fonds(with(history, [declassified.into()]))
        .when(register_transfer(1, &[1]))
        .then_expect(vec![transfer_registered(1, &[1])]);
}

#[test]
fn the_declared_kind_must_be_the_fonds_kind() {
    let party = RegisterTransfer {
        declared_kind: FondsKind::Party,
        ..register_transfer(1, &[1])
    };
    fonds(closed_with_files(&[1]))
        .when(party)
        .then_expect_error("mixed_fonds_kinds");
}

#[test]
fn the_transferor_must_hold_the_files() {
    let elsewhere = RegisterTransfer {
        transferring_custodian: custodian(RECEIVER),
        ..register_transfer(1, &[1])
    };
    fonds(closed_with_files(&[1]))
        .when(elsewhere)
        .then_expect_error("not_current_custodian");
}

#[test]
fn the_archive_is_not_the_transferor() {
    let to_itself = RegisterTransfer {
        archive: custodian(GIVER),
        ..register_transfer(1, &[1])
    };
    fonds(closed_with_files(&[1]))
        .when(to_itself)
        .then_expect_error("same_custodian");
}

#[test]
fn a_missing_file_is_refused() {
    let missing = FileMarkedMissing {
        file_code: code(1),
        noted_on: day(2025, 7, 1),
    };
    fonds(with(closed_with_files(&[1]), [missing.into()]))
        .when(register_transfer(1, &[1]))
        .then_expect_error("file_missing");
}

#[test]
fn a_batch_transfer_names_this_fonds() {
    let batch = |fonds_codes: &[&str]| Batch {
        batch_id: BatchId::from_uuid(Uuid::from_u128(7)),
        fonds_codes: fonds_codes
            .iter()
            .map(|c| FondsCode::parse(c).expect("valid"))
            .collect(),
    };
    let in_batch = RegisterTransfer {
        batch: Some(batch(&["UB-066", "UB-067"])),
        ..register_transfer(1, &[1])
    };
    let expected = transfer_registered_from(in_batch.clone());
    fonds(closed_with_files(&[1]))
        .when(in_batch)
        .then_expect(vec![expected]);
    let other_fonds = RegisterTransfer {
        batch: Some(batch(&["UB-067"])),
        ..register_transfer(1, &[1])
    };
    fonds(closed_with_files(&[1]))
        .when(other_fonds)
        .then_expect_error("fonds_not_in_batch");
}
