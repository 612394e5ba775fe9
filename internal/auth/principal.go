package auth

import (
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	User         accounts.UserView
	Permissions  []Permission
	SessionHash  string
	IP           string
	UserAgent    string
	RequestID    string
	IdleTimeout  time.Duration
	PasswordDays *int // days until the password expires (negative when expired); nil with no policy
	TOTPRequired bool // the roles require a second factor (secondfactor.go)
}

// Can reports whether the caller holds a permission.
func (p *Principal) Can(perm Permission) bool {
	for _, x := range p.Permissions {
		if x == perm {
			return true
		}
	}
	return false
}

// PasswordExpired reports whether the password is older than the policy
// allows; until it is changed, only the password routes answer.
func (p *Principal) PasswordExpired() bool { return p.PasswordDays != nil && *p.PasswordDays < 0 }

// Scope is the caller's data scope: the subtree of their Party-org node.
func (p *Principal) Scope() store.Scope { return store.Scope{Path: p.User.PartyOrgPath} }

// Actor identifies the caller in the audit trail.
func (p *Principal) Actor() audit.Actor {
	roles := make([]string, len(p.User.Roles))
	for i, r := range p.User.Roles {
		roles[i] = string(r)
	}
	return audit.Actor{UserID: p.User.ID, Username: p.User.Username, Roles: strings.Join(roles, ","), IP: p.IP, UserAgent: p.UserAgent, RequestID: p.RequestID}
}

// Caller is the store's view of this principal at now.
func (p *Principal) Caller(now time.Time) store.Caller {
	return store.Caller{Now: now, Scope: p.Scope(), Actor: p.Actor(), Roles: p.User.Roles}
}

// HasRole reports whether the caller holds a role.
func (p *Principal) HasRole(r domain.Role) bool { return p.User.HasRole(r) }
