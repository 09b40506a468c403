//! A small page-layout layer over krilla: pages of A4 (portrait or landscape) filled top to
//! bottom with wrapped paragraphs, rules, filled rectangles and table rows whose header repeats
//! on every page. A page's drawing is gathered, then drawn into the document when the page
//! ends, so only one page is held at a time beside krilla's own output.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::TextDirection;

use super::fonts::{Fonts, Style};
use crate::export::ExportError;

/// A4 in points.
const A4: (f32, f32) = (595.28, 841.89);

/// How text is placed on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// From the left edge.
    Left,
    /// Centred.
    Centre,
    /// To the right edge.
    Right,
}

enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        size: f32,
        text: String,
    },
    Lines {
        segments: Vec<((f32, f32), (f32, f32))>,
        width: f32,
    },
    Fill {
        rect: (f32, f32, f32, f32),
        grey: u8,
    },
}

/// Margins in points: top, right, bottom, left.
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    /// Top.
    pub top: f32,
    /// Right.
    pub right: f32,
    /// Bottom.
    pub bottom: f32,
    /// Left.
    pub left: f32,
}

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// The document being drawn.
pub struct Canvas {
    doc: Document,
    fonts: &'static Fonts,
    ops: Vec<Op>,
    size: (f32, f32),
    margins: Margins,
    /// The next line's top.
    pub y: f32,
    pages: u32,
    footer: String,
    open: bool,
}

impl Canvas {
    /// An empty document; `footer` is printed with the page number at the foot of every page.
    pub fn new(footer: impl Into<String>) -> Result<Self, ExportError> {
        Ok(Self {
            doc: Document::new(),
            fonts: Fonts::get().map_err(ExportError::Pdf)?,
            ops: Vec::new(),
            size: A4,
            margins: Margins {
                top: 0.0,
                right: 0.0,
                bottom: 0.0,
                left: 0.0,
            },
            y: 0.0,
            pages: 0,
            footer: footer.into(),
            open: false,
        })
    }

    /// The fonts, for measuring.
    pub fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// Starts a new page (ending the current one).
    pub fn page(&mut self, landscape: bool, margins: Margins) {
        self.end_page();
        self.size = if landscape { (A4.1, A4.0) } else { A4 };
        self.margins = margins;
        self.y = margins.top;
        self.pages += 1;
        self.open = true;
    }

    /// Left edge of the text area.
    pub fn left(&self) -> f32 {
        self.margins.left
    }

    /// Width of the text area.
    pub fn width(&self) -> f32 {
        self.size.0 - self.margins.left - self.margins.right
    }

    /// Room left on the page below `y`.
    pub fn room(&self) -> f32 {
        self.size.1 - self.margins.bottom - self.y
    }

    /// Draws one line of text with its top at `top`, within [x, x + width].
    #[allow(clippy::too_many_arguments)]
    pub fn text_at(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        style: Style,
        size: f32,
        align: Align,
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        let w = self.fonts.width(style, size, text);
        let x = match align {
            Align::Left => x,
            Align::Centre => x + (width - w) / 2.0,
            Align::Right => x + width - w,
        };
        self.ops.push(Op::Text {
            x,
            y: top + size * 0.93,
            style,
            size,
            text: text.to_owned(),
        });
    }

    /// A wrapped paragraph across the text area (indented by `indent`), breaking pages as
    /// needed; `after` is the space below it.
    pub fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        size: f32,
        align: Align,
        indent: f32,
        after: f32,
    ) {
        let leading = size * 1.3;
        let width = self.width() - indent;
        for line in self.fonts.wrap(style, size, text, width) {
            if self.room() < leading {
                let (landscape, margins) = (self.size.0 > self.size.1, self.margins);
                self.page(landscape, margins);
            }
            let x = self.left() + indent;
            self.text_at(x, self.y, width, style, size, align, &line);
            self.y += leading;
        }
        self.y += after;
    }

    /// A straight line.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.lines(vec![(from, to)], width);
    }

    /// Straight lines stroked as one path (a table row's rules).
    pub fn lines(&mut self, segments: Vec<((f32, f32), (f32, f32))>, width: f32) {
        self.ops.push(Op::Lines { segments, width });
    }

    /// A filled rectangle (x, y, w, h); `grey` 0 is black, 255 white.
    pub fn fill(&mut self, rect: (f32, f32, f32, f32), grey: u8) {
        self.ops.push(Op::Fill { rect, grey });
    }

    /// Ends the current page: draws what it gathered, and its footer.
    pub fn end_page(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        let footer = format!("{} — Trang {}", self.footer, self.pages);
        let (w, h) = self.size;
        let bottom = h - self.margins.bottom + 8.0;
        let left = self.margins.left;
        let width = self.width();
        self.text_at(
            left,
            bottom,
            width,
            Style::Italic,
            8.0,
            Align::Right,
            &footer,
        );
        let Some(settings) = PageSettings::from_wh(w, h) else {
            return;
        };
        let ops = std::mem::take(&mut self.ops);
        let mut page = self.doc.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    style,
                    size,
                    text,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    let at = Point::from_xy(x, y);
                    let font = self.fonts.font(style);
                    match self.fonts.glyphs(style, &text) {
                        Some(glyphs) => surface.draw_glyphs(at, &glyphs, font, &text, size, false),
                        None => {
                            surface.draw_text(at, font, size, &text, false, TextDirection::Auto)
                        }
                    }
                }
                Op::Lines { segments, width } => {
                    let mut path = PathBuilder::new();
                    for (from, to) in segments {
                        path.move_to(from.0, from.1);
                        path.line_to(to.0, to.1);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Fill { rect, grey } => {
                    let mut path = PathBuilder::new();
                    if let Some(r) = Rect::from_xywh(rect.0, rect.1, rect.2, rect.3) {
                        path.push_rect(r);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: luma::Color::new(grey).into(),
                            ..Fill::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }

    /// Ends the last page and serialises the document.
    pub fn finish(mut self, title: &str) -> Result<Vec<u8>, ExportError> {
        if self.pages == 0 {
            self.page(
                false,
                Margins {
                    top: mm(20.0),
                    right: mm(15.0),
                    bottom: mm(20.0),
                    left: mm(30.0),
                },
            );
        }
        self.end_page();
        self.doc.set_metadata(
            krilla::metadata::Metadata::new()
                .title(title.to_owned())
                .language("vi".to_owned())
                .producer(format!("Bàn Giao {}", env!("CARGO_PKG_VERSION"))),
        );
        self.doc
            .finish()
            .map_err(|e| ExportError::Pdf(format!("{e:?}")))
    }
}
