package importer

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// rowImporter is what differs between the kinds of import.
type rowImporter interface {
	// check converts and validates one row on its own and against the rows
	// before it (duplicates), returning its problems.
	check(rec xlsx.Record) []xlsx.CellError
	// checkKeys checks the file's natural keys and references against the
	// database, adding errors to res.
	checkKeys(ctx context.Context, recs *rows, res *Result) error
	// write writes one batch of good records.
	write(ctx context.Context, b store.ImportBatch, recs []xlsx.Record) (store.BatchResult, error)
	// columnOf maps a domain validation field to the template column.
	columnOf(field string) string
}

// orderer is a rowImporter whose good rows are written in an order of its
// own (a tree's parents before their children) instead of the file's.
type orderer interface {
	order(recs *rows, good []int) []int
}

type kindSpec struct {
	template  xlsx.Template
	newImport func(ctx context.Context, s *stores.Set, c store.Caller, opt Options) (rowImporter, error)
}

func kindOf(kind string) (kindSpec, error) {
	switch kind {
	case KindOrganizations:
		return kindSpec{OrganizationTemplate, newOrgImport}, nil
	case KindMembers:
		return kindSpec{MemberTemplate, newMemberImport}, nil
	case KindPartyOrgs:
		return kindSpec{PartyOrgTemplate, newPartyOrgImport}, nil
	case KindRegions:
		return kindSpec{RegionTemplate, newRegionImport}, nil
	}
	return kindSpec{}, fmt.Errorf("导入类型只能是 regions、party-orgs、organizations 或 members，而不是 %q", kind)
}

// TemplateOf returns the layout of a kind of import.
func TemplateOf(kind string) (xlsx.Template, string, bool) {
	switch kind {
	case KindOrganizations:
		return OrganizationTemplate, "两新组织", true
	case KindMembers:
		return MemberTemplate, "党员", true
	case KindPartyOrgs:
		return PartyOrgTemplate, "党组织", true
	case KindRegions:
		return RegionTemplate, "镇街社区", true
	}
	return xlsx.Template{}, "", false
}

// cells collects one row's problems while converting it.
type cells struct {
	rec  xlsx.Record
	errs []xlsx.CellError
	bad  map[string]bool
}

// newCells starts converting a record of tpl. Every cell first meets the
// rule every text from outside meets (domain.TextProblem, as in the API):
// no control character, bidi override or isolate, replacement character
// (a control character Excel cannot store), text made only of invisible
// characters, or overlong text. Such a cell is the row's error on its
// column, so that the file path stores exactly what the API would, on both
// engines.
func newCells(tpl xlsx.Template, rec xlsx.Record) *cells {
	c := &cells{rec: rec, bad: map[string]bool{}}
	for _, e := range rec.Errors {
		c.bad[e.Column] = true
	}
	for i, v := range rec.Values {
		// A line break typed inside a cell (Alt+Enter in an address) is
		// layout, not content: every import column is one line.
		if strings.ContainsAny(v, "\r\n") {
			rec.Values[i] = strings.Join(strings.Fields(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(v)), " ")
		}
	}
	for _, col := range tpl.Columns {
		if v, ok := c.get(col.Key); ok {
			if msg := domain.TextProblem(v, false); msg != "" {
				c.fail(col.Key, msg)
			}
		}
	}
	return c
}

// get returns the value of a present column, and false for an absent one
// or one the reader already found bad (its error is reported once).
func (c *cells) get(key string) (string, bool) {
	if !c.rec.Present(key) || c.bad[key] {
		return "", false
	}
	return c.rec.Get(key), true
}

func (c *cells) fail(key, reason string) {
	if c.bad[key] {
		return
	}
	c.bad[key] = true
	c.errs = append(c.errs, xlsx.CellError{Column: key, Value: c.rec.Get(key), Reason: reason})
}

// text sets *dst to a present column's value.
func (c *cells) text(key string, dst **string) {
	if v, ok := c.get(key); ok {
		*dst = &v
	}
}

// yesNo sets *dst from a 是/否 column; an empty cell is 否.
func (c *cells) yesNo(key string, dst **bool) {
	if v, ok := c.get(key); ok {
		b := v == Yes
		*dst = &b
	}
}

