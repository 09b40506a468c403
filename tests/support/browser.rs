//! A small WebDriver client for the browser tests: Debian's `chromedriver` drives Debian's
//! headless `chromium` (no browser is downloaded). Only what the tests use: open a session,
//! go to a page, find elements, type, click, read text and take screenshots.

#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The WebDriver element key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where Debian puts the browser and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The driver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser and its driver are installed.
pub fn available() -> bool {
    Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()
}

/// A running `chromedriver`, killed when dropped.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it answers.
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // Its own process group, so the browsers it starts end with it (see Drop).
        let child = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
                && r.status().is_success()
            {
                return driver;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new headless browser window of 1366×768 that saves downloads in `downloads`.
    pub async fn browser(&self, downloads: &Path) -> Browser {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1366,768", "--hide-scrollbars", "--force-device-scale-factor=1",
                         "--lang=vi-VN", "--no-first-run", "--disable-extensions",
                         "--disable-crash-reporter", "--disable-breakpad",
                         "--disable-features=OptimizationGuideModelDownloading,OnDeviceModelService"],
                "prefs": {
                    "download.default_directory": downloads.to_string_lossy(),
                    "download.prompt_for_download": false,
                    "plugins.always_open_pdf_externally": true
                }
            }
        }}});
        let answer: Value = self
            .http
            .post(format!("{}/session", self.base))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session JSON");
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_owned();
        let browser = Browser {
            url: format!("{}/session/{id}", self.base),
            http: self.http.clone(),
        };
        // Downloads in headless Chromium go where the DevTools command says.
        browser
            .call(
                "POST",
                "/goog/cdp/execute",
                json!({ "cmd": "Browser.setDownloadBehavior",
                        "params": { "behavior": "allow", "downloadPath": downloads.to_string_lossy() } }),
            )
            .await;
        // The page itself is 1366×768, whatever the window around it measures.
        browser
            .call(
                "POST",
                "/goog/cdp/execute",
                json!({ "cmd": "Emulation.setDeviceMetricsOverride",
                        "params": { "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": false } }),
            )
            .await;
        browser
    }
}

impl Drop for Driver {
    /// Ends chromedriver and every browser process it started (its process group), also when
    /// a test failed before closing its sessions.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session.
pub struct Browser {
    url: String,
    http: reqwest::Client,
}

/// An element of the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.url);
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let answer: Value = request
            .send()
            .await
            .expect("WebDriver call")
            .json()
            .await
            .expect("WebDriver JSON");
        if answer["value"]["error"].is_string() {
            panic!("WebDriver {method} {path}: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    /// The URL shown.
    pub async fn current_url(&self) -> String {
        self.call("GET", "/url", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching a CSS selector (waiting up to 10 s for it).
    pub async fn find(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            let url = format!("{}/element", self.url);
            let answer: Value = self
                .http
                .post(url)
                .json(&json!({ "using": "css selector", "value": css }))
                .send()
                .await
                .expect("find")
                .json()
                .await
                .expect("find JSON");
            if let Some(id) = answer["value"][ELEMENT].as_str() {
                return Element(id.to_owned());
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no element {css} on {}: {answer}",
                self.current_url().await,
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every element matching a CSS selector.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self
            .call(
                "POST",
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        found
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v[ELEMENT].as_str().map(|id| Element(id.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Clicks an element.
    pub async fn click(&self, element: &Element) {
        self.call("POST", &format!("/element/{}/click", element.0), json!({}))
            .await;
    }

    /// Clicks the first element matching `css`.
    pub async fn click_on(&self, css: &str) {
        let element = self.find(css).await;
        self.click(&element).await;
    }

    /// Clicks something that loads another page (a submit button, a link) and waits until the
    /// old page is gone.
    pub async fn click_and_wait(&self, css: &str) {
        let old = self.find("html").await;
        self.click_on(css).await;
        let started = Instant::now();
        loop {
            let answer: Value = self
                .http
                .get(format!("{}/element/{}/name", self.url, old.0))
                .send()
                .await
                .expect("poll")
                .json()
                .await
                .expect("poll JSON");
            if answer["value"]["error"].is_string() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{css} did not load a page"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types into an element (a file input takes a path).
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.call("POST", &format!("/element/{}/clear", element.0), json!({}))
            .await;
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            json!({ "text": text }),
        )
        .await;
    }

    /// Sets an input's value directly (date inputs type differently in each locale).
    pub async fn set_value(&self, css: &str, value: &str) {
        let element = self.find(css).await;
        self.call(
            "POST",
            "/execute/sync",
            json!({ "script": "arguments[0].value = arguments[1];",
                    "args": [{ ELEMENT: element.0 }, value] }),
        )
        .await;
    }

    /// Chooses a file for a file input.
    pub async fn choose_file(&self, css: &str, path: &Path) {
        let element = self.find(css).await;
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            json!({ "text": path.to_string_lossy() }),
        )
        .await;
    }

    /// Picks the option with this value in a select.
    pub async fn select(&self, css: &str, value: &str) {
        self.click_on(&format!("{css} option[value=\"{value}\"]"))
            .await;
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let found = self
            .call(
                "POST",
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        let Some(id) = found[0][ELEMENT].as_str() else {
            return String::new();
        };
        self.call("GET", &format!("/element/{id}/text"), Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Saves a PNG of the window (1366×768).
    pub async fn screenshot(&self, path: &Path) {
        let data = self.call("GET", "/screenshot", Value::Null).await;
        let png = base64_decode(data.as_str().expect("base64 PNG"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot directory");
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    /// The cookies of the page as a `Cookie` header (HttpOnly ones too).
    pub async fn cookie_header(&self) -> String {
        let cookies = self.call("GET", "/cookie", Value::Null).await;
        cookies
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|c| {
                        format!(
                            "{}={}",
                            c["name"].as_str().unwrap_or(""),
                            c["value"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    /// Ends the session (closing the browser).
    pub async fn quit(self) {
        drop(self);
    }
}

impl Drop for Browser {
    /// Ends the session with a plain blocking request, so the browser closes even when a test
    /// panics before calling [`Browser::quit`].
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let Some(rest) = self.url.strip_prefix("http://") else {
            return;
        };
        let Some((host, path)) = rest.split_once('/') else {
            return;
        };
        if let Ok(mut stream) = std::net::TcpStream::connect(host) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
            let request = format!(
                "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(request.as_bytes());
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
        }
    }
}

/// Waits until a file whose name ends with `suffix` is complete in `dir`; returns its path.
pub async fn downloaded(dir: &Path, suffix: &str) -> PathBuf {
    let started = Instant::now();
    loop {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                let name = path.to_string_lossy().into_owned();
                if name.ends_with(suffix) && std::fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
                    return path;
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no {suffix} downloaded into {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Standard base64 (the screenshots' encoding).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter_map(value) {
        buffer = (buffer << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}
