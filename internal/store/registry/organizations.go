package registry

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// OrganizationView is a 两新组织 with the names its page shows beside it.
type OrganizationView struct {
	domain.Organization
	RegionName          string `json:"region_name"`
	ZoneName            string `json:"zone_name"`
	AreaManagerName     string `json:"area_manager_name"`
	IndustryManagerName string `json:"industry_manager_name"`
	ChainName           string `json:"chain_name"`
}

const orgCols = `o.id, o.uscc, o.kind, o.subtype, o.name, o.legal_representative, o.founder_name, o.founder_is_member,
	COALESCE(o.registered_on, ''), o.status, o.address, o.region_code, o.longitude, o.latitude, o.zone_id, o.industry, o.chain,
	o.employees, o.employee_band, o.revenue_band, o.flags, o.charter_includes_party, COALESCE(o.charter_includes_party_on, ''),
	o.cross_appointment, o.secretary_is_head, o.union_established, o.youth_league_established, o.women_federation_established,
	o.area_manager_id, o.industry_manager_id, o.created_at, o.updated_at, o.version,
	COALESCE(r.name, ''), COALESCE(z.name, ''), am.name, COALESCE(im.name, ''), COALESCE(ic.name, '')`

// An organization is in a scope when either of its managers (属地 or 行业)
// is: both committees see and maintain it (双重管理).
const OrgFrom = ` FROM organizations o
	JOIN party_orgs am ON am.id = o.area_manager_id
	LEFT JOIN party_orgs im ON im.id = o.industry_manager_id
	LEFT JOIN regions r ON r.code = o.region_code
	LEFT JOIN zones z ON z.id = o.zone_id
	LEFT JOIN industry_chains ic ON ic.code = o.chain`

const OrgScope = `(o.area_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)
	OR o.industry_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?))`

// orgScopeIDs is orgScope as one id set from two indexed lookups: written
// as an OR of two IN conditions it makes SQLite test every organization
// (0.7 s for a district at city scale, 20 ms as a union) when every row in
// scope must be read (the coverage figures). The organization list keeps
// orgScope: it walks the name index and stops after a page, which the OR
// form lets SQLite do (7 ms for a district, 27 ms as a union; on PostgreSQL
// 87 and 63 ms).
const OrgScopeIDs = `o.id IN (SELECT id FROM organizations WHERE area_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)
	UNION SELECT id FROM organizations WHERE industry_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?))`

func OrgScopeArgs(sc store.Scope) []any {
	lo, hi := sc.Bounds()
	return []any{lo, hi, lo, hi}
}

func scanOrganization(r interface{ Scan(...any) error }) (OrganizationView, error) {
	var v OrganizationView
	o := &v.Organization
	var registered, charterOn, flags, created, updated string
	var lon, lat sql.NullFloat64
	var zone, employees, industryMgr sql.NullInt64
	var founder, charter, cross, secHead, union, youth, women int
	err := r.Scan(&o.ID, &o.USCC, &o.Kind, &o.Subtype, &o.Name, &o.LegalRepresentative, &o.FounderName, &founder,
		&registered, &o.Status, &o.Address, &o.Region, &lon, &lat, &zone, &o.Industry, &o.Chain,
		&employees, &o.EmployeeBand, &o.RevenueBand, &flags, &charter, &charterOn,
		&cross, &secHead, &union, &youth, &women,
		&o.AreaManagerID, &industryMgr, &created, &updated, &o.Version,
		&v.RegionName, &v.ZoneName, &v.AreaManagerName, &v.IndustryManagerName, &v.ChainName)
	if err != nil {
		return v, err
	}
	o.RegisteredOn, o.CharterIncludesPartyOn = domain.Date(registered), domain.Date(charterOn)
	if lon.Valid && lat.Valid {
		o.Longitude, o.Latitude = &lon.Float64, &lat.Float64
	}
	if zone.Valid {
		o.ZoneID = &zone.Int64
	}
	if employees.Valid {
		n := int(employees.Int64)
		o.Employees = &n
	}
	if industryMgr.Valid {
		o.IndustryManagerID = &industryMgr.Int64
	}
	o.Flags = splitFlags(flags)
	o.FounderIsMember, o.CharterIncludesParty, o.CrossAppointment, o.SecretaryIsHead = founder == 1, charter == 1, cross == 1, secHead == 1
	o.UnionEstablished, o.YouthLeagueEstablished, o.WomenFederationEstablished = union == 1, youth == 1, women == 1
	o.CreatedAt, o.UpdatedAt = store.ParseTS(created), store.ParseTS(updated)
	return v, nil
}

