//! Stored records of the acts on files: handovers, transfers, destructions and holds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ExtentRecord, FondsKindRecord, LegalBasisRecord};
use crate::error::ValueError;
use crate::fonds::events::{self, AppraisalOutcome, Batch, Discrepancy, HoldReason, RejectedFile};
use crate::records::{text, texts, value, values};

/// Stored [`Batch`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchRecord {
    /// The batch.
    pub batch_id: String,
    /// Every fonds in it.
    pub fonds_codes: Vec<String>,
}

impl From<&Batch> for BatchRecord {
    fn from(b: &Batch) -> Self {
        Self {
            batch_id: text(&b.batch_id),
            fonds_codes: texts(&b.fonds_codes),
        }
    }
}

impl TryFrom<BatchRecord> for Batch {
    type Error = ValueError;
    fn try_from(r: BatchRecord) -> Result<Self, ValueError> {
        Ok(Self {
            batch_id: value(r.batch_id)?,
            fonds_codes: values(r.fonds_codes)?,
        })
    }
}

/// An optional batch read back.
fn batch(r: Option<BatchRecord>) -> Result<Option<Batch>, ValueError> {
    r.map(Batch::try_from).transpose()
}

/// Stored [`events::HandoverDrafted`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverDrafted {
    /// The minutes.
    pub handover_id: String,
    /// The batch, if any.
    pub batch: Option<BatchRecord>,
    /// Bên giao.
    pub giving_custodian: String,
    /// Bên nhận.
    pub receiving_custodian: String,
    /// Who signs for the giving side.
    pub giving_person: String,
    /// Who signs for the receiving side.
    pub receiving_person: String,
    /// Căn cứ.
    pub legal_basis: LegalBasisRecord,
    /// The files listed.
    pub file_codes: Vec<String>,
    /// Files declared.
    pub declared_files: u32,
    /// Extent declared.
    pub declared_extent: ExtentRecord,
    /// Date of the minutes.
    pub drafted_on: NaiveDate,
}

impl From<events::HandoverDrafted> for HandoverDrafted {
    fn from(e: events::HandoverDrafted) -> Self {
        Self {
            handover_id: text(&e.handover_id),
            batch: e.batch.as_ref().map(BatchRecord::from),
            giving_custodian: text(&e.giving_custodian),
            receiving_custodian: text(&e.receiving_custodian),
            giving_person: text(&e.giving_person),
            receiving_person: text(&e.receiving_person),
            legal_basis: (&e.legal_basis).into(),
            file_codes: texts(&e.file_codes),
            declared_files: e.declared_files,
            declared_extent: e.declared_extent.into(),
            drafted_on: e.drafted_on,
        }
    }
}

impl TryFrom<HandoverDrafted> for events::HandoverDrafted {
    type Error = ValueError;
    fn try_from(r: HandoverDrafted) -> Result<Self, ValueError> {
        Ok(Self {
            handover_id: value(r.handover_id)?,
            batch: batch(r.batch)?,
            giving_custodian: value(r.giving_custodian)?,
            receiving_custodian: value(r.receiving_custodian)?,
            giving_person: value(r.giving_person)?,
            receiving_person: value(r.receiving_person)?,
            legal_basis: r.legal_basis.try_into()?,
            file_codes: values(r.file_codes)?,
            declared_files: r.declared_files,
            declared_extent: r.declared_extent.into(),
            drafted_on: r.drafted_on,
        })
    }
}

/// Stored [`events::HandoverSigned`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverSigned {
    /// The minutes.
    pub handover_id: String,
    /// Who signed.
    pub signed_by: String,
    /// When.
    pub signed_on: NaiveDate,
}

impl From<events::HandoverSigned> for HandoverSigned {
    fn from(e: events::HandoverSigned) -> Self {
        Self {
            handover_id: text(&e.handover_id),
            signed_by: text(&e.signed_by),
            signed_on: e.signed_on,
        }
    }
}

