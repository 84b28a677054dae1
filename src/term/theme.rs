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

/// Every role a theme gives a style to: what an element means, not how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Ordinary text.
    Text,
    /// Text that matters less (hints, empty states).
    Muted,
    /// A pane's title.
    Title,
    /// A pane's border.
    Border,
    /// The border of the pane with focus.
    BorderFocused,
    /// A table's header row.
    Header,
    /// The selected row.
    Selected,
    /// Priority 1.
    P1,
    /// Priority 2.
    P2,
    /// Priority 3.
    P3,
    /// Priority 4.
    P4,
    /// A target missed.
    Breached,
    /// A target close.
    DueSoon,
    /// A clock running.
    Running,
    /// A clock paused.
    Paused,
    /// A target met.
    Met,
    /// A clock stopped.
    Stopped,
    /// A note the customer sees.
    PublicNote,
    /// A note only the desk sees.
    InternalNote,
    /// Connected to the server.
    Online,
    /// Working offline.
    Offline,
    /// Data too old to trust.
    Stale,
    /// Something failed.
    Error,
    /// The status bar.
    StatusBar,
    /// Something new since last looked at.
    New,
    /// A note that came in by mail: its `[EMAIL]` label and sender.
    EmailNote,
    /// The mark on a queue row marked for a bulk action.
    Marked,
}

impl Role {
    /// The role a priority is drawn in.
    pub fn of_priority(p: crate::domain::Priority) -> Role {
        match p {
            crate::domain::Priority::P1 => Role::P1,
            crate::domain::Priority::P2 => Role::P2,
            crate::domain::Priority::P3 => Role::P3,
            crate::domain::Priority::P4 => Role::P4,
        }
    }

    /// Every role, in the order theme files list them.
    pub const ALL: [Role; 27] = [
        Role::Text,
        Role::Muted,
        Role::Title,
        Role::Border,
        Role::BorderFocused,
        Role::Header,
        Role::Selected,
        Role::P1,
        Role::P2,
        Role::P3,
        Role::P4,
        Role::Breached,
        Role::DueSoon,
        Role::Running,
        Role::Paused,
        Role::Met,
        Role::Stopped,
        Role::PublicNote,
        Role::InternalNote,
        Role::Online,
        Role::Offline,
        Role::Stale,
        Role::Error,
        Role::StatusBar,
        Role::New,
        Role::EmailNote,
        Role::Marked,
    ];

