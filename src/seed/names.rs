//! Name banks for synthetic people and practitioners: mostly Scottish and British, with
//! Gaelic, Polish, Pakistani, Sikh, Chinese, Arabic and Ukrainian names, so that the
//! interface and exports meet accents, other scripts and wide characters from day one.

use super::{chance, pick_str};
use rand::Rng;

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

const SCOT_F_OLD: &[&str] = &[
    "Margaret",
    "Mary",
    "Elizabeth",
    "Agnes",
    "Isobel",
    "Jean",
    "Catherine",
    "Helen",
    "Janet",
    "Annie",
    "Christina",
    "Jessie",
    "Marion",
    "Williamina",
    "Sheila",
    "Moira",
    "Irene",
    "Sadie",
    "Euphemia",
    "Grace",
    "Rose",
    "Doreen",
    "Anne",
    "Patricia",
    "Maureen",
    "Rita",
    "Jeanette",
    "Elspeth",
    "Morag",
    "Evelyn",
    "Joan",
    "Violet",
    "May",
    "Nancy",
    "Wilma",
    "Alice",
    "Betty",
    "Netta",
];
const SCOT_M_OLD: &[&str] = &[
    "John",
    "James",
    "William",
    "Robert",
    "Alexander",
    "George",
    "Thomas",
    "David",
    "Hugh",
    "Archibald",
    "Duncan",
    "Ian",
    "Alistair",
    "Angus",
    "Donald",
    "Hector",
    "Malcolm",
    "Andrew",
    "Peter",
    "Charles",
    "Francis",
    "Walter",
    "Kenneth",
    "Norman",
    "Neil",
    "Gordon",
    "Douglas",
    "Jack",
    "Albert",
    "Samuel",
    "Bernard",
    "Patrick",
    "Joseph",
    "Edward",
    "Matthew",
    "Gilbert",
    "Ronald",
];
const SCOT_F_YOUNG: &[&str] = &[
    "Fiona", "Karen", "Lorraine", "Gillian", "Nicola", "Claire", "Lauren", "Amy", "Emma", "Kirsty",
    "Chloe", "Eilidh", "Rachel", "Shona", "Leanne", "Louise", "Laura", "Gemma", "Lisa", "Catriona",
    "Jennifer", "Donna", "Michelle", "Sarah", "Jade", "Rebecca", "Ailsa", "Morven", "Heather",
    "Iona", "Niamh", "Siobhan", "Caitlin", "Erin", "Megan", "Hannah", "Ellie", "Zoë", "Chloé",
];
const SCOT_M_YOUNG: &[&str] = &[
    "Craig",
    "Scott",
    "Stuart",
    "Gary",
    "Graeme",
    "Ross",
    "Jamie",
    "Kyle",
    "Callum",
    "Liam",
    "Ryan",
    "Fraser",
    "Euan",
    "Connor",
    "Darren",
    "Steven",
    "Mark",
    "Paul",
    "Kevin",
    "Colin",
    "Derek",
    "Barry",
    "Grant",
    "Lewis",
    "Ruaridh",
    "Finlay",
    "Declan",
    "Sean",
    "Michael",
    "Christopher",
    "Daniel",
    "Martin",
    "Alan",
    "Brian",
    "Gavin",
    "Lee",
    "Kieran",
    "Aidan",
];
const SCOT_SURNAMES: &[&str] = &[
    "Smith",
    "Brown",
    "Wilson",
    "Campbell",
    "Stewart",
    "Thomson",
    "Robertson",
    "Anderson",
    "MacDonald",
    "Scott",
    "Reid",
    "Murray",
    "Taylor",
    "Clark",
    "Ross",
    "Watson",
    "Morrison",
    "Paterson",
    "Young",
    "Mitchell",
    "Walker",
    "Fraser",
    "Miller",
    "McDonald",
    "Gray",
    "Henderson",
    "Hamilton",
    "Johnston",
    "Duncan",
    "Graham",
    "Ferguson",
    "Kerr",
    "Davidson",
    "Bell",
    "Cameron",
    "Kelly",
    "Martin",
    "Hunter",
    "Allan",
    "Mackenzie",
    "Grant",
    "Simpson",
    "MacLeod",
    "Mackay",
    "McGregor",
    "Sinclair",
    "Munro",
    "Docherty",
    "O'Neill",
    "Gallagher",
    "McLaughlin",
    "Quinn",
    "Rossi",
    "Coia",
    "Di Rollo",
    "Lafferty",
    "Buchanan",
    "Baird",
    "Crawford",
    "Lindsay",
    "Sutherland",
    "Urquhart",
    "Findlay",
    "Baxter",
    "Gillespie",
    "MacPhee",
    "Boyle",
    "Hughes",
    "Black",
    "White",
    "Kennedy",
    "Dunn",
    "Main",
    "Shearer",
    "Geddes",
    "McAllister",
    "Rennie",
    "Haddow",
    "Jamieson",
    "Nicol",
    "Cowan",
    "Wallace",
    "Bruce",
    "Forbes",
    "Ogilvie",
    "McIntyre",
    "Lennox",
    "Brodie",
];
/// Formal names and the names people actually go by, as records often show both.
const KNOWN_AS: &[(&str, &str)] = &[
    ("Elizabeth", "Betty"),
    ("Elizabeth", "Liz"),
    ("Margaret", "Peggy"),
    ("Margaret", "Maggie"),
    ("Catherine", "Kate"),
    ("Alexander", "Sandy"),
    ("Alexander", "Eck"),
    ("William", "Willie"),
    ("James", "Jimmy"),
    ("Thomas", "Tam"),
    ("Robert", "Rab"),
    ("Hugh", "Shug"),
    ("Agnes", "Nessie"),
    ("Isobel", "Isa"),
    ("Christina", "Chrissie"),
    ("Williamina", "Mina"),
    ("Euphemia", "Effie"),
    ("Archibald", "Archie"),
    ("Janet", "Jenny"),
    ("Helen", "Nell"),
];

