// Over 500 lines: each deployment file checked against the others' parsed forms.
//! The deployment files agree with each other and with the binary: the compose file and the
//! Kubernetes manifests are parsed as YAML (serde_norway: the maintained fork of serde_yaml;
//! serde_yml carries RUSTSEC-2025-0067/0068), the nginx, systemd and TOML files as text or
//! TOML. Checked: service names, ports, health-check paths (routes the server has),
//! volumes and mounts, and that every BANGIAO_* variable is one the binary reads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_norway::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml_docs(path: &str) -> Vec<Value> {
    let text = read(path);
    serde_norway::Deserializer::from_str(&text)
        .map(|doc| serde::Deserialize::deserialize(doc).unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, found {v:?}"))
}

fn seq(v: &Value) -> &Vec<Value> {
    v.as_sequence()
        .unwrap_or_else(|| panic!("expected a list, found {v:?}"))
}

/// The variables the real binary reads: `[env: X=]` in its help, and the log filter.
fn binary_env() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for command in ["serve", "migrate", "verify", "rebuild"] {
        let out = Command::new(env!("CARGO_BIN_EXE_bangiao"))
            .args([command, "--help"])
            .output()
            .expect("the binary runs");
        let help = String::from_utf8_lossy(&out.stdout);
        for part in help.split("[env: ").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    // tracing's filter, read with EnvFilter::try_from_env in commands/serve.rs.
    assert!(read("crates/cli/src/commands/serve.rs").contains("try_from_env(\"BANGIAO_LOG\")"));
    names.insert("BANGIAO_LOG".into());
    for expected in [
        "BANGIAO_ADDR",
        "BANGIAO_DATA_DIR",
        "BANGIAO_STORE",
        "BANGIAO_CONFIG",
    ] {
        assert!(
            names.contains(expected),
            "{expected} missing from {names:?}"
        );
    }
    names
}

/// Keys the config file accepts: the fields of `FileConfig` (it denies unknown keys).
fn config_keys() -> BTreeSet<String> {
    let source = read("crates/cli/src/config.rs");
    let start = source.find("pub struct FileConfig {").expect("FileConfig");
    let body = &source[start..start + source[start..].find("\n}").expect("end")];
    body.lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter_map(|l| l.split(':').next())
        .filter(|name| !name.starts_with("struct"))
        .map(str::to_owned)
        .collect()
}

