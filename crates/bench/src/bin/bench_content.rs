//! `bangiao-bench-content`: the digital copies' blob store (issue 18) beside the system's own
//! tools, in one run on one temporary folder.
//!
//! (a) one file (500 MB by default) put through `Blobs::put` from a file stream, beside `cp`
//!     of the same file and `cp` followed by `sync` of the copy (put fsyncs, so the last is the
//!     like-for-like figure);
//! (b) N blobs (1.5 GB in all by default) re-read by `Blobs::check`, beside `sha256sum` of the
//!     same files; each twice: from the page cache (warm) and after dropping the files' cached
//!     pages with `dd iflag=nocache count=0` (cold, from the disk).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use bangiao_bench::procfs;
use bangiao_content::{Blobs, Digest, Fixity, PutLimits};
use clap::Parser;
use std::io::Write;

/// Benchmarks the blob store beside cp and sha256sum.
#[derive(Debug, Parser)]
#[command(name = "bangiao-bench-content", about)]
struct Args {
    /// The folder to work in (a temporary folder inside it is removed at the end).
    #[arg(long, default_value_os_t = std::env::temp_dir())]
    dir: PathBuf,
    /// Size of the file put, in MB (10^6 bytes).
    #[arg(long, default_value_t = 500)]
    put_mb: u64,
    /// Number of blobs checked.
    #[arg(long, default_value_t = 30)]
    fixity_files: u64,
    /// Size of each blob checked, in MB.
    #[arg(long, default_value_t = 50)]
    fixity_mb: u64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = Args::parse();
    let work = match tempfile::Builder::new()
        .prefix("bench-content-")
        .tempdir_in(&args.dir)
    {
        Ok(work) => work,
        Err(e) => {
            eprintln!("bangiao-bench-content: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&args, work.path()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bangiao-bench-content: {e}");
            ExitCode::FAILURE
        }
    }
}

const MB: u64 = 1_000_000;

