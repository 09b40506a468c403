//! Folds fonds events into the decision state. Events were decided against this state, so a
//! lookup that fails here cannot happen for a stream this code wrote; it is skipped, never a panic.

use std::collections::BTreeMap;

use super::events::*;
use super::fingerprint;
use super::state::{
    CopyState, CopyStatus, FileState, FileStatus, FondsRecord, FondsState, HandoverState,
    HandoverStatus,
};
use crate::values::{BoxNumber, CopyId, CustodianId, FileCode};

impl FondsState {
    /// Folds one event of the fonds stream.
    pub(crate) fn apply(&mut self, event: &FondsEvent) {
        match event {
            FondsEvent::FondsOpened(e) => self.open(e),
            FondsEvent::CreatorHistoryRecorded(_) => {}
            FondsEvent::FondsClosed(e) => {
                if let Some(fonds) = self.fonds.as_mut() {
                    fonds.closed_on = Some(e.closed_on);
                }
            }
            FondsEvent::FileRecorded(e) => self.record_file(e),
            FondsEvent::FileCorrected(e) => self.correct_file(e),
            FondsEvent::FileRetentionAppraised(e) => {
                self.with_file(&e.file_code, |file| file.retention = e.new_retention);
            }
            FondsEvent::FileDigitised(_) => {}
            FondsEvent::FileDeclassified(e) => {
                self.with_file(&e.file_code, |file| file.access = e.new_access);
            }
            FondsEvent::FileMarkedMissing(e) => {
                self.with_file(&e.file_code, |file| file.status = FileStatus::Missing);
            }
            FondsEvent::FileMarkedDamaged(e) => {
                self.with_file(&e.file_code, |file| file.damaged = true);
            }
            FondsEvent::FileFound(e) => {
                self.with_file(&e.file_code, |file| file.status = FileStatus::InCustody);
            }
            FondsEvent::FileFlaggedUnfinished(e) => {
                self.with_file(&e.file_code, |file| file.unfinished = true);
            }
            FondsEvent::HandoverDrafted(e) => self.draft_handover(e),
            FondsEvent::HandoverSigned(e) => self.sign_handover(e),
            FondsEvent::HandoverReceived(e) => self.receive_handover(e),
            FondsEvent::HandoverCancelled(e) => self.cancel_handover(e),
            FondsEvent::TransferRegistered(e) => self.register_transfer(e),
            FondsEvent::TransferListAppraised(e) => self.appraise_transfer(e),
            FondsEvent::TransferAccepted(e) => self.accept_transfer(e),
            FondsEvent::DestructionProposed(e) => self.propose_destruction(e),
            FondsEvent::DestructionApproved(e) => self.approve_destruction(e),
            FondsEvent::DestructionExecuted(e) => self.execute_destruction(e),
            FondsEvent::DestructionCancelled(e) => self.cancel_destruction(e),
            FondsEvent::HoldPlaced(e) => self.place_hold(e),
            FondsEvent::HoldLifted(e) => self.lift_hold(e),
            FondsEvent::CopyAttached(e) => {
                self.attach_copy(&e.copy_id, &e.file_code, &e.sha256, e.size_bytes);
            }
            FondsEvent::DocumentRecorded(e) => {
                self.attach_copy(&e.copy_id, &e.file_code, &e.sha256, e.size_bytes);
            }
            FondsEvent::CopyReplaced(e) => self.set_copy_status(&e.copy_id, CopyStatus::Replaced),
        }
    }

    /// A copy recorded as current; a stored id or code that does not parse cannot come from
    /// this code's decisions and is skipped.
    fn attach_copy(&mut self, copy_id: &str, file_code: &str, sha256: &str, size_bytes: u64) {
        let (Ok(id), Ok(file_code)) = (CopyId::parse(copy_id), FileCode::parse(file_code)) else {
            return;
        };
        let copy = CopyState {
            file_code,
            sha256: sha256.to_owned(),
            size_bytes,
            status: CopyStatus::Current,
        };
        self.copies.insert(id, copy);
    }

    /// Marks a copy replaced or deleted.
    pub(super) fn set_copy_status(&mut self, copy_id: &str, status: CopyStatus) {
        if let Some(copy) = CopyId::parse(copy_id)
            .ok()
            .and_then(|id| self.copies.get_mut(&id))
        {
            copy.status = status;
        }
    }

    fn open(&mut self, e: &FondsOpened) {
        self.fonds = Some(FondsRecord {
            fonds_code: e.fonds_code.clone(),
            kind: e.kind,
            creator_organ_id: e.creator_organ_id.clone(),
            unit_code: e.unit_code.clone(),
            opened_on: e.opened_on,
            closed_on: None,
            custodian: e.custodian.clone(),
        });
    }

    fn record_file(&mut self, e: &FileRecorded) {
        let file = FileState {
            start_date: e.start_date,
            end_date: e.end_date,
            retention: e.retention,
            access: e.access,
            box_number: e.box_number.clone(),
            sheets: e.sheets,
            custodian: e.custodian.clone(),
            status: FileStatus::InCustody,
            damaged: false,
            unfinished: false,
            holds: Vec::new(),
            title_print: fingerprint::of(e.title.as_str()),
            notes_print: fingerprint::of_option(e.notes.as_ref().map(|n| n.as_str())),
        };
        self.add_to_box(file.box_number.as_ref(), file.sheets, true);
        let identity = (e.file_code.year(), e.file_code.notation().to_owned());
        self.identities.insert(identity, e.file_code.clone());
        self.files.insert(e.file_code.clone(), file);
    }

