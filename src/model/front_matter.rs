//! A page's front matter as the model keeps it for the whole build.

use serde::ser::SerializeMap;
use serde_json::{Map, Value};

/// A page's front matter: every key as written with its value, in key order (the order of
/// a `serde_json::Map`). Kept as a sorted list: a page has a handful of keys, and the
/// B-tree of a `serde_json::Map` gives even one key a node sized for eleven (about 640
/// bytes a page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter(Box<[(String, Value)]>);

impl FrontMatter {
    /// The value of `key`, if the front matter has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let at = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(&self.0[at].1)
    }

    /// The value of `key` as text: strings as they are, numbers and booleans printed;
    /// `None` for a missing key and for other values.
    pub fn text(&self, key: &str) -> Option<String> {
        value_text(self.get(key)?)
    }

    /// Every key and its value, in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many keys it has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when it has no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Map<String, Value>> for FrontMatter {
    fn from(map: Map<String, Value>) -> Self {
        let mut pairs: Vec<(String, Value)> = map.into_iter().collect();
        // A `Map` iterates in key order unless serde_json's `preserve_order` is on.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        FrontMatter(pairs.into_boxed_slice())
    }
}

/// `front_matter["key"]`: the value, or `null` for a missing key (as `serde_json::Value`
/// indexes).
impl std::ops::Index<&str> for FrontMatter {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&Value::Null)
    }
}

/// Written as a JSON object in key order, as the `serde_json::Map` it replaces.
impl serde::Serialize for FrontMatter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A front matter value as text (strings as is, numbers and booleans printed).
pub(super) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(json: &str) -> Map<String, Value> {
        match serde_json::from_str(json).expect("JSON") {
            Value::Object(map) => map,
            _ => unreachable!("an object"),
        }
    }

    #[test]
    fn keys_are_found_and_written_as_the_map_was() {
        let json = r#"{"title":"A","ms.date":"06/16/2020","weight":3,"draft":true,"ms.custom":["x",{"b":1,"a":2}],"":"empty key","Zeta":null}"#;
        let fm = FrontMatter::from(map(json));
        assert_eq!(fm.len(), 7);
        assert_eq!(fm.text("title").as_deref(), Some("A"));
        assert_eq!(fm.text("weight").as_deref(), Some("3"));
        assert_eq!(fm.text("draft").as_deref(), Some("true"));
        assert_eq!(fm.text("ms.custom"), None);
        assert_eq!(fm.text("Zeta"), None);
        assert_eq!(fm.text("missing"), None);
        assert_eq!(fm.get(""), Some(&Value::from("empty key")));
        assert_eq!(fm["ms.date"], "06/16/2020");
        assert_eq!(fm["missing"], Value::Null);
        for (key, value) in map(json) {
            assert_eq!(fm.get(&key), Some(&value), "{key}");
        }
        assert_eq!(
            serde_json::to_string(&fm).expect("serialises"),
            serde_json::to_string(&map(json)).expect("serialises"),
        );
        let empty = FrontMatter::default();
        assert!(empty.is_empty());
        assert_eq!(serde_json::to_string(&empty).expect("serialises"), "{}");
    }
}
