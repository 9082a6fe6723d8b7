//! `docshift serve`: wiring only. Ctrl+C becomes a shutdown message for the serve loop, so
//! the server stops cleanly and the command returns (exit code 0).

use super::{settings_for, Outcome};
use crate::cli::ServeArgs;
use crate::error::Result;
use crate::serve::watch::Message;
use crate::serve::{run as serve, ServeOptions};
use std::io::Write;

pub(super) fn run(args: &ServeArgs, out: &mut dyn Write) -> Result<Outcome> {
    let settings = settings_for(&args.site, None)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let on_signal = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = on_signal.send(Message::Shutdown);
    }) {
        eprintln!("warning: cannot handle Ctrl+C ({e}); stop the server with a signal");
    }
    let options = ServeOptions {
        bind: args.bind,
        port: args.port,
        allowed_hosts: args.allow_host.clone(),
        open: args.open,
        watcher: args.watcher.into(),
    };
    serve(settings, &options, (tx, rx), out)?;
    Ok(Outcome::Success)
}