    /// Its name in a theme file.
    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Title => "title",
            Role::Border => "border",
            Role::BorderFocused => "border_focused",
            Role::Header => "header",
            Role::Selected => "selected",
            Role::P1 => "p1",
            Role::P2 => "p2",
            Role::P3 => "p3",
            Role::P4 => "p4",
            Role::Breached => "breached",
            Role::DueSoon => "due_soon",
            Role::Running => "running",
            Role::Paused => "paused",
            Role::Met => "met",
            Role::Stopped => "stopped",
            Role::PublicNote => "public_note",
            Role::InternalNote => "internal_note",
            Role::Online => "online",
            Role::Offline => "offline",
            Role::Stale => "stale",
            Role::Error => "error",
            Role::StatusBar => "status_bar",
            Role::New => "new",
            Role::EmailNote => "email_note",
            Role::Marked => "marked",
        }
    }

    /// The role a theme file names `name`, if any.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    /// What a theme file that does not set this role draws it with: another role's style with
    /// a modifier added. Roles added after themes were first written have one, so a theme made
    /// for an older casedesk keeps loading and looks right; every chain ends at a role every
    /// file must set (`text` at the root), and those have none.
    pub fn fallback(self) -> Option<(Role, Modifier)> {
        match self {
            Role::New => Some((Role::Text, Modifier::BOLD)),
            // Mail is a public note that came another way: drawn as one, set apart in italics.
            Role::EmailNote => Some((Role::PublicNote, Modifier::ITALIC)),
            // A mark is a glyph of its own; bold keeps it plain in any theme, mono included.
            Role::Marked => Some((Role::Text, Modifier::BOLD)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

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
    styles: [Style; Role::ALL.len()],
}

impl RoleDef {
    /// The style it writes, at `depth`; a bad colour is named with its role.
    fn style(&self, role: Role, depth: ColorDepth) -> Result<Style, String> {
        let color = |c: &Option<String>| -> Result<Option<Color>, String> {
            c.as_deref()
                .map(parse_color)
                .transpose()
                .map(|w| w.and_then(|w| w.at(depth)))
                .map_err(|e| format!("role '{}': {e}", role.name()))
        };
        let mut style = Style::default();
        if let Some(fg) = color(&self.fg)? {
            style = style.fg(fg);
        }
        if let Some(bg) = color(&self.bg)? {
            style = style.bg(bg);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reverse, Modifier::REVERSED),
        ] {
            if on {
                style = style.add_modifier(m);
            }
        }
        Ok(style)
    }
}

impl Theme {
    /// Reads a theme file. Every role without a fallback must be given (so no pane draws an
    /// unthemed element), a role with one that is not given takes its fallback's style, and
    /// unknown roles are refused (a typo would otherwise be silently ignored).
    pub fn parse(source_name: &str, text: &str, depth: ColorDepth) -> Result<Theme, ThemeError> {
        let invalid = |message: String| ThemeError::Invalid {
            source_name: source_name.to_string(),
            message,
        };
        let file: ThemeFile = toml::from_str(text)
            .map_err(|e| invalid(crate::sla::toml_error(source_name, text, &e)))?;
        let named = file
            .roles
            .iter()
            .map(|(name, def)| {
                Role::from_name(name)
                    .map(|role| (role, def))
                    .ok_or_else(|| {
                        invalid(format!(
                            "unknown role '{name}': expected one of {}",
                            Role::ALL.map(Role::name).join(", ")
                        ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut given = BTreeMap::new();
        for (role, def) in named {
            given.insert(role, def.style(role, depth).map_err(invalid)?);
        }
        let mut styles = [Style::default(); Role::ALL.len()];
        for role in Role::ALL {
            styles[role as usize] = Theme::resolve(role, &given).map_err(|missing| {
                invalid(format!(
                    "role '{missing}' is missing: every role needs a style, even an empty one ({missing} = {{}})",
                    missing = missing.name()
                ))
            })?;
        }
        Ok(Theme {
            name: file.name,
            styles,
        })
    }

    /// The style of `role` from the roles a file gives, following fallbacks (atuin's
    /// `closest_meaning`); the error is the role at the chain's end, which the file must give.
    fn resolve(role: Role, given: &BTreeMap<Role, Style>) -> Result<Style, Role> {
        let mut at = role;
        let mut added = Modifier::empty();
        // Each step moves towards a role without a fallback; the bound guards a cycle.
        for _ in 0..Role::ALL.len() {
            if let Some(style) = given.get(&at) {
                return Ok(style.add_modifier(added));
            }
            let (next, modifier) = at.fallback().ok_or(at)?;
            added |= modifier;
            at = next;
        }
        Err(at)
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

    /// The style of a role.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
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
        for role in Role::ALL {
            let s = theme.style(role);
            assert_eq!((s.fg, s.bg), (None, None), "{role}");
        }
        assert!(
            theme
                .style(Role::Breached)
                .add_modifier
                .contains(Modifier::BOLD)
        );
        let mono = Theme::builtin("mono", ColorDepth::TrueColor).unwrap();
        assert!(
            mono.style(Role::Selected)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(
            mono.style(Role::P1)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
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
        let full: String = Role::ALL
            .iter()
            .map(|r| format!("{} = {{}}\n", r.name()))
            .collect();
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
        assert!(theme.style(Role::New).add_modifier.contains(Modifier::BOLD));
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

    #[test]
    fn every_role_round_trips_through_its_name() {
        for (i, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(Role::from_name(role.name()), Some(role));
            assert_eq!(role.to_string(), role.name());
            // Styles are stored by discriminant: `ALL` must list the roles in declaration order.
            assert_eq!(role as usize, i, "{role}");
        }
        assert_eq!(Role::from_name("due-soon"), None);
    }

    #[test]
    fn every_fallback_chain_ends_at_a_role_every_file_sets() {
        for role in Role::ALL {
            let mut at = role;
            let mut steps = 0;
            while let Some((next, _)) = at.fallback() {
                at = next;
                steps += 1;
                assert!(steps <= Role::ALL.len(), "{role} falls back in a cycle");
            }
        }
    }

    #[test]
    fn an_older_theme_without_a_newer_role_draws_it_with_its_fallback() {
        let older: String = Role::ALL
            .iter()
            .filter(|r| **r != Role::New)
            .map(|r| match r {
                Role::Text => "text = { fg = \"red\", italic = true }\n".to_string(),
                r => format!("{r} = {{}}\n"),
            })
            .collect();
        let theme = Theme::parse(
            "old.toml",
            &format!("name = \"old\"\n[roles]\n{older}"),
            ColorDepth::Ansi16,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Role::New.fallback(), Some((Role::Text, Modifier::BOLD)));
        assert_eq!(
            theme.style(Role::New),
            Style::default()
                .fg(Color::Red)
                .add_modifier(Modifier::ITALIC | Modifier::BOLD)
        );
    }

    #[test]
    fn a_theme_from_before_mail_draws_a_mailed_note_as_a_public_one_in_italics() {
        let older: String = Role::ALL
            .iter()
            .filter(|r| **r != Role::EmailNote)
            .map(|r| match r {
                Role::PublicNote => "public_note = { fg = \"green\" }\n".to_string(),
                r => format!("{r} = {{}}\n"),
            })
            .collect();
        let theme = Theme::parse(
            "old.toml",
            &format!("name = \"old\"\n[roles]\n{older}"),
            ColorDepth::Ansi16,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            theme.style(Role::EmailNote),
            Style::default()
                .fg(Color::Green)
                .add_modifier(Modifier::ITALIC)
        );
    }

    #[test]
    fn a_misspelt_role_is_refused_with_the_file_and_the_names_expected() {
        let e = Theme::parse(
            "/home/me/.config/casedesk/themes/mine.toml",
            "name = \"mine\"\n[roles]\ndue_son = { fg = \"red\" }\n",
            ColorDepth::Ansi16,
        )
        .unwrap_err();
        let ThemeError::Invalid {
            source_name,
            message,
        } = &e
        else {
            panic!("{e}");
        };
        assert_eq!(source_name, "/home/me/.config/casedesk/themes/mine.toml");
        assert!(
            message.starts_with("unknown role 'due_son': expected one of text, muted, "),
            "{message}"
        );
        assert!(
            message.contains("due_soon")
                && message.ends_with("status_bar, new, email_note, marked"),
            "{message}"
        );
    }
}
