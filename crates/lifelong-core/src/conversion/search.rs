//! The exact search behind [`super::plan`]: choose (course, outcome) pairs to maximise the
//! exempted credits, each course and each outcome at most once, no cap past its headroom.
//!
//! This is a matching with knapsack side constraints, so a greedy choice is wrong: taking the
//! largest course first can use up a cap or an outcome that a better combination needed. The
//! search is a depth-first branch and bound over the courses, largest first; at each course it
//! tries each usable outcome (in the caller's order) and then leaving the course out. A branch
//! is cut when even the most optimistic completion cannot beat the best plan found. The
//! optimistic completion is the least of four upper bounds, each cheap to compute:
//!
//! * each remaining course is filled at most once: the k largest that some unused outcome can
//!   still fill within every cap, k = the number of unused outcomes;
//! * each unused outcome fills at most one course: the largest it can still fill;
//! * courses that only outcomes under one source cap can fill share that cap's headroom;
//! * nothing passes the headroom of the total cap;
//!
//! rounded down to the greatest common divisor of the course credits (every total is a multiple
//! of it, so a plan that reaches the cap to within less than one step is known to be optimal).
//! On random 60-course programmes with up to 45 outcomes the worst case seen was ~40,000 nodes.
//!
//! Outcomes that are interchangeable (the same courses, the same caps) are tried only once per
//! course. Ties keep the first plan found, so the result depends only on the input order. A
//! node budget bounds the work; when it runs out the best plan found is returned as such.
//!
//! Amounts are integer hundredths of a credit, so comparisons are exact and cheap.

use std::collections::HashMap;

/// A search problem in plain numbers.
#[derive(Debug, Clone, Default)]
pub(super) struct Problem {
    /// Credits (hundredths) of each course, in the order ties should prefer.
    pub weights: Vec<i64>,
    /// For each outcome, the caps it counts against. Outcomes are in the order ties prefer.
    pub outcome_caps: Vec<Vec<usize>>,
    /// Room left in each cap (may be negative when prior exemptions already exceed it).
    pub headroom: Vec<i64>,
    /// The cap every outcome counts against, if any: it bounds the whole search.
    pub global_cap: Option<usize>,
    /// Eligible pairs (course, outcome).
    pub pairs: Vec<(usize, usize)>,
    pub budget: u64,
}

/// The pairs chosen and how the search went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Solution {
    /// Indices into `Problem::pairs`.
    pub chosen: Vec<usize>,
    pub total: i64,
    pub exhaustive: bool,
    pub nodes: u64,
}

struct Dfs<'p> {
    p: &'p Problem,
    /// Course indices in branching order: weight descending, then the caller's order.
    order: Vec<usize>,
    /// Per position: (outcome, pair index), outcomes ascending.
    options: Vec<Vec<(usize, usize)>>,
    /// Per outcome: its class of interchangeable outcomes.
    group: Vec<usize>,
    used: Vec<bool>,
    unused: usize,
    headroom: Vec<i64>,
    chosen: Vec<Option<usize>>,
    total: i64,
    best: Vec<Option<usize>>,
    best_total: i64,
    /// Per position: the groups already tried at the node on the current path.
    tried: Vec<Vec<usize>>,
    /// Per outcome: the positions it can fill, ascending (so weights descending).
    positions: Vec<Vec<usize>>,
    /// Per outcome: the source caps it counts against, as bits (the global cap left out).
    cap_mask: Vec<u64>,
    /// Scratch per cap for `bound`.
    bucket: Vec<i64>,
    /// The greatest common divisor of the weights: every total is a multiple of it.
    grain: i64,
    nodes: u64,
    aborted: bool,
}

/// Solves `p` exactly, or as well as the budget allows.
pub(super) fn solve(p: &Problem) -> Solution {
    let mut courses: Vec<usize> = (0..p.weights.len()).collect();
    let mut per_course: Vec<Vec<(usize, usize)>> = vec![Vec::new(); p.weights.len()];
    for (i, &(course, outcome)) in p.pairs.iter().enumerate() {
        if let Some(list) = per_course.get_mut(course) {
            list.push((outcome, i));
        }
    }
    courses.retain(|&c| !per_course[c].is_empty());
    courses.sort_by_key(|&c| (std::cmp::Reverse(p.weights[c]), c));
    let options: Vec<Vec<(usize, usize)>> = courses
        .iter()
        .map(|&c| {
            let mut list = std::mem::take(&mut per_course[c]);
            list.sort_unstable();
            list.dedup_by_key(|(o, _)| *o);
            list
        })
        .collect();

    // Interchangeable outcomes: the same positions and the same caps.
    let n_outcomes = p.outcome_caps.len();
    let mut positions: Vec<Vec<usize>> = vec![Vec::new(); n_outcomes];
    for (pos, list) in options.iter().enumerate() {
        for &(o, _) in list {
            positions[o].push(pos);
        }
    }
    let mut classes: HashMap<(&[usize], &[usize]), usize> = HashMap::new();
    let mut group = Vec::with_capacity(n_outcomes);
    for (pos, caps) in positions.iter().zip(&p.outcome_caps) {
        let next = classes.len();
        group.push(
            *classes
                .entry((pos.as_slice(), caps.as_slice()))
                .or_insert(next),
        );
    }
    let in_search = positions.iter().filter(|v| !v.is_empty()).count();
    let grain = courses.iter().map(|&c| p.weights[c]).fold(0, gcd).max(1);

    let n = courses.len();
    let mut dfs = Dfs {
        p,
        order: courses,
        options,
        group,
        used: vec![false; n_outcomes],
        unused: in_search,
        headroom: p.headroom.clone(),
        chosen: vec![None; n],
        total: 0,
        best: vec![None; n],
        best_total: 0,
        tried: vec![Vec::new(); n],
        cap_mask: p
            .outcome_caps
            .iter()
            .map(|caps| {
                caps.iter()
                    .filter(|&&c| Some(c) != p.global_cap && c < 64)
                    .fold(0u64, |m, &c| m | (1u64 << c))
            })
            .collect(),
        bucket: vec![0; p.headroom.len().min(64)],
        grain,
        positions,
        nodes: 0,
        aborted: false,
    };
    dfs.visit(0);
    Solution {
        chosen: dfs.best.iter().flatten().copied().collect(),
        total: dfs.best_total,
        exhaustive: !dfs.aborted,
        nodes: dfs.nodes,
    }
}

