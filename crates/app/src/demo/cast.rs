//! Who acts in the demo: people (as token subjects, with a role and the body they act for, and
//! the full name, title and organ printed on the minutes they sign) and the custodians that hold
//! records.

use bangiao_domain::values::{CustodianId, Role, UserId};

use super::fonds::catalogue;
use super::names::full_name;
use super::units::{NEW_COMMUNES, OLD_COMMUNES};

/// A person acting in the demo.
pub(super) struct Person {
    /// The account, e.g. "vanthu.066".
    pub user: String,
    /// The role acted in.
    pub role: Role,
    /// The custodian or body acted for.
    pub unit: String,
    /// Full name, fixed for the account ("Hoàng Văn Thắng").
    pub name: String,
    /// Title (chức vụ), e.g. "Văn thư".
    pub title: String,
    /// The organ acted for, by name ("Ủy ban nhân dân xã Bằng Thành").
    pub organ: String,
}

impl Person {
    /// A person with this account, role, body and title; the name is drawn for the account and
    /// the organ is the body's name.
    pub fn new(user: &str, role: Role, unit: &str, title: &str) -> Self {
        Self {
            user: user.to_owned(),
            role,
            unit: unit.to_owned(),
            name: full_name(user),
            title: title.to_owned(),
            organ: organ_of(unit),
        }
    }

    /// The account as the domain's value; the demo's accounts are literals without spaces.
    pub fn id(&self) -> UserId {
        UserId::parse(&self.user).expect("demo accounts are literals without spaces")
    }
}

/// How the demo names a person on the minutes: full name, title and organ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Full name.
    pub name: String,
    /// Title (chức vụ).
    pub title: String,
    /// The organ acted for.
    pub organ: String,
}

/// The name, title and organ of one of the demo's accounts (those acting in the scenario and
/// those given a token by `bangiao demo`), or none for an account the demo does not know.
pub fn identity(user: &str) -> Option<Identity> {
    cast()
        .into_iter()
        .find(|p| p.user == user)
        .map(|p| Identity {
            name: p.name,
            title: p.title,
            organ: p.organ,
        })
}

/// Everyone in the demo: the named officials, and the clerk and the head of every custodian
/// holding a fonds or receiving one.
fn cast() -> Vec<Person> {
    let mut people = vec![
        unit_registrar(),
        district_archivist(),
        snv_archivist(),
        snv_director(),
        bac_kan_archivist(),
        thai_nguyen_archivist(),
        province_administrator(),
        province_inspector(),
    ];
    let custodians = catalogue().into_iter().map(|f| f.custodian).chain(
        NEW_COMMUNES
            .iter()
            .map(|(code, _, _)| format!("UBND-{code}")),
    );
    for custodian in custodians {
        people.push(clerk_of(&custodian));
        people.push(head_of(&custodian));
    }
    people
}

/// The name of the organ a custodian id stands for: the departments, archives and People's
/// Committees of the scenario; the id itself for one it does not know.
pub(super) fn organ_of(custodian: &str) -> String {
    let known = match custodian {
        SNV_19 => Some("Sở Nội vụ tỉnh Thái Nguyên".to_owned()),
        LTLS_06 => Some("Trung tâm Lưu trữ lịch sử tỉnh Bắc Kạn".to_owned()),
        LTLS_19 => Some("Trung tâm Lưu trữ lịch sử tỉnh Thái Nguyên".to_owned()),
        UBND_066 => Some("Ủy ban nhân dân huyện Pác Nặm".to_owned()),
        _ => None,
    };
    let commune = || {
        let code = custodian.strip_prefix("UBND-")?;
        let name = OLD_COMMUNES
            .iter()
            .map(|(c, name)| (*c, *name))
            .chain(NEW_COMMUNES.iter().map(|(c, name, _)| (*c, *name)))
            .find(|(c, _)| *c == code)?
            .1;
        Some(format!(
            "Ủy ban nhân dân xã {}",
            name.trim_start_matches("Xã ")
        ))
    };
    let creator = || {
        catalogue()
            .into_iter()
            .find(|f| f.custodian == custodian)
            .map(|f| f.creator)
    };
    known
        .or_else(commune)
        .or_else(creator)
        .unwrap_or_else(|| custodian.to_owned())
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
    Person::new(
        "quantri.snv19",
        Role::Administrator,
        SNV_19,
        "Chuyên viên Sở Nội vụ",
    )
}

/// The archivist of the district People's Committee.
pub(super) fn district_archivist() -> Person {
    Person::new("luutru.066", Role::Archivist, UBND_066, "Lưu trữ viên")
}

