//! What the CLI reads from its arguments.

use contacts_core::Error;
use serde_json::Value;

/// JSON from an argument: the text itself, `@path`, or `-` for stdin.
pub fn json_arg(flag: &str, arg: &str) -> Result<Value, Error> {
    let text = if arg == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| Error::invalid_argument(format!("{flag}: stdin: {e}")))?
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| Error::invalid_argument(format!("{flag}: {path}: {e}")))?
    } else {
        arg.to_owned()
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::invalid_argument(format!("{flag} is not JSON: {e}")))
}
