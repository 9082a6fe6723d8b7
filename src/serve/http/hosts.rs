//! Which `Host` (and `Origin`) a request may name. A page on any other site can make the
//! writer's browser send requests to the preview (DNS rebinding: `evil.example` resolves to
//! 127.0.0.1 for a moment) and read the answers, because to the browser they are the
//! attacker's own origin. Such requests carry the attacker's name in `Host`, so the server
//! answers only names it knows stand for this machine, as Vite, webpack-dev-server and
//! Jupyter do.

use std::net::IpAddr;

/// The names and addresses a request's `Host` may give.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bind: IpAddr,
    names: Vec<String>,
}

impl AllowedHosts {
    /// Requests for `bind`, loopback addresses, `localhost` (and `*.localhost`) and `names`
    /// are answered. A name starting with `.` also allows its subdomains (`.example.test`
    /// allows `docs.example.test`). When `bind` is unspecified (`0.0.0.0`, `::`), every
    /// address of the machine is the bound address, so any IP address is allowed; names
    /// still have to be listed.
    pub fn new(bind: IpAddr, names: &[String]) -> AllowedHosts {
        AllowedHosts {
            bind,
            names: names.iter().map(|n| normalize(n)).collect(),
        }
    }

    /// Is a request with this `Host` header value (`name[:port]`, `[v6][:port]`) allowed?
    pub fn allows_host(&self, host: &str) -> bool {
        match split_host(host) {
            Some(name) => self.allows_name(&name),
            None => false,
        }
    }

    /// Is an `Origin` header value (`http://name[:port]`) allowed? `null` and other
    /// schemes are not.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let Some(rest) = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
        else {
            return false;
        };
        !rest.contains('/') && self.allows_host(rest)
    }

    fn allows_name(&self, name: &str) -> bool {
        if let Ok(ip) = name.trim_matches(['[', ']']).parse::<IpAddr>() {
            return ip.is_loopback() || ip == self.bind || self.bind.is_unspecified();
        }
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        self.names
            .iter()
            .any(|allowed| match allowed.strip_prefix('.') {
                Some(domain) => name == domain || name.ends_with(allowed.as_str()),
                None => name == allowed,
            })
    }
}

/// Lower case, without a trailing dot (`Example.TEST.` is `example.test`).
fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The host part of `name[:port]` or `[v6][:port]`, normalized; `None` when malformed.
fn split_host(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        format!("[{inside}]")
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name.to_string(),
            Some(_) => return None,
            None => host.to_string(),
        }
    };
    let valid = |c: char| c.is_ascii_alphanumeric() || "-._[]:".contains(c);
    (!name.is_empty() && name.chars().all(valid)).then(|| normalize(&name))
}

fn is_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> AllowedHosts {
        AllowedHosts::new("127.0.0.1".parse().unwrap(), &["Docs.Example.test".into()])
    }

    #[test]
    fn loopback_names_and_listed_names_are_allowed() {
        let hosts = loopback();
        for host in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "127.0.0.2:80",
            "localhost:1111",
            "LOCALHOST",
            "preview.localhost:1111",
            "[::1]:1111",
            "[::1]",
            "docs.example.test:1111",
            "docs.example.test.",
        ] {
            assert!(hosts.allows_host(host), "{host}");
        }
    }

    #[test]
    fn other_names_and_malformed_hosts_are_refused() {
        let hosts = loopback();
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "docs.example.test.evil.example",
            "example.test",
            "10.0.0.5:1111",
            "[fe80::1]:1111",
            "",
            "localhost:port",
            "[::1]x",
            "a b",
            "evil.example/x",
        ] {
            assert!(!hosts.allows_host(host), "{host}");
        }
    }

    #[test]
    fn the_bound_address_is_allowed_and_leading_dots_allow_subdomains() {
        let lan = AllowedHosts::new("192.168.1.20".parse().unwrap(), &[".example.test".into()]);
        assert!(lan.allows_host("192.168.1.20:1111"));
        assert!(!lan.allows_host("192.168.1.21:1111"));
        assert!(lan.allows_host("example.test"));
        assert!(lan.allows_host("docs.example.test"));
        assert!(!lan.allows_host("badexample.test"));
        let any = AllowedHosts::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(any.allows_host("192.168.1.21:1111"));
        assert!(!any.allows_host("my-laptop.lan:1111"));
    }

    #[test]
    fn origins() {
        let hosts = loopback();
        assert!(hosts.allows_origin("http://127.0.0.1:1111"));
        assert!(hosts.allows_origin("http://localhost:1111"));
        assert!(!hosts.allows_origin("http://evil.example"));
        assert!(!hosts.allows_origin("null"));
        assert!(!hosts.allows_origin("file://"));
        assert!(!hosts.allows_origin("http://localhost:1111/path"));
    }
}
