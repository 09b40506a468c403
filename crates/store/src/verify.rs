//! Walks the whole global log and checks its hash chain.

use crate::error::StoreError;
use crate::event::Hash;
use crate::hash::{ChainBreak, ChainVerifier};
use crate::store::EventStore;

/// Events read per page while verifying.
const PAGE: usize = 4096;

/// What a clean verification saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainReport {
    /// Events checked.
    pub events: u64,
    /// Hash of the last event (the chain head).
    pub head: Hash,
}

/// Why verification failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The log departs from its chain.
    #[error(transparent)]
    Broken(#[from] ChainBreak),
    /// The log could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks every link of the chain from the first event; `progress` gets the count checked so far.
pub async fn verify_chain<S: EventStore + ?Sized>(
    store: &S,
    progress: impl FnMut(u64),
) -> Result<ChainReport, VerifyError> {
    verify_chain_until(store, u64::MAX, progress).await
}

/// Checks the chain from the first event up to and including position `until`.
pub async fn verify_chain_until<S: EventStore + ?Sized>(
    store: &S,
    until: u64,
    mut progress: impl FnMut(u64),
) -> Result<ChainReport, VerifyError> {
    let mut verifier = ChainVerifier::default();
    while verifier.checked() < until {
        let page = store.read_all(verifier.checked() + 1, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for event in page.iter().take_while(|e| e.position <= until) {
            verifier.check(event)?;
        }
        progress(verifier.checked());
    }
    Ok(ChainReport {
        events: verifier.checked(),
        head: verifier.head(),
    })
}
