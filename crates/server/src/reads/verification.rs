//! `GET /api/v1/verifications/{id}` (and the page `/xac-minh/{id}` of `bangiao-web`): whether a
//! printed document whose QR code carries `id` is genuine, checked against the log itself. No
//! account is needed; requests are rate-limited per client address. Nothing shown names a file:
//! the document, its parties, date and counts, and where in the hash chain it was printed.
//! Printed documents with such a code: a handover's minutes, and a fonds' whole list (PDF,
//! HTML), whose file count is the fonds' as its events up to the printed position make it.

use std::path::{Path, PathBuf};

use axum::extract::{ConnectInfo, Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangiao_auth::checkpoint::{self, Checkpoint};
use bangiao_documents::export::minutes::Minutes;
use bangiao_documents::export::verify::{Printed, VerificationId};
use bangiao_domain::streams::FONDS_PREFIX;
use bangiao_domain::{Aggregate, FondsAggregate, FondsEvent};
use bangiao_store::{EventStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::query;
use crate::error::ApiError;
use crate::state::AppState;

/// Signed checkpoints the verification page may cite: the JSON files `bangiao checkpoint sign`
/// writes, kept in `dir`, each signed by the trusted key (others are ignored).
#[derive(Debug, Clone)]
pub struct CheckpointSource {
    /// The folder of checkpoint files (`*.json`).
    pub dir: PathBuf,
    /// The province's public key (base64) checkpoints must be signed with.
    pub public_key: String,
}

/// The answer about one printed document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    /// The id asked about.
    pub id: String,
    /// Whether the id is one this service printed and the log still holds.
    pub genuine: bool,
    /// The verdict in Vietnamese.
    pub message_vi: String,
    /// The verdict in English.
    pub message_en: String,
    /// What was printed, when genuine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<PrintedDocument>,
}

/// A genuine printed document, as the log holds it (never a file's title).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrintedDocument {
    /// `handover_minutes` or `fonds_list`.
    pub kind: String,
    /// The document's name in Vietnamese ("Biên bản giao nhận hồ sơ, tài liệu").
    pub name_vi: String,
    /// The document's name in English.
    pub name_en: String,
    /// The act's id (the handover), or the fonds code of a list.
    pub act_id: String,
    /// The fonds (mã phông) the act is about.
    pub fonds_code: String,
    /// The fonds' name (a list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fonds_name: Option<String>,
    /// The giving side's organ (minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub giving_organ: Option<String>,
    /// The receiving side's organ (minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiving_organ: Option<String>,
    /// The date the printed minutes carry; for a list, the day its latest event was recorded.
    pub date: NaiveDate,
    /// The act's state when printed: drafted, signed, received or cancelled (`list` for a list).
    pub status_at_print: String,
    /// Files on the attached list (on a fonds' list: the files the fonds held at that position).
    pub files: u64,
    /// The global log position the document was printed at.
    pub position: u64,
    /// The chain hash (hex) of the event at that position.
    pub head: String,
    /// The act's state now (`list` for a list).
    pub status_now: String,
    /// Whether the act (or the fonds of a list) has moved on since: a later event.
    pub changed_since: bool,
    /// The earliest signed checkpoint covering the position, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<CoveringCheckpoint>,
}

/// A signed checkpoint whose signature holds and whose head the log still ends in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoveringCheckpoint {
    /// The last position it covers.
    pub position: u64,
    /// The chain hash it signs.
    pub head: String,
    /// When it was signed.
    pub signed_at: DateTime<Utc>,
    /// The public key that signed it (base64).
    pub public_key: String,
}

impl Verification {
    fn not_genuine(id: &str) -> Self {
        Self {
            id: id.chars().take(200).collect(),
            genuine: false,
            message_vi:
                "KHÔNG XÁC THỰC: mã này không khớp với nhật ký của Bàn Giao; bản in có thể \
                         là giả hoặc đã bị sửa."
                    .to_owned(),
            message_en: "NOT GENUINE: this code does not match Bàn Giao's log; the printout may \
                         be forged or altered."
                .to_owned(),
            document: None,
        }
    }

    /// 200 when genuine, 404 when not (the same body either way).
    pub fn status(&self) -> StatusCode {
        if self.genuine {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        }
    }
}

/// Whether a printed document is genuine.
#[utoipa::path(get, path = "/api/v1/verifications/{id}", tag = "verification",
    params(("id" = String, Path, description = "The id the printed document's QR code carries (after /xac-minh/)")),
    responses(
        (status = 200, description = "Genuine: what was printed, from the log", body = Verification),
        (status = 404, description = "Not genuine (made up, altered, or unknown)", body = Verification),
        (status = 429, description = "Too many verifications from this address; see Retry-After", body = crate::error::Problem)),
    security(()))]
pub async fn verification(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    request: Request,
) -> Result<Response, ApiError> {
    admit(&state, &client_address(&request))?;
    let verdict = verify(&state, &id).await?;
    Ok((verdict.status(), axum::Json(verdict)).into_response())
}

