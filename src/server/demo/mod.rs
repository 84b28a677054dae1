//! Demo data: a month of realistic support cases for `casedesk demo` and the benchmarks.
//!
//! Everything goes through the store functions with backdated instants, so the history, the SLA
//! clocks, the change feed and the search index are exactly what real use would have produced.
//! The data depends only on the seed (a small SplitMix64 generator, no dependency), so `--seed`
//! shows the same queue on every machine.
//!
//! How it is built:
//! 1. an install base: serial numbers at the customers' sites with their contracts (some
//!    expired, some missing), written as entitlements first;
//! 2. a spec per case: first the showcases, hand-made cases that make sure every state worth
//!    showing exists (breached and due-soon clocks, the P1 downgrade, overdue RMAs, every
//!    escalation and RMA state), then random cases drawn from the scenario templates;
//! 3. a story per case: timed steps (notes, status and owner changes, escalations, RMAs) fitted
//!    between the case's creation and `now`;
//! 4. the steps of a batch of cases replayed in time order against the store, one transaction
//!    per batch: the demo's own work grows linearly with the number of cases, and the writer
//!    lock is released between batches.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;

use crate::api::{
    CasePatch, Entitlement, EscalationPatch, NewCase, NewEscalation, NewNote, NewRma, NoteKind,
    RmaPatch, Role,
};
use crate::domain::{
    AnalysisRequest, Channel, CloseReason, ContactMethod, ContractTier, EscalationKind,
    EscalationState, Priority, RequestType, RmaStatus, Status, UserType, Vendor, Visibility,
};
use crate::server::db::Db;
use crate::server::store::{self, Caller, CaseQuery, Sla, StoreError};

// Short names for the data tables below.
use ContactMethod::{Email as MAIL, Phone as TEL};
use ContractTier::{Premium, SelfService, Standard, TacAdvanced, TacCare, TacPremium};
use EscalationKind::{EngineerNow, FasterProgress, FasterRma, Reassignment};
use Priority::{P1, P2, P3, P4};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2026;

/// What the demo should hold.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// How many cases to open (default 400).
    pub cases: usize,
    /// Seed of the generator: the same seed gives the same data on every machine.
    pub seed: u64,
    /// The end of the demo's month of history: cases are opened in the 30 days before it.
    pub now: DateTime<Utc>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            cases: 400,
            seed: DEFAULT_SEED,
            now: Utc::now(),
        }
    }
}

/// Cases written per transaction: large enough to amortise the commit, small enough that the
/// writer lock is never held for long.
const BATCH: usize = 500;

/// Seeds a database that holds no cases yet; returns how many cases were made (0 if the
/// database already had cases).
pub fn seed(db: &Db, sla: &Sla, options: &DemoOptions) -> Result<usize, StoreError> {
    let now = options.now;
    let base = InstallBase::generate(&mut Rng::new(options.seed), now);
    let mut specs = draw_specs(&base, options.seed, options.cases, now);
    // Cases are opened in time order, so case numbers follow the calendar.
    specs.sort_by_key(|spec| (spec.created, spec.index));

    let mut batches = specs.chunks(BATCH);
    let first = batches.next().unwrap_or_default();
    // The emptiness check, the entitlements and the first batch share one transaction, so two
    // demo starts on the same database cannot both seed it.
    let seeded = db.write_blocking(|tx| {
        if has_cases(tx)? {
            return Ok(false);
        }
        for asset in &base.assets {
            if let Some(entitlement) = asset.entitlement(now) {
                store::put_entitlement(tx, &entitlement)?;
            }
        }
        issue_staff(tx, now)?;
        write_batch(tx, sla, &base, first, options)?;
        Ok::<_, StoreError>(true)
    })?;
    if !seeded {
        return Ok(0);
    }
    for batch in batches {
        db.write_blocking(|tx| write_batch(tx, sla, &base, batch, options))?;
    }
    Ok(specs.len())
}

/// The desk's people hold tokens (secrets not kept: nobody logs in as them from here), so
/// `GET /v1/people` lists them and cases can be assigned to them; a colleague who has left
/// is listed too, inactive (their token revoked).
fn issue_staff(conn: &Connection, at: DateTime<Utc>) -> Result<(), StoreError> {
    for person in ENGINEERS.iter().chain(LEADS).chain(CARE) {
        store::create_token(conn, person.login, person.role, at)?;
    }
    store::create_token(conn, FORMER.login, FORMER.role, at)?;
    store::revoke_token(conn, FORMER.login, at)
}

fn has_cases(conn: &Connection) -> Result<bool, StoreError> {
    let query = CaseQuery {
        limit: 1,
        ..CaseQuery::default()
    };
    Ok(store::list_cases(conn, &query, &Caller::system())?.total > 0)
}

// ---------------------------------------------------------------------------------------------
// The generator

/// SplitMix64: tiny, fast, good enough for demo data, and the same on every machine.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for one case, so a case's story does not depend on its batch.
    fn for_case(seed: u64, index: usize) -> Self {
        let mut mixer = Rng::new(seed ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng::new(mixer.next_u64())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `percent` in 100.
    fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// An index into `weights`, drawn in proportion to them.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut left = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if left < w {
                return i;
            }
            left -= w;
        }
        weights.len() - 1
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Minutes, as the story tables write durations.
const H: i64 = 60;
/// Minutes in a day.
const D: i64 = 24 * H;

// ---------------------------------------------------------------------------------------------
// People

/// The two languages the cases are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Ja,
    En,
}

/// The same text in Japanese and English: templates to pick from.
struct Pool {
    ja: &'static [&'static str],
    en: &'static [&'static str],
}

impl Pool {
    fn get(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

/// Someone on the desk (or the portal and the server's jobs, which also act on cases).
struct Staff {
    login: &'static str,
    /// How they sign in Japanese text.
    ja: &'static str,
    /// How they sign in English text.
    en: &'static str,
    lang: Lang,
    role: Role,
}

impl Staff {
    fn caller(&self) -> Caller {
        Caller {
            name: self.login.to_string(),
            role: self.role,
        }
    }

    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

/// Support engineers: they own and work the technical cases.
const ENGINEERS: &[Staff] = &[
    staff("tanaka", "田中", "Tanaka", Lang::Ja, Role::Agent),
    staff("suzuki", "鈴木", "Suzuki", Lang::Ja, Role::Agent),
    staff("sato", "佐藤", "Sato", Lang::Ja, Role::Agent),
    staff("alice", "Alice", "Alice", Lang::En, Role::Agent),
    staff("bob", "Bob", "Bob", Lang::En, Role::Agent),
];

/// Escalation managers: they handle escalations and reassign cases.
const LEADS: &[Staff] = &[
    staff("yamamoto", "山本", "Yamamoto", Lang::Ja, Role::Lead),
    staff("carol", "Carol", "Carol", Lang::En, Role::Lead),
];

/// Customer-care agents: licences, downloads, entitlement and RMA logistics.
const CARE: &[Staff] = &[
    staff("kimura", "木村", "Kimura", Lang::Ja, Role::Agent),
    staff("emma", "Emma", "Emma", Lang::En, Role::Agent),
];

/// A support engineer who has left: listed among the people, inactive; owns nothing.
const FORMER: Staff = staff("ito", "伊藤", "Ito", Lang::Ja, Role::Agent);

/// Web cases are opened, and customers' web replies recorded, by the support portal.
const PORTAL: Staff = staff(
    "web-portal",
    "Webポータル",
    "web portal",
    Lang::En,
    Role::Agent,
);

/// The server's own jobs (the auto-close).
const SYSTEM: Staff = staff("system", "system", "system", Lang::En, Role::Admin);

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

fn lead_for(lang: Lang) -> &'static Staff {
    &LEADS[usize::from(lang == Lang::En)]
}

fn care_for(lang: Lang) -> &'static Staff {
    &CARE[usize::from(lang == Lang::En)]
}

/// A customer contact.
struct Contact {
    name: &'static str,
    email: &'static str,
    phone: &'static str,
    prefers: ContactMethod,
    /// The language they write in.
    lang: Lang,
}

/// A customer site: where the equipment is and who to talk to.
struct Site {
    name: &'static str,
    id: &'static str,
    account: &'static str,
    user_type: UserType,
    /// Whether the site runs network equipment under a TAC contract.
    network: bool,
    contacts: &'static [Contact],
}

const fn contact(
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

const SITES: &[Site] = &[
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

// ---------------------------------------------------------------------------------------------
// Products

/// How a vendor numbers its problem reports.
#[derive(Clone, Copy)]
enum Bugs {
    /// `CSCwd12345`
    Cisco,
    /// `PR1712345`
    Juniper,
    /// `SPX-18342`
    Backup,
}

/// A product line as installed at the sites.
struct Product {
    name: &'static str,
    vendor: Vendor,
    platforms: &'static [&'static str],
    versions: &'static [&'static str],
    /// The release with the fixes.
    fixed: &'static str,
    /// The power supply, the part the RMAs replace.
    part: &'static str,
    ifaces: &'static [&'static str],
    serial_prefix: &'static str,
    bugs: Bugs,
    /// Sold to home users.
    home: bool,
}

const PRODUCTS: &[Product] = &[
    Product {
        name: "ASR 1000 Series Router",
        vendor: Vendor::Network,
        platforms: &["ASR1001-X", "ASR1002-HX"],
        versions: &["17.9.4a", "17.6.5", "17.12.2"],
        fixed: "17.9.5",
        part: "ASR1001-X-PWR-AC",
        ifaces: &["TenGigabitEthernet0/0/0", "GigabitEthernet0/0/1"],
        serial_prefix: "FXS",
        bugs: Bugs::Cisco,
        home: false,
    },
    Product {
        name: "Catalyst 9300 Switch",
        vendor: Vendor::Network,
        platforms: &["C9300-48P", "C9300-24UX"],
        versions: &["17.9.4a", "17.6.4", "17.12.1"],
        fixed: "17.9.5",
        part: "PWR-C1-715WAC-P",
        ifaces: &["TenGigabitEthernet1/1/1", "GigabitEthernet1/0/24"],
        serial_prefix: "FOC",
        bugs: Bugs::Cisco,
        home: false,
    },
    Product {
        name: "Nexus 9000 Switch",
        vendor: Vendor::Network,
        platforms: &["N9K-C93180YC-FX"],
        versions: &["10.2(5)", "9.3(10)", "10.3(3)"],
        fixed: "10.2(6)",
        part: "NXA-PAC-650W-PE",
        ifaces: &["Ethernet1/49", "Ethernet1/12"],
        serial_prefix: "FDO",
        bugs: Bugs::Cisco,
        home: false,
    },
    Product {
        name: "MX Series Router",
        vendor: Vendor::Network,
        platforms: &["MX204", "MX480"],
        versions: &["22.4R3-S2", "21.4R3-S5", "23.2R1-S1"],
        fixed: "22.4R3-S3",
        part: "JPSU-650W-AC-AFO",
        ifaces: &["xe-0/1/0", "et-0/0/2"],
        serial_prefix: "JN",
        bugs: Bugs::Juniper,
        home: false,
    },
    Product {
        name: "SRX Series Firewall",
        vendor: Vendor::Network,
        platforms: &["SRX4600", "SRX1500"],
        versions: &["22.4R2-S1", "21.4R3-S4"],
        fixed: "22.4R3",
        part: "JPSU-1600W-AC-AFO",
        ifaces: &["xe-1/0/0", "ge-0/0/3"],
        serial_prefix: "JN",
        bugs: Bugs::Juniper,
        home: false,
    },
    Product {
        name: "ShadowProtect SPX",
        vendor: Vendor::Backup,
        platforms: &[
            "Windows Server 2019",
            "Windows Server 2022",
            "Ubuntu 22.04 LTS",
        ],
        versions: &["7.5.6", "7.5.3", "7.6.0"],
        fixed: "7.6.1",
        part: "",
        ifaces: &[],
        serial_prefix: "SPX",
        bugs: Bugs::Backup,
        home: false,
    },
    Product {
        name: "ShadowProtect Server",
        vendor: Vendor::Backup,
        platforms: &["Windows Server 2016", "Windows Server 2012 R2"],
        versions: &["5.2.7", "5.2.8"],
        fixed: "5.2.9",
        part: "",
        ifaces: &[],
        serial_prefix: "SPS",
        bugs: Bugs::Backup,
        home: false,
    },
    Product {
        name: "ImageManager",
        vendor: Vendor::Backup,
        platforms: &["Windows Server 2022", "Windows Server 2019"],
        versions: &["7.6.1", "7.5.6"],
        fixed: "7.6.2",
        part: "",
        ifaces: &[],
        serial_prefix: "IMG",
        bugs: Bugs::Backup,
        home: false,
    },
    Product {
        name: "Backup Appliance",
        vendor: Vendor::Backup,
        platforms: &["BA-4400", "BA-2200"],
        versions: &["12.1.2", "12.0.4", "11.8.3"],
        fixed: "12.1.3",
        part: "",
        ifaces: &[],
        serial_prefix: "BA",
        bugs: Bugs::Backup,
        home: false,
    },
    Product {
        name: "ShadowProtect Desktop",
        vendor: Vendor::Backup,
        platforms: &["Windows 11 Pro", "Windows 10 Pro"],
        versions: &["5.2.7"],
        fixed: "5.2.8",
        part: "",
        ifaces: &[],
        serial_prefix: "SPD",
        bugs: Bugs::Backup,
        home: true,
    },
];

/// Server names for the backup scenarios.
const SERVERS: &[&str] = &[
    "FS01",
    "SQL-PRD-01",
    "EXCH02",
    "APP-SV03",
    "tky-file01",
    "osa-db02",
    "HV-HOST01",
    "erp-db01",
];
/// Times of day the customers mention.
const TIMES: &[&str] = &[
    "02:00", "03:30", "01:15", "22:00", "09:40", "14:20", "06:05", "23:45",
];

// ---------------------------------------------------------------------------------------------
// Scenarios: what the cases are about, in the spirit of the two seed guides.
//
// Templates fill `{name}` placeholders from the case (see `Ctx::get`); `{rma}` is filled when
// the step is written, once the RMA has its number.

/// How often a scenario's case names a serial number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SerialUse {
    Always,
    Often,
    Rarely,
}

/// A kind of case and the words it is told in.
struct Scenario {
    key: &'static str,
    /// Whose products it concerns; `None`: either vendor's.
    vendor: Option<Vendor>,
    request: RequestType,
    /// The priority the customer usually picks.
    priority: Priority,
    serial: SerialUse,
    /// Ends in a replacement part (RMA).
    rma: bool,
    /// May turn out to be a product defect (a problem report).
    pr: bool,
    /// How common it is among the random cases.
    weight: u32,
    /// Error messages and log lines (`{code}`).
    codes: &'static [&'static str],
    subjects: Pool,
    descriptions: Pool,
    /// Progress notes by support.
    updates: Pool,
    /// The note that gives the solution.
    solutions: Pool,
}

const CORE_DOWN: Scenario = Scenario {
    key: "core_down",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P1,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 3,
    codes: &[
        "%SYS-2-MALLOCFAIL: Memory allocation of 65536 bytes failed from 0x7F3A2C10, alignment 0",
        "%PLATFORM-4-ELEMENT_WARNING: R0/0: smand: RP/0: Used Memory value 97% exceeds warning level 90%",
        "%IOSXE-2-PLATFORM: R0/0: kernel: watchdog: BUG: soft lockup - CPU#2 stuck for 22s",
        "kernel: Oops: 0000 [#1] SMP; fpc0 panic: page fault while in kernel mode",
    ],
    subjects: Pool {
        ja: &[
            "【緊急】{site} コアルーター {platform} がダウン、全拠点で通信断",
            "{platform}（{serial}）が応答なし・{site} のサービス停止",
            "コアルーターが再起動を繰り返す／{site} の基幹ネットワーク停止",
        ],
        en: &[
            "P1: core router {platform} down at {site} - all traffic lost",
            "{site} outage: {platform} ({serial}) unresponsive after reload",
            "Core router crash loop, production network down",
        ],
    },
    descriptions: Pool {
        ja: &[
            "本日 {time} 頃より、{site} のコアルーター {platform}（シリアル番号 {serial}、ソフトウェア {version}）が応答しなくなりました。\n\nコンソール接続でも応答がなく、配下の全セグメントで通信ができない状態です。基幹業務システムが停止しており、業務影響は甚大です。\n\n直前の変更作業: なし\n最後に表示されたメッセージ: {code}\n\n至急の対応をお願いいたします。電話での連絡を希望します（{phone}）。",
            "【障害概要】\n{site}（サイトID {site_id}）のコアルーター {platform} が {time} 頃に再起動し、その後起動途中で停止と再起動を繰り返しています。\n\n【環境】\n製品: {product}\nプラットフォーム: {platform}\nソフトウェア: {version}\nシリアル番号: {serial}\n\n【発生状況】\nコンソールには以下が出力されています。\n{code}\nROMMON までは到達しますが、イメージのロード後に再起動します。冗長構成の待機系も同時に停止したため、現在すべての WAN 回線が切断されています。\n\n【業務影響】\n全社の受発注システムとコールセンターが利用できません。本日中の復旧が必要です。\n\n【お願い】\n至急エンジニアからの連絡をお願いします。現地に作業員が待機しており、コンソール接続を提供できます。",
        ],
        en: &[
            "Since about {time} local time the core router at {site} ({platform}, serial {serial}, running {version}) has stopped forwarding traffic. The console is unresponsive and every downstream segment is down.\n\nThis is a full production outage. No changes were made beforehand. Last message seen on the console:\n{code}\n\nPlease call {phone} as soon as possible.",
            "Summary\n{platform} at {site} (site ID {site_id}) reloaded at {time} and has been stuck in a boot loop since.\n\nEnvironment\nProduct: {product}\nSoftware: {version}\nSerial: {serial}\n\nWhat we see\nThe console prints:\n{code}\nIt reaches ROMMON, loads the image and reloads again. The standby unit went down at the same time, so all WAN links are down.\n\nBusiness impact\nOrder processing and the call center are down for the whole company. We need service back today.\n\nWe have staff on site and can give you console access right away.",
        ],
    },
    updates: Pool {
        ja: &[
            "クラッシュ情報（crashinfo）とコアファイルを解析中です。現時点ではフォワーディングプロセスのメモリ破損によるクラッシュの可能性が高いと見ています。次回の更新は4時間以内に行います。",
            "現地の作業員の方と待機系への切り替えを実施しました。切り替え後、主要サービスの通信が回復していることを確認済みです。根本原因の調査を継続します。",
        ],
        en: &[
            "We're analysing the crashinfo and the core file. The current theory is a memory corruption in the forwarding process. Next update within 4 hours.",
            "We walked the on-site team through failing over to the standby unit; key services are passing traffic again. Root-cause analysis continues.",
        ],
    },
    solutions: Pool {
        ja: &[
            "解析の結果、{version} の既知の不具合によるクラッシュと判明しました。{fixed} で修正されています。暫定対処として該当機能を無効化する設定を適用いただき、安定稼働を確認しました。計画的なアップグレードをお願いいたします。",
            "起動イメージの破損が原因でした。正常なイメージを再転送し、ブート変数を修正したことで正常に起動しました。念のため待機系のイメージも検証済みです。",
        ],
        en: &[
            "The crash is a known defect in {version}, fixed in {fixed}. As a workaround we disabled the affected feature and the router has been stable since. Please schedule the upgrade.",
            "The boot image was corrupted. After copying a good image and fixing the boot variable the router came up normally; we verified the standby's image too.",
        ],
    },
};

