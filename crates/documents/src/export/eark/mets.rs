//! The two METS documents of a package: the root one (CSIP with the SIP or AIP profile) and the
//! representation's (its copies, one structMap division per file).

use std::io;

use super::{CSIP_NS, METS_NS, Package, Written, iso};
use crate::export::xml::Xml;

/// The entries the root METS points at, with their sizes and checksums.
#[derive(Debug, Default)]
pub(crate) struct RootParts {
    pub descriptive: Vec<Written>,
    pub preservation: Vec<Written>,
    pub documentation: Vec<Written>,
    pub schemas: Vec<Written>,
    pub representation: Option<Written>,
}

/// The root element's namespaces and identity.
fn open_mets(
    x: &mut Xml<&mut Vec<u8>>,
    package: &Package,
    objid: &str,
    schemas: &str,
) -> io::Result<()> {
    let location = format!(
        "http://www.loc.gov/METS/ {schemas}mets.xsd http://www.w3.org/1999/xlink {schemas}xlink.xsd https://DILCIS.eu/XML/METS/CSIPExtensionMETS {schemas}DILCISExtensionMETS.xsd"
    );
    x.open(
        "mets:mets",
        &[
            ("xmlns:mets", METS_NS),
            ("xmlns:csip", CSIP_NS),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &location),
            ("OBJID", objid),
            ("LABEL", &package.label),
            ("TYPE", "Textual works – Digital"),
            ("csip:CONTENTINFORMATIONTYPE", "MIXED"),
            ("PROFILE", package.kind.profile()),
        ],
    )
}

/// `metsHdr`: the software, the submitting body and the archive, the agreement and the fonds.
fn header(x: &mut Xml<&mut Vec<u8>>, package: &Package) -> io::Result<()> {
    let created = iso(package.created);
    x.open(
        "mets:metsHdr",
        &[
            ("CREATEDATE", &created),
            ("LASTMODDATE", &created),
            ("RECORDSTATUS", "NEW"),
            ("csip:OAISPACKAGETYPE", package.kind.oais()),
        ],
    )?;
    x.open(
        "mets:agent",
        &[
            ("ROLE", "CREATOR"),
            ("TYPE", "OTHER"),
            ("OTHERTYPE", "SOFTWARE"),
        ],
    )?;
    x.leaf("mets:name", &[], "Bàn Giao")?;
    x.leaf(
        "mets:note",
        &[("csip:NOTETYPE", "SOFTWARE VERSION")],
        env!("CARGO_PKG_VERSION"),
    )?;
    x.close("mets:agent")?;
    for (role, agent) in [
        ("ARCHIVIST", &package.submitter),
        ("PRESERVATION", &package.archive),
    ] {
        x.open("mets:agent", &[("ROLE", role), ("TYPE", "ORGANIZATION")])?;
        x.leaf("mets:name", &[], &agent.name)?;
        if !agent.code.is_empty() {
            x.leaf(
                "mets:note",
                &[("csip:NOTETYPE", "IDENTIFICATIONCODE")],
                &agent.code,
            )?;
        }
        x.close("mets:agent")?;
    }
    if let Some(agreement) = &package.submission_agreement {
        x.leaf(
            "mets:altRecordID",
            &[("TYPE", "SUBMISSIONAGREEMENT")],
            agreement,
        )?;
    }
    if let Some(code) = &package.reference_code {
        x.leaf("mets:altRecordID", &[("TYPE", "REFERENCECODE")], code)?;
    }
    x.close("mets:metsHdr")
}

/// `mdRef` to a metadata file.
fn md_ref(
    x: &mut Xml<&mut Vec<u8>>,
    written: &Written,
    mdtype: &str,
    created: &str,
) -> io::Result<()> {
    let size = written.size.to_string();
    x.leaf(
        "mets:mdRef",
        &[
            ("LOCTYPE", "URL"),
            ("xlink:type", "simple"),
            ("xlink:href", &written.path),
            ("MDTYPE", mdtype),
            ("MIMETYPE", &written.mime),
            ("SIZE", &size),
            ("CREATED", created),
            ("CHECKSUM", &written.sha256),
            ("CHECKSUMTYPE", "SHA-256"),
        ],
        "",
    )
}

