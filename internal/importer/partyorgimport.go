package importer

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// PartyOrgTemplate is the layout of the 党组织 workbook. A row is a node of
// the tree: an existing one when it carries its number (an export does),
// else the active child of its parent with the same name when there is one,
// else a new node. Parents may be rows of the same file, in any order.
var PartyOrgTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "number", Header: "党组织编号", Width: 12, Help: "本系统中的编号：修改已有的党组织时保留（导出的文件已填写）；新建的党组织留空"},
	{Key: "name", Header: "党组织全称", Required: true, Width: 34},
	{Key: "short_name", Header: "简称", Width: 16},
	{Key: "type", Header: "党组织类型", Required: true, Options: partyOrgTypeNames()},
	{Key: "parent", Header: "上级党组织", Width: 34, Help: "上级的全称或编号，重名时写作“全称（编号）”（导出即如此）；可以是本文件中的另一行（写其全称），各行顺序不限；导入不调整已有党组织的上级，请在党组织页面操作"},
	{Key: "region", Header: "所在区划代码", Required: true, Width: 14, Help: "区(市)县6位或镇(街道)9位代码，须在您的管理范围内"},
	{Key: "founded_on", Header: "成立日期", Type: xlsx.Date},
	{Key: "secretary_name", Header: "书记姓名"},
	{Key: "term_start", Header: "本届任期开始日期", Type: xlsx.Date},
	{Key: "term_years", Header: "任期年限", Type: xlsx.Number, Help: "3至5年；留空为该类型的默认年限（党委5年，党总支、党支部3年）"},
}}

func partyOrgTypeNames() []string {
	out := make([]string, len(domain.PartyOrgTypes))
	for i, t := range domain.PartyOrgTypes {
		out[i] = t.Name
	}
	return out
}

func partyOrgTypeOf(name string) (domain.PartyOrgType, bool) {
	for _, t := range domain.PartyOrgTypes {
		if t.Name == name || string(t.Code) == name {
			return t.Code, true
		}
	}
	return "", false
}

// ExportPartyOrgs streams the active Party orgs inside the caller's scope
// (parents first) into a workbook laid out as PartyOrgTemplate.
func ExportPartyOrgs(ctx context.Context, s *stores.Set, c store.Caller, f registry.PartyOrgFilter, w io.Writer) (int, error) {
	sw, err := xlsx.NewStreamWriter(w, PartyOrgTemplate, "党组织")
	if err != nil {
		return 0, err
	}
	named, err := newOrgNamer(ctx, s)
	if err != nil {
		return 0, err
	}
	err = s.Registry.EachPartyOrg(ctx, c.Scope, f, func(o registry.PartyOrgView) error {
		var years any
		if o.TermYears > 0 {
			years = o.TermYears
		}
		return sw.Write([]any{o.ID, o.Name, o.ShortName, o.Type.Name(), named.of(o.ParentID, o.ParentName), o.Region,
			string(o.FoundedOn), o.SecretaryName, string(o.TermStart), years})
	})
	if err != nil {
		return sw.Rows(), err
	}
	if err := sw.Close(); err != nil {
		return sw.Rows(), err
	}
	return sw.Rows(), auditExport(ctx, s, c, "party_org", sw.Rows(), false)
}

// partyOrgImport imports the Party-org tree. Its references are settled
// once the whole file is read (checkKeys): each row's node (target) and
// parent, the file's order (parents first), and the rows that cannot be
// written because their parent cannot.
type partyOrgImport struct {
	s       *stores.Set
	c       store.Caller
	regions map[string]bool
	within  store.RegionRule
	numbers *naturalKeys
	nodes   map[int64]registry.PartyOrgNode
	// The active nodes by full and by short name.
	byName, byShort map[string][]int64
	// Settled by checkKeys, by sheet row.
	target    map[int]int64 // the existing node a row updates
	parentID  map[int]int64 // an existing parent
	parentRow map[int]int   // a parent that is a row of the file
	depth     map[int]int   // rows above it in the file: the write order
	types     map[int]string
	// made holds the ids of the nodes created so far, by row: a child
	// written in a later batch finds its new parent there.
	made map[int]int64
}

