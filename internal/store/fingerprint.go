package store

import (
	"context"
	"fmt"
	"strings"
)

// Fingerprint sums up what the business tables hold, for tests that a
// refused request wrote nothing: the audit head's sequence, and per table
// its highest id (its row count where it has none), which any insert
// raises, and the sum of its versions, which every update raises.
type Fingerprint struct {
	AuditSeq int64
	Tables   string
}

// fingerprintTables are the tables a request may write, with whether they
// have an id and a version. Sessions, and the snapshots and ledgers that
// reads fill, are left out.
var fingerprintTables = []struct {
	name           string
	ids, versioned bool
}{
	{"party_orgs", true, true}, {"zones", true, true}, {"users", true, true}, {"organizations", true, true}, {"members", true, true},
	{"coverage_assignments", true, true}, {"activities", true, true}, {"alert_rules", false, true}, {"alerts", true, true},
	{"secretary_filings", true, true}, {"term_changes", true, true},
	{"history", true, false}, {"user_roles", false, false}, {"settings", false, false}, {"party_org_covers", false, false},
	{"import_jobs", true, false}, {"monthly_themes", true, false}, {"activity_hosts", false, false}, {"attendances", true, false},
	{"activity_attachments", true, false}, {"member_activations", false, false}, {"alert_events", true, false},
	{"elections", true, false}, {"party_org_terms", true, false},
}

// Fingerprint reads the current fingerprint in one query.
func (s *DB) Fingerprint(ctx context.Context) (Fingerprint, error) {
	var f Fingerprint
	if err := s.QueryRow(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&f.AuditSeq); err != nil {
		return f, err
	}
	selects := make([]string, 0, len(fingerprintTables))
	for _, t := range fingerprintTables {
		rows, sum := "COUNT(*)", "0"
		if t.ids {
			rows = "COALESCE(MAX(id), 0)"
		}
		if t.versioned {
			sum = "COALESCE(SUM(version), 0)"
		}
		selects = append(selects, `SELECT '`+t.name+`', `+rows+`, `+sum+` FROM `+t.name)
	}
	rows, err := s.QueryRows(ctx, strings.Join(selects, " UNION ALL "))
	if err != nil {
		return f, err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var name string
		var n, v int64
		if err := rows.Scan(&name, &n, &v); err != nil {
			return f, err
		}
		fmt.Fprintf(&b, "%s=%d/%d ", name, n, v)
	}
	f.Tables = b.String()
	return f, rows.Err()
}

// AuditSeq is the audit head's sequence: the number of audit records.
func (s *DB) AuditSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.QueryRow(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq)
	return seq, err
}
