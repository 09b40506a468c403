//! PREMIS 3 XML of a fonds' stored events: the fonds as one intellectual entity, one `<event>`
//! per stored event (identifier = the event id, type from [`mapping`], date = the act's business
//! date, else the recording time), agents linked with their roles (the giving and receiving
//! sides of custody changes, the persons signing, the recording user, the service), the files
//! concerned as linked objects; then every agent once. Events are streamed from the store.

pub mod mapping;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use bangiao_store::{EventStore, RecordedEvent};
use serde_json::Value;

use super::ExportError;
use super::events::{each_event, fonds_stream};
use super::xml::Xml;

/// The PREMIS 3 namespace.
pub const NAMESPACE: &str = "http://www.loc.gov/premis/v3";

/// The kinds of agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum AgentKind {
    Organisation,
    Person,
    Software,
}

impl AgentKind {
    fn identifier_type(self) -> &'static str {
        match self {
            Self::Organisation => "bangiao:custodian",
            Self::Person => "bangiao:user",
            Self::Software => "bangiao:software",
        }
    }

    fn premis_type(self) -> &'static str {
        match self {
            Self::Organisation => "organization",
            Self::Person => "person",
            Self::Software => "software",
        }
    }
}

/// One agent of an event with its role.
struct Link {
    kind: AgentKind,
    id: String,
    role: &'static str,
}

/// The service itself, linked to every event as the program that recorded it.
fn software() -> String {
    format!("Bàn Giao {}", env!("CARGO_PKG_VERSION"))
}

/// Writes the PREMIS document of fonds `code` to `out`, reading its events from the store a
/// page at a time; returns the number of events.
pub async fn write<S: EventStore + ?Sized, W: Write>(
    store: &S,
    code: &str,
    out: W,
) -> Result<u64, ExportError> {
    if store.stream_revision(&fonds_stream(code)).await?.is_none() {
        return Err(ExportError::not_found("phông", "fonds", code));
    }
    let mut writer = PremisWriter::new(out, code)?;
    let n = each_event(store, &fonds_stream(code), |event| writer.event(event)).await?;
    writer.finish()?;
    Ok(n)
}

/// The PREMIS document written one event at a time (for callers that read the events
/// themselves, such as the server streaming into an HTTP body).
pub struct PremisWriter<W: Write> {
    x: Xml<W>,
    agents: BTreeMap<(AgentKind, String), ()>,
    parties: HashMap<String, (String, String)>,
}

impl<W: Write> PremisWriter<W> {
    /// Writes the root and the fonds' object.
    pub fn new(out: W, code: &str) -> Result<Self, ExportError> {
        let mut x = Xml::new(out)?;
        x.open(
            "premis",
            &[
                ("xmlns", NAMESPACE),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("version", "3.0"),
            ],
        )?;
        x.open("object", &[("xsi:type", "intellectualEntity")])?;
        x.open("objectIdentifier", &[])?;
        x.leaf("objectIdentifierType", &[], "bangiao:fonds")?;
        x.leaf("objectIdentifierValue", &[], code)?;
        x.close("objectIdentifier")?;
        x.close("object")?;
        let mut agents = BTreeMap::new();
        agents.insert((AgentKind::Software, software()), ());
        Ok(Self {
            x,
            agents,
            parties: HashMap::new(),
        })
    }

    /// Writes one stored event (in stream order).
    pub fn event(&mut self, event: &RecordedEvent) -> Result<(), ExportError> {
        let payload: Value = serde_json::from_str(&event.payload).map_err(|e| {
            ExportError::Corrupt(format!("event at position {}: {e}", event.position))
        })?;
        let links = links(event, &payload, &mut self.parties);
        for link in &links {
            self.agents.insert((link.kind, link.id.clone()), ());
        }
        write_event(&mut self.x, event, &payload, &links)?;
        Ok(())
    }