impl TryFrom<HandoverSigned> for events::HandoverSigned {
    type Error = ValueError;
    fn try_from(r: HandoverSigned) -> Result<Self, ValueError> {
        Ok(Self {
            handover_id: value(r.handover_id)?,
            signed_by: value(r.signed_by)?,
            signed_on: r.signed_on,
        })
    }
}

/// Stored [`Discrepancy`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiscrepancyRecord {
    /// Thiếu.
    Missing {
        /// The file.
        file_code: String,
    },
    /// Hư hỏng.
    Damaged {
        /// The file.
        file_code: String,
        /// What is damaged.
        description: String,
    },
    /// Không có trong danh mục.
    NotOnList {
        /// The file.
        file_code: String,
    },
}

impl From<&Discrepancy> for DiscrepancyRecord {
    fn from(d: &Discrepancy) -> Self {
        match d {
            Discrepancy::Missing { file_code } => Self::Missing {
                file_code: text(file_code),
            },
            Discrepancy::Damaged {
                file_code,
                description,
            } => Self::Damaged {
                file_code: text(file_code),
                description: text(description),
            },
            Discrepancy::NotOnList { file_code } => Self::NotOnList {
                file_code: text(file_code),
            },
        }
    }
}

impl TryFrom<DiscrepancyRecord> for Discrepancy {
    type Error = ValueError;
    fn try_from(r: DiscrepancyRecord) -> Result<Self, ValueError> {
        Ok(match r {
            DiscrepancyRecord::Missing { file_code } => Self::Missing {
                file_code: value(file_code)?,
            },
            DiscrepancyRecord::Damaged {
                file_code,
                description,
            } => Self::Damaged {
                file_code: value(file_code)?,
                description: value(description)?,
            },
            DiscrepancyRecord::NotOnList { file_code } => Self::NotOnList {
                file_code: value(file_code)?,
            },
        })
    }
}

/// Stored [`events::HandoverReceived`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverReceived {
    /// The minutes.
    pub handover_id: String,
    /// Who received.
    pub received_by: String,
    /// When.
    pub received_on: NaiveDate,
    /// What did not match the list.
    pub discrepancies: Vec<DiscrepancyRecord>,
}

impl From<events::HandoverReceived> for HandoverReceived {
    fn from(e: events::HandoverReceived) -> Self {
        Self {
            handover_id: text(&e.handover_id),
            received_by: text(&e.received_by),
            received_on: e.received_on,
            discrepancies: e.discrepancies.iter().map(Into::into).collect(),
        }
    }
}

