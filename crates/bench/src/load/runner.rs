//! The closed loop every request mode shares: N tasks, each with its own connection, sending
//! one request after another for a warm-up and then a measured phase.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bytes::Bytes;
use hyper::Method;

use super::Load;
use super::client::{Call, Conn, shared_reqwest};
use crate::procfs;
use crate::stats::{Samples, Summary};

/// One request a task sends: method, path, body, and the status that counts as success.
#[derive(Debug, Clone)]
pub struct Planned {
    /// GET or POST.
    pub method: Method,
    /// Path and query.
    pub path: String,
    /// JSON body of a POST (sent with a fresh `Idempotency-Key`).
    pub body: Option<Bytes>,
    /// The one status that counts as success.
    pub expect: u16,
}

/// What a measured phase gave.
#[derive(Debug, Clone)]
pub struct Report {
    /// Latency percentiles and counts.
    pub summary: Summary,
    /// Length of the measured phase.
    pub seconds: f64,
    /// Successful requests per second.
    pub rate: f64,
    /// CPU seconds the server used during the measured phase.
    pub server_cpu: Option<f64>,
    /// CPU seconds this process used during the measured phase.
    pub client_cpu: Option<f64>,
    /// The first unexpected answer, to show what went wrong.
    pub first_error: Option<String>,
}

/// Runs `load.clients` tasks; `plan(task, n)` gives the `n`-th request of a task.
pub async fn run<F>(load: &Load, plan: F) -> Result<Report, String>
where
    F: Fn(usize, u64) -> Planned + Send + Sync + 'static,
{
    let plan = Arc::new(plan);
    let shared = shared_reqwest()?;
    let started = Instant::now();
    let measure_from = started + load.warmup;
    let stop_at = measure_from + load.duration;
    let measured = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let mut tasks = Vec::with_capacity(load.clients);
    for t in 0..load.clients {
        let plan = plan.clone();
        let measured = measured.clone();
        let first_error = first_error.clone();
        let mut conn = Conn::new(load.client, load.addr, &shared);
        let max = load.max_requests;
        tasks.push(tokio::spawn(async move {
            let mut samples = Samples::with_capacity(1 << 16);
            let mut n = 0u64;
            loop {
                let sent = Instant::now();
                if sent >= stop_at {
                    break;
                }
                let counted = sent >= measure_from;
                if counted && max > 0 && measured.fetch_add(1, Ordering::Relaxed) >= max {
                    break;
                }
                let planned = plan(t, n);
                n += 1;
                let call = Call {
                    method: planned.method.clone(),
                    path: &planned.path,
                    idempotency_key: planned.body.as_ref().map(|_| uuid::Uuid::now_v7()),
                    body: planned.body.clone(),
                };
                let outcome = conn.send(&call).await;
                let ok = matches!(&outcome, Ok((status, _)) if *status == planned.expect);
                if !ok {
                    let mut slot = first_error.lock().unwrap_or_else(|p| p.into_inner());
                    if slot.is_none() {
                        *slot = Some(match &outcome {
                            Ok((status, body)) => format!(
                                "{} {}: {status} {}",
                                planned.method,
                                planned.path,
                                String::from_utf8_lossy(body)
                            ),
                            Err(e) => format!("{} {}: {e}", planned.method, planned.path),
                        });
                    }
                }
                if counted {
                    if ok {
                        samples.record(sent.elapsed());
                    } else {
                        samples.errors += 1;
                    }
                }
            }
            samples
        }));
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let server_cpu_before = load.server_pid.and_then(procfs::cpu_seconds);
    let client_cpu_before = procfs::cpu_seconds(std::process::id());
    let mut all = Samples::default();
    for task in tasks {
        all.merge(task.await.map_err(|e| format!("a load task failed: {e}"))?);
    }
    let seconds = measure_from.elapsed().as_secs_f64();
    let server_cpu_after = load.server_pid.and_then(procfs::cpu_seconds);
    let client_cpu_after = procfs::cpu_seconds(std::process::id());
    let summary = all.summary();
    let first_error = first_error.lock().unwrap_or_else(|p| p.into_inner()).take();
    Ok(Report {
        rate: summary.count as f64 / seconds,
        summary,
        seconds,
        server_cpu: server_cpu_before.zip(server_cpu_after).map(|(a, b)| b - a),
        client_cpu: client_cpu_before.zip(client_cpu_after).map(|(a, b)| b - a),
        first_error,
    })
}

/// Prints a report as one block of `key: value` lines under a title.
pub fn print(title: &str, load: &Load, report: &Report, unit: &str) {
    let s = &report.summary;
    println!(
        "{title}: {:.0} {unit}/s over {:.1} s ({} ok, {} errors), {} clients, {:?} client",
        report.rate, report.seconds, s.count, s.errors, load.clients, load.client
    );
    println!(
        "  latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms
    );
    let cpu = |v: Option<f64>| {
        v.map_or("n/a".to_owned(), |c| {
            format!("{:.2} cores", c / report.seconds)
        })
    };
    println!(
        "  cpu: server {}  load generator {}",
        cpu(report.server_cpu),
        cpu(report.client_cpu)
    );
    if let Some(e) = &report.first_error {
        let short: String = e.chars().take(400).collect();
        println!("  first error: {short}");
    }
}
