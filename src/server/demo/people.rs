//! People: the desk's staff and the customers' sites with their contacts.

use crate::api::Role;
use crate::domain::ContactMethod::{self, Email as MAIL, Phone as TEL};
use crate::domain::UserType;
use crate::server::store::Caller;

/// The two languages the cases are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Ja,
    En,
}

/// The same text in Japanese and English: templates to pick from.
pub(super) struct Pool {
    pub(super) ja: &'static [&'static str],
    pub(super) en: &'static [&'static str],
}

impl Pool {
    pub(super) fn get(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

/// Someone on the desk (or the portal and the server's jobs, which also act on cases).
pub(super) struct Staff {
    pub(super) login: &'static str,
    /// How they sign in Japanese text.
    pub(super) ja: &'static str,
    /// How they sign in English text.
    pub(super) en: &'static str,
    pub(super) lang: Lang,
    pub(super) role: Role,
}

impl Staff {
    pub(super) fn caller(&self) -> Caller {
        Caller {
            name: self.login.to_string(),
            role: self.role,
        }
    }

    pub(super) fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

/// Support engineers: they own and work the technical cases.
pub(super) const ENGINEERS: &[Staff] = &[
    staff("tanaka", "田中", "Tanaka", Lang::Ja, Role::Agent),
    staff("suzuki", "鈴木", "Suzuki", Lang::Ja, Role::Agent),
    staff("sato", "佐藤", "Sato", Lang::Ja, Role::Agent),
    staff("alice", "Alice", "Alice", Lang::En, Role::Agent),
    staff("bob", "Bob", "Bob", Lang::En, Role::Agent),
];

/// Escalation managers: they handle escalations and reassign cases.
pub(super) const LEADS: &[Staff] = &[
    staff("yamamoto", "山本", "Yamamoto", Lang::Ja, Role::Lead),
    staff("carol", "Carol", "Carol", Lang::En, Role::Lead),
];

/// Customer-care agents: licences, downloads, entitlement and RMA logistics.
pub(super) const CARE: &[Staff] = &[
    staff("kimura", "木村", "Kimura", Lang::Ja, Role::Agent),
    staff("emma", "Emma", "Emma", Lang::En, Role::Agent),
];

/// A support engineer who has left: listed among the people, inactive; owns nothing.
pub(super) const FORMER: Staff = staff("ito", "伊藤", "Ito", Lang::Ja, Role::Agent);

/// Web cases are opened, and customers' web replies recorded, by the support portal.
pub(super) const PORTAL: Staff = staff(
    "web-portal",
    "Webポータル",
    "web portal",
    Lang::En,
    Role::Agent,
);

/// The server's own jobs (the auto-close).
pub(super) const SYSTEM: Staff = staff("system", "system", "system", Lang::En, Role::Admin);

const fn staff(
    login: &'static str,
    ja: &'static str,
    en: &'static str,
    lang: Lang,
    role: Role,
) -> Staff {
    Staff {
        login,
        ja,
        en,
        lang,
        role,
    }
}

pub(super) fn lead_for(lang: Lang) -> &'static Staff {
    &LEADS[usize::from(lang == Lang::En)]
}

pub(super) fn care_for(lang: Lang) -> &'static Staff {
    &CARE[usize::from(lang == Lang::En)]
}

/// A customer contact.
pub(super) struct Contact {
    pub(super) name: &'static str,
    pub(super) email: &'static str,
    pub(super) phone: &'static str,
    pub(super) prefers: ContactMethod,
    /// The language they write in.
    pub(super) lang: Lang,
}

/// A customer site: where the equipment is and who to talk to.
pub(super) struct Site {
    pub(super) name: &'static str,
    pub(super) id: &'static str,
    pub(super) account: &'static str,
    pub(super) user_type: UserType,
    /// Whether the site runs network equipment under a TAC contract.
    pub(super) network: bool,
    pub(super) contacts: &'static [Contact],
}

pub(super) const fn contact(
    name: &'static str,
    email: &'static str,
    phone: &'static str,
    prefers: ContactMethod,
    lang: Lang,
) -> Contact {
    Contact {
        name,
        email,
        phone,
        prefers,
        lang,
    }
}

pub(super) const SITES: &[Site] = &[
    Site {
        name: "東京本社",
        id: "TKY-HQ01",
        account: "みなと商事株式会社",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[
            contact(
                "山田 太郎",
                "taro.yamada@minato-shoji.co.jp",
                "03-5412-7781",
                TEL,
                Lang::Ja,
            ),
            contact(
                "小林 美咲",
                "misaki.kobayashi@minato-shoji.co.jp",
                "03-5412-7790",
                MAIL,
                Lang::Ja,
            ),
            contact(
                "David Miller",
                "david.miller@minato-shoji.co.jp",
                "03-5412-7702",
                MAIL,
                Lang::En,
            ),
        ],
    },
    Site {
        name: "大阪データセンター",
        id: "OSA-DC02",
        account: "みなと商事株式会社",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[
            contact(
                "中村 健",
                "ken.nakamura@minato-shoji.co.jp",
                "06-6345-2210",
                TEL,
                Lang::Ja,
            ),
            contact(
                "井上 彩",
                "aya.inoue@minato-shoji.co.jp",
                "06-6345-2214",
                MAIL,
                Lang::Ja,
            ),
        ],
    },
    Site {
        name: "名古屋工場",
        id: "NGY-FAC03",
        account: "中部精機工業株式会社",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[
            contact(
                "加藤 誠",
                "makoto.kato@chubu-seiki.co.jp",
                "052-881-4410",
                TEL,
                Lang::Ja,
            ),
            contact(
                "伊藤 由美",
                "yumi.ito@chubu-seiki.co.jp",
                "052-881-4415",
                MAIL,
                Lang::Ja,
            ),
        ],
    },
    Site {
        name: "福岡ネットワークセンター",
        id: "FUK-NOC01",
        account: "九州ネットサービス株式会社",
        user_type: UserType::Msp,
        network: true,
        contacts: &[
            contact(
                "松本 大輔",
                "daisuke.matsumoto@q-netservice.jp",
                "092-473-5521",
                TEL,
                Lang::Ja,
            ),
            contact(
                "森 翔太",
                "shota.mori@q-netservice.jp",
                "092-473-5530",
                MAIL,
                Lang::Ja,
            ),
        ],
    },
    Site {
        name: "横浜物流センター",
        id: "YKH-LOG05",
        account: "ネクストリンク株式会社",
        user_type: UserType::Var,
        network: true,
        contacts: &[contact(
            "清水 拓也",
            "takuya.shimizu@nextlink.co.jp",
            "045-662-3108",
            MAIL,
            Lang::Ja,
        )],
    },
    Site {
        name: "自宅（さいたま市）",
        id: "HOME-SAI",
        account: "佐々木 健一",
        user_type: UserType::HomeUser,
        network: false,
        contacts: &[contact(
            "佐々木 健一",
            "k.sasaki.home@example.jp",
            "090-4821-7733",
            MAIL,
            Lang::Ja,
        )],
    },
    Site {
        name: "Seattle DC",
        id: "SEA-DC01",
        account: "Minato Trading America Inc.",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[
            contact(
                "Emily Carter",
                "emily.carter@minato-us.com",
                "+1 206-555-0148",
                TEL,
                Lang::En,
            ),
            contact(
                "渡辺 健二",
                "kenji.watanabe@minato-us.com",
                "+1 206-555-0163",
                MAIL,
                Lang::Ja,
            ),
        ],
    },
    Site {
        name: "San Jose Lab",
        id: "SJC-LAB02",
        account: "Bayview Semiconductor Inc.",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[
            contact(
                "Michael Chen",
                "mchen@bayviewsemi.com",
                "+1 408-555-0117",
                MAIL,
                Lang::En,
            ),
            contact(
                "Priya Patel",
                "ppatel@bayviewsemi.com",
                "+1 408-555-0129",
                TEL,
                Lang::En,
            ),
        ],
    },
    Site {
        name: "Austin Office",
        id: "AUS-OF03",
        account: "Bayview Semiconductor Inc.",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[contact(
            "Jessica Moore",
            "jmoore@bayviewsemi.com",
            "+1 512-555-0186",
            MAIL,
            Lang::En,
        )],
    },
    Site {
        name: "New York Trading Floor",
        id: "NYC-TF01",
        account: "Hudson Capital Markets LLC",
        user_type: UserType::BusinessUser,
        network: true,
        contacts: &[contact(
            "Robert Sullivan",
            "rsullivan@hudsoncm.com",
            "+1 212-555-0104",
            TEL,
            Lang::En,
        )],
    },
    Site {
        name: "Chicago NOC",
        id: "CHI-NOC04",
        account: "Pacific Managed IT LLC",
        user_type: UserType::Msp,
        network: true,
        contacts: &[
            contact(
                "Daniel Kim",
                "dkim@pacificmit.com",
                "+1 312-555-0172",
                MAIL,
                Lang::En,
            ),
            contact(
                "Laura Gomez",
                "lgomez@pacificmit.com",
                "+1 312-555-0190",
                TEL,
                Lang::En,
            ),
        ],
    },
    Site {
        name: "Home office (Portland)",
        id: "HOME-PDX",
        account: "Jordan Lee",
        user_type: UserType::HomeUser,
        network: false,
        contacts: &[contact(
            "Jordan Lee",
            "jordan.lee@example.com",
            "+1 503-555-0139",
            MAIL,
            Lang::En,
        )],
    },
];
