//! Physical extent of records, in whole numbers so totals never drift.

use serde::{Deserialize, Serialize};

/// Sheets one archival box holds: about 1,000. The standard box (hộp bảo quản, 10 cm spine) is
/// filled with files of A4 paper of 70–80 g/m², about 0.1 mm a sheet, so 100 mm of spine takes
/// some 1,000 sheets with their folders (TCVN 9251:2012 on archival boxes; the usual practice of
/// provincial archives). A list claiming more sheets in one box has a mistake in its numbers.
pub const SHEETS_PER_BOX: u64 = 1_000;

/// Khối lượng — boxes, sheets and shelf length; metres are kept as whole millimetres, never as
/// floating point, so sums and comparisons are exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extent {
    /// Số hộp (cặp).
    pub boxes: u32,
    /// Số tờ.
    pub sheets: u32,
    /// Mét giá, in millimetres (1 m = 1000).
    pub linear_mm: u64,
}

impl Extent {
    /// The shelf length in metres as Vietnamese documents write it, with a decimal comma: "1,25".
    pub fn linear_metres_vi(&self) -> String {
        let metres = self.linear_mm / 1000;
        let rest = self.linear_mm % 1000;
        if rest == 0 {
            return metres.to_string();
        }
        let decimals = format!("{rest:03}");
        format!("{metres},{}", decimals.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::Extent;

    #[test]
    fn writes_metres_with_a_decimal_comma() {
        let metres = |linear_mm| {
            Extent {
                linear_mm,
                ..Extent::default()
            }
            .linear_metres_vi()
        };
        assert_eq!(metres(1250), "1,25");
        assert_eq!(metres(145_000), "145");
        assert_eq!(metres(5), "0,005");
    }
}
