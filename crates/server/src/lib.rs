//! The HTTP API of Bàn Giao: every command as a POST, every read model as a GET, errors as
//! RFC 9457 problem+json in Vietnamese and English, an OpenAPI 3.1 description generated from
//! the handlers, health, metrics and structured request logs. Only this crate knows HTTP and
//! the JSON shapes of the API.

pub mod admission;
pub mod auth;
pub mod commands;
pub mod copies;
pub mod error;
pub mod explain;
pub mod extract;
pub mod health;
pub mod methods;
pub mod metrics;
pub mod openapi;
pub mod ratelimit;
pub mod reads;
mod router;
pub mod state;

pub use router::{router, run_projections};
pub use state::{AppState, HttpConfig, Store};
