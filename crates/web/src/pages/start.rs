//! The forms that start a process on a fonds' files chosen by filters or ticks: place a hold,
//! propose a destruction list, register a transfer.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::{HoldReason, PlaceHold, ProposeDestruction, RegisterTransfer};
use bangiao_domain::values::{
    CustodianId, DestructionId, DocumentNumber, FileCode, FondsKind, HoldId, LegalBasis, Name,
    TransferId,
};
use bangiao_projections::query::inventory::{self, Scope};
use minijinja::context;

use super::fonds::ListQuery;
use super::{Act, Fields, act, choice, date_field, field, me, parsed, required, today};
use crate::WebState;
use crate::access::{allow, cleared_filter};
use crate::error::PageError;
use crate::session::Viewer;
use bangiao_app::pipeline::Act as Acts;

/// A process a fonds page can start on files chosen by filters or ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewProcess {
    /// Place a hold (tạm giữ): an archivist whose archive holds the fonds.
    Hold,
    /// Propose a destruction list (đề nghị hủy): the same archivist.
    Destruction,
    /// Register a transfer to the historical archive (đăng ký nộp lưu): a clerk in scope.
    Transfer,
}

impl NewProcess {
    /// The path segment after `/trang/phong/{code}/`.
    fn segment(self) -> &'static str {
        match self {
            NewProcess::Hold => "tam-giu",
            NewProcess::Destruction => "huy",
            NewProcess::Transfer => "nop-luu",
        }
    }

    /// The policy's action.
    fn action(self) -> Action {
        match self {
            NewProcess::Hold => <PlaceHold as Acts>::ACTION,
            NewProcess::Destruction => <ProposeDestruction as Acts>::ACTION,
            NewProcess::Transfer => <RegisterTransfer as Acts>::ACTION,
        }
    }

    /// The pages named in the audit of a refusal (form, then submission).
    fn pages(self) -> (&'static str, &'static str) {
        match self {
            NewProcess::Hold => (
                "GET /trang/phong/{code}/tam-giu",
                "POST /trang/phong/{code}/tam-giu",
            ),
            NewProcess::Destruction => (
                "GET /trang/phong/{code}/huy",
                "POST /trang/phong/{code}/huy",
            ),
            NewProcess::Transfer => (
                "GET /trang/phong/{code}/nop-luu",
                "POST /trang/phong/{code}/nop-luu",
            ),
        }
    }

    /// Only free files (held, in no other process) can be proposed or transferred; a hold may
    /// fall on files whatever else they are in.
    fn only_free(self) -> bool {
        !matches!(self, NewProcess::Hold)
    }
}

