//! The one write limit of every door: permits of commands in flight.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The permits of commands in flight: at most this many at once, whichever door they came by.
#[derive(Debug, Clone)]
pub struct WritePermits(Arc<Semaphore>);

impl WritePermits {
    /// Room for `limit` commands in flight.
    pub fn new(limit: usize) -> Self {
        Self(Arc::new(Semaphore::new(limit.max(1))))
    }

    /// A permit for one command, held until its last clone is dropped; `None` when all are taken.
    pub fn try_acquire(&self) -> Option<Permit> {
        self.0
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|p| Permit(Arc::new(p)))
    }

    /// Commands that could still be admitted now.
    pub fn available(&self) -> usize {
        self.0.available_permits()
    }
}

/// Proof that a command was admitted: one write permit, released when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Permit(#[allow(dead_code)] Arc<OwnedSemaphorePermit>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_permits_are_released_with_their_last_clone() {
        let permits = WritePermits::new(1);
        let permit = permits.try_acquire().expect("one");
        let copy = permit.clone();
        assert!(permits.try_acquire().is_none());
        drop(permit);
        assert!(permits.try_acquire().is_none(), "a clone still holds it");
        drop(copy);
        assert!(permits.try_acquire().is_some());
    }
}
