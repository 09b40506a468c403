//! `bangiao serve`: the HTTP service on the embedded store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use bangiao_projections::{ProjectionError, ReadModel, rebuild};
use bangiao_server::{AppState, HttpConfig, Store, router, run_projections};
use bangiao_store::{Durability, EventStore};

use super::CliError;
use crate::config::{FileConfig, LogFormat, Settings, parse_durability};
use crate::data_dir::DataDir;
use crate::store_spec::StoreSpec;

/// Options of `bangiao serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "BANGIAO_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Directory of the embedded store and the read models [default: ./data].
    #[arg(long, env = "BANGIAO_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Log format [default: text].
    #[arg(long, env = "BANGIAO_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Commit durability: full (every acknowledged command is on disk) or normal [default: full].
    #[arg(long, env = "BANGIAO_DURABILITY", value_parser = parse_durability)]
    pub durability: Option<Durability>,
    /// The event store: sqlite:PATH or kurrentdb://n1:2113,n2:2113,n3:2113?tls=true
    /// [default: events.db in the data directory]; the read models stay in the data directory.
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
    /// A TOML file with any of: addr, data_dir, log_format, durability, store.
    #[arg(long, env = "BANGIAO_CONFIG")]
    pub config: Option<PathBuf>,
    /// Most commands in flight at once; more are answered 503 with Retry-After [default: 1024].
    #[arg(long, env = "BANGIAO_MAX_PENDING_WRITES")]
    pub max_pending_writes: Option<usize>,
    /// Load the illustrative reorganisation first (nothing is added when it is already there).
    #[arg(long)]
    pub demo: bool,
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BANGIAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    // Logs go to stderr; stdout carries only what a person or a script reads (the address).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Opens the read models, rebuilding them when they are from another version or ahead of the
/// log (a store restored from an older backup).
async fn open_read_model(data: &DataDir, store: &Store) -> Result<ReadModel, CliError> {
    let path = data.read_model();
    match ReadModel::open(&path) {
        Ok(model) if model.position() <= store.head_position() => return Ok(model),
        Ok(model) => {
            tracing::warn!(
                projected = model.position(),
                log = store.head_position(),
                "read models are ahead of the log: rebuilding"
            );
        }
        Err(ProjectionError::NeedsRebuild { found, needed }) => {
            tracing::warn!(
                found,
                needed,
                "read models are from another version: rebuilding"
            );
        }
        Err(e) => return Err(e.into()),
    }
    rebuild(store.as_ref(), &path, |_, _| ()).await?;
    Ok(ReadModel::open(&path)?)
}

/// Runs the service until Ctrl-C or SIGTERM.
pub async fn run(args: Args) -> Result<(), CliError> {
    let file = match &args.config {
        Some(path) => FileConfig::load(path)?,
        None => FileConfig::default(),
    };
    let jwt = match &file.oidc {
        Some(oidc) => Some(oidc.verifier().await?),
        None => None,
    };
    let store_spec = match (args.store, &file.store) {
        (Some(spec), _) => Some(spec),
        (None, Some(text)) => Some(text.parse().map_err(CliError::Config)?),
        (None, None) => None,
    };
    let settings = Settings::resolve(
        args.addr,
        args.data_dir,
        args.log_format,
        args.durability,
        file,
    );
    init_logs(settings.log_format);
    let data = DataDir::new(&settings.data_dir);
    let store: Store = match &store_spec {
        None => Arc::new(data.open_store(settings.durability)?),
        Some(spec) => {
            tracing::info!(store = %spec, "opening the event store");
            spec.open(settings.durability, Some(data.root())).await?
        }
    };
    if args.demo {
        super::demo::load(store.clone()).await?;
    }
    let read = open_read_model(&data, &store).await?;
    let mut http = HttpConfig::default();
    if let Some(limit) = args.max_pending_writes {
        http.max_pending_writes = limit;
    }
    let mut state = AppState::new(store, read, http);
    if let Some(jwt) = jwt {
        state = state.with_jwt(jwt);
    }
    tokio::spawn(run_projections(state.clone()));
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .map_err(|e| {
            CliError::Io(format!(
                "không mở được cổng / cannot listen on {}: {e}",
                settings.addr
            ))
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Io(e.to_string()))?;
    tracing::info!(addr = %local, data_dir = %settings.data_dir.display(), "Bàn Giao is listening");
    println!(
        "Bàn Giao đang chạy tại / is listening on http://{local}  (API: http://{local}/api/v1/docs)"
    );
    let pages = bangiao_web::pages(state.clone())
        .map_err(|e| CliError::Io(format!("trang web / web pages: {e}")))?;
    axum::serve(
        listener,
        router(state)
            .merge(pages)
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .map_err(|e| CliError::Io(e.to_string()))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("stopping");
}
