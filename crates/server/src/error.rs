//! Every failure of the API as one RFC 9457 problem+json shape: a stable `code`, the HTTP
//! status, and a message in Vietnamese and in English.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bangiao_app::handler::HandleError;
use bangiao_domain::{DomainError, RefusalClass};
use bangiao_projections::ProjectionError;
use bangiao_store::StoreError;
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
    /// For a `wait_for` beyond the log's end: the position of the last event recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_position: Option<u64>,
    /// For a value over its limit (`limit` of a list): the largest value accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u64>,
}

/// An error on its way to becoming a problem response.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    problem: Box<Problem>,
    retry_after: Option<u32>,
    content_range: Option<u64>,
    refusal: Option<RefusalClass>,
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
                head_position: None,
                maximum: None,
            }),
            retry_after: None,
            content_range: None,
            refusal: None,
        }
    }

    /// The same error naming the field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.problem.field = Some(field.into());
        self
    }

    /// The same error with `Content-Range: bytes */size` (a 416 names the resource's size).
    pub fn with_content_range(mut self, size: u64) -> Self {
        self.content_range = Some(size);
        self
    }

    /// The same error with the parser's own words as `detail` (the messages stay translated).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.problem.detail = detail.into();
        self
    }

    /// 404 `fonds_not_found`: no fonds has this code.
    pub fn fonds_not_found(code: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "fonds_not_found",
            format!("Không tìm thấy phông {code}; hãy kiểm tra lại mã phông."),
            format!("No fonds {code}; check the fonds code."),
        )
    }

    /// 404 `unit_not_found`: no administrative unit has this code.
    pub fn unit_not_found(code: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unit_not_found",
            format!("Không tìm thấy đơn vị hành chính {code}; hãy kiểm tra lại mã đơn vị."),
            format!("No administrative unit {code}; check the unit code."),
        )
    }

    /// 413 `payload_too_large`: the body is over `limit` bytes; nothing was read further.
    pub fn payload_too_large(limit: usize) -> Self {
        let size = byte_size(limit);
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("Nội dung gửi lên vượt quá giới hạn {size}; chưa ghi gì."),
            format!("The body is larger than the limit of {size}; nothing was written."),
        )
    }

    /// 409 `position_not_reached`: `wait_for` names a position the log does not hold yet.
    pub fn position_not_reached(asked: u64, head: u64) -> Self {
        let mut err = Self::new(
            StatusCode::CONFLICT,
            "position_not_reached",
            format!(
                "Vị trí {asked} (wait_for) chưa có trong nhật ký: sự kiện cuối cùng ở vị trí {head}. Hãy dùng vị trí mà lệnh đã trả về."
            ),
            format!(
                "Position {asked} (wait_for) is not in the log: the last event is at position {head}. Use the position a command returned."
            ),
        );
        err.problem.head_position = Some(head);
        err
    }

    /// 503 `projection_lagging` with `Retry-After`: the read models have not reached `asked`.
    pub fn projection_lagging(asked: u64, reached: u64) -> Self {
        let mut err = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "projection_lagging",
            format!(
                "Dữ liệu đọc mới cập nhật đến vị trí {reached}, chưa tới vị trí {asked}; vui lòng thử lại sau giây lát."
            ),
            format!(
                "The read models have reached position {reached}, not yet {asked}; retry in a moment."
            ),
        );
        err.retry_after = Some(1);
        err
    }

    /// The same error, telling the client to retry after `seconds`.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(u32::try_from(seconds).unwrap_or(u32::MAX));
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

    /// 400 `limit_out_of_range`: a list was asked for more rows a page than it gives (or for
    /// none); the problem names the maximum, and no page is cut short in silence.
    pub fn limit_out_of_range(requested: u32) -> Self {
        let max = bangiao_projections::query::MAX_PAGE;
        let mut err = Self::bad_request(
            "limit_out_of_range",
            format!(
                "Tham số limit phải từ 1 đến {max} dòng một trang (đã gửi {requested}); hãy đọc tiếp bằng con trỏ after của trang trước."
            ),
            format!(
                "limit must be between 1 and {max} rows a page (got {requested}); read on with the previous page's after cursor."
            ),
        )
        .with_field("limit");
        err.problem.maximum = Some(u64::from(max));
        err
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

    /// The class of the domain refusal this error carries, if it is one.
    pub fn refusal(&self) -> Option<RefusalClass> {
        self.refusal
    }
}

/// A byte count as people write it: "2 MB", "512 KB" or "1000 B".
fn byte_size(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB && bytes.is_multiple_of(KB) {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} B")
    }
}

/// The HTTP status of a domain refusal of class `class`.
pub fn refusal_status(class: RefusalClass) -> StatusCode {
    match class {
        RefusalClass::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        RefusalClass::NotFound => StatusCode::NOT_FOUND,
        RefusalClass::AlreadyExists | RefusalClass::Conflict => StatusCode::CONFLICT,
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let class = e.class();
        let mut err = Self::new(
            refusal_status(class),
            e.code(),
            e.message_vi(),
            e.message_en(),
        );
        err.refusal = Some(class);
        err
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
                "Cơ sở dữ liệu đang ở chế độ chỉ đọc (ổ đĩa chỉ đọc, hoặc chỉ còn máy chủ dự phòng PostgreSQL chưa được nâng làm máy chính): chưa ghi gì. Máy dự phòng được nâng lên thì dịch vụ tự ghi tiếp; ổ đĩa ghi được trở lại thì hãy khởi động lại dịch vụ.",
                "The database is read-only (a read-only disk, or only a PostgreSQL standby not yet promoted to primary): nothing was written. Once a standby is promoted the service writes again by itself; once a disk is writable again, restart the service.",
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

impl From<bangiao_projections::query::PageSizeError> for ApiError {
    fn from(e: bangiao_projections::query::PageSizeError) -> Self {
        Self::limit_out_of_range(e.requested)
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
        if let Some(size) = self.content_range
            && let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}"))
        {
            headers.insert(header::CONTENT_RANGE, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use bangiao_domain::error::{Entity, ListKind};
    use bangiao_domain::values::HandoverId;

    use super::*;

    /// One refusal of each class keeps the status and code it had when the status was chosen
    /// from a list of code strings; which class each refusal has is pinned in the domain
    /// (`every_refusal_keeps_its_class`).
    #[test]
    fn a_domain_refusal_takes_its_status_from_its_class() {
        let handover = HandoverId::from_uuid(uuid::Uuid::nil());
        let cases = [
            (
                DomainError::EmptyList {
                    list: ListKind::Files,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                RefusalClass::Invalid,
            ),
            (
                DomainError::NotFound {
                    what: Entity::Fonds,
                    id: "066".into(),
                },
                StatusCode::NOT_FOUND,
                RefusalClass::NotFound,
            ),
            (
                DomainError::AlreadyExists {
                    what: Entity::Fonds,
                    id: "066".into(),
                },
                StatusCode::CONFLICT,
                RefusalClass::AlreadyExists,
            ),
            (
                DomainError::HandoverClosed { handover },
                StatusCode::CONFLICT,
                RefusalClass::Conflict,
            ),
        ];
        for (refusal, status, class) in cases {
            let code = refusal.code();
            let err = ApiError::from(refusal);
            assert_eq!(
                (err.status, err.problem.status, err.refusal()),
                (status, status.as_u16(), Some(class)),
                "{code}"
            );
            assert_eq!(err.problem.code, code);
        }
    }
}
