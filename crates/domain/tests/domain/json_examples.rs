//! One example of every stored event, for the JSON contract.

use bangiao_domain::fixity::*;
use bangiao_domain::fonds::*;
use bangiao_domain::unit::*;
use bangiao_domain::values::*;
use uuid::Uuid;

use crate::fixtures::*;
use crate::unit_fixtures::*;

pub fn fonds_examples() -> Vec<FondsEvent> {
    let secret = FileRecorded {
        access: AccessRegime::Secret,
        retention: RetentionPeriod::fixed_term(5).expect("valid"),
        notes: Some(note("Bản sao")),
        box_number: None,
        sheets: None,
        carrier: Carrier::Electronic,
        list_number: Some(17),
        ..file(2)
    };
    let batch = Batch {
        batch_id: BatchId::from_uuid(Uuid::from_u128(7)),
        fonds_codes: vec![FondsCode::parse(FONDS).expect("valid")],
    };
    vec![
        opened(),
        CreatorHistoryRecorded {
            history: note("Thành lập năm 2003."),
            recorded_on: day(2025, 7, 2),
        }
        .into(),
        closed(),
        file(1).into(),
        secret.into(),
        FileCorrected {
            file_code: code(1),
            correction: Correction::Sheets {
                old_value: Some(10),
                new_value: Some(12),
            },
        }
        .into(),
        FileRetentionAppraised {
            file_code: code(1),
            old_retention: RetentionPeriod::PERMANENT,
            new_retention: RetentionPeriod::fixed_term(70).expect("valid"),
            decision: basis(),
        }
        .into(),
        FileDigitised {
            file_code: code(1),
            sha256: Sha256Hex::parse(&"ab".repeat(32)).expect("valid"),
            size_bytes: 91_226_112,
            format: Name::parse("PDF/A-2b").expect("valid"),
            digitised_on: day(2025, 8, 1),
        }
        .into(),
        FileMarkedMissing {
            file_code: code(1),
            noted_on: day(2025, 7, 1),
        }
        .into(),
        FileMarkedDamaged {
            file_code: code(1),
            description: note("Rách bìa"),
            noted_on: day(2025, 7, 1),
        }
        .into(),
        FileFound {
            file_code: code(1),
            found_on: day(2025, 7, 5),
        }
        .into(),
        FileFlaggedUnfinished {
            file_code: code(1),
            tasks: vec![note("Trả lời đơn")],
        }
        .into(),
        FileDeclassified {
            file_code: code(2),
            new_access: AccessRegime::Conditional,
            decision: basis(),
        }
        .into(),
        drafted_from(DraftHandover {
            batch: Some(batch.clone()),
            ..draft(1, &[1])
        }),
        signed(1),
        received(
            1,
            vec![
                Discrepancy::Damaged {
                    file_code: code(1),
                    description: note("Ẩm"),
                },
                Discrepancy::NotOnList { file_code: code(9) },
            ],
        ),
        handover_cancelled(2),
        transfer_registered(1, &[1]),
        list_appraised(1, AppraisalOutcome::Approved),
        transfer_accepted(1, &[1], &[2]),
        proposed(1, &[3]),
        approved(1),
        executed(1),
        destruction_cancelled(2),
        hold_placed(1, &[3]),
        hold_lifted(1),
        DestructionExecuted {
            deleted_copies: vec![CopyTombstone {
                file_code: code(3).to_string(),
                copy_id: Uuid::from_u128(3).to_string(),
                sha256: "cd".repeat(32),
                size_bytes: 4_194_304,
            }],
            ..destruction_executed(2)
        }
        .into(),
        CopyAttached {
            file_code: code(1).to_string(),
            copy_id: Uuid::from_u128(1).to_string(),
            sha256: "ab".repeat(32),
            size_bytes: 4_194_304,
            format: "pdf".into(),
            pages: Some(12),
            dpi: None,
            original_name: Some("ho-so-01.pdf".into()),
            digitised_by: "clerk-1".into(),
            digitised_on: day(2025, 8, 1),
        }
        .into(),
        DocumentRecorded {
            file_code: code(2).to_string(),
            copy_id: Uuid::from_u128(2).to_string(),
            sha256: "ef".repeat(32),
            size_bytes: 52_113,
            format: "pdf".into(),
            original_name: Some("cv-125.pdf".into()),
            number: Some("125".into()),
            notation: Some("UBND-VP".into()),
            issued_on: day(2020, 3, 2),
            issuer: "Ủy ban nhân dân huyện Pác Nặm".into(),
            summary: "V/v báo cáo công tác lưu trữ".into(),
            pages: Some(2),
            language: "Tiếng Việt".into(),
            confidence_level: Some("01".into()),
            recorded_by: "clerk-1".into(),
            recorded_on: day(2025, 8, 2),
        }
        .into(),
        CopyReplaced {
            file_code: code(1).to_string(),
            copy_id: Uuid::from_u128(1).to_string(),
            replaced_by: Uuid::from_u128(4).to_string(),
            replaced_on: day(2025, 8, 3),
        }
        .into(),
    ]
}