const GAELIC_F: &[&str] = &[
    "Mòrag",
    "Seònaid",
    "Màiri",
    "Catrìona",
    "Ealasaid",
    "Peigi",
    "Oighrig",
    "Raonaid",
    "Ciorstaidh",
    "Sìne",
    "Iseabail",
    "Dolina",
    "Ceit",
    "Anna",
    "Morag",
    "Mairi",
];
const GAELIC_M: &[&str] = &[
    "Ùisdean",
    "Dòmhnall",
    "Tormod",
    "Aonghas",
    "Seumas",
    "Calum",
    "Ruairidh",
    "Iain",
    "Coinneach",
    "Murchadh",
    "Eachann",
    "Alasdair",
    "Niall",
    "Dùghall",
    "Donald John",
    "Angus",
];
/// Gaelic surnames take a different form for women (Mac → Nic, or lenition).
const GAELIC_SURNAMES: &[(&str, &str)] = &[
    ("MacLeòid", "NicLeòid"),
    ("MacDhòmhnaill", "NicDhòmhnaill"),
    ("MacAoidh", "NicAoidh"),
    ("MacCoinnich", "NicCoinnich"),
    ("MacIomhair", "NicIomhair"),
    ("MacNeacail", "NicNeacail"),
    ("MacRath", "NicRath"),
    ("Caimbeul", "Chaimbeul"),
    ("Moireasdan", "Mhoireasdan"),
    ("Friseal", "Fhriseal"),
    ("Stiùbhart", "Stiùbhart"),
    ("Mac a' Ghobhainn", "Nic a' Ghobhainn"),
];
const HIGHLAND_SURNAMES: &[&str] = &[
    "MacLeod",
    "Macdonald",
    "Morrison",
    "Mackenzie",
    "Maciver",
    "Macaulay",
    "Matheson",
    "Nicolson",
    "MacInnes",
    "MacNeil",
    "Macrae",
    "Maclean",
];

