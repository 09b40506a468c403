//! `inventory`: downloads a unit's inventory list as CSV, timing the first byte and the whole
//! body, and samples the server's resident memory while it streams.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;

use super::Load;
use super::client::{Call, hyper_connect, hyper_request};
use crate::procfs::{self, Memory};

/// How often the server's memory is sampled during a download.
const SAMPLE_EVERY: Duration = Duration::from_millis(2);

/// One download.
#[derive(Debug, Clone)]
pub struct Download {
    /// From sending the request to the first byte of the body.
    pub first_byte: Duration,
    /// From sending the request to the last byte.
    pub total: Duration,
    /// Body bytes.
    pub bytes: u64,
    /// Data rows (lines after the header).
    pub rows: u64,
    /// Server memory just before the request.
    pub before: Option<Memory>,
    /// Highest `VmRSS` sampled during the download, in KiB.
    pub peak_rss_kib: Option<u64>,
    /// Server memory right after the last byte.
    pub after: Option<Memory>,
    /// Memory samples taken.
    pub samples: usize,
}

/// Downloads `GET /api/v1/units/{unit}/inventory?format=csv` once.
pub async fn download(load: &Load, unit: &str) -> Result<Download, String> {
    let path = format!("/api/v1/units/{unit}/inventory?format=csv");
    let mut sender = hyper_connect(load.addr).await?;
    let pid = load.server_pid;
    let before = pid.and_then(procfs::memory);
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        tokio::spawn(async move {
            let (mut peak, mut count) = (None::<u64>, 0usize);
            while !done.load(Ordering::Acquire) {
                if let Some(m) = pid.and_then(procfs::memory) {
                    peak = Some(peak.map_or(m.rss_kib, |p| p.max(m.rss_kib)));
                    count += 1;
                }
                tokio::time::sleep(SAMPLE_EVERY).await;
            }
            (peak, count)
        })
    };
    let started = Instant::now();
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender
        .send_request(hyper_request(load.addr, &Call::get(&path))?)
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 200 {
        done.store(true, Ordering::Release);
        return Err(format!("GET {path}: {}", response.status()));
    }
    let mut body = response.into_body();
    let (mut first_byte, mut bytes, mut newlines) = (None, 0u64, 0u64);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| e.to_string())?;
        if let Some(data) = frame.data_ref() {
            if !data.is_empty() && first_byte.is_none() {
                first_byte = Some(started.elapsed());
            }
            bytes += data.len() as u64;
            newlines += data.iter().filter(|b| **b == b'\n').count() as u64;
        }
    }
    let total = started.elapsed();
    let after = pid.and_then(procfs::memory);
    done.store(true, Ordering::Release);
    let (peak_rss_kib, samples) = sampler.await.map_err(|e| e.to_string())?;
    Ok(Download {
        first_byte: first_byte.unwrap_or(total),
        total,
        bytes,
        rows: newlines.saturating_sub(1),
        before,
        peak_rss_kib,
        after,
        samples,
    })
}

/// Prints one download.
pub fn print(n: usize, d: &Download) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "inventory #{n}: first byte {:.1} ms, whole CSV {:.0} ms, {} rows, {:.1} MiB",
        d.first_byte.as_secs_f64() * 1e3,
        d.total.as_secs_f64() * 1e3,
        d.rows,
        d.bytes as f64 / (1024.0 * 1024.0)
    );
    if let (Some(b), Some(p), Some(a)) = (d.before, d.peak_rss_kib, d.after) {
        println!(
            "  server VmRSS MiB: before {:.1}  peak {:.1}  after {:.1}  (VmHWM before {:.1}, after {:.1}; {} samples)",
            mib(b.rss_kib),
            mib(p),
            mib(a.rss_kib),
            mib(b.hwm_kib),
            mib(a.hwm_kib),
            d.samples
        );
    }
}
