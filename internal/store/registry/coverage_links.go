package registry

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// The facts behind 两个覆盖, written one at a time by staff: a grassroots
// Party org covering an organization, and an instructor or liaison assigned
// to one. Each write checks both ends against the caller's scope, is
// audited, and recomputes the materialized coverage in its transaction.

// CoverInput links a Party org to an organization as covering it.
type CoverInput struct {
	PartyOrgID int64  `json:"party_org_id"`
	Since      string `json:"since"` // optional: the link's start (else the Party org's founding date)
}

// coverLink is the audited state of a link.
type coverLink struct {
	OrganizationID int64  `json:"organization_id"`
	PartyOrgID     int64  `json:"party_org_id"`
	PartyOrgName   string `json:"party_org_name"`
	Since          string `json:"since"`
}

// AddCover records that the Party org in.PartyOrgID covers organization
// orgID. Both must lie inside the caller's scope; the Party org must be an
// active grassroots org (a 两新工委 or 行业党委 manages, it does not cover).
func (s *Store) AddCover(ctx context.Context, c store.Caller, orgID int64, in CoverInput) error {
	in.Since = strings.TrimSpace(in.Since)
	return s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := GetOrganization(ctx, t, c.Scope, orgID); err != nil {
			return err
		}
		p, err := s.coveringPartyOrg(ctx, t, c.Scope, in.PartyOrgID)
		if err != nil {
			return err
		}
		if in.Since != "" {
			if _, ok := domain.ParseDate(in.Since); !ok {
				return domain.FieldError("since", domain.DateProblem("覆盖开始日期", in.Since))
			}
		}
		_, err = t.Exec(ctx, `INSERT INTO party_org_covers (party_org_id, organization_id, since) VALUES (?, ?, ?)`, p.ID, orgID, store.NullStr(in.Since))
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "party_org_id", Message: "该党组织已覆盖此组织：" + p.Name}
		}
		if err != nil {
			return err
		}
		after := coverLink{OrganizationID: orgID, PartyOrgID: p.ID, PartyOrgName: p.Name, Since: in.Since}
		if err := s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "coverage_link", coverLinkID(orgID, p.ID), audit.ResultSuccess).WithStates(nil, after)); err != nil {
			return err
		}
		// A second organization makes the Party org joint for all it covers.
		return s.RefreshCoveredBy(ctx, t, c.Now, p.ID)
	})
}

// RemoveCover deletes the link between organization orgID and a Party org.
func (s *Store) RemoveCover(ctx context.Context, c store.Caller, orgID, partyOrgID int64) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := GetOrganization(ctx, t, c.Scope, orgID); err != nil {
			return err
		}
		p, err := s.GetPartyOrgTx(ctx, t, c.Scope, partyOrgID)
		if err != nil {
			return err
		}
		var since sql.NullString
		err = t.QueryRow(ctx, `SELECT since FROM party_org_covers WHERE party_org_id = ? AND organization_id = ?`, partyOrgID, orgID).Scan(&since)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `DELETE FROM party_org_covers WHERE party_org_id = ? AND organization_id = ?`, partyOrgID, orgID); err != nil {
			return err
		}
		before := coverLink{OrganizationID: orgID, PartyOrgID: p.ID, PartyOrgName: p.Name, Since: since.String}
		if err := s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionDelete, "coverage_link", coverLinkID(orgID, p.ID), audit.ResultSuccess).WithStates(before, nil)); err != nil {
			return err
		}
		if err := s.RefreshCoverageTx(ctx, t, c.Now, []int64{orgID}); err != nil {
			return err
		}
		return s.RefreshCoveredBy(ctx, t, c.Now, p.ID)
	})
}

func coverLinkID(orgID, partyOrgID int64) string {
	return store.Itoa64(orgID) + ":" + store.Itoa64(partyOrgID)
}

// coveringPartyOrg checks that a Party org may cover organizations.
func (s *Store) coveringPartyOrg(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (domain.PartyOrg, error) {
	p, err := s.GetPartyOrgTx(ctx, t, sc, id)
	found := !errors.Is(err, domain.ErrNotFound)
	if err != nil && found {
		return p, err
	}
	if msg := coveringRefusal(found, p.Status, p.Type); msg != "" {
		return p, domain.FieldError("party_org_id", msg)
	}
	return p, nil
}

// coveringRefusal says why a Party org cannot cover an organization ("" when
// it can): it must exist inside the caller's scope, be active, and be of a
// grassroots type (a 两新工委 or 行业党委 manages, it does not cover).
func coveringRefusal(found bool, status string, typ domain.PartyOrgType) string {
	switch info, _ := typ.Info(); {
	case !found:
		return "所选党组织不存在或不在您的管理范围内"
	case status != domain.StatusActive:
		return "所选党组织已撤销"
	case !info.Grassroots:
		return "所选党组织不是基层党组织（党委、党总支、党支部等），不能形成组织覆盖"
	}
	return ""
}

// AssignmentInput creates or edits an assignment; on edit every field is
// optional (set `to` to end it).
type AssignmentInput struct {
	Person  *string `json:"person"`
	Role    *string `json:"role"`
	From    *string `json:"from"`
	To      *string `json:"to"`
	Version *int    `json:"version"`
}

func (in AssignmentInput) apply(a *domain.CoverageAssignment) {
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.Person, &a.Person}, {in.Role, &a.Role}} {
		if f.src != nil {
			*f.dst = strings.TrimSpace(*f.src)
		}
	}
	if in.From != nil {
		a.From = domain.Date(strings.TrimSpace(*in.From))
	}
	if in.To != nil {
		a.To = domain.Date(strings.TrimSpace(*in.To))
	}
}

