package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/attachment"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/services/checkins"
	"github.com/lianxin/lianxin/internal/store/orglife"
)

// Organizational life: activities, their check-in codes and posters,
// attendance, attachments, monthly themes and settings.

var activityListQuery = withPaging(
	param{"party_org_id", "integer", "主办或联办党组织"}, param{"under", "integer", "该党组织的整棵子树"},
	param{"region", "string", "区划代码（含下级街道）"}, param{"type", "string", "活动类型"}, param{"status", "string", "planned、held、cancelled"},
	param{"open", "boolean", "开放式活动"}, param{"from", "string", "开始日期起（YYYY-MM-DD）"}, param{"to", "string", "开始日期止（YYYY-MM-DD）"},
	param{"q", "string", "名称包含"}, param{"sort", "string", "starts_at 或 -starts_at（默认）"})

// activityFilter reads the filters the list and the calendar share.
func activityFilter(q *query) orglife.ActivityFilter {
	f := orglife.ActivityFilter{Region: q.str("region"), Q: q.str("q"), Desc: true}
	if id := q.id("party_org_id"); id != nil {
		f.PartyOrgID = *id
	}
	if id := q.id("under"); id != nil {
		f.Under = *id
	}
	q.codes(activity.ActivityTypeCodes(), "type", &f.Type)
	q.codes(activity.ActivityStatuses, "status", &f.Status)
	if q.str("open") != "" {
		open := q.flag("open")
		f.Open = &open
	}
	f.From, f.To = q.date("from"), q.date("to")
	return f
}

func (s *Server) listActivities(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := activityFilter(q)
	f.Page = q.page()
	if q.sort(map[string]string{"starts_at": ""}) == "starts_at" {
		f.Desc = false
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Life.ListActivities(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

var activityCalendarQuery = []param{
	{"from", "string", "第一天（YYYY-MM-DD，必填）"}, {"to", "string", "最后一天（YYYY-MM-DD，必填；最多62天）"},
	{"per_day", "integer", "每天列出的活动数（0–10，默认3）"},
	{"party_org_id", "integer", "主办或联办党组织"}, {"under", "integer", "该党组织的整棵子树"},
	{"region", "string", "区划代码（含下级街道）"}, {"type", "string", "活动类型"}, {"status", "string", "planned、held、cancelled"},
	{"open", "boolean", "开放式活动"}, {"q", "string", "名称包含"}}

// activityCalendar answers the calendar's visible days: each day's count
// in the caller's scope and its first activities.
func (s *Server) activityCalendar(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := activityFilter(q)
	perDay := activity.CalendarPerDay
	if v := q.str("per_day"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > activity.CalendarMaxPerDay {
			q.errs.Add("per_day", fmt.Sprintf("每天列出的活动数应在0至%d之间", activity.CalendarMaxPerDay))
		}
		perDay = n
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Life.ActivityCalendar(r.Context(), p.Scope(), f, perDay)
}

func (s *Server) createActivity(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in activity.ActivityInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	v, err := s.Store.Life.CreateActivity(r.Context(), p.Caller(s.Now()), in)
	if err != nil {
		return nil, err
	}
	return created{v}, nil
}

func (s *Server) getActivity(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Life.GetActivity(r.Context(), p.Scope(), id)
}

// activityPatch is a full edit with the version the editor saw.
type activityPatch struct {
	activity.ActivityInput
	Version *int `json:"version"`
}

func (s *Server) updateActivity(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in activityPatch
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	return s.Store.Life.UpdateActivity(r.Context(), p.Caller(s.Now()), id, in.ActivityInput, in.Version)
}

func (s *Server) cancelActivity(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in activity.CancelInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	return s.Store.Life.CancelActivity(r.Context(), p.Caller(s.Now()), id, in)
}

func (s *Server) activityHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Life.ActivityHistory(r.Context(), p.Scope(), id)
}

// activitySettings reads the city's rules for activities.
func (s *Server) activitySettings(r *http.Request) (activity.ActivitySettings, error) {
	return s.Store.Life.ActivitySettings(r.Context())
}

// activityCodes is the code issuer under the current settings.
func (s *Server) activityCodes(r *http.Request) (checkin.ActivityCodes, activity.ActivitySettings, error) {
	return s.checkins().ActivityCodes(r.Context())
}

// qrSize reads ?size= for a QR image (default 400).
func qrSize(q *query) int {
	size := 400
	if v := q.str("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < checkin.MinQRSize || n > checkin.MaxQRSize {
			q.errs.Add("size", fmt.Sprintf("图片尺寸应在%d到%d像素之间", checkin.MinQRSize, checkin.MaxQRSize))
		}
		size = n
	}
	return size
}

// answerCode answers a code as JSON, or as its QR image with ?format=png.
func answerCode(r *http.Request, code string, v any) (any, error) {
	q := newQuery(r)
	format := q.oneOf("format", "json", "png")
	size := qrSize(q)
	if err := q.err(); err != nil {
		return nil, err
	}
	if format != "png" {
		return v, nil
	}
	img, err := checkin.PNG(code, size)
	if err != nil {
		return nil, err
	}
	return blob{contentType: "image/png", data: img}, nil
}

func (s *Server) activityCheckinCode(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	a, err := s.Store.Life.GetActivity(r.Context(), p.Scope(), id)
	if err != nil {
		return nil, err
	}
	if a.Status == activity.ActivityCancelled {
		return nil, &domain.ConflictError{Field: "status", Message: "活动已取消，没有签到码"}
	}
	codes, _, err := s.activityCodes(r)
	if err != nil {
		return nil, err
	}
	c, err := codes.Issue(a.ID, a.StartsAt, a.EndsAt)
	if err != nil {
		return nil, err
	}
	return answerCode(r, c.Code, c)
}

func (s *Server) activityAttendance(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Life.Attendance(r.Context(), p.Scope(), id)
}

func (s *Server) markAttendance(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in activity.AttendanceInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	st, err := s.activitySettings(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Life.MarkAttendance(r.Context(), p.Caller(s.Now()), id, in, st.CheckinBefore())
}

// codeRequest is a scanned or typed code.
type codeRequest struct {
	Code string `json:"code"`
}

// decodeCode reads the body of a scan: a code, however it was read.
func decodeCode(w http.ResponseWriter, r *http.Request) (string, error) {
	var in codeRequest
	if err := decode(w, r, &in); err != nil {
		return "", err
	}
	if strings.TrimSpace(in.Code) == "" {
		return "", errField("code", "请扫描或输入二维码")
	}
	return in.Code, nil
}

// scanMemberCode: the organizer scans a member's 一码通 at the activity.
func (s *Server) scanMemberCode(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	code, err := decodeCode(w, r)
	if err != nil {
		return nil, err
	}
	return s.checkins().ByMemberCode(r.Context(), p.Scope(), id, p.User.ID, code, s.Now())
}

// checkins records check-ins from scanned codes.
func (s *Server) checkins() checkins.Service { return checkins.Service{Store: s.Store, Codes: s.Codes} }

func (s *Server) memberCodes() checkin.MemberCodes { return s.checkins().MemberCodes() }

// Attachments.

func (s *Server) uploadAttachment(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	// Check the activity before reading a 10 MB body for nothing.
	if _, err := s.Store.Life.GetActivity(r.Context(), p.Scope(), id); err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, attachment.MaxBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errField("file", "请以 multipart/form-data 上传文件（字段名 file）")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errField("file", "请选择要上传的文件")
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: attachment.ErrTooLarge.Error(), Fields: map[string]string{"file": attachment.ErrTooLarge.Error()}}
		}
		if err != nil {
			return nil, errField("file", "上传的表单无法解析")
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		if err := checkFileName(part.FileName()); err != nil {
			part.Close()
			return nil, err
		}
		saved, err := s.Attachments.Save(part, part.FileName())
		part.Close()
		switch {
		case errors.Is(err, attachment.ErrTooLarge), errors.As(err, &mbe):
			return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: attachment.ErrTooLarge.Error(), Fields: map[string]string{"file": attachment.ErrTooLarge.Error()}}
		case errors.Is(err, attachment.ErrType), errors.Is(err, attachment.ErrMismatch), errors.Is(err, attachment.ErrEmpty):
			return nil, errField("file", err.Error())
		case err != nil:
			return nil, err
		}
		a, err := s.Store.Life.AddAttachment(r.Context(), p.Caller(s.Now()), orglife.Attachment{ActivityID: id, FileName: saved.FileName,
			ContentType: saved.ContentType, Size: saved.Size, SHA256: saved.SHA256, StoredName: saved.StoredName})
		if err != nil {
			s.Attachments.Remove(saved.StoredName)
			return nil, err
		}
		return created{a}, nil
	}
}