impl TryFrom<HandoverReceived> for events::HandoverReceived {
    type Error = ValueError;
    fn try_from(r: HandoverReceived) -> Result<Self, ValueError> {
        Ok(Self {
            handover_id: value(r.handover_id)?,
            received_by: value(r.received_by)?,
            received_on: r.received_on,
            discrepancies: r
                .discrepancies
                .into_iter()
                .map(Discrepancy::try_from)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Stored [`events::HandoverCancelled`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverCancelled {
    /// The minutes.
    pub handover_id: String,
    /// Who cancelled.
    pub cancelled_by: String,
    /// When.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: String,
}

impl From<events::HandoverCancelled> for HandoverCancelled {
    fn from(e: events::HandoverCancelled) -> Self {
        Self {
            handover_id: text(&e.handover_id),
            cancelled_by: text(&e.cancelled_by),
            cancelled_on: e.cancelled_on,
            reason: text(&e.reason),
        }
    }
}

impl TryFrom<HandoverCancelled> for events::HandoverCancelled {
    type Error = ValueError;
    fn try_from(r: HandoverCancelled) -> Result<Self, ValueError> {
        Ok(Self {
            handover_id: value(r.handover_id)?,
            cancelled_by: value(r.cancelled_by)?,
            cancelled_on: r.cancelled_on,
            reason: value(r.reason)?,
        })
    }
}

/// Stored [`events::TransferRegistered`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferRegistered {
    /// The transfer.
    pub transfer_id: String,
    /// The batch, if any.
    pub batch: Option<BatchRecord>,
    /// Who transfers.
    pub transferring_custodian: String,
    /// The archive receiving.
    pub archive: String,
    /// The kind of fonds declared.
    pub declared_kind: FondsKindRecord,
    /// The files listed.
    pub file_codes: Vec<String>,
    /// Who registered.
    pub registered_by: String,
    /// When.
    pub registered_on: NaiveDate,
}

impl From<events::TransferRegistered> for TransferRegistered {
    fn from(e: events::TransferRegistered) -> Self {
        Self {
            transfer_id: text(&e.transfer_id),
            batch: e.batch.as_ref().map(BatchRecord::from),
            transferring_custodian: text(&e.transferring_custodian),
            archive: text(&e.archive),
            declared_kind: e.declared_kind.into(),
            file_codes: texts(&e.file_codes),
            registered_by: text(&e.registered_by),
            registered_on: e.registered_on,
        }
    }
}

impl TryFrom<TransferRegistered> for events::TransferRegistered {
    type Error = ValueError;
    fn try_from(r: TransferRegistered) -> Result<Self, ValueError> {
        Ok(Self {
            transfer_id: value(r.transfer_id)?,
            batch: batch(r.batch)?,
            transferring_custodian: value(r.transferring_custodian)?,
            archive: value(r.archive)?,
            declared_kind: r.declared_kind.into(),
            file_codes: values(r.file_codes)?,
            registered_by: value(r.registered_by)?,
            registered_on: r.registered_on,
        })
    }
}

/// Stored [`AppraisalOutcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppraisalOutcomeRecord {
    /// Đạt.
    Approved,
    /// Không đạt.
    Rejected,
}

impl From<AppraisalOutcome> for AppraisalOutcomeRecord {
    fn from(o: AppraisalOutcome) -> Self {
        match o {
            AppraisalOutcome::Approved => Self::Approved,
            AppraisalOutcome::Rejected => Self::Rejected,
        }
    }
}

impl From<AppraisalOutcomeRecord> for AppraisalOutcome {
    fn from(o: AppraisalOutcomeRecord) -> Self {
        match o {
            AppraisalOutcomeRecord::Approved => Self::Approved,
            AppraisalOutcomeRecord::Rejected => Self::Rejected,
        }
    }
}

/// Stored [`events::TransferListAppraised`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferListAppraised {
    /// The transfer.
    pub transfer_id: String,
    /// Who appraised.
    pub appraised_by: String,
    /// When.
    pub appraised_on: NaiveDate,
    /// The verdict.
    pub outcome: AppraisalOutcomeRecord,
    /// Remarks.
    pub notes: Option<String>,
}

impl From<events::TransferListAppraised> for TransferListAppraised {
    fn from(e: events::TransferListAppraised) -> Self {
        Self {
            transfer_id: text(&e.transfer_id),
            appraised_by: text(&e.appraised_by),
            appraised_on: e.appraised_on,
            outcome: e.outcome.into(),
            notes: e.notes.as_ref().map(text),
        }
    }
}

impl TryFrom<TransferListAppraised> for events::TransferListAppraised {
    type Error = ValueError;
    fn try_from(r: TransferListAppraised) -> Result<Self, ValueError> {
        Ok(Self {
            transfer_id: value(r.transfer_id)?,
            appraised_by: value(r.appraised_by)?,
            appraised_on: r.appraised_on,
            outcome: r.outcome.into(),
            notes: crate::records::optional(r.notes)?,
        })
    }
}

/// Stored [`RejectedFile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedFileRecord {
    /// The file.
    pub file_code: String,
    /// Why.
    pub reason: String,
}

/// Stored [`events::TransferAccepted`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferAccepted {
    /// The transfer.
    pub transfer_id: String,
    /// Who accepted.
    pub accepted_by: String,
    /// When.
    pub accepted_on: NaiveDate,
    /// The files taken in.
    pub accepted: Vec<String>,
    /// The files refused, with why.
    pub rejected: Vec<RejectedFileRecord>,
}

