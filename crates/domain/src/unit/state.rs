//! What the rules need to know about a unit, folded from its stream.

use chrono::NaiveDate;

use super::events::{EndReason, UnitEvent};
use crate::values::{Name, UnitCode, UnitLevel, UnitType};

/// The decision state of one unit; empty until the unit is registered or formed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitState {
    unit: Option<UnitRecord>,
}

/// A unit the service knows.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRecord {
    /// Its GSO code.
    pub code: UnitCode,
    /// Its name.
    pub name: Name,
    /// Its level.
    pub level: UnitLevel,
    /// Its type.
    pub unit_type: UnitType,
    /// The unit it belongs to.
    pub parent: Option<UnitCode>,
    /// The day it began.
    pub valid_from: NaiveDate,
    /// How it ended, once it has.
    pub ending: Option<UnitEnding>,
}

/// How a unit stopped existing.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitEnding {
    /// Ended without a successor unit.
    Ended {
        /// The day it ended.
        on: NaiveDate,
        /// Why.
        reason: EndReason,
    },
    /// Merged into a successor.
    MergedInto {
        /// The day the merger took effect.
        on: NaiveDate,
        /// The successor.
        successor: UnitCode,
    },
    /// Split into new units.
    SplitInto {
        /// The day the split took effect.
        on: NaiveDate,
        /// The new units.
        successors: Vec<UnitCode>,
    },
}

/// The days a unit exists: from its first day until the effective date of the act that ended
/// it, which is the first day it no longer exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifespan {
    /// Its first day.
    pub from: NaiveDate,
    /// The effective date of the act that ended it, if any; its last day is the day before.
    pub ended_on: Option<NaiveDate>,
}

impl Lifespan {
    /// Whether the unit exists on `day`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && self.ended_on.is_none_or(|end| day < end)
    }
}

impl UnitEnding {
    /// The day the unit ended, however it ended.
    pub fn on(&self) -> NaiveDate {
        match self {
            Self::Ended { on, .. } | Self::MergedInto { on, .. } | Self::SplitInto { on, .. } => {
                *on
            }
        }
    }
}

impl UnitState {
    /// The unit, if registered or formed.
    pub fn unit(&self) -> Option<&UnitRecord> {
        self.unit.as_ref()
    }

    /// Whether the unit is known.
    pub fn is_registered(&self) -> bool {
        self.unit.is_some()
    }

    /// The unit's level, if known.
    pub fn level(&self) -> Option<UnitLevel> {
        self.unit.as_ref().map(|unit| unit.level)
    }

    /// The day the unit began, if known.
    pub fn valid_from(&self) -> Option<NaiveDate> {
        self.unit.as_ref().map(|unit| unit.valid_from)
    }

    /// The days the unit exists, if known.
    pub fn lifespan(&self) -> Option<Lifespan> {
        self.unit.as_ref().map(|unit| Lifespan {
            from: unit.valid_from,
            ended_on: unit.ending.as_ref().map(UnitEnding::on),
        })
    }

    /// How the unit ended, if it has.
    pub fn ending(&self) -> Option<&UnitEnding> {
        self.unit.as_ref().and_then(|unit| unit.ending.as_ref())
    }

    /// Whether the unit has ended, merged away or split.
    pub fn is_ended(&self) -> bool {
        self.ending().is_some()
    }

    /// The day the unit ended, if it has.
    pub fn ended_on(&self) -> Option<NaiveDate> {
        self.ending().map(UnitEnding::on)
    }

    /// Folds one event of the unit's stream.
    pub(crate) fn apply(&mut self, event: &UnitEvent) {
        match event {
            UnitEvent::UnitRegistered(e) => {
                self.begin(
                    &e.code,
                    &e.name,
                    e.level,
                    e.unit_type,
                    &e.parent,
                    e.valid_from,
                );
            }
            UnitEvent::UnitFormedByMerger(e) => {
                self.begin(
                    &e.code,
                    &e.name,
                    e.level,
                    e.unit_type,
                    &e.parent,
                    e.effective_on,
                );
            }
            UnitEvent::UnitFormedBySplit(e) => {
                self.begin(
                    &e.code,
                    &e.name,
                    e.level,
                    e.unit_type,
                    &e.parent,
                    e.effective_on,
                );
            }
            // The successor carries on unchanged; the lineage lives in the events.
            UnitEvent::UnitAbsorbed(_) => {}
            UnitEvent::UnitMergedInto(e) => self.end(UnitEnding::MergedInto {
                on: e.effective_on,
                successor: e.successor.clone(),
            }),
            UnitEvent::UnitSplitInto(e) => self.end(UnitEnding::SplitInto {
                on: e.effective_on,
                successors: e.successors.clone(),
            }),
            UnitEvent::UnitEnded(e) => self.end(UnitEnding::Ended {
                on: e.effective_on,
                reason: e.reason,
            }),
        }
    }

    fn begin(
        &mut self,
        code: &UnitCode,
        name: &Name,
        level: UnitLevel,
        unit_type: UnitType,
        parent: &Option<UnitCode>,
        valid_from: NaiveDate,
    ) {
        self.unit = Some(UnitRecord {
            code: code.clone(),
            name: name.clone(),
            level,
            unit_type,
            parent: parent.clone(),
            valid_from,
            ending: None,
        });
    }

    fn end(&mut self, ending: UnitEnding) {
        if let Some(unit) = self.unit.as_mut() {
            unit.ending = Some(ending);
        }
    }
}
