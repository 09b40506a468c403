// Over 500 lines: its two passes (objects, then events) share the object and link helpers.
//! PREMIS 3 XML of the stored events of one fonds, or of several (a unit's list).
//!
//! * Objects: the unit (for a unit's list) and every fonds as intellectual entities; every file
//!   an event refers to as an intellectual entity that is part of its fonds; every digitised
//!   copy as a `file` object with its fixity, derived from its paper file.
//! * Events: one per stored event, in stream order (identifier = the event id, type from
//!   [`mapping`]); `eventDateTime` is the date of the act as its command gave it (received on,
//!   closed on, …; [`mapping::act_date`]), else the envelope's business date, else the recording
//!   time; the recording time is always a separate `eventDetailInformation`. Agents are linked
//!   with their roles (the giving and receiving sides of custody changes, the persons signing,
//!   the recording user, the service); the fonds and the files concerned as linked objects.
//! * Agents: every agent met, once.
//!
//! PREMIS puts every object before the events, so the events are read twice: once to gather
//! the objects they refer to ([`PremisObjects`]), once to write them ([`PremisWriter`]); both
//! passes stream from the store a page at a time.

pub mod mapping;

use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    write_events(store, PremisObjects::new(None, &[code.to_owned()]), out).await
}

/// Writes the PREMIS document of unit `unit`'s list, the events of each of `fonds` (its own,
/// its predecessors' and those of the units below it, as the list spans them); returns the
/// number of events.
pub async fn write_unit<S: EventStore + ?Sized, W: Write>(
    store: &S,
    unit: &str,
    fonds: &[String],
    out: W,
) -> Result<u64, ExportError> {
    write_events(store, PremisObjects::new(Some(unit), fonds), out).await
}

/// An event a package records of itself (not a stored event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageEvent {
    /// Its identifier (a UUID).
    pub id: String,
    /// PREMIS event type label (LoC vocabulary).
    pub label: String,
    /// Its LoC code (`ipc` for information package creation).
    pub code: String,
    /// `eventDateTime`.
    pub when: String,
    /// `eventDetail`.
    pub detail: String,
    /// The organisation that did it (linked as implementer), if any.
    pub organisation: String,
    /// Linked objects: (identifier type, value, role).
    pub objects: Vec<(String, String, String)>,
}

/// Whether a stored event concerns one of `files`, or the fonds as a whole (it names no file).
pub fn concerns(event: &RecordedEvent, files: &BTreeSet<String>) -> Result<bool, ExportError> {
    let payload = parse(event)?;
    let named = objects(&event.event_type, &payload);
    Ok(named.is_empty() || named.iter().any(|(code, _)| files.contains(code)))
}

/// Writes the PREMIS document of the events of fonds `code` that `keep` selects, with
/// digitisation mapped as TT 05/2025 does, then `closing` (events of the package itself);
/// returns the number of stored events written.
pub async fn write_selected<S: EventStore + ?Sized, W: Write>(
    store: &S,
    code: &str,
    keep: impl Fn(&RecordedEvent) -> Result<bool, ExportError>,
    closing: &[PackageEvent],
    out: W,
) -> Result<u64, ExportError> {
    let stream = fonds_stream(code);
    if store.stream_revision(&stream).await?.is_none() {
        return Err(ExportError::not_found("phông", "fonds", code));
    }
    let mut objects = PremisObjects::new(None, &[code.to_owned()]);
    each_event(store, &stream, |event| {
        if keep(event)? {
            objects.gather(event)?;
        }
        Ok(())
    })
    .await?;
    let mut writer = PremisWriter::new(out, &objects)?.tt05();
    let mut n = 0;
    each_event(store, &stream, |event| {
        if keep(event)? {
            n += 1;
            writer.event(event)?;
        }
        Ok(())
    })
    .await?;
    for event in closing {
        writer.package_event(event)?;
    }
    writer.finish()?;
    Ok(n)
}

