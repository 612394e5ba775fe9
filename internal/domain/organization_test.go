package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var orgToday = day("2026-11-27")

// validUSCC builds a code with a correct check character from a category
// prefix and the Chengdu region 510104.
func validUSCC(prefix string) string {
	body := prefix + "510104" + "MA6CA1234"
	c, _ := USCCCheckChar(body)
	return body + string(c)
}

func validOrgInput() OrganizationInput {
	return OrganizationInput{
		USCC:                   ptr(" 91350100m000100y43 "),
		Name:                   ptr(" 成都示例科技有限公司 "),
		LegalRepresentative:    ptr("张三"),
		FounderName:            ptr("张三"),
		FounderIsMember:        ptr(true),
		RegisteredOn:           ptr("2015-06-01"),
		Address:                ptr("锦江区红星路一段1号"),
		Region:                 ptr("510104"),
		Longitude:              ptr(104.08),
		Latitude:               ptr(30.66),
		ZoneID:                 ptr(int64(3)),
		Industry:               ptr("i"),
		Chain:                  ptr("软件与信息服务"),
		Employees:              ptr(120),
		RevenueBand:            ptr("20m_100m"),
		Flags:                  ptr([]string{"high_tech", " above_scale "}),
		CharterIncludesParty:   ptr(true),
		CharterIncludesPartyOn: ptr("2020-07-01"),
		AreaManagerID:          ptr(int64(7)),
	}
}

func TestOrganizationValidDerives(t *testing.T) {
	o := NewOrganization(validOrgInput())
	if err := o.Validate(orgToday, nil); err != nil {
		t.Fatal(err)
	}
	if o.USCC != "91350100M000100Y43" || o.Kind != KindEnterprise || o.Subtype != "" {
		t.Errorf("uscc/kind: %q %q %q", o.USCC, o.Kind, o.Subtype)
	}
	if o.Name != "成都示例科技有限公司" || o.Industry != "I" || o.Status != OrgActive {
		t.Errorf("trim/defaults: %q %q %q", o.Name, o.Industry, o.Status)
	}
	if o.EmployeeBand != "100_299" {
		t.Errorf("band %q", o.EmployeeBand)
	}
	if !reflect.DeepEqual(o.Flags, []string{"above_scale", "high_tech"}) || !o.HasFlag("high_tech") || o.HasFlag("listed") {
		t.Errorf("flags %v", o.Flags)
	}
}

func TestOrganizationKindFromUSCC(t *testing.T) {
	for _, c := range []struct{ prefix, kind, subtype string }{
		{"91", "enterprise", ""},
		{"92", "individual_business", ""},
		{"93", "cooperative", ""},
		{"51", "social_org", "association"},
		{"52", "social_org", "service_institution"},
		{"53", "social_org", "foundation"},
	} {
		in := validOrgInput()
		in.USCC = ptr(validUSCC(c.prefix))
		o := NewOrganization(in)
		// a typed-in kind is overwritten
		o.Kind, o.Subtype = "cooperative", "foundation"
		if err := o.Validate(orgToday, nil); err != nil {
			t.Fatalf("%s: %v", c.prefix, err)
		}
		if o.Kind != c.kind || o.Subtype != c.subtype {
			t.Errorf("%s: got %s/%s, want %s/%s", c.prefix, o.Kind, o.Subtype, c.kind, c.subtype)
		}
	}
}

func TestOrganizationAcceptedUSCC(t *testing.T) {
	in := validOrgInput()
	in.USCC = ptr("91350203M0001QAY9B") // wrong check character
	o := NewOrganization(in)
	if err := o.Validate(orgToday, nil); err == nil {
		t.Fatal("wrong check character accepted")
	}
	if err := o.Validate(orgToday, map[string]bool{"91350203M0001QAY9B": true}); err != nil {
		t.Fatal(err)
	}
	if len(o.USCCWarnings) == 0 {
		t.Error("no warning for an exempt code")
	}
}