const POLISH_F: &[&str] = &[
    "Agnieszka",
    "Katarzyna",
    "Małgorzata",
    "Joanna",
    "Anna",
    "Magdalena",
    "Ewa",
    "Zofia",
    "Krystyna",
    "Barbara",
    "Dorota",
    "Grażyna",
    "Beata",
    "Aleksandra",
    "Justyna",
    "Elżbieta",
];
const POLISH_M: &[&str] = &[
    "Piotr",
    "Tomasz",
    "Krzysztof",
    "Andrzej",
    "Paweł",
    "Marek",
    "Łukasz",
    "Jan",
    "Stanisław",
    "Wojciech",
    "Grzegorz",
    "Michał",
    "Jerzy",
    "Zbigniew",
    "Kazimierz",
    "Mateusz",
];
const POLISH_SURNAMES: &[(&str, &str)] = &[
    ("Kowalski", "Kowalska"),
    ("Nowak", "Nowak"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
    ("Grabowski", "Grabowska"),
    ("Pawlak", "Pawlak"),
    ("Michalski", "Michalska"),
    ("Król", "Król"),
];

const PAK_F: &[&str] = &[
    "Nasreen", "Shazia", "Parveen", "Fatima", "Rukhsana", "Samina", "Ayesha", "Zainab", "Shabana",
    "Noreen", "Razia", "Tahira", "Kausar", "Nusrat", "Saima", "Sadia",
];
const PAK_M: &[&str] = &[
    "Mohammed", "Muhammad", "Tariq", "Imran", "Asif", "Khalid", "Iqbal", "Javed", "Arshad",
    "Bashir", "Zahid", "Nadeem", "Rashid", "Saeed", "Abdul", "Shahid",
];
const PAK_SURNAMES: &[&str] = &[
    "Khan", "Ahmed", "Hussain", "Iqbal", "Akhtar", "Malik", "Aslam", "Butt", "Shah", "Rashid",
    "Mahmood", "Anwar", "Chaudhry", "Sarwar", "Qureshi", "Raza",
];

const SIKH_GIVEN: &[&str] = &[
    "Harjit",
    "Baljit",
    "Gurpreet",
    "Jaswinder",
    "Manjit",
    "Kulwant",
    "Rajinder",
    "Surinder",
    "Amarjit",
    "Paramjit",
    "Sukhwinder",
    "Navjot",
];
const SIKH_FAMILY: &[&str] = &[
    "Sandhu", "Gill", "Dhillon", "Grewal", "Sidhu", "Bains", "Virdi", "Kang",
];

const ZH_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "林", "郑", "何", "梁", "谢",
];
const ZH_F: &[&str] = &[
    "秀英", "丽", "娜", "美玲", "芳", "玉兰", "淑珍", "静", "慧敏", "桂英", "凤", "丽华", "嘉欣",
];
const ZH_M: &[&str] = &[
    "伟", "建国", "志明", "国强", "强", "伟明", "家豪", "文", "明", "志强", "永康", "国华", "德华",
];
/// Hong Kong Cantonese names as often recorded in Scotland: given names first.
const HK_SURNAMES: &[&str] = &[
    "Chan", "Wong", "Leung", "Cheung", "Lam", "Lee", "Ho", "Yip", "Tang", "Chow",
];
const HK_F: &[&str] = &[
    "Mei Ling", "Siu Fong", "Lai Ying", "Wai Yee", "Yuk Lan", "Kit Ying",
];
const HK_M: &[&str] = &[
    "Ka Wai",
    "Kwok Wah",
    "Wing Keung",
    "Chi Ming",
    "Siu Ming",
    "Hon Kit",
];

const AR_F: &[&str] = &[
    "Fatima", "Amal", "Rania", "Huda", "Noor", "Layla", "Samira", "Mariam", "Reem", "Hanan",
    "Yasmin", "Aisha", "Salma", "Dima",
];
const AR_M: &[&str] = &[
    "Ahmad", "Omar", "Khaled", "Yousef", "Mahmoud", "Hassan", "Samir", "Abdullah", "Mohammad",
    "Ali", "Ibrahim", "Mustafa", "Bilal", "Tarek", "Walid", "Fadi",
];
const AR_SURNAMES: &[&str] = &[
    "Al-Hassan",
    "Haddad",
    "Khalil",
    "Nasser",
    "Al-Masri",
    "Darwish",
    "Mansour",
    "Hamdan",
    "Saleh",
    "Al-Ali",
    "Kassem",
    "Shami",
    "Aziz",
    "Othman",
];

