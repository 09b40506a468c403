//! What the feed hides of a decoded event: the content of a file the reader may not see (its
//! title, notes, tasks, damage and refusal reasons, as the inventory's `Filter::redact` hides
//! them in the lists), replaced by the notice the lists show. The match over the event types
//! has no wildcard: a new event type does not compile until it says what it hides.

use bangiao_domain::FondsEvent;
use bangiao_domain::ValueError;
use bangiao_domain::fonds::{Correction, Discrepancy};
use bangiao_domain::values::{FileCode, Note, Title};
use bangiao_projections::query::inventory::REDACTED_TITLE;

/// The notice that replaces hidden text, as a title and as a note.
#[derive(Debug, Clone)]
pub struct Notice {
    title: Title,
    note: Note,
}

impl Notice {
    /// The notice of the lists ([`REDACTED_TITLE`]) in both text types.
    pub fn new() -> Result<Self, ValueError> {
        Ok(Self {
            title: Title::parse(REDACTED_TITLE)?,
            note: Note::parse(REDACTED_TITLE)?,
        })
    }

    fn text_if_some(&self, text: &mut Option<String>) -> bool {
        match text {
            Some(text) => {
                *text = self.title.as_str().to_owned();
                true
            }
            None => false,
        }
    }

    fn note_if_some(&self, note: &mut Option<Note>) -> bool {
        match note {
            Some(text) => {
                *text = self.note.clone();
                true
            }
            None => false,
        }
    }
}

/// Whether the file a stored plain-text code names is hidden; a code that does not parse is
/// hidden (it cannot come from this program's decisions, and hiding is the safe side).
fn hidden_text(hidden: &impl Fn(&FileCode) -> bool, code: &str) -> bool {
    FileCode::parse(code).map_or(true, |code| hidden(&code))
}

