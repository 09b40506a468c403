//! What a blob's signature says: its format, its page count and its resolution.
//!
//! * PDF (`%PDF-`): pages are the page objects (`/Type /Page`, not `/Pages`) found by one
//!   streaming scan of the file. The count is approximate: page objects packed inside
//!   compressed object streams (PDF 1.5+) are not seen (then `pages` is None when none is
//!   seen), and an incrementally updated file may count a rewritten page twice.
//! * TIFF (`II*\0`, `MM\0*`): one page per image file directory; the resolution from the first
//!   directory's XResolution and ResolutionUnit (inch by default, centimetre converted).
//! * JPEG (`FF D8 FF`): one page; the resolution from a JFIF header's density (Exif is not read).
//! * JPEG 2000 (the `jP  ` signature box, or a bare codestream): one page; the resolution from
//!   the capture (`resc`) or else display (`resd`) resolution box.
//! * PNG: one page; the resolution from the `pHYs` chunk when its unit is the metre.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The formats a blob's signature is recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatKind {
    /// Portable Document Format.
    Pdf,
    /// Tagged Image File Format (a scan, often multi-page).
    Tiff,
    /// JPEG 2000 (JP2 file or bare codestream).
    Jpeg2000,
    /// JPEG (JFIF or Exif).
    Jpeg,
    /// Portable Network Graphics.
    Png,
    /// Anything else.
    Other,
}

/// What the signature says of a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Format {
    /// The format.
    pub kind: FormatKind,
    /// The number of pages, where the format says it.
    pub pages: Option<u32>,
    /// The horizontal resolution in dots per inch, where the format says it.
    pub dpi: Option<u32>,
}

impl Format {
    /// The media type of the format (`application/octet-stream` for other formats).
    pub fn mime(&self) -> &'static str {
        self.kind.mime()
    }

    fn other() -> Format {
        Format {
            kind: FormatKind::Other,
            pages: None,
            dpi: None,
        }
    }
}

impl FormatKind {
    /// The media type of the format (`application/octet-stream` for other formats).
    pub fn mime(self) -> &'static str {
        match self {
            FormatKind::Pdf => "application/pdf",
            FormatKind::Tiff => "image/tiff",
            FormatKind::Jpeg2000 => "image/jp2",
            FormatKind::Jpeg => "image/jpeg",
            FormatKind::Png => "image/png",
            FormatKind::Other => "application/octet-stream",
        }
    }
}

const JP2_SIGNATURE: [u8; 12] = [0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A];
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Sniffs a file's format, pages and resolution from its bytes on disk.
pub fn describe(path: &Path) -> std::io::Result<Format> {
    let mut file = File::open(path)?;
    let mut head = [0u8; 12];
    let n = read_up_to(&mut file, &mut head)?;
    let head = &head[..n];
    file.seek(SeekFrom::Start(0))?;
    // A malformed file of a known signature is still that format, with no pages or resolution.
    let format = match kind_of(head) {
        FormatKind::Pdf => Format {
            kind: FormatKind::Pdf,
            pages: pdf_pages(file).ok().flatten(),
            dpi: None,
        },
        FormatKind::Tiff => tiff(file).unwrap_or(Format {
            kind: FormatKind::Tiff,
            pages: None,
            dpi: None,
        }),
        FormatKind::Jpeg => Format {
            kind: FormatKind::Jpeg,
            pages: Some(1),
            dpi: jpeg_dpi(BufReader::new(file)).ok().flatten(),
        },
        FormatKind::Jpeg2000 => Format {
            kind: FormatKind::Jpeg2000,
            pages: Some(1),
            // Only the boxed file format has resolution boxes; a bare codestream has none.
            dpi: if head == JP2_SIGNATURE {
                jp2_dpi(file).ok().flatten()
            } else {
                None
            },
        },
        FormatKind::Png => Format {
            kind: FormatKind::Png,
            pages: Some(1),
            dpi: png_dpi(BufReader::new(file)).ok().flatten(),
        },
        FormatKind::Other => Format::other(),
    };
    Ok(format)
}

