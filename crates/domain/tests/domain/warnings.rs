//! Warnings, not refusals: a box listing more sheets than a box holds (about 1,000).

use bangiao_domain::fonds::*;
use bangiao_domain::values::{BoxNumber, SHEETS_PER_BOX};

use crate::fixtures::*;

fn in_box_1(n: u32, sheets: u32) -> RecordFile {
    RecordFile {
        sheets: Some(sheets),
        ..record_file(n)
    }
}

fn box_1() -> BoxNumber {
    BoxNumber::parse("1").expect("valid")
}

#[test]
fn a_box_up_to_its_capacity_gives_no_warning() {
    let state = fonds([opened()]).when(in_box_1(1, 600)).then_state();
    let second = in_box_1(2, 400);
    let after = fonds([opened(), recorded(in_box_1(1, 600)).into()])
        .when(second.clone())
        .then_state();
    assert_eq!(state.sheets_in_box(&box_1()), 600);
    assert_eq!(after.sheets_in_box(&box_1()), u64::from(1000u32));
    assert!(after.warnings_after(&second.into()).is_empty());
}

#[test]
fn a_box_over_its_capacity_is_accepted_with_a_warning_naming_box_and_sheets() {
    let second = in_box_1(2, 401);
    let after = fonds([opened(), recorded(in_box_1(1, 600)).into()])
        .when(second.clone())
        .then_state();
    let warnings = after.warnings_after(&second.into());
    assert_eq!(
        warnings,
        [DomainWarning::BoxOverCapacity {
            box_number: box_1(),
            sheets: 1001,
            capacity: SHEETS_PER_BOX,
        }]
    );
    assert_eq!(warnings[0].code(), "box_over_capacity");
    assert!(
        warnings[0]
            .message_vi()
            .contains("Hộp số 1 đang ghi 1001 tờ")
    );
    assert!(
        warnings[0]
            .message_en()
            .contains("box 1 now lists 1001 sheets")
    );
}

#[test]
fn corrections_move_sheets_between_boxes() {
    let events = vec![
        opened(),
        recorded(in_box_1(1, 600)).into(),
        recorded(in_box_1(2, 300)).into(),
    ];
    let more_sheets = CorrectFile {
        file_code: code(2),
        correction: Correction::Sheets {
            old_value: Some(300),
            new_value: Some(500),
        },
    };
    let after = fonds(events.clone()).when(more_sheets.clone()).then_state();
    assert_eq!(after.sheets_in_box(&box_1()), 1100);
    assert_eq!(after.warnings_after(&more_sheets.into()).len(), 1);
    let moved = CorrectFile {
        file_code: code(2),
        correction: Correction::BoxNumber {
            old_value: Some(box_1()),
            new_value: Some(BoxNumber::parse("2").expect("valid")),
        },
    };
    let after = fonds(events).when(moved).then_state();
    assert_eq!(after.sheets_in_box(&box_1()), 600);
    assert_eq!(
        after.sheets_in_box(&BoxNumber::parse("2").expect("valid")),
        300
    );
}
