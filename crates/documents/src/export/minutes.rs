//! The Biên bản giao nhận hồ sơ, tài liệu (Decree 30/2020, Annex V) as data: the blocks every
//! rendering (HTML, PDF) prints, in the model's order.
//!
//! Blocks: national motto; the parties' header; title; legal basis (căn cứ); date; giving side
//! and receiving side with the persons signing; 1. the records handed over; 2. their dates;
//! 3. counts (paper: boxes, files, metres; electronic: files and computer files; then files
//! declared, listed, received, missing and damaged, each on its line); 4. condition; 5. the
//! attached list; two copies; signatures. Beyond the model: the hash-chain head when the giving
//! side signed, and a QR code opening the public page that verifies the printout (`/xac-minh/{id}`).
//!
//! Each side is named by its organ and the person signing by full name and title (see
//! [`Party`]): who signed, as the signing event recorded them; before signing, the person the
//! draft names as their latest token names them; the account only when nothing better is known.

use bangiao_domain::fonds::Discrepancy;
use bangiao_domain::values::LegalBasis;
use bangiao_projections::query::acts::{self, HandoverRow, Signer};
use bangiao_projections::query::fonds::FondsRow;
use bangiao_projections::query::inventory::{Filter, Scope};
use bangiao_projections::query::{access, fonds};
use chrono::NaiveDate;
use rusqlite::Connection;

use super::ExportError;
use super::labels;
use super::qr::Qr;
use super::rows::{ListStats, QueryRows};
use super::verify::VerificationId;
use super::words;

/// One side of the minutes as printed: the organ and the person signing for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Tên cơ quan, tổ chức: the signer's organ; else, for the custodian that opened the fonds,
    /// the fonds' creator; else the custodian id.
    pub organ: String,
    /// Ông (bà): the person's full name, or their account when no name is known.
    pub person: String,
    /// Chức vụ, when known.
    pub title: Option<String>,
}

impl Party {
    /// The side held by `custodian`, signed for by `account`: `known` is who signed (or who the
    /// draft names, as their token names them), `creator` the organ of the custodian that
    /// opened the fonds when it is `custodian`.
    pub fn new(
        custodian: &str,
        account: &str,
        known: Option<&Signer>,
        creator: Option<&str>,
    ) -> Self {
        let known = known.cloned().unwrap_or_default();
        Self {
            organ: known
                .organ
                .or_else(|| creator.map(str::to_owned))
                .unwrap_or_else(|| custodian.to_owned()),
            person: known.name.unwrap_or_else(|| account.to_owned()),
            title: known.title,
        }
    }

    /// "Ông (bà): Nguyễn Văn A — Chức vụ: Văn thư", with a dotted line for an unknown title.
    pub fn person_line(&self) -> String {
        format!(
            "Ông (bà): {} — Chức vụ: {}",
            self.person,
            self.title.as_deref().unwrap_or("……………………")
        )
    }
}

/// The minutes of one handover, with what its attached list counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Minutes {
    /// The handover as the read model holds it.
    pub handover: HandoverRow,
    /// Bên giao as printed.
    pub giving: Party,
    /// Bên nhận as printed.
    pub receiving: Party,
    /// Tên phông.
    pub fonds_name: String,
    /// The fonds' creator.
    pub creator_name: String,
    /// Figures of the attached list.
    pub stats: ListStats,
    /// The public verification page of these minutes as printed (what the QR code holds).
    pub record_url: String,
}

impl Minutes {
    /// The minutes of a handover from the read models; `base_url` is the service's public
    /// address (e.g. `https://bangiao.example`), to which the record's path is appended.
    pub fn load(conn: &Connection, handover_id: &str, base_url: &str) -> Result<Self, ExportError> {
        let handover = acts::handover(conn, handover_id)?
            .ok_or_else(|| ExportError::not_found("biên bản giao nhận", "handover", handover_id))?;
        let fonds: FondsRow = fonds::get(conn, &handover.fonds_code)?
            .ok_or_else(|| ExportError::not_found("phông", "fonds", &handover.fonds_code))?;
        let stats = ListStats::gather(&mut attached_rows(conn, &handover)?)?;
        let side = |custodian: &str, account: &str, signer: &Option<Signer>| {
            let known = match signer {
                Some(s) => Some(s.clone()),
                None => access::person(conn, account)?.map(|p| Signer {
                    user_id: account.to_owned(),
                    name: p.name,
                    title: p.title,
                    organ: p.organ,
                }),
            };
            let creator = (custodian == fonds.custodian).then_some(fonds.creator_name.as_str());
            let account = signer.as_ref().map_or(account, |s| s.user_id.as_str());
            Ok::<_, ExportError>(Party::new(custodian, account, known.as_ref(), creator))
        };
        let giving = side(
            &handover.giving,
            &handover.giving_person,
            &handover.giving_signer,
        )?;
        let receiving = side(
            &handover.receiving,
            &handover.receiving_person,
            &handover.receiving_signer,
        )?;
        Ok(Self {
            record_url: verification_url(base_url, &handover),
            fonds_name: fonds.name,
            creator_name: fonds.creator_name,
            giving,
            receiving,
            handover,
            stats,
        })
    }