/// `file` with its `FLocat`.
fn file(x: &mut Xml<&mut Vec<u8>>, id: &str, written: &Written, created: &str) -> io::Result<()> {
    let size = written.size.to_string();
    x.open(
        "mets:file",
        &[
            ("ID", id),
            ("MIMETYPE", &written.mime),
            ("SIZE", &size),
            ("CREATED", created),
            ("CHECKSUM", &written.sha256),
            ("CHECKSUMTYPE", "SHA-256"),
        ],
    )?;
    x.leaf(
        "mets:FLocat",
        &[
            ("LOCTYPE", "URL"),
            ("xlink:type", "simple"),
            ("xlink:href", &written.path),
        ],
        "",
    )?;
    x.close("mets:file")
}

/// The root METS.
pub(crate) fn root(package: &Package, parts: &RootParts) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let created = iso(package.created);
    let mut x = Xml::new(&mut bytes)?;
    open_mets(&mut x, package, &package.objid, "schemas/")?;
    header(&mut x, package)?;
    let mut dmd_ids = Vec::new();
    for (n, written) in parts.descriptive.iter().enumerate() {
        let id = format!("dmd-{}", n + 1);
        x.open("mets:dmdSec", &[("ID", &id), ("CREATED", &created)])?;
        md_ref(&mut x, written, "EAD", &created)?;
        x.close("mets:dmdSec")?;
        dmd_ids.push(id);
    }
    let mut amd_ids = Vec::new();
    if !parts.preservation.is_empty() {
        x.open("mets:amdSec", &[("ID", "amd-1")])?;
        for (n, written) in parts.preservation.iter().enumerate() {
            let id = format!("digiprov-{}", n + 1);
            x.open("mets:digiprovMD", &[("ID", &id), ("STATUS", "CURRENT")])?;
            md_ref(&mut x, written, "PREMIS", &created)?;
            x.close("mets:digiprovMD")?;
            amd_ids.push(id);
        }
        x.close("mets:amdSec")?;
    }
    x.open("mets:fileSec", &[("ID", "files")])?;
    let groups: [(&str, &[Written], &str); 2] = [
        ("Documentation", &parts.documentation, "doc"),
        ("Schemas", &parts.schemas, "schema"),
    ];
    for (usage, items, prefix) in groups {
        x.open(
            "mets:fileGrp",
            &[("ID", &format!("grp-{prefix}")), ("USE", usage)],
        )?;
        for (n, written) in items.iter().enumerate() {
            file(&mut x, &format!("{prefix}-{}", n + 1), written, &created)?;
        }
        x.close("mets:fileGrp")?;
    }
    if let Some(rep) = &parts.representation {
        x.open(
            "mets:fileGrp",
            &[
                ("ID", "grp-rep1"),
                ("USE", "Representations"),
                ("csip:CONTENTINFORMATIONTYPE", "MIXED"),
            ],
        )?;
        file(&mut x, "rep1-mets", rep, &created)?;
        x.close("mets:fileGrp")?;
    }
    x.close("mets:fileSec")?;
    x.open(
        "mets:structMap",
        &[("ID", "structmap"), ("TYPE", "PHYSICAL"), ("LABEL", "CSIP")],
    )?;
    x.open("mets:div", &[("ID", "pkg"), ("LABEL", &package.objid)])?;
    let mut metadata: Vec<(&str, String)> = Vec::new();
    if !dmd_ids.is_empty() {
        metadata.push(("DMDID", dmd_ids.join(" ")));
    }
    if !amd_ids.is_empty() {
        metadata.push(("ADMID", amd_ids.join(" ")));
    }
    let mut attrs: Vec<(&str, &str)> = vec![("ID", "div-metadata"), ("LABEL", "Metadata")];
    attrs.extend(metadata.iter().map(|(k, v)| (*k, v.as_str())));
    x.leaf("mets:div", &attrs, "")?;
    for (label, items, prefix) in groups {
        x.open(
            "mets:div",
            &[("ID", &format!("div-{prefix}")), ("LABEL", label)],
        )?;
        for n in 0..items.len() {
            x.leaf(
                "mets:fptr",
                &[("FILEID", &format!("{prefix}-{}", n + 1))],
                "",
            )?;
        }
        x.close("mets:div")?;
    }
    if parts.representation.is_some() {
        x.open(
            "mets:div",
            &[("ID", "div-representations"), ("LABEL", "Representations")],
        )?;
        x.leaf("mets:fptr", &[("FILEID", "rep1-mets")], "")?;
        x.open(
            "mets:div",
            &[("ID", "div-rep1"), ("LABEL", "representations/rep1")],
        )?;
        x.leaf(
            "mets:mptr",
            &[
                ("LOCTYPE", "URL"),
                ("xlink:type", "simple"),
                ("xlink:href", "representations/rep1/METS.xml"),
                ("xlink:title", "rep1"),
            ],
            "",
        )?;
        x.close("mets:div")?;
        x.close("mets:div")?;
    }
    x.close("mets:div")?;
    x.close("mets:structMap")?;
    x.close("mets:mets")?;
    x.finish()?;
    Ok(bytes)
}