// code sets *dst to the code of a name picked from a drop-down; an empty
// cell takes def.
func (c *cells) code(key string, list domain.CodeList, def string, dst **string) {
	v, ok := c.get(key)
	if !ok {
		return
	}
	code := def
	if v != "" {
		var found bool
		if code, found = list.CodeOf(v); !found {
			if !list.Has(v) {
				c.fail(key, "不是可选的值，可选："+strings.Join(list.Names(), "、"))
				return
			}
			code = v
		}
	}
	*dst = &code
}

// validation maps a domain validation error onto the row's columns, unless
// the column already has an error (the first problem is the one to fix).
func (c *cells) validation(err error, columnOf func(string) string) {
	ve, ok := err.(*domain.ValidationError)
	if !ok || ve == nil {
		return
	}
	fields := make([]string, 0, len(ve.Fields))
	for f := range ve.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		c.fail(columnOf(f), ve.Fields[f])
	}
}

// partyOrgIndex resolves the Party orgs an import names: by full name, by
// short name, or by number — only among those inside the caller's scope,
// so that a name outside it reads exactly as an unknown one.
type partyOrgIndex struct {
	byName, byShort map[string][]registry.PartyOrgRef
	byID            map[int64]registry.PartyOrgRef
}

func newPartyOrgIndex(refs []registry.PartyOrgRef) partyOrgIndex {
	x := partyOrgIndex{byName: map[string][]registry.PartyOrgRef{}, byShort: map[string][]registry.PartyOrgRef{}, byID: map[int64]registry.PartyOrgRef{}}
	for _, r := range refs {
		x.byName[r.Name] = append(x.byName[r.Name], r)
		if r.ShortName != "" {
			x.byShort[r.ShortName] = append(x.byShort[r.ShortName], r)
		}
		x.byID[r.ID] = r
	}
	return x
}

// has reports whether v names any Party org inside the scope (active or not).
func (x partyOrgIndex) has(v string) bool {
	return len(x.candidates(v)) > 0
}

// splitNumbered reads a Party org as an export names it when its name is
// not unique, "全称（编号）": the name and the number ("" when v is a plain
// name). Only a number in the brackets counts: names themselves may end in
// "（…）".
func splitNumbered(v string) (name, number string) {
	if i := strings.LastIndex(v, "（"); i > 0 && strings.HasSuffix(v, "）") {
		if num := strings.TrimSuffix(v[i+len("（"):], "）"); num != "" && strings.Trim(num, "0123456789") == "" {
			return strings.TrimSpace(v[:i]), num
		}
	}
	return v, ""
}

// candidates are the Party orgs inside the scope that v names: by number
// (alone, or in "全称（编号）" where the number decides when it belongs to
// an org of that name: names of branches repeat across the city), else by
// full name, else by short name. A "全称（编号）" whose number is no org of
// that name here (a file from another deployment) is read by its name.
func (x partyOrgIndex) candidates(v string) []registry.PartyOrgRef {
	name, num := splitNumbered(v)
	if num == "" && strings.Trim(v, "0123456789") == "" {
		num = v
	}
	if num != "" {
		if id, err := strconv.ParseInt(num, 10, 64); err == nil {
			if r, ok := x.byID[id]; ok && (name == v || r.Name == name || r.ShortName == name) {
				return []registry.PartyOrgRef{r}
			}
		}
		if name == v {
			return nil // a bare number of no org in the scope
		}
	}
	if c := x.byName[name]; len(c) > 0 {
		return c
	}
	return x.byShort[name]
}

// resolve returns the id of the Party org named v, or a reason; for a name
// that several active Party orgs in the scope share, it also returns their
// ids. Street committees share names across districts (洛带街道综合党委):
// an ambiguous name is taken as the one in the row's district (region, ""
// for none) when exactly one is. dissolved is set when v names only
// dissolved orgs (a record may keep such a link: links.settle).
func (x partyOrgIndex) resolve(v, region string) (id int64, cands []int64, reason string) {
	all := x.candidates(v)
	var active []registry.PartyOrgRef
	for _, r := range all {
		if r.Active {
			active = append(active, r)
		}
	}
	if len(active) > 1 && len(region) >= 6 {
		var local []registry.PartyOrgRef
		for _, r := range active {
			if strings.HasPrefix(r.Region, region[:6]) {
				local = append(local, r)
			}
		}
		if len(local) == 1 {
			active = local
		}
	}
	switch {
	case len(all) == 0:
		return 0, nil, "党组织「" + v + "」不存在或不在您的管理范围内，请填写党组织全称或编号"
	case len(active) == 0:
		return 0, nil, dissolvedReason(v)
	case len(active) > 1:
		ids := make([]int64, len(active))
		for i, r := range active {
			ids[i] = r.ID
		}
		return 0, ids, ambiguous(v, len(active))
	}
	return active[0].ID, nil, ""
}

