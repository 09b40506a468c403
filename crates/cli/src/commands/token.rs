//! `bangiao token create|list|revoke`: API tokens, issued as events of the log.

use std::path::PathBuf;

use bangiao_auth::token::{self, TokenEvent, TokenRevoked};
use bangiao_auth::{Person, Role};
use bangiao_domain::DomainEvent;
use bangiao_projections::ReadModel;
use bangiao_projections::query::access;
use bangiao_store::{AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent};
use uuid::Uuid;

use super::CliError;
use crate::data_dir::DataDir;
use crate::store_spec::{StoreSpec, open_store};

/// `bangiao token …`.
#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Issue a token; it is shown once and stored only as a hash.
    Create(CreateArgs),
    /// List tokens (never their secrets).
    List(DirArgs),
    /// Revoke a token by id.
    Revoke(RevokeArgs),
}

/// Options of `token create`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The user the token authenticates.
    #[arg(long)]
    pub user: String,
    /// clerk, archivist, approver, inspector or administrator.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// A unit code (clerk, approver) or a custodian id (archivist).
    #[arg(long)]
    pub scope: Option<String>,
    /// Days until it expires.
    #[arg(long, default_value_t = 90)]
    pub days: i64,
    /// Who issues it (recorded in the log).
    #[arg(long, default_value = "administrator")]
    pub issued_by: String,
    /// The person's full name, printed on the minutes they sign ("Nguyễn Văn A").
    #[arg(long)]
    pub name: Option<String>,
    /// The person's title (chức vụ), printed beside their name ("Văn thư").
    #[arg(long)]
    pub title: Option<String>,
    /// The organ (cơ quan) the person acts for, printed as their side of the minutes
    /// ("Ủy ban nhân dân xã Bằng Thành").
    #[arg(long)]
    pub organ: Option<String>,
    /// The event store, when not the data directory's own: sqlite:PATH, postgres://… or
    /// kurrentdb://…
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

/// Options naming only the data directory (and the store).
#[derive(Debug, clap::Args)]
pub struct DirArgs {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The event store, when not the data directory's own: sqlite:PATH, postgres://… or
    /// kurrentdb://…
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

/// Options of `token revoke`.
#[derive(Debug, clap::Args)]
pub struct RevokeArgs {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The token's id (from `token list`).
    #[arg(long)]
    pub id: Uuid,
    /// Who revokes it.
    #[arg(long, default_value = "administrator")]
    pub revoked_by: String,
    /// The event store, when not the data directory's own: sqlite:PATH, postgres://… or
    /// kurrentdb://…
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        "cần clerk (văn thư), archivist (lưu trữ viên), approver (người duyệt), inspector \
         (thanh tra) hoặc administrator (quản trị) / expected clerk, archivist, approver, \
         inspector or administrator"
            .to_owned()
    })
}

