package api_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// orgWorkbook writes organization rows (USCC, name, area manager) in the
// import template's layout.
func orgWorkbook(t *testing.T, rows ...[3]string) []byte {
	t.Helper()
	tpl := importer.OrganizationTemplate
	var buf bytes.Buffer
	sw, err := xlsx.NewStreamWriter(&buf, tpl, "两新组织")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		vals := make([]any, len(tpl.Columns))
		for i := range vals {
			vals[i] = ""
		}
		set := func(k string, v any) { vals[tpl.Index(k)] = v }
		set("uscc", r[0])
		set("name", r[1])
		set("region", "510104")
		set("industry", domain.Industries.Name("I"))
		set("area_manager", r[2])
		if err := sw.Write(vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testUSCC(n int) string { return domain.MakeUSCC("91", "510104", fmt.Sprintf("MA7D%04d", n)) }

func upload(kind string, file []byte, skip bool) apitest.Multipart {
	f := map[string]string{"kind": kind}
	if skip {
		f["skip_invalid"] = "on"
	}
	return apitest.Multipart{Fields: f, FileName: "两新组织.xlsx", File: file}
}

// startAndWait uploads a file and waits for its job to end.
func startAndWait(t *testing.T, e *apitest.Env, c *apitest.Client, body apitest.Multipart) importjobs.ImportJob {
	t.Helper()
	r := c.Do("POST", "/api/v1/imports", body)
	if r.Status != 202 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var started struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &started)
	e.Server.Imports.Wait()
	var j importjobs.ImportJob
	g := c.Do("GET", fmt.Sprintf("/api/v1/imports/%d", started.ID), nil)
	if g.Status != 200 {
		t.Fatalf("job: %d %s", g.Status, g.Body)
	}
	g.JSON(t, &j)
	return j
}

func TestImportAPI(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.Login("jinjiang")
		manager := "锦江区商务楼宇综合党委"
		file := orgWorkbook(t, [3]string{testUSCC(1), "锦江导入一有限公司", manager}, [3]string{testUSCC(2), "锦江导入二有限公司", "不存在的党委"})

		j := startAndWait(t, e, jj, upload("organizations", file, false))
		if j.Status != "rejected" || j.Total != 2 || j.Rejected != 1 || j.Imported != 0 || len(j.Errors) != 1 || j.Progress != 1 {
			t.Fatalf("default import: %+v", j)
		}
		if er := j.Errors[0]; er.Row != 3 || er.Column != "V" || er.Header != "属地管理党组织" || er.Value != "不存在的党委" || !strings.Contains(er.Reason, "不存在") {
			t.Fatalf("error %+v", er)
		}
		if r := jj.Do("GET", fmt.Sprintf("/api/v1/organizations?q=%s", testUSCC(1)), nil); !strings.Contains(r.Body, `"total":0`) {
			t.Fatalf("a rejected import wrote: %s", r.Body)
		}
		r := jj.Do("GET", fmt.Sprintf("/api/v1/imports/%d/errors.xlsx", j.ID), nil)
		if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("error copy: %d %v", r.Status, r.Header)
		}
		wb, err := xlsx.Open(strings.NewReader(r.Body), int64(len(r.Body)), xlsx.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		wb.Close()

		j = startAndWait(t, e, jj, upload("organizations", file, true))
		if j.Status != "done" || j.Imported != 1 || j.Rejected != 1 {
			t.Fatalf("skip-invalid import: %+v", j)
		}
		j = startAndWait(t, e, jj, upload("organizations", file, true))
		if j.Status != "done" || j.Imported != 0 || j.Unchanged != 1 {
			t.Fatalf("re-import: %+v", j)
		}
		var jobs struct {
			Items []importjobs.ImportJob `json:"items"`
		}
		jj.Do("GET", "/api/v1/imports", nil).JSON(t, &jobs)
		if len(jobs.Items) != 3 {
			t.Fatalf("recent jobs: %+v", jobs)
		}
		evs, _, err := e.Store.ListAudit(t.Context(), store.AuditFilter{Action: "import", ObjectType: "import_job"})
		if err != nil || len(evs) != 3 || evs[2].Username != "jinjiang" {
			t.Fatalf("import audit: %+v %v", evs, err)
		}
	})
}