func attachmentIDs(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || aid <= 0 {
		return 0, 0, errNotFound
	}
	return id, aid, nil
}

func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, aid, err := attachmentIDs(r)
	if err != nil {
		return nil, err
	}
	a, err := s.Store.Life.GetAttachment(r.Context(), p.Scope(), id, aid)
	if err != nil {
		return nil, err
	}
	return blob{contentType: a.ContentType, name: a.FileName, path: a.StoredName, dir: s.Attachments, inline: strings.HasPrefix(a.ContentType, "image/")}, nil
}

func (s *Server) deleteAttachment(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, aid, err := attachmentIDs(r)
	if err != nil {
		return nil, err
	}
	a, err := s.Store.Life.DeleteAttachment(r.Context(), p.Caller(s.Now()), id, aid)
	if err != nil {
		return nil, err
	}
	if err := s.Attachments.Remove(a.StoredName); err != nil {
		s.Log.Warn("attachment file not removed", "file", a.StoredName, "err", err)
	}
	return nil, nil
}

// blob is a non-JSON answer: bytes in memory, or a stored attachment.
type blob struct {
	contentType string
	name        string
	data        []byte
	path        string
	dir         attachment.Dir
	inline      bool
}

func (s *Server) sendBlob(w http.ResponseWriter, r *http.Request, b blob) {
	h := w.Header()
	h.Set("Content-Type", b.contentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if b.name != "" {
		disp := "attachment"
		if b.inline {
			disp = "inline"
		}
		h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": b.name})+"; filename*=UTF-8''"+url.PathEscape(b.name))
	}
	if b.path == "" {
		w.Write(b.data)
		return
	}
	f, err := b.dir.Open(b.path)
	if err != nil {
		s.writeError(w, r, domain.ErrNotFound)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, "", time.Time{}, f)
}

// Monthly themes and settings.

func (s *Server) listThemes(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	year := q.year(s.Now())
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Life.MonthlyThemes(r.Context(), year)
}

func (s *Server) setTheme(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in themeInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	return s.Store.Life.SetMonthlyTheme(r.Context(), p.Caller(s.Now()), activity.MonthlyTheme{Month: r.PathValue("month"), Title: in.Title, Description: in.Description})
}

func (s *Server) getActivitySettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.activitySettings(r)
}

func (s *Server) putActivitySettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in activity.ActivitySettings
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	if err := s.Store.Life.SetActivitySettings(r.Context(), p.Caller(s.Now()), in); err != nil {
		return nil, err
	}
	return s.activitySettings(r)
}

func (s *Server) issueActivation(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Accounts.IssueActivation(r.Context(), p.Caller(s.Now()), id)
}
