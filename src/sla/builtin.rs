//! The calendars and policies shipped in the binary, as the same TOML a user would write.

/// Built-in calendar files: (name for error messages, TOML text).
pub const CALENDARS: [(&str, &str); 3] = [
    ("built-in 24x7.toml", include_str!("data/24x7.toml")),
    (
        "built-in jp-business.toml",
        include_str!("data/jp-business.toml"),
    ),
    (
        "built-in us-pacific-business.toml",
        include_str!("data/us-pacific-business.toml"),
    ),
];

/// Built-in policy presets (SPEC §2.5).
pub const POLICIES: (&str, &str) = ("built-in policies.toml", include_str!("data/policies.toml"));
