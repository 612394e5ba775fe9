package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// book writes rows (values in template order) as a workbook in the
// template's layout and returns its path.
func book(t testing.TB, tpl xlsx.Template, rows [][]string) string {
	t.Helper()
	var buf bytes.Buffer
	sw, err := xlsx.NewStreamWriter(&buf, tpl, "数据")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		vals := make([]any, len(r))
		for i, v := range r {
			vals[i] = v
		}
		if err := sw.Write(vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, buf.Bytes())
}

func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.xlsx")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// orgRow is a valid organization row managed by the Party org named manager.
func orgRow(uscc, name, region, manager string) []string {
	r := make([]string, len(OrganizationTemplate.Columns))
	set := func(k, v string) { r[OrganizationTemplate.Index(k)] = v }
	set("uscc", uscc)
	set("name", name)
	set("region", region)
	set("industry", domain.Industries.Name("I"))
	set("status", "存续/在业")
	set("employees", "12")
	set("flags", "规模以上；高新技术")
	set("area_manager", manager)
	return r
}

func uscc(region string, n int) string {
	return domain.MakeUSCC("91", region, fmt.Sprintf("MA6C%04d", n))
}

const (
	jjManager = "锦江区商务楼宇综合党委"
	qyManager = "青羊区律师行业党委"
)

// jinjiang is a caller bound to 锦江区's committee.
func jinjiang(t *testing.T, res gen.Result) store.Caller {
	c := store.System(now, "jinjiang")
	for _, o := range res.PartyOrgs {
		if o.Name == "中共成都市锦江区委两新工委" {
			c.Scope = store.Scope{Path: o.Path}
			return c
		}
	}
	t.Fatal("no 锦江区 committee")
	return c
}