func newPartyOrgImport(ctx context.Context, s *stores.Set, c store.Caller, _ Options) (rowImporter, error) {
	regions, err := s.Registry.RegionCodes(ctx)
	if err != nil {
		return nil, err
	}
	within, err := s.RegionRuleFor(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	list, err := s.Registry.PartyOrgNodes(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	nodes := make(map[int64]registry.PartyOrgNode, len(list))
	byName, byShort := map[string][]int64{}, map[string][]int64{}
	for _, n := range list {
		nodes[n.ID] = n
		if n.Active {
			byName[n.Name] = append(byName[n.Name], n.ID)
			if n.ShortName != "" {
				byShort[n.ShortName] = append(byShort[n.ShortName], n.ID)
			}
		}
	}
	return &partyOrgImport{s: s, c: c, regions: regions, within: within, numbers: newNaturalKeys("number", "党组织编号"), nodes: nodes, byName: byName, byShort: byShort,
		target: map[int]int64{}, parentID: map[int]int64{}, parentRow: map[int]int{}, depth: map[int]int{}, types: map[int]string{}, made: map[int]int64{}}, nil
}

var partyOrgFieldColumns = map[string]string{"parent_id": "parent", "term_end": "term_years", "status": "number", "version": "number"}

func (im *partyOrgImport) columnOf(field string) string {
	if c, ok := partyOrgFieldColumns[field]; ok {
		return c
	}
	if PartyOrgTemplate.Index(field) >= 0 {
		return field
	}
	return ""
}

// input converts a row into the input of a save: present columns only.
func (im *partyOrgImport) input(rec xlsx.Record) (domain.PartyOrgInput, *cells) {
	c := newCells(PartyOrgTemplate, rec)
	var in domain.PartyOrgInput
	for _, t := range []struct {
		key string
		dst **string
	}{{"name", &in.Name}, {"short_name", &in.ShortName}, {"founded_on", &in.FoundedOn}, {"secretary_name", &in.SecretaryName}, {"term_start", &in.TermStart}} {
		c.text(t.key, t.dst)
	}
	if v, ok := c.get("type"); ok {
		if t, found := partyOrgTypeOf(v); found {
			s := string(t)
			in.Type = &s
		} else {
			c.fail("type", "不是可选的党组织类型，可选："+strings.Join(partyOrgTypeNames(), "、"))
		}
	}
	if v, ok := c.get("region"); ok {
		v = domain.NormalizeRegionCode(v)
		if !im.regions[v] {
			c.fail("region", regionProblem(v))
		} else {
			in.Region = &v
		}
	}
	if v, ok := c.get("term_years"); ok && v != "" {
		if n, err := strconv.Atoi(v); err != nil {
			c.fail("term_years", "任期年限应为整数（3至5）")
		} else {
			in.TermYears = &n
		}
	}
	return in, c
}

// number is a row's 党组织编号, 0 for none (or a bad one, reported by check).
func number(rec xlsx.Record) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(rec.Get("number")), 10, 64)
	return n
}

func (im *partyOrgImport) check(rec xlsx.Record) []xlsx.CellError {
	in, c := im.input(rec)
	if v, ok := c.get("number"); ok && v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
			c.fail("number", "党组织编号应为本系统中的数字编号；新建的党组织请留空")
		} else {
			im.numbers.see(c, v)
		}
	}
	o := domain.NewPartyOrg(in)
	c.validation(o.Validate(im.c.Now), im.columnOf)
	return append(rec.Errors, c.errs...)
}

// checkKeys settles the file's tree: every row's node and parent, checked
// against the tree inside the caller's scope and against each other.
func (im *partyOrgImport) checkKeys(ctx context.Context, recs *rows, res *Result) error {
	fail := func(rec xlsx.Record, key, reason string) {
		if len(res.cellErr[rec.Row]) == 0 || !hasColumn(res.cellErr[rec.Row], key) {
			res.addError(rec, xlsx.CellError{Column: key, Value: rec.Get(key), Reason: reason})
		}
	}
	byRow := map[int]xlsx.Record{}
	byNumber := map[int64]int{}
	byName := map[string][]int{}
	var order []int
	recs.each(func(rec xlsx.Record) {
		byRow[rec.Row] = rec
		im.types[rec.Row] = rec.Get("type")
		order = append(order, rec.Row)
		if n := number(rec); n > 0 {
			byNumber[n] = rec.Row
			node, ok := im.nodes[n]
			switch {
			case !ok:
				fail(rec, "number", fmt.Sprintf("党组织编号「%d」不存在或不在您的管理范围内；新建的党组织请留空编号", n))
			case !node.Active:
				fail(rec, "number", fmt.Sprintf("党组织编号「%d」对应的党组织已撤销，不能通过导入修改", n))
			default:
				im.target[rec.Row] = n
			}
		}
		byName[rec.Get("name")] = append(byName[rec.Get("name")], rec.Row)
	})
	// Names the current parents of the file's existing nodes, which may lie
	// above the scope (a district's own work committee's parent).
	var parents []int64
	for _, id := range im.target {
		if p := im.nodes[id].ParentID; p != 0 {
			parents = append(parents, p)
		}
	}
	parentNames, err := im.s.Registry.PartyOrgNames(ctx, parents)
	if err != nil {
		return err
	}
	for _, row := range order {
		im.resolveParent(byRow[row], byNumber, byName, parentNames, fail)
	}
	im.settleTree(order, byRow, res, fail)
	return nil
}

