//! The OpenAPI 3.1 description, generated from the handlers, and a plain page that lists it.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Spec;

/// The API's metadata; the paths are collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bàn Giao API",
        description = "Chain of custody of public records through the 2025 administrative reorganisation. \
            Commands are POSTs: `Idempotency-Key` is the command id, `If-Match` the stream revision. \
            Errors are RFC 9457 problem+json with a stable `code` and messages in Vietnamese and English. \
            A command returns the global `position` it reached; pass it as `wait_for` to a read to see your own write \
            (a position beyond the log's end is refused at once with 409 `position_not_reached`; read models that do not reach it in time answer 503 `projection_lagging` with `Retry-After`). \
            A method a path does not answer is refused with 405 `method_not_allowed` and an `Allow` header. \
            Every /api/v1 route but `/api/v1/verifications/{id}` (the public check of a printed document's QR code, rate-limited per address) needs `Authorization: Bearer <token>`: an API token from `bangiao token create`, or a JWT from the province's identity provider."
    ),
    tags(
        (name = "units", description = "Đơn vị hành chính — administrative units and lineage"),
        (name = "unit commands", description = "Register, end, merge, split units"),
        (name = "fonds", description = "Phông lưu trữ — fonds"),
        (name = "fonds commands", description = "Acts on a fonds, its files and their custody"),
        (name = "inventory", description = "Mục lục hồ sơ — inventory lists"),
        (name = "files", description = "Hồ sơ — custody of one file"),
        (name = "copies", description = "Bản số hóa — digital copies of files: upload, attach, list, download"),
        (name = "handovers", description = "Biên bản giao nhận — handovers"),
        (name = "transfers", description = "Nộp lưu — transfers to the historical archive and deadlines"),
        (name = "destructions", description = "Hủy tài liệu hết giá trị — destruction"),
        (name = "events", description = "The event log"),
        (name = "audit", description = "Refusals and tokens, for inspectors and administrators"),
        (name = "verification", description = "Xác minh bản in — whether a printed document is genuine (no account needed)"),
        (name = "health", description = "Liveness and readiness")
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn spec(State(spec): State<std::sync::Arc<Spec>>) -> Response {
    axum::Json(spec.as_ref().clone()).into_response()
}

/// `GET /api/v1/docs`: every operation, grouped by tag, as a page that needs no script.
pub async fn page(State(spec): State<std::sync::Arc<Spec>>) -> Html<String> {
    Html(render(&spec))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn render(spec: &Spec) -> String {
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    for (path, item) in &spec.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ];
        for (method, operation) in operations {
            if let Some(op) = operation {
                let tag = op
                    .tags
                    .as_ref()
                    .and_then(|t| t.first().cloned())
                    .unwrap_or_default();
                let summary = op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default();
                rows.push((tag, method.to_owned(), path.clone(), summary));
            }
        }
    }
    rows.sort();
    let mut html = String::from(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Bàn Giao API</title>\
         <style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}\
         code{background:#f3f3f3;padding:0 .3em}td{padding:.2em .6em;vertical-align:top}\
         h2{border-bottom:1px solid #ccc}</style></head><body><h1>Bàn Giao API</h1>\
         <p>Mô tả đầy đủ (OpenAPI 3.1): <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a></p>",
    );
    let mut current = None;
    for (tag, method, path, summary) in rows {
        if current.as_ref() != Some(&tag) {
            if current.is_some() {
                html.push_str("</table>");
            }
            html.push_str(&format!("<h2>{}</h2><table>", escape(&tag)));
            current = Some(tag);
        }
        html.push_str(&format!(
            "<tr><td><code>{method}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            escape(&path),
            escape(&summary)
        ));
    }
    html.push_str("</table></body></html>");
    html
}

/// Statuses any operation may answer with a problem (authentication, rate limit, overload,
/// unknown record, malformed request), besides those its handler documents.
const COMMON_PROBLEMS: [(&str, &str); 8] = [
    ("400", "Malformed request: parameter, header or body"),
    ("401", "No token, or an invalid, expired or revoked one"),
    ("403", "Not allowed for this role or scope"),
    ("404", "No such record"),
    ("429", "Too many failed authentications; wait a minute"),
    ("500", "An internal error; the cause is in the service log"),
    (
        "503",
        "Busy (retry after Retry-After), read-only, timed out, or the read models have not reached `wait_for` in time (`projection_lagging`, retry after Retry-After)",
    ),
    (
        "507",
        "The disk holding the data is full; nothing was written",
    ),
];

/// Statuses a command may also answer with a problem.
const COMMAND_PROBLEMS: [(&str, &str); 4] = [
    (
        "409",
        "The records changed: revision conflict or a state conflict",
    ),
    (
        "413",
        "The body is larger than the service accepts (`payload_too_large`)",
    ),
    (
        "415",
        "The body is not JSON (or not XLSX/CSV for an import)",
    ),
    (
        "422",
        "Refused by a rule, or a well-formed body with wrong values",
    ),
];

/// Statuses a read taking `wait_for` may also answer with a problem.
const READ_PROBLEMS: [(&str, &str); 1] = [(
    "409",
    "`wait_for` is beyond the end of the log (`position_not_reached`, with `head_position`)",
)];

/// Documents on every operation the problems it may answer, as `application/problem+json`
/// (the media type the service sends them with).
pub fn document_problems(spec: &mut Spec) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = || {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build()
    };
    for item in spec.paths.paths.values_mut() {
        let operations = [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.delete.as_mut()),
        ];
        for (command, operation) in operations {
            let Some(operation) = operation else { continue };
            let responses = &mut operation.responses.responses;
            // Problems the handlers documented as JSON go out as problem+json.
            for response in responses.values_mut() {
                if let RefOr::T(response) = response
                    && let Some(content) = response.content.get("application/json")
                    && matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem"))
                {
                    let content = content.clone();
                    response.content.shift_remove("application/json");
                    response
                        .content
                        .insert("application/problem+json".into(), content);
                }
            }
            let waits = operation
                .parameters
                .as_ref()
                .is_some_and(|parameters| parameters.iter().any(|p| p.name == "wait_for"));
            let extra = match (command, waits) {
                (true, _) => &COMMAND_PROBLEMS[..],
                (false, true) => &READ_PROBLEMS[..],
                (false, false) => &[][..],
            };
            for (status, description) in COMMON_PROBLEMS.iter().chain(extra) {
                responses.entry((*status).into()).or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(*description)
                            .content("application/problem+json", problem())
                            .build(),
                    )
                });
            }
        }
    }
}
