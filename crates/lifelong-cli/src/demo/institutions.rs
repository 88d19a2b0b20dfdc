//! The demo institutions: one or more of every kind, with real-sounding names, the districts
//! they sit in, and who their learners are (birth years, how many).
//!
//! Names of public bodies are used as a city's demo would use them; their credit codes are made
//! up by the generator. The training institution and the enterprise are invented.

use lifelong_core::institution::InstitutionKind;

use crate::synthetic::Registration;

/// One demo institution.
pub struct DemoInstitution {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub kind: InstitutionKind,
    /// The district (GB/T 2260 code) it is registered in.
    pub district: &'static str,
    /// The region part of its credit code: the district's code, except for bodies registered
    /// outside Shanghai.
    pub region: &'static str,
    pub registration: Registration,
    /// Whether its deposits count at once (R15).
    pub trusted: bool,
    /// Learners opened in bulk from a file.
    pub bulk_learners: usize,
    /// Learners opened one at a time.
    pub single_learners: usize,
    /// Birth years of its learners.
    pub born: (i32, i32),
}

/// Index of the open university in [`INSTITUTIONS`]: its staff are the demo institution users.
pub const OPEN_UNIVERSITY: usize = 0;

const fn inst(
    (name_zh, name_en): (&'static str, &'static str),
    kind: InstitutionKind,
    district: &'static str,
    registration: Registration,
    trusted: bool,
    learners: (usize, usize),
    born: (i32, i32),
) -> DemoInstitution {
    DemoInstitution {
        name_zh,
        name_en,
        kind,
        district,
        region: district,
        registration,
        trusted,
        bulk_learners: learners.0,
        single_learners: learners.1,
        born,
    }
}

use InstitutionKind as K;
use Registration::{Company, PrivateNonEnterprise, PublicInstitution};

/// The twelve demo institutions. Learners: 270 in bulk files, 30 one at a time.
pub const INSTITUTIONS: [DemoInstitution; 12] = [
    inst(
        ("上海开放大学", "The Open University of Shanghai"),
        K::OpenUniversity,
        "310110",
        PublicInstitution,
        true,
        (40, 5),
        (1965, 2004),
    ),
    inst(
        ("华东师范大学", "East China Normal University"),
        K::University,
        "310107",
        PublicInstitution,
        true,
        (20, 2),
        (1995, 2006),
    ),
    inst(
        (
            "上海城建职业学院",
            "Shanghai Urban Construction Vocational College",
        ),
        K::VocationalCollege,
        "310120",
        PublicInstitution,
        false,
        (25, 3),
        (2000, 2007),
    ),
    inst(
        (
            "上海市徐汇区社区学院",
            "Xuhui District Community College, Shanghai",
        ),
        K::CommunityCollege,
        "310104",
        PublicInstitution,
        true,
        (25, 3),
        (1950, 1990),
    ),
    inst(
        (
            "上海市闵行区社区学院",
            "Minhang District Community College, Shanghai",
        ),
        K::CommunityCollege,
        "310112",
        PublicInstitution,
        false,
        (20, 2),
        (1950, 1990),
    ),
    inst(
        (
            "静安区江宁路街道社区学校",
            "Jiangning Road Subdistrict Community School, Jing'an",
        ),
        K::CommunitySchool,
        "310106",
        PublicInstitution,
        false,
        (25, 3),
        (1945, 1985),
    ),
    inst(
        (
            "浦东新区陆家嘴街道社区学校",
            "Lujiazui Subdistrict Community School, Pudong",
        ),
        K::CommunitySchool,
        "310115",
        PublicInstitution,
        false,
        (20, 2),
        (1945, 1985),
    ),
    inst(
        ("上海老年大学", "Shanghai University for the Elderly"),
        K::ElderlyUniversity,
        "310101",
        PublicInstitution,
        true,
        (30, 3),
        (1940, 1962),
    ),
    inst(
        ("长宁区老年大学", "Changning University for the Elderly"),
        K::ElderlyUniversity,
        "310105",
        PublicInstitution,
        false,
        (20, 2),
        (1940, 1962),
    ),
    inst(
        (
            "上海启明星教育培训学校",
            "Shanghai Qimingxing Education and Training School",
        ),
        K::TrainingInstitution,
        "310117",
        PrivateNonEnterprise,
        false,
        (25, 3),
        (2008, 2015),
    ),
    inst(
        (
            "上海浦江智造科技有限公司",
            "Shanghai Pujiang Smart Manufacturing Co., Ltd.",
        ),
        K::Enterprise,
        "310114",
        Company,
        false,
        (20, 2),
        (1975, 2003),
    ),
    // A partner for cross-region exchange. It is registered in Zhejiang (region 330000), but
    // an institution must name a Shanghai district: Qingpu, seat of the Yangtze River Delta
    // demonstration zone, stands for its liaison office.
    DemoInstitution {
        region: "330000",
        ..inst(
            ("浙江省学分银行", "Zhejiang Credit Bank"),
            K::RegionalBank,
            "310118",
            PublicInstitution,
            true,
            (0, 0),
            (1970, 2000),
        )
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_there_and_learners_add_up() {
        for kind in InstitutionKind::ALL {
            assert!(INSTITUTIONS.iter().any(|i| i.kind == *kind), "{kind:?}");
        }
        let bulk: usize = INSTITUTIONS.iter().map(|i| i.bulk_learners).sum();
        let single: usize = INSTITUTIONS.iter().map(|i| i.single_learners).sum();
        assert_eq!((bulk, single), (270, 30));
        assert_eq!(
            INSTITUTIONS[OPEN_UNIVERSITY].kind,
            InstitutionKind::OpenUniversity
        );
        for i in &INSTITUTIONS {
            assert!(lifelong_core::district::District::by_code(i.district).is_some());
        }
    }
}
