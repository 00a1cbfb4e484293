//! The inputs of a run: files, directories (recursed into, capture files sorted by path) and
//! `-` (stdin); the bundled demo capture when none is given. Each input is decoded on its own
//! (frames numbered from 1 per file) and named in every message about it.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sigscope::capture::{CaptureError, Reader};

/// The demo capture bundled into the binary (made by `cargo run --example make_demo`).
pub const DEMO: &[u8] = include_bytes!("../../../testdata/demo.pcap");

/// File name endings taken from a directory (a file named on the command line is always
/// read, whatever its name).
pub const CAPTURE_EXTENSIONS: &[&str] = &[
    ".pcap",
    ".pcapng",
    ".cap",
    ".pcap.gz",
    ".pcapng.gz",
    ".cap.gz",
];

/// Directories nested deeper than this are not walked (symlink loops end here).
pub const MAX_DIR_DEPTH: usize = 32;

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The bundled demo capture.
    Demo,
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// One input with the name it goes by in messages.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where it comes from.
    pub source: Source,
    /// Its size in bytes, when known (files).
    pub size: Option<u64>,
}

impl Input {
    /// The name messages and outputs use: the path as given, `-` or `demo`.
    pub fn name(&self) -> String {
        match &self.source {
            Source::Demo => "demo".into(),
            Source::Stdin => "-".into(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// Open the input as a capture; `read` counts the bytes read from it (the progress bar).
    pub fn open(&self, read: Arc<AtomicU64>) -> Result<Reader, CaptureError> {
        match &self.source {
            Source::Demo => Reader::new(Box::new(io::Cursor::new(DEMO))),
            Source::Stdin => Reader::new(Box::new(Counting {
                inner: io::stdin(),
                read,
            })),
            Source::File(p) => {
                let f = File::open(p)?;
                Reader::new(Box::new(Counting { inner: f, read }))
            }
        }
    }
}

/// A reader that counts what it hands out.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The inputs named on the command line, directories expanded; the demo capture when none.
/// A path that does not exist or cannot be listed is an error naming it (exit 2).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    if paths.is_empty() {
        return Ok(vec![Input {
            source: Source::Demo,
            size: Some(DEMO.len() as u64),
        }]);
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input {
                source: Source::Stdin,
                size: None,
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, 0, &mut found)?;
            if found.is_empty() {
                return Err(format!(
                    "{}: no capture files ({}) in this directory",
                    p.display(),
                    CAPTURE_EXTENSIONS.join(", ")
                ));
            }
            found.sort();
            for f in found {
                let size = std::fs::metadata(&f).ok().map(|m| m.len());
                out.push(Input {
                    source: Source::File(f),
                    size,
                });
            }
        } else {
            out.push(Input {
                source: Source::File(p.clone()),
                size: Some(meta.len()),
            });
        }
    }
    Ok(out)
}

fn is_capture_name(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    CAPTURE_EXTENSIONS.iter().any(|e| name.ends_with(e))
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) -> Result<(), String> {
    if depth > MAX_DIR_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        let p = e.path();
        let ft = std::fs::metadata(&p).map(|m| m.is_dir());
        match ft {
            Ok(true) => walk(&p, depth + 1, found)?,
            Ok(false) if is_capture_name(&p) => found.push(p),
            _ => {}
        }
    }
    Ok(())
}
