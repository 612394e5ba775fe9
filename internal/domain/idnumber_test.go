package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// idToday is the fixed "today" of these tests.
var idToday = day("2026-11-27")

// idWithCheck completes 17 digits with their MOD 11-2 check character.
func idWithCheck(first17 string) string {
	return first17 + string(IDCheckChar(first17))
}

func TestParseIDNumberValidVectors(t *testing.T) {
	// The valid vectors of domain-rules §5.2 (440524188001010014 is below:
	// its check character is right, but 1880 is before MinBirthYear).
	for _, c := range []struct {
		number, birth string
		male          bool
	}{
		{"11010519491231002X", "1949-12-31", false},
		{"510104199003070015", "1990-03-07", true},
		{"510124200002290025", "2000-02-29", false}, // old 郫县 code, leap day
		{"510185198512311239", "1985-12-31", true},
		{"510107194910010012", "1949-10-01", true},
		{"510107199510010040", "1995-10-01", false}, // check char '0'
		{"51010719951001018X", "1995-10-01", false}, // check char 'X'
	} {
		n, err := ParseIDNumber(c.number, idToday)
		if err != nil {
			t.Errorf("%s: %v", c.number, err)
			continue
		}
		want := IDNumber{Number: c.number, Region: c.number[:6], Birth: day(c.birth), Male: c.male}
		if n != want {
			t.Errorf("%s: got %+v, want %+v", c.number, n, want)
		}
		if IDCheckChar(c.number[:17]) != c.number[17] {
			t.Errorf("IDCheckChar(%s) = %c", c.number[:17], IDCheckChar(c.number[:17]))
		}
	}
}

func TestParseIDNumberInvalid(t *testing.T) {
	for _, c := range []struct {
		name, number string
		want         string // a part of the message that names the problem
	}{
		// §5.2 vectors.
		{"§5.2 wrong check", "510104199003070010", "校验位错误，应为 5"},
		{"§5.2 invalid check char", "11010519491231002Y", "最后一位（校验位）应为数字或X"},
		{"§5.2 2023-02-29", "510104202302290012", "出生日期20230229不是有效日期"},
		{"§5.2 born 1880", "440524188001010014", "出生日期18800101早于1900年"},
		// Dates.
		{"1900 is not a leap year", idWithCheck("51010419000229001"), "出生日期19000229不是有效日期"},
		{"month 13", idWithCheck("51010419901307001"), "出生日期19901307不是有效日期"},
		{"day 00", idWithCheck("51010419900300001"), "出生日期19900300不是有效日期"},
		{"born 1899-12-31", idWithCheck("51010418991231001"), "早于1900年"},
		{"born tomorrow", idWithCheck("51010420261128001"), "出生日期20261128晚于今天"},
		{"born in 2100", idWithCheck("51010421000101001"), "晚于今天"},
		// Provinces.
		{"province 00", idWithCheck("00010419900307001"), "前两位“00”不是有效的省级行政区划代码"},
		{"province 83", idWithCheck("83000019900307001"), "前两位“83”"},
		{"province 99", idWithCheck("99010419900307001"), "前两位“99”"},
		// Shape.
		{"empty", "", "请填写公民身份号码"},
		{"blank", " \n", "请填写公民身份号码"},
		{"17 digits", "51010419900307001", "应为18位（旧号码为15位），输入的是17位"},
		{"19 digits", "5101041990030700150", "输入的是19位"},
		{"16 digits", "5101049003070015", "输入的是16位"},
		{"letter inside", "5101041990030700A5", "前17位应为数字"},
		{"x not last", "51010419900307x015", "前17位应为数字"},
		{"a digit lost, spaces ignored", "510104 99003070015", "输入的是17位"},
		{"full-width letter last", "５1010419900307001Ａ", "最后一位（校验位）应为数字或X"},
		{"15 with letter", "51010490030700X", "15位的旧公民身份号码应全为数字"},
		{"15 with bad date", "510104900230001", "出生日期19900230不是有效日期"},
		{"15 on 1900-02-29", "510124000229002", "出生日期19000229不是有效日期"},
	} {
		_, err := ParseIDNumber(c.number, idToday)
		if msg := fieldMessage(t, err, "id_number"); !strings.Contains(msg, c.want) {
			t.Errorf("%s (%s): message %q, want it to contain %q", c.name, c.number, msg, c.want)
		}
	}
	if IDCheckChar("44052418800101001") != '4' {
		t.Error("the check character of 440524188001010014 is right; only the year fails")
	}
}

func TestParseIDNumberNormalises(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"51010719951001018x", "51010719951001018X"},
		{" 510104199003070015\t\n", "510104199003070015"},
		{"\u300011010519491231002x\u3000", "11010519491231002X"},
		// 15-digit legacy numbers: "19" inserted, check computed.
		{"510104900307001", "510104199003070015"},
		{"110105491231002", "11010519491231002X"},
		{" 510124960229002 ", idWithCheck("51012419960229002")},
	} {
		n, err := ParseIDNumber(c.in, idToday)
		if err != nil || n.Number != c.want {
			t.Errorf("%q: got %q, %v; want %s", c.in, n.Number, err, c.want)
		}
	}
}

