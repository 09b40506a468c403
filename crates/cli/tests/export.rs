//! `bangiao export` through the real binary on the demo: the packages for the archive — a bag of
//! a whole fonds and of a transfer (validated by bagit.py when installed), a unit's list as PREMIS
//! (the events of each fonds of its list) and as EAD3 — and the refusal, in Vietnamese and
//! English, of a format that does not apply.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{bangiao, data_dir};

/// Both output streams of a finished command.
fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `bangiao export --data-dir DATA ARGS…`.
fn export(data: &Path, args: &[&str]) -> Output {
    bangiao()
        .args(["export", "--data-dir"])
        .arg(data)
        .args(args)
        .env("BANGIAO_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// An export that must succeed.
fn exported(data: &Path, args: &[&str]) {
    let out = export(data, args);
    assert!(out.status.success(), "export {args:?}: {}", text(&out));
}

/// Validates a bag directory with the Library of Congress tool when it is installed.
fn validate_bag(dir: &Path) {
    match Command::new("bagit.py").arg("--validate").arg(dir).output() {
        Ok(out) => assert!(
            out.status.success(),
            "{} is a valid bag: {}",
            dir.display(),
            text(&out)
        ),
        Err(_) => println!("skipped: bagit.py not found"),
    }
}

/// The values of `<objectIdentifierValue>` after an `<objectIdentifierType>` of `kind`.
fn objects_of(premis: &str, kind: &str) -> Vec<String> {
    premis
        .split(&format!(
            "<objectIdentifierType>{kind}</objectIdentifierType>"
        ))
        .skip(1)
        .filter_map(|rest| {
            let (_, value) = rest.split_once("<objectIdentifierValue>")?;
            value.split_once('<').map(|(v, _)| v.to_owned())
        })
        .collect()
}

#[test]
fn packages_for_the_archive_from_the_command_line() {
    let (_guard, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("demo");
    assert!(demo.status.success(), "demo: {}", text(&demo));
    let out = tempfile::tempdir().expect("dir");
    let path = |name: &str| out.path().join(name).to_string_lossy().into_owned();

    // A whole fonds: as a directory (validated) and as a zip.
    let fonds_bag = path("phong");
    exported(
        &data,
        &["--fonds", "066-D02", "--format", "bag", "--out", &fonds_bag],
    );
    let bag = Path::new(&fonds_bag);
    for file in [
        "muc-luc.csv",
        "muc-luc.pdf",
        "muc-luc.ead3.xml",
        "su-kien.premis.xml",
    ] {
        assert!(bag.join("data").join(file).is_file(), "{file} in the bag");
    }
    validate_bag(bag);
    let zipped = path("phong.zip");
    exported(
        &data,
        &["--fonds", "066-D02", "--format", "bag", "--out", &zipped],
    );
    assert!(std::fs::read(&zipped).expect("the zip").starts_with(b"PK"));

    // A transfer: the 2024 transfer of 066-UB, accepted with one file rejected.
    let read = rusqlite::Connection::open(data.join("readmodel.db")).expect("read model");
    let transfer: String = read
        .query_row(
            "SELECT transfer_id FROM transfers WHERE fonds_code = '066-UB' AND status = 'accepted'",
            [],
            |r| r.get(0),
        )
        .expect("the accepted transfer");
    let transfer_bag = path("nop-luu");
    exported(
        &data,
        &[
            "--transfer",
            &transfer,
            "--format",
            "bag",
            "--out",
            &transfer_bag,
        ],
    );
    let record = std::fs::read_to_string(Path::new(&transfer_bag).join("data/nop-luu.json"))
        .expect("the transfer record");
    assert!(record.contains("\"outcome\": \"rejected\""), "{record}");
    validate_bag(Path::new(&transfer_bag));

    // The district's list as PREMIS: the unit, each fonds of its list, every event of each.
    let premis_file = path("066.premis.xml");
    exported(
        &data,
        &["--unit", "066", "--format", "premis", "--out", &premis_file],
    );
    let premis = std::fs::read_to_string(&premis_file).expect("PREMIS");
    assert_eq!(objects_of(&premis, "bangiao:unit"), ["066"]);
    let fonds = objects_of(&premis, "bangiao:fonds");
    for code in ["066-UB", "066-D02"] {
        assert!(fonds.iter().any(|f| f == code), "{code} in {fonds:?}");
    }
    let log = rusqlite::Connection::open(data.join("events.db")).expect("event store");
    let mut stored = 0;
    for code in &fonds {
        let n: i64 = log
            .query_row(
                "SELECT COUNT(*) FROM events WHERE stream = ?1",
                [format!("fonds-{code}")],
                |r| r.get(0),
            )
            .expect("count");
        stored += n;
    }
    assert_eq!(premis.matches("<event>").count() as i64, stored);

    // …and as EAD3: each fonds a component.
    let ead_file = path("066.ead3.xml");
    exported(
        &data,
        &["--unit", "066", "--format", "ead3", "--out", &ead_file],
    );
    let ead = std::fs::read_to_string(&ead_file).expect("EAD3");
    assert!(ead.contains("<c level=\"fonds\">") && ead.contains("<c level=\"file\">"));

    // A format that does not apply is refused, in Vietnamese then English.
    for (args, vi, en) in [
        (
            vec!["--unit", "066", "--format", "bag"],
            "mục lục hồ sơ của một đơn vị",
            "a unit's inventory list",
        ),
        (
            vec!["--transfer", transfer.as_str(), "--format", "pdf"],
            "đợt nộp lưu",
            "a transfer",
        ),
    ] {
        let target = path("refused");
        let mut args = args.clone();
        args.extend(["--out", &target]);
        let out = export(&data, &args);
        let said = text(&out);
        assert!(!out.status.success(), "{args:?} is refused");
        assert!(
            said.contains(&format!("không áp dụng cho {vi} / format"))
                && said.contains(&format!("does not apply to {en}")),
            "{said}"
        );
    }
}
