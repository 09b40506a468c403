//! One changed byte in a stored event makes `bangiao verify` fail loudly, naming the event, and
//! a checkpoint signed before the change no longer verifies against the altered log.

mod support;

use support::{bangiao, data_dir};

#[test]
fn verify_names_the_event_whose_bytes_were_changed() {
    let (_guard, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run demo");
    assert!(
        demo.status.success(),
        "demo: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let clean = bangiao()
        .args(["verify", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run verify");
    assert!(
        clean.status.success(),
        "a fresh demo verifies: {}",
        String::from_utf8_lossy(&clean.stderr)
    );

    // The province signs a checkpoint of the log as it is (kept, say, in an exported bag).
    let key = data.join("province.key");
    let signed = data.join("checkpoint.json");
    let keygen = run(&["checkpoint", "keygen", "--out", path(&key)]);
    let public_key = keygen
        .split_whitespace()
        .last()
        .expect("the public key is printed")
        .to_owned();
    let dir = path(&data);
    run(&[
        "checkpoint",
        "sign",
        "--data-dir",
        dir,
        "--key",
        path(&key),
        "--out",
        path(&signed),
    ]);
    let holds = run(&[
        "checkpoint",
        "verify",
        "--data-dir",
        dir,
        "--checkpoint",
        path(&signed),
        "--public-key",
        &public_key,
    ]);
    assert!(holds.contains("checkpoint holds"), "{holds}");

    // Change one byte of one payload behind the service's back: a title's first letter.
    let target = 1234i64;
    {
        let conn = rusqlite::Connection::open(data.join("events.db")).expect("open the store file");
        let payload: String = conn
            .query_row(
                "SELECT payload FROM events WHERE position = ?1",
                [target],
                |r| r.get(0),
            )
            .expect("event");
        let at = payload.find(":\"").expect("a string field") + 2;
        let mut bytes = payload.into_bytes();
        bytes[at] = if bytes[at] == b'X' { b'Y' } else { b'X' };
        let changed = String::from_utf8(bytes).expect("still text");
        conn.execute(
            "UPDATE events SET payload = ?1 WHERE position = ?2",
            rusqlite::params![changed, target],
        )
        .expect("tamper");
    }

    let broken = bangiao()
        .args(["verify", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run verify");
    assert!(!broken.status.success(), "verify must fail");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains(&format!("position {target}")),
        "names the event: {stderr}"
    );
    assert!(stderr.contains("VERIFICATION FAILED"), "{stderr}");

    let refused = bangiao()
        .args([
            "checkpoint",
            "verify",
            "--data-dir",
            dir,
            "--checkpoint",
            path(&signed),
            "--public-key",
            &public_key,
        ])
        .output()
        .expect("run checkpoint verify");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "the checkpoint must no longer hold: {stderr}"
    );
    assert!(
        stderr.contains(&format!("position {target}")),
        "names the altered event: {stderr}"
    );
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Runs the binary and returns its standard output; panics with its error output on failure.
fn run(args: &[&str]) -> String {
    let out = bangiao().args(args).output().expect("run bangiao");
    assert!(
        out.status.success(),
        "bangiao {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
