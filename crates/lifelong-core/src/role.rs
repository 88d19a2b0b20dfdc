//! Who may do what: the roles people hold on the platform, the permissions that exist, and the one
//! table that grants permissions to roles. Scope (whose account, which institution) is decided
//! where the data is, not here.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A role a person holds. One person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A citizen with a learning account.
    Learner,
    /// Institution staff who open accounts and work with their institution's learners.
    InstitutionOperator,
    /// Institution staff who also manage their institution's API tokens.
    InstitutionManager,
    /// A credit-bank reviewer: verifies accounts and reviews deposits.
    Reviewer,
    /// A platform administrator: institutions, users, audit.
    Administrator,
    /// An education authority official who supervises institutions.
    Regulator,
    /// Someone who reads aggregated statistics only.
    Analyst,
}

/// Something a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See one's own account and archive.
    ViewOwnAccount,
    /// Give and withdraw one's own consents.
    ManageOwnConsents,
    /// See an institution's profile.
    ViewInstitution,
    /// Open learners' accounts, one at a time or in bulk.
    OpenAccounts,
    /// See the accounts an institution has opened.
    ViewInstitutionAccounts,
    /// Issue and revoke an institution's API tokens.
    ManageInstitutionTokens,
    /// Verify accounts against documents.
    ReviewAccounts,
    /// Freeze and unfreeze accounts.
    FreezeAccounts,
    /// See a full ID number (an audited action, R3).
    RevealIdNumber,
    /// Create, change and suspend institutions.
    ManageInstitutions,
    /// Create users and grant roles.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
    /// See aggregated statistics and indicators.
    ViewStatistics,
    /// Deposit learners' outcomes for one's institution (R15).
    DepositOutcomes,
    /// Apply for recognition of one's own outcomes, and for conversion (R6).
    ApplyForCredit,
    /// Work the review queue of deposits and applications (R15).
    ReviewOutcomes,
    /// Maintain the framework, units, standards, rules, programmes and calendar.
    ManageCatalog,
    /// Decide conversion applications into one's institution's programmes (R16).
    DecideConversions,
    /// Verify every archive chain (R8).
    VerifyArchive,
}

impl Role {
    /// Every role.
    pub const ALL: &'static [Role] = &[
        Role::Learner,
        Role::InstitutionOperator,
        Role::InstitutionManager,
        Role::Reviewer,
        Role::Administrator,
        Role::Regulator,
        Role::Analyst,
    ];

    /// Whether this role grants `permission`. The whole grant table is here.
    pub fn permits(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Learner => matches!(
                permission,
                P::ViewOwnAccount | P::ManageOwnConsents | P::ApplyForCredit
            ),
            Role::InstitutionOperator => matches!(
                permission,
                P::ViewInstitution
                    | P::OpenAccounts
                    | P::ViewInstitutionAccounts
                    | P::DepositOutcomes
                    | P::DecideConversions
            ),
            Role::InstitutionManager => matches!(
                permission,
                P::ViewInstitution
                    | P::OpenAccounts
                    | P::ViewInstitutionAccounts
                    | P::ManageInstitutionTokens
                    | P::DepositOutcomes
                    | P::DecideConversions
            ),
            Role::Reviewer => matches!(
                permission,
                P::ReviewAccounts
                    | P::FreezeAccounts
                    | P::RevealIdNumber
                    | P::ReviewOutcomes
                    | P::ManageCatalog
            ),
            Role::Administrator => matches!(
                permission,
                P::ManageInstitutions
                    | P::ManageUsers
                    | P::ManageInstitutionTokens
                    | P::ReadAudit
                    | P::RevealIdNumber
                    | P::FreezeAccounts
                    | P::VerifyArchive
            ),
            Role::Regulator => matches!(permission, P::ViewInstitution | P::ViewStatistics),
            Role::Analyst => matches!(permission, P::ViewStatistics),
        }
    }

    /// Every permission this role grants, in [`Permission::ALL`] order.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(|&permission| self.permits(permission))
            .collect()
    }

    /// Whether the role belongs to an institution's staff (and so is tied to one institution).
    pub fn is_institution_staff(self) -> bool {
        matches!(self, Role::InstitutionOperator | Role::InstitutionManager)
    }

    /// Stable snake_case code, the same as the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::InstitutionOperator => "institution_operator",
            Role::InstitutionManager => "institution_manager",
            Role::Reviewer => "reviewer",
            Role::Administrator => "administrator",
            Role::Regulator => "regulator",
            Role::Analyst => "analyst",
        }
    }

    /// The role with this code, if any.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|role| role.as_str() == code)
    }

    /// Label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Role::Learner => ("学习者", "Learner"),
            Role::InstitutionOperator => ("机构经办人", "Institution operator"),
            Role::InstitutionManager => ("机构管理员", "Institution manager"),
            Role::Reviewer => ("学分银行审核员", "Credit bank reviewer"),
            Role::Administrator => ("平台管理员", "Administrator"),
            Role::Regulator => ("教育监管人员", "Regulator"),
            Role::Analyst => ("数据分析员", "Analyst"),
        };
        lang.pick(zh, en)
    }
}

