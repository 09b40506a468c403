//! The authenticated caller.

use serde::{Deserialize, Serialize};

/// What a caller may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Văn thư: acts on the fonds of its unit and of the units it inherited through merges.
    Clerk,
    /// Lưu trữ viên: receives what is addressed to its archive, appraises, proposes destruction.
    Archivist,
    /// Approves destruction lists it did not propose.
    Approver,
    /// Thanh tra: reads everything, writes nothing.
    Inspector,
    /// Quản trị: units, users, tokens.
    Administrator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Self::Clerk,
        Self::Archivist,
        Self::Approver,
        Self::Inspector,
        Self::Administrator,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Archivist => "archivist",
            Self::Approver => "approver",
            Self::Inspector => "inspector",
            Self::Administrator => "administrator",
        }
    }

    /// The role's name in Vietnamese messages.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Clerk => "văn thư",
            Self::Archivist => "lưu trữ viên",
            Self::Approver => "người duyệt",
            Self::Inspector => "thanh tra",
            Self::Administrator => "quản trị",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// An authenticated caller: who, in which role, over which scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The user's id (an API token's user, or a JWT `sub`).
    pub user_id: String,
    /// The role acted in.
    pub role: Role,
    /// A unit code (clerks, approvers) or a custodian id (archivists); none for inspectors and
    /// administrators.
    pub scope: Option<String>,
}
