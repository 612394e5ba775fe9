package members

import (
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// What leaves the store about a member, by who may see what (issue 11's
// rule, domain/member_privacy.go), as types rather than as one field that
// holds plain text after a reveal or during a save:
//
//   - MemberView: as anyone who may read the member sees it, in lists,
//     details and masked exports. Its ID number and phone are pii.Masked,
//     which holds the mask only; it has no birth date; dates too early to
//     show are withheld.
//   - RevealedMember: the plain values and the birth date. Only RevealMember
//     (audited) and EachRevealedMember (the plain export, which its caller
//     audits) make one.
//   - memberState: a member as its history and the audit trail record it,
//     masked.
//
// Loading and saving work on domain.Member, whose plain values are never
// encoded; Seal turns them into what is stored.

// MemberFields are a member's own fields in the order that the answers, the
// history and the audit trail write them; P is how the ID number and the
// phone are held. Both views embed it, so the field list is written once.
type MemberFields[P pii.Masked | string] struct {
	ID           int64       `json:"id"`
	Name         string      `json:"name"`
	Gender       string      `json:"gender"`
	Ethnicity    string      `json:"ethnicity"`
	IDNumber     P           `json:"id_number"`
	Phone        P           `json:"phone"`
	Education    string      `json:"education"`
	JoinedOn     domain.Date `json:"joined_on"`
	FullMemberOn domain.Date `json:"full_member_on"`
	Status       string      `json:"status"`
	Standing     string      `json:"standing"`
	StandingOn   domain.Date `json:"standing_on"`
	PartyOrgID   *int64      `json:"party_org_id"`
	EmployerID   *int64      `json:"employer_id"`
	Job          string      `json:"job"`
	Post         string      `json:"post"`
	KeyPost      bool        `json:"key_post"`
	Mobile       bool        `json:"mobile"`
	MobilePlace  string      `json:"mobile_place"`
	GigType      string      `json:"gig_type"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
	Version      int         `json:"version"`
}

func fieldsOf[P pii.Masked | string](m domain.Member, idNumber, phone P) MemberFields[P] {
	return MemberFields[P]{ID: m.ID, Name: m.Name, Gender: m.Gender, Ethnicity: m.Ethnicity, IDNumber: idNumber, Phone: phone,
		Education: m.Education, JoinedOn: m.JoinedOn, FullMemberOn: m.FullMemberOn, Status: m.Status, Standing: m.Standing,
		StandingOn: m.StandingOn, PartyOrgID: m.PartyOrgID, EmployerID: m.EmployerID, Job: m.Job, Post: m.Post, KeyPost: m.KeyPost,
		Mobile: m.Mobile, MobilePlace: m.MobilePlace, GigType: m.GigType, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Version: m.Version}
}

// OrgNames are the names the pages show for a member's Party org and
// employer.
type OrgNames struct {
	PartyOrgName string `json:"party_org_name"`
	EmployerName string `json:"employer_name"`
	EmployerUSCC string `json:"employer_uscc"`
}

// MemberView is a member as anyone who may read it sees it: issue 11's
// member object, from which the ID number stays one of at least
// domain.MinIDCandidates.
type MemberView struct {
	MemberFields[pii.Masked]
	OrgNames
	// Withheld names the dates cleared because they would narrow the birth
	// date too much (domain.EarliestShownDate); a reveal shows them.
	Withheld []string `json:"withheld,omitempty"`
}

// RevealedMember is a member with the ID number and phone in plain text,
// the birth date and every date: the answer of an audited reveal and the
// rows of a plain export, nothing else.
type RevealedMember struct {
	MemberFields[string]
	OrgNames
	BirthDate domain.Date `json:"birth_date,omitempty"`
}

// memberState is a member as its history and the audit trail record it:
// personal data masked, never in plain text.
type memberState = MemberFields[pii.Masked]

// record is a member as loaded, with the names of its links: the plain
// values, for the store's own decisions; it is never answered.
type record struct {
	domain.Member
	OrgNames
}

// shown is r as MemberView: masked, no birth date, early dates withheld.
func shown(r record) MemberView {
	m, withheld := r.WithholdEarlyDates()
	return MemberView{fieldsOf(m, pii.MaskedIDNumber(m.IDNumber), pii.MaskedPhone(m.Phone)), r.OrgNames, withheld}
}

// revealed is r as RevealedMember.
func revealed(r record) RevealedMember {
	return RevealedMember{fieldsOf(r.Member, r.IDNumber, r.Phone), r.OrgNames, r.BirthDate}
}

// recorded is m as memberState.
func recorded(m domain.Member) memberState {
	return fieldsOf(m, pii.MaskedIDNumber(m.IDNumber), pii.MaskedPhone(m.Phone))
}
