package filings_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/filings"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var now = storetest.Now

// filingFixture: the tree of tree() with members of the branch a1x (four
// full, one probationary) and one full member of b.
type filingFixture struct {
	s       *stores.Set
	ids     map[string]int64
	members map[string]int64
}

func newFilingFixture(t *testing.T, s *stores.Set) *filingFixture {
	t.Helper()
	f := &filingFixture{s: s, ids: storetest.Tree(t, s), members: map[string]int64{}}
	add := func(i int, name, org, status string) {
		id := domain.MakeIDNumber("510104", time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC), 100+i, true)
		in := domain.MemberInput{Name: storetest.Ptr(name), IDNumber: storetest.Ptr(id), JoinedOn: storetest.Ptr("2015-07-01"), Status: storetest.Ptr(status), PartyOrgID: storetest.Ptr(f.ids[org])}
		if status == domain.MemberFull {
			in.FullMemberOn = storetest.Ptr("2016-07-01")
		} else {
			in.JoinedOn = storetest.Ptr("2026-03-01")
		}
		m, err := s.Members.SaveMember(context.Background(), storetest.Sys(), 0, in)
		if err != nil {
			t.Fatal(err)
		}
		f.members[name] = m.ID
	}
	add(1, "张一", "a1x", domain.MemberFull)
	add(2, "张二", "a1x", domain.MemberFull)
	add(3, "张三", "a1x", domain.MemberFull)
	add(4, "张四", "a1x", domain.MemberFull)
	add(5, "预备", "a1x", domain.MemberProbationary)
	add(6, "乙某", "b", domain.MemberFull)
	return f
}

// as is a caller bound to the named org.
func (f *filingFixture) as(t *testing.T, name string) store.Caller {
	t.Helper()
	o, err := f.s.Registry.GetPartyOrg(context.Background(), store.ScopeAll, f.ids[name])
	if err != nil {
		t.Fatal(err)
	}
	return store.Caller{Now: now, Scope: store.Scope{Path: o.Path}, Actor: audit.Actor{Username: name + "-staff"}}
}

func (f *filingFixture) org(t *testing.T, name string) registry.PartyOrgView {
	t.Helper()
	o, err := f.s.Registry.GetPartyOrg(context.Background(), store.ScopeAll, f.ids[name])
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func wantField(t *testing.T, err error, field, msg string) {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.Fields[field], msg) {
		t.Fatalf("want 400 on %s ~ %q, got %v", field, msg, err)
	}
}

func TestSecretaryFilingFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newFilingFixture(t, s)
		branch, a1, b := f.as(t, "a1x"), f.as(t, "a1"), f.as(t, "b")
		if o := f.org(t, "a1x"); o.SecretaryVacantSince != "2026-11-27" {
			t.Errorf("a new org without a secretary is vacant since its creation: %q", o.SecretaryVacantSince)
		}
		appoint := func(member string) filing.SecretaryFilingInput {
			return filing.SecretaryFilingInput{PartyOrgID: f.ids["a1x"], Kind: filing.FilingAppointment, MemberID: storetest.Ptr(f.members[member]),
				EffectiveOn: "2026-11-20", Method: "elected", MeetingOn: "2026-11-18", MeetingRecord: "支部党员大会选举产生"}
		}
		_, err := s.Filings.CreateSecretaryFiling(ctx, branch, appoint("乙某"))
		wantField(t, err, "member_id", filing.NotFullMemberMessage)
		_, err = s.Filings.CreateSecretaryFiling(ctx, branch, appoint("预备"))
		wantField(t, err, "member_id", "预备党员没有被选举权")
		_, err = s.Filings.CreateSecretaryFiling(ctx, b, appoint("张一"))
		wantField(t, err, "party_org_id", "管理范围")

		fl, err := s.Filings.CreateSecretaryFiling(ctx, branch, appoint("张一"))
		if err != nil {
			t.Fatal(err)
		}
		if fl.Status != filing.RequestPending || fl.PersonName != "张一" || fl.ParentName != "a1" || fl.CanDecide {
			t.Fatalf("filed %+v", fl)
		}
		if _, err := s.Filings.CreateSecretaryFiling(ctx, branch, appoint("张二")); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("second pending appointment: %v", err)
		}
		// Only the superior decides: not the org itself, not another branch.
		_, err = s.Filings.ApproveSecretaryFiling(ctx, branch, fl.ID, filing.DecisionInput{})
		var fe *domain.ForbiddenError
		if !errors.As(err, &fe) || fe.Message != "只有上级党组织（a1）或更上级可以审批该备案" {
			t.Fatalf("approval by the org itself: %v", err)
		}
		if _, err := s.Filings.ApproveSecretaryFiling(ctx, b, fl.ID, filing.DecisionInput{}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("approval from outside the scope: %v", err)
		}
		if todo, err := s.Filings.FilingTodo(ctx, f.ids["a1"]); err != nil || todo.FilingsToApprove != 1 {
			t.Errorf("a1's to-do %+v %v", todo, err)
		}
		if todo, err := s.Filings.FilingTodo(ctx, f.ids["a1x"]); err != nil || todo.FilingsToApprove != 0 {
			t.Errorf("the branch's to-do %+v %v", todo, err)
		}
		list, total, err := s.Filings.ListSecretaryFilings(ctx, a1.Scope, filings.RequestFilter{ToApprove: true})
		if err != nil || total != 1 || !list[0].CanDecide {
			t.Fatalf("to approve: %d %+v %v", total, list, err)
		}
		if _, total, _ := s.Filings.ListSecretaryFilings(ctx, branch.Scope, filings.RequestFilter{ToApprove: true}); total != 0 {
			t.Errorf("the branch may approve %d", total)
		}

		// Returned with a reason, edited and resubmitted, approved.
		_, err = s.Filings.ReturnSecretaryFiling(ctx, a1, fl.ID, filing.DecisionInput{})
		wantField(t, err, "reason", "请填写退回原因")
		fl, err = s.Filings.ReturnSecretaryFiling(ctx, a1, fl.ID, filing.DecisionInput{Reason: "请补充会议记录"})
		if err != nil || fl.Status != filing.RequestReturned || fl.DecisionNote != "请补充会议记录" {
			t.Fatalf("return: %+v %v", fl, err)
		}
		if todo, _ := s.Filings.FilingTodo(ctx, f.ids["a1x"]); todo.Returned != 1 {
			t.Errorf("returned to-do %+v", todo)
		}
		if _, err := s.Filings.ApproveSecretaryFiling(ctx, a1, fl.ID, filing.DecisionInput{}); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("approving a returned filing: %v", err)
		}
		in := appoint("张一")
		in.MeetingRecord, in.Version = "支部党员大会选举产生，应到5人，实到5人", storetest.Ptr(fl.Version)
		fl, err = s.Filings.ResubmitSecretaryFiling(ctx, branch, fl.ID, in)
		if err != nil || fl.Status != filing.RequestPending || fl.MeetingRecord != in.MeetingRecord {
			t.Fatalf("resubmit: %+v %v", fl, err)
		}
		before := f.org(t, "a1x")
		fl, err = s.Filings.ApproveSecretaryFiling(ctx, f.as(t, "root"), fl.ID, filing.DecisionInput{Note: "同意"})
		if err != nil || fl.Status != filing.RequestApproved || fl.DecidedAt == nil {
			t.Fatalf("approve: %+v %v", fl, err)
		}
		o := f.org(t, "a1x")
		if o.SecretaryName != "张一" || o.SecretaryMemberID == nil || *o.SecretaryMemberID != f.members["张一"] ||
			o.SecretarySince != "2026-11-20" || o.SecretaryVacantSince != "" || o.SecretaryUnfiledSince != "" || o.Version != before.Version+1 {
			t.Fatalf("after approval: %+v", o.PartyOrg)
		}
		h, err := s.Registry.PartyOrgHistory(ctx, store.ScopeAll, f.ids["a1x"])
		if err != nil || h[0].Action != "secretary_filing" || h[0].Changes["secretary_name"].To == nil {
			t.Fatalf("history %+v %v", h, err)
		}
		if _, err := s.Filings.ApproveSecretaryFiling(ctx, a1, fl.ID, filing.DecisionInput{}); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("approving twice: %v", err)
		}
		_, err = s.Filings.CreateSecretaryFiling(ctx, branch, appoint("张一"))
		wantField(t, err, "member_id", "已是本党组织书记")

		// The departure names the current secretary; its approval empties the post.
		dep, err := s.Filings.CreateSecretaryFiling(ctx, branch, filing.SecretaryFilingInput{PartyOrgID: f.ids["a1x"], Kind: filing.FilingDeparture,
			EffectiveOn: "2026-11-25", Reason: "transferred"})
		if err != nil || dep.PersonName != "张一" || dep.MemberID == nil {
			t.Fatalf("departure %+v %v", dep, err)
		}
		if _, err := s.Filings.ApproveSecretaryFiling(ctx, a1, dep.ID, filing.DecisionInput{}); err != nil {
			t.Fatal(err)
		}
		o = f.org(t, "a1x")
		if o.SecretaryName != "" || o.SecretaryMemberID != nil || o.SecretaryVacantSince != "2026-11-25" {
			t.Fatalf("after departure: %+v", o.PartyOrg)
		}
		_, err = s.Filings.CreateSecretaryFiling(ctx, branch, filing.SecretaryFilingInput{PartyOrgID: f.ids["a1x"], Kind: filing.FilingDeparture,
			EffectiveOn: "2026-11-26", Reason: "resigned"})
		wantField(t, err, "kind", "没有书记")

		// A withdrawn filing stays, withdrawn.
		w, err := s.Filings.CreateSecretaryFiling(ctx, branch, appoint("张二"))
		if err != nil {
			t.Fatal(err)
		}
		if w, err = s.Filings.WithdrawSecretaryFiling(ctx, branch, w.ID); err != nil || w.Status != filing.RequestWithdrawn {
			t.Fatalf("withdraw %+v %v", w, err)
		}
		if _, total, _ := s.Filings.ListSecretaryFilings(ctx, branch.Scope, filings.RequestFilter{PartyOrgID: f.ids["a1x"]}); total != 3 {
			t.Errorf("filings of the org: %d", total)
		}
	})
}