/// (Latin transliteration, Cyrillic): records hold either, depending on who typed them.
const UA_F: &[(&str, &str)] = &[
    ("Oksana", "Оксана"),
    ("Olena", "Олена"),
    ("Iryna", "Ірина"),
    ("Nataliia", "Наталія"),
    ("Tetiana", "Тетяна"),
    ("Halyna", "Галина"),
    ("Liudmyla", "Людмила"),
    ("Yuliia", "Юлія"),
    ("Svitlana", "Світлана"),
    ("Mariia", "Марія"),
];
const UA_M: &[(&str, &str)] = &[
    ("Oleksandr", "Олександр"),
    ("Mykola", "Микола"),
    ("Andrii", "Андрій"),
    ("Serhii", "Сергій"),
    ("Volodymyr", "Володимир"),
    ("Dmytro", "Дмитро"),
    ("Vasyl", "Василь"),
    ("Yurii", "Юрій"),
    ("Petro", "Петро"),
    ("Ivan", "Іван"),
];
const UA_SURNAMES: &[(&str, &str)] = &[
    ("Shevchenko", "Шевченко"),
    ("Kovalenko", "Коваленко"),
    ("Bondarenko", "Бондаренко"),
    ("Tkachenko", "Ткаченко"),
    ("Kravchenko", "Кравченко"),
    ("Melnyk", "Мельник"),
    ("Boiko", "Бойко"),
    ("Kovalchuk", "Ковальчук"),
    ("Oliinyk", "Олійник"),
    ("Marchenko", "Марченко"),
    ("Savchenko", "Савченко"),
    ("Rudenko", "Руденко"),
    ("Lysenko", "Лисенко"),
    ("Polishchuk", "Поліщук"),
];

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
                (true, true) => pick_str(r, SCOT_F_OLD),
                (true, false) => pick_str(r, SCOT_F_YOUNG),
                (false, true) => pick_str(r, SCOT_M_OLD),
                (false, false) => pick_str(r, SCOT_M_YOUNG),
            }
        }
        Culture::Gaelic => pick_str(r, if f { GAELIC_F } else { GAELIC_M }),
        Culture::Polish => pick_str(r, if f { POLISH_F } else { POLISH_M }),
        Culture::Pakistani => pick_str(r, if f { PAK_F } else { PAK_M }),
        Culture::Sikh => pick_str(r, SIKH_GIVEN),
        Culture::Chinese => pick_str(r, if f { HK_F } else { HK_M }),
        Culture::Arabic => pick_str(r, if f { AR_F } else { AR_M }),
        Culture::Ukrainian => pick_pair(r, if f { UA_F } else { UA_M }).0,
    }
}

/// A family surname as a man of the family would carry it; [`surname_for`] gives the
/// form for a particular person.
pub fn family_name<R: Rng>(r: &mut R, c: Culture) -> &'static str {
    match c {
        Culture::Scottish => pick_str(r, SCOT_SURNAMES),
        Culture::Gaelic => {
            if chance(r, 0.5) {
                pick_pair(r, GAELIC_SURNAMES).0
            } else {
                pick_str(r, HIGHLAND_SURNAMES)
            }
        }
        Culture::Polish => pick_pair(r, POLISH_SURNAMES).0,
        Culture::Pakistani => pick_str(r, PAK_SURNAMES),
        Culture::Sikh => pick_str(r, SIKH_FAMILY),
        Culture::Chinese => pick_str(r, HK_SURNAMES),
        Culture::Arabic => pick_str(r, AR_SURNAMES),
        Culture::Ukrainian => pick_pair(r, UA_SURNAMES).0,
    }
}

/// The form of a family name carried by someone of this sex.
pub fn surname_for(c: Culture, family: &'static str, sex: Sex) -> &'static str {
    let table: &[(&str, &str)] = match c {
        Culture::Gaelic => GAELIC_SURNAMES,
        Culture::Polish => POLISH_SURNAMES,
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
                let s = pick_str(r, ZH_SURNAMES);
                let g = pick_str(r, if female { ZH_F } else { ZH_M });
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
            let (lat, cyr) = pick_pair(r, if female { UA_F } else { UA_M });
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
