//! File titles in the style of real Vietnamese inventories (mục lục hồ sơ), one set of
//! templates per kind of creator, each with the retention and access such files usually get.

use super::ids::Rng;

/// What a creator's files are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Profile {
    /// Ủy ban nhân dân huyện.
    DistrictCommittee,
    /// Văn phòng HĐND và UBND huyện.
    Office,
    /// Phòng Nội vụ.
    HomeAffairs,
    /// Phòng Tài chính - Kế hoạch.
    Finance,
    /// Huyện ủy.
    Party,
    /// Ủy ban nhân dân xã.
    Commune,
}

/// Thời hạn bảo quản of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// Vĩnh viễn.
    Permanent,
    /// A fixed number of years.
    Years(u32),
}

/// Chế độ sử dụng of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// Always open (01).
    Open,
    /// Conditional (02) in this share of files, in percent; open otherwise.
    SomeRestricted(u32),
    /// Always conditional (02).
    Restricted,
    /// Always secret (03).
    Secret,
}

/// How long the documents of one file run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Span {
    /// The whole year.
    Year,
    /// One month, named in the title.
    Month,
    /// Up to this many days from a random start.
    Days(u32),
}

/// One template of file titles.
pub(super) struct Template {
    /// Relative frequency.
    pub weight: u32,
    /// The title, with placeholders such as `{year}` and `{person}`.
    pub text: &'static str,
    /// Its retention.
    pub keep: Keep,
    /// Its access regime.
    pub access: Access,
    /// Its date range.
    pub span: Span,
}

const fn t(weight: u32, text: &'static str, keep: Keep, access: Access, span: Span) -> Template {
    Template {
        weight,
        text,
        keep,
        access,
        span,
    }
}

use Access::{Open, Restricted, Secret, SomeRestricted};
use Keep::{Permanent, Years};
use Span::{Days, Month, Year};

const COMMON: &[Template] = &[
    t(
        8,
        "Kế hoạch, báo cáo công tác {field} năm {year}",
        Permanent,
        Open,
        Year,
    ),
    t(
        4,
        "Tập công văn trao đổi về công tác {field} năm {year}",
        Years(10),
        Open,
        Year,
    ),
    t(
        3,
        "Hồ sơ hội nghị tổng kết công tác {field} năm {year}",
        Permanent,
        Open,
        Days(20),
    ),
];

const DISTRICT_COMMITTEE: &[Template] = &[
    t(
        12,
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ {person}, thôn {village}, {commune}",
        Permanent,
        SomeRestricted(15),
        Days(120),
    ),
    t(
        6,
        "Tập quyết định của Ủy ban nhân dân huyện về {subject} năm {year}",
        Permanent,
        Open,
        Year,
    ),
    t(
        5,
        "Hồ sơ giải quyết đơn khiếu nại của {person}, thôn {village}, {commune} về {complaint}",
        Years(20),
        Restricted,
        Days(150),
    ),
    t(
        3,
        "Hồ sơ thẩm định, phê duyệt dự án {project}",
        Permanent,
        Open,
        Days(200),
    ),
    t(
        3,
        "Báo cáo tình hình kinh tế - xã hội tháng {month} năm {year}",
        Years(10),
        Open,
        Month,
    ),
    t(
        2,
        "Hồ sơ phòng, chống thiên tai, khắc phục hậu quả mưa lũ năm {year}",
        Permanent,
        Open,
        Days(90),
    ),
    t(
        1,
        "Hồ sơ về công tác quốc phòng, quân sự địa phương năm {year}",
        Permanent,
        Secret,
        Year,
    ),
];

const OFFICE: &[Template] = &[
    t(
        6,
        "Hồ sơ kỳ họp thứ {session} Hội đồng nhân dân huyện nhiệm kỳ {council_term}",
        Permanent,
        Open,
        Days(30),
    ),
    t(
        5,
        "Sổ đăng ký văn bản đi của Ủy ban nhân dân huyện năm {year}",
        Years(20),
        Open,
        Year,
    ),
    t(
        5,
        "Thông báo kết luận các cuộc họp giao ban của Thường trực Ủy ban nhân dân huyện tháng {month} năm {year}",
        Permanent,
        SomeRestricted(20),
        Month,
    ),
    t(
        4,
        "Chương trình công tác năm {year} của Ủy ban nhân dân huyện",
        Permanent,
        Open,
        Days(30),
    ),
    t(
        3,
        "Hồ sơ tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân huyện năm {year}",
        Years(10),
        Restricted,
        Year,
    ),
    t(
        3,
        "Tập lịch công tác tuần của Thường trực Ủy ban nhân dân huyện năm {year}",
        Years(10),
        Open,
        Year,
    ),
];

const HOME_AFFAIRS: &[Template] = &[
    t(
        6,
        "Hồ sơ nâng bậc lương thường xuyên cho cán bộ, công chức năm {year}",
        Years(70),
        SomeRestricted(50),
        Days(60),
    ),
    t(
        5,
        "Hồ sơ tuyển dụng công chức cấp xã năm {year}",
        Years(70),
        SomeRestricted(30),
        Days(120),
    ),
    t(
        5,
        "Hồ sơ khen thưởng tập thể, cá nhân có thành tích trong {movement} năm {year}",
        Permanent,
        Open,
        Days(30),
    ),
    t(
        4,
        "Hồ sơ kiện toàn tổ chức bộ máy {organisation}",
        Permanent,
        Open,
        Days(90),
    ),
    t(
        3,
        "Hồ sơ hướng dẫn, kiểm tra công tác văn thư, lưu trữ tại các xã năm {year}",
        Permanent,
        Open,
        Days(180),
    ),
    t(
        3,
        "Hồ sơ về công tác tôn giáo trên địa bàn huyện năm {year}",
        Permanent,
        SomeRestricted(40),
        Year,
    ),
    t(
        2,
        "Hồ sơ xử lý kỷ luật cán bộ, công chức năm {year}",
        Years(70),
        Restricted,
        Days(90),
    ),
];

