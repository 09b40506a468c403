//! The other processes of custody: handover batches (lô bàn giao), transfers to the historical
//! archive (nộp lưu), destruction (hủy) and holds (tạm giữ, phong tỏa). A list and a page for
//! each, read from the same projections as the API's `/api/v1/batches`, `/transfers`,
//! `/destructions`; the forms that start one from a fonds' files (place a hold, propose a
//! destruction list, register a transfer); and the forms of the acts the API offers on an
//! existing process: appraise and accept a transfer, approve, execute or cancel a destruction,
//! lift a hold.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::{
    AcceptTransfer, AppraisalOutcome, AppraiseTransferList, ApproveDestruction, CancelDestruction,
    ExecuteDestruction, HoldReason, LiftHold, PlaceHold, ProposeDestruction, RegisterTransfer,
    RejectedFile,
};
use bangiao_domain::values::{
    CustodianId, DestructionId, DocumentNumber, FileCode, FondsKind, HoldId, LegalBasis, Name,
    Note, TransferId,
};
use bangiao_projections::query::inventory::{self, Filter, ProcessList, Scope};
use bangiao_projections::query::processes;
use bangiao_server::error::ApiError;
use minijinja::context;

use super::fonds::ListQuery;
use super::handovers::Done;
use super::{Act, Fields, ListSearch, act, choice, date_field, field, me, parsed, required, today};
use crate::WebState;
use crate::access::{allow, cleared_filter, may};
use crate::error::PageError;
use crate::session::Viewer;

/// `GET /trang/lo-ban-giao`: every batch of handovers, complete or not.
pub async fn batches(State(web): State<WebState>, viewer: Viewer) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/lo-ban-giao").await?;
    let rows = bangiao_server::reads::query(&web.app, processes::batches).await?;
    web.render.page(
        &viewer,
        "batches.html",
        context! { nav => "batches", batches => rows },
    )
}

/// `GET /trang/lo-ban-giao/{id}`: one batch: the fonds it names and each one's minutes.
pub async fn batch(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        None,
        "GET /trang/lo-ban-giao/{id}",
    )
    .await?;
    let key = id.clone();
    let (batch, handovers) = bangiao_server::reads::query(&web.app, move |c| {
        let batch = processes::batches(c)?
            .into_iter()
            .find(|b| b.batch_id == key);
        let handovers = processes::handovers(c, None, None, None)?
            .into_iter()
            .filter(|h| h.batch_id.as_deref() == Some(key.as_str()))
            .collect::<Vec<_>>();
        Ok((batch, handovers))
    })
    .await?;
    let batch = batch.ok_or_else(|| ApiError::not_found("lô bàn giao", "batch", &id))?;
    let missing: Vec<&String> = batch
        .fonds
        .iter()
        .filter(|f| !handovers.iter().any(|h| &h.fonds_code == *f))
        .collect();
    web.render.page(
        &viewer,
        "batch.html",
        context! { nav => "batches", batch => batch, handovers => handovers, missing => missing },
    )
}

/// `GET /trang/nop-luu`: transfers to the historical archive, by fonds or status.
pub async fn transfers(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/nop-luu").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let (f, s) = (fonds.clone(), status.clone());
    let rows = bangiao_server::reads::query(&web.app, move |c| {
        processes::transfers(c, f.as_deref(), s.as_deref())
    })
    .await?;
    web.render.page(
        &viewer,
        "transfers.html",
        context! { nav => "transfers", transfers => rows, fonds => fonds, status => status },
    )
}

async fn load_transfer(web: &WebState, id: &str) -> Result<processes::TransferRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| processes::transfer(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("nộp lưu", "transfer", id)))
}

