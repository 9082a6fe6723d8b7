//! The steps of a round after discovery: load the data files, parse the stale pages,
//! assemble the site, run the migration stage, check. Each step takes what the one before
//! produced, so a step cannot run on a round in the wrong phase.

use super::*;

/// The data files of a round.
#[derive(Default)]
pub(super) struct DataFiles {
    pub(super) files: Vec<DataFile>,
    pub(super) generated: Generated,
    pub(super) page_paths: Vec<String>,
    /// The tables of contents, parsed.
    pub(super) tocs: Vec<crate::model::toc::TocFile>,
    /// Findings of reading and parsing the tables of contents.
    pub(super) toc_findings: Vec<Diagnostic>,
}

impl DataFiles {
    /// Validates the data files of `inventory` (already in `sources`) and generates their
    /// Markdown.
    pub(super) fn load(inventory: &Inventory, sources: &Sources, base_path: &str) -> DataFiles {
        let files: Vec<DataFile> = inventory
            .data
            .iter()
            .map(|path| match sources.loaded(path) {
                Some(Ok(src)) => parse_data_file(&src),
                Some(Err(d)) => DataFile {
                    path: path.clone(),
                    diagnostics: vec![d],
                    redirections: redirection_stub(path),
                    ..DataFile::default()
                },
                None => DataFile {
                    path: path.clone(),
                    redirections: redirection_stub(path),
                    ..DataFile::default()
                },
            })
            .collect();
        let generated = Generated::new(&files);
        let mut page_paths: Vec<String> = inventory
            .pages
            .iter()
            .cloned()
            .chain(generated.page_paths())
            .collect();
        page_paths.sort();
        let mut tocs = Vec::new();
        let mut toc_findings = Vec::new();
        for path in &inventory.tocs {
            match sources.loaded(path) {
                Some(Ok(src)) => {
                    let (toc, found) = crate::parse::toc::parse_toc(&src, base_path);
                    tocs.push(toc);
                    toc_findings.extend(found);
                }
                Some(Err(d)) => toc_findings.push(d),
                None => {}
            }
        }
        DataFiles {
            files,
            generated,
            page_paths,
            tocs,
            toc_findings,
        }
    }
}

/// The (empty) page moves of a redirection file that cannot be read: its own finding says
/// why, and it never counts as a page that failed.
fn redirection_stub(path: &str) -> Option<crate::migration::RedirectionFile> {
    crate::urls::is_redirection_path(path).then(|| crate::migration::RedirectionFile {
        path: path.to_string(),
        entries: Vec::new(),
    })
}

/// What parsing one page gives: its inputs, and the page or why it cannot be built.
pub(super) type Parsed = (
    crate::pipeline::sources::ParseInputs,
    std::result::Result<(Page, Vec<Diagnostic>), Diagnostic>,
);

/// Parses (with `parse`) every page of `page_paths` whose parse is missing or out of date;
/// parsed pages go to `pages`.
pub(super) fn parse_stale(
    progress: &dyn crate::pipeline::Progress,
    page_paths: &[String],
    sources: &Sources,
    parsed: &mut HashMap<String, ParsedPage>,
    pages: &mut HashMap<String, Page>,
    parse: impl Fn(&str) -> Parsed + Sync,
) {
    let stale: Vec<&String> = page_paths
        .iter()
        .filter(|path| match parsed.get(*path) {
            Some(p) => {
                !p.inputs.still_valid(path, sources)
                    || (p.outcome.is_ok() && !pages.contains_key(*path))
            }
            None => true,
        })
        .collect();
    progress.start(crate::pipeline::Step::Parse, stale.len());
    let fresh: Vec<_> = stale
        .par_iter()
        .map(|path| {
            let parsed = parse(path);
            progress.advance();
            (path.to_string(), parsed)
        })
        .collect();
    for (path, (inputs, result)) in fresh {
        let outcome = match result {
            Ok((page, diags)) => {
                pages.insert(path.clone(), page);
                Ok(diags)
            }
            Err(d) => Err(Box::new(d)),
        };
        parsed.insert(path, ParsedPage { inputs, outcome });
    }
}

/// What a round read from disk: the inventory, the sources and the data files.
pub(super) struct Read {
    pub(super) inventory: Inventory,
    pub(super) sources: Sources,
    pub(super) data: DataFiles,
}