/// The representation's METS: its copies in `fileGrp USE="Data"`, and a structMap division
/// per file (LABEL = file code) pointing at its copies; a paper file's division is empty.
pub(crate) fn representation(
    package: &Package,
    paths: &[Vec<String>],
    preservation: &[Written],
) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let created = iso(package.created);
    let objid = format!("{}-rep1", package.objid);
    let mut x = Xml::new(&mut bytes)?;
    open_mets(&mut x, package, &objid, "../../schemas/")?;
    header(&mut x, package)?;
    if !preservation.is_empty() {
        x.open("mets:amdSec", &[("ID", "amd-1")])?;
        for (n, written) in preservation.iter().enumerate() {
            let id = format!("digiprov-{}", n + 1);
            x.open("mets:digiprovMD", &[("ID", &id), ("STATUS", "CURRENT")])?;
            md_ref(&mut x, written, "PREMIS", &created)?;
            x.close("mets:digiprovMD")?;
        }
        x.close("mets:amdSec")?;
    }
    let any_copy = package.files.iter().any(|f| !f.copies.is_empty());
    if any_copy {
        x.open("mets:fileSec", &[("ID", "files")])?;
        x.open(
            "mets:fileGrp",
            &[
                ("ID", "grp-data"),
                ("USE", "Data"),
                ("csip:CONTENTINFORMATIONTYPE", "MIXED"),
            ],
        )?;
        for (i, (f, file_paths)) in package.files.iter().zip(paths).enumerate() {
            for (j, (copy, path)) in f.copies.iter().zip(file_paths).enumerate() {
                let written = Written {
                    path: path.clone(),
                    mime: copy.mime.clone(),
                    size: copy.size,
                    sha256: copy.sha256.clone(),
                };
                file(
                    &mut x,
                    &format!("copy-{}-{}", i + 1, j + 1),
                    &written,
                    &created,
                )?;
            }
        }
        x.close("mets:fileGrp")?;
        x.close("mets:fileSec")?;
    }
    x.open(
        "mets:structMap",
        &[("ID", "structmap"), ("TYPE", "PHYSICAL"), ("LABEL", "CSIP")],
    )?;
    x.open("mets:div", &[("ID", "rep"), ("LABEL", &objid)])?;
    x.open("mets:div", &[("ID", "div-data"), ("LABEL", "Data")])?;
    for (i, f) in package.files.iter().enumerate() {
        let id = format!("file-{}", i + 1);
        let order = (i + 1).to_string();
        let attrs = [
            ("ID", id.as_str()),
            ("TYPE", "file"),
            ("LABEL", f.file_code.as_str()),
            ("ORDERLABEL", f.title.as_str()),
            ("ORDER", order.as_str()),
        ];
        if f.copies.is_empty() {
            x.leaf("mets:div", &attrs, "")?;
            continue;
        }
        x.open("mets:div", &attrs)?;
        for j in 0..f.copies.len() {
            x.leaf(
                "mets:fptr",
                &[("FILEID", &format!("copy-{}-{}", i + 1, j + 1))],
                "",
            )?;
        }
        x.close("mets:div")?;
    }
    x.close("mets:div")?;
    x.close("mets:div")?;
    x.close("mets:structMap")?;
    x.close("mets:mets")?;
    x.finish()?;
    Ok(bytes)
}
