//! `GET /api/v1/verifications/{id}` (and the page `/xac-minh/{id}` of `bangiao-web`): whether a
//! printed document whose QR code carries `id` is genuine, checked against the log itself. No
//! account is needed; requests are rate-limited per client address. Nothing shown names a file:
//! the document, its parties, date and counts, and where in the hash chain it was printed.

use std::path::{Path, PathBuf};

use axum::extract::{ConnectInfo, Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangiao_auth::checkpoint::{self, Checkpoint};
use bangiao_documents::export::minutes::Minutes;
use bangiao_documents::export::verify::{Printed, VerificationId};
use bangiao_domain::FondsEvent;
use bangiao_domain::streams::FONDS_PREFIX;
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
    /// `handover_minutes`.
    pub kind: String,
    /// The document's name in Vietnamese ("Biên bản giao nhận hồ sơ, tài liệu").
    pub name_vi: String,
    /// The document's name in English.
    pub name_en: String,
    /// The act's id (the handover).
    pub act_id: String,
    /// The fonds (mã phông) the act is about.
    pub fonds_code: String,
    /// The giving side's organ.
    pub giving_organ: String,
    /// The receiving side's organ.
    pub receiving_organ: String,
    /// The date the printed minutes carry.
    pub date: NaiveDate,
    /// The act's state when printed: drafted, signed, received or cancelled.
    pub status_at_print: String,
    /// Files on the attached list.
    pub files: u64,
    /// The global log position the document was printed at.
    pub position: u64,
    /// The chain hash (hex) of the event at that position.
    pub head: String,
    /// The act's state now.
    pub status_now: String,
    /// Whether the act has moved on since (a later event: signed, received or cancelled).
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
    let Printed::HandoverMinutes(handover) = parsed.printed;
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
        giving_organ: minutes.giving.organ.clone(),
        receiving_organ: minutes.receiving.organ.clone(),
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
