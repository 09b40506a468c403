//! The handover flow (bàn giao): choose files by filters or ticks and the receiving side, see
//! the draft minutes; the giving side signs; the receiving side checks each file (received,
//! missing, damaged) and signs; the minutes and list print in the official layout (Decree
//! 30/2020 Annex V) through the API's own document export.

use std::collections::HashSet;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_documents::export::Format;
use bangiao_documents::export::minutes::attached_rows_for;
use bangiao_documents::export::rows::{ListStats, QueryRows, RowSource};
use bangiao_domain::fonds::{
    CancelHandover, Discrepancy, DraftHandover, ReceiveHandover, SignHandover,
};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, Extent, FileCode, HandoverId, LegalBasis, Name, Note, UserId,
};
use bangiao_projections::query::acts::{self, HandoverRow};
use bangiao_projections::query::inventory::{FileRow, Filter, Scope};
use bangiao_server::error::ApiError;
use minijinja::context;
use serde::Deserialize;

use super::fonds::ListQuery;
use super::{
    Fields, ListSearch, admit, command_id, date_field, field, fonds_code, me, one_of, parsed,
    read_rows, required, run, see_other, today,
};
use super::{OnRecord, Posted, acted, on_record};
use crate::WebState;
use crate::access::{allow, cleared_filter, may};
use crate::error::PageError;
use crate::session::{CSRF_FIELD, Viewer};

/// `GET /trang/ban-giao`: every set of minutes, by fonds or status.
pub async fn list(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/ban-giao").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let (f, s) = (fonds.clone(), status.clone());
    let rows = bangiao_server::reads::query(&web.app, move |c| {
        acts::handovers(c, f.as_deref(), s.as_deref(), None)
    })
    .await?;
    web.render.page(
        &viewer,
        "handovers.html",
        context! { nav => "handovers", handovers => rows, fonds => fonds, status => status },
    )
}