const BGP_FLAP: Scenario = Scenario {
    key: "bgp_flap",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 4,
    codes: &[
        "%BGP-5-ADJCHANGE: neighbor {peer} Down BGP Notification sent",
        "%BGP-3-NOTIFICATION: sent to neighbor {peer} 4/0 (hold time expired) 0 bytes",
        "rpd[2217]: BGP_IO_ERROR_CLOSE_SESSION: BGP peer {peer} (External AS {asn}): Hold timer expired",
        "bgp_hold_timeout:4011: NOTIFICATION sent to {peer} (External AS {asn}): code 4 (Hold Timer Expired Error)",
    ],
    subjects: Pool {
        ja: &[
            "BGP ネイバー {peer} が断続的にフラップする",
            "{site} の BGP セッション（AS{asn}）が数時間おきにダウン",
            "eBGP ピア {peer} でセッション断が頻発（Hold timer expired）",
        ],
        en: &[
            "Intermittent BGP flaps with neighbor {peer}",
            "BGP session to AS{asn} drops every few hours at {site}",
            "eBGP peer {peer} keeps resetting (hold timer expired)",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} のルーター {platform}（{version}）で、上位 ISP との BGP セッション（ネイバー {peer}、AS{asn}）が1日に数回ダウン／アップを繰り返しています。\n\nログ:\n{code}\n\n通信は冗長経路に迂回されますが、切り替えのたびに数十秒の通信断が発生しています。",
            "【現象】\n{time} 頃から、BGP ネイバー {peer}（AS{asn}）とのセッションが断続的に切断されます。ホールドタイマー満了によるものと思われます。\n\n【確認済み事項】\n・物理インターフェース {iface} のエラーカウンタは増加していません\n・ISP 側では障害は確認されていないとの回答です\n・同じ構成の他拠点では発生していません\n\n【ログ抜粋】\n{code}\n\n【影響】\nセッション断のたびに経路が再収束し、{site} からクラウドサービスへの通信が30秒ほど途切れます。重要な機能に影響が出ているため、優先度は高でお願いします。",
        ],
        en: &[
            "The BGP session between our {platform} at {site} ({version}) and our upstream provider (neighbor {peer}, AS{asn}) goes down and comes back several times a day.\n\nLog:\n{code}\n\nTraffic fails over to the backup path, but every flap costs us 20-40 seconds of loss.",
            "What happens\nSince {time}, the session with {peer} (AS{asn}) drops intermittently, apparently on hold-timer expiry.\n\nWhat we checked\n- No errors incrementing on {iface}\n- The ISP sees nothing on their side\n- Other sites with the same design are fine\n\nLog excerpt\n{code}\n\nImpact\nEach flap triggers reconvergence and users at {site} lose access to cloud services for about 30 seconds.",
        ],
    },
    updates: Pool {
        ja: &[
            "受領したログを解析した結果、コントロールプレーンの CPU 使用率が高い時間帯に BGP キープアライブの送信が遅延していることがわかりました。CPU 負荷の要因を調査しています。",
            "ISP 側とのタイマー値の不一致（hold time 90秒／30秒）を確認しました。設定の見直し案を作成しています。",
        ],
        en: &[
            "The logs show keepalives being delayed while control-plane CPU is high. We're looking into what drives the CPU spikes.",
            "We found a timer mismatch with the provider (hold time 90s vs 30s) and are preparing a configuration change.",
        ],
    },
    solutions: Pool {
        ja: &[
            "BFD の導入とホールドタイマーの調整（ISP 側と合わせて 30秒）を実施いただき、以降セッションが安定していることを確認しました。",
            "コントロールプレーン保護（CoPP）のポリシーを修正したところ、キープアライブの遅延が解消し、フラップは発生していません。",
        ],
        en: &[
            "After enabling BFD and aligning the hold timers with the provider (30s), the session has been stable.",
            "Adjusting the control-plane policing policy stopped the keepalive drops; no flaps since.",
        ],
    },
};

const PSU_RMA: Scenario = Scenario {
    key: "psu_rma",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: true,
    pr: false,
    weight: 4,
    codes: &[
        "%PLATFORM_ENV-1-PWR: Power supply {psu} failed",
        "%ENVMON-3-POWER_ERROR: Power supply {psu} is not functioning",
        "chassisd: CHASSISD_PSU_FAILURE: {psu} failed; input voltage out of range",
        "%PLATFORM-2-PS_FAIL: Power supply {psu} failed or shut down (Serial number LIT2231A0BC)",
    ],
    subjects: Pool {
        ja: &[
            "{platform} の電源ユニット {psu} 故障・電源冗長性喪失",
            "電源の冗長性が失われた（{serial}）",
            "{site} の {platform} で PSU アラームが点灯",
        ],
        en: &[
            "Power supply {psu} failed on {platform} - no power redundancy",
            "Loss of PSU redundancy on {serial}",
            "PSU alarm on {platform} at {site}",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} の {platform}（シリアル番号 {serial}）で電源ユニット {psu} の故障アラームが出ています。\n\n{code}\n\n現在は片系の電源のみで稼働しており、冗長性がありません。交換をお願いします。",
            "【状況】\n本日の定期点検で、{platform} の {psu} の LED が消灯していることに気づきました。ログには以下が記録されています。\n{code}\n\n【実施済み】\n・電源ケーブルの抜き差し\n・別系統の PDU への接続替え\nいずれも改善しませんでした。\n\n【依頼】\nRMA による交換部品の手配をお願いします。設置場所: {site}（{site_id}）、受け取り担当: {contact}。",
        ],
        en: &[
            "{platform} at {site} (serial {serial}) reports power supply {psu} as failed:\n\n{code}\n\nThe chassis is running on a single supply with no redundancy. Please arrange a replacement.",
            "Situation\nDuring today's walk-through we noticed the {psu} LED on {platform} is off. The log shows:\n{code}\n\nAlready tried\n- Reseating the power cord\n- Moving it to a different PDU\nNeither helped.\n\nRequest\nPlease ship a replacement under RMA. Ship to {site} ({site_id}), attention {contact}.",
        ],
    },
    updates: Pool {
        ja: &[
            "show environment の出力から、{psu} のハードウェア故障と判断しました。交換部品の手配を進めています。",
        ],
        en: &[
            "The show environment output confirms a hardware failure of {psu}. We're arranging the replacement.",
        ],
    },
    solutions: Pool {
        ja: &[
            "交換用電源ユニットの取り付け後、{psu} が正常に認識され、電源の冗長性が回復したことを確認しました。",
        ],
        en: &[
            "After the replacement supply was installed, {psu} is recognised and power redundancy is restored.",
        ],
    },
};

const BACKUP_FAIL: Scenario = Scenario {
    key: "backup_fail",
    vendor: Some(Vendor::Backup),
    request: RequestType::TechnicalSupport,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 5,
    codes: &[
        "Snapshot failed: VSS_E_UNEXPECTED_PROVIDER_ERROR (0x8004230F)",
        "Error 1722: The RPC server is unavailable",
        "ReadFile failed: error 23 (Data error (cyclic redundancy check))",
        "Failed to write image file: error 112 (There is not enough space on the disk)",
        "Error 5 (Access is denied) opening \\\\nas01\\backup\\{server}",
    ],
    subjects: Pool {
        ja: &[
            "毎晩のバックアップが失敗する（{server}）",
            "{server} の増分バックアップがエラーで失敗し続ける",
            "バックアップジョブ失敗: {code}",
        ],
        en: &[
            "Nightly backups failing on {server}",
            "Incremental backups keep failing: {code}",
            "Scheduled backup job fails every night since update",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} のファイルサーバー {server}（{platform}）で、{product} {version} の夜間バックアップ（{time} 開始）が3日連続で失敗しています。\n\nエラー: {code}\n\n手動でフルバックアップを実行すると成功します。",
            "【障害の件名】\n夜間の増分バックアップが失敗し続ける\n\n【発生状況】\n・対象サーバー: {server}（{platform}）\n・製品: {product} {version}（シリアル番号 {serial}）\n・{time} 開始のスケジュールジョブが毎回失敗\n・初めて発生したのは約1週間前\n\n【直前の変更】\nWindows Update を適用し、ウイルス対策ソフトを更新しました。\n\n【エラーメッセージ】\n{code}\n\n【再現性】\n毎晩再現します。手動でのフルバックアップは成功します。\n\n【業務への影響】\n直近のバックアップが取得できない状態が続いており、障害時に復旧できないリスクがあります。",
        ],
        en: &[
            "The nightly {product} {version} backup of {server} ({platform}) at {site} has failed three nights in a row. The job starts at {time}.\n\nError: {code}\n\nA manual full backup completes fine.",
            "Subject\nIncremental backups keep failing\n\nDetails\n- Server: {server} ({platform})\n- Product: {product} {version} (serial {serial})\n- The scheduled job at {time} fails every time\n- First seen about a week ago\n\nChanges before it started\nWindows updates and a new antivirus version were installed.\n\nError message\n{code}\n\nReproducible\nEvery night. A manual full backup succeeds.\n\nBusiness impact\nWe have no recent recovery point for this server.",
        ],
    },
    updates: Pool {
        ja: &[
            "ログを確認したところ、VSS ライター（SqlServerWriter）が失敗状態になっており、スナップショットの作成に失敗しています。ライターのリセット手順をご案内します。",
            "ウイルス対策ソフトのリアルタイムスキャンがイメージファイルへの書き込みをブロックしている可能性があります。除外設定の追加をご検討ください。",
        ],
        en: &[
            "The logs show SqlServerWriter in a failed state, which makes the snapshot fail. Next step is to reset the writer.",
            "The antivirus real-time scan may be blocking writes to the image files. Please consider adding exclusions.",
        ],
    },
    solutions: Pool {
        ja: &[
            "ウイルス対策ソフトの除外設定に {product} のフォルダーを追加したところ、バックアップが正常に完了するようになりました。",
            "競合していたサードパーティ製 VSS プロバイダーを削除した後、3日間続けてバックアップが成功していることを確認しました。",
        ],
        en: &[
            "Adding the {product} folders to the antivirus exclusions fixed it: backups complete again.",
            "After removing the conflicting third-party VSS provider, backups have succeeded three nights running.",
        ],
    },
};

const VERIFY_FAIL: Scenario = Scenario {
    key: "verify_fail",
    vendor: Some(Vendor::Backup),
    request: RequestType::BugFix,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: true,
    weight: 3,
    codes: &[
        "Verification failed: image file {server}_C_VOL-b001-i0127.spi is corrupt (CRC mismatch)",
        "Image chain broken: missing incremental {server}_D_VOL-b002-i0042.spi",
        "Error: The image file header is invalid (0x80070570)",
    ],
    subjects: Pool {
        ja: &[
            "バックアップイメージの検証に失敗する",
            "ImageManager でイメージ検証エラー（{server}）",
            "検証失敗: イメージチェーンが破損と表示される",
        ],
        en: &[
            "Backup image verification fails",
            "ImageManager verification error on {server}",
            "Verify job reports a broken image chain",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} {version} で、{server} のバックアップイメージの検証が失敗します。\n\n{code}\n\nイメージファイル自体は作成されていますが、検証が通らないため復元できるか不安です。",
            "【現象】\n{time} の検証ジョブで、{server} のイメージチェーンの検証が失敗しました。以降、毎回同じ増分ファイルで失敗します。\n\n【エラー】\n{code}\n\n【環境】\n製品: {product} {version}\nOS: {platform}\n保存先: NAS（SMB 共有）\n\n【確認したこと】\n・保存先ディスクの空き容量は十分にあります\n・NAS のログにエラーはありません\n・別サーバーのイメージは正常に検証できます\n\n検証が通らないイメージから復元できるのか、また修正方法を教えてください。",
        ],
        en: &[
            "With {product} {version}, verification of the backup images of {server} fails:\n\n{code}\n\nThe image files are there, but we can't trust them without a passing verification.",
            "What happens\nThe verify job at {time} failed on the image chain of {server}, and since then it fails on the same incremental every time.\n\nError\n{code}\n\nEnvironment\nProduct: {product} {version}\nOS: {platform}\nDestination: NAS (SMB share)\n\nWhat we checked\n- Plenty of free space on the destination\n- Nothing in the NAS logs\n- Images of other servers verify fine\n\nCan we still restore from these images, and how do we fix this?",
        ],
    },
    updates: Pool {
        ja: &[
            "ラボで同一バージョンを使用して再現しました。高負荷時にイメージヘッダーの書き込みが不完全になる場合があると見ています。",
        ],
        en: &[
            "We reproduced this in the lab on the same version: under load the image header can be written incompletely.",
        ],
    },
    solutions: Pool {
        ja: &[
            "{fixed} で修正されました。アップグレード後、既存チェーンを再検証し、新しいフルバックアップを取得してください。",
        ],
        en: &[
            "Fixed in {fixed}. After upgrading, re-verify the chain and take a fresh full backup.",
        ],
    },
};

const RESTORE_DOWN: Scenario = Scenario {
    key: "restore_down",
    vendor: Some(Vendor::Backup),
    request: RequestType::TechnicalSupport,
    priority: Priority::P1,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[
        "Restore failed: unable to read image file (error 1117: I/O device error)",
        "HIR: boot volume not found after restore",
        "Error 0xC000000E: A required device isn't connected or can't be accessed",
        "Restore aborted: the image chain is incomplete",
    ],
    subjects: Pool {
        ja: &[
            "【緊急】本番サーバー {server} が停止、リストアできない",
            "本番 DB サーバーが起動不可・{product} からの復元に失敗",
            "ベアメタル復元が途中で失敗する（本番停止中）",
        ],
        en: &[
            "URGENT: production server {server} down, restore impossible",
            "Bare-metal restore fails on production DB server",
            "Production server won't boot and recovery from {product} fails",
        ],
    },
    descriptions: Pool {
        ja: &[
            "本番の基幹サーバー {server} がディスク障害で起動しなくなりました。{product} のリカバリー環境から復元を試みていますが、次のエラーで失敗します。\n{code}\n\n業務が完全に停止しています。至急対応をお願いします。連絡先: {phone}",
            "【障害概要】\n本日 {time}、本番 SQL Server {server} の RAID が崩壊し、OS が起動しなくなりました。\n\n【実施した操作】\n1. 新しいディスクに交換\n2. {product} {version} のリカバリー環境（ブータブルメディア）で起動\n3. 最新の増分イメージを選択して復元を開始\n\n【結果】\n復元が 37% で停止し、以下のエラーが表示されます。\n{code}\n\n【業務影響】\n受注・出荷システムが停止しており、{site} の全業務が止まっています。本日中の復旧が必要です。\n\nパートナーのエンジニアが現地で作業中です。",
        ],
        en: &[
            "Our production server {server} won't boot after a disk failure. We are restoring from {product} in the recovery environment but it fails with:\n{code}\n\nThe business is completely down. Please help urgently: {phone}",
            "Summary\nAt {time} today the RAID on production SQL Server {server} failed and the OS no longer boots.\n\nWhat we did\n1. Replaced the disks\n2. Booted the {product} {version} recovery environment\n3. Selected the latest incremental and started the restore\n\nResult\nThe restore stops at 37% with:\n{code}\n\nBusiness impact\nOrder entry and shipping are down; nothing at {site} works. We must be back today.\n\nOur partner's engineer is on site now.",
        ],
    },
    updates: Pool {
        ja: &[
            "リカバリー環境のログを解析しています。並行して、前日のフルイメージからの復元もお試しください。",
        ],
        en: &[
            "We're analysing the recovery-environment log. In parallel, please try restoring from the previous day's full image.",
        ],
    },
    solutions: Pool {
        ja: &[
            "異なるハードウェアへの復元（HIR）でストレージドライバーを追加したところ、復元が完了しサーバーが起動しました。業務の再開を確認しています。",
        ],
        en: &[
            "Restoring with Hardware Independent Restore and injecting the storage driver worked: the server is back up and the business is running.",
        ],
    },
};

