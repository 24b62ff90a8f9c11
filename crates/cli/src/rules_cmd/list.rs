//! `logscrub rules list`: what the loaded pack detects, grouped by category, with each rule's action under the
//! policy and whether the policy switches it off; `--format markdown` prints the table kept in `rules/README.md`.
//!
//! It lists rule metadata only (ids, classes, providers, sources); it never prints a pattern's match or a scanned
//! value.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};
use logscrub_engine::{Action, Category, PolicyConfig, RuleSet};

use crate::load::{self, UsageError};
use crate::RuleArgs;

/// `rules list` output formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ListFormat {
    /// Grouped by category, one rule a line.
    #[default]
    Text,
    /// The Markdown table of everything detected (id, class, category, provider or countries, spec).
    Markdown,
}

/// Flags of `rules list`.
#[derive(Args, Debug, Clone, Default)]
pub struct ListArgs {
    /// Only this category (account, url_credential, secret, personal, national_id, health, crypto).
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    /// Only identifiers of this country (ISO 3166-1 alpha-2, e.g. BR).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Only credentials of this provider (e.g. github, aws, gitlab).
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// One listed rule: its metadata and what the policy does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub class: String,
    pub category: Category,
    pub provider: Option<String>,
    pub countries: Vec<String>,
    pub source: String,
    pub description: String,
    pub action: String,
    pub disabled: bool,
}

/// The rows of `set` under `policy`, in category order, then by id, after the filters.
pub fn rows(set: &RuleSet, policy: &PolicyConfig, filter: &ListArgs) -> Result<Vec<Row>> {
    let category = match &filter.category {
        None => None,
        Some(name) => Some(
            Category::ALL
                .into_iter()
                .find(|c| c.as_str().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                    UsageError(format!(
                        "unknown category `{name}`: use one of {}",
                        names.join(", ")
                    ))
                })?,
        ),
    };
    let mut rows: Vec<Row> = set
        .rules()
        .iter()
        .map(|s| &s.rule)
        .filter(|r| category.is_none_or(|c| r.category == c))
        .filter(|r| {
            filter
                .country
                .as_ref()
                .is_none_or(|cc| r.countries.iter().any(|x| x.eq_ignore_ascii_case(cc)))
        })
        .filter(|r| {
            filter.provider.as_ref().is_none_or(|p| {
                r.provider
                    .as_ref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(p))
            })
        })
        .map(|r| {
            let action = policy
                .actions
                .rules
                .get(&r.id)
                .or_else(|| policy.actions.categories.get(&r.category))
                .unwrap_or(&policy.actions.default);
            Row {
                id: r.id.clone(),
                class: r.class.clone(),
                category: r.category,
                provider: r.provider.clone(),
                countries: r.countries.clone(),
                source: r.source.clone(),
                description: r.description.clone(),
                action: action_name(action),
                disabled: policy.rules.disable.contains(&r.id)
                    || policy.rules.disable_categories.contains(&r.category),
            }
        })
        .collect();
    let order = |c: Category| Category::ALL.iter().position(|&x| x == c);
    rows.sort_by(|a, b| {
        order(a.category)
            .cmp(&order(b.category))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(rows)
}

fn action_name(a: &Action) -> String {
    match a {
        Action::Redact => "redact".to_string(),
        Action::Mask { keep_last } => format!("mask({keep_last})"),
        Action::Pseudonym { length } => format!("pseudonym({length})"),
        Action::Remove => "remove".to_string(),
    }
}

/// Who the rule is about: the provider of a credential, or the countries of an identifier.
fn owner(r: &Row) -> String {
    match (&r.provider, r.countries.is_empty()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{p} ({})", r.countries.join(", ")),
        (None, false) => r.countries.join(", "),
        (None, true) => String::new(),
    }
}

/// Grouped text: a heading per category, then `id [class] action owner (disabled) description`.
pub fn write_text(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    for cat in Category::ALL {
        let in_cat: Vec<&Row> = rows.iter().filter(|r| r.category == cat).collect();
        if in_cat.is_empty() {
            continue;
        }
        writeln!(out, "{} ({} rules):", cat.as_str(), in_cat.len())?;
        for r in in_cat {
            let state = if r.disabled { " disabled" } else { "" };
            writeln!(
                out,
                "  {:<34} {:<26} {:<13} {:<14}{state} {}",
                r.id,
                format!("[{}]", r.class),
                r.action,
                owner(r),
                r.description
            )?;
        }
    }
    Ok(())
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown table: one row per rule, in category order then by id, so that it regenerates identically.
pub fn markdown(rows: &[Row]) -> String {
    let mut t = String::from(
        "| id | class | category | provider / countries | detects | spec |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in rows {
        t.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.class,
            r.category.as_str(),
            cell(&owner(r)),
            cell(&r.description),
            cell(&r.source)
        ));
    }
    t
}

