//! The web pages in a real browser: Debian's headless Chromium driven through chromedriver
//! against the real `bangiao` binary over the demo data. A clerk signs in, imports a sample
//! inventory (a list with mistakes first, to see the report, then a clean one), drafts handover
//! minutes and signs them; an archivist, in a second browser session, checks each file, marks
//! one damaged and one missing, and signs; the minutes are downloaded as PDF. Every page is
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
    let server = Server::start(&data).await;
    let base = server.base.clone();
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

    // Import: a list with mistakes shows its report by row; then a clean list is applied.
    giver.goto(&format!("{base}/trang/phong/066-UB/nhap")).await;
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
        .goto(&format!("{base}/trang/phong/066-D03/nhap"))
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
    receiver.quit().await;
    giver.quit().await;
    drop(server);
}
