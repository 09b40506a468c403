//! What a reader may see of a file, and the SQL `FROM … WHERE …` of a scope and a filter.

use bangiao_domain::values::{AccessRegime, fold_vietnamese};
use rusqlite::types::Value;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{FileRow, Scope};
use crate::apply::search_words;

/// Filters of an inventory list; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Retention code: 01 (permanent) … 07.
    pub retention: Option<String>,
    /// Access code: 01 open, 02 conditional, 03 secret.
    pub access: Option<String>,
    /// Files ending in or after this year.
    pub year_from: Option<i32>,
    /// Files starting in or before this year.
    pub year_to: Option<i32>,
    /// Custody status (in_custody, in_handover, transferred, …).
    pub status: Option<String>,
    /// Current custodian.
    pub custodian: Option<String>,
    /// Only files of unfinished work (true) or only the others (false).
    pub unfinished: Option<bool>,
    /// Words of the title, without regard to diacritics or case. Several words, or words in
    /// double quotes, are a phrase found on word boundaries ("pac nam" finds "Pác Nặm", and
    /// "phong dien" finds "Phong Điền" but not "quốc phòng … Điền Môn"); a single word is
    /// found anywhere, also inside a longer word ("pac" finds "Pác Nặm").
    pub q: Option<String>,
    /// The fonds whose restricted (02) and secret (03) titles the reader may see; `None`: all.
    /// Set by the server from the caller's clearance, never from the query string.
    #[serde(skip)]
    #[param(ignore)]
    #[schema(ignore)]
    pub cleared_fonds: Option<Vec<String>>,
}

/// What a reader who is not cleared for a fonds sees instead of a restricted title.
pub const REDACTED_TITLE: &str = "[Hạn chế tiếp cận / Restricted]";

impl Filter {
    /// Whether every file of the list is selected (no filter narrows the rows; clearance only
    /// hides titles).
    pub fn selects_all(&self) -> bool {
        let Self {
            retention,
            access,
            year_from,
            year_to,
            status,
            custodian,
            unfinished,
            q,
            cleared_fonds: _,
        } = self;
        retention.is_none()
            && access.is_none()
            && year_from.is_none()
            && year_to.is_none()
            && status.is_none()
            && custodian.is_none()
            && unfinished.is_none()
            && q.is_none()
    }

    /// Hides the title and content fields of a restricted or secret file the reader is not
    /// cleared for; the row itself stays, so counts and totals remain correct.
    pub fn redact(&self, row: &mut FileRow) {
        if hides_content(self.cleared_fonds.as_deref(), &row.fonds_code, &row.access) {
            row.title = REDACTED_TITLE.to_owned();
            row.notes = None;
            row.unfinished = None;
            // That the file is damaged or was refused stays known; what the description or the
            // reason says may tell of its content, so it is hidden like the title.
            if let Some(damaged) = &mut row.damaged {
                REDACTED_TITLE.clone_into(damaged);
            }
            if let Some(rejected) = &mut row.rejected {
                REDACTED_TITLE.clone_into(&mut rejected.reason);
            }
        }
    }
}

/// Whether a reader cleared for `cleared` (`None`: every fonds) may not see the content of a file
/// of `fonds_code` whose access code is `access`: its title, notes, tasks, damage and refusal
/// reasons. The one rule of the lists, the exports and the event feed.
pub fn hides_content(cleared: Option<&[String]>, fonds_code: &str, access: &str) -> bool {
    cleared.is_some_and(|cleared| {
        access != AccessRegime::Open.code() && !cleared.iter().any(|f| f == fonds_code)
    })
}

/// The units of a unit's scope: itself, its predecessors and the units below, recursively.
pub(super) const UNIT_SCOPE: &str = "WITH RECURSIVE scope(code) AS (
        SELECT ?1
        UNION SELECT l.predecessor FROM unit_links l JOIN scope s ON l.successor = s.code
        UNION SELECT u.code FROM units u JOIN scope s ON u.parent = s.code
    )";

/// A growing `WHERE` clause and its positional parameters.
pub(super) struct Where {
    pub(super) sql: String,
    pub(super) params: Vec<Value>,
}

