//! `synap-emulator`: runs the emulator until killed.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use synap_emulator::{Config, DEV_API_KEY, Emulator, TimeFormat};

const USAGE: &str = "\
Usage: synap-emulator [OPTIONS]

A Synap-compatible HTTP/1.1 server for local tests and demos.

Options:
  --host IP             address to bind (default 127.0.0.1)
  --port N              port to bind; 0 picks a free one (default 8787)
  --api-key KEY         accept this API key; repeatable; replaces the default
                        dev key
  --control             serve the test-only /_emulator/... control endpoint
  --time-format F       timestamp format: z, naive, offset, millis or nanos
                        (default z)
  --no-demo             do not seed the demo ingestion jobs
  --help                print this help

The first line on stdout is the base URL. Runs until killed.";

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("synap-emulator: {msg}");
            eprintln!("Try 'synap-emulator --help'.");
            return ExitCode::from(2);
        }
    };
    let default_keys = config.api_keys == [DEV_API_KEY];
    let key_count = config.api_keys.len();
    let control = config.control;
    let seed_demo = config.seed_demo;
    let time_format = config.time_format;

    let emulator = match Emulator::start(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("synap-emulator: cannot listen: {e}");
            return ExitCode::from(1);
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", emulator.base_url());
    let _ = stdout.flush();

    if seed_demo {
        for line in synap_emulator::demo_job_lines() {
            eprintln!("{line}");
        }
    }
    if default_keys {
        eprintln!("dev API key: {DEV_API_KEY}");
    } else {
        eprintln!("accepting {key_count} API key(s)");
    }
    eprintln!("timestamps: {time_format}");
    if control {
        eprintln!("control endpoint: {}/_emulator/", emulator.base_url());
    }
    loop {
        std::thread::park();
    }
}

/// `Ok(None)` means `--help`.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Config>, String> {
    let mut config = Config { port: 8787, ..Config::default() };
    let mut keys: Vec<String> = Vec::new();
    let mut args = args;
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value =
            |name: &str| inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--host" => {
                let v = value("--host")?;
                config.host = v.parse::<IpAddr>().map_err(|_| format!("--host: {v:?} is not an IP address"))?;
            }
            "--port" => {
                let v = value("--port")?;
                config.port = v.parse().map_err(|_| format!("--port: {v:?} is not a port number"))?;
            }
            "--api-key" => {
                let v = value("--api-key")?;
                if v.is_empty() {
                    return Err("--api-key must not be empty".to_owned());
                }
                keys.push(v);
            }
            "--time-format" => {
                let v = value("--time-format")?;
                config.time_format = v.parse::<TimeFormat>().map_err(|e| format!("--time-format: {e}"))?;
            }
            "--control" | "--no-demo" if inline.is_some() => return Err(format!("{flag} takes no value")),
            "--control" => config.control = true,
            "--no-demo" => config.seed_demo = false,
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if !keys.is_empty() {
        config.api_keys = keys;
    }
    Ok(Some(config))
}
