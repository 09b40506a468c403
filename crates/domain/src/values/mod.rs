//! Validated value types: every identifier, code and period is parsed once at the edge,
//! so the rules never meet an invalid one ("parse, don't validate").

mod access;
mod actor;
mod codes;
mod custodian;
mod extent;
mod file_code;
mod fold;
mod ids;
mod kinds;
mod legal_basis;
mod prose;
mod retention;
#[cfg(feature = "openapi")]
mod schema;
mod sha256;
mod text;

pub use access::AccessRegime;
pub use actor::{Actor, Role, UserId};
pub use codes::{BoxNumber, FileNotation, FondsCode, OrganId, UnitCode};
pub use custodian::CustodianId;
pub use extent::{Extent, SHEETS_PER_BOX};
pub use file_code::FileCode;
pub use fold::fold_vietnamese;
pub use ids::{BatchId, CopyId, DestructionId, HandoverId, HoldId, ReorganisationId, TransferId};
pub use kinds::{Carrier, FondsKind, UnitLevel, UnitType};
pub use legal_basis::LegalBasis;
pub use prose::{DocumentNumber, Name, Note, Title};
pub use retention::RetentionPeriod;
pub use sha256::Sha256Hex;
pub use text::is_invisible;
