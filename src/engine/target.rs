//! Where queries run: `--engine local` (the DataFusion session in this process, the default) or
//! `--engine ballista://HOST:PORT` (an Apache DataFusion Ballista scheduler and its executors).
//! Parsed in every build, so a Ballista URL given to a build without the `ballista` feature gets
//! a clear usage error instead of a parse error.
use std::fmt;

use crate::{Error, Result};

/// Ballista's own default scheduler port, used when the URL names none.
pub const DEFAULT_SCHEDULER_PORT: u16 = 50050;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Target {
    #[default]
    Local,
    Ballista {
        host: String,
        port: u16,
    },
}

impl Target {
    /// `local`, or `ballista://HOST[:PORT]` (HOST a name, an IPv4 address or `[IPv6]`).
    pub fn parse(s: &str) -> Result<Target> {
        let bad = |why: &str| Error::Usage(format!("--engine '{s}': {why} (expected local or ballista://HOST:PORT)"));
        let s = s.trim();
        if s.eq_ignore_ascii_case("local") {
            return Ok(Target::Local);
        }
        let Some(rest) = s.strip_prefix("ballista://") else {
            return Err(bad("unknown engine"));
        };
        // A trailing slash is harmless; any other path, query or user part is a mistake.
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#', '@']) {
            return Err(bad("only a host and a port may follow ballista://"));
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| bad("unclosed '['"))?;
            (format!("[{h}]"), after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (rest.to_string(), None),
            }
        };
        let host_ok = host.starts_with('[') && host.len() > 2
            || !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !host_ok {
            return Err(bad("no valid host"));
        }
        let port = match port {
            None => DEFAULT_SCHEDULER_PORT,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(bad(&format!("port '{p}' is not a number from 1 to 65535"))),
            },
        };
        Ok(Target::Ballista { host, port })
    }

    /// The error for a Ballista target in a build without the `ballista` feature, None otherwise.
    pub fn unavailable(&self) -> Option<Error> {
        match self {
            Target::Ballista { .. } if !cfg!(feature = "ballista") => Some(Error::Usage(format!(
                "--engine {self}: this fuyuan was built without Ballista support; rebuild it with `cargo build --release --features ballista`"
            ))),
            _ => None,
        }
    }

    /// Parses and checks in one step, as the commands do with `--engine`.
    pub fn from_arg(s: &str) -> Result<Target> {
        let t = Target::parse(s)?;
        match t.unavailable() {
            Some(e) => Err(e),
            None => Ok(t),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Target::Local)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Local => f.write_str("local"),
            Target::Ballista { host, port } => write!(f, "ballista://{host}:{port}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_local_and_ballista_urls() {
        assert_eq!(Target::parse("local").unwrap(), Target::Local);
        assert_eq!(Target::parse("LOCAL").unwrap(), Target::Local);
        assert_eq!(Target::parse("ballista://127.0.0.1:50070").unwrap(), Target::Ballista { host: "127.0.0.1".into(), port: 50070 });
        assert_eq!(Target::parse("ballista://sched.example-1/").unwrap(), Target::Ballista { host: "sched.example-1".into(), port: 50050 });
        assert_eq!(Target::parse("ballista://[::1]:7").unwrap(), Target::Ballista { host: "[::1]".into(), port: 7 });
        assert_eq!(Target::parse("ballista://[::1]:7").unwrap().to_string(), "ballista://[::1]:7");
    }

    #[test]
    fn bad_urls_are_usage_errors() {
        for s in [
            "",
            "remote",
            "df://host:50050",
            "ballista://",
            "ballista://:50050",
            "ballista://host:",
            "ballista://host:0",
            "ballista://host:65536",
            "ballista://host:port",
            "ballista://host:50050/path",
            "ballista://user@host:50050",
            "ballista://ho st:50050",
            "ballista://[::1",
        ] {
            let e = Target::parse(s).unwrap_err();
            assert!(matches!(e, Error::Usage(_)), "{s}: {e}");
            assert!(e.to_string().contains("expected local or ballista://HOST:PORT"), "{s}: {e}");
        }
    }

    #[test]
    fn ballista_needs_the_feature() {
        let t = Target::parse("ballista://127.0.0.1:50050").unwrap();
        #[cfg(feature = "ballista")]
        assert!(t.unavailable().is_none());
        #[cfg(not(feature = "ballista"))]
        {
            let e = t.unavailable().expect("a build without the feature refuses Ballista");
            assert!(matches!(e, Error::Usage(_)) && e.to_string().contains("--features ballista"), "{e}");
        }
        assert!(Target::Local.unavailable().is_none());
    }
}
