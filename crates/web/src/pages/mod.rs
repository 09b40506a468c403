//! The pages, one module per subject. Each handler reads through the projections' queries (or
//! the API's own export functions) and decides with [`crate::access`]; a form that acts goes
//! through the command pipeline (`bangiao_app::pipeline`), exactly as the JSON API and gRPC do:
//! admitted under the same write limit, authorised with the command's own action, in the
//! viewer's name, its refusals audited.

pub mod batches;
pub mod copies;
pub mod deadlines;
pub mod destructions;
pub mod files;
pub mod fonds;
pub mod handovers;
pub mod holds;
pub mod home;
pub mod imports;
pub mod signin;
pub mod start;
pub mod transfers;
pub mod units;
pub mod verify;

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bangiao_app::pipeline::{Call, Command, Decided, Envelope, Permit, Target};
use bangiao_auth::Action;
use bangiao_documents::export::ExportError;
use bangiao_domain::fonds::FondsCommand;
use bangiao_domain::values::{FondsCode, UserId};
use bangiao_projections::query::fonds::{FondsRow, get as fonds_row};
use bangiao_projections::query::inventory::{self, FileRow, Filter, Scope, Totals};
use bangiao_server::error::ApiError;

use crate::WebState;
use crate::error::PageError;
use crate::session::{CSRF_FIELD, Viewer};

/// Fields of a posted form, in order (repeated names allowed, as ticked boxes send them).
pub type Fields = Vec<(String, String)>;

/// The first value of field `name`, trimmed; `None` when absent or blank.
pub fn field<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// A required field, or a form error naming it.
pub fn required<'f>(
    fields: &'f Fields,
    name: &str,
    label_vi: &str,
    label_en: &str,
) -> Result<&'f str, PageError> {
    field(fields, name).ok_or_else(|| {
        PageError::invalid(
            format!("Chưa điền {label_vi}."),
            format!("{label_en} is missing."),
        )
    })
}

/// A date field (YYYY-MM-DD, as `<input type=date>` sends it).
pub fn date_field(
    fields: &Fields,
    name: &str,
    label_vi: &str,
    label_en: &str,
) -> Result<chrono::NaiveDate, PageError> {
    required(fields, name, label_vi, label_en)?
        .parse()
        .map_err(|_| {
            PageError::invalid(
                format!("{label_vi}: ngày không hợp lệ."),
                format!("{label_en}: not a valid date."),
            )
        })
}

/// A field whose value is one of the choices of an enum (a `<select>` or radio buttons), read by
/// the enum's own serialised names (e.g. `dispute` for `HoldReason::Dispute`); an unknown value
/// is refused, never read as some legal default.
pub fn choice<T: serde::de::DeserializeOwned>(
    fields: &Fields,
    name: &str,
    label_vi: &str,
    label_en: &str,
) -> Result<T, PageError> {
    let value = required(fields, name, label_vi, label_en)?;
    one_of(value, label_vi, label_en)
}

/// `value` as one of the choices of an enum, or a form error naming the field.
pub fn one_of<T: serde::de::DeserializeOwned>(
    value: &str,
    label_vi: &str,
    label_en: &str,
) -> Result<T, PageError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
        PageError::invalid(
            format!("{label_vi}: giá trị «{value}» không có trong danh sách lựa chọn."),
            format!("{label_en}: the value `{value}` is not one of the choices."),
        )
    })
}

/// `?fonds=&status=` of the lists of acts (handovers, transfers, destruction, holds);
/// blank fields mean "any".
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListSearch {
    /// Only this fonds.
    pub fonds: Option<String>,
    /// Only this status.
    pub status: Option<String>,
}

impl ListSearch {
    /// The fonds asked, if not blank.
    pub fn fonds(&self) -> Option<String> {
        self.fonds.clone().filter(|f| !f.trim().is_empty())
    }

    /// The status asked, if not blank.
    pub fn status(&self) -> Option<String> {
        self.status.clone().filter(|s| !s.trim().is_empty())
    }
}

