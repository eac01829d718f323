//! Every count published for one period, at every level, as sums of the same small
//! pieces, so that disclosure control and the attacker's audit see how the tables relate.
//!
//! # How the tables relate
//! A person belongs to one service record; each count is a sum of per-person
//! contributions (`engine`), so every unit's count is the sum of the counts of the
//! *atoms* it is made of: the groups of people sharing one (service name, organisation,
//! partnership). A service unit is the atoms with its name, an organisation those with
//! its name, a partnership likewise (the national view is per partnership). For one atom
//! the base variables are: people, overdue reviews, plans due, plans reviewed on time,
//! carers rated, carers with every caring-role outcome met, and per framework outcome:
//! planned, met, partly met, not met, no longer relevant, and each barrier and
//! contributor named.
//!
//! Every published cell is then a sum of base variables with coefficient 1:
//! `reviewed` = the four statuses; the `met %` base (met + partly + not met) likewise;
//! a national row sums the framework rows mapped to it; a measure sums the rows it is
//! made from. Cells with the same sum (an organisation with one service, the partnership
//! and national blocks' people) are one cell, so they are published or hidden together.
//!
//! Not sums but known to any reader, hence inequalities the attacker may use: each
//! barrier or contributor count of an outcome is at most its `reviewed` (a review names
//! a tag once); planned, reviewed, overdue and carers rated are at most the people;
//! plans reviewed on time are at most the plans due; carers with all met at most carers
//! rated. Absent tags are zeros, and public.
//! Distinct-people counts do not add across outcomes, which is why nothing ties `people`
//! to the sum of rows.
//!
//! The protection ([`super::secondary`]) and the attacker's audit ([`super::audit`]) both
//! work from these cells and inequalities and nothing else, so they cannot disagree
//! about what a reader can deduce.

use super::{Level, UnitReport, engine::unit_name};
use crate::domain::Service;
// Every report builds its model afresh to find its kept protection, and hashing the
// cells' keys was a fifth of that; foldhash is several times quicker than the default
// hasher (and, like it, seeded afresh in every process).
use foldhash::{HashMap, HashMapExt};

/// A base variable's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Base {
    People,
    Overdue,
    PlansDue,
    OnTime,
    CarersRated,
    CarersAllMet,
    Planned,
    Met,
    Partly,
    Not,
    Nlr,
    Barrier(u32),
    Contributor(u32),
}

/// A published cell's kind: one base kind, or a sum of status kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Kind {
    One(Base),
    /// met + partly met + not met + no longer relevant.
    Reviewed,
    /// met + partly met + not met: the base of `met %` and of measures.
    Rated,
}

impl Kind {
    fn bases(&self) -> Vec<Base> {
        match self {
            Kind::One(b) => vec![*b],
            Kind::Reviewed => vec![Base::Met, Base::Partly, Base::Not, Base::Nlr],
            Kind::Rated => vec![Base::Met, Base::Partly, Base::Not],
        }
    }

    fn per_row(&self) -> bool {
        !matches!(
            self,
            Kind::One(
                Base::People
                    | Base::Overdue
                    | Base::PlansDue
                    | Base::OnTime
                    | Base::CarersRated
                    | Base::CarersAllMet
            )
        )
    }
}

type Key = (Kind, Vec<usize>, Vec<usize>);

/// A base variable's key: (atom, kind, row).
pub(super) type VarKey = (usize, Base, usize);

/// One published number: a sum of base variables.
#[derive(Clone, Debug)]
pub(super) struct CellDef {
    pub terms: Vec<usize>,
    pub value: u64,
    /// The levels whose reports show it (bit per `Level::ALL` index).
    pub levels: u8,
}

impl CellDef {
    /// The highest level whose reports show the cell.
    pub fn top_level(&self) -> Option<Level> {
        Level::ALL
            .into_iter()
            .rev()
            .find(|l| self.levels & level_bit(*l) != 0)
    }
}

