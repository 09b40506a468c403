//! Request bodies of the commands on the fonds and its files.

use bangiao_domain::fonds::*;
use bangiao_domain::values::*;

use super::{BASIS, decodes};
use crate::fixtures::*;

#[test]
fn open_fonds_decodes_without_the_unit_end_fact() {
    let body = r#"{"fonds_code":"UB-066","name":"Phông UBND huyện Pác Nặm","kind":"state",
        "creator_organ_id":"000.00.07.H56","creator_name":"Ủy ban nhân dân huyện Pác Nặm",
        "unit_code":"066","custodian":"UBND-066","opened_on":"2000-01-01"}"#;
    decodes(body, &open());
}

#[test]
fn record_creator_history_decodes() {
    let body =
        r#"{"history":"Thành lập năm 2003.\nGiải thể năm 2025.","recorded_on":"2025-07-02"}"#;
    let expected = RecordCreatorHistory {
        history: note("Thành lập năm 2003.\nGiải thể năm 2025."),
        recorded_on: day(2025, 7, 2),
    };
    decodes(body, &expected);
}

#[test]
fn close_fonds_decodes_with_its_closing_act() {
    let body = format!(r#"{{"closed_on":"2025-06-30","closing_act":{BASIS}}}"#);
    decodes(&body, &close());
}

#[test]
fn record_file_decodes_a_permanent_open_paper_file_without_notes() {
    let body = r#"{"file_code":"000.00.07.H56.2020.01","title":"Hồ sơ số 1",
        "start_date":"2020-01-01","end_date":"2020-12-31","retention":{"code":"01"},
        "access":"01","carrier":"paper","box_number":"1","sheets":10,
        "language":"Tiếng Việt"}"#;
    decodes(body, &record_file(1));
}

#[test]
fn record_file_decodes_a_five_year_secret_electronic_file() {
    let body = r#"{"file_code":"000.00.07.H56.2020.02","title":"Hồ sơ số 2",
        "start_date":"2020-01-01","end_date":"2020-12-31","retention":{"code":"07","years":5},
        "access":"03","carrier":"electronic","box_number":null,"sheets":null,
        "language":"Tiếng Việt","notes":"Bản sao","custodian":"UBND-066","list_number":17}"#;
    let expected = RecordFile {
        retention: RetentionPeriod::fixed_term(5).expect("valid"),
        access: AccessRegime::Secret,
        carrier: Carrier::Electronic,
        box_number: None,
        sheets: None,
        notes: Some(note("Bản sao")),
        custodian: Some(custodian("UBND-066")),
        list_number: Some(17),
        ..record_file(2)
    };
    decodes(body, &expected);
}

#[test]
fn the_list_number_is_kept_in_the_file_recorded() {
    let command = RecordFile {
        list_number: Some(17),
        ..record_file(2)
    };
    let expected = FileRecorded {
        list_number: Some(17),
        ..recorded(record_file(2))
    };
    fonds([opened()])
        .when(command)
        .then_expect(vec![expected.into()]);
}

#[test]
fn correct_file_decodes_the_field_as_a_tag() {
    let body = r#"{"file_code":"000.00.07.H56.2020.01",
        "correction":{"field":"end_date","old_value":"2020-12-31","new_value":"2020-11-30"}}"#;
    let expected = CorrectFile {
        file_code: code(1),
        correction: Correction::EndDate {
            old_value: day(2020, 12, 31),
            new_value: day(2020, 11, 30),
        },
    };
    decodes(body, &expected);
    let body = r#"{"file_code":"000.00.07.H56.2020.01",
        "correction":{"field":"notes","old_value":null,"new_value":"Bản chính"}}"#;
    let expected = CorrectFile {
        file_code: code(1),
        correction: Correction::Notes {
            old_value: None,
            new_value: Some(note("Bản chính")),
        },
    };
    decodes(body, &expected);
}

#[test]
fn appraise_retention_decodes() {
    let body = format!(
        r#"{{"file_code":"000.00.07.H56.2020.01","new_retention":{{"code":"06"}},"decision":{BASIS}}}"#
    );
    let expected = AppraiseRetention {
        file_code: code(1),
        new_retention: RetentionPeriod::fixed_term(10).expect("valid"),
        decision: basis(),
    };
    decodes(&body, &expected);
}

#[test]
fn digitise_file_decodes() {
    let body = format!(
        r#"{{"file_code":"000.00.07.H56.2020.01","sha256":"{}","size_bytes":91226112,
        "format":"PDF/A-2b","digitised_on":"2025-08-01"}}"#,
        "AB".repeat(32)
    );
    let expected = DigitiseFile {
        file_code: code(1),
        sha256: Sha256Hex::parse(&"ab".repeat(32)).expect("valid"),
        size_bytes: 91_226_112,
        format: Name::parse("PDF/A-2b").expect("valid"),
        digitised_on: day(2025, 8, 1),
    };
    decodes(&body, &expected);
}

#[test]
fn declassify_file_decodes() {
    let body =
        format!(r#"{{"file_code":"000.00.07.H56.2020.02","new_access":"02","decision":{BASIS}}}"#);
    let expected = DeclassifyFile {
        file_code: code(2),
        new_access: AccessRegime::Conditional,
        decision: basis(),
    };
    decodes(&body, &expected);
}

#[test]
fn file_marks_decode() {
    let file = r#""file_code":"000.00.07.H56.2020.01""#;
    let missing = MarkFileMissing {
        file_code: code(1),
        noted_on: day(2025, 7, 1),
    };
    decodes(&format!(r#"{{{file},"noted_on":"2025-07-01"}}"#), &missing);
    let damaged = MarkFileDamaged {
        file_code: code(1),
        description: note("Rách bìa"),
        noted_on: day(2025, 7, 1),
    };
    let body = format!(r#"{{{file},"description":"Rách bìa","noted_on":"2025-07-01"}}"#);
    decodes(&body, &damaged);
    let found = MarkFileFound {
        file_code: code(1),
        found_on: day(2025, 7, 5),
    };
    decodes(&format!(r#"{{{file},"found_on":"2025-07-05"}}"#), &found);
    let unfinished = FlagUnfinished {
        file_code: code(1),
        tasks: vec![note("Trả lời đơn")],
    };
    decodes(
        &format!(r#"{{{file},"tasks":["Trả lời đơn"]}}"#),
        &unfinished,
    );
}
