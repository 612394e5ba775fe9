package store

import "strings"

// Page is the paging of a list (DESIGN §6: page_size at most 200).
type Page struct {
	Number int // 1-based
	Size   int
}

// MaxPageSize bounds page_size.
const MaxPageSize = 200

// Limit returns the SQL LIMIT.
func (p Page) Limit() int {
	if p.Size <= 0 {
		return 50
	}
	if p.Size > MaxPageSize {
		return MaxPageSize
	}
	return p.Size
}

// Offset returns the SQL OFFSET.
func (p Page) Offset() int {
	if p.Number <= 1 {
		return 0
	}
	return (p.Number - 1) * p.Limit()
}

// whereClause joins conditions with AND; none gives no WHERE at all, so
// that SQLite can answer a bare COUNT(*) from the table's b-tree.
func WhereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}