func TestImportBadUploads(t *testing.T) {
	e := apitest.New(t, "sqlite")
	jj := e.Login("jinjiang")
	for _, tc := range []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"no kind", upload("", orgWorkbook(t), false), 400, "kind"},
		{"unknown kind", upload("zones", orgWorkbook(t), false), 400, "kind"},
		{"no file", apitest.Multipart{Fields: map[string]string{"kind": "members"}}, 400, "file"},
		{"not multipart", map[string]string{"kind": "members"}, 400, "file"},
	} {
		r := jj.Do("POST", "/api/v1/imports", tc.body)
		if r.Status != tc.status || r.ErrorField(t, tc.field) == "" {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
		}
	}

	e.Server.Imports.Limits.MaxFileBytes = 1 << 20
	big := upload("organizations", bytes.Repeat([]byte("x"), 2<<20), false)
	if r := jj.Do("POST", "/api/v1/imports", big); r.Status != 413 || !strings.Contains(r.Body, "文件过大") {
		t.Errorf("oversize: %d %s", r.Status, r.Body)
	}
	e.Server.Imports.Limits.MaxFileBytes = 0

	for _, tc := range []struct {
		name, want string
		file       []byte
	}{
		{"text", "不是 Excel 工作簿", []byte("统一社会信用代码,组织名称\n")},
		{"encrypted", "已加密", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)},
	} {
		j := startAndWait(t, e, jj, upload("organizations", tc.file, false))
		if j.Status != "rejected" || !strings.Contains(j.Message, tc.want) {
			t.Errorf("%s: %+v", tc.name, j)
		}
	}
	// A members workbook given as organizations: the header names what is wrong.
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, importer.MemberTemplate, "党员"); err != nil {
		t.Fatal(err)
	}
	j := startAndWait(t, e, jj, upload("organizations", buf.Bytes(), false))
	if j.Status != "rejected" || !strings.Contains(j.Message, "缺少必填列「统一社会信用代码」") {
		t.Errorf("wrong headers: %+v", j)
	}
	// Someone of 青羊区 cannot see the 锦江区 job.
	if r := e.Login("qingyang").Do("GET", fmt.Sprintf("/api/v1/imports/%d", j.ID), nil); r.Status != 404 {
		t.Errorf("another district's job: %d", r.Status)
	}
}

