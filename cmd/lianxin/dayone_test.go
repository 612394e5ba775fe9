package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// workbook writes rows (column key → value) in a template's layout.
func workbook(t *testing.T, path string, tpl xlsx.Template, rows []map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	sw, err := xlsx.NewStreamWriter(&buf, tpl, "数据")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		vals := make([]any, len(tpl.Columns))
		for k, v := range r {
			i := tpl.Index(k)
			if i < 0 {
				t.Fatalf("no column %s", k)
			}
			vals[i] = v
		}
		if err := sw.Write(vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDayOneFromExcel: a new deployment — an empty database and its first
// account — loads its streets and communities, its Party-org tree (children
// listed before their parents), its organizations and its members from
// workbooks filled by hand, in that order, with the CLI alone; each file
// imported again changes nothing, and so does the Party orgs' own export.
func TestDayOneFromExcel(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "user", "create", "--data", dir, "--username", "city", "--name", "市级管理员", "--role", "city_staff", "--password", "Chengdu@2026x"); code != 0 {
		t.Fatal(errs)
	}
	file := func(name string) string { return filepath.Join(dir, name) }
	workbook(t, file("regions.xlsx"), importer.RegionTemplate, []map[string]string{
		{"code": "510104019001", "name": "晨辉社区"},
		{"code": "510104019000", "name": "锦华路街道"},
		{"code": "510104017", "name": "锦官驿街道"},
	})
	workbook(t, file("party-orgs.xlsx"), importer.PartyOrgTemplate, []map[string]string{
		{"name": "成都晨辉科技有限公司党支部", "type": "党支部", "parent": "锦华路街道综合党委", "region": "510104019", "founded_on": "2021-07-01", "secretary_name": "张晨"},
		{"name": "锦华路街道综合党委", "type": "综合党委", "parent": "中共成都市锦江区委两新工委", "region": "510104019"},
		{"name": "中共成都市锦江区委两新工委", "type": "两新工委", "parent": "中共成都市委两新工委", "region": "510104"},
	})
	uscc := domain.MakeUSCC("91", "510104", "MA6C0001")
	workbook(t, file("organizations.xlsx"), importer.OrganizationTemplate, []map[string]string{
		{"uscc": uscc, "name": "成都晨辉科技有限公司", "region": "510104019", "industry": domain.Industries.Name("I"), "employees": "60",
			"area_manager": "锦华路街道综合党委", "covering": "成都晨辉科技有限公司党支部"},
	})
	workbook(t, file("members.xlsx"), importer.MemberTemplate, []map[string]string{
		{"name": "张晨", "id_number": "510104199003070015", "joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "正式党员",
			"party_org": "成都晨辉科技有限公司党支部", "employer_uscc": uscc},
		{"name": "李辉", "id_number": "51010719951001018X", "joined_on": "2025-07-01", "status": "预备党员",
			"party_org": "成都晨辉科技有限公司党支部", "employer_uscc": uscc},
	})
	for _, step := range []struct {
		kind, file string
		created    int
	}{{"regions", "regions.xlsx", 3}, {"party-orgs", "party-orgs.xlsx", 3}, {"organizations", "organizations.xlsx", 1}, {"members", "members.xlsx", 2}} {
		code, out, errs := runCmd(t, "import", step.kind, file(step.file), "--data", dir)
		if code != 0 || !strings.Contains(out, "新增 "+strconv.Itoa(step.created)) {
			t.Fatalf("import %s: %d %s %s", step.kind, code, out, errs)
		}
		code, out, errs = runCmd(t, "import", step.kind, file(step.file), "--data", dir)
		if code != 0 || !strings.Contains(out, "未变化 "+strconv.Itoa(step.created)+" 行") {
			t.Fatalf("import %s again: %d %s %s", step.kind, code, out, errs)
		}
	}
	out := file("exported.xlsx")
	if code, _, errs := runCmd(t, "export", "party-orgs", "--data", dir, "-o", out); code != 0 {
		t.Fatal(errs)
	}
	if code, o, errs := runCmd(t, "import", "party-orgs", out, "--data", dir); code != 0 || !strings.Contains(o, "未变化 4 行") {
		t.Fatalf("the export re-imported: %d %s %s", code, o, errs)
	}
	// The organization is covered by the branch it names: the data joined up.
	code, o, errs := runCmd(t, "coverage", "--data", dir)
	if code != 0 || !regexp.MustCompile(`组织覆盖\s+1\s`).MatchString(o) || !regexp.MustCompile(`在册党员\s+2\s`).MatchString(o) {
		t.Fatalf("coverage: %d %s %s", code, o, errs)
	}
}