const LICENCE: Scenario = Scenario {
    key: "licence",
    vendor: Some(Vendor::Backup),
    request: RequestType::Licence,
    priority: Priority::P4,
    serial: SerialUse::Often,
    rma: false,
    pr: false,
    weight: 4,
    codes: &[
        "This product key has already been activated the maximum number of times",
        "Activation failed: the serial number is not valid for this product",
        "License server unreachable (error 12029)",
    ],
    subjects: Pool {
        ja: &[
            "{product} のライセンス認証ができない",
            "アクティベーションエラー（シリアル {serial}）",
            "ライセンスキーの再発行依頼",
        ],
        en: &[
            "Cannot activate {product} licence",
            "Activation error for serial {serial}",
            "Please reissue licence key",
        ],
    },
    descriptions: Pool {
        ja: &[
            "サーバーのリプレースに伴い {product} を新サーバーへ移行しましたが、アクティベーションで「{code}」と表示され認証できません。旧サーバーのライセンス解除方法も教えてください。",
            "{product} のライセンスキーを紛失しました。シリアル番号 {serial} のキーを再発行していただけますか。",
        ],
        en: &[
            "We migrated {product} to a new server as part of a hardware refresh and activation now fails with \"{code}\". How do we release the licence from the old server?",
            "We lost the licence key for {product}. Could you reissue the key for serial {serial}?",
        ],
    },
    updates: Pool {
        ja: &["ライセンス管理システムで旧サーバーのアクティベーションを確認しています。"],
        en: &["Checking the old server's activation on our licensing system."],
    },
    solutions: Pool {
        ja: &[
            "アクティベーション回数をリセットしました。新サーバーで再度認証をお試しください。",
            "ライセンスキーを再発行し、ご登録のメールアドレスへ送付しました。",
        ],
        en: &[
            "Activation count reset; please activate again on the new server.",
            "The key has been reissued and sent to the registered e-mail address.",
        ],
    },
};

const DOWNLOAD: Scenario = Scenario {
    key: "download",
    vendor: None,
    request: RequestType::Download,
    priority: Priority::P4,
    serial: SerialUse::Often,
    rma: false,
    pr: false,
    weight: 3,
    codes: &["403 Forbidden: your account is not entitled to this software"],
    subjects: Pool {
        ja: &[
            "{product} {fixed} のダウンロード依頼",
            "最新版インストーラーの入手方法",
            "リリースノートとダウンロードリンクの送付依頼",
        ],
        en: &[
            "Download request: {product} {fixed}",
            "Where can we get the latest installer?",
            "Need release notes and download link for {fixed}",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} を {version} から {fixed} にアップグレードする予定です。ダウンロードサイトで「{code}」と表示されるため、入手方法を教えてください。",
            "保守契約を更新したのですが、ポータルでダウンロードが許可されていません。{serial} の権限を確認してください。",
        ],
        en: &[
            "We plan to upgrade {product} from {version} to {fixed}, but the download site says \"{code}\". Please advise.",
            "We renewed our contract last month but the portal still won't let us download. Please check the entitlement for {serial}.",
        ],
    },
    updates: Pool {
        ja: &["契約情報を確認し、ダウンロード権限の付与を依頼しました。"],
        en: &["Checked the contract and requested download access for your account."],
    },
    solutions: Pool {
        ja: &[
            "ダウンロード権限を付与しました。ポータルから {fixed} をダウンロードできることをご確認ください。",
        ],
        en: &["Download access granted; you should now see {fixed} on the portal."],
    },
};

const OWNERSHIP: Scenario = Scenario {
    key: "ownership",
    vendor: None,
    request: RequestType::OwnershipTransfer,
    priority: Priority::P4,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "機器の所有者変更（{serial}）",
            "{product} のライセンス名義変更の依頼",
            "会社統合に伴う保守契約の名義変更",
        ],
        en: &[
            "Ownership transfer for {serial}",
            "Transfer {product} licence to a new owner",
            "Change contract owner after acquisition",
        ],
    },
    descriptions: Pool {
        ja: &[
            "グループ会社間で機器を移管しました。シリアル番号 {serial} の所有者を {account} に変更したいです。必要な書類を教えてください。",
            "会社統合に伴い、{product}（{serial}）の契約名義を {account} へ変更したいと考えています。手続きをご案内ください。",
        ],
        en: &[
            "We moved this device between subsidiaries. Please transfer serial {serial} to {account}. What paperwork do you need?",
            "After our acquisition we need the {product} contract for {serial} moved to {account}. Please tell us the process.",
        ],
    },
    updates: Pool {
        ja: &["所有権移転の申請書をお送りしました。ご記入のうえご返送ください。"],
        en: &["I've sent the transfer form; please fill it in and send it back."],
    },
    solutions: Pool {
        ja: &["所有者変更の手続きが完了しました。{serial} は {account} 名義で登録されています。"],
        en: &["The transfer is complete; {serial} is now registered to {account}."],
    },
};

const GUI_COSMETIC: Scenario = Scenario {
    key: "gui_cosmetic",
    vendor: None,
    request: RequestType::BugFix,
    priority: Priority::P4,
    serial: SerialUse::Often,
    rma: false,
    pr: true,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "管理画面で日本語が文字化けする",
            "GUI の表示崩れ（ダッシュボードのボタンが重なる）",
            "レポート画面の日付が英語形式で表示される",
        ],
        en: &[
            "Japanese text garbled in the management console",
            "Cosmetic: dashboard buttons overlap",
            "Report page shows dates in the wrong format",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} {version} の管理画面で、名前に日本語を使うと一覧表示で文字化けします。動作には影響ありません。",
            "{product} のダッシュボードで、ウィンドウ幅を狭めるとボタンが重なって押せなくなります。ブラウザーは Edge と Chrome の最新版です。表示上の問題のみで、業務への影響はありません。",
        ],
        en: &[
            "In the {product} {version} console, names with Japanese characters show as garbled text in the list view. Functionality is not affected.",
            "When the browser window is narrow, buttons on the {product} dashboard overlap and can't be clicked. Latest Edge and Chrome. Cosmetic only, no business impact.",
        ],
    },
    updates: Pool {
        ja: &["開発部門で再現を確認しました。表示上の不具合として修正が予定されています。"],
        en: &["Engineering reproduced it; it's tracked as a display defect."],
    },
    solutions: Pool {
        ja: &["{fixed} で修正されています。次回のメンテナンスでのアップグレードをご検討ください。"],
        en: &["This is fixed in {fixed}; please pick it up at your next maintenance window."],
    },
};

const FEATURE: Scenario = Scenario {
    key: "feature",
    vendor: None,
    request: RequestType::FeatureRequest,
    priority: Priority::P4,
    serial: SerialUse::Rarely,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "機能追加要望: ジョブ完了通知を Teams に送りたい",
            "機能要望: {product} の設定を API で取得したい",
            "要望: レポートを CSV でエクスポートしたい",
        ],
        en: &[
            "Feature request: send job alerts to Slack",
            "Feature request: REST API for {product} configuration",
            "Please add CSV export to reports",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} の完了・失敗通知を、メールだけでなく Microsoft Teams にも送れるようにしてほしいです。夜間の失敗に朝まで気づかないことがあります。",
            "{product} の設定や状態を REST API で取得できるようにしてほしいです。現在は {site} の担当者が画面から手作業で確認しています。",
        ],
        en: &[
            "Please let {product} send its success and failure alerts to Slack as well as e-mail. We sometimes miss night-time failures until morning.",
            "We'd like a REST API to read {product} configuration and status. Today someone at {site} checks every screen by hand.",
        ],
    },
    updates: Pool {
        ja: &["製品管理部門へ要望内容を共有しました。"],
        en: &["Shared the request with product management."],
    },
    solutions: Pool {
        ja: &[
            "ご要望を製品管理部門に機能強化要望として登録しました。将来のリリースでの対応を検討します。",
        ],
        en: &[
            "We've logged this with product management as an enhancement request for a future release.",
        ],
    },
};

const CONFIG_Q: Scenario = Scenario {
    key: "config_q",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P3,
    serial: SerialUse::Often,
    rma: false,
    pr: false,
    weight: 4,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "OSPF から BGP への再配布設定について",
            "{platform} での QoS 設定方法を教えてほしい",
            "NTP 同期設定の推奨値について",
            "ラボ環境で VRF 間ルーティングが動作しない",
        ],
        en: &[
            "Question: redistributing OSPF into BGP",
            "How to configure QoS on {platform}",
            "Recommended NTP settings",
            "Inter-VRF routing not working in the lab",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} のラボ環境で {platform}（{version}）を検証しています。OSPF で学習した経路を BGP へ再配布する際、特定のプレフィックスのみを広告する推奨設定を教えてください。",
            "音声トラフィックを優先させるため、{iface} に QoS を設定したいと考えています。{version} での推奨設定例はありますか。本番導入は来月を予定しています。",
            "ラボの {platform} で VRF 間のルートリークを設定しましたが、通信ができません。設定を添付しますので確認をお願いします。本番環境への影響はありません。",
        ],
        en: &[
            "We're testing {platform} ({version}) in the {site} lab. What is the recommended way to redistribute OSPF routes into BGP while advertising only certain prefixes?",
            "We want to prioritise voice traffic with QoS on {iface}. Is there a recommended configuration example for {version}? Production rollout is planned for next month.",
            "We set up route leaking between VRFs on the lab {platform} but traffic doesn't pass. Config attached. No production impact.",
        ],
    },
    updates: Pool {
        ja: &["設定例を作成しています。ラボで動作確認のうえお送りします。"],
        en: &["Preparing a sample configuration; I'll test it in our lab before sending it."],
    },
    solutions: Pool {
        ja: &[
            "推奨設定例（route-map とプレフィックスリストを使用）をお送りしました。ラボで動作することをご確認いただきました。",
        ],
        en: &[
            "Sent a sample configuration using a route-map and a prefix list; the customer confirmed it works in the lab.",
        ],
    },
};

const LAB_ERRORS: Scenario = Scenario {
    key: "lab_errors",
    vendor: Some(Vendor::Backup),
    request: RequestType::TechnicalSupport,
    priority: Priority::P3,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 3,
    codes: &[
        "Warning: volume bitmap could not be read, falling back to sector scan",
        "Retrying write to destination (attempt 2 of 3)",
        "VSS writer 'Registry Writer' timed out, retrying",
    ],
    subjects: Pool {
        ja: &[
            "バックアップ中に断続的なエラーが出るが完了はする",
            "テスト環境でのみ増分バックアップが遅い",
            "{product} の警告メッセージについて",
        ],
        en: &[
            "Intermittent errors during backup, but the job completes",
            "Incrementals slow in the test environment only",
            "Question about a {product} warning",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{server} のバックアップで、ログに「{code}」が時々記録されます。バックアップ自体は正常に完了しています。原因を知りたいです。",
            "検証環境（仮想マシン）でのみ、増分バックアップに通常の3倍の時間がかかります。本番環境への影響はありません。ログには「{code}」が出ています。",
        ],
        en: &[
            "The backup of {server} sometimes logs \"{code}\". The backup itself completes normally. We'd like to know why.",
            "Only in our test environment (VMs), incrementals take three times as long as usual. Production is unaffected. The log shows \"{code}\".",
        ],
    },
    updates: Pool {
        ja: &["ログ上はリトライにより正常に完了しています。発生条件を調査しています。"],
        en: &["The log shows the retries succeed; investigating what triggers them."],
    },
    solutions: Pool {
        ja: &[
            "保存先 NAS の省電力設定による一時的な応答遅延が原因でした。設定変更後、警告は出ていません。",
        ],
        en: &[
            "The NAS's power-saving mode caused the delays; after changing it the warnings stopped.",
        ],
    },
};

const ENTITLEMENT: Scenario = Scenario {
    key: "entitlement",
    vendor: None,
    request: RequestType::Entitlement,
    priority: Priority::P4,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "保守契約の状況確認（{serial}）",
            "サポート契約が有効か確認したい",
            "契約更新後もポータルで契約切れと表示される",
        ],
        en: &[
            "Contract status for {serial}",
            "Is our support contract active?",
            "Portal still shows contract expired after renewal",
        ],
    },
    descriptions: Pool {
        ja: &[
            "シリアル番号 {serial} の保守契約の有効期限を教えてください。",
            "先月契約を更新しましたが、ポータル上で {serial} が契約切れと表示されます。",
        ],
        en: &[
            "Please tell us when the support contract for serial {serial} ends.",
            "We renewed last month but the portal shows {serial} as out of contract.",
        ],
    },
    updates: Pool {
        ja: &["契約部門に確認しています。"],
        en: &["Checking with the contracts team."],
    },
    solutions: Pool {
        ja: &["契約情報を更新しました。{serial} は有効な保守契約の対象です。"],
        en: &["Entitlement updated: {serial} is covered."],
    },
};

const REGISTRATION: Scenario = Scenario {
    key: "registration",
    vendor: None,
    request: RequestType::Registration,
    priority: Priority::P4,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &["Registration failed: serial number already registered to another account"],
    subjects: Pool {
        ja: &["製品登録ができない", "新規購入品の製品登録をお願いしたい"],
        en: &[
            "Can't register a new product",
            "Please register a newly purchased unit",
        ],
    },
    descriptions: Pool {
        ja: &[
            "新しく購入した {product}（{serial}）をポータルで登録しようとすると「{code}」となります。",
            "{site} に導入した {product}（{serial}）の製品登録をお願いできますか。",
        ],
        en: &[
            "Registering our new {product} ({serial}) on the portal fails with \"{code}\".",
            "Could you register the {product} ({serial}) we installed at {site}?",
        ],
    },
    updates: Pool {
        ja: &["以前の販売店のアカウントに登録されていたため、登録の移動を依頼しました。"],
        en: &["It was registered to the reseller's account; I've asked for it to be moved."],
    },
    solutions: Pool {
        ja: &["製品登録を完了しました。ポータルでご確認いただけます。"],
        en: &["Registration is done; you can see it on the portal now."],
    },
};

const RMA_STATUS: Scenario = Scenario {
    key: "rma_status",
    vendor: Some(Vendor::Network),
    request: RequestType::RmaStatus,
    priority: Priority::P3,
    serial: SerialUse::Always,
    rma: true,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "RMA の配送状況を教えてほしい",
            "交換部品がまだ届かない（{serial}）",
            "故障品の返送先について",
        ],
        en: &[
            "Where is our RMA replacement?",
            "Replacement part not delivered yet ({serial})",
            "Where do we send the defective unit?",
        ],
    },
    descriptions: Pool {
        ja: &[
            "先日手配いただいた {platform}（{serial}）の交換部品がまだ届いていません。配送状況を教えてください。",
            "交換用の {part} は受け取りました。故障品の返送方法と返送先を教えてください。",
        ],
        en: &[
            "The replacement for our {platform} ({serial}) hasn't arrived yet. What's the shipping status?",
            "We received the replacement {part}. How and where do we return the defective unit?",
        ],
    },
    updates: Pool {
        ja: &["物流部門に配送状況を確認しています。"],
        en: &["Checking the shipment with logistics."],
    },
    solutions: Pool {
        ja: &["配送業者の追跡番号 {tracking} をお送りしました。返送用の伝票も同梱されています。"],
        en: &["Sent the carrier tracking number {tracking}; a return label is in the box."],
    },
};

const OTHER: Scenario = Scenario {
    key: "other",
    vendor: None,
    request: RequestType::Other,
    priority: Priority::P4,
    serial: SerialUse::Rarely,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "サポートポータルのアカウント追加",
            "年末年始のサポート対応時間について",
            "請求書の再発行について",
        ],
        en: &[
            "Add a user to the support portal",
            "Support hours over the holidays",
            "Please reissue an invoice",
        ],
    },
    descriptions: Pool {
        ja: &[
            "担当者変更に伴い、{contact} のポータルアカウントを作成してください。",
            "年末年始（12月29日〜1月3日）のサポート窓口の対応時間を教えてください。",
        ],
        en: &[
            "Please create a portal account for {contact}, who takes over as our contact.",
            "What are your support hours over the holidays?",
        ],
    },
    updates: Pool {
        ja: &["担当部署に確認しています。"],
        en: &["Checking with the team responsible."],
    },
    solutions: Pool {
        ja: &["ポータルアカウントを作成し、招待メールを送付しました。"],
        en: &["Portal account created and the invitation sent."],
    },
};

const CPU_HIGH: Scenario = Scenario {
    key: "cpu_high",
    vendor: Some(Vendor::Network),
    request: RequestType::BugFix,
    priority: Priority::P3,
    serial: SerialUse::Always,
    rma: false,
    pr: true,
    weight: 3,
    codes: &["SNMP ENGINE", "BGP Scanner", "IP Input", "rpd", "snmpd"],
    subjects: Pool {
        ja: &[
            "{platform} で CPU 使用率が高止まりする",
            "メモリリークの疑い（{version}）",
            "プロセス {code} の CPU 使用率が 90% を超える",
        ],
        en: &[
            "High CPU on {platform}",
            "Suspected memory leak in {version}",
            "Process {code} above 90% CPU",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} の {platform}（{version}）で、CPU 使用率が常時 80〜90% になっています。show processes cpu では {code} が上位です。今のところ通信への影響はありません。",
            "【現象】\n{version} へのアップグレード後、{platform} の空きメモリが1日あたり約 200MB ずつ減少しています。\n\n【影響】\n現時点でサービスへの影響はありませんが、このままでは約2週間で枯渇する見込みです。\n\n【情報】\nメモリ使用量の上位プロセスは {code} です。監視サーバーからの SNMP ポーリング間隔は 60 秒です。",
        ],
        en: &[
            "{platform} at {site} ({version}) sits at 80-90% CPU all the time. show processes cpu puts {code} on top. No traffic impact so far.",
            "What happens\nSince upgrading to {version}, free memory on {platform} drops by about 200 MB a day.\n\nImpact\nNone yet, but at this rate it runs out in about two weeks.\n\nDetails\nThe top process by memory is {code}. Our monitoring polls SNMP every 60 seconds.",
        ],
    },
    updates: Pool {
        ja: &[
            "開発部門で、{version} において特定の SNMP ポーリングでメモリリークが発生する不具合を確認しました。暫定対処として該当 OID の除外をご検討ください。",
        ],
        en: &[
            "Engineering confirmed a memory leak in {version} triggered by polling certain SNMP OIDs. As a workaround, exclude those OIDs from polling.",
        ],
    },
    solutions: Pool {
        ja: &[
            "{fixed} で修正されました。アップグレード後、メモリ使用量が安定していることを確認しました。",
        ],
        en: &["Fixed in {fixed}; after the upgrade memory usage is flat."],
    },
};