/// The address a request came from (`local` when the server was not given it).
pub fn client_address(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(
            || "local".to_owned(),
            |ConnectInfo(addr)| addr.ip().to_string(),
        )
}

/// Counts one verification of `client`: 429 with `Retry-After` past the limit.
pub fn admit(state: &AppState, client: &str) -> Result<(), ApiError> {
    state.verify_limiter.check(client).map_err(|wait| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_verifications",
            "Quá nhiều lần xác minh từ địa chỉ này; hãy đợi rồi thử lại.",
            "Too many verifications from this address; wait and try again.",
        )
        .with_retry_after(wait)
    })
}

/// Checks `id` against the log and the read models.
pub async fn verify(state: &AppState, id: &str) -> Result<Verification, ApiError> {
    let Ok(parsed) = id.parse::<VerificationId>() else {
        return Ok(Verification::not_genuine(id));
    };
    let handover = match &parsed.printed {
        Printed::HandoverMinutes(handover) => *handover,
        Printed::FondsList(code) => return verify_fonds_list(state, id, &parsed, code).await,
    };
    // The event at the printed position: its hash must begin with the id's prefix, and it
    // must be an event of this handover.
    let Some(event) = state
        .store
        .read_all(parsed.position, 1)
        .await?
        .into_iter()
        .next()
        .filter(|e| e.position == parsed.position)
    else {
        return Ok(Verification::not_genuine(id));
    };
    let head = event.hash_hex();
    if !parsed.matches_hash(&head) || !event.stream.starts_with(FONDS_PREFIX) {
        return Ok(Verification::not_genuine(id));
    }
    let decoded = bangiao_domain::events::decode::<FondsEvent>(
        &bangiao_domain::events::upcasters(),
        &event.event_type,
        event.schema_version,
        &event.payload,
    );
    let status_at_print = match decoded {
        Ok(FondsEvent::HandoverDrafted(e)) if e.handover_id.as_uuid() == handover => "drafted",
        Ok(FondsEvent::HandoverSigned(e)) if e.handover_id.as_uuid() == handover => "signed",
        Ok(FondsEvent::HandoverReceived(e)) if e.handover_id.as_uuid() == handover => "received",
        Ok(FondsEvent::HandoverCancelled(e)) if e.handover_id.as_uuid() == handover => "cancelled",
        _ => return Ok(Verification::not_genuine(id)),
    };
    let key = handover.hyphenated().to_string();
    let minutes = query(state, move |c| {
        Minutes::load(c, &key, "").map(Some).or_else(|e| match e {
            bangiao_documents::export::ExportError::NotFound { .. } => Ok(None),
            other => Err(bangiao_projections::ProjectionError::Io(other.to_string())),
        })
    })
    .await?;
    // The log holds the event but the read models do not know the act yet.
    let Some(minutes) = minutes else {
        return Ok(Verification::not_genuine(id));
    };
    let h = &minutes.handover;
    let date = match status_at_print {
        "drafted" => h.drafted_on,
        _ => h.signed_on.unwrap_or(h.drafted_on),
    };
    let checkpoint = match &state.checkpoints {
        Some(source) => covering_checkpoint(state, source, parsed.position).await?,
        None => None,
    };
    let document = PrintedDocument {
        kind: "handover_minutes".to_owned(),
        name_vi: "Biên bản giao nhận hồ sơ, tài liệu".to_owned(),
        name_en: "Minutes of a handover of records".to_owned(),
        act_id: h.handover_id.clone(),
        fonds_code: h.fonds_code.clone(),
        fonds_name: None,
        giving_organ: Some(minutes.giving.organ.clone()),
        receiving_organ: Some(minutes.receiving.organ.clone()),
        date,
        status_at_print: status_at_print.to_owned(),
        files: h.listed.files,
        position: parsed.position,
        head,
        status_now: h.status.clone(),
        changed_since: h.event_position > parsed.position,
        checkpoint,
    };
    Ok(Verification {
        id: id.to_owned(),
        genuine: true,
        message_vi: format!(
            "XÁC THỰC: biên bản giao nhận này khớp với nhật ký của Bàn Giao ở vị trí {}.",
            parsed.position
        ),
        message_en: format!(
            "GENUINE: these handover minutes match Bàn Giao's log at position {}.",
            parsed.position
        ),
        document: Some(document),
    })
}

/// The id a fonds' list printed now carries: the fonds' latest event the read model has
/// projected (at `projected` or before); none for a fonds without events.
pub async fn fonds_list_id<S: EventStore + ?Sized>(
    store: &S,
    projected: u64,
    code: &str,
) -> Result<Option<VerificationId>, StoreError> {
    let stream = format!("{FONDS_PREFIX}{code}");
    let Some(mut revision) = store.stream_revision(&stream).await? else {
        return Ok(None);
    };
    loop {
        match store.read_stream(&stream, revision, 1).await?.first() {
            Some(e) if e.position <= projected => {
                return Ok(Some(VerificationId::fonds_list(
                    code,
                    e.position,
                    &e.hash_hex(),
                )));
            }
            _ if revision == 0 => return Ok(None),
            _ => revision -= 1,
        }
    }
}

