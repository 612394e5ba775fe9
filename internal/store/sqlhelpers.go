package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// subtreeBounds is the path range of a Party org's subtree; an unknown id
// gives an empty range (the caller's scope applies besides).
func (s *DB) SubtreeBounds(ctx context.Context, id int64) (string, string, error) {
	var path string
	if err := s.QueryRow(ctx, `SELECT path FROM party_orgs WHERE id = ?`, id).Scan(&path); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	lo, hi := Scope{Path: path}.Bounds()
	return lo, hi, nil
}

// bulkInsert writes rows with multi-row INSERTs of batch rows each.
func BulkInsert(ctx context.Context, t *Tx, head, row string, n, batch int, args func(i int) []any) error {
	for i := 0; i < n; i += batch {
		end := min(i+batch, n)
		var sb strings.Builder
		sb.WriteString(head)
		var all []any
		for j := i; j < end; j++ {
			if j > i {
				sb.WriteString(",")
			}
			sb.WriteString(row)
			all = append(all, args(j)...)
		}
		if _, err := t.Exec(ctx, sb.String(), all...); err != nil {
			return err
		}
	}
	return nil
}

// eachByID walks batches fetched after the last id seen until one is empty.
func EachByID[T any](fetch func(after int64) ([]T, error), id func(T) int64, fn func(T) error) error {
	for after := int64(0); ; {
		items, err := fetch(after)
		if err != nil || len(items) == 0 {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		after = id(items[len(items)-1])
	}
}

func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// chunks splits ids into slices of at most n; nil gives one nil chunk (all).
func Chunks(ids []int64, n int) [][]int64 {
	if ids == nil {
		return [][]int64{nil}
	}
	var out [][]int64
	for len(ids) > 0 {
		k := min(n, len(ids))
		out = append(out, ids[:k])
		ids = ids[k:]
	}
	return out
}

// idList renders "IN (?, ?, …)" arguments for ids; "" for all.
func IDList(col string, ids []int64) (string, []any) {
	if ids == nil {
		return "", nil
	}
	return " WHERE " + col + " IN (" + Placeholders(len(ids)) + ")", Anys(ids)
}

// pathUpper is the SQL for the exclusive upper bound of a subtree's paths.
func PathUpper(col string) string {
	return "substr(" + col + ", 1, length(" + col + ") - 1) || '0'"
}

func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// orderBy maps a whitelisted sort key ("name", "-name") to SQL; unknown keys
// fall back to def (the API rejects them before they get here).
func OrderBy(key string, allowed map[string]string, def string) string {
	desc := strings.HasPrefix(key, "-")
	col, ok := allowed[strings.TrimPrefix(key, "-")]
	if !ok {
		col = def
	}
	// Paths are unique: no tie-breaker, so that the path index yields the
	// order without a sort. Other keys break ties by id for stable pages.
	tie := ", p.id"
	if col == "p.path" || col == "p.id" {
		tie = ""
	}
	if desc {
		return col + " DESC" + strings.ReplaceAll(tie, "id", "id DESC")
	}
	return col + tie
}

func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NamesByID reads the name column of table's rows with the given ids, 500
// ids a statement. table is the code's own constant, never input.
func (s *DB) NamesByID(ctx context.Context, table string, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, chunk := range Chunks(ids, 500) {
		if len(chunk) == 0 {
			continue
		}
		cond, args := IDList("id", chunk)
		rows, err := s.QueryRows(ctx, `SELECT id, name FROM `+table+cond, args...)
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

// JoinInts writes ids as a comma-separated SQL list (ids the store read
// itself: never text from outside).
func JoinInts(ids []int64) string {
	b := make([]byte, 0, len(ids)*8)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// QueryInts reads the one integer column of a query's rows.
func QueryInts(ctx context.Context, q Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
