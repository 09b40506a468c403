//! A thin streaming XML writer over quick-xml: open, close, leaf, with text escaped.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// Writes elements one after another straight to the output.
pub(crate) struct Xml<W: Write> {
    w: Writer<W>,
}

impl<W: Write> Xml<W> {
    /// A writer with the XML declaration written, indenting by one space.
    pub fn new(out: W) -> io::Result<Self> {
        let mut w = Writer::new_with_indent(out, b' ', 1);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Self { w })
    }

    fn start<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for attr in attrs {
            start.push_attribute(*attr);
        }
        start
    }

    /// `<name attrs…>`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Start(Self::start(name, attrs)))
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name attrs…>text</name>`, or `<name attrs…/>` when `text` is empty.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        if text.is_empty() {
            return self.w.write_event(Event::Empty(Self::start(name, attrs)));
        }
        self.w.write_event(Event::Start(Self::start(name, attrs)))?;
        self.w.write_event(Event::Text(BytesText::new(text)))?;
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<outer><inner>text</inner></outer>`: the common one-paragraph wrapper.
    pub fn wrap(
        &mut self,
        outer: &str,
        attrs: &[(&str, &str)],
        inner: &str,
        text: &str,
    ) -> io::Result<()> {
        self.open(outer, attrs)?;
        self.leaf(inner, &[], text)?;
        self.close(outer)
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> io::Result<W> {
        let mut out = self.w.into_inner();
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(out)
    }
}
