//! The README is executed, not trusted: its walkthrough block is taken from README.md and run
//! in bash, as written, against the built `bangiao` binary (put first on the PATH, as the
//! README tells a user to do). Only the port is substituted (`PORT=8080` → a free port), and the
//! scratch directory that `mktemp -d` makes lands in a temporary directory of the test's own.
//!
//! Every `post` must succeed unless its `# →` comment names the refusal it expects, and every
//! `# → "a", "b"` comment is a promise: each quoted text appears in that command's answer.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The first ```sh block after the walkthrough's heading.
fn walkthrough_block(readme: &str) -> String {
    let section = readme
        .split("## Walkthrough")
        .nth(1)
        .expect("README.md has a walkthrough section");
    let start = section.find("```sh\n").expect("a ```sh block") + "```sh\n".len();
    let end = start + section[start..].find("\n```").expect("the block ends");
    section[start..end].to_owned()
}

/// One `post` or `get` of the block, with the texts its comment promises.
#[derive(Debug)]
struct Call {
    line: String,
    promised: Vec<String>,
}

fn calls(block: &str) -> Vec<Call> {
    block
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with("post ") || line.starts_with("get "))
        .map(|line| Call {
            line: line.to_owned(),
            promised: line
                .split_once("# →")
                .map(|(_, promise)| promise.split('"').skip(1).step_by(2).map(str::to_owned))
                .into_iter()
                .flatten()
                .collect(),
        })
        .collect()
}

