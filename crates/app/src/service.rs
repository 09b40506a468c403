//! `Service`: routes each act to its aggregate and resolves cross-stream facts.

mod batch;

pub use batch::{BatchError, BatchOutcome, CommandBatch};

use crate::handler::{CommandMeta, HandleError, Outcome, Repository};
use bangiao_domain::fonds::{DomainWarning, FondsCommand};
use bangiao_domain::unit::{
    EndUnit, MergeUnits, RegisterUnit, SplitUnit, UnitCommand, UnitDetails, UnitEvent, UnitState,
    decide_merger, decide_split,
};
use bangiao_domain::values::{FondsCode, UnitCode};
use bangiao_domain::{DomainError, FondsAggregate, UnitAggregate, events};
use bangiao_store::EventStore;

/// What an accepted act did, for the caller to show and to wait on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Global position of the last event the act wrote (or of the first attempt, for a retry);
    /// 0 when it changed nothing.
    pub position: u64,
    /// The revision after the act of the stream the act is addressed to (for a merger the
    /// successor's, for a split the divided unit's), for `ETag`.
    pub revision: Option<u64>,
    /// Event type names written (for a retry: by the first attempt).
    pub events: Vec<&'static str>,
    /// Whether this was a retry of an act already applied.
    pub replayed: bool,
    /// What the act should make a person check, though it was accepted (a box over capacity).
    pub warnings: Vec<DomainWarning>,
}

impl Accepted {
    fn from_outcome<E: bangiao_domain::DomainEvent>(outcome: &Outcome<E>) -> Self {
        Self {
            position: outcome.result.map_or(0, |r| r.position),
            revision: outcome.revision,
            events: outcome.events.iter().map(|e| e.event_type()).collect(),
            replayed: outcome.replayed,
            warnings: Vec::new(),
        }
    }
}

/// The units and fonds of one event store.
pub struct Service<S: EventStore + Clone> {
    units: Repository<UnitAggregate, S>,
    fonds: Repository<FondsAggregate, S>,
    store: S,
}

impl<S: EventStore + Clone> Service<S> {
    /// A service over `store`.
    pub fn new(store: S) -> Self {
        Self {
            units: Repository::new(store.clone(), events::upcasters()),
            fonds: Repository::new(store.clone(), events::upcasters()),
            store,
        }
    }

    /// The event store behind the service.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The current state of a unit.
    pub async fn unit(&self, code: &UnitCode) -> Result<(UnitState, Option<u64>), HandleError> {
        self.units.load(code.as_str()).await
    }

    /// The current decision state of a fonds.
    pub async fn fonds_state(
        &self,
        code: &FondsCode,
    ) -> Result<(bangiao_domain::fonds::FondsState, Option<u64>), HandleError> {
        self.fonds.load(code.as_str()).await
    }

    /// Fills the parent facts of a unit's description: its level and the days it exists.
    async fn with_parent_level(
        &self,
        mut details: UnitDetails,
    ) -> Result<UnitDetails, HandleError> {
        if let Some(parent) = details.parent.as_ref() {
            let parent = self.unit(parent).await?.0;
            details.parent_level = parent.level();
            details.parent_lifespan = parent.lifespan();
        }
        Ok(details)
    }

    /// Đăng ký đơn vị — registers a unit.
    pub async fn register_unit(
        &self,
        mut command: RegisterUnit,
        meta: &CommandMeta,
    ) -> Result<Accepted, HandleError> {
        command.details = self.with_parent_level(command.details).await?;
        let code = command.code.clone();
        let outcome = self
            .units
            .execute(code.as_str(), &UnitCommand::Register(command), meta)
            .await?;
        Ok(Accepted::from_outcome(&outcome))
    }

    /// Kết thúc hoạt động — ends a unit that has no successor.
    pub async fn end_unit(
        &self,
        code: &UnitCode,
        command: EndUnit,
        meta: &CommandMeta,
    ) -> Result<Accepted, HandleError> {
        let outcome = self
            .units
            .execute(code.as_str(), &UnitCommand::End(command), meta)
            .await?;
        Ok(Accepted::from_outcome(&outcome))
    }

