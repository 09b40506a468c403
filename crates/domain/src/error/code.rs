//! Stable machine codes: clients branch on these, so a code never changes once published.

use super::DomainError;

impl DomainError {
    /// The stable snake_case code of this refusal, e.g. `"fonds_closed"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidValue(_) => "invalid_value",
            Self::AlreadyExists { .. } => "already_exists",
            Self::NotFound { .. } => "not_found",
            Self::FileNotFound { .. } => "file_not_found",
            Self::DuplicateInList { .. } => "duplicate_in_list",
            Self::EmptyList { .. } => "empty_list",
            Self::DateOutOfOrder { .. } => "date_out_of_order",
            Self::UnitEnded { .. } => "unit_ended",
            Self::TypeLevelMismatch { .. } => "type_level_mismatch",
            Self::InvalidParent { .. } => "invalid_parent",
            Self::LevelMismatch { .. } => "level_mismatch",
            Self::OwnSuccessor { .. } => "own_successor",
            Self::TooFewUnits { .. } => "too_few_units",
            Self::FondsClosed { .. } => "fonds_closed",
            Self::FondsNotClosed => "fonds_not_closed",
            Self::HandoverBeforeClosure { .. } => "handover_before_closure",
            Self::FileAfterClosure { .. } => "file_after_closure",
            Self::WrongFileCodePrefix { .. } => "wrong_file_code_prefix",
            Self::EndBeforeStart { .. } => "end_before_start",
            Self::NoChange { .. } => "no_change",
            Self::StaleValue { .. } => "stale_value",
            Self::FileInOpenHandover { .. } => "file_in_open_handover",
            Self::FileInOpenTransfer { .. } => "file_in_open_transfer",
            Self::FileInOpenDestruction { .. } => "file_in_open_destruction",
            Self::FileTransferred { .. } => "file_transferred",
            Self::FileDestroyed { .. } => "file_destroyed",
            Self::FileMissing { .. } => "file_missing",
            Self::FileNotMissing { .. } => "file_not_missing",
            Self::NotCurrentCustodian { .. } => "not_current_custodian",
            Self::SameCustodian { .. } => "same_custodian",
            Self::CountsMismatch { .. } => "counts_mismatch",
            Self::MixedUnfinishedWork { .. } => "mixed_unfinished_work",
            Self::FondsNotInBatch { .. } => "fonds_not_in_batch",
            Self::HandoverNotSigned { .. } => "handover_not_signed",
            Self::HandoverAlreadySigned { .. } => "handover_already_signed",
            Self::HandoverClosed { .. } => "handover_closed",
            Self::WrongSignatory { .. } => "wrong_signatory",
            Self::FileNotListed { .. } => "file_not_listed",
            Self::FileIsListed { .. } => "file_is_listed",
            Self::NotPermanent { .. } => "not_permanent",
            Self::SecretNotDeclassified { .. } => "secret_not_declassified",
            Self::MixedFondsKinds { .. } => "mixed_fonds_kinds",
            Self::TransferNotAppraised { .. } => "transfer_not_appraised",
            Self::TransferAlreadyAppraised { .. } => "transfer_already_appraised",
            Self::TransferListRejected { .. } => "transfer_list_rejected",
            Self::TransferClosed { .. } => "transfer_closed",
            Self::NotAPartition { .. } => "not_a_partition",
            Self::FilePermanent { .. } => "file_permanent",
            Self::RetentionNotExpired { .. } => "retention_not_expired",
            Self::SameApprover { .. } => "same_approver",
            Self::DestructionNotApproved { .. } => "destruction_not_approved",
            Self::DestructionAlreadyApproved { .. } => "destruction_already_approved",
            Self::DestructionClosed { .. } => "destruction_closed",
            Self::FileOnHold { .. } => "file_on_hold",
            Self::HoldAlreadyLifted { .. } => "hold_already_lifted",
            Self::CopyNotCurrent { .. } => "copy_not_current",
            Self::NotSecret { .. } => "not_secret",
            Self::NotFondsCustodian { .. } => "not_fonds_custodian",
            Self::DateTooEarly { .. } => "date_too_early",
            Self::DateInFuture { .. } => "date_in_future",
            Self::ParentNotInExistence { .. } => "parent_not_in_existence",
            Self::UnitEndsBeforeStart { .. } => "unit_ends_before_start",
            Self::SuccessorNotInExistence { .. } => "successor_not_in_existence",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::DomainError;
    use crate::error::{Act, CountKind, Entity, ListKind, RefusalClass, ValueError, ValueProblem};
    use crate::values::{
        CustodianId, DestructionId, FileCode, FondsCode, FondsKind, HandoverId, HoldId,
        RetentionPeriod, TransferId, UnitCode, UnitLevel, UnitType, UserId,
    };

