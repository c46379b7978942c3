//! Relevance of memories to search queries: Okapi BM25 over words.
//!
//! Hand-written: the search crates are built for large on-disk indexes,
//! while a fetch here ranks a few hundred sentences in memory. Words are
//! lowercased alphanumeric runs (so `3pm` stays one word) without stop words
//! or stemming. "accurate" mode also lets a query word match the longer or
//! shorter forms of it (`drink` ~ `drinks`, `drinking`) at half weight.

/// BM25's usual parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A word this short only matches itself, even in accurate mode.
const MIN_PREFIX: usize = 4;
/// Weight of a prefix match against an exact one.
const PREFIX_WEIGHT: f64 = 0.5;

const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
    "does", "for", "from", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "me", "my", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whom",
    "why", "will", "with", "would", "you", "your",
];

/// The words of `text` that carry meaning.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// How strongly each document matches each query: `scores[doc][query]`,
/// in 0..1 (BM25 `s` mapped to `s / (s + 1)`, so 0 = no shared word).
pub(crate) fn score(docs: &[&str], queries: &[String], accurate: bool) -> Vec<Vec<f64>> {
    let docs: Vec<Vec<String>> = docs.iter().map(|d| words(d)).collect();
    let n = docs.len() as f64;
    let avg_len = (docs.iter().map(Vec::len).sum::<usize>() as f64 / n.max(1.0)).max(1.0);
    let mut scores = vec![vec![0.0; queries.len()]; docs.len()];
    for (qi, query) in queries.iter().enumerate() {
        let mut terms = words(query);
        terms.sort();
        terms.dedup();
        for term in &terms {
            let tf: Vec<f64> = docs.iter().map(|d| frequency(term, d, accurate)).collect();
            let df = tf.iter().filter(|f| **f > 0.0).count() as f64;
            if df == 0.0 {
                continue;
            }
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for (di, f) in tf.iter().enumerate().filter(|(_, f)| **f > 0.0) {
                let len = docs[di].len() as f64;
                scores[di][qi] += idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * len / avg_len));
            }
        }
    }
    for s in scores.iter_mut().flatten() {
        *s = *s / (*s + 1.0);
    }
    scores
}

/// Occurrences of `term` in `doc`; a prefix relation counts part in accurate mode.
fn frequency(term: &str, doc: &[String], accurate: bool) -> f64 {
    doc.iter()
        .map(|w| {
            if w == term {
                1.0
            } else if accurate && related(term, w) {
                PREFIX_WEIGHT
            } else {
                0.0
            }
        })
        .sum()
}

fn related(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= MIN_PREFIX && long.starts_with(short)
}

/// The documents to return, best first: those `eligible` that match a
/// query, at most `per_query` of them taken for each query (by that query's
/// score), then at most `max` overall by their best score. Ties keep the
/// documents' order.
pub(crate) fn select(
    scores: &[Vec<f64>],
    eligible: &dyn Fn(usize) -> bool,
    max: usize,
    per_query: Option<usize>,
) -> Vec<usize> {
    let best = |d: usize| scores[d].iter().copied().fold(0.0, f64::max);
    let matching: Vec<usize> = (0..scores.len()).filter(|d| eligible(*d) && best(*d) > 0.0).collect();
    let mut chosen: Vec<usize> = match per_query {
        None => matching,
        Some(cap) => {
            let queries = scores.first().map_or(0, Vec::len);
            let mut picked = vec![false; scores.len()];
            (0..queries).for_each(|q| {
                let mut by_query: Vec<usize> = matching.iter().copied().filter(|d| scores[*d][q] > 0.0).collect();
                by_query.sort_by(|a, b| scores[*b][q].total_cmp(&scores[*a][q]));
                by_query.into_iter().take(cap).for_each(|d| picked[d] = true);
            });
            matching.into_iter().filter(|d| picked[*d]).collect()
        }
    };
    chosen.sort_by(|a, b| best(*b).total_cmp(&best(*a)));
    chosen.truncate(max);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn words_drop_stop_words_and_keep_numbers() {
        assert_eq!(words("What does the user drink after 3pm?"), ["user", "drink", "after", "3pm"]);
        assert_eq!(words("Café-au-lait, 2x!"), ["café", "au", "lait", "2x"]);
        assert!(words(" ?! ").is_empty());
    }

    #[test]
    fn the_decaf_memory_ranks_first() {
        let docs = ["I switched to decaf after 3pm.", "I love dark roast in the morning.", "Lives in Portland."];
        let s = score(&docs, &q(&["what does the user drink after 3pm?"]), false);
        assert!(s[0][0] > 0.0 && s[1][0] == 0.0 && s[2][0] == 0.0, "{s:?}");
        assert!(s.iter().flatten().all(|v| (0.0..1.0).contains(v)));
        assert_eq!(select(&s, &|_| true, 10, None), [0]);
    }

    #[test]
    fn rarer_words_and_more_matches_rank_higher() {
        let docs = ["coffee in the morning", "coffee and dark roast", "tea please"];
        let s = score(&docs, &q(&["dark roast coffee"]), false);
        assert_eq!(select(&s, &|_| true, 10, None), [1, 0]);
        assert_eq!(select(&s, &|_| true, 1, None), [1]);
        assert_eq!(select(&s, &|d| d != 1, 10, None), [0]);
    }

    #[test]
    fn accurate_mode_matches_word_forms() {
        let docs = ["She drinks decaf", "Drinking water daily", "A drink"];
        let fast = score(&docs, &q(&["drink"]), false);
        assert_eq!(select(&fast, &|_| true, 10, None), [2]);
        let accurate = score(&docs, &q(&["drink"]), true);
        let order = select(&accurate, &|_| true, 10, None);
        assert_eq!(order[0], 2);
        assert_eq!(order.len(), 3);
        // Short words never match by prefix.
        assert!(score(&["cats"], &q(&["cat"]), true)[0][0] == 0.0);
    }

    #[test]
    fn per_query_caps_each_query_then_the_total() {
        let docs = ["tea one", "tea two", "tea three", "coffee one"];
        let s = score(&docs, &q(&["tea", "coffee"]), false);
        let got = select(&s, &|_| true, 10, Some(1));
        assert_eq!(got.len(), 2);
        assert!(got.contains(&3) && got.iter().filter(|d| **d < 3).count() == 1);
        assert_eq!(select(&s, &|_| true, 10, None).len(), 4);
        assert_eq!(select(&s, &|_| true, 1, Some(2)).len(), 1);
    }
}
