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

/// A mapping of levels between two frameworks, e.g. the default 10 levels onto the EQF's 8.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelMapping {
    pub from_framework: String,
    pub to_framework: String,
    /// Pairs (level in `from`, level in `to`).
    pub pairs: Vec<(Level, Level)>,
}

impl LevelMapping {
    /// The level in the other framework that `level` maps to.
    pub fn map(&self, level: Level) -> Option<Level> {
        self.pairs
            .iter()
            .find(|(a, _)| *a == level)
            .map(|(_, b)| *b)
    }
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
            from_framework: "SH-LLF".into(),
            to_framework: "EQF".into(),
            pairs: vec![(Level::new(10).unwrap(), Level::new(8).unwrap())],
        };
        assert_eq!(m.map(Level::new(10).unwrap()), Level::new(8));
        assert_eq!(m.map(Level::new(9).unwrap()), None);
    }
}
