//! `contacts`: the HighLevel Contacts API from a shell. Today: `contacts
//! catalog` and `contacts version`; the engine issue adds the calls.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("catalog") => {
            println!("{}", contacts_core::catalog::describe());
            ExitCode::SUCCESS
        }
        Some("version") | Some("--version") => {
            println!("contacts {}", contacts_core::VERSION);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: contacts <catalog|version>");
            ExitCode::from(2)
        }
    }
}
