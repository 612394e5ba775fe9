package importer

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// orgImport imports 两新组织; the natural key is the USCC.
type orgImport struct {
	s          *stores.Set
	c          store.Caller
	accepted   map[string]bool
	orgs       partyOrgIndex
	regions    map[string]bool
	within     store.RegionRule // the regions the caller may write
	keys       *naturalKeys     // normalized USCCs
	links      *links
	chains     map[string]string // a chain's name or code → its code
	chainNames string            // the active chains' names, for the message
}

func newOrgImport(ctx context.Context, s *stores.Set, c store.Caller, opt Options) (rowImporter, error) {
	refs, err := s.Registry.ImportPartyOrgs(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	regions, err := s.Registry.RegionCodes(ctx)
	if err != nil {
		return nil, err
	}
	within, err := s.RegionRuleFor(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	im := &orgImport{s: s, c: c, accepted: opt.AcceptedUSCC, orgs: newPartyOrgIndex(refs), regions: regions, within: within, keys: newNaturalKeys("uscc", "统一社会信用代码"), links: newLinks(),
		chains: map[string]string{}}
	chains, err := s.Registry.ChainRefs(ctx)
	if err != nil {
		return nil, err
	}
	// Retired chains resolve too, so that an exported row of an
	// organization still on one imports unchanged.
	var names []string
	for _, ch := range chains {
		im.chains[ch.Name], im.chains[ch.Code] = ch.Code, ch.Code
		if !ch.Retired {
			names = append(names, ch.Name)
		}
	}
	im.chainNames = strings.Join(names, "、")
	return im, nil
}

var orgFieldColumns = map[string]string{
	"area_manager_id": "area_manager", "industry_manager_id": "industry_manager",
	"longitude": "", "latitude": "", "zone_id": "",
}

func (im *orgImport) columnOf(field string) string {
	if c, ok := orgFieldColumns[field]; ok {
		return c
	}
	if OrganizationTemplate.Index(field) >= 0 {
		return field
	}
	return ""
}

// input converts a row into the input of a save: present columns only, so
// that a file without an optional column keeps what is stored.
func (im *orgImport) input(rec xlsx.Record) (domain.OrganizationInput, *cells) {
	c := newCells(OrganizationTemplate, rec)
	var in domain.OrganizationInput
	if v, ok := c.get("uscc"); ok {
		if u, err := domain.ParseUSCC(v, im.accepted); err != nil {
			c.validation(err, im.columnOf)
		} else {
			in.USCC = &u.Code
		}
	}
	for _, t := range []struct {
		key string
		dst **string
	}{{"name", &in.Name}, {"legal_representative", &in.LegalRepresentative}, {"founder_name", &in.FounderName},
		{"registered_on", &in.RegisteredOn}, {"address", &in.Address}, {"charter_includes_party_on", &in.CharterIncludesPartyOn}} {
		c.text(t.key, t.dst)
	}
	for _, b := range []struct {
		key string
		dst **bool
	}{{"founder_is_member", &in.FounderIsMember}, {"charter_includes_party", &in.CharterIncludesParty}, {"cross_appointment", &in.CrossAppointment},
		{"secretary_is_head", &in.SecretaryIsHead}, {"union_established", &in.UnionEstablished}, {"youth_league_established", &in.YouthLeagueEstablished},
		{"women_federation_established", &in.WomenFederationEstablished}} {
		c.yesNo(b.key, b.dst)
	}
	c.code("status", domain.OrgStatuses, domain.OrgActive, &in.Status)
	c.code("industry", domain.Industries, "", &in.Industry)
	c.code("revenue_band", domain.RevenueBands, "", &in.RevenueBand)
	if v, ok := c.get("region"); ok {
		if !im.regions[v] {
			c.fail("region", regionProblem(v))
		} else {
			in.Region = &v
		}
	}
	if v, ok := c.get("chain"); ok {
		if code, known := im.chains[v]; known || v == "" {
			in.Chain = &code
		} else {
			c.fail("chain", "未知的重点产业链「"+v+"」，请填写产业链名称："+im.chainNames)
		}
	}
	if v, ok := c.get("employees"); ok && v != "" {
		// Out of range, Atoi gives the nearest int: Validate words the limit.
		if n, err := strconv.Atoi(v); err != nil && !errors.Is(err, strconv.ErrRange) {
			c.fail("employees", "从业人数应为整数")
		} else {
			in.Employees = &n
		}
	}
	if v, ok := c.get("flags"); ok {
		flags, bad := parseFlags(v)
		if bad != "" {
			c.fail("flags", "未知的标签「"+bad+"」，可选："+joinNames(domain.OrgFlags))
		} else {
			in.Flags = &flags
		}
	}
	region := rec.Get("region")
	c.partyOrg("area_manager", im.orgs, region, im.links, &in.AreaManagerID)
	c.partyOrg("industry_manager", im.orgs, region, im.links, &in.IndustryManagerID)
	return in, c
}

// splitList splits a cell listing several values: separated by ；, ;, 、 or
// commas.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("；;、,，", r) })
}

// parseFlags reads the 标签 cell.
func parseFlags(v string) ([]string, string) {
	parts := splitList(v)
	flags := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		code, ok := domain.OrgFlags.CodeOf(p)
		if !ok {
			if !domain.OrgFlags.Has(p) {
				return nil, p
			}
			code = p
		}
		flags = append(flags, code)
	}
	return flags, ""
}

