//! Who may do what: the principals behind requests (from API tokens or OIDC/JWT bearer
//! tokens), the permission policy that decides every request in one place, the token events
//! kept in the log, and Ed25519-signed checkpoints of the hash chain. No I/O but what the
//! caller hands in: the server looks tokens up and gathers the facts the policy needs.

pub mod checkpoint;
pub mod jwt;
pub mod policy;
pub mod principal;
pub mod token;

pub use policy::{Action, Denial, Facts, Resource, authorize};
pub use principal::{Person, Principal, Role};