/// Paths the server routes directly (`.route("…")`) or through utoipa handlers wired in the
/// router (`path = "…"` on a handler that `router.rs` mounts).
fn server_paths() -> BTreeSet<String> {
    let router = read("crates/server/src/router.rs");
    let mut paths: BTreeSet<String> = router
        .split(".route(\"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .map(str::to_owned)
        .collect();
    let health = read("crates/server/src/health.rs");
    for (handler, path) in [("live", "/health/live"), ("ready", "/health/ready")] {
        if router.contains(&format!("health::{handler}"))
            && health.contains(&format!("path = \"{path}\""))
        {
            paths.insert(path.into());
        }
    }
    paths
}

fn check_env(place: &str, names: impl IntoIterator<Item = String>, known: &BTreeSet<String>) {
    for name in names.into_iter().filter(|n| n.starts_with("BANGIAO_")) {
        assert!(
            known.contains(&name),
            "{place}: {name} is not read by the binary"
        );
    }
}

/// `http://127.0.0.1:8080/health/ready` → (port, path).
fn url_port_path(url: &str) -> (u16, String) {
    let rest = url.split("://").nth(1).expect("a URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let port = authority
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    (port, path.to_owned())
}

fn port_of(addr: &str) -> u16 {
    addr.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("host:port")
}

/// The hosts and the CA file of a KurrentDB connection string.
fn store_hosts(url: &str) -> (Vec<(String, u16)>, String) {
    let rest = url
        .strip_prefix("kurrentdb://")
        .expect("a kurrentdb:// string");
    let rest = &rest[rest.find('@').map_or(0, |i| i + 1)..];
    let (hosts, query) = rest.split_once('?').expect("options");
    let hosts = hosts
        .split(',')
        .map(|h| {
            let (host, port) = h.rsplit_once(':').expect("host:port");
            (host.to_owned(), port.parse().expect("port"))
        })
        .collect();
    assert!(query.split('&').any(|o| o == "tls=true"), "TLS on: {url}");
    let ca = query
        .split('&')
        .find_map(|o| o.strip_prefix("tlsCaFile="))
        .expect("tlsCaFile")
        .to_owned();
    (hosts, ca)
}

#[test]
fn the_compose_file_agrees_with_itself_nginx_the_dockerfile_and_the_binary() {
    let known = binary_env();
    let routes = server_paths();
    let compose = yaml_docs("deploy/compose/compose.yaml").remove(0);
    let services = compose["services"].as_mapping().expect("services");
    let names: BTreeSet<&str> = services.keys().map(s).collect();
    for expected in [
        "certs",
        "kurrentdb-1",
        "kurrentdb-2",
        "kurrentdb-3",
        "bangiao-1",
        "bangiao-2",
        "proxy",
    ] {
        assert!(names.contains(expected), "service {expected}");
    }
    let declared: BTreeSet<&str> = compose["volumes"]
        .as_mapping()
        .expect("volumes")
        .keys()
        .map(s)
        .collect();
    let mut used = BTreeSet::new();
    for (name, service) in services {
        for mount in service["volumes"].as_sequence().into_iter().flatten() {
            let source = s(mount).split(':').next().expect("source");
            if !source.starts_with('.') {
                assert!(
                    declared.contains(source),
                    "{name:?}: volume {source} not declared"
                );
                used.insert(source.to_owned());
            } else {
                assert!(
                    source.starts_with("./certs") || source == "./nginx.conf",
                    "{name:?}: unexpected host path {source}"
                );
            }
        }
        for dependency in service["depends_on"].as_mapping().into_iter().flatten() {
            assert!(
                names.contains(s(dependency.0)),
                "{name:?} depends on a missing service"
            );
        }
    }
    assert_eq!(
        used,
        declared
            .iter()
            .map(|v| (*v).to_owned())
            .collect::<BTreeSet<_>>(),
        "every declared volume is used"
    );

    // The certificates: one per node, named as the node, at its fixed address.
    let certs = s(&seq(&services[&Value::from("certs")]["command"])[1]).to_owned();
    assert!(certs.contains("-dns-names kurrentdb-$$n") && certs.contains("-out ./node$$n"));
    let mut node_port = None;
    for n in 1..=3 {
        let node = &services[&Value::from(format!("kurrentdb-{n}"))];
        let env = &node["environment"];
        assert_eq!(s(&node["hostname"]), format!("kurrentdb-{n}"));
        assert_eq!(
            s(&env["KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS"]),
            format!("kurrentdb-{n}")
        );
        let ip = format!("172.30.240.1{n}");
        assert!(certs.contains("172.30.240.1$$n"));
        assert_eq!(s(&env["KURRENTDB_REPLICATION_IP"]), ip);
        assert_eq!(s(&node["networks"]["cluster"]["ipv4_address"]), ip);
        let seeds = s(&env["KURRENTDB_GOSSIP_SEED"]);
        for other in (1..=3).filter(|o| *o != n) {
            assert!(
                seeds.contains(&format!("172.30.240.1{other}:2113")),
                "{seeds}"
            );
        }
        assert_eq!(s(&env["KURRENTDB_CLUSTER_SIZE"]), "3");
        assert!(s(&env["KURRENTDB_CERTIFICATE_FILE"]).contains(&format!("/node{n}/")));
        let certs_mount = seq(&node["volumes"])
            .iter()
            .map(s)
            .find(|m| m.starts_with("./certs:"))
            .expect("certificates mounted");
        let inside = certs_mount.split(':').nth(1).expect("target");
        assert!(s(&env["KURRENTDB_CERTIFICATE_FILE"]).starts_with(inside));
        assert!(s(&env["KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH"]).starts_with(inside));
        let health = seq(&node["healthcheck"]["test"])
            .iter()
            .map(s)
            .collect::<Vec<_>>();
        let (port, _) = url_port_path(health.last().expect("url"));
        node_port = Some(port);
    }

    // The replicas: what the binary reads, its port, its data volume, the cluster it names.
    let mut upstream_expected = BTreeSet::new();
    for name in ["bangiao-1", "bangiao-2"] {
        let replica = &services[&Value::from(name)];
        let env: BTreeMap<String, String> = replica["environment"]
            .as_mapping()
            .expect("environment")
            .iter()
            .map(|(k, v)| (s(k).to_owned(), s(v).to_owned()))
            .collect();
        check_env(name, env.keys().cloned(), &known);
        let port = port_of(&env["BANGIAO_ADDR"]);
        upstream_expected.insert(format!("{name}:{port}"));
        let health = seq(&replica["healthcheck"]["test"])
            .iter()
            .map(s)
            .collect::<Vec<_>>();
        let (health_port, path) = url_port_path(health.last().expect("url"));
        assert_eq!(
            health_port, port,
            "{name}: health check on the listening port"
        );
        assert!(routes.contains(&path), "{name}: {path} is not a route");
        let mounts: Vec<&str> = seq(&replica["volumes"]).iter().map(s).collect();
        assert!(
            mounts
                .iter()
                .any(|m| m.ends_with(&format!(":{}", env["BANGIAO_DATA_DIR"]))
                    && m.starts_with(&format!("{name}-data:"))),
            "{name}: its own volume on BANGIAO_DATA_DIR"
        );
        let (hosts, ca) = store_hosts(&env["BANGIAO_STORE"]);
        let hosts: Vec<String> = hosts
            .into_iter()
            .map(|(host, p)| {
                assert_eq!(Some(p), node_port, "KurrentDB's port");
                host
            })
            .collect();
        assert_eq!(hosts, vec!["kurrentdb-1", "kurrentdb-2", "kurrentdb-3"]);
        assert!(
            mounts.iter().any(|m| {
                let mut parts = m.split(':');
                let (source, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                source == "./certs/ca" && ca == format!("{target}/ca.crt")
            }),
            "{name}: tlsCaFile {ca} is the generated CA, mounted"
        );
        let depends = replica["depends_on"].as_mapping().expect("depends_on");
        for n in 1..=3 {
            assert_eq!(
                s(&depends[&Value::from(format!("kurrentdb-{n}"))]["condition"]),
                "service_healthy"
            );
        }
    }

    // The proxy sends to exactly the replicas, on their port.
    let nginx = read("deploy/compose/nginx.conf");
    let block = nginx.split("upstream bangiao {").nth(1).expect("upstream");
    let block = &block[..block.find('}').expect("end of upstream")];
    assert!(nginx.contains("proxy_pass http://bangiao;"));
    let upstream: BTreeSet<String> = block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("server "))
        .filter_map(|l| l.split_whitespace().next())
        .map(|l| l.trim_end_matches(';').to_owned())
        .collect();
    assert_eq!(upstream, upstream_expected);
    let proxy = &services[&Value::from("proxy")];
    assert!(
        seq(&proxy["volumes"])
            .iter()
            .any(|m| s(m).starts_with("./nginx.conf:"))
    );
    let listen: u16 = nginx
        .lines()
        .find_map(|l| l.trim().strip_prefix("listen "))
        .and_then(|l| l.trim_end_matches(';').parse().ok())
        .expect("listen");
    assert!(
        seq(&proxy["ports"])
            .iter()
            .any(|p| s(p).ends_with(&format!(":{listen}")))
    );

    // The image the replicas run.
    let dockerfile = read("deploy/Dockerfile");
    assert!(dockerfile.contains("cargo build --release --locked -p bangiao-cli"));
    assert_eq!(
        s(&services[&Value::from("bangiao-1")]["build"]["dockerfile"]),
        "deploy/Dockerfile"
    );
    let env_names: Vec<String> = dockerfile
        .split_whitespace()
        .filter(|w| w.starts_with("BANGIAO_") && w.contains('='))
        .filter_map(|w| w.split('=').next())
        .map(str::to_owned)
        .collect();
    assert!(!env_names.is_empty());
    check_env("Dockerfile", env_names, &known);
    let expose: u16 = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("EXPOSE "))
        .and_then(|p| p.trim().parse().ok())
        .expect("EXPOSE");
    assert!(dockerfile.contains(&format!("BANGIAO_ADDR=0.0.0.0:{expose}")));
    let health_url = dockerfile
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a health check");
    let (port, path) = url_port_path(health_url);
    assert_eq!(port, expose);
    assert!(routes.contains(&path));
}

/// Every object of the manifests, by kind and name.
fn manifests() -> BTreeMap<(String, String), Value> {
    let kustomization = yaml_docs("deploy/k8s/kustomization.yaml").remove(0);
    let resources: Vec<&str> = seq(&kustomization["resources"]).iter().map(s).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("deploy/k8s"))
        .expect("deploy/k8s")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && n != "kustomization.yaml")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = resources.iter().map(|r| (*r).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk, "kustomization lists every manifest");
    let mut out = BTreeMap::new();
    for file in resources {
        for doc in yaml_docs(&format!("deploy/k8s/{file}")) {
            let key = (
                s(&doc["kind"]).to_owned(),
                s(&doc["metadata"]["name"]).to_owned(),
            );
            if key.0 != "Namespace" {
                assert_eq!(s(&doc["metadata"]["namespace"]), "bangiao", "{key:?}");
            }
            assert!(out.insert(key.clone(), doc).is_none(), "{key:?} twice");
        }
    }
    out
}