// otherRows are rows without row.
func otherRows(rows []int, row int) []int {
	var out []int
	for _, r := range rows {
		if r != row {
			out = append(out, r)
		}
	}
	return out
}

func hasColumn(errs []xlsx.CellError, key string) bool {
	for _, e := range errs {
		if e.Column == key {
			return true
		}
	}
	return false
}

// resolveParent finds what a row's 上级党组织 cell names: a row of the file
// (by number, or by a full name only one row bears), else an active Party
// org inside the scope; for an existing node, its current parent named by
// full name or number (which may lie outside the scope) stays.
func (im *partyOrgImport) resolveParent(rec xlsx.Record, byNumber map[int64]int, byName map[string][]int, parentNames map[int64]string, fail func(xlsx.Record, string, string)) {
	v := strings.TrimSpace(rec.Get("parent"))
	current := int64(0)
	if id, ok := im.target[rec.Row]; ok {
		current = im.nodes[id].ParentID
	}
	if v == "" {
		if _, ok := im.target[rec.Row]; ok && current == 0 {
			return // the tree's root keeps having no parent
		}
		// A row without a number or parent naming the tree's root (the city
		// work committee the first account created) is that root.
		for _, id := range im.byName[rec.Get("name")] {
			if _, ok := im.target[rec.Row]; !ok && im.nodes[id].ParentID == 0 {
				im.target[rec.Row] = id
				return
			}
		}
		fail(rec, "parent", "请填写上级党组织（全称或编号）")
		return
	}
	if current != 0 {
		if _, num := splitNumbered(v); num == strconv.FormatInt(current, 10) || num == "" && (v == parentNames[current] || v == strconv.FormatInt(current, 10)) {
			im.parentID[rec.Row] = current
			return
		}
	}
	name, num := splitNumbered(v)
	if num == "" && strings.Trim(v, "0123456789") == "" {
		num = v
	}
	if num != "" {
		n, _ := strconv.ParseInt(num, 10, 64)
		if row, ok := byNumber[n]; ok && row != rec.Row {
			im.parentRow[rec.Row] = row
			return
		}
		if node, ok := im.nodes[n]; ok && node.Active && numberMismatch(v, node.Name, node.ShortName) == "" {
			im.parentID[rec.Row] = n
			return
		}
		if name == v {
			fail(rec, "parent", fmt.Sprintf("上级党组织编号「%s」不存在、已撤销或不在您的管理范围内", num))
			return
		}
		// "全称（编号）" whose number is no org of that name here (another
		// deployment's export): read by the name, as below.
	}
	others := otherRows(byName[name], rec.Row)
	switch len(others) {
	case 1:
		im.parentRow[rec.Row] = others[0]
		return
	case 0:
	default:
		fail(rec, "parent", fmt.Sprintf("文件中有 %d 行名为「%s」的党组织，无法确定上级；请填写上级的编号，或先导入上级再用“全称（编号）”", len(others), name))
		return
	}
	cands := im.byName[name]
	if len(cands) == 0 {
		cands = im.byShort[name]
	}
	if len(cands) > 1 {
		// Street committees share names across districts: the one in the
		// row's district, when exactly one is.
		region := rec.Get("region")
		var local []int64
		for _, id := range cands {
			if len(region) >= 6 && strings.HasPrefix(im.nodes[id].Region, region[:6]) {
				local = append(local, id)
			}
		}
		if len(local) == 1 {
			cands = local
		}
	}
	switch len(cands) {
	case 1:
		im.parentID[rec.Row] = cands[0]
	case 0:
		fail(rec, "parent", "上级党组织「"+v+"」不存在、已撤销或不在您的管理范围内，请填写全称或编号")
	default:
		fail(rec, "parent", ambiguous(v, len(cands)))
	}
}

