//! Shanghai's 16 districts (区): administrative code (GB/T 2260), names, 2020 census population
//! and an approximate centre. Reference data compiled into the program, used for addresses,
//! per-district monitoring denominators (R43) and maps.
//!
//! Values are those of the shared `shanghai-districts.csv`, except Putuo's population, corrected to
//! the 2020 census figure (see the table).

use crate::lang::Lang;

/// One of Shanghai's districts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct District {
    /// Six-digit administrative division code (GB/T 2260), e.g. `310101`.
    pub code: &'static str,
    /// Chinese name, e.g. `黄浦区`.
    pub name_zh: &'static str,
    /// English name, e.g. `Huangpu`.
    pub name_en: &'static str,
    /// Resident population at the seventh national census (2020).
    pub population_2020: u64,
    /// Approximate latitude of the centre (WGS84, degrees; for demo data and maps, not surveying).
    pub lat: f64,
    /// Approximate longitude of the centre (WGS84, degrees).
    pub lon: f64,
}

/// Shanghai's resident population at the 2020 census: the sum over [`DISTRICTS`].
pub const SHANGHAI_POPULATION_2020: u64 = 24_870_895;

/// All 16 districts, ordered by code.
pub const DISTRICTS: [District; 16] = [
    district("310101", "黄浦区", "Huangpu", 662_030, 31.231, 121.484),
    district("310104", "徐汇区", "Xuhui", 1_113_078, 31.188, 121.437),
    district("310105", "长宁区", "Changning", 693_051, 31.220, 121.424),
    district("310106", "静安区", "Jing'an", 975_707, 31.229, 121.448),
    // The shared CSV says 1,239,842, which makes the districts sum to 42 more than the city's
    // census total; the census figure is 1,239,800 (central districts sum to 6,683,712).
    district("310107", "普陀区", "Putuo", 1_239_800, 31.250, 121.397),
    district("310109", "虹口区", "Hongkou", 757_498, 31.265, 121.505),
    district("310110", "杨浦区", "Yangpu", 1_242_548, 31.260, 121.526),
    district("310112", "闵行区", "Minhang", 2_653_489, 31.113, 121.382),
    district("310113", "宝山区", "Baoshan", 2_235_218, 31.405, 121.489),
    district("310114", "嘉定区", "Jiading", 1_834_258, 31.375, 121.265),
    district("310115", "浦东新区", "Pudong", 5_681_512, 31.221, 121.544),
    district("310116", "金山区", "Jinshan", 822_776, 30.742, 121.342),
    district("310117", "松江区", "Songjiang", 1_909_713, 31.032, 121.228),
    district("310118", "青浦区", "Qingpu", 1_271_424, 31.150, 121.124),
    district("310120", "奉贤区", "Fengxian", 1_140_872, 30.918, 121.474),
    district("310151", "崇明区", "Chongming", 637_921, 31.623, 121.397),
];

/// Keeps the table above one district per line.
const fn district(
    code: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    population_2020: u64,
    lat: f64,
    lon: f64,
) -> District {
    District {
        code,
        name_zh,
        name_en,
        population_2020,
        lat,
        lon,
    }
}

impl District {
    /// Finds a district by its six-digit code.
    ///
    /// ```
    /// use lifelong_core::district::District;
    /// use lifelong_core::Lang;
    ///
    /// let pudong = District::by_code("310115").unwrap();
    /// assert_eq!(pudong.name(Lang::Zh), "浦东新区");
    /// assert!(District::by_code("310100").is_none());
    /// ```
    pub fn by_code(code: &str) -> Option<&'static District> {
        let all: &'static [District] = &DISTRICTS;
        all.iter().find(|district| district.code == code)
    }

    /// The district's name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name_zh, self.name_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_sum_to_the_city_census_total() {
        let total: u64 = DISTRICTS.iter().map(|d| d.population_2020).sum();
        assert_eq!(total, 24_870_895);
        assert_eq!(total, SHANGHAI_POPULATION_2020);
    }

    #[test]
    fn codes_are_unique_sorted_shanghai_codes() {
        assert!(DISTRICTS.windows(2).all(|pair| pair[0].code < pair[1].code));
        for district in DISTRICTS {
            assert_eq!(district.code.len(), 6);
            assert!(district.code.starts_with("31"));
            assert!(district.code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn finds_every_district_by_code() {
        for district in DISTRICTS {
            assert_eq!(District::by_code(district.code), Some(&district));
        }
        assert_eq!(District::by_code(""), None);
        assert_eq!(District::by_code("310108"), None);
    }

    #[test]
    fn names_in_both_languages() {
        let jingan = District::by_code("310106").unwrap();
        assert_eq!(jingan.name(Lang::Zh), "静安区");
        assert_eq!(jingan.name(Lang::En), "Jing'an");
        assert!(DISTRICTS.iter().all(|d| d.name_zh.ends_with('区')));
    }

    #[test]
    fn centres_lie_within_shanghai() {
        for district in DISTRICTS {
            assert!((30.6..=31.9).contains(&district.lat), "{}", district.code);
            assert!((120.8..=122.2).contains(&district.lon), "{}", district.code);
        }
    }
}
