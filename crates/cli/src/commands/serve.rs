//! `bangiao serve`: the HTTP service on the embedded store, PostgreSQL or KurrentDB.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use bangiao_projections::{ProjectionError, ReadModel, rebuild};
use bangiao_server::reads::verification::CheckpointSource;
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
    /// The event store: sqlite:PATH,
    /// postgres://user:password@db1:5432,db2:5432/bangiao?target_session_attrs=read-write or
    /// kurrentdb://n1:2113,n2:2113,n3:2113?tls=true [default: events.db in the data directory];
    /// the read models stay in the data directory.
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
    /// A TOML file with any of: addr, data_dir, log_format, durability, store, blobs,
    /// max_upload_bytes.
    #[arg(long, env = "BANGIAO_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address of the gRPC API [default: 127.0.0.1:50051]. When the default port is taken the
    /// service runs without gRPC (with a warning); an address given here must be free.
    #[arg(long, env = "BANGIAO_GRPC_ADDR")]
    pub grpc_addr: Option<SocketAddr>,
    /// Most commands in flight at once; more are answered 503 with Retry-After [default: 1024].
    #[arg(long, env = "BANGIAO_MAX_PENDING_WRITES")]
    pub max_pending_writes: Option<usize>,
    /// Where digital copies live: a folder, file:///PATH or s3://bucket/prefix (with the usual
    /// AWS_* environment) [default: blobs in the data directory].
    #[arg(long, env = "BANGIAO_BLOBS")]
    pub blobs: Option<String>,
    /// Largest digital copy an upload accepts, in bytes [default: 2147483648, 2 GiB].
    #[arg(long, env = "BANGIAO_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<u64>,
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

/// The gRPC address when none is given.
const DEFAULT_GRPC_ADDR: ([u8; 4], u16) = ([127, 0, 0, 1], 50051);
/// How long open streams (event feeds) may keep the service up after a stop signal.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Binds the gRPC listener: an explicit address must be free; the default one may be taken (by
/// another instance on the same machine), and the service then runs without gRPC.
async fn bind_grpc(addr: Option<SocketAddr>) -> Result<Option<tokio::net::TcpListener>, CliError> {
    let chosen = addr.unwrap_or_else(|| SocketAddr::from(DEFAULT_GRPC_ADDR));
    match tokio::net::TcpListener::bind(chosen).await {
        Ok(listener) => Ok(Some(listener)),
        Err(e) if addr.is_none() => {
            tracing::warn!(addr = %chosen, error = %e, "gRPC port taken: serving without gRPC (set --grpc-addr)");
            Ok(None)
        }
        Err(e) => Err(CliError::Io(format!(
            "không mở được cổng gRPC / cannot listen for gRPC on {chosen}: {e}"
        ))),
    }
}

/// Once the read models have caught up, removes the blobs of copies deleted by destructions
/// whose deletion a crash interrupted.
async fn sweep_at_start(state: AppState) {
    let head = state.store.head_position();
    loop {
        match bangiao_server::copies::sweep(&state, None, head).await {
            Ok(removed) => {
                if removed > 0 {
                    tracing::info!(removed, "blobs of destroyed files' copies deleted");
                }
                return;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
        }
    }
}

/// Resolves when the stop signal has been given.
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopping| *stopping).await;
}

/// Runs the service until Ctrl-C or SIGTERM.
pub async fn run(args: Args) -> Result<(), CliError> {
    let file = match &args.config {
        Some(path) => FileConfig::load(path)?,
        None => FileConfig::default(),
    };
    let checkpoint_key = file.checkpoint_public_key.clone();
    let jwt = match &file.oidc {
        Some(oidc) => Some(oidc.verifier().await?),
        None => None,
    };
    let oidc_redirect = match (&file.oidc, &jwt) {
        (Some(oidc), Some(verifier)) => oidc.redirect(verifier)?,
        _ => None,
    };
    let blobs_location = args.blobs.clone().or_else(|| file.blobs.clone());
    let max_upload_bytes = args.max_upload_bytes.or(file.max_upload_bytes);
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
    // Held until the service stops; with KurrentDB too, as the read models live here.
    let _lock = data.lock("serve")?;
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
    if let Some(limit) = max_upload_bytes {
        http.max_upload_bytes = limit;
    }
    let blobs = super::fixity::open_blobs(blobs_location.as_deref(), &settings.data_dir)?;
    let mut state = AppState::new(store, read, http).with_blobs(blobs);
    if let Some(jwt) = jwt {
        state = state.with_jwt(jwt);
    }
    if let Some(public_key) = checkpoint_key {
        state = state.with_checkpoints(CheckpointSource {
            dir: settings.data_dir.join("checkpoints"),
            public_key,
        });
    }
    tokio::spawn(run_projections(state.clone()));
    tokio::spawn(sweep_at_start(state.clone()));
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
    let grpc_listener = bind_grpc(args.grpc_addr).await?;
    tracing::info!(addr = %local, data_dir = %settings.data_dir.display(), "Bàn Giao is listening");
    // The gRPC line comes first: scripts read the HTTP address from the line with http://.
    if let Some(grpc) = &grpc_listener {
        let grpc_local = grpc.local_addr().map_err(|e| CliError::Io(e.to_string()))?;
        tracing::info!(addr = %grpc_local, "gRPC API is listening");
        println!("Bàn Giao gRPC đang chạy tại / gRPC is listening on grpc={grpc_local}");
    }
    println!(
        "Bàn Giao đang chạy tại / is listening on http://{local}  (API: http://{local}/api/v1/docs)"
    );
    let options = bangiao_web::PagesOptions {
        data_dir: settings.data_dir.clone(),
        oidc: oidc_redirect,
    };
    let pages = bangiao_web::pages(state.clone(), options)
        .map_err(|e| CliError::Io(format!("trang web / web pages: {e}")))?;
    let stop = stop_signal();
    let grpc = serve_grpc(state.clone(), grpc_listener, stop.clone());
    let http = axum::serve(
        listener,
        router(state)
            .merge(pages)
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stopped(stop.clone()));
    finish(http, grpc, stop).await
}

/// A flag raised on Ctrl-C or SIGTERM.
fn stop_signal() -> tokio::sync::watch::Receiver<bool> {
    let (raise, flag) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown().await;
        let _ = raise.send(true);
    });
    flag
}

/// The gRPC API until the stop signal; nothing when its listener could not be bound.
async fn serve_grpc(
    state: AppState,
    listener: Option<tokio::net::TcpListener>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), CliError> {
    let Some(listener) = listener else {
        return Ok(());
    };
    bangiao_grpc::serve(state, listener, stopped(stop))
        .await
        .map_err(|e| CliError::Io(e.to_string()))
}

/// Runs both APIs until they have stopped. Event feeds never end by themselves: after the stop
/// signal, open streams get a few seconds, then the service stops anyway.
async fn finish(
    http: impl std::future::IntoFuture<Output = std::io::Result<()>>,
    grpc: impl std::future::Future<Output = Result<(), CliError>>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), CliError> {
    let http = async { http.await.map_err(|e| CliError::Io(e.to_string())) };
    let grace = async {
        stopped(stop).await;
        tokio::time::sleep(STOP_GRACE).await;
    };
    tokio::select! {
        served = async { tokio::try_join!(http, grpc) } => served.map(|_| ()),
        () = grace => {
            tracing::info!("streams still open after the grace period: stopping");
            Ok(())
        }
    }
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
