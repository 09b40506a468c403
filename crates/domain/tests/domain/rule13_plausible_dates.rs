//! Rule 13: dates a court would question. No file is older than the oldest records archives
//! hold (1 January 1400); no file ends, and no act is done, after the day it is recorded.

use bangiao_domain::fonds::*;

use crate::fixtures::*;

fn today() -> chrono::NaiveDate {
    day(2026, 12, 5)
}

fn check(command: impl Into<FondsCommand>) -> Result<(), String> {
    command
        .into()
        .check_dates(today())
        .map_err(|e| e.code().to_owned())
}

#[test]
fn a_file_from_year_zero_is_refused() {
    let zero = RecordFile {
        start_date: day(0, 1, 1),
        ..record_file(1)
    };
    assert_eq!(check(zero), Err("date_too_early".to_owned()));
}

#[test]
fn the_earliest_date_is_the_first_of_january_1400() {
    assert_eq!(EARLIEST_RECORD_DATE, day(1400, 1, 1));
    let oldest = RecordFile {
        start_date: day(1400, 1, 1),
        ..record_file(1)
    };
    assert_eq!(check(oldest), Ok(()));
    let older = RecordFile {
        start_date: day(1399, 12, 31),
        ..record_file(1)
    };
    assert_eq!(check(older), Err("date_too_early".to_owned()));
}

#[test]
fn records_from_before_1945_are_taken() {
    let colonial = RecordFile {
        start_date: day(1890, 3, 1),
        end_date: day(1944, 12, 31),
        ..record_file(1)
    };
    assert_eq!(check(colonial), Ok(()));
}

#[test]
fn a_file_ending_in_2099_is_refused() {
    let future = RecordFile {
        end_date: day(2099, 12, 31),
        ..record_file(1)
    };
    assert_eq!(check(future), Err("date_in_future".to_owned()));
}

#[test]
fn a_file_ending_the_day_after_it_is_recorded_is_refused_and_today_is_taken() {
    let tomorrow = RecordFile {
        end_date: day(2026, 12, 6),
        ..record_file(1)
    };
    assert_eq!(check(tomorrow), Err("date_in_future".to_owned()));
    let today = RecordFile {
        end_date: today(),
        ..record_file(1)
    };
    assert_eq!(check(today), Ok(()));
}

#[test]
fn a_correction_to_an_impossible_date_is_refused() {
    let to_future = CorrectFile {
        file_code: code(1),
        correction: Correction::EndDate {
            old_value: day(2020, 12, 31),
            new_value: day(2030, 1, 1),
        },
    };
    assert_eq!(check(to_future), Err("date_in_future".to_owned()));
    let to_year_one = CorrectFile {
        file_code: code(1),
        correction: Correction::StartDate {
            old_value: day(2020, 1, 1),
            new_value: day(1, 1, 1),
        },
    };
    assert_eq!(check(to_year_one), Err("date_too_early".to_owned()));
}

#[test]
fn acts_dated_after_the_day_of_recording_are_refused() {
    let signed_later = SignHandover {
        signed_on: day(2027, 1, 1),
        ..sign(1)
    };
    assert_eq!(check(signed_later), Err("date_in_future".to_owned()));
    let accepted_later = AcceptTransfer {
        accepted_on: day(2027, 1, 1),
        ..accept_transfer(1, &[1], &[])
    };
    assert_eq!(check(accepted_later), Err("date_in_future".to_owned()));
    assert_eq!(check(sign(1)), Ok(()));
}

#[test]
fn a_closure_may_be_recorded_ahead_of_the_day_it_takes_effect() {
    let ahead = CloseFonds {
        closed_on: day(2027, 6, 30),
        ..close()
    };
    assert_eq!(check(ahead), Ok(()));
}

#[test]
fn the_refusals_name_the_field_and_both_dates_in_both_languages() {
    let future = RecordFile {
        end_date: day(2099, 12, 31),
        ..record_file(1)
    };
    let error = FondsCommand::from(future)
        .check_dates(today())
        .expect_err("refused");
    assert!(
        error.message_en().contains("end_date 2099-12-31"),
        "{error}"
    );
    assert!(error.message_vi().contains("31/12/2099"));
    assert!(error.message_vi().contains("05/12/2026"));
}
