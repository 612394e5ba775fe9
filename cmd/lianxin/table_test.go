package main

import (
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
)

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":              0,
		"admin":         5,
		"党员":            4,
		"区(市)县两新工委工作人员": 24,
		"（肖晓，也可用手机号 1 登录）": 29,
		"jinjiang.pii": 12,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// demoAccounts are accounts as the generator makes them: ASCII names,
// Chinese roles and scopes of different widths, a role list that wraps, and
// a member with a phone.
var demoAccounts = []gen.Account{
	{Username: "admin", Role: "系统管理员", Scope: "中共成都市委两新工委"},
	{Username: "city", Role: "市两新工委工作人员", Scope: "中共成都市委两新工委"},
	{Username: "jinjiang.pii", Role: "区(市)县两新工委工作人员、个人信息明文查看、个人信息明文导出", Scope: "中共成都市锦江区委两新工委"},
	{Username: "committee", Role: "行业/综合党委工作人员", Scope: "锦江区快递物流行业党委"},
	{Username: "member", DisplayName: "肖晓", Phone: "16655117212", Role: "党员", Scope: "第一项目部党支部"},
}

// TestPrintAccountsAligned: each column of the account table starts at the
// same terminal column on every line, Chinese cells included, and a long
// role list continues under its own column.
func TestPrintAccountsAligned(t *testing.T) {
	var b strings.Builder
	printAccounts(&b, demoAccounts, "pw", false)
	lines := strings.Split(b.String(), "\n")
	col := func(line, cell string) int {
		i := strings.Index(line, cell)
		if i < 0 {
			t.Fatalf("%q not in %q", cell, line)
		}
		return displayWidth(line[:i])
	}
	var roleCol, scopeCol []int
	rows := 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "  用户名"):
			roleCol = append(roleCol, col(l, "角色"))
			scopeCol = append(scopeCol, col(l, "数据范围"))
		case strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "  （") && strings.TrimSpace(l) != "":
			fields := strings.Fields(l)
			if strings.HasPrefix(l, "    ") { // a continued role list
				roleCol = append(roleCol, col(l, fields[0]))
				continue
			}
			rows++
			roleCol = append(roleCol, col(l, fields[1]))
			scopeCol = append(scopeCol, col(l, fields[2]))
		}
	}
	if rows != len(demoAccounts) {
		t.Fatalf("%d account rows, want %d:\n%s", rows, len(demoAccounts), b.String())
	}
	for _, cols := range [][]int{roleCol, scopeCol} {
		for _, c := range cols {
			if c != cols[0] {
				t.Fatalf("columns start at %v, not at one column:\n%s", cols, b.String())
			}
		}
	}
	if !strings.Contains(b.String(), "个人信息明文查看、\n") {
		t.Errorf("the long role list is not wrapped:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "第一项目部党支部（肖晓，也可用手机号 16655117212 登录）") {
		t.Errorf("the member's phone login is not shown:\n%s", b.String())
	}
}

// TestDemoStartedNamesPhonePages: the demo's greeting gives the phone
// pages' address and says the first go run compiles for a few minutes.
func TestDemoStartedNamesPhonePages(t *testing.T) {
	var b strings.Builder
	printDemoStarted(&b, "http://127.0.0.1:8080", "SQLite ./lianxin-demo/lianxin.db", gen.Summary{Accounts: demoAccounts, PartyOrgs: 1649}, "district", 1, 9*time.Second, "pw", false)
	out := b.String()
	for _, want := range []string{
		"lianxin 演示已启动：http://127.0.0.1:8080\n",
		"党员手机端：http://127.0.0.1:8080/m",
		"1649 个党组织",
		"生成用时 9s",
		"第一次 go run 要先编译，需要几分钟",
		"  用户名",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the greeting lacks %q:\n%s", want, out)
		}
	}
}
