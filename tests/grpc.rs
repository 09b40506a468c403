// Over 500 lines: the gRPC scenarios share one served binary, its set-up and readers.
//! The gRPC API and the event feed through the real binary, with the generated client: commands,
//! queries, permission denials with their stable codes, a subscriber disconnected in the middle
//! of 1,000 events that resumes without missing or duplicating one, redaction for a reader not
//! cleared for a fonds, checkpoints, and the same feed over Server-Sent Events.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use bangiao_grpc::pb;
use bangiao_grpc::pb::commands_client::CommandsClient;
use bangiao_grpc::pb::feed_client::FeedClient;
use bangiao_grpc::pb::fonds_command_request::Command;
use bangiao_grpc::pb::queries_client::QueriesClient;
use bangiao_grpc::pb::subscribe_response::Message;
use futures::StreamExt;
use support::{bangiao, data_dir, token};
use tonic::transport::Channel;
use tonic::{Code, Request, Status};
use tonic_types::StatusExt;

const FONDS: &str = "06601-UB";
const ORGAN: &str = "000.00.07.X01";

/// `bangiao serve` with both APIs on free ports, killed when dropped.
struct Served {
    child: Child,
    http: String,
    channel: Channel,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(data: &std::path::Path) -> Served {
    let mut child = bangiao()
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--grpc-addr",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(data)
        .env("BANGIAO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start bangiao serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut grpc = None;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.split("grpc=").nth(1) {
                grpc = Some(addr.trim().to_owned());
            }
            if let Some(rest) = line.split("http://").nth(1) {
                let http = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let _ = tx.send((grpc.clone(), http));
            }
        }
    });
    let (grpc, http) =
        tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await
            .expect("join")
            .expect("bangiao serve prints its addresses");
    let grpc = grpc.expect("the gRPC address is printed before the HTTP one");
    let channel = Channel::from_shared(format!("http://{grpc}"))
        .expect("uri")
        .connect()
        .await
        .expect("connect to gRPC");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(r) = client
            .get(format!("http://{http}/health/ready"))
            .send()
            .await
            && r.status().is_success()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Served {
        child,
        http: format!("http://{http}"),
        channel,
    }
}

/// A request carrying a bearer token.
fn authed<T>(token: &str, message: T) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("metadata value"),
    );
    request
}

/// The stable code of a refusal, read from the google.rpc.ErrorInfo detail; it must equal the
/// `bangiao-code` metadata entry.
fn error_code(status: &Status) -> String {
    let details = status.get_error_details();
    let info = details.error_info().expect("an ErrorInfo detail");
    assert_eq!(info.domain, "bangiao");
    let header = status
        .metadata()
        .get("bangiao-code")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(header, info.reason, "metadata and details agree");
    assert!(
        details.localized_message().is_some(),
        "the Vietnamese message travels too"
    );
    info.reason.clone()
}

fn basis(number: &str) -> pb::LegalBasis {
    pb::LegalBasis {
        number: number.into(),
        issued_on: "2025-06-16".into(),
        issuer: "Quốc hội".into(),
        title: None,
    }
}

fn details(name: &str, level: &str, parent: Option<&str>) -> pb::UnitDetails {
    pb::UnitDetails {
        name: name.into(),
        level: level.into(),
        unit_type: level.into(),
        parent: parent.map(str::to_owned),
    }
}

fn register(code: &str, name: &str, level: &str, parent: Option<&str>) -> pb::RegisterUnitRequest {
    pb::RegisterUnitRequest {
        options: None,
        command: Some(pb::RegisterUnit {
            code: code.into(),
            details: Some(details(name, level, parent)),
            valid_from: "2003-07-01".into(),
            legal_basis: Some(basis("56/2003/NĐ-CP")),
        }),
    }
}

fn fonds_command(command: Command) -> pb::FondsCommandRequest {
    pb::FondsCommandRequest {
        options: None,
        fonds_code: FONDS.into(),
        command: Some(command),
    }
}

fn record_file(n: u32, access: &str) -> pb::FondsCommandRequest {
    fonds_command(Command::RecordFile(pb::RecordFile {
        file_code: format!("{ORGAN}.2010.{n:04}"),
        title: format!("Hồ sơ số {n}"),
        start_date: "2010-01-05".into(),
        end_date: "2010-12-20".into(),
        retention: Some(pb::RetentionPeriod {
            code: "01".into(),
            years: None,
        }),
        access: access.into(),
        carrier: "paper".into(),
        box_number: Some("1".into()),
        sheets: Some(10),
        language: "Tiếng Việt".into(),
        notes: Some(format!("Ghi chú {n}")),
        custodian: "UBND-06601".into(),
        list_number: Some(n),
    }))
}

