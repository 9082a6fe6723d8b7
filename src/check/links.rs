//! Link rules: `broken-link`, `missing-asset`, `link-outside-root`, `broken-anchor`,
//! `link-to-redirected-page`.

use super::closest;
use crate::diag::{Code, Diagnostic};
use crate::model::{Link, LinkCounts, LinkKind, Resolution, Site};

/// Fragments that are valid on any page: empty and `top`.
fn is_always_valid_fragment(f: &str) -> bool {
    f.is_empty() || f == "top"
}

/// A link target shortened for a message (a `data:` URL can be megabytes long).
fn clipped(dest: &str) -> String {
    match dest.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &dest[..at]),
        None => dest.to_string(),
    }
}

fn is_asset_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !path.ends_with('/') && !name.ends_with(".md") && name.contains('.')
}

/// Checks every link of page `index`; returns the link counts and adds the pages its links
/// resolve to to `targets`.
pub(super) fn check_links(
    site: &Site,
    index: usize,
    out: &mut Vec<Diagnostic>,
    targets: &mut Vec<usize>,
) -> LinkCounts {
    let mut counts = LinkCounts::default();
    let page = &site.pages[index];
    let links = match page.links.read() {
        Ok(links) => links,
        Err(e) => {
            let message = crate::model::stow::read_error(&page.path, "links", &e);
            out.push(Diagnostic::new(
                Code::UnreadableFile,
                &page.path,
                1,
                1,
                message,
            ));
            return counts;
        }
    };
    for link in links.iter() {
        counts += check_link(site, Some(index), &link, out, targets);
    }
    counts
}

/// Checks one link written in page `from` (`None`: not written in a page, such as the
/// target of a YAML mapping entry); returns what it counts as and adds the page it resolves
/// to to `targets`.
pub(super) fn check_link(
    site: &Site,
    from: Option<usize>,
    link: &Link,
    out: &mut Vec<Diagnostic>,
    targets: &mut Vec<usize>,
) -> LinkCounts {
    let mut counts = LinkCounts::default();
    {
        match site.resolve(link) {
            Resolution::External => {
                counts.external += 1;
                // An image source never runs script (browsers load it as an image).
                let shown_as_link = from.is_some() || link.kind == LinkKind::TocHref;
                if shown_as_link && !link.kind.is_image() {
                    if let Some(what) = crate::urls::script_scheme(&link.dest) {
                        out.push(
                            diag(
                                link,
                                Code::DangerousLink,
                                format!(
                                    "`{}` is {what}: it runs script when followed",
                                    clipped(&link.dest)
                                ),
                            )
                            .with_suggestion("link to a page or an https: URL instead"),
                        );
                    }
                }
            }
            Resolution::Mapped { .. } => counts.external += 1,
            Resolution::OffSite => {
                counts.cross_docset += 1;
                check_in_imported_manifest(site, link, out);
            }
            Resolution::Ignored => {}
            Resolution::Asset { .. } | Resolution::Fragment { .. } | Resolution::Unbuilt { .. } => {
                counts.internal += 1
            }
            Resolution::SamePage { fragment } => {
                counts.internal += 1;
                if let Some(index) = from {
                    check_tabs_query(site, link, index, out);
                    check_fragment(site, link, index, &fragment, out);
                }
            }
            Resolution::Page {
                page: target,
                fragment,
            } => {
                counts.internal += 1;
                targets.push(target);
                check_tabs_query(site, link, target, out);
                if let Some(f) = fragment {
                    check_fragment(site, link, target, &f, out);
                }
            }
            Resolution::OutsideRoot { path } => {
                counts.internal += 1;
                let climbed = crate::model::site::climbed(&path);
                out.push(
                    diag(
                        link,
                        Code::LinkOutsideRoot,
                        format!(
                            "`{}` resolves to `{path}`, outside the content folder",
                            link.dest
                        ),
                    )
                    .with_suggestion(external_help(&climbed)),
                );
            }
            Resolution::Missing { path, .. } if site.migration.moved(&path).is_some() => {
                counts.internal += 1;
                if let Some(moved) = site.migration.moved(&path) {
                    out.push(redirected(link, moved));
                }
            }
            Resolution::Missing {
                path,
                case_mismatch,
            } => {
                counts.internal += 1;
                let (code, what) = if link.kind.is_image() || is_asset_path(&path) {
                    (
                        Code::MissingAsset,
                        if link.kind.is_image() {
                            "image"
                        } else {
                            "file"
                        },
                    )
                } else {
                    (Code::BrokenLink, "page")
                };
                let shown = if path.is_empty() { "/" } else { path.as_str() };
                let mut d = diag(
                    link,
                    code,
                    format!("{what} `{}` not found (looked for `{shown}`)", link.dest),
                );
                if let Some(actual) = case_mismatch {
                    d.message.push_str(&format!(
                        "; `{actual}` exists but differs in letter case (paths are case-sensitive)"
                    ));
                    d.suggestion = Some(format!(
                        "change the link to `{}`",
                        case_fixed_link(&link.dest, &path, &actual)
                    ));
                } else {
                    d.suggestion = missing_help(site, &link.dest, &path, code);
                }
                out.push(d);
            }
        }
    }
    counts
}

