//! A page's tables, kept as bytes between the parse and the stages that read them.
//!
//! A table is many small values (each cell two or three strings and two vectors), and
//! many pages of a migration docset have one: at 10,000 pages of the synthetic corpus (a
//! mapping table a page) they held 25 MiB as [`Table`] values. The migration stage reads them once; the
//! search index and `site.json` read a few again. Written one after another as bytes they
//! are one allocation a page, and each reader makes the [`Table`] values back.

use super::packed::{write_number, write_opt_str, write_str, Reader};
use super::stow::{Stow, StowedBytes};
use super::{Cell, Row, Table};
use std::borrow::Cow;

/// The tables of one page, in document order, as bytes, held in memory or stowed in a
/// scratch file ([`super::stow`]); [`PageTables::read`] gives them back as a [`TableList`].
#[derive(Clone, Default, PartialEq)]
pub struct PageTables {
    /// Each table's fields, one table after another: see `write_table`.
    bytes: StowedBytes,
    /// How many tables.
    count: usize,
}

impl PageTables {
    /// The list of `tables`, in their order.
    pub fn new(tables: &[Table]) -> PageTables {
        let mut bytes = Vec::new();
        for table in tables {
            write_table(&mut bytes, table);
        }
        PageTables {
            bytes: StowedBytes::Held(bytes.into_boxed_slice()),
            count: tables.len(),
        }
    }

    /// How many tables the page has.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when the page has no tables.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The tables: borrowed when held, read back from the scratch file when stowed (one
    /// read; the error is the file's).
    pub fn read(&self) -> std::io::Result<TableList<'_>> {
        Ok(TableList {
            bytes: self.bytes.read()?,
            count: self.count,
        })
    }

    /// Moves the tables' bytes into `stow`, to be read back by [`PageTables::read`]; false
    /// when they could not be written (they stay in memory).
    pub fn stow(&mut self, stow: &std::sync::Arc<Stow>) -> bool {
        self.bytes.stow(stow)
    }

    /// True when the tables' bytes are in a scratch file.
    pub fn is_stowed(&self) -> bool {
        self.bytes.is_stowed()
    }
}

/// A page's tables read: [`TableList::iter`] makes each [`Table`] back as it was given.
pub struct TableList<'p> {
    bytes: Cow<'p, [u8]>,
    count: usize,
}

impl TableList<'_> {
    /// Every table, in document order, each made back from its bytes.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Table> + '_ {
        let mut reader = Reader::new(&self.bytes);
        (0..self.count).map(move |_| read_table(&mut reader))
    }

    /// Every table, made back, in a vector.
    pub fn to_vec(&self) -> Vec<Table> {
        self.iter().collect()
    }
}

impl std::fmt::Debug for PageTables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.read() {
            Ok(tables) => f.debug_list().entries(tables.iter()).finish(),
            Err(e) => write!(f, "<{} tables, unreadable: {e}>", self.count),
        }
    }
}

/// Written as the list of its tables, like the vector it replaces.
impl serde::Serialize for PageTables {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tables = self.read().map_err(serde::ser::Error::custom)?;
        serializer.collect_seq(tables.iter())
    }
}

/// Appends `table`: its file, line and section, its header cells, then its rows (each
/// its line, then its cells).
fn write_table(out: &mut Vec<u8>, table: &Table) {
    write_str(out, &table.file);
    write_number(out, u64::from(table.line));
    write_opt_str(out, table.section.as_deref());
    write_cells(out, &table.header);
    write_number(out, table.rows.len() as u64);
    for row in &table.rows {
        write_number(out, u64::from(row.line));
        write_cells(out, &row.cells);
    }
}

/// Appends `cells`: how many, then each one's fields in their declared order.
fn write_cells(out: &mut Vec<u8>, cells: &[Cell]) {
    write_number(out, cells.len() as u64);
    for cell in cells {
        write_str(out, &cell.markdown);
        // The plain text is most often the Markdown itself (no markup in the cell).
        write_opt_str(
            out,
            (cell.text != cell.markdown).then_some(cell.text.as_str()),
        );
        write_number(out, cell.nodes.start as u64);
        write_number(out, cell.nodes.end as u64);
        write_number(out, cell.code.len() as u64);
        for code in &cell.code {
            write_str(out, code);
        }
        write_number(out, cell.links.len() as u64);
        for &link in &cell.links {
            write_number(out, link as u64);
        }
        write_opt_str(out, cell.outside_links.as_deref());
    }
}

