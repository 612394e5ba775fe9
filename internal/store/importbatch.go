package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
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

// ImportMemberRow is one valid row of a member import, its ID number
// normalized.
type ImportMemberRow struct {
	Row int
	In  domain.MemberInput
}

// ImportBatch says how a batch is written.
type ImportBatch struct {
	JobID        int64
	AcceptedUSCC map[string]bool
	// BeforeCommit, if set, runs inside the transaction once the rows are
	// written; an error rolls the batch back (tests inject failures here).
	BeforeCommit func() error
}

// ImportRowError is a row refused while writing: its merged record does not
// validate, or its key belongs to a record outside the scope (both were
// checked while validating; this catches what changed since).
type ImportRowError struct {
	Row     int
	Field   string
	Message string
}

// BatchResult counts what a batch did.
type BatchResult struct {
	Created, Updated, Unchanged int
	Rejected                    []ImportRowError
}

func (r *BatchResult) reject(row int, err error) error {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for f, m := range ve.Fields {
		r.Rejected = append(r.Rejected, ImportRowError{Row: row, Field: f, Message: m})
	}
	return nil
}

// OutsideScopeMessage is the reason given for a key that belongs to a record
// the caller may not change. It says no more than that: not whose it is.
const OutsideScopeMessage = "已登记在其他党组织的管理范围内，不能在此导入修改"

// ImportKey is what an import needs to know about a natural key: the record
// it belongs to, and whether the caller may change it.
type ImportKey struct {
	ID      int64
	InScope bool
	// Links are the Party orgs the record is linked to now (an
	// organization's managers, a member's Party org): an import file that
	// names one of them ambiguously keeps it.
	Links []int64
	// Region is an organization's region as stored (a region outside the
	// caller's district may stay as it is).
	Region string
}

// OrganizationKeys looks up USCCs (normalized) for an import.
func (s *Store) OrganizationKeys(ctx context.Context, sc Scope, usccs []string) (map[string]ImportKey, error) {
	out := map[string]ImportKey{}
	err := chunked(usccs, func(part []string) error {
		return collectKeys(ctx, s.pool(), `SELECT o.id, o.uscc, CASE WHEN `+orgScope+` THEN 1 ELSE 0 END, o.area_manager_id, o.industry_manager_id, o.region_code FROM organizations o WHERE o.uscc IN (`+placeholders(len(part))+`)`,
			append(orgScopeArgs(sc), anys(part)...), func(k string, v ImportKey) { out[k] = v })
	})
	return out, err
}

// MemberKeys looks up ID numbers (normalized) for an import, through their
// blind index.
func (s *Store) MemberKeys(ctx context.Context, sc Scope, idNumbers []string) (map[string]ImportKey, error) {
	byIndex := make(map[string]string, len(idNumbers))
	idx := make([]string, len(idNumbers))
	for i, n := range idNumbers {
		idx[i] = string(s.pii.Index(pii.KindIDNumber, n))
		byIndex[idx[i]] = n
	}
	out := map[string]ImportKey{}
	lo, hi := sc.bounds()
	err := chunked(idx, func(part []string) error {
		args := []any{lo, hi, lo, hi}
		for _, p := range part {
			args = append(args, []byte(p))
		}
		return collectKeys(ctx, s.pool(), `SELECT m.id, m.id_number_index, CASE WHEN `+memberScope+` THEN 1 ELSE 0 END, m.party_org_id, m.party_org_id, '' FROM members m WHERE m.id_number_index IN (`+placeholders(len(part))+`)`,
			args, func(k string, v ImportKey) { out[byIndex[k]] = v })
	})
	return out, err
}

// collectKeys scans id, key, in-scope flag, two links and a region.
func collectKeys(ctx context.Context, q querier, query string, args []any, put func(string, ImportKey)) error {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k ImportKey
		var key []byte
		var in int
		var l1, l2 sql.NullInt64
		if err := rows.Scan(&k.ID, &key, &in, &l1, &l2, &k.Region); err != nil {
			return err
		}
		k.InScope = in == 1
		for _, l := range []sql.NullInt64{l1, l2} {
			if l.Valid {
				k.Links = append(k.Links, l.Int64)
			}
		}
		put(string(key), k)
	}
	return rows.Err()
}

// keyChunk bounds the values of one IN list (well under both engines'
// parameter limits).
const keyChunk = 500

