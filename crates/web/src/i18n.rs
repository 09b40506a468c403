//! The message catalogues: one TOML file per language (`i18n/vi.toml`, `i18n/en.toml`), flat
//! `key = "text"` tables. Every text a page shows comes from them; a test checks that both
//! hold the same keys and that every key a template names exists.

use std::collections::BTreeMap;

use crate::error::WebError;

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 tag, also the value of the language cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// Parses a tag; anything else is `None`.
    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.tag() == tag)
    }

    fn source(self) -> &'static str {
        match self {
            Self::Vi => include_str!("../i18n/vi.toml"),
            Self::En => include_str!("../i18n/en.toml"),
        }
    }
}

/// One language's messages.
#[derive(Debug, Clone)]
pub struct Catalogue {
    messages: BTreeMap<String, String>,
}

impl Catalogue {
    /// Loads the catalogue of `lang` from the file compiled into the binary.
    pub fn load(lang: Lang) -> Result<Self, WebError> {
        let messages = toml::from_str(lang.source()).map_err(|e| WebError::Catalogue {
            lang: lang.tag(),
            reason: e.to_string(),
        })?;
        Ok(Self { messages })
    }

    /// The text of `key`, or the key itself when missing (a test keeps that from happening).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map_or(key, String::as_str)
    }

    /// Every key and its text.
    pub fn messages(&self) -> &BTreeMap<String, String> {
        &self.messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_hold_the_same_keys() {
        let vi = Catalogue::load(Lang::Vi).expect("vi parses");
        let en = Catalogue::load(Lang::En).expect("en parses");
        let missing_en: Vec<_> = vi
            .messages()
            .keys()
            .filter(|k| !en.messages().contains_key(*k))
            .collect();
        let missing_vi: Vec<_> = en
            .messages()
            .keys()
            .filter(|k| !vi.messages().contains_key(*k))
            .collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_vi.is_empty(), "missing in vi.toml: {missing_vi:?}");
        assert!(vi.messages().values().all(|v| !v.trim().is_empty()));
    }
}
