//! The qualifications framework (资历框架, R12): levels with knowledge, skill and competence
//! descriptors in both languages, and mappings between the levels of two frameworks. Frameworks
//! are data; the shipped default has 10 levels (see `data/framework.toml`).

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A level of a framework, 1 (lowest) upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Level(u8);

/// The most levels a framework may have.
pub const MAX_LEVELS: u8 = 12;

impl Level {
    /// A level between 1 and [`MAX_LEVELS`].
    pub fn new(n: u8) -> Option<Level> {
        (1..=MAX_LEVELS).contains(&n).then_some(Level(n))
    }

    /// Parses `"6"`.
    pub fn parse(text: &str) -> Option<Level> {
        text.trim().parse::<u8>().ok().and_then(Level::new)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text2 {
    pub zh: String,
    pub en: String,
}

impl Text2 {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text2 {
            zh: zh.into(),
            en: en.into(),
        }
    }
    /// The text in `lang`, falling back to the other when one is empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Zh => (&self.zh, &self.en),
            Lang::En => (&self.en, &self.zh),
        };
        if first.is_empty() {
            second
        } else {
            first
        }
    }
}

/// One level of a framework, with its descriptors in the three dimensions (R12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDescriptor {
    pub level: Level,
    pub title: Text2,
    pub knowledge: Text2,
    pub skill: Text2,
    pub competence: Text2,
    /// Qualifications typically placed at this level (for people, not for rules).
    #[serde(default)]
    pub typical: Text2,
}

/// A qualifications framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Short code, e.g. `SH-LLF`.
    pub code: String,
    pub name: Text2,
    pub levels: Vec<LevelDescriptor>,
}

/// Why a framework is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameworkError {
    #[error("a framework needs a code and a name")]
    Unnamed,
    #[error("levels must be numbered 1, 2, 3 … without gaps")]
    LevelsNotConsecutive,
    #[error("level {0} lacks a descriptor in some dimension or language")]
    MissingDescriptor(u8),
}

impl Framework {
    /// Checks the framework: named, levels 1..=n in order, every descriptor written in both
    /// languages.
    pub fn validate(&self) -> Result<(), FrameworkError> {
        if self.code.trim().is_empty() || self.name.zh.trim().is_empty() {
            return Err(FrameworkError::Unnamed);
        }
        if self.levels.is_empty() {
            return Err(FrameworkError::LevelsNotConsecutive);
        }
        for (i, l) in self.levels.iter().enumerate() {
            if usize::from(l.level.get()) != i + 1 {
                return Err(FrameworkError::LevelsNotConsecutive);
            }
            let texts = [&l.title, &l.knowledge, &l.skill, &l.competence];
            if texts
                .iter()
                .any(|t| t.zh.trim().is_empty() || t.en.trim().is_empty())
            {
                return Err(FrameworkError::MissingDescriptor(l.level.get()));
            }
        }
        Ok(())
    }

    /// The descriptor of `level`, if the framework has it.
    pub fn level(&self, level: Level) -> Option<&LevelDescriptor> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The shipped default framework: 10 levels.
    pub fn shipped_default() -> Framework {
        // The file is part of the source and checked by a test; an error here is a build defect.
        match toml_framework(include_str!("../data/framework.toml")) {
            Some(f) => f,
            None => Framework {
                code: "SH-LLF".into(),
                name: Text2::new(
                    "上海终身教育资历框架",
                    "Shanghai Lifelong Learning Qualifications Framework",
                ),
                levels: Vec::new(),
            },
        }
    }
}

/// Parses the framework file; kept apart so the test can see the error.
fn toml_framework(text: &str) -> Option<Framework> {
    #[derive(Deserialize)]
    struct File {
        framework: Framework,
    }
    toml::from_str::<File>(text).ok().map(|f| f.framework)
}

