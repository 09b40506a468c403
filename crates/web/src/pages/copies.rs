//! A file's digital copies on the pages: their bytes served to whoever may read the file's
//! title (inline for PDF and images), and the form that uploads a scan and attaches it, streamed
//! to the blob store as the API does.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_content::PutLimits;
use bangiao_domain::fonds::AttachCopy;
use bangiao_domain::values::{CopyId, FileCode, Name, Sha256Hex, UserId};
use bangiao_projections::query::custody;
use bangiao_server::copies::{content_error, copy_format, serve_copy, visible_copies};
use futures::TryStreamExt;
use serde::Deserialize;

use super::{admit, fonds_code, read_rows, run, see_other, today};
use crate::WebState;
use crate::access::allow;
use crate::error::PageError;
use crate::session::{CSRF_FIELD, Viewer};

/// `?tai=1`: as an attachment rather than inline.
#[derive(Debug, Default, Deserialize)]
pub struct Download {
    /// Any value but `0` asks for an attachment.
    pub tai: Option<String>,
}

/// `GET /trang/ho-so/{code}/ban-sao/{copy_id}`: the copy's bytes (`Range`, `ETag` as the API).
pub async fn content(
    State(web): State<WebState>,
    viewer: Viewer,
    Path((code, copy_id)): Path<(String, String)>,
    Query(download): Query<Download>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let page = "GET /trang/ho-so/{code}/ban-sao/{copy_id}";
    allow(&web, &viewer, Action::Read, None, page).await?;
    let copies = visible_copies(&web.app, &viewer.who, &code).await?;
    let copy = copies
        .into_iter()
        .find(|c| c.copy_id == copy_id)
        .ok_or_else(|| {
            bangiao_server::error::ApiError::not_found("bản số hóa", "digital copy", &copy_id)
        })?;
    let attachment = download.tai.is_some_and(|v| v != "0");
    Ok(serve_copy(&web.app, &copy, &headers, attachment).await?)
}

/// `POST /trang/ho-so/{code}/ban-sao`: a scan uploaded (multipart field `file`, after `_csrf`)
/// and attached to the file as the viewer's digitisation of today.
pub async fn upload(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let page = "POST /trang/ho-so/{code}/ban-sao";
    let key = code.clone();
    let fonds = read_rows(&web, move |c| Ok(custody::now(c, &key)?))
        .await?
        .map(|now| now.fonds_code)
        .ok_or_else(|| bangiao_server::error::ApiError::not_found("hồ sơ", "file", &code))?;
    // Decided before the upload is read, so nobody may make the service store bytes for nothing.
    let admitted = admit(&web, &viewer, Action::Digitise, &fonds, page).await?;
    let unreadable = || {
        PageError::invalid(
            "Không đọc được tệp tải lên (bị cắt hoặc sai định dạng biểu mẫu).",
            "The upload could not be read (cut short, or not a form upload).",
        )
    };
    let mut csrf = None;
    let mut put = None;
    let mut name = None;
    while let Some(part) = multipart.next_field().await.map_err(|_| unreadable())? {
        match part.name() {
            Some(CSRF_FIELD) => csrf = Some(part.text().await.map_err(|_| unreadable())?),
            Some("file") => {
                // The form's token comes first: no byte is stored for a forged form.
                viewer.check_form(csrf.as_deref())?;
                name = part.file_name().map(str::to_owned);
                let limits = PutLimits {
                    max_bytes: web.app.config.max_upload_bytes,
                    expected: None,
                };
                let stream = part.map_err(std::io::Error::other);
                let stored = web
                    .app
                    .blobs()?
                    .put(Box::pin(stream), &limits)
                    .await
                    .map_err(content_error)?;
                put = Some(stored);
            }
            _ => {}
        }
    }
    viewer.check_form(csrf.as_deref())?;
    let Some(put) = put.filter(|p| p.size > 0) else {
        return Err(PageError::invalid("Chưa chọn tệp.", "No file chosen."));
    };
    let value = |e: bangiao_domain::ValueError| PageError::value(&e);
    let command = AttachCopy {
        file_code: FileCode::parse(&code).map_err(value)?,
        copy_id: CopyId::from_uuid(uuid::Uuid::now_v7()),
        sha256: Sha256Hex::parse(&put.digest.to_hex()).map_err(value)?,
        size_bytes: put.size,
        format: copy_format(put.format.kind),
        pages: put.format.pages,
        dpi: put.format.dpi,
        original_name: name
            .filter(|n| !n.trim().is_empty())
            .map(|n| Name::parse(&n))
            .transpose()
            .map_err(value)?,
        digitised_by: UserId::parse(&viewer.who.user_id).map_err(value)?,
        digitised_on: today(),
        replaces: None,
    };
    let fonds = fonds_code(&fonds)?;
    run(&web, &viewer, admitted, &fonds, command.into(), &Vec::new()).await?;
    Ok(see_other(&format!("/trang/ho-so/{code}?ok=copy")))
}