/// Gathers the objects in a first pass over the fonds' events, then writes them in a second.
async fn write_events<S: EventStore + ?Sized, W: Write>(
    store: &S,
    mut objects: PremisObjects,
    out: W,
) -> Result<u64, ExportError> {
    let codes = objects.fonds.clone();
    for code in &codes {
        if store.stream_revision(&fonds_stream(code)).await?.is_none() {
            return Err(ExportError::not_found("phông", "fonds", code));
        }
    }
    for code in &codes {
        each_event(store, &fonds_stream(code), |event| objects.gather(event)).await?;
    }
    let mut writer = PremisWriter::new(out, &objects)?;
    let mut n = 0;
    for code in &codes {
        n += each_event(store, &fonds_stream(code), |event| writer.event(event)).await?;
    }
    writer.finish()?;
    Ok(n)
}

/// A digitised copy of a paper file, as its `FileDigitised` event describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Copy {
    fonds: String,
    file_code: String,
    size: Option<u64>,
    format: Option<String>,
}

/// Every object a PREMIS document declares, gathered from its events before any is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PremisObjects {
    unit: Option<String>,
    fonds: Vec<String>,
    files: BTreeSet<(String, String)>,
    copies: BTreeMap<String, Copy>,
}

impl PremisObjects {
    /// The objects of the events of `fonds`, in that order; with `unit`, the unit whose list
    /// they make is declared too.
    pub fn new(unit: Option<&str>, fonds: &[String]) -> Self {
        Self {
            unit: unit.map(str::to_owned),
            fonds: fonds.to_vec(),
            ..Self::default()
        }
    }

    /// Notes the fonds, the files and the digitised copy one stored event refers to.
    pub fn gather(&mut self, event: &RecordedEvent) -> Result<(), ExportError> {
        let payload = parse(event)?;
        let fonds = fonds_of(event);
        if !self.fonds.iter().any(|f| f == fonds) {
            self.fonds.push(fonds.to_owned());
        }
        for (code, _) in objects(&event.event_type, &payload) {
            self.files.insert((fonds.to_owned(), code));
        }
        if event.event_type == "FileDigitised"
            && let (Some(sha), Some(code)) = (text(&payload, "sha256"), text(&payload, "file_code"))
        {
            self.copies.insert(
                sha.to_owned(),
                Copy {
                    fonds: fonds.to_owned(),
                    file_code: code.to_owned(),
                    size: payload.get("size_bytes").and_then(Value::as_u64),
                    format: text(&payload, "format").map(str::to_owned),
                },
            );
        }
        Ok(())
    }

    /// The fonds whose events the document holds, in order.
    pub fn fonds(&self) -> &[String] {
        &self.fonds
    }

    /// Files referred to by the events (each with its fonds).
    pub fn files(&self) -> usize {
        self.files.len()
    }

    /// Writes every object.
    fn write<W: Write>(&self, x: &mut Xml<W>) -> std::io::Result<()> {
        if let Some(unit) = &self.unit {
            x.open("object", &[("xsi:type", "intellectualEntity")])?;
            identifier(x, "object", "bangiao:unit", unit)?;
            x.close("object")?;
        }
        for code in &self.fonds {
            x.open("object", &[("xsi:type", "intellectualEntity")])?;
            identifier(x, "object", "bangiao:fonds", code)?;
            x.close("object")?;
        }
        for (fonds, code) in &self.files {
            x.open("object", &[("xsi:type", "intellectualEntity")])?;
            identifier(x, "object", FILE_CODE, code)?;
            relationship(x, "structural", "is part of", "bangiao:fonds", fonds)?;
            x.close("object")?;
        }
        for (sha, copy) in &self.copies {
            x.open("object", &[("xsi:type", "file")])?;
            identifier(x, "object", "sha256", sha)?;
            x.open("objectCharacteristics", &[])?;
            x.leaf("compositionLevel", &[], "0")?;
            x.open("fixity", &[])?;
            x.leaf("messageDigestAlgorithm", &[], "SHA-256")?;
            x.leaf("messageDigest", &[], sha)?;
            x.close("fixity")?;
            if let Some(size) = copy.size {
                x.leaf("size", &[], &size.to_string())?;
            }
            x.open("format", &[])?;
            x.wrap(
                "formatDesignation",
                &[],
                "formatName",
                copy.format.as_deref().unwrap_or("không rõ (unknown)"),
            )?;
            x.close("format")?;
            x.close("objectCharacteristics")?;
            relationship(x, "derivation", "has source", FILE_CODE, &copy.file_code)?;
            relationship(x, "structural", "is part of", "bangiao:fonds", &copy.fonds)?;
            x.close("object")?;
        }
        Ok(())
    }
}

