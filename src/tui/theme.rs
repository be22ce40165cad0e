//! Every style and symbol the views use, in one place: a built-in theme (`[theme] name`), the
//! `[colors]` overrides of single colours, what the terminal can show (`NO_COLOR`, `COLORTERM`),
//! and plain-ASCII symbols for `--ascii`.

use std::borrow::Cow;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::{border, scrollbar};

use crate::article::Kind;
use crate::config::{Colors, ThemeConfig, ThemeName};
use crate::render::{Side, Tone};

/// What the terminal can show, from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorSupport {
    /// `NO_COLOR` is set to something: no colour at all.
    pub no_color: bool,
    /// `COLORTERM` says `truecolor` or `24bit`: hex colours are sent as they are.
    pub truecolor: bool,
}

impl ColorSupport {
    /// 24-bit colour, no `NO_COLOR`: what tests and benchmarks draw with.
    pub const TRUECOLOR: ColorSupport = ColorSupport { no_color: false, truecolor: true };

    pub fn from_env() -> ColorSupport {
        ColorSupport::from_vars(std::env::var_os("NO_COLOR").as_deref(), std::env::var("COLORTERM").ok().as_deref())
    }

    /// `NO_COLOR` counts when it is set and not empty (no-color.org); `COLORTERM` when it is
    /// `truecolor` or `24bit`.
    pub fn from_vars(no_color: Option<&std::ffi::OsStr>, colorterm: Option<&str>) -> ColorSupport {
        ColorSupport {
            no_color: no_color.is_some_and(|v| !v.is_empty()),
            truecolor: colorterm.is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "truecolor" || v == "24bit"
            }),
        }
    }
}

/// How many colours a theme may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Any colour, hex included.
    TrueColor,
    /// Hex becomes the nearest of the 256-colour palette.
    Palette256,
    /// Everything becomes the nearest of the 16 ANSI colours.
    Ansi16,
}

/// The characters of borders, markers and scrollbars: Unicode, or plain ASCII.
#[derive(Debug, Clone)]
pub struct Symbols {
    pub ascii: bool,
    pub border: border::Set<'static>,
    pub scrollbar: scrollbar::Set<'static>,
    /// Before the selected row of the list.
    pub selected: &'static str,
    pub unread: &'static str,
    pub star: &'static str,
    /// The reading cursor's bar in the gutter.
    pub cursor: &'static str,
    /// The rule between the side-by-side columns, lit beside the cursor.
    pub divider: &'static str,
    /// Between facts: ` · `.
    pub separator: &'static str,
    /// Between the parts of the status line.
    pub status_separator: &'static str,
    /// Before the paragraph number in the status line.
    pub paragraph: &'static str,
    /// The active filter in the picker.
    pub check: &'static str,
    /// Between width and height.
    pub times: &'static str,
}

impl Symbols {
    pub fn unicode() -> Symbols {
        Symbols {
            ascii: false,
            border: border::PLAIN,
            scrollbar: scrollbar::DOUBLE_VERTICAL,
            selected: "▌",
            unread: "●",
            star: "★",
            cursor: "▌",
            divider: "│",
            separator: " · ",
            status_separator: " │ ",
            paragraph: "¶",
            check: "✓",
            times: "×",
        }
    }

    pub fn ascii() -> Symbols {
        Symbols {
            ascii: true,
            border: ASCII_BORDER,
            scrollbar: scrollbar::Set { track: "|", thumb: "#", begin: "^", end: "v" },
            selected: ">",
            unread: "+",
            star: "*",
            cursor: "|",
            divider: "|",
            separator: " - ",
            status_separator: " | ",
            paragraph: "#",
            check: "x",
            times: "x",
        }
    }
}

