// Over 500 lines: one test cluster's life, sharing its paths and runner.
//! Throw-away PostgreSQL clusters for tests (feature `test-support`): Debian's binaries from
//! `/usr/lib/postgresql/*/bin` (or `$PG_BIN`), `initdb` into a temporary directory, a free
//! loopback port, `pg_ctl` to start and stop; a standby made with `pg_basebackup -R`.
//!
//! PostgreSQL refuses to run as root. When the tests run as root (CI, containers), every
//! PostgreSQL program runs through `runuser` as the unprivileged `postgres` account that Debian's
//! package creates (or `nobody` when there is none), and the temporary directory is handed to
//! that account. Without the binaries, [`TestCluster::start`] prints
//! `skipped: postgresql not found` and returns None, so a test can pass without running.
//!
//! Each cluster also starts a small watchdog shell that stops it and removes its directory when
//! the test process is gone, so a cluster shared by a whole test binary (or one left behind by a
//! killed run) never outlives it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The superuser of every test cluster.
pub const USER: &str = "bangiao";
/// Its password (SCRAM over TCP, as in production).
pub const PASSWORD: &str = "bangiao-test-password";

/// The PostgreSQL programs of one installed version.
#[derive(Debug, Clone)]
pub struct Binaries {
    bin: PathBuf,
}

impl Binaries {
    /// The newest installed version that has every program the tests need.
    pub fn find() -> Option<Self> {
        let needed = ["initdb", "pg_ctl", "postgres", "pg_basebackup"];
        let has_all = |dir: &Path| needed.iter().all(|p| dir.join(p).is_file());
        if let Some(dir) = std::env::var_os("PG_BIN").map(PathBuf::from) {
            return has_all(&dir).then_some(Self { bin: dir });
        }
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
                Some((version, entry.path().join("bin")))
            })
            .filter(|(_, bin)| has_all(bin))
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| Self { bin })
    }

    /// A command running one of the programs, as the unprivileged account when we are root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match run_as() {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        }
    }
}

/// The account PostgreSQL runs as when the tests run as root; None when they do not.
fn run_as() -> Option<&'static str> {
    static USER: OnceLock<Option<&'static str>> = OnceLock::new();
    *USER.get_or_init(|| {
        let uid = Command::new("id").arg("-u").output().ok()?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return None;
        }
        let has = |user: &str| {
            Command::new("id")
                .arg(user)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        Some(if has("postgres") {
            "postgres"
        } else {
            "nobody"
        })
    })
}

/// Hands a path to the account PostgreSQL runs as.
fn give(path: &Path) {
    if let Some(user) = run_as() {
        let status = Command::new("chown")
            .args(["-R", &format!("{user}:")])
            .arg(path)
            .status()
            .expect("run chown");
        assert!(status.success(), "chown {} failed", path.display());
    }
}

/// Runs a command to completion; panics with its output when it fails.
fn run(mut command: Command, what: &str) {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A free TCP port on the loopback interface (free now; taken by the cluster soon after).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Settings a cluster is created with.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Whether commits wait for the disk (`fsync`); off (the default) for speed where no
    /// machine crashes, on for benchmarks.
    pub fsync: bool,
}

/// One PostgreSQL cluster in a temporary directory, stopped and removed on drop.
pub struct TestCluster {
    bins: Binaries,
    root: tempfile::TempDir,
    data: PathBuf,
    port: u16,
    name: String,
    options: Options,
    watchdog: Option<Child>,
}

impl TestCluster {
    /// Creates and starts a new primary; None (after printing why) without PostgreSQL.
    pub fn start() -> Option<Self> {
        Self::start_with(Options::default())
    }

    /// [`TestCluster::start`] with options.
    pub fn start_with(options: Options) -> Option<Self> {
        let Some(bins) = Binaries::find() else {
            println!("skipped: postgresql not found");
            eprintln!("skipped: postgresql not found");
            return None;
        };
        let mut cluster = Self::empty(bins, "primary", options);
        let pwfile = cluster.root.path().join("pwfile");
        std::fs::write(&pwfile, PASSWORD).expect("write the password file");
        give(cluster.root.path());
        let mut initdb = cluster.bins.command("initdb");
        initdb
            .arg("-D")
            .arg(&cluster.data)
            .args(["-U", USER, "--pwfile"])
            .arg(&pwfile)
            .args([
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]);
        run(initdb, "initdb");
        cluster.configure();
        cluster.start_server();
        Some(cluster)
    }

