//! Which units and fonds the generated log holds, decided before anything is written.

use super::Config;
use super::catalogue::{COMMUNES, DISTRICT, PROVINCE};
use super::events::FondsPlan;

/// Events of a fonds beyond its files: opened, and the three of its handover.
const OVERHEAD: usize = 4;

/// The whole log, planned.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Units registered: code, name, parent.
    pub units: Vec<(String, String, Option<String>)>,
    /// Fonds, in the order they are written.
    pub fonds: Vec<FondsPlan>,
}

/// Why the requested log cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError(String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// Plans `config.events` events exactly.
    pub fn new(config: &Config) -> Result<Self, PlanError> {
        let fail = |m: String| Err(PlanError(m));
        let fpf = config.files_per_fonds;
        if fpf == 0 {
            return fail("--files-per-fonds must be at least 1".into());
        }
        if !COMMUNES.iter().any(|(c, _)| *c == config.inventory_unit) {
            let codes: Vec<&str> = COMMUNES.iter().map(|(c, _)| *c).collect();
            return fail(format!(
                "--inventory-unit must be one of the communes {}",
                codes.join(", ")
            ));
        }
        if !config.inventory_files.is_multiple_of(fpf) {
            return fail("--inventory-files must be a multiple of --files-per-fonds".into());
        }
        let mut units = vec![
            (PROVINCE.0.to_owned(), PROVINCE.1.to_owned(), None),
            (
                DISTRICT.0.to_owned(),
                DISTRICT.1.to_owned(),
                Some(PROVINCE.0.to_owned()),
            ),
        ];
        for (code, name) in COMMUNES {
            units.push((
                code.to_owned(),
                format!("Xã {name}"),
                Some(DISTRICT.0.to_owned()),
            ));
        }
        let inventory_fonds = config.inventory_files / fpf;
        let needed = units.len() + inventory_fonds * (fpf + OVERHEAD);
        let total = usize::try_from(config.events).unwrap_or(usize::MAX);
        if total < needed {
            return fail(format!(
                "{total} events cannot hold {} files under {} ({needed} events needed)",
                config.inventory_files, config.inventory_unit
            ));
        }
        let others: Vec<&str> = std::iter::once(DISTRICT.0)
            .chain(COMMUNES.iter().map(|(c, _)| *c))
            .filter(|c| *c != config.inventory_unit)
            .collect();
        let mut nth = vec![0usize; others.len()];
        let mut fonds = Vec::new();
        let mut remaining = total - units.len();
        for i in 0..inventory_fonds {
            fonds.push(FondsPlan::new(i, i, &config.inventory_unit, fpf, true));
            remaining -= fpf + OVERHEAD;
        }
        let mut turn = 0;
        while remaining > 0 {
            let (files, handover) = if remaining >= fpf + OVERHEAD {
                (fpf, true)
            } else if remaining > OVERHEAD {
                (remaining - OVERHEAD, true)
            } else {
                (remaining - 1, false)
            };
            let slot = turn % others.len();
            fonds.push(FondsPlan::new(
                fonds.len(),
                nth[slot],
                others[slot],
                files,
                handover,
            ));
            nth[slot] += 1;
            turn += 1;
            remaining -= 1 + files + if handover { OVERHEAD - 1 } else { 0 };
        }
        Ok(Self { units, fonds })
    }

    /// About `n` file codes spread evenly over every file of the log.
    pub fn sample_file_codes(&self, n: usize) -> Vec<String> {
        let total: usize = self.fonds.iter().map(|f| f.files).sum();
        if total == 0 {
            return vec![];
        }
        let step = (total / n.max(1)).max(1);
        let mut out = Vec::new();
        let mut offset = 0usize;
        for fonds in &self.fonds {
            let mut k = offset.div_ceil(step) * step;
            while k < offset + fonds.files {
                out.push(fonds.file_code(k - offset).to_string());
                k += step;
            }
            offset += fonds.files;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(events: u64) -> Config {
        Config {
            data_dir: "unused".into(),
            events,
            files_per_fonds: 100,
            inventory_unit: "06601".into(),
            inventory_files: 300,
        }
    }

    #[test]
    fn plans_exactly_the_events_asked() {
        for events in [12 + 3 * 104, 12 + 3 * 104 + 1, 12 + 3 * 104 + 4, 10_007] {
            let plan = Plan::new(&config(events)).expect("plannable");
            let written: usize = plan.units.len()
                + plan
                    .fonds
                    .iter()
                    .map(|f| 1 + f.files + if f.handover { 3 } else { 0 })
                    .sum::<usize>();
            assert_eq!(written as u64, events);
            let inventory: usize = plan
                .fonds
                .iter()
                .filter(|f| f.unit == "06601")
                .map(|f| f.files)
                .sum();
            assert_eq!(inventory, 300);
        }
    }

    #[test]
    fn refuses_too_few_events_and_samples_spread() {
        assert!(Plan::new(&config(100)).is_err());
        let plan = Plan::new(&config(10_007)).expect("plannable");
        let samples = plan.sample_file_codes(10);
        assert!(samples.len() >= 10 && samples.len() <= 11, "{samples:?}");
        let mut unique = samples.clone();
        unique.dedup();
        assert_eq!(unique.len(), samples.len());
    }
}
