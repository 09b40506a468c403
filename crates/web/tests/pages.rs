// Over 500 lines: every page and form through one router, sharing its fixture.
//! The pages through the router, without a browser: sign-in and its cookie, every page in both
//! languages over the demo, refusals, forged forms, and a handover carried from draft to receipt.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::Role;
use bangiao_server::{AppState, HttpConfig};
use http_body_util::BodyExt;
use tower::ServiceExt;

const CLERK: &str = "bg_pages-test-clerk-of-066-000000000000000000000";
const ARCHIVIST: &str = "bg_pages-test-archivist-of-ltls19-0000000000000";
const APPROVER: &str = "bg_pages-test-approver-of-066-000000000000000000";
const FINANCE_ARCHIVIST: &str = "bg_pages-test-archivist-of-ptckh066-000000000000";

async fn app() -> (tempfile::TempDir, Router) {
    let (dir, router, _) = app_and_state().await;
    (dir, router)
}

/// The pages over the demo, with the service's state for acts a test plays itself.
async fn app_and_state() -> (tempfile::TempDir, Router, AppState) {
    let (dir, state, router) = support::demo_service(
        HttpConfig::default(),
        &[
            (CLERK, "vanthu.066", Role::Clerk, "066"),
            (ARCHIVIST, "luutru.19", Role::Archivist, "LTLS-19"),
            (
                FINANCE_ARCHIVIST,
                "luutru.ptckh066",
                Role::Archivist,
                "PTCKH-066",
            ),
            (APPROVER, "giamdoc.066", Role::Approver, "066"),
        ],
    )
    .await;
    (dir, router, state)
}

struct Answer {
    status: StatusCode,
    location: String,
    cookie: String,
    body: String,
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("answered");
    let text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (status, location, cookie) = (
        response.status(),
        text(header::LOCATION),
        text(header::SET_COOKIE),
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        location,
        cookie,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, path: &str, cookie: &str) -> Answer {
    let request = Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    send(app, request).await
}

async fn post(app: &Router, path: &str, cookie: &str, form: &str) -> Answer {
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .expect("request");
    send(app, request).await
}

fn session(token: &str) -> String {
    format!("bg_token={token}")
}

fn csrf(token: &str) -> String {
    bangiao_web::session::csrf_token(token)
}

#[tokio::test]
async fn sign_in_keeps_the_token_in_a_strict_http_only_cookie() {
    let (_dir, app) = app().await;
    let answer = get(&app, "/trang/phong", "").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location, "/trang/dang-nhap?next=/trang/phong");
    let answer = post(
        &app,
        "/trang/dang-nhap",
        "",
        &format!("token={CLERK}&next=/trang/phong"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location, "/trang/phong");
    for attribute in [
        &format!("bg_token={CLERK}"),
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(answer.cookie.contains(attribute), "{}", answer.cookie);
    }
    let wrong = post(&app, "/trang/dang-nhap", "", "token=bg_nope&next=/").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("không hợp lệ"));
    let elsewhere = post(
        &app,
        "/trang/dang-nhap",
        "",
        &format!("token={CLERK}&next=//evil.example"),
    )
    .await;
    assert_eq!(elsewhere.location, "/");
}

