//! The PostgreSQL deployment files agree with each other and with the binary (as
//! `tests/deploy.rs` does for the KurrentDB ones): deploy/compose/compose.postgres.yaml with
//! postgres/node.sh, and the kustomization in deploy/k8s/postgres. Checked: the replicas name
//! both database nodes with `target_session_attrs=read-write`, each node's peer is the other
//! one, exactly one starts as the first primary, every node name is a synchronous standby
//! name, the scripts mounted exist (and the Kubernetes copy equals the compose one), volumes
//! are declared and used, health checks hit routes, and every BANGIAO_* variable is read by
//! the binary.

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

/// The BANGIAO_* variables `bangiao serve --help` names.
fn binary_env() -> BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_bangiao"))
        .args(["serve", "--help"])
        .output()
        .expect("the binary runs");
    let mut names: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .split("[env: ")
        .skip(1)
        .map(|p| {
            p.chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect()
        })
        .collect();
    names.insert("BANGIAO_LOG".into());
    names
}

/// The health routes the server mounts.
fn health_routes() -> BTreeSet<String> {
    let router = read("crates/server/src/router.rs");
    ["live", "ready"]
        .into_iter()
        .filter(|h| router.contains(&format!("health::{h}")))
        .map(|h| format!("/health/{h}"))
        .collect()
}

/// `postgres://user:pw@h1:p1,h2:p2/db?opts` → ([(h1, p1), (h2, p2)], db, opts).
fn postgres_hosts(url: &str) -> (Vec<(String, u16)>, String, Vec<String>) {
    let rest = url
        .strip_prefix("postgres://")
        .expect("a postgres:// string");
    let rest = &rest[rest.find('@').map_or(0, |i| i + 1)..];
    let (hosts, tail) = rest.split_once('/').expect("a database");
    let (database, query) = tail.split_once('?').unwrap_or((tail, ""));
    let hosts = hosts
        .split(',')
        .map(|h| {
            let (host, port) = h.rsplit_once(':').expect("host:port");
            (host.to_owned(), port.parse().expect("port"))
        })
        .collect();
    (
        hosts,
        database.to_owned(),
        query.split('&').map(str::to_owned).collect(),
    )
}

/// The application names node.sh makes synchronous standbys.
fn synchronous_names(script: &str) -> Vec<String> {
    let line = script
        .lines()
        .find(|l| l.contains("synchronous_standby_names="))
        .expect("synchronous_standby_names in node.sh");
    let inside = line
        .split('(')
        .nth(1)
        .and_then(|r| r.split(')').next())
        .expect("ANY 1 (…)");
    assert!(line.contains("ANY 1 ("), "{line}");
    assert!(script.contains("synchronous_commit=on"));
    inside.split(',').map(|n| n.trim().to_owned()).collect()
}

