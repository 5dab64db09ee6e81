//! `contacts map`: the mapping dry run over sample records (the core maps
//! and checks; this reads the files and prints each record or its errors).

use crate::input::json_arg;
use crate::output::Out;
use clap::Args;
use contacts_core::Error;
use contacts_core::mapping::{self, MapContext, MapReport, MappingTemplate};
use contacts_core::native::Client;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `contacts map`.
#[derive(Args, Debug)]
pub struct MapArgs {
    /// The mapping template: a .json file, JSON text, @FILE, or - for stdin.
    #[arg(long)]
    template: String,
    /// The sample records: a .jsonl file (one record per line), a .json
    /// file holding a list of records, or - for JSON Lines on stdin.
    #[arg(long)]
    input: PathBuf,
    /// Map HighLevel records (contacts as `contacts get` prints them) back
    /// to host records, with a two-way template.
    #[arg(long)]
    reverse: bool,
    /// The location's contact custom-field definitions (the JSON of
    /// `contacts custom-fields list --json`). Without it, a template that
    /// names keys fetches them: one request, and the only one.
    #[arg(long)]
    custom_fields: Option<PathBuf>,
}

/// A dry run read from its arguments: the template read and checked once
/// (so `--template -` reads stdin once), before a client is made.
pub struct MapJob {
    args: MapArgs,
    json: Value,
    template: MappingTemplate,
}

impl MapArgs {
    /// Reads the template. Errors with InvalidArgument for a bad one.
    pub fn load(self) -> Result<MapJob, Error> {
        if self.template == "-" && self.input.as_os_str() == "-" {
            return Err(Error::invalid_argument(
                "--template and --input cannot both read stdin",
            ));
        }
        let json = if Path::new(&self.template).is_file() {
            json_arg("--template", &format!("@{}", self.template))?
        } else {
            json_arg("--template", &self.template)?
        };
        let template = MappingTemplate::load(&json)?;
        Ok(MapJob {
            args: self,
            json,
            template,
        })
    }
}

impl MapJob {
    /// Whether running needs a client: keys and no definitions file.
    pub fn needs_client(&self) -> bool {
        self.args.custom_fields.is_none() && !self.template.custom_field_keys().is_empty()
    }
}

fn read_records(path: &Path) -> Result<Vec<Value>, Error> {
    let name = path.display().to_string();
    let text = if name == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| Error::invalid_argument(format!("--input: {name}: {e}")))?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return match serde_json::from_str(&text) {
            Ok(Value::Array(list)) => Ok(list),
            Ok(_) => Err(Error::invalid_argument(format!(
                "--input: {name} must hold a JSON list of records"
            ))),
            Err(e) => Err(Error::invalid_argument(format!(
                "--input: {name} is not JSON: {e}"
            ))),
        };
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| {
                Error::invalid_argument(format!("--input: {name}:{}: not JSON: {e}", i + 1))
            })
        })
        .collect()
}

/// Runs the dry run; `client` when [`MapJob::needs_client`]. Exits
/// non-zero (InvalidArgument) when any record is invalid, after printing
/// every record's outcome.
pub async fn run(job: MapJob, client: Option<Client>, out: &Out) -> Result<(), Error> {
    let MapJob {
        args,
        json,
        template,
    } = job;
    let records = read_records(&args.input)?;
    let report: MapReport = match (&args.custom_fields, client) {
        (Some(path), _) => {
            let defs = json_arg("--custom-fields", &format!("@{}", path.display()))?;
            let defs = mapping::CustomFields::from_json(&defs)?;
            let mapper = mapping::Mapper::new(template, Some(&defs))?;
            mapper.map_all(&records, args.reverse, &MapContext::native())?
        }
        (None, Some(c)) => c.map_records(&json, &records, args.reverse).await?,
        (None, None) => mapping::Mapper::new(template, None)?.map_all(
            &records,
            args.reverse,
            &MapContext::native(),
        )?,
    };
    out.map_report(&report.to_json());
    match report.invalid() {
        0 => Ok(()),
        n => Err(Error::invalid_argument(format!(
            "{n} of {} records are invalid",
            report.records.len()
        ))),
    }
}
