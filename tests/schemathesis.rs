//! The service against its own OpenAPI description, through the real binary on the demo data:
//! schemathesis (PyPI; installed by scripts/test.sh) generates requests for every operation —
//! valid and invalid — and checks that no answer is a 5xx and none lies outside the documented
//! statuses, media types and schemas. Bounded: `BANGIAO_SCHEMATHESIS_EXAMPLES` examples per
//! operation (5), a fixed seed. Prints "skipped" when schemathesis is not installed.

mod support;

use std::process::Command;

use support::{Server, bangiao, data_dir, token};

fn examples() -> String {
    std::env::var("BANGIAO_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "5".into())
}

/// Runs `st run` with one token over the operations `filters` select; returns its summary.
fn run(server: &Server, token: &str, filters: &[&str]) -> String {
    let out = Command::new("st")
        .args(["run", &format!("{}/api/v1/openapi.json", server.base)])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .args(["--max-examples", &examples(), "--seed", "2025", "--phases", "examples,fuzzing"])
        .args(["--workers", "2", "--no-color"])
        // The upload takes a spreadsheet, which schemathesis cannot generate.
        .args(["--exclude-path", "/api/v1/fonds/{code}/imports"])
        .args(filters)
        .output()
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .filter(|l| l.contains("generated") || l.contains("Tested:"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn every_operation_answers_within_its_documented_schema() {
    if Command::new("st").arg("--version").output().is_err() {
        println!("skipped: schemathesis not found (python3 -m pip install schemathesis)");
        return;
    }
    let (_guard, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("demo");
    assert!(
        demo.status.success(),
        "demo: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    // The district's clerk reaches the reads and the commands on its fonds; the administrator
    // the unit commands.
    let clerk = token(&data, "vanthu.066", "clerk", Some("066"));
    let admin = token(&data, "quantri.19", "administrator", None);
    let server = Server::start(&data).await;
    let everything = run(&server, &clerk, &[]);
    let units = run(&server, &admin, &["--include-path-regex", "^/api/v1/units"]);
    println!("schemathesis: clerk of 066 on every operation: {everything}");
    println!("schemathesis: administrator on the unit commands: {units}; failures = 0");
}
