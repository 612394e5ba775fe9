package orglife

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// The compliance ledger (三会一课台账) read from held activities. One pass
// over the year's held activities of the scope serves a single org, the
// summaries by district or committee, and the list of lagging orgs.

// LedgerOrgTypes are the Party orgs that owe the 三会一课: the branches.
// Committees and general branches run theirs through their branches; a
// temporary branch (临时党支部) has no 组织生活 of its own to account for.
var LedgerOrgTypes = []domain.PartyOrgType{domain.Branch, domain.JointBranch, domain.MobileBranch}

// ComplianceFilter selects the orgs of a city-wide pass.
type ComplianceFilter struct {
	Year   int
	Region string // district or street code
	Under  int64  // a subtree
	OrgID  int64  // one org
	// Requirement and OnlyMissing narrow the list of orgs.
	Requirement string
	OnlyMissing bool
}

// ComplianceOrg is one org of a pass with its summary.
type ComplianceOrg struct {
	PartyOrgID   int64                      `json:"party_org_id"`
	Name         string                     `json:"name"`
	ParentID     int64                      `json:"parent_id"`
	ParentName   string                     `json:"parent_name"`
	District     string                     `json:"district"`
	DistrictName string                     `json:"district_name"`
	Due          int                        `json:"due"`
	Done         int                        `json:"done"`
	Rate         float64                    `json:"rate"`
	Missing      []activity.MissingItem     `json:"missing"`
	Summary      activity.ComplianceSummary `json:"-"`
}

// ledgerOrg is an org's facts as read for the pass.
type LedgerOrg struct {
	ID         int64
	Name       string
	ParentID   int64
	ParentName string
	District   string
	DistName   string
	Facts      activity.OrgFacts
	held       []activity.HeldActivity
}

