package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommand(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "gen", "--data", dir, "--scale", "small"); code != 0 {
		t.Fatal(errs)
	}
	orgs := filepath.Join(dir, "o.xlsx")
	if code, _, errs := runCmd(t, "export", "organizations", "--data", dir, "-o", orgs); code != 0 {
		t.Fatal(errs)
	}
	// The city's own export, imported again by the system: nothing changes.
	code, out, errs := runCmd(t, "import", "organizations", orgs, "--data", dir)
	if code != 0 || !strings.Contains(out, "未变化") || !strings.Contains(errs, "100%") {
		t.Fatalf("re-import: %d %s %s", code, out, errs)
	}
	// As 锦江区: the other districts' organizations are not theirs to change.
	errCopy := filepath.Join(dir, "errors.xlsx")
	code, out, errs = runCmd(t, "import", "organizations", "--data", dir, orgs, "--as", "jinjiang", "--errors", errCopy)
	if code != 1 || !strings.Contains(errs, "其他党组织的管理范围") || !strings.Contains(out, errCopy) {
		t.Fatalf("import as jinjiang: %d %s %.500s", code, out, errs)
	}
	if _, err := os.Stat(errCopy); err != nil {
		t.Fatal(err)
	}
	tpl := filepath.Join(dir, "t.xlsx")
	runCmd(t, "template", "members", "-o", tpl)
	if code, _, errs := runCmd(t, "import", "members", tpl, "--data", dir); code != 1 || !strings.Contains(errs, "没有数据行") {
		t.Errorf("empty template: %d %s", code, errs)
	}
	for _, args := range [][]string{
		{"import"}, {"import", "zones", orgs}, {"import", "organizations", "--data", dir},
		{"import", "organizations", orgs, "--data", dir, "--as", "nobody"},
	} {
		if code, _, errs := runCmd(t, args...); code != 2 {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}
