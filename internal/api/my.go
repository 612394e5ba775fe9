package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store/orglife"
)

// Members' own pages and check-ins. The member is always the session's:
// p.User.MemberID, set only on accounts linked to a member.

func memberOf(p *auth.Principal) (int64, error) {
	if p.User.MemberID == nil {
		return 0, &domain.ForbiddenError{Message: "此功能仅限党员本人账号使用"}
	}
	return *p.User.MemberID, nil
}

// activateRequest is a member's first login.
type activateRequest struct {
	Username string `json:"username"`
	Code     string `json:"code"`
	Password string `json:"password"`
}

func (s *Server) activate(w http.ResponseWriter, r *http.Request, _ *auth.Principal) (any, error) {
	var req activateRequest
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if len(req.Username) > 64 || len(req.Code) > 32 || len(req.Password) > 256 {
		return nil, errInvalid("输入过长", nil)
	}
	token, p, err := s.Auth.Activate(r.Context(), req.Username, req.Code, req.Password, s.client(r))
	if pending := (*auth.SecondFactorNeeded)(nil); errors.As(err, &pending) {
		return s.secondFactorPending(w, r, pending), nil
	}
	if err != nil {
		return nil, err
	}
	s.setSessionCookie(w, r, token)
	return s.meWithMember(r, p)
}

// checkin is the contract's POST /checkins: a member's scan of an
// activity's code.
func (s *Server) checkin(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	memberID, err := memberOf(p)
	if err != nil {
		return nil, err
	}
	code, err := decodeCode(w, r)
	if err != nil {
		return nil, err
	}
	return s.checkins().ByActivityCode(r.Context(), memberID, p.User.ID, code, s.Now())
}

// myCode is the member's rotating code.
type myCode struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
	// RefreshIn is when the phone should fetch the next code, in seconds.
	RefreshIn int `json:"refresh_in"`
}

func (s *Server) myCode(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	memberID, err := memberOf(p)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	c, err := s.memberCodes().Issue(memberID, now)
	if err != nil {
		return nil, err
	}
	// A code lives two steps; fetching after one keeps a fresh one shown.
	refresh := max(int(c.ExpiresAt.Sub(now)/time.Second)-30, 1)
	return answerCode(r, c.Code, myCode{Code: c.Code, ExpiresAt: c.ExpiresAt, RefreshIn: refresh})
}

func (s *Server) myOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	memberID, err := memberOf(p)
	if err != nil {
		return nil, err
	}
	return s.Store.Life.MemberSelf(r.Context(), memberID)
}

func (s *Server) myAttendance(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	memberID, err := memberOf(p)
	if err != nil {
		return nil, err
	}
	q := newQuery(r)
	year := q.year(s.Now())
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Life.MemberAttendance(r.Context(), memberID, year)
}

// myActivities is the member's home page: the month's theme and the org's
// activities.
type myActivities struct {
	Theme *activity.MonthlyTheme  `json:"theme"`
	Items []orglife.ActivityBrief `json:"items"`
}

func (s *Server) myActivities(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	memberID, err := memberOf(p)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	items, err := s.Store.Life.MemberActivities(r.Context(), memberID, now)
	if err != nil {
		return nil, err
	}
	out := myActivities{Items: items}
	if t, err := s.Store.Life.MonthlyTheme(r.Context(), now.In(domain.Shanghai).Format("2006-01")); err == nil {
		out.Theme = &t
	}
	return out, nil
}

// nearbyAnswer says where the search was centred, so that the page can say
// "按锦江区中心估算" for a typed place.
type nearbyAnswer struct {
	Center   domain.LatLng           `json:"center"`
	Place    string                  `json:"place"`
	RadiusKm float64                 `json:"radius_km"`
	Items    []orglife.ActivityBrief `json:"items"`
}

func (s *Server) myNearby(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	memberID, err := memberOf(p)
	if err != nil {
		return nil, err
	}
	q := newQuery(r)
	out := nearbyAnswer{RadiusKm: 5}
	if q.str("radius_km") != "" {
		out.RadiusKm, _ = q.float("radius_km", 1, orglife.MaxNearbyKm, "范围应在1到50公里之间")
	}
	lat, lng, near := q.str("lat"), q.str("lng"), q.str("near")
	switch {
	case lat != "" || lng != "":
		la, ok1 := number(lat, -90, 90)
		ln, ok2 := number(lng, -180, 180)
		if !ok1 || !ok2 {
			q.errs.Add("lat", "位置无效：纬度应在-90到90之间，经度应在-180到180之间")
		}
		out.Center = domain.LatLng{Lat: la, Lng: ln}
		out.Place = "当前位置"
	case near != "":
		reg, c, ok := domain.ResolvePlace(near)
		if !ok {
			q.errs.Add("near", "无法识别该地点，请输入区（市）县名称，如“锦江区”“高新区”")
		}
		out.Center, out.Place = c, reg.Name+"中心（估算）"
	default:
		q.errs.Add("lat", "请允许定位，或输入地址、区（市）县名称")
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	out.Items, err = s.Store.Life.NearbyActivities(r.Context(), memberID, out.Center, out.RadiusKm, s.Now())
	return out, err
}

// Compliance ledger.

func (s *Server) complianceFilter(q *query) orglife.ComplianceFilter {
	f := orglife.ComplianceFilter{Year: q.year(s.Now()), Region: q.str("region"), OnlyMissing: q.flag("only_missing")}
	if id := q.id("under"); id != nil {
		f.Under = *id
	}
	q.codes(activity.Requirements, "requirement", &f.Requirement)
	return f
}

func (s *Server) compliance(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	id := q.id("party_org_id")
	year := q.year(s.Now())
	if id == nil && q.str("party_org_id") == "" {
		q.errs.Add("party_org_id", "请选择党组织")
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Life.Compliance(r.Context(), p.Scope(), *id, year, s.Now())
}

func (s *Server) complianceSummary(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := s.complianceFilter(q)
	by := q.oneOf("by", "region", "committee")
	if by == "" {
		by = "region"
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Life.SummarizeCompliance(r.Context(), p.Scope(), f, by, s.Now())
}

func (s *Server) complianceOrgs(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := s.complianceFilter(q)
	pg := q.page()
	if err := q.err(); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Life.ComplianceOrgs(r.Context(), p.Scope(), f, pg, s.Now())
	if err != nil {
		return nil, err
	}
	return list(items, total, pg), nil
}

func (s *Server) exportCompliance(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	v, err := s.compliance(w, r, p)
	if err != nil {
		return nil, err
	}
	l, caller := v.(orglife.OrgCompliance), p.Caller(s.Now())
	return download{name: l.PartyOrg.Name + "-三会一课台账-" + strconv.Itoa(l.Ledger.Year) + ".xlsx", write: func(w io.Writer) error {
		return importer.ExportLedger(r.Context(), s.Store, caller, l, w)
	}}, nil
}
