//! A small world for the reliability tests: a province and a commune, the commune's clerk, and
//! one open fonds into which files are recorded.

use std::path::Path;

use serde_json::{Value, json};

use super::{Server, bangiao, token};

/// The commune's fonds.
pub const FONDS: &str = "99001-UB";
/// The commune's office, custodian of its files.
pub const OFFICE: &str = "UBND-99001";
const ORGAN: &str = "000.00.99.X01";

/// A legal basis.
pub fn basis(number: &str) -> Value {
    json!({ "number": number, "issued_on": "2025-06-16", "issuer": "Quốc hội" })
}

/// The code of file `n` of the fonds.
pub fn file_code(n: u32) -> String {
    format!("{ORGAN}.2010.{n:04}")
}

/// The command recording file `n` (one box each, 10 sheets).
pub fn file(n: u32) -> Value {
    json!({
        "file_code": file_code(n), "title": format!("Hồ sơ thử nghiệm số {n}"),
        "start_date": "2010-01-05", "end_date": "2010-12-20",
        "retention": { "code": "01" }, "access": "01", "carrier": "paper",
        "box_number": format!("{n}"), "sheets": 10,
        "language": "Tiếng Việt", "custodian": OFFICE
    })
}

/// The scenario's people: an administrator and the commune's clerk.
pub struct People {
    /// The administrator's token.
    pub admin: String,
    /// The clerk's token.
    pub clerk: String,
}

/// Issues the tokens (before the service starts, so it knows them at once).
pub fn people(data: &Path) -> People {
    People {
        admin: token(data, "quantri.99", "administrator", None),
        clerk: token(data, "vanthu.99001", "clerk", Some("99001")),
    }
}

/// Registers the units and opens the fonds; the server acts as the clerk afterwards.
pub async fn commune_with_fonds(server: &Server, people: &People) {
    server.act_as(&people.admin);
    for (code, name, level, parent) in [
        ("99", "Tỉnh Thử", "province", None),
        ("99001", "Xã Thử", "commune", Some("99")),
    ] {
        let mut details = json!({ "name": name, "level": level, "unit_type": level });
        if let Some(parent) = parent {
            details["parent"] = json!(parent);
        }
        let (status, body) = server
            .post(
                "/api/v1/units",
                json!({ "code": code, "details": details, "valid_from": "2003-07-01",
                        "legal_basis": basis("56/2003/NĐ-CP") }),
            )
            .await;
        assert_eq!(status, 201, "register {code}: {body}");
    }
    server.act_as(&people.clerk);
    let (status, body) = server
        .post(
            "/api/v1/fonds",
            json!({ "fonds_code": FONDS, "name": "Phông UBND xã Thử", "kind": "state",
                    "creator_organ_id": ORGAN, "creator_name": "UBND xã Thử", "unit_code": "99001",
                    "custodian": OFFICE, "opened_on": "2003-07-01" }),
        )
        .await;
    assert_eq!(status, 201, "open the fonds: {body}");
}

/// Waits (at most 15 s) until the fonds' inventory list counts `files` files.
pub async fn wait_for_files(server: &Server, files: u64) {
    let started = std::time::Instant::now();
    loop {
        let (_, list) = server
            .get(&format!("/api/v1/fonds/{FONDS}/inventory?limit=1"))
            .await;
        if list["totals"]["files"] == files {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the read models did not reach {files} files: {}",
            list["totals"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Runs `bangiao verify` on a data directory (the service stopped) and fails the test on error.
pub fn verify(data: &Path, after: &str) {
    let out = bangiao()
        .args(["verify", "--data-dir"])
        .arg(data)
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "verify after {after}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
