//! Rule-by-rule tests of the domain through its public API, compiled into one test binary.
//! Each test reads given (past events) / when (a command) / then (events or an error code).

mod fixtures;
mod support;
mod unit_fixtures;

mod command_json;
mod custody;
mod file_descriptions;
mod fonds_lifecycle;
mod json_contract;
mod json_examples;
mod lists;
mod properties;
mod rule01_closed_fonds;
mod rule02_closure_before_handover;
mod rule03_one_open_process;
mod rule04_current_custodian;
mod rule05_counts;
mod rule06_unfinished_apart;
mod rule07_signing_order;
mod rule08_transfer_eligibility;
mod rule09_transfer_acceptance;
mod rule10_destruction;
mod rule11_holds;
mod rule12_custody_by_acts_only;
mod rule13_plausible_dates;
mod rule14_digital_copies;
mod unit_reorganisation;
mod unit_rules;
mod warnings;
