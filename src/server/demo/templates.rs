//! Filling in templates: the values of one case that its texts mention.

use super::D;
use super::install_base::{Asset, problem_report};
use super::products::{Bugs, SERVERS, TIMES};
use super::rng::Rng;
use super::specs::CaseSpec;

/// The values of one case that its texts mention.
pub(super) struct Ctx {
    pub(super) site: &'static str,
    pub(super) site_id: &'static str,
    pub(super) account: &'static str,
    pub(super) contact: &'static str,
    pub(super) phone: &'static str,
    pub(super) product: &'static str,
    pub(super) platform: &'static str,
    pub(super) version: &'static str,
    pub(super) fixed: &'static str,
    pub(super) part: &'static str,
    pub(super) serial: String,
    pub(super) pr: String,
    psu: &'static str,
    iface: &'static str,
    peer: String,
    asn: String,
    pub(super) server: &'static str,
    pub(super) time: &'static str,
    code: String,
    tracking: String,
    pub(super) days: String,
    /// Whoever signs support's notes now (changes on reassignment).
    pub(super) engineer: &'static str,
}

impl Ctx {
    pub(super) fn new(spec: &CaseSpec, asset: &Asset, rng: &mut Rng) -> Self {
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

    pub(super) fn get(&self, key: &str) -> Option<&str> {
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
pub(super) fn render(template: &str, ctx: &Ctx) -> String {
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