const CRASH: Scenario = Scenario {
    key: "crash",
    vendor: Some(Vendor::Backup),
    request: RequestType::BugFix,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: true,
    weight: 2,
    codes: &[
        "Faulting application name: ImageManager.exe, exception code 0xc0000005",
        "The ShadowProtect Service terminated unexpectedly. It has done this 3 time(s).",
        "Unhandled exception: System.OutOfMemoryException at Console.JobList.Refresh()",
    ],
    subjects: Pool {
        ja: &[
            "{product} のサービスが異常終了する",
            "{product} の管理コンソールを開くとクラッシュする",
        ],
        en: &[
            "{product} service crashes",
            "{product} console crashes on start",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{server} で {product} {version} のサービスが1日に数回異常終了します。\n\nイベントログ:\n{code}\n\nサービスの再起動で一時的に復旧しますが、その間のバックアップが取得できません。",
        ],
        en: &[
            "The {product} {version} service on {server} stops several times a day.\n\nEvent log:\n{code}\n\nRestarting the service brings it back, but backups are missed in between.",
        ],
    },
    updates: Pool {
        ja: &[
            "クラッシュダンプを解析した結果、ジョブ一覧の更新処理で例外が発生していることがわかりました。開発部門で調査中です。",
        ],
        en: &[
            "The crash dump shows an exception while refreshing the job list; engineering is investigating.",
        ],
    },
    solutions: Pool {
        ja: &[
            "{fixed} で修正されました。アップグレード後、1週間クラッシュが発生していないことを確認しました。",
        ],
        en: &["Fixed in {fixed}; no crash in the week since the upgrade."],
    },
};

/// Every scenario; the random cases draw from these in proportion to their weights.
const SCENARIOS: &[Scenario] = &[
    CORE_DOWN,
    BGP_FLAP,
    PSU_RMA,
    BACKUP_FAIL,
    VERIFY_FAIL,
    RESTORE_DOWN,
    LICENCE,
    DOWNLOAD,
    OWNERSHIP,
    GUI_COSMETIC,
    FEATURE,
    CONFIG_Q,
    LAB_ERRORS,
    ENTITLEMENT,
    REGISTRATION,
    RMA_STATUS,
    OTHER,
    CPU_HIGH,
    CRASH,
];

// ---------------------------------------------------------------------------------------------
// Notes that any case may hold

/// First response by support.
const ACK: Pool = Pool {
    ja: &[
        "{contact} 様\n\nお問い合わせいただきありがとうございます。サポートエンジニアの{engineer}です。本件を担当いたします。\nいただいた情報を確認しておりますので、追ってご連絡いたします。",
        "{contact} 様\n\nケースを受け付けました。{product}（{version}）の状況について調査を開始しました。影響範囲が {site} のみか、他拠点にも及んでいるかをご教示いただけますでしょうか。",
        "お世話になっております。{engineer}です。\nいただいた内容を拝見しました。まずは現象の切り分けのため、発生時刻と直前の変更作業の有無をご確認ください。",
    ],
    en: &[
        "Hello {contact},\n\nThank you for contacting support. My name is {engineer} and I have taken ownership of this case. I'm reviewing the details you provided and will update you shortly.",
        "Hi {contact},\n\nI'm looking into this now. Could you confirm whether the issue affects only {site} or other sites as well, and whether anything changed before it started?",
        "Hello {contact}, thanks for the detailed report. I've started the analysis of {platform} running {version} and will get back to you with next steps.",
    ],
};

/// Support asks the network customer for data (the case then waits on the customer).
const ASK_NETWORK: Pool = Pool {
    ja: &[
        "{contact} 様\n\n調査のため、以下の情報をご提供いただけますでしょうか。\n・show tech-support の出力\n・問題の発生時刻（日本時間）\n・直前に実施した設定変更の有無\nお手数ですが、ご確認のほどよろしくお願いいたします。",
        "お手数ですが、{iface} のインターフェースカウンタ（show interfaces {iface} を60秒間隔で2回）と、show logging の出力を取得のうえ添付してください。取得後にご連絡いただければ解析を進めます。",
    ],
    en: &[
        "Hi {contact},\n\nTo move forward we need the following:\n- show tech-support from {serial}\n- the time the issue started (with time zone)\n- any configuration change made before it started\nPlease attach them to this case.",
        "Could you please collect 'show interfaces {iface}' twice, 60 seconds apart, plus 'show logging', and attach them here? That will tell us whether the interface is taking errors.",
    ],
};

/// Support asks the backup customer for data (the case then waits on the customer).
const ASK_BACKUP: Pool = Pool {
    ja: &[
        "{contact} 様\n\n調査のため、{server} の {product} ログ（インストールフォルダーの Logs 配下）と、Windows のイベントログ（アプリケーション／システム）をエクスポートしてご送付ください。",
        "お手数ですが、以下の点をご確認ください。\n1. 障害は以前にも発生したことがありますか\n2. 発生直前にハードウェアまたはソフトウェアの変更を行いましたか\n3. 再現手順はありますか\nあわせて vssadmin list writers の結果もお送りください。",
    ],
    en: &[
        "Hello {contact},\n\nPlease send us the {product} logs from {server} (the Logs folder under the installation directory) and an export of the Windows Application and System event logs covering the last failure.",
        "To narrow this down, could you answer the following?\n1. Has this happened before, or is this the first time?\n2. Was any hardware or software changed before it started?\n3. Can you reproduce it, and how?\nPlease also attach the output of 'vssadmin list writers'.",
    ],
};

/// The customer answers.
const REPLY: Pool = Pool {
    ja: &[
        "ログを取得しましたので添付します。ご確認をお願いします。",
        "ご連絡ありがとうございます。ご依頼の情報を添付いたしました。発生は昨夜 {time} 頃です。直前に変更作業は実施しておりません。",
        "{engineer} 様\n\nお世話になっております。ご指示の手順を実施しましたが状況は変わりません。取得した出力を添付します。",
    ],
    en: &[
        "Logs attached. Let me know if you need anything else.",
        "Thanks. The requested output is attached. It started around {time} local time and nobody changed anything beforehand as far as we know.",
        "Hi {engineer}, we tried the steps you suggested but the behaviour is the same. Output attached.",
    ],
};

/// Support asks for the facts behind a non-technical request.
const ASK_ADMIN: Pool = Pool {
    ja: &[
        "{contact} 様\n\n確認のため、ご購入時の注文番号と販売店名をお知らせいただけますでしょうか。",
        "お手数ですが、ご登録の会社名と、ご担当者様のお名前・メールアドレスをご確認のうえお知らせください。",
    ],
    en: &[
        "Hello {contact},\n\nTo check this, could you send us the purchase order number and the name of the reseller?",
        "Could you please confirm the registered company name and the contact's name and e-mail address?",
    ],
};

/// Support asks what a feature request is for.
const ASK_FEATURE: Pool = Pool {
    ja: &[
        "ご要望の背景と、想定されている利用方法をもう少し詳しくお聞かせいただけますでしょうか。製品管理部門への説明に使わせていただきます。",
    ],
    en: &[
        "Could you tell us a bit more about the use case behind this request? It helps product management weigh it.",
    ],
};

/// The customer sends the facts.
const REPLY_ADMIN: Pool = Pool {
    ja: &[
        "ご依頼の情報を添付しました。ご確認をお願いします。",
        "注文番号と販売店名を記載した注文書を添付します。",
    ],
    en: &[
        "The requested details are attached.",
        "Attached is the order confirmation with the reseller's name.",
    ],
};

/// The customer explains their use case.
const REPLY_FEATURE: Pool = Pool {
    ja: &[
        "夜間のジョブの状況を担当者が外出先でも確認できるようにしたい、というのが背景です。現在は毎朝手作業で確認しています。",
    ],
    en: &[
        "Our on-call staff want to see overnight results on their phones; today someone checks every morning by hand.",
    ],
};

/// The customer asks where things stand.
const CHASER: Pool = Pool {
    ja: &[
        "進捗はいかがでしょうか。業務への影響が続いているため、早めのご回答をお願いいたします。",
        "{site} の利用部門から問い合わせが来ています。見通しだけでも教えていただけますか。",
    ],
    en: &[
        "Any update on this? It is still affecting {site}.",
        "Just checking in - do you have an ETA?",
    ],
};

/// Support's own notes.
const INTERNAL: Pool = Pool {
    ja: &[
        "ナレッジベースを確認。既知の不具合 {pr} と症状が類似している。{version} が該当バージョン。",
        "ログ解析メモ: {code} が繰り返し出力されている。発生間隔は約15分。",
        "ラボ環境（同一構成・{version}）で再現を試行中。",
        "契約確認済み: {serial} は {site} に登録されている。",
    ],
    en: &[
        "Checked the KB: symptoms match known defect {pr}, which affects {version}.",
        "Log review: {code} repeats roughly every 15 minutes. Nothing obvious before the first occurrence.",
        "Trying to reproduce in the lab on the same platform and release ({version}).",
        "Entitlement checked: {serial} is registered to {site}.",
    ],
};

/// Customer care's own notes.
const INTERNAL_ADMIN: Pool = Pool {
    ja: &[
        "契約管理システムで {account} の登録情報を確認。",
        "販売店に注文情報を照会中。",
    ],
    en: &[
        "Checked {account} in the contract system.",
        "Asked the reseller for the order details.",
    ],
};

/// Notes on a feature request.
const INTERNAL_FEATURE: Pool = Pool {
    ja: &["類似の要望が他社からも複数あり。製品管理部門の要望リストに追記予定。"],
    en: &["Several customers asked for much the same; adding this to product management's list."],
};

/// A logged phone call with the customer.
const CALLS: Pool = Pool {
    ja: &[
        "{contact} 様と電話で状況を確認。影響は {site} の一部ユーザーに限定されている。次回のアップデートは本日中に行うことで合意。",
        "お客様へ架電し、暫定対応の手順を口頭で説明。作業はお客様側で本日夜間のメンテナンス時間に実施予定。",
    ],
    en: &[
        "Called {contact}. Impact is limited to some users at {site}. Agreed to send the next update today.",
        "Phone call with {contact}: walked through the workaround; they will apply it tonight in the maintenance window.",
    ],
};

/// An attempt to reach the customer that failed.
const CONTACT_FAILED: Pool = Pool {
    ja: &[
        "{phone} に架電したが応答なし。留守番電話にメッセージを残した。",
        "再度 {phone} に架電したが不在。メールでも折り返しの連絡を依頼した。",
        "代表番号経由で {contact} 様の呼び出しを依頼したが、つながらず。",
    ],
    en: &[
        "Called {phone}, no answer. Left a voicemail.",
        "Tried {phone} again, no answer; e-mailed {contact} asking for a call back.",
        "Asked the switchboard to page {contact}; could not reach them.",
    ],
};

/// Why a P1 is temporarily downgraded (recorded with the change).
const TEMP_DOWNGRADE: Pool = Pool {
    ja: &["1時間以上お客様と連絡が取れないため、一時的に P2 へ変更（連絡がつき次第 P1 に戻す）。"],
    en: &[
        "Customer unreachable for over an hour; temporarily downgrading to P2 until contact is re-established.",
    ],
};

/// Tells the unreachable customer about the downgrade.
const DOWNGRADE_NOTICE: Pool = Pool {
    ja: &[
        "{contact} 様\n\n{phone} へ複数回お電話しましたが、つながりませんでした。ご連絡が取れるまでの間、本ケースの優先度を一時的に P2 としています。お手すきの際に折り返しお電話をお願いいたします。連絡が取れ次第、P1 に戻して対応を継続します。",
    ],
    en: &[
        "Hello {contact},\n\nWe tried to reach you on {phone} several times without success. Until we can talk, this case is temporarily at P2. Please call us back; we'll restore P1 as soon as we are in contact.",
    ],
};

/// Why support lowers the priority after talking to the customer.
const PRIORITY_DOWN: Pool = Pool {
    ja: &[
        "お客様と電話で確認した結果、冗長系で業務は継続できているため優先度を下げる。新しい応答目標時間はお客様へ連絡済み。",
    ],
    en: &[
        "After talking to the customer: traffic is on the redundant path and business continues, so lowering the priority. Customer informed of the new expected response time.",
    ],
};

/// Why support raises the priority.
const PRIORITY_UP: Pool = Pool {
    ja: &["影響範囲が {site} 全体に拡大したため優先度を上げる。"],
    en: &["Impact has spread to all of {site}; raising the priority."],
};

/// Support files a problem report (the reason on the status change).
const PR_REASON: Pool = Pool {
    ja: &["問題報告 {pr} を起票"],
    en: &["Filed {pr} with engineering"],
};

/// Support tells the customer about the problem report.
const PR_FILED: Pool = Pool {
    ja: &[
        "{contact} 様\n\n本件は製品の不具合と判断し、開発部門に問題報告 {pr} として登録しました。修正の見通しが分かり次第ご連絡いたします。",
    ],
    en: &[
        "Hello {contact},\n\nWe've confirmed this is a product defect and filed problem report {pr} with engineering. I'll update you as soon as there is a fix estimate.",
    ],
};

/// Engineering delivered the fix.
const PR_FIXED: Pool = Pool {
    ja: &[
        "問題報告 {pr} の修正が {fixed} に含まれることを開発部門より確認しました。アップグレード後の状況をお知らせください。",
    ],
    en: &[
        "Engineering confirmed the fix for {pr} is in {fixed}. Please upgrade and let us know the result.",
    ],
};

/// The customer confirms the solution.
const CONFIRM: Pool = Pool {
    ja: &[
        "対応いただいた結果、事象は解消しました。クローズして問題ありません。ありがとうございました。",
        "一週間様子を見ましたが再発していません。クローズをお願いします。",
    ],
    en: &[
        "Confirmed working now. Please go ahead and close the case. Thanks for your help.",
        "No recurrence in a week. OK to close.",
    ],
};

/// The customer says the solution did not help.
const REOPEN: Pool = Pool {
    ja: &["残念ながら昨夜 {time} 頃に再発しました。引き続き調査をお願いします。"],
    en: &["Unfortunately it happened again last night around {time}. Please keep investigating."],
};

/// Why support reopens the case.
const REOPEN_REASON: Pool = Pool {
    ja: &["お客様より再発の報告があったため再オープン"],
    en: &["Customer reports a recurrence"],
};

/// The customer no longer needs help.
const NO_LONGER_NEEDED: Pool = Pool {
    ja: &[
        "該当機器は来週撤去することになったため、本件は対応不要となりました。ありがとうございました。",
    ],
    en: &[
        "We are decommissioning this system next week, so we no longer need help with this. Thanks.",
    ],
};

/// Support reminds a silent customer.
const REMINDER: Pool = Pool {
    ja: &[
        "{contact} 様\n\n先日ご依頼した情報について、ご確認状況はいかがでしょうか。2週間ご返信がない場合、本ケースはクローズさせていただきます（クローズ後も再開できます）。",
    ],
    en: &[
        "Hello {contact}, just following up on the information requested earlier. If we don't hear back within two weeks the case will be closed; you can reopen it at any time.",
    ],
};

/// Why the server's job closes a silent case.
const AUTO_CLOSE: Pool = Pool {
    ja: &["繰り返しご連絡しましたが、2週間ご返信がないためクローズ"],
    en: &["No reply for two weeks after repeated contact"],
};

/// A lead gives a case to an engineer.
const ASSIGN: Pool = Pool {
    ja: &["担当エンジニアをアサイン"],
    en: &["Assigning to the engineer on shift"],
};

/// Support issued an RMA.
const RMA_ISSUED: Pool = Pool {
    ja: &[
        "{contact} 様\n\n診断の結果、{psu} のハードウェア故障と判断しました。RMA {rma} を発行し、交換部品 {part} を手配しました。故障品は、RMA 発行から10営業日以内にご返送ください（期限を過ぎると定価で請求される場合があります）。",
    ],
    en: &[
        "Hello {contact},\n\nDiagnostics confirm a hardware failure of {psu}. RMA {rma} is issued for replacement part {part}. Please return the defective unit within 10 business days of the RMA being issued; units not returned may be billed at list price.",
    ],
};

/// Support asked for an RMA that is not issued yet.
const RMA_REQUESTED: Pool = Pool {
    ja: &["RMA {rma} を申請。部品 {part} の在庫確認中のため発行待ち。"],
    en: &["RMA {rma} requested for {part}; waiting for stock confirmation before issuing."],
};

