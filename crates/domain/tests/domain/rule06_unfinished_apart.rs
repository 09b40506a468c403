//! Rule 6: files of unfinished work are packed apart: a list is all of them or none.

use bangiao_domain::fonds::*;

use crate::fixtures::*;

fn flagged(n: u32) -> FondsEvent {
    FileFlaggedUnfinished {
        file_code: code(n),
        tasks: vec![note("Giải quyết đơn khiếu nại")],
    }
    .into()
}

#[test]
fn a_list_of_only_unfinished_work_is_accepted() {
    let history = with(closed_with_files(&[1, 2, 3]), [flagged(1), flagged(2)]);
    fonds(history)
        .when(draft(1, &[1, 2]))
        .then_expect(vec![drafted(1, &[1, 2])]);
}

#[test]
fn a_list_mixing_unfinished_and_finished_work_is_refused() {
    let history = with(closed_with_files(&[1, 2, 3]), [flagged(1)]);
    fonds(history)
        .when(draft(1, &[1, 2]))
        .then_expect_error("mixed_unfinished_work");
}

#[test]
fn flagging_unfinished_work_names_its_tasks() {
    let command = FlagUnfinished {
        file_code: code(1),
        tasks: vec![note("Giải quyết đơn khiếu nại")],
    };
    fonds(closed_with_files(&[1]))
        .when(command)
        .then_expect(vec![flagged(1)]);
    let no_tasks = FlagUnfinished {
        file_code: code(1),
        tasks: vec![],
    };
    fonds(closed_with_files(&[1]))
        .when(no_tasks)
        .then_expect_error("empty_list");
}
