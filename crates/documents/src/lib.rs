//! Inventories in and out. `import` reads the spreadsheets offices keep (XLSX, CSV) into
//! validated commands with a report per row; `export` writes inventory lists and handover
//! minutes as CSV, XLSX, printable HTML and PDF, EAD3, BagIt and PREMIS. No HTTP here: the
//! server and the CLI call these functions.

pub mod export;
pub mod import;
