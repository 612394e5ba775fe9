package registry

import (
	"context"
	"reflect"
	"strconv"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// The organizations' name search (issue 13) through the names' bigrams
// (organization_name_grams, migration 0026: gram, name, organization).
//
//   - A search whose rarest gram holds few organizations (≤ sparseGrams)
//     reads them and checks their names: the engine visits only those.
//   - A common word (成都: two names in three) searched by city staff with
//     no other filter walks its gram's rows in name order, the name in the
//     row, and counts them there — from the grams alone when they decide
//     (two characters). Walking the organizations' name index instead
//     passed every 四川… name before the first 成都….
//   - A common word in a narrower scope reads the scope's organizations
//     (a district's ten thousand) and checks their names.
//   - Anything else (other filters or sorts with a common word) keeps the
//     plain LIKE: correct, not indexed.

// sparseGrams is how many organizations a gram may hold for the search to
// start from them.
var sparseGrams = 3000

// nameSearch is how one search string selects organizations.
type nameSearch struct {
	cond string // on o: always correct
	args []any
	// byScope: a common word; a narrower scope is better read whole.
	byScope bool
	// gram (on g) and its arguments, when the whole tree's matches may be
	// walked in name order from the grams; verify: the name must be
	// checked too (longer than the two characters of one gram).
	gram     string
	gramArgs []any
	verify   bool
	like     string
}

// searchNames plans the search for q (trimmed, not empty): names
// containing it, or a USCC equal to it.
func (s *Store) searchNames(ctx context.Context, q string) (nameSearch, error) {
	like := store.LikeFolded(q)
	nameLike := s.db.D.ContainsFolded("o.name")
	var usccCond string
	var usccArgs []any
	if code := domain.NormalizeCode(q); len(code) == 18 {
		usccCond, usccArgs = " OR o.uscc = ?", []any{code}
	}
	nq := store.ParseNameQuery(q)
	grams := make([]string, 0, len(nq.Grams)+1)
	args := make([][]any, 0, len(nq.Grams)+1)
	if nq.From != "" {
		cond, a := "gram >= ?", []any{nq.From}
		if nq.To != "" {
			cond, a = cond+" AND gram < ?", append(a, nq.To)
		}
		grams, args = append(grams, cond), append(args, a)
	}
	for _, g := range nq.Grams {
		grams, args = append(grams, "gram = ?"), append(args, []any{g})
	}
	// The rarest gram, each counted up to the bound only.
	rarest, fewest := -1, sparseGrams+1
	for i, g := range grams {
		var n int
		err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM organization_name_grams WHERE `+g+` LIMIT `+strconv.Itoa(sparseGrams+1)+`) x`,
			args[i]...).Scan(&n)
		if err != nil {
			return nameSearch{}, err
		}
		if n < fewest {
			rarest, fewest = i, n
		}
	}
	if rarest >= 0 {
		ids, err := store.QueryInts(ctx, s.db.Pool(), `SELECT DISTINCT organization_id FROM organization_name_grams WHERE `+grams[rarest], args[rarest]...)
		if err != nil {
			return nameSearch{}, err
		}
		in := "1 = 0"
		if len(ids) > 0 {
			in = "o.id IN (" + store.JoinInts(ids) + ")"
		}
		return nameSearch{cond: "((" + in + " AND " + nameLike + ")" + usccCond + ")", args: append([]any{like}, usccArgs...)}, nil
	}
	ns := nameSearch{cond: "(" + nameLike + usccCond + ")", args: append([]any{like}, usccArgs...), byScope: true}
	if len(nq.Grams) > 0 && usccCond == "" {
		ns.gram, ns.gramArgs, ns.verify, ns.like = "g.gram = ?", []any{nq.Grams[0]}, !nq.Exact, like
	}
	return ns, nil
}

// listByName answers the whole tree's search of a common word, by name:
// the count and the page from the gram's rows alone, then the page's
// organizations.
func (s *Store) listByName(ctx context.Context, ns nameSearch, f OrganizationFilter) ([]OrganizationView, int, error) {
	from, args := ` FROM organization_name_grams g WHERE `+ns.gram, ns.gramArgs
	if ns.verify {
		from += ` AND ` + s.db.D.ContainsFolded("g.name")
		args = append(append([]any{}, args...), ns.like)
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	ids, err := store.QueryInts(ctx, s.db.Pool(), `SELECT g.organization_id`+from+` ORDER BY g.name, g.organization_id LIMIT ? OFFSET ?`,
		append(args, f.Limit(), f.Offset())...)
	if err != nil || len(ids) == 0 {
		return []OrganizationView{}, total, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+orgCols+OrgFrom+` WHERE o.id IN (`+store.JoinInts(ids)+`)`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	byID := make(map[int64]OrganizationView, len(ids))
	for rows.Next() {
		v, err := scanOrganization(rows)
		if err != nil {
			return nil, 0, err
		}
		byID[v.ID] = v
	}
	out := make([]OrganizationView, 0, len(ids))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
		}
	}
	return out, total, rows.Err()
}

// onlyName: the filter searches by name in name order and nothing else
// (whatever fields the filter gains, any one set makes it false).
func (f OrganizationFilter) onlyName() bool {
	if f.Sort != "" && f.Sort != "name" {
		return false
	}
	rest := f
	rest.Q, rest.Sort, rest.Page = "", "", store.Page{}
	return reflect.ValueOf(rest).IsZero()
}
