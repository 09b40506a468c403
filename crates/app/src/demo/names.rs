//! The words that fill the title templates: people's names common in Pác Nặm (Tày, Nùng,
//! H'Mông, Dao and Kinh), village names, fields of work, projects, and the terms of office.

use super::ids::Rng;
use super::titles::Template;

const SURNAMES: &[&str] = &[
    "Hoàng", "Nông", "Lục", "Ma", "Triệu", "Lý", "Hà", "Đinh", "Lường", "Giàng", "Mùa", "Vàng",
    "Nguyễn", "Phùng", "Bàn", "Dương",
];
const MEN: &[&str] = &[
    "Văn Thắng",
    "Văn Páo",
    "Seo Dìn",
    "Văn Chẩn",
    "Đức Quyết",
    "Văn Lượng",
    "A Sính",
    "Văn Vần",
    "Minh Khánh",
    "Văn Nhất",
    "Tiến Phong",
    "Văn Tùng",
    "Kim Sơn",
];
const WOMEN: &[&str] = &[
    "Thị Hoa",
    "Thị Lành",
    "Thị Mai",
    "Thị Xuân",
    "Thị Dung",
    "Thị Phượng",
    "Thị Nhung",
    "Thị Thu",
    "Thị Chiều",
];
const VILLAGES: &[&str] = &[
    "Nà Lạn",
    "Khuổi Khí",
    "Pác Giả",
    "Nà Còi",
    "Phiêng Phường",
    "Khuổi Bốc",
    "Nà Mu",
    "Lủng Phặc",
    "Khuổi Ún",
    "Nà Pục",
    "Bản Đâng",
    "Cốc Nọt",
    "Nà Vài",
    "Thôm Mò",
];
const FIELDS: &[&str] = &[
    "cải cách hành chính",
    "phòng, chống thiên tai",
    "giảm nghèo bền vững",
    "xây dựng nông thôn mới",
    "văn thư, lưu trữ",
    "dân tộc",
    "y tế, dân số",
    "giáo dục và đào tạo",
    "tư pháp, hộ tịch",
    "quản lý đất đai",
    "phòng cháy, chữa cháy rừng",
];
const SUBJECTS: &[&str] = &[
    "phê duyệt kế hoạch sử dụng đất",
    "giao đất, cho thuê đất",
    "khen thưởng thành tích",
    "phân bổ kinh phí hỗ trợ sản xuất",
    "công nhận thôn, bản văn hóa",
    "hỗ trợ nhà ở cho hộ nghèo",
    "điều động, bổ nhiệm cán bộ",
    "thành lập Ban Chỉ đạo xây dựng nông thôn mới",
];
const COMPLAINTS: &[&str] = &[
    "tranh chấp đất đai",
    "bồi thường, hỗ trợ giải phóng mặt bằng",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "chế độ chính sách người có công",
];
const PROJECTS: &[&str] = &[
    "đường giao thông liên xã Bộc Bố - Nhạn Môn",
    "đường giao thông đến trung tâm xã Cổ Linh",
    "công trình nước sinh hoạt tập trung thôn Nà Lạn",
    "kè chống sạt lở bờ sông Năng",
    "trường Phổ thông dân tộc bán trú xã Bằng Thành",
    "trạm y tế xã An Thắng",
    "thủy lợi Nà Mu, xã Xuân La",
    "chợ trung tâm huyện Pác Nặm",
];
const MOVEMENTS: &[&str] = &[
    "phong trào thi đua yêu nước",
    "xây dựng nông thôn mới",
    "công tác giảm nghèo",
    "công tác cải cách hành chính",
];
const ORGANISATIONS: &[&str] = &[
    "Ủy ban nhân dân các xã",
    "các phòng chuyên môn thuộc Ủy ban nhân dân huyện",
    "Ban Chỉ đạo cải cách hành chính huyện",
    "Hội đồng Thi đua - Khen thưởng huyện",
];
const PARTY_SUBJECTS: &[&str] = &[
    "lãnh đạo phát triển kinh tế - xã hội",
    "công tác xây dựng Đảng",
    "công tác dân vận",
    "lãnh đạo công tác quốc phòng, an ninh",
    "công tác cán bộ",
];
const COMMUNES: &[&str] = &[
    "xã Bộc Bố",
    "xã Bằng Thành",
    "xã Nhạn Môn",
    "xã Giáo Hiệu",
    "xã Xuân La",
    "xã An Thắng",
    "xã Công Bằng",
    "xã Cổ Linh",
    "xã Cao Tân",
    "xã Nghiên Loan",
];

/// Nhiệm kỳ Hội đồng nhân dân of a year.
fn council_term(year: i32) -> &'static str {
    match year {
        ..=2003 => "1999 - 2004",
        2004..=2010 => "2004 - 2011",
        2011..=2015 => "2011 - 2016",
        2016..=2020 => "2016 - 2021",
        _ => "2021 - 2026",
    }
}

/// Nhiệm kỳ Đại hội Đảng bộ huyện of a year.
fn party_term(year: i32) -> &'static str {
    match year {
        ..=2004 => "2003 - 2005",
        2005..=2009 => "2005 - 2010",
        2010..=2014 => "2010 - 2015",
        2015..=2019 => "2015 - 2020",
        _ => "2020 - 2025",
    }
}

/// A person's full name drawn from the same names as the titles', fixed for a seed (an
/// account): "Hoàng Văn Thắng" or "Nông Thị Hoa".
pub(super) fn full_name(seed: &str) -> String {
    let mut rng = Rng::seeded(&format!("họ tên {seed}"));
    let surname = rng.pick(SURNAMES);
    let given = if rng.percent(35) {
        rng.pick(WOMEN)
    } else {
        rng.pick(MEN)
    };
    format!("{surname} {given}")
}

/// "ông Hoàng Văn Thắng" or "bà Nông Thị Hoa".
fn person(rng: &mut Rng) -> String {
    let surname = rng.pick(SURNAMES);
    if rng.percent(35) {
        format!("bà {surname} {}", rng.pick(WOMEN))
    } else {
        format!("ông {surname} {}", rng.pick(MEN))
    }
}

/// Fills a template's placeholders for a file of `year` (and `month`, for monthly files).
pub(super) fn fill(template: &Template, rng: &mut Rng, year: i32, month: u32) -> String {
    let mut title = template.text.to_owned();
    let lists: [(&str, &[&str]); 9] = [
        ("{village}", VILLAGES),
        ("{commune}", COMMUNES),
        ("{field}", FIELDS),
        ("{subject}", SUBJECTS),
        ("{complaint}", COMPLAINTS),
        ("{project}", PROJECTS),
        ("{movement}", MOVEMENTS),
        ("{organisation}", ORGANISATIONS),
        ("{party_subject}", PARTY_SUBJECTS),
    ];
    if title.contains("{person}") {
        title = title.replace("{person}", &person(rng));
    }
    for (placeholder, values) in lists {
        if title.contains(placeholder) {
            title = title.replace(placeholder, rng.pick::<&str>(values));
        }
    }
    if title.contains("{session}") {
        title = title.replace("{session}", &rng.between(1, 14).to_string());
    }
    title
        .replace("{council_term}", council_term(year))
        .replace("{party_term}", party_term(year))
        .replace("{month}", &month.to_string())
        .replace("{year}", &year.to_string())
}
