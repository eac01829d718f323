//! Name banks for synthetic people and practitioners: mostly Scottish and British, with
//! Gaelic, Polish, Pakistani, Sikh, Chinese, Arabic and Ukrainian names, so that the
//! interface and exports meet accents, other scripts and wide characters from day one.

use super::data;
use super::{chance, pick_str};
use rand::Rng;
use std::sync::LazyLock;

const NAMES: &str = include_str!("data/names.txt");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

/// The naming tradition a synthetic person's name is drawn from. It also says which
/// language their words might be in and whether an interpreter is plausible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Culture {
    Scottish,
    Gaelic,
    Polish,
    Pakistani,
    Sikh,
    Chinese,
    Arabic,
    Ukrainian,
}

impl Culture {
    /// The culture named in a data file (`Gaelic`, `Polish` ...).
    pub fn named(s: &str) -> Option<Culture> {
        const ALL: [Culture; 8] = [
            Culture::Scottish,
            Culture::Gaelic,
            Culture::Polish,
            Culture::Pakistani,
            Culture::Sikh,
            Culture::Chinese,
            Culture::Arabic,
            Culture::Ukrainian,
        ];
        ALL.into_iter().find(|c| format!("{c:?}") == s)
    }

    /// Roughly the mix of a Scottish partnership with a Gaelic-speaking west and
    /// settled Polish, Pakistani, Sikh, Chinese, Syrian and Ukrainian communities.
    pub fn pick<R: Rng>(r: &mut R) -> Culture {
        const W: [(Culture, f64); 8] = [
            (Culture::Scottish, 80.0),
            (Culture::Gaelic, 5.0),
            (Culture::Polish, 4.5),
            (Culture::Pakistani, 3.5),
            (Culture::Sikh, 1.0),
            (Culture::Chinese, 2.0),
            (Culture::Arabic, 2.0),
            (Culture::Ukrainian, 2.0),
        ];
        let weights: Vec<f64> = W.iter().map(|w| w.1).collect();
        W.get(super::weighted(r, &weights))
            .map_or(Culture::Scottish, |w| w.0)
    }

    /// How likely an interpreter takes part in a conversation with this person.
    pub fn interpreter_chance(&self, age: u32) -> f64 {
        let older = age >= 65;
        match self {
            Culture::Scottish | Culture::Gaelic => 0.0,
            Culture::Polish => 0.3,
            Culture::Pakistani | Culture::Sikh => {
                if older {
                    0.55
                } else {
                    0.2
                }
            }
            Culture::Chinese => {
                if older {
                    0.7
                } else {
                    0.35
                }
            }
            Culture::Arabic => 0.6,
            Culture::Ukrainian => 0.5,
        }
    }

    /// How likely a phrase is recorded in the person's own language.
    pub fn own_language_chance(&self) -> f64 {
        match self {
            Culture::Scottish => 0.0,
            Culture::Gaelic => 0.12,
            _ => 0.22,
        }
    }
}

static SCOT_F_OLD: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "scot_f_old"));
static SCOT_M_OLD: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "scot_m_old"));
static SCOT_F_YOUNG: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "scot_f_young"));
static SCOT_M_YOUNG: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "scot_m_young"));
static SCOT_SURNAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "scot_surnames"));
/// Formal names and the names people actually go by, as records often show both.
static KNOWN_AS: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(NAMES, "known_as"));

static GAELIC_F: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "gaelic_f"));
static GAELIC_M: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "gaelic_m"));
/// Gaelic surnames take a different form for women (Mac → Nic, or lenition).
static GAELIC_SURNAMES: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(NAMES, "gaelic_surnames"));
static HIGHLAND_SURNAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "highland_surnames"));

static POLISH_F: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "polish_f"));
static POLISH_M: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "polish_m"));
static POLISH_SURNAMES: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(NAMES, "polish_surnames"));

static PAK_F: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "pak_f"));
static PAK_M: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "pak_m"));
static PAK_SURNAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "pak_surnames"));

