package domain

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do; the three administrative roles (三员) are
// separated and never combined with each other or with business roles.
type Role string

// Roles.
const (
	RoleSysAdmin       Role = "sysadmin"
	RoleSecAdmin       Role = "secadmin"
	RoleAuditor        Role = "auditor"
	RoleCityStaff      Role = "city_staff"
	RoleDistrictStaff  Role = "district_staff"
	RoleCommitteeStaff Role = "committee_staff"
	RoleOrgStaff       Role = "org_staff"
	RoleMember         Role = "member"
	// RolePIIViewer may see ID numbers and phones in plain text (each time
	// audited), on top of a business role.
	RolePIIViewer Role = "pii_viewer"
	// RolePIIExporter may export lists with ID numbers and phones in plain
	// text (each export audited): a separate duty from viewing one record.
	RolePIIExporter Role = "pii_exporter"
)

// RoleInfo describes a role for the UI.
type RoleInfo struct {
	Code  Role   `json:"code"`
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
	// GrantedBy are the roles that may assign or remove it through the
	// system (see grant.go); none for the 三员 and members.
	GrantedBy []Role `json:"granted_by"`
}

var (
	byAccountAdmins = []Role{RoleSysAdmin, RoleSecAdmin}
	bySecAdmin      = []Role{RoleSecAdmin}
	byNobody        = []Role{}
)

// Roles lists every role in display order.
var Roles = []RoleInfo{
	{RoleSysAdmin, "系统管理员", true, byNobody},
	{RoleSecAdmin, "安全管理员", true, byNobody},
	{RoleAuditor, "审计管理员", true, byNobody},
	{RoleCityStaff, "市两新工委工作人员", false, byAccountAdmins},
	{RoleDistrictStaff, "区(市)县两新工委工作人员", false, byAccountAdmins},
	{RoleCommitteeStaff, "行业/综合党委工作人员", false, byAccountAdmins},
	{RoleOrgStaff, "基层党组织工作人员", false, byAccountAdmins},
	{RoleMember, "党员", false, byNobody},
	{RolePIIViewer, "个人信息明文查看", false, bySecAdmin},
	{RolePIIExporter, "个人信息明文导出", false, bySecAdmin},
}

// Info returns the description of r and whether it is a known role.
func (r Role) Info() (RoleInfo, bool) {
	for _, i := range Roles {
		if i.Code == r {
			return i, true
		}
	}
	return RoleInfo{}, false
}

// Name is the role's Chinese name.
func (r Role) Name() string {
	if i, ok := r.Info(); ok {
		return i.Name
	}
	return string(r)
}

// ValidateRoles checks a set of roles: known, no duplicates, at least one,
// and an administrative role (三员) stands alone.
func ValidateRoles(roles []Role) error {
	if len(roles) == 0 {
		return FieldError("roles", "请至少选择一个角色")
	}
	seen := map[Role]bool{}
	admin := 0
	for _, r := range roles {
		i, ok := r.Info()
		if !ok {
			return FieldError("roles", "未知角色："+string(r))
		}
		if seen[r] {
			return FieldError("roles", "角色重复："+i.Name)
		}
		seen[r] = true
		if i.Admin {
			admin++
		}
	}
	if admin > 0 && len(roles) > 1 {
		return FieldError("roles", "系统管理员、安全管理员、审计管理员（三员）须分设账号，不能与其他角色兼任")
	}
	return nil
}

