//! Products: what the vendors sell, and how each numbers its problem reports.

use crate::domain::Vendor;

/// How a vendor numbers its problem reports.
#[derive(Clone, Copy)]
pub(super) enum Bugs {
    /// `CSCwd12345`
    Cisco,
    /// `PR1712345`
    Juniper,
    /// `SPX-18342`
    Backup,
}

/// A product line as installed at the sites.
pub(super) struct Product {
    pub(super) name: &'static str,
    pub(super) vendor: Vendor,
    pub(super) platforms: &'static [&'static str],
    pub(super) versions: &'static [&'static str],
    /// The release with the fixes.
    pub(super) fixed: &'static str,
    /// The power supply, the part the RMAs replace.
    pub(super) part: &'static str,
    pub(super) ifaces: &'static [&'static str],
    pub(super) serial_prefix: &'static str,
    pub(super) bugs: Bugs,
    /// Sold to home users.
    pub(super) home: bool,
}

pub(super) const PRODUCTS: &[Product] = &[
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
pub(super) const SERVERS: &[&str] = &[
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
pub(super) const TIMES: &[&str] = &[
    "02:00", "03:30", "01:15", "22:00", "09:40", "14:20", "06:05", "23:45",
];