// covering resolves the 覆盖党组织 cell into Party org ids: each a full
// name, a short name, a number, or "全称（编号）" as the export writes it (the
// number decides: names of branches repeat across the city); each active,
// of a type that covers (a grassroots org) and inside the caller's scope.
func (im *orgImport) covering(c *cells, region string) []int64 {
	v, ok := c.get("covering")
	if !ok || v == "" {
		return nil
	}
	var ids []int64
	for _, name := range splitList(v) {
		name = strings.TrimSpace(name)
		id, cands, reason := im.orgs.resolve(name, region)
		switch {
		case reason != "":
			c.fail("covering", reason)
			return nil
		case cands != nil:
			c.fail("covering", "党组织「"+name+"」有重名，请写作“全称（编号）”或只填编号")
			return nil
		case !im.orgs.byID[id].Grassroots:
			c.fail("covering", "党组织「"+name+"」不是基层党组织（党委、党总支、党支部等），不能形成组织覆盖")
			return nil
		}
		ids = append(ids, id)
	}
	return ids
}

func (im *orgImport) check(rec xlsx.Record) []xlsx.CellError {
	in, c := im.input(rec)
	im.covering(c, rec.Get("region"))
	o := domain.NewOrganization(in)
	c.validation(o.Validate(im.c.Now, im.accepted), im.columnOf)
	if in.USCC != nil {
		im.keys.see(c, *in.USCC)
	}
	return append(rec.Errors, c.errs...)
}

// checkKeys refuses USCCs registered outside the caller's scope: the
// caller may not change those organizations, and says nothing more.
func (im *orgImport) checkKeys(ctx context.Context, recs *rows, res *Result) error {
	found, err := im.s.Registry.OrganizationKeys(ctx, im.c.Scope, im.keys.values())
	if err != nil {
		return err
	}
	current := im.keys.check(recs, found, "该统一社会信用代码"+store.OutsideScopeMessage, res)
	im.checkRegions(recs, found, res)
	names, err := im.s.Registry.PartyOrgNames(ctx, im.links.currentIDs(current))
	if err != nil {
		return err
	}
	im.links.settle(current, names, recs, res)
	return nil
}

// checkRegions refuses a region outside the caller's district on a new
// organization, or as a change of a stored one (a stored region stays).
func (im *orgImport) checkRegions(recs *rows, found map[string]store.ImportKey, res *Result) {
	if !im.within.Limited {
		return
	}
	recs.each(func(rec xlsx.Record) {
		v := rec.Get("region")
		if v == "" || !im.regions[v] || im.within.Allows(v) {
			return
		}
		if key, ok := found[im.keys.byRow[rec.Row]]; ok && key.Region == v {
			return
		}
		res.addError(rec, xlsx.CellError{Column: "region", Value: v, Reason: "区划代码「" + v + "」不在您的管理范围（" + im.within.District.Name + "）内"})
	})
}

func (im *orgImport) write(ctx context.Context, b store.ImportBatch, recs []xlsx.Record) (store.BatchResult, error) {
	rows := make([]registry.ImportOrgRow, len(recs))
	for i, rec := range recs {
		in, c := im.input(rec)
		rows[i] = registry.ImportOrgRow{Row: rec.Row, In: in, Covers: im.covering(c, rec.Get("region"))}
	}
	return im.s.Registry.ImportOrganizations(ctx, im.c, b, rows)
}