/// Borders of `+`, `-` and `|` (ratatui's `PLAIN` set is box drawing).
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The interface symbols that reach the screen from strings the views do not compose themselves
/// (language pairs, the reader's header and rules, truncation), with their ASCII stand-ins:
/// one column each, so laid-out text keeps its place.
const ASCII_MAP: &[(char, &str)] = &[
    ('→', ">"),
    ('↕', "^"),
    ('·', "-"),
    ('…', "."),
    ('│', "|"),
    ('─', "-"),
    ('▎', "|"),
    ('▌', "|"),
    ('¶', "#"),
    ('✓', "x"),
    ('×', "x"),
    ('●', "+"),
    ('★', "*"),
];

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: ThemeName,
    /// Plain text and the background of the whole screen.
    pub base: Style,
    /// Titles, headings, the focused border.
    pub accent: Style,
    /// Source-language text where both languages share one column.
    pub source: Style,
    /// Secondary text.
    pub dim: Style,
    pub selection: Style,
    pub selection_unfocused: Style,
    pub status: Style,
    pub warning: Style,
    pub border: Style,
    pub border_focused: Style,
    pub list_title: Style,
    pub list_meta: Style,
    /// The unread and star markers.
    pub list_marker: Style,
    /// Every match of a find in the reader, and the one `n` went to.
    pub find_match: Style,
    pub find_current: Style,
    /// Popups: the help, the problems, the picker and the peek.
    pub overlay: Style,
    /// The reading cursor's bar.
    pub cursor: Style,
    pub symbols: Symbols,
}

/// The colours of a coloured theme, before overrides and fitting.
#[derive(Debug, Clone, Copy)]
struct Palette {
    fg: Color,
    bg: Color,
    accent: Color,
    source: Color,
    dim: Color,
    selection_fg: Color,
    selection_bg: Color,
    status_fg: Color,
    status_bg: Color,
    warning: Color,
}