/// A round after the assemble step: the site of the parsed pages, before the migration
/// stage and the check.
pub(super) struct Assembled {
    pub(super) read: Read,
    pub(super) parsed: HashMap<String, ParsedPage>,
    pub(super) page_outcomes: PageOutcomes,
    pub(super) dependents: HashMap<String, BTreeSet<String>>,
    pub(super) site: Site,
}

/// A round after the migration stage: `site.migration` is built.
pub(super) struct Migrated {
    pub(super) assembled: Assembled,
    pub(super) migration_findings: Vec<Diagnostic>,
}

/// Assembles the site from parsed pages and builds the parse indices.
pub(super) fn assemble(
    config: &crate::settings::Config,
    read: Read,
    parsed: HashMap<String, ParsedPage>,
    pages: HashMap<String, Page>,
) -> Assembled {
    let (pages, page_outcomes) = collect(&read.data.page_paths, &parsed, pages);
    let assets = read
        .inventory
        .assets
        .iter()
        .map(|p| Asset {
            path: p.clone(),
            url: crate::urls::asset_url(p, &config.base_path),
        })
        .collect();
    let mut site = Site::new(
        config.clone(),
        pages,
        assets,
        read.inventory.fragments.clone(),
    );
    site.add_unbuilt(
        (page_outcomes.iter())
            .filter(|(_, r)| r.is_err())
            .map(|(path, _)| path.clone())
            .chain(read.inventory.unrendered.iter().cloned()),
    );
    site.set_tocs(read.data.tocs.clone());
    let mut dependents: HashMap<String, BTreeSet<String>> = HashMap::default();
    for (page, p) in &parsed {
        for dep in p.inputs.deps() {
            dependents
                .entry(dep.clone())
                .or_default()
                .insert(page.clone());
        }
    }
    Assembled {
        read,
        parsed,
        page_outcomes,
        dependents,
        site,
    }
}

impl Assembled {
    /// Builds the migration model from the site and the data files.
    pub(super) fn migrate(mut self) -> Migrated {
        let (migration, found) = crate::migration::extract(&self.site, &self.read.data.files);
        self.site.migration = migration;
        Migrated {
            assembled: self,
            migration_findings: found,
        }
    }
}

impl Migrated {
    /// Checks every page and the mapping targets no page links to, once, and builds the
    /// reverse link index.
    pub(super) fn check(self) -> State {
        let Migrated {
            assembled,
            migration_findings,
        } = self;
        let Assembled {
            read,
            parsed,
            page_outcomes,
            dependents,
            site,
        } = assembled;
        let checks: Vec<PageCheck> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| check_page(&site, i))
            .collect();
        // The site-wide checks and the reverse link index are independent: one runs
        // beside the other.
        let ((target_findings, toc_findings), linkers) = rayon::join(
            || {
                rayon::join(
                    || check_mapping_targets(&site),
                    || crate::check::check_tocs(&site),
                )
            },
            || Linkers::new(&checks),
        );
        let Read {
            inventory,
            sources,
            data,
        } = read;
        State {
            inventory,
            sources,
            data,
            migration_findings,
            target_findings,
            toc_findings,
            parsed,
            page_outcomes,
            dependents,
            site,
            checks,
            linkers,
        }
    }
}

/// The pages of `page_paths` (taken from `pages`), and the parse findings and failures by
/// page.
pub(super) fn collect(
    page_paths: &[String],
    parsed: &HashMap<String, ParsedPage>,
    mut pages: HashMap<String, Page>,
) -> (Vec<Page>, PageOutcomes) {
    let mut findings = BTreeMap::new();
    let mut out = Vec::with_capacity(page_paths.len());
    for path in page_paths {
        match parsed.get(path).map(|p| &p.outcome) {
            Some(Ok(diags)) => {
                if !diags.is_empty() {
                    findings.insert(path.clone(), Ok(diags.clone()));
                }
                if let Some(page) = pages.remove(path) {
                    out.push(page);
                }
            }
            Some(Err(d)) => {
                findings.insert(path.clone(), Err((**d).clone()));
            }
            None => {
                let d = Diagnostic::new(
                    Code::UnreadableFile,
                    path,
                    1,
                    1,
                    format!("cannot read {path}"),
                );
                findings.insert(path.clone(), Err(d));
            }
        }
    }
    (out, findings)
}
