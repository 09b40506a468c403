//! The class of every refusal: what kind of "no" it is, so each front door chooses its status
//! from the refusal itself and never from its code string.

use super::DomainError;

/// What kind of refusal a [`DomainError`] is; HTTP, gRPC and the pages translate it to their
/// own status (422, 404, 409 and 409 over HTTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalClass {
    /// The command cannot be carried out on the records as they are: a bad value, or a rule of
    /// the domain refuses it (HTTP 422).
    Invalid,
    /// The command names a thing that does not exist (HTTP 404).
    NotFound,
    /// The command would create a thing that already exists (HTTP 409).
    AlreadyExists,
    /// The records are now in another state than the request assumes: an act already done, or
    /// a file taken by another open act (HTTP 409).
    Conflict,
}

impl DomainError {
    /// The class of this refusal. The match names every variant, so a new refusal does not
    /// compile until someone gives it a class.
    pub fn class(&self) -> RefusalClass {
        match self {
            Self::InvalidValue(_) => RefusalClass::Invalid,
            Self::AlreadyExists { .. } => RefusalClass::AlreadyExists,
            Self::NotFound { .. } => RefusalClass::NotFound,
            Self::FileNotFound { .. } => RefusalClass::NotFound,
            Self::DuplicateInList { .. } => RefusalClass::Invalid,
            Self::EmptyList { .. } => RefusalClass::Invalid,
            Self::DateOutOfOrder { .. } => RefusalClass::Invalid,
            Self::UnitEnded { .. } => RefusalClass::Invalid,
            Self::TypeLevelMismatch { .. } => RefusalClass::Invalid,
            Self::InvalidParent { .. } => RefusalClass::Invalid,
            Self::LevelMismatch { .. } => RefusalClass::Invalid,
            Self::OwnSuccessor { .. } => RefusalClass::Invalid,
            Self::TooFewUnits { .. } => RefusalClass::Invalid,
            Self::FondsClosed { .. } => RefusalClass::Invalid,
            Self::FondsNotClosed => RefusalClass::Invalid,
            Self::HandoverBeforeClosure { .. } => RefusalClass::Invalid,
            Self::FileAfterClosure { .. } => RefusalClass::Invalid,
            Self::WrongFileCodePrefix { .. } => RefusalClass::Invalid,
            Self::EndBeforeStart { .. } => RefusalClass::Invalid,
            Self::NoChange { .. } => RefusalClass::Invalid,
            Self::StaleValue { .. } => RefusalClass::Invalid,
            Self::FileInOpenHandover { .. } => RefusalClass::Conflict,
            Self::FileInOpenTransfer { .. } => RefusalClass::Conflict,
            Self::FileInOpenDestruction { .. } => RefusalClass::Conflict,
            Self::FileTransferred { .. } => RefusalClass::Invalid,
            Self::FileDestroyed { .. } => RefusalClass::Invalid,
            Self::FileMissing { .. } => RefusalClass::Invalid,
            Self::FileNotMissing { .. } => RefusalClass::Invalid,
            Self::NotCurrentCustodian { .. } => RefusalClass::Invalid,
            Self::SameCustodian { .. } => RefusalClass::Invalid,
            Self::CountsMismatch { .. } => RefusalClass::Invalid,
            Self::MixedUnfinishedWork { .. } => RefusalClass::Invalid,
            Self::FondsNotInBatch { .. } => RefusalClass::Invalid,
            Self::HandoverNotSigned { .. } => RefusalClass::Invalid,
            Self::HandoverAlreadySigned { .. } => RefusalClass::Conflict,
            Self::HandoverClosed { .. } => RefusalClass::Conflict,
            Self::WrongSignatory { .. } => RefusalClass::Invalid,
            Self::FileNotListed { .. } => RefusalClass::Invalid,
            Self::FileIsListed { .. } => RefusalClass::Invalid,
            Self::NotPermanent { .. } => RefusalClass::Invalid,
            Self::SecretNotDeclassified { .. } => RefusalClass::Invalid,
            Self::MixedFondsKinds { .. } => RefusalClass::Invalid,
            Self::TransferNotAppraised { .. } => RefusalClass::Invalid,
            Self::TransferAlreadyAppraised { .. } => RefusalClass::Conflict,
            Self::TransferListRejected { .. } => RefusalClass::Invalid,
            Self::TransferClosed { .. } => RefusalClass::Conflict,
            Self::NotAPartition { .. } => RefusalClass::Invalid,
            Self::FilePermanent { .. } => RefusalClass::Invalid,
            Self::RetentionNotExpired { .. } => RefusalClass::Invalid,
            Self::SameApprover { .. } => RefusalClass::Invalid,
            Self::DestructionNotApproved { .. } => RefusalClass::Invalid,
            Self::DestructionAlreadyApproved { .. } => RefusalClass::Conflict,
            Self::DestructionClosed { .. } => RefusalClass::Conflict,
            Self::FileOnHold { .. } => RefusalClass::Invalid,
            Self::HoldAlreadyLifted { .. } => RefusalClass::Conflict,
            Self::CopyNotCurrent { .. } => RefusalClass::Conflict,
            Self::NotSecret { .. } => RefusalClass::Invalid,
            Self::NotFondsCustodian { .. } => RefusalClass::Invalid,
            Self::DateTooEarly { .. } => RefusalClass::Invalid,
            Self::DateInFuture { .. } => RefusalClass::Invalid,
            Self::ParentNotInExistence { .. } => RefusalClass::Invalid,
            Self::UnitEndsBeforeStart { .. } => RefusalClass::Invalid,
            Self::SuccessorNotInExistence { .. } => RefusalClass::Invalid,
        }
    }
}
