//! Digital copies over HTTP: upload a file's bytes to the blob store (streamed, bounded, checked
//! against the digest the client announces), attach them to a file as a scan or a born-digital
//! document (commands), list a file's copies and download one (`Range`, `ETag`). A restricted
//! file's copies are refused (403 `not_cleared`) to a reader who may not see its title.
//! After a destruction is executed, the blobs of its deleted copies are removed ([`sweep`]).

use std::ops::Range;

use axum::body::Body;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bangiao_app::pipeline::{Act, Command};
use bangiao_content::{ContentError, Digest, FormatKind, PutLimits};
use bangiao_domain::fonds::{AttachCopy, CopyFormat, RecordDocument};
use bangiao_domain::values::{FondsCode, Sha256Hex};
use bangiao_projections::query::copies::{self, CopyRow};
use bangiao_projections::query::inventory::hides_content;
use base64::Engine;
use futures::TryStreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use crate::admission::Admitted;
use crate::commands::{execute, path_code};
use crate::error::ApiError;
use crate::extract::{ApiJson, Caller, CommandHeaders, bind_request};
use crate::reads::{Projected, WaitFor, answer, cleared_for, query};
use crate::state::AppState;

/// The command routes of this module with the action of their command type.
pub const ROUTES: &[(&str, bangiao_auth::Action)] = &[
    (
        "/api/v1/fonds/{code}/files/copies",
        <AttachCopy as Act>::ACTION,
    ),
    (
        "/api/v1/fonds/{code}/files/documents",
        <RecordDocument as Act>::ACTION,
    ),
];

/// The header a client may send with the SHA-256 of the body as 64 hex digits.
pub const CONTENT_SHA256: &str = "x-content-sha256";

/// What an upload stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// SHA-256 of the bytes (hex): name them by it when attaching the copy.
    pub sha256: String,
    /// Their size in bytes.
    pub size_bytes: u64,
    /// Format by signature: pdf, tiff, jpeg2000, jpeg, png or other.
    pub format: CopyFormat,
    /// Pages, when the format says.
    pub pages: Option<u32>,
    /// Resolution in dpi, when the format says.
    pub dpi: Option<u32>,
    /// True when the same bytes were already stored (nothing was written).
    pub already_present: bool,
}

/// Tải lên bản số hóa — streams the body to the blob store under its SHA-256. The client may
/// announce the digest (`X-Content-SHA256: <hex>` or `Repr-Digest: sha-256=:<base64>:`, RFC
/// 9530); other bytes are refused with 422 `digest_mismatch` and nothing is kept. The same bytes
/// uploaded again are stored once (200, `already_present`). Then attach them to a file with
/// `POST /api/v1/fonds/{code}/files/copies` or `…/files/documents`.
#[utoipa::path(post, path = "/api/v1/fonds/{code}/blobs", tag = "copies",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The copy's bytes"),
    params(("code" = String, Path, description = "Mã phông"),
        ("X-Content-SHA256" = Option<String>, Header, description = "Expected SHA-256 of the body (64 hex digits)"),
        ("Repr-Digest" = Option<String>, Header, description = "Expected SHA-256 as `sha-256=:<base64>:` (RFC 9530)")),
    responses((status = 201, body = Uploaded), (status = 200, body = Uploaded),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    Path(_code): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let blobs = state.blobs()?;
    let limits = PutLimits {
        max_bytes: state.config.max_upload_bytes,
        expected: expected_digest(&headers)?,
    };
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let put = blobs
        .put(Box::pin(stream), &limits)
        .await
        .map_err(content_error)?;
    let status = if put.already_present {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body = Uploaded {
        sha256: put.digest.to_hex(),
        size_bytes: put.size,
        format: copy_format(put.format.kind),
        pages: put.format.pages,
        dpi: put.format.dpi,
        already_present: put.already_present,
    };
    Ok((status, axum::Json(body)).into_response())
}

/// The domain's name of a sniffed format.
pub fn copy_format(kind: FormatKind) -> CopyFormat {
    match kind {
        FormatKind::Pdf => CopyFormat::Pdf,
        FormatKind::Tiff => CopyFormat::Tiff,
        FormatKind::Jpeg2000 => CopyFormat::Jpeg2000,
        FormatKind::Jpeg => CopyFormat::Jpeg,
        FormatKind::Png => CopyFormat::Png,
        FormatKind::Other => CopyFormat::Other,
    }
}

/// The digest the client announced, from `X-Content-SHA256` or `Repr-Digest`; both must agree.
fn expected_digest(headers: &HeaderMap) -> Result<Option<Digest>, ApiError> {
    let bad = |header: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_digest_header",
            format!("Tiêu đề {header} không phải một mã SHA-256 hợp lệ."),
            format!("The {header} header is not a valid SHA-256 digest."),
        )
        .with_field(header.to_owned())
    };
    let hex = match headers.get(CONTENT_SHA256) {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().to_ascii_lowercase().parse::<Digest>().ok())
                .ok_or_else(|| bad("X-Content-SHA256"))?,
        ),
        None => None,
    };
    let repr = match headers.get("repr-digest") {
        Some(value) => repr_digest(value).ok_or_else(|| bad("Repr-Digest"))?,
        None => None,
    };
    match (hex, repr) {
        (Some(a), Some(b)) if a != b => Err(bad("Repr-Digest")),
        (a, b) => Ok(a.or(b)),
    }
}