/// A mapping of another framework's levels onto ours (R12), e.g. the EQF's 8 levels onto the
/// default 10. A mapping is guidance for people placing a qualification; it decides nothing
/// by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelMapping {
    /// The other framework's code, e.g. `EQF`.
    pub from_framework: String,
    /// The other framework's name, for people.
    #[serde(default)]
    pub from_name: Text2,
    /// The framework mapped onto (the default one's code).
    pub to_framework: String,
    /// Pairs (level in `from`, level in `to`), one for each level of `from`, lowest first.
    pub pairs: Vec<(Level, Level)>,
}

/// Why a level mapping is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("a mapping needs the other framework's code and Chinese name")]
    Unnamed,
    #[error("a framework is not mapped onto itself")]
    OntoItself,
    #[error("the mapping is onto framework {0}, not onto this one")]
    OtherTarget(String),
    #[error("the other framework's levels must be listed 1, 2, 3 … once each, without gaps")]
    LevelsNotConsecutive,
    #[error("level {0} maps onto a level this framework does not have")]
    UnknownLevel(u8),
    #[error("level {0} maps onto a lower level than the level below it")]
    Descending(u8),
}

impl LevelMapping {
    /// The level in the other framework that `level` maps to.
    pub fn map(&self, level: Level) -> Option<Level> {
        self.pairs
            .iter()
            .find(|(a, _)| *a == level)
            .map(|(_, b)| *b)
    }

    /// Checks the mapping onto `onto`: named, every level of the other framework listed once
    /// from 1 without gaps, each onto a level `onto` has, and never a higher level onto a
    /// lower one.
    pub fn validate(&self, onto: &Framework) -> Result<(), MappingError> {
        if !crate::unit::valid_code(&self.from_framework) || self.from_name.zh.trim().is_empty() {
            return Err(MappingError::Unnamed);
        }
        if self.from_framework == onto.code {
            return Err(MappingError::OntoItself);
        }
        if self.to_framework != onto.code {
            return Err(MappingError::OtherTarget(self.to_framework.clone()));
        }
        if self.pairs.is_empty() {
            return Err(MappingError::LevelsNotConsecutive);
        }
        let mut below: Option<Level> = None;
        for (i, (from, to)) in self.pairs.iter().enumerate() {
            if usize::from(from.get()) != i + 1 {
                return Err(MappingError::LevelsNotConsecutive);
            }
            if onto.level(*to).is_none() {
                return Err(MappingError::UnknownLevel(from.get()));
            }
            if below.is_some_and(|b| *to < b) {
                return Err(MappingError::Descending(from.get()));
            }
            below = Some(*to);
        }
        Ok(())
    }

    /// The levels of ours that `self` maps onto.
    pub fn targets(&self) -> impl Iterator<Item = Level> + '_ {
        self.pairs.iter().map(|(_, to)| *to)
    }

    /// The shipped mappings onto the default framework (EQF 8 and Guangdong 7 levels), as
    /// guidance; see `data/level_mappings.toml`.
    pub fn shipped_defaults() -> Vec<LevelMapping> {
        // The file is part of the source and checked by a test; an error here is a build defect.
        toml_mappings(include_str!("../data/level_mappings.toml")).unwrap_or_default()
    }
}

