//! The settings window's TypeScript types, generated from the Rust types it receives and
//! sends (`ts-rs`, feature `ts`): one file per type in `ui/src/lib/generated/`, committed,
//! and imported by `ui/src/lib/ipc.ts`. The tests render them again and fail when the
//! committed files differ; `scripts/ts-types` writes them anew.
//!
//! Only the roots are listed ([`Bindings::couper`]): every type they name is rendered with
//! them, so a new field's type cannot be forgotten.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use ts_rs::{Config, TypeVisitor, TS};

/// Where the generated files go, from the workspace's root.
pub const DIR: &str = "ui/src/lib/generated";

/// The environment variable that makes the drift tests write the files instead.
pub const WRITE: &str = "COUPER_WRITE_TS";

/// The command that writes them anew.
pub const REGENERATE: &str = "scripts/ts-types";

/// `TS` for a type that serializes as a plain `$ts` (`"string"`, `"number"`) through a
/// hand-written `Serialize`.
macro_rules! plain {
    ($ty:ty, $ts:literal) => {
        impl ts_rs::TS for $ty {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &ts_rs::Config) -> String {
                $ts.into()
            }
            fn inline(_: &ts_rs::Config) -> String {
                $ts.into()
            }
        }
    };
}
pub(crate) use plain;

/// The rendered files: name (`LiveStatus.ts`) → text.
pub struct Bindings {
    cfg: Config,
    seen: HashSet<TypeId>,
    files: BTreeMap<PathBuf, String>,
    errors: Vec<String>,
}

impl Default for Bindings {
    fn default() -> Self {
        Bindings {
            // serde_json writes u64 counts as numbers, and JavaScript reads them so.
            cfg: Config::new().with_large_int("number"),
            seen: HashSet::new(),
            files: BTreeMap::new(),
            errors: Vec::new(),
        }
    }
}

impl TypeVisitor for Bindings {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        let Some(path) = T::output_path() else {
            return;
        };
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        match T::export_to_string(&self.cfg) {
            Ok(text) => {
                if self.files.insert(path.clone(), text).is_some() {
                    // Two Rust types of one name: one would overwrite the other.
                    self.errors.push(format!(
                        "{}: two Rust types are named {}; rename one with #[ts(rename)]",
                        path.display(),
                        T::ident(&self.cfg)
                    ));
                }
            }
            Err(e) => self.errors.push(format!("{}: {e}", path.display())),
        }
        T::visit_dependencies(self);
    }
}

impl Bindings {
    /// Renders `T` and every type it names.
    pub fn add<T: TS + 'static + ?Sized>(&mut self) -> &mut Self {
        self.visit::<T>();
        self
    }

    /// The `couper` types the window receives or sends (docs/ipc.md), with all they name.
    pub fn couper(&mut self) -> &mut Self {
        self.add::<crate::live::LiveStatus>()
            .add::<crate::store::Held>()
            .add::<crate::store::SeenApp>()
            .add::<crate::control::SettingsView>()
            .add::<crate::settings::form::FieldError>()
            .add::<crate::service::Preview>()
            .add::<crate::browser::ProfileInfo>()
            .add::<crate::i18n::Lang>()
            .add::<crate::report::Report>()
            .add::<crate::report::Statement>()
    }

    /// The files rendered, by name.
    pub fn files(&self) -> &BTreeMap<PathBuf, String> {
        &self.files
    }

    /// Compares the rendered files with those in `dir` ([`DIR`]; with `whole`, a file
    /// there that no type renders is stale too), or writes them when [`WRITE`] is set.
    /// The first difference, in one line.
    pub fn check(&self, dir: &Path, whole: bool) -> Result<(), String> {
        if let Some(e) = self.errors.first() {
            return Err(e.clone());
        }
        let write = std::env::var_os(WRITE).is_some_and(|v| v != "0" && !v.is_empty());
        if write {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        for (name, text) in &self.files {
            let path = dir.join(name);
            if write {
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(committed) if committed == *text => {}
                Ok(_) => return Err(drift(name, "differs from the Rust types")),
                Err(_) => return Err(drift(name, "is missing")),
            }
        }
        if whole {
            let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let name = PathBuf::from(entry.file_name());
                if name.extension().is_some_and(|ext| ext == "ts")
                    && !self.files.contains_key(&name)
                {
                    if write {
                        std::fs::remove_file(entry.path())
                            .map_err(|e| format!("{}: {e}", entry.path().display()))?;
                    } else {
                        return Err(drift(&name, "is no Rust type's any more"));
                    }
                }
            }
        }
        Ok(())
    }
}

fn drift(name: &Path, what: &str) -> String {
    format!(
        "{DIR}/{} {what}: run `{REGENERATE}` and commit the result",
        name.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed files are those of the Rust types (couper-app's own, `CommandError`,
    /// are checked by its tests, which check the whole directory).
    #[test]
    fn ts_bindings_match_the_rust_types() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
        let mut bindings = Bindings::default();
        bindings.couper();
        if let Err(e) = bindings.check(&dir, false) {
            panic!("{e}");
        }
    }
}
