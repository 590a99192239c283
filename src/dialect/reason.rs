//! The reason a connection or a statement failed, as a person reads it: the innermost
//! cause of a client library's error chain, shared by the server engines' drivers.

/// The innermost cause of `error` (`connection refused`), without the `(os error N)`
/// suffix, its first letter lower-cased when the second is lower case (so that
/// `Connection refused` reads as part of our sentence but `SSL` stays as it is).
pub fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    clause(innermost.to_string())
}

/// A library's message worded as part of our sentence: without the `(os error N)`
/// suffix, its first letter lower-cased when the second is lower case.
pub fn clause(mut text: String) -> String {
    if let Some(at) = text.find(" (os error") {
        text.truncate(at);
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_cause_reads_as_part_of_a_sentence() {
        let refused = std::io::Error::from_raw_os_error(111);
        assert_eq!(innermost_cause(&refused), "connection refused");
        let tls = std::io::Error::other("SSL handshake failed");
        assert_eq!(innermost_cause(&tls), "SSL handshake failed");
        assert_eq!(
            clause("Connection refused (os error 111)".into()),
            "connection refused"
        );
    }
}
