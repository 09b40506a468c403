//! The legal documents of the demo: the real resolutions and decrees of the reorganisation,
//! and illustrative closing decisions, minutes and letters in their usual numbering.

use bangiao_domain::values::{DocumentNumber, LegalBasis, Name, Title};
use chrono::{Days, NaiveDate};

/// A date written as a literal in the demo.
pub(super) fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("demo dates are real calendar dates")
}

/// The day `days` after `date` (demo dates are far from the calendar's end).
pub(super) fn after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// A legal document; every demo document is one line, well under the length limits.
pub(super) fn document(
    number: &str,
    issued_on: NaiveDate,
    issuer: &str,
    title: &str,
) -> LegalBasis {
    const WHY: &str = "demo documents are short one-line texts";
    LegalBasis {
        number: DocumentNumber::parse(number).expect(WHY),
        issued_on,
        issuer: Name::parse(issuer).expect(WHY),
        title: Some(Title::parse(title).expect(WHY)),
    }
}

/// The day the 2025 reorganisation took effect.
pub(super) fn reorganisation_day() -> NaiveDate {
    day(2025, 7, 1)
}

/// The last day the old units and their agencies operated: every fonds closes on it.
pub(super) fn closing_day() -> NaiveDate {
    day(2025, 6, 30)
}

/// The 1996 resolution that re-established Bắc Kạn and Thái Nguyên from 1 January 1997 (it
/// bears no number).
pub(super) fn provinces_1996() -> LegalBasis {
    document(
        "Không số",
        day(1996, 11, 6),
        "Quốc hội",
        "Nghị quyết về việc chia và điều chỉnh địa giới hành chính một số tỉnh",
    )
}

/// Decree 56/2003/NĐ-CP founding Pác Nặm district from ten communes of Ba Bể.
pub(super) fn decree_56_2003() -> LegalBasis {
    document(
        "56/2003/NĐ-CP",
        day(2003, 5, 28),
        "Chính phủ",
        "Về việc thành lập huyện Pác Nặm thuộc tỉnh Bắc Kạn",
    )
}

/// Resolution 202/2025/QH15 reorganising the provinces (Bắc Kạn into Thái Nguyên).
pub(super) fn resolution_202_2025() -> LegalBasis {
    document(
        "202/2025/QH15",
        day(2025, 6, 12),
        "Quốc hội",
        "Về việc sắp xếp đơn vị hành chính cấp tỉnh",
    )
}

/// Resolution 1683/NQ-UBTVQH15 reorganising the communes of Thái Nguyên.
pub(super) fn resolution_1683_2025() -> LegalBasis {
    document(
        "1683/NQ-UBTVQH15",
        day(2025, 6, 16),
        "Ủy ban Thường vụ Quốc hội",
        "Về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Thái Nguyên năm 2025",
    )
}

/// Resolution 203/2025/QH15 amending the Constitution: the district tier ends on 1 July 2025.
pub(super) fn resolution_203_2025() -> LegalBasis {
    document(
        "203/2025/QH15",
        day(2025, 6, 16),
        "Quốc hội",
        "Sửa đổi, bổ sung một số điều của Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam",
    )
}

/// Official Dispatch 414/BNV-VTLTNN: records go to the bodies that take over the functions.
pub(super) fn dispatch_414_2025() -> LegalBasis {
    document(
        "414/BNV-VTLTNN",
        day(2025, 3, 19),
        "Bộ Nội vụ",
        "Về việc tăng cường quản lý công tác văn thư, lưu trữ trong quá trình sắp xếp tổ chức bộ máy",
    )
}

/// Biên bản giao nhận — handover minutes number `number` of the records `what`, written by
/// `issuer` on `on`.
pub(super) fn minutes(number: u32, on: NaiveDate, issuer: &str, what: &str) -> LegalBasis {
    document(
        &format!("{number:02}/BB-BGTL"),
        on,
        issuer,
        &format!("Biên bản giao nhận hồ sơ, tài liệu {what}"),
    )
}
