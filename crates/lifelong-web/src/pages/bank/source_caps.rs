//! The limits on converted credits on the programme form (R18): the programme's own cap and
//! its limits by source — one group of inputs per limit (the percentage, its base, and the
//! kinds of outcome it covers) and one empty group to add a limit. A group left empty is no
//! limit; a limit must name the kinds it covers, or it would limit nothing.

use lifelong_core::programme::{CapBasis, SourceCap};
use lifelong_core::Lang;

use super::edit_texts::EditTexts;
use super::forms::{
    kind_options, read_kinds_of, read_percent, section, Errors, Fields, Form, Section,
};

/// The most limits by source the form holds.
const MAX_SOURCE_CAPS: usize = 8;

/// The name of a part of the `n`-th limit's inputs: `src2_percent`.
fn name(n: usize, part: &str) -> String {
    format!("src{n}_{part}")
}

/// A base as the form sends it.
pub fn basis_code(basis: CapBasis) -> &'static str {
    match basis {
        CapBasis::CompulsoryCredits => "compulsory_credits",
        CapBasis::AwardCredits => "award_credits",
    }
}

/// The base the form sent in `field`, or `None` with an error.
pub fn read_basis(
    fields: &Fields,
    field: &str,
    e: &EditTexts,
    errors: &mut Errors,
) -> Option<CapBasis> {
    match fields.get(field).trim() {
        "compulsory_credits" => Some(CapBasis::CompulsoryCredits),
        "award_credits" => Some(CapBasis::AwardCredits),
        _ => {
            errors.add(field, e.cap_basis_required);
            None
        }
    }
}

/// The bases a cap may take.
pub fn basis_options(e: &EditTexts) -> Vec<(String, String)> {
    vec![
        ("compulsory_credits".to_owned(), e.cap_compulsory.to_owned()),
        ("award_credits".to_owned(), e.cap_award.to_owned()),
    ]
}

/// Puts a programme's limits by source in the form, with an empty group after them.
pub fn put_source_caps(fields: &mut Fields, caps: &[SourceCap]) {
    for (i, cap) in caps.iter().enumerate() {
        let n = i + 1;
        fields.set(&name(n, "percent"), cap.percent.normalize().to_string());
        fields.set(&name(n, "basis"), basis_code(cap.basis));
        for kind in &cap.kinds {
            fields.add(&name(n, "kinds"), kind.as_str());
        }
    }
    let empty = caps.len() + 1;
    if empty <= MAX_SOURCE_CAPS {
        fields.set(&name(empty, "percent"), "");
        fields.set(&name(empty, "basis"), basis_code(CapBasis::default()));
    }
}

/// How many groups the form holds (at least one, to add a limit).
fn groups(fields: &Fields) -> usize {
    (1..=MAX_SOURCE_CAPS)
        .take_while(|n| fields.has(&name(*n, "percent")))
        .count()
        .max(1)
}

/// Reads the limits by source; groups left empty are skipped.
pub fn read_source_caps(fields: &Fields, e: &EditTexts, errors: &mut Errors) -> Vec<SourceCap> {
    let mut caps = Vec::new();
    for n in 1..=groups(fields) {
        let (percent, kinds) = (name(n, "percent"), name(n, "kinds"));
        if fields.opt(&percent).is_none() {
            if !fields.all(&kinds).is_empty() {
                errors.add(&percent, e.source_cap_percent_required);
            }
            continue;
        }
        let value = read_percent(fields, &percent, e.percent_bad, errors).decimal();
        let basis = read_basis(fields, &name(n, "basis"), e, errors);
        let ticked = read_kinds_of(fields, &kinds, e, errors);
        if fields.all(&kinds).is_empty() {
            errors.add(&kinds, e.source_cap_kinds_required);
        }
        if let Some(basis) = basis {
            caps.push(SourceCap {
                kinds: ticked,
                percent: value,
                basis,
            });
        }
    }
    caps
}

/// A section of inputs for each limit by source.
pub fn source_cap_sections(f: &Form<'_>, e: &EditTexts, lang: Lang) -> Vec<Section> {
    (1..=groups(f.fields))
        .map(|n| {
            let legend = match lang {
                Lang::Zh => format!("{}（{n}）", e.section_source_cap),
                Lang::En => format!("{} ({n})", e.section_source_cap),
            };
            let inputs = vec![
                f.decimal(
                    &name(n, "percent"),
                    e.source_cap_percent,
                    e.source_cap_percent_hint,
                ),
                f.select(&name(n, "basis"), e.cap_basis, "", basis_options(e)),
                f.checks(
                    &name(n, "kinds"),
                    e.source_cap_kinds,
                    e.source_cap_kinds_hint,
                    kind_options(lang),
                ),
            ];
            section(&legend, inputs)
        })
        .collect()
}