func TestTemplateDownload(t *testing.T) {
	e := apitest.New(t, "sqlite")
	c := e.Login("jinjiang")
	for _, kind := range []string{"organizations", "members"} {
		r := c.Do("GET", "/api/v1/templates/"+kind+".xlsx", nil)
		if r.Status != 200 {
			t.Fatalf("%s template: %d %s", kind, r.Status, r.Body)
		}
		wb, err := xlsx.Open(strings.NewReader(r.Body), int64(len(r.Body)), xlsx.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		wb.Close()
	}
	if r := c.Do("GET", "/api/v1/templates/zones.xlsx", nil); r.Status != 404 {
		t.Errorf("unknown template: %d", r.Status)
	}
}

// TestRestartFailsRunningJobs: a job a stopped server left running is
// marked failed on start, with a message that a re-run is safe.
func TestRestartFailsRunningJobs(t *testing.T) {
	e := apitest.New(t, "sqlite")
	c := store.System(apitest.Start, "jinjiang")
	j, err := e.Store.ImportJobs.CreateImportJob(t.Context(), c, importjobs.NewImportJob{Kind: "organizations", FileName: "a.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	j.Status = importjobs.ImportImporting
	if err := e.Store.ImportJobs.UpdateImportJob(t.Context(), j, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.Server.Imports.Recover(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, err := e.Store.ImportJobs.GetImportJob(t.Context(), store.ScopeAll, j.ID)
	if err != nil || got.Status != importjobs.ImportFailed || !strings.Contains(got.Message, "重新导入") {
		t.Fatalf("after restart: %+v %v", got, err)
	}
}

// TestMemberImportKeepsPersonalDataMasked: a members file's bad ID number is
// shown masked in the job (which everyone of the scope may read), the error
// copy holding the rows as typed goes only to the submitter (audited), and
// the upload is not kept.
func TestMemberImportKeepsPersonalDataMasked(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		branch := orgOf(t, e, jj, "快递物流行业党委")
		tpl := importer.MemberTemplate
		var buf bytes.Buffer
		sw, err := xlsx.NewStreamWriter(&buf, tpl, "党员")
		if err != nil {
			t.Fatal(err)
		}
		const badID = "510104199003070016" // check digit should be 5
		vals := make([]any, len(tpl.Columns))
		for i := range vals {
			vals[i] = ""
		}
		for k, v := range map[string]string{"name": "导入测试", "id_number": badID, "joined_on": "2015-07-01", "full_member_on": "2016-07-01",
			"status": "正式党员", "party_org": fmt.Sprint(branch), "phone": "13800138000"} {
			vals[tpl.Index(k)] = v
		}
		if err := sw.Write(vals); err != nil {
			t.Fatal(err)
		}
		if err := sw.Close(); err != nil {
			t.Fatal(err)
		}
		c := e.Login("jinjiang")
		j := startAndWait(t, e, c, apitest.Multipart{Fields: map[string]string{"kind": "members"}, FileName: "党员.xlsx", File: buf.Bytes()})
		if j.Status != "rejected" || len(j.Errors) == 0 {
			t.Fatalf("job %+v", j)
		}
		r := c.Do("GET", fmt.Sprintf("/api/v1/imports/%d", j.ID), nil)
		if strings.Contains(r.Body, badID) || !strings.Contains(r.Body, "510104********0016") {
			t.Fatalf("the job shows the ID number unmasked: %s", r.Body)
		}
		path := fmt.Sprintf("/api/v1/imports/%d/errors.xlsx", j.ID)
		if r := e.Login("city").Do("GET", path, nil); r.Status != 403 {
			t.Fatalf("another user downloaded the error copy: %d", r.Status)
		}
		if r := c.Do("GET", path, nil); r.Status != 200 || !strings.Contains(textOf(t, r), badID) {
			t.Fatalf("the submitter's error copy: %d", r.Status)
		}
		events, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{ObjectType: "import_errors", Page: store.Page{Size: 5}})
		if err != nil || len(events) != 1 || events[0].Username != "jinjiang" {
			t.Fatalf("error-copy download audit: %+v %v", events, err)
		}
		uploads, _ := filepath.Glob(filepath.Join(e.DataDir, "imports", "*", "upload.xlsx"))
		if len(uploads) != 0 {
			t.Fatalf("uploads kept: %v", uploads)
		}
	})
}

// TestImportQueueBounds (finding 8): an account with two imports queued or
// running — on any instance — is refused a third with 429; an upload that
// would take the queued uploads past the space bound is refused with 507;
// each answer is one Chinese sentence, and a refused upload leaves neither
// a job nor a file behind.
func TestImportQueueBounds(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := t.Context()
		jj := e.Login("jinjiang")
		u, err := e.Store.Accounts.UserByUsername(ctx, "jinjiang")
		if err != nil {
			t.Fatal(err)
		}
		elsewhere := func(c store.Caller, bytes int64) {
			t.Helper()
			if _, err := e.Store.ImportJobs.CreateImportJob(ctx, c, importjobs.NewImportJob{Kind: "organizations", FileName: "a.xlsx", Instance: "web2", UploadBytes: bytes}); err != nil {
				t.Fatal(err)
			}
		}
		mine := store.Caller{Now: e.Now(), Scope: store.Scope{Path: "/"}, Actor: audit.Actor{UserID: u.ID, Username: u.Username}}
		file := orgWorkbook(t, [3]string{testUSCC(1), "锦江排队一有限公司", "锦江区商务楼宇综合党委"})
		jobs := func() int {
			items, err := e.Store.ImportJobs.ListImportJobs(ctx, store.ScopeAll, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(items)
		}
		noFiles := func() {
			t.Helper()
			left, _ := filepath.Glob(filepath.Join(e.DataDir, "imports", "upload-*.tmp"))
			if len(left) > 0 {
				t.Errorf("refused uploads left on disk: %v", left)
			}
		}

		elsewhere(mine, 1000)
		elsewhere(mine, 1000)
		before := jobs()
		r := jj.Do("POST", "/api/v1/imports", upload("organizations", file, false))
		if r.Status != 429 || !strings.Contains(r.Body, `"code":"too_many_requests"`) || !strings.Contains(r.Body, "您已有 2 个导入在排队或进行中") {
			t.Fatalf("third job of the account: %d %s", r.Status, r.Body)
		}
		if jobs() != before {
			t.Fatal("a refused upload was recorded")
		}
		noFiles()
		// Another account of the district is not held back by jinjiang's.
		qy := e.Login("qingyang")
		if r := qy.Do("POST", "/api/v1/imports", upload("organizations", file, false)); r.Status != 202 {
			t.Fatalf("another account: %d %s", r.Status, r.Body)
		}
		e.Server.Imports.Wait()

		// Space: the queue holds all but 100 bytes of the bound.
		load, err := e.Store.ImportJobs.ImportLoad(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.Server.Imports.Quota = domain.ImportQuota{MaxBytes: load.Bytes + 100}
		t.Cleanup(func() { e.Server.Imports.Quota = domain.ImportQuota{} })
		before = jobs()
		r = qy.Do("POST", "/api/v1/imports", upload("organizations", file, false))
		if r.Status != 507 || !strings.Contains(r.Body, `"code":"insufficient_storage"`) || !strings.Contains(r.Body, "请稍后再上传") {
			t.Fatalf("past the space bound: %d %s", r.Status, r.Body)
		}
		// A full queue refuses before the file is read.
		e.Server.Imports.Quota = domain.ImportQuota{MaxBytes: load.Bytes}
		if r := qy.Do("POST", "/api/v1/imports", upload("organizations", file, false)); r.Status != 507 {
			t.Fatalf("full queue: %d %s", r.Status, r.Body)
		}
		if jobs() != before {
			t.Fatal("a refused upload was recorded")
		}
		noFiles()
	})
}

// TestErrorCopyOfAnotherInstance: the error copy of a job run by another
// instance is not on this one's disk; the answer says so rather than that
// it expired.
func TestErrorCopyOfAnotherInstance(t *testing.T) {
	e := apitest.New(t, "sqlite")
	ctx := t.Context()
	c := store.System(e.Now(), "city")
	for _, o := range e.Data.PartyOrgs {
		if o.Depth == 0 {
			c.Scope = store.Scope{Path: o.Path}
		}
	}
	j, err := e.Store.ImportJobs.CreateImportJob(ctx, c, importjobs.NewImportJob{Kind: "organizations", FileName: "a.xlsx", Instance: "web2"})
	if err != nil {
		t.Fatal(err)
	}
	j.Status, j.ErrorCount, j.Errors = importjobs.ImportRejected, 1, []importjobs.ImportError{{Row: 2, Reason: "x"}}
	if err := e.Store.ImportJobs.FinishImportJob(ctx, c, j); err != nil {
		t.Fatal(err)
	}
	r := e.Login("city").Do("GET", fmt.Sprintf("/api/v1/imports/%d/errors.xlsx", j.ID), nil)
	if r.Status != 404 || !strings.Contains(r.Body, "执行该导入的服务实例") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}