// User is a login account bound to one Party-org node, its data scope.
type User struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	PartyOrgID         int64      `json:"party_org_id"`
	Roles              []Role     `json:"roles"`
	Disabled           bool       `json:"disabled"`
	FailedLogins       int        `json:"failed_logins"`
	LockedUntil        *time.Time `json:"locked_until"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	PasswordChangedAt  time.Time  `json:"password_changed_at"`
	MustChangePassword bool       `json:"must_change_password"`
	CreatedAt          time.Time  `json:"created_at"`
	Version            int        `json:"version"`
	PasswordHash       string     `json:"-"`
	// MemberID links a member's own account (role member) to the member.
	MemberID *int64 `json:"member_id,omitempty"`
}

// HasRole reports whether u holds r.
func (u *User) HasRole(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Locked reports whether the account is locked at now.
func (u *User) Locked(now time.Time) bool {
	return u.LockedUntil != nil && now.Before(*u.LockedUntil)
}

var usernameRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)

// ValidateUsername checks a login name: 3–32 characters, lowercase letters,
// digits, '_', '.', '-', starting with a letter.
func ValidateUsername(s string) error {
	if !usernameRE.MatchString(s) {
		return FieldError("username", "用户名须为3至32位小写字母、数字、下划线、点或连字符，并以字母开头")
	}
	return nil
}

// ValidateDisplayName checks a person's display name.
func ValidateDisplayName(s string) error {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	if n == 0 {
		return FieldError("display_name", "请填写姓名")
	}
	if n > 30 {
		return FieldError("display_name", "姓名不能超过30个字")
	}
	return nil
}

// SecuritySettings are the account-security parameters the 安全管理员 sets
// (等保 2.0 8.1.4.1; the defaults are the evaluators' usual expectations).
type SecuritySettings struct {
	LockoutThreshold   int `json:"lockout_threshold"`
	LockoutMinutes     int `json:"lockout_minutes"`
	IdleTimeoutMinutes int `json:"idle_timeout_minutes"`
	PasswordMinLength  int `json:"password_min_length"`
	PasswordMinClasses int `json:"password_min_classes"`
	PasswordMaxAgeDays int `json:"password_max_age_days"`
	// AccountLockoutThreshold locks a login name from every address once
	// this many failures came from any addresses within lockout_minutes
	// (the second layer: LockoutThreshold counts one address's failures).
	AccountLockoutThreshold int `json:"account_lockout_threshold"`
}

// DefaultSecuritySettings are used until the 安全管理员 changes them.
var DefaultSecuritySettings = SecuritySettings{
	LockoutThreshold:   5,
	LockoutMinutes:     30,
	IdleTimeoutMinutes: 30,
	PasswordMinLength:  8,
	PasswordMinClasses: 3,
	PasswordMaxAgeDays: 90,

	AccountLockoutThreshold: 20,
}

// Validate checks the settings' ranges.
func (s SecuritySettings) Validate() error {
	v := &ValidationError{}
	if s.LockoutThreshold < 3 || s.LockoutThreshold > 10 {
		v.Add("lockout_threshold", "登录失败锁定次数应在3至10次之间")
	}
	if s.AccountLockoutThreshold < 2*s.LockoutThreshold || s.AccountLockoutThreshold > 100 {
		v.Add("account_lockout_threshold", "累计登录失败锁定次数应在单一地址锁定次数的2倍至100次之间")
	}
	if s.LockoutMinutes < 1 || s.LockoutMinutes > 1440 {
		v.Add("lockout_minutes", "锁定时长应在1至1440分钟之间")
	}
	if s.IdleTimeoutMinutes < 5 || s.IdleTimeoutMinutes > 30 {
		v.Add("idle_timeout_minutes", "会话空闲超时应在5至30分钟之间（等保要求不超过30分钟）")
	}
	if s.PasswordMinLength < 8 || s.PasswordMinLength > 64 {
		v.Add("password_min_length", "密码最小长度应在8至64之间")
	}
	if s.PasswordMinClasses < 2 || s.PasswordMinClasses > 4 {
		v.Add("password_min_classes", "密码字符类别数应在2至4之间")
	}
	if s.PasswordMaxAgeDays < 0 || s.PasswordMaxAgeDays > 365 {
		v.Add("password_max_age_days", "密码有效期应在0（不限）至365天之间")
	}
	return v.Err()
}

// PasswordHistory is how many of an account's latest passwords (the
// current one included) a new password may not repeat.
const PasswordHistory = 5

// ErrPasswordReused is the message for a password among the latest ones.
func ErrPasswordReused(field string) error {
	return FieldError(field, "新密码不能与最近"+strconv.Itoa(PasswordHistory)+"次使用过的密码相同")
}

// CheckPassword applies the password policy and returns a Chinese message
// naming the field, or nil.
func (s SecuritySettings) CheckPassword(field, pw, username string) error {
	n := utf8.RuneCountInString(pw)
	if n < s.PasswordMinLength {
		return FieldError(field, "密码长度不能少于"+strconv.Itoa(s.PasswordMinLength)+"位")
	}
	if n > 128 {
		return FieldError(field, "密码长度不能超过128位")
	}
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return FieldError(field, "密码不能包含空白或控制字符")
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < s.PasswordMinClasses {
		return FieldError(field, "密码须包含大写字母、小写字母、数字、特殊字符中的至少"+strconv.Itoa(s.PasswordMinClasses)+"类")
	}
	lp := strings.ToLower(pw)
	if IsCommonPassword(pw) {
		return FieldError(field, "密码过于常见或由常见密码加数字、符号组成，请换一个")
	}
	if username != "" && strings.Contains(lp, strings.ToLower(username)) {
		return FieldError(field, "密码不能包含用户名")
	}
	return nil
}