/// A fonds' list: the event at the printed position must be that fonds' and carry the id's
/// hash prefix; the figures are the fonds' as its events up to there make it.
async fn verify_fonds_list(
    state: &AppState,
    id: &str,
    parsed: &VerificationId,
    code: &str,
) -> Result<Verification, ApiError> {
    let stream = format!("{FONDS_PREFIX}{code}");
    let Some(event) = state
        .store
        .read_all(parsed.position, 1)
        .await?
        .into_iter()
        .next()
        .filter(|e| e.position == parsed.position && e.stream == stream)
    else {
        return Ok(Verification::not_genuine(id));
    };
    let head = event.hash_hex();
    if !parsed.matches_hash(&head) {
        return Ok(Verification::not_genuine(id));
    }
    let upcasters = bangiao_domain::events::upcasters();
    let mut fonds = bangiao_domain::fonds::FondsState::default();
    let mut revision = 0;
    let mut later = false;
    'pages: loop {
        let page = state.store.read_stream(&stream, revision, 1000).await?;
        let Some(last) = page.last() else { break };
        revision = last.revision + 1;
        for e in &page {
            if e.position > parsed.position {
                later = true;
                break 'pages;
            }
            let decoded = bangiao_domain::events::decode::<FondsEvent>(
                &upcasters,
                &e.event_type,
                e.schema_version,
                &e.payload,
            )
            .map_err(ApiError::internal)?;
            FondsAggregate::evolve(&mut fonds, &decoded);
        }
    }
    if fonds.fonds().is_none() {
        return Ok(Verification::not_genuine(id));
    }
    let key = code.to_owned();
    let fonds_name = query(state, move |c| {
        bangiao_projections::query::fonds::get(c, &key)
    })
    .await?
    .map(|f| f.name);
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let date = event
        .metadata()
        .map(|m| m.recorded_at.with_timezone(&vietnam).date_naive())
        .map_err(ApiError::internal)?;
    let checkpoint = match &state.checkpoints {
        Some(source) => covering_checkpoint(state, source, parsed.position).await?,
        None => None,
    };
    let document = PrintedDocument {
        kind: "fonds_list".to_owned(),
        name_vi: "Mục lục hồ sơ".to_owned(),
        name_en: "Inventory list of files".to_owned(),
        act_id: code.to_owned(),
        fonds_code: code.to_owned(),
        fonds_name,
        giving_organ: None,
        receiving_organ: None,
        date,
        status_at_print: "list".to_owned(),
        files: fonds.file_count() as u64,
        position: parsed.position,
        head,
        status_now: if later { "list_changed" } else { "list" }.to_owned(),
        changed_since: later,
        checkpoint,
    };
    Ok(Verification {
        id: id.to_owned(),
        genuine: true,
        message_vi: format!(
            "XÁC THỰC: mục lục hồ sơ phông {code} này khớp với nhật ký của Bàn Giao ở vị trí {}.",
            parsed.position
        ),
        message_en: format!(
            "GENUINE: this inventory list of fonds {code} matches Bàn Giao's log at position {}.",
            parsed.position
        ),
        document: Some(document),
    })
}

/// The earliest checkpoint in `source` that covers `position`: signed by the trusted key and
/// still matching the log at its own position.
async fn covering_checkpoint(
    state: &AppState,
    source: &CheckpointSource,
    position: u64,
) -> Result<Option<CoveringCheckpoint>, ApiError> {
    let mut candidates: Vec<Checkpoint> = read_checkpoints(&source.dir)
        .into_iter()
        .filter(|c| c.position >= position)
        .filter(|c| checkpoint::verify_signature(c, Some(&source.public_key)).is_ok())
        .collect();
    candidates.sort_by_key(|c| c.position);
    for candidate in candidates {
        let at = state.store.read_all(candidate.position, 1).await?;
        let head = at
            .first()
            .filter(|e| e.position == candidate.position)
            .map(|e| e.hash_hex());
        if checkpoint::verify_against_log(&candidate, head.as_deref()).is_ok() {
            return Ok(Some(CoveringCheckpoint {
                position: candidate.position,
                head: candidate.head,
                signed_at: candidate.signed_at,
                public_key: candidate.public_key,
            }));
        }
    }
    Ok(None)
}

/// Every readable checkpoint file in `dir` (unreadable ones are skipped and logged).
fn read_checkpoints(dir: &Path) -> Vec<Checkpoint> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let parsed = std::fs::read_to_string(&p)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
            parsed
                .inspect_err(
                    |error| tracing::warn!(file = %p.display(), %error, "checkpoint file skipped"),
                )
                .ok()
        })
        .collect()
}
