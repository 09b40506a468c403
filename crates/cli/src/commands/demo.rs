//! `bangiao demo`: loads the illustrative reorganisation.

use std::path::PathBuf;

use bangiao_app::Service;
use bangiao_app::demo::{DemoPhase, load_demo};
use bangiao_server::Store;
use bangiao_store::Durability;

use super::CliError;
use crate::data_dir::DataDir;
use crate::progress::bar;

/// Options of `bangiao demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

/// Loads the demo into the data directory's store.
pub async fn run(args: Args) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    let _lock = data.lock("demo")?;
    let store: Store = std::sync::Arc::new(data.open_store(Durability::Full)?);
    load(store).await
}

/// Loads the demo through the application service, with a progress bar per phase.
pub async fn load(store: Store) -> Result<(), CliError> {
    let service = Service::new(store);
    let mut current: Option<(DemoPhase, indicatif::ProgressBar)> = None;
    let summary = load_demo(&service, &mut |step| {
        if current
            .as_ref()
            .is_none_or(|(phase, _)| *phase != step.phase)
        {
            if let Some((_, done)) = current.take() {
                done.finish();
            }
            current = Some((step.phase, bar(step.total, step.phase.label_vi())));
        }
        if let Some((_, progress)) = &current {
            progress.set_position(step.done);
        }
    })
    .await?;
    if let Some((_, done)) = current.take() {
        done.finish();
    }
    print_demo_tokens(service.store()).await?;
    println!(
        "Dữ liệu mẫu / demo: {} đơn vị / units, {} phông / fonds, {} hồ sơ / files, {} biên bản giao nhận / handovers, \
         {} nộp lưu / transfers; {} sự kiện mới / new events (vị trí cuối / last position {}).",
        summary.units,
        summary.fonds,
        summary.files,
        summary.handovers,
        summary.transfers,
        summary.events_appended,
        summary.last_position
    );
    Ok(())
}

/// The demo's people, one per role, as (user, role, scope).
const DEMO_PEOPLE: [(&str, bangiao_auth::Role, Option<&str>); 5] = [
    ("quantri.19", bangiao_auth::Role::Administrator, None),
    ("vanthu.066n1", bangiao_auth::Role::Clerk, Some("066N1")),
    ("luutru.19", bangiao_auth::Role::Archivist, Some("LTLS-19")),
    ("giamdoc.snv19", bangiao_auth::Role::Approver, Some("19")),
    ("thanhtra.19", bangiao_auth::Role::Inspector, None),
];

/// Issues a fresh token for each demo person and prints them, ready for `Authorization: Bearer`.
async fn print_demo_tokens(store: &Store) -> Result<(), CliError> {
    println!("Mã truy cập mẫu (30 ngày) / demo tokens (30 days):");
    for (user, role, scope) in DEMO_PEOPLE {
        let (_, secret) =
            super::token::issue(store, user, role, scope.map(str::to_owned), 30, "demo").await?;
        println!(
            "  {:<14} {:<14} {:<8} {secret}",
            role.as_str(),
            user,
            scope.unwrap_or("-")
        );
    }
    Ok(())
}
