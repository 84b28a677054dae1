//! Files on demo cases, as customers attach them: a `show tech` excerpt and a syslog around
//! the time the problem began, a configuration, a packet capture (the one binary), or a backup
//! job's log and settings, made from the case's own product, serial and time so the TUI's
//! viewer has something real to show. Kept in the database row (the demo is seeded before the
//! server, and its attachments directory, exists).

use chrono::{DateTime, Duration, Utc};

use super::products::{Bugs, Product};
use super::rng::Rng;
use crate::api::NewCase;
use crate::domain::Vendor;

/// One file on a demo case.
pub(super) struct DemoFile {
    pub(super) name: String,
    pub(super) content_type: &'static str,
    pub(super) content: Vec<u8>,
}

/// Which cases carry files: about one in nine, at most a hundred, whatever the demo's size.
pub(super) fn has_files(index: usize) -> bool {
    index % 9 == 4 && index < 900
}

const TEXT: &str = "text/plain; charset=utf-8";

/// The files the customer sent with the case, opened at `at`.
pub(super) fn files_for(
    case: &NewCase,
    product: &Product,
    at: DateTime<Utc>,
    rng: &mut Rng,
) -> Vec<DemoFile> {
    let serial = case.serial_number.clone().unwrap_or_default();
    match (product.vendor, product.bugs) {
        (Vendor::Network, bugs) => {
            let iface = *rng.pick(product.ifaces);
            let mut files = vec![
                DemoFile {
                    name: format!("show-tech-{}.txt", case.platform.to_lowercase()),
                    content_type: TEXT,
                    content: show_tech(case, bugs, &serial, iface, at, rng).into_bytes(),
                },
                DemoFile {
                    name: format!("syslog-{}.log", at.format("%Y%m%d")),
                    content_type: TEXT,
                    content: syslog(bugs, iface, at, rng).into_bytes(),
                },
            ];
            if rng.percent(50) {
                files.push(DemoFile {
                    name: "capture.pcap".into(),
                    content_type: "application/vnd.tcpdump.pcap",
                    content: capture(at, rng),
                });
            }
            files
        }
        (Vendor::Backup, _) => vec![
            DemoFile {
                name: "ShadowProtect-job.log".into(),
                content_type: TEXT,
                content: backup_log(case, at, rng).into_bytes(),
            },
            DemoFile {
                name: "backup-job.ini".into(),
                content_type: TEXT,
                content: backup_config(case).into_bytes(),
            },
        ],
    }
}

/// Log lines leading up to `at`, a few minutes apart, `count` of them.
fn times(at: DateTime<Utc>, count: usize, rng: &mut Rng) -> Vec<DateTime<Utc>> {
    let mut t = at - Duration::minutes(count as i64 * 4);
    (0..count)
        .map(|_| {
            t += Duration::seconds(rng.range(20, 420));
            t
        })
        .collect()
}

fn show_tech(
    case: &NewCase,
    bugs: Bugs,
    serial: &str,
    iface: &str,
    at: DateTime<Utc>,
    rng: &mut Rng,
) -> String {
    let mut out = String::new();
    let up_days = rng.range(2, 90);
    match bugs {
        Bugs::Juniper => {
            out.push_str("> show version\n");
            out.push_str(&format!(
                "Hostname: {}\nModel: {}\nJunos: {}\n\n",
                host(case),
                case.platform.to_lowercase(),
                case.software_version
            ));
            out.push_str("> show chassis hardware\n");
            out.push_str(&format!(
                "Item             Version  Part number  Serial number     Description\nChassis                                 {serial:<17} {}\n\n",
                case.platform
            ));
            out.push_str("> show system uptime\n");
            out.push_str(&format!(
                "System booted: {} ({up_days} days ago)\n\n",
                (at - Duration::days(up_days)).format("%Y-%m-%d %H:%M:%S UTC")
            ));
        }
        _ => {
            out.push_str("------------------ show version ------------------\n");
            out.push_str(&format!(
                "Cisco IOS XE Software, Version {}\n{} uptime is {up_days} days, {} hours, {} minutes\nSystem serial number : {serial}\nModel number         : {}\n\n",
                case.software_version,
                host(case),
                rng.range(0, 23),
                rng.range(0, 59),
                case.platform
            ));
        }
    }
    out.push_str(&format!(
        "------------------ show interfaces {iface} ------------------\n"
    ));
    let errors = rng.range(1_000, 90_000);
    out.push_str(&format!(
        "{iface} is up, line protocol is up\n  5 minute input rate {} bits/sec, {} packets/sec\n  {} input errors, {errors} CRC, 0 frame, 0 overrun, 0 ignored\n  {} interface resets\n\n",
        rng.range(10_000_000, 900_000_000),
        rng.range(1_000, 90_000),
        errors + rng.range(0, 50),
        rng.range(1, 40)
    ));
    out.push_str("------------------ show environment power ------------------\n");
    out.push_str(&format!(
        "Power Supply 0: OK    Power Supply 1: {}\n\n",
        if rng.percent(30) { "FAILED" } else { "OK" }
    ));
    out.push_str("------------------ show logging (last entries) ------------------\n");
    out.push_str(&syslog(bugs, iface, at, rng));
    out
}

fn host(case: &NewCase) -> String {
    let site: String = case
        .site_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{}-core01", site.to_lowercase())
}

