package store

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
)

// Change is one field's change in a history entry.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// HistoryEntry is one change of a record, for staff to read.
type HistoryEntry struct {
	ID       int64             `json:"id"`
	At       string            `json:"at"`
	Action   string            `json:"action"`
	Username string            `json:"username"`
	Changes  map[string]Change `json:"changes"`
}

// diff lists the JSON fields that differ between two states of a record
// (a struct; pass the zero value as before for a creation).
func Diff(before, after any) map[string]Change {
	out := map[string]Change{}
	bv, av := reflect.ValueOf(before), reflect.ValueOf(after)
	typ := bv.Type()
	for i := 0; i < typ.NumField(); i++ {
		name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		switch name {
		case "", "-", "created_at", "updated_at", "version", "uscc_warnings":
			continue
		}
		bj, _ := json.Marshal(bv.Field(i).Interface())
		aj, _ := json.Marshal(av.Field(i).Interface())
		if string(bj) != string(aj) {
			out[name] = Change{From: json.RawMessage(bj), To: json.RawMessage(aj)}
		}
	}
	return out
}

// addHistory records the fields that changed between before and after.
func (s *DB) AddHistory(ctx context.Context, t *Tx, c Caller, objectType string, id int64, action string, before, after any) error {
	b, err := json.Marshal(Diff(before, after))
	if err != nil {
		return err
	}
	_, err = t.Exec(ctx, `INSERT INTO history (object_type, object_id, at, user_id, username, action, changes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		objectType, id, TS(c.Now), NullInt(c.Actor.UserID), c.Actor.Username, action, string(b))
	return err
}

// history returns a record's changes, newest first (the caller checks scope).
func (s *DB) History(ctx context.Context, objectType string, id int64) ([]HistoryEntry, error) {
	rows, err := s.QueryRows(ctx, `SELECT id, at, action, username, changes FROM history WHERE object_type = ? AND object_id = ? ORDER BY id DESC LIMIT 200`, objectType, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []HistoryEntry{}
	for rows.Next() {
		var h HistoryEntry
		var changes string
		if err := rows.Scan(&h.ID, &h.At, &h.Action, &h.Username, &changes); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(changes), &h.Changes); err != nil {
			return nil, err
		}
		h.At = ParseTS(h.At).Format("2006-01-02T15:04:05Z")
		out = append(out, h)
	}
	return out, rows.Err()
}
