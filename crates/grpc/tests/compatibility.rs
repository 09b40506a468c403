//! `buf breaking`, by hand: `proto/v1-descriptors.txt` holds every field, reserved number and
//! method of package bangiao.v1 as published. The test fails when a published field number
//! changes name, type, cardinality or oneof, when a field disappears without its number and name
//! being reserved, when a reserved number is used again, or when a method changes its types. New
//! fields, messages and methods must be added to the file (append-only): run the test with
//! `BANGIAO_BLESS_PROTO=1` to add them; it never removes a line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use bangiao_grpc::pb;
use prost::Message;
use prost_types::FileDescriptorSet;
use prost_types::field_descriptor_proto::Label;

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto/v1-descriptors.txt")
}

/// The contract as lines: `field MSG NUMBER NAME LABEL TYPE…`, `reserved MSG NUMBER|NAME`,
/// `rpc SERVICE.METHOD INPUT OUTPUT STREAMING`.
fn describe(set: &FileDescriptorSet) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    for file in set.file.iter().filter(|f| f.package() == "bangiao.v1") {
        for message in &file.message_type {
            assert!(
                message.nested_type.is_empty(),
                "nested messages are not described"
            );
            let name = format!("bangiao.v1.{}", message.name());
            for field in &message.field {
                let label = match field.label() {
                    Label::Repeated => "repeated",
                    _ if field.proto3_optional() => "optional",
                    _ => "singular",
                };
                let oneof = field
                    .oneof_index
                    .filter(|_| !field.proto3_optional())
                    .and_then(|i| message.oneof_decl.get(i as usize))
                    .map(|o| format!(" oneof={}", o.name()))
                    .unwrap_or_default();
                let type_name = match field.type_name() {
                    "" => String::new(),
                    named => format!(" {named}"),
                };
                lines.insert(format!(
                    "field {name} {} {} {label} {:?}{type_name}{oneof}",
                    field.number(),
                    field.name(),
                    field.r#type(),
                ));
            }
            for range in &message.reserved_range {
                for number in range.start()..range.end() {
                    lines.insert(format!("reserved {name} {number}"));
                }
            }
            for reserved in &message.reserved_name {
                lines.insert(format!("reserved {name} {reserved}"));
            }
        }
        for service in &file.service {
            for method in &service.method {
                lines.insert(format!(
                    "rpc bangiao.v1.{}.{} {} {} client_streaming={} server_streaming={}",
                    service.name(),
                    method.name(),
                    method.input_type(),
                    method.output_type(),
                    method.client_streaming(),
                    method.server_streaming()
                ));
            }
        }
    }
    lines
}

/// The key a line is identified by: a field's message and number, a method's name.
fn key(line: &str) -> String {
    line.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What breaks compatibility between the published lines and the current ones.
fn breaking(published: &BTreeSet<String>, current: &BTreeSet<String>) -> Vec<String> {
    let now: BTreeMap<String, &String> = current
        .iter()
        .filter(|l| !l.starts_with("reserved"))
        .map(|l| (key(l), l))
        .collect();
    let mut problems = Vec::new();
    for line in published {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.first().copied() {
            Some("field") => match now.get(&key(line)) {
                Some(found) if *found == line => {}
                Some(found) => problems.push(format!(
                    "field number changed meaning: {line} is now {found}"
                )),
                None => {
                    let (message, number, name) = (parts[1], parts[2], parts[3]);
                    for reserved in [number, name] {
                        if !current.contains(&format!("reserved {message} {reserved}")) {
                            problems.push(format!("removed without reserving {reserved}: {line}"));
                        }
                    }
                }
            },
            Some("reserved") => {
                let (message, what) = (parts[1], parts[2]);
                if !current.contains(line) {
                    problems.push(format!("no longer reserved: {line}"));
                }
                let reused = current.iter().any(|l| {
                    let p: Vec<&str> = l.split_whitespace().collect();
                    p[0] == "field" && p[1] == message && (p[2] == what || p[3] == what)
                });
                if reused {
                    problems.push(format!("reserved number or name used again: {line}"));
                }
            }
            Some("rpc") => match now.get(&key(line)) {
                Some(found) if *found == line => {}
                Some(found) => problems.push(format!("method changed: {line} is now {found}")),
                None => problems.push(format!("method removed: {line}")),
            },
            _ => problems.push(format!("unreadable line: {line}")),
        }
    }
    problems
}

fn read_snapshot() -> BTreeSet<String> {
    std::fs::read_to_string(snapshot_path())
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_v1_descriptors_keep_every_published_field_number() {
    let set = FileDescriptorSet::decode(pb::FILE_DESCRIPTOR_SET).expect("descriptors");
    let current = describe(&set);
    let published = read_snapshot();
    let problems = breaking(&published, &current);
    assert!(
        problems.is_empty(),
        "breaking changes to bangiao.v1:\n{}",
        problems.join("\n")
    );
    let new: Vec<&String> = current.difference(&published).collect();
    if std::env::var_os("BANGIAO_BLESS_PROTO").is_some() {
        let all: BTreeSet<&String> = published.iter().chain(&current).collect();
        let mut text = String::from(
            "# Published contract of package bangiao.v1 (append-only; see crates/grpc/tests/compatibility.rs).\n",
        );
        for line in all {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::write(snapshot_path(), text).expect("write the snapshot");
        return;
    }
    assert!(
        new.is_empty(),
        "not yet in proto/v1-descriptors.txt (run with BANGIAO_BLESS_PROTO=1 to add):\n{}",
        new.iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn lines(text: &[&str]) -> BTreeSet<String> {
    text.iter().map(|l| (*l).to_owned()).collect()
}

#[test]
fn a_renumbered_or_retyped_field_is_caught() {
    let published = lines(&[
        "field bangiao.v1.FileRecorded 3 start_date singular String",
        "field bangiao.v1.FileRecorded 9 sheets optional Uint32",
    ]);
    let renamed = lines(&[
        "field bangiao.v1.FileRecorded 3 end_date singular String",
        "field bangiao.v1.FileRecorded 9 sheets optional Uint32",
    ]);
    assert_eq!(breaking(&published, &renamed).len(), 1);
    let retyped = lines(&[
        "field bangiao.v1.FileRecorded 3 start_date singular String",
        "field bangiao.v1.FileRecorded 9 sheets optional Uint64",
    ]);
    assert_eq!(breaking(&published, &retyped).len(), 1);
}

#[test]
fn a_removed_field_must_leave_its_number_and_name_reserved_for_good() {
    let published = lines(&["field bangiao.v1.FileFound 2 found_on singular String "]);
    assert_eq!(breaking(&published, &BTreeSet::new()).len(), 2);
    let reserved = lines(&[
        "reserved bangiao.v1.FileFound 2",
        "reserved bangiao.v1.FileFound found_on",
    ]);
    assert!(breaking(&published, &reserved).is_empty());
    let reused = lines(&[
        "reserved bangiao.v1.FileFound 2",
        "reserved bangiao.v1.FileFound found_on",
        "field bangiao.v1.FileFound 2 found_at singular String",
    ]);
    let mut published_later = reserved.clone();
    published_later.extend(published);
    assert!(!breaking(&published_later, &reused).is_empty());
}
