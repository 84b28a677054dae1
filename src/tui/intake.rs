//! Taking a case in (SPEC §2.11): the new-case form an agent fills in while the customer is on
//! the phone. Leaving the serial field looks the serial up (an effect, never I/O here): its
//! contract fills tier, site and account, a serial without an active contract is flagged, and
//! the serial's other open cases are listed as possible duplicates. Submitting checks every
//! field with the domain's intake rules and names the first one at fault.

use super::app::{App, Effect, Overlay};
use super::form::{Form, Purpose};
use crate::api::NewCase;
use crate::domain::{Channel, ContactMethod, ContractTier, Priority, RequestType, UserType};
use crate::sanitize::clean;
use crate::sync::SerialCheck;
use crate::term::text::{Lang, Word};
use crate::term::theme::Role;

/// How many possible duplicates the form lists.
const DUPLICATES_LISTED: usize = 4;

/// A priority as the form offers it: `P1 Critical`, `P1 緊急`.
fn priority_label(lang: Lang, p: Priority) -> String {
    format!("{} {}", p.as_str(), lang.priority(p))
}

/// What a priority means, shown under the choice (SPEC §2.2, from the guides).
pub fn priority_meaning(lang: Lang, p: Priority) -> &'static str {
    match lang {
        Lang::En => p.meaning(),
        Lang::Ja => match p {
            Priority::P1 => {
                "サービス停止・ミッションクリティカルな機能の完全なロス。本番サーバーが停止しリストアできない"
            }
            Priority::P2 => {
                "障害はあるが完全なロスではない。断続的な問題・冗長性の喪失・バックアップが失敗し続ける"
            }
            Priority::P3 => {
                "ミッションクリティカルな機能に影響しない。検証環境での問題・時間的制約のある質問"
            }
            Priority::P4 => "情報のリクエスト・設定の質問・表示の不具合・急がない RMA・ライセンス",
        },
    }
}

/// The wire values and labels of a field's choices.
fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (value(v).to_string(), label(v)))
        .collect()
}

/// Opens the new-case form: phone channel and P3 to start with, the serial first (its
/// contract fills the rest), the description last.
pub fn open_form(app: &mut App) -> Vec<Effect> {
    let lang = app.settings.lang;
    let mut tiers = vec![(
        String::new(),
        lang.word(Word::IntakeFromContract).to_string(),
    )];
    tiers.extend(choices(ContractTier::ALL, ContractTier::as_str, |t| {
        lang.tier(t).to_string()
    }));
    let form = Form::new(lang.word(Word::IntakeTitle), Purpose::NewCase)
        .line("serial_number", lang.word(Word::IntakeSerial), "")
        .choice(
            "priority",
            lang.word(Word::IntakePriority),
            choices(&Priority::ALL, Priority::as_str, |p| {
                priority_label(lang, p)
            }),
            2,
        )
        .with_notes(
            Priority::ALL
                .iter()
                .map(|&p| priority_meaning(lang, p).to_string())
                .collect(),
        )
        .choice(
            "channel",
            lang.word(Word::IntakeChannel),
            choices(Channel::ALL, Channel::as_str, |c| {
                lang.channel(c).to_string()
            }),
            Channel::ALL
                .iter()
                .position(|c| *c == Channel::Phone)
                .unwrap_or(0),
        )
        .line("subject", lang.word(Word::IntakeSubject), "")
        .line("contact_name", lang.word(Word::IntakeContactName), "")
        .line("contact_phone", lang.word(Word::IntakeContactPhone), "")
        .line("contact_email", lang.word(Word::IntakeContactEmail), "")
        .choice(
            "preferred_contact",
            lang.word(Word::IntakePrefer),
            choices(ContactMethod::ALL, ContactMethod::as_str, |c| {
                lang.contact_method(c).to_string()
            }),
            0,
        )
        .choice(
            "user_type",
            lang.word(Word::IntakeUserType),
            choices(UserType::ALL, UserType::as_str, |u| {
                lang.user_type(u).to_string()
            }),
            UserType::ALL
                .iter()
                .position(|u| *u == UserType::BusinessUser)
                .unwrap_or(0),
        )
        .choice(
            "request_type",
            lang.word(Word::IntakeRequestType),
            choices(RequestType::ALL, RequestType::as_str, |r| {
                lang.request_type(r).to_string()
            }),
            0,
        )
        .line("product", lang.word(Word::IntakeProduct), "")
        .line("platform", lang.word(Word::IntakePlatform), "")
        .line("software_version", lang.word(Word::IntakeVersion), "")
        .line("site_name", lang.word(Word::IntakeSiteName), "")
        .line("site_id", lang.word(Word::IntakeSiteId), "")
        .line("account", lang.word(Word::IntakeAccount), "")
        .choice("tier", lang.word(Word::IntakeTier), tiers, 0)
        .lines("description", lang.word(Word::IntakeDescription));
    app.overlay = Some(Overlay::Form(form));
    Vec::new()
}