/// The `sha-256` member of a `Repr-Digest` dictionary (RFC 9530): `None` when it names other
/// algorithms only; `Some(None)` is never returned for a malformed value (that is an error).
fn repr_digest(value: &HeaderValue) -> Option<Option<Digest>> {
    let text = value.to_str().ok()?;
    for member in text.split(',') {
        let (name, value) = member.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("sha-256") {
            continue;
        }
        let encoded = value.trim().strip_prefix(':')?.strip_suffix(':')?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        return Some(Some(hex::encode(bytes).parse().ok()?));
    }
    Some(None)
}

/// A blob store failure as a problem.
pub fn content_error(error: ContentError) -> ApiError {
    let (status, code) = match &error {
        ContentError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        ContentError::Mismatch { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "digest_mismatch"),
        ContentError::NotFound(_) => (StatusCode::NOT_FOUND, "blob_not_found"),
        ContentError::RangeNotSatisfiable { .. } => {
            (StatusCode::RANGE_NOT_SATISFIABLE, "range_not_satisfiable")
        }
        ContentError::BadLocation(_) | ContentError::Io(_) | ContentError::Backend(_) => {
            tracing::error!(%error, "blob store failed");
            (StatusCode::SERVICE_UNAVAILABLE, "blob_store_failed")
        }
    };
    ApiError::new(status, code, error.message_vi(), error.message_en())
}

/// Refuses a command naming bytes the blob store does not hold with that size, or whose
/// signature says another format than the command.
async fn blob_is_stored(
    state: &AppState,
    sha256: &Sha256Hex,
    size: u64,
    format: CopyFormat,
) -> Result<(), ApiError> {
    let digest: Digest = sha256
        .as_str()
        .parse()
        .map_err(|_| ApiError::internal("a parsed SHA-256 is not a digest"))?;
    let blobs = state.blobs()?;
    match blobs.size(&digest).await.map_err(content_error)? {
        Some(stored) if stored == size => {
            let head = blobs
                .head(&digest, bangiao_content::SIGNATURE_LEN as u64)
                .await
                .map_err(content_error)?;
            let found = copy_format(bangiao_content::kind_of(&head));
            if found == format {
                return Ok(());
            }
            let (found, said) = (found.as_str(), format.as_str());
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "format_mismatch",
                format!("Chữ ký của bản {sha256} cho thấy định dạng {found}, không phải {said}."),
                format!("The signature of blob {sha256} says {found}, not {said}."),
            )
            .with_field("format"))
        }
        Some(stored) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "blob_size_mismatch",
            format!("Bản {sha256} đã lưu có {stored} byte, không phải {size} byte."),
            format!("The stored blob {sha256} has {stored} bytes, not {size}."),
        )
        .with_field("size_bytes")),
        None => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "blob_not_uploaded",
            format!(
                "Chưa có bản {sha256} trong kho; hãy tải lên trước (POST /api/v1/fonds/{{code}}/blobs)."
            ),
            format!(
                "No blob {sha256} is stored; upload it first (POST /api/v1/fonds/{{code}}/blobs)."
            ),
        )
        .with_field("sha256")),
    }
}

