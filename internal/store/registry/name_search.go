package registry

import (
	"context"
	"strconv"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// The organizations' name search (issue 13) through the names' bigrams
// (organization_name_grams, migration 0026). A search whose rarest gram
// holds few organizations reads them and checks their names: the engine
// then visits only those. A search of a common word (成都: two names in
// three) keeps the plain LIKE, under which the list walks the name index
// and stops after its page; its count then comes from the grams alone when
// they decide (two characters, the whole tree, no other filter), instead
// of testing every name.

// sparseGrams is how many organizations a gram may hold for the search to
// start from them.
var sparseGrams = 3000

// nameSearch is how one search string selects organizations.
type nameSearch struct {
	cond string // on o, for the page and the count
	args []any
	// count, when set, counts the matches of the whole tree without any
	// other condition.
	count     string
	countArgs []any
}

// searchNames plans the search for q (trimmed, not empty): names
// containing it, or a USCC equal to it.
func (s *Store) searchNames(ctx context.Context, q string) (nameSearch, error) {
	like := "%" + store.EscapeLike(q) + "%"
	nameLike := "o.name " + s.db.D.Like() + " ? ESCAPE '\\'"
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
	// The rarest gram, counting each up to the bound only.
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
	ns := nameSearch{cond: "(" + nameLike + usccCond + ")", args: append([]any{like}, usccArgs...)}
	if nq.Exact {
		ns.count = `SELECT COUNT(DISTINCT organization_id) FROM organization_name_grams WHERE ` + grams[0]
		if nq.From == "" {
			ns.count = `SELECT COUNT(*) FROM organization_name_grams WHERE ` + grams[0]
		}
		ns.countArgs = args[0]
		if usccCond != "" {
			ns.count = `SELECT (` + ns.count + `) + (SELECT COUNT(*) FROM organizations o WHERE o.uscc = ? AND NOT ` + nameLike + `)`
			ns.countArgs = append(append(append([]any{}, ns.countArgs...), usccArgs...), like)
		}
	}
	return ns, nil
}
