//! Following `$all` live: a catch-up subscription, filtered to our streams, that feeds the
//! index; when it drops, a new one starts after the last event actually indexed.
//!
//! **The resume rule.** A filtered subscription also sends checkpoints: places in `$all` the
//! server has searched up to. They are not places to resume from: KurrentDB issue #4970
//! describes a checkpoint reported past events that were not delivered yet, so resuming from
//! it would skip them. We resume only from the position of the last event handled
//! ([`ResumePoint`]), and an event at or before it is never handled twice.
//!
//! Readers of the store (`subscribe_all`, the read models) follow our gapless positions, and
//! resume from the position of the last event they applied, kept in their own checkpoint.

use std::sync::Weak;
use std::time::Duration;

use futures::StreamExt;
use kurrentdb::Position;

use super::transport::Delivery;
use super::{Inner, KurrentStore};

/// Longest wait between two attempts to resubscribe.
const MAX_RESUBSCRIBE_WAIT: Duration = Duration::from_secs(5);

/// Where a subscription to `$all` resumes: after the last event handled, never a checkpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResumePoint {
    last_handled: Option<Position>,
    last_checkpoint: Option<Position>,
}

impl ResumePoint {
    /// Resumes after `last_handled` (from the start when None).
    pub fn after(last_handled: Option<Position>) -> Self {
        Self {
            last_handled,
            last_checkpoint: None,
        }
    }

    /// Where to subscribe from: the last event handled (exclusive), or the start.
    pub fn from(&self) -> Option<Position> {
        self.last_handled
    }

    /// Whether an event at `position` is still to be handled.
    pub fn is_new(&self, position: Position) -> bool {
        self.last_handled.is_none_or(|last| position > last)
    }

    /// Records an event as handled.
    pub fn handled(&mut self, position: Position) {
        if self.is_new(position) {
            self.last_handled = Some(position);
        }
    }

    /// Notes a server checkpoint, which never moves the resume point.
    pub fn checkpoint(&mut self, position: Position) {
        self.last_checkpoint = Some(position);
    }

    /// The last checkpoint the server sent (for diagnostics only).
    pub fn last_checkpoint(&self) -> Option<Position> {
        self.last_checkpoint
    }
}

/// The wait before resubscribing after `failures` failures in a row.
pub fn resubscribe_wait(failures: u32) -> Duration {
    let factor = 1u32.checked_shl(failures.min(16)).unwrap_or(u32::MAX);
    Duration::from_millis(50)
        .saturating_mul(factor)
        .min(MAX_RESUBSCRIBE_WAIT)
}

impl KurrentStore {
    /// Indexes events a subscription delivered, one reader at a time with catch-up reads.
    async fn index_delivered(
        &self,
        raw: Vec<super::transport::RawEvent>,
    ) -> Result<(), crate::StoreError> {
        let _one_at_a_time = self.inner.syncing.lock().await;
        self.index_events(raw).await.map(|_| ())
    }
}

/// Follows `$all` for as long as the store lives, resubscribing after every failure.
pub(crate) async fn follow_all(inner: Weak<Inner>) {
    let mut failures = 0u32;
    loop {
        let Some(store) = inner.upgrade().map(|inner| KurrentStore { inner }) else {
            return;
        };
        let mut resume = ResumePoint::after(store.tail().last);
        let mut deliveries = store
            .inner
            .transport
            .subscribe_all(resume.from(), &store.inner.prefixes);
        drop(store);
        while let Some(delivery) = deliveries.next().await {
            let Some(store) = inner.upgrade().map(|inner| KurrentStore { inner }) else {
                return;
            };
            let outcome = match delivery {
                Ok(Delivery::Event(event)) if resume.is_new(event.position) => {
                    let position = event.position;
                    store.index_delivered(vec![event]).await.map(|()| {
                        resume.handled(position);
                    })
                }
                Ok(Delivery::Event(_)) => Ok(()),
                Ok(Delivery::Checkpoint(position)) => {
                    resume.checkpoint(position);
                    Ok(())
                }
                // Close any gap a concurrent reader may have left, then carry on live.
                Ok(Delivery::CaughtUp) => store.sync().await.map(|_| ()),
                Err(e) => Err(super::mapping::map_error(&e, super::mapping::Context::ALL)),
            };
            match outcome {
                Ok(()) => failures = 0,
                Err(error) => {
                    tracing::warn!(%error, resume = ?resume.from(), "following $all: resubscribing");
                    break;
                }
            }
        }
        failures = failures.saturating_add(1);
        tokio::time::sleep(resubscribe_wait(failures)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(p: u64) -> Position {
        Position {
            commit: p,
            prepare: p,
        }
    }

    #[test]
    fn a_checkpoint_past_the_last_event_never_moves_the_resume_point() {
        // Issue #4970: events at 100 and 200 handled, then a checkpoint at 900 arrives while
        // the event at 500 was not delivered yet; the connection drops.
        let mut resume = ResumePoint::after(None);
        assert_eq!(
            resume.from(),
            None,
            "a new follower starts at the beginning"
        );
        resume.handled(at(100));
        resume.handled(at(200));
        resume.checkpoint(at(900));
        assert_eq!(
            resume.from(),
            Some(at(200)),
            "resume after the last event handled"
        );
        assert_eq!(resume.last_checkpoint(), Some(at(900)));
        assert!(
            resume.is_new(at(500)),
            "the event at 500 is still delivered after resuming"
        );
    }

    #[test]
    fn events_at_or_before_the_resume_point_are_not_handled_twice() {
        let mut resume = ResumePoint::after(Some(at(200)));
        assert!(!resume.is_new(at(100)));
        assert!(!resume.is_new(at(200)));
        assert!(resume.is_new(at(201)));
        resume.handled(at(300));
        resume.handled(at(250));
        assert_eq!(resume.from(), Some(at(300)), "never moves backwards");
        let prepare_only = Position {
            commit: 300,
            prepare: 301,
        };
        assert!(
            resume.is_new(prepare_only),
            "ordered by commit, then prepare"
        );
    }

    #[test]
    fn resubscribing_backs_off_to_a_bound() {
        assert_eq!(resubscribe_wait(1), Duration::from_millis(100));
        assert_eq!(resubscribe_wait(3), Duration::from_millis(400));
        assert_eq!(resubscribe_wait(50), MAX_RESUBSCRIBE_WAIT);
    }
}