/// Runs `read` on a read connection of the read models, for reads through the document crate's
/// row sources (the inventory as its exports and minutes see it), whose errors are
/// `ExportError`s; a failure shows as the API's internal error.
pub async fn read_rows<T: Send + 'static>(
    web: &WebState,
    read: impl FnOnce(&rusqlite::Connection) -> Result<T, ExportError> + Send + 'static,
) -> Result<T, PageError> {
    web.app
        .read
        .readers()
        .with(read)
        .await
        .map_err(|e| PageError::Api(ApiError::internal(e)))
}

/// Files a form lists with a tick box each, at most (narrow the filters to reach the others).
pub const TICKABLE: u32 = 500;

/// A fonds, the totals of its files under `filter`, and the first [`TICKABLE`] of them: what a
/// form that starts a process on chosen files shows.
pub async fn tickable_files(
    web: &WebState,
    code: &str,
    filter: Filter,
) -> Result<(FondsRow, Totals, Vec<FileRow>), PageError> {
    let key = code.to_owned();
    Ok(bangiao_server::reads::query(&web.app, move |c| {
        let Some(row) = fonds_row(c, &key)? else {
            return Ok(None);
        };
        let scope = Scope::Fonds(key.clone());
        Ok(Some((
            row,
            inventory::totals(c, &scope, &filter)?,
            inventory::page(c, &scope, &filter, None, TICKABLE)?,
        )))
    })
    .await?
    .ok_or_else(|| ApiError::not_found("phông", "fonds", code))?)
}

/// A value of the domain parsed from a form, or the domain's own message.
pub fn parsed<T>(result: Result<T, bangiao_domain::ValueError>) -> Result<T, PageError> {
    result.map_err(|e| PageError::value(&e))
}

/// The person signed in, as the domain names whoever acts (signs, receives, approves, …).
pub fn me(viewer: &Viewer) -> Result<UserId, PageError> {
    parsed(UserId::parse(&viewer.who.user_id))
}

/// What a form that acts on a fonds needs besides its fields: the fonds, the page named in the
/// audit of a refusal, and where to go when done.
#[derive(Debug, Clone)]
pub struct Act<'a> {
    /// The fonds acted on.
    pub fonds: &'a str,
    /// The page, e.g. `POST /trang/ban-giao/{id}/ky`.
    pub page: &'static str,
    /// Where the browser goes after the act (a 303).
    pub done: String,
}

/// The one shape of every form that acts: check its anti-forgery token, admit it and decide the
/// action of the command type it builds ([`admit`]), build the command from the fields, run it
/// in the viewer's name with the form's command id, and redirect.
pub async fn act<C: bangiao_app::pipeline::Act + Into<FondsCommand>>(
    web: &WebState,
    viewer: &Viewer,
    fields: &Fields,
    act: Act<'_>,
    command: impl FnOnce(&Fields) -> Result<C, PageError>,
) -> Result<Response, PageError> {
    viewer.check_form(field(fields, CSRF_FIELD))?;
    let admitted = admit(web, viewer, C::ACTION, act.fonds, act.page).await?;
    let command = command(fields)?.into();
    let fonds = fonds_code(act.fonds)?;
    run(web, viewer, admitted, &fonds, command, fields).await?;
    Ok(see_other(&act.done))
}

/// A form's command admitted under the service's one write limit and decided at its first gate.
pub struct Admitted {
    permit: Permit,
    decided: Decided,
    page: &'static str,
}

/// Admits a form's command (`busy` when every write permit is taken) and decides `action` on
/// `fonds` before the form is read, as the pipeline decides; a refusal is audited under `page`.
pub async fn admit(
    web: &WebState,
    viewer: &Viewer,
    action: Action,
    fonds: &str,
    page: &'static str,
) -> Result<Admitted, PageError> {
    let pipeline = &web.app.commands;
    let permit = pipeline.admit::<ApiError>()?;
    let target = Target::Fonds(fonds);
    let decided = pipeline
        .decide(
            &web.app,
            &viewer.who,
            action,
            target,
            page,
            Some(fonds.to_owned()),
        )
        .await?;
    Ok(Admitted {
        permit,
        decided,
        page,
    })
}

/// A form posted on the page of one record (`…/{id}/…`: minutes, a transfer, a destruction
/// list, a hold): the pages' state, the viewer, the record's id and the form's fields, read in
/// that order as separate extractors would.
pub struct Posted {
    /// The pages' state.
    pub web: WebState,
    /// Who posts.
    pub viewer: Viewer,
    /// The record's id, from the path.
    pub id: String,
    /// The form.
    pub fields: Fields,
}