/// Reads a table [`write_table`] wrote.
fn read_table(r: &mut Reader<'_>) -> Table {
    let file = r.string().into();
    let line = r.number() as u32;
    let section = r.opt_string();
    let header = read_cells(r);
    let rows = (0..r.number())
        .map(|_| Row {
            line: r.number() as u32,
            cells: read_cells(r),
        })
        .collect();
    Table {
        file,
        line,
        section,
        header,
        rows,
    }
}

/// Reads cells [`write_cells`] wrote.
fn read_cells(r: &mut Reader<'_>) -> Vec<Cell> {
    (0..r.number())
        .map(|_| {
            let markdown = r.string();
            let text = r.opt_string().unwrap_or_else(|| markdown.clone());
            let nodes = r.number() as usize..r.number() as usize;
            let code = (0..r.number()).map(|_| r.string()).collect();
            let links = (0..r.number()).map(|_| r.number() as usize).collect();
            let outside_links = r.opt_string();
            Cell {
                markdown,
                text,
                nodes,
                code,
                links,
                outside_links,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(markdown: &str, text: &str) -> Cell {
        Cell {
            markdown: markdown.into(),
            text: text.into(),
            ..Cell::default()
        }
    }

    fn tables() -> Vec<Table> {
        let linked = Cell {
            markdown: "[Offers](offers.md) `GET` (preview)".into(),
            text: "Offers GET (preview)".into(),
            nodes: 12..19,
            code: vec!["GET".into(), String::new()],
            links: vec![3, 300],
            outside_links: Some("(preview)".into()),
        };
        vec![
            Table {
                file: "guide/move.md".into(),
                line: 9,
                section: Some("old-pages".into()),
                header: vec![cell("Old", "Old"), cell("**New**", "New")],
                rows: vec![
                    Row {
                        line: 11,
                        cells: vec![cell("Home", "Home"), linked.clone()],
                    },
                    Row {
                        line: 400,
                        cells: vec![cell("", ""), cell("Ünïcode", "Ünïcode")],
                    },
                ],
            },
            Table {
                file: "includes/api.md".into(),
                line: 1,
                section: Some(String::new()),
                header: vec![linked],
                rows: Vec::new(),
            },
            Table {
                file: "guide/move.md".into(),
                line: 70_000,
                section: None,
                header: Vec::new(),
                rows: vec![Row {
                    line: 70_002,
                    cells: Vec::new(),
                }],
            },
        ]
    }

    #[test]
    fn every_table_reads_back_as_written() {
        let tables = tables();
        let packed = PageTables::new(&tables);
        assert_eq!(packed.len(), 3);
        assert_eq!(packed.read().expect("tables").to_vec(), tables);
        assert_eq!(packed.read().expect("tables").iter().len(), 3);
    }

    #[test]
    fn stowed_tables_read_back_as_written() {
        let tables = tables();
        let held = PageTables::new(&tables);
        let mut stowed = held.clone();
        let file = tempfile::tempfile().expect("scratch file");
        let stow = std::sync::Arc::new(Stow::new(file.try_clone().expect("second handle")));
        assert!(stowed.stow(&stow));
        assert!(stowed.is_stowed() && !held.is_stowed());
        assert_eq!(stowed.len(), 3);
        assert_eq!(stowed.read().expect("read back").to_vec(), tables);
        assert_eq!(stowed, held);
        file.set_len(1).expect("truncate");
        assert!(stowed.read().is_err());
        assert!(format!("{stowed:?}").contains("unreadable"), "{stowed:?}");
    }

    #[test]
    fn no_tables_is_an_empty_list() {
        let packed = PageTables::new(&[]);
        assert!(packed.is_empty());
        assert_eq!(packed.read().expect("tables").iter().count(), 0);
        assert_eq!(packed, PageTables::default());
    }

    #[test]
    fn serialises_as_the_list_of_its_tables() {
        let tables = tables();
        assert_eq!(
            serde_json::to_value(PageTables::new(&tables)).expect("json"),
            serde_json::to_value(&tables).expect("json")
        );
    }
}
