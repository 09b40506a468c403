//! `bangiao demo`: loads the illustrative reorganisation.

use std::path::PathBuf;

use bangiao_app::Service;
use bangiao_app::demo::{DemoPhase, load_demo};
use bangiao_auth::Role;
use bangiao_server::Store;
use bangiao_store::{Durability, EventStore};
use uuid::Uuid;

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
    let tokens = issue_demo_tokens(service.store()).await?;
    println!(
        "Dữ liệu mẫu / demo: {} đơn vị / units, {} phông / fonds, {} hồ sơ / files, {} biên bản giao nhận / handovers, \
         {} nộp lưu / transfers; {} sự kiện mới / new events (vị trí cuối / last position {}).",
        summary.units,
        summary.fonds,
        summary.files,
        summary.handovers,
        summary.transfers,
        summary.events_appended + tokens,
        service.store().head_position()
    );
    Ok(())
}

/// One of the demo's people: their token's fixed id, user, role and scope.
struct DemoPerson {
    token_id: Uuid,
    user: &'static str,
    role: Role,
    scope: Option<&'static str>,
}

/// The demo's people, one per role. Their token ids are fixed so that a token already issued
/// is found again (see [`issue_demo_tokens`]).
const DEMO_PEOPLE: [DemoPerson; 5] = [
    DemoPerson {
        token_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0de3_0001),
        user: "quantri.19",
        role: Role::Administrator,
        scope: None,
    },
    DemoPerson {
        token_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0de3_0002),
        user: "vanthu.066n1",
        role: Role::Clerk,
        scope: Some("066N1"),
    },
    DemoPerson {
        token_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0de3_0003),
        user: "luutru.19",
        role: Role::Archivist,
        scope: Some("LTLS-19"),
    },
    DemoPerson {
        token_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0de3_0004),
        user: "giamdoc.snv19",
        role: Role::Approver,
        scope: Some("19"),
    },
    DemoPerson {
        token_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0de3_0005),
        user: "thanhtra.19",
        role: Role::Inspector,
        scope: None,
    },
];

/// How long the demo's tokens last.
const DEMO_TOKEN_DAYS: i64 = 30;

/// Issues each demo person's token the first time the demo is loaded into a store, and prints
/// the secrets, ready for `Authorization: Bearer`; appends nothing when they were issued before.
///
/// Why once rather than the same tokens on every run: printing them again would mean keeping
/// their secrets (or a seed that derives them) in the data directory, whereas every other token
/// of the service is shown once and stored only as a hash, so that reading the data directory or
/// a backup gives no one a way in. Each token's id is fixed and it is appended only to a new
/// stream, so a rerun (`bangiao demo` again, `serve --demo` on a demo directory) finds it and
/// writes nothing, even after a first run stopped half-way; a lost demo token is replaced with
/// `bangiao token create`.
/// Returns how many tokens it issued.
async fn issue_demo_tokens(store: &Store) -> Result<u64, CliError> {
    let mut issued = Vec::new();
    let mut before = Vec::new();
    for person in &DEMO_PEOPLE {
        let named = bangiao_app::demo::identity(person.user);
        let who = bangiao_auth::Principal {
            user_id: person.user.to_owned(),
            role: person.role,
            scope: person.scope.map(str::to_owned),
            person: bangiao_auth::Person::new(
                named.as_ref().map(|n| n.name.as_str()),
                named.as_ref().map(|n| n.title.as_str()),
                named.as_ref().map(|n| n.organ.as_str()),
            ),
        };
        match super::token::issue_once(store, person.token_id, &who, DEMO_TOKEN_DAYS, "demo")
            .await?
        {
            Some(secret) => issued.push((person, secret)),
            None => before.push(person),
        }
    }
    if !issued.is_empty() {
        println!(
            "Mã truy cập mẫu (30 ngày, chỉ hiện một lần) / demo tokens (30 days, shown once):"
        );
        for (person, secret) in &issued {
            println!("  {} {secret}", describe(person));
        }
    }
    if !before.is_empty() {
        println!(
            "Mã truy cập mẫu đã cấp ở lần nạp trước, không hiện lại; cấp mã mới bằng `bangiao token create` / \
             demo tokens issued by an earlier load, not shown again; issue a new one with `bangiao token create`:"
        );
        for person in &before {
            println!("  {}", describe(person).trim_end());
        }
    }
    Ok(issued.len() as u64)
}

/// A demo person's role, user and scope, in aligned columns.
fn describe(person: &DemoPerson) -> String {
    format!(
        "{:<14} {:<14} {:<8}",
        person.role.as_str(),
        person.user,
        person.scope.unwrap_or("-")
    )
}