// numberMismatch refuses "全称（编号）" whose number is another Party org's:
// the numbers are this deployment's, and a file from elsewhere (or an old
// one) must not place records by a number that now means another org.
func numberMismatch(v, name, short string) string {
	n, num := splitNumbered(v)
	if num == "" || n == name || n == short {
		return ""
	}
	return "党组织编号「" + num + "」对应的是「" + name + "」，与所填名称「" + n + "」不符：请核对（编号是本系统的，其他系统导出的编号不能使用）"
}

// dissolvedReason refuses a dissolved Party org as a new link; a record
// already linked to it keeps it (links.settle), so that an unchanged row of
// an export imports unchanged.
func dissolvedReason(v string) string {
	return "党组织「" + v + "」已撤销：新登记或调整的记录应填写未撤销的党组织（组织关系仍在该党组织的党员，该格保持原值即可导入，请另行办理组织关系转接）"
}

func ambiguous(v string, n int) string {
	if name, num := splitNumbered(v); num != "" {
		return fmt.Sprintf("编号「%s」不是本系统中名为「%s」的党组织（编号是各系统自己的，其他系统导出的编号不能用），而该名称对应 %d 个党组织：请填写本系统的“全称（编号）”或只填编号", num, name, n)
	}
	return fmt.Sprintf("名称「%s」对应 %d 个党组织，请写作“全称（编号）”或只填党组织编号", v, n)
}

// links keeps the Party-org cells of the file whose name is ambiguous: once
// the records' current links are known, a name that matches the Party org
// a record is linked to now means that one (an edited export keeps its
// links); any other stays an error.
type links struct {
	pending  map[int]map[string][]int64 // row → column → candidates
	resolved map[int]map[string]int64
	// unknown holds names not found inside the scope (row → column → the
	// reason to report): an edited export names the record's current link,
	// which may lie outside the caller's scope (an organization seen through
	// its 行业 manager keeps its 属地 manager in another district).
	unknown map[int]map[string]string
}

// unresolved stands in for a Party org still to be settled, so that the rest
// of the row validates meanwhile; it is never written.
const unresolved = int64(1<<63 - 1)

func newLinks() *links {
	return &links{pending: map[int]map[string][]int64{}, resolved: map[int]map[string]int64{}, unknown: map[int]map[string]string{}}
}

// currentIDs lists the current links of the rows with unknown names, whose
// names settle needs.
func (l *links) currentIDs(current map[int][]int64) []int64 {
	var ids []int64
	for row := range l.unknown {
		ids = append(ids, current[row]...)
	}
	return ids
}

func put[V any](m map[int]map[string]V, row int, key string, v V) {
	if m[row] == nil {
		m[row] = map[string]V{}
	}
	m[row][key] = v
}

// settle resolves the pending cells of the rows whose records exist (current
// links by row, names the current links' names) and reports the rest: an
// ambiguous name that one current link has, or an unknown one that is the
// full name or number of a current link, keeps that link.
func (l *links) settle(current map[int][]int64, names map[int64]string, recs *rows, res *Result) {
	for row, cols := range l.unknown {
		for key, reason := range cols {
			rec := recs.get(row)
			v := rec.Get(key)
			if id, ok := currentNamed(v, current[row], names); ok {
				put(l.resolved, row, key, id)
				continue
			}
			res.addError(rec, xlsx.CellError{Column: key, Value: v, Reason: reason})
		}
	}
	for row, cols := range l.pending {
		for key, cands := range cols {
			if id, ok := common(cands, current[row]); ok {
				put(l.resolved, row, key, id)
				continue
			}
			rec := recs.get(row)
			res.addError(rec, xlsx.CellError{Column: key, Value: rec.Get(key), Reason: ambiguous(rec.Get(key), len(cands))})
		}
	}
}

// currentNamed finds among a record's current links the one a cell names:
// by full name or by number.
func currentNamed(v string, current []int64, names map[int64]string) (int64, bool) {
	_, num := splitNumbered(v)
	for _, id := range current {
		n := strconv.FormatInt(id, 10)
		if num != "" && num == n || num == "" && (names[id] == v || n == v) {
			return id, true
		}
	}
	return 0, false
}

