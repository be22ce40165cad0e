//! Language tags (BCP 47, RFC 5646): a tag is accepted when it is well-formed and every subtag
//! is in the IANA Language Subtag Registry, and is written in the registry's case (`zh-hans` →
//! `zh-Hans`, `EN` → `en`, `pt-br` → `pt-BR`).

use language_tags::{LanguageTag, ParseError, ValidationError};

/// Examples named in every message about a bad tag.
const EXAMPLES: &str = "write a tag such as ko, en, ja, zh-Hans or pt-BR";

/// The tag in its usual case, or why it is not a language tag: one clause, to follow what the
/// tag was (`"Korean" is not …`).
pub fn normalise(tag: &str) -> Result<String, String> {
    let shown = || crate::text::escape_unprintable(tag.as_bytes());
    let trimmed = tag.trim();
    if trimmed.is_empty() {
        return Err(format!("an empty language tag: {EXAMPLES}"));
    }
    let parsed = LanguageTag::parse(trimmed).map_err(|e| {
        let why = match e {
            _ if trimmed.contains('_') => {
                format!("subtags are joined by `-`, not `_`: {}", trimmed.replace('_', "-"))
            }
            _ if !trimmed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                "only letters, digits and `-` may appear".to_string()
            }
            ParseError::ForbiddenChar => "only letters, digits and `-` may appear".to_string(),
            ParseError::SubtagTooLong => "a subtag has at most eight characters".to_string(),
            ParseError::EmptySubtag => "an empty subtag (two `-` in a row, or one at an end)".to_string(),
            _ => "it is not built like one".to_string(),
        };
        format!("{:?} is not a BCP 47 language tag ({why}); {EXAMPLES}", shown())
    })?;
    parsed.validate().map_err(|e| {
        let subtag = |part: Option<&str>, what: &str| match part {
            Some(p) => format!("`{p}` is not a registered {what}"),
            None => format!("a {what} that is not registered"),
        };
        let why = match e {
            ValidationError::PrimaryLanguageNotInRegistry => subtag(Some(parsed.primary_language()), "language"),
            ValidationError::ExtendedLanguageNotInRegistry => subtag(parsed.extended_language(), "extended language"),
            ValidationError::WrongExtendedLanguagePrefix => format!(
                "`{}` is not an extended language of `{}`",
                parsed.extended_language().unwrap_or_default(),
                parsed.primary_language()
            ),
            ValidationError::ScriptNotInRegistry => subtag(parsed.script(), "script"),
            ValidationError::RegionNotInRegistry => subtag(parsed.region(), "region"),
            ValidationError::VariantNotInRegistry => subtag(parsed.variant(), "variant"),
            ValidationError::WrongVariantPrefix => "a variant that is not one of this language".to_string(),
            ValidationError::DuplicateVariant => "a variant appears twice".to_string(),
            ValidationError::DuplicateExtension => "an extension appears twice".to_string(),
            ValidationError::MultipleExtendedLanguageSubtags => "more than one extended language".to_string(),
        };
        format!("{:?} is not a BCP 47 language tag ({why}); {EXAMPLES}", shown())
    })?;
    Ok(parsed.into_string())
}

/// Whether `tag` is a language tag [`normalise`] accepts.
pub fn is_valid(tag: &str) -> bool {
    normalise(tag).is_ok()
}

/// A language flag's value (`--source-lang`, `--target-lang`), normalised, or the error naming
/// the flag.
pub fn flag(tag: &str, flag: &str) -> Result<String, String> {
    normalise(tag).map_err(|e| format!("{flag}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_tags_are_accepted_in_their_usual_case() {
        for (written, normal) in [
            ("ko", "ko"),
            ("EN", "en"),
            ("zh-hans", "zh-Hans"),
            ("ZH-HANT", "zh-Hant"),
            ("pt-br", "pt-BR"),
            ("sr-latn-rs", "sr-Latn-RS"),
            ("  de ", "de"),
            ("es-419", "es-419"),
            ("x-private", "x-private"),
        ] {
            assert_eq!(normalise(written).as_deref(), Ok(normal), "{written}");
        }
    }

    #[test]
    fn words_and_typos_are_refused_with_the_reason() {
        let e = normalise("Korean").unwrap_err();
        assert!(e.contains("\"Korean\" is not a BCP 47 language tag") && e.contains("`korean`"), "{e}");
        let e = normalise("english!!").unwrap_err();
        assert!(e.contains("only letters, digits and `-`"), "{e}");
        let e = normalise("ko_KR").unwrap_err();
        assert!(e.contains("ko-KR"), "{e}");
        let e = normalise("en-XQZ").unwrap_err();
        assert!(e.contains("`xqz` is not a registered extended language"), "{e}");
        let e = normalise("zh-Hanx").unwrap_err();
        assert!(e.contains("`Hanx` is not a registered script"), "{e}");
        let e = normalise("en--us").unwrap_err();
        assert!(e.contains("empty subtag"), "{e}");
        assert!(normalise("").unwrap_err().contains("empty"));
        assert!(!is_valid("zz"));
    }

    #[test]
    fn a_flag_error_names_the_flag() {
        assert_eq!(flag("EN", "--target-lang").as_deref(), Ok("en"));
        assert!(flag("Korean", "--source-lang").unwrap_err().starts_with("--source-lang: \"Korean\""));
    }
}
