//! Web pages of Bàn Giao for clerks and archivists: server-rendered HTML (minijinja templates),
//! Vietnamese first with English switchable, no script, printable. The pages call the same
//! application, projection and document functions as the JSON API, and decide every request
//! with the same policy (`bangiao_auth::policy`) and scope facts (`bangiao_server::auth`).
//!
//! Mounted by `bangiao serve` beside the API: `/` (home), `/trang/...` (trang = page) and the
//! public verification page of printed documents, `/xac-minh/{id}`.

pub mod access;
pub mod error;
pub mod i18n;
pub mod oidc;
pub mod pages;
pub mod problems;
pub mod render;
pub mod session;
pub mod uploads;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use bangiao_server::AppState;

pub use error::{PageError, WebError};
pub use i18n::{Catalogue, Lang};

use pages::{
    batches, copies, deadlines, destructions, files, fonds, handovers, holds, home, imports,
    signin, start, transfers, units, verify,
};

/// Everything the pages share: the API's state, the templates and catalogues, pending uploads.
pub struct Web {
    /// The service, read models and authentication guard of the API.
    pub app: AppState,
    /// Templates and message catalogues.
    pub render: render::Renderer,
    /// Spreadsheets uploaded for a dry run, kept until applied or expired.
    pub uploads: uploads::Uploads,
    /// Dry runs that found problems, kept across restarts for the home page.
    pub problems: problems::ImportProblems,
    /// Sign-in through the identity provider, when configured.
    pub oidc: Option<oidc::OidcRedirect>,
}

/// What the pages need besides the API's state.
#[derive(Debug, Clone)]
pub struct PagesOptions {
    /// The data directory, where the pages keep the imports with problems.
    pub data_dir: PathBuf,
    /// Sign-in through the identity provider (the `[oidc]` section with its endpoints).
    pub oidc: Option<oidc::OidcRedirect>,
}

/// The state of the pages' router.
pub type WebState = Arc<Web>;

/// Largest spreadsheet the import page takes (the API's limit).
pub const MAX_UPLOAD_BYTES: usize = bangiao_server::commands::imports::MAX_UPLOAD_BYTES;

/// The pages as a router to merge beside the API's: `router(state).merge(pages(state, options))`.
pub fn pages(app: AppState, options: PagesOptions) -> Result<Router, WebError> {
    let web: WebState = Arc::new(Web {
        app,
        render: render::Renderer::new()?,
        uploads: uploads::Uploads::default(),
        problems: problems::ImportProblems::open(&options.data_dir)?,
        oidc: options.oidc,
    });
    Ok(Router::new()
        .route("/", get(home::page))
        .route("/trang/dang-nhap", get(signin::form).post(signin::sign_in))
        .route("/trang/dang-nhap/oidc", get(signin::oidc_start))
        .route("/trang/dang-nhap/oidc/ve", get(signin::oidc_callback))
        .route("/trang/dang-xuat", post(signin::sign_out))
        .route("/trang/ngon-ngu/{lang}", get(signin::language))
        .route("/trang/static/style.css", get(render::stylesheet))
        .route("/trang/don-vi", get(units::search))
        .route("/trang/don-vi/{code}", get(units::unit))
        .route("/trang/don-vi/{code}/xuat", get(units::export))
        .route("/trang/phong", get(fonds::list))
        .route("/trang/phong/{code}", get(fonds::fonds))
        .route("/trang/phong/{code}/xuat", get(fonds::export))
        .route("/trang/ho-so/{code}", get(files::file))
        .route(
            "/trang/ho-so/{code}/ban-sao",
            post(copies::upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/trang/ho-so/{code}/ban-sao/{copy_id}",
            get(copies::content),
        )
        .route(
            "/trang/phong/{code}/nhap",
            get(imports::form)
                .post(imports::dry_run)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/trang/phong/{code}/nhap/{id}", post(imports::apply))
        .route(
            "/trang/phong/{code}/ban-giao",
            get(handovers::new_form).post(handovers::draft),
        )
        .route(
            "/trang/phong/{code}/tam-giu",
            get(start::new_hold).post(start::place_hold),
        )
        .route(
            "/trang/phong/{code}/huy",
            get(start::new_destruction).post(start::propose_destruction),
        )
        .route(
            "/trang/phong/{code}/nop-luu",
            get(start::new_transfer).post(start::register_transfer),
        )
        .route("/trang/ban-giao", get(handovers::list))
        .route("/trang/ban-giao/{id}", get(handovers::handover))
        .route("/trang/ban-giao/{id}/bien-ban", get(handovers::minutes))
        .route("/trang/ban-giao/{id}/ky", post(handovers::sign))
        .route("/trang/ban-giao/{id}/nhan", post(handovers::receive))
        .route("/trang/ban-giao/{id}/huy", post(handovers::cancel))
        .route("/trang/lo-ban-giao", get(batches::batches))
        .route("/trang/lo-ban-giao/{id}", get(batches::batch))
        .route("/trang/nop-luu", get(transfers::transfers))
        .route("/trang/nop-luu/{id}", get(transfers::transfer))
        .route("/trang/nop-luu/{id}/tham-dinh", post(transfers::appraise))
        .route("/trang/nop-luu/{id}/thu", post(transfers::accept))
        .route("/trang/huy", get(destructions::destructions))
        .route("/trang/huy/{id}", get(destructions::destruction))
        .route(
            "/trang/huy/{id}/duyet",
            post(destructions::approve_destruction),
        )
        .route(
            "/trang/huy/{id}/thuc-hien",
            post(destructions::execute_destruction),
        )
        .route("/trang/huy/{id}/bo", post(destructions::cancel_destruction))
        .route("/trang/tam-giu", get(holds::holds))
        .route("/trang/tam-giu/{id}", get(holds::hold))
        .route("/trang/tam-giu/{id}/go", post(holds::lift_hold))
        .route("/trang/han-nop-luu", get(deadlines::page))
        .route("/xac-minh/{id}", get(verify::page))
        .layer(axum::middleware::from_fn_with_state(
            web.clone(),
            error::finish,
        ))
        .with_state(web))
}
