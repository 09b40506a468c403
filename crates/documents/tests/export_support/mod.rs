//! Shared by the export tests: the demo scenario loaded once into a temporary SQLite store and
//! its read models, and the external tools the tests run when they are installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub mod premis;

use bangiao_app::Service;
use bangiao_app::demo::load_demo;
use bangiao_projections::ReadModel;
use bangiao_store::SqliteStore;

/// The demo (Pác Nặm through the 2025 reorganisation) in a store and its read models.
pub struct Demo {
    _dir: tempfile::TempDir,
    /// The event store.
    pub store: SqliteStore,
    /// The read models, caught up.
    pub read: ReadModel,
}

/// The demo, loaded on first use (about 3 s) and shared by every test of the binary.
pub fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = SqliteStore::open_path(dir.path().join("events.db")).expect("store");
                load_demo(&Service::new(store.clone()), &mut |_| {})
                    .await
                    .expect("the demo loads");
                let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
                read.catch_up(&store).await.expect("projected");
                Demo {
                    _dir: dir,
                    store,
                    read,
                }
            })
        })
        .join()
        .expect("the demo thread")
    })
}

/// Whether a command is on the PATH; when not, prints "skipped: NAME not found".
pub fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("skipped: {name} not found");
    }
    found
}

/// The official EAD3 schema: `$BANGIAO_EAD3_XSD`, else `../shared/schemas/ead3/ead3.xsd` beside
/// the workspace; none (with "skipped: schema not found" printed) when absent.
pub fn ead3_schema() -> Option<PathBuf> {
    let path = match std::env::var_os("BANGIAO_EAD3_XSD") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/schemas/ead3/ead3.xsd"),
    };
    if path.is_file() {
        Some(path)
    } else {
        println!("skipped: schema not found");
        None
    }
}

/// Runs a command and returns its standard output, failing the test with its output when it fails.
pub fn run(command: &mut Command) -> String {
    let out = command.output().expect("the tool starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{command:?} failed:\n{text}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The E-ARK validator wrapper: `$EARK_VALIDATE`, else `../shared/tools/eark-validate/
/// eark_validate.py` beside the workspace, when it and the `eark_validator` Python package are
/// present; none (with "skipped: eark-validator not found" printed) otherwise.
#[allow(dead_code)] // Not every test binary validates packages.
pub fn eark_validator() -> Option<PathBuf> {
    let path = match std::env::var_os("EARK_VALIDATE") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/tools/eark-validate/eark_validate.py"),
    };
    let importable = Command::new("python3")
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

/// What the E-ARK validator said of one package: its exit status and its output.
#[allow(dead_code)] // Not every test binary validates packages.
pub fn eark_validate(validator: &Path, package: &Path) -> (i32, String) {
    let out = Command::new("python3")
        .arg(validator)
        .arg(package)
        .output()
        .expect("python3 starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}