    /// Writes every agent met and closes the document.
    pub fn finish(mut self) -> Result<W, ExportError> {
        let x = &mut self.x;
        for (kind, id) in self.agents.keys() {
            x.open("agent", &[])?;
            x.open("agentIdentifier", &[])?;
            x.leaf("agentIdentifierType", &[], kind.identifier_type())?;
            x.leaf("agentIdentifierValue", &[], id)?;
            x.close("agentIdentifier")?;
            x.leaf("agentName", &[], id)?;
            x.leaf("agentType", &[], kind.premis_type())?;
            x.close("agent")?;
        }
        x.close("premis")?;
        Ok(self.x.finish()?)
    }
}

fn text<'a>(payload: &'a Value, key: &str) -> Option<&'a str> {
    payload.get(key).and_then(Value::as_str)
}

/// The agents of an event; `parties` remembers each handover's and transfer's two sides, since
/// only the draft or the registration names them.
fn links(
    event: &RecordedEvent,
    payload: &Value,
    parties: &mut HashMap<String, (String, String)>,
) -> Vec<Link> {
    let mut links = vec![Link {
        kind: AgentKind::Software,
        id: software(),
        role: "executing program",
    }];
    let mut add = |kind, id: Option<&str>, role| {
        if let Some(id) = id {
            links.push(Link {
                kind,
                id: id.to_owned(),
                role,
            });
        }
    };
    if let Ok(meta) = event.metadata()
        && let Some(actor) = meta.actor
    {
        add(
            AgentKind::Person,
            Some(actor.user_id.as_str()),
            "implementer",
        );
    }
    let act = text(payload, "handover_id").or(text(payload, "transfer_id"));
    match event.event_type.as_str() {
        "FondsOpened" | "FileRecorded" => {
            add(
                AgentKind::Organisation,
                text(payload, "custodian"),
                "custodian",
            );
        }
        "HandoverDrafted" => {
            let giving = text(payload, "giving_custodian").unwrap_or_default();
            let receiving = text(payload, "receiving_custodian").unwrap_or_default();
            if let Some(id) = act {
                parties.insert(id.to_owned(), (giving.to_owned(), receiving.to_owned()));
            }
            add(
                AgentKind::Person,
                text(payload, "giving_person"),
                "signatory (giving side)",
            );
            add(
                AgentKind::Person,
                text(payload, "receiving_person"),
                "signatory (receiving side)",
            );
        }
        "TransferRegistered" => {
            let giving = text(payload, "transferring_custodian").unwrap_or_default();
            let receiving = text(payload, "archive").unwrap_or_default();
            if let Some(id) = act {
                parties.insert(id.to_owned(), (giving.to_owned(), receiving.to_owned()));
            }
        }
        _ => {}
    }
    let custody_change = matches!(
        event.event_type.as_str(),
        "HandoverDrafted"
            | "HandoverSigned"
            | "HandoverReceived"
            | "HandoverCancelled"
            | "TransferRegistered"
            | "TransferListAppraised"
            | "TransferAccepted"
    );
    if custody_change && let Some((giving, receiving)) = act.and_then(|id| parties.get(id)) {
        let (giving, receiving) = (giving.clone(), receiving.clone());
        add(
            AgentKind::Organisation,
            Some(giving.as_str()),
            "giving side (bên giao)",
        );
        add(
            AgentKind::Organisation,
            Some(receiving.as_str()),
            "receiving side (bên nhận)",
        );
    }
    links.retain(|l| !l.id.is_empty());
    links
}