/// Runs a token subcommand.
pub async fn run(args: Args) -> Result<(), CliError> {
    match args {
        Args::Create(a) => {
            let store = open_store(a.store.as_ref(), &DataDir::new(&a.data_dir), false).await?;
            let who = bangiao_auth::Principal {
                user_id: a.user.clone(),
                role: a.role,
                scope: a.scope.clone(),
                person: Person::new(a.name.as_deref(), a.title.as_deref(), a.organ.as_deref()),
            };
            let (id, secret) = issue(&store, &who, a.days, &a.issued_by).await?;
            println!("Mã truy cập (chỉ hiện một lần) / token (shown once): {secret}");
            println!(
                "mã / id {id}, người dùng / user {}, vai trò / role {}, phạm vi / scope {}{}",
                a.user,
                a.role.as_str(),
                a.scope.as_deref().unwrap_or("-"),
                describe(&who.person)
            );
            Ok(())
        }
        Args::List(a) => {
            let data = DataDir::new(&a.data_dir);
            let store = open_store(a.store.as_ref(), &data, true).await?;
            let model = ReadModel::open(data.read_model())?;
            model.catch_up(store.as_ref()).await?;
            for t in model.readers().with(access::tokens).await? {
                let person = Person {
                    name: t.name,
                    title: t.title,
                    organ: t.organ,
                };
                println!(
                    "{}  {:<24} {:<13} {:<12} hết hạn / expires {}{}{}",
                    t.token_id,
                    t.user_id,
                    t.role,
                    t.scope.as_deref().unwrap_or("-"),
                    t.expires_at,
                    describe(&person),
                    t.revoked_at
                        .map(|r| format!("  ĐÃ THU HỒI / REVOKED {r}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        Args::Revoke(a) => {
            let store = open_store(a.store.as_ref(), &DataDir::new(&a.data_dir), true).await?;
            let event = TokenEvent::TokenRevoked(TokenRevoked {
                token_id: a.id,
                revoked_by: a.revoked_by.clone(),
            });
            append(
                store.as_ref(),
                a.id,
                ExpectedState::StreamExists,
                &event,
                &a.revoked_by,
            )
            .await
            .map_err(|e| match e {
                CliError::Store(bangiao_store::StoreError::WrongExpectedVersion { .. }) => {
                    CliError::Io(format!("không có mã truy cập / no token {}", a.id))
                }
                other => other,
            })?;
            println!("Đã thu hồi / revoked {}", a.id);
            Ok(())
        }
    }
}

async fn append<S: EventStore + ?Sized>(
    store: &S,
    id: Uuid,
    expected: ExpectedState,
    event: &TokenEvent,
    actor: &str,
) -> Result<(), CliError> {
    let mut metadata = EventMetadata::recorded_now();
    metadata.actor = Some(bangiao_store::ActorRef::new(actor, "administrator", None));
    store
        .append(AppendRequest {
            stream: bangiao_domain::streams::token(id),
            expected,
            command_id: None,
            events: vec![NewEvent::new(
                Uuid::now_v7(),
                event.event_type(),
                event.schema_version(),
                event.to_payload(),
                &metadata,
            )],
        })
        .await?;
    Ok(())
}

/// Issues the token `id` unless the log already holds it; returns its secret (shown once,
/// never stored) when it was issued now, None when it had been issued before.
pub async fn issue_once(
    store: &bangiao_server::Store,
    id: Uuid,
    who: &bangiao_auth::Principal,
    days: i64,
    issued_by: &str,
) -> Result<Option<String>, CliError> {
    let secret = token::generate().map_err(|e| CliError::Io(e.to_string()))?;
    let event = TokenEvent::TokenIssued(token::TokenIssued {
        token_id: id,
        token_sha256: token::hash(&secret),
        user_id: who.user_id.clone(),
        role: who.role,
        scope: who.scope.clone(),
        expires_at: chrono::Utc::now() + chrono::Duration::days(days),
        issued_by: issued_by.to_owned(),
        name: who.person.name.clone(),
        title: who.person.title.clone(),
        organ: who.person.organ.clone(),
    });
    match append(
        store.as_ref(),
        id,
        ExpectedState::NoStream,
        &event,
        issued_by,
    )
    .await
    {
        Ok(()) => Ok(Some(secret)),
        Err(CliError::Store(bangiao_store::StoreError::WrongExpectedVersion { .. })) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Issues a token for `who` into the log; returns its id and its secret (shown once, never
/// stored).
pub async fn issue(
    store: &bangiao_server::Store,
    who: &bangiao_auth::Principal,
    days: i64,
    issued_by: &str,
) -> Result<(Uuid, String), CliError> {
    let secret = token::generate().map_err(|e| CliError::Io(e.to_string()))?;
    let id = bangiao_server::auth::issue_token(store, &secret, who, days, issued_by).await?;
    Ok((id, secret))
}

/// ", Nguyễn Văn A — Văn thư — Ủy ban nhân dân xã …" for the parts a token names; empty when none.
fn describe(person: &Person) -> String {
    let parts: Vec<&str> = [&person.name, &person.title, &person.organ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(", {}", parts.join(" — "))
    }
}