/// `sum(lhs) <= sum(rhs)`.
#[derive(Clone, Debug)]
pub(super) struct Ineq {
    pub lhs: Vec<usize>,
    pub rhs: Vec<usize>,
    /// The cell whose sum is exactly `rhs`, if one is published anywhere: when it is
    /// shown, the bound is a number and the inequality links nothing.
    pub rhs_cell: Option<usize>,
}

impl Ineq {
    pub fn new(lhs: Vec<usize>, rhs: Vec<usize>) -> Ineq {
        Ineq {
            lhs,
            rhs,
            rhs_cell: None,
        }
    }
}

/// The cell ids of one row of a published report.
#[derive(Clone, Debug, Default)]
pub(super) struct RowIds {
    pub planned: usize,
    pub reviewed: usize,
    /// met, partly met, not met, no longer relevant.
    pub status: [usize; 4],
    pub rated: usize,
    pub barriers: Vec<usize>,
    pub contributors: Vec<usize>,
}

/// The cell ids of one published report, in its own order.
#[derive(Clone, Debug, Default)]
pub(super) struct ReportIds {
    pub people: usize,
    pub overdue: usize,
    pub plans_due: usize,
    pub on_time: usize,
    pub rows: Vec<RowIds>,
    /// (numerator, denominator) per measure.
    pub measures: Vec<(usize, usize)>,
}

pub(super) struct Model {
    /// Each base variable's true value.
    pub var_value: Vec<u64>,
    /// A lower bound every reader knows (0: the audit takes the attacker to know only
    /// that counts are non-negative whole numbers).
    pub var_min: Vec<u64>,
    pub cells: Vec<CellDef>,
    pub ineqs: Vec<Ineq>,
    /// (period label, level, unit key) → the report's cell ids.
    pub reports: HashMap<(String, Level, String), ReportIds>,
    /// Variable → the cells whose sums contain it.
    pub var_cells: Vec<Vec<usize>>,
    /// Variable → the inequalities it is in.
    pub var_ineqs: Vec<Vec<usize>>,
    var_of: HashMap<(usize, Base, usize), usize>,
    cell_of: HashMap<Key, usize>,
    tags: HashMap<String, u32>,
}

/// A unit's key as the roll-up matches names.
pub(super) fn unit_key(name: &str) -> String {
    match name.trim() {
        "" => "(none)".to_string(),
        t => t.to_lowercase(),
    }
}

const SEP: char = '\u{1f}';

/// Services renamed so that a service-level roll-up of them gives one report per atom.
pub(super) fn atom_services(services: &[Service]) -> Vec<Service> {
    services
        .iter()
        .map(|s| {
            let k = |l| unit_key(unit_name(l, s));
            Service {
                name: format!(
                    "{}{SEP}{}{SEP}{}",
                    k(Level::Service),
                    k(Level::Organisation),
                    k(Level::Partnership)
                ),
                ..s.clone()
            }
        })
        .collect()
}

fn level_bit(l: Level) -> u8 {
    match l {
        Level::Service => 1,
        Level::Organisation => 2,
        Level::Partnership => 4,
        Level::National => 8,
    }
}

