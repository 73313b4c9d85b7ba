//! The one error the window's commands return, serialized for the front end as
//! `{ "kind": "invalid", "fields": [...] }` or `{ "kind": "store"|"io"|"refused",
//! "message": "..." }` (docs/ipc.md): the kind survives the IPC boundary.

use couper::settings::form::FieldError;
use couper::store::StoreError;
use serde::Serialize;

/// Why a command failed.
#[derive(Debug, thiserror::Error, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommandError {
    /// The settings form does not validate: what is wrong with which field.
    #[error("the settings are not valid: {}", summary(fields))]
    Invalid {
        /// The engine's refusals, one per field.
        fields: Vec<FieldError>,
    },
    /// The store (held queue, history) failed.
    #[error("{message}")]
    Store {
        /// What happened.
        message: String,
    },
    /// A file could not be read or written (the settings file, autostart's entry).
    #[error("{message}")]
    Io {
        /// What happened.
        message: String,
    },
    /// The request was refused (an unknown mode, an end time that is not a time, a
    /// settings file the user is editing by hand).
    #[error("{message}")]
    Refused {
        /// Why, in the user's words.
        message: String,
    },
}

fn summary(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| match f.key.as_str() {
            "" => f.message.clone(),
            key => format!("{key}: {}", f.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<Vec<FieldError>> for CommandError {
    fn from(fields: Vec<FieldError>) -> Self {
        CommandError::Invalid { fields }
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        CommandError::Store {
            message: e.to_string(),
        }
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            // `settings::save` refuses to overwrite a file that does not validate.
            std::io::ErrorKind::InvalidData => CommandError::Refused {
                message: e.to_string(),
            },
            _ => CommandError::Io {
                message: e.to_string(),
            },
        }
    }
}

impl From<couper::control::SaveError> for CommandError {
    fn from(e: couper::control::SaveError) -> Self {
        match e {
            couper::control::SaveError::Invalid(fields) => CommandError::Invalid { fields },
            couper::control::SaveError::Io(e) => e.into(),
        }
    }
}

impl CommandError {
    /// Autostart's entry could not be read or written, said in `lang` (the system's
    /// words follow).
    pub fn autostart(e: tauri_plugin_autostart::Error, lang: couper::words::Lang) -> Self {
        CommandError::Io {
            message: couper::t!(lang, "app-autostart-failed", why = e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window's generated types (`ui/src/lib/generated/`) are those of the Rust
    /// types, this crate's and `couper`'s, and nothing else is there.
    #[test]
    fn ts_bindings_match_the_rust_types() {
        use couper::ts_bindings::{Bindings, DIR};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(DIR);
        let mut bindings = Bindings::default();
        bindings.couper().add::<CommandError>();
        if let Err(e) = bindings.check(&dir, true) {
            panic!("{e}");
        }
    }

    #[test]
    fn errors_serialize_with_their_kind() {
        let invalid = CommandError::Invalid {
            fields: vec![FieldError {
                key: "hours.mon".into(),
                message: "\"9h\" is not HH:MM-HH:MM".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&invalid).ok(),
            Some(serde_json::json!({
                "kind": "invalid",
                "fields": [{ "key": "hours.mon", "message": "\"9h\" is not HH:MM-HH:MM" }]
            }))
        );
        let refused = CommandError::Refused {
            message: "no".into(),
        };
        assert_eq!(
            serde_json::to_value(&refused).ok(),
            Some(serde_json::json!({ "kind": "refused", "message": "no" }))
        );
    }
}
