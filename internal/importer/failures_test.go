package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// zipBomb is a zip with the parts of a workbook and one part that inflates
// from a few KB to 20 MB of zeros.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(make([]byte, 20<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportRejectsUnreadableFiles: a file that is not a workbook, is
// encrypted, is too large, is a zip bomb or has the wrong headers is
// rejected with a message, and nothing is written.
func TestImportRejectsUnreadableFiles(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	data := loaded(t, s)
	c := jinjiang(t, data)
	var members, orgs bytes.Buffer
	if err := xlsx.WriteTemplate(&members, MemberTemplate, "党员"); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.WriteTemplate(&orgs, OrganizationTemplate, "两新组织"); err != nil {
		t.Fatal(err)
	}
	good := book(t, OrganizationTemplate, [][]string{orgRow(uscc("510104", 1), "大文件公司", "510104", jjManager)})
	for _, tc := range []struct {
		name, want string
		path       string
		limits     xlsx.Limits
	}{
		{"text", "不是 Excel 工作簿", writeTemp(t, []byte("统一社会信用代码,组织名称\n91510104MA6C00001J,某公司\n")), xlsx.Limits{}},
		{"encrypted", "已加密", writeTemp(t, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1000)...)), xlsx.Limits{}},
		{"oversize", "文件过大", good, xlsx.Limits{MaxFileBytes: 1000}},
		{"zip bomb", "压缩", writeTemp(t, zipBomb(t)), xlsx.Limits{}},
		{"wrong headers", "缺少必填列「统一社会信用代码」", writeTemp(t, members.Bytes()), xlsx.Limits{}},
		{"empty", "没有表头", writeTemp(t, emptyBook(t)), xlsx.Limits{}},
		{"header only", "没有数据行", writeTemp(t, orgs.Bytes()), xlsx.Limits{}},
	} {
		before := countOrgs(t, s)
		res, err := Import(context.Background(), s, c, tc.path, Options{Kind: KindOrganizations, SkipInvalid: true, Limits: tc.limits})
		if err != nil || res.Status != importjobs.ImportRejected || !strings.Contains(res.Message, tc.want) || countOrgs(t, s) != before {
			t.Errorf("%s: %v %s", tc.name, err, summary(res))
		}
	}
}