func JoinFlags(flags []string) string {
	if len(flags) == 0 {
		return ""
	}
	return "," + strings.Join(flags, ",") + ","
}

func splitFlags(s string) []string {
	s = strings.Trim(s, ",")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// GetOrganization returns one organization inside the scope.
func (s *Store) GetOrganization(ctx context.Context, sc store.Scope, id int64) (OrganizationView, error) {
	return GetOrganization(ctx, s.db.Pool(), sc, id)
}

func GetOrganization(ctx context.Context, q store.Querier, sc store.Scope, id int64) (OrganizationView, error) {
	v, err := scanOrganization(q.QueryRow(ctx, `SELECT `+orgCols+OrgFrom+` WHERE o.id = ? AND `+OrgScope, append([]any{id}, OrgScopeArgs(sc)...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, domain.ErrNotFound
	}
	return v, err
}

// OrganizationFilter selects organizations for a list.
type OrganizationFilter struct {
	Q        string // name contains, or the exact USCC
	Region   string // a region and the streets under it
	Status   string
	Industry string
	Kind     string
	Flag     string
	ZoneID   *int64
	Manager  *int64 // managed (either way) by this Party org or its subtree
	Sort     string
	store.Page

	// Mark and NoMark select by a code of domain.OrgMarks (a Party-building
	// fact or a flag): carried, or not carried. Chain is a chain's code.
	Mark, NoMark, Chain string
}

// OrganizationSorts whitelists the list's sort keys.
var OrganizationSorts = map[string]string{"name": "o.name", "registered_on": "o.registered_on", "id": "o.id", "employees": "o.employees"}

// ListOrganizations returns a page of the organizations inside the scope.
func (s *Store) ListOrganizations(ctx context.Context, sc store.Scope, f OrganizationFilter) ([]OrganizationView, int, error) {
	return s.listOrganizations(ctx, sc, f, 0, "")
}

// listOrganizations lists with f's filters; with keyset set ("o.id > ?" and
// its argument) it reads limit rows after that key and skips the count.
func (s *Store) listOrganizations(ctx context.Context, sc store.Scope, f OrganizationFilter, limit int, keyset string, keyArgs ...any) ([]OrganizationView, int, error) {
	where := []string{OrgScope}
	args := OrgScopeArgs(sc)
	if whole, err := s.db.WholeTree(ctx, sc); err != nil {
		return nil, 0, err
	} else if whole {
		where, args = nil, nil
	}
	if keyset != "" {
		where = append(where, keyset)
		args = append(args, keyArgs...)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		names, err := s.searchNames(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		if names.gram != "" && len(where) == 0 && keyset == "" && f.onlyName() {
			return s.listByName(ctx, names, f)
		}
		if names.byScope && len(where) > 0 && where[0] == OrgScope {
			where[0] = OrgScopeIDs // a district's organizations read whole
		}
		where = append(where, names.cond)
		args = append(args, names.args...)
	}
	if f.Region != "" {
		where = append(where, "o.region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ? OR functional_zone_code = ?)")
		args = append(args, f.Region, f.Region, f.Region)
	}
	for _, eq := range []struct{ col, v string }{{"o.status", f.Status}, {"o.industry", f.Industry}, {"o.kind", f.Kind}} {
		if eq.v != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, eq.v)
		}
	}
	if f.Flag != "" {
		where = append(where, "o.flags LIKE ?")
		args = append(args, "%,"+f.Flag+",%")
	}
	for _, m := range []struct {
		code string
		has  bool
	}{{f.Mark, true}, {f.NoMark, false}} {
		if m.code != "" {
			c, a := MarkCondition(m.code, m.has)
			where, args = append(where, c), append(args, a...)
		}
	}
	if f.Chain != "" {
		where = append(where, "o.chain = ?")
		args = append(args, f.Chain)
	}
	if f.ZoneID != nil {
		where = append(where, "o.zone_id = ?")
		args = append(args, *f.ZoneID)
	}
	if f.Manager != nil {
		sub := `(SELECT path FROM party_orgs WHERE id = ?)`
		where = append(where, `((am.path >= `+sub+` AND am.path < (SELECT `+store.PathUpper("path")+` FROM party_orgs WHERE id = ?)) OR
			(im.path >= `+sub+` AND im.path < (SELECT `+store.PathUpper("path")+` FROM party_orgs WHERE id = ?)))`)
		args = append(args, *f.Manager, *f.Manager, *f.Manager, *f.Manager)
	}
	cond := store.WhereClause(where)
	var total int
	if keyset == "" {
		// The count joins only what the conditions read: the area manager
		// always exists, and the names joined for display change nothing.
		from := ` FROM organizations o`
		if f.Manager != nil {
			from = ` FROM organizations o JOIN party_orgs am ON am.id = o.area_manager_id LEFT JOIN party_orgs im ON im.id = o.industry_manager_id`
		}
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+from+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
		limit = f.Limit()
	}
	order := strings.ReplaceAll(store.OrderBy(f.Sort, OrganizationSorts, "o.name"), "p.id", "o.id")
	if !strings.Contains(order, "o.id") {
		order += ", o.id"
	}
	offset := f.Offset()
	if keyset != "" {
		offset = 0
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+orgCols+OrgFrom+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []OrganizationView{}
	for rows.Next() {
		v, err := scanOrganization(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// orgWriteCols are the columns a save writes, in the order of orgWriteArgs.
const orgWriteCols = `uscc, kind, subtype, name, legal_representative, founder_name, founder_is_member,
	registered_on, status, address, region_code, longitude, latitude, zone_id, industry, chain, employees, employee_band, revenue_band,
	flags, charter_includes_party, charter_includes_party_on, cross_appointment, secretary_is_head, union_established,
	youth_league_established, women_federation_established, area_manager_id, industry_manager_id, updated_at`

var (
	orgWriteN = store.CountCols(orgWriteCols)
	orgUpdate = `UPDATE organizations SET ` + store.SetClause(orgWriteCols) + `, version = ? WHERE id = ?`
)

func orgWriteArgs(o domain.Organization, now time.Time) []any {
	return []any{o.USCC, o.Kind, o.Subtype, o.Name, o.LegalRepresentative, o.FounderName, store.BoolInt(o.FounderIsMember),
		store.NullStr(string(o.RegisteredOn)), o.Status, o.Address, o.Region, o.Longitude, o.Latitude, o.ZoneID, o.Industry, o.Chain,
		o.Employees, o.EmployeeBand, o.RevenueBand, JoinFlags(o.Flags), store.BoolInt(o.CharterIncludesParty), store.NullStr(string(o.CharterIncludesPartyOn)),
		store.BoolInt(o.CrossAppointment), store.BoolInt(o.SecretaryIsHead), store.BoolInt(o.UnionEstablished), store.BoolInt(o.YouthLeagueEstablished),
		store.BoolInt(o.WomenFederationEstablished), o.AreaManagerID, o.IndustryManagerID, store.TS(now)}
}

// SaveOrganization creates (id 0) or edits an organization. Its managers and
// zone must lie inside the caller's scope, so nobody can hand an
// organization to a committee they do not belong to, nor take one away.
func (s *Store) SaveOrganization(ctx context.Context, c store.Caller, id int64, in domain.OrganizationInput, acceptedUSCC map[string]bool) (domain.Organization, error) {
	var o domain.Organization
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var before *domain.Organization
		if id == 0 {
			o = domain.NewOrganization(in)
		} else {
			v, err := GetOrganization(ctx, t, c.Scope, id)
			if err != nil {
				return err
			}
			if in.Version != nil && *in.Version != v.Version {
				return &domain.ConflictError{Field: "version", Message: "该组织已被他人修改，请刷新后重试"}
			}
			b := v.Organization
			before, o = &b, v.Organization
			in.Apply(&o)
		}
		accepted, err := withAcceptedUSCC(ctx, t, acceptedUSCC)
		if err != nil {
			return err
		}
		if err := o.Validate(c.Now, accepted); err != nil {
			return err
		}
		if err := s.checkOrganizationRefs(ctx, t, c.Scope, &o, before); err != nil {
			return err
		}
		action := audit.ActionCreate
		if before == nil {
			o.CreatedAt, o.UpdatedAt, o.Version = c.Now, c.Now, 1
			err = t.QueryRow(ctx, `INSERT INTO organizations (`+orgWriteCols+`, created_at, version) VALUES (`+store.Placeholders(orgWriteN+1)+`, 1) RETURNING id`,
				append(orgWriteArgs(o, c.Now), store.TS(c.Now))...).Scan(&o.ID)
		} else {
			action = audit.ActionUpdate
			if len(store.Diff(*before, o)) == 0 {
				return nil
			}
			o.UpdatedAt, o.Version = c.Now, before.Version+1
			_, err = t.Exec(ctx, orgUpdate, append(orgWriteArgs(o, c.Now), o.Version, o.ID)...)
		}
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "uscc", Message: "该统一社会信用代码已登记：" + o.USCC}
		}
		if err != nil {
			return err
		}
		prev := domain.Organization{}
		var auditBefore any
		if before != nil {
			prev, auditBefore = *before, *before
		}
		if err := s.db.AddHistory(ctx, t, c, "organization", o.ID, action, prev, o); err != nil {
			return err
		}
		// Status, kind, employees and flags decide whether the campaign
		// targets it; registered_on bounds how long it has been uncovered.
		if err := s.RefreshCoverageTx(ctx, t, c.Now, []int64{o.ID}); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "organization", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(auditBefore, o))
	})
	return o, err
}

// withAcceptedUSCC adds the settings' list of codes accepted despite a
// failing check character to the caller's own (nil for none).
func withAcceptedUSCC(ctx context.Context, q store.Querier, extra map[string]bool) (map[string]bool, error) {
	set, err := acceptedUSCC(ctx, q)
	if err != nil {
		return nil, err
	}
	for c, ok := range extra {
		if ok {
			set[c] = true
		}
	}
	return set, nil
}

// checkOrganizationRefs checks the region, the zone and the two managers;
// references that did not change are not re-checked against the scope.
func (s *Store) checkOrganizationRefs(ctx context.Context, t *store.Tx, sc store.Scope, o *domain.Organization, before *domain.Organization) error {
	v := &domain.ValidationError{}
	if before == nil || o.Region != before.Region {
		if err := v.Merge(s.db.CheckRegion(ctx, t, sc, o.Region)); err != nil {
			return err
		}
	}
	manager := func(field string, id int64, old *int64) error {
		if old != nil && *old == id {
			return nil
		}
		p, err := s.GetPartyOrgTx(ctx, t, sc, id)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			v.Add(field, "所选党组织不存在或不在您的管理范围内")
		case err != nil:
			return err
		case p.Status != domain.StatusActive:
			v.Add(field, "所选党组织已撤销")
		}
		return nil
	}
	var oldArea, oldIndustry *int64
	if before != nil {
		oldArea, oldIndustry = &before.AreaManagerID, before.IndustryManagerID
	}
	if err := manager("area_manager_id", o.AreaManagerID, oldArea); err != nil {
		return err
	}
	if o.IndustryManagerID != nil {
		if err := manager("industry_manager_id", *o.IndustryManagerID, oldIndustry); err != nil {
			return err
		}
	}
	if o.Chain != "" && (before == nil || before.Chain != o.Chain) {
		if err := checkChain(ctx, t, v, o.Chain); err != nil {
			return err
		}
	}
	if o.ZoneID != nil && (before == nil || before.ZoneID == nil || *before.ZoneID != *o.ZoneID) {
		if _, err := getZone(ctx, t, sc, *o.ZoneID); errors.Is(err, domain.ErrNotFound) {
			v.Add("zone_id", "所选园区/楼宇/市场不存在或不在您的管理范围内")
		} else if err != nil {
			return err
		}
	}
	return v.Err()
}

