//! Dates a court would question: a file dated before any record an archive holds, or a file
//! ending, or an act done, after the day it is recorded. The rule is pure: the application
//! service passes the day of recording in.

use chrono::NaiveDate;

use super::FondsCommand;
use crate::DomainError;
use crate::fonds::events::Correction;

/// The earliest date a file may carry: 1 January 1400. The oldest administrative records
/// Vietnamese archives and communes keep are royal decrees (sắc phong) and land registers of
/// the Lê dynasty from the 15th century on; the Nguyễn court's records (Châu bản) start in
/// 1802, and most records of the 2025 reorganisation are from after 1945. A date before 1400 is
/// a mistyped year (0000, 0201, 1201), never a record.
pub const EARLIEST_RECORD_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1400, 1, 1) {
    Some(date) => date,
    None => panic!("1 January 1400 is a date"),
};

impl FondsCommand {
    /// Refuses a file date before [`EARLIEST_RECORD_DATE`], and any date of a file's documents
    /// or of an act done (drafted, signed, received, registered, appraised, accepted, noted,
    /// found, proposed, approved, executed, placed, lifted, digitised) after `today`, the day of
    /// recording. Opening and closing a fonds may be recorded ahead of the day they take effect,
    /// as the unit acts are: their dates are not checked against today.
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), DomainError> {
        for (field, date) in self.file_dates() {
            if date < EARLIEST_RECORD_DATE {
                return Err(DomainError::DateTooEarly {
                    field,
                    date,
                    earliest: EARLIEST_RECORD_DATE,
                });
            }
        }
        let past = self.file_dates().into_iter().chain(self.act_date());
        for (field, date) in past {
            if date > today {
                return Err(DomainError::DateInFuture { field, date, today });
            }
        }
        Ok(())
    }

    /// The dates of a file's documents this command sets.
    fn file_dates(&self) -> Vec<(&'static str, NaiveDate)> {
        match self {
            Self::RecordFile(c) => vec![("start_date", c.start_date), ("end_date", c.end_date)],
            Self::RecordDocument(c) => vec![("issued_on", c.issued_on)],
            Self::CorrectFile(c) => match &c.correction {
                Correction::StartDate { new_value, .. } => vec![("start_date", *new_value)],
                Correction::EndDate { new_value, .. } => vec![("end_date", *new_value)],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The date of the act this command records, when it is a deed already done.
    fn act_date(&self) -> Option<(&'static str, NaiveDate)> {
        use FondsCommand as C;
        match self {
            C::Open(_) | C::Close(_) | C::RecordFile(_) | C::CorrectFile(_) => None,
            C::AppraiseRetention(_) | C::DeclassifyFile(_) => None,
            C::RecordCreatorHistory(c) => Some(("recorded_on", c.recorded_on)),
            C::DigitiseFile(c) => Some(("digitised_on", c.digitised_on)),
            C::MarkFileMissing(c) => Some(("noted_on", c.noted_on)),
            C::MarkFileDamaged(c) => Some(("noted_on", c.noted_on)),
            C::MarkFileFound(c) => Some(("found_on", c.found_on)),
            C::FlagUnfinished(_) => None,
            C::DraftHandover(c) => Some(("drafted_on", c.drafted_on)),
            C::SignHandover(c) => Some(("signed_on", c.signed_on)),
            C::ReceiveHandover(c) => Some(("received_on", c.received_on)),
            C::CancelHandover(c) => Some(("cancelled_on", c.cancelled_on)),
            C::RegisterTransfer(c) => Some(("registered_on", c.registered_on)),
            C::AppraiseTransferList(c) => Some(("appraised_on", c.appraised_on)),
            C::AcceptTransfer(c) => Some(("accepted_on", c.accepted_on)),
            C::ProposeDestruction(c) => Some(("proposed_on", c.proposed_on)),
            C::ApproveDestruction(c) => Some(("approved_on", c.approved_on)),
            C::ExecuteDestruction(c) => Some(("executed_on", c.executed_on)),
            C::CancelDestruction(c) => Some(("cancelled_on", c.cancelled_on)),
            C::PlaceHold(c) => Some(("placed_on", c.placed_on)),
            C::LiftHold(c) => Some(("lifted_on", c.lifted_on)),
            C::AttachCopy(c) => Some(("digitised_on", c.digitised_on)),
            C::RecordDocument(c) => Some(("recorded_on", c.recorded_on)),
        }
    }
}
