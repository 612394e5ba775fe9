package bulk

import (
	"context"
	"errors"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// ErrNotEmpty is returned when bulk-loading into a database that has data.
var ErrNotEmpty = errors.New("数据库中已有党组织数据：生成数据只能写入空数据库（请使用新的数据目录或空的 PostgreSQL 库）")

// CountAllPartyOrgs counts every node, whatever its status.
func (s *Store) CountAllPartyOrgs(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM party_orgs`).Scan(&n)
	return n, err
}

// Dataset is what the generator writes in one go.
type Dataset struct {
	Regions       []domain.Region
	PartyOrgs     []domain.PartyOrg // ids and paths assigned by the generator, parents first
	Zones         []domain.Zone     // ids assigned by the generator
	Users         []accounts.NewUser
	Organizations []domain.Organization // ids assigned by the generator
	Members       []domain.Member       // plain personal data: encrypted on the way in
	Covers        []Cover
	Assignments   []domain.CoverageAssignment

	// A year of organizational life (bulk_life.go).
	MonthlyThemes     []domain.MonthlyTheme // ids assigned by the generator
	Activities        []LifeActivity        // ids assigned by the generator, in id order
	ActivityTexts     []ActivityText
	ActivityPlaces    []ActivityPlace
	ActivityCoHosts   []ActivityHost
	Attendances       []LifeAttendance
	AttendanceReasons []string      // LifeAttendance.Reason indexes these; the first is ""
	MemberLinks       []MemberLink  // members' own accounts (in Users) and their members
	PartyGroups       []PartyGroups // the 党小组 of branches that have them

	// Secretaries, terms and elections (bulk_alerts.go).
	SecretaryFilings []FilingRow
	Elections        []ElectionRow
	Terms            []TermRow
	TermChanges      []TermChangeRow

	// SecondFactor, when set, replaces the default second-factor policy:
	// the demo's accounts log in with the password alone.
	SecondFactor *domain.SecondFactorSettings
}

// Cover links a grassroots Party org to an organization it covers.
type Cover struct {
	PartyOrgID, OrganizationID int64
	Since                      domain.Date
}

// LoadDataset writes a generated dataset into an empty database in one
// transaction, with multi-row inserts, and records one audit event for it.
func (s *Store) LoadDataset(ctx context.Context, c store.Caller, ds Dataset, note string) error {
	if n, err := s.CountAllPartyOrgs(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrNotEmpty
	}
	if err := s.registry.UpsertRegions(ctx, ds.Regions); err != nil {
		return err
	}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		now := store.TS(c.Now)
		// secretary_member_id names a member: set by loadAlertFacts.
		err := store.BulkInsert(ctx, t, `INSERT INTO party_orgs (id, parent_id, path, depth, name, short_name, type, region_code, founded_on, secretary_name,
			term_start, term_years, term_end, status, dissolved_on, dissolve_reason, secretary_since, secretary_vacant_since, secretary_unfiled_since,
			committee_size, postponed_to, created_at, updated_at, version) VALUES `,
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ds.PartyOrgs), 400, func(i int) []any {
				o := ds.PartyOrgs[i]
				status := o.Status
				if status == "" {
					status = domain.StatusActive
				}
				return []any{o.ID, o.ParentID, o.Path, o.Depth, o.Name, o.ShortName, string(o.Type), o.Region, store.NullStr(string(o.FoundedOn)),
					o.SecretaryName, store.NullStr(string(o.TermStart)), o.TermYears, store.NullStr(string(o.TermEnd)), status, store.NullStr(string(o.DissolvedOn)),
					o.DissolveReason, store.NullStr(string(o.SecretarySince)), store.NullStr(string(o.SecretaryVacantSince)), store.NullStr(string(o.SecretaryUnfiledSince)),
					o.CommitteeSize, store.NullStr(string(o.PostponedTo)), now, now}
			})
		if err != nil {
			return err
		}
		err = store.BulkInsert(ctx, t, `INSERT INTO zones (id, name, kind, region_code, party_org_id, address, created_at, updated_at) VALUES `,
			"(?, ?, ?, ?, ?, ?, ?, ?)", len(ds.Zones), 500, func(i int) []any {
				z := ds.Zones[i]
				return []any{z.ID, z.Name, z.Kind, z.Region, z.PartyOrgID, z.Address, now, now}
			})
		if err != nil {
			return err
		}
		err = store.BulkInsert(ctx, t, `INSERT INTO organizations (id, uscc, kind, subtype, name, legal_representative, founder_name, founder_is_member,
			registered_on, status, address, region_code, zone_id, industry, employees, employee_band, revenue_band, flags,
			charter_includes_party, cross_appointment, secretary_is_head, union_established, area_manager_id, industry_manager_id, created_at, updated_at, version) VALUES `,
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ds.Organizations), 300, func(i int) []any {
				o := ds.Organizations[i]
				return []any{o.ID, o.USCC, o.Kind, o.Subtype, o.Name, o.LegalRepresentative, o.FounderName, store.BoolInt(o.FounderIsMember),
					store.NullStr(string(o.RegisteredOn)), o.Status, o.Address, o.Region, o.ZoneID, o.Industry, o.Employees, o.EmployeeBand, o.RevenueBand,
					registry.JoinFlags(o.Flags), store.BoolInt(o.CharterIncludesParty), store.BoolInt(o.CrossAppointment), store.BoolInt(o.SecretaryIsHead),
					store.BoolInt(o.UnionEstablished), o.AreaManagerID, o.IndustryManagerID, now, now}
			})
		if err != nil {
			return err
		}
		err = store.BulkInsert(ctx, t, `INSERT INTO party_org_covers (party_org_id, organization_id, since) VALUES `, "(?, ?, ?)", len(ds.Covers), 800, func(i int) []any {
			c := ds.Covers[i]
			return []any{c.PartyOrgID, c.OrganizationID, store.NullStr(string(c.Since))}
		})
		if err != nil {
			return err
		}
		err = store.BulkInsert(ctx, t, `INSERT INTO coverage_assignments (organization_id, person, role, from_on, to_on, created_at, updated_at) VALUES `,
			"(?, ?, ?, ?, ?, ?, ?)", len(ds.Assignments), 500, func(i int) []any {
				a := ds.Assignments[i]
				return []any{a.OrganizationID, a.Person, a.Role, string(a.From), store.NullStr(string(a.To)), now, now}
			})
		if err != nil {
			return err
		}
		if err := s.bulkMembers(ctx, t, ds.Members, now); err != nil {
			return err
		}
		if s.db.D.Postgres() {
			for _, tbl := range []string{"party_orgs", "zones", "users", "organizations", "members", "coverage_assignments"} {
				if _, err := t.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+tbl+`', 'id'), COALESCE((SELECT MAX(id) FROM `+tbl+`), 0) + 1, false)`); err != nil {
					return err
				}
			}
		}
		for _, u := range ds.Users {
			var id int64
			if err := t.QueryRow(ctx, `INSERT INTO users (username, display_name, party_org_id, password_hash, password_changed_at, must_change_password, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, u.DisplayName, u.PartyOrgID, u.PasswordHash, now, store.BoolInt(u.MustChange), now, now).Scan(&id); err != nil {
				return err
			}
			if err := s.accounts.SetRoles(ctx, t, id, u.Roles); err != nil {
				return err
			}
		}
		// The loaded organizations leave with their coverage computed.
		if err := s.registry.RefreshCoverageTx(ctx, t, c.Now, nil); err != nil {
			return err
		}
		if err := s.loadLife(ctx, t, ds, now); err != nil {
			return err
		}
		if err := s.loadAlertFacts(ctx, t, ds, c.Now); err != nil {
			return err
		}
		if ds.SecondFactor != nil {
			if err := store.PutSetting(ctx, t, accounts.SecondFactorKey, *ds.SecondFactor, c.Now); err != nil {
				return err
			}
		}
		e := audit.New(c.Now, c.Actor, audit.ActionCreate, "dataset", "", audit.ResultSuccess)
		e.Reason = note
		return s.db.AppendAudit(ctx, t, e)
	})
	s.db.ForgetSetting(accounts.SecondFactorKey)
	if err != nil {
		return err
	}
	// Fresh statistics, so that the planner knows the new table sizes
	// (PostgreSQL's autovacuum would get there only later). On PostgreSQL a
	// VACUUM also sets the visibility map, without which the coverage
	// counts' index-only scans would visit every heap page; and only the
	// loaded tables: a bare one walks every schema of the database and fails
	// when another schema's table is dropped meanwhile ("relation with OID …
	// does not exist"; tests run in parallel schemas).
	stmt := "ANALYZE"
	if s.db.D.Postgres() {
		stmt = "VACUUM (ANALYZE) regions, party_orgs, zones, users, user_roles, organizations, members, party_org_covers, coverage_assignments, organization_counts, member_counts"
	}
	if _, err = s.db.W.ExecContext(ctx, stmt); err != nil || s.db.D.Postgres() {
		return err
	}
	// SQLite keeps sample rows (sqlite_stat4) beside the per-index figures.
	// With samples, every prepared statement comparing a parameter with an
	// indexed column is compiled again whenever the parameter's value
	// changes — each check-in's statements were, a fifth of its CPU. The
	// per-index figures (sqlite_stat1) plan these queries as well, so the
	// samples are dropped and the statistics reloaded.
	var n int
	if err := s.db.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM sqlite_stat4`); err != nil {
		return err
	}
	_, err = s.db.W.ExecContext(ctx, `ANALYZE sqlite_schema`)
	return err
}

