//! The application service: one entry point per act. It fills in the facts a command needs from
//! other streams (a unit's end date when a fonds opens, a parent's level when a unit registers),
//! never trusting the caller for them, then lets the repositories decide and append. Every front
//! door hands its commands to the one [`pipeline`].

pub mod demo;
pub mod handler;
pub mod pipeline;
mod service;

pub use service::{Accepted, BatchError, BatchOutcome, CommandBatch, Service, today_in_vietnam};
