//! Themes: named roles (`p1`, `breached`, `selected`, …) mapped to styles in TOML files, drawn
//! at the colour depth the terminal says it has (SPEC §5).
//!
//! The built-ins live in `themes/` (dark, light, high-contrast, mono); a user's own file in the
//! config directory's `themes/NAME.toml` adds or replaces one. `NO_COLOR` keeps every modifier
//! (bold, reverse, underline) and drops every colour, so meaning that colour carried is still
//! carried by them — and, in every pane, by a word or a symbol too.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The built-in themes, in the order they are listed.
const BUILTIN: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// The theme used when none is chosen.
pub const DEFAULT_THEME: &str = "dark";

/// Every role a theme gives a style to.
pub const ROLES: [&str; 25] = [
    "text",
    "muted",
    "title",
    "border",
    "border_focused",
    "header",
    "selected",
    "p1",
    "p2",
    "p3",
    "p4",
    "breached",
    "due_soon",
    "running",
    "paused",
    "met",
    "stopped",
    "public_note",
    "internal_note",
    "online",
    "offline",
    "stale",
    "error",
    "status_bar",
    "new",
];

/// Roles added after themes were first written, with the style a file that lacks them gets:
/// a theme made for an older casedesk keeps loading.
const LATER_ROLES: [(&str, Modifier); 1] = [("new", Modifier::BOLD)];

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    /// None: `NO_COLOR` is set.
    Mono,
    /// The 16 ANSI colours: the safe default.
    Ansi16,
    /// The xterm 256-colour palette (`TERM=*-256color`).
    Ansi256,
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    TrueColor,
}

impl ColorDepth {
    /// What the environment says: `NO_COLOR` (any value) wins, then `COLORTERM`, then `TERM`.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> ColorDepth {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::Mono;
        }
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return ColorDepth::TrueColor;
        }
        if var("TERM").is_some_and(|t| t.contains("256color")) {
            return ColorDepth::Ansi256;
        }
        ColorDepth::Ansi16
    }
}

/// A theme that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// The file is not a valid theme.
    #[error("theme {source_name}: {message}")]
    Invalid {
        /// Where it came from.
        source_name: String,
        /// What is wrong, with the form expected.
        message: String,
    },
    /// No theme of that name.
    #[error("unknown theme '{name}': expected one of {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    roles: BTreeMap<String, RoleDef>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RoleDef {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reverse: bool,
}

/// A colour as written: one of the 16, `reset`, an xterm index, or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    Reset,
    Ansi(u8),
    Indexed(u8),
    Rgb(u8, u8, u8),
}

const ANSI_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "bright_black",
    "bright_red",
    "bright_green",
    "bright_yellow",
    "bright_blue",
    "bright_magenta",
    "bright_cyan",
    "bright_white",
];

/// The usual xterm RGB of the 16 colours, for bringing a 24-bit colour down to the nearest.
const ANSI_RGB: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

fn parse_color(text: &str) -> Result<Written, String> {
    let t = text.trim().to_ascii_lowercase();
    if t == "reset" || t == "default" {
        return Ok(Written::Reset);
    }
    if let Some(i) = ANSI_NAMES.iter().position(|n| *n == t) {
        return Ok(Written::Ansi(i as u8));
    }
    if let Ok(i) = t.parse::<u8>() {
        return Ok(Written::Indexed(i));
    }
    if let Some(hex) = t.strip_prefix('#')
        && hex.len() == 6
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        let [_, r, g, b] = v.to_be_bytes();
        return Ok(Written::Rgb(r, g, b));
    }
    Err(format!(
        "invalid colour '{text}': expected a name (red, bright_blue, …), reset, an index 0–255 or #rrggbb"
    ))
}

fn ansi(i: u8) -> Color {
    [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ][usize::from(i % 16)]
}

/// The RGB an xterm palette index stands for.
fn index_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI_RGB[usize::from(i)],
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let n = i - 16;
            (level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

fn nearest_ansi((r, g, b): (u8, u8, u8)) -> u8 {
    let dist = |(x, y, z): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(x, r) + d(y, g) + d(z, b)
    };
    (0..16u8)
        .min_by_key(|&i| dist(ANSI_RGB[usize::from(i)]))
        .unwrap_or(7)
}

