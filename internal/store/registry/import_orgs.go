package registry

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// An import writes in batches, each batch in one transaction: a batch is
// committed whole or not at all, so an import killed halfway leaves only
// whole batches, and running it again completes it (upsert on the natural
// key: an organization's USCC, a member's ID-number blind index).
//
// Each created or changed record gets its history entry with the changed
// fields, as a single save does. The audit trail gets one event per batch
// naming the job and listing the ids created and updated, rather than one
// event per row: the trail's appends serialize on its head row and hash each
// record, and 100,000 per-row events (each with before/after JSON) would
// multiply an import's time and the trail's size while the history already
// holds every record's before/after. The job's own audit event carries the
// counts (FinishImportJob).

// ImportOrgRow is one valid row of an organization import: the input as the
// file gives it (columns absent from the file are nil and keep the stored
// value), its USCC normalized.
type ImportOrgRow struct {
	Row int
	In  domain.OrganizationInput
	// Covers are Party orgs to link as covering the organization (added
	// when missing; an import never removes a link).
	Covers []int64
}

// OrganizationKeys looks up USCCs (normalized) for an import.
func (s *Store) OrganizationKeys(ctx context.Context, sc store.Scope, usccs []string) (map[string]store.ImportKey, error) {
	out := map[string]store.ImportKey{}
	err := store.Chunked(usccs, func(part []string) error {
		return store.CollectKeys(ctx, s.db.Pool(), `SELECT o.id, o.uscc, CASE WHEN `+OrgScope+` THEN 1 ELSE 0 END, o.area_manager_id, o.industry_manager_id, o.region_code FROM organizations o WHERE o.uscc IN (`+store.Placeholders(len(part))+`)`,
			append(OrgScopeArgs(sc), store.Anys(part)...), func(k string, v store.ImportKey) { out[k] = v })
	})
	return out, err
}

// PartyOrgRef is a Party org as an import refers to it.
type PartyOrgRef struct {
	ID        int64
	Name      string
	ShortName string
	Region    string
	Active    bool
	// Grassroots: a type that can cover an organization (党支部, 党委 …).
	Grassroots bool
}