async fn run(args: &Args, work: &Path) -> Result<(), String> {
    let blobs = Blobs::local(work.join("blobs")).map_err(|e| e.to_string())?;
    let limits = PutLimits {
        max_bytes: u64::MAX,
        expected: None,
    };

    // (a) put beside cp.
    let source = work.join("source.bin");
    write_pseudo_random(&source, args.put_mb * MB, 1).map_err(|e| e.to_string())?;
    run_tool("sync", &[&source])?;
    let size = args.put_mb * MB;
    println!("(a) one file of {} MB, from the page cache", args.put_mb);
    let copy = work.join("copy.bin");
    let t = timed(|| run_tool("cp", &[&source, &copy]))?;
    report("cp", size, t);
    // Untimed: the copy's dirty pages must not be written back during the next runs.
    run_tool("sync", &[&copy])?;
    let copy_synced = work.join("copy-synced.bin");
    let t = timed(|| {
        run_tool("cp", &[&source, &copy_synced])?;
        run_tool("sync", &[&copy_synced])
    })?;
    report("cp + sync", size, t);
    drop_cache(&source)?;
    let t_cold = timed(|| {
        run_tool("cp", &[&source, &work.join("copy-cold.bin")])?;
        run_tool("sync", &[&work.join("copy-cold.bin")])
    })?;
    let before = procfs::memory(std::process::id()).map(|m| m.rss_kib);
    let started = Instant::now();
    let file = tokio::fs::File::open(&source)
        .await
        .map_err(|e| e.to_string())?;
    let body = tokio_util::io::ReaderStream::with_capacity(file, 1 << 20);
    let put = blobs.put(body, &limits).await.map_err(|e| e.to_string())?;
    let t = started.elapsed().as_secs_f64();
    report("Blobs::put (hash, fsync, sniff, rename)", size, t);
    let after = procfs::memory(std::process::id());
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "    process memory: {} MiB resident before the put, peak {} MiB",
            before / 1024,
            after.hwm_kib / 1024
        );
    }
    println!("  from the disk (the source's cached pages dropped first):");
    report("cp + sync", size, t_cold);
    blobs.delete(&put.digest).await.map_err(|e| e.to_string())?;
    drop_cache(&source)?;
    let started = Instant::now();
    let file = tokio::fs::File::open(&source)
        .await
        .map_err(|e| e.to_string())?;
    let body = tokio_util::io::ReaderStream::with_capacity(file, 1 << 20);
    let put = blobs.put(body, &limits).await.map_err(|e| e.to_string())?;
    report(
        "Blobs::put (hash, fsync, sniff, rename)",
        size,
        started.elapsed().as_secs_f64(),
    );
    for path in [&source, &copy, &copy_synced, &work.join("copy-cold.bin")] {
        std::fs::remove_file(path).map_err(|e| e.to_string())?;
    }
    blobs.delete(&put.digest).await.map_err(|e| e.to_string())?;

    // (b) check beside sha256sum.
    let each = args.fixity_mb * MB;
    let total = each * args.fixity_files;
    let mut stored: Vec<(Digest, u64, PathBuf)> = Vec::new();
    for i in 0..args.fixity_files {
        let path = work.join(format!("fixity-{i}.bin"));
        write_pseudo_random(&path, each, 100 + i).map_err(|e| e.to_string())?;
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| e.to_string())?;
        let body = tokio_util::io::ReaderStream::with_capacity(file, 1 << 20);
        let put = blobs.put(body, &limits).await.map_err(|e| e.to_string())?;
        std::fs::remove_file(&path).map_err(|e| e.to_string())?;
        let hex = put.digest.to_string();
        let blob = work.join("blobs").join(&hex[..2]).join(&hex);
        stored.push((put.digest, put.size, blob));
    }
    let paths: Vec<&Path> = stored.iter().map(|(_, _, p)| p.as_path()).collect();
    println!(
        "(b) {} blobs of {} MB ({} MB in all)",
        args.fixity_files,
        args.fixity_mb,
        total / MB
    );
    for cold in [false, true] {
        println!(
            "  {}",
            if cold {
                "from the disk (cached pages dropped before each run)"
            } else {
                "from the page cache"
            }
        );
        if cold {
            drop_caches(&paths)?;
        } else {
            // Read once so that every blob is cached.
            run_tool_quiet("sha256sum", &paths)?;
        }
        let t = timed(|| run_tool_quiet("sha256sum", &paths))?;
        report("sha256sum", total, t);
        if cold {
            drop_caches(&paths)?;
        }
        let started = Instant::now();
        for (digest, size, _) in &stored {
            let fixity = blobs
                .check(digest, *size)
                .await
                .map_err(|e| e.to_string())?;
            if fixity != Fixity::Intact {
                return Err(format!("{digest}: {fixity:?}"));
            }
        }
        report(
            "Blobs::check, one at a time",
            total,
            started.elapsed().as_secs_f64(),
        );
        if cold {
            drop_caches(&paths)?;
        }
        let started = Instant::now();
        let halves: Vec<Vec<(Digest, u64)>> = (0..2)
            .map(|k| {
                stored
                    .iter()
                    .skip(k)
                    .step_by(2)
                    .map(|(d, s, _)| (*d, *s))
                    .collect()
            })
            .collect();
        let tasks: Vec<_> = halves
            .into_iter()
            .map(|half| {
                let blobs = blobs.clone();
                tokio::spawn(async move {
                    for (digest, size) in half {
                        let fixity = blobs
                            .check(&digest, size)
                            .await
                            .map_err(|e| e.to_string())?;
                        if fixity != Fixity::Intact {
                            return Err(format!("{digest}: {fixity:?}"));
                        }
                    }
                    Ok::<(), String>(())
                })
            })
            .collect();
        for task in tasks {
            task.await.map_err(|e| e.to_string())??;
        }
        report(
            "Blobs::check, two at a time",
            total,
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}

/// Writes `len` bytes that do not compress (xorshift), 1 MiB at a time.
fn write_pseudo_random(path: &Path, len: u64, seed: u64) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut block = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        for word in block.chunks_exact_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            word.copy_from_slice(&x.to_le_bytes());
        }
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n])?;
        left -= n as u64;
    }
    out.flush()
}

fn timed(work: impl FnOnce() -> Result<(), String>) -> Result<f64, String> {
    let started = Instant::now();
    work()?;
    Ok(started.elapsed().as_secs_f64())
}

fn report(what: &str, bytes: u64, seconds: f64) {
    println!(
        "    {what:<42} {seconds:>7.2} s  {:>7.0} MB/s",
        bytes as f64 / MB as f64 / seconds
    );
}

fn run_tool(tool: &str, args: &[&Path]) -> Result<(), String> {
    let status = Command::new(tool)
        .args(args)
        .status()
        .map_err(|e| format!("{tool}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{tool} failed: {status}"))
}

fn run_tool_quiet(tool: &str, args: &[&Path]) -> Result<(), String> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| format!("{tool}: {e}"))?;
    out.status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{tool} failed: {}", out.status))
}

/// Drops one file's pages from the page cache (GNU dd's `nocache`; clean pages only).
fn drop_cache(path: &Path) -> Result<(), String> {
    let input = format!("if={}", path.display());
    let out = Command::new("dd")
        .args([input.as_str(), "iflag=nocache", "count=0", "status=none"])
        .output()
        .map_err(|e| format!("dd: {e}"))?;
    out.status
        .success()
        .then_some(())
        .ok_or_else(|| format!("dd failed: {}", String::from_utf8_lossy(&out.stderr)))
}

fn drop_caches(paths: &[&Path]) -> Result<(), String> {
    paths.iter().try_for_each(|p| drop_cache(p))
}
