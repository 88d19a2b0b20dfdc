//! A catalog: the credit bank's maintained data in one document — accreditation units,
//! recognition standards, programmes with their courses, and conversion rules — as read from
//! a TOML file (`lifelong bank import`, demo data) and checked as a whole: codes well formed,
//! versions unique, every reference pointing at something that exists.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::programme::{ConversionRule, Programme};
use crate::recognition::RecognitionStandard;
use crate::unit::{valid_code, Unit};

/// Units, standards, programmes and rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Catalog {
    pub units: Vec<Unit>,
    pub standards: Vec<RecognitionStandard>,
    pub programmes: Vec<Programme>,
    pub rules: Vec<ConversionRule>,
}

/// What is wrong with a catalog: the first problem found, naming the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("the file is not a valid catalog: {0}")]
    Syntax(String),
    #[error("{what} {code}: {problem}")]
    Item {
        what: &'static str,
        code: String,
        problem: String,
    },
}

fn item(what: &'static str, code: &str, problem: impl Into<String>) -> CatalogError {
    CatalogError::Item {
        what,
        code: code.to_owned(),
        problem: problem.into(),
    }
}

impl Catalog {
    /// Reads and checks a catalog in TOML.
    pub fn from_toml(text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog =
            toml::from_str(text).map_err(|e| CatalogError::Syntax(e.to_string()))?;
        catalog.validate()?;
        Ok(catalog)
    }

    /// Adds everything of `other`.
    pub fn merge(&mut self, other: Catalog) {
        self.units.extend(other.units);
        self.standards.extend(other.standards);
        self.programmes.extend(other.programmes);
        self.rules.extend(other.rules);
    }

    /// Checks codes, versions and references.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut seen = HashSet::new();
        for u in &self.units {
            u.validate()
                .map_err(|e| item("unit", &u.code, e.to_string()))?;
            if !seen.insert((u.code.as_str(), u.version)) {
                return Err(item(
                    "unit",
                    &u.code,
                    format!("version {} appears twice", u.version),
                ));
            }
        }
        let unit_codes: HashSet<&str> = self.units.iter().map(|u| u.code.as_str()).collect();
        let mut seen = HashSet::new();
        for s in &self.standards {
            if !valid_code(&s.code) {
                return Err(item("standard", &s.code, "bad code"));
            }
            if s.title.zh.trim().is_empty() {
                return Err(item("standard", &s.code, "needs a title in Chinese"));
            }
            if !seen.insert((s.code.as_str(), s.version)) {
                return Err(item(
                    "standard",
                    &s.code,
                    format!("version {} appears twice", s.version),
                ));
            }
            if !unit_codes.contains(s.unit_code.as_str()) {
                return Err(item(
                    "standard",
                    &s.code,
                    format!("unknown unit {}", s.unit_code),
                ));
            }
        }
        let mut seen = HashSet::new();
        for p in &self.programmes {
            if !valid_code(&p.code) {
                return Err(item("programme", &p.code, "bad code"));
            }
            if !seen.insert(p.code.as_str()) {
                return Err(item("programme", &p.code, "appears twice"));
            }
            p.caps
                .validate()
                .map_err(|e| item("programme", &p.code, e.to_string()))?;
            let mut courses = HashSet::new();
            for c in &p.courses {
                if !valid_code(&c.code) || !courses.insert(c.code.as_str()) {
                    return Err(item(
                        "programme",
                        &p.code,
                        format!("course {} has a bad or repeated code", c.code),
                    ));
                }
                if c.credits.is_zero() {
                    return Err(item(
                        "programme",
                        &p.code,
                        format!("course {} has no credits", c.code),
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        for r in &self.rules {
            if !valid_code(&r.code) {
                return Err(item("rule", &r.code, "bad code"));
            }
            if !seen.insert((r.code.as_str(), r.version)) {
                return Err(item(
                    "rule",
                    &r.code,
                    format!("version {} appears twice", r.version),
                ));
            }
            let Some(p) = self.programmes.iter().find(|p| p.code == r.programme_code) else {
                return Err(item(
                    "rule",
                    &r.code,
                    format!("unknown programme {}", r.programme_code),
                ));
            };
            if p.course(&r.course_code).is_none() {
                return Err(item(
                    "rule",
                    &r.code,
                    format!("programme {} has no course {}", p.code, r.course_code),
                ));
            }
            if let Some(unit) = &r.accepts.unit_code {
                if !unit_codes.contains(unit.as_str()) {
                    return Err(item("rule", &r.code, format!("unknown unit {unit}")));
                }
            }
        }
        Ok(())
    }

    /// The demo catalog shipped for `lifelong demo`: units, standards for common certificates,
    /// programmes of the open university and a vocational college, and their conversion rules.
    pub fn demo() -> Result<Catalog, CatalogError> {
        let mut all = Catalog::default();
        for text in [
            include_str!("../data/demo/units.toml"),
            include_str!("../data/demo/standards.toml"),
            include_str!("../data/demo/programmes.toml"),
        ] {
            let part: Catalog =
                toml::from_str(text).map_err(|e| CatalogError::Syntax(e.to_string()))?;
            all.merge(part);
        }
        all.validate()?;
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalog_is_valid() {
        let c = Catalog::demo().unwrap();
        assert!(!c.units.is_empty());
    }

    #[test]
    fn dangling_references_are_refused() {
        let text = r#"
            [[standards]]
            code = "S-1"
            title = { zh = "标准", en = "Standard" }
            unit_code = "U-NOPE"
            window = { from = 2026-01-01 }
        "#;
        let e = Catalog::from_toml(text).unwrap_err();
        assert_eq!(e.to_string(), "standard S-1: unknown unit U-NOPE");
        assert!(matches!(
            Catalog::from_toml("units = 3"),
            Err(CatalogError::Syntax(_))
        ));
    }
}
