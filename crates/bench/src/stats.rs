//! Latency samples and their percentiles.

use std::time::Duration;

/// Latencies of one run, in microseconds, and the errors seen.
#[derive(Debug, Default, Clone)]
pub struct Samples {
    micros: Vec<u32>,
    /// Requests that failed or got an unexpected status.
    pub errors: u64,
}

impl Samples {
    /// An empty set with room for `n` samples.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            micros: Vec::with_capacity(n),
            errors: 0,
        }
    }

    /// Adds one successful request's latency.
    pub fn record(&mut self, latency: Duration) {
        self.micros
            .push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
    }

    /// Successful requests.
    pub fn count(&self) -> usize {
        self.micros.len()
    }

    /// Adds another task's samples.
    pub fn merge(&mut self, other: Samples) {
        self.micros.extend(other.micros);
        self.errors += other.errors;
    }

    /// Sorts the samples and computes the summary.
    pub fn summary(mut self) -> Summary {
        self.micros.sort_unstable();
        let at = |q: f64| -> f64 {
            if self.micros.is_empty() {
                return 0.0;
            }
            let rank = ((q * self.micros.len() as f64).ceil() as usize).clamp(1, self.micros.len());
            f64::from(self.micros[rank - 1]) / 1000.0
        };
        Summary {
            count: self.micros.len() as u64,
            errors: self.errors,
            p50_ms: at(0.50),
            p90_ms: at(0.90),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        }
    }
}

/// Percentiles of one run, in milliseconds (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Successful requests.
    pub count: u64,
    /// Failed requests.
    pub errors: u64,
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut s = Samples::default();
        for ms in 1..=100u64 {
            s.record(Duration::from_millis(ms));
        }
        let summary = s.summary();
        assert_eq!(summary.count, 100);
        assert!((summary.p50_ms - 50.0).abs() < 1e-9);
        assert!((summary.p99_ms - 99.0).abs() < 1e-9);
        assert!((summary.max_ms - 100.0).abs() < 1e-9);
    }
}
