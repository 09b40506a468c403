//! Exports of inventory lists and handovers.
//!
//! * [`csv`] — the Mục lục hồ sơ as CSV (UTF-8 with BOM, formulas neutralised), streamed.
//! * [`xlsx`] — the Mục lục hồ sơ in its official layout, written in constant-memory mode.
//! * [`html`] — printable HTML of the Mục lục hồ sơ and of the Biên bản giao nhận (Decree
//!   30/2020 Annex V), from templates, streamed a chunk of rows at a time.
//! * [`pdf`] — the same two documents as PDF, drawn by the service with an embedded font that
//!   covers Vietnamese (DejaVu Serif).
//! * [`ead3`] — the EAD3 finding aid of a fonds, streamed.
//! * [`premis`] — PREMIS 3 XML of a fonds' stored events.
//! * [`bag`] — a BagIt (RFC 8493) package of a handover.
//! * [`eark`] — E-ARK information packages (SIP, AIP) of a transfer, zipped and streamed.
//!
//! Every document reads its rows through [`rows::RowSource`], so the same code renders a
//! read-model query (streamed) or a fixed list (tests).

pub mod bag;
pub mod csv;
pub mod ead3;
pub mod eark;
mod error;
pub mod events;
mod format;
pub mod heading;
pub mod html;
pub mod labels;
pub mod minutes;
pub mod pdf;
pub mod premis;
pub mod qr;
pub mod rows;
pub mod sink;
pub mod verify;
pub mod words;
pub mod xlsx;
mod xml;

pub use error::ExportError;
pub use format::Format;