impl Permission {
    /// Every permission.
    pub const ALL: &'static [Permission] = &[
        Permission::ViewOwnAccount,
        Permission::ManageOwnConsents,
        Permission::ViewInstitution,
        Permission::OpenAccounts,
        Permission::ViewInstitutionAccounts,
        Permission::ManageInstitutionTokens,
        Permission::ReviewAccounts,
        Permission::FreezeAccounts,
        Permission::RevealIdNumber,
        Permission::ManageInstitutions,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::ViewStatistics,
        Permission::DepositOutcomes,
        Permission::ApplyForCredit,
        Permission::ReviewOutcomes,
        Permission::ManageCatalog,
        Permission::DecideConversions,
        Permission::VerifyArchive,
    ];

    /// Stable snake_case code, the same as the serde form (used in audit records).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewOwnAccount => "view_own_account",
            Permission::ManageOwnConsents => "manage_own_consents",
            Permission::ViewInstitution => "view_institution",
            Permission::OpenAccounts => "open_accounts",
            Permission::ViewInstitutionAccounts => "view_institution_accounts",
            Permission::ManageInstitutionTokens => "manage_institution_tokens",
            Permission::ReviewAccounts => "review_accounts",
            Permission::FreezeAccounts => "freeze_accounts",
            Permission::RevealIdNumber => "reveal_id_number",
            Permission::ManageInstitutions => "manage_institutions",
            Permission::ManageUsers => "manage_users",
            Permission::ReadAudit => "read_audit",
            Permission::ViewStatistics => "view_statistics",
            Permission::DepositOutcomes => "deposit_outcomes",
            Permission::ApplyForCredit => "apply_for_credit",
            Permission::ReviewOutcomes => "review_outcomes",
            Permission::ManageCatalog => "manage_catalog",
            Permission::DecideConversions => "decide_conversions",
            Permission::VerifyArchive => "verify_archive",
        }
    }

    /// The permission with this code, if any.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.as_str() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as ValueError, StrDeserializer};
    use serde::de::IntoDeserializer;

    /// The full grant matrix: one row per role, `x` where granted. Columns follow
    /// `Permission::ALL`: VOA view own account, MOC manage own consents, VI view institution,
    /// OA open accounts, VIA view institution accounts, MIT manage institution tokens, RA review
    /// accounts, FA freeze accounts, RID reveal ID number, MI manage institutions, MU manage users,
    /// RAU read audit, VS view statistics, DO deposit outcomes, AFC apply for credit, RO review
    /// outcomes, MC manage catalog, DC decide conversions, VA verify archive.
    ///
    /// Changing a grant means changing this table: that is the point.
    const MATRIX: &str = "
        role                  VOA MOC VI  OA  VIA MIT RA  FA  RID MI  MU  RAU VS  DO  AFC RO  MC  DC  VA
        learner               x   x   .   .   .   .   .   .   .   .   .   .   .   .   x   .   .   .   .
        institution_operator  .   .   x   x   x   .   .   .   .   .   .   .   .   x   .   .   .   x   .
        institution_manager   .   .   x   x   x   x   .   .   .   .   .   .   .   x   .   .   .   x   .
        reviewer              .   .   .   .   .   .   x   x   x   .   .   .   .   .   .   x   x   .   .
        administrator         .   .   .   .   .   x   .   x   x   x   x   x   .   .   .   .   .   .   x
        regulator             .   .   x   .   .   .   .   .   .   .   .   .   x   .   .   .   .   .   .
        analyst               .   .   .   .   .   .   .   .   .   .   .   .   x   .   .   .   .   .   .
    ";

    #[test]
    fn grants_match_the_matrix_exactly() {
        let rows: Vec<Vec<&str>> = MATRIX
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .filter(|cells| {
                cells
                    .first()
                    .is_some_and(|first| Role::parse(first).is_some())
            })
            .collect();
        assert_eq!(rows.len(), Role::ALL.len());
        for (row, &role) in rows.iter().zip(Role::ALL) {
            assert_eq!(row[0], role.as_str());
            let cells = &row[1..];
            assert_eq!(cells.len(), Permission::ALL.len(), "{role:?}");
            for (&permission, &cell) in Permission::ALL.iter().zip(cells) {
                let expected = match cell {
                    "x" => true,
                    "." => false,
                    other => panic!("bad cell {other:?} for {role:?}"),
                };
                assert_eq!(
                    role.permits(permission),
                    expected,
                    "{role:?} × {permission:?}"
                );
            }
        }
    }

    #[test]
    fn every_role_has_a_permission_and_every_permission_a_role() {
        for &role in Role::ALL {
            assert!(!role.permissions().is_empty(), "{role:?}");
        }
        for &permission in Permission::ALL {
            assert!(
                Role::ALL.iter().any(|r| r.permits(permission)),
                "{permission:?}"
            );
        }
    }

    #[test]
    fn only_operators_and_managers_are_institution_staff() {
        let staff: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.is_institution_staff())
            .collect();
        assert_eq!(staff, [Role::InstitutionOperator, Role::InstitutionManager]);
    }

    #[test]
    fn a_manager_can_do_everything_an_operator_can() {
        for permission in Role::InstitutionOperator.permissions() {
            assert!(
                Role::InstitutionManager.permits(permission),
                "{permission:?}"
            );
        }
    }

    #[test]
    fn codes_round_trip_through_parse_and_serde() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let de: StrDeserializer<'_, ValueError> = role.as_str().into_deserializer();
            assert_eq!(Role::deserialize(de).unwrap(), role);
            assert!(!role.label(Lang::Zh).is_empty());
        }
        for &permission in Permission::ALL {
            assert_eq!(Permission::parse(permission.as_str()), Some(permission));
            let de: StrDeserializer<'_, ValueError> = permission.as_str().into_deserializer();
            assert_eq!(Permission::deserialize(de).unwrap(), permission);
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(Permission::parse("ViewStatistics"), None);
    }
}