// ImportPartyOrgs lists the Party orgs inside the scope, for resolving the
// names an import file gives; nothing outside the scope is loaded, so a
// reference outside it reads as unknown.
func (s *Store) ImportPartyOrgs(ctx context.Context, sc store.Scope) ([]PartyOrgRef, error) {
	lo, hi := sc.Bounds()
	rows, err := s.db.QueryRows(ctx, `SELECT id, name, short_name, region_code, status, type FROM party_orgs WHERE path >= ? AND path < ? ORDER BY id`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PartyOrgRef
	for rows.Next() {
		var r PartyOrgRef
		var status string
		var typ domain.PartyOrgType
		if err := rows.Scan(&r.ID, &r.Name, &r.ShortName, &r.Region, &status, &typ); err != nil {
			return nil, err
		}
		r.Active = status == domain.StatusActive
		info, _ := typ.Info()
		r.Grassroots = info.Grassroots
		out = append(out, r)
	}
	return out, rows.Err()
}

// RegionCodes returns every region code a record may lie in: all but the
// communities (domain.CommunityNotRecordRegion).
func (s *Store) RegionCodes(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT code FROM regions WHERE level <> ?`, domain.LevelCommunity)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// activePartyOrgsIn returns which of ids are active Party orgs inside the scope.
func ActivePartyOrgsIn(ctx context.Context, t *store.Tx, sc store.Scope, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	lo, hi := sc.Bounds()
	err := store.Chunked(ids, func(part []int64) error {
		rows, err := t.Query(ctx, `SELECT id FROM party_orgs WHERE status = ? AND path >= ? AND path < ? AND id IN (`+store.Placeholders(len(part))+`)`,
			append([]any{domain.StatusActive, lo, hi}, store.Anys(part)...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rows.Err()
	})
	return out, err
}

// ImportOrganizations writes one batch of organizations in one transaction:
// new USCCs are inserted, existing ones inside the scope updated when
// something changed and left alone (no version, history or audit) when not.
func (s *Store) ImportOrganizations(ctx context.Context, c store.Caller, b store.ImportBatch, rows []ImportOrgRow) (store.BatchResult, error) {
	var res store.BatchResult
	err := s.db.Write(ctx, func(t *store.Tx) error {
		res = store.BatchResult{}
		existing, outside, err := s.existingOrganizations(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		managers, err := ActivePartyOrgsIn(ctx, t, c.Scope, orgManagerIDs(rows))
		if err != nil {
			return err
		}
		covering, err := s.checkCovering(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		creates, updates, err := store.Split(rows, func(r ImportOrgRow) (orgChange, bool, error) {
			// A Party org that stopped qualifying since the file was checked
			// refuses the whole row, before anything of it is written.
			for _, pid := range r.Covers {
				if msg := covering[pid].refusal; msg != "" {
					res.Rejected = append(res.Rejected, store.ImportRowError{Row: r.Row, Field: "covering", Message: msg})
					return orgChange{}, true, nil
				}
			}
			return planOrganization(c, b, r, existing, outside, managers, &res)
		}, func(ch orgChange) bool { return ch.before == nil })
		if err != nil {
			return err
		}
		settings, err := CoverageSettingsTx(ctx, t)
		if err != nil {
			return err
		}
		if err := s.insertOrganizations(ctx, t, c, creates, settings.Target); err != nil {
			return err
		}
		if err := s.updateOrganizations(ctx, t, c, updates); err != nil {
			return err
		}
		res.Created, res.Updated = len(creates), len(updates)
		hc, created := orgHistory(creates)
		hu, updated := orgHistory(updates)
		covered, err := s.importCovers(ctx, t, c, rows, covering, existing, creates, updates, &res)
		if err != nil {
			return err
		}
		updated = append(updated, covered...)
		// The written organizations leave with their 两个覆盖 state, as a
		// single save does (status, size and flags decide the target): the
		// new ones were inserted with it, the changed ones are recomputed.
		if len(updated) > 0 {
			if err := s.RefreshCoverageTx(ctx, t, c.Now, updated); err != nil {
				return err
			}
		}
		return s.db.FinishBatch(ctx, t, c, b, "organization", append(hc, hu...), created, updated)
	})
	return res, err
}

// coverLinksOf returns the links (Party org, organization) that already
// exist for the existing organizations of rows naming covering Party orgs.
func (s *Store) coverLinksOf(ctx context.Context, t *store.Tx, rows []ImportOrgRow, existing map[string]domain.Organization) (map[[2]int64]bool, error) {
	var ids []int64
	for _, r := range rows {
		if len(r.Covers) == 0 {
			continue
		}
		if o, ok := existing[domain.NormalizeCode(Deref(r.In.USCC))]; ok {
			ids = append(ids, o.ID)
		}
	}
	out := map[[2]int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, chunk := range store.Chunks(ids, 500) {
		cond, args := store.IDList("organization_id", chunk)
		rs, err := t.Query(ctx, `SELECT party_org_id, organization_id FROM party_org_covers`+cond, args...)
		if err != nil {
			return nil, err
		}
		for rs.Next() {
			var k [2]int64
			if err := rs.Scan(&k[0], &k[1]); err != nil {
				rs.Close()
				return nil, err
			}
			out[k] = true
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// coveringCheck is a Party org named as covering in a batch: its record, or
// why it cannot cover (a refusal message).
type coveringCheck struct {
	p       domain.PartyOrg
	refusal string
}

// checkCovering checks, in one query a chunk, each Party org the batch's
// rows name as covering (see coveringRefusal).
func (s *Store) checkCovering(ctx context.Context, t *store.Tx, sc store.Scope, rows []ImportOrgRow) (map[int64]coveringCheck, error) {
	out := map[int64]coveringCheck{}
	var ids []int64
	for _, r := range rows {
		for _, pid := range r.Covers {
			if _, ok := out[pid]; !ok {
				out[pid] = coveringCheck{}
				ids = append(ids, pid)
			}
		}
	}
	found := map[int64]domain.PartyOrg{}
	lo, hi := sc.Bounds()
	for _, chunk := range store.Chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		cond, args := store.IDList("id", chunk)
		rs, err := t.Query(ctx, `SELECT id, name, status, type FROM party_orgs`+cond+` AND path >= ? AND path < ?`, append(args, lo, hi)...)
		if err != nil {
			return nil, err
		}
		for rs.Next() {
			var p domain.PartyOrg
			if err := rs.Scan(&p.ID, &p.Name, &p.Status, &p.Type); err != nil {
				rs.Close()
				return nil, err
			}
			found[p.ID] = p
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, err
		}
	}
	for _, pid := range ids {
		p, ok := found[pid]
		ck := coveringCheck{p: p}
		if msg := coveringRefusal(ok, p.Status, p.Type); msg != "" {
			ck.refusal = "覆盖党组织未能建立：" + msg
		}
		out[pid] = ck
	}
	return out, nil
}

// importCovers adds the covering links the rows name and the organizations
// lack (an import never removes one), dated today, audited as one event,
// and returns the organizations whose coverage must be recomputed that were
// not otherwise written (an unchanged row with a new link counts as
// updated). The Party orgs were checked before the rows were planned.
func (s *Store) importCovers(ctx context.Context, t *store.Tx, c store.Caller, rows []ImportOrgRow, covering map[int64]coveringCheck,
	existing map[string]domain.Organization, creates, updates []orgChange, res *store.BatchResult) ([]int64, error) {
	written := map[int]int64{} // row → organization id, for the rows written
	for _, chs := range [][]orgChange{creates, updates} {
		for _, ch := range chs {
			written[ch.row] = ch.after.ID
		}
	}
	refused := map[int]bool{}
	for _, r := range res.Rejected {
		refused[r.Row] = true
	}
	linked, err := s.coverLinksOf(ctx, t, rows, existing)
	if err != nil {
		return nil, err
	}
	var links []coverLink
	var extra []int64
	gained := map[int64]bool{} // Party orgs with a new link
	day := store.DayOf(c.Now)
	for _, r := range rows {
		if len(r.Covers) == 0 || refused[r.Row] {
			continue
		}
		orgID, wrote := written[r.Row]
		if !wrote {
			orgID = existing[domain.NormalizeCode(Deref(r.In.USCC))].ID
		}
		if orgID == 0 {
			continue
		}
		added := false
		for _, pid := range r.Covers {
			if linked[[2]int64{pid, orgID}] {
				continue // the usual case of a re-imported export: nothing to try
			}
			p := covering[pid].p
			n, err := t.Exec(ctx, `INSERT INTO party_org_covers (party_org_id, organization_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, pid, orgID, day)
			if err != nil {
				return nil, err
			}
			if k, _ := n.RowsAffected(); k > 0 {
				links = append(links, coverLink{OrganizationID: orgID, PartyOrgID: pid, PartyOrgName: p.Name, Since: day})
				gained[pid], added = true, true
			}
		}
		if added && !wrote {
			res.Unchanged--
			res.Updated++
			extra = append(extra, orgID)
		}
	}
	if len(links) == 0 {
		return nil, nil
	}
	e := audit.New(c.Now, c.Actor, audit.ActionCreate, "coverage_link", "", audit.ResultSuccess).WithStates(nil, links)
	e.Reason = fmt.Sprintf("导入覆盖关系 %d 条", len(links))
	if err := s.db.AppendAudit(ctx, t, e); err != nil {
		return nil, err
	}
	// A new link makes a Party org joint for every organization it covers,
	// and the newly covered ones org-covered.
	pids := make([]int64, 0, len(gained))
	for pid := range gained {
		pids = append(pids, pid)
	}
	if err := s.RefreshCoveredBy(ctx, t, c.Now, pids...); err != nil {
		return nil, err
	}
	return extra, nil
}

