//! The spreadsheet importer on any bytes: XLSX or CSV detection, the zip-bomb and size guards,
//! header recognition and every cell parser, through a dry run into an open fonds.
//! Whatever the bytes, the importer answers a report or an error; a panic is a finding.

#![no_main]

use std::sync::OnceLock;

use bangiao_documents::import::harness::Harness;
use libfuzzer_sys::fuzz_target;

static HARNESS: OnceLock<Harness> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let _ = HARNESS.get_or_init(Harness::new).import(data, false);
});