// bulkMembers encrypts and indexes each member's personal data, then
// inserts the members in batches.
func (s *Store) bulkMembers(ctx context.Context, t *store.Tx, ms []domain.Member, now string) error {
	enc := make([]members.SealedMember, len(ms))
	for i, m := range ms {
		var err error
		if enc[i], err = s.members.Seal(m); err != nil {
			return err
		}
	}
	return store.BulkInsert(ctx, t, `INSERT INTO members (id, name, gender, ethnicity, birth_date, id_number_enc, id_number_index, id_number_last4,
		phone_enc, phone_index, education, joined_on, full_member_on, status, standing, standing_on, party_org_id, employer_id, job, post, key_post,
		mobile, mobile_place, gig_type, created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ms), 300, func(i int) []any {
			m, e := ms[i], enc[i]
			return []any{m.ID, m.Name, m.Gender, m.Ethnicity, store.NullStr(string(m.BirthDate)), e.IDEnc, e.IDIndex, e.Last4, e.PhoneEnc, e.PhoneIndex,
				m.Education, string(m.JoinedOn), store.NullStr(string(m.FullMemberOn)), m.Status, m.Standing, store.NullStr(string(m.StandingOn)), m.PartyOrgID, m.EmployerID,
				m.Job, m.Post, store.BoolInt(m.KeyPost), store.BoolInt(m.Mobile), m.MobilePlace, m.GigType, now, now}
		})
}