/// How the note of the recording time begins (the `eventDateTime` is the date of the act).
pub const RECORDED_AT: &str = "Thời điểm ghi vào hệ thống (recorded at):";

/// The identifier type of a paper file (hồ sơ): its code.
const FILE_CODE: &str = "bangiao:file_code";

/// `<{prefix}Identifier>` with its type and value.
fn identifier<W: Write>(
    x: &mut Xml<W>,
    prefix: &str,
    kind: &str,
    value: &str,
) -> std::io::Result<()> {
    let outer = format!("{prefix}Identifier");
    x.open(&outer, &[])?;
    x.leaf(&format!("{prefix}IdentifierType"), &[], kind)?;
    x.leaf(&format!("{prefix}IdentifierValue"), &[], value)?;
    x.close(&outer)
}

/// An object's `<relationship>` to another object.
fn relationship<W: Write>(
    x: &mut Xml<W>,
    kind: &str,
    sub_kind: &str,
    related_type: &str,
    related: &str,
) -> std::io::Result<()> {
    x.open("relationship", &[])?;
    x.leaf("relationshipType", &[], kind)?;
    x.leaf("relationshipSubType", &[], sub_kind)?;
    identifier(x, "relatedObject", related_type, related)?;
    x.close("relationship")
}

/// The fonds whose stream holds an event.
fn fonds_of(event: &RecordedEvent) -> &str {
    match bangiao_domain::streams::StreamKind::of(&event.stream) {
        Some((bangiao_domain::streams::StreamKind::Fonds, fonds)) => fonds,
        _ => &event.stream,
    }
}

/// An event's payload as JSON.
fn parse(event: &RecordedEvent) -> Result<Value, ExportError> {
    serde_json::from_str(&event.payload)
        .map_err(|e| ExportError::Corrupt(format!("event at position {}: {e}", event.position)))
}

/// The PREMIS document written one event at a time (for callers that read the events
/// themselves, such as the server streaming into an HTTP body), after its objects.
pub struct PremisWriter<W: Write> {
    x: Xml<W>,
    agents: BTreeMap<(AgentKind, String), ()>,
    parties: HashMap<String, (String, String)>,
    tt05: bool,
}

impl<W: Write> PremisWriter<W> {
    /// Writes the root and every object gathered.
    pub fn new(out: W, objects: &PremisObjects) -> Result<Self, ExportError> {
        let mut x = Xml::new(out)?;
        x.open(
            "premis",
            &[
                ("xmlns", NAMESPACE),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("version", "3.0"),
            ],
        )?;
        objects.write(&mut x)?;
        let mut agents = BTreeMap::new();
        agents.insert((AgentKind::Software, software()), ());
        Ok(Self {
            x,
            agents,
            parties: HashMap::new(),
            tt05: false,
        })
    }

    /// Maps digitisation as TT 05/2025 does (`transfer`, [`mapping::event_type_tt05`]): for
    /// the PREMIS of an archival package.
    pub fn tt05(mut self) -> Self {
        self.tt05 = true;
        self
    }

