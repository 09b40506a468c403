//! OpenAPI schemas (feature `openapi`) of the values that travel as a string or a code. serde
//! reads them through `parse`, which utoipa cannot see, so each schema is written here by hand
//! to match the JSON. Patterns are a first check for clients; `parse` stays the authority (it
//! also trims, so padded input that a pattern refuses is still accepted by the server).

use serde_json::json;
use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

use super::{
    AccessRegime, BatchId, BoxNumber, CopyId, CustodianId, DestructionId, DocumentNumber, FileCode,
    FileNotation, FondsCode, HandoverId, HoldId, Name, Note, OrganId, ReorganisationId,
    RetentionPeriod, Sha256Hex, Title, TransferId, UnitCode, UserId,
};

/// Implements `PartialSchema` with the given schema and `ToSchema` under the type's own name,
/// so structs that hold the value refer to one component.
macro_rules! schema {
    ($name:ty => $schema:expr) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema.into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

/// A non-empty string of at most `max_length` characters, with its description and a sample.
fn text(description: &str, example: &str, max_length: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .examples([example])
        .min_length(Some(1))
        .max_length(Some(max_length))
}

/// A UUID string naming one act.
fn uuid(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::Custom("uuid".to_owned())))
        .description(Some(description))
        .examples(["0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f12"])
}

schema!(UnitCode => text(
    "Mã đơn vị hành chính: the GSO code of an administrative unit, two digits then digits or capital letters.",
    "066",
    10,
)
.pattern(Some("^[0-9]{2}[0-9A-Z]{0,8}$")));

schema!(FondsCode => text(
    "Mã phông: the code of a fonds; ASCII letters, digits, '-', '.', '_'.",
    "UB-066",
    20,
)
.pattern(Some("^[A-Za-z0-9._-]{1,20}$")));

schema!(OrganId => text(
    "Mã định danh cơ quan: the Decree 30 identifier of an agency; ASCII letters, digits, '.', '-'.",
    "000.00.07.H56",
    13,
)
.pattern(Some("^[A-Za-z0-9.-]{1,13}$")));

schema!(FileNotation => text(
    "Số và ký hiệu hồ sơ: a file's number and notation; letters, digits, '/', '-', '_', no dot.",
    "12/TCCB",
    20,
));

schema!(BoxNumber => text(
    "Hộp số: the number of a box; letters, digits, '/', '-', '.', '_'.",
    "12A",
    20,
));

schema!(FileCode => text(
    "Mã hồ sơ: `{organ id or fonds code}.{4-digit year}.{file notation}`; the notation has no dot.",
    "000.00.07.H56.2020.12/TCCB",
    46,
)
.pattern(Some(r"^[A-Za-z0-9._-]{1,20}\.[1-9][0-9]{3}\.[^.\s]{1,20}$")));

schema!(CustodianId => text(
    "Bên quản lý: an agency, unit or archive that holds records; ASCII letters, digits, '-', '.', '_'.",
    "UBND-066",
    40,
)
.pattern(Some("^[A-Za-z0-9._-]{1,40}$")));

schema!(UserId => text(
    "A person's account (the subject of their token), without spaces.",
    "nguyen.van.a@sonoivu.gov.vn",
    255,
)
.pattern(Some(r"^\S{1,255}$")));

schema!(Title => text("Tiêu đề: a title, one line.", "Hồ sơ Đại hội Đảng bộ huyện Pác Nặm", 500));

schema!(Name => text("A proper name, one line.", "Ủy ban nhân dân huyện Pác Nặm", 300));

schema!(Note => text("Free text; may run over several lines.", "Rách bìa", 10_000));

schema!(DocumentNumber => text(
    "Số, ký hiệu văn bản: the number and notation of a legal document.",
    "202/2025/QH15",
    50,
));

schema!(Sha256Hex => text("Mã băm SHA-256: 64 hexadecimal digits.", &"ab".repeat(32), 64)
    .pattern(Some("^[0-9A-Fa-f]{64}$")));

schema!(HandoverId => uuid("Identifies one set of handover minutes; a UUID the caller generates (v7 recommended)."));
schema!(TransferId => uuid("Identifies one transfer to a historical archive; a UUID the caller generates."));
schema!(DestructionId => uuid("Identifies one destruction procedure; a UUID the caller generates."));
schema!(HoldId => uuid("Identifies one hold; a UUID the caller generates."));
schema!(CopyId => uuid("Identifies one digital copy of a file; a UUID the caller generates."));
schema!(BatchId => uuid("Identifies a batch covering several fonds; a UUID the caller generates."));
schema!(ReorganisationId => uuid("Identifies one merger or split of units; a UUID the caller generates."));

schema!(AccessRegime => ObjectBuilder::new()
    .schema_type(Type::String)
    .description(Some("Chế độ sử dụng (TT 05/2025): 01 open, 02 conditional, 03 secret."))
    .enum_values(Some(["01", "02", "03"])));

schema!(RetentionPeriod => ObjectBuilder::new()
    .description(Some(
        "Thời hạn bảo quản (TT 05/2025): code 01 permanent; 02 70 years, 03 50, 04 30, 05 20, \
         06 10; 07 another term, with its years.",
    ))
    .property(
        "code",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(["01", "02", "03", "04", "05", "06", "07"])),
    )
    .required("code")
    .property(
        "years",
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(100))
            .description(Some(
                "Required with code 07; with 02 to 06 optional and equal to the code's years.",
            )),
    )
    .examples([json!({ "code": "01" }), json!({ "code": "07", "years": 5 })]));