#[tokio::test]
async fn every_page_renders_in_vietnamese_and_in_english() {
    let (_dir, app) = app().await;
    let list = get(&app, "/trang/phong/066-D02?limit=50", &session(CLERK)).await;
    assert_eq!(
        list.body.matches("href=\"/trang/ho-so/").count(),
        50,
        "a page of 50 rows"
    );
    assert!(list.body.contains("after="), "a link to the next page");
    let file = list
        .body
        .split("href=\"/trang/ho-so/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a file link")
        .to_owned();
    let file_page = format!("/trang/ho-so/{file}?as_of=2025-06-30");
    let pages = [
        "/",
        "/trang/don-vi?q=nghien+loan",
        "/trang/don-vi/066N2",
        "/trang/phong",
        "/trang/phong/066-D02?q=can+bo&retention=01&limit=50",
        "/trang/phong/066-D02/ban-giao",
        "/trang/phong/066-D02/nhap",
        file_page.as_str(),
        "/trang/ban-giao",
        "/trang/han-nop-luu?as_of=2031-01-01",
        "/trang/phong/066-D02?sort=title&desc=1&limit=50",
        "/trang/lo-ban-giao",
        "/trang/nop-luu",
        "/trang/nop-luu?status=appraised",
        "/trang/huy",
        "/trang/tam-giu?status=active",
    ];
    for (lang, marker) in [("vi", "Phông lưu trữ"), ("en", "Fonds")] {
        let cookie = format!("{}; bg_lang={lang}", session(CLERK));
        for page in pages {
            let answer = get(&app, page, &cookie).await;
            assert_eq!(answer.status, StatusCode::OK, "{page}: {}", answer.body);
            assert!(
                answer.body.contains(&format!("<html lang=\"{lang}\">")),
                "{page}"
            );
            assert!(answer.body.contains(marker), "{page} in {lang}");
        }
    }
    let csv = get(
        &app,
        "/trang/phong/066-D02/xuat?format=csv",
        &session(CLERK),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("000.02.66.H06"));
}

