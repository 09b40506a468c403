//! Commands as request bodies: each decodes from the JSON a caller sends, refuses unknown
//! fields and bad values with a readable message, and never takes a fact the service fills in.

mod fonds;
#[cfg(feature = "openapi")]
mod openapi;
mod processes;
mod refusals;
mod units;

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The legal basis of the fixtures, as a caller writes it.
pub const BASIS: &str =
    r#"{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null}"#;

/// The body decodes into the expected command, and the command's own JSON reads back the same.
#[track_caller]
pub fn decodes<T>(body: &str, expected: &T)
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    match serde_json::from_str::<T>(body) {
        Ok(command) => assert_eq!(&command, expected),
        Err(error) => panic!("body refused: {error}\n{body}"),
    }
    let written = serde_json::to_string(expected).expect("commands serialize");
    assert_eq!(
        serde_json::from_str::<T>(&written).ok().as_ref(),
        Some(expected)
    );
}

/// The body is refused; returns serde's message.
#[track_caller]
pub fn refused<T: DeserializeOwned + Debug>(body: &str) -> String {
    match serde_json::from_str::<T>(body) {
        Ok(command) => panic!("body accepted as {command:?}\n{body}"),
        Err(error) => error.to_string(),
    }
}

/// A UUID as the fixtures make it from a small number.
pub fn uuid(n: u128) -> String {
    uuid::Uuid::from_u128(n).to_string()
}