/// Replaces in `event` the content of every file `hidden` names; whether anything was replaced.
/// The text of acts rather than of files (a fonds' history, why an act was cancelled, an
/// appraisal's remarks, legal bases) is not a file's content and stays.
pub fn redact(event: &mut FondsEvent, notice: &Notice, hidden: impl Fn(&FileCode) -> bool) -> bool {
    match event {
        FondsEvent::FileRecorded(e) if hidden(&e.file_code) => {
            e.title = notice.title.clone();
            notice.note_if_some(&mut e.notes);
            true
        }
        FondsEvent::FileCorrected(e) if hidden(&e.file_code) => match &mut e.correction {
            Correction::Title {
                old_value,
                new_value,
            } => {
                *old_value = notice.title.clone();
                *new_value = notice.title.clone();
                true
            }
            Correction::Notes {
                old_value,
                new_value,
            } => notice.note_if_some(old_value) | notice.note_if_some(new_value),
            Correction::BoxNumber { .. }
            | Correction::Sheets { .. }
            | Correction::StartDate { .. }
            | Correction::EndDate { .. } => false,
        },
        FondsEvent::FileMarkedDamaged(e) if hidden(&e.file_code) => {
            e.description = notice.note.clone();
            true
        }
        FondsEvent::FileFlaggedUnfinished(e) if hidden(&e.file_code) && !e.tasks.is_empty() => {
            e.tasks = vec![notice.note.clone()];
            true
        }
        FondsEvent::HandoverReceived(e) => {
            let mut changed = false;
            for discrepancy in &mut e.discrepancies {
                match discrepancy {
                    Discrepancy::Damaged {
                        file_code,
                        description,
                    } if hidden(file_code) => {
                        *description = notice.note.clone();
                        changed = true;
                    }
                    Discrepancy::Damaged { .. }
                    | Discrepancy::Missing { .. }
                    | Discrepancy::NotOnList { .. } => {}
                }
            }
            changed
        }
        FondsEvent::TransferAccepted(e) => {
            let mut changed = false;
            for rejected in e.rejected.iter_mut().filter(|r| hidden(&r.file_code)) {
                rejected.reason = notice.note.clone();
                changed = true;
            }
            changed
        }
        FondsEvent::CopyAttached(e) if hidden_text(&hidden, &e.file_code) => {
            notice.text_if_some(&mut e.original_name)
        }
        FondsEvent::DocumentRecorded(e) if hidden_text(&hidden, &e.file_code) => {
            e.summary = REDACTED_TITLE.to_owned();
            notice.text_if_some(&mut e.original_name);
            true
        }
        // The same events about a file the reader may see.
        FondsEvent::CopyAttached(_) | FondsEvent::DocumentRecorded(_) => false,
        FondsEvent::FileRecorded(_)
        | FondsEvent::FileCorrected(_)
        | FondsEvent::FileMarkedDamaged(_)
        | FondsEvent::FileFlaggedUnfinished(_) => false,
        // No text of a file: codes, dates, ids, people, legal bases, fixity.
        FondsEvent::FondsOpened(_)
        | FondsEvent::FondsClosed(_)
        | FondsEvent::FileRetentionAppraised(_)
        | FondsEvent::FileDigitised(_)
        | FondsEvent::FileMarkedMissing(_)
        | FondsEvent::FileFound(_)
        | FondsEvent::FileDeclassified(_)
        | FondsEvent::HandoverDrafted(_)
        | FondsEvent::HandoverSigned(_)
        | FondsEvent::TransferRegistered(_)
        | FondsEvent::DestructionProposed(_)
        | FondsEvent::DestructionApproved(_)
        | FondsEvent::DestructionExecuted(_)
        | FondsEvent::HoldPlaced(_)
        | FondsEvent::HoldLifted(_)
        | FondsEvent::CopyReplaced(_) => false,
        // Text of an act, not of a file.
        FondsEvent::CreatorHistoryRecorded(_)
        | FondsEvent::HandoverCancelled(_)
        | FondsEvent::TransferListAppraised(_)
        | FondsEvent::DestructionCancelled(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use bangiao_domain::DomainEvent;
    use serde_json::Value;

    use super::*;

    /// The text every sample puts in every text field.
    const MARK: &str = "BÍ MẬT";
    /// The file every sample is about: the reader may not see it.
    const SECRET: &str = "000.00.07.H56.2020.02";
    /// Event types whose text is an act's, not a file's: it stays.
    const ACT_TEXT: &[&str] = &[
        "CreatorHistoryRecorded",
        "HandoverCancelled",
        "TransferListAppraised",
        "DestructionCancelled",
    ];

    /// One sample (or more) of every event type, every field filled (no `null`), every text
    /// field holding [`MARK`] and every file code [`SECRET`]. A new event type or a new field
    /// needs a sample here (the coverage and null checks below say so).
    fn samples() -> Vec<FondsEvent> {
        let basis = r#"{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":"Luật Lưu trữ"}"#;
        let id = "00000000-0000-0000-0000-000000000001";
        let batch = format!(r#"{{"batch_id":"{id}","fonds_codes":["UB-066"]}}"#);
        [
            ("FondsOpened", r#"{"fonds_code":"UB-066","name":"Phông","kind":"state","creator_organ_id":"000.00.07.H56","creator_name":"UBND","unit_code":"066","custodian":"UBND-066","opened_on":"2000-01-01"}"#.to_owned()),
            ("CreatorHistoryRecorded", format!(r#"{{"history":"{MARK}","recorded_on":"2025-07-02"}}"#)),
            ("FondsClosed", format!(r#"{{"closed_on":"2025-06-30","closing_act":{basis}}}"#)),
            ("FileRecorded", format!(r#"{{"file_code":"{SECRET}","title":"{MARK}","start_date":"2020-01-01","end_date":"2020-12-31","retention":{{"code":"01"}},"access":"03","carrier":"paper","box_number":"1","sheets":10,"language":"Tiếng Việt","notes":"{MARK}","custodian":"UBND-066","list_number":17}}"#)),
            ("FileCorrected", format!(r#"{{"file_code":"{SECRET}","correction":{{"field":"title","old_value":"{MARK}","new_value":"{MARK}"}}}}"#)),
            ("FileCorrected", format!(r#"{{"file_code":"{SECRET}","correction":{{"field":"notes","old_value":"{MARK}","new_value":"{MARK}"}}}}"#)),
            ("FileCorrected", format!(r#"{{"file_code":"{SECRET}","correction":{{"field":"box_number","old_value":"1","new_value":"2"}}}}"#)),
            ("FileCorrected", format!(r#"{{"file_code":"{SECRET}","correction":{{"field":"sheets","old_value":10,"new_value":12}}}}"#)),
            ("FileCorrected", format!(r#"{{"file_code":"{SECRET}","correction":{{"field":"start_date","old_value":"2020-01-01","new_value":"2020-01-02"}}}}"#)),
            ("FileCorrected", format!(r#"{{"file_code":"{SECRET}","correction":{{"field":"end_date","old_value":"2020-12-30","new_value":"2020-12-31"}}}}"#)),
            ("FileRetentionAppraised", format!(r#"{{"file_code":"{SECRET}","old_retention":{{"code":"01"}},"new_retention":{{"code":"02"}},"decision":{basis}}}"#)),
            ("FileDigitised", format!(r#"{{"file_code":"{SECRET}","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":9,"format":"PDF/A-2b","digitised_on":"2025-08-01"}}"#)),
            ("FileMarkedMissing", format!(r#"{{"file_code":"{SECRET}","noted_on":"2025-07-01"}}"#)),
            ("FileMarkedDamaged", format!(r#"{{"file_code":"{SECRET}","description":"{MARK}","noted_on":"2025-07-01"}}"#)),
            ("FileFound", format!(r#"{{"file_code":"{SECRET}","found_on":"2025-07-05"}}"#)),
            ("FileFlaggedUnfinished", format!(r#"{{"file_code":"{SECRET}","tasks":["{MARK}","{MARK}"]}}"#)),
            ("FileDeclassified", format!(r#"{{"file_code":"{SECRET}","new_access":"02","decision":{basis}}}"#)),
            ("HandoverDrafted", format!(r#"{{"handover_id":"{id}","batch":{batch},"giving_custodian":"UBND-066","receiving_custodian":"SNV-11","giving_person":"giver-1","receiving_person":"receiver-1","legal_basis":{basis},"file_codes":["{SECRET}"],"declared_files":1,"declared_extent":{{"boxes":1,"sheets":10,"linear_mm":100}},"drafted_on":"2025-07-10"}}"#)),
            ("HandoverSigned", format!(r#"{{"handover_id":"{id}","signed_by":"giver-1","signed_on":"2025-07-11"}}"#)),
            ("HandoverReceived", format!(r#"{{"handover_id":"{id}","received_by":"receiver-1","received_on":"2025-07-12","discrepancies":[{{"kind":"damaged","file_code":"{SECRET}","description":"{MARK}"}},{{"kind":"missing","file_code":"{SECRET}"}},{{"kind":"not_on_list","file_code":"{SECRET}"}}]}}"#)),
            ("HandoverCancelled", format!(r#"{{"handover_id":"{id}","cancelled_by":"giver-1","cancelled_on":"2025-07-11","reason":"{MARK}"}}"#)),
            ("TransferRegistered", format!(r#"{{"transfer_id":"{id}","batch":{batch},"transferring_custodian":"UBND-066","archive":"LTLS-11","declared_kind":"state","file_codes":["{SECRET}"],"registered_by":"giver-1","registered_on":"2025-08-01"}}"#)),
            ("TransferListAppraised", format!(r#"{{"transfer_id":"{id}","appraised_by":"archivist-1","appraised_on":"2025-08-15","outcome":"approved","notes":"{MARK}"}}"#)),
            ("TransferAccepted", format!(r#"{{"transfer_id":"{id}","accepted_by":"archivist-1","accepted_on":"2025-09-01","accepted":["{SECRET}"],"rejected":[{{"file_code":"{SECRET}","reason":"{MARK}"}}]}}"#)),
            ("DestructionProposed", format!(r#"{{"destruction_id":"{id}","file_codes":["{SECRET}"],"council_decision":{basis},"proposed_by":"clerk-1","proposed_on":"2025-03-01"}}"#)),
            ("DestructionApproved", format!(r#"{{"destruction_id":"{id}","approved_by":"director-1","approved_on":"2025-03-10"}}"#)),
            ("DestructionExecuted", format!(r#"{{"destruction_id":"{id}","executed_by":"clerk-1","executed_on":"2025-03-20"}}"#)),
            ("DestructionCancelled", format!(r#"{{"destruction_id":"{id}","cancelled_by":"director-1","cancelled_on":"2025-03-05","reason":"{MARK}"}}"#)),
            ("HoldPlaced", format!(r#"{{"hold_id":"{id}","reason":"inspection","file_codes":["{SECRET}"],"legal_basis":{basis},"placed_by":"inspector-1","placed_on":"2025-03-05"}}"#)),
            ("HoldLifted", format!(r#"{{"hold_id":"{id}","lifted_by":"inspector-1","lifted_on":"2025-03-08"}}"#)),
            ("DestructionExecuted", format!(r#"{{"destruction_id":"{id}","executed_by":"clerk-1","executed_on":"2025-03-20","deleted_copies":[{{"file_code":"{SECRET}","copy_id":"{id}","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":9}}]}}"#)),
            ("CopyAttached", format!(r#"{{"file_code":"{SECRET}","copy_id":"{id}","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":9,"format":"pdf","pages":3,"dpi":300,"original_name":"{MARK}.pdf","digitised_by":"clerk-1","digitised_on":"2025-08-01"}}"#)),
            ("DocumentRecorded", format!(r#"{{"file_code":"{SECRET}","copy_id":"{id}","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":9,"format":"pdf","original_name":"{MARK}.pdf","number":"125","notation":"UBND-VP","issued_on":"2020-03-02","issuer":"UBND huyện","summary":"{MARK}","pages":2,"language":"Tiếng Việt","confidence_level":"01","recorded_by":"clerk-1","recorded_on":"2025-08-02"}}"#)),
            ("CopyReplaced", format!(r#"{{"file_code":"{SECRET}","copy_id":"{id}","replaced_by":"{id}","replaced_on":"2025-08-03"}}"#)),
        ]
        .into_iter()
        .map(|(event_type, payload)| {
            FondsEvent::from_payload(event_type, &payload)
                .unwrap_or_else(|e| panic!("{event_type}: {e}"))
        })
        .collect()
    }

    fn has_null(value: &Value) -> bool {
        match value {
            Value::Null => true,
            Value::Array(items) => items.iter().any(has_null),
            Value::Object(members) => members.values().any(has_null),
            Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
        }
    }

    #[test]
    fn every_event_type_has_a_sample_with_every_field_filled() {
        let covered: BTreeSet<&str> = samples().iter().map(DomainEvent::event_type).collect();
        let all: BTreeSet<&str> = FondsEvent::event_types().iter().copied().collect();
        assert_eq!(covered, all, "every event type needs a sample");
        for sample in samples() {
            let payload: Value = serde_json::from_str(&sample.to_payload()).expect("JSON");
            assert!(
                !has_null(&payload),
                "{}: fill every field of the sample (a text one with MARK): {payload}",
                sample.event_type()
            );
        }
    }

    #[test]
    fn no_text_of_a_hidden_file_is_left_and_the_text_of_acts_stays() {
        let notice = Notice::new().expect("the notice is a valid text");
        for mut event in samples() {
            let event_type = event.event_type();
            let before = event.to_payload();
            let changed = redact(&mut event, &notice, |code| code.as_str() == SECRET);
            let after = event.to_payload();
            assert_eq!(changed, before != after, "{event_type}: {after}");
            if ACT_TEXT.contains(&event_type) {
                assert!(after.contains(MARK), "{event_type} keeps its text: {after}");
            } else {
                assert!(!after.contains(MARK), "{event_type} hides it: {after}");
            }
            if changed {
                assert!(after.contains(REDACTED_TITLE), "{event_type}: {after}");
            }
        }
    }

    #[test]
    fn the_text_of_a_file_the_reader_may_see_stays_untouched() {
        let notice = Notice::new().expect("the notice is a valid text");
        for mut event in samples() {
            let before = event.clone();
            assert!(!redact(&mut event, &notice, |_| false));
            assert_eq!(event, before);
        }
    }
}