/// The answers of the block's calls, in order: what each printed, from the shell's trace
/// (`bash -x` marks each call with a `+ post …` or `+ get …` line; trace lines start with `+`).
fn answers(output: &str) -> Vec<String> {
    let mut answers: Vec<String> = Vec::new();
    let mut inside = false;
    for line in output.lines() {
        if line.starts_with("+ post ") || line.starts_with("+ get ") {
            answers.push(String::new());
            inside = true;
        } else if line.starts_with('+') {
            continue;
        } else if inside && let Some(answer) = answers.last_mut() {
            answer.push_str(line);
            answer.push('\n');
        }
    }
    answers
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs `script` with bash, stdout and trace together, within `limit`; kills what it started.
fn run_bash(script: &Path, path: &str, tmp: &Path, limit: Duration) -> (bool, String) {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new("bash")
        .arg("-c")
        .arg("exec 2>&1; exec bash -x \"$0\"")
        .arg(script)
        .env("PATH", path)
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("bash");
    let group = child.id();
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let success = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.success();
        }
        if started.elapsed() > limit {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // The service the block started in the background, if it is still there.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .status();
    let _ = child.wait();
    (success, reader.join().expect("reader"))
}

#[test]
fn the_readme_walkthrough_runs_as_written_and_keeps_its_promises() {
    if Command::new("curl").arg("--version").output().is_err() {
        println!("skipped: curl not found");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let block = walkthrough_block(&readme);
    assert!(block.contains("PORT=8080\n"), "the block sets PORT=8080");
    let script = block.replace("PORT=8080\n", &format!("PORT={}\n", free_port()));

    let tmp = tempfile::tempdir().expect("temporary directory");
    let script_path = tmp.path().join("walkthrough.sh");
    std::fs::write(&script_path, &script).expect("script");
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_bangiao"));
    let path = format!(
        "{}:{}",
        binary.parent().expect("binary directory").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (success, output) = run_bash(&script_path, &path, tmp.path(), Duration::from_secs(120));
    assert!(success, "the walkthrough failed:\n{output}");

    let calls = calls(&block);
    let answers = answers(&output);
    assert_eq!(
        answers.len(),
        calls.len(),
        "every call of the block ran:\n{output}"
    );
    for (call, answer) in calls.iter().zip(&answers) {
        if call.line.starts_with("post ") && call.promised.is_empty() {
            assert!(
                answer.contains("\"position\"") && !answer.contains("\"code\""),
                "{}\nanswered: {answer}",
                call.line
            );
        }
        for text in &call.promised {
            assert!(
                answer.contains(text.as_str()),
                "{}\npromises {text:?}, answered: {answer}",
                call.line
            );
        }
    }
    let promises: usize = calls.iter().map(|c| c.promised.len()).sum();
    assert!(
        promises >= 10,
        "the block keeps its promises in # → comments"
    );
}

#[test]
fn the_block_is_found_and_its_promises_read() {
    let block = "x\n```sh\nA=1\npost /a '{}'\nget /b   # → \"LTLS-19\", \"transferred\"\n```\n";
    let readme = format!("# R\n## Walkthrough: w\n{block}");
    let calls = calls(&walkthrough_block(&readme));
    assert_eq!(calls.len(), 2);
    assert!(calls[0].promised.is_empty());
    assert_eq!(calls[1].promised, ["LTLS-19", "transferred"]);
    let output = "listening\n+ post /a '{}'\n++ curl\n+ R=x\n{\"position\":1}\n+ get /b\n+ curl -s\nLTLS-19 transferred\n";
    assert_eq!(
        answers(output),
        ["{\"position\":1}\n", "LTLS-19 transferred\n"]
    );
}

/// The quick start: the README's first command serves the demo (run here through the built
/// binary with the same arguments; the address and data directory come from `BANGIAO_ADDR` and
/// `BANGIAO_DATA_DIR`, which `serve` reads), and the query the README gives a newcomer answers
/// with the former district's files, in every format it offers.
#[test]
fn the_quick_start_serves_the_demo_and_its_query_answers() {
    if Command::new("curl").arg("--version").output().is_err() {
        println!("skipped: curl not found");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let first = readme
        .lines()
        .find(|line| line.starts_with("cargo run --release -p bangiao-cli -- "))
        .expect("the README starts with the command that serves the demo");
    let args: Vec<&str> = first
        .split_once(" -- ")
        .map(|(_, rest)| rest.split('#').next().unwrap_or_default())
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(args, ["serve", "--demo"]);
    let query = readme
        .lines()
        .find(|line| {
            line.starts_with("curl -s -H \"Authorization: Bearer $T\" 'http://127.0.0.1:8080/")
        })
        .expect("the README gives a query to try");

    let tmp = tempfile::tempdir().expect("temporary directory");
    let port = free_port();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_bangiao"))
        .args(&args)
        .env("BANGIAO_ADDR", format!("127.0.0.1:{port}"))
        .env("BANGIAO_DATA_DIR", tmp.path().join("data"))
        .env("BANGIAO_LOG", "warn")
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve --demo");
    let stdout = serve.stdout.take().expect("piped");
    let printed = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut inspector = None;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.trim_start().starts_with("inspector") {
                inspector = line
                    .split_whitespace()
                    .find(|w| w.starts_with("bg_"))
                    .map(str::to_owned);
            }
            if line.contains("http://") {
                return inspector;
            }
        }
        None
    });
    let token = printed
        .join()
        .expect("reader")
        .expect("serve --demo printed the inspector's token");
    let run = |command: &str| {
        let out = Command::new("bash")
            .arg("-c")
            .arg(command.replace("8080", &port.to_string()))
            .env("T", &token)
            .output()
            .expect("bash");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let started = Instant::now();
    let mut answer = run(query);
    while !answer.contains("Pác Nặm") && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(200));
        answer = run(query);
    }
    assert!(
        answer.contains("\"code\":\"066\"") && answer.contains("Pác Nặm"),
        "{answer}"
    );
    let formats = readme
        .split("Add `&format=csv`")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the README lists the formats");
    let mut offered = vec!["csv".to_owned()];
    offered.extend(formats.split('`').skip(1).step_by(2).map(str::to_owned));
    assert!(offered.len() >= 5, "{offered:?}");
    for format in offered {
        let with_format = query.replacen(
            "&limit=3'",
            &format!("&limit=3&format={format}' -o /dev/null -w '%{{http_code}}'"),
            1,
        );
        assert_eq!(
            run(&with_format),
            "200",
            "format={format} is offered and answers"
        );
    }
    let _ = serve.kill();
    let _ = serve.wait();
}
