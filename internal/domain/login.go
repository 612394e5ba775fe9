package domain

import (
	"strings"
	"time"
)

// What a typed login name is. Staff log in with a username; a member with
// the phone number or the ID number on their record. One rule decides which
// a name is, for the lookup of the account and for the lockout's count.

// LoginKind is what a login name names.
type LoginKind int

// The kinds.
const (
	LoginUsername LoginKind = iota
	LoginPhone
	LoginIDNumber
)

func (k LoginKind) String() string {
	switch k {
	case LoginPhone:
		return "phone"
	case LoginIDNumber:
		return "id_number"
	}
	return "username"
}

// LoginName is a typed login name classified, with the one form it is
// looked up and counted under.
type LoginName struct {
	Kind LoginKind
	// Value: the 11-digit mobile number; the ID number, 18 characters
	// when it parses (a 15-digit one converted), else as normalized; the
	// username in lower case.
	Value string
}

// idNormalizeDay parses ID numbers for normalization only: every birth
// date is before it.
var idNormalizeDay = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// ClassifyLogin decides what a typed login names. A mainland mobile number
// however typed (+86, 0086, spaces, full-width digits) is a phone; else 15
// or 18 characters once spaces and dashes are gone are an ID number (an
// invalid one still: it is looked up as typed and matches nothing); anything
// else is a username.
func ClassifyLogin(login string) LoginName {
	login = strings.TrimSpace(login)
	if phone := NormalizePhone(login); ValidPhone(phone) {
		return LoginName{LoginPhone, phone}
	}
	if code := NormalizeCode(login); len(code) == 18 || len(code) == 15 {
		if n, err := ParseIDNumber(code, idNormalizeDay); err == nil {
			code = n.Number
		}
		return LoginName{LoginIDNumber, code}
	}
	return LoginName{LoginUsername, strings.ToLower(login)}
}

// CanonicalLogin is the form of a typed login name under which the lockout
// counts it: a phone number or an ID number however typed collapses to the
// one number the login looks up, anything else to its lower case. An
// unknown name is then counted exactly as a known one would be, so that a
// variant of a member's phone and of an unregistered one answer alike.
func CanonicalLogin(login string) string { return ClassifyLogin(login).Value }