/// The replacement is on its way.
const RMA_SHIPPED: Pool = Pool {
    ja: &["RMA {rma} の交換部品を発送しました。配送業者の追跡番号は {tracking} です。"],
    en: &["The replacement for RMA {rma} has shipped; tracking number {tracking}."],
};

/// The defective unit came back.
const RMA_RECEIVED: Pool = Pool {
    ja: &["RMA {rma} の故障品を受領。故障解析へ回付。"],
    en: &["Defective unit for RMA {rma} received at the depot; sent for analysis."],
};

/// The RMA was not needed after all.
const RMA_CANCELLED: Pool = Pool {
    ja: &[
        "電源ユニットの再装着後にアラームが解消し、冗長性が回復したとのことですので、RMA {rma} はキャンセルしました。",
    ],
    en: &[
        "Since the supply recovered after reseating and redundancy is back, RMA {rma} has been cancelled.",
    ],
};

/// Customer care answers with the RMA status.
const RMA_STATUS_NOTE: Pool = Pool {
    ja: &[
        "RMA {rma} の現在の状況をご案内します。交換部品は本日出荷予定で、追跡番号は {tracking} です。",
    ],
    en: &[
        "Status of RMA {rma}: the replacement leaves the depot today, tracking number {tracking}.",
    ],
};

/// Why an escalation is requested, by kind.
fn escalation_reasons(kind: EscalationKind) -> &'static Pool {
    match kind {
        EscalationKind::FasterProgress => &Pool {
            ja: &[
                "障害発生から{days}日経過していますが解決の見通しが立ちません。{site} の業務に影響が出ており、対応の加速をお願いします。",
            ],
            en: &[
                "The case has been open for {days} days without a clear path to resolution and {site} is still affected. Please speed this up.",
            ],
        },
        EscalationKind::EngineerNow => &Pool {
            ja: &["至急エンジニアから直接連絡がほしい。現地で作業員が待機しています。"],
            en: &[
                "We need an engineer to contact us right away; our field team is on site waiting.",
            ],
        },
        EscalationKind::Reassignment => &Pool {
            ja: &[
                "担当者と時差があり連絡が取りづらいため、日本時間に対応できるエンジニアへの変更を希望します。",
            ],
            en: &[
                "The current engineer is in a different time zone; please reassign to someone who covers US business hours.",
            ],
        },
        EscalationKind::FasterRma => &Pool {
            ja: &["交換部品の配送状況を至急確認したい。冗長性がない状態が続いています。"],
            en: &["We need the replacement part urgently; the chassis has no power redundancy."],
        },
    }
}

/// What the lead did, by kind.
fn escalation_resolutions(kind: EscalationKind) -> &'static Pool {
    match kind {
        EscalationKind::FasterProgress => &Pool {
            ja: &[
                "エスカレーションマネージャーをアサインし、優先度を見直した。開発部門へ優先対応を依頼済み。",
            ],
            en: &[
                "Escalation manager assigned, priority reviewed, engineering asked to prioritise.",
            ],
        },
        EscalationKind::EngineerNow => &Pool {
            ja: &["担当エンジニアよりお客様へ連絡済み。"],
            en: &["The engineer contacted the customer."],
        },
        EscalationKind::Reassignment => &Pool {
            ja: &["担当者を変更した。"],
            en: &["Case reassigned."],
        },
        EscalationKind::FasterRma => &Pool {
            ja: &["RMA の配送状況（追跡番号）をお客様へ回答済み。"],
            en: &["RMA shipping status and tracking sent to the customer."],
        },
    }
}

/// Why a lead declines an escalation.
const DECLINE: Pool = Pool {
    ja: &[
        "既に回避策が適用され業務影響が解消しているため、エスカレーションは不要と判断。お客様へ説明済み。",
        "交換部品は既に出荷済みで、翌日配達の予定。追跡番号をお客様へ案内済み。",
    ],
    en: &[
        "The workaround is in place and the business impact is gone; no escalation needed. Explained to the customer.",
        "The replacement has already shipped for next-day delivery; tracking sent to the customer.",
    ],
};

/// A lead's note while handling a faster-progress escalation.
const MANAGER_NOTE: Pool = Pool {
    ja: &[
        "エスカレーション対応: 開発部門と調整し、解析リソースを追加。1日2回の進捗報告をお客様と合意。",
    ],
    en: &[
        "Escalation: lined up extra engineering time; agreed twice-daily updates with the customer.",
    ],
};

/// Appended to short descriptions: the facts the seeds ask for.
const ENVIRONMENT: Pool = Pool {
    ja: &[
        "\n\n【環境情報】\n製品: {product}\nプラットフォーム: {platform}\nバージョン: {version}\nシリアル番号: {serial}\nサイト: {site}（{site_id}）",
    ],
    en: &[
        "\n\nEnvironment\nProduct: {product}\nPlatform: {platform}\nVersion: {version}\nSerial: {serial}\nSite: {site} ({site_id})",
    ],
};

/// Why the case is closed (recorded with the change).
fn close_note(reason: CloseReason, lang: Lang) -> &'static str {
    let (ja, en) = match reason {
        CloseReason::ConfirmedResolved => (
            "お客様より解決の確認あり",
            "Customer confirmed the solution",
        ),
        CloseReason::NoCustomerResponse => ("2週間ご返信なし", "No reply for two weeks"),
        CloseReason::NoLongerNeeded => (
            "お客様より対応不要との連絡あり",
            "Customer no longer needs help",
        ),
        CloseReason::NotOurSoftware => (
            "他社製ソフトウェアに起因することでお客様と合意",
            "Agreed with the customer the cause is third-party software",
        ),
        CloseReason::FixedInRelease => ("修正リリースで解決", "Fixed in a released version"),
        CloseReason::WorksAsDesigned => (
            "仕様どおりの動作であることを説明",
            "Explained this is working as designed",
        ),
        CloseReason::FeatureRequestAccepted => {
            ("機能強化要望として登録", "Logged as an enhancement request")
        }
        CloseReason::WorkaroundAccepted => (
            "回避策で業務影響が解消",
            "Workaround removed the business impact",
        ),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

// ---------------------------------------------------------------------------------------------
// The install base: what the customers own, and their contracts

/// A unit (or software licence) at a site, with its support contract.
struct Asset {
    serial: String,
    site: &'static Site,
    product: &'static Product,
    platform: &'static str,
    version: &'static str,
    tier: ContractTier,
    /// Last day of the contract; `None`: no contract on record at all.
    contract_end: Option<NaiveDate>,
}

impl Asset {
    fn entitlement(&self, now: DateTime<Utc>) -> Option<Entitlement> {
        let end = self.contract_end?;
        Some(Entitlement {
            serial_number: self.serial.clone(),
            tier: self.tier,
            contract_end: end,
            site_name: self.site.name.to_string(),
            site_id: self.site.id.to_string(),
            account: self.site.account.to_string(),
            active: now.date_naive() <= end,
        })
    }
}

struct InstallBase {
    assets: Vec<Asset>,
}

/// Network units per site, and backup licences per business site.
const NETWORK_UNITS: usize = 3;
const BACKUP_LICENCES: usize = 2;

impl InstallBase {
    /// Every site's units. Tiers rotate so that every tier is on some unit, and every eighth
    /// unit has an expired contract or none, so cases get flagged as unentitled.
    fn generate(rng: &mut Rng, now: DateTime<Utc>) -> Self {
        const TAC: [ContractTier; 3] = [
            ContractTier::TacCare,
            ContractTier::TacAdvanced,
            ContractTier::TacPremium,
        ];
        const BACKUP: [ContractTier; 4] = [
            ContractTier::Standard,
            ContractTier::Premium,
            ContractTier::Standard,
            ContractTier::SelfService,
        ];
        const HOME: [ContractTier; 2] = [ContractTier::SelfService, ContractTier::Standard];
        let network: Vec<&Product> = PRODUCTS
            .iter()
            .filter(|p| p.vendor == Vendor::Network)
            .collect();
        let backup: Vec<&Product> = PRODUCTS
            .iter()
            .filter(|p| p.vendor == Vendor::Backup && !p.home)
            .collect();
        let home: Vec<&Product> = PRODUCTS.iter().filter(|p| p.home).collect();

        let mut units: Vec<(&'static Site, &'static Product, ContractTier)> = Vec::new();
        for site in SITES {
            if site.network {
                for _ in 0..NETWORK_UNITS {
                    let tier = TAC[units
                        .iter()
                        .filter(|u| u.1.vendor == Vendor::Network)
                        .count()
                        % TAC.len()];
                    units.push((site, rng.choose(&network), tier));
                }
            }
            if site.user_type == UserType::HomeUser {
                let tier = HOME[units.iter().filter(|u| u.1.home).count() % HOME.len()];
                units.push((site, rng.choose(&home), tier));
            } else {
                for _ in 0..BACKUP_LICENCES {
                    let tier = BACKUP[units
                        .iter()
                        .filter(|u| u.1.vendor == Vendor::Backup)
                        .count()
                        % BACKUP.len()];
                    units.push((site, rng.choose(&backup), tier));
                }
            }
        }

        let mut serials = HashSet::new();
        let assets = units
            .into_iter()
            .enumerate()
            .map(|(i, (site, product, tier))| {
                let serial = loop {
                    let serial = serial_number(rng, product);
                    if serials.insert(serial.clone()) {
                        break serial;
                    }
                };
                let today = now.date_naive();
                let contract_end = match i % 8 {
                    5 => Some(today - Duration::days(rng.range(3, 200))),
                    7 => None,
                    _ => Some(today + Duration::days(rng.range(20, 700))),
                };
                Asset {
                    serial,
                    site,
                    product,
                    platform: rng.choose(product.platforms),
                    version: rng.choose(product.versions),
                    tier,
                    contract_end,
                }
            })
            .collect();
        InstallBase { assets }
    }

    /// A unit for a case: of the scenario's vendor, and of `tier` when one is asked for.
    fn pick(&self, rng: &mut Rng, vendor: Option<Vendor>, tier: Option<ContractTier>) -> usize {
        let fits = |a: &Asset| {
            vendor.is_none_or(|v| a.product.vendor == v) && tier.is_none_or(|t| a.tier == t)
        };
        let candidates: Vec<usize> = (0..self.assets.len())
            .filter(|&i| fits(&self.assets[i]))
            .collect();
        if candidates.is_empty() {
            return rng.below(self.assets.len());
        }
        rng.choose(&candidates)
    }
}

/// Characters of generated serials: no I or O, which read as 1 and 0 over the phone.
const SERIAL_CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

fn serial_chars(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(rng.choose(SERIAL_CHARS)))
        .collect()
}

/// A serial in the vendor's style: `FOC2231X0AB`, `JN11F2A3CAFA`, `SPX-7H2K-94QD-XL3P`.
fn serial_number(rng: &mut Rng, product: &Product) -> String {
    match (product.vendor, product.bugs) {
        (Vendor::Network, Bugs::Juniper) => format!("JN{:010X}", rng.next_u64() & 0xFF_FFFF_FFFF),
        (Vendor::Network, _) => format!(
            "{}{}{}",
            product.serial_prefix,
            rng.range(2000, 2899),
            serial_chars(rng, 4)
        ),
        (Vendor::Backup, _) => format!(
            "{}-{}-{}-{}",
            product.serial_prefix,
            serial_chars(rng, 4),
            serial_chars(rng, 4),
            serial_chars(rng, 4)
        ),
    }
}

/// A problem-report number in the vendor's style.
fn problem_report(rng: &mut Rng, bugs: Bugs) -> String {
    match bugs {
        Bugs::Cisco => format!(
            "CSCw{}{:05}",
            char::from(b'a' + rng.below(11) as u8),
            rng.below(100_000)
        ),
        Bugs::Juniper => format!("PR{}", rng.range(1_600_000, 1_799_999)),
        Bugs::Backup => format!("SPX-{}", rng.range(10_000, 29_999)),
    }
}

// ---------------------------------------------------------------------------------------------
// Filling in templates

/// The values of one case that its texts mention.
struct Ctx {
    site: &'static str,
    site_id: &'static str,
    account: &'static str,
    contact: &'static str,
    phone: &'static str,
    product: &'static str,
    platform: &'static str,
    version: &'static str,
    fixed: &'static str,
    part: &'static str,
    serial: String,
    pr: String,
    psu: &'static str,
    iface: &'static str,
    peer: String,
    asn: String,
    server: &'static str,
    time: &'static str,
    code: String,
    tracking: String,
    days: String,
    /// Whoever signs support's notes now (changes on reassignment).
    engineer: &'static str,
}

impl Ctx {
    fn new(spec: &CaseSpec, asset: &Asset, rng: &mut Rng) -> Self {
        let product = asset.product;
        let psu: &[&str] = match product.bugs {
            Bugs::Juniper => &["PEM 0", "PEM 1"],
            _ => &["PS1", "PS2"],
        };
        let mut ctx = Ctx {
            site: asset.site.name,
            site_id: asset.site.id,
            account: asset.site.account,
            contact: spec.contact.name,
            phone: spec.contact.phone,
            product: product.name,
            platform: asset.platform,
            version: asset.version,
            fixed: product.fixed,
            part: product.part,
            serial: asset.serial.clone(),
            pr: problem_report(rng, product.bugs),
            psu: rng.choose(psu),
            iface: product
                .ifaces
                .first()
                .map_or("", |_| rng.choose(product.ifaces)),
            peer: format!(
                "{}.{}",
                rng.pick(&["203.0.113", "198.51.100", "192.0.2"]),
                rng.range(1, 254)
            ),
            asn: rng.range(64_512, 65_534).to_string(),
            server: rng.choose(SERVERS),
            time: rng.choose(TIMES),
            code: String::new(),
            tracking: format!(
                "{:04}-{:04}-{:04}",
                rng.below(10_000),
                rng.below(10_000),
                rng.below(10_000)
            ),
            days: ((spec.age_minutes() / D).max(1)).to_string(),
            engineer: "",
        };
        // Log lines mention the peer, the server or the power supply, so they are filled in too.
        ctx.code = render(rng.choose(spec.scenario.codes), &ctx);
        ctx
    }

    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "site" => self.site,
            "site_id" => self.site_id,
            "account" => self.account,
            "contact" => self.contact,
            "phone" => self.phone,
            "product" => self.product,
            "platform" => self.platform,
            "version" => self.version,
            "fixed" => self.fixed,
            "part" => self.part,
            "serial" => &self.serial,
            "pr" => &self.pr,
            "psu" => self.psu,
            "iface" => self.iface,
            "peer" => &self.peer,
            "asn" => &self.asn,
            "server" => self.server,
            "time" => self.time,
            "code" => &self.code,
            "tracking" => &self.tracking,
            "days" => &self.days,
            "engineer" => self.engineer,
            _ => return None,
        })
    }
}

/// Replaces each `{name}` the context knows; leaves the others (such as `{rma}`) as they are.
fn render(template: &str, ctx: &Ctx) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, ctx.get(&after[..close])?)));
        match value {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Case specs: what each case is and where its story ends

/// A P1 story about reaching the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    None,
    /// An hour of failed calls, then the temporary downgrade to P2.
    DowngradeTaken,
    /// An hour of failed calls; the downgrade is available but not taken.
    DowngradeAvailable,
}

/// Everything decided about a case before its story is told.
struct CaseSpec {
    /// Its place in the draw, which seeds its own generator.
    index: usize,
    scenario: &'static Scenario,
    asset: usize,
    contact: &'static Contact,
    preferred: ContactMethod,
    priority: Priority,
    channel: Channel,
    /// Where the story ends.
    status: Status,
    close: Option<CloseReason>,
    created: DateTime<Utc>,
    /// Quiet time between the last step and now, in minutes.
    tail: i64,
    owner: Option<&'static Staff>,
    escalation: Option<(EscalationKind, EscalationState)>,
    rma: Option<RmaStatus>,
    pr: bool,
    /// Solved once, then the customer came back.
    reopened: bool,
    with_serial: bool,
    /// Random twists (late responses, priority changes) are allowed; showcases keep to script.
    extras: bool,
    special: Special,
    now: DateTime<Utc>,
}

impl CaseSpec {
    fn age_minutes(&self) -> i64 {
        (self.now - self.created).num_minutes()
    }
}

/// A hand-made case, so that every state worth showing is in the demo whatever the seed.
struct Showcase {
    scenario: &'static str,
    tier: ContractTier,
    priority: Priority,
    channel: Channel,
    status: Status,
    close: Option<CloseReason>,
    /// Minutes since it was opened.
    age: i64,
    /// Minutes since its last step.
    tail: i64,
    escalation: Option<(EscalationKind, EscalationState)>,
    rma: Option<RmaStatus>,
    special: Special,
}

const fn show(
    scenario: &'static str,
    tier: ContractTier,
    priority: Priority,
    status: Status,
    age: i64,
    tail: i64,
) -> Showcase {
    Showcase {
        scenario,
        tier,
        priority,
        channel: Channel::Web,
        status,
        close: None,
        age,
        tail,
        escalation: None,
        rma: None,
        special: Special::None,
    }
}

const fn closed(
    scenario: &'static str,
    tier: ContractTier,
    priority: Priority,
    reason: CloseReason,
    age: i64,
) -> Showcase {
    Showcase {
        close: Some(reason),
        ..show(scenario, tier, priority, Status::Closed, age, 2 * H)
    }
}