    /// The position of each variant in [`all_variants`]; the exhaustive match makes a new
    /// variant fail to compile here until it is listed.
    fn position(error: &DomainError) -> usize {
        use DomainError as E;
        match error {
            E::InvalidValue(_) => 0,
            E::AlreadyExists { .. } => 1,
            E::NotFound { .. } => 2,
            E::FileNotFound { .. } => 3,
            E::DuplicateInList { .. } => 4,
            E::EmptyList { .. } => 5,
            E::DateOutOfOrder { .. } => 6,
            E::UnitEnded { .. } => 7,
            E::TypeLevelMismatch { .. } => 8,
            E::InvalidParent { .. } => 9,
            E::LevelMismatch { .. } => 10,
            E::OwnSuccessor { .. } => 11,
            E::TooFewUnits { .. } => 12,
            E::FondsClosed { .. } => 13,
            E::FondsNotClosed => 14,
            E::HandoverBeforeClosure { .. } => 15,
            E::FileAfterClosure { .. } => 16,
            E::WrongFileCodePrefix { .. } => 17,
            E::EndBeforeStart { .. } => 18,
            E::NoChange { .. } => 19,
            E::StaleValue { .. } => 20,
            E::FileInOpenHandover { .. } => 21,
            E::FileInOpenTransfer { .. } => 22,
            E::FileInOpenDestruction { .. } => 23,
            E::FileTransferred { .. } => 24,
            E::FileDestroyed { .. } => 25,
            E::FileMissing { .. } => 26,
            E::FileNotMissing { .. } => 27,
            E::NotCurrentCustodian { .. } => 28,
            E::SameCustodian { .. } => 29,
            E::CountsMismatch { .. } => 30,
            E::MixedUnfinishedWork { .. } => 31,
            E::FondsNotInBatch { .. } => 32,
            E::HandoverNotSigned { .. } => 33,
            E::HandoverAlreadySigned { .. } => 34,
            E::HandoverClosed { .. } => 35,
            E::WrongSignatory { .. } => 36,
            E::FileNotListed { .. } => 37,
            E::FileIsListed { .. } => 38,
            E::NotPermanent { .. } => 39,
            E::SecretNotDeclassified { .. } => 40,
            E::MixedFondsKinds { .. } => 41,
            E::TransferNotAppraised { .. } => 42,
            E::TransferAlreadyAppraised { .. } => 43,
            E::TransferListRejected { .. } => 44,
            E::TransferClosed { .. } => 45,
            E::NotAPartition { .. } => 46,
            E::FilePermanent { .. } => 47,
            E::RetentionNotExpired { .. } => 48,
            E::SameApprover { .. } => 49,
            E::DestructionNotApproved { .. } => 50,
            E::DestructionAlreadyApproved { .. } => 51,
            E::DestructionClosed { .. } => 52,
            E::FileOnHold { .. } => 53,
            E::HoldAlreadyLifted { .. } => 54,
            E::NotSecret { .. } => 55,
            E::NotFondsCustodian { .. } => 56,
            E::DateTooEarly { .. } => 57,
            E::DateInFuture { .. } => 58,
            E::ParentNotInExistence { .. } => 59,
            E::UnitEndsBeforeStart { .. } => 60,
            E::SuccessorNotInExistence { .. } => 61,
            E::CopyNotCurrent { .. } => 62,
        }
    }

