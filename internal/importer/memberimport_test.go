package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// TestMemberRowNeedsPartyOrgOrEmployer: a row placed neither by a Party org
// nor by an employer is refused in the Party org's column, in the words the
// form and the API use (domain.PartyOrgOrEmployerMessage); either one is
// enough.
func TestMemberRowNeedsPartyOrgOrEmployer(t *testing.T) {
	refs := []registry.PartyOrgRef{{ID: 1, Name: "锦江区商务楼宇综合党委", Region: "510104", Active: true}}
	id := domain.MakeIDNumber("510104", time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC), 7, true)
	for _, c := range []struct {
		name, org, employer string
		refused             bool
	}{
		{"neither", "", "", true},
		{"a Party org", "锦江区商务楼宇综合党委", "", false},
		{"an employer", "", "91510104MA6C00001J", false},
		{"both", "锦江区商务楼宇综合党委", "91510104MA6C00001J", false},
	} {
		im := &memberImport{c: store.System(now, "test"), orgs: newPartyOrgIndex(refs), keys: newNaturalKeys("id_number", "公民身份号码"),
			employers: map[string]int64{}, links: newLinks()}
		row := memberRow(id, "张一", c.org)
		row[MemberTemplate.Index("employer_uscc")] = c.employer
		var got []xlsx.CellError
		for _, e := range im.check(xlsx.RecordOf(MemberTemplate, 2, row)) {
			if e.Column == "party_org" {
				got = append(got, e)
			}
		}
		switch {
		case c.refused && (len(got) != 1 || got[0].Reason != domain.PartyOrgOrEmployerMessage):
			t.Errorf("%s: want %q in the Party org's column, got %+v", c.name, domain.PartyOrgOrEmployerMessage, got)
		case !c.refused && len(got) != 0:
			t.Errorf("%s: refused %+v", c.name, got)
		}
	}
}

// TestMemberIDTurnedIntoNumber: an ID number that the spreadsheet stored as
// a number is refused with what happened and how to fix it, whatever its
// rounded digits would say; nothing is written.
func TestMemberIDTurnedIntoNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		f := excelize.NewFile()
		defer f.Close()
		header := make([]any, len(MemberTemplate.Columns))
		for i, h := range MemberTemplate.Headers() {
			header[i] = h
		}
		row := make([]any, len(MemberTemplate.Columns))
		for i, v := range memberRow("", "张数字", jjManager) {
			row[i] = v
		}
		row[MemberTemplate.Index("id_number")] = float64(510104199003070015)
		for i, r := range [][]any{header, row} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		before := countMembers(t, s)
		res, err := Import(ctx, s, jinjiang(t, data), writeTemp(t, buf.Bytes()), Options{Kind: KindMembers})
		if err != nil || res.Status != importjobs.ImportRejected || len(res.Errors) != 1 || countMembers(t, s) != before {
			t.Fatalf("numeric ID number: %s %v", summary(res), err)
		}
		e := res.Errors[0]
		if e.Header != "公民身份号码" || !strings.Contains(e.Reason, "15位") || !strings.Contains(e.Reason, "设为“文本”") || strings.Contains(e.Reason, "应为18位") {
			t.Errorf("the reason does not say what happened and how to fix it: %+v", e)
		}
	})
}

// TestMemberExportNamesPartyOrgsUnambiguously: every Party org of a members
// export names exactly one Party org of the deployment (full name, or
// "全称（编号）" when the name repeats); a new member placed in a dissolved
// Party org is refused, while the members it still holds import unchanged
// (TestExportImportRoundTrip).
func TestMemberExportNamesPartyOrgsUnambiguously(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		sys := store.System(now, "test")
		var buf bytes.Buffer
		if _, err := ExportMembers(ctx, s, sys, members.MemberFilter{}, false, &buf); err != nil {
			t.Fatal(err)
		}
		refs, err := s.Registry.ImportPartyOrgs(ctx, store.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		x := newPartyOrgIndex(refs)
		numbered := 0
		for _, rec := range readBack(t, buf.Bytes(), MemberTemplate) {
			v := rec.Get("party_org")
			if v == "" {
				continue
			}
			if n := len(x.candidates(v)); n != 1 {
				t.Fatalf("row %d names %q: %d Party orgs", rec.Row, v, n)
			}
			if strings.HasSuffix(v, "）") {
				numbered++
			}
		}
		if numbered == 0 {
			t.Fatal("no repeated name in the export: the test proves nothing")
		}
		var dissolved string
		for _, o := range data.PartyOrgs {
			if o.Status == domain.StatusDissolved {
				dissolved = o.Name
				break
			}
		}
		if dissolved == "" {
			t.Fatal("no dissolved Party org in the generated city")
		}
		id := domain.MakeIDNumber("510104", time.Date(1991, 3, 7, 0, 0, 0, 0, time.UTC), 8, true)
		res, err := Import(ctx, s, sys, book(t, MemberTemplate, [][]string{memberRow(id, "新党员", dissolved)}), Options{Kind: KindMembers})
		if err != nil || res.Status != importjobs.ImportRejected || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Reason, "已撤销") {
			t.Fatalf("a new member in a dissolved Party org: %s %v", summary(res), err)
		}
	})
}

// TestPartyOrgNamedWithNumber: "全称（编号）" is read by its number when the
// number is an org of that name, else by the name (a file from another
// deployment), and a name several orgs share asks for this deployment's
// number.
func TestPartyOrgNamedWithNumber(t *testing.T) {
	x := newPartyOrgIndex([]registry.PartyOrgRef{
		{ID: 1, Name: "第3党支部", Region: "510104", Active: true}, {ID: 2, Name: "第3党支部", Region: "510105", Active: true},
		{ID: 3, Name: "锦江区商务楼宇综合党委", Region: "510104", Active: true}, {ID: 4, Name: "已撤销党支部", Active: false},
	})
	for _, c := range []struct {
		v      string
		id     int64
		reason string // part of it
	}{
		{"第3党支部（1）", 1, ""}, {"第3党支部（2）", 2, ""}, {"1", 1, ""}, {"锦江区商务楼宇综合党委（99）", 3, ""},
		{"第3党支部（3）", 0, "不是本系统"}, {"第3党支部", 0, "对应 2 个"}, {"99", 0, "不存在"}, {"已撤销党支部（4）", 0, "已撤销"},
	} {
		id, _, reason := x.resolve(c.v, "")
		if id != c.id || c.reason != "" && !strings.Contains(reason, c.reason) || c.reason == "" && reason != "" {
			t.Errorf("%s: %d %q, want %d …%s…", c.v, id, reason, c.id, c.reason)
		}
	}
}
