//! The QR code printed on the minutes: a link to the handover's record in the service.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

use super::ExportError;

/// The modules of a QR code, row by row, with the quiet zone left to the renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    width: usize,
    dark: Vec<bool>,
}

/// Modules of white border the QR specification asks for on each side.
pub const QUIET_ZONE: usize = 4;

impl Qr {
    /// The QR code of `text` (medium error correction, as printers and phone cameras expect).
    pub fn new(text: &str) -> Result<Self, ExportError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| ExportError::Qr(e.to_string()))?;
        Ok(Self {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Runs of dark modules as (x, y, length), row by row: the rectangles a renderer fills.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }

    /// An inline SVG element, `size` CSS pixels wide, with the quiet zone.
    pub fn svg(&self, size: u32) -> String {
        let side = self.width + 2 * QUIET_ZONE;
        let mut path = String::new();
        for (x, y, len) in self.runs() {
            let _ = write!(
                path,
                "M{} {}h{len}v1h-{len}z",
                x + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges" role="img"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_makes_a_square_code_with_finder_patterns() {
        let qr = Qr::new("https://bangiao.example/api/v1/handovers/0197").expect("qr");
        assert!(qr.width() >= 21);
        // The top-left finder pattern: a dark 7×7 ring.
        assert!(qr.is_dark(0, 0) && qr.is_dark(6, 0) && qr.is_dark(0, 6));
        assert!(!qr.is_dark(1, 1));
        let svg = qr.svg(120);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