func TestParseIDNumberOldChengduCodes(t *testing.T) {
	// §5.2/§6: retired codes stay on people's numbers and must be accepted.
	for _, region := range []string{"510122", "510124", "510132", "512081"} {
		num := idWithCheck(region + "19800101002")
		n, err := ParseIDNumber(num, idToday)
		if err != nil || n.Region != region || n.Male {
			t.Errorf("%s: %+v, %v", num, n, err)
		}
	}
}

func TestParseIDNumberToday(t *testing.T) {
	num := idWithCheck("51010420261127002")
	if _, err := ParseIDNumber(num, idToday); err != nil {
		t.Errorf("born today: %v", err)
	}
	// "Today" is the date in today's own location: 00:30 in Chengdu on the
	// 27th is still the 26th in UTC.
	early := time.Date(2026, 11, 27, 0, 30, 0, 0, Shanghai)
	if _, err := ParseIDNumber(num, early); err != nil {
		t.Errorf("born today, early morning: %v", err)
	}
	if _, err := ParseIDNumber(num, day("2026-11-26")); err == nil {
		t.Error("born tomorrow: accepted")
	}
	if _, err := ParseIDNumber(idWithCheck("51010419000101001"), idToday); err != nil {
		t.Errorf("born 1900-01-01: %v", err)
	}
	if _, err := ParseIDNumber(idWithCheck("51010420240229001"), idToday); err != nil {
		t.Errorf("born 2024-02-29: %v", err)
	}
}

func TestIDCheckCharRejectsBadInput(t *testing.T) {
	for _, s := range []string{"", "5101041990030700", "510104199003070015", "5101041990030700X", "５1010419900307001"} {
		if c := IDCheckChar(s); c != 0 {
			t.Errorf("IDCheckChar(%q) = %c, want 0", s, c)
		}
	}
}

func TestIDNumberConsistentWith(t *testing.T) {
	n, err := ParseIDNumber("510104199003070015", idToday)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.ConsistentWith(day("1990-03-07"), true); err != nil {
		t.Errorf("matching: %v", err)
	}
	// A time of day or zone does not matter, only the date.
	if err := n.ConsistentWith(time.Date(1990, 3, 7, 23, 0, 0, 0, Shanghai), true); err != nil {
		t.Errorf("matching, other zone: %v", err)
	}
	if err := n.ConsistentWith(time.Time{}, true); err != nil {
		t.Errorf("no birth date entered: %v", err)
	}
	var ve *ValidationError
	err = n.ConsistentWith(day("1990-07-03"), false)
	if !errors.As(err, &ve) || len(ve.Fields) != 2 ||
		ve.Fields["birth_date"] != "出生日期与公民身份号码不符，号码中的出生日期为1990-03-07" ||
		ve.Fields["gender"] != "性别与公民身份号码不符，号码中的性别为男" {
		t.Errorf("both wrong: %v", err)
	}
	f, _ := ParseIDNumber("11010519491231002X", idToday)
	if msg := fieldMessage(t, f.ConsistentWith(day("1949-12-31"), true), "gender"); !strings.HasSuffix(msg, "女") {
		t.Errorf("female: %q", msg)
	}
}

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "440524188001010014", "510124200002290025", "51010719951001018x",
		"510104199003070010", "11010519491231002Y", "510104202302290012", "510104900307001",
		" 510104199003070015 ", "", "５10104199003070015", "51010420261128001X",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseIDNumber(s, idToday)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields["id_number"] == "" {
				t.Fatalf("%q: error %v is not a single id_number FieldError", s, err)
			}
			return
		}
		if len(n.Number) != 18 || n.Region != n.Number[:6] {
			t.Fatalf("%q: got %+v", s, n)
		}
		if c := IDCheckChar(n.Number[:17]); c == 0 || c != n.Number[17] {
			t.Fatalf("%q: check char %c, number %s", s, c, n.Number)
		}
		n2, err := ParseIDNumber(n.Number, idToday)
		if err != nil || n2 != n {
			t.Fatalf("%q: re-parse gave %+v, %v; first %+v", s, n2, err, n)
		}
		if n.Birth.Year() < MinBirthYear || n.Birth.After(idToday) || n.Birth.Format("20060102") != n.Number[6:14] {
			t.Fatalf("%q: birth %v", s, n.Birth)
		}
		if n.Male != ((n.Number[16]-'0')%2 == 1) || n.ConsistentWith(n.Birth, n.Male) != nil {
			t.Fatalf("%q: gender %v", s, n.Male)
		}
		if in := strings.TrimSpace(s); len(in) == 15 && n.Number[:17] != in[:6]+"19"+in[6:] {
			t.Fatalf("%q: converted to %s", s, n.Number)
		}
	})
}