#[test]
fn the_postgres_compose_file_agrees_with_its_scripts_nginx_and_the_binary() {
    let known = binary_env();
    let routes = health_routes();
    let node_script = read("deploy/compose/postgres/node.sh");
    let sync_names = synchronous_names(&node_script);
    let compose = yaml_docs("deploy/compose/compose.postgres.yaml").remove(0);
    let services = compose["services"].as_mapping().expect("services");
    let names: BTreeSet<&str> = services.keys().map(s).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "postgres-1",
            "postgres-2",
            "bangiao-1",
            "bangiao-2",
            "proxy"
        ])
    );
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
            if source.starts_with('.') {
                assert!(
                    root().join("deploy/compose").join(source).is_file(),
                    "{name:?}: {source} does not exist"
                );
            } else {
                assert!(declared.contains(source), "{name:?}: {source} not declared");
                used.insert(source);
            }
        }
        for dependency in service["depends_on"].as_mapping().into_iter().flatten() {
            assert!(
                names.contains(s(dependency.0)),
                "{name:?}: missing dependency"
            );
            assert_eq!(s(&dependency.1["condition"]), "service_healthy");
        }
    }
    assert_eq!(used, declared, "every declared volume is used");

    // The database nodes: each other's peer, one first primary, names that are synchronous.
    let mut first_primaries = 0;
    for (node, peer) in [("postgres-1", "postgres-2"), ("postgres-2", "postgres-1")] {
        let service = &services[&Value::from(node)];
        let env = &service["environment"];
        assert_eq!(s(&service["hostname"]), node);
        assert_eq!(s(&env["PEER_HOST"]), peer);
        assert!(
            sync_names.iter().any(|n| n == s(&env["NODE_NAME"])),
            "{node}: {} is not among the synchronous standby names {sync_names:?}",
            s(&env["NODE_NAME"])
        );
        if s(&env["INITIAL_PRIMARY"]) == "true" {
            first_primaries += 1;
        }
        let mounts: Vec<&str> = seq(&service["volumes"]).iter().map(s).collect();
        assert!(mounts.contains(&"./postgres/node.sh:/usr/local/bin/node.sh:ro"));
        assert!(
            seq(&service["entrypoint"])
                .iter()
                .any(|w| s(w) == "/usr/local/bin/node.sh")
        );
        assert!(
            mounts
                .iter()
                .any(|m| m
                    .starts_with("./postgres/init-replication.sh:/docker-entrypoint-initdb.d/"))
        );
        let data = s(&env["PGDATA"]);
        assert!(
            mounts.iter().any(|m| {
                let target = m.split(':').nth(1).unwrap_or("");
                m.starts_with(&format!("{node}-data:")) && data.starts_with(target)
            }),
            "{node}: PGDATA {data} on its own volume"
        );
    }
    assert_eq!(
        first_primaries, 1,
        "exactly one node starts as the first primary"
    );

    // The replicas: what the binary reads, both nodes with read-write, health on their port.
    let mut upstream_expected = BTreeSet::new();
    for name in ["bangiao-1", "bangiao-2"] {
        let replica = &services[&Value::from(name)];
        let env: BTreeMap<String, String> = replica["environment"]
            .as_mapping()
            .expect("environment")
            .iter()
            .map(|(k, v)| (s(k).to_owned(), s(v).to_owned()))
            .collect();
        for key in env.keys().filter(|k| k.starts_with("BANGIAO_")) {
            assert!(
                known.contains(key),
                "{name}: {key} is not read by the binary"
            );
        }
        let (hosts, database, options) = postgres_hosts(&env["BANGIAO_STORE"]);
        assert_eq!(
            hosts,
            vec![
                ("postgres-1".to_owned(), 5432),
                ("postgres-2".to_owned(), 5432)
            ]
        );
        assert_eq!(
            database,
            s(&services[&Value::from("postgres-1")]["environment"]["POSTGRES_DB"])
        );
        assert!(
            options
                .iter()
                .any(|o| o == "target_session_attrs=read-write"),
            "{name}: the replicas must look for the primary"
        );
        let port = env["BANGIAO_ADDR"].rsplit(':').next().expect("port");
        upstream_expected.insert(format!("{name}:{port}"));
        let health = seq(&replica["healthcheck"]["test"]);
        let url = s(health.last().expect("url"));
        assert!(
            url.contains(&format!(":{port}/")),
            "{name}: health on its port"
        );
        let path = &url[url.rfind(&format!(":{port}")).expect("port") + port.len() + 1..];
        assert!(routes.contains(path), "{name}: {path} is not a route");
    }
    let nginx = read("deploy/compose/nginx.conf");
    let block = nginx.split("upstream bangiao {").nth(1).expect("upstream");
    let upstream: BTreeSet<String> = block[..block.find('}').expect("end")]
        .lines()
        .filter_map(|l| l.trim().strip_prefix("server "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert_eq!(
        upstream, upstream_expected,
        "the proxy sends to both replicas"
    );
}

#[test]
fn the_postgres_kubernetes_overlay_agrees_with_its_base_and_the_binary() {
    let dir = "deploy/k8s/postgres";
    assert_eq!(
        read(&format!("{dir}/node.sh")),
        read("deploy/compose/postgres/node.sh"),
        "the Kubernetes copy of node.sh is the compose one"
    );
    assert_eq!(
        read(&format!("{dir}/init-replication.sh")),
        read("deploy/compose/postgres/init-replication.sh")
    );
    let kustomization = yaml_docs(&format!("{dir}/kustomization.yaml")).remove(0);
    let mut all: BTreeMap<(String, String), Value> = BTreeMap::new();
    for resource in seq(&kustomization["resources"]).iter().map(s) {
        for doc in yaml_docs(&format!("{dir}/{resource}")) {
            let key = (
                s(&doc["kind"]).to_owned(),
                s(&doc["metadata"]["name"]).to_owned(),
            );
            assert!(all.insert(key.clone(), doc).is_none(), "{key:?} twice");
        }
    }
    let generated = &seq(&kustomization["configMapGenerator"])[0];
    for file in seq(&generated["files"]).iter().map(s) {
        assert!(root().join(dir).join(file).is_file(), "{file}");
    }
    let get = |kind: &str, name: &str| {
        all.get(&(kind.to_owned(), name.to_owned()))
            .unwrap_or_else(|| panic!("{kind} {name} missing"))
    };

    // The patch removes the KurrentDB certificate from the base Deployment, nothing else.
    let deployment = get("Deployment", "bangiao");
    let pod = &deployment["spec"]["template"]["spec"];
    let patch = s(&seq(&kustomization["patches"])[0]["patch"]);
    assert_eq!(
        s(&seq(&pod["containers"])[0]["volumeMounts"][2]["name"]),
        "kurrentdb-ca"
    );
    assert_eq!(s(&pod["volumes"][2]["name"]), "kurrentdb-ca");
    assert!(patch.contains("/spec/template/spec/containers/0/volumeMounts/2"));
    assert!(patch.contains("/spec/template/spec/volumes/2"));
    assert_eq!(patch.matches("op: remove").count(), 2);
    let container = &seq(&pod["containers"])[0];
    let store_ref = seq(&container["env"])
        .iter()
        .find(|e| s(&e["name"]) == "BANGIAO_STORE")
        .expect("BANGIAO_STORE");
    let secret = &store_ref["valueFrom"]["secretKeyRef"];
    let store = s(&get("Secret", s(&secret["name"]))["stringData"][s(&secret["key"])]);

    // The store names both pods of the StatefulSet through its headless Service.
    let sts = get("StatefulSet", "postgres");
    let service = get("Service", "postgres");
    assert_eq!(s(&service["spec"]["clusterIP"]), "None");
    assert_eq!(s(&sts["spec"]["serviceName"]), "postgres");
    assert_eq!(sts["spec"]["replicas"].as_u64(), Some(2));
    let port = service["spec"]["ports"][0]["port"].as_u64().expect("port") as u16;
    let (hosts, database, options) = postgres_hosts(store);
    let expected: Vec<(String, u16)> = (0..2)
        .map(|n| {
            (
                format!("postgres-{n}.postgres.bangiao.svc.cluster.local"),
                port,
            )
        })
        .collect();
    assert_eq!(hosts, expected);
    assert!(
        options
            .iter()
            .any(|o| o == "target_session_attrs=read-write")
    );
    let node = &seq(&sts["spec"]["template"]["spec"]["containers"])[0];
    let env_value = |name: &str| {
        seq(&node["env"])
            .iter()
            .find(|e| s(&e["name"]) == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    assert_eq!(s(&env_value("POSTGRES_DB")["value"]), database);
    for name in ["POSTGRES_PASSWORD", "REPLICATION_PASSWORD"] {
        let reference = &env_value(name)["valueFrom"]["secretKeyRef"];
        let secret = get("Secret", s(&reference["name"]));
        assert!(
            !secret["stringData"][s(&reference["key"])].is_null(),
            "{name}"
        );
    }
    // The pods' node names (postgres_0, postgres_1) are synchronous standby names.
    let args = s(&seq(&node["args"])[0]);
    assert!(args.contains("NODE_NAME=\"postgres_${ordinal}\""), "{args}");
    assert!(args.contains("/scripts/node.sh"));
    let sync_names = synchronous_names(&read(&format!("{dir}/node.sh")));
    for n in 0..2 {
        assert!(
            sync_names.contains(&format!("postgres_{n}")),
            "{sync_names:?}"
        );
    }
    let volumes = seq(&sts["spec"]["template"]["spec"]["volumes"]);
    assert!(
        volumes
            .iter()
            .any(|v| s(&v["configMap"]["name"]) == s(&generated["name"]))
    );
}