impl Where {
    /// Adds ` AND {left} ?n{right}` with `value` as parameter n.
    pub(super) fn and(&mut self, left: &str, value: Value, right: &str) {
        self.params.push(value);
        self.sql
            .push_str(&format!(" AND {left} ?{}{right}", self.params.len()));
    }
}

/// What a search box asks for, without regard to diacritics or case.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SearchTerm {
    /// Words in this order, each a whole word of the title ("phong dien" finds "Xã Phong
    /// Điền" but not "quốc phòng … Điền Môn"); folded, one space between words.
    Phrase(String),
    /// One word, found anywhere in the title, also inside a longer word ("pac" finds "Pác").
    Word(String),
}

/// The terms of a query: each text in double quotes is a phrase; so is each run of several
/// words outside quotes; a single word outside quotes is a word.
fn search_terms(q: &str) -> Vec<SearchTerm> {
    let mut terms = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        let words = search_words(part);
        let words = words.trim();
        if words.is_empty() {
            continue;
        }
        let quoted = i % 2 == 1;
        if quoted || words.contains(' ') {
            terms.push(SearchTerm::Phrase(words.to_owned()));
        } else {
            terms.push(SearchTerm::Word(fold_vietnamese(part.trim())));
        }
    }
    terms
}

/// The SQL `FROM … WHERE …` of a scope and filter, with its parameters.
pub(super) fn from_where(scope: &Scope, filter: &Filter) -> (String, Vec<Value>) {
    let mut w = match scope {
        Scope::Fonds(code) => Where {
            sql: "FROM files f WHERE f.fonds_code = ?1".to_owned(),
            params: vec![Value::Text(code.clone())],
        },
        Scope::Unit(code) => Where {
            sql: "FROM files f JOIN fonds d ON d.code = f.fonds_code WHERE d.unit_code IN (SELECT code FROM scope)".to_owned(),
            params: vec![Value::Text(code.clone())],
        },
    };
    let text = |v: &String| Value::Text(v.clone());
    if let Some(v) = &filter.retention {
        w.and("f.retention =", text(v), "");
    }
    if let Some(v) = &filter.access {
        w.and("f.access =", text(v), "");
    }
    if let Some(v) = filter.year_from {
        w.and("f.end_date >=", Value::Text(format!("{v:04}-01-01")), "");
    }
    if let Some(v) = filter.year_to {
        w.and("f.start_date <=", Value::Text(format!("{v:04}-12-31")), "");
    }
    if let Some(v) = &filter.status {
        w.and("f.status =", text(v), "");
    }
    if let Some(v) = &filter.custodian {
        w.and("f.custodian =", text(v), "");
    }
    if let Some(v) = filter.unfinished {
        w.sql.push_str(if v {
            " AND f.unfinished IS NOT NULL"
        } else {
            " AND f.unfinished IS NULL"
        });
    }
    let terms = filter.q.as_deref().map(search_terms).unwrap_or_default();
    if !terms.is_empty() {
        for term in &terms {
            match term {
                SearchTerm::Phrase(words) => {
                    w.and(
                        "f.title_words LIKE",
                        Value::Text(format!("% {words} %")),
                        "",
                    );
                }
                SearchTerm::Word(word) => {
                    let escaped = word
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_");
                    w.and(
                        "f.title_folded LIKE",
                        Value::Text(format!("%{escaped}%")),
                        " ESCAPE '\\'",
                    );
                }
            }
        }
        // A word may only find a restricted title the reader is cleared for: otherwise the
        // search itself would tell what the hidden title says.
        if let Some(cleared) = &filter.cleared_fonds {
            let mut allowed = vec!["f.access = '01'".to_owned()];
            for fonds in cleared {
                w.params.push(Value::Text(fonds.clone()));
                allowed.push(format!("f.fonds_code = ?{}", w.params.len()));
            }
            w.sql.push_str(&format!(" AND ({})", allowed.join(" OR ")));
        }
    }
    (w.sql, w.params)
}

pub(super) fn with_scope(scope: &Scope, body: String) -> String {
    match scope {
        Scope::Fonds(_) => body,
        Scope::Unit(_) => format!("{UNIT_SCOPE} {body}"),
    }
}
