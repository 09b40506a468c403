//! Request bodies of the processes: handovers, transfers, destruction and holds.

use bangiao_domain::fonds::*;
use bangiao_domain::values::*;

use super::{BASIS, decodes, uuid};
use crate::fixtures::*;

const FILES_1_2: &str = r#"["000.00.07.H56.2020.01","000.00.07.H56.2020.02"]"#;

#[test]
fn draft_handover_decodes_with_and_without_a_batch() {
    let body = format!(
        r#"{{"handover_id":"{id}","giving_custodian":"UBND-066","receiving_custodian":"SNV-11",
        "giving_person":"giver-1","receiving_person":"receiver-1","legal_basis":{BASIS},
        "file_codes":{FILES_1_2},"declared_files":2,
        "declared_extent":{{"boxes":1,"sheets":20,"linear_mm":100}},"drafted_on":"2025-07-10"}}"#,
        id = uuid(1)
    );
    decodes(&body, &draft(1, &[1, 2]));
    let batched = body.replacen(
        "{",
        &format!(
            r#"{{"batch":{{"batch_id":"{}","fonds_codes":["UB-066","UB-067"]}},"#,
            uuid(7)
        ),
        1,
    );
    let expected = DraftHandover {
        batch: Some(Batch {
            batch_id: BatchId::from_uuid(uuid::Uuid::from_u128(7)),
            fonds_codes: ["UB-066", "UB-067"]
                .map(|c| FondsCode::parse(c).expect("valid"))
                .to_vec(),
        }),
        ..draft(1, &[1, 2])
    };
    decodes(&batched, &expected);
}

#[test]
fn sign_handover_decodes() {
    let body = format!(
        r#"{{"handover_id":"{}","signed_by":"giver-1","signed_on":"2025-07-11"}}"#,
        uuid(1)
    );
    decodes(&body, &sign(1));
}

#[test]
fn receive_handover_decodes_each_kind_of_discrepancy() {
    let body = format!(
        r#"{{"handover_id":"{}","received_by":"receiver-1","received_on":"2025-07-12",
        "discrepancies":[
          {{"kind":"missing","file_code":"000.00.07.H56.2020.01"}},
          {{"kind":"damaged","file_code":"000.00.07.H56.2020.02","description":"Rách bìa"}},
          {{"kind":"not_on_list","file_code":"000.00.07.H56.2020.03"}}]}}"#,
        uuid(1)
    );
    let discrepancies = vec![
        Discrepancy::Missing { file_code: code(1) },
        Discrepancy::Damaged {
            file_code: code(2),
            description: note("Rách bìa"),
        },
        Discrepancy::NotOnList { file_code: code(3) },
    ];
    decodes(&body, &receive(1, discrepancies));
}

#[test]
fn cancel_handover_decodes() {
    let body = format!(
        r#"{{"handover_id":"{}","cancelled_by":"giver-1","cancelled_on":"2025-07-11",
        "reason":"Lập lại biên bản"}}"#,
        uuid(1)
    );
    decodes(&body, &cancel_handover(1));
}

#[test]
fn register_transfer_decodes() {
    let body = format!(
        r#"{{"transfer_id":"{}","batch":null,"transferring_custodian":"UBND-066",
        "archive":"LTLS-11","declared_kind":"state","file_codes":{FILES_1_2},
        "registered_by":"giver-1","registered_on":"2025-08-01"}}"#,
        uuid(1)
    );
    decodes(&body, &register_transfer(1, &[1, 2]));
}

#[test]
fn appraise_transfer_list_decodes() {
    let body = format!(
        r#"{{"transfer_id":"{}","appraised_by":"archivist-1","appraised_on":"2025-08-15",
        "outcome":"approved"}}"#,
        uuid(1)
    );
    decodes(&body, &appraise_list(1, AppraisalOutcome::Approved));
    let rejected = body.replace(r#""approved""#, r#""rejected","notes":"Thiếu mục lục""#);
    let expected = AppraiseTransferList {
        notes: Some(note("Thiếu mục lục")),
        ..appraise_list(1, AppraisalOutcome::Rejected)
    };
    decodes(&rejected, &expected);
}

#[test]
fn accept_transfer_decodes_accepted_and_rejected_files() {
    let body = format!(
        r#"{{"transfer_id":"{}","accepted_by":"archivist-1","accepted_on":"2025-09-01",
        "accepted":["000.00.07.H56.2020.01"],
        "rejected":[{{"file_code":"000.00.07.H56.2020.02","reason":"Chưa chỉnh lý"}}]}}"#,
        uuid(1)
    );
    decodes(&body, &accept_transfer(1, &[1], &[2]));
}

#[test]
fn destruction_commands_decode() {
    let id = uuid(1);
    let body = format!(
        r#"{{"destruction_id":"{id}","file_codes":{FILES_1_2},"council_decision":{BASIS},
        "proposed_by":"clerk-1","proposed_on":"2025-03-01"}}"#
    );
    decodes(&body, &propose(1, &[1, 2]));
    let body = format!(
        r#"{{"destruction_id":"{id}","approved_by":"director-1","approved_on":"2025-03-10"}}"#
    );
    decodes(&body, &approve(1, "director-1"));
    let body = format!(
        r#"{{"destruction_id":"{id}","executed_by":"clerk-1","executed_on":"2025-03-20"}}"#
    );
    decodes(&body, &execute(1));
    let body = format!(
        r#"{{"destruction_id":"{id}","cancelled_by":"director-1","cancelled_on":"2025-03-05",
        "reason":"Hội đồng xem xét lại"}}"#
    );
    decodes(&body, &cancel_destruction(1));
}

#[test]
fn hold_commands_decode() {
    let id = uuid(1);
    let body = format!(
        r#"{{"hold_id":"{id}","reason":"inspection","file_codes":{FILES_1_2},
        "legal_basis":{BASIS},"placed_by":"inspector-1","placed_on":"2025-03-05"}}"#
    );
    decodes(&body, &place_hold(1, &[1, 2]));
    let body =
        format!(r#"{{"hold_id":"{id}","lifted_by":"inspector-1","lifted_on":"2025-03-08"}}"#);
    decodes(&body, &lift_hold(1));
}
