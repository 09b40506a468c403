//! One changed byte in a stored event makes `bangiao verify` fail loudly, naming the event.

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
}
