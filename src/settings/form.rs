//! The settings as the window edits them: the very layout of `settings.toml` (SPEC §5),
//! as JSON. The window shows [`form_of`] and sends an edited form back; [`settings_of`]
//! validates it with the same parser as the file, so every refusal the window shows next
//! to a field (`hours.mon`, `work_apps[2].app`) is the engine's own. No rule lives in
//! TypeScript.

use super::{parse, to_toml, Settings};
use crate::t;
use crate::words::Lang;
use serde::Serialize;
use serde_json::Value;

/// One refusal, for the field it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldError {
    /// The dotted key: `hours.mon`, `work_apps[2].off_hours`; empty for the whole form.
    pub key: String,
    /// Why, in one line.
    pub message: String,
}

/// The form for `settings`: the TOML layout of the file, as JSON.
pub fn form_of(settings: &Settings) -> Value {
    let text = to_toml(settings, None);
    toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|table| serde_json::to_value(table).ok())
        .unwrap_or(Value::Object(Default::default()))
}

/// Validates an edited form into settings, or says what is wrong with which field, in the
/// language the form itself chooses (its `language`), else the locale's: the window
/// speaks the language of the settings it edits.
pub fn settings_of(form: &Value) -> Result<Settings, Vec<FieldError>> {
    let lang = Lang::chosen(
        form.get("language")
            .and_then(Value::as_str)
            .and_then(Lang::from_tag),
    );
    settings_in(form, lang)
}

/// Validates an edited form, the refusals said in `lang`.
pub fn settings_in(form: &Value, lang: Lang) -> Result<Settings, Vec<FieldError>> {
    let whole = |detail: String| {
        vec![FieldError {
            key: String::new(),
            message: t!(lang, "settings-form-not-table", detail = detail),
        }]
    };
    let cleaned = without_nulls(form.clone());
    let table: toml::Table = serde_json::from_value(cleaned).map_err(|e| whole(e.to_string()))?;
    let text = toml::to_string(&table).map_err(|e| whole(e.to_string()))?;
    parse(&text, "form").map_err(|refusals| {
        refusals
            .0
            .into_iter()
            .map(|r| FieldError {
                key: r.key,
                message: r.reason.get(lang).to_string(),
            })
            .collect()
    })
}

/// TOML has no null: an absent value is a missing key.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_form_round_trips_to_the_same_settings() {
        let settings = parse(
            "timezone = \"Europe/Paris\"\nholidays = \"FR\"\n[hours]\nmon = [\"09:00-12:30\", \"13:30-18:00\"]\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n",
            "t",
        )
        .unwrap();
        let form = form_of(&settings);
        assert_eq!(form["hours"]["mon"], json!(["09:00-12:30", "13:30-18:00"]));
        assert_eq!(settings_of(&form).unwrap(), settings);
    }

    #[test]
    fn work_sites_round_trip_through_the_form_and_a_bad_one_is_refused_for_its_field() {
        let settings = parse(
            "[[work_apps]]\nname = \"LinkedIn\"\napp = \"chromium\"\nsites = [\"linkedin.com\", \"business.facebook.com\"]\n",
            "t",
        )
        .unwrap();
        let mut form = form_of(&settings);
        assert_eq!(
            form["work_apps"][0]["sites"],
            json!(["linkedin.com", "business.facebook.com"])
        );
        assert_eq!(settings_of(&form).unwrap(), settings);
        form["work_apps"][0]["sites"] = json!(["linkedin.com", "https://x.com/home"]);
        let errors = settings_in(&form, Lang::Fr).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "work_apps[1].sites");
        assert!(
            errors[0].message.contains("écrivez l'hôte seul, x.com"),
            "{errors:?}"
        );
    }

    #[test]
    fn an_invalid_range_is_refused_for_its_field() {
        let settings = parse("timezone = \"Europe/Paris\"\n[hours]\n", "t").unwrap();
        let mut form = form_of(&settings);
        form["hours"]["mon"] = json!(["18:00-18:00"]);
        form["work_apps"] = json!([{"name": "Slack", "app": "slack", "account": null}]);
        let errors = settings_in(&form, Lang::En).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "hours.mon");
        assert!(errors[0].message.contains("same time"), "{errors:?}");
        let errors = settings_in(&form, Lang::Fr).unwrap_err();
        assert!(errors[0].message.contains("même heure"), "{errors:?}");
        form["language"] = json!("fr");
        let errors = settings_of(&form).unwrap_err();
        assert!(
            errors[0].message.contains("même heure"),
            "the form's own language"
        );
    }
}
