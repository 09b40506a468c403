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

/// An authenticated caller: who, in which role, over which scope, and how they are named on
/// what they sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The user's id (an API token's user, or a JWT `sub`).
    pub user_id: String,
    /// The role acted in.
    pub role: Role,
    /// A unit code (clerks, approvers) or a custodian id (archivists); none for inspectors and
    /// administrators.
    pub scope: Option<String>,
    /// The person's full name, title and organ, when their token or identity provider says.
    #[serde(default)]
    pub person: Person,
}

/// How a person is named on the minutes they sign (Decree 30, Annex V: "Ông (bà) …, Chức vụ
/// …" for a side named by its organ): each part optional, since an account need not carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Full name, e.g. "Nông Văn Páo".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Title (chức vụ), e.g. "Chủ tịch Ủy ban nhân dân xã".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The organ (cơ quan) the person acts for, e.g. "Ủy ban nhân dân xã Bằng Thành".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organ: Option<String>,
}

impl Person {
    /// A person from the three parts, each trimmed and dropped when blank.
    pub fn new(name: Option<&str>, title: Option<&str>, organ: Option<&str>) -> Self {
        let part = |text: Option<&str>| {
            text.map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        Self {
            name: part(name),
            title: part(title),
            organ: part(organ),
        }
    }

    /// Whether no part is known.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.title.is_none() && self.organ.is_none()
    }
}
