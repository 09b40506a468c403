//! Why a whole upload is refused (as opposed to a problem in one row, see `problem`).

use bangiao_app::BatchError;
use bangiao_app::handler::HandleError;

/// A refusal of the whole file: nothing was written. Each has a stable code and messages in
/// Vietnamese and English.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The upload is larger than the limit.
    #[error("the file has {size} bytes, more than the limit of {limit}")]
    FileTooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The XLSX would inflate to more than the limit, or inflates suspiciously much.
    #[error(
        "the XLSX would inflate to {declared} bytes ({entry}), more than allowed: refused as a possible zip bomb"
    )]
    ZipBomb {
        /// The entry that tripped the check, or "total".
        entry: String,
        /// Its declared uncompressed size.
        declared: u64,
    },
    /// More data rows than the limit.
    #[error("the file has more than {limit} rows")]
    TooManyRows {
        /// The limit.
        limit: u64,
    },
    /// Neither an XLSX workbook nor a CSV text.
    #[error("the file is neither an XLSX workbook nor a CSV text")]
    UnknownFormat,
    /// A CSV that is not UTF-8 (with or without BOM) nor UTF-16 with a BOM.
    #[error("the CSV is not UTF-8 (byte {offset}); save it as \"CSV UTF-8\" and upload it again")]
    NotUtf8 {
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// The workbook or CSV cannot be read.
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    /// No row looks like the header of an inventory list.
    #[error(
        "no header row found in the first {searched} rows (expected columns such as \"Tiêu đề hồ sơ\", \"Thời hạn bảo quản\")"
    )]
    NoHeader {
        /// How many rows were searched.
        searched: usize,
    },
    /// The header lacks columns the files need.
    #[error("the header (row {row}) lacks the columns: {}", missing.join(", "))]
    MissingColumns {
        /// The header row.
        row: u32,
        /// The missing columns, by their usual Vietnamese name.
        missing: Vec<&'static str>,
    },
    /// The fonds is not opened.
    #[error("fonds {0} does not exist")]
    FondsNotFound(String),
    /// Reading the fonds or writing the files failed.
    #[error(transparent)]
    Service(#[from] HandleError),
    /// A batch was refused while applying (the fonds changed since it was checked).
    #[error(
        "{recorded} files were recorded, then the fonds changed under the import: {source}; import the file again to see what remains"
    )]
    Apply {
        /// Files recorded before the refusal (whole batches).
        recorded: u64,
        /// The refusal.
        source: BatchError,
    },
}

impl ImportError {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FileTooLarge { .. } => "file_too_large",
            Self::ZipBomb { .. } => "zip_bomb",
            Self::TooManyRows { .. } => "too_many_rows",
            Self::UnknownFormat => "unknown_format",
            Self::NotUtf8 { .. } => "not_utf8",
            Self::Unreadable(_) => "unreadable_file",
            Self::NoHeader { .. } => "no_header",
            Self::MissingColumns { .. } => "missing_columns",
            Self::FondsNotFound(_) => "not_found",
            Self::Service(_) => "service",
            Self::Apply { .. } => "apply_interrupted",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::FileTooLarge { size, limit } => {
                format!("Tệp có {size} byte, vượt giới hạn {limit} byte.")
            }
            Self::ZipBomb { entry, declared } => format!(
                "Tệp XLSX khi giải nén sẽ thành {declared} byte ({entry}), vượt mức cho phép: từ chối vì có thể là bom nén (zip bomb)."
            ),
            Self::TooManyRows { limit } => format!("Tệp có hơn {limit} dòng."),
            Self::UnknownFormat => {
                "Tệp không phải sổ tính XLSX cũng không phải văn bản CSV.".into()
            }
            Self::NotUtf8 { offset } => format!(
                "Tệp CSV không mã hóa UTF-8 (byte {offset}); hãy lưu lại dạng \"CSV UTF-8\" rồi tải lên lại."
            ),
            Self::Unreadable(why) => format!("Không đọc được tệp: {why}"),
            Self::NoHeader { searched } => format!(
                "Không thấy dòng tiêu đề cột trong {searched} dòng đầu (cần các cột như \"Tiêu đề hồ sơ\", \"Thời hạn bảo quản\")."
            ),
            Self::MissingColumns { row, missing } => {
                format!(
                    "Dòng tiêu đề (dòng {row}) thiếu các cột: {}.",
                    missing.join(", ")
                )
            }
            Self::FondsNotFound(code) => format!("Không tìm thấy phông {code}."),
            Self::Service(e) => format!("Lỗi khi đọc hoặc ghi phông: {e}"),
            Self::Apply { recorded, source } => format!(
                "Đã ghi {recorded} hồ sơ thì phông bị thay đổi trong lúc nhập: {source}; hãy nhập lại tệp để xem phần còn lại."
            ),
        }
    }
}
