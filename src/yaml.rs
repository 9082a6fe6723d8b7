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
    let line = loc.as_ref().map(|l| l.line() as u32);
    let column = loc.as_ref().map(|l| l.column() as u32);
    located(text, message, line, column)
}

/// An error at `line`/`column`, moved to the end of the last line when the parser placed it
/// after the end of the text (an error about the end of the document).
fn located(
    text: &str,
    message: String,
    mut line: Option<u32>,
    mut column: Option<u32>,
) -> YamlError {
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

/// The longest text kept for a mapping key that is not a string. Such a key becomes its JSON
/// text, and a key nested in a key is escaped again at every level, so the text doubled with
/// each: 30 levels of `{` in a front matter value took 11 s and 2.6 GB. Keys are labels; a
/// longer one is cut (at a character boundary) and ends in `…`.
const MAX_KEY_TEXT: usize = 1024;

/// A mapping key as the JSON object key it becomes: a string as it is, anything else as its
/// JSON text, cut to [`MAX_KEY_TEXT`] bytes.
fn key_text(key: serde_json::Value) -> String {
    let mut text = match key {
        serde_json::Value::String(s) => return s,
        other => other.to_string(),
    };
    if text.len() > MAX_KEY_TEXT {
        let mut end = MAX_KEY_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

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
            object.insert(key_text(key), value);
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

/// Every scalar value of mapping key `key`, at any depth of `text`, with where it is
/// written, in document order (nothing when the file does not parse). The JSON value a page
/// is read from has no positions, and a link found in a YAML page must be reported where it
/// is written: the caller matches these against the values it parsed.
pub fn scalar_positions(text: &str, key: &str) -> Vec<ScalarAt> {
    let Ok(root) = to_spanned(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Depth-first with an explicit stack, children pushed in reverse: document order.
    let mut stack: Vec<(bool, &Spanned)> = vec![(false, &root)];
    while let Some((under_key, node)) = stack.pop() {
        match &node.value {
            SpannedValue::Scalar(value) if under_key => out.push(ScalarAt {
                value: value.clone(),
                line: node.line,
                column: node.column,
            }),
            SpannedValue::Seq(items) => stack.extend(items.iter().rev().map(|v| (false, v))),
            SpannedValue::Map(entries) => {
                stack.extend((entries.iter().rev()).map(|(k, v)| (k.as_str() == Some(key), v)))
            }
            _ => {}
        }
    }
    out
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
    fn keys_that_are_not_strings_become_their_json_text_cut_to_a_bound() {
        let v = to_json_value("? [a, b]\n: list\n? {k: v}\n: map\n").unwrap();
        assert_eq!(v[r#"["a","b"]"#], "list");
        assert_eq!(v[r#"{"k":"v"}"#], "map");
        // Each level of a key inside a key escapes the one below again: without the bound
        // this 40-level key would be about a terabyte of backslashes.
        let nested = format!("date: {}x{}\n", "{".repeat(40), "}".repeat(40));
        let v = to_json_value(&nested).unwrap();
        let (key, _) = v["date"].as_object().unwrap().iter().next().unwrap();
        assert!(key.len() <= MAX_KEY_TEXT + '…'.len_utf8(), "{}", key.len());
        assert!(key.ends_with('…'), "{key}");
        // Cut at a character boundary.
        let wide = format!("? [{}]\n: v\n", "é".repeat(MAX_KEY_TEXT));
        let v = to_json_value(&wide).unwrap();
        let (key, _) = v.as_object().unwrap().iter().next().unwrap();
        assert!(key.starts_with("[\"éé") && key.ends_with("é…"), "{key}");
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
            "url: a.md\nitems:\n  - url: \"b c.md\"\n    text: 'it''s'\n  - - url: d.md # note\n  \
                    - {url: e.md, text: x}\nurls: no\nblock: |\n  url: not-a-key\n";
        let found = scalar_positions(text, "url");
        let got: Vec<(&str, u32, u32)> = found
            .iter()
            .map(|s| (s.value.as_str(), s.line, s.column))
            .collect();
        assert_eq!(
            got,
            [
                ("a.md", 1, 6),
                ("b c.md", 3, 10),
                ("d.md", 5, 12),
                ("e.md", 6, 11)
            ]
        );
        assert_eq!(scalar_positions(text, "text")[0].value, "it's");
        assert!(scalar_positions("url: [unclosed\n", "url").is_empty());
    }
}

/// A YAML value with the position it starts at, for files whose findings point inside
/// them (tables of contents). Aliases and tags are not resolved: an alias reads as null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    /// The value.
    pub value: SpannedValue,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// The shape of a [`Spanned`] value. Scalars stay text: `true` is `Scalar("true")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpannedValue {
    /// A scalar, as written (an empty plain scalar is null).
    Scalar(String),
    /// A plain empty scalar, `~`, `null`, or an alias.
    Null,
    /// A sequence.
    Seq(Vec<Spanned>),
    /// A mapping, in document order.
    Map(Vec<(Spanned, Spanned)>),
}

impl Spanned {
    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            SpannedValue::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value of mapping key `key` (the first one, if it is repeated).
    pub fn get(&self, key: &str) -> Option<&Spanned> {
        match &self.value {
            SpannedValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Builds [`Spanned`] trees from parser events with an explicit stack, so nesting depth
/// costs heap, never call stack.
#[derive(Default)]
struct SpannedBuilder {
    /// Open collections: the collection and, for a mapping, a key waiting for its value.
    stack: Vec<(Spanned, Option<Spanned>)>,
    /// The first document's root, once complete.
    root: Option<Spanned>,
    /// Where nesting first went past [`MAX_SPANNED_DEPTH`].
    too_deep: Option<(u32, u32)>,
    /// Collections opened past the limit and not closed yet (their contents are skipped).
    skipped: usize,
}

/// Deepest nesting [`to_spanned`] accepts: real files nest a few levels, and a deeper
/// tree would only make every later walk over it (and dropping it) recursive work.
pub const MAX_SPANNED_DEPTH: usize = 128;

impl SpannedBuilder {
    fn push_value(&mut self, value: Spanned) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some((parent, pending_key)) => match &mut parent.value {
                SpannedValue::Seq(items) => items.push(value),
                SpannedValue::Map(entries) => match pending_key.take() {
                    Some(key) => entries.push((key, value)),
                    None => *pending_key = Some(value),
                },
                _ => {}
            },
        }
    }
}

impl yaml_rust2::parser::MarkedEventReceiver for SpannedBuilder {
    fn on_event(&mut self, event: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::scanner::TScalarStyle;
        use yaml_rust2::Event;
        let at = |value| Spanned {
            value,
            line: u32::try_from(mark.line()).unwrap_or(u32::MAX).max(1),
            column: u32::try_from(mark.col() + 1).unwrap_or(u32::MAX),
        };
        if self.skipped > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skipped += 1,
                Event::SequenceEnd | Event::MappingEnd => self.skipped -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.stack.len() >= MAX_SPANNED_DEPTH =>
            {
                let here = at(SpannedValue::Null);
                self.too_deep.get_or_insert((here.line, here.column));
                self.skipped = 1;
            }
            Event::Scalar(text, style, _, _) => {
                let null = style == TScalarStyle::Plain
                    && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL");
                self.push_value(at(if null {
                    SpannedValue::Null
                } else {
                    SpannedValue::Scalar(text)
                }));
            }
            Event::Alias(_) => self.push_value(at(SpannedValue::Null)),
            Event::SequenceStart(..) => self.stack.push((at(SpannedValue::Seq(Vec::new())), None)),
            Event::MappingStart(..) => self.stack.push((at(SpannedValue::Map(Vec::new())), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((done, _)) = self.stack.pop() {
                    self.push_value(done);
                }
            }
            _ => {}
        }
    }
}

/// Parses the first document of `text` into a [`Spanned`] tree (`Null` for an empty file).
pub fn to_spanned(text: &str) -> Result<Spanned, YamlError> {
    let mut builder = SpannedBuilder::default();
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| {
        let line = u32::try_from(e.marker().line()).ok().map(|l| l.max(1));
        let column = u32::try_from(e.marker().col() + 1).ok();
        located(text, e.info().to_string(), line, column)
    })?;
    if let Some((line, column)) = builder.too_deep {
        return Err(YamlError {
            message: format!("nested deeper than {MAX_SPANNED_DEPTH} levels"),
            line: Some(line),
            column: Some(column),
        });
    }
    Ok(builder.root.unwrap_or(Spanned {
        value: SpannedValue::Null,
        line: 1,
        column: 1,
    }))
}

#[cfg(test)]
mod spanned_tests {
    use super::*;

    #[test]
    fn positions_point_at_values() {
        let doc =
            to_spanned("- name: A\n  href: a.md\n  items:\n  - name: B\n    href: ~\n").unwrap();
        let SpannedValue::Seq(items) = &doc.value else {
            panic!("{doc:?}")
        };
        let href = items[0].get("href").unwrap();
        assert_eq!(
            (href.as_str(), href.line, href.column),
            (Some("a.md"), 2, 9)
        );
        let inner = items[0].get("items").unwrap();
        let SpannedValue::Seq(inner) = &inner.value else {
            panic!()
        };
        assert_eq!(inner[0].get("name").unwrap().line, 4);
        assert_eq!(inner[0].get("href").unwrap().value, SpannedValue::Null);
    }

    #[test]
    fn errors_have_positions_and_deep_nesting_does_not_recurse() {
        let err = to_spanned("- name: A\n  href: [x\n").unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
        let deep = "[".repeat(100_000);
        assert!(to_spanned(&deep).is_err());
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let err = to_spanned(&deep).unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(129)), "{err:?}");
        assert_eq!(to_spanned("").unwrap().value, SpannedValue::Null);
    }
}