/// `GET /trang/phong/{code}/ban-giao`: the form of new minutes, with the fonds' files under
/// the filters to tick.
pub async fn new_form(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<ListQuery>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::WriteFonds,
        Some(&code),
        "GET /trang/phong/{code}/ban-giao",
    )
    .await?;
    let mut filter = cleared_filter(&web, &viewer, params.filter()?).await?;
    filter.status.get_or_insert_with(|| "in_custody".to_owned());
    let (row, totals, items) = super::tickable_files(&web, &code, filter).await?;
    web.render.page(
        &viewer,
        "handover_new.html",
        context! {
            nav => "handovers",
            fonds => row,
            totals => totals,
            items => items,
            tickable => super::TICKABLE,
            filters => params.filters_query(),
            query => params.form_values(),
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `POST /trang/phong/{code}/ban-giao`: drafts the minutes with the ticked files (or every
/// file under the filters), the counts declared as the list gives them; the giving person is
/// the one signed in.
pub async fn draft(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    viewer.check_form(field(&fields, CSRF_FIELD))?;
    let admitted = admit(
        &web,
        &viewer,
        <DraftHandover as bangiao_app::pipeline::Act>::ACTION,
        &code,
        "POST /trang/phong/{code}/ban-giao",
    )
    .await?;
    let fonds = fonds_code(&code)?;
    let handover_id = HandoverId::from_uuid(command_id(&fields));
    // The same form sent again (a double click, a reload) shows the minutes it drafted.
    if load(&web, &handover_id.to_string()).await.is_ok() {
        return Ok(see_other(&format!(
            "/trang/ban-giao/{handover_id}?ok=drafted"
        )));
    }
    let giving = parsed(CustodianId::parse(required(
        &fields,
        "giving_custodian",
        "bên giao",
        "Giving custodian",
    )?))?;
    let receiving = parsed(CustodianId::parse(required(
        &fields,
        "receiving_custodian",
        "bên nhận",
        "Receiving custodian",
    )?))?;
    let receiving_person = parsed(UserId::parse(required(
        &fields,
        "receiving_person",
        "người nhận",
        "Receiving person",
    )?))?;
    let legal_basis = LegalBasis {
        number: parsed(DocumentNumber::parse(required(
            &fields,
            "basis_number",
            "số văn bản căn cứ",
            "Basis number",
        )?))?,
        issued_on: date_field(&fields, "basis_date", "ngày ban hành", "Basis date")?,
        issuer: parsed(Name::parse(required(
            &fields,
            "basis_issuer",
            "cơ quan ban hành",
            "Basis issuer",
        )?))?,
        title: None,
    };
    let drafted_on = date_field(
        &fields,
        "drafted_on",
        "ngày lập biên bản",
        "Date of the minutes",
    )?;
    let every = field(&fields, "pick") == Some("all");
    let ticked: HashSet<String> = fields
        .iter()
        .filter(|(k, _)| k == "file")
        .map(|(_, v)| v.clone())
        .collect();
    let mut filter = if every {
        ListQuery::from_fields(&fields).filter()?
    } else {
        Filter::default()
    };
    // Only files the giving side holds and no other process has: the rest cannot be handed.
    filter.status = Some("in_custody".into());
    filter.custodian = Some(giving.as_str().to_owned());
    let key = code.clone();
    let (codes, stats) = read_rows(&web, move |c| {
        let mut codes = Vec::new();
        let rows = QueryRows::new(c, Scope::Fonds(key), filter);
        let mut rows = if every { rows } else { rows.only(ticked) };
        rows.each(&mut |r: &FileRow| {
            codes.push(r.file_code.clone());
            Ok(())
        })?;
        let stats = ListStats::gather(&mut rows)?;
        Ok((codes, stats))
    })
    .await?;
    if codes.is_empty() {
        return Err(PageError::invalid(
            "Chưa chọn hồ sơ nào mà bên giao đang giữ.",
            "No file chosen that the giving side holds.",
        ));
    }
    let command = DraftHandover {
        handover_id,
        batch: None,
        giving_custodian: giving,
        receiving_custodian: receiving,
        giving_person: me(&viewer)?,
        receiving_person,
        legal_basis,
        file_codes: codes
            .iter()
            .map(|c| parsed(FileCode::parse(c)))
            .collect::<Result<_, _>>()?,
        declared_files: u32::try_from(stats.files).unwrap_or(u32::MAX),
        declared_extent: Extent {
            boxes: u32::try_from(stats.boxes).unwrap_or(u32::MAX),
            sheets: u32::try_from(stats.sheets).unwrap_or(u32::MAX),
            linear_mm: stats.linear_mm(),
        },
        drafted_on,
    };
    run(&web, &viewer, admitted, &fonds, command.into(), &fields).await?;
    Ok(see_other(&format!(
        "/trang/ban-giao/{handover_id}?ok=drafted"
    )))
}

/// What the receiving side found of one file on the list (the radio buttons `check_{code}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Check {
    /// Received as listed.
    Received,
    /// Not in the boxes.
    Missing,
    /// Received damaged (a note says how).
    Damaged,
}

/// `?ok=` after an act, to say it was done.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    /// drafted, signed or received.
    pub ok: Option<String>,
}

async fn load(web: &WebState, id: &str) -> Result<HandoverRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| acts::handover(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("biên bản giao nhận", "handover", id)))
}

