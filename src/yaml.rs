//! The one place that touches the YAML library, so it can be swapped (serde_yaml is
//! archived upstream). Everything else sees [`serde_json::Value`] or typed structs.

use serde::de::DeserializeOwned;

/// A YAML error with its 1-based location inside the YAML text, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The parser's message, without location.
    pub message: String,
    /// 1-based line inside the YAML text.
    pub line: Option<u32>,
    /// 1-based column inside the YAML text.
    pub column: Option<u32>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A parser error with its location inside `text`. The parser can place an error about the
/// end of the document (a missing field) on the line after the last one; it is moved to the
/// end of the last line.
fn convert(text: &str, err: serde_yaml::Error) -> YamlError {
    let loc = err.location();
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C"; we report the location ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut line = loc.as_ref().map(|l| l.line() as u32);
    let mut column = loc.as_ref().map(|l| l.column() as u32);
    let lines = text.split('\n').count() as u32;
    if line.is_some_and(|line| line > lines) {
        let last = text.rsplit('\n').next().unwrap_or_default();
        line = Some(lines);
        column = Some(last.chars().count() as u32 + 1);
    }
    YamlError {
        message,
        line,
        column,
    }
}

/// Parses YAML into any deserialisable type.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| convert(text, e))
}

/// Parses YAML into a JSON value (mapping keys that are not strings become strings).
/// Integers too big for 64 bits are kept as their text: `ms.custom: 18446744073709551616`
/// is a label, not a reason to refuse the page.
pub fn to_json_value(text: &str) -> Result<serde_json::Value, YamlError> {
    let value: JsonValue = serde_yaml::from_str(text).map_err(|e| convert(text, e))?;
    Ok(value.0)
}

/// A JSON value deserialised straight from YAML events, so that no number can fail to fit.
struct JsonValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonValue)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(JsonVisitor)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Self::Value, E> {
        Ok(i.into())
    }

    fn visit_u64<E>(self, u: u64) -> Result<Self::Value, E> {
        Ok(u.into())
    }

    fn visit_i128<E>(self, i: i128) -> Result<Self::Value, E> {
        Ok(i64::try_from(i).map_or_else(|_| i.to_string().into(), Into::into))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Self::Value, E> {
        Ok(u64::try_from(u).map_or_else(|_| u.to_string().into(), Into::into))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Self::Value, E> {
        // JSON has no NaN or infinity; `.nan` and `.inf` stay the words they are.
        Ok(serde_json::Number::from_f64(f).map_or_else(
            || serde_json::Value::String(f.to_string()),
            serde_json::Value::Number,
        ))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(s))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((JsonValue(key), JsonValue(value))) = map.next_entry()? {
            let key = match key {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged value (`!Ref x`): the tag is dropped, the value kept.
        use serde::de::VariantAccess;
        let (_tag, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant::<JsonValue>().map(|v| v.0)
    }
}

/// The schema a Microsoft Learn YAML file names on its first line (`### YamlMime:Hub` →
/// `Hub`); `None` when the first line names none.
pub fn yaml_mime(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next()?.trim();
    let rest = first
        .strip_prefix('#')?
        .trim_start_matches('#')
        .trim_start();
    let mime = rest.strip_prefix("YamlMime:")?.trim();
    (!mime.is_empty()).then_some(mime)
}

/// A scalar value written after a `key:` of a block mapping, where it stands in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarAt {
    /// The value, quotes removed.
    pub value: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters) where the value starts.
    pub column: u32,
}

/// Every one-line scalar written as `key: value` in a block mapping of `text` (also after
/// `- ` of a sequence item), in text order. The parser gives no positions for values, and a
/// link found in a YAML page must be reported where it is written: the caller matches these
/// against the values it parsed. Block scalars (`|`, `>`) and flow collections are left out.
pub fn scalar_positions(text: &str, key: &str) -> Vec<ScalarAt> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line.trim_start();
        while let Some(r) = rest.strip_prefix("- ") {
            rest = r.trim_start();
        }
        let Some(after) = rest.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let value = after.trim_start();
        let Some(parsed) = one_line_scalar(value) else {
            continue;
        };
        let start = line.len() - value.len();
        out.push(ScalarAt {
            value: parsed,
            line: i as u32 + 1,
            column: line[..start].chars().count() as u32 + 1,
        });
    }
    out
}

/// A one-line scalar as YAML reads it: quotes removed, a trailing comment dropped; `None` for
/// an empty value, a block scalar or a flow collection.
fn one_line_scalar(value: &str) -> Option<String> {
    let first = value.chars().next()?;
    match first {
        '|' | '>' | '[' | '{' | '#' => None,
        '"' => {
            let mut out = String::new();
            let mut chars = value[1..].chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(out),
                    '\\' => match chars.next()? {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        other => out.push(other),
                    },
                    c => out.push(c),
                }
            }
            None
        }
        '\'' => {
            let inner = &value[1..];
            let mut out = String::new();
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        out.push('\'');
                        continue;
                    }
                    return Some(out);
                }
                out.push(c);
            }
            None
        }
        _ => {
            let end = value.find(" #").unwrap_or(value.len());
            Some(value[..end].trim_end().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_dotted_keys_and_reports_locations() {
        let v = to_json_value("title: A\nms.date: 04/10/2020\nweight: 3\n").unwrap();
        assert_eq!(v["ms.date"], "04/10/2020");
        assert_eq!(v["weight"], 3);
        let err = to_json_value("title: A\nbad: [unclosed\n").unwrap_err();
        assert!(err.line.is_some());
    }

    #[test]
    fn keeps_numbers_past_64_bits_as_text() {
        let v = to_json_value(
            "big: 18446744073709551616\nneg: -99999999999999999999\nmax: 18446744073709551615\n\
             nan: .nan\ntagged: !Ref name\n3: three\ntrue: yes\n",
        )
        .unwrap();
        assert_eq!(v["big"], "18446744073709551616");
        assert_eq!(v["neg"], "-99999999999999999999");
        assert_eq!(v["max"], u64::MAX);
        assert_eq!(v["nan"], "NaN");
        assert_eq!(v["tagged"], "name");
        assert_eq!(v["3"], "three");
        assert_eq!(v["true"], "yes");
    }

    #[test]
    fn reads_the_yaml_mime() {
        assert_eq!(yaml_mime("### YamlMime:Hub\ntitle: x\n"), Some("Hub"));
        assert_eq!(
            yaml_mime("\u{feff}### YamlMime:Landing  \n"),
            Some("Landing")
        );
        assert_eq!(yaml_mime("# YamlMime:FAQ"), Some("FAQ"));
        assert_eq!(yaml_mime("### YamlMime:\n"), None);
        assert_eq!(yaml_mime("title: x\n"), None);
        assert_eq!(yaml_mime(""), None);
    }

    #[test]
    fn finds_where_scalars_are_written() {
        let text =
            "url: a.md\nitems:\n  - url: \"b c.md\" \n    text: 'it''s'\n  - - url: d.md # note\n\
                    urls: no\nurl: |\n  block\nurl:\n";
        let found = scalar_positions(text, "url");
        let got: Vec<(&str, u32, u32)> = found
            .iter()
            .map(|s| (s.value.as_str(), s.line, s.column))
            .collect();
        assert_eq!(got, [("a.md", 1, 6), ("b c.md", 3, 10), ("d.md", 5, 12)]);
        assert_eq!(scalar_positions(text, "text")[0].value, "it's");
    }
}