func TestOrganizationInvalid(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*OrganizationInput)
		field string
		msg   string
	}{
		{"uscc missing", func(in *OrganizationInput) { in.USCC = ptr("") }, "uscc", "请填写"},
		{"uscc check", func(in *OrganizationInput) { in.USCC = ptr("91350100M000100Y44") }, "uscc", "校验位错误"},
		{"uscc not 两新", func(in *OrganizationInput) { in.USCC = ptr(validUSCC("12")) }, "uscc", "不属于两新组织"},
		{"name empty", func(in *OrganizationInput) { in.Name = ptr("  ") }, "name", "请填写组织名称"},
		{"name long", func(in *OrganizationInput) { in.Name = ptr(strings.Repeat("企", 101)) }, "name", "100"},
		{"legal rep long", func(in *OrganizationInput) { in.LegalRepresentative = ptr(strings.Repeat("张", 31)) }, "legal_representative", "30"},
		{"founder member without name", func(in *OrganizationInput) { in.FounderName = ptr("") }, "founder_name", "党员"},
		{"registered bad", func(in *OrganizationInput) { in.RegisteredOn = ptr("2023-02-29") }, "registered_on", "YYYY-MM-DD"},
		{"registered future", func(in *OrganizationInput) { in.RegisteredOn = ptr("2026-11-28") }, "registered_on", "晚于今天"},
		{"status", func(in *OrganizationInput) { in.Status = ptr("closed") }, "status", "登记状态"},
		{"address long", func(in *OrganizationInput) { in.Address = ptr(strings.Repeat("路", 201)) }, "address", "200"},
		{"region", func(in *OrganizationInput) { in.Region = ptr("") }, "region", "所属区域"},
		{"lon only", func(in *OrganizationInput) { in.Latitude = nil }, "latitude", "同时"},
		{"lat only", func(in *OrganizationInput) { in.Longitude = nil }, "longitude", "同时"},
		{"lon range", func(in *OrganizationInput) { in.Longitude = ptr(30.66) }, "longitude", "73至136"},
		{"lat range", func(in *OrganizationInput) { in.Latitude = ptr(60.0) }, "latitude", "3至54"},
		{"zone", func(in *OrganizationInput) { in.ZoneID = ptr(int64(-2)) }, "zone_id", "无效"},
		{"industry missing", func(in *OrganizationInput) { in.Industry = ptr("") }, "industry", "请选择"},
		{"industry unknown", func(in *OrganizationInput) { in.Industry = ptr("U") }, "industry", "GB/T 4754"},
		{"chain long", func(in *OrganizationInput) { in.Chain = ptr(strings.Repeat("链", 51)) }, "chain", "50"},
		{"employees negative", func(in *OrganizationInput) { in.Employees = ptr(-1) }, "employees", "负数"},
		{"revenue band", func(in *OrganizationInput) { in.RevenueBand = ptr("huge") }, "revenue_band", "营业收入"},
		{"flag unknown", func(in *OrganizationInput) { in.Flags = ptr([]string{"unicorn"}) }, "flags", "unicorn"},
		{"flag twice", func(in *OrganizationInput) { in.Flags = ptr([]string{"listed", "listed"}) }, "flags", "上市”重复"},
		{"charter date without flag", func(in *OrganizationInput) {
			in.CharterIncludesParty = ptr(false)
			in.CharterIncludesPartyOn = ptr("2020-01-01")
		}, "charter_includes_party_on", "未标记"},
		{"charter date future", func(in *OrganizationInput) { in.CharterIncludesPartyOn = ptr("2027-01-01") }, "charter_includes_party_on", "晚于今天"},
		{"charter before registration", func(in *OrganizationInput) { in.CharterIncludesPartyOn = ptr("2015-05-31") }, "charter_includes_party_on", "早于登记"},
		{"charter date bad", func(in *OrganizationInput) { in.CharterIncludesPartyOn = ptr("2020-13-01") }, "charter_includes_party_on", "YYYY-MM-DD"},
		{"chain master without chain", func(in *OrganizationInput) {
			in.Chain = ptr("")
			in.Flags = ptr([]string{"chain_master"})
		}, "chain", "链主须选择"},
		{"chain master not an enterprise", func(in *OrganizationInput) {
			in.USCC = ptr(validUSCC("52"))
			in.Flags = ptr([]string{"chain_master"})
		}, "flags", "链主须为企业"},
		{"area manager missing", func(in *OrganizationInput) { in.AreaManagerID = nil }, "area_manager_id", "属地管理"},
		{"industry manager", func(in *OrganizationInput) { in.IndustryManagerID = ptr(int64(-1)) }, "industry_manager_id", "无效"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validOrgInput()
			c.edit(&in)
			o := NewOrganization(in)
			err := o.Validate(orgToday, nil)
			ve, ok := err.(*ValidationError)
			if !ok {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			if msg, ok := ve.Fields[c.field]; !ok || !strings.Contains(msg, c.msg) {
				t.Fatalf("fields %v: want %s containing %q", ve.Fields, c.field, c.msg)
			}
			if len(ve.Fields) != 1 {
				t.Errorf("extra fields reported: %v", ve.Fields)
			}
		})
	}
}