static SIKH_GIVEN: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "sikh_given"));
static SIKH_FAMILY: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "sikh_family"));

static ZH_SURNAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "zh_surnames"));
static ZH_F: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "zh_f"));
static ZH_M: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "zh_m"));
/// Hong Kong Cantonese names as often recorded in Scotland: given names first.
static HK_SURNAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "hk_surnames"));
static HK_F: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "hk_f"));
static HK_M: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "hk_m"));

static AR_F: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "ar_f"));
static AR_M: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(NAMES, "ar_m"));
static AR_SURNAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(NAMES, "ar_surnames"));

/// (Latin transliteration, Cyrillic): records hold either, depending on who typed them.
static UA_F: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(NAMES, "ua_f"));
static UA_M: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(NAMES, "ua_m"));
static UA_SURNAMES: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(NAMES, "ua_surnames"));

fn pick_pair<R: Rng>(
    r: &mut R,
    xs: &[(&'static str, &'static str)],
) -> (&'static str, &'static str) {
    xs.get(super::index(r, xs.len()))
        .copied()
        .unwrap_or(("", ""))
}

fn by_sex(sex: Sex, pair: (&'static str, &'static str)) -> &'static str {
    match sex {
        Sex::Male => pair.0,
        Sex::Female => pair.1,
    }
}

/// A first name suited to the culture, sex and birth year (older Scots have older names).
pub fn first_name<R: Rng>(r: &mut R, c: Culture, sex: Sex, born: i32) -> &'static str {
    let f = sex == Sex::Female;
    match c {
        Culture::Scottish => {
            let old = born < 1962 || (born < 1972 && chance(r, 0.4));
            match (f, old) {
                (true, true) => pick_str(r, &SCOT_F_OLD),
                (true, false) => pick_str(r, &SCOT_F_YOUNG),
                (false, true) => pick_str(r, &SCOT_M_OLD),
                (false, false) => pick_str(r, &SCOT_M_YOUNG),
            }
        }
        Culture::Gaelic => pick_str(r, if f { &GAELIC_F } else { &GAELIC_M }),
        Culture::Polish => pick_str(r, if f { &POLISH_F } else { &POLISH_M }),
        Culture::Pakistani => pick_str(r, if f { &PAK_F } else { &PAK_M }),
        Culture::Sikh => pick_str(r, &SIKH_GIVEN),
        Culture::Chinese => pick_str(r, if f { &HK_F } else { &HK_M }),
        Culture::Arabic => pick_str(r, if f { &AR_F } else { &AR_M }),
        Culture::Ukrainian => pick_pair(r, if f { &UA_F } else { &UA_M }).0,
    }
}

/// A family surname as a man of the family would carry it; [`surname_for`] gives the
/// form for a particular person.
pub fn family_name<R: Rng>(r: &mut R, c: Culture) -> &'static str {
    match c {
        Culture::Scottish => pick_str(r, &SCOT_SURNAMES),
        Culture::Gaelic => {
            if chance(r, 0.5) {
                pick_pair(r, &GAELIC_SURNAMES).0
            } else {
                pick_str(r, &HIGHLAND_SURNAMES)
            }
        }
        Culture::Polish => pick_pair(r, &POLISH_SURNAMES).0,
        Culture::Pakistani => pick_str(r, &PAK_SURNAMES),
        Culture::Sikh => pick_str(r, &SIKH_FAMILY),
        Culture::Chinese => pick_str(r, &HK_SURNAMES),
        Culture::Arabic => pick_str(r, &AR_SURNAMES),
        Culture::Ukrainian => pick_pair(r, &UA_SURNAMES).0,
    }
}

