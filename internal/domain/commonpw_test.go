package domain

import (
	"strings"
	"testing"
)

// TestCommonPasswords: the list refuses the usual guesses in any case, with
// the usual suffixes and look-alike characters, and leaves others alone.
func TestCommonPasswords(t *testing.T) {
	if n := len(commonPasswords); n < 300 {
		t.Errorf("only %d common passwords", n)
	}
	for _, pw := range []string{
		"password", "PASSWORD", "P@ssw0rd", "Passw0rd!", "P@ssw0rd2026", "Password123!",
		"Admin@123", "ADMIN@1234", "Admin123!@#", "Root@123", "Huawei12#$", "Test@123",
		"1qaz@WSX", "1Qaz2wsx!", "Qwer@1234", "Zaq12wsx", "Qwertyuiop1!", "Asdfghjkl@1",
		"Woaini1314!", "Woaini@520", "Zhangwei@123", "Wangfang888!", "Chengdu@2026", "Zhongguo#1",
		"Aa123456", "Abc@1234", "a123456789", "Hell0", "Dangjian@2026", "Xuexiqiangguo1!",
	} {
		if !IsCommonPassword(pw) {
			t.Errorf("%q is not refused", pw)
		}
	}
	for _, pw := range []string{
		"Test@2026pass", "Lianxin@2026", "Zhang#Wei2026", "Liu#Yang2026", "Gx7!mPq2vR", "Tea@Mountain42",
		"abc@2026", // a word under four letters only with noise appended
	} {
		if IsCommonPassword(pw) {
			t.Errorf("%q is refused", pw)
		}
	}
	for p := range commonPasswords {
		if p != strings.ToLower(p) {
			t.Errorf("%q is not lower case", p)
		}
	}
	s := DefaultSecuritySettings
	err := s.CheckPassword("new_password", "Woaini@1314", "")
	if err == nil || err.(*ValidationError).Fields["new_password"] == "" {
		t.Errorf("the policy lets Woaini@1314 through: %v", err)
	}
}
