//! What the JSON and query parsers refused, said in Vietnamese and in English: the field (its
//! path in the body, e.g. `closing_act.issued_on`) and the problem, read from serde's messages.
//! The parser's own text is kept apart, for the problem's `detail`.

/// The longest part of a refused value that messages repeat.
const SHOWN_CHARS: usize = 60;
/// The longest parser text kept as `detail` (a refused string may be megabytes long).
const DETAIL_CHARS: usize = 500;

/// A refusal of the parser, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// The field at fault (`closing_act.issued_on`, `files[2].title`), if not the whole input.
    pub field: Option<String>,
    /// What is wrong with it, in Vietnamese (no sentence capital, no full stop).
    pub vi: String,
    /// What is wrong with it, in English.
    pub en: String,
}

/// Explains a data error (a value of the wrong type or form, a missing or unknown field)
/// reported at `path` (serde_path_to_error's path; `.` or empty for the whole input).
pub fn data_error(path: &str, message: &str) -> Explained {
    let message = without_location(message);
    let (vi, en, named) = problem(message);
    let path = match path {
        "" | "." => None,
        p => Some(p.to_owned()),
    };
    let field = match (path, named) {
        (Some(path), Some(name)) if path == name || path.ends_with(&format!(".{name}")) => {
            Some(path)
        }
        (Some(path), Some(name)) => Some(format!("{path}.{name}")),
        (path, name) => path.or(name),
    };
    Explained { field, vi, en }
}

/// Explains a JSON syntax error (serde_json's message, with or without its location).
pub fn syntax_error(message: &str) -> (String, String) {
    let message = without_location(message);
    let vi = match message {
        m if m.starts_with("EOF while parsing a list") => {
            "nội dung kết thúc khi danh sách chưa đóng (thiếu dấu ])"
        }
        m if m.starts_with("EOF while parsing an object") => {
            "nội dung kết thúc khi đối tượng chưa đóng (thiếu dấu })"
        }
        m if m.starts_with("EOF while parsing a string") => {
            "nội dung kết thúc khi chuỗi chưa đóng ngoặc kép"
        }
        m if m.starts_with("EOF while parsing") => {
            "nội dung trống hoặc kết thúc khi còn thiếu giá trị"
        }
        "expected `:`" => "thiếu dấu hai chấm sau tên trường",
        "expected `,` or `]`" => "thiếu dấu phẩy hoặc dấu ] trong danh sách",
        "expected `,` or `}`" => "thiếu dấu phẩy hoặc dấu } trong đối tượng",
        "expected ident" => "từ không hợp lệ (chỉ nhận true, false hoặc null)",
        "expected value" => "thiếu giá trị hoặc có ký tự không hợp lệ",
        "key must be a string" => "tên trường phải đặt trong ngoặc kép",
        "invalid escape" => "ký tự thoát (\\) không hợp lệ trong chuỗi",
        "invalid number" => "số không hợp lệ",
        "number out of range" => "số vượt quá giới hạn",
        "invalid unicode code point" => "mã Unicode không hợp lệ",
        m if m.starts_with("control character") => {
            "chuỗi chứa ký tự điều khiển chưa được thoát (ví dụ xuống dòng phải viết \\n)"
        }
        "trailing characters" => "thừa ký tự sau khi nội dung JSON đã kết thúc",
        "trailing comma" => "thừa dấu phẩy trước dấu đóng",
        "recursion limit exceeded" => "các đối tượng lồng nhau quá sâu",
        m if m.contains("surrogate") || m.contains("hex escape") => {
            "mã \\u trong chuỗi không hợp lệ"
        }
        _ => "cú pháp JSON sai",
    };
    (vi.to_owned(), message.to_owned())
}

/// The parser's text as kept in `detail`: cut when very long.
pub fn detail(text: &str) -> String {
    shown(text, DETAIL_CHARS)
}

/// serde_json's message without " at line L column C".
fn without_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn shown(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}…")
}