const SHOWCASES: &[Showcase] = &[
    // The P1 whose customer could not be reached for an hour: temporarily P2 now.
    Showcase {
        channel: Channel::Phone,
        special: Special::DowngradeTaken,
        ..show("core_down", TacPremium, P1, Status::Open, 5 * H, 1)
    },
    // The same, with the downgrade available but not taken.
    Showcase {
        channel: Channel::Phone,
        special: Special::DowngradeAvailable,
        ..show("core_down", TacAdvanced, P1, Status::Open, 2 * H + 10, 1)
    },
    // First responses due within the hour (no response yet, short targets).
    Showcase {
        channel: Channel::Phone,
        ..show("core_down", TacPremium, P1, Status::New, 9, 0)
    },
    show("bgp_flap", TacPremium, P2, Status::New, 14, 0),
    show("psu_rma", TacAdvanced, P2, Status::New, 22, 0),
    Showcase {
        channel: Channel::Phone,
        ..show("restore_down", Premium, P1, Status::New, 35, 0)
    },
    show("bgp_flap", TacCare, P2, Status::New, 41, 0),
    // A P1 whose next update (every 4h) is due in 35 minutes.
    Showcase {
        channel: Channel::Phone,
        ..show("core_down", TacCare, P1, Status::Open, 7 * H, 3 * H + 25)
    },
    // Breached: no first response in two days on an 8h target.
    show("config_q", TacCare, P3, Status::New, 2 * D, 0),
    // Breached: the daily update is four days late; the customer escalated.
    Showcase {
        escalation: Some((FasterProgress, EscalationState::Acknowledged)),
        ..show("bgp_flap", TacAdvanced, P2, Status::Open, 6 * D, 4 * D)
    },
    // The defective unit is weeks overdue; a faster-RMA escalation was declined.
    Showcase {
        rma: Some(RmaStatus::ReplacementShipped),
        escalation: Some((FasterRma, EscalationState::Declined)),
        ..show("psu_rma", TacCare, P2, Status::Open, 27 * D, 2 * D)
    },
    // The auto-close after two weeks of silence.
    Showcase {
        tail: 3 * D,
        ..closed(
            "lab_errors",
            Standard,
            P3,
            CloseReason::NoCustomerResponse,
            24 * D,
        )
    },
    show(
        "verify_fail",
        Standard,
        P2,
        Status::WaitingOnEngineering,
        12 * D,
        3 * D,
    ),
    Showcase {
        channel: Channel::Phone,
        escalation: Some((EngineerNow, EscalationState::Requested)),
        ..show("restore_down", Premium, P1, Status::Open, 90, 20)
    },
    Showcase {
        escalation: Some((Reassignment, EscalationState::Resolved)),
        ..show("config_q", TacPremium, P4, Status::Resolved, 9 * D, 2 * D)
    },
    Showcase {
        rma: Some(RmaStatus::Issued),
        ..show(
            "rma_status",
            TacAdvanced,
            P3,
            Status::WaitingOnCustomer,
            10 * D,
            D,
        )
    },
    Showcase {
        channel: Channel::Phone,
        rma: Some(RmaStatus::Requested),
        ..show("psu_rma", TacPremium, P2, Status::Open, 3 * D, 6 * H)
    },
    Showcase {
        rma: Some(RmaStatus::DefectiveReceived),
        ..show("psu_rma", TacCare, P2, Status::Resolved, 15 * D, 3 * D)
    },
    Showcase {
        rma: Some(RmaStatus::Closed),
        ..closed(
            "psu_rma",
            TacAdvanced,
            P2,
            CloseReason::ConfirmedResolved,
            25 * D,
        )
    },
    Showcase {
        rma: Some(RmaStatus::Cancelled),
        ..closed(
            "psu_rma",
            TacPremium,
            P3,
            CloseReason::NoLongerNeeded,
            8 * D,
        )
    },
    show("licence", SelfService, P4, Status::Resolved, 4 * D, D),
    show(
        "other",
        Standard,
        P4,
        Status::WaitingOnCustomer,
        3 * D,
        20 * H,
    ),
    closed(
        "feature",
        Standard,
        P4,
        CloseReason::FeatureRequestAccepted,
        20 * D,
    ),
    closed(
        "gui_cosmetic",
        Premium,
        P4,
        CloseReason::FixedInRelease,
        18 * D,
    ),
    closed(
        "backup_fail",
        Standard,
        P2,
        CloseReason::NotOurSoftware,
        14 * D,
    ),
    closed(
        "bgp_flap",
        TacCare,
        P2,
        CloseReason::WorkaroundAccepted,
        16 * D,
    ),
    closed(
        "config_q",
        TacAdvanced,
        P4,
        CloseReason::WorksAsDesigned,
        11 * D,
    ),
];

fn scenario(key: &str) -> &'static Scenario {
    SCENARIOS
        .iter()
        .find(|s| s.key == key)
        .unwrap_or(&SCENARIOS[0])
}

/// The specs of all cases: the showcases first (as many as fit), then random ones.
fn draw_specs(base: &InstallBase, seed: u64, cases: usize, now: DateTime<Utc>) -> Vec<CaseSpec> {
    let mut rng = Rng::new(seed ^ 0x00C0_FFEE);
    let mut deck = Deck::new(&mut rng);
    (0..cases)
        .map(|index| match SHOWCASES.get(index) {
            Some(showcase) => showcase_spec(showcase, index, base, &mut rng, now),
            None => random_spec(&mut deck, index, base, &mut rng, now),
        })
        .collect()
}

/// Scenario draws: each scenario once in a shuffled order first, so even a small demo shows
/// every request type, then in proportion to the weights.
struct Deck {
    first: Vec<usize>,
    weights: Vec<u32>,
}

impl Deck {
    fn new(rng: &mut Rng) -> Self {
        let mut first: Vec<usize> = (0..SCENARIOS.len()).collect();
        rng.shuffle(&mut first);
        Deck {
            first,
            weights: SCENARIOS.iter().map(|s| s.weight).collect(),
        }
    }

    fn draw(&mut self, rng: &mut Rng) -> &'static Scenario {
        let index = self
            .first
            .pop()
            .unwrap_or_else(|| rng.weighted(&self.weights));
        &SCENARIOS[index]
    }
}

fn showcase_spec(
    show: &Showcase,
    index: usize,
    base: &InstallBase,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> CaseSpec {
    let scenario = scenario(show.scenario);
    let asset = base.pick(rng, scenario.vendor, Some(show.tier));
    let contact = rng.pick(base.assets[asset].site.contacts);
    let pr = scenario.pr
        && (show.status == Status::WaitingOnEngineering
            || show.close == Some(CloseReason::FixedInRelease));
    CaseSpec {
        index,
        scenario,
        asset,
        contact,
        preferred: contact.prefers,
        priority: show.priority,
        channel: show.channel,
        status: show.status,
        close: show.close,
        created: now - Duration::minutes(show.age),
        tail: show.tail,
        owner: (show.status != Status::New).then(|| pick_owner(rng, scenario, contact.lang)),
        escalation: show.escalation,
        rma: show.rma,
        pr,
        reopened: false,
        with_serial: scenario.serial != SerialUse::Rarely,
        extras: false,
        special: show.special,
        now,
    }
}

fn random_spec(
    deck: &mut Deck,
    index: usize,
    base: &InstallBase,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> CaseSpec {
    let scenario = deck.draw(rng);
    let asset = base.pick(rng, scenario.vendor, None);
    let contact = rng.pick(base.assets[asset].site.contacts);
    let priority = vary(rng, scenario.priority);
    let status = draw_status(rng, scenario);
    let pr = scenario.pr
        && match status {
            Status::WaitingOnEngineering => true,
            Status::Open | Status::Resolved | Status::Closed => rng.percent(40),
            _ => false,
        };
    let close = (status == Status::Closed).then(|| draw_close_reason(rng, scenario, pr));
    let age = draw_age(rng, status, close);
    let tail = draw_tail(rng, status, close, age);
    let channel = if rng.percent(if priority == Priority::P1 { 65 } else { 15 }) {
        Channel::Phone
    } else {
        Channel::Web
    };
    let owned = status != Status::New || rng.percent(30);
    let rma = if scenario.rma && status != Status::New {
        Some(draw_rma(rng, status))
    } else {
        None
    };
    CaseSpec {
        index,
        scenario,
        asset,
        contact,
        preferred: if rng.percent(20) {
            other_method(contact.prefers)
        } else {
            contact.prefers
        },
        priority,
        channel,
        status,
        close,
        created: now - Duration::minutes(age),
        tail,
        owner: owned.then(|| pick_owner(rng, scenario, contact.lang)),
        escalation: draw_escalation(rng, status, rma.is_some()),
        rma,
        pr,
        reopened: matches!(status, Status::Open | Status::Resolved) && rng.percent(6),
        with_serial: match scenario.serial {
            SerialUse::Always => true,
            SerialUse::Often => rng.percent(80),
            SerialUse::Rarely => rng.percent(30),
        },
        extras: true,
        special: Special::None,
        now,
    }
}

/// The customer's pick, sometimes one step off.
fn vary(rng: &mut Rng, priority: Priority) -> Priority {
    match (rng.below(100), priority) {
        (0..10, Priority::P2) => Priority::P1,
        (0..10, Priority::P3) => Priority::P2,
        (0..10, Priority::P4) => Priority::P3,
        (10..20, Priority::P1) => Priority::P2,
        (10..20, Priority::P2) => Priority::P3,
        (10..20, Priority::P3) => Priority::P4,
        _ => priority,
    }
}

fn other_method(method: ContactMethod) -> ContactMethod {
    match method {
        ContactMethod::Phone => ContactMethod::Email,
        ContactMethod::Email => ContactMethod::Phone,
    }
}

fn draw_status(rng: &mut Rng, scenario: &Scenario) -> Status {
    // A month of history: most cases are done, a good share is being worked.
    let engineering = if scenario.pr { 8 } else { 0 };
    let weights = [8, 22, 12, engineering, 12, 38];
    Status::ALL[rng.weighted(&weights)]
}

fn draw_close_reason(rng: &mut Rng, scenario: &Scenario, pr: bool) -> CloseReason {
    if rng.percent(8) {
        return CloseReason::NoCustomerResponse;
    }
    if scenario.request == RequestType::FeatureRequest {
        return if rng.percent(70) {
            CloseReason::FeatureRequestAccepted
        } else {
            CloseReason::WorksAsDesigned
        };
    }
    if pr {
        return CloseReason::FixedInRelease;
    }
    const REASONS: [CloseReason; 5] = [
        CloseReason::ConfirmedResolved,
        CloseReason::WorkaroundAccepted,
        CloseReason::NoLongerNeeded,
        CloseReason::WorksAsDesigned,
        CloseReason::NotOurSoftware,
    ];
    REASONS[rng.weighted(&[60, 14, 10, 6, 5])]
}

/// Minutes since the case was opened, by where it stands now.
fn draw_age(rng: &mut Rng, status: Status, close: Option<CloseReason>) -> i64 {
    match status {
        Status::New if rng.percent(60) => rng.range(5, 12 * H),
        Status::New => rng.range(12 * H, 6 * D),
        Status::Open => rng.range(2 * H, 18 * D),
        Status::WaitingOnCustomer => rng.range(D, 25 * D),
        Status::WaitingOnEngineering => rng.range(2 * D, 28 * D),
        Status::Resolved => rng.range(D, 26 * D),
        // Two weeks of silence (and the work before) must fit in the month.
        Status::Closed if close == Some(CloseReason::NoCustomerResponse) => {
            rng.range(20 * D, 30 * D - 1)
        }
        Status::Closed => rng.range(D, 30 * D - 1),
    }
}

/// Minutes between the last step and now.
fn draw_tail(rng: &mut Rng, status: Status, close: Option<CloseReason>, age: i64) -> i64 {
    match status {
        Status::New => 0,
        Status::Open => rng.range(20, 36 * H).min(age / 2),
        // Under two weeks, so the auto-close has not come due.
        Status::WaitingOnCustomer => rng.range(2 * H, 12 * D).min(age * 2 / 3),
        Status::WaitingOnEngineering => rng.range(3 * H, 10 * D).min(age * 2 / 3),
        Status::Resolved => rng.range(2 * H, 7 * D).min(age / 2),
        Status::Closed if close == Some(CloseReason::NoCustomerResponse) => {
            rng.range(30, age - 19 * D)
        }
        Status::Closed => rng.range(30, (age / 2).max(31)),
    }
}

/// An RMA's status that fits the case's.
fn draw_rma(rng: &mut Rng, status: Status) -> RmaStatus {
    use RmaStatus::*;
    match status {
        Status::Resolved => {
            [ReplacementShipped, DefectiveReceived, Closed][rng.weighted(&[2, 3, 2])]
        }
        Status::Closed => [Closed, Cancelled, DefectiveReceived][rng.weighted(&[5, 1, 1])],
        _ => [
            Requested,
            Issued,
            ReplacementShipped,
            DefectiveReceived,
            Cancelled,
        ][rng.weighted(&[1, 3, 4, 1, 1])],
    }
}

/// Now and then the customer escalates; a finished case has only finished escalations.
fn draw_escalation(
    rng: &mut Rng,
    status: Status,
    has_rma: bool,
) -> Option<(EscalationKind, EscalationState)> {
    use EscalationState::*;
    if !rng.percent(if status == Status::New { 4 } else { 8 }) {
        return None;
    }
    let kinds: &[EscalationKind] = if has_rma {
        &[
            FasterProgress,
            EngineerNow,
            Reassignment,
            FasterRma,
            FasterRma,
        ]
    } else {
        &[FasterProgress, EngineerNow, Reassignment]
    };
    let kind = rng.choose(kinds);
    let state = match status {
        Status::New => Requested,
        Status::Resolved | Status::Closed => [Resolved, Declined][rng.weighted(&[3, 1])],
        _ => [Requested, Acknowledged, Resolved, Declined][rng.weighted(&[3, 3, 2, 1])],
    };
    Some((kind, state))
}

/// Who works the case: an engineer in the customer's language (now and then not), or customer
/// care for most non-technical requests.
fn pick_owner(rng: &mut Rng, scenario: &Scenario, lang: Lang) -> &'static Staff {
    let lang = match (rng.percent(10), lang) {
        (true, Lang::Ja) => Lang::En,
        (true, Lang::En) => Lang::Ja,
        (false, lang) => lang,
    };
    if scenario.request.is_non_technical() && rng.percent(70) {
        return care_for(lang);
    }
    let engineers: Vec<&'static Staff> = ENGINEERS.iter().filter(|e| e.lang == lang).collect();
    rng.choose(&engineers)
}

// ---------------------------------------------------------------------------------------------
// Stories: the steps of a case

/// What a step does, through which store function.
enum Action {
    Note(NewNote),
    Patch(CasePatch),
    Escalate(NewEscalation),
    /// Acts on the case's latest escalation.
    HandleEscalation(EscalationPatch),
    OpenRma(NewRma),
    /// Moves the case's latest RMA.
    MoveRma(RmaStatus),
}

/// The time before a step. Fixed gaps keep their length (a first response after 12 minutes,
/// the 14 days before the auto-close); flexible ones stretch or shrink so the story ends where
/// the spec says.
#[derive(Clone, Copy)]
enum Gap {
    Fixed(i64),
    Flex(i64),
}

struct Step {
    gap: Gap,
    by: &'static Staff,
    action: Action,
}

/// Builds a case's steps, keeping track of its status, priority and owner as they change.
struct Story<'a> {
    spec: &'a CaseSpec,
    rng: Rng,
    ctx: Ctx,
    lang: Lang,
    /// Whose product the case is about.
    vendor: Vendor,
    status: Status,
    priority: Priority,
    owner: Option<&'static Staff>,
    steps: Vec<Step>,
}

