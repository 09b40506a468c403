//! The running demo: issues each act through the service with a deterministic envelope,
//! counts what was appended and reports progress.

use crate::handler::{CommandMeta, HandleError};
use bangiao_domain::fonds::FondsCommand;
use bangiao_domain::values::{FondsCode, LegalBasis};
use bangiao_domain::{DomainError, ValueError};
use bangiao_store::{ActorRef, EventStore, LegalBasisRef};
use chrono::NaiveDate;

use super::cast::Person;
use super::ids::act_id;
use super::{DemoError, DemoPhase, DemoStep, DemoSummary};
use crate::{Accepted, Service};

/// One act of the demo: its name (unique, hashed into the command id, shown on failure),
/// its business date, who did it and the legal document it rests on.
pub(super) struct Act<'p> {
    /// Unique name, e.g. "Đóng phông 066-UB".
    pub name: String,
    /// The business date.
    pub on: NaiveDate,
    /// Who acts.
    pub by: &'p Person,
    /// The document behind the act, carried in the envelope.
    pub basis: Option<&'p LegalBasis>,
}

impl<'p> Act<'p> {
    /// An act without a legal document of its own.
    pub fn new(name: String, on: NaiveDate, by: &'p Person) -> Self {
        Self {
            name,
            on,
            by,
            basis: None,
        }
    }

    /// The same act, resting on `basis`.
    pub fn under(mut self, basis: &'p LegalBasis) -> Self {
        self.basis = Some(basis);
        self
    }

    /// The envelope: a command id derived from the name and date, so a re-run is a retry.
    fn meta(&self) -> CommandMeta {
        let mut meta = CommandMeta::new(act_id(self.on, &self.name));
        meta.actor = Some(ActorRef {
            name: Some(self.by.name.clone()),
            title: Some(self.by.title.clone()),
            organ: Some(self.by.organ.clone()),
            ..ActorRef::new(
                &self.by.user,
                self.by.role.as_str(),
                Some(self.by.unit.to_owned()),
            )
        });
        meta.effective_on = Some(self.on);
        meta.legal_basis = self.basis.map(|basis| LegalBasisRef {
            number: basis.number.to_string(),
            issued_on: basis.issued_on,
            issuer: basis.issuer.to_string(),
        });
        meta
    }
}

/// Turns a generated value that did not parse into the error of the act that needed it.
pub(super) fn checked<T>(step: &str, value: Result<T, ValueError>) -> Result<T, DemoError> {
    value.map_err(|e| DemoError {
        step: step.to_owned(),
        source: HandleError::Domain(DomainError::InvalidValue(e)),
    })
}

/// The state of a demo being loaded.
pub(super) struct Run<'a, S: EventStore + Clone> {
    service: &'a Service<S>,
    progress: &'a mut dyn FnMut(DemoStep),
    step: DemoStep,
    summary: DemoSummary,
}

impl<'a, S: EventStore + Clone> Run<'a, S> {
    /// A run over `service`, reporting to `progress`.
    pub fn new(service: &'a Service<S>, progress: &'a mut dyn FnMut(DemoStep)) -> Self {
        Self {
            service,
            progress,
            step: DemoStep {
                phase: DemoPhase::Units,
                done: 0,
                total: 0,
            },
            summary: DemoSummary::default(),
        }
    }

    /// Starts a phase of `total` acts.
    pub fn begin(&mut self, phase: DemoPhase, total: usize) {
        self.step = DemoStep {
            phase,
            done: 0,
            total: total as u64,
        };
        (self.progress)(self.step);
    }

    /// The counters of the summary, for the phases to fill in.
    pub fn summary(&mut self) -> &mut DemoSummary {
        &mut self.summary
    }

    /// Issues an act through `issue`, which receives the act's envelope; counts the outcome.
    pub async fn act<F, Fut>(&mut self, act: &Act<'_>, issue: F) -> Result<Accepted, DemoError>
    where
        F: FnOnce(&'a Service<S>, CommandMeta) -> Fut,
        Fut: Future<Output = Result<Accepted, HandleError>>,
    {
        let outcome = issue(self.service, act.meta()).await;
        let accepted = outcome.map_err(|source| DemoError {
            step: act.name.clone(),
            source,
        })?;
        self.summary.commands += 1;
        self.summary.replayed += u64::from(accepted.replayed);
        if !accepted.replayed {
            self.summary.events_appended += accepted.events.len() as u64;
        }
        self.step.done += 1;
        (self.progress)(self.step);
        Ok(accepted)
    }

    /// Issues an act on one fonds.
    pub async fn fonds(
        &mut self,
        act: &Act<'_>,
        code: &FondsCode,
        command: impl Into<FondsCommand>,
    ) -> Result<Accepted, DemoError> {
        let command = command.into();
        self.act(act, |service, meta| async move {
            service.fonds_command(code, command, &meta).await
        })
        .await
    }

    /// The summary, with the store's last position.
    pub fn finish(mut self) -> DemoSummary {
        self.summary.last_position = self.service.store().head_position();
        self.summary
    }
}
