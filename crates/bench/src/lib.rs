//! Service-level benchmarks of Bàn Giao (issue #3): `bangiao-bench-data` writes a realistic
//! store quickly through the real append API, and `bangiao-bench-http` loads a running
//! `bangiao serve` over loopback HTTP and reports throughput, latency percentiles and memory.

pub mod data;
pub mod load;
pub mod manifest;
pub mod procfs;
pub mod stats;