const fn hex(rgb: u32) -> Color {
    Color::Rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

impl Palette {
    fn of(name: ThemeName) -> Palette {
        use Color::*;
        match name {
            // The terminal's own colours; the status line is its reverse.
            ThemeName::Default | ThemeName::Mono => Palette {
                fg: Reset,
                bg: Reset,
                accent: Cyan,
                source: Yellow,
                dim: DarkGray,
                selection_fg: Black,
                selection_bg: Cyan,
                status_fg: Reset,
                status_bg: Reset,
                warning: LightRed,
            },
            ThemeName::Sixteen => Palette {
                fg: Reset,
                bg: Reset,
                accent: LightCyan,
                source: LightYellow,
                dim: DarkGray,
                selection_fg: Black,
                selection_bg: LightCyan,
                status_fg: Black,
                status_bg: Cyan,
                warning: LightRed,
            },
            ThemeName::Light => Palette {
                fg: hex(0x24292f),
                bg: hex(0xffffff),
                accent: hex(0x0550ae),
                source: hex(0x953800),
                dim: hex(0x6e7781),
                selection_fg: hex(0x24292f),
                selection_bg: hex(0xb6e3ff),
                status_fg: hex(0xffffff),
                status_bg: hex(0x0550ae),
                warning: hex(0xcf222e),
            },
            ThemeName::Dark => Palette {
                fg: hex(0xc9d1d9),
                bg: hex(0x0d1117),
                accent: hex(0x58a6ff),
                source: hex(0xe3b341),
                dim: hex(0x8b949e),
                selection_fg: hex(0x0d1117),
                selection_bg: hex(0x58a6ff),
                status_fg: hex(0xc9d1d9),
                status_bg: hex(0x30363d),
                warning: hex(0xff7b72),
            },
        }
    }

    fn with(mut self, c: &Colors) -> Palette {
        for (slot, value) in [
            (&mut self.fg, c.foreground),
            (&mut self.bg, c.background),
            (&mut self.accent, c.accent),
            (&mut self.source, c.source),
            (&mut self.dim, c.dim),
            (&mut self.selection_fg, c.selection_fg),
            (&mut self.selection_bg, c.selection_bg),
            (&mut self.status_fg, c.status_fg),
            (&mut self.status_bg, c.status_bg),
            (&mut self.warning, c.warning),
        ] {
            if let Some(colour) = value.0 {
                *slot = colour;
            }
        }
        self
    }

    fn fit(self, depth: Depth) -> Palette {
        let f = |c| fit(c, depth);
        Palette {
            fg: f(self.fg),
            bg: f(self.bg),
            accent: f(self.accent),
            source: f(self.source),
            dim: f(self.dim),
            selection_fg: f(self.selection_fg),
            selection_bg: f(self.selection_bg),
            status_fg: f(self.status_fg),
            status_bg: f(self.status_bg),
            warning: f(self.warning),
        }
    }
}

impl Theme {
    /// The `default` theme with the `[colors]` overrides, in 24-bit colour and Unicode symbols,
    /// whatever the environment says (for tests and benchmarks).
    pub fn from_colors(c: &Colors) -> Theme {
        let config = ThemeConfig { name: ThemeName::Default, ascii: false };
        Theme::from_config(&config, c, ColorSupport::TRUECOLOR)
    }

    /// The theme in force: `NO_COLOR` gives `mono`; otherwise the named theme with the
    /// `[colors]` overrides, fitted to what the terminal shows.
    pub fn from_config(config: &ThemeConfig, colors: &Colors, support: ColorSupport) -> Theme {
        let name = if support.no_color { ThemeName::Mono } else { config.name };
        let symbols = if config.ascii { Symbols::ascii() } else { Symbols::unicode() };
        if name == ThemeName::Mono {
            return Theme::mono(symbols);
        }
        let depth = match name {
            ThemeName::Sixteen => Depth::Ansi16,
            _ if support.truecolor => Depth::TrueColor,
            _ => Depth::Palette256,
        };
        Theme::coloured(name, Palette::of(name).with(colors).fit(depth), symbols)
    }

    /// A built-in theme without overrides.
    pub fn named(name: ThemeName, ascii: bool, support: ColorSupport) -> Theme {
        Theme::from_config(&ThemeConfig { name, ascii }, &Colors::default(), support)
    }

    fn coloured(name: ThemeName, p: Palette, symbols: Symbols) -> Theme {
        let fg = |c: Color| Style::new().fg(c);
        let mut base = Style::new();
        if p.fg != Color::Reset {
            base = base.fg(p.fg);
        }
        if p.bg != Color::Reset {
            base = base.bg(p.bg);
        }
        let status = if p.status_fg == Color::Reset && p.status_bg == Color::Reset {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(p.status_fg).bg(p.status_bg)
        };
        Theme {
            name,
            base,
            accent: fg(p.accent),
            source: fg(p.source),
            dim: fg(p.dim),
            selection: Style::new().fg(p.selection_fg).bg(p.selection_bg),
            selection_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            status,
            warning: fg(p.warning).add_modifier(Modifier::BOLD),
            border: fg(p.dim),
            border_focused: fg(p.accent),
            list_title: Style::new().add_modifier(Modifier::BOLD),
            list_meta: fg(p.dim),
            list_marker: fg(p.accent),
            find_match: Style::new().add_modifier(Modifier::REVERSED),
            find_current: Style::new().fg(p.selection_fg).bg(p.warning).add_modifier(Modifier::BOLD),
            overlay: base,
            cursor: fg(p.accent),
            symbols,
        }
    }

    /// No colour at all: every style is made of modifiers.
    fn mono(symbols: Symbols) -> Theme {
        let m = |m: Modifier| Style::new().add_modifier(m);
        Theme {
            name: ThemeName::Mono,
            base: Style::new(),
            accent: m(Modifier::BOLD),
            source: m(Modifier::ITALIC),
            dim: m(Modifier::DIM),
            selection: m(Modifier::REVERSED),
            selection_unfocused: m(Modifier::UNDERLINED),
            status: m(Modifier::REVERSED),
            warning: m(Modifier::BOLD | Modifier::UNDERLINED),
            border: m(Modifier::DIM),
            border_focused: m(Modifier::BOLD),
            list_title: m(Modifier::BOLD),
            list_meta: m(Modifier::DIM),
            list_marker: m(Modifier::BOLD),
            find_match: m(Modifier::UNDERLINED),
            find_current: m(Modifier::REVERSED | Modifier::BOLD),
            overlay: Style::new(),
            cursor: m(Modifier::BOLD),
            symbols,
        }
    }

    /// The style of a piece of article text. `colour_source` is set where both languages share
    /// one column, so the source stands apart.
    pub fn tone(&self, tone: Tone, colour_source: bool) -> Style {
        match tone {
            Tone::Title => self.accent.add_modifier(Modifier::BOLD),
            Tone::SourceTitle | Tone::Meta | Tone::Rule | Tone::Gutter => self.dim,
            Tone::Divider => Style::new(),
            Tone::Placeholder | Tone::Summary => self.dim.add_modifier(Modifier::ITALIC),
            Tone::Body(kind, side) => {
                let base = if side == Side::Source && colour_source { self.source } else { Style::new() };
                match kind {
                    Kind::Text => base,
                    Kind::Heading => base.patch(self.accent).add_modifier(Modifier::BOLD),
                    Kind::Quote => base.add_modifier(Modifier::ITALIC),
                    Kind::Caption => base.add_modifier(Modifier::ITALIC | Modifier::DIM),
                }
            }
        }
    }

    /// A string a view shows (a title, a language pair, a message), with the interface symbols
    /// in ASCII when asked for. Article text keeps its own characters.
    pub fn ui<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.symbols.ascii { to_ascii(s) } else { Cow::Borrowed(s) }
    }

    /// [`crate::text::truncate`] with `...` for `…` in ASCII mode.
    pub fn truncate(&self, s: &str, w: usize) -> String {
        if !self.symbols.ascii || crate::text::width(s) <= w {
            return crate::text::truncate(s, w);
        }
        if w < 4 {
            return ".".repeat(w);
        }
        let mut t = crate::text::truncate(s, w - 2);
        if t.ends_with('…') {
            t.pop();
            t.push_str("...");
        }
        t
    }

    /// A laid-out cell of the reader as drawn: in ASCII mode its rules, dividers, quote bar and
    /// the separators and arrows of the header become ASCII, one column for one.
    pub fn cell<'a>(&self, tone: Tone, text: &'a str) -> Cow<'a, str> {
        if !self.symbols.ascii {
            return Cow::Borrowed(text);
        }
        match tone {
            Tone::Rule | Tone::Divider | Tone::Meta | Tone::Placeholder | Tone::Gutter => to_ascii(text),
            Tone::Body(Kind::Quote, _) if text.starts_with('▎') => {
                Cow::Owned(format!("|{}", &text['▎'.len_utf8()..]))
            }
            _ => Cow::Borrowed(text),
        }
    }
}