/// The nearest colour of the xterm 6×6×6 cube.
fn nearest_cube((r, g, b): (u8, u8, u8)) -> u8 {
    let step = |v: u8| -> u8 {
        if v < 48 {
            0
        } else if v < 115 {
            1
        } else {
            (v - 35) / 40
        }
    };
    16 + 36 * step(r) + 6 * step(g) + step(b)
}

impl Written {
    /// The colour to draw at `depth`; `None` draws no colour.
    fn at(self, depth: ColorDepth) -> Option<Color> {
        match (self, depth) {
            (_, ColorDepth::Mono) => None,
            (Written::Reset, _) => Some(Color::Reset),
            (Written::Ansi(i), _) => Some(ansi(i)),
            (Written::Indexed(i), ColorDepth::Ansi16) => Some(ansi(nearest_ansi(index_rgb(i)))),
            (Written::Indexed(i), _) => Some(Color::Indexed(i)),
            (Written::Rgb(r, g, b), ColorDepth::TrueColor) => Some(Color::Rgb(r, g, b)),
            (Written::Rgb(r, g, b), ColorDepth::Ansi256) => {
                Some(Color::Indexed(nearest_cube((r, g, b))))
            }
            (Written::Rgb(r, g, b), ColorDepth::Ansi16) => Some(ansi(nearest_ansi((r, g, b)))),
        }
    }
}

/// A theme ready to draw with: a style for every role.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Its name.
    pub name: String,
    styles: BTreeMap<&'static str, Style>,
}

impl Theme {
    /// Reads a theme file. Every role must be given (so no pane draws an unthemed element), and
    /// unknown roles are refused (a typo would otherwise be silently ignored).
    pub fn parse(source_name: &str, text: &str, depth: ColorDepth) -> Result<Theme, ThemeError> {
        let invalid = |message: String| ThemeError::Invalid {
            source_name: source_name.to_string(),
            message,
        };
        let file: ThemeFile = toml::from_str(text)
            .map_err(|e| invalid(crate::sla::toml_error(source_name, text, &e)))?;
        if let Some(unknown) = file.roles.keys().find(|k| !ROLES.contains(&k.as_str())) {
            return Err(invalid(format!(
                "unknown role '{unknown}': expected one of {}",
                ROLES.join(", ")
            )));
        }
        let mut styles = BTreeMap::new();
        for role in ROLES {
            let later = LATER_ROLES.iter().find(|(r, _)| *r == role);
            let def = match (file.roles.get(role), later) {
                (Some(def), _) => def,
                (None, Some((_, modifier))) => {
                    styles.insert(role, Style::default().add_modifier(*modifier));
                    continue;
                }
                (None, None) => {
                    return Err(invalid(format!(
                        "role '{role}' is missing: every role needs a style, even an empty one ({role} = {{}})"
                    )));
                }
            };
            let color = |c: &Option<String>| -> Result<Option<Color>, ThemeError> {
                c.as_deref()
                    .map(parse_color)
                    .transpose()
                    .map(|w| w.and_then(|w| w.at(depth)))
                    .map_err(|e| invalid(format!("role '{role}': {e}")))
            };
            let mut style = Style::default();
            if let Some(fg) = color(&def.fg)? {
                style = style.fg(fg);
            }
            if let Some(bg) = color(&def.bg)? {
                style = style.bg(bg);
            }
            for (on, m) in [
                (def.bold, Modifier::BOLD),
                (def.dim, Modifier::DIM),
                (def.italic, Modifier::ITALIC),
                (def.underline, Modifier::UNDERLINED),
                (def.reverse, Modifier::REVERSED),
            ] {
                if on {
                    style = style.add_modifier(m);
                }
            }
            styles.insert(role, style);
        }
        Ok(Theme {
            name: file.name,
            styles,
        })
    }

