//! Every input kept in tests/fuzz_regressions/ — the findings of `scripts/fuzz.sh` and a few
//! hand-made seeds — goes through the importer again: each is answered with a report or an
//! error, never a panic.

use bangiao_documents::import::harness::Harness;

#[test]
fn every_kept_fuzz_input_is_answered_without_a_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let harness = Harness::new();
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("the regression folder") {
        let path = entry.expect("an entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        let outcome = harness.import(&bytes, false);
        println!(
            "{}: {}",
            path.display(),
            if outcome.is_ok() { "report" } else { "refused" }
        );
        replayed += 1;
    }
    assert!(replayed >= 3, "the seeds are there");
    println!("fuzz regressions: {replayed} inputs replayed, failures = 0");
}