    /// The QR code of [`Self::record_url`].
    pub fn qr(&self) -> Result<Qr, ExportError> {
        Qr::new(&self.record_url)
    }

    /// The date the minutes carry: the giving side's signature, else the draft.
    pub fn date(&self) -> NaiveDate {
        self.handover.signed_on.unwrap_or(self.handover.drafted_on)
    }

    /// "…, ngày 11 tháng 07 năm 2025" (the place is left for the signatories).
    pub fn place_and_date(&self) -> String {
        format!("…………, {}", labels::date_long(self.date()))
    }

    /// The legal basis lines ("Căn cứ …;"), the model's first block.
    pub fn legal_basis(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let basis = self
            .handover
            .legal_basis
            .clone()
            .and_then(|v| serde_json::from_value::<LegalBasis>(v).ok());
        if let Some(b) = basis {
            let about = b
                .title
                .as_ref()
                .map_or_else(String::new, |t| format!(" ({t})"));
            lines.push(format!(
                "Căn cứ văn bản số {} ngày {} của {}{about};",
                b.number,
                labels::date(b.issued_on),
                b.issuer
            ));
        }
        if lines.is_empty() {
            lines.push("Căn cứ: (biên bản không ghi căn cứ);".to_owned());
        }
        lines
    }

    /// "Hôm nay, ngày …, chúng tôi gồm:".
    pub fn opening(&self) -> String {
        format!(
            "Hôm nay, {}, chúng tôi gồm:",
            labels::date_long(self.date())
        )
    }

    /// 1. Tên khối tài liệu giao nộp.
    pub fn records_name(&self) -> String {
        format!(
            "Tài liệu phông {} (mã phông {}), đơn vị hình thành phông: {}",
            super::heading::without_fonds_word(&self.fonds_name),
            self.handover.fonds_code,
            self.creator_name
        )
    }

    /// 2. Thời gian của tài liệu.
    pub fn records_dates(&self) -> String {
        match self.stats.dates() {
            Some((a, b)) => format!(
                "{} (từ {} đến {})",
                labels::year_range(a, b),
                labels::date(a),
                labels::date(b)
            ),
            None => "không có hồ sơ".to_owned(),
        }
    }

    /// 3. Paper: boxes, files (storage units), metres, as declared in the minutes.
    pub fn paper_counts(&self) -> String {
        let d = &self.handover.declared;
        let paper = d.files.saturating_sub(self.stats.electronic);
        format!(
            "Tổng số hộp (cặp): {}; tổng số hồ sơ (đơn vị bảo quản): {}; quy ra mét giá: {} mét.",
            words::figures(d.boxes),
            words::figures(paper),
            labels::metres(self.handover.declared_linear_mm)
        )
    }

    /// 3. Electronic: files and computer files of the attached list.
    pub fn electronic_counts(&self) -> String {
        format!(
            "Tổng số hồ sơ: {}; tổng số tệp tin trong hồ sơ: {}.",
            words::figures(self.stats.electronic),
            words::figures(self.stats.digitised)
        )
    }

    /// Point 3's lines of files declared, listed, received, missing and damaged, one each; what
    /// the receiving side found reads "chưa kiểm nhận" until it has checked.
    pub fn file_counts(&self) -> Vec<String> {
        let h = &self.handover;
        let files = |n: u64| match n {
            0 => "không có".to_owned(),
            n => format!("{} hồ sơ ({} hồ sơ)", words::figures(n), words::words(n)),
        };
        let found: Vec<Discrepancy> = h
            .discrepancies
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let missing = found
            .iter()
            .filter(|d| matches!(d, Discrepancy::Missing { .. }))
            .count() as u64;
        let damaged = found
            .iter()
            .filter(|d| matches!(d, Discrepancy::Damaged { .. }))
            .count() as u64;
        let (received, missing, damaged) = match h.status.as_str() {
            "received" => (
                files(h.listed.files.saturating_sub(missing)),
                files(missing),
                files(damaged),
            ),
            "cancelled" => (
                "không có (biên bản đã hủy)".to_owned(),
                "không có (biên bản đã hủy)".to_owned(),
                "không có (biên bản đã hủy)".to_owned(),
            ),
            _ => (
                "chưa kiểm nhận".to_owned(),
                "chưa kiểm nhận".to_owned(),
                "chưa kiểm nhận".to_owned(),
            ),
        };
        vec![
            format!(
                "- Số hồ sơ khai trong biên bản: {};",
                files(h.declared.files)
            ),
            format!(
                "- Số hồ sơ theo Mục lục kèm theo: {};",
                files(h.listed.files)
            ),
            format!("- Số hồ sơ bên nhận đã nhận: {received};"),
            format!("- Số hồ sơ thiếu, không giao được (thất lạc): {missing};"),
            format!("- Số hồ sơ hư hỏng: {damaged}."),
        ]
    }