func common(a, b []int64) (int64, bool) {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return x, true
			}
		}
	}
	return 0, false
}

// partyOrg sets *dst to the id of the Party org a present column names;
// an empty cell clears the link (0). An ambiguous name is resolved through
// l, or left pending (with a stand-in id so that the rest of the row
// validates).
func (c *cells) partyOrg(key string, x partyOrgIndex, region string, l *links, dst **int64) {
	v, ok := c.get(key)
	if !ok {
		return
	}
	var id int64
	if v != "" {
		if r, ok := l.resolved[c.rec.Row][key]; ok {
			*dst = &r
			return
		}
		var cands []int64
		var reason string
		switch id, cands, reason = x.resolve(v, region); {
		case cands != nil:
			put(l.pending, c.rec.Row, key, cands)
			id = cands[0]
		case reason != "" && (!x.has(v) || reason == dissolvedReason(v)):
			// Unknown inside the scope, or dissolved: right only as the
			// record's current link (settled once the keys are looked up).
			put(l.unknown, c.rec.Row, key, reason)
			id = unresolved
		case reason != "":
			c.fail(key, reason)
			return
		}
	}
	*dst = &id
}

// naturalKeys tracks the file's natural keys (USCC, ID number): rows of the
// file sharing one, and, once the file is read, keys held by records
// outside the caller's scope.
type naturalKeys struct {
	column, what string // the key's template column, and its name in messages
	first        map[string]int
	repeated     map[int][]int  // first row with a key → the later rows with it
	byRow        map[int]string // row → key, for the rows whose key is valid
}

func newNaturalKeys(column, what string) *naturalKeys {
	return &naturalKeys{column: column, what: what, first: map[string]int{}, repeated: map[int][]int{}, byRow: map[int]string{}}
}

// see records a row's key and fails its cell when an earlier row has it;
// the earlier row is reported by check, once the whole file is read.
func (k *naturalKeys) see(c *cells, key string) {
	row := c.rec.Row
	k.byRow[row] = key
	if prev, ok := k.first[key]; ok {
		k.repeated[prev] = append(k.repeated[prev], row)
		c.fail(k.column, fmt.Sprintf("文件中%s重复：与第 %d 行相同", k.what, prev))
		return
	}
	k.first[key] = row
}

// values are the file's valid keys, each once.
func (k *naturalKeys) values() []string {
	out := make([]string, 0, len(k.first))
	for key := range k.first {
		out = append(out, key)
	}
	return out
}

// check reports the first rows of repeated keys and the keys held outside
// the scope (outside is the reason: it says that, and nothing more about
// whose they are); it returns the current Party-org links of the rows whose
// records exist inside the scope, for links.settle.
func (k *naturalKeys) check(recs *rows, found map[string]store.ImportKey, outside string, res *Result) map[int][]int64 {
	return k.checkOutside(recs, found, outside, res, nil)
}

// checkOutside is check, telling seen each key found outside the scope.
func (k *naturalKeys) checkOutside(recs *rows, found map[string]store.ImportKey, outside string, res *Result, seen func(key string)) map[int][]int64 {
	current := map[int][]int64{}
	recs.each(func(rec xlsx.Record) {
		if later := k.repeated[rec.Row]; len(later) > 0 {
			res.addError(rec, xlsx.CellError{Column: k.column, Value: rec.Get(k.column), Reason: fmt.Sprintf("文件中%s重复：与第 %s 行相同", k.what, joinInts(later))})
		}
		key, ok := found[k.byRow[rec.Row]]
		switch {
		case ok && !key.InScope:
			res.addError(rec, xlsx.CellError{Column: k.column, Value: rec.Get(k.column), Reason: outside})
			if seen != nil {
				seen(k.byRow[rec.Row])
			}
		case ok:
			current[rec.Row] = key.Links
		}
	})
	return current
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "、")
}

// sortErrors puts the errors and the error copy's rows in row order (the
// database checks add theirs after the file was read).
func (r *Result) sortErrors() {
	sort.SliceStable(r.Errors, func(a, b int) bool { return r.Errors[a].Row < r.Errors[b].Row })
	sort.SliceStable(r.badRows, func(a, b int) bool { return r.badRows[a].Row < r.badRows[b].Row })
}