    /// Writes an event the package itself makes (no stored event behind it), such as the
    /// `information package creation` of an AIP from its SIP.
    pub fn package_event(&mut self, event: &PackageEvent) -> Result<(), ExportError> {
        let x = &mut self.x;
        x.open("event", &[])?;
        identifier(x, "event", "UUID", &event.id)?;
        let value_uri = format!("{}/{}", mapping::AUTHORITY_URI, event.code);
        x.leaf(
            "eventType",
            &[
                ("authority", "eventType"),
                ("authorityURI", mapping::AUTHORITY_URI),
                ("valueURI", &value_uri),
            ],
            &event.label,
        )?;
        x.leaf("eventDateTime", &[], &event.when)?;
        x.wrap("eventDetailInformation", &[], "eventDetail", &event.detail)?;
        x.open("eventOutcomeInformation", &[])?;
        x.leaf("eventOutcome", &[], "success")?;
        x.close("eventOutcomeInformation")?;
        let mut links = vec![Link {
            kind: AgentKind::Software,
            id: software(),
            role: "executing program",
        }];
        if !event.organisation.is_empty() {
            links.push(Link {
                kind: AgentKind::Organisation,
                id: event.organisation.clone(),
                role: "implementer",
            });
        }
        for link in &links {
            self.agents.insert((link.kind, link.id.clone()), ());
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
        for (kind, value, role) in &event.objects {
            x.open("linkingObjectIdentifier", &[])?;
            x.leaf("linkingObjectIdentifierType", &[], kind)?;
            x.leaf("linkingObjectIdentifierValue", &[], value)?;
            x.leaf("linkingObjectRole", &[], role)?;
            x.close("linkingObjectIdentifier")?;
        }
        x.close("event")?;
        Ok(())
    }

    /// Writes one stored event (in stream order).
    pub fn event(&mut self, event: &RecordedEvent) -> Result<(), ExportError> {
        let payload = parse(event)?;
        let links = links(event, &payload, &mut self.parties);
        for link in &links {
            self.agents.insert((link.kind, link.id.clone()), ());
        }
        write_event(&mut self.x, event, &payload, &links, self.tt05)?;
        Ok(())
    }

    /// Writes every agent met and closes the document.
    pub fn finish(mut self) -> Result<W, ExportError> {
        let x = &mut self.x;
        for (kind, id) in self.agents.keys() {
            x.open("agent", &[])?;
            identifier(x, "agent", kind.identifier_type(), id)?;
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

/// The file codes an event concerns (every file its payload names: the file, the lists, the
/// files accepted and rejected, the discrepancies found), with the role of each, when it has one.
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
    for code in list("rejected") {
        out.push((code, Some("rejected")));
    }
    for code in list("discrepancies") {
        out.push((code, Some("discrepancy")));
    }
    out
}

fn write_event<W: Write>(
    x: &mut Xml<W>,
    event: &RecordedEvent,
    payload: &Value,
    links: &[Link],
    tt05: bool,
) -> std::io::Result<()> {
    let (label, code) = if tt05 {
        mapping::event_type_tt05(&event.event_type)
    } else {
        mapping::event_type(&event.event_type)
    };
    let meta = event.metadata().ok();
    let recorded = meta
        .as_ref()
        .map(|m| m.recorded_at.to_rfc3339())
        .unwrap_or_default();
    let when = mapping::act_date(&event.event_type, payload)
        .or_else(|| meta.as_ref().and_then(|m| m.effective_on))
        .map_or_else(|| recorded.clone(), |d| d.to_string());
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
    x.wrap(
        "eventDetailInformation",
        &[],
        "eventDetail",
        &format!("{RECORDED_AT} {recorded}"),
    )?;
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
    x.open("linkingObjectIdentifier", &[])?;
    x.leaf("linkingObjectIdentifierType", &[], "bangiao:fonds")?;
    x.leaf("linkingObjectIdentifierValue", &[], fonds_of(event))?;
    x.close("linkingObjectIdentifier")?;
    for (code, role) in objects(&event.event_type, payload) {
        x.open("linkingObjectIdentifier", &[])?;
        x.leaf("linkingObjectIdentifierType", &[], FILE_CODE)?;
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