fn syslog(bugs: Bugs, iface: &str, at: DateTime<Utc>, rng: &mut Rng) -> String {
    let cisco = [
        format!("%LINK-3-UPDOWN: Interface {iface}, changed state to down"),
        format!("%LINK-3-UPDOWN: Interface {iface}, changed state to up"),
        format!("%LINEPROTO-5-UPDOWN: Line protocol on Interface {iface}, changed state to down"),
        "%OSPF-5-ADJCHG: Process 1, Nbr 10.0.0.2 on Vlan10 from FULL to DOWN, Neighbor Down: Dead timer expired".to_string(),
        "%PLATFORM-4-ELEMENT_WARNING: R0/0: smand: 1/RP/0: Used Memory value 91% exceeds warning level 90%".to_string(),
        "%SYS-5-CONFIG_I: Configured from console by admin on vty0".to_string(),
    ];
    let juniper = [
        format!("mib2d[2211]: SNMP_TRAP_LINK_DOWN: ifIndex 523, ifAdminStatus up(1), ifOperStatus down(2), ifName {iface}"),
        format!("mib2d[2211]: SNMP_TRAP_LINK_UP: ifIndex 523, ifAdminStatus up(1), ifOperStatus up(1), ifName {iface}"),
        "rpd[4312]: RPD_OSPF_NBRDOWN: OSPF neighbor 10.0.0.2 (realm ospf-v2 ae0.0 area 0.0.0.0) state changed from Full to Down due to InActiveTimer".to_string(),
        "chassisd[2034]: CHASSISD_PSU_ERROR: PEM 1 input failure".to_string(),
        "mgd[9921]: UI_COMMIT: User 'admin' requested 'commit' operation".to_string(),
    ];
    let lines: &[String] = match bugs {
        Bugs::Juniper => &juniper,
        _ => &cisco,
    };
    let mut out = String::new();
    for t in times(at, 40, rng) {
        let line = rng.pick(lines);
        match bugs {
            Bugs::Juniper => {
                out.push_str(&format!("{} core01 {line}\n", t.format("%b %e %H:%M:%S")))
            }
            _ => out.push_str(&format!(
                "*{}.{:03}: {line}\n",
                t.format("%b %e %H:%M:%S"),
                rng.below(1000)
            )),
        }
    }
    out
}

/// A small pcap of the link's keepalives: the format's header and a few Ethernet frames.
fn capture(at: DateTime<Utc>, rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    // Global header: magic, version 2.4, zone 0, sigfigs 0, snaplen 65535, Ethernet.
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    for word in [0u32, 0, 65_535, 1] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    for t in times(at, 12, rng) {
        let frame: Vec<u8> = [
            &[0x01, 0x00, 0x5e, 0x00, 0x00, 0x05][..], // OSPF multicast MAC
            &[0x00, 0x1b, 0x54, 0x11, 0x22, 0x33][..], // sender
            &[0x08, 0x00][..],                         // IPv4
            &[
                0x45, 0xc0, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x01, 0x59, 0x00, 0x00,
            ][..],
            &[10, 0, 0, 1, 224, 0, 0, 5][..], // 10.0.0.1 → AllSPFRouters
            &[0x02, 0x01, 0x00, 0x1c, 10, 0, 0, 1, 0, 0, 0, 0][..], // OSPFv2 hello
            &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00][..],
            &[0xff, 0xff, 0xff, 0x00, 0x00, 0x0a, 0x02, 0x01][..],
        ]
        .concat();
        let seconds = u32::try_from(t.timestamp()).unwrap_or(0);
        out.extend_from_slice(&seconds.to_le_bytes());
        out.extend_from_slice(&(rng.below(1_000_000) as u32).to_le_bytes());
        let length = frame.len() as u32;
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&frame);
    }
    out
}

fn backup_log(case: &NewCase, at: DateTime<Utc>, rng: &mut Rng) -> String {
    let lines = [
        "Backup job 'Nightly-C' started (incremental)",
        "VSS snapshot of volume C: created",
        "Writing image chain C_VOL-b001-i0042.spi",
        "Error 0x80042306: the VSS provider vetoed the snapshot (VSS_E_PROVIDER_VETO)",
        "Retrying snapshot in 60 seconds",
        "ImageManager: verification of C_VOL-b001-i0041.spi completed",
        "Warning: destination \\\\nas01\\backup is 93% full",
        "Backup job 'Nightly-C' failed after 2 retries",
    ];
    let mut out = format!(
        "ShadowProtect {} on {} ({})\n",
        case.software_version, case.platform, case.site_name
    );
    for t in times(at, 30, rng) {
        out.push_str(&format!(
            "{} {}\n",
            t.format("%Y-%m-%d %H:%M:%S"),
            rng.pick(&lines)
        ));
    }
    out
}

fn backup_config(case: &NewCase) -> String {
    format!(
        "; Backup job settings exported by the customer\n[Job]\nName=Nightly-C\nProduct={}\nVersion={}\nVolumes=C:\nDestination=\\\\nas01\\backup\\{}\nSchedule=Daily 01:00\nIncrementals=Every 15 minutes\nCompression=Standard\nEncryption=AES-256\nRetention=30 days\n",
        case.product, case.software_version, case.site_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_capture_is_a_pcap_and_the_rest_is_text() {
        let at = DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let pcap = capture(at, &mut Rng::new(1));
        assert_eq!(&pcap[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
        // 24 bytes of header, then 12 frames of 16 + 62 bytes.
        assert_eq!(pcap.len(), 24 + 12 * (16 + 62));
        let log = syslog(Bugs::Cisco, "Gi0/1", at, &mut Rng::new(1));
        assert_eq!(log.lines().count(), 40);
        assert!(log.starts_with('*'), "{log}");
    }
}