/// Runs `rules list`.
pub fn run(args: &ListArgs, out: &mut impl Write) -> Result<()> {
    // Compiling once reports broken custom rules and policies the way every other command does.
    load::scrubber(&args.rules)?;
    let (set, _) = load::rule_set(&args.rules)?;
    let policy = load::policy(&args.rules)?;
    let rows = rows(&set, &policy, args)?;
    match args.format {
        ListFormat::Text => write_text(out, &rows)?,
        ListFormat::Markdown => out.write_all(markdown(&rows).as_bytes())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEGIN: &str =
        "<!-- rules-table:begin (generated by `logscrub rules list --format markdown`) -->\n";
    const END: &str = "<!-- rules-table:end -->";

    fn default_rows(filter: &ListArgs) -> Vec<Row> {
        rows(
            &RuleSet::default_pack().expect("default pack"),
            &PolicyConfig::default(),
            filter,
        )
        .expect("rows")
    }

    /// rules/README.md carries the table of the default pack. After adding rules (or merging branches that did),
    /// regenerate it with `UPDATE_RULES_README=1 cargo test -p logscrub-cli rules_readme_table`.
    #[test]
    fn rules_readme_table_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/README.md");
        let text = std::fs::read_to_string(path).expect("rules/README.md is readable");
        let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
            panic!("rules/README.md lacks the markers {BEGIN:?} and {END:?}");
        };
        let table = markdown(&default_rows(&ListArgs::default()));
        let current = &text[b + BEGIN.len()..e];
        if current != table {
            if std::env::var_os("UPDATE_RULES_README").is_some() {
                let updated = format!("{}{BEGIN}{table}{}", &text[..b], &text[e..]);
                std::fs::write(path, updated).expect("rules/README.md is writable");
                return;
            }
            panic!(
                "the rule table in rules/README.md is stale: run `UPDATE_RULES_README=1 cargo test -p logscrub-cli \
                 rules_readme_table` (or paste `logscrub rules list --format markdown` between the markers)"
            );
        }
    }

    #[test]
    fn filters_select_by_category_provider_and_country() {
        let secret = default_rows(&ListArgs {
            category: Some("secret".into()),
            ..ListArgs::default()
        });
        assert!(!secret.is_empty());
        assert!(secret.iter().all(|r| r.category == Category::Secret));
        let gitlab = default_rows(&ListArgs {
            provider: Some("GitLab".into()),
            ..ListArgs::default()
        });
        assert!(gitlab.iter().any(|r| r.id == "gitlab_pat"));
        assert!(gitlab
            .iter()
            .all(|r| r.provider.as_deref() == Some("gitlab")));
        let nowhere = default_rows(&ListArgs {
            country: Some("ZZ".into()),
            ..ListArgs::default()
        });
        assert!(nowhere.is_empty());
        let bad = rows(
            &RuleSet::default_pack().unwrap(),
            &PolicyConfig::default(),
            &ListArgs {
                category: Some("secrets".into()),
                ..ListArgs::default()
            },
        );
        assert!(bad.unwrap_err().to_string().contains("unknown category"));
    }

    #[test]
    fn the_policy_shows_as_action_and_disabled() {
        let policy = PolicyConfig::from_toml(
            "test.toml",
            "[rules]\ndisable = [\"jwt\"]\n[actions.categories]\nsecret = { action = \"mask\", keep_last = 2 }\n",
        )
        .expect("policy parses");
        let rows = rows(
            &RuleSet::default_pack().unwrap(),
            &policy,
            &ListArgs::default(),
        )
        .unwrap();
        let jwt = rows.iter().find(|r| r.id == "jwt").unwrap();
        assert!(jwt.disabled);
        assert_eq!(jwt.action, "mask(2)");
        let card = rows.iter().find(|r| r.id == "credit_card").unwrap();
        assert!(!card.disabled);
        assert_eq!(card.action, "redact");
        let mut text = Vec::new();
        write_text(&mut text, &rows).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text
            .lines()
            .any(|l| l.contains("jwt") && l.contains(" disabled ")));
        assert!(text.starts_with("account ("));
    }

    #[test]
    fn markdown_escapes_cells() {
        let row = Row {
            id: "x".into(),
            class: "x".into(),
            category: Category::Secret,
            provider: Some("p".into()),
            countries: vec![],
            source: "a | b".into(),
            description: "d".into(),
            action: "redact".into(),
            disabled: false,
        };
        assert!(markdown(&[row]).contains("a \\| b"));
    }
}