// compliancePass reads the facts and held activities of every ledger org
// in scope and calls fn with each org's summary.
func (s *Store) CompliancePass(ctx context.Context, sc store.Scope, f ComplianceFilter, e *activity.ComplianceEvaluator, fn func(o *LedgerOrg, sum *activity.ComplianceSummary)) error {
	orgs, err := s.ledgerOrgs(ctx, sc, f)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return nil
	}
	if f.OrgID > 0 {
		// One org: its held activities themselves, so that its ledger can
		// say how many each period counted.
		o := &orgs[0]
		rows, err := s.db.QueryRows(ctx, `SELECT a.type, a.start_date FROM activity_hosts h JOIN activities a ON a.id = h.activity_id
			WHERE h.party_org_id = ? AND a.status = 'held' AND a.start_date >= ? AND a.start_date <= ?`,
			o.ID, fmt.Sprintf("%04d-01-01", f.Year), fmt.Sprintf("%04d-12-31", f.Year))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var typ, on string
			if err := rows.Scan(&typ, &on); err != nil {
				return err
			}
			o.held = append(o.held, activity.HeldActivity{Type: activity.ActivityType(typ), On: domain.Date(on)})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		sum := e.Summary(o.Facts, o.held)
		fn(o, &sum)
		return nil
	}
	// Many orgs: their month masks (ledger_months), one row an org.
	q := `SELECT party_org_id, ` + store.LedgerMonthCols + ` FROM ledger_months WHERE year = ?`
	args := []any{f.Year}
	if whole, err := s.db.WholeTree(ctx, sc); err != nil {
		return err
	} else if !whole {
		lo, hi := sc.Bounds()
		q += ` AND party_org_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)`
		args = append(args, lo, hi)
	}
	rows, err := s.db.QueryRows(ctx, q, args...)
	if err != nil {
		return err
	}
	masks := make(map[int64]activity.MonthMasks, len(orgs))
	for rows.Next() {
		var id int64
		var m [len(activity.MonthMasks{})]int64
		dest := []any{&id}
		for i := range m {
			dest = append(dest, &m[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return err
		}
		var mm activity.MonthMasks
		for i := range mm {
			mm[i] = uint16(m[i])
		}
		masks[id] = mm
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range orgs {
		sum := e.SummaryOfMonths(orgs[i].Facts, masks[orgs[i].ID])
		fn(&orgs[i], &sum)
	}
	return nil
}

// ledgerOrgs reads the ledger orgs in scope matching f, with their facts:
// full members in good standing, 党小组, founding and dissolution.
func (s *Store) ledgerOrgs(ctx context.Context, sc store.Scope, f ComplianceFilter) ([]LedgerOrg, error) {
	lo, hi := sc.Bounds()
	types := make([]string, len(LedgerOrgTypes))
	for i, t := range LedgerOrgTypes {
		types[i] = "'" + string(t) + "'"
	}
	conds := []string{`p.path >= ? AND p.path < ?`, `p.type IN (` + strings.Join(types, ",") + `)`,
		`(p.status = 'active' OR p.dissolved_on >= ?)`}
	args := []any{lo, hi, fmt.Sprintf("%04d-01-01", f.Year)}
	if f.OrgID > 0 {
		conds = append(conds, `p.id = ?`)
		args = append(args, f.OrgID)
	}
	if f.Under > 0 {
		ulo, uhi, err := s.db.SubtreeBounds(ctx, f.Under)
		if err != nil {
			return nil, err
		}
		conds = append(conds, `p.path >= ? AND p.path < ?`)
		args = append(args, ulo, uhi)
	}
	if f.Region != "" {
		conds = append(conds, `(p.region_code = ? OR p.region_code IN (SELECT code FROM regions WHERE parent_code = ?))`)
		args = append(args, f.Region, f.Region)
	}
	rows, err := s.db.QueryRows(ctx, `SELECT p.id, p.name, COALESCE(p.parent_id, 0), COALESCE(pp.name, ''),
		CASE WHEN r.level = 'street' THEN COALESCE(r.parent_code, '') ELSE COALESCE(r.code, '') END,
		CASE WHEN r.level = 'street' THEN COALESCE(rp.name, '') ELSE COALESCE(r.name, '') END,
		p.party_groups, COALESCE(p.party_groups_since, ''), COALESCE(p.founded_on, ''), COALESCE(p.dissolved_on, '')
		FROM party_orgs p LEFT JOIN party_orgs pp ON pp.id = p.parent_id
		LEFT JOIN regions r ON r.code = p.region_code LEFT JOIN regions rp ON rp.code = r.parent_code`+store.WhereClause(conds)+` ORDER BY p.path`, args...)
	if err != nil {
		return nil, err
	}
	var out []LedgerOrg
	index := map[int64]int{}
	for rows.Next() {
		var o LedgerOrg
		var groups int
		var groupsSince, founded, dissolved string
		if err := rows.Scan(&o.ID, &o.Name, &o.ParentID, &o.ParentName, &o.District, &o.DistName, &groups, &groupsSince, &founded, &dissolved); err != nil {
			rows.Close()
			return nil, err
		}
		o.Facts = activity.OrgFacts{HasGroups: groups > 0, GroupsSince: domain.Date(groupsSince), FoundedOn: domain.Date(founded), DissolvedOn: domain.Date(dissolved)}
		index[o.ID] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	// Full members in good standing, from the counts kept by the writers
	// (migration 0018) rather than a scan of every member.
	q := `SELECT party_org_id, SUM(n) FROM member_counts WHERE status = ? AND standing = ?`
	args = []any{domain.MemberFull, domain.StandingRegistered}
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return nil, err
	}
	switch {
	case len(out) == 1:
		q += ` AND party_org_id = ?`
		args = append(args, out[0].ID)
	case whole:
	default:
		q += ` AND party_org_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)`
		args = append(args, lo, hi)
	}
	rows, err = s.db.QueryRows(ctx, q+` GROUP BY party_org_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Facts.FullMembers = n
		}
	}
	return out, rows.Err()
}

func (s *Store) ComplianceEvaluator(ctx context.Context, year int, today time.Time) (*activity.ComplianceEvaluator, error) {
	st, err := s.ActivitySettings(ctx)
	if err != nil {
		return nil, err
	}
	return activity.NewComplianceEvaluator(year, st.Frequencies, today)
}

// OrgCompliance is one org's ledger for a year.
type OrgCompliance struct {
	PartyOrg HostRef                   `json:"party_org"`
	Facts    ledgerFacts               `json:"facts"`
	Ledger   activity.ComplianceLedger `json:"ledger"`
	Missing  []activity.MissingItem    `json:"missing"`
}

type ledgerFacts struct {
	FullMembers int  `json:"full_members"`
	PartyGroups bool `json:"has_groups"`
}

// Compliance returns one org's ledger. An org that owes no ledger (a
// committee) is a field error.
func (s *Store) Compliance(ctx context.Context, sc store.Scope, orgID int64, year int, today time.Time) (OrgCompliance, error) {
	e, err := s.ComplianceEvaluator(ctx, year, today)
	if err != nil {
		return OrgCompliance{}, err
	}
	org, err := s.registry.GetPartyOrg(ctx, sc, orgID)
	if err != nil {
		return OrgCompliance{}, err
	}
	var out *OrgCompliance
	err = s.CompliancePass(ctx, sc, ComplianceFilter{Year: year, OrgID: orgID}, e, func(o *LedgerOrg, _ *activity.ComplianceSummary) {
		l := e.Ledger(o.Facts, o.held)
		out = &OrgCompliance{PartyOrg: HostRef{o.ID, o.Name}, Facts: ledgerFacts{o.Facts.FullMembers, o.Facts.HasGroups}, Ledger: l, Missing: l.Missing()}
		if out.Missing == nil {
			out.Missing = []activity.MissingItem{}
		}
	})
	if err != nil {
		return OrgCompliance{}, err
	}
	if out == nil {
		return OrgCompliance{}, domain.FieldError("party_org_id", "“"+org.Name+"”是"+org.Type.Name()+"，三会一课台账按党支部建立")
	}
	return *out, nil
}

// ComplianceRow is one line of a summary.
type ComplianceRow struct {
	Key  string  `json:"key"`
	Name string  `json:"name"`
	Orgs int     `json:"orgs"`
	Due  int     `json:"due"`
	Done int     `json:"done"`
	Rate float64 `json:"rate"`
	// Lagging counts the orgs with at least one missing item.
	Lagging int `json:"lagging"`
}

// ComplianceSummary is the ledgers of a scope summed by district or by the
// managing committee (the branch's parent).
type ComplianceSummary struct {
	Year  int             `json:"year"`
	By    string          `json:"by"`
	Total ComplianceRow   `json:"total"`
	Rows  []ComplianceRow `json:"rows"`
}

// SummarizeCompliance sums the ledgers of the scope.
func (s *Store) SummarizeCompliance(ctx context.Context, sc store.Scope, f ComplianceFilter, by string, today time.Time) (ComplianceSummary, error) {
	e, err := s.ComplianceEvaluator(ctx, f.Year, today)
	if err != nil {
		return ComplianceSummary{}, err
	}
	out := ComplianceSummary{Year: f.Year, By: by, Total: ComplianceRow{Key: "", Name: "合计"}, Rows: []ComplianceRow{}}
	groups := map[string]*ComplianceRow{}
	var order []string
	err = s.CompliancePass(ctx, sc, f, e, func(o *LedgerOrg, sum *activity.ComplianceSummary) {
		key, name := o.District, o.DistName
		if by == "committee" {
			key, name = fmt.Sprint(o.ParentID), o.ParentName
		}
		g := groups[key]
		if g == nil {
			g = &ComplianceRow{Key: key, Name: name}
			groups[key] = g
			order = append(order, key)
		}
		for _, r := range []*ComplianceRow{g, &out.Total} {
			r.Orgs++
			r.Due += sum.Due
			r.Done += sum.Done
			if sum.Done < sum.Due {
				r.Lagging++
			}
		}
	})
	if err != nil {
		return out, err
	}
	if by == "region" {
		// The districts in the city's order, whatever order the tree holds
		// them in.
		sort.SliceStable(order, func(a, b int) bool { return domain.DistrictRank(order[a]) < domain.DistrictRank(order[b]) })
	}
	for _, k := range order {
		g := groups[k]
		g.Rate = domain.Percent(g.Done, g.Due)
		out.Rows = append(out.Rows, *g)
	}
	out.Total.Rate = domain.Percent(out.Total.Done, out.Total.Due)
	return out, nil
}

// ComplianceOrgs lists the ledger orgs of the scope, lowest rate first.
func (s *Store) ComplianceOrgs(ctx context.Context, sc store.Scope, f ComplianceFilter, page store.Page, today time.Time) ([]ComplianceOrg, int, error) {
	e, err := s.ComplianceEvaluator(ctx, f.Year, today)
	if err != nil {
		return nil, 0, err
	}
	req := -1
	if f.Requirement != "" {
		if req = activity.Requirements.Index(f.Requirement); req < 0 {
			return nil, 0, domain.FieldError("requirement", "考核项目无效")
		}
	}
	var all []ComplianceOrg
	err = s.CompliancePass(ctx, sc, f, e, func(o *LedgerOrg, sum *activity.ComplianceSummary) {
		missing := sum.Due > sum.Done
		if req >= 0 {
			missing = sum.Requirements[req].Missing != 0
		}
		if f.OnlyMissing && !missing {
			return
		}
		all = append(all, ComplianceOrg{PartyOrgID: o.ID, Name: o.Name, ParentID: o.ParentID, ParentName: o.ParentName,
			District: o.District, DistrictName: o.DistName, Due: sum.Due, Done: sum.Done, Rate: sum.Rate, Summary: *sum})
	})
	if err != nil {
		return nil, 0, err
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Rate != all[j].Rate {
			return all[i].Rate < all[j].Rate
		}
		return all[i].Due-all[i].Done > all[j].Due-all[j].Done
	})
	from, to := min(page.Offset(), len(all)), min(page.Offset()+page.Limit(), len(all))
	pageRows := all[from:to]
	for i := range pageRows {
		pageRows[i].Missing = e.MissingOf(&pageRows[i].Summary)
	}
	return pageRows, len(all), nil
}
