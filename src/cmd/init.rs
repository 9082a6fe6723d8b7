//! `docshift init [DIR]`: scaffold a new site and say what to do next.

use super::Outcome;
use crate::cli::InitArgs;
use crate::error::Result;
use crate::scaffold::write_scaffold;
use std::io::Write;

pub(super) fn run(args: &InitArgs, out: &mut dyn Write) -> Result<Outcome> {
    let written = write_scaffold(&args.dir)?;
    let mut text = format!("created a docshift site in {}:\n", args.dir.display());
    for file in written {
        text.push_str(&format!("  {file}\n"));
    }
    let cd = if args.dir == std::path::Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", args.dir.display())
    };
    text.push_str(&format!(
        "next: {cd}docshift serve   (then open http://127.0.0.1:1111/)\n"
    ));
    super::ignore_broken_pipe(out.write_all(text.as_bytes()))?;
    Ok(Outcome::Success)
}
