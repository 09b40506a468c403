//! Templates (compiled into the binary from `templates/`), the message catalogues they read
//! as `t.key`, and a few filters for dates, numbers, shelf lengths and code labels.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Value;
use minijinja::{Environment, State, UndefinedBehavior, context};

use crate::error::{ErrorPage, PageError, WebError};
use crate::i18n::{Catalogue, Lang};
use crate::session::Viewer;

/// Every template, by name.
pub const TEMPLATES: [(&str, &str); 26] = [
    ("base.html", include_str!("../templates/base.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("signin.html", include_str!("../templates/signin.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("units.html", include_str!("../templates/units.html")),
    ("unit.html", include_str!("../templates/unit.html")),
    (
        "fonds_list.html",
        include_str!("../templates/fonds_list.html"),
    ),
    ("fonds.html", include_str!("../templates/fonds.html")),
    ("file.html", include_str!("../templates/file.html")),
    ("import.html", include_str!("../templates/import.html")),
    (
        "import_report.html",
        include_str!("../templates/import_report.html"),
    ),
    (
        "handovers.html",
        include_str!("../templates/handovers.html"),
    ),
    (
        "handover_new.html",
        include_str!("../templates/handover_new.html"),
    ),
    ("handover.html", include_str!("../templates/handover.html")),
    (
        "deadlines.html",
        include_str!("../templates/deadlines.html"),
    ),
    (
        "signed_in.html",
        include_str!("../templates/signed_in.html"),
    ),
    ("batches.html", include_str!("../templates/batches.html")),
    (
        "process_new.html",
        include_str!("../templates/process_new.html"),
    ),
    ("batch.html", include_str!("../templates/batch.html")),
    (
        "transfers.html",
        include_str!("../templates/transfers.html"),
    ),
    ("transfer.html", include_str!("../templates/transfer.html")),
    (
        "destructions.html",
        include_str!("../templates/destructions.html"),
    ),
    (
        "destruction.html",
        include_str!("../templates/destruction.html"),
    ),
    ("holds.html", include_str!("../templates/holds.html")),
    ("hold.html", include_str!("../templates/hold.html")),
    ("verify.html", include_str!("../templates/verify.html")),
];

/// The stylesheet (screen and print).
pub const STYLESHEET: &str = include_str!("../static/style.css");

/// Templates and catalogues, ready to render.
pub struct Renderer {
    env: Environment<'static>,
    vi: Value,
    en: Value,
}

impl Renderer {
    /// Compiles every template and loads both catalogues.
    pub fn new() -> Result<Self, WebError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        env.add_filter("vdate", vdate);
        env.add_filter("num", num);
        env.add_filter("metres", metres);
        env.add_filter("label", label);
        env.add_filter("q", query_value);
        let catalogue = |lang| -> Result<Value, WebError> {
            Ok(Value::from_serialize(Catalogue::load(lang)?.messages()))
        };
        Ok(Self {
            env,
            vi: catalogue(Lang::Vi)?,
            en: catalogue(Lang::En)?,
        })
    }

    fn catalogue(&self, lang: Lang) -> Value {
        match lang {
            Lang::Vi => self.vi.clone(),
            Lang::En => self.en.clone(),
        }
    }

    /// Renders `name` for a signed-in viewer with `ctx` on top of the common context.
    pub fn page(&self, viewer: &Viewer, name: &str, ctx: Value) -> Result<Response, PageError> {
        let common = context! {
            t => self.catalogue(viewer.lang),
            lang => viewer.lang.tag(),
            user => context! { id => viewer.who.user_id, role => viewer.who.role.as_str(), scope => viewer.who.scope },
            csrf => viewer.csrf,
            here => crate::error::encode(&viewer.here),
        };
        self.html(name, context! { ..ctx, ..common })
    }

    /// Renders `name` for someone not signed in.
    pub fn anonymous(&self, lang: Lang, name: &str, ctx: Value) -> Result<Response, PageError> {
        let common = context! {
            t => self.catalogue(lang),
            lang => lang.tag(),
            user => Value::from(()),
            csrf => "",
            here => "/",
        };
        self.html(name, context! { ..ctx, ..common })
    }

    /// Renders a template to an HTML response.
    pub fn html(&self, name: &str, ctx: Value) -> Result<Response, PageError> {
        let body = self.env.get_template(name)?.render(ctx)?;
        Ok(Html(body).into_response())
    }

    /// The error page in `lang` (a plain text answer if even that fails).
    pub fn error_page(&self, lang: Lang, page: &ErrorPage) -> Response {
        let message = match lang {
            Lang::Vi => &page.vi,
            Lang::En => &page.en,
        };
        let ctx =
            context! { status => page.status.as_u16(), code => page.code, message => message };
        match self.anonymous(lang, "error.html", ctx) {
            Ok(mut response) => {
                *response.status_mut() = page.status;
                response
            }
            Err(_) => (page.status, message.clone()).into_response(),
        }
    }
}

/// `GET /trang/static/style.css`.
pub async fn stylesheet() -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLESHEET,
    )
        .into_response()
}

fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default()
}

/// `2025-06-30` as `30/06/2025`, the way Vietnamese documents write dates; empty for none.
fn vdate(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return String::new();
    }
    let text = value.to_string();
    match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(day) => day.format("%d/%m/%Y").to_string(),
        Err(_) => text,
    }
}

/// Groups the digits of a whole number: `12.345` in Vietnamese, `12,345` in English.
fn num(state: &State, value: Value) -> String {
    let Ok(n) = i64::try_from(value.clone()) else {
        return value.to_string();
    };
    let separator = if lang_of(state) == Lang::Vi { '.' } else { ',' };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Millimetres of shelf as metres with two decimals: `1,25` in Vietnamese, `1.25` in English.
fn metres(state: &State, value: Value) -> String {
    let mm = i64::try_from(value).unwrap_or(0);
    let text = format!("{}.{:02}", mm / 1000, (mm % 1000) / 10);
    if lang_of(state) == Lang::Vi {
        text.replace('.', ",")
    } else {
        text
    }
}

/// The catalogue's label of a code: `status|label("status_")` reads `t.status_in_custody`;
/// a code without a label shows as itself.
fn label(state: &State, value: Value, prefix: String) -> String {
    let code = value.to_string();
    state
        .lookup("t")
        .and_then(|t| t.get_attr(&format!("{prefix}{code}")).ok())
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map_or(code, |v| v.to_string())
}

/// Percent-encodes a value for a query string.
fn query_value(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return String::new();
    }
    crate::error::encode(&value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_names_only_keys_of_the_catalogue() {
        let renderer = Renderer::new().expect("templates compile");
        drop(renderer);
        let vi = Catalogue::load(Lang::Vi).expect("catalogue");
        let mut missing = Vec::new();
        for (name, source) in TEMPLATES {
            let mut rest = source;
            while let Some(at) = rest.find("t.") {
                let before = rest[..at].chars().last();
                rest = &rest[at + 2..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !key.is_empty() && !vi.messages().contains_key(&key) {
                    missing.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalogue: {missing:?}"
        );
    }
}
