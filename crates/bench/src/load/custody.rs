//! `custody`: GET the custody of one file, or of many files in turn.

use hyper::Method;

use super::Load;
use super::runner::{self, Planned, Report};

/// Loads `GET /api/v1/files/{code}/custody` over the given codes (one code: one hot row).
pub async fn run(load: &Load, codes: &[String]) -> Result<Report, String> {
    if codes.is_empty() {
        return Err("no file codes to ask for".into());
    }
    let paths: Vec<String> = codes
        .iter()
        .map(|code| format!("/api/v1/files/{code}/custody"))
        .collect();
    runner::run(load, move |task, n| {
        // Tasks start at different codes and walk the list, so many codes are hit evenly.
        let i = (task * 131 + n as usize) % paths.len();
        Planned {
            method: Method::GET,
            path: paths[i].clone(),
            body: None,
            expect: 200,
        }
    })
    .await
}