/// Replaces the interface symbols of `ASCII_MAP` in `s`.
/// The interface symbols of `s` (borders, markers, arrows, separators) in ASCII.
pub fn to_ascii(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(|c| ASCII_MAP.iter().any(|(u, _)| *u == c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match ASCII_MAP.iter().find(|(u, _)| *u == c) {
            Some((_, a)) => out.push_str(a),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The 16 ANSI colours as xterm shows them by default.
const ANSI: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The six levels of each channel of the 6×6×6 cube (indexes 16 to 231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2) as u32;
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The RGB value of a 256-colour index, as xterm shows it.
pub fn index_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..16 => ANSI[usize::from(i)].1,
        16..232 => {
            let i = i - 16;
            (CUBE[usize::from(i / 36)], CUBE[usize::from(i / 6 % 6)], CUBE[usize::from(i % 6)])
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// The nearest of the 256-colour palette to an RGB colour: the nearest point of the colour cube
/// or of the grey ramp (indexes 16 to 255; the first 16 are whatever the terminal's palette
/// says, so they are never chosen).
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| -> usize { (0..6).min_by_key(|&i| (i32::from(CUBE[i]) - i32::from(v)).abs()).unwrap_or(0) };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = 16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8;
    let mean = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey = if mean < 8 { 232 } else { 232 + ((mean - 8 + 5) / 10).min(23) as u8 };
    if distance((r, g, b), index_rgb(grey)) < distance((r, g, b), index_rgb(cube)) { grey } else { cube }
}

/// The nearest of the 16 ANSI colours to an RGB colour.
pub fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    ANSI.iter().min_by_key(|(_, rgb)| distance((r, g, b), *rgb)).map_or(Color::Reset, |(c, _)| *c)
}

/// A colour as a terminal of `depth` can show it.
pub fn fit(c: Color, depth: Depth) -> Color {
    match (c, depth) {
        (Color::Rgb(r, g, b), Depth::Palette256) => Color::Indexed(nearest_256(r, g, b)),
        (Color::Rgb(r, g, b), Depth::Ansi16) => nearest_16(r, g, b),
        (Color::Indexed(i), Depth::Ansi16) if i < 16 => ANSI[usize::from(i)].0,
        (Color::Indexed(i), Depth::Ansi16) => {
            let (r, g, b) = index_rgb(i);
            nearest_16(r, g, b)
        }
        (c, _) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_maps_to_the_nearest_of_256() {
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(0x80, 0x80, 0x80), 244);
        assert_eq!(nearest_256(0x8a, 0xb4, 0xf8), 111);
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(0x0d, 0x11, 0x17), 233);
        // Every index of the cube and the ramp maps to itself.
        for i in 16..=255u8 {
            let (r, g, b) = index_rgb(i);
            assert_eq!(index_rgb(nearest_256(r, g, b)), (r, g, b), "{i}");
        }
    }

    #[test]
    fn sixteen_colours_only() {
        assert_eq!(nearest_16(250, 10, 10), Color::LightRed);
        assert_eq!(fit(Color::Indexed(4), Depth::Ansi16), Color::Blue);
        assert_eq!(fit(Color::Indexed(231), Depth::Ansi16), Color::White);
        assert_eq!(fit(Color::Cyan, Depth::Palette256), Color::Cyan);
        assert_eq!(fit(hex(0x112233), Depth::TrueColor), hex(0x112233));
    }

    #[test]
    fn environment() {
        use std::ffi::OsStr;
        assert!(ColorSupport::from_vars(Some(OsStr::new("1")), None).no_color);
        assert!(!ColorSupport::from_vars(Some(OsStr::new("")), None).no_color);
        assert!(ColorSupport::from_vars(None, Some("truecolor")).truecolor);
        assert!(ColorSupport::from_vars(None, Some("24bit")).truecolor);
        assert!(!ColorSupport::from_vars(None, Some("yes")).truecolor);
        let t = Theme::named(ThemeName::Dark, false, ColorSupport { no_color: true, truecolor: true });
        assert_eq!(t.name, ThemeName::Mono);
    }

    #[test]
    fn ascii_truncation_and_cells() {
        let t = Theme::named(ThemeName::Default, true, ColorSupport::TRUECOLOR);
        assert_eq!(t.truncate("abcdefghij", 8), "abcde...");
        assert_eq!(t.truncate("abc", 8), "abc");
        assert_eq!(t.ui("ko→en · Daily"), "ko>en - Daily");
        assert_eq!(t.cell(Tone::Rule, "───"), "---");
        assert_eq!(t.cell(Tone::Gutter, "↕7?"), "^7?", "a moved pair's mark keeps its width");
        assert_eq!(t.cell(Tone::Body(Kind::Quote, Side::Source), "▎ 인용"), "| 인용");
        assert_eq!(t.cell(Tone::Body(Kind::Text, Side::Source), "a·b"), "a·b", "article text stays");
    }
}