    /// A built-in theme by name.
    pub fn builtin(name: &str, depth: ColorDepth) -> Result<Theme, ThemeError> {
        let (source, text) =
            BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| ThemeError::Unknown {
                    name: name.to_string(),
                    known: BUILTIN.map(|(n, _)| n).join(", "),
                })?;
        Theme::parse(&format!("themes/{source}.toml"), text, depth)
    }

    /// A theme by name: the user's `themes/NAME.toml` in the config directory when there is
    /// one, else a built-in.
    pub fn load(
        name: &str,
        config_dir: &std::path::Path,
        depth: ColorDepth,
    ) -> Result<Theme, ThemeError> {
        let path = config_dir.join("themes").join(format!("{name}.toml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => Theme::parse(&path.display().to_string(), &text, depth),
            Err(_) => Theme::builtin(name, depth),
        }
    }

    /// The style of a role; an unknown role draws plain (roles are checked when loading).
    pub fn style(&self, role: &str) -> Style {
        self.styles.get(role).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_loads_at_every_depth() {
        for (name, _) in BUILTIN {
            for depth in [
                ColorDepth::Mono,
                ColorDepth::Ansi16,
                ColorDepth::Ansi256,
                ColorDepth::TrueColor,
            ] {
                let theme = Theme::builtin(name, depth).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(theme.name, name);
            }
        }
    }

    #[test]
    fn no_color_keeps_the_modifiers_and_drops_every_colour() {
        let theme = Theme::builtin("dark", ColorDepth::Mono).unwrap();
        for role in ROLES {
            let s = theme.style(role);
            assert_eq!((s.fg, s.bg), (None, None), "{role}");
        }
        assert!(
            theme
                .style("breached")
                .add_modifier
                .contains(Modifier::BOLD)
        );
        let mono = Theme::builtin("mono", ColorDepth::TrueColor).unwrap();
        assert!(
            mono.style("selected")
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(mono.style("p1").add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn colours_come_down_to_what_the_terminal_has() {
        let rgb = Written::Rgb(255, 135, 0);
        assert_eq!(rgb.at(ColorDepth::TrueColor), Some(Color::Rgb(255, 135, 0)));
        assert_eq!(rgb.at(ColorDepth::Ansi256), Some(Color::Indexed(208)));
        assert_eq!(rgb.at(ColorDepth::Ansi16), Some(Color::Yellow));
        assert_eq!(
            Written::Indexed(196).at(ColorDepth::Ansi16),
            Some(Color::LightRed)
        );
        assert_eq!(Written::Ansi(1).at(ColorDepth::Mono), None);
    }

    #[test]
    fn the_environment_decides_the_depth() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(ColorDepth::detect(env(&[])), ColorDepth::Ansi16);
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "xterm-256color")])),
            ColorDepth::Ansi256
        );
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "truecolor"), ("TERM", "xterm")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
            ColorDepth::Mono
        );
    }

    #[test]
    fn bad_themes_name_the_problem() {
        let e = Theme::parse(
            "t.toml",
            "name = \"x\"\n[roles]\ntext = { fg = \"purple\" }\n",
            ColorDepth::Ansi16,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("unknown role") || e.to_string().contains("purple"),
            "{e}"
        );
        let full: String = ROLES.iter().map(|r| format!("{r} = {{}}\n")).collect();
        let bad = format!(
            "name = \"x\"\n[roles]\n{}",
            full.replace("text = {}", "text = { fg = \"purple\" }")
        );
        let e = Theme::parse("t.toml", &bad, ColorDepth::Ansi16).unwrap_err();
        assert!(e.to_string().contains("invalid colour 'purple'"), "{e}");
        let missing = format!("name = \"x\"\n[roles]\n{}", full.replace("p1 = {}\n", ""));
        let e = Theme::parse("t.toml", &missing, ColorDepth::Ansi16).unwrap_err();
        assert!(e.to_string().contains("role 'p1' is missing"), "{e}");
        // A theme written before the `new` role still loads, the role in bold.
        let older = format!("name = \"x\"\n[roles]\n{}", full.replace("new = {}\n", ""));
        let theme = Theme::parse("t.toml", &older, ColorDepth::Ansi16).unwrap();
        assert!(theme.style("new").add_modifier.contains(Modifier::BOLD));
        let e = Theme::parse(
            "t.toml",
            "name = \"x\"\n[roles]\ntxet = {}\n",
            ColorDepth::Ansi16,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown role 'txet'"), "{e}");
        assert!(
            Theme::builtin("neon", ColorDepth::Ansi16)
                .unwrap_err()
                .to_string()
                .contains("dark, light, high-contrast, mono")
        );
    }
}