impl Story<'_> {
    // --- building blocks

    fn fixed(&mut self, lo: i64, hi: i64) -> Gap {
        Gap::Fixed(self.rng.range(lo, hi))
    }

    fn flex(&mut self, lo: i64, hi: i64) -> Gap {
        Gap::Flex(self.rng.range(lo, hi))
    }

    /// A template from `pool` in the case's language, filled in. Templates that name a serial
    /// are left out when the case has none.
    fn say(&mut self, pool: &Pool) -> String {
        say(
            &mut self.rng,
            pool,
            self.lang,
            &self.ctx,
            self.spec.with_serial,
        )
    }

    fn push(&mut self, gap: Gap, by: &'static Staff, action: Action) {
        self.steps.push(Step { gap, by, action });
    }

    fn note(
        &mut self,
        gap: Gap,
        by: &'static Staff,
        pool: &Pool,
        kind: NoteKind,
        visibility: Visibility,
    ) {
        let body = self.say(pool);
        let note = NewNote {
            body,
            visibility,
            kind,
            from_customer: false,
        };
        self.push(gap, by, Action::Note(note));
    }

    /// A public note by support: a response and an update as far as the clocks go.
    fn public(&mut self, gap: Gap, by: &'static Staff, pool: &Pool) {
        self.note(gap, by, pool, NoteKind::Note, Visibility::Public);
    }

    fn internal(&mut self, gap: Gap, by: &'static Staff, pool: &Pool) {
        self.note(gap, by, pool, NoteKind::Note, Visibility::Internal);
    }

    fn call(&mut self, gap: Gap, by: &'static Staff, pool: &Pool) {
        self.note(gap, by, pool, NoteKind::Call, Visibility::Public);
    }

    fn contact_failed(&mut self, gap: Gap) {
        let who = self.worker();
        self.note(
            gap,
            who,
            &CONTACT_FAILED,
            NoteKind::ContactFailed,
            Visibility::Internal,
        );
    }

    /// The customer's words, as the portal (web) or the engineer (e-mail, phone) records them.
    fn customer(&mut self, gap: Gap, pool: &Pool) {
        let body = self.say(pool);
        let by = self.customer_side();
        let note = NewNote {
            body,
            visibility: Visibility::Public,
            kind: NoteKind::Note,
            from_customer: true,
        };
        self.push(gap, by, Action::Note(note));
    }

    fn patch(&mut self, gap: Gap, by: &'static Staff, patch: CasePatch) {
        self.push(gap, by, Action::Patch(patch));
    }

    fn move_to(&mut self, gap: Gap, by: &'static Staff, to: Status, reason: Option<String>) {
        debug_assert!(
            self.status.may_move_to(to),
            "{} → {to} in {}",
            self.status,
            self.spec.scenario.key
        );
        self.status = to;
        let patch = CasePatch {
            status: Some(to),
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, by, patch);
    }

    fn close(&mut self, gap: Gap, by: &'static Staff, reason: CloseReason, why: String) {
        debug_assert!(self.status.may_move_to(Status::Closed));
        self.status = Status::Closed;
        let patch = CasePatch {
            status: Some(Status::Closed),
            close_reason: Some(reason),
            reason: Some(why),
            ..CasePatch::default()
        };
        self.patch(gap, by, patch);
    }

    fn set_owner(
        &mut self,
        gap: Gap,
        by: &'static Staff,
        owner: &'static Staff,
        reason: Option<String>,
    ) {
        self.owner = Some(owner);
        self.ctx.engineer = owner.name(self.lang);
        let patch = CasePatch {
            owner: Some(owner.login.to_string()),
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, by, patch);
    }

    /// Who does support's part: the owner, or whoever is on shift.
    fn worker(&self) -> &'static Staff {
        self.owner.unwrap_or(&ENGINEERS[0])
    }

    fn customer_side(&self) -> &'static Staff {
        match self.spec.channel {
            Channel::Web => &PORTAL,
            Channel::Phone => self.worker(),
        }
    }

    /// What support asks the customer for: logs for a fault, facts for paperwork.
    fn ask_pool(&self) -> &'static Pool {
        match (self.spec.scenario.request, self.vendor) {
            (RequestType::FeatureRequest, _) => &ASK_FEATURE,
            (request, _) if request.is_non_technical() => &ASK_ADMIN,
            (_, Vendor::Network) => &ASK_NETWORK,
            (_, Vendor::Backup) => &ASK_BACKUP,
        }
    }

    fn reply_pool(&self) -> &'static Pool {
        match self.spec.scenario.request {
            RequestType::FeatureRequest => &REPLY_FEATURE,
            request if request.is_non_technical() => &REPLY_ADMIN,
            _ => &REPLY,
        }
    }

    fn internal_pool(&self) -> &'static Pool {
        match self.spec.scenario.request {
            RequestType::FeatureRequest => &INTERNAL_FEATURE,
            request if request.is_non_technical() => &INTERNAL_ADMIN,
            _ => &INTERNAL,
        }
    }

    // --- the story

    fn tell(&mut self) {
        if self.spec.status == Status::New {
            return self.untouched();
        }
        self.take_ownership();
        match self.spec.special {
            Special::DowngradeTaken => return self.unreachable(true),
            Special::DowngradeAvailable => return self.unreachable(false),
            Special::None => {}
        }
        self.first_response();
        if let Some(rma) = self.spec.rma {
            self.rma(rma);
        }
        if self.spec.extras && self.rng.percent(8) {
            self.reassess_priority();
        }
        let rounds = match (
            self.spec.scenario.request.is_non_technical(),
            self.spec.extras,
        ) {
            (_, false) => 1,
            (true, true) => self.rng.weighted(&[60, 40]),
            (false, true) => self.rng.weighted(&[25, 50, 25]),
        };
        for _ in 0..rounds {
            self.round();
        }
        // Finished escalations happened along the way; open ones are recent.
        let escalation = self.spec.escalation;
        let finished = escalation.filter(|(_, state)| !state.is_open());
        if let Some(escalation) = finished {
            self.escalate(escalation);
        }
        if self.spec.pr && self.spec.status != Status::WaitingOnEngineering {
            self.problem_report();
            self.fix_available();
        }
        if self.spec.reopened {
            self.resolve();
            self.reopen();
        }
        if let Some(escalation) = escalation.filter(|(_, state)| state.is_open()) {
            self.escalate(escalation);
        }
        self.finish();
    }

    /// A new case: nobody has answered yet, though a lead may have assigned it.
    fn untouched(&mut self) {
        if let Some(owner) = self.spec.owner
            && self.owner.is_none()
        {
            let lead = lead_for(self.lang);
            let gap = self.flex(5, 3 * H);
            let reason = Some(self.say(&ASSIGN));
            self.set_owner(gap, lead, owner, reason);
        }
        if self.rng.percent(30) {
            let gap = self.flex(5, 2 * H);
            let who = self.owner.unwrap_or(lead_for(self.lang));
            let pool = self.internal_pool();
            self.internal(gap, who, pool);
        }
        if self.rng.percent(20) {
            let gap = self.flex(H, 6 * H);
            self.customer(gap, &CHASER);
        }
        if let Some(escalation) = self.spec.escalation {
            self.escalate(escalation);
        }
    }

    /// The owner takes the case, or a lead hands it out. Phone cases are owned from the start.
    fn take_ownership(&mut self) {
        let Some(owner) = self.spec.owner else { return };
        if self.owner.is_some() {
            return;
        }
        if self.rng.percent(75) {
            let gap = self.fixed(1, 12);
            self.set_owner(gap, owner, owner, None);
        } else {
            let gap = self.fixed(2, 20);
            let reason = Some(self.say(&ASSIGN));
            self.set_owner(gap, lead_for(self.lang), owner, reason);
        }
    }

    /// Minutes until support first answers: quick for a P1, now and then late.
    fn response_delay(&mut self) -> i64 {
        let (lo, hi) = match self.spec.priority {
            Priority::P1 => (3, 20),
            Priority::P2 => (8, 45),
            Priority::P3 => (30, 5 * H),
            Priority::P4 => (H, 20 * H),
        };
        let delay = self.rng.range(lo, hi);
        if self.spec.extras && self.rng.percent(12) {
            (delay * self.rng.range(3, 5)).min(3 * D)
        } else {
            delay
        }
    }

    fn first_response(&mut self) {
        let delay = self.response_delay();
        let who = self.worker();
        if self.spec.priority == Priority::P1 && self.spec.extras && self.rng.percent(25) {
            // Could not get through at first; the call back is the response.
            self.contact_failed(Gap::Fixed(delay / 2));
            self.call(Gap::Fixed(delay - delay / 2 + 5), who, &CALLS);
        } else if self.spec.channel == Channel::Phone && self.rng.percent(50) {
            self.call(Gap::Fixed(delay), who, &CALLS);
        } else {
            self.public(Gap::Fixed(delay), who, &ACK);
        }
        // The store opens a new case on support's first public note or call.
        self.status = Status::Open;
    }

    /// A P1 whose customer does not pick up: an hour of failed calls makes the temporary
    /// downgrade available (SPEC 2.2).
    fn unreachable(&mut self, downgrade: bool) {
        let who = self.worker();
        self.public(Gap::Fixed(8), who, &ACK);
        self.status = Status::Open;
        self.contact_failed(Gap::Fixed(4));
        self.contact_failed(Gap::Fixed(30));
        self.contact_failed(Gap::Fixed(35));
        if downgrade {
            let reason = Some(self.say(&TEMP_DOWNGRADE));
            let patch = CasePatch {
                priority: Some(Priority::P2),
                temporary: true,
                reason,
                ..CasePatch::default()
            };
            self.patch(Gap::Fixed(5), who, patch);
            self.priority = Priority::P2;
            self.public(Gap::Fixed(3), who, &DOWNGRADE_NOTICE);
            let pool = self.internal_pool();
            self.internal(Gap::Fixed(55), who, pool);
        }
    }

    /// Support re-assesses the priority with the customer (the reason is required).
    fn reassess_priority(&mut self) {
        let (to, pool) = match self.priority {
            Priority::P1 => (Priority::P2, &PRIORITY_DOWN),
            Priority::P2 if self.rng.percent(60) => (Priority::P3, &PRIORITY_DOWN),
            Priority::P2 => (Priority::P1, &PRIORITY_UP),
            Priority::P3 if self.rng.percent(50) => (Priority::P4, &PRIORITY_DOWN),
            Priority::P3 => (Priority::P2, &PRIORITY_UP),
            Priority::P4 => (Priority::P3, &PRIORITY_UP),
        };
        let gap = self.flex(30, 4 * H);
        let who = self.worker();
        let reason = Some(self.say(pool));
        self.priority = to;
        let patch = CasePatch {
            priority: Some(to),
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, who, patch);
    }

    /// Investigate, ask the customer, wait, get the answer.
    fn round(&mut self) {
        let who = self.worker();
        if self.rng.percent(60) {
            let gap = self.flex(H, 10 * H);
            let pool = self.internal_pool();
            self.internal(gap, who, pool);
        }
        if self.rng.percent(30) {
            let gap = self.flex(H, 6 * H);
            self.call(gap, who, &CALLS);
        }
        let gap = self.flex(H, 8 * H);
        let ask = self.ask_pool();
        self.public(gap, who, ask);
        let gap = self.fixed(1, 3);
        self.move_to(gap, who, Status::WaitingOnCustomer, None);
        if self.rng.percent(15) {
            let gap = self.flex(D, 3 * D);
            self.public(gap, who, &REMINDER);
        }
        let gap = self.flex(3 * H, 2 * D);
        let reply = self.reply_pool();
        self.customer(gap, reply);
        let gap = self.fixed(5, 40);
        self.move_to(gap, who, Status::Open, None);
        if self.rng.percent(50) {
            let gap = self.flex(H, 6 * H);
            let updates = &self.spec.scenario.updates;
            self.public(gap, who, updates);
        }
    }

    /// The RMA's life, from issue to where the spec leaves it. The replacement ships the next
    /// day whatever the rest of the story does, so an old RMA is really overdue.
    fn rma(&mut self, target: RmaStatus) {
        let who = self.worker();
        let care = care_for(self.lang);
        let issue = match target {
            RmaStatus::Requested => false,
            RmaStatus::Cancelled => self.rng.percent(50),
            _ => true,
        };
        let analysis = match self.rng.below(10) {
            0 => Some(AnalysisRequest::FailureAnalysis),
            1 => Some(AnalysisRequest::RepairAnalysis),
            _ => None,
        };
        let gap = self.fixed(20, 3 * H);
        let part = self.ctx.part.to_string();
        self.push(
            gap,
            who,
            Action::OpenRma(NewRma {
                serial_number: None,
                part_number: part,
                analysis,
                issue,
            }),
        );
        let gap = self.fixed(1, 3);
        if issue {
            self.public(gap, who, &RMA_ISSUED);
        } else {
            self.internal(gap, who, &RMA_REQUESTED);
        }
        match target {
            RmaStatus::Requested | RmaStatus::Issued => {}
            RmaStatus::Cancelled => {
                let gap = self.flex(4 * H, 2 * D);
                self.push(gap, care, Action::MoveRma(RmaStatus::Cancelled));
                let gap = self.fixed(1, 5);
                self.public(gap, who, &RMA_CANCELLED);
            }
            RmaStatus::ReplacementShipped | RmaStatus::DefectiveReceived | RmaStatus::Closed => {
                let gap = self.fixed(12 * H, 36 * H);
                self.push(gap, care, Action::MoveRma(RmaStatus::ReplacementShipped));
                let gap = self.fixed(1, 10);
                self.public(gap, care, &RMA_SHIPPED);
                if target != RmaStatus::ReplacementShipped {
                    let gap = self.flex(3 * D, 7 * D);
                    self.push(gap, care, Action::MoveRma(RmaStatus::DefectiveReceived));
                    let gap = self.fixed(1, 10);
                    self.internal(gap, care, &RMA_RECEIVED);
                }
                if target == RmaStatus::Closed {
                    let gap = self.flex(D, 3 * D);
                    self.push(gap, care, Action::MoveRma(RmaStatus::Closed));
                }
            }
        }
    }

    fn escalate(&mut self, (kind, state): (EscalationKind, EscalationState)) {
        let requester = if self.spec.channel == Channel::Web && self.rng.percent(60) {
            &PORTAL
        } else {
            self.worker()
        };
        let reason = self.say(escalation_reasons(kind));
        let contact_method = kind.needs_contact_method().then_some(self.spec.preferred);
        let gap = self.flex(H, 20 * H);
        self.push(
            gap,
            requester,
            Action::Escalate(NewEscalation {
                kind,
                reason,
                contact_method,
            }),
        );
        let lead = lead_for(self.lang);
        match state {
            EscalationState::Requested => {}
            // A lead may decline at once, without acknowledging first.
            EscalationState::Declined if self.rng.percent(40) => self.decline(lead),
            _ => {
                let gap = self.fixed(10, 2 * H);
                self.handle(gap, lead, EscalationState::Acknowledged, None);
                match state {
                    EscalationState::Resolved => {
                        self.escalation_work(kind, lead);
                        let gap = self.fixed(10, H);
                        let resolution = Some(self.say(escalation_resolutions(kind)));
                        self.handle(gap, lead, EscalationState::Resolved, resolution);
                    }
                    EscalationState::Declined => self.decline(lead),
                    _ => {}
                }
            }
        }
    }

    fn handle(
        &mut self,
        gap: Gap,
        lead: &'static Staff,
        state: EscalationState,
        resolution: Option<String>,
    ) {
        self.push(
            gap,
            lead,
            Action::HandleEscalation(EscalationPatch { state, resolution }),
        );
    }

    fn decline(&mut self, lead: &'static Staff) {
        let gap = self.fixed(15, 3 * H);
        let resolution = Some(self.say(&DECLINE));
        self.handle(gap, lead, EscalationState::Declined, resolution);
    }

    /// What the desk does for an escalation before resolving it (SPEC 2.7).
    fn escalation_work(&mut self, kind: EscalationKind, lead: &'static Staff) {
        match kind {
            EscalationKind::FasterProgress => {
                let gap = self.fixed(10, H);
                self.internal(gap, lead, &MANAGER_NOTE);
            }
            EscalationKind::EngineerNow => {
                let gap = self.fixed(5, 40);
                let who = self.worker();
                self.call(gap, who, &CALLS);
            }
            EscalationKind::Reassignment => {
                let current = self.worker().login;
                let others: Vec<&'static Staff> = ENGINEERS
                    .iter()
                    .filter(|e| e.lang == self.lang && e.login != current)
                    .collect();
                let to = self.rng.choose(&others);
                let gap = self.fixed(10, H);
                let reason = Some(self.say(escalation_reasons(kind)));
                self.set_owner(gap, lead, to, reason);
            }
            EscalationKind::FasterRma => {
                let gap = self.fixed(10, 2 * H);
                self.public(gap, care_for(self.lang), &RMA_STATUS_NOTE);
            }
        }
    }

    /// Support finds a product defect and hands it to engineering.
    fn problem_report(&mut self) {
        let who = self.worker();
        let gap = self.flex(2 * H, D);
        let reason = Some(self.say(&PR_REASON));
        self.status = Status::WaitingOnEngineering;
        let patch = CasePatch {
            status: Some(Status::WaitingOnEngineering),
            add_problem_reports: vec![self.ctx.pr.clone()],
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, who, patch);
        let gap = self.fixed(2, 15);
        self.public(gap, who, &PR_FILED);
    }

    fn fix_available(&mut self) {
        let who = self.worker();
        let gap = self.flex(3 * D, 10 * D);
        self.public(gap, who, &PR_FIXED);
        let gap = self.fixed(1, 5);
        self.move_to(gap, who, Status::Open, None);
    }

    fn resolve(&mut self) {
        let who = self.worker();
        let gap = self.flex(2 * H, 2 * D);
        let solutions = &self.spec.scenario.solutions;
        self.public(gap, who, solutions);
        let gap = self.fixed(1, 5);
        self.move_to(gap, who, Status::Resolved, None);
    }

    fn reopen(&mut self) {
        let gap = self.flex(D, 4 * D);
        self.customer(gap, &REOPEN);
        let gap = self.fixed(10, 2 * H);
        let who = self.worker();
        let reason = Some(self.say(&REOPEN_REASON));
        self.move_to(gap, who, Status::Open, reason);
    }

    /// The last steps, which leave the case where the spec says.
    fn finish(&mut self) {
        let who = self.worker();
        match self.spec.status {
            Status::New => {}
            Status::Open => {
                if self.spec.extras && self.rng.percent(25) {
                    let gap = self.flex(2 * H, D);
                    self.customer(gap, &CHASER);
                }
                let gap = self.flex(H, D);
                let updates = &self.spec.scenario.updates;
                self.public(gap, who, updates);
            }
            Status::WaitingOnCustomer => self.wait_for_customer(),
            Status::WaitingOnEngineering => self.problem_report(),
            Status::Resolved => self.resolve(),
            Status::Closed => self.finish_closed(),
        }
    }

    fn wait_for_customer(&mut self) {
        let who = self.worker();
        let gap = self.flex(H, 8 * H);
        let ask = self.ask_pool();
        self.public(gap, who, ask);
        let gap = self.fixed(1, 3);
        self.move_to(gap, who, Status::WaitingOnCustomer, None);
    }

    fn finish_closed(&mut self) {
        let who = self.worker();
        let reason = self.spec.close.unwrap_or(CloseReason::ConfirmedResolved);
        let why = close_note(reason, self.lang).to_string();
        match reason {
            CloseReason::NoCustomerResponse => {
                // A reminder after a week, then the server's job closes the case when the
                // 14-day auto-close clock runs out (SPEC 2.5).
                self.wait_for_customer();
                self.public(Gap::Fixed(7 * D), who, &REMINDER);
                let why = self.say(&AUTO_CLOSE);
                self.close(Gap::Fixed(7 * D), &SYSTEM, reason, why);
            }
            CloseReason::NoLongerNeeded => {
                self.wait_for_customer();
                let gap = self.flex(3 * H, 3 * D);
                self.customer(gap, &NO_LONGER_NEEDED);
                let gap = self.fixed(10, 3 * H);
                self.close(gap, who, reason, why);
            }
            _ => {
                self.resolve();
                let gap = self.flex(3 * H, 3 * D);
                self.customer(gap, &CONFIRM);
                let gap = self.fixed(5, 4 * H);
                self.close(gap, who, reason, why);
            }
        }
    }
}

