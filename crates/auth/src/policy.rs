//! The permission policy: one pure function decides every request from the caller's role, the
//! action asked and the scope facts the server gathered. docs/security.md states the same
//! matrix for people, and a test holds the two together.

use crate::principal::{Principal, Role};

/// What a request asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read a read model, an inventory or the log.
    Read,
    /// Read the audit log of refusals.
    ReadAudit,
    /// Administer units (register, merge, split, end), users and tokens.
    Administer,
    /// Open a fonds for a unit, describe, close it, record and mark its files, draft, sign or
    /// cancel its handovers, register its transfers.
    WriteFonds,
    /// Receive a handover (the receiving side signs).
    ReceiveHandover,
    /// Appraise or accept a transfer addressed to an archive.
    ArchiveTransfer,
    /// Propose, execute or cancel destruction; place or lift holds.
    CurateFonds,
    /// Approve a destruction list.
    ApproveDestruction,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 8] = [
        Self::Read,
        Self::ReadAudit,
        Self::Administer,
        Self::WriteFonds,
        Self::ReceiveHandover,
        Self::ArchiveTransfer,
        Self::CurateFonds,
        Self::ApproveDestruction,
    ];

    /// The roles that may take this action when its scope condition holds.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Self::Read => &Role::ALL,
            Self::ReadAudit => &[Role::Inspector, Role::Administrator],
            Self::Administer => &[Role::Administrator],
            Self::WriteFonds => &[Role::Clerk],
            Self::ReceiveHandover => &[Role::Clerk, Role::Archivist],
            Self::ArchiveTransfer => &[Role::Archivist],
            Self::CurateFonds => &[Role::Archivist],
            Self::ApproveDestruction => &[Role::Approver],
        }
    }

    /// Whether this action is limited to the caller's scope (every write is).
    pub fn scoped(self) -> bool {
        !matches!(self, Self::Read | Self::ReadAudit | Self::Administer)
    }
}

/// What the server found out about the caller's scope for this request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The fonds' unit lies within the caller's unit, its predecessors or the units below it
    /// (clerks, approvers).
    pub in_unit_scope: bool,
    /// The caller's custodian (an archive) is the one the act concerns: it holds files of the
    /// fonds, or the handover or transfer is addressed to it (archivists).
    pub custodian_matches: bool,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// The role may never take this action.
    #[error("the role {role} may not do this")]
    WrongRole {
        /// The caller's role.
        role: &'static str,
    },
    /// The role may, but not on this resource.
    #[error("this is outside the scope of {user}")]
    OutOfScope {
        /// The caller.
        user: String,
    },
    /// The command names another person as the one acting.
    #[error("{user} may not act as {claimed}")]
    ActingAsAnother {
        /// The caller.
        user: String,
        /// The person the command names.
        claimed: String,
    },
}

impl Denial {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongRole { .. } => "forbidden_role",
            Self::OutOfScope { .. } => "out_of_scope",
            Self::ActingAsAnother { .. } => "acting_as_another",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::WrongRole { role } => {
                format!("Vai trò {role} không được thực hiện thao tác này.")
            }
            Self::OutOfScope { user } => {
                format!("Tài liệu này nằm ngoài phạm vi được giao của {user}.")
            }
            Self::ActingAsAnother { user, claimed } => {
                format!("{user} không được ký hoặc thực hiện thay cho {claimed}.")
            }
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}

/// Decides whether `who` may take `action` given the scope `facts`.
pub fn authorize(who: &Principal, action: Action, facts: Facts) -> Result<(), Denial> {
    if !action.roles().contains(&who.role) {
        return Err(Denial::WrongRole {
            role: who.role.as_str(),
        });
    }
    if !action.scoped() {
        return Ok(());
    }
    let in_scope = match who.role {
        Role::Clerk | Role::Approver => facts.in_unit_scope,
        Role::Archivist => facts.custodian_matches,
        Role::Inspector | Role::Administrator => false,
    };
    if in_scope {
        Ok(())
    } else {
        Err(Denial::OutOfScope {
            user: who.user_id.clone(),
        })
    }
}