/// Số hóa — attaches uploaded bytes to a file as its scan (optionally replacing a current copy).
#[utoipa::path(post, path = "/api/v1/fonds/{code}/files/copies", tag = "copies", request_body = AttachCopy,
    params(("code" = String, Path, description = "Mã phông"),
        ("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)"),
        ("If-Match" = Option<String>, Header, description = "Expected stream revision")),
    responses((status = 201, body = crate::commands::CommandAccepted),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn attach_copy(
    State(state): State<AppState>,
    admitted: Admitted,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(command): ApiJson<AttachCopy>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &command)?;
    let code = path_code(&code, FondsCode::parse)?;
    blob_is_stored(&state, &command.sha256, command.size_bytes, command.format).await?;
    let command = Command::Fonds {
        code,
        command: command.into(),
    };
    let asked = "POST /api/v1/fonds/{code}/files/copies";
    execute(&state, admitted, asked, command, envelope).await
}

/// Tài liệu số — records uploaded bytes as a born-digital document of a file, with its TT 05
/// metadata.
#[utoipa::path(post, path = "/api/v1/fonds/{code}/files/documents", tag = "copies", request_body = RecordDocument,
    params(("code" = String, Path, description = "Mã phông"),
        ("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)"),
        ("If-Match" = Option<String>, Header, description = "Expected stream revision")),
    responses((status = 201, body = crate::commands::CommandAccepted),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn record_document(
    State(state): State<AppState>,
    admitted: Admitted,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(command): ApiJson<RecordDocument>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &command)?;
    let code = path_code(&code, FondsCode::parse)?;
    blob_is_stored(&state, &command.sha256, command.size_bytes, command.format).await?;
    let command = Command::Fonds {
        code,
        command: command.into(),
    };
    let asked = "POST /api/v1/fonds/{code}/files/documents";
    execute(&state, admitted, asked, command, envelope).await
}

/// The copies of a file the caller may see: 404 for an unknown file, 403 `not_cleared` for a
/// restricted file of a fonds the caller is not cleared for.
pub async fn visible_copies(
    state: &AppState,
    who: &bangiao_auth::Principal,
    file_code: &str,
) -> Result<Vec<CopyRow>, ApiError> {
    let key = file_code.to_owned();
    let access = query(state, move |c| copies::file_access(c, &key)).await?;
    let Some((fonds, access)) = access else {
        return Err(ApiError::not_found("hồ sơ", "file", file_code));
    };
    let cleared = cleared_for(state, who).await?;
    if hides_content(cleared.as_deref(), &fonds, &access) {
        return Err(not_cleared(file_code));
    }
    let key = file_code.to_owned();
    query(state, move |c| copies::of_file(c, &key)).await
}

/// 403 `not_cleared`: the file is restricted and the caller may not read its title.
pub fn not_cleared(file_code: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "not_cleared",
        format!(
            "Hồ sơ {file_code} thuộc chế độ hạn chế; bạn chưa được phép xem nội dung và bản số hóa của hồ sơ này."
        ),
        format!(
            "File {file_code} is restricted; you are not cleared to see its content or digital copies."
        ),
    )
}

