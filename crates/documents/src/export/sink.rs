//! A writer that hands its bytes on in chunks: how the server streams an export into an HTTP
//! body without this crate knowing HTTP or async.

use std::io::{self, Write};

/// Bytes gathered before a chunk is handed on.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Buffers writes and passes every full chunk to `send`; `send` returns false when the reader
/// has gone, and the next write then fails with `BrokenPipe`, which stops the export.
pub struct ChunkSink<F: FnMut(Vec<u8>) -> bool> {
    buffer: Vec<u8>,
    send: F,
    closed: bool,
}

impl<F: FnMut(Vec<u8>) -> bool> ChunkSink<F> {
    /// A sink handing chunks to `send`.
    pub fn new(send: F) -> Self {
        Self {
            buffer: Vec::with_capacity(CHUNK_BYTES),
            send,
            closed: false,
        }
    }

    fn pass_on(&mut self) -> io::Result<()> {
        if self.closed {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the reader has gone",
            ));
        }
        if !self.buffer.is_empty() {
            let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
            if !(self.send)(chunk) {
                self.closed = true;
                return Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the reader has gone",
                ));
            }
        }
        Ok(())
    }
}

impl<F: FnMut(Vec<u8>) -> bool> Write for ChunkSink<F> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the reader has gone",
            ));
        }
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK_BYTES {
            self.pass_on()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_arrive_in_order_and_a_gone_reader_stops_the_writer() {
        let mut got = Vec::new();
        {
            let mut sink = ChunkSink::new(|c| {
                got.push(c);
                true
            });
            sink.write_all(&vec![1u8; CHUNK_BYTES + 10]).expect("write");
            sink.write_all(b"end").expect("write");
            sink.flush().expect("flush");
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got.concat().len(), CHUNK_BYTES + 13);
        let mut gone = ChunkSink::new(|_| false);
        assert!(gone.write_all(&vec![0u8; CHUNK_BYTES]).is_err());
        assert!(gone.write_all(b"x").is_err());
    }
}