/// The person a command names as acting (signer, proposer, approver…) must be the caller.
pub fn acting_as(who: &Principal, named: Option<&str>) -> Result<(), Denial> {
    match named {
        Some(claimed) if claimed != who.user_id => Err(Denial::ActingAsAnother {
            user: who.user_id.clone(),
            claimed: claimed.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Whether the caller may see the titles and content of restricted (02) and secret (03) files
/// of a fonds: inspectors and administrators always, clerks and approvers of the fonds' scope,
/// archivists holding its files.
pub fn cleared(who: &Principal, facts: Facts) -> bool {
    match who.role {
        Role::Inspector | Role::Administrator => true,
        Role::Clerk | Role::Approver => facts.in_unit_scope,
        Role::Archivist => facts.custodian_matches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role) -> Principal {
        Principal {
            user_id: "u".into(),
            role,
            scope: Some("066N4".into()),
        }
    }

    const IN: Facts = Facts {
        in_unit_scope: true,
        custodian_matches: true,
    };
    const OUT: Facts = Facts {
        in_unit_scope: false,
        custodian_matches: false,
    };

    #[test]
    fn every_role_reads_and_only_inspectors_and_administrators_read_the_audit_log() {
        for role in Role::ALL {
            assert!(authorize(&who(role), Action::Read, OUT).is_ok());
            let audit = authorize(&who(role), Action::ReadAudit, OUT).is_ok();
            assert_eq!(
                audit,
                matches!(role, Role::Inspector | Role::Administrator),
                "{role:?}"
            );
        }
    }

    #[test]
    fn inspectors_write_nothing() {
        for action in Action::ALL
            .into_iter()
            .filter(|a| !matches!(a, Action::Read | Action::ReadAudit))
        {
            assert_eq!(
                authorize(&who(Role::Inspector), action, IN).map_err(|d| d.code()),
                Err("forbidden_role"),
                "{action:?}"
            );
        }
    }

    #[test]
    fn writes_need_the_role_and_the_scope() {
        assert!(authorize(&who(Role::Clerk), Action::WriteFonds, IN).is_ok());
        assert_eq!(
            authorize(&who(Role::Clerk), Action::WriteFonds, OUT).map_err(|d| d.code()),
            Err("out_of_scope")
        );
        assert!(authorize(&who(Role::Archivist), Action::ArchiveTransfer, IN).is_ok());
        assert_eq!(
            authorize(&who(Role::Archivist), Action::ArchiveTransfer, OUT).map_err(|d| d.code()),
            Err("out_of_scope")
        );
        assert_eq!(
            authorize(&who(Role::Clerk), Action::ArchiveTransfer, IN).map_err(|d| d.code()),
            Err("forbidden_role")
        );
        assert!(authorize(&who(Role::Approver), Action::ApproveDestruction, IN).is_ok());
        assert_eq!(
            authorize(&who(Role::Archivist), Action::ApproveDestruction, IN).map_err(|d| d.code()),
            Err("forbidden_role")
        );
        assert!(authorize(&who(Role::Administrator), Action::Administer, OUT).is_ok());
        assert_eq!(
            authorize(&who(Role::Clerk), Action::Administer, IN).map_err(|d| d.code()),
            Err("forbidden_role")
        );
    }

    #[test]
    fn nobody_acts_in_another_persons_name() {
        let clerk = who(Role::Clerk);
        assert!(acting_as(&clerk, Some("u")).is_ok());
        assert!(acting_as(&clerk, None).is_ok());
        assert_eq!(
            acting_as(&clerk, Some("someone.else")).map_err(|d| d.code()),
            Err("acting_as_another")
        );
    }

    #[test]
    fn clearance_for_restricted_titles() {
        assert!(cleared(&who(Role::Inspector), OUT));
        assert!(cleared(&who(Role::Clerk), IN));
        assert!(!cleared(&who(Role::Clerk), OUT));
        assert!(!cleared(&who(Role::Archivist), OUT));
    }
}