func countOrgs(t *testing.T, s *stores.Set) int {
	t.Helper()
	_, n, err := s.Registry.ListOrganizations(context.Background(), store.ScopeAll, registry.OrganizationFilter{Page: store.Page{Size: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func errorsAt(res *Result, row int) []importjobs.ImportError {
	var out []importjobs.ImportError
	for _, e := range res.Errors {
		if e.Row == row {
			out = append(out, e)
		}
	}
	return out
}

// TestImportOrganizationsBadCells: every bad cell is reported with its row,
// column and reason; by default nothing is written; with skip-invalid only
// the good rows are, and importing the file again changes nothing.
func TestImportOrganizationsBadCells(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		good := uscc("510104", 1)
		messy := strings.ToLower(uscc("510104", 2))
		messy = " " + messy[:6] + " " + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + '０'
			}
			return r
		}, messy[6:]) // spaces, lower case, full-width digits
		wrongCheck := uscc("510104", 3)
		wrongCheck = wrongCheck[:17] + map[bool]string{true: "1", false: "2"}[wrongCheck[17] != '1']
		outsider := data.Organizations[len(data.Organizations)-1] // not 锦江区's
		dup := uscc("510104", 5)
		rows := [][]string{
			orgRow(good, "锦江好公司", "510104", jjManager),              // row 2: good
			orgRow(messy, "锦江规范化公司", "510104", jjManager),           // row 3: good after normalization
			orgRow(wrongCheck, "校验位错公司", "510104", jjManager),       // row 4: check character
			orgRow(uscc("510104", 4), "日期错公司", "510104", jjManager), // row 5: 29 Feb 2023
			orgRow(uscc("510104", 6), "越权公司", "510104", qyManager),  // row 6: manager outside the scope
			orgRow(dup, "重复一", "510104", jjManager),                 // row 7: duplicate of row 8
			orgRow(dup, "重复二", "510104", jjManager),                 // row 8
			orgRow(outsider.USCC, "别人的公司", "510104", jjManager),     // row 9: registered outside the scope
			orgRow(uscc("510104", 7), "", "999999", jjManager),      // row 10: name missing, region unknown
		}
		rows[3][OrganizationTemplate.Index("registered_on")] = "2023-02-29"
		rows[8][OrganizationTemplate.Index("status")] = "营业中"
		path := book(t, OrganizationTemplate, rows)
		before := countOrgs(t, s)

		res, err := Import(ctx, s, c, path, Options{Kind: KindOrganizations})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != importjobs.ImportRejected || res.Total != 9 || res.Rejected != 7 || countOrgs(t, s) != before {
			t.Fatalf("default import of a file with bad rows: %s; %d organizations, want %d", summary(res), countOrgs(t, s), before)
		}
		want := map[int][]string{
			4:  {"统一社会信用代码", "校验位"},
			5:  {"成立日期", "日期"},
			6:  {"属地管理党组织", "不在您的管理范围内"},
			7:  {"统一社会信用代码", "第 8 行"},
			8:  {"统一社会信用代码", "第 7 行"},
			9:  {"统一社会信用代码", "其他党组织的管理范围"},
			10: {"组织名称", "必填"},
		}
		for row, w := range want {
			found := false
			for _, e := range errorsAt(res, row) {
				if e.Header == w[0] && strings.Contains(e.Reason, w[1]) && e.Column != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("row %d: want an error on %s containing %q, got %+v", row, w[0], w[1], errorsAt(res, row))
			}
		}
		if es := errorsAt(res, 10); len(es) != 3 {
			t.Errorf("row 10 has three bad cells (name, status, region), got %+v", es)
		}
		if len(errorsAt(res, 2))+len(errorsAt(res, 3)) != 0 {
			t.Errorf("good rows reported: %+v %+v", errorsAt(res, 2), errorsAt(res, 3))
		}
		if strings.Contains(fmt.Sprint(res.Errors), outsider.Name) {
			t.Error("the report names an organization outside the scope")
		}
		var copyBuf bytes.Buffer
		if err := res.WriteErrorCopy(&copyBuf); err != nil || !res.HasErrorCopy() {
			t.Fatalf("error copy: %v", err)
		}

		res, err = Import(ctx, s, c, path, Options{Kind: KindOrganizations, SkipInvalid: true})
		if err != nil || res.Status != importjobs.ImportDone || res.Created != 2 || res.Rejected != 7 || countOrgs(t, s) != before+2 {
			t.Fatalf("skip-invalid: %s %v", summary(res), err)
		}
		got, _, err := s.Registry.ListOrganizations(ctx, c.Scope, registry.OrganizationFilter{Q: uscc("510104", 2)})
		if err != nil || len(got) != 1 || got[0].Name != "锦江规范化公司" || got[0].Status != domain.OrgActive || len(got[0].Flags) != 2 {
			t.Fatalf("normalized row stored as %+v %v", got, err)
		}

		audits := importAudits(t, s)
		hist, err := s.Registry.OrganizationHistory(ctx, c.Scope, got[0].ID)
		if err != nil || len(hist) != 1 || hist[0].Action != "create" || hist[0].Username != "jinjiang" {
			t.Fatalf("history of an imported organization: %+v %v", hist, err)
		}
		res, err = Import(ctx, s, c, path, Options{Kind: KindOrganizations, SkipInvalid: true})
		if err != nil || res.Created+res.Updated != 0 || res.Unchanged != 2 || importAudits(t, s) != audits {
			t.Fatalf("re-import: %s %v; import audit events %d → %d", summary(res), err, audits, importAudits(t, s))
		}
		again, _, _ := s.Registry.ListOrganizations(ctx, c.Scope, registry.OrganizationFilter{Q: uscc("510104", 2)})
		histAgain, _ := s.Registry.OrganizationHistory(ctx, c.Scope, got[0].ID)
		if again[0].Version != got[0].Version || len(histAgain) != 1 {
			t.Fatalf("re-import changed the record: version %d → %d, %d history entries", got[0].Version, again[0].Version, len(histAgain))
		}
	})
}