impl From<events::TransferAccepted> for TransferAccepted {
    fn from(e: events::TransferAccepted) -> Self {
        Self {
            transfer_id: text(&e.transfer_id),
            accepted_by: text(&e.accepted_by),
            accepted_on: e.accepted_on,
            accepted: texts(&e.accepted),
            rejected: e
                .rejected
                .iter()
                .map(|f| RejectedFileRecord {
                    file_code: text(&f.file_code),
                    reason: text(&f.reason),
                })
                .collect(),
        }
    }
}

impl TryFrom<TransferAccepted> for events::TransferAccepted {
    type Error = ValueError;
    fn try_from(r: TransferAccepted) -> Result<Self, ValueError> {
        Ok(Self {
            transfer_id: value(r.transfer_id)?,
            accepted_by: value(r.accepted_by)?,
            accepted_on: r.accepted_on,
            accepted: values(r.accepted)?,
            rejected: r
                .rejected
                .into_iter()
                .map(|f| {
                    Ok(RejectedFile {
                        file_code: value(f.file_code)?,
                        reason: value(f.reason)?,
                    })
                })
                .collect::<Result<_, ValueError>>()?,
        })
    }
}

/// Stored [`events::DestructionProposed`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestructionProposed {
    /// The list.
    pub destruction_id: String,
    /// The files proposed.
    pub file_codes: Vec<String>,
    /// The council's decision.
    pub council_decision: LegalBasisRecord,
    /// Who proposed.
    pub proposed_by: String,
    /// When.
    pub proposed_on: NaiveDate,
}

impl From<events::DestructionProposed> for DestructionProposed {
    fn from(e: events::DestructionProposed) -> Self {
        Self {
            destruction_id: text(&e.destruction_id),
            file_codes: texts(&e.file_codes),
            council_decision: (&e.council_decision).into(),
            proposed_by: text(&e.proposed_by),
            proposed_on: e.proposed_on,
        }
    }
}

impl TryFrom<DestructionProposed> for events::DestructionProposed {
    type Error = ValueError;
    fn try_from(r: DestructionProposed) -> Result<Self, ValueError> {
        Ok(Self {
            destruction_id: value(r.destruction_id)?,
            file_codes: values(r.file_codes)?,
            council_decision: r.council_decision.try_into()?,
            proposed_by: value(r.proposed_by)?,
            proposed_on: r.proposed_on,
        })
    }
}

/// Stored [`events::DestructionApproved`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestructionApproved {
    /// The list.
    pub destruction_id: String,
    /// Who approved.
    pub approved_by: String,
    /// When.
    pub approved_on: NaiveDate,
}

impl From<events::DestructionApproved> for DestructionApproved {
    fn from(e: events::DestructionApproved) -> Self {
        Self {
            destruction_id: text(&e.destruction_id),
            approved_by: text(&e.approved_by),
            approved_on: e.approved_on,
        }
    }
}

impl TryFrom<DestructionApproved> for events::DestructionApproved {
    type Error = ValueError;
    fn try_from(r: DestructionApproved) -> Result<Self, ValueError> {
        Ok(Self {
            destruction_id: value(r.destruction_id)?,
            approved_by: value(r.approved_by)?,
            approved_on: r.approved_on,
        })
    }
}

/// Stored [`events::DestructionExecuted`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestructionExecuted {
    /// The list.
    pub destruction_id: String,
    /// Who executed it.
    pub executed_by: String,
    /// When.
    pub executed_on: NaiveDate,
    /// The deleted copies' tombstones; absent when there were none (every event stored
    /// before copies were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted_copies: Vec<events::CopyTombstone>,
}

impl From<events::DestructionExecuted> for DestructionExecuted {
    fn from(e: events::DestructionExecuted) -> Self {
        Self {
            destruction_id: text(&e.destruction_id),
            executed_by: text(&e.executed_by),
            executed_on: e.executed_on,
            deleted_copies: e.deleted_copies,
        }
    }
}

