//! Big digits for a screen read from across the room: a 3×5 block font, scaled to fit.

/// The glyphs: digits, `:`, `-` and `%`, each five rows of three pixels.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        ':' => ["   ", " # ", "   ", " # ", "   "],
        'd' => ["  #", "  #", "###", "# #", "###"],
        'h' => ["#  ", "#  ", "###", "# #", "# #"],
        '-' => ["   ", "   ", "###", "   ", "   "],
        '%' => ["# #", "  #", " # ", "#  ", "# #"],
        ' ' => ["   ", "   ", "   ", "   ", "   "],
        _ => return None,
    })
}

/// Rows of a pixel: a pixel is `2 × scale` columns wide and `scale` rows tall (terminal cells
/// are about twice as tall as wide).
pub const GLYPH_ROWS: u16 = 5;

/// The columns `text` takes at `scale` (one blank pixel between characters).
pub fn width(text: &str, scale: u16) -> u16 {
    let n = text.chars().count() as u16;
    if n == 0 {
        return 0;
    }
    (n * 3 + (n - 1)) * 2 * scale
}

/// The largest scale at which `text` fits in `cols`×`rows`, or `None` when it does not fit
/// even at scale 1 (or holds a character the font lacks).
pub fn fit(text: &str, cols: u16, rows: u16) -> Option<u16> {
    if text.chars().any(|c| glyph(c).is_none()) {
        return None;
    }
    (1..=8)
        .rev()
        .find(|&s| width(text, s) <= cols && GLYPH_ROWS * s <= rows)
}

/// `text` drawn at `scale` as lines of `█` and spaces.
pub fn render(text: &str, scale: u16) -> Vec<String> {
    let s = scale.max(1) as usize;
    let glyphs: Vec<[&str; 5]> = text.chars().filter_map(glyph).collect();
    let mut lines = Vec::with_capacity(5 * s);
    for row in 0..5 {
        let mut line = String::new();
        for (i, g) in glyphs.iter().enumerate() {
            if i > 0 {
                line.push_str(&" ".repeat(2 * s));
            }
            for px in g[row].chars() {
                let cell = if px == '#' { "█" } else { " " };
                line.push_str(&cell.repeat(2 * s));
            }
        }
        for _ in 0..s {
            lines.push(line.clone());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_scale_and_fit() {
        assert_eq!(render("1", 1)[0], "  ██  ");
        assert_eq!(render("10", 1).len(), 5);
        assert_eq!(render("10", 2).len(), 10);
        assert_eq!(width("10", 1), 14);
        assert_eq!(fit("10", 14, 5), Some(1));
        assert_eq!(fit("10", 13, 5), None);
        assert_eq!(fit("10", 60, 20), Some(4));
        assert_eq!(fit("1x", 60, 20), None, "no glyph for x");
        assert_eq!(render("%", 1)[2], "  ██  ");
        assert_eq!(fit("87%", 22, 5), Some(1));
    }
}
