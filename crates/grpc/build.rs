//! Compiles proto/bangiao/v1 with protox (pure Rust: no system `protoc`), generates the messages
//! (with serde, so stored JSON payloads convert field by field) and the tonic services, and
//! keeps the descriptor set for the compatibility test.

use std::path::PathBuf;

use prost::Message;

const FILES: [&str; 5] = [
    "bangiao/v1/common.proto",
    "bangiao/v1/events.proto",
    "bangiao/v1/commands.proto",
    "bangiao/v1/queries.proto",
    "bangiao/v1/service.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("../../proto");
    println!("cargo:rerun-if-changed={}", root.display());
    let descriptors = protox::compile(FILES, [&root])?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("bangiao_v1.bin"), descriptors.encode_to_vec())?;
    tonic_build::configure()
        .message_attribute(".", "#[derive(serde::Serialize, serde::Deserialize)]")
        .message_attribute(".", "#[serde(deny_unknown_fields)]")
        .enum_attribute(".", "#[derive(serde::Serialize, serde::Deserialize)]")
        .field_attribute(
            ".bangiao.v1.Correction.old_value",
            "#[serde(with = \"crate::convert::correction_value\")]",
        )
        .field_attribute(
            ".bangiao.v1.Correction.new_value",
            "#[serde(with = \"crate::convert::correction_value\")]",
        )
        .field_attribute(
            ".bangiao.v1.DestructionExecuted.deleted_copies",
            "#[serde(default, skip_serializing_if = \"Vec::is_empty\")]",
        )
        .compile_fds(descriptors)?;
    Ok(())
}
