package api

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
)

// xlsxType is the media type of a workbook download.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// download is a handler's result that is a file, not JSON: write renders it
// into a temporary file first, so that a failure half way turns into an
// error answer instead of a truncated workbook.
type download struct {
	name  string // file name offered to the browser
	write func(io.Writer) error
}

func (s *Server) sendDownload(w http.ResponseWriter, r *http.Request, d download) {
	tmp, err := os.CreateTemp("", "lianxin-download-*")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// Mode 0600 from CreateTemp; removed whatever happens (it may hold
	// personal data).
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := d.write(tmp); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", xlsxType)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(d.name))
	h.Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", time.Time{}, tmp)
}

func (s *Server) exportOrganizations(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := organizationFilter(newQuery(r))
	if err != nil {
		return nil, err
	}
	c := p.Caller(s.Now())
	return download{name: "两新组织-" + c.Now.In(domain.Shanghai).Format("20060102") + ".xlsx", write: func(w io.Writer) error {
		_, err := importer.ExportOrganizations(r.Context(), s.Store, c, f, w)
		return err
	}}, nil
}

func (s *Server) exportMembers(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	reveal := q.flag("reveal")
	f, err := memberFilter(q)
	if err != nil {
		return nil, err
	}
	if reveal && !p.Can(auth.PermPIIExport) {
		return nil, &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "导出身份证号、手机号明文需要“个人信息明文导出”角色"}
	}
	if err := s.recordLookup(r, p, f, "导出党员"); err != nil {
		return nil, err
	}
	c := p.Caller(s.Now())
	return download{name: "党员-" + c.Now.In(domain.Shanghai).Format("20060102") + ".xlsx", write: func(w io.Writer) error {
		_, err := importer.ExportMembers(r.Context(), s.Store, c, f, reveal, w)
		return err
	}}, nil
}
