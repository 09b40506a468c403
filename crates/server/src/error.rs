//! Every failure of the API as one RFC 9457 problem+json shape: a stable `code`, the HTTP
//! status, and a message in Vietnamese and in English.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bangiao_domain::DomainError;
use bangiao_projections::ProjectionError;
use bangiao_store::StoreError;
use bangiao_store::handler::HandleError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem: what went wrong, for people (vi, en) and for programs (`code`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:bangiao:problem:{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short English title.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened, in English.
    pub detail: String,
    /// Stable machine code (snake_case), the same in every language.
    pub code: String,
    /// Thông báo bằng tiếng Việt.
    pub message_vi: String,
    /// The message in English.
    pub message_en: String,
    /// For a conflict: the stream's current revision (send it as `If-Match` to retry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<u64>,
    /// For a bad field: which one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error on its way to becoming a problem response.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    problem: Box<Problem>,
    retry_after: Option<u32>,
}

impl ApiError {
    /// An error with this status, code and messages.
    pub fn new(
        status: StatusCode,
        code: &str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        let en = en.into();
        Self {
            status,
            problem: Box::new(Problem {
                problem_type: format!("urn:bangiao:problem:{code}"),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                detail: en.clone(),
                code: code.to_owned(),
                message_vi: vi.into(),
                message_en: en,
                current_revision: None,
                field: None,
            }),
            retry_after: None,
        }
    }

    /// The same error naming the field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.problem.field = Some(field.into());
        self
    }

    /// 404 for a resource that does not exist.
    pub fn not_found(what_vi: &str, what_en: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Không tìm thấy {what_vi} {id}."),
            format!("No {what_en} {id}."),
        )
    }

    /// 400 for a malformed parameter or header.
    pub fn bad_request(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, vi, en)
    }

    /// 503 with `Retry-After`: too many writes are waiting; nothing was done.
    pub fn busy() -> Self {
        let mut err = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Hệ thống đang bận ghi; vui lòng thử lại sau giây lát.",
            "The service is busy writing; retry in a moment.",
        );
        err.retry_after = Some(1);
        err
    }

    /// 500 for what should not happen; the cause goes to the log, not to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Lỗi nội bộ của hệ thống; đã ghi nhật ký.",
            "Internal error; it has been logged.",
        )
    }

    /// The problem body.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// Domain refusals that mean "the records are now in another state than the request assumes".
const STATE_CONFLICTS: &[&str] = &[
    "already_exists",
    "file_in_open_handover",
    "file_in_open_transfer",
    "file_in_open_destruction",
    "handover_already_signed",
    "handover_closed",
    "transfer_already_appraised",
    "transfer_closed",
    "destruction_already_approved",
    "destruction_closed",
    "hold_already_lifted",
];

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let code = e.code();
        let status = match code {
            "not_found" | "file_not_found" => StatusCode::NOT_FOUND,
            c if STATE_CONFLICTS.contains(&c) => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Self::new(status, code, e.message_vi(), e.message_en())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::WrongExpectedVersion { current, .. } => conflict(current),
            StoreError::Busy => Self::busy(),
            StoreError::StorageFull => Self::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "storage_full",
                "Ổ đĩa lưu dữ liệu đã đầy: chưa ghi gì. Hãy báo quản trị viên giải phóng dung lượng.",
                "The disk holding the data is full: nothing was written. Ask the administrator to free space.",
            ),
            StoreError::ReadOnly => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "read_only",
                "Cơ sở dữ liệu đang ở chế độ chỉ đọc: chưa ghi gì. Khi ổ đĩa ghi được trở lại, hãy khởi động lại dịch vụ.",
                "The database is read-only: nothing was written. Once the disk is writable again, restart the service.",
            ),
            StoreError::Unavailable(why) => {
                let mut err = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Kho sự kiện tạm thời không truy cập được; vui lòng thử lại.",
                    format!("The event store is unavailable ({why}); retry."),
                );
                err.retry_after = Some(2);
                err
            }
            StoreError::CommandIdReused { .. } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Khóa Idempotency-Key này đã được dùng cho một thao tác khác.",
                "This Idempotency-Key was already used for another act.",
            ),
            other => Self::internal(other),
        }
    }
}

/// 409 with the current revision.
fn conflict(current: Option<u64>) -> ApiError {
    let mut err = ApiError::new(
        StatusCode::CONFLICT,
        "revision_conflict",
        "Dữ liệu đã thay đổi kể từ khi bạn xem; hãy tải lại rồi thử lại.",
        "The records changed since you read them; reload and retry.",
    );
    err.problem.current_revision = current;
    err
}

impl From<HandleError> for ApiError {
    fn from(e: HandleError) -> Self {
        match e {
            HandleError::Domain(e) => e.into(),
            HandleError::Conflict { current, .. } => conflict(current),
            HandleError::Store(e) => e.into(),
            HandleError::CommandIdReused { .. } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác (khác đường dẫn hoặc nội dung): chưa ghi gì. Mỗi thao tác mới cần một khóa mới.",
                "This Idempotency-Key was already used for another request (another path or body): nothing was written. Use a new key for each new act.",
            ),
            other @ HandleError::Unreadable { .. } => Self::internal(other),
        }
    }
}

impl From<ProjectionError> for ApiError {
    fn from(e: ProjectionError) -> Self {
        match e {
            ProjectionError::Store(e) => e.into(),
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(&*self.problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