/// After a key in the new-case form: when the focus has just left the serial field with a
/// serial not yet looked up, look it up.
pub fn after_key(form: &mut Form, focus_before: usize, lang: Lang) -> Vec<Effect> {
    let serial_at = form.fields.iter().position(|f| f.key == "serial_number");
    if serial_at != Some(focus_before) || form.focus == focus_before {
        return Vec::new();
    }
    let serial = form.value("serial_number");
    if serial.is_empty() || form.looked_up.as_deref() == Some(serial.as_str()) {
        return Vec::new();
    }
    if let Err(e) = crate::domain::intake::serial(&serial) {
        form.error = Some(e.detail);
        return Vec::new();
    }
    form.looked_up = Some(serial.clone());
    form.info = vec![(lang.word(Word::IntakeLookingUp).to_string(), Role::Muted)];
    vec![Effect::CheckSerial(serial)]
}

/// A serial's lookup arrived: fill the contract's fields the agent left empty, flag a missing
/// contract and list the serial's open cases. A lookup for a serial no longer in the form is
/// dropped.
pub fn serial_checked(app: &mut App, check: SerialCheck) {
    let lang = app.settings.lang;
    let Some(Overlay::Form(form)) = &mut app.overlay else {
        return;
    };
    if form.purpose != Purpose::NewCase || form.looked_up.as_deref() != Some(check.serial.as_str())
    {
        return;
    }
    let mut info = Vec::new();
    match &check.entitlement {
        Some(Some(e)) => {
            if form.value("site_name").is_empty() {
                form.set_text("site_name", &e.site_name);
            }
            if form.value("site_id").is_empty() {
                form.set_text("site_id", &e.site_id);
            }
            if form.value("account").is_empty() {
                form.set_text("account", &e.account);
            }
            if form.value("tier").is_empty() {
                form.choose("tier", e.tier.as_str());
            }
            let (words, role) = if e.active {
                (lang.word(Word::IntakeActive), Role::Met)
            } else {
                (lang.word(Word::IntakeInactive), Role::Breached)
            };
            info.push((
                format!("{words} · {} · {}", lang.tier(e.tier), e.contract_end),
                role,
            ));
            info.push((
                format!(
                    "  {} ({}) · {}",
                    clean(&e.site_name, true),
                    clean(&e.site_id, true),
                    clean(&e.account, true)
                ),
                Role::Muted,
            ));
        }
        Some(None) => info.push((
            lang.word(Word::IntakeNoneOnFile).to_string(),
            Role::Breached,
        )),
        None => info.push((lang.word(Word::IntakeUnknown).to_string(), Role::DueSoon)),
    }
    if !check.open_cases.is_empty() {
        info.push((lang.word(Word::IntakeDuplicates).to_string(), Role::DueSoon));
        for c in check.open_cases.iter().take(DUPLICATES_LISTED) {
            info.push((
                format!(
                    "  {} {} {} {}",
                    c.number,
                    c.priority,
                    lang.status(c.status),
                    clean(&c.subject, true)
                ),
                Role::DueSoon,
            ));
        }
        let rest = check.open_cases.len().saturating_sub(DUPLICATES_LISTED);
        if rest > 0 {
            info.push((
                format!("  +{rest} {}", lang.word(Word::IntakeMore)),
                Role::Muted,
            ));
        }
    }
    form.info = info;
}