    /// Whether the declared counts differ from the attached list, and how.
    pub fn count_mismatch(&self) -> Option<String> {
        (!self.handover.counts_match).then(|| {
            let d = &self.handover.declared;
            let l = &self.handover.listed;
            format!(
                "Lưu ý: số khai trong biên bản ({} hồ sơ, {} hộp, {} tờ) khác Mục lục kèm theo ({} hồ sơ, {} hộp, {} tờ).",
                words::figures(d.files),
                words::figures(d.boxes),
                words::figures(d.sheets),
                words::figures(l.files),
                words::figures(l.boxes),
                words::figures(l.sheets)
            )
        })
    }

    /// 4. Tình trạng tài liệu giao nộp: what the receipt found, or that it is pending.
    pub fn condition(&self) -> Vec<String> {
        let h = &self.handover;
        let mut lines = Vec::new();
        match (h.status.as_str(), h.received_on, h.cancelled_on) {
            ("cancelled", _, Some(day)) => lines.push(format!(
                "Biên bản đã hủy ngày {}; không có hồ sơ nào được giao.",
                labels::date(day)
            )),
            ("received", Some(day), _) => {
                let found: Vec<Discrepancy> = h
                    .discrepancies
                    .clone()
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default();
                if found.is_empty() {
                    lines.push(format!(
                        "Bên nhận đã kiểm nhận ngày {}: đủ theo Mục lục kèm theo, không có sai lệch.",
                        labels::date(day)
                    ));
                } else {
                    lines.push(format!(
                        "Bên nhận đã kiểm nhận ngày {}, có {} sai lệch:",
                        labels::date(day),
                        found.len()
                    ));
                    lines.extend(found.iter().map(discrepancy_line));
                }
            }
            (status, _, _) => lines.push(format!(
                "Chưa kiểm nhận (biên bản đang ở trạng thái: {}).",
                status_label(status)
            )),
        }
        if self.stats.damaged > 0 {
            lines.push(format!(
                "{} hồ sơ đã được ghi nhận hư hỏng (xem cột Ghi chú của Mục lục).",
                words::figures(self.stats.damaged)
            ));
        }
        lines
    }

    /// 5. Mục lục kèm theo.
    pub fn attached_list(&self) -> String {
        format!(
            "Mục lục hồ sơ, tài liệu giao nộp kèm theo: {} hồ sơ ({} hồ sơ).",
            words::figures(self.stats.files),
            words::words(self.stats.files)
        )
    }

    /// The closing sentence: two copies.
    pub fn copies(&self) -> &'static str {
        "Biên bản này được lập thành hai bản có giá trị như nhau; bên giao giữ một bản, bên nhận giữ một bản./."
    }

    /// The hash-chain head when the giving side signed, or why there is none.
    pub fn chain_head(&self) -> String {
        match &self.handover.chain_head {
            Some(head) => head.clone(),
            None => "(chưa ký: chưa có)".to_owned(),
        }
    }
}

/// The rows of a handover's attached list, in the fonds' order.
pub fn attached_rows<'c>(
    conn: &'c Connection,
    handover: &HandoverRow,
) -> Result<QueryRows<'c>, ExportError> {
    attached_rows_for(conn, handover, Filter::default())
}

/// The same rows under a filter: restricted titles hidden from a reader not cleared for them.
pub fn attached_rows_for<'c>(
    conn: &'c Connection,
    handover: &HandoverRow,
    filter: Filter,
) -> Result<QueryRows<'c>, ExportError> {
    let codes = acts::handover_files(conn, &handover.handover_id)?;
    Ok(QueryRows::new(conn, Scope::Fonds(handover.fonds_code.clone()), filter).only(codes))
}

/// The public verification page of a handover's minutes printed now: the id carries the
/// position and hash of the handover's latest event (see [`super::verify`]); a handover the
/// read model knows no event of (not possible once projected) falls back to its record.
pub fn verification_url(base_url: &str, handover: &HandoverRow) -> String {
    match uuid::Uuid::parse_str(&handover.handover_id) {
        Ok(id) if handover.event_position > 0 => {
            VerificationId::handover_minutes(id, handover.event_position, &handover.event_hash)
                .url(base_url)
        }
        _ => record_url(base_url, &handover.handover_id),
    }
}

/// The record of a handover in the service.
pub fn record_url(base_url: &str, handover_id: &str) -> String {
    format!(
        "{}/api/v1/handovers/{handover_id}",
        base_url.trim_end_matches('/')
    )
}

fn status_label(status: &str) -> &str {
    match status {
        "drafted" => "đã lập, chưa ký",
        "signed" => "bên giao đã ký, chờ bên nhận",
        "received" => "đã nhận",
        "cancelled" => "đã hủy",
        other => other,
    }
}

fn discrepancy_line(d: &Discrepancy) -> String {
    match d {
        Discrepancy::Missing { file_code } => {
            format!("- Hồ sơ {file_code}: có trong Mục lục nhưng không giao (thất lạc).")
        }
        Discrepancy::Damaged {
            file_code,
            description,
        } => format!("- Hồ sơ {file_code}: hư hỏng ({description})."),
        Discrepancy::NotOnList { file_code } => {
            format!("- Hồ sơ {file_code}: có giao nhưng không có trong Mục lục.")
        }
    }
}
