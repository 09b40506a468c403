//! Folds the events of transfers, destructions and holds into the decision state.

use super::events::{
    DestructionApproved, DestructionCancelled, DestructionExecuted, DestructionProposed,
    HoldLifted, HoldPlaced, TransferAccepted, TransferListAppraised, TransferRegistered,
};
use super::state::{
    CopyStatus, DestructionState, DestructionStatus, FileStatus, FondsState, HoldState,
    TransferAppraisal, TransferState,
};
use crate::values::DestructionId;

impl FondsState {
    pub(super) fn register_transfer(&mut self, e: &TransferRegistered) {
        self.set_status(&e.file_codes, FileStatus::InTransfer(e.transfer_id));
        let transfer = TransferState {
            transferring_custodian: e.transferring_custodian.clone(),
            archive: e.archive.clone(),
            files: e.file_codes.clone(),
            registered_on: e.registered_on,
            appraisal: None,
            accepted: false,
        };
        self.transfers.insert(e.transfer_id, transfer);
    }

    pub(super) fn appraise_transfer(&mut self, e: &TransferListAppraised) {
        if let Some(transfer) = self.transfers.get_mut(&e.transfer_id) {
            transfer.appraisal = Some(TransferAppraisal {
                outcome: e.outcome,
                appraised_on: e.appraised_on,
            });
        }
    }

    /// Accepted files pass to the archive; rejected ones return to their custodian's hands.
    pub(super) fn accept_transfer(&mut self, e: &TransferAccepted) {
        let Some(transfer) = self.transfers.get_mut(&e.transfer_id) else {
            return;
        };
        transfer.accepted = true;
        transfer.files.clear();
        let archive = transfer.archive.clone();
        let transferring = transfer.transferring_custodian.clone();
        for code in &e.accepted {
            self.with_file(code, |file| {
                file.status = FileStatus::Transferred;
                file.custodian = archive.clone();
            });
        }
        for rejected in &e.rejected {
            self.with_file(&rejected.file_code, |file| {
                file.status = FileStatus::InCustody
            });
        }
        self.follow_custody(&transferring, &archive);
    }

    pub(super) fn propose_destruction(&mut self, e: &DestructionProposed) {
        self.set_status(&e.file_codes, FileStatus::InDestruction(e.destruction_id));
        let destruction = DestructionState {
            status: DestructionStatus::Proposed,
            files: e.file_codes.clone(),
            proposed_by: e.proposed_by.clone(),
            proposed_on: e.proposed_on,
            approved_on: None,
        };
        self.destructions.insert(e.destruction_id, destruction);
    }

    pub(super) fn approve_destruction(&mut self, e: &DestructionApproved) {
        if let Some(destruction) = self.destructions.get_mut(&e.destruction_id) {
            destruction.status = DestructionStatus::Approved;
            destruction.approved_on = Some(e.approved_on);
        }
    }

    /// The files become tombstones: still recorded, never listed again.
    pub(super) fn execute_destruction(&mut self, e: &DestructionExecuted) {
        for copy in &e.deleted_copies {
            self.set_copy_status(&copy.copy_id, CopyStatus::Deleted);
        }
        self.close_destruction(
            &e.destruction_id,
            DestructionStatus::Executed,
            FileStatus::Destroyed,
        );
    }

    pub(super) fn cancel_destruction(&mut self, e: &DestructionCancelled) {
        self.close_destruction(
            &e.destruction_id,
            DestructionStatus::Cancelled,
            FileStatus::InCustody,
        );
    }

    pub(super) fn place_hold(&mut self, e: &HoldPlaced) {
        for code in &e.file_codes {
            self.with_file(code, |file| file.holds.push(e.hold_id));
        }
        let hold = HoldState {
            files: e.file_codes.clone(),
            placed_on: e.placed_on,
            lifted: false,
        };
        self.holds.insert(e.hold_id, hold);
    }

    pub(super) fn lift_hold(&mut self, e: &HoldLifted) {
        let Some(hold) = self.holds.get_mut(&e.hold_id) else {
            return;
        };
        hold.lifted = true;
        let files = std::mem::take(&mut hold.files);
        for code in &files {
            self.with_file(code, |file| file.holds.retain(|id| *id != e.hold_id));
        }
    }

    fn close_destruction(
        &mut self,
        id: &DestructionId,
        status: DestructionStatus,
        file_status: FileStatus,
    ) {
        let Some(destruction) = self.destructions.get_mut(id) else {
            return;
        };
        destruction.status = status;
        let files = std::mem::take(&mut destruction.files);
        self.set_status(&files, file_status);
    }
}