/// The case a submitted form describes, checked as a desk agent takes a case in; the field at
/// fault gets the focus.
pub fn submit(form: &mut Form) -> Result<Vec<Effect>, String> {
    let parse = |key: &str| form.value(key);
    let word = |key: &str| Some(parse(key)).filter(|v| !v.is_empty());
    let case = NewCase {
        subject: parse("subject"),
        description: form.value("description"),
        priority: parse("priority").parse().map_err(|e| format!("{e}"))?,
        tier: word("tier")
            .map(|t| t.parse::<ContractTier>())
            .transpose()
            .map_err(|e| e.to_string())?,
        channel: Some(parse("channel").parse().map_err(|e| format!("{e}"))?),
        request_type: word("request_type")
            .map(|t| t.parse::<RequestType>())
            .transpose()
            .map_err(|e| e.to_string())?,
        site_name: parse("site_name"),
        site_id: parse("site_id"),
        account: parse("account"),
        contact_name: parse("contact_name"),
        contact_email: parse("contact_email"),
        contact_phone: parse("contact_phone"),
        preferred_contact: word("preferred_contact")
            .map(|t| t.parse::<ContactMethod>())
            .transpose()
            .map_err(|e| e.to_string())?,
        user_type: word("user_type")
            .map(|t| t.parse::<UserType>())
            .transpose()
            .map_err(|e| e.to_string())?,
        product: parse("product"),
        platform: parse("platform"),
        software_version: parse("software_version"),
        serial_number: word("serial_number"),
        owner: None,
        contact_language: None,
    };
    match case.taken_in() {
        Ok(case) => Ok(vec![Effect::OpenCase(Box::new(case))]),
        Err(e) => {
            if let Some(at) = form.fields.iter().position(|f| f.key == e.field) {
                form.focus = at;
            }
            Err(e.detail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Entitlement;

    #[test]
    fn every_priority_has_a_meaning_in_both_languages() {
        for p in Priority::ALL {
            assert!(!priority_meaning(Lang::En, p).is_empty());
            assert!(!priority_meaning(Lang::Ja, p).is_empty());
        }
    }

    fn form() -> Form {
        let mut app = crate::tui::app::tests::app();
        open_form(&mut app);
        match app.overlay {
            Some(Overlay::Form(form)) => form,
            _ => panic!("no form"),
        }
    }

    #[test]
    fn a_p1_without_a_phone_is_refused_with_the_phone_field_focused() {
        let mut f = form();
        f.set_text("subject", "全拠点で通信断");
        f.choose("priority", "P1");
        let problem = submit(&mut f).unwrap_err();
        assert!(problem.contains("phone"), "{problem}");
        assert_eq!(f.fields[f.focus].key, "contact_phone");
        f.set_text("contact_phone", "+81 3-1234-5678");
        let effects = submit(&mut f).unwrap();
        let [Effect::OpenCase(case)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(case.priority, Priority::P1);
        assert_eq!(case.channel, Some(Channel::Phone));
        assert_eq!(case.tier, None, "left to the serial's contract");
    }

    #[test]
    fn a_bad_email_names_the_field() {
        let mut f = form();
        f.set_text("subject", "x");
        f.set_text("contact_email", "not-an-address");
        let problem = submit(&mut f).unwrap_err();
        assert!(problem.contains("name@example.com"), "{problem}");
        assert_eq!(f.fields[f.focus].key, "contact_email");
    }

    #[test]
    fn leaving_the_serial_looks_it_up_once_and_the_answer_fills_the_contract() {
        let mut app = crate::tui::app::tests::app();
        open_form(&mut app);
        let Some(Overlay::Form(f)) = &mut app.overlay else {
            panic!()
        };
        f.set_text("serial_number", "JN6F9D6E4C72");
        f.focus = 1;
        assert_eq!(
            after_key(f, 0, Lang::En),
            vec![Effect::CheckSerial("JN6F9D6E4C72".into())]
        );
        f.focus = 0;
        f.focus = 1;
        assert!(after_key(f, 0, Lang::En).is_empty(), "looked up once");
        let entitlement = Entitlement {
            serial_number: "JN6F9D6E4C72".into(),
            tier: ContractTier::TacCare,
            contract_end: chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            site_name: "横浜物流センター".into(),
            site_id: "YKH-LOG05".into(),
            account: "ネクストリンク株式会社".into(),
            active: false,
        };
        serial_checked(
            &mut app,
            SerialCheck {
                serial: "JN6F9D6E4C72".into(),
                entitlement: Some(Some(entitlement)),
                open_cases: Vec::new(),
            },
        );
        let Some(Overlay::Form(f)) = &app.overlay else {
            panic!()
        };
        assert_eq!(f.value("site_id"), "YKH-LOG05");
        assert_eq!(f.value("tier"), "tac-care");
        assert!(f.info[0].0.contains("NO ACTIVE CONTRACT"), "{:?}", f.info);
        assert_eq!(f.info[0].1, Role::Breached);
    }
}
