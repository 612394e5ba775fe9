package api

import (
	"net/http"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Meta is the reference data the web app needs for its forms.
type Meta struct {
	PartyOrgTypes []domain.PartyOrgTypeInfo `json:"party_org_types"`
	Roles         []domain.RoleInfo         `json:"roles"`
	ZoneKinds     domain.CodeList           `json:"zone_kinds"`
	AuditActions  map[string]string         `json:"audit_actions"`
	Version       string                    `json:"version"`
	// The registry's reference lists (code → Chinese name, in display order).
	Registry map[string]domain.CodeList `json:"registry"`
	// ActivityTypes are the types of organizational life with what each
	// counts for in the ledger.
	ActivityTypes []activity.ActivityTypeInfo `json:"activity_types"`
}

func (s *Server) meta(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return Meta{PartyOrgTypes: domain.PartyOrgTypes, Roles: domain.Roles, ZoneKinds: domain.ZoneKinds, AuditActions: audit.ActionNames, Version: s.Version,
		Registry: map[string]domain.CodeList{
			"org_kinds": domain.OrgKinds, "org_subtypes": domain.OrgSubtypes, "org_statuses": domain.OrgStatuses, "industries": domain.Industries,
			"employee_bands": domain.EmployeeBands, "revenue_bands": domain.RevenueBands, "org_flags": domain.OrgFlags, "party_building_flags": domain.PartyBuildingFlags,
			"ethnicities": domain.Ethnicities, "education_levels": domain.EducationLevels, "member_statuses": domain.MemberStatuses,
			"member_standings": domain.MemberStandings, "genders": domain.Genders, "gig_types": domain.GigTypes,
			"activity_statuses": activity.ActivityStatuses, "attendance_kinds": activity.AttendanceKinds, "checkin_methods": activity.CheckinMethods,
			"requirements": activity.Requirements, "period_statuses": activity.PeriodStatuses, "frequencies": activity.Frequencies,
		}, ActivityTypes: activity.ActivityTypes}, nil
}

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := registry.RegionFilter{ParentCode: q.str("parent_code"), Q: q.str("q"),
		Level: q.oneOf("level", domain.LevelCity, domain.LevelDistrict, domain.LevelFunctionalZone, domain.LevelStreet, domain.LevelCommunity)}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Registry.ListRegions(r.Context(), f)
}

func (s *Server) listZones(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	pg := q.page()
	if err := q.err(); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Registry.ListZones(r.Context(), p.Scope(), q.str("q"), pg)
	if err != nil {
		return nil, err
	}
	return list(items, total, pg), nil
}

func (s *Server) getZone(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.GetZone(r.Context(), p.Scope(), id)
}

func (s *Server) createZone(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req registry.ZoneInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	z, err := s.Store.Registry.SaveZone(r.Context(), p.Caller(s.Now()), 0, req)
	if err != nil {
		return nil, err
	}
	return created{z}, nil
}

func (s *Server) updateZone(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req registry.ZoneInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Registry.SaveZone(r.Context(), p.Caller(s.Now()), id, req)
}

// Dashboard holds the business home page's counts (staff). The 三员's home
// pages read their own figures: GET /users/stats and /audit-events/stats.
type Dashboard struct {
	ScopeName string                   `json:"scope_name"`
	PartyOrgs *registry.PartyOrgCounts `json:"party_orgs,omitempty"`
	Terms     *TermCounts              `json:"terms,omitempty"`
}

// TermCounts are the 换届 figures of the home page.
type TermCounts struct {
	Overdue int `json:"overdue"`
	DueSoon int `json:"due_soon"`
}

// AuditCounts are the trail figures of the home page.
type AuditCounts struct {
	Today         int `json:"today"`
	FailuresToday int `json:"failures_today"`
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	ctx, now := r.Context(), s.Now()
	d := Dashboard{ScopeName: p.User.PartyOrgName}
	if p.Can(auth.PermPartyOrgRead) {
		c, err := s.Store.Registry.CountPartyOrgs(ctx, p.Scope())
		if err != nil {
			return nil, err
		}
		d.PartyOrgs = &c
		today := domain.DateOf(now)
		t, _ := domain.ParseDate(string(today))
		soon := t.AddDate(0, 0, domain.TermDueSoonDays).Format(domain.DateLayout)
		var tc TermCounts
		if tc.Overdue, tc.DueSoon, err = s.Store.Registry.CountTerms(ctx, p.Scope(), string(today), soon); err != nil {
			return nil, err
		}
		d.Terms = &tc
	}
	return d, nil
}

func (s *Server) userStats(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.Accounts.CountUsers(r.Context(), p.Scope(), s.Now())
}

func (s *Server) auditStats(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	y, m, day := s.Now().In(domain.Shanghai).Date()
	var ac AuditCounts
	var err error
	ac.Today, ac.FailuresToday, err = s.Store.CountAudit(r.Context(), time.Date(y, m, day, 0, 0, 0, 0, domain.Shanghai))
	return ac, err
}

func (s *Server) getSecuritySettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.SecuritySettings(r.Context())
}

func (s *Server) putSecuritySettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req domain.SecuritySettings
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if err := s.Store.SetSecuritySettings(r.Context(), p.Caller(s.Now()), req); err != nil {
		return nil, err
	}
	return req, nil
}

// AuditEventView is an audit record as the auditor's page shows it.
type AuditEventView struct {
	ID         int64  `json:"id"`
	At         string `json:"at"`
	Username   string `json:"username"`
	Roles      string `json:"roles"`
	IP         string `json:"ip"`
	Action     string `json:"action"`
	ActionName string `json:"action_name"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Result     string `json:"result"`
	Reason     string `json:"reason"`
	Before     string `json:"before"`
	After      string `json:"after"`
	RequestID  string `json:"request_id"`
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := store.AuditFilter{Username: q.str("username"), ObjectType: q.str("object_type"), ObjectID: q.str("object_id"),
		Result: q.oneOf("result", audit.ResultSuccess, audit.ResultFailure), From: q.time("from", false), To: q.time("to", true), Page: q.page()}
	if a := q.str("action"); a != "" {
		if _, ok := audit.ActionNames[a]; !ok {
			q.errs.Add("action", "未知的操作类型："+a)
		}
		f.Action = a
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	evs, total, err := s.Store.ListAudit(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := make([]AuditEventView, len(evs))
	for i, e := range evs {
		at := e.At
		if t, err := time.Parse(audit.TimeLayout, e.At); err == nil {
			at = t.Format(time.RFC3339)
		}
		out[i] = AuditEventView{ID: e.ID, At: at, Username: e.Username, Roles: e.Roles, IP: e.IP, Action: e.Action, ActionName: audit.ActionNames[e.Action],
			ObjectType: e.ObjectType, ObjectID: e.ObjectID, Result: e.Result, Reason: e.Reason, Before: e.Before, After: e.After, RequestID: e.RequestID}
	}
	return list(out, total, f.Page), nil
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.VerifyAudit(r.Context())
}