/// One example of each fixity event, with every optional field filled in one of them.
pub fn fixity_examples() -> Vec<FixityEvent> {
    let run = Uuid::from_u128(9).to_string();
    let at = |h| {
        chrono::NaiveDate::from_ymd_opt(2025, 9, 1)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("a time")
            .and_utc()
    };
    let result = |copy: u128, verdict| FixityResult {
        fonds_code: FONDS.into(),
        file_code: code(1).to_string(),
        copy_id: Uuid::from_u128(copy).to_string(),
        sha256: "ab".repeat(32),
        verdict,
        actual_sha256: None,
        actual_size: None,
    };
    vec![
        FixityChecked {
            run_id: run.clone(),
            results: vec![
                result(1, FixityVerdict::Intact),
                result(2, FixityVerdict::Missing),
                FixityResult {
                    actual_sha256: Some("cd".repeat(32)),
                    actual_size: Some(4_194_304),
                    ..result(3, FixityVerdict::Altered)
                },
            ],
        }
        .into(),
        FixityRunCompleted {
            run_id: run,
            started_at: at(1),
            finished_at: at(2),
            sample_percent: 100,
            checked: 3,
            bytes: 8_388_608,
            intact: 1,
            missing: 1,
            altered: 1,
        }
        .into(),
    ]
}

pub fn unit_examples() -> Vec<UnitEvent> {
    let commune = details(
        "Xã Bằng Thành",
        UnitType::Commune,
        Some(("11", UnitLevel::Province)),
    );
    vec![
        district(),
        UnitMergedInto {
            successor: unit_code("01999"),
            effective_on: day(2025, 7, 1),
            legal_basis: basis(),
            merger_id: reorganisation(1),
        }
        .into(),
        UnitFormedByMerger {
            code: unit_code("01999"),
            name: commune.name.clone(),
            level: commune.level,
            unit_type: commune.unit_type,
            parent: commune.parent.clone(),
            predecessors: vec![unit_code("01960"), unit_code("01963")],
            effective_on: day(2025, 7, 1),
            legal_basis: basis(),
            merger_id: reorganisation(1),
        }
        .into(),
        UnitAbsorbed {
            predecessors: vec![unit_code("01960")],
            effective_on: day(2025, 7, 1),
            legal_basis: basis(),
            merger_id: reorganisation(1),
        }
        .into(),
        UnitSplitInto {
            successors: vec![unit_code("01997"), unit_code("01998")],
            effective_on: day(2025, 7, 1),
            legal_basis: basis(),
            split_id: reorganisation(2),
        }
        .into(),
        UnitFormedBySplit {
            code: unit_code("01997"),
            name: commune.name,
            level: commune.level,
            unit_type: commune.unit_type,
            parent: commune.parent,
            predecessor: unit_code("01960"),
            effective_on: day(2025, 7, 1),
            legal_basis: basis(),
            split_id: reorganisation(2),
        }
        .into(),
        unit_ended(),
    ]
}
