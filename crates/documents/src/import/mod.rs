//! Imports of office spreadsheets.
