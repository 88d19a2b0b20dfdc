//! Made-up people and institutions from a seeded generator, for the demo data set and the
//! benchmarks. The same seed gives the same sequence.
//!
//! ID numbers pass the GB 11643 check (rule R1) and credit codes the GB 32100 check (R2), but
//! both are invented: area and region codes are Shanghai districts', and the birth date,
//! sequence and organisation code come from the generator. Nothing is copied from real people.

use std::collections::HashSet;

use lifelong_core::district::{District, DISTRICTS};
use lifelong_core::{credit_code, id_number};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Date, Month};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "沈",
    "姚", "陆", "钱", "顾", "金", "严", "施", "汪", "范", "邵", "戴", "欧阳", "司马", "诸葛",
];

const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "华", "建", "国", "平", "辉", "刚",
    "健", "俊", "文", "宇", "浩", "志", "德", "海", "波", "峰", "鹏", "飞", "龙", "林", "宏", "晨",
    "毅", "骏", "承", "泽", "子", "轩", "睿", "博",
];

const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "洁", "琳", "萍",
    "红", "梅", "兰", "英", "秀", "珍", "佳", "欣", "怡", "悦", "晓", "雯", "颖", "倩", "璐", "瑶",
    "琴", "云", "月", "思", "诗", "雨", "涵", "萱",
];

/// Mobile number prefixes of the three carriers (a subset).
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188",
    "189",
];

/// Birth years from this one on get a guardian in generated files, so that whoever is under the
/// guardian age (14 by default) on the day the data is loaded has one, whatever that day is.
pub const GUARDIAN_FROM_YEAR: i32 = 2008;

/// A made-up learner, as an account-opening file row holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakePerson {
    pub name: String,
    pub id_number: String,
    pub mobile: Option<String>,
    pub guardian_name: Option<String>,
}

/// What a credit code's first two characters say about an institution (GB 32100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// `12`: a public institution (事业单位) registered by the establishment office.
    PublicInstitution,
    /// `52`: a private non-enterprise unit (民办非企业单位), as private schools are.
    PrivateNonEnterprise,
    /// `91`: a company registered with market regulation.
    Company,
}

impl Registration {
    fn prefix(self) -> &'static str {
        match self {
            Registration::PublicInstitution => "12",
            Registration::PrivateNonEnterprise => "52",
            Registration::Company => "91",
        }
    }
}

/// The seeded generator.
pub struct Generator {
    rng: StdRng,
    ids: HashSet<String>,
}

impl Generator {
    /// A generator; the same seed gives the same sequence.
    pub fn new(seed: u64) -> Self {
        Generator {
            rng: StdRng::seed_from_u64(seed),
            ids: HashSet::new(),
        }
    }

    /// Makes sure this ID number is never generated (e.g. a fixed demo learner's).
    pub fn reserve_id_number(&mut self, id: &str) {
        self.ids.insert(id.to_owned());
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.gen_range(0..n.max(1))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// A district, weighted by population (so Pudong comes up most).
    pub fn district(&mut self) -> &'static District {
        let total: u64 = DISTRICTS.iter().map(|d| d.population_2020).sum();
        let mut pick = self.rng.gen_range(0..total);
        for d in &DISTRICTS {
            if pick < d.population_2020 {
                return d;
            }
            pick -= d.population_2020;
        }
        &DISTRICTS[DISTRICTS.len() - 1]
    }

    /// A birth date between the first of January of `from_year` and the end of `to_year`.
    pub fn birth_date(&mut self, from_year: i32, to_year: i32) -> Date {
        let year = self
            .rng
            .gen_range(from_year.min(to_year)..=to_year.max(from_year));
        let days = time::util::days_in_year(year);
        let ordinal = self.rng.gen_range(1..=days);
        Date::from_ordinal_date(year, ordinal).unwrap_or_else(|_| {
            Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
        })
    }