/// The file codes an event concerns, with the role of each, when it has one.
fn objects(event_type: &str, payload: &Value) -> Vec<(String, Option<&'static str>)> {
    let mut out = Vec::new();
    let list = |key: &str| -> Vec<String> {
        payload
            .get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| {
                        v.as_str()
                            .or_else(|| text(v, "file_code"))
                            .map(str::to_owned)
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(code) = text(payload, "file_code") {
        let role = (event_type == "FileDigitised").then_some("source");
        out.push((code.to_owned(), role));
    }
    for code in list("file_codes") {
        out.push((code, None));
    }
    for code in list("accepted") {
        out.push((code, Some("outcome")));
    }
    out
}

fn write_event<W: Write>(
    x: &mut Xml<W>,
    event: &RecordedEvent,
    payload: &Value,
    links: &[Link],
) -> std::io::Result<()> {
    let (label, code) = mapping::event_type(&event.event_type);
    let meta = event.metadata().ok();
    let when = meta
        .as_ref()
        .and_then(|m| m.effective_on.map(|d| d.to_string()))
        .or_else(|| meta.as_ref().map(|m| m.recorded_at.to_rfc3339()))
        .unwrap_or_default();
    x.open("event", &[])?;
    x.open("eventIdentifier", &[])?;
    x.leaf("eventIdentifierType", &[], "UUID")?;
    x.leaf("eventIdentifierValue", &[], &event.event_id.to_string())?;
    x.close("eventIdentifier")?;
    let value_uri = format!("{}/{code}", mapping::AUTHORITY_URI);
    x.leaf(
        "eventType",
        &[
            ("authority", "eventType"),
            ("authorityURI", mapping::AUTHORITY_URI),
            ("valueURI", &value_uri),
        ],
        label,
    )?;
    x.leaf("eventDateTime", &[], &when)?;
    let mut detail = format!(
        "{} ({}, vị trí {}, băm {})",
        mapping::detail(&event.event_type),
        event.event_type,
        event.position,
        event.hash_hex()
    );
    if let Some(id) = text(payload, "handover_id").or(text(payload, "transfer_id")) {
        detail.push_str(&format!("; mã: {id}"));
    }
    if let Some(basis) = meta.as_ref().and_then(|m| m.legal_basis.as_ref()) {
        detail.push_str(&format!("; căn cứ: {} ({})", basis.number, basis.issuer));
    }
    x.wrap("eventDetailInformation", &[], "eventDetail", &detail)?;
    if let Some(outcome) = mapping::outcome(&event.event_type) {
        x.open("eventOutcomeInformation", &[])?;
        x.leaf("eventOutcome", &[], outcome)?;
        if let Some(note) = outcome_note(&event.event_type, payload) {
            x.wrap("eventOutcomeDetail", &[], "eventOutcomeDetailNote", &note)?;
        }
        x.close("eventOutcomeInformation")?;
    }
    for link in links {
        x.open("linkingAgentIdentifier", &[])?;
        x.leaf(
            "linkingAgentIdentifierType",
            &[],
            link.kind.identifier_type(),
        )?;
        x.leaf("linkingAgentIdentifierValue", &[], &link.id)?;
        x.leaf("linkingAgentRole", &[], link.role)?;
        x.close("linkingAgentIdentifier")?;
    }
    for (code, role) in objects(&event.event_type, payload) {
        x.open("linkingObjectIdentifier", &[])?;
        x.leaf("linkingObjectIdentifierType", &[], "bangiao:file_code")?;
        x.leaf("linkingObjectIdentifierValue", &[], &code)?;
        if let Some(role) = role {
            x.leaf("linkingObjectRole", &[], role)?;
        }
        x.close("linkingObjectIdentifier")?;
    }
    if event.event_type == "FileDigitised"
        && let Some(sha) = text(payload, "sha256")
    {
        x.open("linkingObjectIdentifier", &[])?;
        x.leaf("linkingObjectIdentifierType", &[], "sha256")?;
        x.leaf("linkingObjectIdentifierValue", &[], sha)?;
        x.leaf("linkingObjectRole", &[], "outcome")?;
        x.close("linkingObjectIdentifier")?;
    }
    x.close("event")
}

/// Counts that qualify an outcome: discrepancies on receipt, files accepted and rejected.
fn outcome_note(event_type: &str, payload: &Value) -> Option<String> {
    let count = |key: &str| {
        payload
            .get(key)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    match event_type {
        "HandoverReceived" => Some(format!(
            "{} sai lệch (discrepancies)",
            count("discrepancies")
        )),
        "TransferAccepted" => Some(format!(
            "{} hồ sơ được nhận, {} bị từ chối (accepted, rejected)",
            count("accepted"),
            count("rejected")
        )),
        "HandoverCancelled" | "DestructionCancelled" => text(payload, "reason").map(str::to_owned),
        _ => None,
    }
}
