//! Rule 1: nothing new enters a closed fonds; what the creator made before closure may still be
//! recorded, under the same code it would have had before closure (organ id, year, notation:
//! a file keeps one identity for its whole life), and existing files may still be described.

use bangiao_domain::FondsCommand;
use bangiao_domain::fonds::*;
use bangiao_domain::values::*;

use crate::fixtures::*;

fn closed_fonds_file(end_date: chrono::NaiveDate) -> RecordFile {
    RecordFile {
        end_date,
        ..record_file(9)
    }
}

#[test]
fn a_closed_fonds_accepts_a_file_ending_by_closure_coded_with_the_organ_id() {
    let command = closed_fonds_file(day(2025, 6, 30));
    let expected = recorded(command.clone());
    fonds(closed_with_files(&[]))
        .when(command)
        .then_expect(vec![expected.into()]);
}

#[test]
fn a_closed_fonds_refuses_a_file_ending_after_closure() {
    fonds(closed_with_files(&[]))
        .when(closed_fonds_file(day(2025, 7, 1)))
        .then_expect_error("file_after_closure");
}

#[test]
fn the_fonds_code_prefix_is_refused_before_and_after_closure() {
    let fonds_coded = RecordFile {
        file_code: closed_code(9),
        ..record_file(9)
    };
    fonds([opened()])
        .when(fonds_coded.clone())
        .then_expect_error("wrong_file_code_prefix");
    fonds(closed_with_files(&[]))
        .when(fonds_coded)
        .then_expect_error("wrong_file_code_prefix");
}

#[test]
fn a_file_recorded_before_closure_is_found_again_after_it() {
    fonds(closed_with_files(&[9]))
        .when(record_file(9))
        .then_expect_error("already_exists");
}

#[test]
fn a_file_recorded_under_the_fonds_code_by_an_earlier_version_keeps_its_identity() {
    let legacy = FileRecorded {
        file_code: closed_code(9),
        ..file(9)
    };
    let state = fonds(closed_with([legacy])).state();
    let (found, _) = state
        .file_with_identity(&code(9))
        .expect("found by year and notation");
    assert_eq!(*found, closed_code(9));
    fonds(closed_with([FileRecorded {
        file_code: closed_code(9),
        ..file(9)
    }]))
    .when(record_file(9))
    .then_expect_error("already_exists");
}

#[test]
fn a_fonds_closes_once() {
    fonds([opened()]).when(close()).then_expect(vec![closed()]);
    fonds(closed_with_files(&[]))
        .when(close())
        .then_expect_error("fonds_closed");
}

#[test]
fn a_fonds_cannot_close_before_a_recorded_file_ends() {
    let early = CloseFonds {
        closed_on: day(2020, 6, 30),
        ..close()
    };
    fonds(with(vec![opened()], files(&[1])))
        .when(early)
        .then_expect_error("file_after_closure");
}

#[test]
fn a_fonds_cannot_close_before_it_opened() {
    let before = CloseFonds {
        closed_on: day(1999, 12, 31),
        ..close()
    };
    fonds([opened()])
        .when(before)
        .then_expect_error("date_out_of_order");
}

#[test]
fn a_closed_fonds_still_accepts_descriptions_of_its_files() {
    let secret = FileRecorded {
        access: AccessRegime::Secret,
        ..file(2)
    };
    let history = closed_with([file(1), secret]);
    let descriptions: Vec<FondsCommand> = vec![
        CorrectFile {
            file_code: code(1),
            correction: Correction::Sheets {
                old_value: Some(10),
                new_value: Some(12),
            },
        }
        .into(),
        AppraiseRetention {
            file_code: code(1),
            new_retention: RetentionPeriod::fixed_term(70).expect("valid"),
            decision: basis(),
        }
        .into(),
        DigitiseFile {
            file_code: code(1),
            sha256: Sha256Hex::parse(&"a".repeat(64)).expect("valid"),
            size_bytes: 1024,
            format: Name::parse("PDF/A-2b").expect("valid"),
            digitised_on: day(2025, 8, 1),
        }
        .into(),
        MarkFileDamaged {
            file_code: code(1),
            description: note("Ẩm mốc"),
            noted_on: day(2025, 8, 1),
        }
        .into(),
        MarkFileMissing {
            file_code: code(1),
            noted_on: day(2025, 8, 1),
        }
        .into(),
        FlagUnfinished {
            file_code: code(1),
            tasks: vec![note("Trả lời đơn thư")],
        }
        .into(),
        DeclassifyFile {
            file_code: code(2),
            new_access: AccessRegime::Open,
            decision: basis(),
        }
        .into(),
    ];
    for command in descriptions {
        fonds(history.clone()).when(command).then_state();
    }
}

#[test]
fn a_correction_cannot_move_an_end_date_past_closure() {
    let correction = CorrectFile {
        file_code: code(1),
        correction: Correction::EndDate {
            old_value: day(2020, 12, 31),
            new_value: day(2025, 7, 1),
        },
    };
    fonds(closed_with_files(&[1]))
        .when(correction)
        .then_expect_error("file_after_closure");
}
