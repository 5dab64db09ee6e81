//! The two values that cross the sans-IO boundary: a request to send and the
//! response that came back. Neither knows about sockets, clocks or runtimes.

use std::fmt;

/// An HTTP method used by the HighLevel API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it appears on the wire (`"GET"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a wire method, case-insensitively. `None` for anything else.
    pub fn parse(s: &str) -> Option<Method> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fully built request: send it with any HTTP client, exactly as it is.
///
/// `Debug` never prints the `Authorization` header's value, and prints bodies
/// of OAuth token requests (which carry client secrets) only as a length.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL, with path segments and query values percent-encoded.
    pub url: String,
    /// Header names and values, in the order they should be sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes; empty when the request has no body.
    pub body: Vec<u8>,
    /// True when the body carries secrets (client secret, refresh token).
    pub sensitive_body: bool,
}

impl HttpRequest {
    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Sets `name` to `value`, replacing any header of that name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.into()));
    }

    /// Replaces the `Authorization` header with `Bearer <token>`.
    pub fn set_bearer(&mut self, token: &crate::secret::Secret) {
        self.set_header("Authorization", format!("Bearer {}", token.expose()));
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case("authorization") {
                    (n.as_str(), "[redacted]")
                } else {
                    (n.as_str(), v.as_str())
                }
            })
            .collect();
        let mut d = f.debug_struct("HttpRequest");
        d.field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers);
        if self.sensitive_body {
            d.field(
                "body",
                &format_args!("[redacted {} bytes]", self.body.len()),
            );
        } else {
            d.field("body", &String::from_utf8_lossy(&self.body));
        }
        d.finish()
    }
}

/// What the server answered. The core copies nothing it does not need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values as received.
    pub headers: Vec<(String, String)>,
    /// The raw body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with the given status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_authorization_and_sensitive_bodies() {
        let mut req = HttpRequest {
            method: Method::Post,
            url: "https://x/oauth/token".into(),
            headers: vec![("authorization".into(), "Bearer pit-secret".into())],
            body: b"client_secret=hunter2".to_vec(),
            sensitive_body: true,
        };
        let printed = format!("{req:?}");
        assert!(
            !printed.contains("pit-secret") && !printed.contains("hunter2"),
            "{printed}"
        );
        req.set_bearer(&crate::Secret::from("other"));
        assert_eq!(req.header("Authorization"), Some("Bearer other"));
        assert_eq!(req.headers.len(), 1);
    }
}
