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

fn convert(err: serde_yaml::Error) -> YamlError {
    let loc = err.location();
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C"; we report the location ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    YamlError {
        message,
        line: loc.as_ref().map(|l| l.line() as u32),
        column: loc.as_ref().map(|l| l.column() as u32),
    }
}

/// Parses YAML into any deserialisable type.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(convert)
}

/// Parses YAML into a JSON value (mapping keys that are not strings become strings).
pub fn to_json_value(text: &str) -> Result<serde_json::Value, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(convert)?;
    Ok(yaml_to_json(value))
}

fn yaml_to_json(value: serde_yaml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(J::Null, J::Number)
            }
        }
        Y::String(s) => J::String(s),
        Y::Sequence(seq) => J::Array(seq.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => J::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .map(|s| s.trim_end().to_string())
                            .unwrap_or_default(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
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
}
