//! The people of the desk (`GET /v1/people`) and who may change a case's owner: one rule for
//! the server, which enforces it, and the clients, which refuse before sending what it would.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Role;
use crate::domain::change::{self, OwnerAuthority};

/// A person the server knows: everyone a token was ever issued to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// The name (the owner of cases, the author of notes).
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// Whether they hold an unrevoked token (someone who left is listed, inactive).
    pub active: bool,
}

impl Person {
    /// Whether a case may be given to them: they are active and their role works cases.
    pub fn can_own(&self) -> bool {
        self.active && self.role >= Role::Agent
    }
}

pub use crate::domain::change::OwnerRefusal;

impl Role {
    /// What this role may do to a case's owner: agents work cases, leads also reassign them.
    pub fn owner_authority(self) -> OwnerAuthority {
        OwnerAuthority {
            works_cases: self >= Role::Agent,
            reassigns: self >= Role::Lead,
        }
    }

    /// Whether `actor`, of this role, may move a case's owner from `from` to `to` (`None`:
    /// unassigned): the domain's rule ([`change::owner`]) with this role's authority.
    pub fn may_change_owner(
        self,
        actor: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(), OwnerRefusal> {
        change::owner(self.owner_authority(), actor, from, to)
    }
}

/// A name that is not someone a case can be given to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown owner '{name}': expected the name of an active person{}", hint(.suggestion))]
pub struct UnknownOwner {
    /// The name as given.
    pub name: String,
    /// The closest name that would do, if one is close.
    pub suggestion: Option<String>,
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean {s}?)"),
        None => ", e.g. one listed by GET /v1/people".to_string(),
    }
}

/// Checks that `name` is someone a case can be given to; the name is compared exactly (it is
/// stored as the owner), and a near miss is suggested.
pub fn check_owner(people: &[Person], name: &str) -> Result<(), UnknownOwner> {
    let name = name.trim();
    if people.iter().any(|p| p.can_own() && p.name == name) {
        return Ok(());
    }
    let lower = name.to_lowercase();
    let suggestion = people
        .iter()
        .filter(|p| p.can_own())
        .map(|p| (strsim::levenshtein(&lower, &p.name.to_lowercase()), &p.name))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| n.clone());
    Err(UnknownOwner {
        name: name.to_string(),
        suggestion,
    })
}

/// The names a picker offers for `typed`: people who can own cases, those whose name starts
/// with it first, then those that contain it (case-insensitive), each group by name.
pub fn owner_matches<'a>(people: &'a [Person], typed: &str) -> Vec<&'a Person> {
    let typed = typed.trim().to_lowercase();
    let mut found: Vec<(bool, &Person)> = people
        .iter()
        .filter(|p| p.can_own())
        .filter_map(|p| {
            let name = p.name.to_lowercase();
            if name.starts_with(&typed) {
                Some((false, p))
            } else if name.contains(&typed) {
                Some((true, p))
            } else {
                None
            }
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    found.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, role: Role, active: bool) -> Person {
        Person {
            name: name.into(),
            role,
            active,
        }
    }

    #[test]
    fn an_agent_takes_unowned_and_drops_own_but_never_moves_others() {
        let agent = Role::Agent;
        assert_eq!(
            agent.may_change_owner("tanaka", None, Some("tanaka")),
            Ok(())
        );
        assert_eq!(
            agent.may_change_owner("tanaka", Some("tanaka"), None),
            Ok(())
        );
        assert_eq!(
            agent.may_change_owner("tanaka", Some("sato"), Some("tanaka")),
            Err(OwnerRefusal::NeedsLead),
            "taking a case from its owner"
        );
        assert_eq!(
            agent.may_change_owner("tanaka", None, Some("sato")),
            Err(OwnerRefusal::NeedsLead),
            "giving an unowned case to someone else"
        );
        assert_eq!(
            agent.may_change_owner("tanaka", Some("sato"), None),
            Err(OwnerRefusal::NeedsLead),
            "dropping someone else's case"
        );
        assert_eq!(
            agent.may_change_owner("tanaka", Some("tanaka"), Some("sato")),
            Err(OwnerRefusal::NeedsLead),
            "handing one's own case on"
        );
        assert_eq!(
            agent.may_change_owner("tanaka", Some("sato"), Some("sato")),
            Ok(()),
            "no change"
        );
    }

    #[test]
    fn leads_and_admins_reassign_and_viewers_change_nothing() {
        for role in [Role::Lead, Role::Admin] {
            assert_eq!(
                role.may_change_owner("yamamoto", Some("sato"), Some("tanaka")),
                Ok(())
            );
            assert_eq!(
                role.may_change_owner("yamamoto", Some("sato"), None),
                Ok(())
            );
        }
        assert_eq!(
            Role::Viewer.may_change_owner("wallboard", None, Some("wallboard")),
            Err(OwnerRefusal::ReadOnly)
        );
    }

    #[test]
    fn owners_are_active_people_who_work_cases_and_near_misses_are_suggested() {
        let people = [
            person("kimura", Role::Agent, true),
            person("kimata", Role::Agent, false),
            person("wallboard", Role::Viewer, true),
            person("yamamoto", Role::Lead, true),
        ];
        assert_eq!(check_owner(&people, "kimura"), Ok(()));
        assert_eq!(check_owner(&people, " yamamoto "), Ok(()));
        let err = check_owner(&people, "kimuraa").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("kimura"));
        assert_eq!(
            err.to_string(),
            "unknown owner 'kimuraa': expected the name of an active person (did you mean kimura?)"
        );
        assert!(check_owner(&people, "kimata").is_err(), "revoked");
        assert!(check_owner(&people, "wallboard").is_err(), "a viewer");
        let err = check_owner(&people, "zzz").unwrap_err();
        assert_eq!(err.suggestion, None);
        assert!(err.to_string().contains("GET /v1/people"), "{err}");
    }

    #[test]
    fn the_picker_puts_prefix_matches_first() {
        let people = [
            person("sato", Role::Agent, true),
            person("kato", Role::Agent, true),
            person("satoh", Role::Agent, false),
            person("tanaka", Role::Agent, true),
        ];
        let names = |typed| -> Vec<&str> {
            owner_matches(&people, typed)
                .into_iter()
                .map(|p| p.name.as_str())
                .collect()
        };
        assert_eq!(names("sa"), ["sato"]);
        assert_eq!(names("ato"), ["kato", "sato"]);
        assert_eq!(names("KA"), ["kato", "tanaka"]);
        assert_eq!(names(""), ["kato", "sato", "tanaka"]);
    }
}