/// The parts of `text` between backticks: "unknown field `a`, expected `b`" gives a, b.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The problem of a data error in Vietnamese and English, and the field it names, if any.
fn problem(message: &str) -> (String, String, Option<String>) {
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = backticked(rest).first().map(|n| (*n).to_owned());
        return (
            "thiếu trường bắt buộc này".into(),
            "this required field is missing".into(),
            name,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = backticked(rest);
        let accepted = names.get(1..).unwrap_or_default().join(", ");
        let (vi, en) = if accepted.is_empty() {
            (
                "trường này không có trong mẫu".to_owned(),
                "no such field".to_owned(),
            )
        } else {
            (
                format!("trường này không có trong mẫu; các trường được nhận: {accepted}"),
                format!("no such field; accepted: {accepted}"),
            )
        };
        return (vi, en, names.first().map(|n| (*n).to_owned()));
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let name = backticked(rest).first().map(|n| (*n).to_owned());
        return (
            "trường này xuất hiện hai lần".into(),
            "this field is given twice".into(),
            name,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = backticked(rest);
        let given = shown(names.first().copied().unwrap_or_default(), SHOWN_CHARS);
        let allowed = names.get(1..).unwrap_or_default().join(", ");
        return (
            format!("giá trị «{given}» không được nhận; dùng một trong: {allowed}"),
            format!("\"{given}\" is not accepted; use one of: {allowed}"),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!(
                "sai kiểu dữ liệu: nhận {}, cần {}",
                unexpected_vi(got),
                expected_vi(wanted)
            ),
            format!(
                "wrong type: got {}, expected {wanted}",
                shown(got, SHOWN_CHARS)
            ),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (got, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!(
                "giá trị không hợp lệ: nhận {}, cần {}",
                unexpected_vi(got),
                expected_vi(wanted)
            ),
            format!(
                "invalid value: got {}, expected {wanted}",
                shown(got, SHOWN_CHARS)
            ),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let (count, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!(
                "số phần tử ({count}) không hợp lệ, cần {}",
                expected_vi(wanted)
            ),
            format!("invalid length {count}, expected {wanted}"),
            None,
        );
    }
    if message.starts_with("data did not match any variant") {
        return (
            "giá trị không đúng dạng nào được chấp nhận".into(),
            "the value matches none of the accepted forms".into(),
            None,
        );
    }
    if let Some((_, rest)) = message.split_once(": value \"")
        && let Some((value, refused)) = rest.rsplit_once("\" ")
    {
        // The domain's value types: `field: value "v" <problem>`.
        let value = shown(value, SHOWN_CHARS);
        return (
            format!("giá trị «{value}» {}", value_problem_vi(refused)),
            format!("value \"{value}\" {refused}"),
            None,
        );
    }
    (
        format!("giá trị không hợp lệ ({})", scalar_problem_vi(message)),
        shown(message, DETAIL_CHARS),
        None,
    )
}

/// The domain's value problems (`bangiao_domain::ValueProblem`), in Vietnamese.
fn value_problem_vi(refused: &str) -> String {
    if let Some(max) = refused
        .strip_prefix("is longer than ")
        .and_then(|r| r.strip_suffix(" characters"))
    {
        return format!("dài quá {max} ký tự");
    }
    match refused {
        "is empty" => "đang để trống".into(),
        "contains a control character" => "chứa ký tự điều khiển".into(),
        "is not a known value" => "không có trong danh mục".into(),
        r if r.starts_with("is not in the expected form") => "không đúng dạng quy định".into(),
        _ => "không hợp lệ".into(),
    }
}

/// The messages of the standard parsers of dates, numbers, booleans and UUIDs.
fn scalar_problem_vi(message: &str) -> &'static str {
    match message {
        "input contains invalid characters" => "có ký tự không hợp lệ; ngày viết dạng YYYY-MM-DD",
        "premature end of input" => "thiếu phần cuối; ngày viết dạng YYYY-MM-DD",
        "input is out of range" => "ngày tháng không tồn tại (ví dụ tháng 13 hay ngày 31/02)",
        "trailing input" => "thừa ký tự ở cuối; ngày viết dạng YYYY-MM-DD",
        "input is not enough for unique date and time" => "thiếu thông tin ngày giờ",
        "no possible date and time matching input" => "không có ngày giờ như vậy",
        "invalid digit found in string" => "không phải số nguyên",
        "cannot parse integer from empty string" => "đang để trống, cần một số nguyên",
        "number too large to fit in target type" => "số quá lớn",
        "number too small to fit in target type" => "số quá nhỏ",
        "invalid float literal" => "không phải số",
        "provided string was not `true` or `false`" => "cần true hoặc false",
        m if m.starts_with("UUID parsing failed") => "không phải UUID hợp lệ",
        _ => "không đúng dạng quy định",
    }
}

/// serde's `Unexpected` ("integer `42`", "string \"x\"", "map"…) in Vietnamese.
fn unexpected_vi(got: &str) -> String {
    let value = |rest: &str| shown(rest.trim_matches(|c| c == '`' || c == '"'), SHOWN_CHARS);
    if let Some(rest) = got.strip_prefix("integer ") {
        return format!("số nguyên {}", value(rest));
    }
    if let Some(rest) = got.strip_prefix("floating point ") {
        return format!("số thập phân {}", value(rest));
    }
    if let Some(rest) = got.strip_prefix("boolean ") {
        return format!("giá trị đúng/sai {}", value(rest));
    }
    if let Some(rest) = got.strip_prefix("string ") {
        return format!("chuỗi «{}»", value(rest));
    }
    if let Some(rest) = got.strip_prefix("character ") {
        return format!("ký tự «{}»", value(rest));
    }
    match got {
        "null" | "unit value" => "null".into(),
        "map" => "một đối tượng".into(),
        "sequence" => "một danh sách".into(),
        _ => "một giá trị khác kiểu".into(),
    }
}

/// serde's "expected …" (the visitor's description) in Vietnamese.
fn expected_vi(wanted: &str) -> &'static str {
    let w = wanted.trim();
    match w {
        "a string" | "a borrowed string" | "string" => "một chuỗi ký tự",
        "a boolean" | "bool" => "true hoặc false",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "một số nguyên không âm",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "một số nguyên",
        "f32" | "f64" => "một số",
        "unit" | "null" => "null",
        "a map" | "map" => "một đối tượng {…}",
        _ if w.contains("date and time") || w.contains("RFC 3339") || w.contains("datetime") => {
            "ngày giờ dạng RFC 3339 (YYYY-MM-DDThh:mm:ssZ)"
        }
        _ if w.contains("date") => "một ngày dạng YYYY-MM-DD",
        _ if w.contains("UUID") => "một UUID",
        _ if w.starts_with("struct ") => "một đối tượng {…}",
        _ if w.starts_with("enum ") || w.contains("variant") => "một trong các giá trị được phép",
        _ if w.contains("sequence") || w.contains("tuple") || w.contains("array") => {
            "một danh sách […]"
        }
        _ if w.starts_with("a string") || w.starts_with("string") => "một chuỗi ký tự",
        _ => "đúng kiểu quy định",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_vietnamese_with_the_field() {
        let e = data_error(
            "closing_act.issued_on",
            "invalid type: integer `42`, expected a formatted date string at line 1 column 60",
        );
        assert_eq!(e.field.as_deref(), Some("closing_act.issued_on"));
        assert_eq!(
            e.vi,
            "sai kiểu dữ liệu: nhận số nguyên 42, cần một ngày dạng YYYY-MM-DD"
        );
        let e = data_error(".", "missing field `closed_on`");
        assert_eq!(
            (e.field.as_deref(), e.vi.as_str()),
            (Some("closed_on"), "thiếu trường bắt buộc này")
        );
        let e = data_error(
            "closing_act",
            "unknown field `extra`, expected one of `number`, `issued_on`",
        );
        assert_eq!(e.field.as_deref(), Some("closing_act.extra"));
        assert!(
            e.vi.ends_with("các trường được nhận: number, issued_on"),
            "{}",
            e.vi
        );
        let e = data_error(
            "kind",
            "unknown variant `stat`, expected `state` or `private`",
        );
        assert!(
            e.vi.starts_with("giá trị «stat» không được nhận"),
            "{}",
            e.vi
        );
        let e = data_error(
            "custodian",
            "custodian: value \"\" is empty at line 1 column 14",
        );
        assert_eq!(e.vi, "giá trị «» đang để trống");
        let e = data_error("as_of", "input contains invalid characters");
        assert!(e.vi.contains("YYYY-MM-DD"), "{}", e.vi);
    }

    #[test]
    fn syntax_errors_are_explained_without_their_location() {
        let (vi, en) = syntax_error("EOF while parsing an object at line 1 column 13");
        assert_eq!(
            (vi.as_str(), en.as_str()),
            (
                "nội dung kết thúc khi đối tượng chưa đóng (thiếu dấu })",
                "EOF while parsing an object"
            )
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = format!(
            "invalid type: string \"{}\", expected u32",
            "a".repeat(5000)
        );
        let e = data_error("sheets", &long);
        assert!(e.vi.chars().count() < 150 && e.en.chars().count() < 150);
        assert!(detail(&long).chars().count() <= DETAIL_CHARS + 1);
    }
}
