//! The real app driven through WebDriver: `tauri-driver` (from crates.io, installed by
//! `scripts/setup --tests`) in front of Debian's `WebKitWebDriver`, which starts the
//! built `couper-app` with the test's environment. A few W3C WebDriver calls over plain
//! HTTP (ureq): new session, find an element by `data-testid`, clear, type, click, read,
//! screenshot.
#![allow(dead_code)]

use crate::desktop::PATIENCE;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `tauri-driver`: `$TAURI_DRIVER`, else on the `PATH`, else in cargo's bin dir.
pub fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("tauri-driver"))
        .find(|p| p.exists());
    let in_cargo = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"))
        .filter(|p| p.exists());
    on_path
        .or(in_cargo)
        .expect("tauri-driver is not installed: run scripts/setup --tests")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `tauri-driver` and one session of the app.
pub struct Session {
    _driver: Child,
    base: String,
    agent: ureq::Agent,
}

impl Session {
    /// Starts `tauri-driver` with `env` (the app inherits it) and the app `application`.
    pub async fn start(application: &str, env: Vec<(&'static str, String)>) -> Session {
        let port = free_port();
        let native = free_port();
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(env)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("tauri-driver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(PATIENCE * 3))
            .http_status_as_error(false)
            .build()
            .into();
        let server = format!("http://127.0.0.1:{port}");
        // tauri-driver and the WebKitWebDriver it starts are other processes: wait until
        // both listen. tauri-driver listens first and forwards a new session to the native
        // port; asked before WebKitWebDriver is up, it drops the connection.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        for (who, port) in [("tauri-driver", port), ("WebKitWebDriver", native)] {
            let mut pause = Duration::from_millis(20);
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "{who} does not listen on port {port}"
                );
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(200));
            }
        }
        let created = call(
            &agent,
            "POST",
            &format!("{server}/session"),
            json!({ "capabilities": { "alwaysMatch": {
                // No argument, as any WebDriver client starts it: under tauri-driver the
                // app creates its (hidden) window at start for the driver to attach to.
                "tauri:options": { "application": application }
            }}}),
        );
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        let session = Session {
            _driver: driver,
            base: format!("{server}/session/{id}"),
            agent,
        };
        // Finding an element waits for it (the window's content loads after the page).
        session.post(
            "/timeouts",
            json!({ "implicit": PATIENCE.as_millis() as u64 }),
        );
        session
    }

    fn post(&self, path: &str, body: Value) -> Value {
        call(&self.agent, "POST", &format!("{}{path}", self.base), body)
    }

    fn get(&self, path: &str) -> Value {
        call(
            &self.agent,
            "GET",
            &format!("{}{path}", self.base),
            Value::Null,
        )
    }

    /// The element with `data-testid` = `id` (waits for it to exist).
    pub fn by_test_id(&self, id: &str) -> Element<'_> {
        let found = self.post(
            "/element",
            json!({ "using": "css selector", "value": format!("[data-testid=\"{id}\"]") }),
        );
        let element = found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element data-testid={id}: {found}"))
            .to_string();
        Element {
            session: self,
            id: element,
        }
    }

    /// Runs a script in the page and returns its value.
    pub fn script(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
    }

    /// A screenshot of the window, as PNG bytes.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let encoded = self.get("/screenshot");
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("base64 PNG"))
            .expect("base64")
    }

    /// Ends the session (WebKitWebDriver stops the app).
    pub fn end(self) {
        call(&self.agent, "DELETE", &self.base, Value::Null);
    }
}

/// An element of the page.
pub struct Element<'s> {
    session: &'s Session,
    id: String,
}

impl Element<'_> {
    /// Empties an input.
    pub fn clear(&self) -> &Self {
        self.session
            .post(&format!("/element/{}/clear", self.id), json!({}));
        self
    }

    /// Types `text` into it.
    pub fn type_text(&self, text: &str) -> &Self {
        self.session.post(
            &format!("/element/{}/value", self.id),
            json!({ "text": text }),
        );
        self
    }

    /// Clicks it.
    pub fn click(&self) {
        self.session
            .post(&format!("/element/{}/click", self.id), json!({}));
    }

    /// Its text.
    pub fn text(&self) -> String {
        self.session
            .get(&format!("/element/{}/text", self.id))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The value of its `value` property (an input's text).
    pub fn value(&self) -> String {
        self.session
            .get(&format!("/element/{}/property/value", self.id))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// One WebDriver call; its `value`, or a panic with the driver's error.
fn call(agent: &ureq::Agent, method: &str, url: &str, body: Value) -> Value {
    let response = match method {
        "POST" => agent.post(url).send_json(&body),
        "DELETE" => agent.delete(url).call(),
        _ => agent.get(url).call(),
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status();
    let answer: Value = response
        .body_mut()
        .read_json()
        .unwrap_or_else(|e| panic!("{method} {url}: {status}: {e}"));
    assert!(
        status.is_success(),
        "{method} {url} {body}: {status}: {answer}"
    );
    answer["value"].clone()
}