/// The help for a missing page or file whose path matches nothing even ignoring case: the
/// closest existing file of the same kind in the same folder by edit distance (a typo),
/// else, for a page, how to map it to another docset with `links.external`.
fn missing_help(site: &Site, dest: &str, path: &str, code: Code) -> Option<String> {
    let (folder, name) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    let sibling = if code == Code::MissingAsset {
        closest_sibling(&site.assets, |a| a.path.as_str(), folder, name)
    } else {
        closest_sibling(&site.pages, |p| p.path.as_str(), folder, name)
    };
    if let Some(found) = sibling {
        let existing = &found[folder.len()..];
        let existing = if name.contains('.') {
            existing
        } else {
            existing.strip_suffix(".md").unwrap_or(existing)
        };
        // The link as written with its file name corrected, when the name is written as is.
        let end = dest.find(['?', '#']).unwrap_or(dest.len());
        return Some(match dest[..end].rfind(name).filter(|_| !name.is_empty()) {
            Some(at) if at + name.len() == end => {
                format!("did you mean `{}{existing}{}`?", &dest[..at], &dest[end..])
            }
            _ => format!("did you mean `{found}`?"),
        });
    }
    // A page (`x.md`, or `x` for `x.md`); a folder without an index page is not one.
    let page = name.ends_with(".md") || (!name.is_empty() && !name.contains('.'));
    (code == Code::BrokenLink && page).then(|| external_help(path))
}

/// Files of one folder compared with a missing name: the first 1,000 in path order.
const MAX_SIBLINGS: usize = 1000;

/// The path of the entry of `items` (sorted by `path_of`, content-relative) in `folder`
/// whose file name is closest to `name`. Only that folder is compared (a binary search finds
/// it), so a site with many broken links stays fast.
fn closest_sibling<'a, T>(
    items: &'a [T],
    path_of: fn(&T) -> &str,
    folder: &str,
    name: &str,
) -> Option<&'a str> {
    let start = items.partition_point(|item| path_of(item) < folder);
    let in_folder = items[start..]
        .iter()
        .map(path_of)
        .take_while(|p| p.starts_with(folder))
        .filter(|p| !p[folder.len()..].contains('/'))
        // Bounds the work per finding in a huge flat folder: each name costs an edit
        // distance, and a site can have thousands of broken links.
        .take(MAX_SIBLINGS);
    // An extension-less link (`setup`) names `setup.md`: compare it with the stems.
    let key = |p: &'a str| {
        let file = &p[folder.len()..];
        if name.contains('.') {
            file
        } else {
            file.strip_suffix(".md").unwrap_or(file)
        }
    };
    let best = closest(name, in_folder.clone().map(key))?;
    // Stricter than for anchors: file names in one folder often share a long prefix
    // (`api-overview.md`, `api-prerequisites.md`), and a wrong "did you mean" misleads.
    let limit = (name.chars().count() / 8).max(2);
    if crate::suggest::edit_distance(name, best) > limit {
        return None;
    }
    in_folder.into_iter().find(|p| key(p) == best)
}

/// How to map a missing page (`partner-center/a.md`) or one above the content folder
/// (`../../extensions/a.md`) to another docset's published address with `links.external`.
fn external_help(path: &str) -> String {
    let rest = path.trim_start_matches("../");
    let climbs = (path.len() - rest.len()) / 3;
    let pattern = match rest.split_once('/') {
        Some((first, _)) => format!("{}{first}/**", "../".repeat(climbs)),
        None if climbs > 0 => format!("{}*.md", "../".repeat(climbs)),
        None => "*.md".to_string(),
    };
    format!(
        "if it is published in another docset, map it in site.yaml: `links: {{ external: [ {{ path: \"{pattern}\", url: \"https://HOST/BASE/\" }} ] }}`"
    )
}