// settleTree orders the rows parents first, finds the existing node of a
// row without a number (its parent's active child of the same name), and
// refuses cycles, parents changed through the file, types that may not sit
// under their parent, regions outside the caller's district, and the rows
// whose parent row has an error.
func (im *partyOrgImport) settleTree(order []int, byRow map[int]xlsx.Record, res *Result, fail func(xlsx.Record, string, string)) {
	children := map[int64]map[string]int64{} // existing parent → active child's name → id
	for id, n := range im.nodes {
		if n.Active && n.ParentID != 0 {
			if children[n.ParentID] == nil {
				children[n.ParentID] = map[string]int64{}
			}
			children[n.ParentID][n.Name] = id
		}
	}
	state := map[int]int{} // 0 unvisited, 1 on the path, 2 done
	seenChild := map[string]int{}
	var visit func(row int) int
	visit = func(row int) int {
		switch state[row] {
		case 1:
			return -1
		case 2:
			return im.depth[row]
		}
		state[row] = 1
		rec := byRow[row]
		d := 0
		if p, ok := im.parentRow[row]; ok {
			pd := visit(p)
			if pd < 0 {
				fail(rec, "parent", fmt.Sprintf("上级党组织关系成环（第 %d 行与第 %d 行互为上下级），请检查“上级党组织”列", row, p))
				state[row], im.depth[row] = 2, 0
				return -1
			}
			d = pd + 1
			if t, ok := im.target[p]; ok {
				// The parent row is an existing node: link to it directly.
				delete(im.parentRow, row)
				im.parentID[row] = t
			} else if len(res.cellErr[p]) > 0 {
				fail(rec, "parent", fmt.Sprintf("上级党组织（第 %d 行）有错误，本行随之不能导入", p))
			}
		}
		im.depth[row] = d
		state[row] = 2
		// A row without a number is the existing active child of the same
		// name, when its parent exists and has one.
		if _, ok := im.target[row]; !ok && number(rec) == 0 {
			if pid, ok := im.parentID[row]; ok {
				if id, ok := children[pid][rec.Get("name")]; ok {
					im.target[row] = id
				}
			}
		}
		im.checkRow(rec, res, seenChild, fail)
		return d
	}
	for _, row := range order {
		visit(row)
	}
}

// checkRow checks a row whose node and parent are settled.
func (im *partyOrgImport) checkRow(rec xlsx.Record, res *Result, seenChild map[string]int, fail func(xlsx.Record, string, string)) {
	row := rec.Row
	typ, _ := partyOrgTypeOf(rec.Get("type"))
	parentType := domain.PartyOrgType("")
	switch {
	case im.parentID[row] != 0:
		parentType = im.nodes[im.parentID[row]].Type
	case im.parentRow[row] != 0:
		parentType, _ = partyOrgTypeOf(im.types[im.parentRow[row]])
	}
	if id, ok := im.target[row]; ok {
		node := im.nodes[id]
		if p := im.parentID[row]; p != 0 && p != node.ParentID || im.parentRow[row] != 0 {
			fail(rec, "parent", "导入不调整已有党组织的上级；如需调整，请在党组织页面使用“调整上级”")
		}
		if typ != "" && typ != node.Type && node.ParentID != 0 {
			parentType = im.nodes[node.ParentID].Type
		}
	} else {
		key := fmt.Sprintf("%d/%d/%s", im.parentID[row], im.parentRow[row], rec.Get("name"))
		if first, ok := seenChild[key]; ok {
			fail(rec, "name", fmt.Sprintf("文件中同一上级下的党组织重名：与第 %d 行相同", first))
		} else {
			seenChild[key] = row
		}
	}
	if typ != "" && parentType != "" && !typ.CanHaveParent(parentType) {
		fail(rec, "type", typ.Name()+"不能设在"+parentType.Name()+"之下")
	}
	if v := domain.NormalizeRegionCode(rec.Get("region")); v != "" && im.regions[v] && !im.within.Allows(v) {
		if id, ok := im.target[row]; !ok || im.nodes[id].Region != v {
			fail(rec, "region", "区划代码「"+v+"」不在您的管理范围（"+im.within.District.Name+"）内")
		}
	}
}

// order writes parents before their children: by depth in the file, then
// in file order.
func (im *partyOrgImport) order(recs *rows, good []int) []int {
	out := append([]int(nil), good...)
	sort.SliceStable(out, func(a, b int) bool { return im.depth[recs.row[out[a]]] < im.depth[recs.row[out[b]]] })
	return out
}

func (im *partyOrgImport) write(ctx context.Context, b store.ImportBatch, recs []xlsx.Record) (store.BatchResult, error) {
	rows := make([]registry.ImportPartyOrgRow, len(recs))
	for i, rec := range recs {
		in, _ := im.input(rec)
		rows[i] = registry.ImportPartyOrgRow{Row: rec.Row, ID: im.target[rec.Row], ParentID: im.parentID[rec.Row], ParentRow: im.parentRow[rec.Row], In: in}
	}
	return im.s.Registry.ImportPartyOrgRows(ctx, im.c, b, rows, im.made)
}
