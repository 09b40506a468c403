//! What an accepted act should make a person check: the rules let it pass, but a real list
//! rarely looks like this.

use super::commands::FondsCommand;
use super::events::Correction;
use super::state::FondsState;
use crate::values::{BoxNumber, SHEETS_PER_BOX};

/// A warning about an accepted act, with a stable code and messages in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainWarning {
    /// The files listed in one box hold more sheets than a box can ([`SHEETS_PER_BOX`]): most
    /// often a mistyped sheet count or box number.
    BoxOverCapacity {
        /// The box.
        box_number: BoxNumber,
        /// The sheets now listed in it.
        sheets: u64,
        /// What a box holds.
        capacity: u64,
    },
}

impl DomainWarning {
    /// The stable snake_case code, e.g. `"box_over_capacity"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BoxOverCapacity { .. } => "box_over_capacity",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::BoxOverCapacity {
                box_number,
                sheets,
                capacity,
            } => format!(
                "Hộp số {box_number} đang ghi {sheets} tờ, nhiều hơn sức chứa của một hộp (khoảng {capacity} tờ): hãy kiểm tra lại số tờ hoặc số hộp"
            ),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::BoxOverCapacity {
                box_number,
                sheets,
                capacity,
            } => format!(
                "box {box_number} now lists {sheets} sheets, more than a box holds (about {capacity}): check the sheet counts or the box number"
            ),
        }
    }
}

impl FondsState {
    /// The warnings `command` leaves, read from the state after its events.
    pub fn warnings_after(&self, command: &FondsCommand) -> Vec<DomainWarning> {
        let touched = match command {
            FondsCommand::RecordFile(c) => c.box_number.clone(),
            FondsCommand::CorrectFile(c) => match &c.correction {
                Correction::BoxNumber { new_value, .. } => new_value.clone(),
                Correction::Sheets { .. } => self
                    .file(&c.file_code)
                    .and_then(|file| file.box_number.clone()),
                _ => None,
            },
            _ => None,
        };
        touched
            .and_then(|box_number| self.box_over_capacity(box_number))
            .into_iter()
            .collect()
    }

    /// The warning for `box_number`, if it lists more sheets than a box holds.
    pub fn box_over_capacity(&self, box_number: BoxNumber) -> Option<DomainWarning> {
        let sheets = self.sheets_in_box(&box_number);
        (sheets > SHEETS_PER_BOX).then_some(DomainWarning::BoxOverCapacity {
            box_number,
            sheets,
            capacity: SHEETS_PER_BOX,
        })
    }
}
