//! The custodial history of a fonds, from the read models: who held it when it was opened, each
//! act that moved files (handover, transfer, destruction) with its parties and counts, and what
//! is still under way. EAD3 prints it in `<custodhist>` and the latest acquisition in `<acqinfo>`.

use std::collections::HashMap;

use bangiao_projections::query::acts::{self, HandoverRow, TransferRow};
use bangiao_projections::query::custody;
use bangiao_projections::query::fonds::FondsRow;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::export::ExportError;
use crate::export::labels::date;
use crate::export::words::figures;

/// One dated line of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    /// When.
    pub day: NaiveDate,
    /// What happened, in Vietnamese.
    pub event: String,
}

/// The history of a fonds, oldest first, and the sentence of its latest acquisition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyHistory {
    /// Dated acts.
    pub items: Vec<HistoryItem>,
    /// Acts drafted or registered but not completed.
    pub pending: Vec<String>,
    /// How the present custodian came to hold the records.
    pub acquisition: String,
}

impl CustodyHistory {
    /// Reads the history of `fonds`.
    pub fn load(conn: &Connection, fonds: &FondsRow) -> Result<Self, ExportError> {
        let code = fonds.code.as_str();
        let (first, opened, changes) = custody::fonds_history(conn, code)?.unwrap_or((
            fonds.custodian.clone(),
            fonds.opened_on,
            Vec::new(),
        ));
        let handovers: HashMap<String, HandoverRow> =
            acts::handovers(conn, Some(code), None, None)?
                .into_iter()
                .map(|h| (h.handover_id.clone(), h))
                .collect();
        let transfers: HashMap<String, TransferRow> = acts::transfers(conn, Some(code), None)?
            .into_iter()
            .map(|t| (t.transfer_id.clone(), t))
            .collect();
        let mut items = vec![HistoryItem {
            day: opened,
            event: format!("Mở phông; tài liệu do {first} bảo quản."),
        }];
        if let Some(closed) = fonds.closed_on {
            items.push(HistoryItem {
                day: closed,
                event: format!("Đóng phông{}.", act_suffix(fonds.closing_act.as_ref())),
            });
        }
        let mut acquisition = format!(
            "Tài liệu do {first} bảo quản từ khi mở phông ngày {}.",
            date(opened)
        );
        for change in &changes {
            let files = figures(change.files);
            let event = match change.via_kind.as_str() {
                "handover" => match handovers.get(&change.via_id) {
                    Some(h) => format!(
                        "{} giao {files} hồ sơ cho {} theo Biên bản giao nhận {}.",
                        h.giving, h.receiving, h.handover_id
                    ),
                    None => format!(
                        "Giao {files} hồ sơ theo Biên bản giao nhận {}.",
                        change.via_id
                    ),
                },
                "transfer" => match transfers.get(&change.via_id) {
                    Some(t) => format!(
                        "{} nộp lưu {files} hồ sơ vào {} (đợt nộp lưu {}).",
                        t.transferring, t.archive, t.transfer_id
                    ),
                    None => format!("Nộp lưu {files} hồ sơ (đợt {}).", change.via_id),
                },
                "destruction" => format!(
                    "Hủy {files} hồ sơ hết giá trị (đề nghị hủy {}).",
                    change.via_id
                ),
                other => format!("{other} {}: {files} hồ sơ.", change.via_id),
            };
            if let Some(holder) = &change.custodian {
                acquisition = format!(
                    "{} nhận {files} hồ sơ ngày {}: {event}",
                    holder,
                    date(change.from)
                );
            }
            items.push(HistoryItem {
                day: change.from,
                event,
            });
        }
        items.sort_by_key(|i| i.day);
        let mut pending: Vec<String> = handovers
            .values()
            .filter(|h| matches!(h.status.as_str(), "drafted" | "signed"))
            .map(|h| {
                format!(
                    "Biên bản giao nhận {} ({} → {}, {} hồ sơ) lập ngày {}, chưa kiểm nhận.",
                    h.handover_id,
                    h.giving,
                    h.receiving,
                    figures(h.declared.files),
                    date(h.drafted_on)
                )
            })
            .chain(
                transfers
                    .values()
                    .filter(|t| t.status != "accepted")
                    .map(|t| {
                        format!(
                            "Đợt nộp lưu {} ({} → {}, {} hồ sơ) đăng ký ngày {}, chưa thu nộp.",
                            t.transfer_id,
                            t.transferring,
                            t.archive,
                            figures(t.listed_files),
                            date(t.registered_on)
                        )
                    }),
            )
            .collect();
        pending.sort();
        Ok(Self {
            items,
            pending,
            acquisition,
        })
    }
}

/// " theo {act}" from a stored legal basis, or nothing.
fn act_suffix(act: Option<&serde_json::Value>) -> String {
    let Some(act) = act else {
        return String::new();
    };
    let number = act.get("number").and_then(|v| v.as_str());
    let issuer = act.get("issuer").and_then(|v| v.as_str());
    match (number, issuer) {
        (Some(n), Some(i)) => format!(" theo văn bản số {n} của {i}"),
        (Some(n), None) => format!(" theo văn bản số {n}"),
        _ => String::new(),
    }
}
