//! Syntax highlighting with syntect, behind one small interface so the highlighter can be
//! replaced (syntect's bundled grammars are old). Output uses CSS classes, never inline styles.
//!
//! Each token is styled by two themes (light and dark). Rather than syntect's classed output
//! (one nested `<span>` per scope, each with every scope name as a class: 2 KB for a 5-line
//! JSON block), the token's style is resolved here against each theme and written as one
//! flat `<span>` with short classes: `l3` / `d7` (the light / dark theme's 4th / 8th
//! foreground colour) and `lb`, `li`, `lu` / `db`, `di`, `du` (bold, italic, underline).
//! The classes are enumerated from the themes' rules, so [`stylesheet`] is complete up front
//! and does not depend on which code a build saw. Adjacent tokens with the same classes
//! share a span; tokens neither theme styles are plain text.

use std::collections::HashMap;
use std::sync::Mutex;
use syntect::highlighting::{
    Color, FontStyle, Highlighter as ThemeHighlighter, Style, Theme, ThemeSet,
};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Name of the light theme among syntect's bundled themes.
const LIGHT_THEME: &str = "InspiredGitHub";
/// Name of the dark theme among syntect's bundled themes.
const DARK_THEME: &str = "base16-ocean.dark";

/// Foreground a theme gives a token that no rule colours: never a rule's colour (those are
/// opaque after [`readable_theme`]), so such tokens get no colour class and keep the code
/// block's own colour, as before.
const UNSET: Color = Color {
    r: 0,
    g: 0,
    b: 0,
    a: 0,
};

/// One theme prepared for classing: the readable theme and its colours in class order.
struct ClassTheme {
    /// Class prefix: `l` or `d`.
    prefix: char,
    theme: Theme,
    /// Distinct rule foregrounds in rule order; colour `i` is class `{prefix}{i}`.
    colours: Vec<Color>,
}

impl ClassTheme {
    fn load(themes: &ThemeSet, name: &str, prefix: char, background: Color) -> Self {
        let mut theme = themes
            .themes
            .get(name)
            .map(|t| readable_theme(t, background))
            .unwrap_or_default();
        theme.settings.foreground = Some(UNSET);
        let mut colours: Vec<Color> = Vec::new();
        for item in &theme.scopes {
            if let Some(fg) = item.style.foreground {
                if !colours.contains(&fg) {
                    colours.push(fg);
                }
            }
        }
        ClassTheme {
            prefix,
            theme,
            colours,
        }
    }

    /// Appends the classes of `style` (resolved against this theme) to `out`.
    fn push_classes(&self, style: Style, out: &mut String) {
        let mut push = |class: std::fmt::Arguments<'_>| {
            if !out.is_empty() {
                out.push(' ');
            }
            std::fmt::Write::write_fmt(out, class).unwrap_or_default();
        };
        if let Some(i) = self.colours.iter().position(|c| *c == style.foreground) {
            push(format_args!("{}{i}", self.prefix));
        }
        for (flag, letter) in FONT_FLAGS {
            if style.font_style.contains(flag) {
                push(format_args!("{}{letter}", self.prefix));
            }
        }
    }

    /// This theme's rules for the classes, scoped under `scope`.
    fn css(&self, scope: &str) -> String {
        let mut css = String::new();
        for (i, c) in self.colours.iter().enumerate() {
            css.push_str(&format!(
                "{scope} .{}{i} {{ color: #{:02x}{:02x}{:02x}; }}\n",
                self.prefix, c.r, c.g, c.b
            ));
        }
        for (_, letter) in FONT_FLAGS {
            let decl = match letter {
                'b' => "font-weight: bold",
                'i' => "font-style: italic",
                _ => "text-decoration: underline",
            };
            css.push_str(&format!("{scope} .{}{letter} {{ {decl}; }}\n", self.prefix));
        }
        css
    }
}