    /// A valid, unique ID number of someone born in `from_year..=to_year` in `area` (a district
    /// code). The sequence is odd for a man and even for a woman.
    pub fn id_number(&mut self, area: &str, from_year: i32, to_year: i32, male: bool) -> String {
        loop {
            let born = self.birth_date(from_year, to_year);
            let sequence = self.rng.gen_range(0..500) * 2 + u32::from(male);
            let body = format!(
                "{area}{:04}{:02}{:02}{sequence:03}",
                born.year(),
                u8::from(born.month()),
                born.day()
            );
            let Some(check) = id_number::check_char(&body) else {
                continue;
            };
            let id = format!("{body}{check}");
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// A plausible Chinese name: a surname and one or two given-name characters.
    pub fn person_name(&mut self, male: bool) -> String {
        let surname = SURNAMES[self.below(SURNAMES.len())];
        let given = if male { GIVEN_MALE } else { GIVEN_FEMALE };
        let first = given[self.below(given.len())];
        if self.chance(0.7) {
            let second = given[self.below(given.len())];
            format!("{surname}{first}{second}")
        } else {
            format!("{surname}{first}")
        }
    }

    /// A made-up mainland mobile number.
    pub fn mobile(&mut self) -> String {
        let prefix = MOBILE_PREFIXES[self.below(MOBILE_PREFIXES.len())];
        loop {
            let number = format!("{prefix}{:08}", self.rng.gen_range(0..100_000_000u32));
            // Reserved for the demo learner who signs in.
            if number != "13800138000" {
                return number;
            }
        }
    }

    /// A made-up learner born in `from_year..=to_year` in a district drawn by population.
    /// Minors (born from [`GUARDIAN_FROM_YEAR`]) get a guardian and no mobile; nine in ten
    /// others have a mobile.
    pub fn person(&mut self, from_year: i32, to_year: i32) -> FakePerson {
        let area = self.district().code;
        self.person_in(area, from_year, to_year)
    }

    /// A made-up learner with an ID number from `area`.
    pub fn person_in(&mut self, area: &str, from_year: i32, to_year: i32) -> FakePerson {
        let male = self.chance(0.5);
        let id_number = self.id_number(area, from_year, to_year, male);
        let name = self.person_name(male);
        let minor = id_number
            .get(6..10)
            .and_then(|y| y.parse::<i32>().ok())
            .is_some_and(|year| year >= GUARDIAN_FROM_YEAR);
        let (mobile, guardian_name) = if minor {
            let guardian_male = self.chance(0.5);
            (None, Some(self.person_name(guardian_male)))
        } else {
            (self.chance(0.9).then(|| self.mobile()), None)
        };
        FakePerson {
            name,
            id_number,
            mobile,
            guardian_name,
        }
    }

    /// A valid unified social credit code for an institution registered in `region` (a
    /// six-digit division code such as a district's), with a GB 11714 organisation code.
    pub fn credit_code(&mut self, registration: Registration, region: &str) -> String {
        loop {
            let org: String = (0..8)
                .map(|_| char::from(b'0' + self.rng.gen_range(0..10u8)))
                .collect();
            let org = format!("{org}{}", organisation_check(&org));
            let body = format!("{}{region}{org}", registration.prefix());
            if let Some(check) = credit_code::check_char(&body) {
                return format!("{body}{check}");
            }
        }
    }
}

/// The check character of an eight-digit organisation code (GB 11714): weights 3 7 9 10 5 8 4 2,
/// check = 11 − (Σ mod 11), written `X` for 10 and `0` for 11.
fn organisation_check(digits: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

/// An account-opening CSV (UTF-8 with BOM, CRLF, the Chinese header) of `people`.
pub fn accounts_csv(people: &[FakePerson]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + people.len() * 56);
    out.extend_from_slice("\u{feff}姓名,身份证号码,手机号码,监护人姓名\r\n".as_bytes());
    for p in people {
        let line = format!(
            "{},{},{},{}\r\n",
            p.name,
            p.id_number,
            p.mobile.as_deref().unwrap_or(""),
            p.guardian_name.as_deref().unwrap_or("")
        );
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// The same rows as an .xlsx workbook, every cell written as text (as ID numbers must be).
pub fn accounts_xlsx(people: &[FakePerson]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["姓名", "身份证号码", "手机号码", "监护人姓名"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header)?;
    }
    for (i, p) in people.iter().enumerate() {
        let row = u32::try_from(i + 1)?;
        sheet.write_string(row, 0, &p.name)?;
        sheet.write_string(row, 1, &p.id_number)?;
        if let Some(m) = &p.mobile {
            sheet.write_string(row, 2, m)?;
        }
        if let Some(g) = &p.guardian_name {
            sheet.write_string(row, 3, g)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// A table of text cells (first row the headers) as an .xlsx workbook of one sheet.
pub fn table_xlsx(rows: &[Vec<&str>]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        let row = u32::try_from(r)?;
        for (c, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row, u16::try_from(c)?, *cell)?;
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use lifelong_core::credit_code::CreditCode;
    use lifelong_core::id_number::IdNumber;
    use lifelong_core::mobile::Mobile;
    use lifelong_core::person_name::PersonName;

    use super::*;

    #[test]
    fn people_are_valid_unique_and_reproducible() {
        let mut g = Generator::new(7);
        let people: Vec<FakePerson> = (0..2000).map(|_| g.person(1940, 2015)).collect();
        let mut seen = HashSet::new();
        for p in &people {
            let id = IdNumber::parse(&p.id_number).unwrap();
            assert!(id.area_code().starts_with("31"), "{}", id.masked());
            assert!(DISTRICTS.iter().any(|d| d.code == id.area_code()));
            assert!((1940..=2015).contains(&id.birth_date().year()));
            assert!(seen.insert(p.id_number.clone()));
            PersonName::parse(&p.name).unwrap();
            if let Some(m) = &p.mobile {
                assert_eq!(Mobile::parse(m).unwrap().expose(), m);
            }
            let minor = id.birth_date().year() >= GUARDIAN_FROM_YEAR;
            assert_eq!(p.guardian_name.is_some(), minor);
            if let Some(g) = &p.guardian_name {
                PersonName::parse(g).unwrap();
            }
        }
        assert!(people.iter().any(|p| p.guardian_name.is_some()));
        let mut again = Generator::new(7);
        let replay: Vec<FakePerson> = (0..2000).map(|_| again.person(1940, 2015)).collect();
        assert_eq!(people, replay);
        assert_ne!(people[0], Generator::new(8).person(1940, 2015));
    }

    #[test]
    fn genders_follow_the_sequence_digit() {
        let mut g = Generator::new(1);
        for male in [true, false] {
            let id = IdNumber::parse(&g.id_number("310104", 1980, 1990, male)).unwrap();
            assert_eq!(id.gender() == lifelong_core::id_number::Gender::Male, male);
        }
    }

    #[test]
    fn credit_codes_are_valid() {
        let mut g = Generator::new(3);
        for registration in [
            Registration::PublicInstitution,
            Registration::PrivateNonEnterprise,
            Registration::Company,
        ] {
            for d in &DISTRICTS {
                let code = g.credit_code(registration, d.code);
                let parsed = CreditCode::parse(&code).unwrap();
                assert_eq!(&parsed.as_str()[2..8], d.code);
                assert_eq!(&parsed.as_str()[..2], registration.prefix());
            }
        }
    }

    #[test]
    fn organisation_check_matches_gb_11714() {
        // The organisation code inside the published credit code 91310000132200821H.
        assert_eq!(organisation_check("13220082"), '1');
    }

    #[test]
    fn files_hold_every_row() {
        let mut g = Generator::new(5);
        let people: Vec<FakePerson> = (0..3).map(|_| g.person(2009, 2012)).collect();
        let csv = String::from_utf8(accounts_csv(&people)).unwrap();
        assert_eq!(csv.lines().count(), 4);
        assert!(csv.contains(&people[2].id_number));
        let xlsx = accounts_xlsx(&people).unwrap();
        assert!(xlsx.starts_with(b"PK\x03\x04"));
    }
}