/// The digital copies of a file: current, replaced (kept) and deleted (tombstones keeping their
/// checksums), each with its last fixity verdict.
#[utoipa::path(get, path = "/api/v1/files/{code}/copies", tag = "copies",
    params(("code" = String, Path, description = "Mã hồ sơ"), WaitFor),
    responses((status = 200, body = Vec<CopyRow>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    projected: Projected,
    Caller(who): Caller,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let rows = visible_copies(&state, &who, &code).await?;
    Ok(answer(projected, rows))
}

/// The bytes of one copy: `Range: bytes=…` gives 206 (416 outside the copy), `ETag` is the
/// SHA-256 (`If-None-Match` → 304); PDF and images are served inline, others as attachments
/// (`?download=1` always as an attachment). A deleted copy is 410 `copy_deleted`.
#[utoipa::path(get, path = "/api/v1/files/{code}/copies/{copy_id}/content", tag = "copies",
    params(("code" = String, Path, description = "Mã hồ sơ"), ("copy_id" = String, Path, description = "The copy"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag already held")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 410, body = crate::error::Problem), (status = 416, body = crate::error::Problem)))]
pub async fn content(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path((code, copy_id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let rows = visible_copies(&state, &who, &code).await?;
    let copy = rows
        .into_iter()
        .find(|c| c.copy_id == copy_id)
        .ok_or_else(|| ApiError::not_found("bản số hóa", "digital copy", &copy_id))?;
    let download = uri.query().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "download" && v != "0")
    });
    serve_copy(&state, &copy, &headers, download).await
}

/// The response carrying a copy's bytes (shared with the pages).
pub async fn serve_copy(
    state: &AppState,
    copy: &CopyRow,
    headers: &HeaderMap,
    download: bool,
) -> Result<Response, ApiError> {
    if !copy.kept() {
        return Err(ApiError::new(
            StatusCode::GONE,
            "copy_deleted",
            format!(
                "Bản số hóa {} đã bị xóa cùng hồ sơ bị hủy; chỉ còn mã SHA-256 {}.",
                copy.copy_id, copy.sha256
            ),
            format!(
                "Digital copy {} was deleted with its destroyed file; only its SHA-256 {} is kept.",
                copy.copy_id, copy.sha256
            ),
        ));
    }
    let etag = format!("\"{}\"", copy.sha256);
    let etag_value = HeaderValue::from_str(&etag).map_err(ApiError::internal)?;
    if let Some(held) = headers.get(header::IF_NONE_MATCH) {
        let held = held.to_str().unwrap_or_default();
        if held
            .split(',')
            .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == etag)
        {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response.headers_mut().insert(header::ETAG, etag_value);
            return Ok(response);
        }
    }
    let digest: Digest = copy
        .sha256
        .parse()
        .map_err(|_| ApiError::internal("a stored copy's SHA-256 is not a digest"))?;
    let range = match headers.get(header::RANGE) {
        Some(value) => byte_range(value.to_str().unwrap_or_default(), copy.size_bytes)
            .map_err(|()| unsatisfiable(copy.size_bytes))?,
        None => None,
    };
    let blob = state
        .blobs()?
        .read(&digest, range.clone())
        .await
        .map_err(|e| match e {
            ContentError::RangeNotSatisfiable { size } => unsatisfiable(size),
            other => content_error(other),
        })?;
    let status = if range.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = Response::new(Body::from_stream(blob.stream));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(copy.media_type()),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(blob.len));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, etag_value);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if let Some(r) = &range {
        let value = format!("bytes {}-{}/{}", r.start, r.end - 1, blob.total);
        h.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&value).map_err(ApiError::internal)?,
        );
    }
    let inline = copy.viewable() && !download;
    let disposition = format!(
        "{}; filename=\"{}.{}\"",
        if inline { "inline" } else { "attachment" },
        copy.copy_id,
        extension(&copy.format)
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// The file name extension of a format.
fn extension(format: &str) -> &'static str {
    match format {
        "pdf" => "pdf",
        "tiff" => "tif",
        "jpeg2000" => "jp2",
        "jpeg" => "jpg",
        "png" => "png",
        _ => "bin",
    }
}

