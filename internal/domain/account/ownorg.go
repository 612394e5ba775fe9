package account

import (
	"github.com/lianxin/lianxin/internal/domain"
)

// A Party org's own staff (accounts whose scope node is the org itself) may
// not change their own org's term, type or parent: that would close a
// 换届超期 alert with no election, or lift the org out of its superior's
// oversight. The term changes through a 换届选举 the org records or a
// 延期/提前换届 request its superior approves; type and parent are changed
// by the superior's staff, whose direct corrections are audited like any
// edit (issue 11, finding 9).

var (
	errOwnTerm = &domain.ForbiddenError{Message: "本党组织不能自行修改届期（任期开始日期、任期年限），换届须登记换届选举，延期或提前换届须提交申请并经上级党组织批准"}
	errOwnType = &domain.ForbiddenError{Message: "本党组织不能自行修改党组织类型，须由上级党组织修改"}
	errOwnMove = &domain.ForbiddenError{Message: "本党组织不能自行调整隶属关系，须由上级党组织办理"}
)

// CheckOwnOrgChange refuses an edit of the caller's own node (own) that
// changes its term, type or parent. Other fields, and edits by a superior's
// staff (own false), pass.
func CheckOwnOrgChange(own bool, before, after domain.PartyOrg) error {
	if !own {
		return nil
	}
	switch {
	case after.TermStart != before.TermStart || after.TermYears != before.TermYears || after.TermEnd != before.TermEnd ||
		after.PostponedTo != before.PostponedTo:
		return errOwnTerm
	case after.Type != before.Type:
		return errOwnType
	case !sameID(after.ParentID, before.ParentID):
		return errOwnMove
	}
	return nil
}

// CheckOwnTermRecord refuses a direct record of the current term (not an
// election) on the caller's own node.
func CheckOwnTermRecord(own bool) error {
	if own {
		return errOwnTerm
	}
	return nil
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
