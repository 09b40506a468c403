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
    /// Upload a file's digital copies and attach them (a clerk of the fonds' unit, or the
    /// archivist of the custodian holding its files, a closed fonds included).
    Digitise,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 9] = [
        Self::Read,
        Self::ReadAudit,
        Self::Administer,
        Self::WriteFonds,
        Self::ReceiveHandover,
        Self::ArchiveTransfer,
        Self::CurateFonds,
        Self::ApproveDestruction,
        Self::Digitise,
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
            Self::Digitise => &[Role::Clerk, Role::Archivist],
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

/// What a request names that may lie outside the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// A file (hồ sơ), by its code.
    File(String),
    /// A fonds (phông), by its code.
    Fonds(String),
    /// An administrative unit (đơn vị), by its code.
    Unit(String),
}

impl Resource {
    /// "Hồ sơ X", "Phông Y" or "Đơn vị Z".
    fn named_vi(&self) -> String {
        match self {
            Self::File(code) => format!("Hồ sơ {code}"),
            Self::Fonds(code) => format!("Phông {code}"),
            Self::Unit(code) => format!("Đơn vị {code}"),
        }
    }

    /// "File X", "Fonds Y" or "Unit Z".
    fn named_en(&self) -> String {
        match self {
            Self::File(code) => format!("File {code}"),
            Self::Fonds(code) => format!("Fonds {code}"),
            Self::Unit(code) => format!("Unit {code}"),
        }
    }
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// The role may never take this action.
    #[error("the role {} may not do this", role.as_str())]
    WrongRole {
        /// The caller's role.
        role: Role,
    },
    /// The role may, but not on this resource.
    #[error("{} is outside the scope of {user}", resource.as_ref().map_or_else(|| "this".to_owned(), Resource::named_en))]
    OutOfScope {
        /// The caller.
        user: String,
        /// What the request names, when the caller of [`authorize`] said
        /// ([`Denial::concerning`]).
        resource: Option<Resource>,
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

    /// The same refusal naming what is out of scope (other refusals are unchanged).
    pub fn concerning(self, named: Resource) -> Self {
        match self {
            Self::OutOfScope { user, .. } => Self::OutOfScope {
                user,
                resource: Some(named),
            },
            other => other,
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::WrongRole { role } => {
                format!(
                    "Vai trò {} không được thực hiện thao tác này.",
                    role.name_vi()
                )
            }
            Self::OutOfScope { user, resource } => {
                let named = resource
                    .as_ref()
                    .map_or_else(|| "Tài liệu này".to_owned(), Resource::named_vi);
                format!("{named} nằm ngoài phạm vi được giao của {user}.")
            }
            Self::ActingAsAnother { user, claimed } => {
                format!("{user} không được ký hoặc thực hiện thay cho {claimed}.")
            }
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::WrongRole { role } => format!("The role {} may not do this.", role.as_str()),
            Self::OutOfScope { user, resource } => {
                let named = resource
                    .as_ref()
                    .map_or_else(|| "This".to_owned(), Resource::named_en);
                format!("{named} is outside the scope of {user}.")
            }
            Self::ActingAsAnother { user, claimed } => {
                format!("{user} may not sign or act as {claimed}.")
            }
        }
    }
}

/// Decides whether `who` may take `action` given the scope `facts`.
pub fn authorize(who: &Principal, action: Action, facts: Facts) -> Result<(), Denial> {
    if !action.roles().contains(&who.role) {
        return Err(Denial::WrongRole { role: who.role });
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
            resource: None,
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
            person: Default::default(),
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
    fn refusals_name_the_role_and_what_is_out_of_scope_in_vietnamese() {
        let denial =
            authorize(&who(Role::Archivist), Action::ApproveDestruction, IN).expect_err("refused");
        assert_eq!(
            denial.message_vi(),
            "Vai trò lưu trữ viên không được thực hiện thao tác này."
        );
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.name_vi()).collect();
        assert_eq!(
            names,
            [
                "văn thư",
                "lưu trữ viên",
                "người duyệt",
                "thanh tra",
                "quản trị"
            ]
        );
        let out = authorize(&who(Role::Clerk), Action::WriteFonds, OUT).expect_err("refused");
        assert_eq!(
            out.clone()
                .concerning(Resource::Fonds("066-UB".into()))
                .message_vi(),
            "Phông 066-UB nằm ngoài phạm vi được giao của u."
        );
        assert_eq!(
            out.clone()
                .concerning(Resource::File("066-UB.2010.01".into()))
                .message_en(),
            "File 066-UB.2010.01 is outside the scope of u."
        );
        assert_eq!(
            out.concerning(Resource::Unit("07".into())).message_vi(),
            "Đơn vị 07 nằm ngoài phạm vi được giao của u."
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
