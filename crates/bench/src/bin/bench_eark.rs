//! E-ARK SIP throughput (issue #18): a SIP of N files (default 10,000) with S bytes of copies
//! (default 2 GiB) written by `export::eark::write`, the copies read from disk through a
//! `CopySource`, beside `zip -0` of the same files in the same run; this process's resident
//! memory before and at its peak while the SIP is written.
//!
//! ```text
//! cargo build --release -p bangiao-bench --bin bangiao-bench-eark
//! target/release/bangiao-bench-eark [--files 10000] [--bytes 2147483648] [--dir /tmp]
//! ```

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bangiao_bench::procfs;
use bangiao_documents::export::eark::{
    self, Agent, CopyRef, Package, PackageFile, PackageKind, Part,
};
use clap::Parser;
use sha2::{Digest, Sha256};

/// Options.
#[derive(Debug, Parser)]
struct Args {
    /// Files in the package (one copy each).
    #[arg(long, default_value_t = 10_000)]
    files: u64,
    /// Total bytes of copies.
    #[arg(long, default_value_t = 2 * 1024 * 1024 * 1024)]
    bytes: u64,
    /// Where the copies and the packages are written (a temporary folder inside it).
    #[arg(long, default_value = "/tmp")]
    dir: PathBuf,
}

/// Fills `buffer` with bytes that do not compress (xorshift).
fn noise(state: &mut u64, buffer: &mut [u8]) {
    for chunk in buffer.chunks_mut(8) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let bytes = state.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

/// Writes the copies, returns their references (named by file).
fn generate(dir: &Path, files: u64, bytes: u64) -> std::io::Result<Vec<PackageFile>> {
    let each = bytes / files;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut buffer = vec![0u8; each as usize];
    let mut out = Vec::with_capacity(files as usize);
    for n in 0..files {
        noise(&mut state, &mut buffer);
        let code = format!("000.00.66.H06.2024.{n:05}");
        let name = format!("{code}.pdf");
        std::fs::write(dir.join(&name), &buffer)?;
        out.push(PackageFile {
            file_code: code.clone(),
            title: format!("Hồ sơ {n}"),
            copies: vec![CopyRef {
                sha256: hex::encode(Sha256::digest(&buffer)),
                size: each,
                mime: "application/pdf".to_owned(),
                name,
            }],
        });
    }
    Ok(out)
}

fn memory() -> (u64, u64) {
    procfs::memory(std::process::id()).map_or((0, 0), |m| (m.rss_kib, m.hwm_kib))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let work = tempfile::tempdir_in(&args.dir)?;
    let copies = work.path().join("copies");
    std::fs::create_dir(&copies)?;
    let started = Instant::now();
    let files = generate(&copies, args.files, args.bytes)?;
    let total: u64 = files.iter().map(|f| f.copies[0].size).sum();
    println!(
        "generated {} copies, {:.1} MiB, in {:.1} s",
        files.len(),
        total as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let package = Package {
        kind: PackageKind::Sip,
        objid: eark::objid("066-UB", "bench"),
        label: "bench".to_owned(),
        created: chrono::Utc::now(),
        submission_agreement: Some("bangiao:transfer:bench".to_owned()),
        reference_code: Some("066-UB".to_owned()),
        submitter: Agent {
            name: "UBND-066".to_owned(),
            code: "UBND-066".to_owned(),
        },
        archive: Agent {
            name: "LTLS-19".to_owned(),
            code: "LTLS-19".to_owned(),
        },
        descriptive: vec![Part {
            name: "ead3.xml".to_owned(),
            mime: "application/xml".to_owned(),
            bytes: b"<ead xmlns=\"http://ead3.archivists.org/schema/\"/>".to_vec(),
        }],
        preservation: Vec::new(),
        rep_preservation: Vec::new(),
        documentation: vec![Part {
            name: "muc-luc.pdf".to_owned(),
            mime: "application/pdf".to_owned(),
            bytes: b"%PDF-1.7\n".to_vec(),
        }],
        files,
    };
    let source = |copy: &CopyRef| -> std::io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(File::open(copies.join(&copy.name))?))
    };
    // The same files, the same disk: zip -0 first (its reads warm the page cache as ours will
    // find it), then the SIP, then zip -0 again; the table takes the better zip -0.
    let mut zip_seconds = f64::MAX;
    let zip_out = work.path().join("zip0.zip");
    let mut run_zip = || -> Result<(), Box<dyn std::error::Error>> {
        let _ = std::fs::remove_file(&zip_out);
        let t = Instant::now();
        let status = Command::new("zip")
            .args(["-0", "-q", "-r"])
            .arg(&zip_out)
            .arg(".")
            .current_dir(&copies)
            .status()?;
        if !status.success() {
            return Err("zip -0 failed".into());
        }
        zip_seconds = zip_seconds.min(t.elapsed().as_secs_f64());
        Ok(())
    };
    run_zip()?;
    let (rss_before, _) = memory();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let sip_out = work.path().join("sip.zip");
    let t = Instant::now();
    let out = BufWriter::with_capacity(256 * 1024, File::create(&sip_out)?);
    let (report, mut out) = eark::write(&package, &source, out)?;
    out.flush()?;
    let sip_seconds = t.elapsed().as_secs_f64();
    let (_, peak) = memory();
    run_zip()?;
    let mib = total as f64 / 1048576.0;
    let sip_size = std::fs::metadata(&sip_out)?.len() as f64 / 1048576.0;
    let zip_size = std::fs::metadata(&zip_out)?.len() as f64 / 1048576.0;
    println!("| what | seconds | MiB/s of copies | written |");
    println!("|---|---|---|---|");
    println!(
        "| SIP ({} files, {} copies, SHA-256 of each checked) | {sip_seconds:.2} | {:.0} | {sip_size:.1} MiB |",
        report.files,
        report.copies,
        mib / sip_seconds
    );
    println!(
        "| zip -0 of the same copies | {zip_seconds:.2} | {:.0} | {zip_size:.1} MiB |",
        mib / zip_seconds
    );
    println!(
        "SIP / zip -0 throughput: {:.2}; resident memory before → peak while writing: {:.1} → {:.1} MiB",
        zip_seconds / sip_seconds,
        rss_before as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    Ok(())
}