    /// A cluster shared by every test of this test binary (created on first use); None
    /// without PostgreSQL. Its watchdog removes it when the test process exits.
    pub fn shared() -> Option<&'static Self> {
        static SHARED: OnceLock<Option<TestCluster>> = OnceLock::new();
        SHARED.get_or_init(Self::start).as_ref()
    }

    fn empty(bins: Binaries, name: &str, options: Options) -> Self {
        let root = tempfile::Builder::new()
            .prefix("bangiao-pg-")
            .tempdir()
            .expect("a temporary directory");
        let data = root.path().join("data");
        Self {
            bins,
            root,
            data,
            port: free_port(),
            name: name.to_owned(),
            options,
            watchdog: None,
        }
    }

    /// Creates a standby of `primary` with `pg_basebackup -R` and starts it; streaming
    /// replication, hot standby (it answers reads, refuses writes).
    pub fn standby_of(primary: &Self, name: &str) -> Self {
        let mut standby = Self::empty(primary.bins.clone(), name, primary.options);
        give(standby.root.path());
        standby.base_backup_from(primary);
        standby.start_server();
        standby
    }

    /// Throws this node's data away and makes it a standby of `primary` (same port), started.
    pub fn rebuild_as_standby_of(&mut self, primary: &Self) {
        self.stop_watchdog();
        if self.is_running() {
            self.stop();
        }
        std::fs::remove_dir_all(&self.data).expect("remove the old data directory");
        self.base_backup_from(primary);
        self.start_server();
    }

    fn base_backup_from(&mut self, primary: &Self) {
        let mut backup = self.bins.command("pg_basebackup");
        backup
            .arg("-D")
            .arg(&self.data)
            .args(["-R", "-X", "stream", "--checkpoint=fast", "--no-sync", "-d"])
            .arg(format!(
                "host=127.0.0.1 port={} user={USER} password={PASSWORD} application_name={}",
                primary.port, self.name
            ));
        run(backup, "pg_basebackup");
        self.configure();
    }

    /// Appends this node's own settings to its postgresql.conf (later lines win).
    fn configure(&self) {
        let root = self.root.path().display();
        let fsync = if self.options.fsync { "on" } else { "off" };
        let settings = format!(
            "\n# bangiao test cluster\n\
             listen_addresses = '127.0.0.1'\n\
             port = {port}\n\
             unix_socket_directories = '{root}'\n\
             cluster_name = '{name}'\n\
             fsync = {fsync}\n\
             synchronous_commit = on\n\
             wal_level = replica\n\
             max_wal_senders = 8\n\
             wal_keep_size = '256MB'\n\
             wal_log_hints = on\n\
             hot_standby = on\n\
             shared_buffers = '64MB'\n\
             max_connections = 100\n\
             log_min_messages = warning\n",
            port = self.port,
            name = self.name,
        );
        self.append_conf(&settings);
    }

    fn append_conf(&self, text: &str) {
        use std::io::Write;
        let path = self.data.join("postgresql.conf");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        file.write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Starts the server and waits until it accepts connections (retrying on a taken port).
    fn start_server(&mut self) {
        let log = self.root.path().join(format!("{}.log", self.name));
        for attempt in 1..=3 {
            let mut start = self.bins.command("pg_ctl");
            start
                .arg("start")
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60"]);
            let out = start.output().expect("run pg_ctl start");
            if out.status.success() {
                self.start_watchdog();
                return;
            }
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if attempt < 3 && text.contains("could not bind") {
                self.port = free_port();
                self.append_conf(&format!("\nport = {}\n", self.port));
                continue;
            }
            panic!(
                "pg_ctl start failed: {}{}\n{text}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    /// Starts the watchdog: a shell that stops the cluster and removes its directory once this
    /// test process is gone.
    fn start_watchdog(&mut self) {
        self.stop_watchdog();
        let mut stop = self.bins.command("pg_ctl");
        stop.arg("stop")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate"]);
        let mut words: Vec<String> = vec![stop.get_program().to_string_lossy().into_owned()];
        words.extend(stop.get_args().map(|a| a.to_string_lossy().into_owned()));
        let quoted: Vec<String> = words.iter().map(|w| shell_quote(w)).collect();
        let script = format!(
            "while [ -d /proc/{pid} ]; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {root}",
            pid = std::process::id(),
            stop = quoted.join(" "),
            root = shell_quote(&self.root.path().to_string_lossy()),
        );
        self.watchdog = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
    }

    fn stop_watchdog(&mut self) {
        if let Some(mut child) = self.watchdog.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The node's name (its `cluster_name`, and its `application_name` as a standby).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// A connection string for `database` on this node alone.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// Whether the postmaster is running.
    pub fn is_running(&self) -> bool {
        self.postmaster_pid()
            .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists())
    }

    fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Kills the node at once with SIGKILL, the postmaster first and then every backend it
    /// had started, as a machine that loses power would stop.
    pub fn kill9(&mut self) {
        let Some(pid) = self.postmaster_pid() else {
            return;
        };
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        let mut pids = vec![pid.to_string()];
        pids.extend(children.split_whitespace().map(str::to_owned));
        let _ = Command::new("kill").arg("-9").args(&pids).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while pids
            .iter()
            .any(|p| Path::new(&format!("/proc/{p}")).exists())
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop_watchdog();
    }

    /// Starts the node again after [`TestCluster::kill9`] or [`TestCluster::stop`] (crash
    /// recovery when it was killed).
    pub fn restart(&mut self) {
        self.start_server();
    }

    /// Stops the node (fast shutdown) and waits for it.
    pub fn stop(&mut self) {
        let mut stop = self.bins.command("pg_ctl");
        stop.arg("stop")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w"]);
        run(stop, "pg_ctl stop");
        self.stop_watchdog();
    }

    /// Promotes a standby to primary and waits until it accepts writes.
    pub fn promote(&self) {
        let mut promote = self.bins.command("pg_ctl");
        promote
            .arg("promote")
            .arg("-D")
            .arg(&self.data)
            .args(["-w", "-t", "60"]);
        run(promote, "pg_ctl promote");
    }

    /// Sets a server setting in postgresql.conf and reloads it when the node runs.
    pub fn set(&self, name: &str, value: &str) {
        self.append_conf(&format!("\n{name} = '{value}'\n"));
        if self.is_running() {
            let mut reload = self.bins.command("pg_ctl");
            reload.arg("reload").arg("-D").arg(&self.data);
            run(reload, "pg_ctl reload");
        }
    }

    /// Creates a new empty database and returns a connection string for it on this node.
    pub async fn create_database(&self) -> String {
        let name = format!("bg_{}", uuid::Uuid::now_v7().simple());
        let (client, connection) =
            tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
                .await
                .expect("connect to the test cluster");
        tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a database");
        self.url(&name)
    }

    /// Turns TLS on with a certificate for 127.0.0.1 and localhost signed by a new CA, and
    /// refuses every connection without TLS; returns the CA file. None (after printing why)
    /// when the `openssl` program is missing.
    pub fn enable_tls(&self) -> Option<PathBuf> {
        let dir = self.root.path().join("tls");
        std::fs::create_dir_all(&dir).expect("create the TLS directory");
        let openssl = |args: &[&str]| {
            let mut command = Command::new("openssl");
            command.current_dir(&dir).args(args);
            command
        };
        if Command::new("openssl").arg("version").output().is_err() {
            println!("skipped: openssl not found");
            return None;
        }
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .expect("write the extensions");
        run(
            openssl(&[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=bangiao test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ]),
            "openssl: the CA",
        );
        run(
            openssl(&[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ]),
            "openssl: the server key",
        );
        run(
            openssl(&[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "server.ext",
            ]),
            "openssl: the server certificate",
        );
        give(&dir);
        run(
            {
                let mut chmod = Command::new("chmod");
                chmod.arg("0600").arg(dir.join("server.key"));
                chmod
            },
            "chmod the server key",
        );
        let hba = self.data.join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        std::fs::write(&hba, format!("hostnossl all all all reject\n{rules}"))
            .expect("write pg_hba.conf");
        self.append_conf(&format!(
            "\nssl = on\nssl_cert_file = '{cert}'\nssl_key_file = '{key}'\n",
            cert = dir.join("server.crt").display(),
            key = dir.join("server.key").display(),
        ));
        let mut reload = self.bins.command("pg_ctl");
        reload.arg("reload").arg("-D").arg(&self.data);
        run(reload, "pg_ctl reload");
        // The reload is asynchronous: give the postmaster a moment to read the new files.
        std::thread::sleep(Duration::from_millis(500));
        Some(dir.join("ca.pem"))
    }

    /// Waits until a standby streams from this node and counts as synchronous (it has caught
    /// up: a standby still catching up is never synchronous); panics after `timeout`.
    pub async fn wait_for_sync_standby(&self, timeout: Duration) {
        let (client, connection) =
            tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
                .await
                .expect("connect to the primary");
        tokio::spawn(connection);
        let started = Instant::now();
        loop {
            let synchronous: i64 = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_replication \
                     WHERE state = 'streaming' AND sync_state IN ('sync', 'quorum')",
                    &[],
                )
                .await
                .expect("pg_stat_replication")
                .get(0);
            if synchronous > 0 {
                return;
            }
            assert!(
                started.elapsed() < timeout,
                "no synchronous standby on {} within {timeout:?}:\n{}",
                self.name,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The server log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.path().join(format!("{}.log", self.name)))
            .unwrap_or_default()
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if self.is_running() {
            let mut stop = self.bins.command("pg_ctl");
            stop.arg("stop")
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "immediate", "-w"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let _ = stop.status();
        }
        self.stop_watchdog();
    }
}

/// Quotes a word for `sh`.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}
