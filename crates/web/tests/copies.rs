//! Digital copies on the pages, through the router: a clerk uploads a scan of a file from its
//! page (multipart, streamed to the blob store) and sees it listed with a viewer link that
//! serves its bytes inline; a clerk of another commune sees no copy of a restricted file and is
//! refused its bytes; the archivist's home page has the fixity card.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::Role;
use bangiao_content::Blobs;
use bangiao_server::HttpConfig;
use http_body_util::BodyExt;
use tower::ServiceExt;

const CLERK: &str = "bg_copies-page-clerk-of-066-0000000000000000000";
const OUTSIDER: &str = "bg_copies-page-clerk-of-066n1-00000000000000000";
const ARCHIVIST: &str = "bg_copies-page-archivist-ltls19-000000000000000";

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, location, bytes.to_vec())
}

async fn get(app: &Router, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::get(path)
        .header(header::COOKIE, format!("bg_token={token}"))
        .body(Body::empty())
        .expect("request");
    send(app, request).await
}

/// Posts the upload form of file `code` with `bytes` named `name`.
async fn upload(
    app: &Router,
    code: &str,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let boundary = "----bangiao-test-boundary";
    let csrf = bangiao_web::session::csrf_token(token);
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(format!("/trang/ho-so/{code}/ban-sao"))
        .header(header::COOKIE, format!("bg_token={token}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    let (status, location, _) = send(app, request).await;
    (status, location)
}

fn scan(kb: usize, seed: u32) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n".to_vec();
    let mut x = seed;
    while bytes.len() < kb * 1024 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push((x >> 24) as u8);
    }
    bytes
}

#[tokio::test]
async fn a_scan_uploaded_on_the_file_page_is_listed_viewable_and_refused_to_the_uncleared() {
    let (dir, state, _) = support::demo_service(
        HttpConfig::default(),
        &[
            (CLERK, "vanthu.066", Role::Clerk, "066"),
            (OUTSIDER, "vanthu.066n1", Role::Clerk, "066N1"),
            (ARCHIVIST, "luutru.19", Role::Archivist, "LTLS-19"),
        ],
    )
    .await;
    let state = state.with_blobs(Blobs::local(dir.path().join("blobs")).expect("blobs"));
    let options = bangiao_web::PagesOptions {
        data_dir: dir.path().to_owned(),
        oidc: None,
    };
    let pages = bangiao_web::pages(state.clone(), options).expect("templates");
    let app = bangiao_server::router(state.clone()).merge(pages);
    let (open, restricted): (String, String) = state
        .read
        .readers()
        .with_blocking(|c| {
            let pick = |access: &str| {
                c.query_row(
                    "SELECT file_code FROM files WHERE fonds_code = '066-UB' AND access = ?1 AND status = 'in_custody' ORDER BY seq LIMIT 1",
                    [access],
                    |r| r.get(0),
                )
            };
            Ok::<_, bangiao_projections::ProjectionError>((pick("01")?, pick("02")?))
        })
        .expect("files of both kinds");

    let bytes = scan(2048, 1);
    let (status, location) = upload(&app, &open, CLERK, "ho-so-mo.pdf", &bytes).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/trang/ho-so/{open}?ok=copy"));
    let (status, _, page) = get(&app, &format!("/trang/ho-so/{open}"), CLERK).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8_lossy(&page).into_owned();
    assert!(page.contains("ho-so-mo.pdf"), "the copy is listed");
    let link = page
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("/ban-sao/") && !href.contains("tai=1"))
        .expect("a viewer link")
        .to_owned();
    let (status, _, served) = get(&app, &link, CLERK).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, bytes);

    let (status, _) = upload(&app, &restricted, CLERK, "ho-so-han-che.pdf", &scan(64, 2)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, mine) = get(&app, &format!("/trang/ho-so/{restricted}"), CLERK).await;
    let mine = String::from_utf8_lossy(&mine).into_owned();
    let link = mine
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("/ban-sao/") && !href.contains("tai=1"))
        .expect("the cleared clerk sees the link")
        .to_owned();
    let (status, _, theirs) = get(&app, &format!("/trang/ho-so/{restricted}"), OUTSIDER).await;
    assert_eq!(status, StatusCode::OK);
    let theirs = String::from_utf8_lossy(&theirs).into_owned();
    assert!(!theirs.contains("ho-so-han-che.pdf"), "no copy name shown");
    assert!(!theirs.contains("/ban-sao/"), "no link shown");
    assert!(theirs.contains("chế độ hạn chế"), "the page says why");
    let (status, _, _) = get(&app, &link, OUTSIDER).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor may the outsider upload to a file outside its scope.
    let (status, _) = upload(&app, &open, OUTSIDER, "x.pdf", &scan(1, 3)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _, home) = get(&app, "/", ARCHIVIST).await;
    assert_eq!(status, StatusCode::OK);
    let home = String::from_utf8_lossy(&home).into_owned();
    assert!(
        home.contains("Kiểm tra toàn vẹn bản số hóa"),
        "the fixity card"
    );
}
