//! Acts on one fonds: open, describe, close; files; handovers; transfers; destruction; holds.

use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use bangiao_app::pipeline::{Act, Command};
use bangiao_domain::fonds::*;
use bangiao_domain::values::FondsCode;

use super::{execute, path_code};
use crate::admission::Admitted;
use crate::error::ApiError;
use crate::extract::{ApiJson, CommandHeaders, bind_request};
use crate::state::AppState;

/// Mở phông — opens a fonds; its code comes in the body.
#[utoipa::path(post, path = "/api/v1/fonds", tag = "fonds commands", request_body = OpenFonds,
    params(("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)")),
    responses((status = 201, body = super::CommandAccepted), (status = 422, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn open(
    State(state): State<AppState>,
    admitted: Admitted,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(command): ApiJson<OpenFonds>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &command)?;
    let code = command.fonds_code.clone();
    let command = Command::Fonds {
        code,
        command: command.into(),
    };
    execute(&state, admitted, "POST /api/v1/fonds", command, envelope).await
}

/// Declares one POST endpoint per fonds command: the fonds code in the path, the command as body.
macro_rules! fonds_commands {
    ($($name:ident: $command:ty => $path:literal, $doc:literal;)+) => {
        /// The action each fonds command route asks for: the action of its command type.
        pub const ROUTES: &[(&str, bangiao_auth::Action)] = &[
            ("/api/v1/fonds", <OpenFonds as Act>::ACTION),
            $(($path, <$command as Act>::ACTION),)+
        ];

        $(
            #[doc = $doc]
            #[utoipa::path(post, path = $path, tag = "fonds commands", request_body = $command,
                params(("code" = String, Path, description = "Mã phông"),
                    ("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)"),
                    ("If-Match" = Option<String>, Header, description = "Expected stream revision")),
                responses((status = 201, body = super::CommandAccepted),
                    (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
                    (status = 422, body = crate::error::Problem)))]
            pub async fn $name(
                State(state): State<AppState>,
                admitted: Admitted,
                Path(code): Path<String>,
                OriginalUri(uri): OriginalUri,
                CommandHeaders(mut envelope): CommandHeaders,
                ApiJson(command): ApiJson<$command>,
            ) -> Result<Response, ApiError> {
                bind_request(&mut envelope, uri.path(), &command)?;
                let code = path_code(&code, FondsCode::parse)?;
                let command = Command::Fonds { code, command: command.into() };
                execute(&state, admitted, concat!("POST ", $path), command, envelope).await
            }
        )+
    };
}

fonds_commands! {
    record_creator_history: RecordCreatorHistory => "/api/v1/fonds/{code}/creator-history", "Ghi lịch sử đơn vị hình thành phông — records the creator's history.";
    close: CloseFonds => "/api/v1/fonds/{code}/close", "Đóng phông — closes the fonds from the day its creator ended.";
    record_file: RecordFile => "/api/v1/fonds/{code}/files", "Lập hồ sơ — records a file of the fonds.";
    correct_file: CorrectFile => "/api/v1/fonds/{code}/files/correct", "Đính chính — corrects one recorded field, keeping the old value.";
    appraise_retention: AppraiseRetention => "/api/v1/fonds/{code}/files/appraise", "Xác định lại thời hạn bảo quản — appraises a file's retention.";
    digitise_file: DigitiseFile => "/api/v1/fonds/{code}/files/digitise", "Số hóa — records a file's digitised copy (SHA-256).";
    declassify_file: DeclassifyFile => "/api/v1/fonds/{code}/files/declassify", "Giải mật — declassifies a file.";
    mark_missing: MarkFileMissing => "/api/v1/fonds/{code}/files/missing", "Báo thất lạc — marks a file missing.";
    mark_damaged: MarkFileDamaged => "/api/v1/fonds/{code}/files/damaged", "Báo hư hỏng — marks a file damaged.";
    mark_found: MarkFileFound => "/api/v1/fonds/{code}/files/found", "Tìm thấy — marks a missing file found.";
    flag_unfinished: FlagUnfinished => "/api/v1/fonds/{code}/files/unfinished", "Hồ sơ công việc chưa giải quyết xong — flags unfinished work.";
    draft_handover: DraftHandover => "/api/v1/fonds/{code}/handovers", "Lập biên bản giao nhận — drafts handover minutes with the attached list.";
    sign_handover: SignHandover => "/api/v1/fonds/{code}/handovers/sign", "Bên giao ký — the giving side signs the minutes.";
    receive_handover: ReceiveHandover => "/api/v1/fonds/{code}/handovers/receive", "Bên nhận ký nhận — the receiving side checks each file and signs.";
    cancel_handover: CancelHandover => "/api/v1/fonds/{code}/handovers/cancel", "Hủy biên bản — cancels minutes not yet received.";
    register_transfer: RegisterTransfer => "/api/v1/fonds/{code}/transfers", "Đăng ký nộp lưu — registers a transfer to the historical archive.";
    appraise_transfer: AppraiseTransferList => "/api/v1/fonds/{code}/transfers/appraise", "Thẩm định mục lục nộp lưu — the archive appraises the list.";
    accept_transfer: AcceptTransfer => "/api/v1/fonds/{code}/transfers/accept", "Thu nộp — the archive accepts all or part of the list.";
    propose_destruction: ProposeDestruction => "/api/v1/fonds/{code}/destructions", "Đề nghị hủy — proposes a frozen list of expired files.";
    approve_destruction: ApproveDestruction => "/api/v1/fonds/{code}/destructions/approve", "Duyệt hủy — a second, different person approves.";
    execute_destruction: ExecuteDestruction => "/api/v1/fonds/{code}/destructions/execute", "Thực hiện hủy — executes an approved destruction.";
    cancel_destruction: CancelDestruction => "/api/v1/fonds/{code}/destructions/cancel", "Hủy bỏ đề nghị hủy — withdraws a proposal.";
    place_hold: PlaceHold => "/api/v1/fonds/{code}/holds", "Phong tỏa — places a hold (inspection, dispute) on files.";
    lift_hold: LiftHold => "/api/v1/fonds/{code}/holds/lift", "Gỡ phong tỏa — lifts a hold.";
}
