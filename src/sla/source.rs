//! Where a definition came from, for error messages that name the file and line.

/// The 1-based line a byte offset of `text` falls on.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// A TOML error as one line: `file, line L, column C: message`.
pub(crate) fn toml_error(source_name: &str, text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim_end().replace('\n', "; ");
    match err.span() {
        Some(span) => {
            let line = line_of(text, span.start);
            let line_start = text
                .get(..span.start)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let column = text
                .get(line_start..span.start)
                .map_or(1, |t| t.chars().count() + 1);
            format!("{source_name}, line {line}, column {column}: {message}")
        }
        None => format!("{source_name}: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_line_and_column() {
        let text = "a = 1\nb = [\n";
        let err = toml::from_str::<toml::Table>(text).unwrap_err();
        let msg = toml_error("f.toml", text, &err);
        assert!(msg.starts_with("f.toml, line 2"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }
}
