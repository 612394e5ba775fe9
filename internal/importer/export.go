package importer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// ExportOrganizations streams the organizations inside the caller's scope
// into a workbook laid out as OrganizationTemplate, and audits the export.
func ExportOrganizations(ctx context.Context, s *stores.Set, c store.Caller, f registry.OrganizationFilter, w io.Writer) (int, error) {
	sw, err := xlsx.NewStreamWriter(w, OrganizationTemplate, "两新组织")
	if err != nil {
		return 0, err
	}
	covering, err := s.Registry.CoveringNames(ctx, c.Scope)
	if err != nil {
		return 0, err
	}
	named, err := newOrgNamer(ctx, s)
	if err != nil {
		return 0, err
	}
	err = s.Registry.EachOrganization(ctx, c.Scope, f, func(o registry.OrganizationView) error {
		flags := make([]string, len(o.Flags))
		for i, fl := range o.Flags {
			flags[i] = domain.OrgFlags.Name(fl)
		}
		var employees any
		if o.Employees != nil {
			employees = *o.Employees
		}
		return sw.Write([]any{o.USCC, o.Name, o.LegalRepresentative, o.FounderName, yesNoOf(o.FounderIsMember), string(o.RegisteredOn),
			domain.OrgStatuses.Name(o.Status), o.Address, o.Region, domain.Industries.Name(o.Industry), o.ChainName, employees,
			domain.RevenueBands.Name(o.RevenueBand), strings.Join(flags, "；"), yesNoOf(o.CharterIncludesParty), string(o.CharterIncludesPartyOn),
			yesNoOf(o.CrossAppointment), yesNoOf(o.SecretaryIsHead), yesNoOf(o.UnionEstablished), yesNoOf(o.YouthLeagueEstablished),
			yesNoOf(o.WomenFederationEstablished), named.of(&o.AreaManagerID, o.AreaManagerName), named.of(o.IndustryManagerID, o.IndustryManagerName), covering[o.ID]})
	})
	if err != nil {
		return sw.Rows(), err
	}
	if err := sw.Close(); err != nil {
		return sw.Rows(), err
	}
	return sw.Rows(), auditExport(ctx, s, c, "organization", sw.Rows(), false)
}

// ExportMembers streams the members inside the caller's scope into a
// workbook laid out as MemberTemplate. The rows are the members as shown
// (ID numbers and phones masked, no birth date, early dates withheld) unless
// reveal is set; an unmasked export is audited as such (the caller checks
// the permission).
func ExportMembers(ctx context.Context, s *stores.Set, c store.Caller, f members.MemberFilter, reveal bool, w io.Writer) (int, error) {
	sw, err := xlsx.NewStreamWriter(w, MemberTemplate, "党员")
	if err != nil {
		return 0, err
	}
	named, err := newOrgNamer(ctx, s)
	if err != nil {
		return 0, err
	}
	if reveal {
		err = s.Members.EachRevealedMember(ctx, c.Scope, f, func(m members.RevealedMember) error {
			m.PartyOrgName = named.of(m.PartyOrgID, m.PartyOrgName)
			return sw.Write(memberCells(m.MemberFields, m.OrgNames, m.BirthDate))
		})
	} else {
		err = s.Members.EachMember(ctx, c.Scope, f, func(m members.MemberView) error {
			m.PartyOrgName = named.of(m.PartyOrgID, m.PartyOrgName)
			return sw.Write(memberCells(m.MemberFields, m.OrgNames, ""))
		})
	}
	if err != nil {
		return sw.Rows(), err
	}
	if err := sw.Close(); err != nil {
		return sw.Rows(), err
	}
	return sw.Rows(), auditExport(ctx, s, c, "member", sw.Rows(), reveal)
}

// memberCells is a member's row in MemberTemplate's layout, its personal data
// as the view holds it (masked, or plain in a plain export).
func memberCells[P pii.Masked | string](m members.MemberFields[P], names members.OrgNames, birth domain.Date) []any {
	return []any{m.Name, fmt.Sprint(m.IDNumber), domain.Genders.Name(m.Gender), domain.Ethnicities.Name(m.Ethnicity), string(birth), fmt.Sprint(m.Phone),
		domain.EducationLevels.Name(m.Education), string(m.JoinedOn), string(m.FullMemberOn), domain.MemberStatuses.Name(m.Status),
		domain.MemberStandings.Name(m.Standing), names.PartyOrgName, names.EmployerUSCC, m.Job, m.Post, yesNoOf(m.KeyPost), yesNoOf(m.Mobile),
		m.MobilePlace, domain.GigTypes.Name(m.GigType)}
}

// orgNamer writes a Party org into a workbook so that the file names it
// unambiguously: its full name, or "全称（编号）" when another Party org of
// the tree bears the same name (the import reads both; the number decides).
type orgNamer struct{ dup map[string]bool }

func newOrgNamer(ctx context.Context, s *stores.Set) (orgNamer, error) {
	dup, err := s.Registry.PartyOrgDuplicateNames(ctx)
	return orgNamer{dup}, err
}

func (n orgNamer) of(id *int64, name string) string {
	if id == nil || *id == 0 || name == "" || !n.dup[name] {
		return name
	}
	return fmt.Sprintf("%s（%d）", name, *id)
}

func auditExport(ctx context.Context, s *stores.Set, c store.Caller, objectType string, rows int, reveal bool) error {
	e := audit.New(c.Now, c.Actor, audit.ActionExport, objectType, "", audit.ResultSuccess)
	e.Reason = fmt.Sprintf("导出 %d 行", rows)
	if reveal {
		e.Reason += "（含身份证号、手机号明文）"
	}
	return s.Audit(ctx, e)
}