/// `GET /trang/ban-giao/{id}`: the minutes as drafted, signed or received, their list of
/// files, and the act the person signed in may take now.
pub async fn handover(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        None,
        "GET /trang/ban-giao/{id}",
    )
    .await?;
    let row = load(&web, &id).await?;
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    let minutes = row.clone();
    let files = read_rows(&web, move |c| {
        let mut files = Vec::new();
        attached_rows_for(c, &minutes, filter)?.each(&mut |r| {
            files.push(r.clone());
            Ok(())
        })?;
        Ok(files)
    })
    .await?;
    let me = viewer.who.user_id.as_str();
    let can_sign = row.status == "drafted"
        && row.giving_person == me
        && may(&web, &viewer, Action::WriteFonds, &row.fonds_code).await;
    let can_cancel = matches!(row.status.as_str(), "drafted" | "signed")
        && may(&web, &viewer, Action::WriteFonds, &row.fonds_code).await;
    let can_receive = row.status == "signed"
        && row.receiving_person == me
        && may(&web, &viewer, Action::ReceiveHandover, &row.fonds_code).await;
    web.render.page(
        &viewer,
        "handover.html",
        context! {
            nav => "handovers",
            h => row,
            files => files,
            can_sign => can_sign,
            can_receive => can_receive,
            can_cancel => can_cancel,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `?format=pdf|html` of the minutes.
#[derive(Debug, Default, Deserialize)]
pub struct MinutesFormat {
    /// `pdf` (default) or `html`.
    pub format: Option<String>,
}

/// `GET /trang/ban-giao/{id}/bien-ban?format=`: the Biên bản giao nhận with its attached list,
/// as the API prints it.
pub async fn minutes(
    State(web): State<WebState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(asked): Query<MinutesFormat>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        None,
        "GET /trang/ban-giao/{id}/bien-ban",
    )
    .await?;
    let format = match asked.format.as_deref() {
        Some("html") => Format::Html,
        _ => Format::Pdf,
    };
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    Ok(
        bangiao_server::reads::acts::handover_document(&web.app, &headers, id, format, filter)
            .await?,
    )
}

/// The minutes posted on, for an act from their page (audited as `page`, then `?ok={ok}`).
async fn posted_minutes(
    posted: &Posted,
    page: &'static str,
    ok: &'static str,
) -> Result<OnRecord<HandoverId>, PageError> {
    Ok(OnRecord {
        fonds: load(&posted.web, &posted.id).await?.fonds_code,
        parse: HandoverId::parse,
        page,
        back: ("/trang/ban-giao", ok),
    })
}

/// `POST /trang/ban-giao/{id}/ky`: the giving side signs.
pub async fn sign(posted: Posted) -> Result<Response, PageError> {
    let on = posted_minutes(&posted, "POST /trang/ban-giao/{id}/ky", "signed").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("signed_on", "ngày ký", "Date signed");
        let (signed_by, signed_on) = acted(viewer, fields, date)?;
        Ok(SignHandover {
            handover_id: id,
            signed_by,
            signed_on,
        })
    })
    .await
}

/// `POST /trang/ban-giao/{id}/nhan`: the receiving side records what it checked for each file
/// (`check_{code}` = received, missing or damaged, with `note_{code}` for damage) and signs.
pub async fn receive(posted: Posted) -> Result<Response, PageError> {
    let on = posted_minutes(&posted, "POST /trang/ban-giao/{id}/nhan", "received").await?;
    on_record(posted, on, |fields, viewer, id| {
        let mut discrepancies = Vec::new();
        for (name, value) in fields {
            let Some(code) = name.strip_prefix("check_") else {
                continue;
            };
            let file_code = parsed(FileCode::parse(code))?;
            let label_vi = format!("Kiểm tra hồ sơ {code}");
            let label_en = format!("Check of file {code}");
            match one_of::<Check>(value, &label_vi, &label_en)? {
                Check::Received => {}
                Check::Missing => discrepancies.push(Discrepancy::Missing { file_code }),
                Check::Damaged => {
                    let note = field(fields, &format!("note_{code}")).ok_or_else(|| {
                        PageError::invalid(
                            format!("Hồ sơ {code}: cần ghi hư hỏng thế nào."),
                            format!("File {code}: describe the damage."),
                        )
                    })?;
                    discrepancies.push(Discrepancy::Damaged {
                        file_code,
                        description: parsed(Note::parse(note))?,
                    });
                }
            }
        }
        Ok(ReceiveHandover {
            handover_id: id,
            received_by: me(viewer)?,
            received_on: date_field(fields, "received_on", "ngày nhận", "Date received")?,
            discrepancies,
        })
    })
    .await
}

/// `POST /trang/ban-giao/{id}/huy`: the giving side cancels minutes not yet received; the
/// files stay where they were.
pub async fn cancel(posted: Posted) -> Result<Response, PageError> {
    let on = posted_minutes(&posted, "POST /trang/ban-giao/{id}/huy", "cancelled").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("cancelled_on", "ngày hủy", "Date cancelled");
        let (cancelled_by, cancelled_on) = acted(viewer, fields, date)?;
        let reason = parsed(Note::parse(required(
            fields,
            "reason",
            "lý do hủy",
            "Reason",
        )?))?;
        Ok(CancelHandover {
            handover_id: id,
            cancelled_by,
            cancelled_on,
            reason,
        })
    })
    .await
}
