package importer

import (
	"testing"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// checkRow validates one row of base with the columns keys set to vals,
// as the reader would hand it over.
func checkRow(t *testing.T, tpl xlsx.Template, base []string, keys, vals []string, check func(xlsx.Record) []xlsx.CellError) {
	row := append([]string(nil), base...)
	for i, k := range keys {
		row[tpl.Index(k)] = vals[i]
	}
	for _, e := range check(xlsx.RecordOf(tpl, 2, row)) {
		if e.Reason == "" {
			t.Errorf("an error without a reason: %+v", e)
		}
	}
}

// FuzzImportRow: whatever the cells hold, validating a row reports or
// accepts it, never panics, and every error has a reason. The Party orgs
// and regions are in memory: the database is not what is fuzzed (the
// import tests cover it), and a workbook per input would fuzz excelize.
func FuzzImportRow(f *testing.F) {
	f.Add("91510104MA6C00001J", "2023-02-29", "存续/在业", "510104", "12", "规模以上；高新技术", "锦江区商务楼宇综合党委", "510104199003070015", "女", "1990-03-07", "13800138000")
	f.Add(" 91５10104ma6c00001j ", "45292", "营业中", "999999", "-3.5", "；；", "1", "510104199002290015", "男", "", "+86 138 0013 8000")
	f.Add("", "2024年1月5日", "", "", "1e9", "未知", "", "51010419900307001x", "", "1900-01-01", "1")
	refs := []registry.PartyOrgRef{{ID: 1, Name: "锦江区商务楼宇综合党委", Region: "510104", Active: true},
		{ID: 2, Name: "洛带街道综合党委", Region: "510104", Active: true}, {ID: 3, Name: "洛带街道综合党委", Region: "510112", Active: true},
		{ID: 4, Name: "已撤销党支部", Active: false}}
	c := store.System(now, "fuzz")
	f.Fuzz(func(t *testing.T, uscc, date, status, region, employees, flags, manager, id, gender, birth, phone string) {
		orgs := &orgImport{c: c, orgs: newPartyOrgIndex(refs), regions: map[string]bool{"510104": true}, keys: newNaturalKeys("uscc", "统一社会信用代码"), links: newLinks()}
		checkRow(t, OrganizationTemplate, orgRow("", "", "", ""), []string{"uscc", "registered_on", "status", "region", "employees", "flags", "area_manager", "name"},
			[]string{uscc, date, status, region, employees, flags, manager, uscc + date}, orgs.check)
		members := &memberImport{c: c, orgs: newPartyOrgIndex(refs), keys: newNaturalKeys("id_number", "公民身份号码"), employers: map[string]int64{}, links: newLinks()}
		checkRow(t, MemberTemplate, memberRow("", "", ""), []string{"id_number", "gender", "birth_date", "phone", "party_org", "joined_on", "status", "employer_uscc"},
			[]string{id, gender, birth, phone, manager, date, status, uscc}, members.check)
	})
}