/// Font styles and their class letters.
const FONT_FLAGS: [(FontStyle, char); 3] = [
    (FontStyle::BOLD, 'b'),
    (FontStyle::ITALIC, 'i'),
    (FontStyle::UNDERLINE, 'u'),
];

/// The light and dark themes, in class order.
struct Themes {
    light: ClassTheme,
    dark: ClassTheme,
}

impl Themes {
    fn load() -> Self {
        let themes = ThemeSet::load_defaults();
        Themes {
            light: ClassTheme::load(&themes, LIGHT_THEME, 'l', LIGHT_CODE_BG),
            dark: ClassTheme::load(&themes, DARK_THEME, 'd', DARK_CODE_BG),
        }
    }
}

/// Highlights code blocks; built once per build.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    themes: Themes,
    /// Classes of a scope stack, so each distinct stack is matched against the themes'
    /// selectors once per build rather than once per token.
    classes: Mutex<HashMap<Vec<Scope>, std::sync::Arc<str>>>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads the bundled grammars and themes.
    pub fn new() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            themes: Themes::load(),
            classes: Mutex::new(HashMap::new()),
        }
    }

    /// Renders a code block: highlighted when the language is known, escaped text otherwise,
    /// wrapped with a copy button. The `<pre>` scrolls sideways, so it takes keyboard focus
    /// (`tabindex="0"`) for keyboard users to scroll it.
    pub fn code_block(&self, code: &str, lang: &str) -> String {
        let lang = lang
            .split([' ', ',', '{'])
            .next()
            .unwrap_or_default()
            .trim();
        let body = self
            .highlight(code, lang)
            .unwrap_or_else(|| crate::urls::escape_html(code));
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", crate::urls::escape_html(lang))
        };
        format!(
            "<div class=\"code-block\"><button class=\"copy-button\" type=\"button\" aria-label=\"Copy code\">Copy</button><pre class=\"code\"{lang_attr} tabindex=\"0\"><code>{body}</code></pre></div>\n"
        )
    }

    /// The classes of a token with scope stack `stack` (empty: neither theme styles it).
    fn classes_of(&self, stack: &ScopeStack) -> std::sync::Arc<str> {
        let key = stack.as_slice();
        if let Some(found) = self.classes.lock().ok().and_then(|m| m.get(key).cloned()) {
            return found;
        }
        let mut classes = String::new();
        for t in [&self.themes.light, &self.themes.dark] {
            let style = ThemeHighlighter::new(&t.theme).style_for_stack(key);
            t.push_classes(style, &mut classes);
        }
        let classes: std::sync::Arc<str> = classes.into();
        if let Ok(mut map) = self.classes.lock() {
            map.insert(key.to_vec(), classes.clone());
        }
        classes
    }

    fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        if lang.is_empty() {
            return None;
        }
        let syntax = self
            .syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| self.syntaxes.find_syntax_by_extension(lang))?;
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = String::with_capacity(code.len() * 2);
        // The span open in `out` and its classes: a token with the same classes continues it.
        let mut open: Option<std::sync::Arc<str>> = None;
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, &self.syntaxes).ok()?;
            let mut at = 0;
            let mut token = |text: &str, stack: &ScopeStack, out: &mut String| {
                if text.is_empty() {
                    return;
                }
                let classes = self.classes_of(stack);
                if open.as_deref() != Some(&*classes) {
                    if open.take().is_some() {
                        out.push_str("</span>");
                    }
                    if !classes.is_empty() {
                        out.push_str("<span class=\"");
                        out.push_str(&classes);
                        out.push_str("\">");
                        open = Some(classes);
                    }
                }
                out.push_str(&crate::urls::escape_html(text));
            };
            for (index, op) in ops {
                let index = index.min(line.len());
                if index > at {
                    token(&line[at..index], &stack, &mut out);
                    at = index;
                }
                stack.apply(&op).ok()?;
            }
            token(&line[at..], &stack, &mut out);
        }
        if open.is_some() {
            out.push_str("</span>");
        }
        Some(out)
    }
}

