package importer

import (
	"context"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// memberImport imports 党员; the natural key is the ID number (through its
// blind index: the plain number is never stored or compared in SQL).
type memberImport struct {
	s    *stores.Set
	c    store.Caller
	orgs partyOrgIndex
	keys *naturalKeys // normalized ID numbers
	// employers maps the employer USCCs of the file that are inside the
	// caller's scope to their ids (filled by checkKeys).
	employers map[string]int64
	links     *links
}

func newMemberImport(ctx context.Context, s *stores.Set, c store.Caller, _ Options) (rowImporter, error) {
	refs, err := s.Registry.ImportPartyOrgs(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	return &memberImport{s: s, c: c, orgs: newPartyOrgIndex(refs), keys: newNaturalKeys("id_number", "公民身份号码"), employers: map[string]int64{}, links: newLinks()}, nil
}

var memberFieldColumns = map[string]string{"party_org_id": "party_org", "employer_id": "employer_uscc", "standing_on": "standing"}

func (im *memberImport) columnOf(field string) string {
	if c, ok := memberFieldColumns[field]; ok {
		return c
	}
	if MemberTemplate.Index(field) >= 0 {
		return field
	}
	return ""
}

// farFuture parses ID numbers for normalization only (every birth date is
// before it); the real date check is Validate's, at the caller's today.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func (im *memberImport) input(rec xlsx.Record) (domain.MemberInput, *cells) {
	c := newCells(MemberTemplate, rec)
	var in domain.MemberInput
	if v, ok := c.get("id_number"); ok {
		if strings.Contains(v, "*") {
			c.fail("id_number", "公民身份号码已脱敏（含 *），无法导入；请填写完整号码（导出时选择显示明文）")
		} else if n, err := domain.ParseIDNumber(domain.NormalizeCode(v), farFuture); err != nil {
			c.validation(err, im.columnOf)
		} else {
			in.IDNumber = &n.Number
		}
	}
	for _, t := range []struct {
		key string
		dst **string
	}{{"name", &in.Name}, {"birth_date", &in.BirthDate}, {"joined_on", &in.JoinedOn}, {"full_member_on", &in.FullMemberOn},
		{"job", &in.Job}, {"post", &in.Post}, {"mobile_place", &in.MobilePlace}} {
		c.text(t.key, t.dst)
	}
	if v, ok := c.get("phone"); ok {
		if strings.Contains(v, "*") {
			c.fail("phone", "手机号码已脱敏（含 *），无法导入；请填写完整号码或删除该列")
		} else {
			in.Phone = &v
		}
	}
	c.yesNo("key_post", &in.KeyPost)
	c.yesNo("mobile", &in.Mobile)
	c.code("gender", domain.Genders, "", &in.Gender)
	c.code("ethnicity", domain.Ethnicities, "", &in.Ethnicity)
	c.code("education", domain.EducationLevels, "", &in.Education)
	c.code("status", domain.MemberStatuses, "", &in.Status)
	c.code("standing", domain.MemberStandings, domain.StandingRegistered, &in.Standing)
	c.code("gig_type", domain.GigTypes, "", &in.GigType)
	c.partyOrg("party_org", im.orgs, "", im.links, &in.PartyOrgID)
	return in, c
}

// employerUSCC is the normalized employer USCC of a row, "" for none.
func employerUSCC(rec xlsx.Record) string {
	return domain.NormalizeCode(rec.Get("employer_uscc"))
}

func (im *memberImport) check(rec xlsx.Record) []xlsx.CellError {
	in, c := im.input(rec)
	m := domain.NewMember(in)
	c.validation(m.Validate(im.c.Now), im.columnOf)
	c.validation(domain.CheckPartyOrgOrEmployer(rec.Get("party_org") != "", employerUSCC(rec) != ""), im.columnOf)
	if in.IDNumber != nil {
		im.keys.see(c, *in.IDNumber)
	}
	return append(rec.Errors, c.errs...)
}

// checkKeys refuses ID numbers held by members outside the caller's scope
// (never overwrite someone else's record; the answer does not say where),
// audits them as lookups of personal data, and resolves the employers,
// which must be organizations inside the scope.
func (im *memberImport) checkKeys(ctx context.Context, recs *rows, res *Result) error {
	found, err := im.s.Members.MemberKeys(ctx, im.c.Scope, im.keys.values())
	if err != nil {
		return err
	}
	var elsewhere []string
	current := im.keys.checkOutside(recs, found, domain.DuplicateIDMessage, res, func(id string) { elsewhere = append(elsewhere, id) })
	if err := im.s.Members.RecordImportLookups(ctx, im.c, elsewhere); err != nil {
		return err
	}
	names, err := im.s.Registry.PartyOrgNames(ctx, im.links.currentIDs(current))
	if err != nil {
		return err
	}
	im.links.settle(current, names, recs, res)
	return im.resolveEmployers(ctx, recs, res)
}

// resolveEmployers looks up the employers' USCCs: each must be an
// organization inside the caller's scope.
func (im *memberImport) resolveEmployers(ctx context.Context, recs *rows, res *Result) error {
	seen := map[string]bool{}
	var usccs []string
	recs.each(func(rec xlsx.Record) {
		if u := employerUSCC(rec); u != "" && !seen[u] {
			seen[u] = true
			usccs = append(usccs, u)
		}
	})
	orgs, err := im.s.Registry.OrganizationKeys(ctx, im.c.Scope, usccs)
	if err != nil {
		return err
	}
	for u, k := range orgs {
		if k.InScope {
			im.employers[u] = k.ID
		}
	}
	recs.each(func(rec xlsx.Record) {
		if u := employerUSCC(rec); u != "" && im.employers[u] == 0 {
			res.addError(rec, xlsx.CellError{Column: "employer_uscc", Value: rec.Get("employer_uscc"), Reason: "工作单位「" + u + "」未登记或不在您的管理范围内，请先导入该两新组织"})
		}
	})
	return nil
}

func (im *memberImport) write(ctx context.Context, b store.ImportBatch, recs []xlsx.Record) (store.BatchResult, error) {
	rows := make([]members.ImportMemberRow, len(recs))
	for i, rec := range recs {
		in, _ := im.input(rec)
		if rec.Present("employer_uscc") {
			id := im.employers[employerUSCC(rec)] // 0 for an empty cell: no employer
			in.EmployerID = &id
		}
		rows[i] = members.ImportMemberRow{Row: rec.Row, In: in}
	}
	return im.s.Members.ImportMembers(ctx, im.c, b, rows)
}