#[tokio::test]
async fn refusals_and_forged_forms() {
    let (_dir, app) = app().await;
    // An archivist may read, but not import into a district fonds.
    let answer = get(&app, "/trang/phong/066-D02/nhap", &session(ARCHIVIST)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("forbidden_role"));
    // A form without the anti-forgery token, or from another site, is refused.
    let form = "giving_custodian=PNV-066&receiving_custodian=LTLS-19&receiving_person=luutru.19";
    let answer = post(&app, "/trang/phong/066-D02/ban-giao", &session(CLERK), form).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("form_not_verified"));
    let request = Request::post("/trang/dang-xuat")
        .header(header::COOKIE, session(CLERK))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}", csrf(CLERK))))
        .expect("request");
    assert_eq!(send(&app, request).await.status, StatusCode::FORBIDDEN);
    // The token of another session does not do either.
    let form = format!("_csrf={}&{form}", csrf(ARCHIVIST));
    let answer = post(
        &app,
        "/trang/phong/066-D02/ban-giao",
        &session(CLERK),
        &form,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_handover_from_draft_to_receipt() {
    let (_dir, app) = app().await;
    let clerk = session(CLERK);
    // 066-D01 is untouched by the demo's handovers: hand over its first three finished files.
    let page = get(&app, "/trang/phong/066-D01/ban-giao?unfinished=no", &clerk).await;
    let files: Vec<&str> = page
        .body
        .split("name=\"file\" value=\"")
        .skip(1)
        .take(3)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(files.len(), 3);
    let id = uuid::Uuid::now_v7();
    let mut form = format!(
        "_csrf={}&command_id={id}&pick=ticked&giving_custodian=VP-066&receiving_custodian=LTLS-19\
         &receiving_person=luutru.19&basis_number=414%2FBNV-VTLTNN&basis_date=2025-03-19\
         &basis_issuer=B%E1%BB%99+N%E1%BB%99i+v%E1%BB%A5&drafted_on=2025-07-15",
        csrf(CLERK)
    );
    for file in &files {
        form.push_str(&format!("&file={file}"));
    }
    let drafted = post(&app, "/trang/phong/066-D01/ban-giao", &clerk, &form).await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    assert_eq!(drafted.location, format!("/trang/ban-giao/{id}?ok=drafted"));
    // Sent twice (a double click), the same form drafts nothing more.
    let again = post(&app, "/trang/phong/066-D01/ban-giao", &clerk, &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let minutes = format!("/trang/ban-giao/{id}");
    let signed = post(
        &app,
        &format!("{minutes}/ky"),
        &clerk,
        &format!("_csrf={}&signed_on=2025-07-15", csrf(CLERK)),
    )
    .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    // The clerk may not receive in the archivist's name; the archivist may.
    let page = get(&app, &minutes, &session(ARCHIVIST)).await;
    assert!(
        page.body.contains(&format!("{minutes}/nhan")),
        "the archivist may receive"
    );
    let form = format!(
        "_csrf={}&received_on=2025-07-20&check_{}=received&check_{}=damaged&note_{}=R%C3%A1ch+b%C3%ACa&check_{}=missing",
        csrf(ARCHIVIST),
        files[0],
        files[1],
        files[1],
        files[2]
    );
    let received = post(&app, &format!("{minutes}/nhan"), &session(ARCHIVIST), &form).await;
    assert_eq!(received.status, StatusCode::SEE_OTHER, "{}", received.body);
    let page = get(&app, &minutes, &clerk).await;
    assert!(
        page.body.contains("Rách bìa"),
        "the damage is on the minutes"
    );
    assert!(page.body.contains("hstatus-received"));
    let pdf = get(&app, &format!("{minutes}/bien-ban?format=pdf"), &clerk).await;
    assert!(pdf.body.starts_with("%PDF"));
}

#[tokio::test]
async fn cancelled_minutes_leave_the_files_with_the_giving_side() {
    let (_dir, app) = app().await;
    let clerk = session(CLERK);
    let page = get(&app, "/trang/phong/066-D01/ban-giao?unfinished=no", &clerk).await;
    let file = page
        .body
        .split("name=\"file\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a file to tick")
        .to_owned();
    let id = uuid::Uuid::now_v7();
    let form = format!(
        "_csrf={}&command_id={id}&pick=ticked&giving_custodian=VP-066&receiving_custodian=LTLS-19\
         &receiving_person=luutru.19&basis_number=414%2FBNV-VTLTNN&basis_date=2025-03-19\
         &basis_issuer=B%E1%BB%99+N%E1%BB%99i+v%E1%BB%A5&drafted_on=2025-07-15&file={file}",
        csrf(CLERK)
    );
    let drafted = post(&app, "/trang/phong/066-D01/ban-giao", &clerk, &form).await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    let minutes = format!("/trang/ban-giao/{id}");
    let page = get(&app, &minutes, &clerk).await;
    assert!(
        page.body.contains(&format!("{minutes}/huy")),
        "the giving side may cancel"
    );
    let form = format!(
        "_csrf={}&cancelled_on=2025-07-16&reason=L%E1%BA%ADp+nh%E1%BA%A7m",
        csrf(CLERK)
    );
    let cancelled = post(&app, &format!("{minutes}/huy"), &clerk, &form).await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    let page = get(&app, &minutes, &clerk).await;
    assert!(page.body.contains("hstatus-cancelled"));
    let file_page = get(&app, &format!("/trang/ho-so/{file}"), &clerk).await;
    assert!(
        file_page.body.contains("status-in_custody"),
        "the file is free again"
    );
}

/// The `href` of the page's "next page" link, if any.
fn next_link(body: &str) -> Option<String> {
    let rest = body.split("rel=\"next\" href=\"").nth(1)?;
    Some(rest.split('"').next()?.replace("&amp;", "&"))
}

/// The file codes of every page of a list, following its "next page" links from `first`.
async fn every_page(app: &Router, first: &str) -> Vec<String> {
    let (mut codes, mut page) = (Vec::new(), Some(first.to_owned()));
    while let Some(path) = page {
        let answer = get(app, &path, &session(CLERK)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        codes.extend(
            answer
                .body
                .split("href=\"/trang/ho-so/")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned),
        );
        page = next_link(&answer.body);
    }
    codes
}

#[tokio::test]
async fn a_list_sorted_on_any_column_pages_through_every_file_once() {
    let (_dir, app) = app().await;
    let mut unsorted = every_page(&app, "/trang/phong/066-D02?limit=50").await;
    assert!(unsorted.len() > 100, "several pages: {}", unsorted.len());
    unsorted.sort();
    for column in ["box", "file_code", "title", "dates", "sheets", "retention"] {
        let up = every_page(
            &app,
            &format!("/trang/phong/066-D02?sort={column}&limit=50"),
        )
        .await;
        let down = every_page(
            &app,
            &format!("/trang/phong/066-D02?sort={column}&desc=1&limit=50"),
        )
        .await;
        let mut reversed = down.clone();
        reversed.reverse();
        assert_eq!(up, reversed, "{column}: descending is ascending reversed");
        let mut set = up.clone();
        set.sort();
        assert_eq!(set, unsorted, "{column}: every file once");
    }
    let mut by_code = every_page(&app, "/trang/phong/066-D02?sort=file_code&limit=50").await;
    let sorted = by_code.clone();
    by_code.sort();
    assert_eq!(by_code, sorted, "by file code");
    let bad = get(
        &app,
        "/trang/phong/066-D02?sort=title&after=%5B1%5D",
        &session(CLERK),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The first link of a page to `prefix{id}` (a process page), as its path.
fn first_link(body: &str, prefix: &str) -> String {
    let rest = body
        .split(&format!("href=\"{prefix}"))
        .nth(1)
        .expect("a link to a process");
    format!("{prefix}{}", rest.split('"').next().expect("its end"))
}

#[tokio::test]
async fn the_archive_accepts_a_transfer_and_curates_holds_and_destruction() {
    let (_dir, app) = app().await;
    let (clerk, archivist, finance) = (
        session(CLERK),
        session(ARCHIVIST),
        session(FINANCE_ARCHIVIST),
    );
    // The batch of the three merging communes, and its minutes.
    let batches = get(&app, "/trang/lo-ban-giao", &clerk).await;
    let batch = get(
        &app,
        &first_link(&batches.body, "/trang/lo-ban-giao/"),
        &clerk,
    )
    .await;
    assert_eq!(batch.status, StatusCode::OK);
    assert!(batch.body.contains("/trang/ban-giao/"), "its minutes");

    // Thái Nguyên's archive accepts the appraised transfer, refusing one file.
    let list = get(&app, "/trang/nop-luu?status=appraised", &archivist).await;
    let transfer = first_link(&list.body, "/trang/nop-luu/");
    let page = get(&app, &transfer, &clerk).await;
    assert!(!page.body.contains("/thu\""), "a clerk may not accept");
    let page = get(&app, &transfer, &archivist).await;
    assert!(
        page.body.contains(&format!("{transfer}/thu")),
        "the archive may"
    );
    let files: Vec<&str> = page
        .body
        .split("name=\"take_")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .step_by(2)
        .collect();
    assert!(files.len() > 1, "{files:?}");
    let mut form = format!("_csrf={}&accepted_on=2026-01-10", csrf(ARCHIVIST));
    for (i, file) in files.iter().enumerate() {
        let take = if i == 0 { "reject" } else { "accept" };
        form.push_str(&format!(
            "&take_{file}={take}&reason_{file}=H%C6%B0+h%E1%BB%8Fng"
        ));
    }
    let refused = post(&app, &format!("{transfer}/thu"), &clerk, &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not the clerk's act");
    // A file marked neither accept nor reject is refused, not taken (it was, before).
    let unknown = format!("{form}&take_{}=maybe", files[1]).replacen(
        &format!("&take_{}=accept", files[1]),
        "",
        1,
    );
    let refused = post(&app, &format!("{transfer}/thu"), &archivist, &unknown).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("«maybe»"), "{}", refused.body);
    let accepted = post(&app, &format!("{transfer}/thu"), &archivist, &form).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let page = get(&app, &accepted.location, &clerk).await;
    assert!(page.body.contains("tstatus-accepted"), "{}", page.body);
    assert!(page.body.contains("Hư hỏng"), "the refusal and its reason");

    // The archivist of the finance office, which holds 066-D03, lifts the inspection hold and
    // records the approved destruction.
    let holds = get(&app, "/trang/tam-giu?status=active", &finance).await;
    let hold = first_link(&holds.body, "/trang/tam-giu/");
    let lifted = post(
        &app,
        &format!("{hold}/go"),
        &finance,
        &format!("_csrf={}&lifted_on=2026-01-12", csrf(FINANCE_ARCHIVIST)),
    )
    .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER, "{}", lifted.body);
    let page = get(&app, &hold, &clerk).await;
    assert!(
        page.body.contains("12&#x2f;01&#x2f;2026"),
        "lifted on the day given"
    );
    let list = get(&app, "/trang/huy?status=approved", &finance).await;
    let destruction = first_link(&list.body, "/trang/huy/");
    let page = get(&app, &destruction, &finance).await;
    assert!(page.body.contains(&format!("{destruction}/thuc-hien")));
    assert!(!page.body.contains("/duyet\""), "already approved");
    let executed = post(
        &app,
        &format!("{destruction}/thuc-hien"),
        &finance,
        &format!("_csrf={}&executed_on=2026-01-15", csrf(FINANCE_ARCHIVIST)),
    )
    .await;
    assert_eq!(executed.status, StatusCode::SEE_OTHER, "{}", executed.body);
    let page = get(&app, &destruction, &clerk).await;
    assert!(page.body.contains("dstatus-executed"));
    assert!(
        page.body.contains("status-destroyed"),
        "its files are destroyed"
    );
}

#[tokio::test]
async fn a_destruction_list_proposed_on_its_form_is_approved_by_another_person() {
    use bangiao_projections::query::inventory::{self, Filter, Scope};

    let (_dir, app, state) = app_and_state().await;
    // Two ten-year files of 066-D03 that ended before 2014 and are free (not the demo's six).
    let filter = Filter {
        status: Some("in_custody".into()),
        year_to: Some(2013),
        ..Filter::default()
    };
    let files: Vec<String> = state
        .read
        .readers()
        .with(move |c| {
            let mut codes = Vec::new();
            inventory::for_each(c, &Scope::Fonds("066-D03".into()), &filter, |r| {
                if r.retention_years == Some(10) && r.end_date.to_string().as_str() < "2014" {
                    codes.push(r.file_code);
                }
                codes.len() < 2
            })?;
            Ok::<_, bangiao_projections::ProjectionError>(codes)
        })
        .await
        .expect("expired files");
    assert_eq!(files.len(), 2, "{files:?}");
    // The finance office's archivist proposes them through the fonds' form.
    let finance = session(FINANCE_ARCHIVIST);
    let fonds_page = get(&app, "/trang/phong/066-D03", &finance).await;
    assert!(
        fonds_page.body.contains("/trang/phong/066-D03/huy"),
        "offered"
    );
    let form_page = get(&app, "/trang/phong/066-D03/huy?year_to=2013", &finance).await;
    assert_eq!(form_page.status, StatusCode::OK, "{}", form_page.body);
    assert!(
        files
            .iter()
            .all(|f| form_page.body.contains(&format!("value=\"{f}\"")))
    );
    let id = uuid::Uuid::now_v7();
    let mut form = format!(
        "_csrf={}&command_id={id}&pick=ticked&on=2026-01-06&basis_number=16%2FBB-HDXDGTTL\
         &basis_date=2026-01-05&basis_issuer=H%E1%BB%99i+%C4%91%E1%BB%93ng",
        csrf(FINANCE_ARCHIVIST)
    );
    for file in &files {
        form.push_str(&format!("&file={file}"));
    }
    let refused = post(&app, "/trang/phong/066-D03/huy", &session(CLERK), &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not a clerk's act");
    let proposed = post(&app, "/trang/phong/066-D03/huy", &finance, &form).await;
    assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
    assert_eq!(proposed.location, format!("/trang/huy/{id}?ok=started"));

    let approver = session(APPROVER);
    let home = get(&app, "/", &approver).await;
    let page = format!("/trang/huy/{id}");
    assert!(
        home.body.contains(&page),
        "waiting on the approver's home page"
    );
    let shown = get(&app, &page, &approver).await;
    assert!(
        shown.body.contains(&format!("{page}/duyet")),
        "the approve form"
    );
    let proposer = get(&app, &page, &session(FINANCE_ARCHIVIST)).await;
    assert!(!proposer.body.contains("/duyet\""), "not for the proposer");
    let form = format!("_csrf={}&approved_on=2026-01-08", csrf(CLERK));
    let refused = post(&app, &format!("{page}/duyet"), &session(CLERK), &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not a clerk's act");
    let form = format!("_csrf={}&approved_on=2026-01-08", csrf(APPROVER));
    let approved = post(&app, &format!("{page}/duyet"), &approver, &form).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let shown = get(&app, &approved.location, &approver).await;
    assert!(shown.body.contains("dstatus-approved"));
    assert!(
        shown.body.contains("giamdoc.066"),
        "approved in the caller's name"
    );
}

/// The file codes a form offers to tick.
fn tickable(body: &str) -> Vec<String> {
    body.split("name=\"file\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn holds_and_transfers_start_from_the_fonds_forms() {
    let (_dir, app) = app().await;
    // The finance office's archivist holds one file of 066-D03.
    let finance = session(FINANCE_ARCHIVIST);
    let page = get(&app, "/trang/phong/066-D03/tam-giu", &finance).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let file = tickable(&page.body).into_iter().next().expect("a file");
    let id = uuid::Uuid::now_v7();
    let form = format!(
        "_csrf={}&command_id={id}&pick=ticked&file={file}&reason=dispute&on=2026-01-09\
         &basis_number=12%2FQD-TTr&basis_date=2026-01-08&basis_issuer=Thanh+tra+t%E1%BB%89nh",
        csrf(FINANCE_ARCHIVIST)
    );
    let placed = post(&app, "/trang/phong/066-D03/tam-giu", &finance, &form).await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.body);
    let hold = get(&app, &placed.location, &finance).await;
    assert!(hold.body.contains("Tranh chấp"), "the reason");
    assert!(
        hold.body.contains("luutru.ptckh066"),
        "placed in the caller's name"
    );
    // Sent again (a double click), the same form places nothing more.
    let again = post(&app, "/trang/phong/066-D03/tam-giu", &finance, &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let holds = get(&app, "/trang/tam-giu?fonds=066-D03", &finance).await;
    assert_eq!(
        holds.body.matches("href=\"/trang/tam-giu/").count(),
        2,
        "the demo's and this one"
    );

    // The district's clerk registers two permanent, open files of 066-D01 for transfer.
    let clerk = session(CLERK);
    let page = get(
        &app,
        "/trang/phong/066-D01/nop-luu?retention=01&access=01",
        &clerk,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let transferring = page
        .body
        .split("name=\"transferring\" required value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the fonds' custodian")
        .to_owned();
    let files: Vec<String> = tickable(&page.body).into_iter().take(2).collect();
    let id = uuid::Uuid::now_v7();
    let mut form = format!(
        "_csrf={}&command_id={id}&pick=ticked&transferring={transferring}&archive=LTLS-19\
         &declared_kind=state&on=2026-01-10",
        csrf(CLERK)
    );
    for file in &files {
        form.push_str(&format!("&file={file}"));
    }
    let registered = post(&app, "/trang/phong/066-D01/nop-luu", &clerk, &form).await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.body
    );
    assert_eq!(
        registered.location,
        format!("/trang/nop-luu/{id}?ok=started")
    );
    let transfer = get(&app, &registered.location, &session(ARCHIVIST)).await;
    assert!(transfer.body.contains("tstatus-registered"));
    assert!(
        transfer.body.contains("/tham-dinh"),
        "the archive may appraise it"
    );
    for file in &files {
        assert!(transfer.body.contains(file.as_str()), "{file} on the list");
    }
}

/// The first file code a query of the read model finds.
async fn first_file(state: &AppState, sql: &'static str) -> String {
    state
        .read
        .readers()
        .with(move |c| {
            Ok::<_, bangiao_projections::ProjectionError>(c.query_row(sql, [], |r| r.get(0))?)
        })
        .await
        .expect("the demo has such a file")
}

#[tokio::test]
async fn a_files_timeline_shows_it_missing_damaged_and_rejected() {
    let (_dir, app, state) = app_and_state().await;
    let missing = first_file(
        &state,
        "SELECT file_code FROM files WHERE status = 'missing'",
    )
    .await;
    let damaged = first_file(
        &state,
        "SELECT file_code FROM files WHERE damaged IS NOT NULL",
    )
    .await;
    let rejected = first_file(
        &state,
        "SELECT file_code FROM file_marks WHERE kind = 'transfer_rejected'",
    )
    .await;
    for (lang, file, words) in [
        ("vi", &missing, ["báo thất lạc", "status-missing"]),
        ("en", &missing, ["reported missing", "status-missing"]),
        ("vi", &damaged, ["Hư hỏng: ", "bàn giao"]),
        (
            "vi",
            &rejected,
            ["bị từ chối khi nộp lưu", "/trang/nop-luu/"],
        ),
        ("en", &rejected, ["rejected at transfer", "/trang/nop-luu/"]),
    ] {
        let cookie = format!("{}; bg_lang={lang}", session(CLERK));
        let page = get(&app, &format!("/trang/ho-so/{file}"), &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{file}: {}", page.body);
        let timeline = page
            .body
            .split("class=\"timeline\"")
            .nth(1)
            .expect("a timeline");
        for word in words {
            assert!(
                timeline.contains(word),
                "{file} in {lang}: {word}\n{timeline}"
            );
        }
    }
    let cookie = session(CLERK);
    let asked = get(
        &app,
        &format!("/trang/ho-so/{missing}?as_of=2099-01-01"),
        &cookie,
    )
    .await;
    assert!(asked.body.contains("(thất lạc"), "{}", asked.body);
}

#[tokio::test]
async fn a_units_page_shows_its_last_day_and_the_acts_effective_date() {
    let (_dir, app) = app().await;
    for (lang, last, act) in [
        ("vi", "Ngày cuối cùng", "Văn bản kết thúc có hiệu lực từ"),
        ("en", "Last day", "Ended by an act effective on"),
    ] {
        let cookie = format!("{}; bg_lang={lang}", session(CLERK));
        let page = get(&app, "/trang/don-vi/066", &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let fields = page.body.split("class=\"fields\"").nth(1).expect("fields");
        let fields = fields.split("</dl>").next().unwrap_or_default();
        let last_day = format!("<dt>{last}</dt><dd>30&#x2f;06&#x2f;2025");
        let effective = format!("<dt>{act}</dt><dd>01&#x2f;07&#x2f;2025");
        assert!(fields.contains(&last_day), "{lang}: {fields}");
        assert!(fields.contains(&effective), "{lang}: {fields}");
    }
}

#[tokio::test]
async fn an_unknown_choice_on_a_form_is_refused_not_read_as_a_default() {
    let (_dir, app) = app().await;
    let finance = session(FINANCE_ARCHIVIST);
    let page = get(&app, "/trang/phong/066-D03/tam-giu", &finance).await;
    let file = tickable(&page.body).into_iter().next().expect("a file");
    let form = |reason: &str| {
        format!(
            "_csrf={}&command_id={}&pick=ticked&file={file}&reason={reason}&on=2026-01-09\
             &basis_number=12%2FQD-TTr&basis_date=2026-01-08&basis_issuer=Thanh+tra",
            csrf(FINANCE_ARCHIVIST),
            uuid::Uuid::now_v7()
        )
    };
    // Before, any reason but "dispute" placed an inspection hold.
    let refused = post(
        &app,
        "/trang/phong/066-D03/tam-giu",
        &finance,
        &form("audit"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("<code>invalid_form</code>"));
    assert!(
        refused
            .body
            .contains("lý do: giá trị «audit» không có trong danh sách lựa chọn."),
        "{}",
        refused.body
    );
    let holds = get(&app, "/trang/tam-giu?fonds=066-D03", &finance).await;
    assert_eq!(
        holds.body.matches("href=\"/trang/tam-giu/").count(),
        1,
        "only the demo's hold: nothing was placed"
    );
    // Before, any kind but "party" registered a state fonds.
    let clerk = session(CLERK);
    let page = get(&app, "/trang/phong/066-D01/nop-luu?retention=01", &clerk).await;
    let file = tickable(&page.body).into_iter().next().expect("a file");
    let form = format!(
        "_csrf={}&command_id={}&pick=ticked&file={file}&transferring=UBND-066&archive=LTLS-19\
         &declared_kind=provincial&on=2026-01-10",
        csrf(CLERK),
        uuid::Uuid::now_v7()
    );
    let refused = post(&app, "/trang/phong/066-D01/nop-luu", &clerk, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("«provincial»"), "{}", refused.body);
    // In English, the message is English.
    let english = format!("{clerk}; bg_lang=en");
    let refused = post(&app, "/trang/phong/066-D01/nop-luu", &english, &form).await;
    assert!(
        refused
            .body
            .contains("Kind: the value `provincial` is not one of the choices."),
        "{}",
        refused.body
    );
}
