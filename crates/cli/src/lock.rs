//! One process owns a data directory: `serve`, `rebuild`, `restore`, `demo` and `migrate` (into
//! a data directory) hold an exclusive lock on its `bangiao.lock` for as long as they run, so a
//! second service or a rebuild cannot run under a live one. `backup`, `verify`, `token`,
//! `checkpoint`, `import` and `export` take no lock: they work beside a running service.
//!
//! The lock is the operating system's advisory file lock (`flock` on Unix), not the file's
//! existence: the OS drops it with the process however the process ends, so a file left behind
//! by a killed process blocks nothing. The file names the holder's pid for the refusal message.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::commands::CliError;

/// The lock file's name inside a data directory.
pub const LOCK_FILE: &str = "bangiao.lock";

/// An exclusive hold on a data directory, released when dropped or when the process ends.
#[derive(Debug)]
pub struct DirLock {
    /// The locked file; none on a read-only file system without one, where no process can
    /// write to the directory either.
    file: Option<File>,
}

/// Who holds a data directory, as its lock file says ("?" when the file says nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The holder's process id.
    pub pid: String,
    /// The `bangiao` subcommand it runs.
    pub command: String,
}

impl DirLock {
    /// Takes the data directory `dir` (created when missing) for `command`, or refuses with
    /// [`CliError::Locked`] naming the process that holds it.
    pub fn acquire(dir: &Path, command: &str) -> Result<Self, CliError> {
        let failed = |e: std::io::Error| {
            CliError::Io(format!(
                "không khóa được thư mục dữ liệu / cannot lock the data directory {}: {e}",
                dir.display()
            ))
        };
        std::fs::create_dir_all(dir).map_err(failed)?;
        let path = dir.join(LOCK_FILE);
        let opened = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path);
        // A read-only file system (a disk remounted read-only after an error) still serves
        // reads: the lock is then taken on the file as it is, or not at all if there is none,
        // since no process can write to the directory anyway.
        let (mut file, writable) = match opened {
            Ok(file) => (file, true),
            Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => match File::open(&path)
            {
                Ok(file) => (file, false),
                Err(_) => return Ok(Self { file: None }),
            },
            Err(e) => return Err(failed(e)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(CliError::Locked {
                    dir: dir.to_path_buf(),
                    holder: read_holder(&mut file),
                });
            }
            Err(TryLockError::Error(e)) => return Err(failed(e)),
        }
        if writable {
            file.set_len(0).map_err(failed)?;
            writeln!(file, "{} {command}", std::process::id()).map_err(failed)?;
            file.flush().map_err(failed)?;
        }
        Ok(Self { file: Some(file) })
    }

    /// Takes the data directory that holds the event store `events` when it is one (a file
    /// named `events.db`, as in every data directory); another store file takes no lock.
    pub fn acquire_for_store(events: &Path, command: &str) -> Result<Option<Self>, CliError> {
        if events.file_name().is_none_or(|name| name != "events.db") {
            return Ok(None);
        }
        let dir = match events.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Self::acquire(&dir, command).map(Some)
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Emptied before the lock goes, so the file never names a process that has let go.
        if let Some(file) = &self.file {
            let _ = file.set_len(0);
            let _ = file.unlock();
        }
    }
}

/// Reads "PID COMMAND" from a lock file held by another process.
fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    let mut words = text.split_whitespace();
    let unknown = || "?".to_owned();
    Holder {
        pid: words.next().map_or_else(unknown, str::to_owned),
        command: words.next().map_or_else(unknown, str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_hold_is_refused_naming_the_holder_and_freed_on_drop() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let data = dir.path().join("data");
        let first = DirLock::acquire(&data, "serve").expect("the first hold");
        match DirLock::acquire(&data, "rebuild") {
            Err(CliError::Locked { dir, holder }) => {
                assert_eq!(dir, data);
                assert_eq!(holder.pid, std::process::id().to_string());
                assert_eq!(holder.command, "serve");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        drop(first);
        let again = DirLock::acquire(&data, "rebuild").expect("free once dropped");
        drop(again);
        let left = std::fs::read_to_string(data.join(LOCK_FILE)).expect("the file stays");
        assert_eq!(left, "", "a released lock names nobody");
    }

    #[test]
    fn only_a_data_directorys_store_is_locked() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let other = dir.path().join("backup.db");
        assert!(
            DirLock::acquire_for_store(&other, "migrate")
                .expect("no lock needed")
                .is_none()
        );
        let events = dir.path().join("data").join("events.db");
        let held = DirLock::acquire_for_store(&events, "migrate").expect("locks");
        assert!(held.is_some());
        assert!(matches!(
            DirLock::acquire(&dir.path().join("data"), "serve"),
            Err(CliError::Locked { .. })
        ));
    }
}