// OrganizationHistory returns an organization's changes, newest first.
func (s *Store) OrganizationHistory(ctx context.Context, sc store.Scope, id int64) ([]store.HistoryEntry, error) {
	if _, err := s.GetOrganization(ctx, sc, id); err != nil {
		return nil, err
	}
	return s.db.History(ctx, "organization", id)
}

// EachOrganization streams the organizations inside the scope that match f
// (ignoring its paging and sort) in id order, a batch at a time, for exports.
func (s *Store) EachOrganization(ctx context.Context, sc store.Scope, f OrganizationFilter, fn func(OrganizationView) error) error {
	f.Sort = "id"
	return store.EachByID(func(after int64) ([]OrganizationView, error) {
		return s.listOrganizationsAfter(ctx, sc, f, after)
	}, func(o OrganizationView) int64 { return o.ID }, fn)
}

// listOrganizationsAfter pages by id (keyset), which stays fast however far
// an export has got.
func (s *Store) listOrganizationsAfter(ctx context.Context, sc store.Scope, f OrganizationFilter, after int64) ([]OrganizationView, error) {
	items, _, err := s.listOrganizations(ctx, sc, f, store.MaxPageSize, "o.id > ?", after)
	return items, err
}

// MarkCondition is the condition on organizations o that it carries (has)
// or lacks the mark, a code of domain.OrgMarks (checked by the caller): a
// Party-building fact is its own 0/1 column, a flag a LIKE on o.flags.
func MarkCondition(mark string, has bool) (string, []any) {
	if domain.PartyBuildingFlags.Has(mark) {
		if has {
			return "o." + mark + " = 1", nil
		}
		return "o." + mark + " = 0", nil
	}
	if has {
		return "o.flags LIKE ?", []any{"%," + mark + ",%"}
	}
	return "o.flags NOT LIKE ?", []any{"%," + mark + ",%"}
}