/// A template from `pool` in `lang`, filled in from `ctx`.
fn say(rng: &mut Rng, pool: &Pool, lang: Lang, ctx: &Ctx, with_serial: bool) -> String {
    let all = pool.get(lang);
    let usable: Vec<&str> = all
        .iter()
        .copied()
        .filter(|t| with_serial || !t.contains("{serial}"))
        .collect();
    let template = if usable.is_empty() {
        rng.choose(all)
    } else {
        rng.choose(&usable)
    };
    render(template, ctx)
}

// ---------------------------------------------------------------------------------------------
// Plans: a case with its steps placed in time

/// A step at its instant.
struct Timed {
    at: DateTime<Utc>,
    by: &'static Staff,
    action: Action,
}

/// A case ready to be written.
struct Plan {
    case: NewCase,
    opened_by: &'static Staff,
    created: DateTime<Utc>,
    steps: Vec<Timed>,
}

/// Turns a spec into the case and its timed steps.
fn plan(spec: &CaseSpec, base: &InstallBase, seed: u64) -> Plan {
    let mut rng = Rng::for_case(seed, spec.index);
    let asset = &base.assets[spec.asset];
    let lang = spec.contact.lang;
    let ctx = Ctx::new(spec, asset, &mut rng);
    let subject = say(
        &mut rng,
        &spec.scenario.subjects,
        lang,
        &ctx,
        spec.with_serial,
    );
    let mut description = say(
        &mut rng,
        &spec.scenario.descriptions,
        lang,
        &ctx,
        spec.with_serial,
    );
    // Short descriptions get the environment block the seed guides ask customers for.
    if spec.with_serial && description.chars().count() < 160 && rng.percent(50) {
        description.push_str(&say(&mut rng, &ENVIRONMENT, lang, &ctx, true));
    }

    // A phone case is opened by whoever took the call; a web case by the portal.
    let (opened_by, owner) = match (spec.channel, spec.owner) {
        (Channel::Phone, Some(owner)) => (owner, Some(owner)),
        (Channel::Phone, None) => (care_for(lang), None),
        (Channel::Web, _) => (&PORTAL, None),
    };
    let case = NewCase {
        subject,
        description,
        priority: spec.priority,
        tier: Some(asset.tier),
        channel: Some(spec.channel),
        request_type: Some(spec.scenario.request),
        site_name: asset.site.name.to_string(),
        site_id: asset.site.id.to_string(),
        account: asset.site.account.to_string(),
        contact_name: spec.contact.name.to_string(),
        contact_email: spec.contact.email.to_string(),
        contact_phone: spec.contact.phone.to_string(),
        preferred_contact: Some(spec.preferred),
        user_type: Some(asset.site.user_type),
        product: asset.product.name.to_string(),
        platform: asset.platform.to_string(),
        software_version: asset.version.to_string(),
        serial_number: spec.with_serial.then(|| asset.serial.clone()),
        owner: owner.map(|o| o.login.to_string()),
    };

    let mut ctx = ctx;
    ctx.engineer = owner.unwrap_or(&ENGINEERS[0]).name(lang);
    let mut story = Story {
        spec,
        rng,
        ctx,
        lang,
        vendor: asset.product.vendor,
        status: Status::New,
        priority: spec.priority,
        owner,
        steps: Vec::new(),
    };
    story.tell();

    // Open cases end `tail` minutes ago with flexible gaps stretched to get there; finished
    // ones keep their natural pace unless it would run past that point.
    let (limit, stretch) = match spec.status {
        Status::New => (spec.now - Duration::minutes(1), false),
        _ if spec.special != Special::None => (spec.now - Duration::minutes(1), false),
        Status::Resolved | Status::Closed => (spec.now - Duration::minutes(spec.tail), false),
        _ => (spec.now - Duration::minutes(spec.tail), true),
    };
    Plan {
        case,
        opened_by,
        created: spec.created,
        steps: place(spec.created, limit, story.steps, stretch),
    }
}

/// Gives each step its instant: fixed gaps as they are, flexible ones scaled so the story ends
/// at `limit` (when `stretch`) or at least not after it. A story too long for the case's age is
/// squeezed as a whole.
fn place(
    created: DateTime<Utc>,
    limit: DateTime<Utc>,
    steps: Vec<Step>,
    stretch: bool,
) -> Vec<Timed> {
    let span = (limit - created).num_seconds().max(0);
    let secs = |gap: Gap| match gap {
        Gap::Fixed(m) | Gap::Flex(m) => m * 60,
    };
    let fixed: i64 = steps
        .iter()
        .filter(|s| matches!(s.gap, Gap::Fixed(_)))
        .map(|s| secs(s.gap))
        .sum();
    let flex: i64 = steps
        .iter()
        .filter(|s| matches!(s.gap, Gap::Flex(_)))
        .map(|s| secs(s.gap))
        .sum();
    // Scales as (numerator, denominator), in integers so every machine places steps alike.
    let one = (1, 1);
    let (fixed_scale, flex_scale) = if fixed > span {
        ((span, fixed + flex), (span, fixed + flex))
    } else if flex > 0 && (stretch || fixed + flex > span) {
        (one, (span - fixed, flex))
    } else {
        (one, one)
    };
    let end = limit.max(created);
    let mut at = created;
    steps
        .into_iter()
        .map(|step| {
            let (num, den) = match step.gap {
                Gap::Fixed(_) => fixed_scale,
                Gap::Flex(_) => flex_scale,
            };
            let scaled = i128::from(secs(step.gap)) * i128::from(num) / i128::from(den.max(1));
            // At least a second apart, so the timeline reads in order.
            at = (at + Duration::seconds((scaled as i64).max(1))).min(end);
            Timed {
                at,
                by: step.by,
                action: step.action,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Writing

/// What a case has become in the database so far.
#[derive(Default)]
struct Live {
    number: String,
    escalation: Option<i64>,
    rma: Option<String>,
}

/// Writes a batch of cases, replaying all their steps in time order so case numbers, RMA
/// numbers and the change feed follow the clock as they would have in real use.
fn write_batch(
    conn: &Connection,
    sla: &Sla,
    base: &InstallBase,
    specs: &[CaseSpec],
    options: &DemoOptions,
) -> Result<(), StoreError> {
    let plans: Vec<Plan> = specs
        .iter()
        .map(|spec| plan(spec, base, options.seed))
        .collect();
    let mut order: Vec<(DateTime<Utc>, usize, usize)> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        order.push((plan.created, i, 0));
        order.extend(
            plan.steps
                .iter()
                .enumerate()
                .map(|(j, step)| (step.at, i, j + 1)),
        );
    }
    order.sort_unstable();

    let mut live: Vec<Live> = plans.iter().map(|_| Live::default()).collect();
    for (at, i, j) in order {
        let plan = &plans[i];
        if j == 0 {
            let case = store::create_case(conn, sla, &plan.case, &plan.opened_by.caller(), at)?;
            live[i].number = case.summary.number.to_string();
        } else {
            apply(conn, sla, &mut live[i], &plan.steps[j - 1])?;
        }
    }
    // The stories end in the past; bring what the queue sorts by (breached, next due) to now.
    for case in &live {
        store::refresh_clocks(conn, sla, &case.number, options.now)?;
    }
    Ok(())
}

/// Writes one step through the store.
fn apply(conn: &Connection, sla: &Sla, live: &mut Live, step: &Timed) -> Result<(), StoreError> {
    let caller = step.by.caller();
    let at = step.at;
    let number = live.number.as_str();
    // Only patch_case hands back the new version; the other writes bump it too.
    let (version, _) = store::case_tag(conn, number)?;
    match &step.action {
        Action::Note(note) if note.body.contains("{rma}") => {
            let rma = live.rma.as_deref().unwrap_or("-");
            let note = NewNote {
                body: note.body.replace("{rma}", rma),
                ..note.clone()
            };
            store::add_note(conn, sla, number, &note, version, &caller, at)?;
        }
        Action::Note(note) => {
            store::add_note(conn, sla, number, note, version, &caller, at)?;
        }
        Action::Patch(patch) => {
            store::patch_case(conn, sla, number, patch, version, &caller, at)?;
        }
        Action::Escalate(new) => {
            let escalation =
                store::create_escalation(conn, sla, number, new, version, &caller, at)?;
            live.escalation = Some(escalation.id);
        }
        Action::HandleEscalation(patch) => {
            let id = live
                .escalation
                .ok_or_else(|| missing("escalation", number))?;
            store::patch_escalation(conn, sla, id, patch, &caller, at)?;
        }
        Action::OpenRma(new) => {
            let rma = store::create_rma(conn, sla, number, new, version, &caller, at)?;
            live.rma = Some(rma.number.to_string());
        }
        Action::MoveRma(status) => {
            let rma = live.rma.as_deref().ok_or_else(|| missing("RMA", number))?;
            store::patch_rma(
                conn,
                sla,
                rma,
                &RmaPatch {
                    status: Some(*status),
                    analysis: None,
                },
                &caller,
                at,
            )?;
        }
    }
    Ok(())
}

/// A story step that acts on something an earlier step should have made (a bug in the story).
fn missing(what: &'static str, number: &str) -> StoreError {
    StoreError::NotFound {
        what,
        id: format!("(demo story of case {number})"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use chrono::TimeZone;

    use super::*;
    use crate::api::CaseSummary;
    use crate::server::store::{EscalationQuery, RmaQuery};
    use crate::sla::{Calendars, Policies};

    /// A database file under the temp directory, removed (with its WAL files) when dropped.
    struct TempDb {
        path: PathBuf,
        db: Option<Db>,
    }

    impl TempDb {
        fn new(name: &str) -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let unique = NEXT.fetch_add(1, Ordering::Relaxed);
            let file = format!("casedesk-demo-{}-{name}-{unique}.db", std::process::id());
            let path = std::env::temp_dir().join(file);
            let db = Db::open(&path).expect("open a temp database");
            TempDb { path, db: Some(db) }
        }

        fn db(&self) -> &Db {
            self.db.as_ref().expect("open")
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            drop(self.db.take());
            for suffix in ["", "-wal", "-shm"] {
                let mut path = self.path.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }

    fn sla() -> Sla {
        Sla {
            calendars: Calendars::builtin(),
            policies: Policies::builtin(),
        }
    }

    /// A fixed instant, so the tests do not depend on the day they run (Friday, 12:00 in Tokyo).
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0)
            .single()
            .expect("valid instant")
    }

    fn options(cases: usize, seed: u64) -> DemoOptions {
        DemoOptions {
            cases,
            seed,
            now: now(),
        }
    }

    fn all_cases(db: &Db) -> Vec<CaseSummary> {
        let caller = Caller::system();
        let mut cases = Vec::new();
        let mut offset = 0;
        loop {
            let query = CaseQuery {
                sort: crate::api::SortColumn::Number,
                offset,
                limit: 500,
                ..CaseQuery::default()
            };
            let page = db
                .read_blocking(|c| store::list_cases(c, &query, &caller))
                .expect("list cases");
            offset += page.items.len() as u64;
            cases.extend(page.items);
            if page.next_cursor.is_none() {
                return cases;
            }
        }
    }

    fn seeded(name: &str, cases: usize, seed: u64) -> (TempDb, Vec<CaseSummary>) {
        let temp = TempDb::new(name);
        let started = std::time::Instant::now();
        let made = super::seed(temp.db(), &sla(), &options(cases, seed)).expect("seed");
        eprintln!("seeded {made} cases in {:?}", started.elapsed());
        assert_eq!(made, cases);
        let listed = all_cases(temp.db());
        (temp, listed)
    }

    #[test]
    fn seeds_400_cases_covering_every_state() {
        let (temp, cases) = seeded("cover", 400, DEFAULT_SEED);
        let db = temp.db();
        assert_eq!(cases.len(), 400);

        let statuses: BTreeSet<Status> = cases.iter().map(|c| c.status).collect();
        assert_eq!(statuses, Status::ALL.iter().copied().collect());
        let tiers: BTreeSet<ContractTier> = cases.iter().map(|c| c.tier).collect();
        assert_eq!(tiers, ContractTier::ALL.iter().copied().collect());
        let priorities: BTreeSet<Priority> = cases.iter().map(|c| c.priority).collect();
        assert_eq!(priorities, Priority::ALL.iter().copied().collect());
        let requests: BTreeSet<RequestType> = cases.iter().map(|c| c.request_type).collect();
        assert_eq!(requests, RequestType::ALL.iter().copied().collect());
        let channels: BTreeSet<Channel> = cases.iter().map(|c| c.channel).collect();
        assert_eq!(channels.len(), 2);
        assert!(
            cases.iter().any(|c| c.owner.is_none()),
            "some cases are unassigned"
        );

        for &state in EscalationState::ALL {
            let query = EscalationQuery { state: vec![state] };
            let found = db
                .read_blocking(|c| store::list_escalations(c, &query))
                .expect("escalations");
            assert!(!found.is_empty(), "no escalation is {state}");
        }
        for &status in RmaStatus::ALL {
            let query = RmaQuery {
                status: vec![status],
                limit: 10,
                ..RmaQuery::default()
            };
            let found = db
                .read_blocking(|c| store::list_rmas(c, &query, now()))
                .expect("RMAs");
            assert!(!found.is_empty(), "no RMA is {status}");
        }

        let stats = db.read_blocking(|c| store::stats(c, now())).expect("stats");
        assert!(stats.breached >= 1, "{stats:?}");
        assert!(stats.overdue_rmas >= 1, "{stats:?}");
        assert!(stats.due_within_1h >= 1, "{stats:?}");
        assert!(stats.unassigned >= 1, "{stats:?}");
        assert!(stats.open_escalations >= 1, "{stats:?}");
    }

    #[test]
    fn the_p1_downgrade_is_taken_once_and_available_once() {
        let (temp, cases) = seeded("downgrade", SHOWCASES.len(), 7);
        let sla = sla();
        assert!(
            cases
                .iter()
                .any(|c| c.temporarily_downgraded && c.priority == Priority::P2)
        );
        let available = cases
            .iter()
            .filter(|c| c.priority == Priority::P1 && c.status.is_open())
            .any(|c| {
                let case = temp
                    .db()
                    .read_blocking(|conn| store::get_case(conn, &sla, &c.number.to_string(), now()))
                    .expect("case");
                case.clocks.p1_contact.downgrade_available
            });
        assert!(available, "a P1 with the downgrade available");
        let with_pr = cases
            .iter()
            .filter(|c| c.status == Status::WaitingOnEngineering)
            .all(|c| {
                let case = temp
                    .db()
                    .read_blocking(|conn| store::get_case(conn, &sla, &c.number.to_string(), now()))
                    .expect("case");
                !case.problem_reports.is_empty()
            });
        assert!(
            with_pr,
            "cases waiting on engineering have a problem report"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let subjects = |seed| {
            seeded("same", 120, seed)
                .1
                .into_iter()
                .map(|c| (c.number, c.subject))
                .collect::<Vec<_>>()
        };
        let first = subjects(42);
        assert_eq!(first, subjects(42));
        assert_ne!(first, subjects(43));
    }

    #[test]
    fn a_second_seed_adds_nothing() {
        let (temp, cases) = seeded("twice", 60, 1);
        let seq = |db: &Db| db.read_blocking(store::current_seq).expect("seq");
        let before = seq(temp.db());
        assert_eq!(
            super::seed(temp.db(), &sla(), &options(60, 1)).expect("seed again"),
            0
        );
        assert_eq!(seq(temp.db()), before);
        assert_eq!(all_cases(temp.db()).len(), cases.len());
    }

    #[test]
    fn placing_keeps_fixed_gaps_and_ends_stretched_stories_at_the_limit() {
        let created = now() - Duration::days(10);
        let limit = now() - Duration::hours(2);
        let step = |gap| Step {
            gap,
            by: &PORTAL,
            action: Action::MoveRma(RmaStatus::Closed),
        };
        let steps = vec![
            step(Gap::Fixed(15)),
            step(Gap::Flex(60)),
            step(Gap::Flex(60)),
        ];
        let placed = place(created, limit, steps, true);
        assert_eq!(placed[0].at, created + Duration::minutes(15));
        assert_eq!(placed[2].at, limit);
        assert!(placed.windows(2).all(|w| w[0].at < w[1].at));

        // A story longer than the case is old is squeezed, never placed after the limit.
        let steps = vec![step(Gap::Fixed(3 * D)), step(Gap::Flex(D))];
        let placed = place(limit - Duration::hours(1), limit, steps, false);
        assert!(placed.iter().all(|t| t.at <= limit));
    }

    #[test]
    fn templates_fill_known_names_and_keep_the_rest() {
        let base = InstallBase::generate(&mut Rng::new(1), now());
        let mut specs = draw_specs(&base, 1, 1, now());
        let spec = specs.remove(0);
        let ctx = Ctx::new(&spec, &base.assets[spec.asset], &mut Rng::new(2));
        let text = render("{site} {rma} {unknown", &ctx);
        assert_eq!(text, format!("{} {{rma}} {{unknown", ctx.site));
    }

    #[test]
    fn showcases_name_real_scenarios() {
        for show in SHOWCASES {
            assert!(
                SCENARIOS.iter().any(|s| s.key == show.scenario),
                "{}",
                show.scenario
            );
        }
    }
}