/// The format a blob's first bytes (at least [`SIGNATURE_LEN`] of them, or the whole blob)
/// announce, by signature alone.
pub fn kind_of(head: &[u8]) -> FormatKind {
    if head.starts_with(b"%PDF-") {
        FormatKind::Pdf
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        FormatKind::Tiff
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        FormatKind::Jpeg
    } else if head.starts_with(&JP2_SIGNATURE) || head.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        FormatKind::Jpeg2000
    } else if head.starts_with(&PNG_SIGNATURE) {
        FormatKind::Png
    } else {
        FormatKind::Other
    }
}

/// How many first bytes [`kind_of`] needs.
pub const SIGNATURE_LEN: usize = 12;

/// Reads until `buf` is full or the end of the file; the number of bytes read.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn dpi_from_per_metre(per_metre: f64) -> Option<u32> {
    let dpi = (per_metre * 0.0254).round();
    (dpi >= 1.0 && dpi < f64::from(u32::MAX)).then_some(dpi as u32)
}

// ---------------------------------------------------------------------------------------------
// PDF

/// The scan reads this much at a time.
const PDF_CHUNK: usize = 1 << 20;
/// At most this much white space between `/Type` and `/Page`.
const PDF_MAX_GAP: usize = 16;

/// Counts `/Type /Page` objects (not `/Pages`) in one pass; None when there are none.
fn pdf_pages(mut file: impl Read) -> std::io::Result<Option<u32>> {
    let finder = memchr::memmem::Finder::new(b"/Type");
    let mut buf: Vec<u8> = Vec::with_capacity(PDF_CHUNK + 64);
    let mut chunk = vec![0u8; PDF_CHUNK];
    let mut pages: u32 = 0;
    loop {
        let n = read_up_to(&mut file, &mut chunk)?;
        let eof = n < chunk.len();
        buf.extend_from_slice(&chunk[..n]);
        let mut keep_from = None;
        for at in finder.find_iter(&buf) {
            match pdf_is_page(&buf[at + 5..], eof) {
                Some(true) => pages = pages.saturating_add(1),
                Some(false) => {}
                None => {
                    keep_from = Some(at);
                    break;
                }
            }
        }
        if eof {
            break;
        }
        // Keep what may be the start of a `/Type` cut by the chunk's end.
        let keep_from = keep_from.unwrap_or(buf.len().saturating_sub(4));
        buf.drain(..keep_from);
    }
    Ok((pages > 0).then_some(pages))
}

fn pdf_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn pdf_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Whether the bytes after a `/Type` name say `/Page` (and not `/Pages`); None when more bytes
/// are needed to tell.
fn pdf_is_page(rest: &[u8], eof: bool) -> Option<bool> {
    let gap = rest
        .iter()
        .take(PDF_MAX_GAP + 1)
        .take_while(|b| pdf_white(**b))
        .count();
    if gap > PDF_MAX_GAP {
        return Some(false);
    }
    let rest = &rest[gap..];
    if rest.len() < 6 {
        if !eof {
            return None;
        }
        return Some(rest == b"/Page");
    }
    if !rest.starts_with(b"/Page") {
        return Some(false);
    }
    let next = rest[5];
    Some(pdf_white(next) || pdf_delimiter(next))
}

// ---------------------------------------------------------------------------------------------
// TIFF

/// The most image file directories followed (a loop or a huge chain stops there).
const TIFF_MAX_IFDS: u32 = 100_000;

struct TiffReader<R> {
    inner: R,
    little: bool,
}

