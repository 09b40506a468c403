//! The HTTP API's problems as gRPC statuses: the status code follows the HTTP status, the
//! message is the English one, and the stable `code` travels twice — as the `reason` of a
//! `google.rpc.ErrorInfo` in the status details (with the Vietnamese message as a
//! `google.rpc.LocalizedMessage`), and as the `bangiao-code` metadata entry for simple clients.

use std::collections::HashMap;

use bangiao_domain::RefusalClass;
use bangiao_server::error::ApiError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// The metadata key that carries the stable error code.
pub const CODE_KEY: &str = "bangiao-code";
/// The `domain` of the `ErrorInfo` detail.
pub const ERROR_DOMAIN: &str = "bangiao";

/// The gRPC code of an API error: a domain refusal by its class, anything else by its HTTP
/// status.
pub fn grpc_code(error: &ApiError) -> Code {
    if let Some(class) = error.refusal() {
        return refusal_code(class);
    }
    let problem = error.problem();
    match (problem.status, problem.code.as_str()) {
        (400, _) => Code::InvalidArgument,
        (401, _) => Code::Unauthenticated,
        (403, _) => Code::PermissionDenied,
        (404, _) => Code::NotFound,
        (409, _) => Code::Aborted,
        (413 | 429, _) => Code::ResourceExhausted,
        (415, _) => Code::InvalidArgument,
        (422, "invalid_body") => Code::InvalidArgument,
        (422, _) => Code::FailedPrecondition,
        (503, _) => Code::Unavailable,
        (500, _) => Code::Internal,
        _ => Code::Unknown,
    }
}

/// The gRPC code of a domain refusal of class `class`.
pub fn refusal_code(class: RefusalClass) -> Code {
    match class {
        RefusalClass::Invalid => Code::FailedPrecondition,
        RefusalClass::NotFound => Code::NotFound,
        RefusalClass::AlreadyExists => Code::AlreadyExists,
        RefusalClass::Conflict => Code::Aborted,
    }
}

/// The status of an API error.
pub fn from_api(error: &ApiError) -> Status {
    let problem = error.problem();
    let mut metadata = HashMap::from([("message_vi".to_owned(), problem.message_vi.clone())]);
    if let Some(revision) = problem.current_revision {
        metadata.insert("current_revision".to_owned(), revision.to_string());
    }
    if let Some(field) = &problem.field {
        metadata.insert("field".to_owned(), field.clone());
    }
    let mut details = ErrorDetails::with_error_info(&problem.code, ERROR_DOMAIN, metadata);
    details.set_localized_message("vi-VN", problem.message_vi.clone());
    let mut status =
        Status::with_error_details(grpc_code(error), problem.message_en.clone(), details);
    if let Ok(value) = problem.code.parse() {
        status.metadata_mut().insert(CODE_KEY, value);
    }
    status
}

/// An invalid request message, with the stable code `code`.
pub fn invalid(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Status {
    from_api(&ApiError::bad_request(code, vi, en))
}

/// A request message that does not decode into the domain's command.
pub fn invalid_command(error: &crate::convert::ConvertError) -> Status {
    from_api(&ApiError::new(
        tonic::codegen::http::StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
        format!("Lệnh không đúng mẫu (thiếu trường, sai kiểu hoặc giá trị không hợp lệ): {error}"),
        format!(
            "The command does not match the expected shape (missing field, wrong type or invalid value): {error}"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use bangiao_domain::DomainError;
    use bangiao_domain::error::Entity;
    use bangiao_domain::values::{HandoverId, TransferId};

    use super::*;

    /// A domain refusal keeps the gRPC code it had when the code was read from the HTTP status
    /// and the `already_exists` string.
    #[test]
    fn a_domain_refusal_takes_its_grpc_code_from_its_class() {
        let cases = [
            (DomainError::FondsNotClosed, Code::FailedPrecondition),
            (
                DomainError::NotFound {
                    what: Entity::Fonds,
                    id: "066".into(),
                },
                Code::NotFound,
            ),
            (
                DomainError::AlreadyExists {
                    what: Entity::Fonds,
                    id: "066".into(),
                },
                Code::AlreadyExists,
            ),
            (
                DomainError::HandoverAlreadySigned {
                    handover: HandoverId::from_uuid(uuid::Uuid::nil()),
                },
                Code::Aborted,
            ),
            (
                DomainError::TransferClosed {
                    transfer: TransferId::from_uuid(uuid::Uuid::nil()),
                },
                Code::Aborted,
            ),
        ];
        for (refusal, code) in cases {
            let stable = refusal.code();
            let status = from_api(&ApiError::from(refusal));
            assert_eq!(status.code(), code, "{stable}");
            assert_eq!(
                status
                    .metadata()
                    .get(CODE_KEY)
                    .and_then(|v| v.to_str().ok()),
                Some(stable)
            );
        }
    }
}
