package bulk

import (
	"context"
	"errors"

	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
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

// Dataset is a generated dataset whole: its base and its year of
// organizational life as one part. The generator streams the same parts
// to a Writer (Load) without holding the city; tests keep the whole.
type Dataset struct {
	Base
	Life
}

// Base is what a generated dataset writes before its year of
// organizational life, in one part: the registry, the accounts, the
// situations of the alert rules and the monthly themes.
type Base struct {
	Regions       []domain.Region
	PartyOrgs     []domain.PartyOrg // ids and paths assigned by the generator, parents first
	Zones         []domain.Zone     // ids assigned by the generator
	Users         []accounts.NewUser
	Organizations []domain.Organization // ids assigned by the generator
	Members       []domain.Member       // plain personal data: encrypted on the way in
	Covers        []Cover
	Assignments   []domain.CoverageAssignment

	// Secretaries, terms and elections (bulk_alerts.go).
	SecretaryFilings []FilingRow
	Elections        []ElectionRow
	Terms            []TermRow
	TermChanges      []TermChangeRow

	// ChainParties links chains (by code) to their 行业党委.
	ChainParties map[string]int64

	MonthlyThemes []activity.MonthlyTheme // ids assigned by the generator
	MemberLinks   []MemberLink            // members' own accounts (in Users) and their members

	// SecondFactor, when set, replaces the default second-factor policy:
	// the demo's accounts log in with the password alone.
	SecondFactor *account.SecondFactorSettings
}

// Cover links a grassroots Party org to an organization it covers.
type Cover struct {
	PartyOrgID, OrganizationID int64
	Since                      domain.Date
}

// LoadDataset writes a whole generated dataset into an empty database, as
// Load does with the same data in parts.
func (s *Store) LoadDataset(ctx context.Context, c store.Caller, ds Dataset, note string) error {
	return s.Load(ctx, c, note, func(w *Writer) error {
		if err := w.Base(ds.Base); err != nil {
			return err
		}
		return w.Life(ds.Life)
	})
}

// Writer writes a generated dataset part by part inside Load's
// transaction: Base once, then any number of Life parts. Of a part once
// written it keeps only the small shared tables (texts, places, reasons)
// and the 党小组 counts.
type Writer struct {
	s    *Store
	ctx  context.Context
	t    *store.Tx
	c    store.Caller
	now  string
	base bool
	life lifeState
}

// Load writes a generated dataset into an empty database in one
// transaction: fn hands the Writer the parts as they are made, and one
// audit event records the whole. Same parts, same rows, however they are
// cut.
func (s *Store) Load(ctx context.Context, c store.Caller, note string, fn func(w *Writer) error) error {
	if n, err := s.CountAllPartyOrgs(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrNotEmpty
	}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		w := &Writer{s: s, ctx: ctx, t: t, c: c, now: store.TS(c.Now)}
		defer w.restorePragmas()
		if err := fn(w); err != nil {
			return err
		}
		if !w.base {
			return errors.New("bulk: a dataset without its base")
		}
		if err := w.finishLife(); err != nil {
			return err
		}
		e := audit.New(c.Now, c.Actor, audit.ActionCreate, "dataset", "", audit.ResultSuccess)
		e.Reason = note
		return s.db.AppendAudit(ctx, t, e)
	})
	s.db.ForgetSetting(accounts.SecondFactorKey)
	if err != nil {
		return err
	}
	return s.analyze(ctx)
}

