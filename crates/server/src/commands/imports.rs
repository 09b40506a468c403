//! Nhập mục lục hồ sơ — an inventory list (XLSX or CSV) uploaded as the raw body, checked row
//! by row and recorded as files of the fonds; the answer is the import report as JSON.
//!
//! Statuses: 200 for a dry run (problems or not) and for an apply that had nothing new to
//! write; 201 when files were recorded; 422 with the report when problems blocked an
//! all-or-nothing apply (nothing written). A file that cannot be taken at all (too large, a zip
//! bomb, not XLSX nor CSV, no header) is a problem+json.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bangiao_documents::import::{
    Format, ImportError, ImportOptions, ImportReport, import_inventory,
};
use bangiao_domain::values::FondsCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::path_code;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller, CommandHeaders};
use crate::state::AppState;

/// Largest upload taken by this route (the JSON routes keep their own, smaller limit).
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// How to import.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check only, write nothing (default false).
    pub dry_run: Option<bool>,
    /// Record the valid rows even if others have problems (default false: all or nothing).
    pub valid_only: Option<bool>,
}

/// Nhập mục lục hồ sơ — imports an inventory list into the fonds.
#[utoipa::path(post, path = "/api/v1/fonds/{code}/imports", tag = "fonds commands",
    params(("code" = String, Path, description = "Mã phông"), ImportParams),
    request_body(content = Vec<u8>, description = "The XLSX or CSV file itself, at most 50 MB",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses(
        (status = 200, body = ImportReport, description = "Dry run, or nothing new to record"),
        (status = 201, body = ImportReport, description = "Files recorded"),
        (status = 422, body = ImportReport, description = "Problems in rows blocked the apply; nothing written"),
        (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem, description = "Too large, too many rows, or a zip bomb"),
        (status = 415, body = crate::error::Problem, description = "Neither XLSX nor CSV")))]
pub async fn import(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(params): ApiQuery<ImportParams>,
    Caller(who): Caller,
    CommandHeaders(envelope): CommandHeaders,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let code = path_code(&code, FondsCode::parse)?;
    let meta = envelope
        .meta(&who)
        .map_err(|e| ApiError::bad_request(e.code(), e.message_vi(), e.message_en()))?;
    let options = ImportOptions {
        dry_run: params.dry_run.unwrap_or(false),
        valid_only: params.valid_only.unwrap_or(false),
        // The caller the authentication layer established is the events' actor.
        actor: meta.actor,
        ..ImportOptions::default()
    };
    let bytes = axum::body::to_bytes(body, MAX_UPLOAD_BYTES)
        .await
        .map_err(|_| too_large())?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let format = Format::detect(&bytes, content_type).map_err(import_problem)?;
    let report = import_inventory(
        state.service.as_ref(),
        &code,
        &bytes,
        format,
        &options,
        &mut |_| {},
    )
    .await
    .map_err(import_problem)?;
    let status = if report.blocked {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if report.files_recorded > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(report)).into_response())
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        format!("Tệp tải lên vượt {} MB.", MAX_UPLOAD_BYTES / (1024 * 1024)),
        format!(
            "The upload is larger than {} MB.",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ),
    )
}