impl Model {
    /// Builds the model from the atoms' roll-up (a service-level roll-up of
    /// [`atom_services`]) and the reports of every level of the same period.
    pub fn new(period: &str, atoms: &[UnitReport], levels: &[(Level, Vec<UnitReport>)]) -> Model {
        let mut m = Model::empty();
        // The atoms' keys at each level.
        let keys: Vec<[String; 3]> = atoms
            .iter()
            .map(|a| {
                let mut it = a.unit.split(SEP).map(str::to_string);
                [
                    it.next().unwrap_or_default(),
                    it.next().unwrap_or_default(),
                    it.next().unwrap_or_default(),
                ]
            })
            .collect();
        for (ai, a) in atoms.iter().enumerate() {
            m.atom_vars(ai, a);
        }
        // National outcome number → the framework rows mapped to it.
        let mut national: HashMap<String, Vec<usize>> = HashMap::new();
        if let Some(a) = atoms.first() {
            for (i, r) in a.rows.iter().enumerate() {
                for n in &r.national {
                    national.entry(n.to_string()).or_default().push(i);
                }
            }
        }
        for (level, reports) in levels {
            let pos = match level {
                Level::Service => 0,
                Level::Organisation => 1,
                Level::Partnership | Level::National => 2,
            };
            for r in reports {
                let key = unit_key(&r.unit);
                let members: Vec<usize> = keys
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| k[pos] == key)
                    .map(|(i, _)| i)
                    .collect();
                let ids = m.report_ids(*level, r, &members, &national);
                m.reports.insert((period.to_string(), *level, key), ids);
            }
        }
        m.index();
        m
    }

    /// A model of hand-made cells and inequalities (sums of variables), for tests.
    #[cfg(test)]
    pub fn from_parts(var_value: Vec<u64>, cells: Vec<Vec<usize>>, ineqs: Vec<Ineq>) -> Model {
        let cells = cells
            .into_iter()
            .map(|mut terms| {
                terms.sort_unstable();
                terms.dedup();
                let value = terms
                    .iter()
                    .map(|&v| var_value.get(v).copied().unwrap_or(0))
                    .sum();
                CellDef {
                    terms,
                    value,
                    levels: 1,
                }
            })
            .collect();
        let mut m = Model {
            var_min: vec![0; var_value.len()],
            var_value,
            cells,
            ineqs,
            ..Model::empty()
        };
        m.index();
        m
    }

    /// The `people` cells of every report, in the order they were made (the same
    /// order in every period: the reports and atoms do not depend on it).
    pub fn people_cells(&self) -> Vec<usize> {
        let set: std::collections::BTreeSet<usize> =
            self.reports.values().map(|r| r.people).collect();
        set.into_iter().collect()
    }

    /// The table of `cells` alone (sub-cell `i` is `cells[i]`): their variables, with
    /// no inequalities, each cell at the levels that show it.
    pub fn sub_table(&self, cells: &[usize]) -> Model {
        let mut var_map: HashMap<usize, usize> = HashMap::new();
        let mut var_value = Vec::new();
        let mut var_min = Vec::new();
        let mut defs = Vec::with_capacity(cells.len());
        for &c in cells {
            let Some(d) = self.cells.get(c) else {
                continue;
            };
            let mut terms: Vec<usize> = d
                .terms
                .iter()
                .map(|&v| {
                    *var_map.entry(v).or_insert_with(|| {
                        var_value.push(self.var_value.get(v).copied().unwrap_or(0));
                        var_min.push(self.var_min.get(v).copied().unwrap_or(0));
                        var_value.len() - 1
                    })
                })
                .collect();
            terms.sort_unstable();
            defs.push(CellDef {
                terms,
                value: d.value,
                levels: d.levels,
            });
        }
        let mut m = Model {
            var_value,
            var_min,
            cells: defs,
            ..Model::empty()
        };
        m.index();
        m
    }

    /// Links each inequality to the cell that publishes its bound, and each variable to
    /// the cells and inequalities it is in.
    fn index(&mut self) {
        let by_terms: HashMap<&[usize], usize> = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| (c.terms.as_slice(), i))
            .collect();
        let found: Vec<Option<usize>> = self
            .ineqs
            .iter()
            .map(|q| {
                let mut rhs = q.rhs.clone();
                rhs.sort_unstable();
                by_terms.get(rhs.as_slice()).copied()
            })
            .collect();
        for (q, f) in self.ineqs.iter_mut().zip(found) {
            q.rhs_cell = f;
        }
        let n = self.var_value.len();
        let mut var_cells = vec![Vec::new(); n];
        for (c, d) in self.cells.iter().enumerate() {
            for &v in &d.terms {
                if let Some(x) = var_cells.get_mut(v) {
                    x.push(c);
                }
            }
        }
        self.var_cells = var_cells;
        let mut var_ineqs = vec![Vec::new(); n];
        for (i, q) in self.ineqs.iter().enumerate() {
            for &v in q.lhs.iter().chain(&q.rhs) {
                if let Some(x) = var_ineqs.get_mut(v)
                    && x.last() != Some(&i)
                {
                    x.push(i);
                }
            }
        }
        self.var_ineqs = var_ineqs;
    }

    /// How far the true table is inside an inequality: `sum(rhs) − sum(lhs)`.
    pub fn slack(&self, q: &Ineq) -> i64 {
        let sum = |vs: &[usize]| -> i64 {
            vs.iter()
                .map(|&v| self.var_value.get(v).copied().unwrap_or(0) as i64)
                .sum()
        };
        sum(&q.rhs) - sum(&q.lhs)
    }

    fn empty() -> Model {
        Model {
            var_value: Vec::new(),
            var_min: Vec::new(),
            cells: Vec::new(),
            ineqs: Vec::new(),
            reports: HashMap::new(),
            var_cells: Vec::new(),
            var_ineqs: Vec::new(),
            var_of: HashMap::new(),
            cell_of: HashMap::new(),
            tags: HashMap::new(),
        }
    }

    /// Several periods' models (of the same services) as one: each keeps its own
    /// variables, cells and relations, except that an atom's people (one number in every
    /// period) is one variable and the people cells one cell each. Returns the model and,
    /// per part, its (atom, kind, row) → variable.
    pub fn join(parts: Vec<Model>) -> (Model, Vec<HashMap<VarKey, usize>>) {
        let mut m = Model::empty();
        let mut people: HashMap<usize, usize> = HashMap::new();
        let mut people_cells: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut maps = Vec::with_capacity(parts.len());
        for part in parts {
            let mut keys: Vec<(VarKey, usize)> = part.var_of.into_iter().collect();
            keys.sort_by_key(|x| x.1);
            let part_people: std::collections::HashSet<usize> = keys
                .iter()
                .filter(|(k, _)| k.1 == Base::People)
                .map(|x| x.1)
                .collect();
            let mut remap = vec![0usize; part.var_value.len()];
            let mut map = HashMap::with_capacity(keys.len());
            for (k, v) in keys {
                let value = part.var_value.get(v).copied().unwrap_or(0);
                let min = part.var_min.get(v).copied().unwrap_or(0);
                let fresh = |m: &mut Model| {
                    m.var_value.push(value);
                    m.var_min.push(min);
                    m.var_value.len() - 1
                };
                let id = if k.1 == Base::People {
                    *people.entry(k.0).or_insert_with(|| fresh(&mut m))
                } else {
                    fresh(&mut m)
                };
                if let Some(r) = remap.get_mut(v) {
                    *r = id;
                }
                map.insert(k, id);
            }
            let to = |v: &usize| remap.get(*v).copied().unwrap_or(0);
            let mut cell_remap = Vec::with_capacity(part.cells.len());
            for d in part.cells {
                let mut terms: Vec<usize> = d.terms.iter().map(to).collect();
                terms.sort_unstable();
                let is_people =
                    !terms.is_empty() && d.terms.iter().all(|v| part_people.contains(v));
                let shared = if is_people {
                    people_cells.get(&terms).copied()
                } else {
                    None
                };
                let id = match shared {
                    Some(id) => {
                        if let Some(c) = m.cells.get_mut(id) {
                            c.levels |= d.levels;
                        }
                        id
                    }
                    None => {
                        m.cells.push(CellDef {
                            terms: terms.clone(),
                            value: d.value,
                            levels: d.levels,
                        });
                        let id = m.cells.len() - 1;
                        if is_people {
                            people_cells.insert(terms, id);
                        }
                        id
                    }
                };
                cell_remap.push(id);
            }
            for q in part.ineqs {
                m.ineqs.push(Ineq::new(
                    q.lhs.iter().map(to).collect(),
                    q.rhs.iter().map(to).collect(),
                ));
            }
            let c = |x: usize| cell_remap.get(x).copied().unwrap_or(0);
            for (k, ids) in part.reports {
                let ids = ReportIds {
                    people: c(ids.people),
                    overdue: c(ids.overdue),
                    plans_due: c(ids.plans_due),
                    on_time: c(ids.on_time),
                    rows: ids
                        .rows
                        .iter()
                        .map(|r| RowIds {
                            planned: c(r.planned),
                            reviewed: c(r.reviewed),
                            status: r.status.map(c),
                            rated: c(r.rated),
                            barriers: r.barriers.iter().map(|&x| c(x)).collect(),
                            contributors: r.contributors.iter().map(|&x| c(x)).collect(),
                        })
                        .collect(),
                    measures: ids.measures.iter().map(|&(a, b)| (c(a), c(b))).collect(),
                };
                m.reports.insert(k, ids);
            }
            maps.push(map);
        }
        (m, maps)
    }

    /// Adds `sum(lhs) <= sum(rhs)` if the true table keeps it (a relation that fails
    /// here is not one every table keeps, so a reader cannot rely on it).
    pub fn relate(&mut self, lhs: Vec<usize>, rhs: Vec<usize>) {
        let q = Ineq::new(lhs, rhs);
        if !q.lhs.is_empty() && self.slack(&q) >= 0 {
            self.ineqs.push(q);
        }
    }

    /// Indexes a model made by [`Model::join`] once its relations are added.
    pub fn finish(&mut self) {
        self.index();
    }

    fn var(&mut self, atom: usize, base: Base, row: usize, value: u64) -> usize {
        let id = self.var_value.len();
        self.var_value.push(value);
        self.var_min.push(0);
        self.var_of.insert((atom, base, row), id);
        id
    }

    fn tag(&mut self, t: &str) -> u32 {
        let n = self.tags.len() as u32;
        *self.tags.entry(t.to_string()).or_insert(n)
    }

    fn atom_vars(&mut self, ai: usize, a: &UnitReport) {
        let people = self.var(ai, Base::People, 0, a.people);
        let overdue = self.var(ai, Base::Overdue, 0, a.overdue_reviews);
        let due = self.var(ai, Base::PlansDue, 0, a.plans_due);
        let on_time = self.var(ai, Base::OnTime, 0, a.plans_reviewed_on_time);
        let carers = a.measures.iter().find(|x| x.id == "carers_supported");
        let rated = self.var(
            ai,
            Base::CarersRated,
            0,
            carers.map_or(0, |c| c.denominator),
        );
        let all_met = self.var(ai, Base::CarersAllMet, 0, carers.map_or(0, |c| c.numerator));
        self.ineqs.push(Ineq::new(vec![overdue], vec![people]));
        self.ineqs.push(Ineq::new(vec![on_time], vec![due]));
        self.ineqs.push(Ineq::new(vec![all_met], vec![rated]));
        self.ineqs.push(Ineq::new(vec![rated], vec![people]));
        for (ri, row) in a.rows.iter().enumerate() {
            let c = &row.counts;
            let planned = self.var(ai, Base::Planned, ri, c.people_planned);
            let status = [
                self.var(ai, Base::Met, ri, c.met),
                self.var(ai, Base::Partly, ri, c.partly_met),
                self.var(ai, Base::Not, ri, c.not_met),
                self.var(ai, Base::Nlr, ri, c.no_longer_relevant),
            ];
            self.ineqs.push(Ineq::new(vec![planned], vec![people]));
            self.ineqs.push(Ineq::new(status.to_vec(), vec![people]));
            let tags = row
                .barriers
                .iter()
                .map(|t| (t, true))
                .chain(row.contributors.iter().map(|t| (t, false)));
            for ((t, n), barrier) in tags {
                if *n == 0 {
                    continue;
                }
                let id = self.tag(t);
                let base = if barrier {
                    Base::Barrier(id)
                } else {
                    Base::Contributor(id)
                };
                let v = self.var(ai, base, ri, *n);
                // (At most the people follows, through the statuses.)
                self.ineqs.push(Ineq::new(vec![v], status.to_vec()));
            }
        }
    }

    /// The cell summing `kind` over the atoms `members` and the rows `rows`; `levels`
    /// records which level shows it.
    fn cell(&mut self, kind: Kind, members: &[usize], rows: &[usize], level: Level) -> usize {
        let rows: Vec<usize> = if kind.per_row() {
            rows.to_vec()
        } else {
            vec![0]
        };
        let key: Key = (kind, members.to_vec(), rows.clone());
        if let Some(&c) = self.cell_of.get(&key) {
            if let Some(d) = self.cells.get_mut(c) {
                d.levels |= level_bit(level);
            }
            return c;
        }
        let mut terms = Vec::new();
        for &a in members {
            for &r in &rows {
                for b in kind.bases() {
                    // A tag an atom never named is a public zero: no variable.
                    if let Some(&v) = self.var_of.get(&(a, b, r)) {
                        terms.push(v);
                    }
                }
            }
        }
        terms.sort_unstable();
        terms.dedup();
        let value = terms
            .iter()
            .map(|&v| self.var_value.get(v).copied().unwrap_or(0))
            .sum();
        let id = self.cells.len();
        self.cells.push(CellDef {
            terms,
            value,
            levels: level_bit(level),
        });
        self.cell_of.insert(key, id);
        id
    }

    fn report_ids(
        &mut self,
        level: Level,
        r: &UnitReport,
        members: &[usize],
        national: &HashMap<String, Vec<usize>>,
    ) -> ReportIds {
        let one = |m: &mut Model, b: Base| m.cell(Kind::One(b), members, &[], level);
        let people = one(self, Base::People);
        let overdue = one(self, Base::Overdue);
        let plans_due = one(self, Base::PlansDue);
        let on_time = one(self, Base::OnTime);
        let mut rows = Vec::with_capacity(r.rows.len());
        for (i, row) in r.rows.iter().enumerate() {
            let src: Vec<usize> = if level == Level::National {
                national.get(&row.outcome_id).cloned().unwrap_or_default()
            } else {
                vec![i]
            };
            let mut c = |k: Kind| self.cell(k, members, &src, level);
            let status = [
                c(Kind::One(Base::Met)),
                c(Kind::One(Base::Partly)),
                c(Kind::One(Base::Not)),
                c(Kind::One(Base::Nlr)),
            ];
            let mut ids = RowIds {
                planned: c(Kind::One(Base::Planned)),
                reviewed: c(Kind::Reviewed),
                status,
                rated: c(Kind::Rated),
                barriers: Vec::new(),
                contributors: Vec::new(),
            };
            for (t, _) in &row.barriers {
                let b = Base::Barrier(self.tag(t));
                ids.barriers
                    .push(self.cell(Kind::One(b), members, &src, level));
            }
            for (t, _) in &row.contributors {
                let b = Base::Contributor(self.tag(t));
                ids.contributors
                    .push(self.cell(Kind::One(b), members, &src, level));
            }
            rows.push(ids);
        }
        let mut measures = Vec::with_capacity(r.measures.len());
        for x in &r.measures {
            let pair = match x.id.as_str() {
                "carers_supported" => (
                    self.cell(Kind::One(Base::CarersAllMet), members, &[], level),
                    self.cell(Kind::One(Base::CarersRated), members, &[], level),
                ),
                _ => (
                    self.cell(Kind::One(Base::Met), members, &x.rows, level),
                    self.cell(Kind::Rated, members, &x.rows, level),
                ),
            };
            measures.push(pair);
        }
        ReportIds {
            people,
            overdue,
            plans_due,
            on_time,
            rows,
            measures,
        }
    }
}