/// The archivist of the Department of Home Affairs who receives the district's records.
pub(super) fn snv_archivist() -> Person {
    Person::new("luutru.snv19", Role::Archivist, SNV_19, "Lưu trữ viên")
}

/// The director of the Department of Home Affairs, who approves destructions.
pub(super) fn snv_director() -> Person {
    Person::new(
        "giamdoc.snv19",
        Role::Approver,
        SNV_19,
        "Giám đốc Sở Nội vụ",
    )
}

/// The archivist of Bắc Kạn's historical archive (before the merger).
pub(super) fn bac_kan_archivist() -> Person {
    Person::new("luutru.06", Role::Archivist, LTLS_06, "Lưu trữ viên")
}

/// The archivist of Thái Nguyên's historical archive.
pub(super) fn thai_nguyen_archivist() -> Person {
    Person::new("luutru.19", Role::Archivist, LTLS_19, "Lưu trữ viên")
}

/// The clerk (văn thư) of a custodian: "vanthu." and the custodian's id after its dash, in
/// lower case ("UBND-06601" → "vanthu.06601", "PNV-066" → "vanthu.pnv066").
pub(super) fn clerk_of(custodian: &str) -> Person {
    let suffix = match custodian.split_once('-') {
        Some(("UBND", rest)) => rest.to_lowercase(),
        Some((head, rest)) => format!("{}{}", head.to_lowercase(), rest.to_lowercase()),
        None => custodian.to_lowercase(),
    };
    Person::new(
        &format!("vanthu.{suffix}"),
        Role::Clerk,
        custodian,
        "Văn thư",
    )
}

/// The head of a custodian, who signs its handover minutes: the chair of a People's
/// Committee ("chutich.06602"), the head of a department ("truongphong.pnv066").
pub(super) fn head_of(custodian: &str) -> Person {
    let clerk = clerk_of(custodian);
    let suffix = clerk.user.trim_start_matches("vanthu.");
    let (account, title) = match custodian {
        UBND_066 => ("chutich", "Chủ tịch Ủy ban nhân dân huyện"),
        c if c.starts_with("UBND-") => ("chutich", "Chủ tịch Ủy ban nhân dân xã"),
        c if c.starts_with("VP-") => ("truongphong", "Chánh Văn phòng"),
        c if c.starts_with("HU-") => ("truongphong", "Chánh Văn phòng Huyện ủy"),
        _ => ("truongphong", "Trưởng phòng"),
    };
    Person::new(
        &format!("{account}.{suffix}"),
        Role::Clerk,
        custodian,
        title,
    )
}

/// The province's administrator of the service, given a token by `bangiao demo`.
pub(super) fn province_administrator() -> Person {
    Person::new(
        "quantri.19",
        Role::Administrator,
        SNV_19,
        "Quản trị hệ thống",
    )
}

/// The province's inspector, given a token by `bangiao demo`.
pub(super) fn province_inspector() -> Person {
    Person {
        organ: "Thanh tra tỉnh Thái Nguyên".to_owned(),
        ..Person::new("thanhtra.19", Role::Inspector, "19", "Thanh tra viên")
    }
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

    #[test]
    fn people_have_names_titles_and_the_names_of_their_organs() {
        let head = head_of("UBND-06602");
        assert_eq!(
            (head.title.as_str(), head.organ.as_str()),
            (
                "Chủ tịch Ủy ban nhân dân xã",
                "Ủy ban nhân dân xã Bằng Thành"
            )
        );
        assert_eq!(head.name, full_name("chutich.06602"));
        assert_eq!(head.name.split(' ').count(), 3, "{}", head.name);
        assert_eq!(head_of("PNV-066").organ, "Phòng Nội vụ huyện Pác Nặm");
        assert_eq!(
            clerk_of("UBND-066N2").organ,
            "Ủy ban nhân dân xã Nghiên Loan"
        );
        assert_eq!(snv_archivist().organ, "Sở Nội vụ tỉnh Thái Nguyên");
        assert_ne!(
            snv_archivist().name,
            snv_director().name,
            "two accounts, two people"
        );
        for user in [
            "vanthu.066n1",
            "luutru.19",
            "giamdoc.snv19",
            "quantri.19",
            "thanhtra.19",
        ] {
            let who = identity(user).unwrap_or_else(|| panic!("{user} is in the cast"));
            assert!(!who.name.is_empty() && !who.title.is_empty() && !who.organ.is_empty());
        }
        assert_eq!(identity("nobody"), None);
    }
}