/// 416 `range_not_satisfiable` with `Content-Range: bytes */size`.
fn unsatisfiable(size: u64) -> ApiError {
    ApiError::new(
        StatusCode::RANGE_NOT_SATISFIABLE,
        "range_not_satisfiable",
        format!("Khoảng byte yêu cầu nằm ngoài bản số hóa ({size} byte)."),
        format!("The byte range asked for lies outside the copy ({size} bytes)."),
    )
    .with_content_range(size)
}

/// One byte range of a `Range` header over `size` bytes, end exclusive: `None` to serve the
/// whole copy (several ranges, or a unit other than bytes, are ignored as RFC 9110 allows);
/// `Err` when the range lies outside the copy.
fn byte_range(header: &str, size: u64) -> Result<Option<Range<u64>>, ()> {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (first, last) = spec.split_once('-').ok_or(())?;
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        let suffix: u64 = last.parse().map_err(|_| ())?;
        if suffix == 0 || size == 0 {
            return Err(());
        }
        size.saturating_sub(suffix)..size
    } else {
        let start: u64 = first.parse().map_err(|_| ())?;
        let end = if last.is_empty() {
            size
        } else {
            let last: u64 = last.parse().map_err(|_| ())?;
            if last < start {
                return Err(());
            }
            last.saturating_add(1).min(size)
        };
        if start >= size {
            return Err(());
        }
        start..end
    };
    Ok(Some(range))
}

/// Removes from the blob store the bytes of the copies a destruction deleted (every
/// destruction's when `None`), once the read models have applied `position`, unless a copy
/// still kept (another file's) names the same bytes. Run after each executed destruction and
/// once at start-up (a crash between the event and the deletion leaves nothing behind).
/// Returns how many blobs were removed.
pub async fn sweep(
    state: &AppState,
    destruction: Option<String>,
    position: u64,
) -> Result<usize, ApiError> {
    let Some(blobs) = state.blobs.as_ref() else {
        return Ok(0);
    };
    let reached = state
        .read
        .wait_for(position, state.config.max_read_wait)
        .await;
    if reached < position {
        return Err(ApiError::projection_lagging(position, reached));
    }
    let orphans = query(state, move |c| {
        copies::orphaned_digests(c, destruction.as_deref())
    })
    .await?;
    let mut removed = 0;
    for sha256 in orphans {
        let Ok(digest) = sha256.parse::<Digest>() else {
            continue;
        };
        if blobs.delete(&digest).await.map_err(content_error)? {
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-9", 100), Ok(Some(0..10)));
        assert_eq!(byte_range("bytes=90-", 100), Ok(Some(90..100)));
        assert_eq!(byte_range("bytes=-10", 100), Ok(Some(90..100)));
        assert_eq!(byte_range("bytes=95-200", 100), Ok(Some(95..100)));
        assert_eq!(byte_range("bytes=100-", 100), Err(()));
        assert_eq!(byte_range("bytes=5-2", 100), Err(()));
        assert_eq!(byte_range("bytes=0-1,5-6", 100), Ok(None));
        assert_eq!(byte_range("items=0-1", 100), Ok(None));
    }

    #[test]
    fn repr_digest_names_the_sha256_member() {
        let digest = Digest::of(b"abc");
        let b64 = base64::engine::general_purpose::STANDARD.encode(digest.as_bytes());
        let value =
            HeaderValue::from_str(&format!("sha-512=:AAAA:, sha-256=:{b64}:")).expect("ascii");
        assert_eq!(repr_digest(&value), Some(Some(digest)));
        let other = HeaderValue::from_static("sha-512=:AAAA:");
        assert_eq!(repr_digest(&other), Some(None));
        let bad = HeaderValue::from_static("sha-256=:not base64:");
        assert_eq!(repr_digest(&bad), None);
    }
}
