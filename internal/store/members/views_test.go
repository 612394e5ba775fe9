package members

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// knownMember has known personal data, dates before domain.EarliestShownDate
// (withheld when shown) and every field set.
func knownMember() record {
	org, emp := int64(7), int64(9)
	at := time.Date(2026, 3, 1, 2, 3, 4, 0, time.UTC)
	return record{
		Member: domain.Member{ID: 42, Name: "王史", Gender: "male", Ethnicity: "01", BirthDate: "1930-03-07", IDNumber: "510104193003070017",
			Phone: "13800001234", Education: "bachelor", JoinedOn: "1950-07-01", FullMemberOn: "1951-07-01", Status: "full", Standing: "registered",
			PartyOrgID: &org, EmployerID: &emp, Job: "骑手", Post: "站长", KeyPost: true, Mobile: true, MobilePlace: "上海", GigType: "courier",
			CreatedAt: at, UpdatedAt: at.Add(time.Hour), Version: 3},
		OrgNames: OrgNames{PartyOrgName: "某支部", EmployerName: "某公司", EmployerUSCC: "91510100MA61234567"},
	}
}

// plainOf are the ways knownMember's personal data could show: the values,
// the birth date in either form, the eight digits the mask hides; early
// are the dates that bound the birth date too closely to be shown.
var (
	plainOf = []string{"510104193003070017", "13800001234", "00001234", "1930-03-07", "19300307"}
	early   = []string{"1950-07-01", "1951-07-01"}
)

// Issue 12: the answers keep their bytes (the JSON of each, the same member,
// as the code before the typed views wrote it), and what anyone who may
// read members gets, or the history and the trail record, holds none of the
// plain values.
func TestViewsKeepTheirJSON(t *testing.T) {
	r := knownMember()
	for name, c := range map[string]struct {
		v      any
		want   string
		absent []string
	}{
		"shown":    {shown(r), `{"id":42,"name":"王史","gender":"male","ethnicity":"01","id_number":"510104********0017","phone":"138****1234","education":"bachelor","joined_on":null,"full_member_on":null,"status":"full","standing":"registered","standing_on":null,"party_org_id":7,"employer_id":9,"job":"骑手","post":"站长","key_post":true,"mobile":true,"mobile_place":"上海","gig_type":"courier","created_at":"2026-03-01T02:03:04Z","updated_at":"2026-03-01T03:03:04Z","version":3,"party_org_name":"某支部","employer_name":"某公司","employer_uscc":"91510100MA61234567","withheld":["joined_on","full_member_on"]}`, append(plainOf, early...)},
		"revealed": {revealed(r), `{"id":42,"name":"王史","gender":"male","ethnicity":"01","id_number":"510104193003070017","phone":"13800001234","education":"bachelor","joined_on":"1950-07-01","full_member_on":"1951-07-01","status":"full","standing":"registered","standing_on":null,"party_org_id":7,"employer_id":9,"job":"骑手","post":"站长","key_post":true,"mobile":true,"mobile_place":"上海","gig_type":"courier","created_at":"2026-03-01T02:03:04Z","updated_at":"2026-03-01T03:03:04Z","version":3,"party_org_name":"某支部","employer_name":"某公司","employer_uscc":"91510100MA61234567","birth_date":"1930-03-07"}`, nil},
		// The history and the trail keep the early dates: the auditor's
		// reading and MemberHistory withhold them.
		"recorded": {recorded(r.Member), `{"id":42,"name":"王史","gender":"male","ethnicity":"01","id_number":"510104********0017","phone":"138****1234","education":"bachelor","joined_on":"1950-07-01","full_member_on":"1951-07-01","status":"full","standing":"registered","standing_on":null,"party_org_id":7,"employer_id":9,"job":"骑手","post":"站长","key_post":true,"mobile":true,"mobile_place":"上海","gig_type":"courier","created_at":"2026-03-01T02:03:04Z","updated_at":"2026-03-01T03:03:04Z","version":3}`, plainOf},
		"created":  {memberState{}, `{"id":0,"name":"","gender":"","ethnicity":"","id_number":"","phone":"","education":"","joined_on":null,"full_member_on":null,"status":"","standing":"","standing_on":null,"party_org_id":null,"employer_id":null,"job":"","post":"","key_post":false,"mobile":false,"mobile_place":"","gig_type":"","created_at":"0001-01-01T00:00:00Z","updated_at":"0001-01-01T00:00:00Z","version":0}`, nil},
	} {
		b, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", name, b, c.want)
		}
		for _, p := range c.absent {
			if strings.Contains(string(b), p) {
				t.Errorf("%s carries %s: %s", name, p, b)
			}
		}
	}
	if s := recorded(r.Member); s.IDNumber.String() != "510104********0017" || s.Phone.String() != "138****1234" {
		t.Errorf("recorded %v %v", s.IDNumber, s.Phone)
	}
}

// Issue 12: the types say it. Every field of the masked views that holds
// an ID number or a phone is pii.Masked, which a plain string cannot become;
// neither has a birth date; the plain values live in RevealedMember alone.
func TestMaskedViewsHoldNoPlainField(t *testing.T) {
	masked := reflect.TypeFor[pii.Masked]()
	for _, v := range []any{MemberView{}, memberState{}} {
		fields := reflect.VisibleFields(reflect.TypeOf(v))
		seen := 0
		for _, f := range fields {
			switch name := strings.Split(f.Tag.Get("json"), ",")[0]; name {
			case "id_number", "phone":
				seen++
				if f.Type != masked {
					t.Errorf("%T.%s is %v, want pii.Masked", v, f.Name, f.Type)
				}
			case "birth_date", "age":
				t.Errorf("%T has %s", v, name)
			}
		}
		if seen != 2 {
			t.Errorf("%T: %d personal fields found, want 2", v, seen)
		}
	}
}
