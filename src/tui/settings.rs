//! The TUI's settings from the config's `[tui]` table: what `casedesk` starts with, and what
//! tests build their screens with, so a Japanese screen is drawn as a Japanese desk sees it.

use crate::config::{DisplayZone, TuiFile};
use crate::term::text::Lang;
use crate::tui::app::Settings;
use crate::tui::keymap::KeyMap;
use crate::tui::timeline::TimelineOrder;
use crate::tui::views::View;

impl Settings {
    /// The settings of `[tui]` in `lang` (the default views named in it) for `profile`; the
    /// error names the key that is wrong.
    pub fn from_file(
        tui: &TuiFile,
        lang: Lang,
        zone: DisplayZone,
        profile: &str,
    ) -> Result<Settings, String> {
        Ok(Settings {
            keys: KeyMap::with_overrides(&tui.keys)?,
            views: View::configured(&tui.views, lang)?,
            lang,
            zone,
            profile: profile.to_string(),
            timeline: TimelineOrder::choose(tui.timeline.as_deref())?,
            clipboard: tui.clipboard.unwrap_or(true),
            demo: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_japanese_desk_starts_with_its_views_named_in_japanese() {
        let zone = DisplayZone::named("UTC").unwrap();
        let ja = Settings::from_file(&TuiFile::default(), Lang::Ja, zone, "p").unwrap();
        let names: Vec<&str> = ja.views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, Lang::Ja.text().views);
        let en = Settings::from_file(&TuiFile::default(), Lang::En, zone, "p").unwrap();
        assert_eq!(en.views[6].name, "All open");
    }
}
