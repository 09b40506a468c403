//! Dữ liệu mẫu — the demo scenario: Pác Nặm district (Bắc Kạn) through the 2025 reorganisation,
//! played act by act through the real [`Service`], so every rule is checked on the way in.
//!
//! What it holds: 17 units (Bắc Kạn absorbed by Thái Nguyên, the ten communes merged into four
//! new ones, the district ended with its tier); 12 fonds (the district People's Committee, three
//! of its departments, the district Party committee, seven communes), all closed on 30 June 2025,
//! with 3,720 files; a 2024 transfer accepted with one file rejected and a 2025 transfer in
//! appraisal; six handover minutes (one received with a file missing and one damaged, one
//! signed, one drafted, a batch of three with two received); an approved destruction and a hold.
//!
//! The scenario is fixed: the same ids, dates, titles and counts on every run. Each command id
//! is derived from the act's name, so loading the demo again into the same store is a series
//! of retries that append nothing.

mod acts;
mod cast;
mod destruction;
mod files;
mod fonds;
mod handovers;
mod ids;
mod names;
mod run;
mod titles;
mod transfers;
mod units;

use crate::handler::HandleError;
use bangiao_store::EventStore;

use crate::Service;
pub use cast::{Identity, identity};
use run::Run;

/// The phases of the demo, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemoPhase {
    /// Units registered, merged and ended.
    Units,
    /// Fonds opened with their creators' histories.
    Fonds,
    /// Files recorded, flagged unfinished, digitised.
    Files,
    /// The 2024 transfer to Bắc Kạn's historical archive, accepted with one file rejected.
    EarlyTransfer,
    /// Every fonds closed on 30 June 2025.
    Closure,
    /// Handovers to the Department of Home Affairs and to the new communes.
    Handovers,
    /// The 2025 transfer to Thái Nguyên's historical archive, appraised, not yet accepted.
    Transfer,
    /// A destruction proposal approved, and a hold for an inspection.
    Destruction,
}

impl DemoPhase {
    /// Every phase, in running order.
    pub const ALL: [Self; 8] = [
        Self::Units,
        Self::Fonds,
        Self::Files,
        Self::EarlyTransfer,
        Self::Closure,
        Self::Handovers,
        Self::Transfer,
        Self::Destruction,
    ];

    /// The phase's name in Vietnamese, for progress bars.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Units => "Đơn vị hành chính",
            Self::Fonds => "Mở phông",
            Self::Files => "Lập hồ sơ",
            Self::EarlyTransfer => "Nộp lưu năm 2024",
            Self::Closure => "Đóng phông",
            Self::Handovers => "Bàn giao",
            Self::Transfer => "Nộp lưu năm 2025",
            Self::Destruction => "Hủy tài liệu, phong tỏa",
        }
    }

    /// The phase's place in [`Self::ALL`], from 1.
    pub fn number(self) -> usize {
        Self::ALL
            .iter()
            .position(|phase| *phase == self)
            .map_or(0, |index| index + 1)
    }
}

/// Progress of the demo: the phase and how many of its acts are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoStep {
    /// The phase running.
    pub phase: DemoPhase,
    /// Acts of this phase done so far.
    pub done: u64,
    /// Acts this phase will do.
    pub total: u64,
}

/// What the demo holds once loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Administrative units in the scenario.
    pub units: u64,
    /// Fonds opened.
    pub fonds: u64,
    /// Files recorded.
    pub files: u64,
    /// Handover minutes drafted (one per fonds, batches included).
    pub handovers: u64,
    /// Transfers to a historical archive registered.
    pub transfers: u64,
    /// Destruction procedures proposed.
    pub destructions: u64,
    /// Holds placed.
    pub holds: u64,
    /// Commands issued (retries included).
    pub commands: u64,
    /// Commands the store had already applied (a second load replays them all).
    pub replayed: u64,
    /// Events appended by this run; 0 when the demo was already loaded.
    pub events_appended: u64,
    /// Global position of the store's last event once the demo is loaded.
    pub last_position: u64,
}

/// A demo act the service refused or the store failed, with the act it was.
#[derive(Debug, thiserror::Error)]
#[error("demo: {step}: {source}")]
pub struct DemoError {
    /// The act, e.g. "Lập hồ sơ 066-UB 000.00.66.H06.2010.015".
    pub step: String,
    /// Why it failed.
    #[source]
    pub source: HandleError,
}

/// Loads the demo scenario through `service`, reporting progress to `progress`.
///
/// Deterministic and idempotent: on a store that already holds the demo, every command is
/// recognised as a retry and nothing is appended.
pub async fn load_demo<S: EventStore + Clone>(
    service: &Service<S>,
    progress: &mut dyn FnMut(DemoStep),
) -> Result<DemoSummary, DemoError> {
    let mut run = Run::new(service, progress);
    let catalogue = fonds::catalogue();
    units::play(&mut run).await?;
    fonds::open_all(&mut run, &catalogue).await?;
    let inventories = files::play(&mut run, &catalogue).await?;
    transfers::play_early(&mut run, &inventories).await?;
    fonds::close_all(&mut run, &catalogue).await?;
    handovers::play(&mut run, &inventories).await?;
    transfers::play_appraisal(&mut run, &inventories).await?;
    destruction::play(&mut run, &inventories).await?;
    Ok(run.finish())
}
