package domain

import (
	"strings"
	"time"
)

// AdultAge is the minimum age for joining the Party (党章第一条: 年满十八岁).
const AdultAge = 18

// Member is a Party member (党员) as the registry holds it: the entity the
// rules check and the store saves.
//
// IDNumber, Phone and BirthDate (which gives back the eight digits an ID
// number's mask hides) are plain text in memory only: their JSON tags are
// "-", so that encoding a Member can never send them. What leaves the server
// is a read model built from a Member (internal/store/members): the masked
// one holds no plain value at all, and only an audited reveal or a plain
// export carries them (member_privacy.go).
type Member struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Gender       string `json:"gender"`
	Ethnicity    string `json:"ethnicity"`
	BirthDate    Date   `json:"-"`
	IDNumber     string `json:"-"`
	Phone        string `json:"-"`
	Education    string `json:"education"`
	JoinedOn     Date   `json:"joined_on"`
	FullMemberOn Date   `json:"full_member_on"`
	Status       string `json:"status"`
	Standing     string `json:"standing"`
	StandingOn   Date   `json:"standing_on"`
	PartyOrgID   *int64 `json:"party_org_id"`
	EmployerID   *int64 `json:"employer_id"`
	Job          string `json:"job"`
	Post         string `json:"post"`
	KeyPost      bool   `json:"key_post"`
	Mobile       bool   `json:"mobile"`
	MobilePlace  string `json:"mobile_place"`
	GigType      string `json:"gig_type"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// MemberInput holds the editable fields; nil means "not given" so that a
// PATCH changes only what it names. For party_org_id and employer_id a given
// 0 clears the link.
type MemberInput struct {
	Name         *string `json:"name"`
	Gender       *string `json:"gender"`
	Ethnicity    *string `json:"ethnicity"`
	BirthDate    *string `json:"birth_date"`
	IDNumber     *string `json:"id_number"`
	Phone        *string `json:"phone"`
	Education    *string `json:"education"`
	JoinedOn     *string `json:"joined_on"`
	FullMemberOn *string `json:"full_member_on"`
	Status       *string `json:"status"`
	Standing     *string `json:"standing"`
	StandingOn   *string `json:"standing_on"`
	PartyOrgID   *int64  `json:"party_org_id"`
	EmployerID   *int64  `json:"employer_id"`
	Job          *string `json:"job"`
	Post         *string `json:"post"`
	KeyPost      *bool   `json:"key_post"`
	Mobile       *bool   `json:"mobile"`
	MobilePlace  *string `json:"mobile_place"`
	GigType      *string `json:"gig_type"`
	Version      *int    `json:"version"`
}

// Apply copies the given fields onto m, trimming text. It validates nothing;
// call Validate afterwards. Changing the ID number without giving the birth
// date or gender clears them so that Validate derives them from the new
// number; setting the standing back to registered without a date clears the
// standing date, and ending mobility clears the place.
func (in MemberInput) Apply(m *Member) {
	setStr := func(dst *string, p *string) {
		if p != nil {
			*dst = trimmed(p)
		}
	}
	setDate := func(dst *Date, p *string) {
		if p != nil {
			*dst = Date(trimmed(p))
		}
	}
	setStr(&m.Name, in.Name)
	if in.IDNumber != nil {
		m.IDNumber = trimmed(in.IDNumber)
		if in.BirthDate == nil {
			m.BirthDate = ""
		}
		if in.Gender == nil {
			m.Gender = ""
		}
	}
	setStr(&m.Gender, in.Gender)
	setStr(&m.Ethnicity, in.Ethnicity)
	setDate(&m.BirthDate, in.BirthDate)
	setStr(&m.Phone, in.Phone)
	setStr(&m.Education, in.Education)
	setDate(&m.JoinedOn, in.JoinedOn)
	setDate(&m.FullMemberOn, in.FullMemberOn)
	setStr(&m.Status, in.Status)
	setStr(&m.Standing, in.Standing)
	if in.StandingOn != nil {
		m.StandingOn = Date(trimmed(in.StandingOn))
	} else if in.Standing != nil && m.Standing == StandingRegistered {
		m.StandingOn = ""
	}
	if in.PartyOrgID != nil {
		m.PartyOrgID = optionalID(in.PartyOrgID)
	}
	if in.EmployerID != nil {
		m.EmployerID = optionalID(in.EmployerID)
	}
	setStr(&m.Job, in.Job)
	setStr(&m.Post, in.Post)
	if in.KeyPost != nil {
		m.KeyPost = *in.KeyPost
	}
	if in.Mobile != nil {
		m.Mobile = *in.Mobile
		if !m.Mobile && in.MobilePlace == nil {
			m.MobilePlace = ""
		}
	}
	setStr(&m.MobilePlace, in.MobilePlace)
	setStr(&m.GigType, in.GigType)
}

// NewMember returns a member with the input applied over the defaults
// (standing registered).
func NewMember(in MemberInput) Member {
	m := Member{Standing: StandingRegistered}
	in.Apply(&m)
	return m
}

// NormalizePhone removes spaces, hyphens and full-width forms and a leading
// +86/0086/86 country code. It does not validate.
func NormalizePhone(s string) string {
	p := NormalizeCode(s)
	p = strings.NewReplacer("(", "", ")", "").Replace(p)
	switch {
	case strings.HasPrefix(p, "+86"):
		p = p[3:]
	case strings.HasPrefix(p, "0086") && len(p) == 15:
		p = p[4:]
	case strings.HasPrefix(p, "86") && len(p) == 13:
		p = p[2:]
	}
	return p
}

// ValidPhone reports whether p (normalized) is a mainland mobile number:
// 11 digits starting 1[3-9].
func ValidPhone(p string) bool {
	return len(p) == 11 && allDigits(p) && p[0] == '1' && p[1] >= '3' && p[1] <= '9'
}

// Validate checks the member's own fields, normalizes the ID number and the
// phone, and derives the birth date and gender from the ID number when they
// are empty; when given they must agree with it (domain-rules §5.2). The
// existence of the Party org and the employer is checked by the store.
func (m *Member) Validate(today time.Time) error {
	v := &ValidationError{}
	CheckLen(v, "name", "姓名", m.Name, 30, true)

	id, idErr := ParseIDNumber(m.IDNumber, today)
	if err := v.Merge(idErr); err != nil {
		return err
	}
	if idErr == nil {
		m.IDNumber = id.Number
	}
	if m.Gender != "" && !Genders.Has(m.Gender) {
		v.Add("gender", "性别应为男（male）或女（female）")
	}
	var birth time.Time
	if m.BirthDate != "" {
		t, ok := ParseDate(string(m.BirthDate))
		if !ok {
			v.Add("birth_date", DateProblem("出生日期", string(m.BirthDate)))
		} else {
			birth = t
		}
	}
	if idErr == nil {
		if m.Gender == "" {
			m.Gender = map[bool]string{true: "male", false: "female"}[id.Male]
		}
		if m.BirthDate == "" {
			m.BirthDate = Date(id.Birth.Format(DateLayout))
			birth = id.Birth
		}
		if Genders.Has(m.Gender) {
			_ = v.Merge(id.ConsistentWith(birth, m.Gender == "male"))
		}
	}

	if m.Ethnicity != "" && !Ethnicities.Has(m.Ethnicity) {
		v.Add("ethnicity", "请选择有效的民族")
	}
	if m.Education != "" && !EducationLevels.Has(m.Education) {
		v.Add("education", "请选择有效的学历")
	}
	if m.Phone != "" {
		m.Phone = NormalizePhone(m.Phone)
		if !ValidPhone(m.Phone) {
			v.Add("phone", "手机号码应为以13–19开头的11位数字")
		}
	}

	joined, joinedOK := time.Time{}, false
	if m.JoinedOn == "" {
		v.Add("joined_on", "请填写入党日期")
	} else if joined, joinedOK = checkPastDate(v, "joined_on", "入党日期", m.JoinedOn, today); joinedOK && !birth.IsZero() {
		if adult := AddYears(birth, AdultAge); joined.Before(adult) {
			// Without the date: the message must not give back the birth date.
			v.Add("joined_on", "入党时须年满十八岁（党章第一条），入党日期早于该党员按公民身份号码计算的十八周岁生日")
		}
	}

	switch m.Status {
	case MemberFull:
		if m.FullMemberOn == "" {
			v.Add("full_member_on", "正式党员须填写转正日期")
		} else if full, ok := checkPastDate(v, "full_member_on", "转正日期", m.FullMemberOn, today); ok && joinedOK {
			if min := AddYears(joined, 1); full.Before(min) {
				v.Add("full_member_on", "预备期为一年（党章第七条），转正日期不能早于"+min.Format(DateLayout))
			}
		}
	case MemberProbationary:
		if m.FullMemberOn != "" {
			v.Add("full_member_on", "预备党员尚未转正，不能填写转正日期")
		}
	default:
		v.Add("status", "请选择党员类别（正式党员或预备党员）")
	}

	switch {
	case !MemberStandings.Has(m.Standing):
		v.Add("standing", "请选择有效的党籍状态（在册、已转出、停止党籍、出党、去世）")
	case m.Standing == StandingRegistered:
		if m.StandingOn != "" {
			v.Add("standing_on", "在册党员不填写党籍变动日期")
		}
	case m.StandingOn == "":
		v.Add("standing_on", "请填写"+MemberStandings.Name(m.Standing)+"的日期")
	default:
		if t, ok := checkPastDate(v, "standing_on", "党籍变动日期", m.StandingOn, today); ok && joinedOK && t.Before(joined) {
			v.Add("standing_on", "党籍变动日期不能早于入党日期")
		}
	}

	if m.PartyOrgID != nil && *m.PartyOrgID <= 0 {
		v.Add("party_org_id", "组织关系所在党组织无效")
	}
	if m.EmployerID != nil && *m.EmployerID <= 0 {
		v.Add("employer_id", "工作单位无效")
	}
	CheckLen(v, "job", "工作岗位", m.Job, 50, false)
	CheckLen(v, "post", "职务", m.Post, 50, false)
	if m.Mobile {
		CheckLen(v, "mobile_place", "流动去向（外出地点）", m.MobilePlace, 100, true)
	} else if m.MobilePlace != "" {
		v.Add("mobile_place", "非流动党员不填写流动去向")
	}
	if m.GigType != "" && !GigTypes.Has(m.GigType) {
		v.Add("gig_type", "请选择有效的新就业群体类型")
	}
	return v.Err()
}

// CheckEdit refuses, in an edit that does not give the ID number again, what
// would let the answer tell the birth date hidden in it: a birth date (kept
// or refused by comparison with the number), a new joined_on (refused when
// the member would have been under 18), and any date given for a member
// whose dates are withheld (each is compared with joined_on). Who types the
// ID number knows the birth date already. The refusals do not depend on the
// hidden values.
func (in MemberInput) CheckEdit(before Member) error {
	if in.IDNumber != nil {
		return nil
	}
	v := &ValidationError{}
	if in.BirthDate != nil && trimmed(in.BirthDate) != "" {
		v.Add("birth_date", "出生日期由公民身份号码得出；修改出生日期须同时填写公民身份号码")
	}
	if _, withheld := before.WithholdEarlyDates(); len(withheld) > 0 {
		for _, f := range []struct {
			name string
			p    *string
		}{{"joined_on", in.JoinedOn}, {"full_member_on", in.FullMemberOn}, {"standing_on", in.StandingOn}} {
			if f.p != nil && trimmed(f.p) != "" {
				v.Add(f.name, "该党员入党较早，其入党、转正和党籍变动日期只对个人信息明文查看角色显示；修改这些日期须同时填写公民身份号码")
			}
		}
	}
	if in.JoinedOn != nil && Date(trimmed(in.JoinedOn)) != before.JoinedOn {
		v.Add("joined_on", "修改入党日期须同时填写该党员的公民身份号码（用于核对入党时是否年满十八岁）")
	}
	return v.Err()
}

// PartyOrgOrEmployerMessage asks for what places a member: the Party org
// that holds their 组织关系 or, failing one (a member waiting for a
// transfer), at least their employer, through which somebody sees them.
const PartyOrgOrEmployerMessage = "请选择组织关系所在党组织，或至少填写工作单位"

// CheckPartyOrgOrEmployer refuses a member placed neither by a Party org
// nor by an employer, naming party_org_id.
func CheckPartyOrgOrEmployer(hasPartyOrg, hasEmployer bool) error {
	if hasPartyOrg || hasEmployer {
		return nil
	}
	return FieldError("party_org_id", PartyOrgOrEmployerMessage)
}