impl TryFrom<DestructionExecuted> for events::DestructionExecuted {
    type Error = ValueError;
    fn try_from(r: DestructionExecuted) -> Result<Self, ValueError> {
        Ok(Self {
            destruction_id: value(r.destruction_id)?,
            executed_by: value(r.executed_by)?,
            executed_on: r.executed_on,
            deleted_copies: r.deleted_copies,
        })
    }
}

/// Stored [`events::DestructionCancelled`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestructionCancelled {
    /// The list.
    pub destruction_id: String,
    /// Who cancelled.
    pub cancelled_by: String,
    /// When.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: String,
}

impl From<events::DestructionCancelled> for DestructionCancelled {
    fn from(e: events::DestructionCancelled) -> Self {
        Self {
            destruction_id: text(&e.destruction_id),
            cancelled_by: text(&e.cancelled_by),
            cancelled_on: e.cancelled_on,
            reason: text(&e.reason),
        }
    }
}

impl TryFrom<DestructionCancelled> for events::DestructionCancelled {
    type Error = ValueError;
    fn try_from(r: DestructionCancelled) -> Result<Self, ValueError> {
        Ok(Self {
            destruction_id: value(r.destruction_id)?,
            cancelled_by: value(r.cancelled_by)?,
            cancelled_on: r.cancelled_on,
            reason: value(r.reason)?,
        })
    }
}

/// Stored [`HoldReason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReasonRecord {
    /// Thanh tra, kiểm tra.
    Inspection,
    /// Tranh chấp.
    Dispute,
}

impl From<HoldReason> for HoldReasonRecord {
    fn from(r: HoldReason) -> Self {
        match r {
            HoldReason::Inspection => Self::Inspection,
            HoldReason::Dispute => Self::Dispute,
        }
    }
}

impl From<HoldReasonRecord> for HoldReason {
    fn from(r: HoldReasonRecord) -> Self {
        match r {
            HoldReasonRecord::Inspection => Self::Inspection,
            HoldReasonRecord::Dispute => Self::Dispute,
        }
    }
}

/// Stored [`events::HoldPlaced`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldPlaced {
    /// The hold.
    pub hold_id: String,
    /// Why.
    pub reason: HoldReasonRecord,
    /// The files held.
    pub file_codes: Vec<String>,
    /// The act ordering it.
    pub legal_basis: LegalBasisRecord,
    /// Who placed it.
    pub placed_by: String,
    /// When.
    pub placed_on: NaiveDate,
}

impl From<events::HoldPlaced> for HoldPlaced {
    fn from(e: events::HoldPlaced) -> Self {
        Self {
            hold_id: text(&e.hold_id),
            reason: e.reason.into(),
            file_codes: texts(&e.file_codes),
            legal_basis: (&e.legal_basis).into(),
            placed_by: text(&e.placed_by),
            placed_on: e.placed_on,
        }
    }
}

impl TryFrom<HoldPlaced> for events::HoldPlaced {
    type Error = ValueError;
    fn try_from(r: HoldPlaced) -> Result<Self, ValueError> {
        Ok(Self {
            hold_id: value(r.hold_id)?,
            reason: r.reason.into(),
            file_codes: values(r.file_codes)?,
            legal_basis: r.legal_basis.try_into()?,
            placed_by: value(r.placed_by)?,
            placed_on: r.placed_on,
        })
    }
}

/// Stored [`events::HoldLifted`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldLifted {
    /// The hold.
    pub hold_id: String,
    /// Who lifted it.
    pub lifted_by: String,
    /// When.
    pub lifted_on: NaiveDate,
}

impl From<events::HoldLifted> for HoldLifted {
    fn from(e: events::HoldLifted) -> Self {
        Self {
            hold_id: text(&e.hold_id),
            lifted_by: text(&e.lifted_by),
            lifted_on: e.lifted_on,
        }
    }
}

impl TryFrom<HoldLifted> for events::HoldLifted {
    type Error = ValueError;
    fn try_from(r: HoldLifted) -> Result<Self, ValueError> {
        Ok(Self {
            hold_id: value(r.hold_id)?,
            lifted_by: value(r.lifted_by)?,
            lifted_on: r.lifted_on,
        })
    }
}