// Base writes the registry, the accounts with their roles, the coverage
// state, the alert rules' situations and the monthly themes. It comes
// first, once. It lets go of the big tables as soon as they are written:
// a caller that keeps no copy of them has them collected meanwhile.
func (w *Writer) Base(b Base) error {
	if w.base {
		return errors.New("bulk: the base of a dataset written twice")
	}
	w.base = true
	ctx, t, s, now := w.ctx, w.t, w.s, w.now
	for _, r := range b.Regions {
		if _, err := t.Exec(ctx, `INSERT INTO regions (code, name, level, parent_code, functional_zone_code, sort) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO NOTHING`, r.Code, r.Name, r.Level, store.NullStr(r.Parent), store.NullStr(r.FunctionalZone), r.Sort); err != nil {
			return err
		}
	}
	// secretary_member_id names a member: set by loadAlertFacts.
	err := store.BulkInsert(ctx, t, `INSERT INTO party_orgs (id, parent_id, path, depth, name, short_name, type, region_code, founded_on, secretary_name,
		term_start, term_years, term_end, status, dissolved_on, dissolve_reason, secretary_since, secretary_vacant_since, secretary_unfiled_since,
		committee_size, postponed_to, created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(b.PartyOrgs), 400, func(i int) []any {
			o := b.PartyOrgs[i]
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
		"(?, ?, ?, ?, ?, ?, ?, ?)", len(b.Zones), 500, func(i int) []any {
			z := b.Zones[i]
			return []any{z.ID, z.Name, z.Kind, z.Region, z.PartyOrgID, z.Address, now, now}
		})
	if err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO organizations (id, uscc, kind, subtype, name, legal_representative, founder_name, founder_is_member,
		registered_on, status, address, region_code, zone_id, industry, chain, employees, employee_band, revenue_band, flags,
		charter_includes_party, charter_includes_party_on, cross_appointment, secretary_is_head, union_established, youth_league_established,
		women_federation_established, area_manager_id, industry_manager_id, created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(b.Organizations), 250, func(i int) []any {
			o := b.Organizations[i]
			return []any{o.ID, o.USCC, o.Kind, o.Subtype, o.Name, o.LegalRepresentative, o.FounderName, store.BoolInt(o.FounderIsMember),
				store.NullStr(string(o.RegisteredOn)), o.Status, o.Address, o.Region, o.ZoneID, o.Industry, o.Chain, o.Employees, o.EmployeeBand, o.RevenueBand,
				registry.JoinFlags(o.Flags), store.BoolInt(o.CharterIncludesParty), store.NullStr(string(o.CharterIncludesPartyOn)), store.BoolInt(o.CrossAppointment),
				store.BoolInt(o.SecretaryIsHead), store.BoolInt(o.UnionEstablished), store.BoolInt(o.YouthLeagueEstablished),
				store.BoolInt(o.WomenFederationEstablished), o.AreaManagerID, o.IndustryManagerID, now, now}
		})
	if err != nil {
		return err
	}
	orgIDs := make([]int64, len(b.Organizations))
	for i := range b.Organizations {
		orgIDs[i] = b.Organizations[i].ID
	}
	b.Organizations = nil
	// The chains' 行业党委 (the chains themselves come with the migration).
	for code, id := range b.ChainParties {
		if _, err := t.Exec(ctx, `UPDATE industry_chains SET party_org_id = ? WHERE code = ?`, id, code); err != nil {
			return err
		}
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO party_org_covers (party_org_id, organization_id, since) VALUES `, "(?, ?, ?)", len(b.Covers), 800, func(i int) []any {
		c := b.Covers[i]
		return []any{c.PartyOrgID, c.OrganizationID, store.NullStr(string(c.Since))}
	})
	if err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO coverage_assignments (organization_id, person, role, from_on, to_on, created_at, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?)", len(b.Assignments), 500, func(i int) []any {
			a := b.Assignments[i]
			return []any{a.OrganizationID, a.Person, a.Role, string(a.From), store.NullStr(string(a.To)), now, now}
		})
	if err != nil {
		return err
	}
	b.Covers, b.Assignments = nil, nil
	if err := w.members(b.Members); err != nil {
		return err
	}
	b.Members = nil
	if s.db.D.Postgres() {
		for _, tbl := range []string{"party_orgs", "zones", "users", "organizations", "members", "coverage_assignments"} {
			if err := setSerial(ctx, t, tbl); err != nil {
				return err
			}
		}
	}
	for _, u := range b.Users {
		var id int64
		if err := t.QueryRow(ctx, `INSERT INTO users (username, display_name, party_org_id, password_hash, password_changed_at, must_change_password, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, u.DisplayName, u.PartyOrgID, u.PasswordHash, now, store.BoolInt(u.MustChange), now, now).Scan(&id); err != nil {
			return err
		}
		if err := s.accounts.SetRoles(ctx, t, id, u.Roles); err != nil {
			return err
		}
	}
	for _, l := range b.MemberLinks {
		if _, err := t.Exec(ctx, `UPDATE users SET member_id = ? WHERE username = ?`, l.MemberID, l.Username); err != nil {
			return err
		}
	}
	// The loaded organizations leave with their coverage computed and the
	// kept counts folded. Every organization is refreshed, so the result is
	// the full refresh's.
	if err := s.registry.RefreshLoadedTx(ctx, t, w.c.Now, orgIDs, coverageSlice); err != nil {
		return err
	}
	if err := s.loadAlertFacts(ctx, t, b, w.c.Now); err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO monthly_themes (id, month, title, description, created_at, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?)", len(b.MonthlyThemes), 200, func(i int) []any {
			m := b.MonthlyThemes[i]
			return []any{m.ID, m.Month, m.Title, m.Description, now, now}
		})
	if err != nil {
		return err
	}
	if b.SecondFactor != nil {
		return store.PutSetting(ctx, t, accounts.SecondFactorKey, *b.SecondFactor, w.c.Now)
	}
	return nil
}

// coverageSlice is how many organizations' coverage is computed at once.
const coverageSlice = 5000

// members encrypts and indexes each member's personal data a batch at a
// time (never the city's at once) and inserts the batch.
func (w *Writer) members(ms []domain.Member) error {
	var sealErr error
	err := store.BulkInsert(w.ctx, w.t, `INSERT INTO members (id, name, gender, ethnicity, birth_date, id_number_enc, id_number_index, id_number_last4,
		phone_enc, phone_index, education, joined_on, full_member_on, status, standing, standing_on, party_org_id, employer_id, job, post, key_post,
		mobile, mobile_place, gig_type, created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ms), 300, func(i int) []any {
			m := &ms[i]
			e, err := w.s.members.Seal(*m)
			if err != nil && sealErr == nil {
				sealErr = err
			}
			return []any{m.ID, m.Name, m.Gender, m.Ethnicity, store.NullStr(string(m.BirthDate)), e.IDEnc, e.IDIndex, e.Last4, e.PhoneEnc, e.PhoneIndex,
				m.Education, string(m.JoinedOn), store.NullStr(string(m.FullMemberOn)), m.Status, m.Standing, store.NullStr(string(m.StandingOn)), m.PartyOrgID, m.EmployerID,
				m.Job, m.Post, store.BoolInt(m.KeyPost), store.BoolInt(m.Mobile), m.MobilePlace, m.GigType, w.now, w.now}
		})
	if sealErr != nil {
		return sealErr
	}
	return err
}

// setSerial moves a PostgreSQL table's id sequence past the ids written.
func setSerial(ctx context.Context, t *store.Tx, table string) error {
	_, err := t.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), COALESCE((SELECT MAX(id) FROM `+table+`), 0) + 1, false)`)
	return err
}

// analyze refreshes the statistics after the load, so that the planner
// knows the new table sizes (PostgreSQL's autovacuum would get there only
// later). On PostgreSQL a VACUUM also sets the visibility map, without
// which the coverage counts' index-only scans would visit every heap page;
// and only the loaded tables: a bare one walks every schema of the
// database and fails when another schema's table is dropped meanwhile
// ("relation with OID … does not exist"; tests run in parallel schemas).
func (s *Store) analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if s.db.D.Postgres() {
		stmt = "VACUUM (ANALYZE) regions, party_orgs, zones, users, user_roles, organizations, members, party_org_covers, coverage_assignments, organization_counts, member_counts, organization_name_grams, activity_hosts, activity_counts"
	}
	if _, err := s.db.W.ExecContext(ctx, stmt); err != nil {
		return err
	}
	return s.db.DropStatSamples(ctx)
}