    /// Sáp nhập — merges predecessors into a successor (existing, or new when described).
    pub async fn merge_units(
        &self,
        successor: &UnitCode,
        predecessors: &[UnitCode],
        mut command: MergeUnits,
        meta: &CommandMeta,
    ) -> Result<Accepted, HandleError> {
        if let Some(details) = command.new_successor.take() {
            command.new_successor = Some(self.with_parent_level(details).await?);
        }
        let mut ids = vec![successor.to_string()];
        ids.extend(predecessors.iter().map(ToString::to_string));
        let plan =
            |views: &[(&str, &UnitState)]| -> Result<Vec<(String, Vec<UnitEvent>)>, DomainError> {
                let (first, rest) = views.split_first().ok_or(DomainError::EmptyList {
                    list: bangiao_domain::error::ListKind::Predecessors,
                })?;
                let preds: Vec<(UnitCode, &UnitState)> = rest
                    .iter()
                    .zip(predecessors)
                    .map(|((_, state), code)| (code.clone(), *state))
                    .collect();
                let events = decide_merger(&preds, (successor, first.1), &command)?;
                Ok(events
                    .into_iter()
                    .map(|(code, e)| (code.to_string(), e))
                    .collect())
            };
        let outcome = self.units.execute_multi(&ids, meta, plan).await?;
        Ok(multi_accepted(&outcome, successor.as_str()))
    }

    /// Chia — splits a unit into new units.
    pub async fn split_unit(
        &self,
        predecessor: &UnitCode,
        successors: Vec<(UnitCode, UnitDetails)>,
        command: SplitUnit,
        meta: &CommandMeta,
    ) -> Result<Accepted, HandleError> {
        let mut described = Vec::with_capacity(successors.len());
        for (code, details) in successors {
            described.push((code, self.with_parent_level(details).await?));
        }
        let mut ids = vec![predecessor.to_string()];
        ids.extend(described.iter().map(|(code, _)| code.to_string()));
        let plan =
            |views: &[(&str, &UnitState)]| -> Result<Vec<(String, Vec<UnitEvent>)>, DomainError> {
                let (first, rest) = views.split_first().ok_or(DomainError::EmptyList {
                    list: bangiao_domain::error::ListKind::Successors,
                })?;
                let parts: Vec<(UnitCode, &UnitState, &UnitDetails)> = rest
                    .iter()
                    .zip(&described)
                    .map(|((_, state), (code, details))| (code.clone(), *state, details))
                    .collect();
                let events = decide_split((predecessor, first.1), &parts, &command)?;
                Ok(events
                    .into_iter()
                    .map(|(code, e)| (code.to_string(), e))
                    .collect())
            };
        let outcome = self.units.execute_multi(&ids, meta, plan).await?;
        Ok(multi_accepted(&outcome, predecessor.as_str()))
    }

    /// Any act on one fonds; opening a fonds takes its unit's end date from the unit's stream.
    pub async fn fonds_command(
        &self,
        code: &FondsCode,
        mut command: FondsCommand,
        meta: &CommandMeta,
    ) -> Result<Accepted, HandleError> {
        if let FondsCommand::Open(open) = &mut command {
            open.unit_ended_on = self.unit(&open.unit_code).await?.0.ended_on();
        }
        command.check_dates(today_in_vietnam())?;
        let (outcome, warnings) = self
            .fonds
            .execute_and(code.as_str(), &command, meta, |state| {
                state.warnings_after(&command)
            })
            .await?;
        Ok(Accepted {
            warnings,
            ..Accepted::from_outcome(&outcome)
        })
    }
}

/// The day of recording: today in Vietnam (UTC+7), whatever the server's time zone, so that a
/// file ending today is taken from midnight in Vietnam.
pub fn today_in_vietnam() -> chrono::NaiveDate {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    chrono::Utc::now().with_timezone(&vietnam).date_naive()
}

/// What a multi-stream act did; `revision` is that of the stream of unit `named` (the unit
/// the act is addressed to), whether written now or by the first attempt of a retry.
fn multi_accepted(outcome: &crate::handler::MultiOutcome<UnitEvent>, named: &str) -> Accepted {
    use bangiao_domain::DomainEvent;
    let revision = outcome
        .appended
        .iter()
        .map(|(id, r, _)| (id, r))
        .chain(outcome.replayed.iter().map(|(id, r)| (id, r)))
        .find(|(id, _)| id.as_str() == named)
        .map(|(_, r)| r.next_expected_revision);
    let position = outcome
        .appended
        .iter()
        .map(|(_, r, _)| r.position)
        .chain(outcome.replayed.iter().map(|(_, r)| r.position))
        .max()
        .unwrap_or(0);
    Accepted {
        position,
        revision,
        events: outcome
            .appended
            .iter()
            .flat_map(|(_, _, events)| events.iter().map(DomainEvent::event_type))
            .collect(),
        replayed: outcome.appended.is_empty() && !outcome.replayed.is_empty(),
        warnings: Vec::new(),
    }
}