// Assignment is an assignment with its version.
type Assignment struct {
	domain.CoverageAssignment
	Version int `json:"version"`
}

// CreateAssignment assigns an instructor or liaison to organization orgID.
func (s *Store) CreateAssignment(ctx context.Context, c store.Caller, orgID int64, in AssignmentInput) (Assignment, error) {
	a := Assignment{CoverageAssignment: domain.CoverageAssignment{OrganizationID: orgID}, Version: 1}
	in.apply(&a.CoverageAssignment)
	err := s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := GetOrganization(ctx, t, c.Scope, orgID); err != nil {
			return err
		}
		if err := a.Validate(); err != nil {
			return err
		}
		err := t.QueryRow(ctx, `INSERT INTO coverage_assignments (organization_id, person, role, from_on, to_on, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`, orgID, a.Person, a.Role, string(a.From), store.NullStr(string(a.To)), store.TS(c.Now), store.TS(c.Now)).Scan(&a.ID)
		if err != nil {
			return err
		}
		if err := s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "coverage_assignment", store.Itoa64(a.ID), audit.ResultSuccess).WithStates(nil, a)); err != nil {
			return err
		}
		return s.RefreshCoverageTx(ctx, t, c.Now, []int64{orgID})
	})
	return a, err
}

// UpdateAssignment edits an assignment of an organization inside the scope.
func (s *Store) UpdateAssignment(ctx context.Context, c store.Caller, id int64, in AssignmentInput) (Assignment, error) {
	var a Assignment
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := getAssignment(ctx, t, id)
		if err != nil {
			return err
		}
		if _, err := GetOrganization(ctx, t, c.Scope, before.OrganizationID); err != nil {
			return err
		}
		if in.Version != nil && *in.Version != before.Version {
			return &domain.ConflictError{Field: "version", Message: "该派驻记录已被他人修改，请刷新后重试"}
		}
		a = before
		in.apply(&a.CoverageAssignment)
		if err := a.Validate(); err != nil {
			return err
		}
		if a == before {
			return nil
		}
		a.Version = before.Version + 1
		if _, err := t.Exec(ctx, `UPDATE coverage_assignments SET person = ?, role = ?, from_on = ?, to_on = ?, updated_at = ?, version = ? WHERE id = ?`,
			a.Person, a.Role, string(a.From), store.NullStr(string(a.To)), store.TS(c.Now), a.Version, id); err != nil {
			return err
		}
		if err := s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "coverage_assignment", store.Itoa64(id), audit.ResultSuccess).WithStates(before, a)); err != nil {
			return err
		}
		return s.RefreshCoverageTx(ctx, t, c.Now, []int64{a.OrganizationID})
	})
	return a, err
}

func getAssignment(ctx context.Context, q store.Querier, id int64) (Assignment, error) {
	var a Assignment
	err := q.QueryRow(ctx, `SELECT id, organization_id, person, role, from_on, COALESCE(to_on, ''), version FROM coverage_assignments WHERE id = ?`, id).
		Scan(&a.ID, &a.OrganizationID, &a.Person, &a.Role, &a.From, &a.To, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.ErrNotFound
	}
	return a, err
}

// CoveringNames lists, for every organization inside the scope that active
// Party orgs cover, those Party orgs as "全称（编号）" joined by "；" — the
// form the import template's 覆盖党组织 column reads back (the number
// decides: branch names repeat). Only Party orgs inside the scope are
// listed: the ones the caller's import can name again (an import never
// removes a link, so leaving the others out loses nothing).
func (s *Store) CoveringNames(ctx context.Context, sc store.Scope) (map[int64]string, error) {
	lo, hi := sc.Bounds()
	rows, err := s.db.QueryRows(ctx, `SELECT c.organization_id, p.id, p.name FROM party_org_covers c
		JOIN party_orgs p ON p.id = c.party_org_id AND p.status = 'active' AND p.path >= ? AND p.path < ?
		JOIN organizations o ON o.id = c.organization_id
		WHERE `+OrgScope+` ORDER BY c.organization_id, p.id`, append([]any{lo, hi}, OrgScopeArgs(sc)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var org, id int64
		var name string
		if err := rows.Scan(&org, &id, &name); err != nil {
			return nil, err
		}
		entry := name + "（" + strconv.FormatInt(id, 10) + "）"
		if prev, ok := out[org]; ok {
			entry = prev + "；" + entry
		}
		out[org] = entry
	}
	return out, rows.Err()
}