// importAudits counts the audit trail's import events.
func importAudits(t *testing.T, s *stores.Set) int {
	t.Helper()
	_, n, err := s.ListAudit(context.Background(), store.AuditFilter{Action: "import", Page: store.Page{Size: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportBatchFailure: a batch failing midway leaves the batches before
// it and nothing of its own; running the import again completes it.
func TestImportBatchFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		var rows [][]string
		for i := range 7 {
			rows = append(rows, orgRow(uscc("510104", 100+i), fmt.Sprintf("批次公司%d", i), "510104", jjManager))
		}
		path := book(t, OrganizationTemplate, rows)
		before := countOrgs(t, s)
		boom := errors.New("boom")
		_, err := Import(ctx, s, c, path, Options{Kind: KindOrganizations, BatchSize: 3, BeforeCommit: func(b int) error {
			if b == 1 {
				return boom
			}
			return nil
		}})
		if !errors.Is(err, boom) || countOrgs(t, s) != before+3 {
			t.Fatalf("failing batch: %v; %d organizations written, want 3", err, countOrgs(t, s)-before)
		}
		res, err := Import(ctx, s, c, path, Options{Kind: KindOrganizations, BatchSize: 3})
		if err != nil || res.Created != 4 || res.Unchanged != 3 || countOrgs(t, s) != before+7 {
			t.Fatalf("re-run: %s %v; %d written", summary(res), err, countOrgs(t, s)-before)
		}
	})
}

// TestExportImportRoundTrip: importing an unedited export changes nothing.
func TestExportImportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := store.System(now, "test")
		var buf bytes.Buffer
		if _, err := ExportOrganizations(ctx, s, c, registry.OrganizationFilter{}, &buf); err != nil {
			t.Fatal(err)
		}
		res, err := Import(ctx, s, c, writeTemp(t, buf.Bytes()), Options{Kind: KindOrganizations})
		if err != nil || res.Status != importjobs.ImportDone || res.Unchanged != len(data.Organizations) || res.Imported != 0 {
			t.Fatalf("organizations round trip: %s %v", summary(res), err)
		}
		buf.Reset()
		if _, err := ExportMembers(ctx, s, c, members.MemberFilter{}, true, &buf); err != nil {
			t.Fatal(err)
		}
		// Members still held by a dissolved Party org (the generator makes
		// a few: members_orphaned) keep it: an unchanged row is no new
		// link, so the whole unedited file imports, changing nothing.
		orphans := 0
		for _, m := range data.Members {
			if m.PartyOrgID != nil && data.PartyOrgs[*m.PartyOrgID-1].Status == domain.StatusDissolved {
				orphans++
			}
		}
		if orphans == 0 {
			t.Fatal("the generated city has no member held by a dissolved Party org")
		}
		res, err = Import(ctx, s, c, writeTemp(t, buf.Bytes()), Options{Kind: KindMembers})
		if err != nil || res.Status != importjobs.ImportDone || res.Unchanged != len(data.Members) || res.Imported != 0 || res.Rejected != 0 {
			t.Fatalf("members round trip: %s %v", summary(res), err)
		}
	})
}

// summary prints a result without its thousands of errors.
func summary(r *Result) string {
	if r == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s %q total %d created %d updated %d unchanged %d rejected %d, first errors %+v",
		r.Status, r.Message, r.Total, r.Created, r.Updated, r.Unchanged, r.Rejected, r.Errors[:min(5, len(r.Errors))])
}

var _ = time.Now

// TestImportFeedsCoverage: imported organizations leave with their 两个覆盖
// state (the campaign's figures move at once), and a code the city accepts
// despite its check character imports like a registration accepts it.
func TestImportFeedsCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		before, err := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		// Targeted (存续/在业, 规模以上) and covered by nothing: uncovered.
		good := uscc("510104", 300)
		bad := good[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", good[17])+1)%31])
		rows := [][]string{orgRow(good, "覆盖统计测试公司", "510104", jjManager), orgRow(bad, "校验例外测试公司", "510104", jjManager)}
		path := book(t, OrganizationTemplate, rows)
		if res, err := Import(ctx, s, c, path, Options{Kind: KindOrganizations}); err != nil || res.Status != "rejected" {
			t.Fatalf("a failing check character must be refused before the setting: %s %v", summary(res), err)
		}
		settings, err := s.Registry.CoverageSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		settings.AcceptedUSCC = append(settings.AcceptedUSCC, bad)
		if _, err := s.Registry.SetCoverageSettings(ctx, store.System(now, "test"), settings); err != nil {
			t.Fatal(err)
		}
		res, err := Import(ctx, s, c, path, Options{Kind: KindOrganizations})
		if err != nil || res.Created != 2 {
			t.Fatalf("import with the exception: %s %v", summary(res), err)
		}
		after, err := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if after.Organizations != before.Organizations+2 || after.InScope != before.InScope+2 || after.Uncovered != before.Uncovered+2 {
			t.Fatalf("coverage before %+v, after %+v", before, after)
		}
		// What the import wrote is what a full recomputation finds.
		if err := s.Registry.RefreshCoverage(ctx, now, nil); err != nil {
			t.Fatal(err)
		}
		if again, err := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{}); err != nil || !reflect.DeepEqual(again, after) {
			t.Fatalf("recomputed %+v (%v), imported %+v", again, err, after)
		}
	})
}

