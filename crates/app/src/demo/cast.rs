//! Who acts in the demo: people (as token subjects, with a role and the body they act for)
//! and the custodians that hold records.

use bangiao_domain::values::{CustodianId, Role, UserId};

/// A person acting in the demo.
pub(super) struct Person {
    /// The account, e.g. "vanthu.066".
    pub user: String,
    /// The role acted in.
    pub role: Role,
    /// The custodian or body acted for.
    pub unit: String,
}

impl Person {
    /// A person with this account, role and body.
    pub fn new(user: &str, role: Role, unit: &str) -> Self {
        Self {
            user: user.to_owned(),
            role,
            unit: unit.to_owned(),
        }
    }

    /// The account as the domain's value; the demo's accounts are literals without spaces.
    pub fn id(&self) -> UserId {
        UserId::parse(&self.user).expect("demo accounts are literals without spaces")
    }
}

/// A custodian from a literal id of ASCII letters, digits and '-'.
pub(super) fn custodian(id: &str) -> CustodianId {
    CustodianId::parse(id).expect("demo custodian ids are ASCII literals")
}

/// Sở Nội vụ tỉnh Thái Nguyên — receives the district agencies' records after 1 July 2025.
pub(super) const SNV_19: &str = "SNV-19";
/// Lưu trữ lịch sử tỉnh Bắc Kạn — the historical archive before the merger.
pub(super) const LTLS_06: &str = "LTLS-06";
/// Lưu trữ lịch sử tỉnh Thái Nguyên — the historical archive after the merger.
pub(super) const LTLS_19: &str = "LTLS-19";
/// Ủy ban nhân dân huyện Pác Nặm, whose archive holds the district's own fonds.
pub(super) const UBND_066: &str = "UBND-066";

/// The official of the Department of Home Affairs who records the reorganisation of units.
pub(super) fn unit_registrar() -> Person {
    Person::new("quantri.snv19", Role::Administrator, SNV_19)
}

/// The archivist of the district People's Committee.
pub(super) fn district_archivist() -> Person {
    Person::new("luutru.066", Role::Archivist, UBND_066)
}

/// The archivist of the Department of Home Affairs who receives the district's records.
pub(super) fn snv_archivist() -> Person {
    Person::new("luutru.snv19", Role::Archivist, SNV_19)
}

/// The director of the Department of Home Affairs, who approves destructions.
pub(super) fn snv_director() -> Person {
    Person::new("giamdoc.snv19", Role::Approver, SNV_19)
}

/// The archivist of Bắc Kạn's historical archive (before the merger).
pub(super) fn bac_kan_archivist() -> Person {
    Person::new("luutru.06", Role::Archivist, LTLS_06)
}

/// The archivist of Thái Nguyên's historical archive.
pub(super) fn thai_nguyen_archivist() -> Person {
    Person::new("luutru.19", Role::Archivist, LTLS_19)
}

/// The clerk (văn thư) of a custodian: "vanthu." and the custodian's id after its dash, in
/// lower case ("UBND-06601" → "vanthu.06601", "PNV-066" → "vanthu.pnv066").
pub(super) fn clerk_of(custodian: &str) -> Person {
    let suffix = match custodian.split_once('-') {
        Some(("UBND", rest)) => rest.to_lowercase(),
        Some((head, rest)) => format!("{}{}", head.to_lowercase(), rest.to_lowercase()),
        None => custodian.to_lowercase(),
    };
    Person::new(&format!("vanthu.{suffix}"), Role::Clerk, custodian)
}

/// The head of a custodian, who signs its handover minutes: the chair of a People's
/// Committee ("chutich.06602"), the head of a department ("truongphong.pnv066").
pub(super) fn head_of(custodian: &str) -> Person {
    let clerk = clerk_of(custodian);
    let suffix = clerk.user.trim_start_matches("vanthu.");
    let title = if custodian.starts_with("UBND-") {
        "chutich"
    } else {
        "truongphong"
    };
    Person::new(&format!("{title}.{suffix}"), Role::Clerk, custodian)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerks_are_named_after_their_custodian() {
        assert_eq!(clerk_of("UBND-06601").user, "vanthu.06601");
        assert_eq!(clerk_of("UBND-066N1").user, "vanthu.066n1");
        assert_eq!(clerk_of("PNV-066").user, "vanthu.pnv066");
        assert_eq!(head_of("PNV-066").user, "truongphong.pnv066");
        assert_eq!(head_of("UBND-06602").user, "chutich.06602");
    }
}
