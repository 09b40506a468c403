//! Property tests (proptest) of every parser and value type, and of the JSON commands: any input
//! is either taken or refused with an error — never a panic — and whatever is taken reads back
//! as itself from its own written form. `PROPTEST_CASES` sets the cases per property (256).

use bangiao_domain::fonds::{
    AcceptTransfer, CloseFonds, DraftHandover, OpenFonds, ProposeDestruction, ReceiveHandover,
    RecordFile,
};
use bangiao_domain::unit::{EndUnit, MergeUnits, RegisterUnit, SplitUnit};
use bangiao_domain::values::{
    AccessRegime, BoxNumber, CustodianId, DocumentNumber, FileCode, FileNotation, FondsCode, Name,
    OrganId, RetentionPeriod, Title, UnitCode, fold_vietnamese,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Text near what clerks type: Vietnamese letters, digits, punctuation, spaces, odd characters.
fn clerkish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9A-Za-zĐđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ ./_()-]{0,24}",
        "[ \t]{0,2}[0-9]{1,3}[ ]?(năm|Năm|NĂM|nam|tháng)?[ \t]{0,2}",
        "(Vĩnh viễn|VV|vv|vĩnh viễn|Công khai|Hạn chế|Mật|01|02|03|04|05|06|07|70|50|30|20|10)",
    ]
}

