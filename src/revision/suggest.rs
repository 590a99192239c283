//! "Did you mean" for a mistyped revision, prefix, label or symbol.

/// The largest edit distance suggested for a name of `len` characters: one edit for short
/// names, one per three characters for longer ones.
fn max_distance(len: usize) -> usize {
    (len / 3).max(1)
}

/// The candidates closest to `name` (optimal string alignment distance, each candidate
/// also compared by its first `name`-length characters, for a mistyped prefix of an id;
/// ties go to the closer whole name), at most three, as ` (did you mean 'a' or 'b'?)`; empty when none is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let len = name.chars().count();
    let mut best: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|candidate| {
            let whole = strsim::osa_distance(name, candidate);
            let prefix: String = candidate.chars().take(len).collect();
            let start = if len >= 4 && prefix.len() < candidate.len() {
                strsim::osa_distance(name, &prefix)
            } else {
                whole
            };
            (whole.min(start), whole, candidate)
        })
        .filter(|(distance, _, _)| *distance <= max_distance(len))
        .collect();
    best.sort_unstable();
    best.dedup_by(|a, b| a.2 == b.2);
    let Some(&(closest, whole, _)) = best.first() else {
        return String::new();
    };
    let names: Vec<String> = best
        .iter()
        .take_while(|(d, w, _)| (*d, *w) == (closest, whole))
        .take(3)
        .map(|(_, _, c)| format!("'{c}'"))
        .collect();
    format!(" (did you mean {}?)", names.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_names_are_suggested_and_far_ones_not() {
        let ids = ["f19b3d8c6e27", "e7c04f9d2a15", "head", "heads", "base"];
        assert_eq!(did_you_mean("haed", ids), " (did you mean 'head'?)");
        assert_eq!(did_you_mean("f19c", ids), " (did you mean 'f19b3d8c6e27'?)");
        assert_eq!(
            did_you_mean("e7c04f9d2a1x", ids),
            " (did you mean 'e7c04f9d2a15'?)"
        );
        assert_eq!(did_you_mean("zzzz", ids), "");
        assert_eq!(did_you_mean("x", ids), "");
    }
}
