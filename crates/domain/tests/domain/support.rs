//! given/when/then for any aggregate.

use std::fmt::Debug;

use bangiao_domain::{Aggregate, DomainError};

/// Past events, folded into a state.
pub struct Given<A: Aggregate> {
    state: A::State,
}

/// The outcome of one command against the given state.
pub struct Then<A: Aggregate> {
    state: A::State,
    result: Result<Vec<A::Event>, DomainError>,
}

/// Starts a scenario from past events.
pub fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> Given<A> {
    let events: Vec<A::Event> = events.into_iter().collect();
    Given {
        state: A::replay(&events),
    }
}

impl<A: Aggregate> Given<A> {
    /// Decides one command.
    pub fn when(self, command: impl Into<A::Command>) -> Then<A> {
        let result = A::decide(&self.state, &command.into());
        Then {
            state: self.state,
            result,
        }
    }

    /// The folded state, to inspect what the events did.
    pub fn state(self) -> A::State {
        self.state
    }
}

impl<A: Aggregate> Then<A>
where
    A::Event: Debug + PartialEq,
{
    /// The command is accepted with exactly these events.
    #[track_caller]
    pub fn then_expect(self, expected: Vec<A::Event>) {
        match self.result {
            Ok(events) => assert_eq!(events, expected),
            Err(error) => panic!("expected events, got {}: {error}", error.code()),
        }
    }

    /// The command is refused with this error code.
    #[track_caller]
    pub fn then_expect_error(self, code: &str) {
        match self.result {
            Ok(events) => panic!("expected error {code}, got events {events:?}"),
            Err(error) => assert_eq!(error.code(), code, "{error}"),
        }
    }

    /// The command is refused with this error code; returns the refusal, to read its messages.
    #[track_caller]
    pub fn then_refused(self, code: &str) -> DomainError {
        match self.result {
            Ok(events) => panic!("expected error {code}, got events {events:?}"),
            Err(error) => {
                assert_eq!(error.code(), code, "{error}");
                error
            }
        }
    }

    /// The command is accepted; returns the state after its events.
    #[track_caller]
    pub fn then_state(self) -> A::State {
        match self.result {
            Ok(events) => {
                let mut state = self.state;
                for event in &events {
                    A::evolve(&mut state, event);
                }
                state
            }
            Err(error) => panic!("expected events, got {}: {error}", error.code()),
        }
    }
}