fn get<'a>(all: &'a BTreeMap<(String, String), Value>, kind: &str, name: &str) -> &'a Value {
    all.get(&(kind.to_owned(), name.to_owned()))
        .unwrap_or_else(|| panic!("{kind} {name} missing"))
}

/// A Secret key named by the manifests exists in them or is made by a documented command.
fn secret_exists(all: &BTreeMap<(String, String), Value>, name: &str, key: &str, docs: &str) {
    match all.get(&("Secret".to_owned(), name.to_owned())) {
        Some(secret) => assert!(
            !secret["stringData"][key].is_null(),
            "secret {name} has no key {key}"
        ),
        None => assert!(
            docs.contains(&format!("kubectl -n bangiao create secret generic {name}"))
                && docs.contains(&format!("--from-file={key}=")),
            "secret {name} (key {key}) is neither in the manifests nor made in docs/operations.md"
        ),
    }
}

#[test]
fn the_kubernetes_manifests_agree_with_each_other_and_the_binary() {
    let known = binary_env();
    let routes = server_paths();
    let docs = read("docs/operations.md");
    let all = manifests();
    let deployment = get(&all, "Deployment", "bangiao");
    let pod = &deployment["spec"]["template"];
    assert_eq!(
        pod["metadata"]["labels"],
        deployment["spec"]["selector"]["matchLabels"]
    );
    let container = &seq(&pod["spec"]["containers"])[0];
    let ports: BTreeMap<&str, u64> = seq(&container["ports"])
        .iter()
        .map(|p| (s(&p["name"]), p["containerPort"].as_u64().expect("port")))
        .collect();

    // Probes: the health routes, on a declared port.
    for (probe, path) in [
        ("livenessProbe", "/health/live"),
        ("readinessProbe", "/health/ready"),
        ("startupProbe", "/health/live"),
    ] {
        let get = &container[probe]["httpGet"];
        assert_eq!(s(&get["path"]), path, "{probe}");
        assert!(routes.contains(path), "{path} is a route");
        assert!(ports.contains_key(s(&get["port"])), "{probe} port");
    }

    // Environment: only what the binary reads; secrets that exist.
    let env = seq(&container["env"]);
    check_env(
        "Deployment",
        env.iter().map(|e| s(&e["name"]).to_owned()),
        &known,
    );
    let value_of = |name: &str| env.iter().find(|e| s(&e["name"]) == name).expect(name);
    for e in env {
        if let Some(secret) = e["valueFrom"]["secretKeyRef"].as_mapping() {
            let secret = Value::Mapping(secret.clone());
            secret_exists(&all, s(&secret["name"]), s(&secret["key"]), &docs);
        }
    }

    // Volumes: every mount declared; the config file where BANGIAO_CONFIG says.
    let volumes: BTreeMap<&str, &Value> = seq(&pod["spec"]["volumes"])
        .iter()
        .map(|v| (s(&v["name"]), v))
        .collect();
    let mounts: BTreeMap<&str, &str> = seq(&container["volumeMounts"])
        .iter()
        .map(|m| (s(&m["name"]), s(&m["mountPath"])))
        .collect();
    for name in mounts.keys() {
        assert!(volumes.contains_key(name), "mount {name} has no volume");
    }
    let config_volume = volumes["config"];
    let config_map = get(&all, "ConfigMap", s(&config_volume["configMap"]["name"]));
    let config_path = s(&value_of("BANGIAO_CONFIG")["value"]);
    let file = config_path
        .strip_prefix(&format!("{}/", mounts["config"]))
        .expect("BANGIAO_CONFIG is in the config mount");
    let toml_text = s(&config_map["data"][file]);
    let config: toml::Table = toml::from_str(toml_text).expect("the config is TOML");
    let keys = config_keys();
    for key in config.keys() {
        assert!(
            keys.contains(key),
            "config key {key} is not one the binary reads"
        );
    }
    let addr = config["addr"].as_str().expect("addr");
    assert_eq!(
        u64::from(port_of(addr)),
        ports["http"],
        "listens on the container port"
    );
    let data_dir = config["data_dir"].as_str().expect("data_dir");
    assert_eq!(
        mounts["data"], data_dir,
        "the data volume is the data directory"
    );
    for v in volumes.values() {
        if let Some(secret) = v["secret"].as_mapping() {
            let secret = Value::Mapping(secret.clone());
            for item in seq(&secret["items"]) {
                secret_exists(&all, s(&secret["secretName"]), s(&item["key"]), &docs);
            }
        }
    }

    // The Service reaches the container's port.
    let service = get(&all, "Service", "bangiao");
    assert_eq!(service["spec"]["selector"], pod["metadata"]["labels"]);
    for p in seq(&service["spec"]["ports"]) {
        assert!(ports.contains_key(s(&p["targetPort"])));
    }

    // The store: the StatefulSet's pods, through its headless Service, with TLS and our CA.
    let statefulset = get(&all, "StatefulSet", "kurrentdb");
    let headless = get(&all, "Service", s(&statefulset["spec"]["serviceName"]));
    assert_eq!(headless["spec"]["clusterIP"], Value::from("None"));
    assert_eq!(
        headless["spec"]["selector"],
        statefulset["spec"]["template"]["metadata"]["labels"]
    );
    let replicas = statefulset["spec"]["replicas"].as_u64().expect("replicas");
    let kurrent = &seq(&statefulset["spec"]["template"]["spec"]["containers"])[0];
    let kurrent_port = seq(&kurrent["ports"])
        .iter()
        .find(|p| s(&p["name"]) == "http")
        .and_then(|p| p["containerPort"].as_u64())
        .expect("http port");
    let store_secret = {
        let e = value_of("BANGIAO_STORE");
        let r = &e["valueFrom"]["secretKeyRef"];
        s(&get(&all, "Secret", s(&r["name"]))["stringData"][s(&r["key"])]).to_owned()
    };
    let (hosts, ca) = store_hosts(&store_secret);
    let expected: Vec<(String, u16)> = (0..replicas)
        .map(|i| {
            (
                format!("kurrentdb-{i}.kurrentdb.bangiao.svc.cluster.local"),
                kurrent_port as u16,
            )
        })
        .collect();
    assert_eq!(hosts, expected);
    let ca_file = ca
        .strip_prefix(&format!("{}/", mounts["kurrentdb-ca"]))
        .expect("tlsCaFile is in the CA mount");
    assert!(
        seq(&volumes["kurrentdb-ca"]["secret"]["items"])
            .iter()
            .any(|i| s(&i["path"]) == ca_file)
    );
    let kenv = seq(&kurrent["env"]);
    let kvalue = |name: &str| {
        kenv.iter()
            .find(|e| s(&e["name"]) == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        s(&kvalue("KURRENTDB_CLUSTER_SIZE")["value"]),
        replicas.to_string()
    );
    assert_eq!(
        s(&kvalue("KURRENTDB_CLUSTER_DNS")["value"]),
        format!(
            "{}.bangiao.svc.cluster.local",
            s(&headless["metadata"]["name"])
        )
    );
    let admin = &kvalue("KURRENTDB_DEFAULT_ADMIN_PASSWORD")["valueFrom"]["secretKeyRef"];
    let admin_password = s(&get(&all, "Secret", s(&admin["name"]))["stringData"][s(&admin["key"])]);
    assert!(
        store_secret.starts_with(&format!("kurrentdb://admin:{admin_password}@")),
        "the service logs in with the admin password the cluster starts with"
    );
    let kmounts: BTreeMap<&str, &str> = seq(&kurrent["volumeMounts"])
        .iter()
        .map(|m| (s(&m["name"]), s(&m["mountPath"])))
        .collect();
    let tls = seq(&statefulset["spec"]["template"]["spec"]["volumes"])
        .iter()
        .find(|v| s(&v["name"]) == "tls")
        .expect("tls volume");
    let secret_name = s(&tls["secret"]["secretName"]);
    for item in seq(&tls["secret"]["items"]) {
        secret_exists(&all, secret_name, s(&item["key"]), &docs);
    }
    for file_var in [
        "KURRENTDB_CERTIFICATE_FILE",
        "KURRENTDB_CERTIFICATE_PRIVATE_KEY_FILE",
    ] {
        let path = s(&kvalue(file_var)["value"]);
        let relative = path
            .strip_prefix(&format!("{}/", kmounts["tls"]))
            .expect("in the TLS mount");
        assert!(
            seq(&tls["secret"]["items"])
                .iter()
                .any(|i| s(&i["path"]) == relative),
            "{file_var}"
        );
    }
    let data_claim = s(&seq(&statefulset["spec"]["volumeClaimTemplates"])[0]["metadata"]["name"]);
    assert!(kmounts.contains_key(data_claim));
}

#[test]
fn the_single_server_files_agree_with_the_binary() {
    let known = binary_env();
    let keys = config_keys();
    let example: toml::Table = toml::from_str(&read("deploy/bangiao.toml")).expect("TOML");
    for key in example.keys() {
        assert!(
            keys.contains(key),
            "deploy/bangiao.toml: {key} is not read by the binary"
        );
    }
    assert!(
        keys.contains("store"),
        "the store can be named in the config file"
    );
    let unit = read("deploy/systemd/bangiao.service");
    let settings: Vec<(&str, &str)> = unit
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .collect();
    let setting = |name: &str| {
        settings
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let environment: BTreeMap<&str, &str> = settings
        .iter()
        .filter(|(k, _)| *k == "Environment")
        .filter_map(|(_, v)| v.split_once('='))
        .collect();
    check_env(
        "bangiao.service",
        environment.keys().map(|k| (*k).to_owned()),
        &known,
    );
    assert_eq!(
        environment["BANGIAO_DATA_DIR"],
        format!("/var/lib/{}", setting("StateDirectory"))
    );
    assert_eq!(
        example["data_dir"].as_str(),
        Some(environment["BANGIAO_DATA_DIR"])
    );
    assert_eq!(
        environment["BANGIAO_CONFIG"],
        format!("/etc/{}/bangiao.toml", setting("ConfigurationDirectory"))
    );
    let exec: Vec<&str> = setting("ExecStart").split_whitespace().collect();
    assert_eq!(exec, vec!["/usr/local/bin/bangiao", "serve"]);
    let serve = Command::new(env!("CARGO_BIN_EXE_bangiao"))
        .args(["serve", "--help"])
        .output()
        .expect("runs");
    assert!(serve.status.success());
    assert!(unit.contains("install -D -m 0644 deploy/bangiao.toml /etc/bangiao/bangiao.toml"));
}