struct People {
    admin: String,
    clerk: String,
    stranger: String,
}

/// Units and a fonds, through gRPC: returns the position reached once the read models show it.
/// What a caller is cleared for (the feed's redaction, the lists') is judged on the read models,
/// so, as a client must, it reads its write (`wait_for`) before relying on it.
async fn set_up(served: &Served, who: &People) -> u64 {
    let mut commands = CommandsClient::new(served.channel.clone());
    for (code, name, level, parent) in [
        ("06", "Tỉnh Bắc Kạn", "province", None),
        ("066", "Huyện Pác Nặm", "district", Some("06")),
        ("06601", "Xã Bộc Bố", "commune", Some("066")),
        ("06607", "Xã Công Bằng", "commune", Some("066")),
    ] {
        commands
            .register_unit(authed(&who.admin, register(code, name, level, parent)))
            .await
            .expect("unit registered");
    }
    let merged = commands
        .merge_units(authed(
            &who.admin,
            pb::MergeUnitsRequest {
                options: None,
                successor_code: "066N4".into(),
                command: Some(pb::MergeUnits {
                    predecessors: vec!["06601".into(), "06607".into()],
                    merger_id: uuid::Uuid::now_v7().to_string(),
                    effective_on: "2025-07-01".into(),
                    legal_basis: Some(basis("1683/NQ-UBTVQH15")),
                    new_successor: Some(details("Xã Bộc Bố", "commune", Some("06"))),
                }),
            },
        ))
        .await
        .expect("merged")
        .into_inner();
    assert!(merged.events.contains(&"UnitFormedByMerger".to_owned()));
    let opened = commands
        .execute_fonds_command(authed(
            &who.clerk,
            pb::FondsCommandRequest {
                options: None,
                fonds_code: String::new(),
                command: Some(Command::OpenFonds(pb::OpenFonds {
                    fonds_code: FONDS.into(),
                    name: "Phông Ủy ban nhân dân xã Bộc Bố".into(),
                    kind: "state".into(),
                    creator_organ_id: ORGAN.into(),
                    creator_name: "Ủy ban nhân dân xã Bộc Bố".into(),
                    unit_code: "06601".into(),
                    custodian: "UBND-06601".into(),
                    opened_on: "2003-07-01".into(),
                })),
            },
        ))
        .await
        .expect("fonds opened")
        .into_inner();
    assert_eq!(opened.events, ["FondsOpened"]);
    let shown = QueriesClient::new(served.channel.clone())
        .list_inventory(authed(
            &who.clerk,
            pb::ListInventoryRequest {
                scope: Some(pb::list_inventory_request::Scope::FondsCode(FONDS.into())),
                filter: None,
                after: None,
                limit: 0,
                wait_for: Some(opened.position),
            },
        ))
        .await
        .expect("the read models reach the fonds' opening")
        .into_inner();
    assert!(shown.projection_position >= opened.position);
    opened.position
}

fn people(data: &std::path::Path) -> People {
    People {
        admin: token(data, "quantri.06", "administrator", None),
        clerk: token(data, "vanthu.06601", "clerk", Some("06601")),
        stranger: token(data, "vanthu.06607", "clerk", Some("06607")),
    }
}