/// `GET /trang/nop-luu/{id}`: one transfer, its list of files, and the archive's next act.
pub async fn transfer(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/nop-luu/{id}").await?;
    let row = load_transfer(&web, &id).await?;
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    let key = id.clone();
    let files = bangiao_server::reads::query(&web.app, move |c| {
        inventory::listed_in(c, ProcessList::Transfer, &key, &filter)
    })
    .await?;
    let archivist = may(&web, &viewer, Action::ArchiveTransfer, &row.fonds_code).await;
    let can_appraise = archivist && row.status == "registered";
    let can_accept = archivist && row.status == "appraised";
    web.render.page(
        &viewer,
        "transfer.html",
        context! {
            nav => "transfers",
            tr => row,
            files => files,
            can_appraise => can_appraise,
            can_accept => can_accept,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `POST /trang/nop-luu/{id}/tham-dinh`: the archive records its appraisal of the list
/// (`outcome` = approved or rejected, optional `notes`).
pub async fn appraise(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_transfer(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::ArchiveTransfer,
        page: "POST /trang/nop-luu/{id}/tham-dinh",
        done: format!("/trang/nop-luu/{id}?ok=appraised"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        let outcome = match required(fields, "outcome", "kết quả thẩm định", "Outcome")? {
            "approved" => AppraisalOutcome::Approved,
            "rejected" => AppraisalOutcome::Rejected,
            other => {
                return Err(PageError::invalid(
                    format!("Kết quả thẩm định không hợp lệ: {other}"),
                    format!("Not an appraisal outcome: {other}"),
                ));
            }
        };
        Ok(AppraiseTransferList {
            transfer_id: parsed(TransferId::parse(&id))?,
            appraised_by: me(&viewer)?,
            appraised_on: date_field(fields, "appraised_on", "ngày thẩm định", "Date")?,
            outcome,
            notes: field(fields, "notes")
                .map(Note::parse)
                .transpose()
                .map_err(|e| PageError::value(&e))?,
        }
        .into())
    })
    .await
}

/// `POST /trang/nop-luu/{id}/thu`: the archive takes the files marked `take_{code}=accept`
/// and refuses those marked `reject`, each with `reason_{code}`.
pub async fn accept(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_transfer(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::ArchiveTransfer,
        page: "POST /trang/nop-luu/{id}/thu",
        done: format!("/trang/nop-luu/{id}?ok=accepted"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
        for (name, value) in fields {
            let Some(code) = name.strip_prefix("take_") else {
                continue;
            };
            let file_code = parsed(FileCode::parse(code))?;
            if value == "reject" {
                let reason = field(fields, &format!("reason_{code}")).ok_or_else(|| {
                    PageError::invalid(
                        format!("Hồ sơ {code}: cần ghi lý do không thu."),
                        format!("File {code}: give the reason it is refused."),
                    )
                })?;
                rejected.push(RejectedFile {
                    file_code,
                    reason: parsed(Note::parse(reason))?,
                });
            } else {
                accepted.push(file_code);
            }
        }
        Ok(AcceptTransfer {
            transfer_id: parsed(TransferId::parse(&id))?,
            accepted_by: me(&viewer)?,
            accepted_on: date_field(fields, "accepted_on", "ngày thu", "Date accepted")?,
            accepted,
            rejected,
        }
        .into())
    })
    .await
}

/// `GET /trang/huy`: destruction procedures, by fonds or status.
pub async fn destructions(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/huy").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let f = fonds.clone();
    let mut rows =
        bangiao_server::reads::query(&web.app, move |c| processes::destructions(c, f.as_deref()))
            .await?;
    if let Some(status) = &status {
        rows.retain(|d| &d.status == status);
    }
    web.render.page(
        &viewer,
        "destructions.html",
        context! { nav => "destructions", destructions => rows, fonds => fonds, status => status },
    )
}

async fn load_destruction(
    web: &WebState,
    id: &str,
) -> Result<processes::DestructionRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| processes::destruction(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("hủy tài liệu", "destruction", id)))
}

/// `GET /trang/huy/{id}`: one destruction procedure, its frozen list, and the next act.
pub async fn destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/huy/{id}").await?;
    let row = load_destruction(&web, &id).await?;
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    let key = id.clone();
    let files = bangiao_server::reads::query(&web.app, move |c| {
        inventory::listed_in(c, ProcessList::Destruction, &key, &filter)
    })
    .await?;
    let open = matches!(row.status.as_str(), "proposed" | "approved");
    let curator = open && may(&web, &viewer, Action::CurateFonds, &row.fonds_code).await;
    let can_approve = row.status == "proposed"
        && row.proposed_by != viewer.who.user_id
        && may(&web, &viewer, Action::ApproveDestruction, &row.fonds_code).await;
    let can_execute = curator && row.status == "approved";
    web.render.page(
        &viewer,
        "destruction.html",
        context! {
            nav => "destructions",
            d => row,
            files => files,
            can_approve => can_approve,
            can_execute => can_execute,
            can_cancel => curator,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `POST /trang/huy/{id}/duyet`: an approver who did not propose the list approves it.
pub async fn approve_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_destruction(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::ApproveDestruction,
        page: "POST /trang/huy/{id}/duyet",
        done: format!("/trang/huy/{id}?ok=approved"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(ApproveDestruction {
            destruction_id: parsed(DestructionId::parse(&id))?,
            approved_by: me(&viewer)?,
            approved_on: date_field(fields, "approved_on", "ngày duyệt", "Date approved")?,
        }
        .into())
    })
    .await
}

/// `POST /trang/huy/{id}/thuc-hien`: the archivist records that the approved files were
/// destroyed.
pub async fn execute_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_destruction(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::CurateFonds,
        page: "POST /trang/huy/{id}/thuc-hien",
        done: format!("/trang/huy/{id}?ok=executed"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(ExecuteDestruction {
            destruction_id: parsed(DestructionId::parse(&id))?,
            executed_by: me(&viewer)?,
            executed_on: date_field(fields, "executed_on", "ngày hủy", "Date destroyed")?,
        }
        .into())
    })
    .await
}

/// `POST /trang/huy/{id}/bo`: the archivist abandons a proposal not yet executed; the files
/// are free again.
pub async fn cancel_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_destruction(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::CurateFonds,
        page: "POST /trang/huy/{id}/bo",
        done: format!("/trang/huy/{id}?ok=cancelled"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(CancelDestruction {
            destruction_id: parsed(DestructionId::parse(&id))?,
            cancelled_by: me(&viewer)?,
            cancelled_on: date_field(fields, "cancelled_on", "ngày hủy bỏ", "Date cancelled")?,
            reason: parsed(Note::parse(required(
                fields,
                "reason",
                "lý do hủy bỏ",
                "Reason",
            )?))?,
        }
        .into())
    })
    .await
}

