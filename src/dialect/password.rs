//! A password that never prints: its `Debug` is `***`, so settings holding one can derive
//! `Debug` without leaking it into logs or errors.

/// A password; [`Password::expose`] is the only way to its text.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps `text`.
    pub fn new(text: impl Into<String>) -> Password {
        Password(text.into())
    }

    /// The password's text, for the client library that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::url::MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_debugs_as_stars() {
        let password = Password::new("s3cret");
        assert_eq!(format!("{:?}", Some(&password)), "Some(***)");
        assert_eq!(password.expose(), "s3cret");
    }
}
