package auth

import (
	"strings"
	"unicode"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// hiddenLogin stands in the audit trail for a typed login that may be a
// password.
const hiddenLogin = "（疑似密码，已隐去）"

// maskLogin is how the audit trail names what someone typed as a login
// when it is no account: people type their password, or an ID number, into
// the username field. A phone number or anything that may be (part of) an
// ID number is masked; what cannot be a username (symbols, or upper case,
// lower case and digits mixed like a password) is hidden; a plausible
// username stays as typed, in lower case.
func maskLogin(login string) string {
	login = strings.TrimSpace(login)
	name := domain.ClassifyLogin(login)
	code := domain.NormalizeCode(login)
	switch {
	case name.Kind == domain.LoginPhone:
		return pii.MaskPhone(name.Value)
	case idLike(code):
		if len(code) >= 12 {
			return pii.MaskIDNumber(code)
		}
		return strings.Repeat("*", len(code))
	case domain.ValidateUsername(strings.ToLower(login)) == nil && !passwordLike(login):
		return strings.ToLower(login)
	}
	return hiddenLogin
}

// idLike: six or more digits, perhaps ending in the check letter X — an ID
// number, 15 or 18 long, or a part of one.
func idLike(code string) bool {
	if len(code) < 6 {
		return false
	}
	for i, r := range code {
		if !(r >= '0' && r <= '9' || r == 'X' && i == len(code)-1) {
			return false
		}
	}
	return true
}

// passwordLike: upper case, lower case and digits all present, which the
// password policy asks for and usernames (lower case) never have.
func passwordLike(s string) bool {
	var upper, lower, digit bool
	for _, r := range s {
		upper = upper || unicode.IsUpper(r)
		lower = lower || unicode.IsLower(r)
		digit = digit || unicode.IsDigit(r)
	}
	return upper && lower && digit
}
