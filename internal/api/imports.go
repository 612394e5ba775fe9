package api

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// importPerm is what an import of a kind needs beyond organization.write.
var importPerm = map[string]auth.Permission{
	importer.KindMembers: auth.PermMemberWrite, importer.KindPartyOrgs: auth.PermPartyOrgWrite, importer.KindRegions: auth.PermRegionWrite,
}

func knownImportKind(kind string) bool {
	_, _, ok := importer.TemplateOf(kind)
	return ok
}

// importUpload documents the multipart form of POST /imports.
type importUpload struct {
	Kind        string `json:"kind"`         // regions, party-orgs, organizations or members
	File        string `json:"file"`         // the .xlsx workbook (multipart file field)
	SkipInvalid string `json:"skip_invalid"` // true/1/on: import the good rows of a file with bad ones
}

// ImportStarted is the answer to an upload.
type ImportStarted struct {
	ID int64 `json:"id"`
}

// upload is a parsed POST /imports form.
type upload struct {
	kind, fileName, tmp string
	skipInvalid         bool
}

// multipartOverhead allows for the form's boundaries and small fields on
// top of the file itself.
const multipartOverhead = 1 << 20

func (s *Server) startImport(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	if s.Imports == nil {
		return nil, &apiError{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "本服务未启用 Excel 导入"}
	}
	// A full queue refuses before the file is read onto the disk.
	if err := s.Imports.Admit(r.Context(), p.Caller(s.Now())); err != nil {
		return nil, err
	}
	up, err := s.readUpload(w, r)
	if up.tmp != "" {
		defer os.Remove(up.tmp) // moved away by Submit when all is well
	}
	if err != nil {
		return nil, err
	}
	if need, ok := importPerm[up.kind]; ok && !p.Can(need) {
		return nil, errForbidden
	}
	j, err := s.Imports.Submit(p.Caller(s.Now()), up.kind, up.fileName, up.skipInvalid, up.tmp)
	if err != nil {
		return nil, err
	}
	return accepted{ImportStarted{ID: j.ID}}, nil
}

// readUpload streams the form: the file part goes straight to a temporary
// file (never whole into memory), refused beyond the size limit.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (upload, error) {
	var up upload
	limit := s.Imports.MaxUpload()
	r.Body = http.MaxBytesReader(w, r.Body, limit+multipartOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return up, errField("file", "请以 multipart/form-data 上传文件（字段 file）")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, uploadError(err, limit)
		}
		if err := s.readPart(part, &up, limit); err != nil {
			return up, err
		}
	}
	switch {
	case !knownImportKind(up.kind):
		return up, errField("kind", "导入类型 kind 应为 regions（镇街社区）、party-orgs（党组织）、organizations（两新组织）或 members（党员）")
	case up.tmp == "":
		return up, errField("file", "请选择要导入的 Excel 文件（字段 file）")
	}
	return up, nil
}

func (s *Server) readPart(part *multipart.Part, up *upload, limit int64) error {
	defer part.Close()
	switch part.FormName() {
	case "kind", "skip_invalid":
		b, err := io.ReadAll(io.LimitReader(part, 100))
		if err != nil {
			return uploadError(err, limit)
		}
		v := strings.TrimSpace(string(b))
		if msg := domain.CharsProblem(v, false); msg != "" {
			return errField(part.FormName(), "字段 "+part.FormName()+" "+msg)
		}
		if part.FormName() == "kind" {
			up.kind = v
		} else {
			up.skipInvalid = v == "true" || v == "1" || v == "on"
		}
	case "file":
		if up.tmp != "" {
			return errField("file", "一次只能上传一个文件")
		}
		if err := checkFileName(part.FileName()); err != nil {
			return err
		}
		f, err := s.Imports.TempFile()
		if err != nil {
			return err
		}
		up.tmp, up.fileName = f.Name(), cleanFileName(part.FileName())
		_, err = importer.CopyUpload(f, part, limit)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return uploadError(err, limit)
		}
	}
	return nil
}

func uploadError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.Is(err, importer.ErrTooLarge) || errors.As(err, &mbe) {
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("文件过大：上限为 %d MB，请拆分为多个文件后导入", limit>>20), Fields: map[string]string{"file": "文件过大"}}
	}
	return errField("file", "上传未完成或格式有误，请重新上传")
}

// checkFileName refuses an uploaded file's name that no text may hold
// (a NUL byte, a bidi override that shows "exe.jpg" for "gpj.exe").
func checkFileName(name string) error {
	if msg := domain.TextProblem(name, false); msg != "" {
		return errField("file", "文件名"+msg)
	}
	return nil
}

// cleanFileName keeps the base name a browser sent, for display only.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		return "未命名.xlsx"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.ImportJobs.GetImportJob(r.Context(), p.Scope(), id)
}

func (s *Server) listImports(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	items, err := s.Store.ImportJobs.ListImportJobs(r.Context(), p.Scope(), 20)
	if err != nil {
		return nil, err
	}
	return list(items, len(items), store.Page{Number: 1, Size: 20}), nil
}

func (s *Server) importErrorCopy(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	j, err := s.Store.ImportJobs.GetImportJob(r.Context(), p.Scope(), id)
	if err != nil {
		return nil, err
	}
	if s.Imports == nil || !j.HasErrorCopy {
		return nil, errNotFound
	}
	// A members file's bad rows hold ID numbers and phones as typed: they
	// go back to whoever uploaded them, or to a holder of the plain-export
	// role, and every download is audited like an export.
	if j.Kind == importer.KindMembers && j.Username != p.User.Username && !p.Can(auth.PermPIIExport) {
		return nil, &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "党员导入的错误清单含身份证号、手机号明文，只能由上传者或持“个人信息明文导出”角色者下载"}
	}
	f, err := s.Imports.ErrorCopy(id)
	if errors.Is(err, os.ErrNotExist) && j.Instance != s.Imports.Instance {
		return nil, &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "错误清单保存在执行该导入的服务实例上，本实例无法提供；请稍后重试，或在本页的错误明细中查看"}
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, &apiError{Status: http.StatusNotFound, Code: "not_found", Message: fmt.Sprintf("错误清单只保留 %d 天，已删除；请重新导入原文件以得到新的错误清单", importer.ErrorCopyDays)}
	}
	if err != nil {
		return nil, err
	}
	ev := audit.New(s.Now(), p.Actor(), audit.ActionExport, "import_errors", fmt.Sprint(j.ID), audit.ResultSuccess)
	ev.Reason = "下载导入错误清单：" + j.FileName
	if err := s.Store.Audit(r.Context(), ev); err != nil {
		f.Close()
		return nil, err
	}
	name := strings.TrimSuffix(j.FileName, filepath.Ext(j.FileName)) + "-错误说明.xlsx"
	return download{name: name, write: func(w io.Writer) error {
		defer f.Close()
		_, err := io.Copy(w, f)
		return err
	}}, nil
}

// downloadTemplate serves an empty import template ({file} is
// organizations.xlsx or members.xlsx).
func (s *Server) downloadTemplate(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	kind := strings.TrimSuffix(r.PathValue("file"), ".xlsx")
	tpl, sheet, ok := importer.TemplateOf(kind)
	if !ok {
		return nil, errNotFound
	}
	return download{name: sheet + "导入模板.xlsx", write: func(w io.Writer) error { return xlsx.WriteTemplate(w, tpl, sheet) }}, nil
}
