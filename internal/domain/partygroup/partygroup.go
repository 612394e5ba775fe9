// Package partygroup holds the rules of 党小组: the groups a branch divides
// its members into (支部工作条例 第十三条: a branch with many members, or
// members working apart, sets up 党小组; the group's 组长 is appointed by the
// branch). A branch with active groups owes a 党小组会 a month (the ledger
// reads party_orgs.party_groups, which the store keeps).
package partygroup

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

// Statuses of a group.
const (
	StatusActive    = "active"
	StatusDissolved = "dissolved"
)

// Group is a 党小组 of a branch.
type PartyGroup struct {
	ID             int64       `json:"id"`
	PartyOrgID     int64       `json:"party_org_id"`
	Name           string      `json:"name"`
	LeaderMemberID *int64      `json:"leader_member_id"`
	FoundedOn      domain.Date `json:"founded_on"`
	Status         string      `json:"status"`
	DissolvedOn    domain.Date `json:"dissolved_on"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	Version        int         `json:"version"`
}

// Input is the editable part of a group; nil means not given.
type PartyGroupInput struct {
	Name           *string `json:"name"`
	LeaderMemberID *int64  `json:"leader_member_id"`
	FoundedOn      *string `json:"founded_on"`
	Version        *int    `json:"version"`
}

// Apply copies the given fields onto g; a leader id of 0 clears the leader.
func (in PartyGroupInput) Apply(g *PartyGroup) {
	if in.Name != nil {
		g.Name = strings.TrimSpace(*in.Name)
	}
	if in.LeaderMemberID != nil {
		if *in.LeaderMemberID == 0 {
			g.LeaderMemberID = nil
		} else {
			id := *in.LeaderMemberID
			g.LeaderMemberID = &id
		}
	}
	if in.FoundedOn != nil {
		g.FoundedOn = domain.Date(strings.TrimSpace(*in.FoundedOn))
	}
}

// NameMax bounds a group's name.
const NameMax = 30

// Validate checks a group's own fields at today.
func (g PartyGroup) Validate(today time.Time) error {
	v := &domain.ValidationError{}
	switch n := utf8.RuneCountInString(g.Name); {
	case n == 0:
		v.Add("name", "请填写党小组名称，如“第一党小组”")
	case n > NameMax:
		v.Add("name", "党小组名称不能超过30个字")
	}
	if g.FoundedOn != "" {
		if t, ok := domain.ParseDate(string(g.FoundedOn)); !ok {
			v.Add("founded_on", domain.DateProblem("成立日期", string(g.FoundedOn)))
		} else if t.After(domain.TodayUTC(today)) {
			v.Add("founded_on", "成立日期不能晚于今天")
		}
	}
	return v.Err()
}

// CanHaveGroups reports whether a Party org of type t divides into 党小组:
// the branches (党支部 and its joint, mobile and temporary kinds).
func CanHaveGroups(t domain.PartyOrgType) bool {
	switch t {
	case domain.Branch, domain.JointBranch, domain.MobileBranch, domain.TemporaryBranch:
		return true
	}
	return false
}

// CheckOrg refuses groups for a Party org that cannot have them.
func CheckOrg(o domain.PartyOrg) error {
	switch {
	case !CanHaveGroups(o.Type):
		return domain.FieldError("party_org_id", "只有党支部（含联合、流动、临时党支部）可以设立党小组，"+o.Type.Name()+"不能")
	case o.Status != domain.StatusActive:
		return domain.FieldError("party_org_id", "该党组织已撤销，不能设立或调整党小组")
	}
	return nil
}

// CheckMember says whether a member (held by heldBy, in good standing or
// not) may belong to, or lead, a group of the branch branchID.
func CheckMember(field string, heldBy *int64, registered bool, branchID int64) error {
	switch {
	case heldBy == nil || *heldBy != branchID:
		return domain.FieldError(field, "党小组成员须是本支部的党员（组织关系在本支部）")
	case !registered:
		return domain.FieldError(field, "该党员不在册（停止党籍、出党等），不能编入党小组")
	}
	return nil
}

// DissolveInput is the body of a group's dissolution.
type PartyGroupDissolution struct {
	DissolvedOn string `json:"dissolved_on"`
}

// Validate checks the dissolution date against the group.
func (d PartyGroupDissolution) Validate(g PartyGroup, today time.Time) error {
	t, ok := domain.ParseDate(strings.TrimSpace(d.DissolvedOn))
	switch {
	case g.Status != StatusActive:
		return domain.FieldError("status", "该党小组已撤销")
	case !ok:
		return domain.FieldError("dissolved_on", domain.DateProblem("撤销日期", strings.TrimSpace(d.DissolvedOn)))
	case t.After(domain.TodayUTC(today)):
		return domain.FieldError("dissolved_on", "撤销日期不能晚于今天")
	case g.FoundedOn != "" && string(g.FoundedOn) > strings.TrimSpace(d.DissolvedOn):
		return domain.FieldError("dissolved_on", "撤销日期不能早于成立日期")
	}
	return nil
}

// MembersInput is the whole membership of a group, as staff set it.
type PartyGroupMembers struct {
	MemberIDs []int64 `json:"member_ids"`
}

// MaxMembers bounds a group's membership in one request (a branch has
// "一般不超过50人"; joint branches more).
const MaxMembers = 500
