//! The gRPC API of Bàn Giao, served beside the HTTP API by the same binary: the commands, the
//! queries for custody, history and inventory lists, and the event feed (`Subscribe`) of the
//! public contract in `proto/bangiao/v1`. Every call is authenticated and decided by the HTTP
//! API's own functions (`bangiao_server::auth`), so the permission matrix and the stable error
//! codes are the same on both.

// tonic's service traits return `tonic::Status` by value; the helpers that build one follow suit.
#![allow(clippy::result_large_err)]

mod authz;
mod commands;
pub mod convert;
mod feed;
mod queries;
pub mod status;

use std::future::Future;

use bangiao_server::AppState;

/// The code generated from `proto/bangiao/v1` (messages, clients and servers).
#[allow(missing_docs, clippy::all)]
pub mod pb {
    tonic::include_proto!("bangiao.v1");

    /// The compiled descriptors of `proto/bangiao/v1` (a `FileDescriptorSet`).
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/bangiao_v1.bin"));
}

/// Why the gRPC server stopped.
#[derive(Debug, thiserror::Error)]
pub enum GrpcError {
    /// The transport failed.
    #[error("gRPC server: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// The three services (commands, queries, feed) over the service's state.
pub fn routes(state: AppState) -> tonic::service::Routes {
    tonic::service::Routes::new(pb::commands_server::CommandsServer::new(
        commands::CommandsApi::new(state.clone()),
    ))
    .add_service(pb::queries_server::QueriesServer::new(
        queries::QueriesApi::new(state.clone()),
    ))
    .add_service(pb::feed_server::FeedServer::new(feed::FeedApi::new(state)))
}

/// Serves the gRPC API on `listener` until `shutdown` completes.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), GrpcError> {
    tonic::transport::Server::builder()
        .add_routes(routes(state))
        .serve_with_incoming_shutdown(
            tonic::transport::server::TcpIncoming::from(listener),
            shutdown,
        )
        .await?;
    Ok(())
}