impl<R: Read + Seek> TiffReader<R> {
    fn u16_at(&mut self, at: u64) -> std::io::Result<u16> {
        let mut b = [0u8; 2];
        self.inner.seek(SeekFrom::Start(at))?;
        self.inner.read_exact(&mut b)?;
        Ok(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32_at(&mut self, at: u64) -> std::io::Result<u32> {
        let mut b = [0u8; 4];
        self.inner.seek(SeekFrom::Start(at))?;
        self.inner.read_exact(&mut b)?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
}

fn tiff(file: File) -> std::io::Result<Format> {
    let mut file = file;
    let mut order = [0u8; 2];
    file.read_exact(&mut order)?;
    let mut tiff = TiffReader {
        inner: file,
        little: &order == b"II",
    };
    let mut offset = u64::from(tiff.u32_at(4)?);
    let mut seen = HashSet::new();
    let mut pages = 0u32;
    let mut dpi = None;
    while offset != 0 && pages < TIFF_MAX_IFDS && seen.insert(offset) {
        let entries = u64::from(tiff.u16_at(offset)?);
        if pages == 0 {
            dpi = tiff_dpi(&mut tiff, offset, entries)?;
        }
        pages += 1;
        offset = u64::from(tiff.u32_at(offset + 2 + entries * 12)?);
    }
    Ok(Format {
        kind: FormatKind::Tiff,
        pages: (pages > 0).then_some(pages),
        dpi,
    })
}

/// The resolution of one directory: XResolution (tag 282, a RATIONAL) in ResolutionUnit (tag
/// 296: 1 none, 2 inch — the default —, 3 centimetre).
fn tiff_dpi<R: Read + Seek>(
    tiff: &mut TiffReader<R>,
    ifd: u64,
    entries: u64,
) -> std::io::Result<Option<u32>> {
    let mut x_resolution = None;
    let mut unit = 2u16;
    for i in 0..entries.min(4096) {
        let entry = ifd + 2 + i * 12;
        match tiff.u16_at(entry)? {
            282 => {
                let at = u64::from(tiff.u32_at(entry + 8)?);
                let num = tiff.u32_at(at)?;
                let den = tiff.u32_at(at + 4)?;
                if den != 0 {
                    x_resolution = Some(f64::from(num) / f64::from(den));
                }
            }
            296 => unit = tiff.u16_at(entry + 8)?,
            _ => {}
        }
    }
    Ok(x_resolution.and_then(|x| match unit {
        2 => dpi_from_per_metre(x / 0.0254),
        3 => dpi_from_per_metre(x * 100.0),
        _ => None,
    }))
}

// ---------------------------------------------------------------------------------------------
// JPEG

/// The JFIF density, read from the segments before the image data.
fn jpeg_dpi(mut r: impl Read) -> std::io::Result<Option<u32>> {
    let mut soi = [0u8; 2];
    r.read_exact(&mut soi)?;
    // At most a few dozen segments precede the JFIF header; stop at the image data.
    for _ in 0..64 {
        let mut marker = [0u8; 2];
        r.read_exact(&mut marker)?;
        if marker[0] != 0xFF {
            return Ok(None);
        }
        if marker[1] == 0xDA || marker[1] == 0xD9 {
            return Ok(None);
        }
        let mut len = [0u8; 2];
        r.read_exact(&mut len)?;
        let len = usize::from(u16::from_be_bytes(len)).saturating_sub(2);
        let mut body = vec![0u8; len];
        r.read_exact(&mut body)?;
        if marker[1] == 0xE0 && body.len() >= 12 && body.starts_with(b"JFIF\0") {
            let units = body[7];
            let x = f64::from(u16::from_be_bytes([body[8], body[9]]));
            return Ok(match units {
                1 => dpi_from_per_metre(x / 0.0254),
                2 => dpi_from_per_metre(x * 100.0),
                _ => None,
            });
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// JPEG 2000

/// A box header: its type and the length of its content (None: to the end).
fn jp2_box(r: &mut impl Read) -> std::io::Result<Option<([u8; 4], Option<u64>)>> {
    let mut head = [0u8; 8];
    if read_up_to(r, &mut head)? < 8 {
        return Ok(None);
    }
    let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    let kind = [head[4], head[5], head[6], head[7]];
    let content = match len {
        0 => None,
        1 => {
            let mut xl = [0u8; 8];
            r.read_exact(&mut xl)?;
            Some(u64::from_be_bytes(xl).saturating_sub(16))
        }
        n => Some(u64::from(n).saturating_sub(8)),
    };
    Ok(Some((kind, content)))
}

/// The capture (`resc`) or else display (`resd`) resolution of a JP2 file's header box.
fn jp2_dpi(mut file: File) -> std::io::Result<Option<u32>> {
    // Top-level boxes until the header box (`jp2h`), which comes before the codestream.
    for _ in 0..64 {
        let Some((kind, len)) = jp2_box(&mut file)? else {
            return Ok(None);
        };
        let Some(len) = len else { return Ok(None) };
        if &kind == b"jp2h" {
            let mut header = vec![0u8; usize::try_from(len.min(1 << 20)).unwrap_or(0)];
            file.read_exact(&mut header)?;
            return Ok(jp2_resolution(&header));
        }
        file.seek(SeekFrom::Current(i64::try_from(len).unwrap_or(i64::MAX)))?;
    }
    Ok(None)
}

fn jp2_resolution(header: &[u8]) -> Option<u32> {
    let res = jp2_find(header, b"res ")?;
    [b"resc", b"resd"]
        .into_iter()
        .find_map(|kind| jp2_find(res, kind))
        .and_then(|r| {
            if r.len() < 10 {
                return None;
            }
            let num = f64::from(u16::from_be_bytes([r[4], r[5]]));
            let den = f64::from(u16::from_be_bytes([r[6], r[7]]));
            let exp = i32::from(r[9] as i8);
            (den != 0.0)
                .then(|| num / den * 10f64.powi(exp))
                .and_then(dpi_from_per_metre)
        })
}

/// The content of the first box of this type among the boxes of `data`.
fn jp2_find<'a>(mut data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    while data.len() >= 8 {
        let len = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
        let len = if len == 0 { data.len() } else { len };
        if len < 8 || len > data.len() {
            return None;
        }
        if &data[4..8] == kind {
            return Some(&data[8..len]);
        }
        data = &data[len..];
    }
    None
}

// ---------------------------------------------------------------------------------------------
// PNG

/// The `pHYs` chunk's horizontal density, when its unit is the metre.
fn png_dpi(mut r: impl Read) -> std::io::Result<Option<u32>> {
    let mut signature = [0u8; 8];
    r.read_exact(&mut signature)?;
    for _ in 0..256 {
        let mut head = [0u8; 8];
        r.read_exact(&mut head)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = &head[4..8];
        if kind == b"IDAT" || kind == b"IEND" {
            return Ok(None);
        }
        if kind == b"pHYs" && len == 9 {
            let mut body = [0u8; 9];
            r.read_exact(&mut body)?;
            let x = u32::from_be_bytes([body[0], body[1], body[2], body[3]]);
            return Ok(if body[8] == 1 {
                dpi_from_per_metre(f64::from(x))
            } else {
                None
            });
        }
        // Skip the chunk's data and its CRC.
        std::io::copy(&mut (&mut r).take(u64::from(len) + 4), &mut std::io::sink())?;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_bytes(bytes: &[u8]) -> Format {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f");
        std::fs::write(&path, bytes).expect("write");
        describe(&path).expect("describe")
    }

    const PDF_HEADER: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";

    fn pdf(objects: &[&str], padding: usize) -> Vec<u8> {
        let mut out = PDF_HEADER.to_vec();
        out.extend(std::iter::repeat_n(b' ', padding));
        for (i, body) in objects.iter().enumerate() {
            out.extend(format!("{} 0 obj\n<< {body} >>\nendobj\n", i + 1).bytes());
        }
        out.extend(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        out
    }

    #[test]
    fn pdf_counts_page_objects_not_the_page_tree() {
        let bytes = pdf(
            &[
                "/Type /Catalog /Pages 2 0 R",
                "/Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3",
                "/Type /Page /Parent 2 0 R",
                "/Type/Page/Parent 2 0 R",
                "/Parent 2 0 R /Type\n/Page>>",
                "/Type /PageLabel",
            ],
            0,
        );
        let f = describe_bytes(&bytes);
        assert_eq!(f.kind, FormatKind::Pdf);
        assert_eq!(f.pages, Some(3));
        assert_eq!(f.dpi, None);
        assert_eq!(f.mime(), "application/pdf");
    }

    #[test]
    fn pdf_page_object_cut_by_the_read_chunk_is_counted_once() {
        // Place `/Type /Page` across the 1 MiB boundary at every offset around it.
        for shift in 0..14 {
            let head = PDF_HEADER.len() + "1 0 obj\n<< ".len();
            let padding = PDF_CHUNK - head - shift;
            let bytes = pdf(&["/Type /Page /Parent 2 0 R", "/Type /Pages"], padding);
            assert_eq!(describe_bytes(&bytes).pages, Some(1), "shift {shift}");
        }
    }

    #[test]
    fn pdf_without_visible_pages_has_no_count() {
        let f = describe_bytes(&pdf(&["/Type /ObjStm /N 4"], 0));
        assert_eq!((f.kind, f.pages), (FormatKind::Pdf, None));
    }

    /// A TIFF with `pages` empty directories, the first with XResolution and ResolutionUnit.
    fn tiff(little: bool, pages: u32, x_res: (u32, u32), unit: u16) -> Vec<u8> {
        let u16b = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let u32b = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut out = Vec::new();
        out.extend(if little { *b"II" } else { *b"MM" });
        out.extend(u16b(42));
        out.extend(u32b(16)); // first directory
        out.extend(u32b(x_res.0)); // 8: the XResolution rational
        out.extend(u32b(x_res.1));
        for page in 0..pages {
            let entries: u16 = if page == 0 { 2 } else { 1 };
            let here = out.len() as u32;
            let next = here + 2 + u32::from(entries) * 12 + 4;
            out.extend(u16b(entries));
            if page == 0 {
                out.extend(u16b(282));
                out.extend(u16b(5));
                out.extend(u32b(1));
                out.extend(u32b(8));
                out.extend(u16b(296));
                out.extend(u16b(3));
                out.extend(u32b(1));
                out.extend(u16b(unit));
                out.extend([0, 0]);
            } else {
                out.extend(u16b(256)); // ImageWidth
                out.extend(u16b(3));
                out.extend(u32b(1));
                out.extend(u16b(100));
                out.extend([0, 0]);
            }
            out.extend(u32b(if page + 1 == pages { 0 } else { next }));
        }
        out
    }

    #[test]
    fn tiff_counts_directories_and_reads_resolution() {
        let f = describe_bytes(&tiff(true, 3, (300, 1), 2));
        assert_eq!(
            f,
            Format {
                kind: FormatKind::Tiff,
                pages: Some(3),
                dpi: Some(300)
            }
        );
        assert_eq!(f.mime(), "image/tiff");
        // Big-endian, in pixels per centimetre: 118.11 px/cm is 300 dpi.
        let f = describe_bytes(&tiff(false, 1, (11811, 100), 3));
        assert_eq!(
            (f.kind, f.pages, f.dpi),
            (FormatKind::Tiff, Some(1), Some(300))
        );
        // No absolute unit: no dpi.
        assert_eq!(describe_bytes(&tiff(true, 2, (72, 1), 1)).dpi, None);
    }

    #[test]
    fn tiff_with_a_loop_of_directories_stops() {
        let mut bytes = tiff(true, 2, (300, 1), 2);
        // Point the last directory back at the first.
        let len = bytes.len();
        bytes[len - 4..].copy_from_slice(&16u32.to_le_bytes());
        assert_eq!(describe_bytes(&bytes).pages, Some(2));
    }

    #[test]
    fn jpeg_reads_jfif_density() {
        let mut bytes = vec![0xFF, 0xD8];
        bytes.extend([0xFF, 0xE0, 0, 16]);
        bytes.extend(b"JFIF\0");
        bytes.extend([1, 2, 1, 0, 200, 0, 200, 0, 0]);
        bytes.extend([0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        let f = describe_bytes(&bytes);
        assert_eq!(
            (f.kind, f.pages, f.dpi),
            (FormatKind::Jpeg, Some(1), Some(200))
        );
        assert_eq!(f.mime(), "image/jpeg");
        // Dots per centimetre.
        bytes[13] = 2;
        bytes[14..16].copy_from_slice(&118u16.to_be_bytes());
        assert_eq!(describe_bytes(&bytes).dpi, Some(300));
        // An Exif JPEG without JFIF: a JPEG without resolution.
        let exif = [
            0xFF, 0xD8, 0xFF, 0xE1, 0, 8, b'E', b'x', b'i', b'f', 0, 0, 0xFF, 0xD9,
        ];
        let f = describe_bytes(&exif);
        assert_eq!((f.kind, f.dpi), (FormatKind::Jpeg, None));
    }

    fn jp2_box_bytes(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut out = ((content.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(content);
        out
    }

    #[test]
    fn jpeg2000_reads_the_capture_resolution() {
        // 11811 grid points per metre is 300 dpi; stored as 11811/10 × 10^1.
        let resc = [0x2E, 0x23, 0, 10, 0x2E, 0x23, 0, 10, 1, 1];
        let res = jp2_box_bytes(b"res ", &jp2_box_bytes(b"resc", &resc));
        let mut header = jp2_box_bytes(b"ihdr", &[0; 14]);
        header.extend(res);
        let mut bytes = JP2_SIGNATURE.to_vec();
        bytes.extend(jp2_box_bytes(b"ftyp", b"jp2 \0\0\0\0jp2 "));
        bytes.extend(jp2_box_bytes(b"jp2h", &header));
        bytes.extend(jp2_box_bytes(b"jp2c", &[0xFF, 0x4F, 0xFF, 0x51]));
        let f = describe_bytes(&bytes);
        assert_eq!(
            (f.kind, f.pages, f.dpi),
            (FormatKind::Jpeg2000, Some(1), Some(300))
        );
        assert_eq!(f.mime(), "image/jp2");
        // A bare codestream is JPEG 2000 too, without resolution.
        let f = describe_bytes(&[0xFF, 0x4F, 0xFF, 0x51, 0, 0]);
        assert_eq!((f.kind, f.dpi), (FormatKind::Jpeg2000, None));
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(data);
        out.extend([0; 4]); // the CRC is not checked
        out
    }

    #[test]
    fn png_reads_phys() {
        let mut bytes = PNG_SIGNATURE.to_vec();
        bytes.extend(png_chunk(b"IHDR", &[0; 13]));
        let mut phys = 11811u32.to_be_bytes().to_vec();
        phys.extend(11811u32.to_be_bytes());
        phys.push(1);
        bytes.extend(png_chunk(b"pHYs", &phys));
        bytes.extend(png_chunk(b"IDAT", &[1, 2, 3]));
        bytes.extend(png_chunk(b"IEND", &[]));
        let f = describe_bytes(&bytes);
        assert_eq!(
            (f.kind, f.pages, f.dpi),
            (FormatKind::Png, Some(1), Some(300))
        );
        assert_eq!(f.mime(), "image/png");
        // Without pHYs: no dpi.
        let mut plain = PNG_SIGNATURE.to_vec();
        plain.extend(png_chunk(b"IHDR", &[0; 13]));
        plain.extend(png_chunk(b"IEND", &[]));
        assert_eq!(describe_bytes(&plain).dpi, None);
    }

    #[test]
    fn anything_else_is_other() {
        for bytes in [&b""[..], b"hello world", b"%PD", &[0xFF, 0xD8]] {
            let f = describe_bytes(bytes);
            assert_eq!(f, Format::other(), "{bytes:?}");
            assert_eq!(f.mime(), "application/octet-stream");
        }
        assert_eq!(
            serde_json::to_string(&FormatKind::Jpeg2000).expect("json"),
            "\"jpeg2000\""
        );
    }
}