/// The form of a family name carried by someone of this sex.
pub fn surname_for(c: Culture, family: &'static str, sex: Sex) -> &'static str {
    let table: &[(&str, &str)] = match c {
        Culture::Gaelic => &GAELIC_SURNAMES,
        Culture::Polish => &POLISH_SURNAMES,
        _ => return family,
    };
    table
        .iter()
        .find(|p| p.0 == family || p.1 == family)
        .map_or(family, |p| by_sex(sex, *p))
}

/// A full name as it would appear on a record.
pub fn full_name<R: Rng>(
    r: &mut R,
    c: Culture,
    sex: Sex,
    born: i32,
    family: &'static str,
) -> (String, &'static str) {
    let female = sex == Sex::Female;
    match c {
        Culture::Scottish | Culture::Gaelic => {
            let first = first_name(r, c, sex, born);
            let surname = surname_for(c, family, sex);
            let known = KNOWN_AS.iter().filter(|k| k.0 == first).count();
            if known > 0 && chance(r, 0.15) {
                let nth = super::index(r, known);
                if let Some((_, nick)) = KNOWN_AS.iter().filter(|k| k.0 == first).nth(nth) {
                    return (format!("{first} ({nick}) {surname}"), nick);
                }
            }
            if c == Culture::Scottish && chance(r, 0.07) {
                let middle = first_name(r, c, sex, born);
                if middle != first {
                    return (format!("{first} {middle} {surname}"), first);
                }
            }
            (format!("{first} {surname}"), first)
        }
        Culture::Polish => {
            let first = first_name(r, c, sex, born);
            (format!("{first} {}", surname_for(c, family, sex)), first)
        }
        Culture::Pakistani => {
            let first = first_name(r, c, sex, born);
            let surname = if female && chance(r, 0.3) {
                if chance(r, 0.5) { "Bibi" } else { "Begum" }
            } else {
                family
            };
            (format!("{first} {surname}"), first)
        }
        Culture::Sikh => {
            let first = first_name(r, c, sex, born);
            let faith = if female { "Kaur" } else { "Singh" };
            if chance(r, 0.6) {
                (format!("{first} {faith} {family}"), first)
            } else {
                (format!("{first} {faith}"), first)
            }
        }
        Culture::Chinese => {
            if chance(r, 0.7) {
                // Written in characters: surname first, no space.
                let s = pick_str(r, &ZH_SURNAMES);
                let g = pick_str(r, if female { &ZH_F } else { &ZH_M });
                (format!("{s}{g}"), g)
            } else {
                let g = first_name(r, c, sex, born);
                (format!("{g} {family}"), g)
            }
        }
        Culture::Arabic => {
            let first = first_name(r, c, sex, born);
            (format!("{first} {family}"), first)
        }
        Culture::Ukrainian => {
            let (lat, cyr) = pick_pair(r, if female { &UA_F } else { &UA_M });
            let (slat, scyr) = UA_SURNAMES
                .iter()
                .find(|p| p.0 == family)
                .copied()
                .unwrap_or((family, family));
            if chance(r, 0.3) {
                (format!("{cyr} {scyr}"), cyr)
            } else {
                (format!("{lat} {slat}"), lat)
            }
        }
    }
}

/// A practitioner's name (full name and the first name a person would call them by).
pub fn practitioner<R: Rng>(r: &mut R) -> (String, &'static str) {
    let c = if chance(r, 0.85) {
        if chance(r, 0.08) {
            Culture::Gaelic
        } else {
            Culture::Scottish
        }
    } else {
        match super::index(r, 4) {
            0 => Culture::Polish,
            1 => Culture::Pakistani,
            2 => Culture::Sikh,
            _ => Culture::Ukrainian,
        }
    };
    let sex = if chance(r, 0.78) {
        Sex::Female
    } else {
        Sex::Male
    };
    let born = super::between(r, 1962, 2001) as i32;
    let family = family_name(r, c);
    let first = first_name(r, c, sex, born);
    let surname = surname_for(c, family, sex);
    if c == Culture::Sikh {
        let faith = if sex == Sex::Female { "Kaur" } else { "Singh" };
        return (format!("{first} {faith} {surname}"), first);
    }
    (format!("{first} {surname}"), first)
}