// TestImportCoveringColumn: the 覆盖党组织 column links an organization to
// the grassroots Party org that covers it (so that loading a district's file
// moves its figures), refuses a managing committee or an unknown name per
// cell, and never removes a link.
func TestImportCoveringColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		var branch domain.PartyOrg
		for _, o := range data.PartyOrgs {
			if o.Type == domain.Branch && strings.HasPrefix(o.Path, c.Scope.Path) {
				branch = o
				break
			}
		}
		if branch.ID == 0 {
			t.Fatal("no 锦江区 branch")
		}
		code := uscc("510104", 400)
		row := func(covering string) []string {
			r := orgRow(code, "覆盖列测试公司", "510104", jjManager)
			r[OrganizationTemplate.Index("covering")] = covering
			return r
		}
		// A managing committee does not cover; an unknown name is unknown.
		res, err := Import(ctx, s, c, book(t, OrganizationTemplate, [][]string{row(jjManager)}), Options{Kind: KindOrganizations})
		if err != nil || res.Status != "rejected" || len(errorsAt(res, 2)) != 1 || !strings.Contains(errorsAt(res, 2)[0].Reason, "不是基层党组织") {
			t.Fatalf("committee as covering: %s %v %+v", summary(res), err, errorsAt(res, 2))
		}
		res, _ = Import(ctx, s, c, book(t, OrganizationTemplate, [][]string{row("没有这个党支部")}), Options{Kind: KindOrganizations})
		if len(errorsAt(res, 2)) != 1 || errorsAt(res, 2)[0].Header != "覆盖党组织" {
			t.Fatalf("unknown covering: %+v", errorsAt(res, 2))
		}

		// First without the link: uncovered. Then the same row with it, as
		// "全称（编号）": unchanged record, new link, org-covered at once.
		if res, err := Import(ctx, s, c, book(t, OrganizationTemplate, [][]string{row("")}), Options{Kind: KindOrganizations}); err != nil || res.Created != 1 {
			t.Fatalf("create: %s %v", summary(res), err)
		}
		before, _ := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{})
		withLink := book(t, OrganizationTemplate, [][]string{row(fmt.Sprintf("%s（%d）", branch.Name, branch.ID))})
		res, err = Import(ctx, s, c, withLink, Options{Kind: KindOrganizations})
		if err != nil || res.Updated != 1 || res.Unchanged != 0 {
			t.Fatalf("link: %s %v", summary(res), err)
		}
		after, _ := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{})
		if after.OrgCovered != before.OrgCovered+1 || after.Uncovered != before.Uncovered-1 {
			t.Fatalf("coverage before %+v after %+v", before, after)
		}
		// Again: nothing to do. And an empty cell removes nothing.
		if res, err := Import(ctx, s, c, withLink, Options{Kind: KindOrganizations}); err != nil || res.Unchanged != 1 || res.Updated != 0 {
			t.Fatalf("re-import: %s %v", summary(res), err)
		}
		if _, err := Import(ctx, s, c, book(t, OrganizationTemplate, [][]string{row("")}), Options{Kind: KindOrganizations}); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{}); again.OrgCovered != after.OrgCovered {
			t.Fatalf("an empty cell removed the link: %+v", again)
		}

		// A covering branch dissolved between the check of the file and the
		// writing refuses its row whole: the organization is not written.
		other := uscc("510104", 401)
		r := orgRow(other, "覆盖列撤销测试公司", "510104", jjManager)
		r[OrganizationTemplate.Index("covering")] = fmt.Sprint(branch.ID)
		dissolved := false
		res, err = Import(ctx, s, c, book(t, OrganizationTemplate, [][]string{r}), Options{Kind: KindOrganizations, Progress: func(p Progress) {
			if p.Phase == PhaseValidating && p.Total > 0 && p.Done == p.Total && !dissolved { // the file is checked; nothing written yet
				dissolved = true
				if _, err := s.Registry.DissolvePartyOrg(ctx, store.System(now, "test"), branch.ID, domain.DissolveInput{DissolvedOn: "2026-11-27", Reason: "测试"}); err != nil {
					t.Error(err)
				}
			}
		}})
		if err != nil || res.Created != 0 || len(errorsAt(res, 2)) != 1 || !strings.Contains(errorsAt(res, 2)[0].Reason, "已撤销") {
			t.Fatalf("dissolved meanwhile: %s %v %+v", summary(res), err, errorsAt(res, 2))
		}
		if keys, _ := s.Registry.OrganizationKeys(ctx, store.ScopeAll, []string{other}); len(keys) != 0 {
			t.Fatalf("the refused row was written: %+v", keys)
		}
	})
}