func chunked[T any](xs []T, fn func([]T) error, size ...int) error {
	n := keyChunk
	if len(size) > 0 {
		n = size[0]
	}
	for i := 0; i < len(xs); i += n {
		if err := fn(xs[i:min(i+n, len(xs))]); err != nil {
			return err
		}
	}
	return nil
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
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
func (s *Store) ImportPartyOrgs(ctx context.Context, sc Scope) ([]PartyOrgRef, error) {
	lo, hi := sc.bounds()
	rows, err := s.queryRows(ctx, `SELECT id, name, short_name, region_code, status, type FROM party_orgs WHERE path >= ? AND path < ? ORDER BY id`, lo, hi)
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

// RegionCodes returns every known region code.
func (s *Store) RegionCodes(ctx context.Context) (map[string]bool, error) {
	rows, err := s.queryRows(ctx, `SELECT code FROM regions`)
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
func activePartyOrgsIn(ctx context.Context, t *tx, sc Scope, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	lo, hi := sc.bounds()
	err := chunked(ids, func(part []int64) error {
		rows, err := t.query(ctx, `SELECT id FROM party_orgs WHERE status = ? AND path >= ? AND path < ? AND id IN (`+placeholders(len(part))+`)`,
			append([]any{domain.StatusActive, lo, hi}, anys(part)...)...)
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
func (s *Store) ImportOrganizations(ctx context.Context, c Caller, b ImportBatch, rows []ImportOrgRow) (BatchResult, error) {
	var res BatchResult
	err := s.write(ctx, func(t *tx) error {
		res = BatchResult{}
		existing, outside, err := s.existingOrganizations(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		managers, err := activePartyOrgsIn(ctx, t, c.Scope, orgManagerIDs(rows))
		if err != nil {
			return err
		}
		covering, err := s.checkCovering(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		creates, updates, err := split(rows, func(r ImportOrgRow) (orgChange, bool, error) {
			// A Party org that stopped qualifying since the file was checked
			// refuses the whole row, before anything of it is written.
			for _, pid := range r.Covers {
				if msg := covering[pid].refusal; msg != "" {
					res.Rejected = append(res.Rejected, ImportRowError{Row: r.Row, Field: "covering", Message: msg})
					return orgChange{}, true, nil
				}
			}
			return planOrganization(c, b, r, existing, outside, managers, &res)
		}, func(ch orgChange) bool { return ch.before == nil })
		if err != nil {
			return err
		}
		settings, err := coverageSettings(ctx, t)
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
			if err := s.refreshCoverage(ctx, t, c.Now, updated); err != nil {
				return err
			}
		}
		return s.finishBatch(ctx, t, c, b, "organization", append(hc, hu...), created, updated)
	})
	return res, err
}

// coverLinksOf returns the links (Party org, organization) that already
// exist for the existing organizations of rows naming covering Party orgs.
func (s *Store) coverLinksOf(ctx context.Context, t *tx, rows []ImportOrgRow, existing map[string]domain.Organization) (map[[2]int64]bool, error) {
	var ids []int64
	for _, r := range rows {
		if len(r.Covers) == 0 {
			continue
		}
		if o, ok := existing[domain.NormalizeCode(deref(r.In.USCC))]; ok {
			ids = append(ids, o.ID)
		}
	}
	out := map[[2]int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, chunk := range chunks(ids, 500) {
		cond, args := idList("organization_id", chunk)
		rs, err := t.query(ctx, `SELECT party_org_id, organization_id FROM party_org_covers`+cond, args...)
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
func (s *Store) checkCovering(ctx context.Context, t *tx, sc Scope, rows []ImportOrgRow) (map[int64]coveringCheck, error) {
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
	lo, hi := sc.bounds()
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		cond, args := idList("id", chunk)
		rs, err := t.query(ctx, `SELECT id, name, status, type FROM party_orgs`+cond+` AND path >= ? AND path < ?`, append(args, lo, hi)...)
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
func (s *Store) importCovers(ctx context.Context, t *tx, c Caller, rows []ImportOrgRow, covering map[int64]coveringCheck,
	existing map[string]domain.Organization, creates, updates []orgChange, res *BatchResult) ([]int64, error) {
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
	day := dayOf(c.Now)
	for _, r := range rows {
		if len(r.Covers) == 0 || refused[r.Row] {
			continue
		}
		orgID, wrote := written[r.Row]
		if !wrote {
			orgID = existing[domain.NormalizeCode(deref(r.In.USCC))].ID
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
			n, err := t.exec(ctx, `INSERT INTO party_org_covers (party_org_id, organization_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, pid, orgID, day)
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
	if err := s.appendAudit(ctx, t, e); err != nil {
		return nil, err
	}
	// A new link makes a Party org joint for every organization it covers,
	// and the newly covered ones org-covered.
	pids := make([]int64, 0, len(gained))
	for pid := range gained {
		pids = append(pids, pid)
	}
	if err := s.refreshCoveredBy(ctx, t, c.Now, pids...); err != nil {
		return nil, err
	}
	return extra, nil
}

// split plans each row of a batch: skipped (unchanged, or refused into the
// batch's result), or a record to create (isNew) or to update.
func split[R, C any](rows []R, plan func(R) (C, bool, error), isNew func(C) bool) (creates, updates []C, err error) {
	for _, r := range rows {
		ch, skip, err := plan(r)
		switch {
		case err != nil:
			return nil, nil, err
		case skip:
		case isNew(ch):
			creates = append(creates, ch)
		default:
			updates = append(updates, ch)
		}
	}
	return creates, updates, nil
}

// finishBatch writes a batch's history and its audit event, then runs the
// test hook.
func (s *Store) finishBatch(ctx context.Context, t *tx, c Caller, b ImportBatch, objectType string, hist []historyRow, created, updated []int64) error {
	if err := s.batchHistory(ctx, t, c, objectType, hist); err != nil {
		return err
	}
	if err := s.auditBatch(ctx, t, c, b.JobID, objectType, created, updated); err != nil {
		return err
	}
	if b.BeforeCommit != nil {
		return b.BeforeCommit()
	}
	return nil
}

// orgChange is an organization to write and its state before (nil: new).
type orgChange struct {
	row    int
	before *domain.Organization
	after  domain.Organization
}

// historyRow is one history entry to write.
type historyRow struct {
	id            int64
	action        string
	before, after any
}

func orgHistory(cs []orgChange) ([]historyRow, []int64) {
	out := make([]historyRow, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = historyRow{id: c.after.ID, action: audit.ActionCreate, before: domain.Organization{}, after: c.after}
		if c.before != nil {
			out[i].action, out[i].before = audit.ActionUpdate, *c.before
		}
		ids[i] = c.after.ID
	}
	return out, ids
}

// planOrganization decides what one row does: create, update, nothing
// (unchanged), or reject it.
func planOrganization(c Caller, b ImportBatch, r ImportOrgRow, existing map[string]domain.Organization, outside map[string]bool,
	managers map[int64]bool, res *BatchResult) (orgChange, bool, error) {
	uscc := domain.NormalizeCode(deref(r.In.USCC))
	if outside[uscc] {
		res.Rejected = append(res.Rejected, ImportRowError{Row: r.Row, Field: "uscc", Message: "该统一社会信用代码" + OutsideScopeMessage})
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
		return orgChange{}, true, res.reject(r.Row, err)
	}
	if !managers[o.AreaManagerID] && (before == nil || before.AreaManagerID != o.AreaManagerID) {
		return orgChange{}, true, res.reject(r.Row, domain.FieldError("area_manager_id", "所选党组织不存在、已撤销或不在您的管理范围内"))
	}
	if o.IndustryManagerID != nil && !managers[*o.IndustryManagerID] && (before == nil || before.IndustryManagerID == nil || *before.IndustryManagerID != *o.IndustryManagerID) {
		return orgChange{}, true, res.reject(r.Row, domain.FieldError("industry_manager_id", "所选党组织不存在、已撤销或不在您的管理范围内"))
	}
	if before != nil && len(diff(*before, o)) == 0 {
		res.Unchanged++
		return orgChange{}, true, nil
	}
	return orgChange{row: r.Row, before: before, after: o}, false, nil
}

func deref(p *string) string {
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
func (s *Store) existingOrganizations(ctx context.Context, t *tx, sc Scope, rows []ImportOrgRow) (map[string]domain.Organization, map[string]bool, error) {
	usccs := make([]any, len(rows))
	for i, r := range rows {
		usccs[i] = domain.NormalizeCode(deref(r.In.USCC))
	}
	return loadRegistered(ctx, t, usccs, func(part []any) (string, []any) {
		return `SELECT ` + orgCols + orgFrom + ` WHERE o.uscc IN (` + placeholders(len(part)) + `) AND ` + orgScope, append(append([]any{}, part...), orgScopeArgs(sc)...)
	}, func(r *sql.Rows) (string, domain.Organization, error) {
		v, err := scanOrganization(r)
		return v.USCC, v.Organization, err
	}, `SELECT o.id, o.uscc, 0, NULL, NULL, '' FROM organizations o WHERE o.uscc IN `, func(k []byte) string { return string(k) })
}

// loadRegistered finds which of a batch's keys are registered, a chunk of
// keys at a time: the records inside the scope (the query inside and scan,
// which gives each record's key), and the keys of the records outside it
// (every record with the keys, by the query all + "(?, …)" whose rows are
// id, raw key, …; keyOf maps a raw key back, "" for none).
func loadRegistered[T any](ctx context.Context, t *tx, keys []any, inside func(part []any) (string, []any),
	scan func(*sql.Rows) (string, T, error), all string, keyOf func([]byte) string) (map[string]T, map[string]bool, error) {
	in := map[string]T{}
	out := map[string]bool{}
	err := chunked(keys, func(part []any) error {
		q, args := inside(part)
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, v, err := scan(rows)
			if err != nil {
				return err
			}
			in[k] = v
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return collectKeys(ctx, t, all+`(`+placeholders(len(part))+`)`, part, func(raw string, _ ImportKey) {
			if k := keyOf([]byte(raw)); k != "" {
				if _, ok := in[k]; !ok {
					out[k] = true
				}
			}
		})
	})
	return in, out, err
}

// insertRows is how many records one multi-row INSERT carries (31 values
// each: under SQLite's 32,766 and PostgreSQL's 65,535 parameters).
const insertRows = 200

// insertOrganizations inserts new organizations with their coverage state:
// nothing can cover an organization that did not exist, so it is computed
// from the record alone (uncovered since its registration; in the campaign's
// scope or not by target) instead of by a second pass over the rows.
func (s *Store) insertOrganizations(ctx context.Context, t *tx, c Caller, cs []orgChange, target domain.CoverageTarget) error {
	byUSCC := map[string]*orgChange{}
	for i := range cs {
		o := &cs[i].after
		o.CreatedAt, o.UpdatedAt, o.Version = c.Now, c.Now, 1
		byUSCC[o.USCC] = &cs[i]
	}
	const covCols = `, cov_state, cov_by, cov_since, cov_in_scope, cov_on`
	row := "(" + placeholders(orgWriteN+1+5) + ", 1)"
	day := dayOf(c.Now)
	return chunked(cs, func(part []orgChange) error {
		args := make([]any, 0, len(part)*(orgWriteN+1+5))
		for _, ch := range part {
			cov := domain.Coverage(domain.CoverageInput{RegisteredOn: ch.after.RegisteredOn}, c.Now)
			args = append(append(args, orgWriteArgs(ch.after, c.Now)...), ts(c.Now),
				string(cov.State), cov.By, nullStr(string(cov.Since)), boolInt(target.InScope(ch.after)), day)
		}
		return s.insertReturning(ctx, t, `INSERT INTO organizations (`+orgWriteCols+`, created_at`+covCols+`, version) VALUES `+repeatRow(row, len(part))+` RETURNING id, uscc`,
			args, func(id int64, key []byte) { byUSCC[string(key)].after.ID = id })
	}, insertRows)
}

func (s *Store) updateOrganizations(ctx context.Context, t *tx, c Caller, cs []orgChange) error {
	for i := range cs {
		o := &cs[i].after
		o.UpdatedAt, o.Version = c.Now, cs[i].before.Version+1
		if _, err := t.exec(ctx, orgUpdate, append(orgWriteArgs(*o, c.Now), o.Version, o.ID)...); err != nil {
			return err
		}
	}
	return nil
}

// insertReturning runs a multi-row INSERT … RETURNING id, key and hands
// each new id with its natural key to put (the engines do not promise the
// order of RETURNING rows, so they are matched by key).
func (s *Store) insertReturning(ctx context.Context, t *tx, q string, args []any, put func(int64, []byte)) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key []byte
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		put(id, key)
	}
	return rows.Err()
}

func repeatRow(row string, n int) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// batchHistory records each change with its changed fields, in multi-row
// INSERTs.
func (s *Store) batchHistory(ctx context.Context, t *tx, c Caller, objectType string, hs []historyRow) error {
	return chunked(hs, func(part []historyRow) error {
		args := make([]any, 0, len(part)*7)
		for _, h := range part {
			b, err := json.Marshal(diff(h.before, h.after))
			if err != nil {
				return err
			}
			args = append(args, objectType, h.id, ts(c.Now), nullInt(c.Actor.UserID), c.Actor.Username, h.action, string(b))
		}
		_, err := t.exec(ctx, `INSERT INTO history (object_type, object_id, at, user_id, username, action, changes) VALUES `+repeatRow("(?, ?, ?, ?, ?, ?, ?)", len(part)), args...)
		return err
	}, insertRows)
}

func (s *Store) auditBatch(ctx context.Context, t *tx, c Caller, jobID int64, objectType string, created, updated []int64) error {
	if len(created)+len(updated) == 0 {
		return nil
	}
	e := audit.New(c.Now, c.Actor, audit.ActionImport, objectType, "", audit.ResultSuccess)
	e.Reason = fmt.Sprintf("导入任务 %d：新增 %d 条，修改 %d 条（变更前后见各记录的变更历史）", jobID, len(created), len(updated))
	return s.appendAudit(ctx, t, e.WithStates(nil, map[string]any{"job": jobID, "created": created, "updated": updated}))
}

// memberChange is a member to write and its state before (nil: new).
type memberChange struct {
	row    int
	before *domain.Member
	after  domain.Member
	sealed sealedMember
}

func memberHistory(cs []memberChange) ([]historyRow, []int64) {
	out := make([]historyRow, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = historyRow{id: c.after.ID, action: audit.ActionCreate, before: domain.Member{}, after: maskedState(c.after)}
		if c.before != nil {
			out[i].action, out[i].before = audit.ActionUpdate, maskedState(*c.before)
		}
		ids[i] = c.after.ID
	}
	return out, ids
}

// ImportMembers writes one batch of members in one transaction, as
// ImportOrganizations does organizations; the key is the ID number's blind
// index, and an ID number held by a member outside the scope is refused,
// never overwritten.
func (s *Store) ImportMembers(ctx context.Context, c Caller, b ImportBatch, rows []ImportMemberRow) (BatchResult, error) {
	var res BatchResult
	err := s.write(ctx, func(t *tx) error {
		res = BatchResult{}
		existing, outside, err := s.existingMembers(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		refs, err := memberRefsIn(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		creates, updates, err := split(rows, func(r ImportMemberRow) (memberChange, bool, error) {
			ch, skip, err := planMember(c, r, existing, outside, refs, &res)
			if err == nil && !skip {
				ch.sealed, err = s.seal(ch.after)
			}
			return ch, skip, err
		}, func(ch memberChange) bool { return ch.before == nil })
		if err != nil {
			return err
		}
		if err := s.insertMembers(ctx, t, c, creates); err != nil {
			return err
		}
		for i := range updates {
			m := &updates[i].after
			m.UpdatedAt, m.Version = c.Now, updates[i].before.Version+1
			if _, err := t.exec(ctx, memberUpdate, append(memberWriteArgs(*m, updates[i].sealed, c.Now), m.Version, m.ID)...); err != nil {
				return err
			}
		}
		res.Created, res.Updated = len(creates), len(updates)
		hc, created := memberHistory(creates)
		hu, updated := memberHistory(updates)
		return s.finishBatch(ctx, t, c, b, "member", append(hc, hu...), created, updated)
	})
	return res, err
}

// memberRefs are the Party orgs and employers of a batch that the caller
// may link members to.
type memberRefs struct{ partyOrgs, employers map[int64]bool }

func memberRefsIn(ctx context.Context, t *tx, sc Scope, rows []ImportMemberRow) (memberRefs, error) {
	var orgIDs, empIDs []int64
	for _, r := range rows {
		if p := r.In.PartyOrgID; p != nil && *p > 0 {
			orgIDs = append(orgIDs, *p)
		}
		if p := r.In.EmployerID; p != nil && *p > 0 {
			empIDs = append(empIDs, *p)
		}
	}
	var refs memberRefs
	var err error
	if refs.partyOrgs, err = activePartyOrgsIn(ctx, t, sc, orgIDs); err != nil {
		return refs, err
	}
	refs.employers = map[int64]bool{}
	err = chunked(empIDs, func(part []int64) error {
		return collectIDs(ctx, t, `SELECT o.id FROM organizations o WHERE o.id IN (`+placeholders(len(part))+`) AND `+orgScope,
			append(anys(part), orgScopeArgs(sc)...), refs.employers)
	})
	return refs, err
}

func collectIDs(ctx context.Context, t *tx, q string, args []any, into map[int64]bool) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		into[id] = true
	}
	return rows.Err()
}

// linkAllowed: a link that did not change needs no check (a record may keep
// a link the caller could not make); a new one must be in refs.
func linkAllowed(id *int64, old *int64, refs map[int64]bool) bool {
	return id == nil || refs[*id] || (old != nil && *old == *id)
}

func planMember(c Caller, r ImportMemberRow, existing map[string]domain.Member, outside map[string]bool, refs memberRefs, res *BatchResult) (memberChange, bool, error) {
	idn := deref(r.In.IDNumber)
	if outside[idn] {
		res.Rejected = append(res.Rejected, ImportRowError{Row: r.Row, Field: "id_number", Message: domain.DuplicateIDMessage})
		return memberChange{}, true, nil
	}
	var m domain.Member
	var before *domain.Member
	var oldOrg, oldEmp *int64
	if old, ok := existing[idn]; ok {
		m, before = old, &old
		oldOrg, oldEmp = old.PartyOrgID, old.EmployerID
		r.In.Apply(&m)
	} else {
		m = domain.NewMember(r.In)
	}
	if err := m.Validate(c.Now); err != nil {
		return memberChange{}, true, res.reject(r.Row, err)
	}
	switch {
	case !linkAllowed(m.PartyOrgID, oldOrg, refs.partyOrgs):
		return memberChange{}, true, res.reject(r.Row, domain.FieldError("party_org_id", "所选党组织不存在、已撤销或不在您的管理范围内"))
	case !linkAllowed(m.EmployerID, oldEmp, refs.employers):
		return memberChange{}, true, res.reject(r.Row, domain.FieldError("employer_id", "所选工作单位不存在或不在您的管理范围内"))
	case m.PartyOrgID == nil && m.EmployerID == nil:
		return memberChange{}, true, res.reject(r.Row, domain.FieldError("party_org_id", "请填写组织关系所在党组织，或至少填写工作单位"))
	}
	if before != nil && !memberChanged(*before, m) {
		res.Unchanged++
		return memberChange{}, true, nil
	}
	return memberChange{row: r.Row, before: before, after: m}, false, nil
}

// existingMembers loads the batch's ID numbers that are registered: the
// members inside the scope (decrypted, keyed by ID number), and the ID
// numbers of those outside it.
func (s *Store) existingMembers(ctx context.Context, t *tx, sc Scope, rows []ImportMemberRow) (map[string]domain.Member, map[string]bool, error) {
	byIndex := map[string]string{}
	idx := make([]any, len(rows))
	for i, r := range rows {
		index := s.pii.Index(pii.KindIDNumber, deref(r.In.IDNumber))
		idx[i], byIndex[string(index)] = index, deref(r.In.IDNumber)
	}
	lo, hi := sc.bounds()
	return loadRegistered(ctx, t, idx, func(part []any) (string, []any) {
		return `SELECT ` + memberCols + memberFrom + ` WHERE m.id_number_index IN (` + placeholders(len(part)) + `) AND ` + memberScope, append(append([]any{}, part...), lo, hi, lo, hi)
	}, func(r *sql.Rows) (string, domain.Member, error) {
		v, err := s.scanMember(r)
		return v.IDNumber, v.Member, err
	}, `SELECT m.id, m.id_number_index, 0, NULL, NULL, '' FROM members m WHERE m.id_number_index IN `, func(k []byte) string { return byIndex[string(k)] })
}

func (s *Store) insertMembers(ctx context.Context, t *tx, c Caller, cs []memberChange) error {
	byIndex := map[string]*memberChange{}
	for i := range cs {
		m := &cs[i].after
		m.CreatedAt, m.UpdatedAt, m.Version = c.Now, c.Now, 1
		byIndex[string(cs[i].sealed.idIndex)] = &cs[i]
	}
	row := "(" + placeholders(memberWriteN+1) + ", 1)"
	return chunked(cs, func(part []memberChange) error {
		args := make([]any, 0, len(part)*(memberWriteN+1))
		for _, ch := range part {
			args = append(append(args, memberWriteArgs(ch.after, ch.sealed, c.Now)...), ts(c.Now))
		}
		return s.insertReturning(ctx, t, `INSERT INTO members (`+memberWriteCols+`, created_at, version) VALUES `+repeatRow(row, len(part))+` RETURNING id, id_number_index`,
			args, func(id int64, key []byte) { byIndex[string(key)].after.ID = id })
	}, insertRows)
}

// PartyOrgNames returns the full names of Party orgs by id, whatever the
// scope: an import asks only for the current links of records inside the
// caller's scope, names their pages already show.
func (s *Store) PartyOrgNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, chunk := range chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		cond, args := idList("id", chunk)
		rows, err := s.queryRows(ctx, `SELECT id, name FROM party_orgs`+cond, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
