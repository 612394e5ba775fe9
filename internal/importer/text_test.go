package importer

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// wantCellErrors checks that each row has an error on the column with the
// header, whose reason holds the text, and a shown value with nothing that
// cannot be seen or that turns text around.
func wantCellErrors(t *testing.T, res *Result, want map[int][2]string) {
	t.Helper()
	for row, w := range want {
		es := errorsAt(res, row)
		if len(es) != 1 || es[0].Header != w[0] || es[0].Column == "" || !strings.Contains(es[0].Reason, w[1]) {
			t.Errorf("row %d: want one error on %s containing %q, got %+v", row, w[0], w[1], es)
			continue
		}
		if strings.ContainsFunc(es[0].Value, func(r rune) bool {
			return unicode.IsControl(r) || domain.IsBidiControl(r) || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r)
		}) {
			t.Errorf("row %d: the shown value %q holds invisible characters", row, es[0].Value)
		}
	}
}

// TestImportRefusesWhatTheAPIRefuses: a cell holding what no field of the
// API accepts (a bidi override or isolate, a control character, a BEL that
// the workbook keeps as U+FFFD, only invisible characters), a number out of
// range or a date before 1900 is an ordinary row error naming its column on
// both engines: nothing is written, and skip-invalid writes only the good
// rows.
func TestImportRefusesWhatTheAPIRefuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		c := jinjiang(t, loaded(t, s))

		orgs := [][]string{
			orgRow(uscc("510104", 81), "锦江正常公司", "510104", jjManager),       // 2 good
			orgRow(uscc("510104", 82), "锦江\u202E司公限有", "510104", jjManager), // 3 bidi override
			orgRow(uscc("510104", 83), "锦江\u0085公司", "510104", jjManager),   // 4 C1 control (NEL)
			orgRow(uscc("510104", 84), "锦江铃声公司", "510104", jjManager),       // 5 BEL in a cell
			orgRow(uscc("510104", 85), "锦江巨人公司", "510104", jjManager),       // 6 past 32 bits
			orgRow(uscc("510104", 86), "锦江超大公司", "510104", jjManager),       // 7 past 64 bits
			orgRow(uscc("510104", 87), "锦江老公司", "510104", jjManager),        // 8 before 1900
		}
		orgs[0][OrganizationTemplate.Index("address")] = "锦江区红星路\n三段1号" // Alt+Enter in a cell: layout, kept as a space
		orgs[3][OrganizationTemplate.Index("legal_representative")] = "张\a三"
		orgs[4][OrganizationTemplate.Index("employees")] = "2147483648"
		orgs[5][OrganizationTemplate.Index("employees")] = "99999999999999999999"
		orgs[6][OrganizationTemplate.Index("registered_on")] = "1899-12-31"
		path := book(t, OrganizationTemplate, orgs)
		before := countOrgs(t, s)
		res, err := Import(ctx, s, c, path, Options{Kind: KindOrganizations})
		if err != nil || res.Status != importjobs.ImportRejected || res.Rejected != 6 || countOrgs(t, s) != before {
			t.Fatalf("organizations: %v %s; %d organizations, want %d", err, summary(res), countOrgs(t, s), before)
		}
		wantCellErrors(t, res, map[int][2]string{
			3: {"组织名称", "文字方向"}, 4: {"组织名称", "U+0085"}, 5: {"法定代表人", "无法识别"},
			6: {"从业人数", "不能超过"}, 7: {"从业人数", "不能超过"}, 8: {"成立日期", "1900"},
		})
		if es := errorsAt(res, 2); len(es) > 0 {
			t.Errorf("good row reported: %+v", es)
		}
		res, err = Import(ctx, s, c, path, Options{Kind: KindOrganizations, SkipInvalid: true})
		if err != nil || res.Status != importjobs.ImportDone || res.Created != 1 || res.Rejected != 6 || countOrgs(t, s) != before+1 {
			t.Fatalf("organizations, skip-invalid: %v %s", err, summary(res))
		}
		if got, _, err := s.Registry.ListOrganizations(ctx, c.Scope, registry.OrganizationFilter{Q: uscc("510104", 81), Page: store.Page{Size: 1}}); err != nil || len(got) != 1 || got[0].Address != "锦江区红星路 三段1号" {
			t.Errorf("a line break inside a cell: %v %+v", err, got)
		}

		birth := time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC)
		id := func(seq int) string { return domain.MakeIDNumber("510104", birth, seq, true) }
		members := [][]string{
			memberRow(id(81), "张正常", jjManager),      // 2 good
			memberRow(id(82), "张\u202E三", jjManager), // 3 bidi override
			memberRow(id(83), "李\u2066四", jjManager), // 4 bidi isolate
			memberRow(id(84), "王五", jjManager),       // 5 invisible-only job
			memberRow(id(85), "赵六", jjManager),       // 6 before 1900
		}
		members[3][MemberTemplate.Index("job")] = "\u200b\u200d\u200b"
		members[4][MemberTemplate.Index("joined_on")] = "1899-07-01"
		path = book(t, MemberTemplate, members)
		before = countMembers(t, s)
		res, err = Import(ctx, s, c, path, Options{Kind: KindMembers})
		if err != nil || res.Status != importjobs.ImportRejected || res.Rejected != 4 || countMembers(t, s) != before {
			t.Fatalf("members: %v %s; %d members, want %d", err, summary(res), countMembers(t, s), before)
		}
		wantCellErrors(t, res, map[int][2]string{
			3: {"姓名", "文字方向"}, 4: {"姓名", "文字方向"}, 5: {"职业", "不可见"}, 6: {"入党日期", "1900"},
		})
		res, err = Import(ctx, s, c, path, Options{Kind: KindMembers, SkipInvalid: true})
		if err != nil || res.Status != importjobs.ImportDone || res.Created != 1 || countMembers(t, s) != before+1 {
			t.Fatalf("members, skip-invalid: %v %s", err, summary(res))
		}
	})
}