/// A file refused as a whole, as a problem with the status that fits it.
pub(crate) fn import_problem(error: ImportError) -> ApiError {
    let error = match error {
        ImportError::Service(inner) => return inner.into(),
        other => other,
    };
    let status = match &error {
        ImportError::FileTooLarge { .. }
        | ImportError::ZipBomb { .. }
        | ImportError::TooManyRows { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ImportError::UnknownFormat => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ImportError::FondsNotFound(_) => StatusCode::NOT_FOUND,
        ImportError::Apply { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, error.code(), error.message_vi(), error.message_en())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use bangiao_app::handler::CommandMeta;
    use bangiao_domain::fonds::{CloseFonds, OpenFonds};
    use bangiao_domain::values::{
        CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
    };
    use bangiao_projections::ReadModel;
    use bangiao_store::MemoryStore;
    use chrono::NaiveDate;
    use http_body_util::BodyExt;
    use serde_json::Value;
    use tower::ServiceExt;

    use crate::{AppState, HttpConfig, Store, router};

    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /// The clerk of unit 066 every upload of these tests is sent by.
    const TOKEN: &str = "bg_import-test-clerk-of-066-00000000000000000";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    /// The router over a fresh store holding fonds 066-UB and 066-D01, both closed on 30 June 2025.
    async fn app() -> (tempfile::TempDir, axum::Router) {
        let dir = tempfile::tempdir().expect("dir");
        let store: Store = Arc::new(MemoryStore::new());
        let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
        let state = AppState::new(store, read, HttpConfig::default());
        for code in ["066-UB", "066-D01"] {
            let fonds = FondsCode::parse(code).expect("valid");
            let open = OpenFonds {
                fonds_code: fonds.clone(),
                name: Name::parse("Phông UBND huyện Pác Nặm").expect("valid"),
                kind: FondsKind::State,
                creator_organ_id: OrganId::parse("H06").expect("valid"),
                creator_name: Name::parse("UBND huyện Pác Nặm").expect("valid"),
                unit_code: UnitCode::parse("066").expect("valid"),
                custodian: CustodianId::parse("UBND-066").expect("valid"),
                opened_on: day(2003, 1, 1),
                unit_ended_on: None,
            };
            let close = CloseFonds {
                closed_on: day(2025, 6, 30),
                closing_act: LegalBasis {
                    number: DocumentNumber::parse("96/QĐ-UBND").expect("valid"),
                    issued_on: day(2025, 6, 26),
                    issuer: Name::parse("UBND huyện Pác Nặm").expect("valid"),
                    title: None,
                },
            };
            for command in [open.into(), close.into()] {
                let meta = CommandMeta::new(uuid::Uuid::now_v7());
                state
                    .service
                    .fonds_command(&fonds, command, &meta)
                    .await
                    .expect("accepted");
            }
        }
        let clerk = bangiao_auth::Principal {
            user_id: "vanthu.066".into(),
            role: bangiao_auth::Role::Clerk,
            scope: Some("066".into()),
            person: Default::default(),
        };
        crate::auth::issue_token(&state.store, TOKEN, &clerk, 1, "test")
            .await
            .expect("token");
        state.read.catch_up(&state.store).await.expect("projected");
        (dir, router(state))
    }

    fn sample(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/pac-nam")
            .join(name);
        std::fs::read(path).expect("the sample exists")
    }

    async fn upload(
        app: &axum::Router,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, String, Value) {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(body))
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("answered");
        let status = response.status();
        let kind = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let value = serde_json::from_slice(&body).expect("JSON");
        (status, kind, value)
    }

    #[tokio::test]
    async fn a_dry_run_then_an_apply_then_a_repeat() {
        let (_dir, app) = app().await;
        let path = "/api/v1/fonds/066-D01/imports";
        let file = sample("muc-luc-066-D01.xlsx");
        let (status, _, dry) =
            upload(&app, &format!("{path}?dry_run=true"), XLSX, file.clone()).await;
        assert_eq!(status, StatusCode::OK, "{dry}");
        assert_eq!(
            (dry["rows_valid"].as_u64(), dry["files_recorded"].as_u64()),
            (Some(141), Some(0))
        );
        let (status, _, applied) = upload(&app, path, XLSX, file.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{applied}");
        assert_eq!(applied["files_recorded"], 141);
        let (status, _, again) = upload(&app, path, XLSX, file).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                again["files_recorded"].as_u64(),
                again["rows_present"].as_u64()
            ),
            (Some(0), Some(141))
        );
    }

    #[tokio::test]
    async fn problems_block_the_apply_with_the_report_and_valid_only_takes_the_rest() {
        let (_dir, app) = app().await;
        let path = "/api/v1/fonds/066-UB/imports";
        let file = sample("muc-luc-066-UB-loi.xlsx");
        let (status, kind, blocked) = upload(&app, path, XLSX, file.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(kind, "application/json");
        assert_eq!(blocked["blocked"], true);
        assert_eq!(blocked["problems"].as_array().map(Vec::len), Some(7));
        assert_eq!(blocked["problems"][0]["row"], 46);
        assert_eq!(blocked["problems"][0]["code"], "missing_value");
        let (status, _, taken) = upload(&app, &format!("{path}?valid_only=true"), XLSX, file).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(taken["files_recorded"], 293);
    }

    #[tokio::test]
    async fn a_csv_larger_than_the_json_limit_is_taken() {
        let (_dir, app) = app().await;
        let mut csv =
            String::from("Hồ sơ số,Tiêu đề hồ sơ,Ngày bắt đầu,Ngày kết thúc,THBQ,Chế độ sử dụng\n");
        for n in 1..=30_000 {
            csv.push_str(&format!(
                "{n},Hồ sơ số {n} về công tác văn thư lưu trữ của huyện Pác Nặm,02/01/2003,25/05/2003,VV,Công khai\n"
            ));
        }
        assert!(csv.len() > HttpConfig::default().max_body_bytes);
        let (status, _, report) = upload(
            &app,
            "/api/v1/fonds/066-UB/imports",
            "text/csv",
            csv.into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{report}");
        assert_eq!(report["files_recorded"], 30_000);
    }

    #[tokio::test]
    async fn files_that_cannot_be_taken_are_problems() {
        let (_dir, app) = app().await;
        let path = "/api/v1/fonds/066-UB/imports";
        let (status, kind, problem) =
            upload(&app, path, XLSX, b"\xD0\xCF\x11\xE0 an old .xls".to_vec()).await;
        assert_eq!(
            (status, kind.as_str()),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "application/problem+json"
            )
        );
        assert_eq!(problem["code"], "unknown_format");
        let (status, _, problem) = upload(&app, path, "text/csv", b"a,b\n1,2\n".to_vec()).await;
        assert_eq!(
            (status, &problem["code"]),
            (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("no_header"))
        );
        let (status, _, problem) = upload(
            &app,
            "/api/v1/fonds/066-XX/imports",
            "text/csv",
            b"a".to_vec(),
        )
        .await;
        // A fonds that does not exist is outside every clerk's scope: the refusal comes before
        // the lookup, so a caller learns nothing about which fonds exist.
        assert_eq!(
            (status, &problem["code"]),
            (StatusCode::FORBIDDEN, &Value::from("out_of_scope"))
        );
    }
}