impl FromRequest<WebState> for Posted {
    type Rejection = Response;

    async fn from_request(request: Request, web: &WebState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, web)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(id) = Path::<String>::from_request_parts(&mut parts, web)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(fields) = Form::<Fields>::from_request(Request::from_parts(parts, body), web)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            web: web.clone(),
            viewer,
            id,
            fields,
        })
    }
}

/// A record whose page offers acts (minutes, a transfer, a destruction list, a hold), as an act
/// on it needs it: its fonds, how its id parses, and where the act goes.
pub struct OnRecord<I> {
    /// The record's fonds.
    pub fonds: String,
    /// Its id from the path, as the domain names it.
    pub parse: fn(&str) -> Result<I, bangiao_domain::ValueError>,
    /// The page named in the audit of a refusal, e.g. `POST /trang/huy/{id}/duyet`.
    pub page: &'static str,
    /// The record's page, e.g. `/trang/huy/{id}`, and the `?ok=` it shows after the act.
    pub back: (&'static str, &'static str),
}

/// An act from the page of a record: the command `command` builds from the form and the
/// record's id, then back to the record's page.
pub async fn on_record<I, C: bangiao_app::pipeline::Act + Into<FondsCommand>>(
    posted: Posted,
    record: OnRecord<I>,
    command: impl FnOnce(&Fields, &Viewer, I) -> Result<C, PageError>,
) -> Result<Response, PageError> {
    let Posted {
        web,
        viewer,
        id,
        fields,
    } = posted;
    let (base, ok) = record.back;
    let parse = record.parse;
    let on = Act {
        fonds: &record.fonds,
        page: record.page,
        done: format!("{base}/{id}?ok={ok}"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        command(fields, &viewer, parsed(parse(&id))?)
    })
    .await
}

/// Who acts and on which day, for an act that names both: the viewer, and the date in field
/// `name` (labelled `label_vi`, `label_en`).
pub fn acted(
    viewer: &Viewer,
    fields: &Fields,
    (name, label_vi, label_en): (&str, &str, &str),
) -> Result<(UserId, chrono::NaiveDate), PageError> {
    Ok((me(viewer)?, date_field(fields, name, label_vi, label_en)?))
}

/// A fonds code from the path.
pub fn fonds_code(raw: &str) -> Result<FondsCode, PageError> {
    FondsCode::parse(raw).map_err(|e| PageError::value(&e))
}

/// The command id a form carries (so a form sent twice acts once), or a fresh one.
pub fn command_id(fields: &Fields) -> uuid::Uuid {
    field(fields, "command_id")
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .unwrap_or_else(uuid::Uuid::now_v7)
}

/// Runs an admitted fonds command for the viewer through the command pipeline (the API's
/// path), with the form's `command_id` and `correlation_id`, then waits until the read models
/// show it.
pub async fn run(
    web: &WebState,
    viewer: &Viewer,
    admitted: Admitted,
    fonds: &FondsCode,
    command: FondsCommand,
    fields: &Fields,
) -> Result<u64, PageError> {
    let command = Command::Fonds {
        code: fonds.clone(),
        command,
    };
    let destruction = bangiao_server::commands::executed_destruction(&command);
    let call = Call {
        who: &viewer.who,
        asked: admitted.page,
        command,
        envelope: Envelope {
            command_id: field(fields, "command_id").map(str::to_owned),
            correlation_id: field(fields, "correlation_id").map(str::to_owned),
            ..Envelope::default()
        },
        decided: Some(admitted.decided),
    };
    let accepted = web
        .app
        .commands
        .run(&admitted.permit, &web.app, call)
        .await?;
    if let Some(id) = destruction {
        bangiao_server::commands::after_destruction(&web.app, id, accepted.position).await;
    }
    web.app
        .read
        .wait_for(accepted.position, web.app.config.max_read_wait)
        .await;
    Ok(accepted.position)
}

/// A 303 redirect after a form (so reloading the page does not send the form again).
pub fn see_other(location: &str) -> Response {
    (
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// Today, where the service runs.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