func emptyBook(t *testing.T) []byte {
	var buf bytes.Buffer
	sw, err := xlsx.NewStreamWriter(&buf, xlsx.Template{}, "空")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// memberRow is a valid member row held by the Party org named org.
func memberRow(id, name, org string) []string {
	r := make([]string, len(MemberTemplate.Columns))
	set := func(k, v string) { r[MemberTemplate.Index(k)] = v }
	set("name", name)
	set("id_number", id)
	set("joined_on", "2015-07-01")
	set("full_member_on", "2016-07-01")
	set("status", "正式党员")
	set("party_org", org)
	set("phone", "13800138000")
	return r
}

func countMembers(t *testing.T, s *stores.Set) int {
	t.Helper()
	_, n, err := s.Members.ListMembers(context.Background(), store.ScopeAll, members.MemberFilter{Page: store.Page{Size: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportMembers: ID numbers are normalized (spaces, lower-case x,
// full-width digits); a wrong check digit, 29 February in a common year, a
// birth date or gender contradicting the number, an ID number held by a
// member outside the scope and an employer outside it are each reported;
// a member inside the scope is updated, not duplicated.
func TestImportMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		branch := "锦江区商务楼宇综合党委"
		birth := time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC)
		plain := domain.MakeIDNumber("510104", birth, 7, true)
		withX := ""
		for seq := 0; withX == ""; seq++ {
			if n := domain.MakeIDNumber("510104", birth, seq, false); strings.HasSuffix(n, "X") {
				withX = n
			}
		}
		messy := " " + strings.ToLower(withX[:6]) + " " + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + '０'
			}
			return r
		}, withX[6:17]) + "x "
		wrongCheck := plain[:17] + map[bool]string{true: "1", false: "2"}[plain[17] != '1']
		feb29 := "51010420230229" + "001"
		feb29 += string(domain.IDCheckChar(feb29))
		outsider := data.Members[len(data.Members)-1]
		var jjOrgUSCC, otherUSCC string
		for _, o := range data.Organizations {
			if strings.HasPrefix(o.Region, "510104") && jjOrgUSCC == "" {
				if v, err := s.Registry.GetOrganization(ctx, c.Scope, o.ID); err == nil && v.ID != 0 {
					jjOrgUSCC = o.USCC
				}
			}
			if !strings.HasPrefix(o.Region, "510104") {
				if _, err := s.Registry.GetOrganization(ctx, c.Scope, o.ID); err != nil {
					otherUSCC = o.USCC
				}
			}
		}
		rows := [][]string{
			memberRow(plain, "张一", branch),                                         // 2 good
			memberRow(messy, "李二", branch),                                         // 3 good after normalization
			memberRow(wrongCheck, "王三", branch),                                    // 4 check digit
			memberRow(feb29, "赵四", branch),                                         // 5 impossible date
			memberRow(domain.MakeIDNumber("510104", birth, 9, true), "钱五", branch), // 6 gender contradicts
			memberRow(outsider.IDNumber, "孙六", branch),                             // 7 held outside the scope
			memberRow(domain.MakeIDNumber("510104", birth, 11, true), "周七", ""),    // 8 employer outside the scope
			memberRow(domain.MakeIDNumber("510104", birth, 12, true), "吴八", ""),    // 9 good: employer in scope
		}
		rows[4][MemberTemplate.Index("gender")] = "女"
		rows[6][MemberTemplate.Index("employer_uscc")] = otherUSCC
		rows[7][MemberTemplate.Index("employer_uscc")] = strings.ToLower(jjOrgUSCC)
		path := book(t, MemberTemplate, rows)
		before := countMembers(t, s)
		res, err := Import(ctx, s, c, path, Options{Kind: KindMembers})
		if err != nil || res.Status != importjobs.ImportRejected || countMembers(t, s) != before {
			t.Fatalf("default: %v %s", err, summary(res))
		}
		want := map[int][]string{4: {"公民身份号码", "校验"}, 5: {"公民身份号码", ""}, 6: {"性别", "不符"}, 7: {"公民身份号码", "已在其他党组织登记，不能在此登记"}, 8: {"工作单位统一社会信用代码", "管理范围"}}
		for row, w := range want {
			es := errorsAt(res, row)
			if len(es) == 0 || es[0].Header != w[0] || !strings.Contains(es[0].Reason, w[1]) {
				t.Errorf("row %d: want %v, got %+v", row, w, es)
			}
		}
		for _, row := range []int{2, 3, 9} {
			if es := errorsAt(res, row); len(es) > 0 {
				t.Errorf("good row %d reported: %+v", row, es)
			}
		}
		if strings.Contains(fmt.Sprint(res.Errors), outsider.Name) {
			t.Error("the report names a member outside the scope")
		}
		// Finding a number registered elsewhere is a lookup of personal
		// data: audited, masked (issue 11).
		evs, _, err := s.ListAudit(ctx, store.AuditFilter{Action: audit.ActionPIILookup})
		if err != nil || len(evs) != 1 || !strings.Contains(evs[0].Reason, "1 个公民身份号码已在其他党组织登记") ||
			!strings.Contains(evs[0].Reason, pii.MaskIDNumber(outsider.IDNumber)) || strings.Contains(evs[0].Reason, outsider.IDNumber) {
			t.Fatalf("lookup audit: %+v %v", evs, err)
		}
		res, err = Import(ctx, s, c, path, Options{Kind: KindMembers, SkipInvalid: true})
		if err != nil || res.Created != 3 || countMembers(t, s) != before+3 {
			t.Fatalf("skip-invalid: %v %s", err, summary(res))
		}
		got, _, err := s.Members.ListMembers(ctx, c.Scope, members.MemberFilter{Q: withX})
		if err != nil || len(got) != 1 || got[0].Name != "李二" || got[0].Gender != "female" {
			t.Fatalf("normalized member: %+v %v", got, err)
		}
		// The same ID number with a new name: an update, not a second member.
		rows[1][MemberTemplate.Index("name")] = "李二改"
		res, err = Import(ctx, s, c, book(t, MemberTemplate, rows[:2]), Options{Kind: KindMembers})
		if err != nil || res.Updated != 1 || res.Unchanged != 1 || countMembers(t, s) != before+3 {
			t.Fatalf("update: %v %s", err, summary(res))
		}
		hist, err := s.Members.MemberHistory(ctx, c.Scope, got[0].ID)
		if err != nil || len(hist) != 2 || hist[0].Changes["name"].To == nil {
			t.Fatalf("history after the update: %+v %v", hist, err)
		}
	})
}
