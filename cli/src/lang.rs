//! `contacts lang`: check, evaluate and render the runtime's condition and
//! template language from a shell (the core does the work).

use crate::input::json_arg;
use clap::{Args, Subcommand};
use contacts_core::Error;
use contacts_core::lang::{Condition, Scope, Template};
use serde_json::json;

/// `contacts lang …`.
#[derive(Subcommand, Debug)]
pub enum LangCmd {
    /// Check a condition or a template against a scope; prints `ok`.
    Check(Source),
    /// Evaluate a condition against data; prints `true` or `false`.
    Eval {
        #[command(flatten)]
        source: Source,
        /// The data: JSON, @FILE, or - for stdin.
        #[arg(long)]
        data: String,
    },
    /// Render a template with data; prints the JSON.
    Render {
        #[command(flatten)]
        source: Source,
        /// The data: JSON, @FILE, or - for stdin.
        #[arg(long)]
        data: String,
    },
}

/// What to load: a condition or a template, and the scope its paths use.
#[derive(Args, Debug)]
#[group(skip)]
pub struct Source {
    /// A condition: JSON, @FILE, or - for stdin.
    #[arg(
        long,
        required_unless_present = "template",
        conflicts_with = "template"
    )]
    condition: Option<String>,
    /// A template: JSON, @FILE, or - for stdin.
    #[arg(long)]
    template: Option<String>,
    /// The variables and what each holds, e.g.
    /// '{"contact": {"result": "contacts.get", "at": "contact"}}'.
    #[arg(long, default_value = "{}")]
    scope: String,
}

enum Loaded {
    Condition(Condition),
    Template(Template),
}

fn load(source: &Source) -> Result<Loaded, Error> {
    let scope = Scope::from_json(&json_arg("--scope", &source.scope)?)?;
    match (&source.condition, &source.template) {
        (Some(c), _) => Ok(Loaded::Condition(Condition::load(
            &json_arg("--condition", c)?,
            &scope,
        )?)),
        (_, Some(t)) => Ok(Loaded::Template(Template::load(
            &json_arg("--template", t)?,
            &scope,
        )?)),
        _ => Err(Error::invalid_argument("give --condition or --template")),
    }
}

/// Runs `contacts lang …`, printing to stdout (`json`: one JSON value).
pub fn run(cmd: LangCmd, json_out: bool) -> Result<(), Error> {
    match cmd {
        LangCmd::Check(source) => {
            load(&source)?;
            println!(
                "{}",
                if json_out {
                    json!({"ok": true}).to_string()
                } else {
                    "ok".into()
                }
            );
        }
        LangCmd::Eval { source, data } => {
            let Loaded::Condition(c) = load(&source)? else {
                return Err(Error::invalid_argument(
                    "eval takes --condition (render takes --template)",
                ));
            };
            let matched = c.eval(&json_arg("--data", &data)?);
            println!(
                "{}",
                if json_out {
                    json!({"matched": matched}).to_string()
                } else {
                    matched.to_string()
                }
            );
        }
        LangCmd::Render { source, data } => {
            let Loaded::Template(t) = load(&source)? else {
                return Err(Error::invalid_argument(
                    "render takes --template (eval takes --condition)",
                ));
            };
            println!("{}", t.render(&json_arg("--data", &data)?));
        }
    }
    Ok(())
}
