//! The embedded fonts (DejaVu Serif regular, bold and italic: they cover Vietnamese) and their
//! advance widths, for laying text out before krilla draws it. krilla embeds only the glyphs used.

use std::sync::LazyLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Italic.ttf");

/// Characters below this have their advance cached (it covers Latin Extended Additional, where
/// the precomposed Vietnamese letters are).
const CACHED: usize = 0x1F00;

/// A face of the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
}

/// One face: the font krilla embeds and its advances.
struct Face {
    font: Font,
    parsed: ttf_parser::Face<'static>,
    per_em: f32,
    advances: Vec<f32>,
    glyph_ids: Vec<u16>,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Self, String> {
        let parsed = ttf_parser::Face::parse(data, 0).map_err(|e| e.to_string())?;
        let font = Font::new(data.into(), 0).ok_or("krilla cannot read the font")?;
        let per_em = f32::from(parsed.units_per_em());
        let advances = (0..CACHED)
            .map(|c| char::from_u32(c as u32).map_or(0.0, |c| raw_advance(&parsed, c) / per_em))
            .collect();
        let glyph_ids = (0..CACHED)
            .map(|c| {
                char::from_u32(c as u32)
                    .and_then(|c| parsed.glyph_index(c))
                    .map_or(0, |g| g.0)
            })
            .collect();
        Ok(Self {
            font,
            parsed,
            per_em,
            advances,
            glyph_ids,
        })
    }

    /// Advance of `c` at size 1.
    fn advance(&self, c: char) -> f32 {
        match self.advances.get(c as usize) {
            Some(a) => *a,
            None => raw_advance(&self.parsed, c) / self.per_em,
        }
    }
}

fn raw_advance(face: &ttf_parser::Face<'_>, c: char) -> f32 {
    face.glyph_index(c)
        .and_then(|g| face.glyph_hor_advance(g))
        .map_or(0.0, f32::from)
}

/// The three faces.
pub struct Fonts {
    faces: [Face; 3],
}

static FONTS: LazyLock<Result<Fonts, String>> = LazyLock::new(|| {
    Ok(Fonts {
        faces: [Face::load(REGULAR)?, Face::load(BOLD)?, Face::load(ITALIC)?],
    })
});

impl Fonts {
    /// The fonts, parsed once.
    pub fn get() -> Result<&'static Fonts, String> {
        FONTS.as_ref().map_err(Clone::clone)
    }

    fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.faces[0],
            Style::Bold => &self.faces[1],
            Style::Italic => &self.faces[2],
        }
    }

    /// The font krilla draws with.
    pub fn font(&self, style: Style) -> Font {
        self.face(style).font.clone()
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        let face = self.face(style);
        text.chars().map(|c| face.advance(c)).sum::<f32>() * size
    }

    /// The glyphs of `text` mapped one to one from its characters, when that is all the
    /// shaping it needs: every character below U+1F00 (precomposed Vietnamese included), none
    /// a combining mark, each with a glyph. Otherwise none, and krilla shapes the text.
    pub fn glyphs(&self, style: Style, text: &str) -> Option<Vec<KrillaGlyph>> {
        let face = self.face(style);
        let mut glyphs = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            let code = c as usize;
            if code >= CACHED || (0x0300..0x0370).contains(&code) {
                return None;
            }
            let id = face.glyph_ids[code];
            if id == 0 && !c.is_whitespace() {
                return None;
            }
            glyphs.push(KrillaGlyph {
                glyph_id: GlyphId::new(u32::from(id)),
                text_range: i..i + c.len_utf8(),
                x_advance: face.advances[code],
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            });
        }
        Some(glyphs)
    }

    /// Whether the face has a glyph for every character of `text`.
    pub fn covers(&self, style: Style, text: &str) -> bool {
        let face = self.face(style);
        text.chars()
            .all(|c| c.is_whitespace() || face.parsed.glyph_index(c).is_some())
    }

    /// `text` broken into lines no wider than `max` points, at spaces where possible.
    pub fn wrap(&self, style: Style, size: f32, text: &str, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut width = 0.0;
            let space = self.width(style, size, " ");
            for word in paragraph.split_whitespace() {
                let w = self.width(style, size, word);
                if !line.is_empty() && width + space + w <= max {
                    line.push(' ');
                    line.push_str(word);
                    width += space + w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if w <= max {
                    line.push_str(word);
                    width = w;
                } else {
                    // A word wider than the column is cut where it fills the line.
                    width = 0.0;
                    for c in word.chars() {
                        let cw = self.width(style, size, c.encode_utf8(&mut [0; 4]));
                        if width + cw > max && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            width = 0.0;
                        }
                        line.push(c);
                        width += cw;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_vietnamese_and_wrap_at_spaces() {
        let fonts = Fonts::get().expect("fonts");
        let text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc ỹ ữ ặ";
        for style in [Style::Regular, Style::Bold, Style::Italic] {
            assert!(fonts.covers(style, text), "{style:?}");
        }
        let w = fonts.width(Style::Regular, 10.0, "Hồ sơ");
        assert!(w > 10.0 && w < 40.0, "{w}");
        let lines = fonts.wrap(
            Style::Regular,
            10.0,
            "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
            60.0,
        );
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| fonts.width(Style::Regular, 10.0, l) <= 60.0)
        );
        assert_eq!(
            lines.join(" "),
            "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất"
        );
        assert_eq!(
            fonts.wrap(Style::Regular, 10.0, "", 60.0),
            vec![String::new()]
        );
    }
}
