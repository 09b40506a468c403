//! Vietnamese messages, the language the archivists read first.

use chrono::NaiveDate;

use super::DomainError;
use crate::values::FileCode;

impl DomainError {
    /// The message in Vietnamese, with diacritics.
    pub fn message_vi(&self) -> String {
        use DomainError as E;
        match self {
            E::InvalidValue(error) => error.message_vi(),
            E::AlreadyExists { what, id } => {
                format!("{} đã tồn tại", capital(&named(what.vi(), id)))
            }
            E::NotFound { what, id } => format!("Không tìm thấy {}", named(what.vi(), id)),
            E::FileNotFound { file } => format!("Hồ sơ {file} không có trong phông này"),
            E::DuplicateInList { list, item } => {
                format!("{item} xuất hiện nhiều lần trong danh sách {}", list.vi())
            }
            E::EmptyList { list } => format!("Danh sách {} đang trống", list.vi()),
            E::DateOutOfOrder {
                act,
                date,
                earliest,
            } => format!(
                "Ngày {} ({}) sớm hơn ngày {}",
                act.vi(),
                day(*date),
                day(*earliest)
            ),
            E::UnitEnded { unit, ended_on } => format!(
                "Đơn vị hành chính {unit} đã kết thúc hoạt động từ ngày {}",
                day(*ended_on)
            ),
            E::TypeLevelMismatch { unit_type, level } => format!(
                "Loại đơn vị «{}» không thuộc cấp {}",
                unit_type.label_vi(),
                level.label_vi()
            ),
            E::InvalidParent {
                level,
                parent_level,
            } => format!(
                "Đơn vị cấp {} không thể có đơn vị cấp trên là: {}",
                level.label_vi(),
                parent_level.map_or("(không có)", |l| l.label_vi())
            ),
            E::LevelMismatch {
                unit,
                level,
                expected,
            } => format!(
                "Đơn vị {unit} thuộc cấp {}, không phải cấp {}",
                level.label_vi(),
                expected.label_vi()
            ),
            E::OwnSuccessor { unit } => {
                format!("Đơn vị {unit} không thể là đơn vị kế thừa của chính nó")
            }
            E::TooFewUnits { list, given } => format!(
                "Danh sách {} cần ít nhất 2 đơn vị, mới có {given}",
                list.vi()
            ),
            E::FondsClosed { closed_on } => format!("Phông đã đóng từ ngày {}", day(*closed_on)),
            E::FondsNotClosed => "Phông chưa đóng: phải đóng phông trước khi bàn giao".to_owned(),
            E::HandoverBeforeClosure {
                drafted_on,
                closed_on,
            } => format!(
                "Ngày lập biên bản giao nhận ({}) sớm hơn ngày đóng phông ({})",
                day(*drafted_on),
                day(*closed_on)
            ),
            E::FileAfterClosure {
                file,
                end_date,
                closed_on,
            } => format!(
                "Hồ sơ {file} kết thúc ngày {}, sau ngày đóng phông {}",
                day(*end_date),
                day(*closed_on)
            ),
            E::WrongFileCodePrefix { file, expected } => {
                format!("Mã hồ sơ {file} phải bắt đầu bằng {expected}")
            }
            E::EndBeforeStart {
                start_date,
                end_date,
            } => format!(
                "Ngày kết thúc ({}) sớm hơn ngày bắt đầu ({})",
                day(*end_date),
                day(*start_date)
            ),
            E::NoChange { file } => {
                format!("Hồ sơ {file}: giá trị mới trùng giá trị hiện có, không có gì thay đổi")
            }
            E::StaleValue { file, field } => {
                format!("Hồ sơ {file}: giá trị cũ của trường {field} không khớp với hồ sơ hiện tại")
            }
            E::FileInOpenHandover { file, handover } => {
                format!("Hồ sơ {file} đang nằm trong biên bản giao nhận {handover} chưa hoàn tất")
            }
            E::FileInOpenTransfer { file, transfer } => {
                format!("Hồ sơ {file} đang trong đợt nộp lưu {transfer} chưa hoàn tất")
            }
            E::FileInOpenDestruction { file, destruction } => {
                format!("Hồ sơ {file} đang trong đề nghị hủy {destruction} chưa hoàn tất")
            }
            E::FileTransferred { file } => {
                format!("Hồ sơ {file} đã nộp lưu vào lưu trữ lịch sử")
            }
            E::FileDestroyed { file } => format!("Hồ sơ {file} đã bị hủy"),
            E::FileMissing { file } => format!("Hồ sơ {file} đang bị thất lạc"),
            E::FileNotMissing { file } => {
                format!("Hồ sơ {file} không ở trạng thái thất lạc")
            }
            E::NotCurrentCustodian {
                file,
                custodian,
                claimed,
            } => format!("Hồ sơ {file} đang do {custodian} quản lý, không phải {claimed}"),
            E::SameCustodian { custodian } => {
                format!("Bên giao và bên nhận trùng nhau ({custodian})")
            }
            E::CountsMismatch {
                count,
                declared,
                actual,
            } => format!(
                "{} ghi trong biên bản ({declared}) khác với mục lục kèm theo ({actual})",
                count.vi()
            ),
            E::MixedUnfinishedWork {
                unfinished,
                finished,
            } => format!(
                "Hồ sơ công việc chưa giải quyết xong phải bàn giao riêng: danh sách có \
                 {unfinished} hồ sơ chưa xong và {finished} hồ sơ đã xong"
            ),
            E::FondsNotInBatch { fonds } => {
                format!("Phông {fonds} không có trong danh sách phông của đợt")
            }
            E::HandoverNotSigned { handover } => {
                format!("Bên giao chưa ký biên bản giao nhận {handover}")
            }
            E::HandoverAlreadySigned { handover } => {
                format!("Bên giao đã ký biên bản giao nhận {handover}")
            }
            E::HandoverClosed { handover } => {
                format!("Biên bản giao nhận {handover} đã hoàn tất hoặc đã hủy")
            }
            E::WrongSignatory { expected, given } => {
                format!("Người ký phải là {expected}, không phải {given}")
            }
            E::FileNotListed { file } => format!("Hồ sơ {file} không có trong danh sách"),
            E::FileIsListed { file } => {
                format!("Hồ sơ {file} đã có trong danh sách, không thể ghi là ngoài danh sách")
            }
            E::NotPermanent { file, retention } => format!(
                "Hồ sơ {file} có thời hạn bảo quản {}: chỉ hồ sơ bảo quản vĩnh viễn mới được \
                 nộp lưu vào lưu trữ lịch sử",
                retention.label_vi()
            ),
            E::SecretNotDeclassified { file } => {
                format!("Hồ sơ {file} đang ở chế độ mật, phải giải mật trước khi nộp lưu")
            }
            E::MixedFondsKinds { declared, fonds } => format!(
                "Đợt nộp lưu khai là {} nhưng phông này là {}: không nộp chung phông Đảng và \
                 phông Nhà nước",
                declared.label_vi(),
                fonds.label_vi()
            ),
            E::TransferNotAppraised { transfer } => {
                format!("Mục lục của đợt nộp lưu {transfer} chưa được thẩm định")
            }
            E::TransferAlreadyAppraised { transfer } => {
                format!("Mục lục của đợt nộp lưu {transfer} đã được thẩm định")
            }
            E::TransferListRejected { transfer } => format!(
                "Mục lục của đợt nộp lưu {transfer} không được chấp thuận, không thể nhận hồ sơ nào"
            ),
            E::TransferClosed { transfer } => format!("Đợt nộp lưu {transfer} đã kết thúc"),
            E::NotAPartition { missing } => format!(
                "Danh sách nhận và từ chối phải gồm đúng các hồ sơ của đợt; còn thiếu: {}",
                join(missing)
            ),
            E::FilePermanent { file } => {
                format!("Hồ sơ {file} bảo quản vĩnh viễn, không được hủy")
            }
            E::RetentionNotExpired { file, expires_on } => format!(
                "Hồ sơ {file} chưa hết thời hạn bảo quản (hết hạn ngày {})",
                day(*expires_on)
            ),
            E::SameApprover { person } => {
                format!("Người duyệt ({person}) phải khác người đề nghị hủy")
            }
            E::DestructionNotApproved { destruction } => {
                format!("Đề nghị hủy {destruction} chưa được duyệt")
            }
            E::DestructionAlreadyApproved { destruction } => {
                format!("Đề nghị hủy {destruction} đã được duyệt")
            }
            E::DestructionClosed { destruction } => {
                format!("Đề nghị hủy {destruction} đã thực hiện hoặc đã hủy bỏ")
            }
            E::FileOnHold { file, hold } => {
                format!("Hồ sơ {file} đang bị phong tỏa (lệnh {hold})")
            }
            E::HoldAlreadyLifted { hold } => format!("Lệnh phong tỏa {hold} đã được gỡ"),
            E::CopyNotCurrent { copy } => {
                format!("Bản số hóa {copy} không còn hiệu lực: đã được thay hoặc đã bị xóa")
            }
            E::NotSecret { file } => format!("Hồ sơ {file} không ở chế độ mật"),
            E::NotFondsCustodian { custodian, claimed } => format!(
                "Phông đang do {custodian} quản lý: hồ sơ lập mới thuộc {custodian}, không phải {claimed}; quyền quản lý chỉ chuyển qua bàn giao hoặc nộp lưu"
            ),
            E::DateTooEarly {
                field,
                date,
                earliest,
            } => format!(
                "Trường {field}: ngày {} sớm hơn {}, cũ hơn mọi tài liệu mà các kho lưu trữ đang giữ; hãy kiểm tra lại năm",
                day(*date),
                day(*earliest)
            ),
            E::DateInFuture { field, date, today } => format!(
                "Trường {field}: ngày {} muộn hơn hôm nay ({}); tài liệu không thể kết thúc, hành vi không thể diễn ra ở tương lai",
                day(*date),
                day(*today)
            ),
            E::ParentNotInExistence {
                parent,
                starts_on,
                parent_from,
                parent_ended_on,
            } => format!(
                "Đơn vị cấp trên {parent} tồn tại từ ngày {}{}: đơn vị bắt đầu từ ngày {} không thể trực thuộc đơn vị này",
                day(*parent_from),
                parent_ended_on.map_or(String::new(), |end| format!(
                    " đến hết ngày {}",
                    day(end.pred_opt().unwrap_or(end))
                )),
                day(*starts_on)
            ),
            E::UnitEndsBeforeStart {
                unit,
                act,
                effective_on,
                valid_from,
            } => format!(
                "Đơn vị {unit}: {} có hiệu lực từ ngày {}, nhưng đơn vị chỉ bắt đầu từ ngày {}; ngày cuối cùng của đơn vị không thể sớm hơn ngày đầu tiên",
                act.vi(),
                day(*effective_on),
                day(*valid_from)
            ),
            E::SuccessorNotInExistence {
                successor,
                effective_on,
                valid_from,
            } => format!(
                "Việc sáp nhập có hiệu lực từ ngày {}, nhưng đơn vị tiếp nhận {successor} chỉ tồn tại từ ngày {}",
                day(*effective_on),
                day(*valid_from)
            ),
        }
    }
}

/// A date as Vietnamese documents write it: dd/mm/yyyy.
fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Names a thing with its id, or by its kind alone when the stream does not know the id.
fn named(what: &str, id: &str) -> String {
    if id.is_empty() {
        return what.to_owned();
    }
    format!("{what} {id}")
}

/// Upper-cases the first letter, for labels that open a sentence.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join(files: &[FileCode]) -> String {
    let codes: Vec<&str> = files.iter().map(FileCode::as_str).collect();
    codes.join(", ")
}
