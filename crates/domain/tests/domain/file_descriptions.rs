//! Recording and describing files: corrections keep the old value, appraisals and
//! declassifications change something, marks follow the file's physical state.

use bangiao_domain::fonds::*;
use bangiao_domain::values::*;

use crate::fixtures::*;

fn title(text: &str) -> Title {
    Title::parse(text).expect("valid")
}

fn correct(correction: Correction) -> CorrectFile {
    CorrectFile {
        file_code: code(1),
        correction,
    }
}

#[test]
fn a_file_code_is_recorded_once() {
    fonds([opened()])
        .when(record_file(1))
        .then_expect(vec![file(1).into()]);
    fonds(with(vec![opened()], files(&[1])))
        .when(record_file(1))
        .then_expect_error("already_exists");
}

#[test]
fn a_file_ending_before_it_starts_is_refused() {
    let backwards = RecordFile {
        end_date: day(2019, 12, 31),
        ..record_file(1)
    };
    fonds([opened()])
        .when(backwards)
        .then_expect_error("end_before_start");
}

#[test]
fn a_title_correction_keeps_the_old_title() {
    let correction = Correction::Title {
        old_value: title("Hồ sơ số 1"),
        new_value: title("Hồ sơ hội nghị tổng kết năm 2020"),
    };
    let expected = FileCorrected {
        file_code: code(1),
        correction: correction.clone(),
    };
    fonds(closed_with_files(&[1]))
        .when(correct(correction))
        .then_expect(vec![expected.into()]);
}

#[test]
fn a_correction_must_start_from_the_current_value() {
    let stale_title = Correction::Title {
        old_value: title("Hồ sơ số 7"),
        new_value: title("Hồ sơ mới"),
    };
    fonds(closed_with_files(&[1]))
        .when(correct(stale_title))
        .then_expect_error("stale_value");
    let stale_sheets = Correction::Sheets {
        old_value: Some(9),
        new_value: Some(12),
    };
    fonds(closed_with_files(&[1]))
        .when(correct(stale_sheets))
        .then_expect_error("stale_value");
}

#[test]
fn a_correction_after_a_correction_starts_from_the_corrected_value() {
    let first = Correction::Title {
        old_value: title("Hồ sơ số 1"),
        new_value: title("Tên mới"),
    };
    let state = fonds(closed_with_files(&[1]))
        .when(correct(first))
        .then_state();
    let second = Correction::Title {
        old_value: title("Tên mới"),
        new_value: title("Tên mới hơn"),
    };
    let result = <bangiao_domain::FondsAggregate as bangiao_domain::Aggregate>::decide(
        &state,
        &correct(second).into(),
    );
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn a_correction_that_changes_nothing_is_refused() {
    let same = Correction::Notes {
        old_value: None,
        new_value: None,
    };
    fonds(closed_with_files(&[1]))
        .when(correct(same))
        .then_expect_error("no_change");
}

#[test]
fn a_start_date_after_the_end_date_is_refused() {
    let late_start = Correction::StartDate {
        old_value: day(2020, 1, 1),
        new_value: day(2021, 1, 1),
    };
    fonds(closed_with_files(&[1]))
        .when(correct(late_start))
        .then_expect_error("end_before_start");
}

#[test]
fn a_file_in_open_minutes_is_not_corrected() {
    let sheets = Correction::Sheets {
        old_value: Some(10),
        new_value: Some(11),
    };
    fonds(with(closed_with_files(&[1]), [drafted(1, &[1])]))
        .when(correct(sheets))
        .then_expect_error("file_in_open_handover");
}

#[test]
fn an_appraisal_records_old_and_new_retention() {
    let appraisal = AppraiseRetention {
        file_code: code(1),
        new_retention: RetentionPeriod::fixed_term(20).expect("valid"),
        decision: basis(),
    };
    let expected = FileRetentionAppraised {
        file_code: code(1),
        old_retention: RetentionPeriod::PERMANENT,
        new_retention: appraisal.new_retention,
        decision: basis(),
    };
    fonds(closed_with_files(&[1]))
        .when(appraisal)
        .then_expect(vec![expected.into()]);
    let unchanged = AppraiseRetention {
        file_code: code(1),
        new_retention: RetentionPeriod::PERMANENT,
        decision: basis(),
    };
    fonds(closed_with_files(&[1]))
        .when(unchanged)
        .then_expect_error("no_change");
}

#[test]
fn digitisation_needs_a_non_empty_copy() {
    let copy = |size_bytes| DigitiseFile {
        file_code: code(1),
        sha256: Sha256Hex::parse(&"0f".repeat(32)).expect("valid"),
        size_bytes,
        format: Name::parse("PDF/A-2b").expect("valid"),
        digitised_on: day(2025, 8, 1),
    };
    fonds(closed_with_files(&[1])).when(copy(2048)).then_state();
    fonds(closed_with_files(&[1]))
        .when(copy(0))
        .then_expect_error("invalid_value");
}

#[test]
fn only_a_secret_file_is_declassified_and_to_a_lower_regime() {
    let declassify = |new_access| DeclassifyFile {
        file_code: code(1),
        new_access,
        decision: basis(),
    };
    fonds(closed_with_files(&[1]))
        .when(declassify(AccessRegime::Open))
        .then_expect_error("not_secret");
    let secret = closed_with([FileRecorded {
        access: AccessRegime::Secret,
        ..file(1)
    }]);
    fonds(secret.clone())
        .when(declassify(AccessRegime::Secret))
        .then_expect_error("no_change");
    fonds(secret)
        .when(declassify(AccessRegime::Conditional))
        .then_state();
}

#[test]
fn a_missing_file_is_found_again_and_only_then() {
    let missing = MarkFileMissing {
        file_code: code(1),
        noted_on: day(2025, 7, 1),
    };
    let found = MarkFileFound {
        file_code: code(1),
        found_on: day(2025, 7, 5),
    };
    fonds(closed_with_files(&[1]))
        .when(found.clone())
        .then_expect_error("file_not_missing");
    let missing_event = FileMarkedMissing {
        file_code: code(1),
        noted_on: missing.noted_on,
    };
    let history = with(closed_with_files(&[1]), [missing_event.into()]);
    fonds(history.clone())
        .when(missing)
        .then_expect_error("file_missing");
    let damaged = MarkFileDamaged {
        file_code: code(1),
        description: note("Mối mọt"),
        noted_on: day(2025, 7, 2),
    };
    fonds(history.clone())
        .when(damaged)
        .then_expect_error("file_missing");
    let state = fonds(history).when(found).then_state();
    assert_eq!(
        state.file(&code(1)).map(|f| f.status),
        Some(FileStatus::InCustody)
    );
}

#[test]
fn a_file_in_open_minutes_is_reported_missing_on_receipt_not_before() {
    let missing = MarkFileMissing {
        file_code: code(1),
        noted_on: day(2025, 7, 11),
    };
    fonds(with(closed_with_files(&[1]), [drafted(1, &[1])]))
        .when(missing)
        .then_expect_error("file_in_open_handover");
}
