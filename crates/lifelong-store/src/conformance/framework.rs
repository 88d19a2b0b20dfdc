//! Conformance cases of the qualifications framework: level mappings onto a stored framework
//! (R12), kept whole and replaced in place.

use lifelong_core::framework::{Framework, Level, LevelMapping, Text2};

use super::{audit, audit_count};
use crate::*;

fn mapping(from: &str, onto: &str, pairs: &[(u8, u8)]) -> LevelMapping {
    let level = |n: u8| Level::new(n).unwrap();
    LevelMapping {
        from_framework: from.to_owned(),
        from_name: Text2::new(format!("{from} 框架"), format!("{from} framework")),
        to_framework: onto.to_owned(),
        pairs: pairs.iter().map(|(a, b)| (level(*a), level(*b))).collect(),
    }
}

/// R12: a mapping is stored onto a stored framework only, replaced whole when saved again,
/// listed by the other framework's code, and every save is audited with it.
pub async fn r12_level_mappings_are_stored_and_replaced(store: &dyn Store) {
    let framework = Framework::shipped_default();
    assert!(store.level_mappings().await.unwrap().is_empty());
    let early = store
        .put_level_mapping(
            &mapping("EQF", &framework.code, &[(1, 1)]),
            audit("level_mapping.save"),
        )
        .await;
    assert!(
        matches!(early, Err(StoreError::NotFound)),
        "no framework to map onto yet: {early:?}"
    );
    store
        .put_framework(&framework, true, audit("framework.seed"))
        .await
        .unwrap();

    let eqf = mapping("EQF", &framework.code, &[(1, 1), (2, 2), (3, 4)]);
    let guangdong = mapping("GD-QF", &framework.code, &[(1, 3), (2, 4)]);
    store
        .put_level_mapping(&guangdong, audit("level_mapping.save"))
        .await
        .unwrap();
    store
        .put_level_mapping(&eqf, audit("level_mapping.save"))
        .await
        .unwrap();
    assert_eq!(
        store.level_mappings().await.unwrap(),
        vec![eqf.clone(), guangdong.clone()]
    );

    let mut changed = eqf.clone();
    changed.pairs.truncate(2);
    changed.from_name.en = "European Qualifications Framework".into();
    store
        .put_level_mapping(&changed, audit("level_mapping.save"))
        .await
        .unwrap();
    assert_eq!(
        store.level_mappings().await.unwrap(),
        vec![changed, guangdong],
        "replaced in place, not added"
    );

    let refused = store
        .put_level_mapping(
            &mapping("EQF", "NO-SUCH", &[(1, 1)]),
            audit("level_mapping.save"),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)));
    assert_eq!(store.level_mappings().await.unwrap().len(), 2);
    assert_eq!(
        audit_count(store, "level_mapping.").await,
        3,
        "a refused save leaves no record"
    );
}