    /// Counts a file's sheets in (or, with `add` false, out of) its box.
    fn add_to_box(&mut self, box_number: Option<&BoxNumber>, sheets: Option<u32>, add: bool) {
        let (Some(box_number), Some(sheets)) = (box_number, sheets) else {
            return;
        };
        let total = self.box_sheets.entry(box_number.clone()).or_default();
        if add {
            *total += u64::from(sheets);
        } else {
            *total = total.saturating_sub(u64::from(sheets));
        }
    }

    fn correct_file(&mut self, e: &FileCorrected) {
        if let (Some(file), Correction::Sheets { .. } | Correction::BoxNumber { .. }) =
            (self.files.get(&e.file_code), &e.correction)
        {
            let (box_number, sheets) = (file.box_number.clone(), file.sheets);
            self.add_to_box(box_number.as_ref(), sheets, false);
            let (box_number, sheets) = match &e.correction {
                Correction::Sheets { new_value, .. } => (box_number, *new_value),
                Correction::BoxNumber { new_value, .. } => (new_value.clone(), sheets),
                _ => (box_number, sheets),
            };
            self.add_to_box(box_number.as_ref(), sheets, true);
        }
        self.with_file(&e.file_code, |file| match &e.correction {
            Correction::Title { new_value, .. } => {
                file.title_print = fingerprint::of(new_value.as_str());
            }
            Correction::Notes { new_value, .. } => {
                file.notes_print = fingerprint::of_option(new_value.as_ref().map(|n| n.as_str()));
            }
            Correction::BoxNumber { new_value, .. } => file.box_number = new_value.clone(),
            Correction::Sheets { new_value, .. } => file.sheets = *new_value,
            Correction::StartDate { new_value, .. } => file.start_date = *new_value,
            Correction::EndDate { new_value, .. } => file.end_date = *new_value,
        });
    }

    fn draft_handover(&mut self, e: &HandoverDrafted) {
        self.set_status(&e.file_codes, FileStatus::InHandover(e.handover_id));
        self.handovers.insert(
            e.handover_id,
            HandoverState {
                status: HandoverStatus::Drafted,
                giving_custodian: e.giving_custodian.clone(),
                receiving_custodian: e.receiving_custodian.clone(),
                giving_person: e.giving_person.clone(),
                receiving_person: e.receiving_person.clone(),
                files: e.file_codes.clone(),
                drafted_on: e.drafted_on,
                signed_on: None,
            },
        );
    }

    fn sign_handover(&mut self, e: &HandoverSigned) {
        if let Some(handover) = self.handovers.get_mut(&e.handover_id) {
            handover.status = HandoverStatus::Signed;
            handover.signed_on = Some(e.signed_on);
        }
    }

    /// Custody passes to the receiving side for every listed file except those reported
    /// missing, which stay with the giving side as missing.
    fn receive_handover(&mut self, e: &HandoverReceived) {
        let Some(handover) = self.handovers.get_mut(&e.handover_id) else {
            return;
        };
        handover.status = HandoverStatus::Received;
        let listed = std::mem::take(&mut handover.files);
        let giving = handover.giving_custodian.clone();
        let receiving = handover.receiving_custodian.clone();
        let reported: BTreeMap<&FileCode, &Discrepancy> =
            e.discrepancies.iter().map(|d| (d.file_code(), d)).collect();
        for code in &listed {
            let report = reported.get(code).copied();
            self.with_file(code, |file| pass_custody(file, report, &receiving));
        }
        self.follow_custody(&giving, &receiving);
    }

    /// The fonds passes from `from` to `to` when `from` held it and now holds none of its files
    /// (a file missing or destroyed is held by nobody): new files are then recorded with `to`.
    pub(super) fn follow_custody(&mut self, from: &CustodianId, to: &CustodianId) {
        let still_holds = self.files.values().any(|file| {
            file.custodian == *from
                && !matches!(
                    file.status,
                    FileStatus::Missing | FileStatus::Destroyed | FileStatus::Transferred
                )
        });
        if let Some(fonds) = self.fonds.as_mut()
            && fonds.custodian == *from
            && !still_holds
        {
            fonds.custodian = to.clone();
        }
    }

    fn cancel_handover(&mut self, e: &HandoverCancelled) {
        let Some(handover) = self.handovers.get_mut(&e.handover_id) else {
            return;
        };
        handover.status = HandoverStatus::Cancelled;
        let listed = std::mem::take(&mut handover.files);
        self.set_status(&listed, FileStatus::InCustody);
    }

    /// Applies `change` to the file if it is recorded.
    pub(super) fn with_file(&mut self, code: &FileCode, change: impl FnOnce(&mut FileState)) {
        if let Some(file) = self.files.get_mut(code) {
            change(file);
        }
    }

    /// Sets the status of every listed file.
    pub(super) fn set_status(&mut self, codes: &[FileCode], status: FileStatus) {
        for code in codes {
            self.with_file(code, |file| file.status = status);
        }
    }
}

/// One listed file on receipt: missing files stay put, the others change hands.
fn pass_custody(file: &mut FileState, report: Option<&Discrepancy>, receiving: &CustodianId) {
    if let Some(Discrepancy::Missing { .. }) = report {
        file.status = FileStatus::Missing;
        return;
    }
    if let Some(Discrepancy::Damaged { .. }) = report {
        file.damaged = true;
    }
    file.status = FileStatus::InCustody;
    file.custodian = receiving.clone();
}
