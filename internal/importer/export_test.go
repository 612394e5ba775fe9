package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
	"github.com/lianxin/lianxin/internal/xlsx"
)

var now = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func loaded(t testing.TB, s *stores.Set) gen.Result {
	t.Helper()
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 1, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	if err := s.Bulk.LoadDataset(context.Background(), store.System(now, "test"), res.Dataset, "test"); err != nil {
		t.Fatal(err)
	}
	return res
}

// readBack reads an exported workbook with the import reader, as a person's
// edited export would be read.
func readBack(t *testing.T, b []byte, tpl xlsx.Template) []xlsx.Record {
	t.Helper()
	wb, err := xlsx.Open(bytes.NewReader(b), int64(len(b)), xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	var out []xlsx.Record
	if err := sh.ReadRows(tpl, func(_ int, r xlsx.Record) error {
		if len(r.Errors) > 0 {
			t.Errorf("exported row %d does not read back cleanly: %+v", r.Row, r.Errors)
		}
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportsReadBackAsImports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		res := loaded(t, s)
		c := store.System(now, "test")

		var buf bytes.Buffer
		n, err := ExportOrganizations(ctx, s, c, registry.OrganizationFilter{}, &buf)
		if err != nil || n != len(res.Organizations) {
			t.Fatalf("exported %d of %d: %v", n, len(res.Organizations), err)
		}
		rows := readBack(t, buf.Bytes(), OrganizationTemplate)
		if len(rows) != n || rows[0].Get("uscc") != res.Organizations[0].USCC || rows[0].Get("area_manager") == "" {
			t.Fatalf("read back %d rows, first %v", len(rows), rows[0].Values)
		}

		buf.Reset()
		n, err = ExportMembers(ctx, s, c, members.MemberFilter{}, false, &buf)
		if err != nil || n != len(res.Members) {
			t.Fatalf("exported %d of %d members: %v", n, len(res.Members), err)
		}
		for _, m := range res.Members[:50] {
			if bytes.Contains(buf.Bytes(), []byte(m.IDNumber)) {
				t.Fatal("a masked export contains a plain ID number")
			}
		}
		masked := readBack(t, buf.Bytes(), MemberTemplate)
		if id := masked[0].Get("id_number"); !strings.Contains(id, "********") {
			t.Fatalf("masked export has %q", id)
		}

		buf.Reset()
		if _, err := ExportMembers(ctx, s, c, members.MemberFilter{}, true, &buf); err != nil {
			t.Fatal(err)
		}
		plain := readBack(t, buf.Bytes(), MemberTemplate)
		if plain[0].Get("id_number") != res.Members[0].IDNumber {
			t.Fatalf("revealed export has %q, want %q", plain[0].Get("id_number"), res.Members[0].IDNumber)
		}
		evs, _, err := s.ListAudit(ctx, store.AuditFilter{Action: "export"})
		if err != nil || len(evs) != 3 || !strings.Contains(evs[0].Reason, "明文") || strings.Contains(evs[1].Reason, "明文") {
			t.Fatalf("export audit %+v %v", evs, err)
		}
	})
}

// TestExportRespectsScope: a district exports only what it may see.
func TestExportRespectsScope(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	res := loaded(t, s)
	var jj string
	for _, o := range res.PartyOrgs {
		if o.Name == "中共成都市锦江区委两新工委" {
			jj = o.Path
		}
	}
	c := store.System(now, "test")
	c.Scope = store.Scope{Path: jj}
	var buf bytes.Buffer
	n, err := ExportOrganizations(context.Background(), s, c, registry.OrganizationFilter{}, &buf)
	if err != nil || n == 0 || n >= len(res.Organizations)/5 {
		t.Fatalf("锦江区 exported %d of %d: %v", n, len(res.Organizations), err)
	}
	for _, r := range readBack(t, buf.Bytes(), OrganizationTemplate) {
		if !strings.HasPrefix(r.Get("region"), "510104") {
			t.Fatalf("锦江区 export holds an organization in %s", r.Get("region"))
		}
	}
}