#[tokio::test]
async fn commands_queries_and_refusals_over_grpc() {
    let (_dir, data) = data_dir();
    let who = people(&data);
    let served = serve(&data).await;
    set_up(&served, &who).await;
    let mut commands = CommandsClient::new(served.channel.clone());
    let mut queries = QueriesClient::new(served.channel.clone());

    // A command, its idempotent retry, and reading one's write.
    let mut first = record_file(1, "01");
    first.options = Some(pb::CommandOptions {
        command_id: uuid::Uuid::now_v7().to_string(),
        ..Default::default()
    });
    let done = commands
        .execute_fonds_command(authed(&who.clerk, first.clone()))
        .await
        .expect("recorded")
        .into_inner();
    assert_eq!(
        (done.events.as_slice(), done.replayed),
        (&["FileRecorded".to_owned()][..], false)
    );
    let again = commands
        .execute_fonds_command(authed(&who.clerk, first))
        .await
        .expect("retry answered")
        .into_inner();
    assert!(again.replayed);
    assert_eq!(again.position, done.position);

    let file = format!("{ORGAN}.2010.0001");
    let custody = queries
        .get_custody(authed(
            &who.stranger,
            pb::GetCustodyRequest {
                file_code: file.clone(),
                as_of: None,
                wait_for: Some(done.position),
            },
        ))
        .await
        .expect("custody")
        .into_inner();
    assert_eq!(custody.custodian.as_deref(), Some("UBND-06601"));
    assert_eq!(custody.status, "in_custody");
    assert!(custody.projection_position >= done.position);
    let history = queries
        .get_custody_history(authed(
            &who.clerk,
            pb::GetCustodyHistoryRequest {
                file_code: file.clone(),
                wait_for: None,
            },
        ))
        .await
        .expect("history")
        .into_inner();
    assert_eq!(history.spans.len(), 1);
    assert_eq!(history.spans[0].via_kind, "recorded");

    // A restricted file: its title is hidden from a clerk of another commune, as over HTTP.
    let secret = commands
        .execute_fonds_command(authed(&who.clerk, record_file(2, "02")))
        .await
        .expect("recorded")
        .into_inner();
    let list = |token: &str| {
        authed(
            token,
            pb::ListInventoryRequest {
                scope: Some(pb::list_inventory_request::Scope::FondsCode(FONDS.into())),
                filter: None,
                after: None,
                limit: 0,
                wait_for: Some(secret.position),
            },
        )
    };
    let own = queries
        .list_inventory(list(&who.clerk))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(own.totals.as_ref().map(|t| t.files), Some(2));
    assert_eq!(own.items[1].title, "Hồ sơ số 2");
    // The list's own number ("Hồ sơ số") goes in with the command and comes back in the list.
    assert_eq!(own.items[1].list_number, Some(2));
    // More rows a page than a list gives is refused, naming the maximum, as over HTTP.
    let mut too_many = list(&who.clerk);
    too_many.get_mut().limit = 1_001;
    let refused = queries.list_inventory(too_many).await.expect_err("refused");
    assert_eq!(refused.code(), Code::InvalidArgument, "{refused:?}");
    assert!(refused.message().contains("1000"), "{refused:?}");
    let other = queries
        .list_inventory(list(&who.stranger))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(other.items[1].title, "[Hạn chế tiếp cận / Restricted]");
    assert_eq!(other.items[0].title, "Hồ sơ số 1");
    let (status, http) = get_json(
        &served,
        &who.stranger,
        &format!("/api/v1/fonds/{FONDS}/inventory"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(http["items"][1]["title"], other.items[1].title.as_str());

    // Refusals carry the HTTP API's stable codes.
    let no_token = commands
        .execute_fonds_command(Request::new(record_file(3, "01")))
        .await
        .expect_err("refused");
    assert_eq!(
        (no_token.code(), error_code(&no_token).as_str()),
        (Code::Unauthenticated, "unauthenticated")
    );
    let bad_token = queries
        .get_custody(authed(
            "bg_not-a-token",
            pb::GetCustodyRequest {
                file_code: file.clone(),
                ..Default::default()
            },
        ))
        .await
        .expect_err("refused");
    assert_eq!(
        (bad_token.code(), error_code(&bad_token).as_str()),
        (Code::Unauthenticated, "invalid_token")
    );
    let wrong_role = commands
        .register_unit(authed(
            &who.clerk,
            register("06609", "Xã X", "commune", Some("066")),
        ))
        .await
        .expect_err("refused");
    assert_eq!(
        (wrong_role.code(), error_code(&wrong_role).as_str()),
        (Code::PermissionDenied, "forbidden_role")
    );
    let out_of_scope = commands
        .execute_fonds_command(authed(&who.stranger, record_file(3, "01")))
        .await
        .expect_err("refused");
    assert_eq!(
        (out_of_scope.code(), error_code(&out_of_scope).as_str()),
        (Code::PermissionDenied, "out_of_scope")
    );
    let as_another = commands
        .execute_fonds_command(authed(
            &who.clerk,
            fonds_command(Command::SignHandover(pb::SignHandover {
                handover_id: uuid::Uuid::now_v7().to_string(),
                signed_by: "somebody.else".into(),
                signed_on: "2025-07-02".into(),
            })),
        ))
        .await
        .expect_err("refused");
    assert_eq!(
        (as_another.code(), error_code(&as_another).as_str()),
        (Code::PermissionDenied, "acting_as_another")
    );
    let twice = commands
        .execute_fonds_command(authed(&who.clerk, record_file(1, "01")))
        .await
        .expect_err("refused");
    assert_eq!(
        (twice.code(), error_code(&twice).as_str()),
        (Code::AlreadyExists, "already_exists")
    );
    let mut stale = record_file(4, "01");
    stale.options = Some(pb::CommandOptions {
        expected_revision: Some(0),
        ..Default::default()
    });
    let conflict = commands
        .execute_fonds_command(authed(&who.clerk, stale))
        .await
        .expect_err("refused");
    assert_eq!(conflict.code(), Code::Aborted, "{conflict:?}");
    let mut incomplete = record_file(5, "01");
    if let Some(Command::RecordFile(file)) = incomplete.command.as_mut() {
        file.retention = None;
    }
    let invalid = commands
        .execute_fonds_command(authed(&who.clerk, incomplete))
        .await
        .expect_err("refused");
    assert_eq!(
        (invalid.code(), error_code(&invalid).as_str()),
        (Code::InvalidArgument, "invalid_body")
    );
    let missing = queries
        .get_custody(authed(
            &who.clerk,
            pb::GetCustodyRequest {
                file_code: format!("{ORGAN}.2010.0099"),
                ..Default::default()
            },
        ))
        .await
        .expect_err("refused");
    assert_eq!(
        (missing.code(), error_code(&missing).as_str()),
        (Code::NotFound, "not_found")
    );

    // Refusals are kept in the audit log, as over HTTP.
    let (status, audit) = get_json(&served, &who.admin, "/api/v1/audit").await;
    assert_eq!(status, 200);
    let reasons: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|d| d["reason"].as_str())
        .collect();
    assert!(
        reasons.contains(&"forbidden_role") && reasons.contains(&"out_of_scope"),
        "{audit}"
    );
}

async fn get_json(served: &Served, token: &str, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", served.http))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// Reads the feed until `done` says so; returns the events received.
async fn read_feed(
    feed: &mut FeedClient<Channel>,
    token: &str,
    request: pb::SubscribeRequest,
    mut done: impl FnMut(&[pb::Event]) -> bool,
) -> Vec<pb::Event> {
    let mut stream = feed
        .subscribe(authed(token, request))
        .await
        .expect("subscribed")
        .into_inner();
    let mut events = Vec::new();
    while !done(&events) {
        let next = tokio::time::timeout(Duration::from_secs(30), stream.next())
            .await
            .expect("the feed keeps delivering")
            .expect("the feed stays open")
            .expect("no error");
        if let Some(Message::Event(event)) = next.message {
            events.push(event);
        }
    }
    events
}

#[tokio::test]
async fn a_subscriber_resumes_after_a_disconnect_without_missing_or_repeating_an_event() {
    const FILES: u32 = 1000;
    let (_dir, data) = data_dir();
    let who = people(&data);
    let served = serve(&data).await;
    let opened_at = set_up(&served, &who).await;

    // The writer records 1,000 files while the subscriber reads, leaves and comes back.
    let channel = served.channel.clone();
    let clerk = who.clerk.clone();
    let writer = tokio::spawn(async move {
        let mut commands = CommandsClient::new(channel);
        let mut last = 0;
        for n in 1..=FILES {
            last = commands
                .execute_fonds_command(authed(
                    &clerk,
                    record_file(n, if n % 10 == 0 { "02" } else { "01" }),
                ))
                .await
                .expect("recorded")
                .into_inner()
                .position;
        }
        last
    });
    let mut feed = FeedClient::new(served.channel.clone());
    let only_fonds = pb::SubscribeRequest {
        from_position: 0,
        fonds_codes: vec![FONDS.into()],
        ..Default::default()
    };
    let before = read_feed(&mut feed, &who.clerk, only_fonds.clone(), |e| {
        e.len() >= 400
    })
    .await;
    // The stream is dropped here: the subscriber is gone while the writer goes on.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let resume_from = before.last().expect("events").position + 1;
    assert!(
        !writer.is_finished(),
        "the subscriber comes back while files are still being recorded"
    );
    let expected_count = FILES as usize + 1;
    let already = before.len();
    let after = read_feed(
        &mut feed,
        &who.clerk,
        pb::SubscribeRequest {
            from_position: resume_from,
            ..only_fonds
        },
        |e| already + e.len() >= expected_count,
    )
    .await;
    let last_position = writer.await.expect("writer");
    assert_eq!(after.last().map(|e| e.position), Some(last_position));
    assert!(!after.is_empty());

    let all: Vec<&pb::Event> = before.iter().chain(&after).collect();
    assert!(
        all.windows(2).all(|w| w[0].position < w[1].position),
        "in log order"
    );
    let ids: HashSet<&str> = all.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "no event delivered twice");
    assert_eq!(
        all.first().map(|e| e.position),
        Some(opened_at),
        "from the fonds' first event"
    );
    let recorded = all
        .iter()
        .filter(|e| e.event_type == "FileRecorded")
        .count();
    assert_eq!(recorded, FILES as usize, "every file's event, none missed");
    assert_eq!(all.len(), FILES as usize + 1);
    for event in &all {
        assert_eq!(event.stream, format!("fonds-{FONDS}"));
        assert!(!event.redacted, "the clerk of the fonds is cleared for it");
        let payload = event.payload.as_ref().expect("typed payload");
        let (event_type, _) = bangiao_grpc::convert::payload_to_json(payload);
        assert_eq!(event_type, event.event_type);
        assert_eq!(
            event
                .metadata
                .as_ref()
                .and_then(|m| m.actor.as_ref())
                .map(|a| a.user_id.as_str()),
            Some("vanthu.06601")
        );
    }
    // The same events, in the same order, as the log itself gives them over HTTP.
    let mut logged = Vec::new();
    let mut after_position = 0;
    loop {
        let (status, page) = get_json(
            &served,
            &who.admin,
            &format!("/api/v1/events?after={after_position}&limit=1000"),
        )
        .await;
        assert_eq!(status, 200);
        let items = page["items"].as_array().expect("items").clone();
        for item in &items {
            if item["stream"] == format!("fonds-{FONDS}").as_str() {
                logged.push(item["event_id"].as_str().expect("id").to_owned());
            }
        }
        match page["next"].as_str() {
            Some(next) => after_position = next.parse().expect("cursor"),
            None => break,
        }
    }
    let fed: Vec<&str> = all.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(fed, logged);

    // A clerk of another commune receives the same events, restricted titles replaced.
    let stranger = read_feed(
        &mut feed,
        &who.stranger,
        pb::SubscribeRequest {
            from_position: opened_at,
            fonds_codes: vec![FONDS.into()],
            event_types: vec!["FileRecorded".into()],
            ..Default::default()
        },
        |e| e.len() >= 20,
    )
    .await;
    for event in &stranger {
        let Some(pb::event::Payload::FileRecorded(file)) = &event.payload else {
            panic!("only FileRecorded was asked for");
        };
        let restricted = file.access != "01";
        assert_eq!(event.redacted, restricted, "{}", file.file_code);
        let hidden = |text: &str| text == "[Hạn chế tiếp cận / Restricted]";
        assert_eq!(hidden(&file.title), restricted);
        assert_eq!(file.notes.as_deref().is_some_and(hidden), restricted);
    }

    // A filter that matches nothing still tells how far the feed has looked.
    let mut quiet = feed
        .subscribe(authed(
            &who.clerk,
            pb::SubscribeRequest {
                event_types: vec!["HandoverReceived".into()],
                ..Default::default()
            },
        ))
        .await
        .expect("subscribed")
        .into_inner();
    let mut reached = 0;
    while reached < last_position {
        let next = tokio::time::timeout(Duration::from_secs(30), quiet.next())
            .await
            .expect("a checkpoint")
            .expect("open")
            .expect("no error");
        let Some(Message::Checkpoint(checkpoint)) = next.message else {
            panic!("a checkpoint, not an event");
        };
        assert!(checkpoint.position > reached, "checkpoints move forward");
        reached = checkpoint.position;
    }

    // The same feed over Server-Sent Events resumes after Last-Event-ID.
    let sse = |last: Option<u64>| {
        let mut request = reqwest::Client::new()
            .get(format!("{}/api/v1/events/feed?fonds={FONDS}", served.http))
            .bearer_auth(&who.clerk);
        if let Some(last) = last {
            request = request.header("Last-Event-ID", last.to_string());
        }
        request.send()
    };
    let first_ids = sse_ids(sse(None).await.expect("SSE"), 3).await;
    let expected: Vec<u64> = all.iter().take(6).map(|e| e.position).collect();
    assert_eq!(first_ids, expected[..3]);
    let resumed = sse_ids(sse(Some(first_ids[2])).await.expect("SSE"), 3).await;
    assert_eq!(resumed, expected[3..6]);
}

/// The `id:` of the first `count` events of an SSE response.
async fn sse_ids(response: reqwest::Response, count: usize) -> Vec<u64> {
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/event-stream")
    );
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let mut ids = Vec::new();
    while ids.len() < count {
        let chunk = tokio::time::timeout(Duration::from_secs(30), body.next())
            .await
            .expect("SSE keeps delivering")
            .expect("open")
            .expect("chunk");
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let id = block.lines().find_map(|l| l.strip_prefix("id:"));
            let is_event = block
                .lines()
                .any(|l| l.starts_with("data:") && l.contains("\"event_id\""));
            if let (Some(id), true) = (id, is_event) {
                ids.push(id.trim().parse().expect("a position"));
            }
        }
    }
    ids.truncate(count);
    ids
}