    /// One example of every variant, in the order of [`position`].
    fn all_variants() -> Vec<DomainError> {
        use DomainError as E;
        let file = FileCode::parse("000.00.07.H56.2020.01").expect("valid file code");
        let unit = UnitCode::parse("066").expect("valid unit code");
        let date = NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date");
        let custodian = CustodianId::parse("UBND-06601").expect("valid custodian");
        let other = CustodianId::parse("LTLS-11").expect("valid custodian");
        let user = UserId::parse("clerk-1").expect("valid user");
        let handover = HandoverId::from_uuid(Uuid::nil());
        let transfer = TransferId::from_uuid(Uuid::nil());
        let destruction = DestructionId::from_uuid(Uuid::nil());
        let hold = HoldId::from_uuid(Uuid::nil());
        vec![
            E::InvalidValue(ValueError::new("unit_code", "x", ValueProblem::Unknown)),
            E::AlreadyExists {
                what: Entity::Fonds,
                id: "066".into(),
            },
            E::NotFound {
                what: Entity::Hold,
                id: hold.to_string(),
            },
            E::FileNotFound { file: file.clone() },
            E::DuplicateInList {
                list: ListKind::Files,
                item: file.to_string(),
            },
            E::EmptyList {
                list: ListKind::Files,
            },
            E::DateOutOfOrder {
                act: Act::HandoverReceipt,
                date,
                earliest: date,
            },
            E::UnitEnded {
                unit: unit.clone(),
                ended_on: date,
            },
            E::TypeLevelMismatch {
                unit_type: UnitType::Ward,
                level: UnitLevel::District,
            },
            E::InvalidParent {
                level: UnitLevel::Province,
                parent_level: None,
            },
            E::LevelMismatch {
                unit: unit.clone(),
                level: UnitLevel::District,
                expected: UnitLevel::Commune,
            },
            E::OwnSuccessor { unit },
            E::TooFewUnits {
                list: ListKind::Predecessors,
                given: 1,
            },
            E::FondsClosed { closed_on: date },
            E::FondsNotClosed,
            E::HandoverBeforeClosure {
                drafted_on: date,
                closed_on: date,
            },
            E::FileAfterClosure {
                file: file.clone(),
                end_date: date,
                closed_on: date,
            },
            E::WrongFileCodePrefix {
                file: file.clone(),
                expected: "066".into(),
            },
            E::EndBeforeStart {
                start_date: date,
                end_date: date,
            },
            E::NoChange { file: file.clone() },
            E::StaleValue {
                file: file.clone(),
                field: "title",
            },
            E::FileInOpenHandover {
                file: file.clone(),
                handover,
            },
            E::FileInOpenTransfer {
                file: file.clone(),
                transfer,
            },
            E::FileInOpenDestruction {
                file: file.clone(),
                destruction,
            },
            E::FileTransferred { file: file.clone() },
            E::FileDestroyed { file: file.clone() },
            E::FileMissing { file: file.clone() },
            E::FileNotMissing { file: file.clone() },
            E::NotCurrentCustodian {
                file: file.clone(),
                custodian: custodian.clone(),
                claimed: other,
            },
            E::SameCustodian { custodian },
            E::CountsMismatch {
                count: CountKind::Sheets,
                declared: 10,
                actual: 12,
            },
            E::MixedUnfinishedWork {
                unfinished: 1,
                finished: 2,
            },
            E::FondsNotInBatch {
                fonds: FondsCode::parse("066").expect("valid fonds code"),
            },
            E::HandoverNotSigned { handover },
            E::HandoverAlreadySigned { handover },
            E::HandoverClosed { handover },
            E::WrongSignatory {
                expected: user.clone(),
                given: user.clone(),
            },
            E::FileNotListed { file: file.clone() },
            E::FileIsListed { file: file.clone() },
            E::NotPermanent {
                file: file.clone(),
                retention: RetentionPeriod::fixed_term(10).expect("valid"),
            },
            E::SecretNotDeclassified { file: file.clone() },
            E::MixedFondsKinds {
                declared: FondsKind::State,
                fonds: FondsKind::Party,
            },
            E::TransferNotAppraised { transfer },
            E::TransferAlreadyAppraised { transfer },
            E::TransferListRejected { transfer },
            E::TransferClosed { transfer },
            E::NotAPartition {
                missing: vec![file.clone()],
            },
            E::FilePermanent { file: file.clone() },
            E::RetentionNotExpired {
                file: file.clone(),
                expires_on: date,
            },
            E::SameApprover { person: user },
            E::DestructionNotApproved { destruction },
            E::DestructionAlreadyApproved { destruction },
            E::DestructionClosed { destruction },
            E::FileOnHold {
                file: file.clone(),
                hold,
            },
            E::HoldAlreadyLifted { hold },
            E::NotSecret { file },
            E::NotFondsCustodian {
                custodian: CustodianId::parse("UBND-06601").expect("valid custodian"),
                claimed: CustodianId::parse("LTLS-19").expect("valid custodian"),
            },
            E::DateTooEarly {
                field: "start_date",
                date,
                earliest: date,
            },
            E::DateInFuture {
                field: "end_date",
                date,
                today: date,
            },
            E::ParentNotInExistence {
                parent: UnitCode::parse("066").expect("valid unit code"),
                starts_on: date,
                parent_from: date,
                parent_ended_on: Some(date),
            },
            E::UnitEndsBeforeStart {
                unit: UnitCode::parse("06601").expect("valid unit code"),
                act: Act::UnitEnd,
                effective_on: date,
                valid_from: date,
            },
            E::SuccessorNotInExistence {
                successor: UnitCode::parse("06601").expect("valid unit code"),
                effective_on: date,
                valid_from: date,
            },
            E::CopyNotCurrent {
                copy: crate::values::CopyId::from_uuid(uuid::Uuid::nil()),
            },
        ]
    }

