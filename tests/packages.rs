//! `bangiao export --transfer ID --sip|--aip` and `bangiao ingest PACKAGE.zip` through the real
//! binary: the demo's accepted transfer exported as a SIP and an AIP (checked by the E-ARK
//! validator when installed: the AIP VALID; the SIP failing only SIP14, which no SIP can pass,
//! see crates/documents/tests/eark.rs), no AIP of a transfer not yet accepted, the SIP
//! ingested into a data directory holding the same fonds (every file already there: nothing
//! recorded), and a truncated package refused with its problem code, non-zero, nothing
//! recorded.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::{bangiao, data_dir};

fn run(args: &[&str]) -> Output {
    bangiao().args(args).output().expect("run bangiao")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The demo's transfers of 066-UB: (id, status), from the read model.
fn transfers(data: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(data.join("readmodel.db")).expect("read model");
    let mut statement = conn
        .prepare("SELECT transfer_id, status FROM transfers WHERE fonds_code = '066-UB'")
        .expect("query");
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// The events in the store (its size changes with any append).
fn events(data: &Path) -> i64 {
    let conn = rusqlite::Connection::open(data.join("events.db")).expect("store");
    conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .expect("count")
}

fn validator() -> Option<PathBuf> {
    let path = match std::env::var_os("EARK_VALIDATE") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/tools/eark-validate/eark_validate.py"),
    };
    let importable = std::process::Command::new("python3")
        .args(["-c", "import eark_validator"])
        .output()
        .is_ok_and(|o| o.status.success());
    if path.is_file() && importable {
        Some(path)
    } else {
        println!("skipped: eark-validator not found");
        None
    }
}

#[test]
fn a_transfer_exports_as_sip_and_aip_and_the_sip_ingests() {
    let (_guard, data) = data_dir();
    let demo = run(&["demo", "--data-dir", path(&data)]);
    assert!(demo.status.success(), "demo: {}", text(&demo));
    let sip = data.with_file_name("sip.zip");
    let aip = data.with_file_name("aip.zip");
    // Any export catches the read model up first: the transfers are then in it.
    let export = run(&[
        "export",
        "--data-dir",
        path(&data),
        "--fonds",
        "066-UB",
        "--format",
        "csv",
        "--out",
        path(&data.with_file_name("x.csv")),
    ]);
    assert!(export.status.success(), "{}", text(&export));
    let all = transfers(&data);
    let accepted = all
        .iter()
        .find(|(_, s)| s == "accepted")
        .map(|(id, _)| id.clone())
        .expect("an accepted transfer");
    let pending = all
        .iter()
        .find(|(_, s)| s != "accepted")
        .map(|(id, _)| id.clone())
        .expect("a pending transfer");
    for (flag, out) in [("--sip", &sip), ("--aip", &aip)] {
        let made = run(&[
            "export",
            "--data-dir",
            path(&data),
            "--transfer",
            &accepted,
            flag,
            "--out",
            path(out),
        ]);
        assert!(made.status.success(), "{flag}: {}", text(&made));
    }
    let refused = run(&[
        "export",
        "--data-dir",
        path(&data),
        "--transfer",
        &pending,
        "--aip",
        "--out",
        path(&data.with_file_name("no.zip")),
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("has not been accepted"),
        "{}",
        text(&refused)
    );
    if let Some(validator) = validator() {
        let checked = std::process::Command::new("python3")
            .arg(&validator)
            .arg(&aip)
            .output()
            .expect("validator");
        assert!(checked.status.success(), "AIP: {}", text(&checked));
        let checked = std::process::Command::new("python3")
            .arg(&validator)
            .arg(&sip)
            .output()
            .expect("validator");
        let said = text(&checked);
        let errors: Vec<&str> = said
            .lines()
            .filter(|l| l.trim_start().starts_with("ERROR"))
            .collect();
        assert!(said.contains("structure=WellFormed schema=VALID"), "{said}");
        assert_eq!(errors.len(), 1, "{said}");
        assert!(errors[0].trim_start().starts_with("ERROR SIP14 "), "{said}");
    }
    // The same fonds is already in this store: every file is present, nothing is recorded.
    let before = events(&data);
    let ingest = run(&["ingest", "--data-dir", path(&data), path(&sip)]);
    assert!(ingest.status.success(), "{}", text(&ingest));
    assert!(
        text(&ingest).contains("0 hồ sơ được ghi / recorded"),
        "{}",
        text(&ingest)
    );
    assert_eq!(events(&data), before);
    // A truncated package: refused with its code, non-zero, nothing recorded.
    let bytes = std::fs::read(&sip).expect("read");
    let broken = data.with_file_name("broken.zip");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).expect("write");
    let refused = run(&["ingest", "--data-dir", path(&data), path(&broken)]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("[unreadable_package]"),
        "{}",
        text(&refused)
    );
    assert_eq!(events(&data), before);
}
