//! The export formats, their names in `format=`, media types and file extensions.

/// One export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON pages (the API's own format; not a document).
    Json,
    /// CSV, UTF-8 with BOM.
    Csv,
    /// Excel workbook in the official Mục lục layout.
    Xlsx,
    /// Printable HTML.
    Html,
    /// PDF with an embedded font.
    Pdf,
    /// EAD3 finding aid.
    Ead3,
    /// PREMIS 3 events.
    Premis,
    /// BagIt package, zipped.
    Bag,
}

impl Format {
    /// Every format, in the order the API documents them.
    pub const ALL: [Format; 8] = [
        Self::Json,
        Self::Csv,
        Self::Xlsx,
        Self::Html,
        Self::Pdf,
        Self::Ead3,
        Self::Premis,
        Self::Bag,
    ];

    /// The format named in `format=` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Its name in `format=`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Ead3 => "ead3",
            Self::Premis => "premis",
            Self::Bag => "bag",
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Html => "text/html; charset=utf-8",
            Self::Pdf => "application/pdf",
            Self::Ead3 => "application/xml; charset=utf-8",
            Self::Premis => "application/xml; charset=utf-8",
            Self::Bag => "application/zip",
        }
    }

    /// The extension of a file in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Ead3 => "ead3.xml",
            Self::Premis => "premis.xml",
            Self::Bag => "zip",
        }
    }

    /// The first of `offered` that an `Accept` header asks for, by media type (no q-values:
    /// the first listed media type that matches wins; `*/*` matches nothing, so JSON stays the
    /// default of a browser-less client).
    pub fn from_accept(accept: &str, offered: &[Format]) -> Option<Self> {
        accept
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .find_map(|wanted| {
                offered.iter().copied().find(|f| {
                    let own = f.media_type().split(';').next().unwrap_or("");
                    own.eq_ignore_ascii_case(wanted) || alias(*f).eq_ignore_ascii_case(wanted)
                })
            })
    }
}

/// Other media types clients send for a format.
fn alias(format: Format) -> &'static str {
    match format {
        Format::Ead3 => "application/ead+xml",
        Format::Premis => "application/premis+xml",
        Format::Xlsx => "application/vnd.ms-excel",
        Format::Bag => "application/x-zip-compressed",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_accept_picks_the_first_offered() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()), Some(f));
        }
        assert_eq!(Format::parse("PDF"), Some(Format::Pdf));
        assert_eq!(Format::parse("docx"), None);
        let offered = [Format::Json, Format::Csv, Format::Pdf, Format::Html];
        assert_eq!(
            Format::from_accept("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", &offered),
            Some(Format::Html)
        );
        assert_eq!(
            Format::from_accept("application/pdf", &offered),
            Some(Format::Pdf)
        );
        assert_eq!(Format::from_accept("*/*", &offered), None);
        assert_eq!(Format::from_accept("application/ead+xml", &offered), None);
    }
}
