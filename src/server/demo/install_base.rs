//! The install base: what the customers own, and their contracts

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::api::Entitlement;
use crate::domain::{ContractTier, UserType, Vendor};

use super::people::{SITES, Site};
use super::products::{Bugs, PRODUCTS, Product};
use super::rng::Rng;

/// A unit (or software licence) at a site, with its support contract.
pub(super) struct Asset {
    pub(super) serial: String,
    pub(super) site: &'static Site,
    pub(super) product: &'static Product,
    pub(super) platform: &'static str,
    pub(super) version: &'static str,
    pub(super) tier: ContractTier,
    /// Last day of the contract; `None`: no contract on record at all.
    contract_end: Option<NaiveDate>,
}

impl Asset {
    pub(super) fn entitlement(&self, now: DateTime<Utc>) -> Option<Entitlement> {
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

pub(super) struct InstallBase {
    pub(super) assets: Vec<Asset>,
}

/// Network units per site, and backup licences per business site.
const NETWORK_UNITS: usize = 3;
const BACKUP_LICENCES: usize = 2;

impl InstallBase {
    /// Every site's units. Tiers rotate so that every tier is on some unit, and every eighth
    /// unit has an expired contract or none, so cases get flagged as unentitled.
    pub(super) fn generate(rng: &mut Rng, now: DateTime<Utc>) -> Self {
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
    pub(super) fn pick(
        &self,
        rng: &mut Rng,
        vendor: Option<Vendor>,
        tier: Option<ContractTier>,
    ) -> usize {
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
pub(super) fn serial_number(rng: &mut Rng, product: &Product) -> String {
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
pub(super) fn problem_report(rng: &mut Rng, bugs: Bugs) -> String {
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