/// Background of code blocks in the light theme: `--code-bg` in `static/docshift.css`.
const LIGHT_CODE_BG: Color = Color {
    r: 0xf6,
    g: 0xf8,
    b: 0xfa,
    a: 0xff,
};

/// Background of code blocks in the dark theme: `--code-bg` in `static/docshift.css`.
const DARK_CODE_BG: Color = Color {
    r: 0x16,
    g: 0x1b,
    b: 0x22,
    a: 0xff,
};

/// Contrast every token colour must reach against the code background: WCAG AA for normal
/// text is 4.5:1; the small margin keeps rounding in browsers' colour maths from failing it.
const MIN_CONTRAST: f64 = 4.6;

/// The stylesheet for highlighted code: a light theme, and a dark theme that applies when
/// the page or the OS asks for dark. syntect's bundled themes have token colours as low as
/// 2.7:1 against our code background (comments especially), so every colour is darkened
/// (light) or lightened (dark) just enough to reach [`MIN_CONTRAST`].
pub fn stylesheet() -> String {
    let Themes { light, dark } = Themes::load();
    // Each theme applies only where the other does not (a chosen theme, else the OS's), so
    // a light-theme rule that the dark theme has no counterpart for cannot leak into dark.
    format!(
        "/* Code highlighting (generated by docshift): themes {LIGHT_THEME} (light) and {DARK_THEME} (dark). */\n{}@media not all and (prefers-color-scheme: dark) {{\n{}}}\n{}@media (prefers-color-scheme: dark) {{\n{}}}\n",
        light.css(":root[data-theme=\"light\"] .code"),
        light.css(":root:not([data-theme=\"dark\"]) .code"),
        dark.css(":root[data-theme=\"dark\"] .code"),
        dark.css(":root:not([data-theme=\"light\"]) .code"),
    )
}

/// `theme` with every foreground colour readable on `background` (see [`MIN_CONTRAST`]).
fn readable_theme(theme: &Theme, background: Color) -> Theme {
    let mut theme = theme.clone();
    theme.settings.background = Some(background);
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = readable(*fg, background);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = readable(*fg, background);
        }
        // Token backgrounds would change what the text is read against; the block's own
        // background is the one the colours were adjusted for.
        item.style.background = None;
    }
    theme
}

/// `color` (composited onto `background`) moved towards black or white, whichever is
/// further from the background, in small steps until it reaches [`MIN_CONTRAST`].
fn readable(color: Color, background: Color) -> Color {
    let alpha = f64::from(color.a) / 255.0;
    let blend = |c: u8, b: u8| f64::from(c) * alpha + f64::from(b) * (1.0 - alpha);
    let mut rgb = [
        blend(color.r, background.r),
        blend(color.g, background.g),
        blend(color.b, background.b),
    ];
    let bg = [background.r, background.g, background.b].map(f64::from);
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    for _ in 0..100 {
        if contrast(luminance(rgb), luminance(bg)) >= MIN_CONTRAST {
            break;
        }
        rgb = rgb.map(|c| c + (target - c) * 0.05);
    }
    let [r, g, b] = rgb.map(|c| c.round().clamp(0.0, 255.0) as u8);
    Color { r, g, b, a: 0xff }
}

