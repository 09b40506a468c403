//! Rule 5: the counts in the minutes equal the attached list: files, distinct boxes, sheets.

use bangiao_domain::fonds::*;
use bangiao_domain::values::{BoxNumber, Extent};

use crate::fixtures::*;

/// Three files: box 1 with 10 sheets, box 1 with 5 sheets, box 2 with no sheet count.
fn three_files_in_two_boxes() -> Vec<FondsEvent> {
    let box_2 = BoxNumber::parse("2").expect("valid");
    closed_with([
        file(1),
        FileRecorded {
            sheets: Some(5),
            ..file(2)
        },
        FileRecorded {
            box_number: Some(box_2),
            sheets: None,
            ..file(3)
        },
    ])
}

fn declaring(files: u32, boxes: u32, sheets: u32) -> DraftHandover {
    DraftHandover {
        declared_files: files,
        declared_extent: Extent {
            boxes,
            sheets,
            linear_mm: 250,
        },
        ..draft(1, &[1, 2, 3])
    }
}

#[test]
fn counts_equal_to_the_list_are_accepted() {
    let command = declaring(3, 2, 15);
    let expected = drafted_from(command.clone());
    fonds(three_files_in_two_boxes())
        .when(command)
        .then_expect(vec![expected]);
}

#[test]
fn a_wrong_number_of_files_is_refused() {
    fonds(three_files_in_two_boxes())
        .when(declaring(4, 2, 15))
        .then_expect_error("counts_mismatch");
}

#[test]
fn a_wrong_number_of_boxes_is_refused() {
    fonds(three_files_in_two_boxes())
        .when(declaring(3, 3, 15))
        .then_expect_error("counts_mismatch");
}

#[test]
fn a_wrong_number_of_sheets_is_refused() {
    fonds(three_files_in_two_boxes())
        .when(declaring(3, 2, 25))
        .then_expect_error("counts_mismatch");
}