const FINANCE: &[Template] = &[
    t(
        9,
        "Chứng từ kế toán ngân sách huyện tháng {month} năm {year}",
        Years(10),
        Open,
        Month,
    ),
    t(
        4,
        "Hồ sơ quyết toán ngân sách huyện năm {year}",
        Permanent,
        Open,
        Days(120),
    ),
    t(
        4,
        "Hồ sơ giao dự toán thu, chi ngân sách năm {year}",
        Permanent,
        Open,
        Days(45),
    ),
    t(
        3,
        "Hồ sơ thẩm tra quyết toán dự án hoàn thành {project}",
        Permanent,
        Open,
        Days(90),
    ),
    t(3, "Sổ kế toán chi tiết năm {year}", Years(20), Open, Year),
    t(
        2,
        "Hồ sơ xây dựng kế hoạch đầu tư công trung hạn của huyện năm {year}",
        Permanent,
        Open,
        Days(150),
    ),
];

const PARTY: &[Template] = &[
    t(
        6,
        "Hồ sơ Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ {session}, nhiệm kỳ {party_term}",
        Permanent,
        SomeRestricted(30),
        Days(10),
    ),
    t(
        5,
        "Nghị quyết, báo cáo của Ban Thường vụ Huyện ủy về {party_subject} năm {year}",
        Permanent,
        SomeRestricted(30),
        Days(60),
    ),
    t(
        3,
        "Hồ sơ kiểm tra, giám sát của Ủy ban Kiểm tra Huyện ủy năm {year}",
        Permanent,
        Restricted,
        Days(120),
    ),
    t(
        3,
        "Hồ sơ kết nạp đảng viên, công nhận đảng viên chính thức năm {year}",
        Years(70),
        SomeRestricted(30),
        Year,
    ),
    t(
        2,
        "Hồ sơ về công tác bảo vệ chính trị nội bộ năm {year}",
        Permanent,
        Secret,
        Year,
    ),
    t(
        2,
        "Tập công văn của Ban Thường vụ Huyện ủy gửi các tổ chức cơ sở đảng năm {year}",
        Years(10),
        Open,
        Year,
    ),
];

const COMMUNE: &[Template] = &[
    t(
        8,
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ {person}, thôn {village}",
        Permanent,
        SomeRestricted(10),
        Days(120),
    ),
    t(
        6,
        "Sổ đăng ký khai sinh năm {year}",
        Permanent,
        SomeRestricted(30),
        Year,
    ),
    t(4, "Sổ đăng ký kết hôn năm {year}", Permanent, Open, Year),
    t(
        4,
        "Hồ sơ kỳ họp thứ {session} Hội đồng nhân dân xã nhiệm kỳ {council_term}",
        Permanent,
        Open,
        Days(20),
    ),
    t(
        4,
        "Hồ sơ giải quyết đơn khiếu nại của {person}, thôn {village} về {complaint}",
        Years(20),
        Restricted,
        Days(120),
    ),
    t(
        3,
        "Hồ sơ hỗ trợ hộ nghèo, hộ cận nghèo năm {year}",
        Years(10),
        Open,
        Days(180),
    ),
    t(
        3,
        "Tập quyết định của Chủ tịch Ủy ban nhân dân xã năm {year}",
        Permanent,
        Open,
        Year,
    ),
    t(
        2,
        "Hồ sơ đăng ký, quản lý công dân trong độ tuổi sẵn sàng nhập ngũ năm {year}",
        Years(20),
        Restricted,
        Days(60),
    ),
];

impl Profile {
    /// The templates of this kind of creator; State creators share the common ones.
    fn templates(self) -> [&'static [Template]; 2] {
        match self {
            Self::DistrictCommittee => [DISTRICT_COMMITTEE, COMMON],
            Self::Office => [OFFICE, COMMON],
            Self::HomeAffairs => [HOME_AFFAIRS, COMMON],
            Self::Finance => [FINANCE, COMMON],
            Self::Party => [PARTY, &[]],
            Self::Commune => [COMMUNE, COMMON],
        }
    }

    /// Picks a template by weight.
    pub(super) fn pick(self, rng: &mut Rng) -> &'static Template {
        let all = self.templates();
        let total: u32 = all
            .iter()
            .flat_map(|list| list.iter())
            .map(|t| t.weight)
            .sum();
        let mut draw = rng.between(0, total.saturating_sub(1));
        for template in all.iter().flat_map(|list| list.iter()) {
            if draw < template.weight {
                return template;
            }
            draw -= template.weight;
        }
        &COMMON[0]
    }
}

#[cfg(test)]
mod tests {
    use super::super::names::fill;
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        let mut rng = Rng::seeded("titles");
        for profile in [
            Profile::DistrictCommittee,
            Profile::Office,
            Profile::HomeAffairs,
            Profile::Finance,
            Profile::Party,
            Profile::Commune,
        ] {
            for list in profile.templates() {
                for template in list {
                    let title = fill(template, &mut rng, 2012, 5);
                    assert!(!title.contains('{'), "{title}");
                    assert!(title.chars().count() <= 500, "{title}");
                }
            }
        }
    }
}
