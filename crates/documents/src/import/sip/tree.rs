//! A small element tree of an XML document (METS, EAD3), read with quick-xml: element local
//! names, attributes by local name, text. Enough to check a package's metadata; no schema.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Deepest nesting accepted (a deeper document is refused, not recursed into).
const MAX_DEPTH: usize = 200;

/// One element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// Its qualified name as written (`mets:file`).
    pub qname: String,
    /// Its attributes: (qualified name as written, value).
    pub attrs: Vec<(String, String)>,
    /// Its child elements.
    pub children: Vec<Node>,
    /// Its own text, concatenated.
    pub text: String,
}

impl Node {
    /// Its local name (`file`).
    pub fn name(&self) -> &str {
        local(&self.qname)
    }

    /// The value of the attribute whose local name is `name` (`href` finds `xlink:href`),
    /// namespace declarations aside.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| !k.starts_with("xmlns") && local(k) == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of an attribute by its qualified name as written (`xmlns:mets`).
    pub fn raw_attr(&self, qname: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == qname)
            .map(|(_, v)| v.as_str())
    }

    /// The namespace of this element, from its own declarations (enough for a root element).
    pub fn namespace(&self) -> Option<&str> {
        match self.qname.split_once(':') {
            Some((prefix, _)) => self.raw_attr(&format!("xmlns:{prefix}")),
            None => self.raw_attr("xmlns"),
        }
    }

    /// Child elements named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name() == name)
    }

    /// The first child element named `name`.
    pub fn first<'a>(&'a self, name: &'a str) -> Option<&'a Node> {
        self.all(name).next()
    }

    /// Every element below this one (depth first), itself excluded.
    pub fn descendants(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut pending: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(node) = pending.pop() {
            out.push(node);
            pending.extend(node.children.iter().rev());
        }
        out
    }

    /// The text of this element and of every element below it, trimmed.
    pub fn all_text(&self) -> String {
        let mut out = self.text.clone();
        for node in self.descendants() {
            out.push_str(&node.text);
        }
        out.trim().to_owned()
    }
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

fn element(start: &BytesStart<'_>) -> Result<Node, String> {
    let qname = start.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = attr.key.as_ref().to_owned();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Node {
        qname,
        attrs,
        ..Node::default()
    })
}

/// Parses a whole document into its root element; the error says why it is not well formed.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (byte {})", reader.buffer_position()))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err("content after the root element".to_owned());
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("nested deeper than {MAX_DEPTH} elements"));
                }
                stack.push(element(&start)?);
            }
            Event::Empty(start) => {
                let node = element(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None if root.is_none() => root = Some(node),
                    None => return Err("content after the root element".to_owned()),
                }
            }
            Event::End(_) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| "an end tag without its start".to_owned())?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(text) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(data.into_inner().as_ref());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match reference.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                if let Some(node) = stack.last_mut() {
                    node.text.push(resolved);
                }
            }
            Event::DocType(_) => {
                return Err("a DOCTYPE is not accepted".to_owned());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".to_owned());
    }
    root.ok_or_else(|| "no root element".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_text_are_read() {
        let root = parse(
            r#"<?xml version="1.0"?><m:mets xmlns:m="urn:x" OBJID="a&amp;b"><m:file xlink:href="d/x.pdf"/><p>A &lt; B &#x41;</p></m:mets>"#,
        )
        .expect("well formed");
        assert_eq!(root.name(), "mets");
        assert_eq!(root.namespace(), Some("urn:x"));
        assert_eq!(root.attr("OBJID"), Some("a&b"));
        assert_eq!(
            root.first("file").and_then(|f| f.attr("href")),
            Some("d/x.pdf")
        );
        assert_eq!(
            root.first("p").map(Node::all_text).as_deref(),
            Some("A < B A")
        );
    }

    #[test]
    fn malformed_documents_are_refused() {
        for text in [
            "<a><b></a>",
            "<a>",
            "",
            "<a/><b/>",
            "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