    #[test]
    fn the_example_list_names_every_variant_once() {
        let positions: Vec<usize> = all_variants().iter().map(position).collect();
        let expected: Vec<usize> = (0..positions.len()).collect();
        assert_eq!(positions, expected);
    }

    #[test]
    fn every_code_is_unique_and_snake_case() {
        let mut seen = HashSet::new();
        for error in all_variants() {
            let code = error.code();
            assert!(seen.insert(code), "code {code} used twice");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "code {code} is not snake_case"
            );
        }
    }

    #[test]
    fn every_variant_has_distinct_vietnamese_and_english_messages() {
        for error in all_variants() {
            let (vi, en) = (error.message_vi(), error.message_en());
            assert!(!vi.is_empty() && !en.is_empty(), "{}", error.code());
            assert_ne!(vi, en, "{}", error.code());
            assert_eq!(en, error.to_string());
        }
    }

    /// The class of every refusal as the HTTP edge gave it before the class lived here (the
    /// server's old `STATE_CONFLICTS` list and its `not_found`/`file_not_found` match).
    ///
    /// How a new refusal without a class fails: `DomainError::class` (error/class.rs) matches
    /// every variant with no wildcard, so a new variant stops the build of `bangiao-domain` with
    /// `error[E0004]: non-exhaustive patterns: &DomainError::New not covered` until it has a
    /// class. Once it has one, `position` and `all_variants` above must list it, which changes
    /// the counts in `every_refusal_keeps_its_class`: that test fails until the new code's class
    /// is pinned here (or counted as invalid) on purpose. A code whose class changes fails it too.
    const PINNED_CLASSES: &[(&str, RefusalClass)] = &[
        ("not_found", RefusalClass::NotFound),
        ("file_not_found", RefusalClass::NotFound),
        ("already_exists", RefusalClass::AlreadyExists),
        ("file_in_open_handover", RefusalClass::Conflict),
        ("file_in_open_transfer", RefusalClass::Conflict),
        ("file_in_open_destruction", RefusalClass::Conflict),
        ("handover_already_signed", RefusalClass::Conflict),
        ("handover_closed", RefusalClass::Conflict),
        ("transfer_already_appraised", RefusalClass::Conflict),
        ("transfer_closed", RefusalClass::Conflict),
        ("destruction_already_approved", RefusalClass::Conflict),
        ("destruction_closed", RefusalClass::Conflict),
        ("hold_already_lifted", RefusalClass::Conflict),
        ("copy_not_current", RefusalClass::Conflict),
    ];

    #[test]
    fn every_refusal_keeps_its_class() {
        let examples = all_variants();
        for error in &examples {
            let pinned = PINNED_CLASSES
                .iter()
                .find(|(code, _)| *code == error.code())
                .map_or(RefusalClass::Invalid, |(_, class)| *class);
            assert_eq!(error.class(), pinned, "{}", error.code());
        }
        for (code, _) in PINNED_CLASSES {
            assert!(
                examples.iter().any(|e| e.code() == *code),
                "pinned code {code} is no refusal of the domain"
            );
        }
        let invalid = examples
            .iter()
            .filter(|e| e.class() == RefusalClass::Invalid)
            .count();
        assert_eq!(
            (examples.len(), invalid),
            (63, 49),
            "a refusal was added or changed class: pin it in PINNED_CLASSES and update the counts"
        );
    }
}
