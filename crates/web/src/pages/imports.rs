//! Import of an inventory list (XLSX or CSV): upload, the dry run's report with every problem
//! by row and cell, then apply the same bytes — through `documents::import`, as the API does.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_documents::import::{
    Format, ImportError, ImportOptions, ImportReport, import_inventory,
};
use minijinja::context;

use super::{Fields, field, fonds_code};
use crate::WebState;
use crate::access::allow;
use crate::error::PageError;
use crate::problems::ImportWithProblems;
use crate::session::{CSRF_FIELD, Viewer};
use crate::uploads::Upload;

fn import_error(error: ImportError) -> PageError {
    match error {
        ImportError::Service(inner) => PageError::Api(inner.into()),
        other => PageError::invalid(other.message_vi(), other.message_en()),
    }
}

/// `GET /trang/phong/{code}/nhap`: the upload form.
pub async fn form(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::WriteFonds,
        Some(&code),
        "GET /trang/phong/{code}/nhap",
    )
    .await?;
    web.render.page(
        &viewer,
        "import.html",
        context! { nav => "fonds", code => code, max_mb => crate::MAX_UPLOAD_BYTES / (1024 * 1024) },
    )
}

/// `POST /trang/phong/{code}/nhap` (multipart): checks the file without writing anything and
/// shows the report; the bytes wait for an apply.
pub async fn dry_run(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    // Decided before the upload is read, so nobody may make the service read 50 MB for nothing.
    allow(
        &web,
        &viewer,
        Action::WriteFonds,
        Some(&code),
        "POST /trang/phong/{code}/nhap",
    )
    .await?;
    let mut csrf = None;
    let mut file: Option<(String, Option<String>, Vec<u8>)> = None;
    let too_large = || {
        PageError::invalid(
            "Không đọc được tệp tải lên (quá lớn hoặc bị cắt).",
            "The upload could not be read (too large or cut short).",
        )
    };
    while let Some(part) = multipart.next_field().await.map_err(|_| too_large())? {
        match part.name() {
            Some(CSRF_FIELD) => csrf = Some(part.text().await.map_err(|_| too_large())?),
            Some("file") => {
                let name = part.file_name().unwrap_or("").to_owned();
                let kind = part.content_type().map(str::to_owned);
                let bytes = part.bytes().await.map_err(|_| too_large())?;
                file = Some((name, kind, bytes.to_vec()));
            }
            _ => {}
        }
    }
    viewer.check_form(csrf.as_deref())?;
    let fonds = fonds_code(&code)?;
    let Some((file_name, kind, bytes)) = file.filter(|(_, _, b)| !b.is_empty()) else {
        return Err(PageError::invalid("Chưa chọn tệp.", "No file chosen."));
    };
    let format = Format::detect(&bytes, kind.as_deref()).map_err(import_error)?;
    let options = ImportOptions {
        dry_run: true,
        actor: Some(bangiao_app::pipeline::actor(&viewer.who)),
        ..ImportOptions::default()
    };
    let report = import_inventory(
        web.app.service.as_ref(),
        &fonds,
        &bytes,
        format,
        &options,
        &mut |_| {},
    )
    .await
    .map_err(import_error)?;
    note_problems(&web, &viewer, &code, &file_name, &report);
    let id = web.uploads.keep(Upload {
        user_id: viewer.who.user_id.clone(),
        fonds: code.clone(),
        file_name: file_name.clone(),
        bytes: Arc::new(bytes),
        report: report.clone(),
        at: std::time::Instant::now(),
    });
    render_report(&web, &viewer, &code, &file_name, Some(&id), &report, false)
}

/// Keeps a dry run with problems for the home page, or forgets the person's earlier one for the
/// fonds when this run is clean or applied. The report is shown either way: a failure to keep
/// the note is logged, not turned into a failed import.
fn note_problems(
    web: &WebState,
    viewer: &Viewer,
    fonds: &str,
    file_name: &str,
    report: &ImportReport,
) {
    let user_id = viewer.who.user_id.as_str();
    let kept = if report.dry_run && !report.problems.is_empty() {
        web.problems.record(ImportWithProblems {
            user_id: user_id.to_owned(),
            fonds: fonds.to_owned(),
            file_name: file_name.to_owned(),
            rows: report.rows_with_problems,
            problems: report.problems.len() as u64,
            at: chrono::Utc::now(),
        })
    } else {
        web.problems.clear(user_id, fonds)
    };
    if let Err(error) = kept {
        tracing::error!(%error, "could not keep the imports with problems");
    }
}

fn render_report(
    web: &WebState,
    viewer: &Viewer,
    code: &str,
    file_name: &str,
    upload: Option<&str>,
    report: &bangiao_documents::import::ImportReport,
    applied: bool,
) -> Result<Response, PageError> {
    // Problems grouped by row, so each row of the sheet shows once with its cells marked.
    let mut rows: Vec<(u32, Vec<&bangiao_documents::import::RowProblem>)> = Vec::new();
    for problem in &report.problems {
        match rows.last_mut() {
            Some((row, list)) if *row == problem.row => list.push(problem),
            _ => rows.push((problem.row, vec![problem])),
        }
    }
    let rows: Vec<_> = rows
        .into_iter()
        .map(|(row, problems)| context! { row => row, problems => problems })
        .collect();
    web.render.page(
        viewer,
        "import_report.html",
        context! {
            nav => "fonds",
            code => code,
            file_name => file_name,
            upload => upload,
            report => report,
            rows => rows,
            applied => applied,
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `POST /trang/phong/{code}/nhap/{id}`: applies the upload the dry run checked (all or
/// nothing, or only the valid rows when asked).
pub async fn apply(
    State(web): State<WebState>,
    viewer: Viewer,
    Path((code, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    viewer.check_form(field(&fields, CSRF_FIELD))?;
    allow(
        &web,
        &viewer,
        Action::WriteFonds,
        Some(&code),
        "POST /trang/phong/{code}/nhap/{id}",
    )
    .await?;
    let fonds = fonds_code(&code)?;
    let upload = web
        .uploads
        .get(&id, &viewer.who.user_id)
        .filter(|u| u.fonds == code)
        .ok_or_else(|| {
            PageError::invalid(
                "Tệp đã tải lên không còn (quá 30 phút hoặc đã ghi). Hãy tải lên lại.",
                "The upload is no longer kept (over 30 minutes, or already applied). Upload it again.",
            )
        })?;
    let format = Format::detect(&upload.bytes, None).map_err(import_error)?;
    let options = ImportOptions {
        dry_run: false,
        valid_only: field(&fields, "valid_only") == Some("yes"),
        actor: Some(bangiao_app::pipeline::actor(&viewer.who)),
        ..ImportOptions::default()
    };
    let report = import_inventory(
        web.app.service.as_ref(),
        &fonds,
        &upload.bytes,
        format,
        &options,
        &mut |_| {},
    )
    .await
    .map_err(import_error)?;
    if !report.blocked {
        web.uploads.forget(&id);
        note_problems(&web, &viewer, &code, &upload.file_name, &report);
    }
    web.app
        .read
        .wait_for(report.last_position, web.app.config.max_read_wait)
        .await;
    let keep = report.blocked.then_some(id.as_str());
    render_report(
        &web,
        &viewer,
        &code,
        &upload.file_name,
        keep,
        &report,
        !report.blocked,
    )
}