/// Parses the mappings file; kept apart so the test can see the error.
fn toml_mappings(text: &str) -> Result<Vec<LevelMapping>, toml::de::Error> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        mappings: Vec<LevelMapping>,
    }
    toml::from_str::<File>(text).map(|f| f.mappings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r12_the_shipped_framework_has_ten_complete_levels() {
        let text = include_str!("../data/framework.toml");
        let f = toml_framework(text).expect("data/framework.toml parses");
        assert_eq!(f.levels.len(), 10);
        f.validate().unwrap();
        assert_eq!(Framework::shipped_default(), f);
        assert!(f.level(Level::new(10).unwrap()).is_some());
        assert!(f.level(Level::new(11).unwrap()).is_none());
    }

    #[test]
    fn r12_validation_refuses_gaps_and_missing_descriptors() {
        let mut f = Framework::shipped_default();
        f.levels[3].skill.en.clear();
        assert_eq!(f.validate(), Err(FrameworkError::MissingDescriptor(4)));
        let mut g = Framework::shipped_default();
        g.levels.remove(2);
        assert_eq!(g.validate(), Err(FrameworkError::LevelsNotConsecutive));
    }

    #[test]
    fn levels_are_bounded() {
        assert!(Level::new(0).is_none());
        assert_eq!(Level::parse(" 7 ").unwrap().get(), 7);
        assert!(Level::parse("13").is_none());
        let m = LevelMapping {
            from_framework: "EQF".into(),
            from_name: Text2::new("欧洲资历框架", "EQF"),
            to_framework: "SH-LLF".into(),
            pairs: vec![(Level::new(8).unwrap(), Level::new(10).unwrap())],
        };
        assert_eq!(m.map(Level::new(8).unwrap()), Level::new(10));
        assert_eq!(m.map(Level::new(7).unwrap()), None);
    }

    fn level(n: u8) -> Level {
        Level::new(n).unwrap()
    }

    #[test]
    fn r12_the_shipped_mappings_are_guidance_onto_the_default_framework() {
        let text = include_str!("../data/level_mappings.toml");
        let mappings = toml_mappings(text).expect("data/level_mappings.toml parses");
        assert_eq!(LevelMapping::shipped_defaults(), mappings);
        let framework = Framework::shipped_default();
        let codes: Vec<&str> = mappings.iter().map(|m| m.from_framework.as_str()).collect();
        assert_eq!(codes, ["EQF", "GD-QF"]);
        for m in &mappings {
            m.validate(&framework).unwrap();
        }
        let eqf = &mappings[0];
        assert_eq!(eqf.pairs.len(), 8);
        assert_eq!(eqf.map(level(6)), Some(level(7)), "bachelor onto bachelor");
        assert_eq!(
            eqf.map(level(8)),
            Some(level(10)),
            "doctorate onto doctorate"
        );
        let guangdong = &mappings[1];
        assert_eq!(guangdong.pairs.len(), 7);
        assert_eq!(guangdong.map(level(1)), Some(level(3)));
        assert_eq!(guangdong.map(level(7)), Some(level(10)));
    }

    #[test]
    fn r12_mapping_validation_names_each_problem() {
        let framework = Framework::shipped_default();
        let good = || LevelMapping {
            from_framework: "EQF".into(),
            from_name: Text2::new("欧洲资历框架", "European Qualifications Framework"),
            to_framework: "SH-LLF".into(),
            pairs: vec![
                (level(1), level(1)),
                (level(2), level(3)),
                (level(3), level(3)),
            ],
        };
        assert_eq!(
            good().validate(&framework),
            Ok(()),
            "two levels onto one is fine"
        );
        type Change = fn(&mut LevelMapping);
        let table: [(Change, MappingError); 9] = [
            (|m| m.from_name.zh.clear(), MappingError::Unnamed),
            (|m| m.from_framework = "E Q F".into(), MappingError::Unnamed),
            (
                |m| m.from_framework = "SH-LLF".into(),
                MappingError::OntoItself,
            ),
            (
                |m| m.to_framework = "GD-QF".into(),
                MappingError::OtherTarget("GD-QF".into()),
            ),
            (|m| m.pairs.clear(), MappingError::LevelsNotConsecutive),
            (
                |m| {
                    m.pairs.remove(1);
                },
                MappingError::LevelsNotConsecutive,
            ),
            (|m| m.pairs.swap(0, 1), MappingError::LevelsNotConsecutive),
            (|m| m.pairs[2].1 = level(11), MappingError::UnknownLevel(3)),
            (|m| m.pairs[2].1 = level(2), MappingError::Descending(3)),
        ];
        for (change, expected) in table {
            let mut m = good();
            change(&mut m);
            assert_eq!(m.validate(&framework), Err(expected));
        }
        // A level of ours removed from the framework is no longer a valid target.
        let mut smaller = framework.clone();
        smaller.levels.truncate(2);
        assert_eq!(
            good().validate(&smaller),
            Err(MappingError::UnknownLevel(2)),
            "their level 2 maps onto our level 3"
        );
    }
}
