//! The pages, one module per subject. Each handler reads through the projections' queries (or
//! the API's own export functions), decides with [`crate::access`], and acts through
//! `app::Service`, exactly as the JSON API does.

pub mod deadlines;
pub mod files;
pub mod fonds;
pub mod handovers;
pub mod home;
pub mod imports;
pub mod signin;
pub mod units;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use bangiao_domain::fonds::FondsCommand;
use bangiao_domain::values::FondsCode;
use bangiao_server::error::ApiError;
use bangiao_store::ActorRef;
use bangiao_store::handler::CommandMeta;

use crate::WebState;
use crate::error::PageError;
use crate::session::Viewer;

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

/// Runs a fonds command for the viewer through the application service (the API's path), then
/// waits until the read models show it.
pub async fn run(
    web: &WebState,
    viewer: &Viewer,
    fonds: &FondsCode,
    command: FondsCommand,
    command_id: uuid::Uuid,
) -> Result<u64, PageError> {
    let mut meta = CommandMeta::new(command_id);
    meta.actor = Some(actor(viewer));
    let accepted = web
        .app
        .service
        .fonds_command(fonds, command, &meta)
        .await
        .map_err(ApiError::from)?;
    web.app
        .read
        .wait_for(accepted.position, web.app.config.max_read_wait)
        .await;
    Ok(accepted.position)
}

/// The viewer as the actor of events.
pub fn actor(viewer: &Viewer) -> ActorRef {
    ActorRef {
        user_id: viewer.who.user_id.clone(),
        role: viewer.who.role.as_str().to_owned(),
        unit: viewer.who.scope.clone(),
    }
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