/// `GET /trang/tam-giu`: holds, by fonds; `status` = `active` or `lifted`.
pub async fn holds(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/tam-giu").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let f = fonds.clone();
    let mut rows =
        bangiao_server::reads::query(&web.app, move |c| processes::holds(c, f.as_deref())).await?;
    match status.as_deref() {
        Some("active") => rows.retain(|h| h.lifted_on.is_none()),
        Some("lifted") => rows.retain(|h| h.lifted_on.is_some()),
        _ => {}
    }
    web.render.page(
        &viewer,
        "holds.html",
        context! { nav => "holds", holds => rows, fonds => fonds, status => status },
    )
}

async fn load_hold(web: &WebState, id: &str) -> Result<processes::HoldRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| processes::hold(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("lệnh tạm giữ", "hold", id)))
}

/// `GET /trang/tam-giu/{id}`: one hold, and the form to lift it.
pub async fn hold(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/tam-giu/{id}").await?;
    let row = load_hold(&web, &id).await?;
    let can_lift =
        row.lifted_on.is_none() && may(&web, &viewer, Action::CurateFonds, &row.fonds_code).await;
    web.render.page(
        &viewer,
        "hold.html",
        context! {
            nav => "holds",
            h => row,
            can_lift => can_lift,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `POST /trang/tam-giu/{id}/go`: the archivist lifts the hold.
pub async fn lift_hold(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_hold(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::CurateFonds,
        page: "POST /trang/tam-giu/{id}/go",
        done: format!("/trang/tam-giu/{id}?ok=lifted"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(LiftHold {
            hold_id: parsed(HoldId::parse(&id))?,
            lifted_by: me(&viewer)?,
            lifted_on: date_field(fields, "lifted_on", "ngày gỡ", "Date lifted")?,
        }
        .into())
    })
    .await
}

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
            NewProcess::Hold | NewProcess::Destruction => Action::CurateFonds,
            NewProcess::Transfer => Action::WriteFonds,
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
        action: kind.action(),
        page: kind.pages().1,
        done,
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(match kind {
            NewProcess::Hold => PlaceHold {
                hold_id: HoldId::from_uuid(id),
                reason: choice::<HoldReason>(fields, "reason", "lý do", "Reason")?,
                file_codes: files,
                legal_basis: basis(fields)?,
                placed_by: me(&viewer)?,
                placed_on: date_field(fields, "on", "ngày", "Date")?,
            }
            .into(),
            NewProcess::Destruction => ProposeDestruction {
                destruction_id: DestructionId::from_uuid(id),
                file_codes: files,
                council_decision: basis(fields)?,
                proposed_by: me(&viewer)?,
                proposed_on: date_field(fields, "on", "ngày", "Date")?,
            }
            .into(),
            NewProcess::Transfer => RegisterTransfer {
                transfer_id: TransferId::from_uuid(id),
                batch: None,
                transferring_custodian: parsed(CustodianId::parse(required(
                    fields,
                    "transferring",
                    "bên nộp lưu",
                    "Transferring side",
                )?))?,
                archive: parsed(CustodianId::parse(required(
                    fields,
                    "archive",
                    "lưu trữ lịch sử",
                    "Historical archive",
                )?))?,
                declared_kind: choice::<FondsKind>(fields, "declared_kind", "loại phông", "Kind")?,
                file_codes: files,
                registered_by: me(&viewer)?,
                registered_on: date_field(fields, "on", "ngày", "Date")?,
            }
            .into(),
        })
    })
    .await
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
