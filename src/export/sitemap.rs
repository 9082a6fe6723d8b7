//! `sitemap.xml`: every page, with its date when it has one.

use crate::model::Site;

/// `sitemap.xml` with every page, in path order.
pub fn sitemap_xml(site: &Site) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in &site.pages {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::urls::escape_html(&format!(
            "{}{}",
            site.config.url, page.url
        )));
        xml.push_str("</loc>");
        if let Some(date) = page
            .date
            .as_deref()
            .filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-')
        {
            xml.push_str("<lastmod>");
            xml.push_str(date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
