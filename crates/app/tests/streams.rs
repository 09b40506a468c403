//! The KurrentDB backend follows exactly the kinds of stream the domain's registry names: the
//! store cannot see the domain, so its default prefixes are pinned to the registry here.

use bangiao_domain::streams::StreamKind;
use bangiao_store::kurrentdb::DEFAULT_STREAM_PREFIXES;

#[test]
fn the_kurrentdb_default_prefixes_are_the_registrys_stream_kinds() {
    let mut registry: Vec<&str> = StreamKind::ALL.iter().map(|k| k.prefix()).collect();
    let mut kurrent = DEFAULT_STREAM_PREFIXES.to_vec();
    registry.sort_unstable();
    kurrent.sort_unstable();
    assert_eq!(kurrent, registry);
}