func TestFormSecretaryChangeIsUnfiled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newFilingFixture(t, s)
		later := f.as(t, "a1")
		later.Now = now.AddDate(0, 0, 3)
		o, err := s.Registry.UpdatePartyOrg(ctx, later, f.ids["a1x"], domain.PartyOrgInput{SecretaryName: storetest.Ptr("李四")})
		if err != nil {
			t.Fatal(err)
		}
		if o.SecretaryUnfiledSince != "2026-11-30" || o.SecretaryVacantSince != "" || o.SecretaryMemberID != nil {
			t.Fatalf("named through the form: %+v", o)
		}
		o, err = s.Registry.UpdatePartyOrg(ctx, later, f.ids["a1x"], domain.PartyOrgInput{SecretaryName: storetest.Ptr("")})
		if err != nil || o.SecretaryVacantSince != "2026-11-30" {
			t.Fatalf("emptied through the form: %+v %v", o, err)
		}
		// An edit of another field leaves the secretary's facts alone.
		o, err = s.Registry.UpdatePartyOrg(ctx, later, f.ids["a1x"], domain.PartyOrgInput{ShortName: storetest.Ptr("一支部")})
		if err != nil || o.SecretaryVacantSince != "2026-11-30" || o.SecretaryUnfiledSince != "2026-11-30" {
			t.Fatalf("other edit: %+v %v", o, err)
		}
		// An org created with its secretary named is not vacant.
		c, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(f.ids["a1"]), domain.PartyOrgInput{Name: storetest.Ptr("c"), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104"),
			FoundedOn: storetest.Ptr("2025-01-01"), SecretaryName: storetest.Ptr("王五")})
		if err != nil || c.SecretaryVacantSince != "" {
			t.Fatalf("created with a secretary: %+v %v", c, err)
		}
		c, err = s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(f.ids["a1"]), domain.PartyOrgInput{Name: storetest.Ptr("d"), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104"), FoundedOn: storetest.Ptr("2025-01-01")})
		if err != nil || c.SecretaryVacantSince != "2025-01-01" {
			t.Fatalf("created without a secretary: %+v %v", c, err)
		}
	})
}

func TestTermsElectionsAndChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newFilingFixture(t, s)
		branch, a1 := f.as(t, "a1x"), f.as(t, "a1")
		org := f.ids["a1x"]
		// A term is recorded directly by the superior, never by the org itself.
		if _, err := s.Filings.RecordTerm(ctx, branch, org, domain.TermInput{StartOn: "2023-06-30", Years: storetest.Ptr(3)}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the org recorded its own term: %v", err)
		}
		_, err := s.Filings.RecordTerm(ctx, a1, org, domain.TermInput{StartOn: "2023-06-30", EndOn: "2023-06-01"})
		wantField(t, err, "end_on", "任期届满日期不能早于开始日期")
		terms, err := s.Filings.RecordTerm(ctx, a1, org, domain.TermInput{StartOn: "2023-06-30", Years: storetest.Ptr(3)})
		if err != nil || terms.Current.EndOn != "2026-06-30" || terms.Current.State != domain.TermOverdue || len(terms.Terms) != 1 {
			t.Fatalf("recorded term %+v %v", terms, err)
		}
		if overdue, _, err := s.Registry.CountTerms(ctx, a1.Scope, "2026-11-27", "2027-02-25"); err != nil || overdue != 1 {
			t.Errorf("overdue count %d %v", overdue, err)
		}

		postpone := domain.TermChangeInput{PartyOrgID: org, Kind: domain.TermPostpone, NewDate: "2027-07-01", Reason: "企业重组，党员变动较大"}
		_, err = s.Filings.CreateTermChange(ctx, branch, postpone)
		wantField(t, err, "new_date", "延期一般不超过1年（最晚 2027-06-30）；确需超过请勾选确认")
		postpone.ConfirmOverLimit = true
		ch, err := s.Filings.CreateTermChange(ctx, branch, postpone)
		if err != nil || !ch.OverLimit || ch.Status != filing.RequestPending || ch.TermID == nil {
			t.Fatalf("postponement %+v %v", ch, err)
		}
		if _, err := s.Filings.CreateTermChange(ctx, branch, postpone); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("second pending change: %v", err)
		}
		var fe *domain.ForbiddenError
		if _, err := s.Filings.ApproveTermChange(ctx, branch, ch.ID, filing.DecisionInput{}); !errors.As(err, &fe) || !strings.Contains(fe.Message, "审批该申请") {
			t.Fatalf("approved by the org itself: %v", err)
		}
		if todo, _ := s.Filings.FilingTodo(ctx, f.ids["a1"]); todo.ChangesToApprove != 1 {
			t.Errorf("a1's to-do %+v", todo)
		}
		if ch, err = s.Filings.ApproveTermChange(ctx, a1, ch.ID, filing.DecisionInput{Note: "同意延期"}); err != nil || ch.Status != filing.RequestApproved {
			t.Fatalf("approve %+v %v", ch, err)
		}
		o := f.org(t, "a1x")
		if o.PostponedTo != "2027-07-01" || o.PartyOrg.TermState(now) != domain.TermOK {
			t.Fatalf("after postponement %+v", o.PartyOrg)
		}
		if overdue, _, _ := s.Registry.CountTerms(ctx, a1.Scope, "2026-11-27", "2027-02-25"); overdue != 0 {
			t.Errorf("a postponed term counted overdue")
		}
		h, _ := s.Registry.PartyOrgHistory(ctx, store.ScopeAll, org)
		if h[0].Action != "term_change" || h[0].Changes["postponed_to"].To == nil {
			t.Errorf("history %+v", h[0])
		}
		// A pending advancement of the term that the election then ends.
		adv, err := s.Filings.CreateTermChange(ctx, branch, domain.TermChangeInput{PartyOrgID: org, Kind: domain.TermAdvance, NewDate: "2026-01-15", Reason: "与上级同步换届"})
		if err != nil {
			t.Fatal(err)
		}

		seat := func(name, post string) domain.CommitteeSeat {
			return domain.CommitteeSeat{MemberID: f.members[name], Post: post}
		}
		election := domain.ElectionInput{HeldOn: "2026-11-20", Method: "member_meeting", ExpectedVoters: 5, PresentVoters: 4,
			Committee: []domain.CommitteeSeat{seat("张一", "secretary"), seat("张二", "organization"), seat("张三", "propaganda")}, Notes: "差额选举"}
		_, err = s.Filings.RecordElection(ctx, branch, org, election)
		wantField(t, err, "present_voters", domain.QuorumMessage)
		election.PresentVoters = 5
		election.Committee[2] = seat("预备", "propaganda")
		_, err = s.Filings.RecordElection(ctx, branch, org, election)
		wantField(t, err, "committee[2].member_id", "第3位委员：该党员不是本党组织的正式党员")
		election.Committee[2] = seat("乙某", "propaganda")
		_, err = s.Filings.RecordElection(ctx, branch, org, election)
		wantField(t, err, "committee[2].member_id", filing.NotFullMemberMessage)
		election.Committee[2] = seat("张三", "propaganda")
		e, err := s.Filings.RecordElection(ctx, branch, org, election)
		if err != nil || e.FilingID == nil || e.Committee[0].Name != "张一" {
			t.Fatalf("election %+v %v", e, err)
		}
		o = f.org(t, "a1x")
		if o.TermStart != "2026-11-20" || o.TermEnd != "2029-11-20" || o.PostponedTo != "" || o.CommitteeSize != 3 || o.PartyOrg.TermState(now) != domain.TermOK {
			t.Fatalf("after the election %+v", o.PartyOrg)
		}
		fl, err := s.Filings.GetSecretaryFiling(ctx, branch.Scope, *e.FilingID)
		if err != nil || fl.Kind != filing.FilingAppointment || fl.Method != "elected" || fl.MeetingOn != "2026-11-20" || fl.Status != filing.RequestPending {
			t.Fatalf("filing of the election %+v %v", fl, err)
		}
		terms, err = s.Filings.OrgTerms(ctx, branch.Scope, org, now)
		if err != nil || len(terms.Terms) != 2 || terms.Terms[1].EndedOn != "2026-11-20" || terms.Terms[0].ElectionID == nil ||
			len(terms.Elections) != 1 || len(terms.Changes) != 2 || terms.Current.DaysLeft == nil {
			t.Fatalf("terms %+v %v", terms, err)
		}
		if _, err := s.Filings.ApproveTermChange(ctx, a1, adv.ID, filing.DecisionInput{}); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("approving a change of an ended term: %v", err)
		}
		if adv, err = s.Filings.ReturnTermChange(ctx, a1, adv.ID, filing.DecisionInput{Reason: "已换届"}); err != nil || adv.Status != filing.RequestReturned {
			t.Fatalf("return %+v %v", adv, err)
		}
		if adv, err = s.Filings.WithdrawTermChange(ctx, branch, adv.ID); err != nil || adv.Status != filing.RequestWithdrawn {
			t.Fatalf("withdraw %+v %v", adv, err)
		}
		// Out of scope: nothing.
		if _, err := s.Filings.OrgTerms(ctx, f.as(t, "b").Scope, org, now); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("terms from b: %v", err)
		}
		if _, err := s.Filings.RecordElection(ctx, f.as(t, "b"), org, election); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("election from b: %v", err)
		}
	})
}