impl Dfs<'_> {
    fn fits(&self, outcome: usize, weight: i64) -> bool {
        self.p.outcome_caps[outcome]
            .iter()
            .all(|&c| self.headroom.get(c).is_some_and(|h| *h >= weight))
    }

    /// The most the positions from `pos` on could still add: the least of four upper bounds.
    /// Each remaining course is filled at most once (the `unused` largest that some outcome
    /// still fits); each unused outcome fills at most one course (its largest that fits);
    /// courses that only outcomes of one source cap can fill share that cap's headroom; and
    /// nothing passes the total cap. Totals move in steps of `grain`, so the bound rounds down.
    fn bound(&mut self, pos: usize) -> i64 {
        let ceiling = self
            .p
            .global_cap
            .and_then(|c| self.headroom.get(c).copied())
            .unwrap_or(i64::MAX);
        self.bucket.iter_mut().for_each(|b| *b = 0);
        let (mut largest, mut count, mut free) = (0i64, 0usize, 0i64);
        for q in pos..self.order.len() {
            let w = self.p.weights[self.order[q]];
            let mut common = u64::MAX;
            let mut feasible = false;
            for &(o, _) in &self.options[q] {
                if !self.used[o] && self.fits(o, w) {
                    feasible = true;
                    common &= self.cap_mask[o];
                }
            }
            if !feasible {
                continue;
            }
            if count < self.unused {
                largest += w;
                count += 1;
            }
            match common.trailing_zeros() {
                bit if common != 0 && (bit as usize) < self.bucket.len() => {
                    self.bucket[bit as usize] += w;
                }
                _ => free += w,
            }
        }
        let by_cap = free
            + self
                .bucket
                .iter()
                .zip(&self.headroom)
                .map(|(b, h)| (*b).min((*h).max(0)))
                .sum::<i64>();
        let mut by_outcome = 0i64;
        for (o, list) in self.positions.iter().enumerate() {
            if self.used[o] {
                continue;
            }
            let first = list.iter().map(|&q| (q, self.p.weights[self.order[q]]));
            if let Some((_, w)) = first
                .filter(|&(q, _)| q >= pos)
                .find(|&(_, w)| self.fits(o, w))
            {
                by_outcome += w;
            }
        }
        let bound = ceiling.min(largest).min(by_cap).min(by_outcome).max(0);
        bound - bound % self.grain
    }

    fn visit(&mut self, pos: usize) {
        self.nodes += 1;
        if self.nodes > self.p.budget {
            self.aborted = true;
            return;
        }
        if self.total > self.best_total {
            self.best_total = self.total;
            self.best.clone_from(&self.chosen);
        }
        if pos >= self.order.len() || self.total + self.bound(pos) <= self.best_total {
            return;
        }
        let w = self.p.weights[self.order[pos]];
        self.tried[pos].clear();
        for i in 0..self.options[pos].len() {
            let (o, pair) = self.options[pos][i];
            let g = self.group[o];
            if self.used[o] || self.tried[pos].contains(&g) || !self.fits(o, w) {
                continue;
            }
            self.tried[pos].push(g);
            self.take(o, w, pos, Some(pair));
            self.visit(pos + 1);
            self.take(o, -w, pos, None);
            if self.aborted {
                return;
            }
        }
        self.visit(pos + 1);
    }

    /// Takes (or, with a negative weight and no pair, gives back) outcome `o` at `pos`.
    fn take(&mut self, o: usize, w: i64, pos: usize, pair: Option<usize>) {
        self.used[o] = pair.is_some();
        if pair.is_some() {
            self.unused -= 1;
        } else {
            self.unused += 1;
        }
        for &c in &self.p.outcome_caps[o] {
            if let Some(h) = self.headroom.get_mut(c) {
                *h -= w;
            }
        }
        self.chosen[pos] = pair;
        self.total += w;
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}