// TestEditedExportKeepsLinksOutsideTheScope: 锦江区 sees an organization
// through its 行业 manager while its 属地 manager is in 青羊区; 锦江区's
// export names that manager, and importing the export back keeps it. A row
// naming a 青羊区 Party org that is not its current link stays an error.
func TestEditedExportKeepsLinksOutsideTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		ids := map[string]int64{}
		for _, o := range data.PartyOrgs {
			if o.Name == jjManager || o.Name == qyManager {
				ids[o.Name] = o.ID
			}
		}
		code := uscc("510105", 500)
		if _, err := s.Registry.SaveOrganization(ctx, store.System(now, "test"), 0, domain.OrganizationInput{USCC: ptr(code), Name: ptr("跨区管理测试公司"),
			Region: ptr("510105"), Industry: ptr("I"), AreaManagerID: ptr(ids[qyManager]), IndustryManagerID: ptr(ids[jjManager])}, nil); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := ExportOrganizations(ctx, s, c, registry.OrganizationFilter{Q: code}, &buf); err != nil {
			t.Fatal(err)
		}
		res, err := Import(ctx, s, c, writeTemp(t, buf.Bytes()), Options{Kind: KindOrganizations})
		if err != nil || res.Status != "done" || res.Unchanged != 1 {
			t.Fatalf("re-import of the export: %s %v %+v", summary(res), err, res.Errors)
		}
		// Another organization naming the 青羊区 committee as its manager: unknown to 锦江区.
		r := orgRow(uscc("510104", 501), "越区管理测试公司", "510104", qyManager)
		res, _ = Import(ctx, s, c, book(t, OrganizationTemplate, [][]string{r}), Options{Kind: KindOrganizations})
		if len(errorsAt(res, 2)) != 1 || !strings.Contains(errorsAt(res, 2)[0].Reason, "不在您的管理范围内") {
			t.Fatalf("an outside manager for a new organization: %s %+v", summary(res), errorsAt(res, 2))
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestImportChainsByName: the 重点产业链 column takes a chain's name (or its
// code) and stores its code; a 链主 row needs its chain; an unknown name is
// refused with the names to choose from; the export writes names back.
func TestImportChainsByName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		loaded(t, s)
		c := jinjiang(t, gen.Generate(gen.Options{Scale: gen.Small, Seed: 1, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"}))
		col := OrganizationTemplate.Index("chain")
		rows := [][]string{
			orgRow(uscc("510104", 11), "锦江显示公司", "510104", jjManager),
			orgRow(uscc("510104", 12), "锦江物流公司", "510104", jjManager),
			orgRow(uscc("510104", 13), "锦江芯片公司", "510104", jjManager),
			orgRow(uscc("510104", 14), "锦江链主公司", "510104", jjManager),
		}
		rows[0][col] = "新型显示"
		rows[1][col] = "modern_logistics"
		rows[2][col] = "芯片产业"
		rows[3][OrganizationTemplate.Index("flags")] = "链主"
		res, err := Import(ctx, s, c, book(t, OrganizationTemplate, rows), Options{Kind: KindOrganizations})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != importjobs.ImportRejected || len(errorsAt(res, 4)) != 1 || len(errorsAt(res, 5)) != 1 || len(res.Errors) != 2 {
			t.Fatalf("import: %s", summary(res))
		}
		if e := errorsAt(res, 4)[0]; !strings.Contains(e.Reason, "未知的重点产业链「芯片产业」") || !strings.Contains(e.Reason, "集成电路") {
			t.Errorf("unknown chain: %+v", e)
		}
		if e := errorsAt(res, 5)[0]; !strings.Contains(e.Reason, "链主须选择所属重点产业链") {
			t.Errorf("链主 without a chain: %+v", e)
		}
		rows[2][col] = "集成电路"
		rows[3][col] = "新型显示"
		res, err = Import(ctx, s, c, book(t, OrganizationTemplate, rows), Options{Kind: KindOrganizations})
		if err != nil || res.Status != importjobs.ImportDone || res.Created != 4 {
			t.Fatalf("import: %s %v", summary(res), err)
		}
		got := map[string]string{}
		items, _, err := s.Registry.ListOrganizations(ctx, c.Scope, registry.OrganizationFilter{Q: "锦江", Page: store.Page{Size: 50}})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range items {
			got[o.Name] = o.Chain + "/" + o.ChainName
		}
		for name, want := range map[string]string{"锦江显示公司": "new_display/新型显示", "锦江物流公司": "modern_logistics/现代物流", "锦江芯片公司": "integrated_circuit/集成电路", "锦江链主公司": "new_display/新型显示"} {
			if got[name] != want {
				t.Errorf("%s: %q, want %q", name, got[name], want)
			}
		}
		var buf bytes.Buffer
		if _, err := ExportOrganizations(ctx, s, c, registry.OrganizationFilter{Chain: "new_display", Q: "锦江"}, &buf); err != nil {
			t.Fatal(err)
		}
		recs := readBack(t, buf.Bytes(), OrganizationTemplate)
		if len(recs) != 2 || recs[0].Get("chain") != "新型显示" {
			t.Errorf("export: %d rows, chain %q", len(recs), recs[0].Get("chain"))
		}
	})
}