/// WCAG 2 relative luminance of an sRGB colour (channels 0–255).
fn luminance(rgb: [f64; 3]) -> f64 {
    let [r, g, b] = rgb.map(|c| {
        let c = c / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG 2 contrast ratio of two relative luminances.
fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_and_escapes_unknown() {
        let h = Highlighter::new();
        let json = h.code_block("{\"a\": 1}\n", "json");
        assert!(json.contains("<span class=\"l"), "{json}");
        assert!(json.contains("data-lang=\"json\""));
        let plain = h.code_block("<b>&</b>\n", "no-such-language");
        assert!(plain.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
        assert!(stylesheet().contains("prefers-color-scheme: dark"));
    }

    /// Every token colour of both themes reads at WCAG AA (4.5:1) on its code background
    /// (axe `color-contrast` found syntect's comment colours at 2.7:1 and 3.5:1).
    #[test]
    fn every_token_colour_reaches_4_5_to_1() {
        let themes = ThemeSet::load_defaults();
        for (name, bg) in [
            ("InspiredGitHub", LIGHT_CODE_BG),
            ("base16-ocean.dark", DARK_CODE_BG),
        ] {
            let theme = readable_theme(&themes.themes[name], bg);
            let bg_l = luminance([bg.r, bg.g, bg.b].map(f64::from));
            let colours = theme
                .scopes
                .iter()
                .filter_map(|item| item.style.foreground)
                .chain(theme.settings.foreground);
            for c in colours {
                let ratio = contrast(luminance([c.r, c.g, c.b].map(f64::from)), bg_l);
                assert!(ratio >= 4.5, "{name}: {c:?} at {ratio:.2}:1");
            }
        }
    }

    /// The backgrounds the colours are adjusted for are the ones the stylesheet paints.
    #[test]
    fn code_backgrounds_match_the_theme_stylesheet() {
        let css = include_str!("../../static/docshift.css");
        for bg in [LIGHT_CODE_BG, DARK_CODE_BG] {
            let decl = format!("--code-bg: #{:02x}{:02x}{:02x};", bg.r, bg.g, bg.b);
            assert!(css.contains(&decl), "docshift.css lacks {decl}");
        }
    }

    /// Spans are flat (none inside another), carry only short classes, and every class
    /// used is defined by the stylesheet, which does not depend on the code seen.
    #[test]
    fn spans_are_flat_with_short_classes_the_stylesheet_defines() {
        let h = Highlighter::new();
        let code = "{\n  \"offer\": \"contributor\",\n  \"version\": 96,\n  \"live\": true\n}\n";
        let block = h.code_block(code, "json");
        let css = stylesheet();
        let body = &block[block.find("<code>").unwrap() + 6..block.find("</code>").unwrap()];
        let mut depth = 0usize;
        let mut rest = body;
        while let Some(at) = rest.find('<') {
            rest = &rest[at..];
            if rest.starts_with("</span>") {
                depth -= 1;
            } else {
                assert!(rest.starts_with("<span class=\""), "{body}");
                depth += 1;
                assert_eq!(depth, 1, "nested span in {body}");
                let classes = &rest[13..rest.find("\">").unwrap()];
                for class in classes.split(' ') {
                    assert!(class.len() <= 3, "{class}");
                    assert!(
                        css.contains(&format!(" .{class} {{")),
                        "{class} not in {css}"
                    );
                }
            }
            rest = &rest[1..];
        }
        assert_eq!(depth, 0);
        // The text is all there, escaped once.
        let text: String = {
            let mut t = String::new();
            let mut in_tag = false;
            for c in body.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => t.push(c),
                    _ => {}
                }
            }
            t
        };
        assert_eq!(text.replace("&quot;", "\""), code);
        assert!(body.len() < 600, "{} bytes: {body}", body.len());
        assert_eq!(css, stylesheet(), "the stylesheet is fixed");
    }

    /// A comment takes the themes' comment colours (and the light theme's italic).
    #[test]
    fn comments_are_styled_by_both_themes() {
        let h = Highlighter::new();
        let block = h.code_block("# note\nx = 1\n", "python");
        let comment = block.split("# note").next().unwrap();
        let classes = &comment[comment.rfind("class=\"").unwrap() + 7..comment.len() - 2];
        assert!(classes.split(' ').any(|c| c.starts_with('l')), "{block}");
        assert!(classes.split(' ').any(|c| c.starts_with('d')), "{block}");
    }
}
