//! Exports of inventory lists and handovers.