/// The link as it should be written when the path it names (`path`, content-relative)
/// differs from the existing file `actual` only in letter case: the written path segments are
/// replaced by the existing spelling; `../`, `~/`, the base path, query and fragment are kept.
fn case_fixed_link(dest: &str, path: &str, actual: &str) -> String {
    let end = dest.find(['?', '#']).unwrap_or(dest.len());
    let (written, rest) = dest.split_at(end);
    let looked: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let existing: Vec<&str> = actual.split('/').collect();
    let mut segments: Vec<String> = written.split(['/', '\\']).map(str::to_string).collect();
    let mut k = looked.len();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter_mut().enumerate().rev() {
        if i == last && seg.is_empty() {
            continue; // trailing `/` of a folder link
        }
        if k == 0 || matches!(seg.as_str(), "" | "." | ".." | "~") {
            break;
        }
        k -= 1;
        let (want, Some(have)) = (looked[k], existing.get(k)) else {
            break;
        };
        // `have` may be longer: an extension-less link names `x` for the file `x.md`.
        let fixed = have
            .get(..want.len())
            .filter(|h| h.to_lowercase() == want.to_lowercase())
            .unwrap_or(want);
        *seg = if seg.as_str() == want {
            fixed.to_string()
        } else {
            crate::urls::encode_path(fixed)
        };
    }
    format!("{}{rest}", segments.join("/"))
}

/// A link to a page that a redirection file moved: it works (through the redirect), but
/// should name the new page.
fn redirected(link: &Link, moved: &crate::model::migration::PageMove) -> Diagnostic {
    let at = format!("{}:{}", moved.origin.file, moved.origin.line);
    let (message, suggestion) = match &moved.final_url {
        Some(url) => (
            format!("`{}` was moved: it redirects to `{url}` ({at})", link.dest),
            format!("link to `{url}` instead"),
        ),
        None => (
            format!(
                "`{}` was moved, but its redirects go round a cycle ({at})",
                link.dest
            ),
            "link to the page that replaced it".to_string(),
        ),
    };
    diag(link, Code::LinkToRedirectedPage, message).with_suggestion(suggestion)
}

fn diag(link: &Link, code: Code, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(code, &*link.file, link.line, link.column, message)
        .with_target(link.dest.clone());
    if let Some(line) = link.definition_line {
        d.related.push(crate::diag::Related {
            file: link.file.to_string(),
            line,
            message: "reference definition".to_string(),
        });
    }
    d
}

/// The most ids of a page that a broken anchor's suggestion is sought among (those nearest
/// to it in alphabetical order): every id of nearly every real page, and a bound on the work
/// of many broken links into one very long page (64,000 of them into a page of 2,000
/// headings: a `check` of about 4 s; all of its ids: minutes).
const SUGGESTION_CANDIDATES: usize = 512;

fn check_fragment(
    site: &Site,
    link: &Link,
    target: usize,
    fragment: &str,
    out: &mut Vec<Diagnostic>,
) {
    let page = &site.pages[target];
    if let Some(selector) = fragment.strip_prefix("tab/") {
        // `#tab/<id>[/<condition>]` selects a tab, as DocFX's tab titles do; not an anchor.
        let id = selector.split('/').next().unwrap_or_default();
        let ids: Vec<&str> = id.split('+').collect();
        check_tab_ids(page, link, &ids, out);
        return;
    }
    if is_always_valid_fragment(fragment) || page.has_id(fragment) {
        return;
    }
    let mut d = diag(
        link,
        Code::BrokenAnchor,
        format!("`{}` has no anchor `#{fragment}`", page.path),
    );
    if let Some(best) = closest(fragment, page.ids_near(fragment, SUGGESTION_CANDIDATES)) {
        d.suggestion = Some(format!("did you mean `#{best}`?"));
    }
    out.push(d);
}