// orgChange is an organization to write and its state before (nil: new).
type orgChange struct {
	row    int
	before *domain.Organization
	after  domain.Organization
}

func orgHistory(cs []orgChange) ([]store.HistoryRow, []int64) {
	out := make([]store.HistoryRow, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = store.HistoryRow{ID: c.after.ID, Action: audit.ActionCreate, Before: domain.Organization{}, After: c.after}
		if c.before != nil {
			out[i].Action, out[i].Before = audit.ActionUpdate, *c.before
		}
		ids[i] = c.after.ID
	}
	return out, ids
}

// planOrganization decides what one row does: create, update, nothing
// (unchanged), or reject it.
func planOrganization(c store.Caller, b store.ImportBatch, r ImportOrgRow, existing map[string]domain.Organization, outside map[string]bool,
	managers map[int64]bool, res *store.BatchResult) (orgChange, bool, error) {
	uscc := domain.NormalizeCode(Deref(r.In.USCC))
	if outside[uscc] {
		res.Rejected = append(res.Rejected, store.ImportRowError{Row: r.Row, Field: "uscc", Message: "该统一社会信用代码" + store.OutsideScopeMessage})
		return orgChange{}, true, nil
	}
	var o domain.Organization
	var before *domain.Organization
	if old, ok := existing[uscc]; ok {
		o, before = old, &old
		r.In.Apply(&o)
	} else {
		o = domain.NewOrganization(r.In)
	}
	if err := o.Validate(c.Now, b.AcceptedUSCC); err != nil {
		return orgChange{}, true, res.Reject(r.Row, err)
	}
	if !managers[o.AreaManagerID] && (before == nil || before.AreaManagerID != o.AreaManagerID) {
		return orgChange{}, true, res.Reject(r.Row, domain.FieldError("area_manager_id", "所选党组织不存在、已撤销或不在您的管理范围内"))
	}
	if o.IndustryManagerID != nil && !managers[*o.IndustryManagerID] && (before == nil || before.IndustryManagerID == nil || *before.IndustryManagerID != *o.IndustryManagerID) {
		return orgChange{}, true, res.Reject(r.Row, domain.FieldError("industry_manager_id", "所选党组织不存在、已撤销或不在您的管理范围内"))
	}
	if before != nil && len(store.Diff(*before, o)) == 0 {
		res.Unchanged++
		return orgChange{}, true, nil
	}
	return orgChange{row: r.Row, before: before, after: o}, false, nil
}

func Deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func orgManagerIDs(rows []ImportOrgRow) []int64 {
	seen := map[int64]bool{}
	var out []int64
	add := func(p *int64) {
		if p != nil && *p > 0 && !seen[*p] {
			seen[*p] = true
			out = append(out, *p)
		}
	}
	for _, r := range rows {
		add(r.In.AreaManagerID)
		add(r.In.IndustryManagerID)
	}
	return out
}

// existingOrganizations loads the batch's USCCs that are registered: the
// records inside the scope, and the keys of those outside it.
func (s *Store) existingOrganizations(ctx context.Context, t *store.Tx, sc store.Scope, rows []ImportOrgRow) (map[string]domain.Organization, map[string]bool, error) {
	usccs := make([]any, len(rows))
	for i, r := range rows {
		usccs[i] = domain.NormalizeCode(Deref(r.In.USCC))
	}
	return store.LoadRegistered(ctx, t, usccs, func(part []any) (string, []any) {
		return `SELECT ` + orgCols + OrgFrom + ` WHERE o.uscc IN (` + store.Placeholders(len(part)) + `) AND ` + OrgScope, append(append([]any{}, part...), OrgScopeArgs(sc)...)
	}, func(r *sql.Rows) (string, domain.Organization, error) {
		v, err := scanOrganization(r)
		return v.USCC, v.Organization, err
	}, `SELECT o.id, o.uscc, 0, NULL, NULL, '' FROM organizations o WHERE o.uscc IN `, func(k []byte) string { return string(k) })
}

// insertOrganizations inserts new organizations with their coverage state:
// nothing can cover an organization that did not exist, so it is computed
// from the record alone (uncovered since its registration; in the campaign's
// scope or not by target) instead of by a second pass over the rows.
func (s *Store) insertOrganizations(ctx context.Context, t *store.Tx, c store.Caller, cs []orgChange, target domain.CoverageTarget) error {
	byUSCC := map[string]*orgChange{}
	for i := range cs {
		o := &cs[i].after
		o.CreatedAt, o.UpdatedAt, o.Version = c.Now, c.Now, 1
		byUSCC[o.USCC] = &cs[i]
	}
	const covCols = `, cov_state, cov_by, cov_since, cov_in_scope, cov_on`
	row := "(" + store.Placeholders(orgWriteN+1+5) + ", 1)"
	day := store.DayOf(c.Now)
	return store.Chunked(cs, func(part []orgChange) error {
		args := make([]any, 0, len(part)*(orgWriteN+1+5))
		for _, ch := range part {
			cov := domain.Coverage(domain.CoverageInput{RegisteredOn: ch.after.RegisteredOn}, c.Now)
			args = append(append(args, orgWriteArgs(ch.after, c.Now)...), store.TS(c.Now),
				string(cov.State), cov.By, store.NullStr(string(cov.Since)), store.BoolInt(target.InScope(ch.after)), day)
		}
		return s.db.InsertReturning(ctx, t, `INSERT INTO organizations (`+orgWriteCols+`, created_at`+covCols+`, version) VALUES `+store.RepeatRow(row, len(part))+` RETURNING id, uscc`,
			args, func(id int64, key []byte) { byUSCC[string(key)].after.ID = id })
	}, store.InsertRows)
}

func (s *Store) updateOrganizations(ctx context.Context, t *store.Tx, c store.Caller, cs []orgChange) error {
	for i := range cs {
		o := &cs[i].after
		o.UpdatedAt, o.Version = c.Now, cs[i].before.Version+1
		if _, err := t.Exec(ctx, orgUpdate, append(orgWriteArgs(*o, c.Now), o.Version, o.ID)...); err != nil {
			return err
		}
	}
	return nil
}

// PartyOrgNames returns the full names of Party orgs by id, whatever the
// scope: an import asks only for the current links of records inside the
// caller's scope, names their pages already show.
func (s *Store) PartyOrgNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.db.NamesByID(ctx, "party_orgs", ids)
}