func TestOrganizationOptionalFieldsMayBeEmpty(t *testing.T) {
	o := NewOrganization(OrganizationInput{
		USCC: ptr(validUSCC("92")), Name: ptr("张记面馆"), Region: ptr("510104"),
		Industry: ptr("H"), AreaManagerID: ptr(int64(1)),
	})
	if err := o.Validate(orgToday, nil); err != nil {
		t.Fatal(err)
	}
	if o.EmployeeBand != "" || o.Flags == nil {
		t.Errorf("band %q flags %v", o.EmployeeBand, o.Flags)
	}
	// the charter flag may be set without a date
	o.CharterIncludesParty = true
	if err := o.Validate(orgToday, nil); err != nil {
		t.Fatal(err)
	}
}

func TestOrganizationApplyPatch(t *testing.T) {
	o := NewOrganization(validOrgInput())
	if err := o.Validate(orgToday, nil); err != nil {
		t.Fatal(err)
	}
	before := o
	OrganizationInput{}.Apply(&o)
	if !reflect.DeepEqual(o, before) {
		t.Fatal("an empty input changed the organization")
	}
	var in OrganizationInput
	if err := json.Unmarshal([]byte(`{"name":" 新名称 ","employees":0,"zone_id":0,"industry_manager_id":9,"charter_includes_party":false}`), &in); err != nil {
		t.Fatal(err)
	}
	in.Apply(&o)
	if o.Name != "新名称" || *o.Employees != 0 || o.ZoneID != nil || *o.IndustryManagerID != 9 {
		t.Errorf("patched: %+v", o)
	}
	if o.CharterIncludesParty || o.CharterIncludesPartyOn != "" {
		t.Error("unsetting the charter flag kept its date")
	}
	if o.USCC != before.USCC || o.Address != before.Address || o.AreaManagerID != before.AreaManagerID || len(o.Flags) != 2 {
		t.Error("a field not named in the patch changed")
	}
	if err := o.Validate(orgToday, nil); err != nil {
		t.Fatal(err)
	}
	if o.EmployeeBand != "lt10" {
		t.Errorf("band not re-derived: %q", o.EmployeeBand)
	}
	OrganizationInput{Flags: ptr([]string{})}.Apply(&o)
	if len(o.Flags) != 0 {
		t.Error("flags not cleared")
	}
	// the input does not alias the entity's pointers
	lon := 100.0
	OrganizationInput{Longitude: &lon}.Apply(&o)
	lon = 0
	if *o.Longitude != 100 {
		t.Error("Apply aliased the input's pointer")
	}
}

func TestOrganizationJSONFields(t *testing.T) {
	o := NewOrganization(validOrgInput())
	_ = o.Validate(orgToday, nil)
	b, _ := json.Marshal(o)
	for _, k := range []string{`"uscc":`, `"kind":"enterprise"`, `"area_manager_id":7`, `"industry_manager_id":null`, `"charter_includes_party_on":"2020-07-01"`, `"flags":["above_scale","high_tech"]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
}

func TestOrganizationHasMark(t *testing.T) {
	o := Organization{CharterIncludesParty: true, WomenFederationEstablished: true, Flags: []string{"listed"}}
	want := map[string]bool{"charter_includes_party": true, "women_federation_established": true, "listed": true}
	for _, m := range OrgMarks {
		if got := o.HasMark(m.Code); got != want[m.Code] {
			t.Errorf("HasMark(%s) = %v, want %v", m.Code, got, want[m.Code])
		}
	}
}
