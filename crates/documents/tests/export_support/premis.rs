//! A PREMIS 3 document read back into what the tests check: the order of the top-level
//! elements, the declared objects and agents, and each event's date, notes and links.

use std::collections::BTreeSet;

use quick_xml::events::Event;

/// One `<event>`.
#[derive(Debug, Default, Clone)]
pub struct PremisEvent {
    /// `eventIdentifierValue`.
    pub id: String,
    /// `eventType`.
    pub kind: String,
    /// `eventDateTime`.
    pub date: String,
    /// Every `eventDetail`.
    pub details: Vec<String>,
    /// Every linked object, as (type, value).
    pub objects: Vec<(String, String)>,
    /// Every linked agent, as (type, value).
    pub agents: Vec<(String, String)>,
}

/// A PREMIS document.
#[derive(Debug, Default)]
pub struct Premis {
    /// The children of `<premis>`, consecutive repeats folded: `["object", "event", "agent"]`.
    pub sections: Vec<String>,
    /// Declared objects, as (type, value).
    pub objects: BTreeSet<(String, String)>,
    /// Declared agents, as (type, value).
    pub agents: BTreeSet<(String, String)>,
    /// The events in order.
    pub events: Vec<PremisEvent>,
    /// Each declared file object's `is part of` fonds, as (file code, fonds).
    pub part_of: BTreeSet<(String, String)>,
}

/// Reads a PREMIS document; panics on XML that is not well formed.
pub fn parse(text: &str) -> Premis {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut doc = Premis::default();
    let mut path: Vec<String> = Vec::new();
    let mut buffer = String::new();
    let mut pending_type = String::new();
    let mut object_id: Option<(String, String)> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().into_inner().to_owned();
                if path.len() == 1 {
                    if doc.sections.last() != Some(&name) {
                        doc.sections.push(name.clone());
                    }
                    match name.as_str() {
                        "event" => doc.events.push(PremisEvent::default()),
                        "object" => object_id = None,
                        _ => {}
                    }
                }
                path.push(name);
                buffer.clear();
            }
            Event::Text(t) => buffer.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => buffer.push_str(match &*r.xml10_content() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                _ => "'",
            }),
            Event::End(_) => {
                let name = path.pop().expect("a closing tag closes an open one");
                let value = std::mem::take(&mut buffer);
                let top = path.get(1).map(String::as_str);
                let parent = path.last().map(String::as_str).unwrap_or_default();
                if name.ends_with("IdentifierType") {
                    pending_type = value;
                    continue;
                }
                match (top, parent, name.as_str()) {
                    (Some("object"), "objectIdentifier", "objectIdentifierValue") => {
                        let id = (pending_type.clone(), value);
                        doc.objects.insert(id.clone());
                        object_id = Some(id);
                    }
                    (Some("object"), "relatedObjectIdentifier", "relatedObjectIdentifierValue")
                        if pending_type == "bangiao:fonds" =>
                    {
                        if let Some((kind, code)) = &object_id
                            && kind == "bangiao:file_code"
                        {
                            doc.part_of.insert((code.clone(), value));
                        }
                    }
                    (Some("agent"), "agentIdentifier", "agentIdentifierValue") => {
                        doc.agents.insert((pending_type.clone(), value));
                    }
                    (Some("event"), _, _) => {
                        let event = doc.events.last_mut().expect("inside an event");
                        match name.as_str() {
                            "eventIdentifierValue" => event.id = value,
                            "eventType" => event.kind = value,
                            "eventDateTime" => event.date = value,
                            "eventDetail" => event.details.push(value),
                            "linkingObjectIdentifierValue" => {
                                event.objects.push((pending_type.clone(), value));
                            }
                            "linkingAgentIdentifierValue" => {
                                event.agents.push((pending_type.clone(), value));
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    doc
}
