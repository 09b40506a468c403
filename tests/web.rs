// Over 500 lines: one browser walkthrough; its sessions share one driver and helpers.
//! The web pages in a real browser: Debian's headless Chromium driven through chromedriver
//! against the real `bangiao` binary over the demo data. A clerk signs in, imports a sample
//! inventory (a list with mistakes first, to see the report, then a clean one), drafts handover
//! minutes and signs them; an archivist, in a second browser session, checks each file, marks
//! one damaged and one missing, and signs; the minutes are downloaded as PDF. The archivist
//! then accepts a transfer refusing one file, and the finance office's archivist, in a third
//! browser, lifts a hold and records an approved destruction. Every page is
//! photographed at 1366×768 on the way (into the test's temporary directory, and into
//! docs/screenshots when UPDATE_SCREENSHOTS=1).

#[path = "support/browser.rs"]
mod browser;
mod support;

use std::path::{Path, PathBuf};

use browser::{Browser, Driver};
use support::{Server, bangiao, data_dir, token};

/// Where the screenshots go.
fn shots() -> (PathBuf, Option<PathBuf>) {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let docs = std::env::var_os("UPDATE_SCREENSHOTS")
        .filter(|v| v == "1")
        .map(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots"));
    (tmp, docs)
}

async fn shoot(browser: &Browser, name: &str) {
    let (tmp, docs) = shots();
    let path = tmp.join(format!("{name}.png"));
    browser.screenshot(&path).await;
    if let Some(docs) = docs {
        std::fs::create_dir_all(&docs).expect("docs/screenshots");
        std::fs::copy(&path, docs.join(format!("{name}.png"))).expect("copy screenshot");
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/pac-nam")
        .join(name)
        .canonicalize()
        .expect("the sample exists")
}

/// Asserts that the page says `expected` in its notice (or shows what it said instead).
async fn notice(browser: &Browser, expected: &str) {
    let said = browser.text(".notice").await;
    assert!(
        said.contains(expected),
        "expected {expected:?}, the page says: {} {}",
        browser.text("h1").await,
        browser.text(".alert").await
    );
}

/// A PDF-looking scan of `len` bytes.
fn pdf_scan(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n".to_vec();
    let mut x = 7u32;
    while bytes.len() < len {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push((x >> 24) as u8);
    }
    bytes
}

/// A restricted (02) file of 066-UB still held, from the API.
async fn restricted_file(server: &Server) -> String {
    let (status, list) = server.get("/api/v1/fonds/066-UB/files?limit=1000").await;
    assert_eq!(status, 200, "{list}");
    fn find(value: &serde_json::Value) -> Option<String> {
        match value {
            serde_json::Value::Object(map) => {
                if map.get("access").and_then(|a| a.as_str()) == Some("02")
                    && map.get("status").and_then(|s| s.as_str()) == Some("in_custody")
                {
                    return map
                        .get("file_code")
                        .and_then(|c| c.as_str())
                        .map(str::to_owned);
                }
                map.values().find_map(find)
            }
            serde_json::Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    find(&list).expect("a restricted file in custody")
}

async fn sign_in(browser: &Browser, base: &str, secret: &str) {
    browser.goto(&format!("{base}/")).await;
    assert!(browser.current_url().await.contains("/trang/dang-nhap"));
    browser.type_into("#token", secret).await;
    browser
        .click_and_wait("form.stack button[type=submit]")
        .await;
    browser.find("a.brand").await;
    assert!(
        browser.current_url().await.ends_with('/'),
        "home after sign-in"
    );
}

/// The fonds the sample lists are imported into: the district's Women's Union, no files yet.
const IMPORTED: &str = "066-HPN";

/// Opens fonds `code` of district 066 (organ id 000.09.66.H06) and closes it on 30/06/2025.
async fn open_closed_fonds(server: &Server, code: &str) {
    let basis = serde_json::json!({"number": "45/QĐ-HPN", "issued_on": "2025-06-27", "issuer": "Hội Liên hiệp Phụ nữ huyện Pác Nặm"});
    let (status, answer) = server
        .post(
            "/api/v1/fonds",
            serde_json::json!({
                "fonds_code": code, "name": "Phông Hội Liên hiệp Phụ nữ huyện Pác Nặm", "kind": "state",
                "creator_organ_id": "000.09.66.H06", "creator_name": "Hội Liên hiệp Phụ nữ huyện Pác Nặm",
                "unit_code": "066", "custodian": "HPN-066", "opened_on": "2003-07-01"
            }),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = server
        .post(
            &format!("/api/v1/fonds/{code}/close"),
            serde_json::json!({"closed_on": "2025-06-30", "closing_act": basis}),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_and_archivist_carry_a_handover_in_two_browsers() {
    if !browser::available() {
        println!("skipped: chromium not found");
        return;
    }
    let (dir, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("load the demo");
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let clerk = token(&data, "vanthu.066", "clerk", Some("066"));
    let archivist = token(&data, "luutru.19", "archivist", Some("LTLS-19"));
    let outsider = token(&data, "vanthu.066n1", "clerk", Some("066N1"));
    let server = Server::start(&data).await;
    let base = server.base.clone();
    // The sample lists are lists of the district's fonds as the shared samples describe them; the
    // demo's fonds hold other files under the same numbers, which an import rightly reports as
    // conflicts. They are imported into a fonds of their own, closed on 30/06/2025.
    server.act_as(&clerk);
    open_closed_fonds(&server, IMPORTED).await;
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).expect("downloads");
    let driver = Driver::start().await;

    // The clerk of the former district: sign-in, home, units, fonds, a file.
    let giver = driver.browser(&downloads).await;
    giver.goto(&format!("{base}/trang/dang-nhap")).await;
    shoot(&giver, "01-dang-nhap").await;
    sign_in(&giver, &base, &clerk).await;
    shoot(&giver, "02-trang-chu").await;
    giver
        .goto(&format!("{base}/trang/don-vi?q=nghien+loan"))
        .await;
    assert!(
        giver.text("table").await.contains("Nghiên Loan"),
        "search without diacritics"
    );
    giver.goto(&format!("{base}/trang/don-vi?q=pac+nam")).await;
    shoot(&giver, "03-don-vi").await;
    giver.goto(&format!("{base}/trang/don-vi/066N2")).await;
    assert!(giver.text(".tree").await.contains("06605"), "lineage tree");
    shoot(&giver, "04-don-vi-dong-doi").await;
    giver.goto(&format!("{base}/trang/phong")).await;
    shoot(&giver, "05-danh-sach-phong").await;
    giver
        .goto(&format!(
            "{base}/trang/phong/066-UB?q=dat+dai&retention=01&limit=50"
        ))
        .await;
    assert!(
        giver
            .text("table.inventory caption")
            .await
            .starts_with("Dòng 1–"),
        "a filtered page"
    );
    shoot(&giver, "06-phong").await;
    giver
        .goto(&format!(
            "{base}/trang/phong/066-UB?q=dat+dai&retention=01&limit=50#h-list"
        ))
        .await;
    shoot(&giver, "06-phong-muc-luc").await;
    // Sorted on a column by its heading (a short list: 31 files under these filters).
    giver.click_and_wait("th a.sort[href*='sort=dates']").await;
    giver.find("th[aria-sort=ascending]").await;
    giver.click_and_wait("th a.sort[href*='sort=dates']").await;
    giver.find("th[aria-sort=descending]").await;
    let file_code = giver
        .text("table.inventory tbody tr td:nth-child(2) a")
        .await;
    giver
        .goto(&format!("{base}/trang/ho-so/{file_code}?as_of=2025-06-30"))
        .await;
    assert!(
        giver.text(".answer").await.contains("30/06/2025"),
        "who held it on a date"
    );
    shoot(&giver, "07-ho-so").await;

    // A scan of a few MB attached on a restricted file's page and listed with a viewer link;
    // a clerk of another commune sees no copy of it and is refused its bytes.
    let restricted = restricted_file(&server).await;
    let scan = dir.path().join("ban-quet-066.pdf");
    std::fs::write(&scan, pdf_scan(3 * 1024 * 1024)).expect("scan");
    giver
        .goto(&format!("{base}/trang/ho-so/{restricted}"))
        .await;
    giver.choose_file("#copy-file", &scan).await;
    giver
        .click_and_wait("form[action$='/ban-sao'] button[type=submit]")
        .await;
    notice(&giver, "Đã tải lên").await;
    assert!(
        giver
            .text("table.copies")
            .await
            .contains("ban-quet-066.pdf"),
        "the scan is listed"
    );
    shoot(&giver, "07b-ho-so-ban-so-hoa").await;
    let page = reqwest::Client::new()
        .get(format!("{base}/trang/ho-so/{restricted}"))
        .header("cookie", giver.cookie_header().await)
        .send()
        .await
        .expect("file page")
        .text()
        .await
        .expect("html");
    let link = page
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("/ban-sao/") && !href.contains("tai=1"))
        .expect("a viewer link")
        .to_owned();
    let viewed = reqwest::Client::new()
        .get(format!("{base}{link}"))
        .header("cookie", giver.cookie_header().await)
        .send()
        .await
        .expect("view");
    assert_eq!(viewed.status(), 200);
    assert_eq!(viewed.bytes().await.expect("bytes").len(), 3 * 1024 * 1024);
    let stranger = driver.browser(&downloads).await;
    sign_in(&stranger, &base, &outsider).await;
    stranger
        .goto(&format!("{base}/trang/ho-so/{restricted}"))
        .await;
    let section = stranger.text("#ban-sao").await;
    assert!(section.contains("chế độ hạn chế"), "{section}");
    assert!(!section.contains("ban-quet-066.pdf"), "{section}");
    let refused = reqwest::Client::new()
        .get(format!("{base}{link}"))
        .header("cookie", stranger.cookie_header().await)
        .send()
        .await
        .expect("refused view");
    assert_eq!(refused.status(), 403);
    stranger.quit().await;

    // Import: a list with mistakes shows its report by row; then a clean list is applied.
    giver
        .goto(&format!("{base}/trang/phong/{IMPORTED}/nhap"))
        .await;
    shoot(&giver, "08-nhap-muc-luc").await;
    giver
        .choose_file("#file", &fixture("muc-luc-066-UB-loi.xlsx"))
        .await;
    giver.click_and_wait("form.stack button[type=submit]").await;
    giver.find("table.problems").await;
    assert_eq!(
        giver.find_all("table.problems tbody tr").await.len(),
        7,
        "seven problems"
    );
    shoot(&giver, "09-nhap-bao-cao-loi").await;
    giver
        .goto(&format!("{base}/trang/phong/{IMPORTED}/nhap"))
        .await;
    giver
        .choose_file("#file", &fixture("muc-luc-066-D03.xlsx"))
        .await;
    giver.click_and_wait("form.stack button[type=submit]").await;
    notice(&giver, "Không có lỗi").await;
    giver
        .click_and_wait("form[action*='/nhap/'] button[type=submit]")
        .await;
    notice(&giver, "204").await;
    shoot(&giver, "10-nhap-da-ghi").await;

    // The handover: finished files, three ticked, to the provincial historical archive.
    giver
        .goto(&format!(
            "{base}/trang/phong/066-D03/ban-giao?unfinished=no&year_from=2003&year_to=2003"
        ))
        .await;
    let boxes = giver.find_all("input[name=file]").await;
    assert!(boxes.len() >= 3, "files to tick");
    for tick in &boxes[..3] {
        giver.click(tick).await;
    }
    giver.type_into("#receiving_custodian", "LTLS-19").await;
    giver.type_into("#receiving_person", "luutru.19").await;
    giver.type_into("#basis_number", "414/BNV-VTLTNN").await;
    giver.set_value("#basis_date", "2025-03-19").await;
    giver.type_into("#basis_issuer", "Bộ Nội vụ").await;
    shoot(&giver, "11-ban-giao-lap").await;
    giver
        .click_and_wait("form.stack > button[type=submit]")
        .await;
    notice(&giver, "Đã lập biên bản").await;
    let minutes_url = giver.current_url().await;
    let minutes_url = minutes_url.split('?').next().unwrap_or_default().to_owned();
    shoot(&giver, "12-ban-giao-nhap").await;
    giver
        .click_and_wait("form[action$='/ky'] button[type=submit]")
        .await;
    notice(&giver, "Bên giao đã ký").await;

    // A form without its anti-forgery token is refused, even with the session cookie.
    let cookie = giver.cookie_header().await;
    let forged = reqwest::Client::new()
        .post(format!("{minutes_url}/nhan"))
        .header("cookie", cookie)
        .form(&[("received_on", "2025-07-20")])
        .send()
        .await
        .expect("forged POST");
    assert_eq!(forged.status(), 403);

    // The archivist, in a second browser: the minutes wait on the home page.
    let receiver = driver.browser(&downloads).await;
    sign_in(&receiver, &base, &archivist).await;
    assert!(
        receiver.text("#h-receive").await.contains('1'),
        "one set to receive"
    );
    shoot(&receiver, "13-trang-chu-luu-tru").await;
    // Not the archivist's to import into: refused.
    receiver
        .goto(&format!("{base}/trang/phong/066-D03/nhap"))
        .await;
    assert!(receiver.text("h1").await.contains("403"));
    receiver.goto(&minutes_url).await;
    let checks = receiver.find_all("input[type=radio][value=damaged]").await;
    assert_eq!(checks.len(), 3, "each file to check");
    receiver.click(&checks[1]).await;
    let notes = receiver.find_all("input[name^=note_]").await;
    assert_eq!(notes.len(), 3);
    receiver
        .type_into(
            "table.inventory tbody tr:nth-child(2) input[name^=note_]",
            "Ẩm mốc góc dưới",
        )
        .await;
    let missing = receiver.find_all("input[type=radio][value=missing]").await;
    receiver.click(&missing[2]).await;
    shoot(&receiver, "14-ban-giao-kiem-tra").await;
    receiver
        .click_and_wait("form[action$='/nhan'] button[type=submit]")
        .await;
    notice(&receiver, "Đã ký nhận").await;
    assert!(
        receiver
            .text("section[aria-labelledby=h-counts]")
            .await
            .contains("Ẩm mốc"),
        "the damage is recorded"
    );
    shoot(&receiver, "15-ban-giao-da-nhan").await;
    receiver.click_on("a[href$='format=pdf']").await;
    let pdf = browser::downloaded(&downloads, ".pdf").await;
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF"), "a PDF of the minutes");

    // The QR code of the printed minutes opens the public verification page: anyone, without an
    // account, sees that the printout is genuine; one digit changed and it is not.
    receiver
        .goto(&format!("{minutes_url}/bien-ban?format=html"))
        .await;
    let printed = receiver.text(".chain").await;
    let at = printed
        .find("/xac-minh/")
        .expect("the verification address is printed");
    let id: String = printed[at + "/xac-minh/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let anyone = driver.browser(&downloads).await;
    anyone.goto(&format!("{base}/xac-minh/{id}")).await;
    let verdict = anyone.text("#verdict").await;
    assert!(
        verdict.contains("XÁC THỰC: biên bản") && verdict.contains("GENUINE: these"),
        "{verdict}"
    );
    let facts = anyone.text("dl.facts").await;
    assert!(
        facts.contains("066-D03") && facts.contains("bên nhận đã nhận"),
        "{facts}"
    );
    shoot(&anyone, "27-xac-minh").await;
    let last = if id.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &id[..id.len() - 1]);
    anyone.goto(&format!("{base}/xac-minh/{forged}")).await;
    let verdict = anyone.text("#verdict").await;
    assert!(
        verdict.contains("KHÔNG XÁC THỰC") && verdict.contains("NOT GENUINE"),
        "{verdict}"
    );
    assert!(anyone.find_all("dl.facts").await.is_empty());
    shoot(&anyone, "28-xac-minh-gia").await;
    anyone.quit().await;

    // The rest of the pages, and English.
    receiver.goto(&format!("{base}/trang/ban-giao")).await;
    shoot(&receiver, "16-bien-ban").await;
    receiver
        .goto(&format!("{base}/trang/han-nop-luu?as_of=2031-01-01"))
        .await;
    assert!(
        !receiver.find_all("tr.overdue").await.is_empty(),
        "overdue fonds marked"
    );
    shoot(&receiver, "17-han-nop-luu").await;
    receiver
        .goto(&format!(
            "{base}/trang/ngon-ngu/en?next=/trang/phong/066-D03"
        ))
        .await;
    assert!(receiver.text("h2#h-list").await.contains("Inventory list"));
    shoot(&receiver, "18-fonds-english").await;
    receiver
        .goto(&format!("{base}/trang/ngon-ngu/vi?next=/trang/lo-ban-giao"))
        .await;

    // Batches, transfers, destruction and holds. The archivist accepts the appraised transfer
    // addressed to the archive, refusing one file.
    assert!(receiver.text("table").await.contains("066"), "the batch");
    shoot(&receiver, "19-lo-ban-giao").await;
    receiver
        .click_and_wait("table a[href^='/trang/lo-ban-giao/']")
        .await;
    assert!(receiver.text("h1").await.contains("Lô bàn giao"));
    receiver
        .goto(&format!("{base}/trang/nop-luu?status=appraised"))
        .await;
    shoot(&receiver, "20-nop-luu").await;
    receiver
        .click_and_wait("table a[href^='/trang/nop-luu/']")
        .await;
    let refuse = receiver.find_all("input[type=radio][value=reject]").await;
    assert!(refuse.len() > 1, "each file to accept or refuse");
    receiver.click(&refuse[0]).await;
    receiver
        .type_into("input[name^=reason_]", "Thiếu trang 3–5")
        .await;
    shoot(&receiver, "21-nop-luu-thu").await;
    receiver
        .click_and_wait("form[action$='/thu'] button[type=submit]")
        .await;
    notice(&receiver, "Đã thu nộp").await;
    assert!(receiver.text("main").await.contains("Thiếu trang 3–5"));

    // The archivist of the finance office, which holds 066-D03, in a third browser: the hold
    // is lifted, the approved destruction recorded.
    let curator_token = token(&data, "luutru.ptckh066", "archivist", Some("PTCKH-066"));
    let curator = driver.browser(&downloads).await;
    sign_in(&curator, &base, &curator_token).await;
    curator.goto(&format!("{base}/trang/tam-giu")).await;
    shoot(&curator, "22-tam-giu").await;
    curator
        .click_and_wait("table a[href^='/trang/tam-giu/']")
        .await;
    shoot(&curator, "23-tam-giu-chi-tiet").await;
    curator
        .click_and_wait("form[action$='/go'] button[type=submit]")
        .await;
    notice(&curator, "Đã gỡ tạm giữ").await;
    curator.goto(&format!("{base}/trang/huy")).await;
    shoot(&curator, "24-huy").await;
    curator.click_and_wait("table a[href^='/trang/huy/']").await;
    shoot(&curator, "25-huy-chi-tiet").await;
    curator
        .click_and_wait("form[action$='/thuc-hien'] button[type=submit]")
        .await;
    notice(&curator, "Đã ghi nhận hủy").await;
    assert!(
        !curator.find_all("span.status-destroyed").await.is_empty(),
        "the files are destroyed"
    );
    // A new hold starts from the fonds: its files to tick and the order's details.
    curator.goto(&format!("{base}/trang/phong/066-D03")).await;
    curator
        .click_and_wait("a.button[href$='/066-D03/tam-giu']")
        .await;
    let ticks = curator.find_all("input[name=file]").await;
    assert!(!ticks.is_empty(), "files to hold");
    curator.click(&ticks[0]).await;
    shoot(&curator, "26-tam-giu-lap").await;
    curator.quit().await;
    receiver.quit().await;
    giver.quit().await;
    drop(server);
}

/// The `value` of the form field `name` in a page.
fn form_value(page: &str, name: &str) -> String {
    let rest = page
        .split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("a field {name}"));
    rest.split('"').next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_with_problems_are_still_on_the_home_page_after_a_restart() {
    let (_dir, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("load the demo");
    assert!(demo.status.success());
    let clerk = token(&data, "vanthu.066", "clerk", Some("066"));
    let cookie = format!("bg_token={clerk}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let home = |base: String| {
        let (client, cookie) = (client.clone(), cookie.clone());
        async move {
            let answer = client
                .get(format!("{base}/"))
                .header("cookie", cookie)
                .send()
                .await
                .expect("home");
            assert_eq!(answer.status(), 200);
            let page = answer.text().await.expect("home page");
            page.split("id=\"h-imports\"")
                .nth(1)
                .and_then(|rest| rest.split("</section>").next())
                .expect("the imports card")
                .to_owned()
        }
    };

    let server = Server::start(&data).await;
    assert!(!home(server.base.clone()).await.contains("loi.xlsx"));
    let form = client
        .get(format!("{}/trang/phong/066-UB/nhap", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("import page")
        .text()
        .await
        .expect("its text");
    let csrf = form_value(&form, "_csrf");
    let boundary = "bangiao-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"muc-luc-066-UB-loi.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::fs::read(fixture("muc-luc-066-UB-loi.xlsx")).expect("the sample"));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let dry_run = client
        .post(format!("{}/trang/phong/066-UB/nhap", server.base))
        .header("cookie", &cookie)
        .header("origin", &server.base)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("dry run");
    assert_eq!(dry_run.status(), 200);
    assert!(dry_run.text().await.expect("report").contains("problems"));
    let before = home(server.base.clone()).await;
    assert!(
        before.contains("066-UB: muc-luc-066-UB-loi.xlsx"),
        "{before}"
    );

    drop(server);
    let restarted = Server::start(&data).await;
    let after = home(restarted.base.clone()).await;
    assert_eq!(after, before, "the same imports after a restart");
}

/// A tiny OpenID provider for the redirect sign-in: `/authorize` sends the browser back with a
/// code and remembers the request's nonce and PKCE challenge; `/token` gives an ID token for
/// the code only with the verifier of that challenge. `nonce_override` makes it put another
/// nonce in the token (a token of another sign-in).
mod provider {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use axum::extract::{Form, Query, State};
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::{get, post};
    use bangiao_auth::jwt::testing::Issuer;
    use base64::Engine;
    use sha2::{Digest, Sha256};

    /// The provider's `iss`.
    pub const ISSUER: &str = "https://sso.thainguyen.test";
    /// The pages' client id (and the audience).
    pub const CLIENT: &str = "bangiao-pages";

    /// What the provider remembers.
    #[derive(Default)]
    pub struct Provider {
        /// code → (nonce, challenge, redirect_uri).
        pub codes: Mutex<HashMap<String, (String, String, String)>>,
        /// A nonce to put in tokens instead of the one asked.
        pub nonce_override: Mutex<Option<String>>,
        /// Codes exchanged (or tried).
        pub exchanges: Mutex<u32>,
    }

    /// The provider's signing key.
    pub fn issuer() -> Issuer {
        Issuer::new("sso-1", 42)
    }

    async fn authorize(
        State(p): State<Arc<Provider>>,
        Query(q): Query<HashMap<String, String>>,
    ) -> Response {
        let field = |k: &str| q.get(k).cloned().unwrap_or_default();
        assert_eq!(field("response_type"), "code");
        assert_eq!(field("client_id"), CLIENT);
        assert_eq!(field("code_challenge_method"), "S256");
        assert!(field("scope").contains("openid"));
        let code = format!("code-{}", p.codes.lock().expect("provider state").len());
        p.codes.lock().expect("provider state").insert(
            code.clone(),
            (
                field("nonce"),
                field("code_challenge"),
                field("redirect_uri"),
            ),
        );
        let back = format!(
            "{}?code={code}&state={}",
            field("redirect_uri"),
            field("state")
        );
        (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
    }

    async fn token(
        State(p): State<Arc<Provider>>,
        Form(f): Form<HashMap<String, String>>,
    ) -> Response {
        *p.exchanges.lock().expect("provider state") += 1;
        let field = |k: &str| f.get(k).cloned().unwrap_or_default();
        let Some((nonce, challenge, redirect)) = p
            .codes
            .lock()
            .expect("provider state")
            .remove(&field("code"))
        else {
            return (StatusCode::BAD_REQUEST, "{\"error\":\"invalid_grant\"}").into_response();
        };
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(field("code_verifier").as_bytes()));
        if field("grant_type") != "authorization_code"
            || computed != challenge
            || field("redirect_uri") != redirect
            || field("client_id") != CLIENT
        {
            return (StatusCode::BAD_REQUEST, "{\"error\":\"invalid_grant\"}").into_response();
        }
        let nonce = p
            .nonce_override
            .lock()
            .expect("provider state")
            .clone()
            .unwrap_or(nonce);
        let id_token = issuer().sign(&serde_json::json!({
            "iss": ISSUER, "aud": CLIENT, "sub": "vanthu.066", "nonce": nonce,
            "exp": chrono::Utc::now().timestamp() + 600,
            "bangiao_role": "clerk", "bangiao_scope": "066"}));
        axum::Json(
            serde_json::json!({"id_token": id_token, "token_type": "Bearer",
            "access_token": "opaque"}),
        )
        .into_response()
    }

    /// Starts the provider on a free port; returns its base URL and its state.
    pub async fn start() -> (String, Arc<Provider>) {
        let state = Arc::new(Provider::default());
        let app = axum::Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("provider") });
        (base, state)
    }
}

/// The `Set-Cookie` of `name` in an answer, as `name=value`.
fn set_cookie(answer: &reqwest::Response, name: &str) -> Option<String> {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

fn location(answer: &reqwest::Response) -> String {
    answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_owned()
}

/// Starts a redirect sign-in and plays the provider's part of the browser: returns the pending
/// cookie and the callback URL on the server.
async fn oidc_start(browser: &reqwest::Client, base: &str, sso: &str) -> (String, String) {
    let answer = browser
        .get(format!("{base}/trang/dang-nhap/oidc?next=/trang/phong"))
        .send()
        .await
        .expect("start");
    assert_eq!(answer.status(), 303);
    let pending = set_cookie(&answer, "bg_oidc").expect("the pending sign-in");
    let to_provider = location(&answer);
    assert!(
        to_provider.starts_with(&format!("{sso}/authorize?")),
        "{to_provider}"
    );
    for part in [
        "state=",
        "nonce=",
        "code_challenge=",
        "code_challenge_method=S256",
    ] {
        assert!(to_provider.contains(part), "{part} in {to_provider}");
    }
    let answer = browser.get(&to_provider).send().await.expect("provider");
    let back = location(&answer);
    let path = back
        .strip_prefix("http://bangiao.test")
        .expect("our callback");
    (pending, format!("{base}{path}"))
}

/// The browser's return to the callback with the pending cookie.
async fn oidc_finish(
    browser: &reqwest::Client,
    pending: String,
    back: String,
) -> reqwest::Response {
    browser
        .get(back)
        .header("cookie", pending)
        .send()
        .await
        .expect("callback")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_redirect_sign_in_checks_state_pkce_and_nonce() {
    let (dir, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("load the demo");
    assert!(demo.status.success());
    let (sso, provider) = provider::start().await;
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, provider::issuer().jwks()).expect("jwks");
    // The callback's host is only a name the provider sends back; this test is the browser and
    // takes the path to the server itself.
    let callback = "http://bangiao.test/trang/dang-nhap/oidc/ve";
    let config = dir.path().join("bangiao.toml");
    std::fs::write(
        &config,
        format!(
            "[oidc]\nissuer = \"{}\"\naudience = \"{}\"\njwks_file = \"{}\"\n\
             authorization_endpoint = \"{sso}/authorize\"\ntoken_endpoint = \"{sso}/token\"\n\
             redirect_url = \"{callback}\"\n",
            provider::ISSUER,
            provider::CLIENT,
            jwks.display()
        ),
    )
    .expect("config");
    let config = config.to_string_lossy().into_owned();
    let server = Server::start_with(&data, &["--config", &config]).await;
    let base = server.base.clone();
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    // The whole flow: the ID token becomes the session.
    let (pending, back) = oidc_start(&browser, &base, &sso).await;
    let answer = oidc_finish(&browser, pending, back).await;
    assert_eq!(answer.status(), 200);
    let session = set_cookie(&answer, "bg_token").expect("a session");
    assert!(
        answer
            .text()
            .await
            .expect("page")
            .replace("&#x2f;", "/")
            .contains("url=/trang/phong"),
        "on to the page asked"
    );
    let page = browser
        .get(format!("{base}/trang/phong"))
        .header("cookie", &session)
        .send()
        .await
        .expect("a page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("page").contains("vanthu.066"));

    // Another sign-in's state: refused before any exchange.
    let exchanges = *provider.exchanges.lock().expect("provider state");
    let (pending, back) = oidc_start(&browser, &base, &sso).await;
    let (other, _) = oidc_start(&browser, &base, &sso).await;
    let answer = oidc_finish(&browser, other, back.clone()).await;
    assert_eq!(answer.status(), 401);
    assert!(set_cookie(&answer, "bg_token").is_none());
    assert_eq!(
        *provider.exchanges.lock().expect("provider state"),
        exchanges,
        "no exchange"
    );
    // A forged PKCE verifier: the provider refuses the code.
    let mut parts: Vec<String> = pending.split('.').map(str::to_owned).collect();
    parts[2] = "forged-verifier-forged-verifier-forged-verif".into();
    let answer = oidc_finish(&browser, parts.join("."), back).await;
    assert_eq!(answer.status(), 401);
    assert!(set_cookie(&answer, "bg_token").is_none());
    // An ID token carrying another sign-in's nonce: refused.
    *provider.nonce_override.lock().expect("provider state") = Some("someone-elses-nonce".into());
    let (pending, back) = oidc_start(&browser, &base, &sso).await;
    let answer = oidc_finish(&browser, pending, back).await;
    assert_eq!(answer.status(), 401);
    assert!(set_cookie(&answer, "bg_token").is_none());
    drop(server);
}
