//! The `command` engine: any filter program, text on stdin and the translation on stdout
//! (apertium, argos-translate, translate-shell, a user's script). Several paragraphs go in one
//! call, a blank line between them, when the program keeps that structure (the reply's count of
//! paragraphs is checked); otherwise the translator sends them one at a time. An empty or failing output is
//! an error, never a blank translation.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Engine, EngineConfig, EngineError, EngineInfo, code};

pub struct CommandEngine {
    info: EngineInfo,
    command: Vec<String>,
    codes: std::collections::BTreeMap<String, String>,
    batch: usize,
    timeout: Duration,
}

impl CommandEngine {
    pub fn new(name: &str, cfg: &EngineConfig) -> Result<CommandEngine, String> {
        if cfg.command.is_empty() {
            return Err(format!("[engines.{name}]: a command engine needs `command = [\"program\", \"arg\", …]`"));
        }
        Ok(CommandEngine {
            info: EngineInfo {
                name: name.to_string(),
                kind: "command".into(),
                model: cfg.model.clone(),
                settings: format!("{:?} {:?}", cfg.command, cfg.codes),
            },
            command: cfg.command.clone(),
            codes: cfg.codes.clone(),
            batch: cfg.batch.unwrap_or(25),
            timeout: Duration::from_secs(300),
        })
    }

    /// Runs the command on `input`; its stdout.
    fn run(&self, input: &str, source: &str, target: &str) -> Result<String, EngineError> {
        let engine = self.info.name.clone();
        let args: Vec<String> = self
            .command
            .iter()
            .map(|a| a.replace("{source}", code(&self.codes, source)).replace("{target}", code(&self.codes, target)))
            .collect();
        let mut child = Command::new(&args[0])
            .args(&args[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| EngineError::Failed {
                engine: engine.clone(),
                message: format!("cannot run {}: {e}", args[0]),
            })?;
        let mut stdin = child.stdin.take();
        let input = input.to_string();
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(input.as_bytes());
            }
        });
        let mut stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_end(&mut out);
            }
            out
        });
        let mut stderr = child.stderr.take();
        let errors = std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.take(64 * 1024).read_to_end(&mut out);
            }
            out
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(EngineError::Failed {
                        engine,
                        message: format!("{} took more than {} s", args[0], self.timeout.as_secs()),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(EngineError::Failed { engine, message: e.to_string() }),
            }
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        let err = errors.join().unwrap_or_default();
        if !status.success() {
            let first =
                String::from_utf8_lossy(&err).lines().next().map(crate::text::sanitize_line).unwrap_or_default();
            return Err(EngineError::Failed { engine, message: format!("{} failed ({status}): {first}", args[0]) });
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

impl Engine for CommandEngine {
    fn info(&self) -> &EngineInfo {
        &self.info
    }

    fn max_batch(&self) -> usize {
        self.batch
    }

    /// One paragraph a line, a blank line between paragraphs (so a program that reads
    /// sentences across lines, as apertium does, still ends each paragraph where it ends); the
    /// reply must have as many paragraphs.
    fn translate_batch(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        let input: String = texts.iter().map(|t| t.replace(['\n', '\r'], " ") + "\n\n").collect();
        let out = self.run(&input, source, target)?;
        if out.trim().is_empty() {
            return Err(EngineError::Empty { engine: self.info.name.clone() });
        }
        let mut paragraphs = Vec::new();
        let mut current = String::new();
        for line in out.lines() {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line.trim());
            }
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        Ok(paragraphs)
    }
}
