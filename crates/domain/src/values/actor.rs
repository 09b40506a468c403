//! People and their roles: who did an act.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::CustodianId;
use super::text::{self, string_value};
use crate::error::ValueError;

string_value!(
    /// A person's account: the subject of their token (OIDC `sub` or an API token's user),
    /// 1–255 characters without spaces.
    UserId,
    parse_user_id
);

fn parse_user_id(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("user_id", raw, 255)?;
    text::only(
        "user_id",
        value,
        |c| !c.is_whitespace(),
        ("không có dấu cách", "no spaces"),
    )
}

/// What a person may do in the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Văn thư — a clerk of an agency or unit, acting on its own fonds.
    Clerk,
    /// Lưu trữ viên — an archivist of an archive, receiving handovers and transfers.
    Archivist,
    /// Người duyệt — approves acts such as destruction.
    Approver,
    /// Thanh tra — reads everything, writes nothing.
    Inspector,
    /// Quản trị — administers the service.
    Administrator,
    /// The service itself (imports, migrations).
    System,
}

impl Role {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Archivist => "archivist",
            Self::Approver => "approver",
            Self::Inspector => "inspector",
            Self::Administrator => "administrator",
            Self::System => "system",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who did an act: the person, their role and the unit or archive they act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The person.
    pub user: UserId,
    /// The role they acted in.
    pub role: Role,
    /// The agency, unit or archive they act for, if any.
    pub unit: Option<CustodianId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_accepts_token_subjects() {
        assert!(UserId::parse("248289761001").is_ok());
        assert!(UserId::parse("nguyen.van.a@sonoivu.gov.vn").is_ok());
    }

    #[test]
    fn user_id_refuses_spaces_and_empty_input() {
        assert!(UserId::parse("nguyen van a").is_err());
        assert!(UserId::parse(" ").is_err());
    }

    #[test]
    fn actor_serializes_role_in_snake_case() {
        let actor = Actor {
            user: UserId::parse("clerk-1").expect("valid"),
            role: Role::Archivist,
            unit: None,
        };
        let json = serde_json::to_string(&actor).expect("serializes");
        assert_eq!(json, r#"{"user":"clerk-1","role":"archivist","unit":null}"#);
    }
}