/// The form of a new process on a fonds: its files under the filters to tick, and the fields
/// the process needs.
async fn new_form(
    web: WebState,
    viewer: Viewer,
    code: String,
    params: ListQuery,
    kind: NewProcess,
) -> Result<Response, PageError> {
    allow(&web, &viewer, kind.action(), Some(&code), kind.pages().0).await?;
    let mut filter = cleared_filter(&web, &viewer, params.filter()?).await?;
    if kind.only_free() {
        filter.status = Some("in_custody".to_owned());
    }
    let (row, totals, items) = super::tickable_files(&web, &code, filter).await?;
    web.render.page(
        &viewer,
        "process_new.html",
        context! {
            nav => "fonds",
            kind => kind.segment(),
            fonds => row,
            totals => totals,
            items => items,
            query => params.form_values(),
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// The files a new-process form chose: every file under its filters (`pick=all`), or the
/// ticked ones (`file=`).
async fn chosen_files(
    web: &WebState,
    code: &str,
    fields: &Fields,
    kind: NewProcess,
) -> Result<Vec<FileCode>, PageError> {
    let codes: Vec<String> = if field(fields, "pick") == Some("all") {
        let mut filter = ListQuery::from_fields(fields).filter()?;
        if kind.only_free() {
            filter.status = Some("in_custody".to_owned());
        }
        let scope = Scope::Fonds(code.to_owned());
        bangiao_server::reads::query(&web.app, move |c| {
            let mut codes = Vec::new();
            inventory::for_each(c, &scope, &filter, |r| {
                codes.push(r.file_code);
                true
            })?;
            Ok(codes)
        })
        .await?
    } else {
        fields
            .iter()
            .filter(|(k, _)| k == "file")
            .map(|(_, v)| v.clone())
            .collect()
    };
    if codes.is_empty() {
        return Err(PageError::invalid(
            "Chưa chọn hồ sơ nào.",
            "No file chosen.",
        ));
    }
    codes.iter().map(|c| parsed(FileCode::parse(c))).collect()
}

/// The legal basis a form gives in `basis_number`, `basis_date` and `basis_issuer`.
fn basis(fields: &Fields) -> Result<LegalBasis, PageError> {
    Ok(LegalBasis {
        number: parsed(DocumentNumber::parse(required(
            fields,
            "basis_number",
            "số văn bản căn cứ",
            "Basis number",
        )?))?,
        issued_on: date_field(fields, "basis_date", "ngày ban hành", "Basis date")?,
        issuer: parsed(Name::parse(required(
            fields,
            "basis_issuer",
            "cơ quan ban hành",
            "Basis issuer",
        )?))?,
        title: None,
    })
}

/// Starts the process from its form: the files chosen, the fields of the kind, in the caller's
/// name; then the new process's page.
async fn start(
    web: WebState,
    viewer: Viewer,
    code: String,
    fields: Fields,
    kind: NewProcess,
) -> Result<Response, PageError> {
    // Checked here as well as in `act`, so nothing is read for a forged form.
    viewer.check_form(field(&fields, crate::session::CSRF_FIELD))?;
    let files = chosen_files(&web, &code, &fields, kind).await?;
    let id = super::command_id(&fields);
    let done = format!("/trang/{}/{id}?ok=started", kind.segment());
    let on = Act {
        fonds: &code,
        page: kind.pages().1,
        done,
    };
    let (web, viewer) = (&web, &viewer);
    match kind {
        NewProcess::Hold => {
            act(web, viewer, &fields, on, |fields| {
                Ok(PlaceHold {
                    hold_id: HoldId::from_uuid(id),
                    reason: choice::<HoldReason>(fields, "reason", "lý do", "Reason")?,
                    file_codes: files,
                    legal_basis: basis(fields)?,
                    placed_by: me(viewer)?,
                    placed_on: date_field(fields, "on", "ngày", "Date")?,
                })
            })
            .await
        }
        NewProcess::Destruction => {
            act(web, viewer, &fields, on, |fields| {
                Ok(ProposeDestruction {
                    destruction_id: DestructionId::from_uuid(id),
                    file_codes: files,
                    council_decision: basis(fields)?,
                    proposed_by: me(viewer)?,
                    proposed_on: date_field(fields, "on", "ngày", "Date")?,
                })
            })
            .await
        }
        NewProcess::Transfer => {
            act(web, viewer, &fields, on, |fields| {
                let transferring =
                    required(fields, "transferring", "bên nộp lưu", "Transferring side")?;
                let archive = required(fields, "archive", "lưu trữ lịch sử", "Historical archive")?;
                Ok(RegisterTransfer {
                    transfer_id: TransferId::from_uuid(id),
                    batch: None,
                    transferring_custodian: parsed(CustodianId::parse(transferring))?,
                    archive: parsed(CustodianId::parse(archive))?,
                    declared_kind: choice::<FondsKind>(
                        fields,
                        "declared_kind",
                        "loại phông",
                        "Kind",
                    )?,
                    file_codes: files,
                    registered_by: me(viewer)?,
                    registered_on: date_field(fields, "on", "ngày", "Date")?,
                })
            })
            .await
        }
    }
}

/// `GET /trang/phong/{code}/tam-giu`: the form of a hold on files of the fonds.
pub async fn new_hold(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<ListQuery>,
) -> Result<Response, PageError> {
    new_form(web, viewer, code, params, NewProcess::Hold).await
}

/// `POST /trang/phong/{code}/tam-giu`: places the hold.
pub async fn place_hold(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    start(web, viewer, code, fields, NewProcess::Hold).await
}

/// `GET /trang/phong/{code}/huy`: the form of a destruction list of the fonds.
pub async fn new_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<ListQuery>,
) -> Result<Response, PageError> {
    new_form(web, viewer, code, params, NewProcess::Destruction).await
}

/// `POST /trang/phong/{code}/huy`: proposes the list for destruction.
pub async fn propose_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    start(web, viewer, code, fields, NewProcess::Destruction).await
}

/// `GET /trang/phong/{code}/nop-luu`: the form of a transfer of the fonds' files.
pub async fn new_transfer(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<ListQuery>,
) -> Result<Response, PageError> {
    new_form(web, viewer, code, params, NewProcess::Transfer).await
}

/// `POST /trang/phong/{code}/nop-luu`: registers the transfer.
pub async fn register_transfer(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    start(web, viewer, code, fields, NewProcess::Transfer).await
}