/// Parses `raw`; if taken, the written form parses to the same value.
fn reads_back<T, E>(parse: impl Fn(&str) -> Result<T, E>, raw: &str) -> Result<(), TestCaseError>
where
    T: std::fmt::Display + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = parse(raw) {
        let again = parse(&value.to_string());
        prop_assert!(
            again.as_ref().ok() == Some(&value),
            "{raw:?} → {value} did not read back"
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn codes_are_taken_or_refused_and_read_back(raw in clerkish()) {
        reads_back(UnitCode::parse, &raw)?;
        reads_back(FondsCode::parse, &raw)?;
        reads_back(OrganId::parse, &raw)?;
        reads_back(FileNotation::parse, &raw)?;
        reads_back(BoxNumber::parse, &raw)?;
        reads_back(CustodianId::parse, &raw)?;
        reads_back(FileCode::parse, &raw)?;
        reads_back(Title::parse, &raw)?;
        reads_back(Name::parse, &raw)?;
        reads_back(DocumentNumber::parse, &raw)?;
    }

    #[test]
    fn well_formed_unit_codes_are_taken_as_written(code in "[0-9]{2}[0-9A-Z]{0,8}") {
        let parsed = UnitCode::parse(&code);
        prop_assert_eq!(parsed.map(|c| c.to_string()), Ok(code));
    }

    #[test]
    fn file_codes_split_back_into_their_parts(
        organ in "[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}",
        year in 1945i32..2100,
        notation in "[0-9]{1,4}(/[A-Z]{1,5})?",
    ) {
        let notation = FileNotation::parse(&notation).expect("a notation");
        let code = FileCode::new(&organ, year, &notation).expect("a file code");
        prop_assert_eq!(FileCode::parse(&code.to_string()), Ok(code.clone()));
        prop_assert!(code.to_string().starts_with(&organ));
        prop_assert_eq!(code.year(), year);
    }

    #[test]
    fn retention_spellings_are_taken_or_refused_never_guessed(raw in clerkish()) {
        reads_back(RetentionPeriod::parse_text, &raw)?;
        if let Ok(period) = RetentionPeriod::parse_text(&raw) {
            prop_assert!(period.is_permanent() || (1..=100).contains(&period.years().unwrap_or(0)));
        }
        let _ = RetentionPeriod::parse_code(&raw);
    }

    #[test]
    fn every_fixed_term_reads_back(years in 1u32..=100) {
        let period = RetentionPeriod::fixed_term(years).expect("1 to 100 years");
        prop_assert_eq!(period.years(), Some(years));
        prop_assert_eq!(RetentionPeriod::parse_text(&period.to_string()), Ok(period));
        let json = serde_json::to_value(period).expect("JSON");
        prop_assert_eq!(serde_json::from_value::<RetentionPeriod>(json).ok(), Some(period));
    }

    #[test]
    fn terms_outside_one_to_a_hundred_years_are_refused(years in prop_oneof![Just(0u32), 101u32..]) {
        prop_assert!(RetentionPeriod::fixed_term(years).is_err());
    }

    #[test]
    fn access_spellings_are_taken_or_refused(raw in clerkish()) {
        reads_back(AccessRegime::parse_text, &raw)?;
        let _ = AccessRegime::parse_code(&raw);
    }

    #[test]
    fn folding_is_idempotent_lower_case_and_tidy(raw in clerkish()) {
        let folded = fold_vietnamese(&raw);
        prop_assert_eq!(fold_vietnamese(&folded), folded.clone());
        prop_assert!(!folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "));
        prop_assert!(!folded.chars().any(|c| "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ".contains(c)));
    }

    #[test]
    fn folding_ignores_case_and_marks_of_vietnamese_letters(
        raw in "[a-zA-Z Đđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{0,30}"
    ) {
        prop_assert_eq!(fold_vietnamese(&raw.to_uppercase()), fold_vietnamese(&raw.to_lowercase()));
    }
}

/// JSON of any shape, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        clerkish().prop_map(Value::from),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid body of each command kind the service takes, as a caller sends it.
fn valid_bodies() -> Vec<Value> {
    let basis = json!({"number": "203/2025/QH15", "issued_on": "2025-06-16", "issuer": "Quốc hội"});
    vec![
        json!({"fonds_code": "066-UB", "name": "Phông UBND huyện", "kind": "state",
            "creator_organ_id": "000.00.66.H06", "creator_name": "UBND huyện Pác Nặm",
            "unit_code": "066", "custodian": "UBND-066", "opened_on": "2003-07-01"}),
        json!({"file_code": "000.00.66.H06.2010.01", "title": "Sổ hộ tịch", "start_date": "2010-01-05",
            "end_date": "2010-12-20", "retention": {"code": "01"}, "access": "01", "carrier": "paper",
            "box_number": "1", "sheets": 10, "language": "Tiếng Việt", "custodian": "UBND-066"}),
        json!({"closed_on": "2025-06-30", "closing_act": basis}),
        json!({"handover_id": "018e2ff5-7800-7c8c-91b7-95326e7cad10", "giving_custodian": "UBND-066",
            "receiving_custodian": "UBND-066N1", "giving_person": "a", "receiving_person": "b",
            "legal_basis": basis, "file_codes": ["000.00.66.H06.2010.01"], "declared_files": 1,
            "declared_extent": {"boxes": 1, "sheets": 10, "linear_mm": 10}, "drafted_on": "2025-07-10"}),
        json!({"code": "06601", "details": {"name": "Xã Bộc Bố", "level": "commune", "unit_type": "commune",
            "parent": "066"}, "valid_from": "2003-07-01", "legal_basis": basis}),
        json!({"effective_on": "2025-07-01", "legal_basis": basis, "reason": "tier_abolished"}),
    ]
}

/// Decoding never panics; what decodes writes JSON that decodes to the same command.
fn decodes_or_refuses<T>(body: &Value) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(command) = serde_json::from_value::<T>(body.clone()) {
        let written = serde_json::to_value(&command).expect("commands serialize");
        prop_assert_eq!(serde_json::from_value::<T>(written).ok(), Some(command));
    }
    Ok(())
}

fn every_command(body: &Value) -> Result<(), TestCaseError> {
    decodes_or_refuses::<OpenFonds>(body)?;
    decodes_or_refuses::<RecordFile>(body)?;
    decodes_or_refuses::<CloseFonds>(body)?;
    decodes_or_refuses::<DraftHandover>(body)?;
    decodes_or_refuses::<ReceiveHandover>(body)?;
    decodes_or_refuses::<AcceptTransfer>(body)?;
    decodes_or_refuses::<ProposeDestruction>(body)?;
    decodes_or_refuses::<RegisterUnit>(body)?;
    decodes_or_refuses::<EndUnit>(body)?;
    decodes_or_refuses::<MergeUnits>(body)?;
    decodes_or_refuses::<SplitUnit>(body)?;
    Ok(())
}

proptest! {
    #[test]
    fn any_json_is_taken_or_refused_as_a_command(body in any_json()) {
        every_command(&body)?;
    }

    #[test]
    fn a_valid_body_with_one_field_changed_is_taken_or_refused(
        which in 0usize..6,
        field in 0usize..16,
        value in any_json(),
    ) {
        let mut body = valid_bodies()[which].clone();
        let object = body.as_object_mut().expect("bodies are objects");
        let key = object.keys().nth(field % object.len()).cloned().expect("a field");
        object.insert(key, value);
        every_command(&body)?;
    }
}

#[test]
fn the_valid_bodies_are_valid() {
    let bodies = valid_bodies();
    assert!(serde_json::from_value::<OpenFonds>(bodies[0].clone()).is_ok());
    assert!(serde_json::from_value::<RecordFile>(bodies[1].clone()).is_ok());
    assert!(serde_json::from_value::<CloseFonds>(bodies[2].clone()).is_ok());
    assert!(serde_json::from_value::<DraftHandover>(bodies[3].clone()).is_ok());
    assert!(serde_json::from_value::<RegisterUnit>(bodies[4].clone()).is_ok());
    assert!(serde_json::from_value::<EndUnit>(bodies[5].clone()).is_ok());
}