/// A link into another docset whose manifest is imported (`links.manifests`): its page and
/// anchor must be in that manifest, with the same codes as a link inside the site. Without
/// a manifest for its base path the link is not checked.
fn check_in_imported_manifest(site: &Site, link: &Link, out: &mut Vec<Diagnostic>) {
    let crate::model::LinkTarget::OffSite { path } = &link.target else {
        return;
    };
    let Some(import) = site.config.links.manifest_for(path) else {
        return;
    };
    let manifest = &import.manifest;
    // Learn addresses have no trailing `/` and no `.md`; manifests list pretty URLs.
    let bare = path.strip_suffix(".md").unwrap_or(path);
    let page = [bare.to_string(), format!("{}/", bare.trim_end_matches('/'))]
        .iter()
        .find_map(|url| manifest.page_by_url(url));
    let Some(page) = page else {
        out.push(
            diag(
                link,
                Code::BrokenLink,
                format!(
                    "page `{path}` is not in the manifest of {} ({})",
                    import.base, import.file
                ),
            )
            .with_suggestion(
                "the other docset has no such page: check the address, or import a newer manifest",
            ),
        );
        return;
    };
    let fragment = (link.dest.split_once('#')).map(|(_, f)| crate::model::link::decode(f));
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return;
    };
    if fragment.starts_with("tab/") || page.has_anchor(&fragment) {
        return;
    }
    let mut d = diag(
        link,
        Code::BrokenAnchor,
        format!(
            "`{}` has no anchor `#{fragment}` (manifest of {})",
            page.url, import.base
        ),
    );
    if let Some(best) = closest(
        &fragment,
        page.anchors_near(&fragment, SUGGESTION_CANDIDATES),
    ) {
        d.suggestion = Some(format!("did you mean `#{best}`?"));
    }
    out.push(d);
}

/// Checks the tab ids a link's `?tabs=` selects on page `target`.
fn check_tabs_query(site: &Site, link: &Link, target: usize, out: &mut Vec<Diagnostic>) {
    let ids = crate::model::link::tabs_query(&link.dest);
    if !ids.is_empty() {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        check_tab_ids(&site.pages[target], link, &ids, out);
    }
}

/// The most tab ids a suggestion lists: a page of thousands of tabs, linked to by thousands
/// of broken tab links, would otherwise print every id in every finding.
const LISTED_TABS: usize = 10;

/// A `broken-anchor` finding when `page` has no tab for one of `ids` (an empty id never
/// names a tab); the suggestion names the closest tab and lists the page's first tabs.
fn check_tab_ids(page: &crate::model::Page, link: &Link, ids: &[&str], out: &mut Vec<Diagnostic>) {
    let unknown: Vec<&str> = ids.iter().copied().filter(|id| !page.has_tab(id)).collect();
    let Some(&first) = unknown.first() else {
        return;
    };
    let shown = |ids: &mut dyn Iterator<Item = &str>| {
        ids.map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = if unknown.len() == 1 {
        format!("`{}` has no tab `{first}`", page.path)
    } else {
        format!(
            "`{}` has no tabs {}",
            page.path,
            shown(&mut unknown.iter().copied())
        )
    };
    let mut d = diag(link, Code::BrokenAnchor, message);
    let tabs = &page.tab_ids;
    d.suggestion = Some(if tabs.is_empty() {
        "the page has no tabs".to_string()
    } else {
        let guess = closest(first, page.tabs_near(first, SUGGESTION_CANDIDATES))
            .map(|best| format!("did you mean `{best}`? "))
            .unwrap_or_default();
        let listed = shown(&mut tabs.iter().take(LISTED_TABS).map(String::as_str));
        let more = match tabs.len().saturating_sub(LISTED_TABS) {
            0 => String::new(),
            more => format!(" and {more} more"),
        };
        format!("{guess}its tabs: {listed}{more}")
    });
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::case_fixed_link;

    #[test]
    fn case_fixes_keep_the_written_shape() {
        assert_eq!(
            case_fixed_link("Guide/Setup.md", "Guide/Setup.md", "guide/setup.md"),
            "guide/setup.md"
        );
        assert_eq!(
            case_fixed_link(
                "../Guide/Setup.md#Install",
                "Guide/Setup.md",
                "guide/setup.md"
            ),
            "../guide/setup.md#Install"
        );
        assert_eq!(
            case_fixed_link("~/Guide/", "Guide/", "guide/index.md"),
            "~/guide/"
        );
        assert_eq!(
            case_fixed_link("/docs/Guide/Setup?tabs=x", "Guide/Setup", "guide/setup.md"),
            "/docs/guide/setup?tabs=x"
        );
        assert_eq!(
            case_fixed_link("Media/My%20Pic.PNG", "Media/My Pic.PNG", "media/My pic.png"),
            "media/My%20pic.png"
        );
    }
}
