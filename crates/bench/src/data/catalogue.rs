//! The administrative units and the vocabulary the generated records are written in: Pác Nặm
//! district of Bắc Kạn province and its ten communes, the organs that keep fonds there, and
//! the titles clerks give their files.

/// The province, registered first.
pub const PROVINCE: (&str, &str) = ("06", "Tỉnh Bắc Kạn");

/// The district under the province.
pub const DISTRICT: (&str, &str) = ("066", "Huyện Pác Nặm");

/// The communes under the district (code, name without "Xã").
pub const COMMUNES: [(&str, &str); 10] = [
    ("06601", "Bộc Bố"),
    ("06602", "Bằng Thành"),
    ("06603", "Nhạn Môn"),
    ("06604", "Giáo Hiệu"),
    ("06605", "Xuân La"),
    ("06606", "An Thắng"),
    ("06607", "Công Bằng"),
    ("06608", "Cổ Linh"),
    ("06609", "Cao Tân"),
    ("06610", "Nghiên Loan"),
];

/// Organs that create fonds in a commune: (name prefix, custodian prefix, Party fonds?).
pub const ORGANS: [(&str, &str, bool); 8] = [
    ("Ủy ban nhân dân", "UBND", false),
    ("Hội đồng nhân dân", "HDND", false),
    ("Đảng ủy", "DU", true),
    ("Trạm Y tế", "TYT", false),
    ("Trường Tiểu học", "THCS", false),
    ("Công an", "CA", false),
    ("Hội Nông dân", "HND", false),
    ("Ban Chỉ huy Quân sự", "QS", false),
];

/// Subjects of files; a title is "{kind} {subject} {place} năm {year}".
pub const SUBJECTS: [&str; 12] = [
    "về công tác tổ chức cán bộ",
    "về quản lý đất đai và cấp giấy chứng nhận quyền sử dụng đất",
    "về đăng ký hộ tịch, khai sinh, kết hôn",
    "về xây dựng nông thôn mới",
    "về thu, chi ngân sách",
    "về phòng chống thiên tai và tìm kiếm cứu nạn",
    "về giải quyết khiếu nại, tố cáo của công dân",
    "về thực hiện chính sách đối với người có công",
    "về giáo dục và phổ cập giáo dục",
    "về y tế, dân số và kế hoạch hóa gia đình",
    "về quốc phòng, an ninh địa phương",
    "về sáp nhập đơn vị hành chính",
];

/// Kinds of files, the first words of a title.
pub const KINDS: [&str; 6] = [
    "Hồ sơ",
    "Tập báo cáo",
    "Tập quyết định",
    "Tập biên bản họp",
    "Sổ theo dõi",
    "Tập công văn trao đổi",
];

/// The name of a unit as written in titles: "xã Bộc Bố", "huyện Pác Nặm".
pub fn place(unit: &str) -> String {
    if let Some((_, name)) = COMMUNES.iter().find(|(code, _)| *code == unit) {
        return format!("xã {name}");
    }
    if unit == DISTRICT.0 {
        return "huyện Pác Nặm".to_owned();
    }
    "tỉnh Bắc Kạn".to_owned()
}
