package api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// coverageParams are the filters every coverage view takes.
var coverageParams = []param{{"region", "string", "区(市)县或功能区代码（含下级街道），或街道代码"}, {"zone", "integer", "园区/楼宇/市场"},
	{"industry", "string", "行业门类"}, {"chain", "string", "重点产业链"}}

// coverageFilter reads the coverage filters, naming each bad one.
func coverageFilter(q *query) coverage.CoverageFilter {
	f := coverage.CoverageFilter{Region: q.str("region"), ZoneID: q.id("zone"), Industry: q.str("industry"), Chain: q.str("chain")}
	if f.Industry != "" && !domain.Industries.Has(f.Industry) {
		q.errs.Add("industry", "参数 industry 的取值未知："+f.Industry)
	}
	return f
}

func (s *Server) coverageSummary(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := coverageFilter(q)
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Coverage.CoverageSummary(r.Context(), p.Caller(s.Now()), f)
}

func (s *Server) coverageBreakdown(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	by := q.oneOf("by", coverage.ByRegion, coverage.ByZone, coverage.ByIndustry, coverage.ByChain)
	if by == "" {
		by = coverage.ByRegion
	}
	f := coverageFilter(q)
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Coverage.CoverageBreakdown(r.Context(), p.Scope(), by, f)
}

func (s *Server) uncoveredFilter(r *http.Request) (coverage.UncoveredFilter, error) {
	q := newQuery(r)
	f := coverage.UncoveredFilter{CoverageFilter: coverageFilter(q), Q: q.str("q"), Page: q.page()}
	return f, q.err()
}

func (s *Server) listUncovered(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := s.uncoveredFilter(r)
	if err != nil {
		return nil, err
	}
	items, total, err := s.Store.Coverage.ListUncovered(r.Context(), p.Caller(s.Now()), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

// exportUncovered renders the filtered list as a workbook, audited.
func (s *Server) exportUncovered(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := s.uncoveredFilter(r)
	if err != nil {
		return nil, err
	}
	c := p.Caller(s.Now())
	return download{name: "未覆盖组织-" + c.Now.In(domain.Shanghai).Format("20060102") + ".xlsx", write: func(w io.Writer) error {
		_, err := importer.ExportUncovered(r.Context(), s.Store, c, f, w)
		return err
	}}, nil
}

func (s *Server) coverageTrend(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	days := 180
	if v := q.str("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > coverage.MaxTrendDays {
			q.errs.Add("days", "参数 days 应为1至"+strconv.Itoa(coverage.MaxTrendDays)+"之间的天数")
		}
		days = n
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Coverage.CoverageTrend(r.Context(), p.Caller(s.Now()), q.str("region"), days)
}

func (s *Server) getCoverageSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.Registry.CoverageSettings(r.Context())
}

func (s *Server) putCoverageSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req domain.CoverageSettings
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Registry.SetCoverageSettings(r.Context(), p.Caller(s.Now()), req)
}

// idAndBody reads the path's id and the JSON body of a write.
func idAndBody[T any](w http.ResponseWriter, r *http.Request) (int64, T, error) {
	var req T
	id, err := pathID(r)
	if err == nil {
		err = decode(w, r, &req)
	}
	return id, req, err
}

func (s *Server) addCover(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, req, err := idAndBody[registry.CoverInput](w, r)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Registry.AddCover(r.Context(), p.Caller(s.Now()), id, req); err != nil {
		return nil, err
	}
	v, err := s.Store.Coverage.GetOrganizationCoverage(r.Context(), p.Caller(s.Now()), id)
	return created{v}, err
}

func (s *Server) removeCover(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	// An organization outside the scope is 404 whatever the parameters.
	if _, err := s.Store.Registry.GetOrganization(r.Context(), p.Scope(), id); err != nil {
		return nil, err
	}
	q := newQuery(r)
	po := q.id("party_org_id")
	if po == nil {
		q.errs.Add("party_org_id", "请指定要解除覆盖关系的党组织（party_org_id）")
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	if err := s.Store.Registry.RemoveCover(r.Context(), p.Caller(s.Now()), id, *po); err != nil {
		return nil, err
	}
	return s.Store.Coverage.GetOrganizationCoverage(r.Context(), p.Caller(s.Now()), id)
}

func (s *Server) createAssignment(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, req, err := idAndBody[registry.AssignmentInput](w, r)
	if err != nil {
		return nil, err
	}
	a, err := s.Store.Registry.CreateAssignment(r.Context(), p.Caller(s.Now()), id, req)
	if err != nil {
		return nil, err
	}
	return created{a}, nil
}

func (s *Server) updateAssignment(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, req, err := idAndBody[registry.AssignmentInput](w, r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.UpdateAssignment(r.Context(), p.Caller(s.Now()), id, req)
}
