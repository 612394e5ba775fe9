package partygroups

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/partygroup"
	"github.com/lianxin/lianxin/internal/store"
)

// PartyGroupView is a group with what its branch's page shows beside it.
type PartyGroupView struct {
	partygroup.PartyGroup
	LeaderName  string `json:"leader_name"`
	MemberCount int    `json:"member_count"`
}

// PartyGroupMember is a member of a branch as the grouping form shows it: the
// group they are in, if any.
type PartyGroupMember struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
	GroupID    *int64 `json:"group_id"`
	GroupName  string `json:"group_name"`
}

const groupCols = `g.id, g.party_org_id, g.name, g.leader_member_id, COALESCE(g.founded_on, ''), g.status, COALESCE(g.dissolved_on, ''), g.created_at, g.updated_at, g.version`

func scanGroup(r interface{ Scan(...any) error }, extra ...any) (partygroup.PartyGroup, error) {
	var g partygroup.PartyGroup
	var leader sql.NullInt64
	var founded, dissolved, created, updated string
	if err := r.Scan(append([]any{&g.ID, &g.PartyOrgID, &g.Name, &leader, &founded, &g.Status, &dissolved, &created, &updated, &g.Version}, extra...)...); err != nil {
		return g, err
	}
	if leader.Valid {
		g.LeaderMemberID = &leader.Int64
	}
	g.FoundedOn, g.DissolvedOn = domain.Date(founded), domain.Date(dissolved)
	g.CreatedAt, g.UpdatedAt = store.ParseTS(created), store.ParseTS(updated)
	return g, nil
}

// ListGroups returns a branch's groups inside the scope, active first.
func (s *Store) ListGroups(ctx context.Context, sc store.Scope, partyOrgID int64) ([]PartyGroupView, error) {
	if _, err := s.registry.GetPartyOrg(ctx, sc, partyOrgID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+groupCols+`, COALESCE(l.name, ''),
		(SELECT COUNT(*) FROM members m WHERE m.party_group_id = g.id)
		FROM party_groups g LEFT JOIN members l ON l.id = g.leader_member_id
		WHERE g.party_org_id = ? ORDER BY g.status, g.name`, partyOrgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []PartyGroupView{}
	for rows.Next() {
		var v PartyGroupView
		g, err := scanGroup(rows, &v.LeaderName, &v.MemberCount)
		if err != nil {
			return nil, err
		}
		v.PartyGroup = g
		out = append(out, v)
	}
	return out, rows.Err()
}

// GroupMembers lists a branch's members in good standing with their group.
func (s *Store) GroupMembers(ctx context.Context, sc store.Scope, partyOrgID int64) ([]PartyGroupMember, error) {
	if _, err := s.registry.GetPartyOrg(ctx, sc, partyOrgID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT m.id, m.name, m.status, m.party_group_id, COALESCE(g.name, '')
		FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id
		WHERE m.party_org_id = ? AND m.standing = ? ORDER BY m.name, m.id`, partyOrgID, domain.StandingRegistered)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []PartyGroupMember{}
	for rows.Next() {
		var m PartyGroupMember
		var group sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Name, &m.Status, &group, &m.GroupName); err != nil {
			return nil, err
		}
		if group.Valid {
			m.GroupID = &group.Int64
		}
		m.StatusName = domain.MemberStatuses.Name(m.Status)
		out = append(out, m)
	}
	return out, rows.Err()
}

// groupTx reads and locks a group whose branch lies inside the scope.
func (s *Store) groupTx(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (partygroup.PartyGroup, domain.PartyOrg, error) {
	var orgID int64
	err := t.QueryRow(ctx, `SELECT party_org_id FROM party_groups WHERE id = ?`, id).Scan(&orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return partygroup.PartyGroup{}, domain.PartyOrg{}, domain.ErrNotFound
	}
	if err != nil {
		return partygroup.PartyGroup{}, domain.PartyOrg{}, err
	}
	org, err := s.registry.GetPartyOrgTx(ctx, t, sc, orgID)
	if err != nil {
		return partygroup.PartyGroup{}, org, err
	}
	g, err := scanGroup(t.QueryRow(ctx, `SELECT `+groupCols+` FROM party_groups g WHERE g.id = ?`+s.db.D.ForUpdate(), id))
	return g, org, err
}

// checkLeader checks a group's leader: a registered member of the branch.
func (s *Store) checkLeader(ctx context.Context, t *store.Tx, g partygroup.PartyGroup) error {
	if g.LeaderMemberID == nil {
		return nil
	}
	held, standing, err := memberPlace(ctx, t, *g.LeaderMemberID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.FieldError("leader_member_id", "所选组长不是本支部的党员")
	}
	if err != nil {
		return err
	}
	return partygroup.CheckMember("leader_member_id", held, standing == domain.StandingRegistered, g.PartyOrgID)
}

func memberPlace(ctx context.Context, t *store.Tx, id int64) (*int64, string, error) {
	var held sql.NullInt64
	var standing string
	if err := t.QueryRow(ctx, `SELECT party_org_id, standing FROM members WHERE id = ?`, id).Scan(&held, &standing); err != nil {
		return nil, "", err
	}
	if !held.Valid {
		return nil, standing, nil
	}
	return &held.Int64, standing, nil
}

// keepCount stores on the branch the number of its active groups and the
// founding date of the earliest, which the ledger reads: 党小组会 are owed
// while there are groups, from the month they were set up.
func keepCount(ctx context.Context, t *store.Tx, orgID int64) error {
	_, err := t.Exec(ctx, `UPDATE party_orgs SET
		party_groups = (SELECT COUNT(*) FROM party_groups WHERE party_org_id = ? AND status = ?),
		party_groups_since = (SELECT MIN(founded_on) FROM party_groups WHERE party_org_id = ? AND status = ?) WHERE id = ?`,
		orgID, partygroup.StatusActive, orgID, partygroup.StatusActive, orgID)
	return err
}

func nameTaken(ctx context.Context, t *store.Tx, g partygroup.PartyGroup) error {
	var n int
	if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM party_groups WHERE party_org_id = ? AND name = ? AND status = ? AND id <> ?`,
		g.PartyOrgID, g.Name, partygroup.StatusActive, g.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &domain.ConflictError{Field: "name", Message: "本支部已有名为「" + g.Name + "」的党小组"}
	}
	return nil
}

// CreateGroup sets up a group in a branch inside the scope.
func (s *Store) CreateGroup(ctx context.Context, c store.Caller, partyOrgID int64, in partygroup.PartyGroupInput) (partygroup.PartyGroup, error) {
	g := partygroup.PartyGroup{PartyOrgID: partyOrgID, Status: partygroup.StatusActive, Version: 1}
	in.Apply(&g)
	if g.FoundedOn == "" {
		g.FoundedOn = domain.DateOf(c.Now) // the ledger owes 党小组会 from then
	}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		org, err := s.registry.GetPartyOrgTx(ctx, t, c.Scope, partyOrgID)
		if err != nil {
			return err
		}
		if err := partygroup.CheckOrg(org); err != nil {
			return err
		}
		if err := g.Validate(c.Now); err != nil {
			return err
		}
		if err := s.checkLeader(ctx, t, g); err != nil {
			return err
		}
		if err := nameTaken(ctx, t, g); err != nil {
			return err
		}
		g.CreatedAt, g.UpdatedAt = c.Now, c.Now
		if err := t.QueryRow(ctx, `INSERT INTO party_groups (party_org_id, name, leader_member_id, founded_on, status, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
			g.PartyOrgID, g.Name, g.LeaderMemberID, store.NullStr(string(g.FoundedOn)), g.Status, store.TS(c.Now), store.TS(c.Now)).Scan(&g.ID); err != nil {
			return err
		}
		if g.LeaderMemberID != nil {
			// The leader is one of the group.
			if _, err := t.Exec(ctx, `UPDATE members SET party_group_id = ? WHERE id = ?`, g.ID, *g.LeaderMemberID); err != nil {
				return err
			}
		}
		if err := keepCount(ctx, t, partyOrgID); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_group", g.ID, audit.ActionCreate, partygroup.PartyGroup{}, g); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "party_group", store.Itoa64(g.ID), audit.ResultSuccess).WithStates(nil, g))
	})
	return g, err
}

// UpdateGroup renames a group, changes its leader or founding date.
func (s *Store) UpdateGroup(ctx context.Context, c store.Caller, id int64, in partygroup.PartyGroupInput) (partygroup.PartyGroup, error) {
	var g partygroup.PartyGroup
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, org, err := s.groupTx(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != before.Version {
			return &domain.ConflictError{Field: "version", Message: "该党小组已被他人修改，请刷新后重试"}
		}
		if before.Status != partygroup.StatusActive {
			return domain.FieldError("status", "已撤销的党小组不能修改")
		}
		if err := partygroup.CheckOrg(org); err != nil {
			return err
		}
		g = before
		in.Apply(&g)
		if err := g.Validate(c.Now); err != nil {
			return err
		}
		if err := s.checkLeader(ctx, t, g); err != nil {
			return err
		}
		if err := nameTaken(ctx, t, g); err != nil {
			return err
		}
		if len(store.Diff(before, g)) == 0 {
			return nil
		}
		g.UpdatedAt, g.Version = c.Now, before.Version+1
		if _, err := t.Exec(ctx, `UPDATE party_groups SET name = ?, leader_member_id = ?, founded_on = ?, updated_at = ?, version = ? WHERE id = ?`,
			g.Name, g.LeaderMemberID, store.NullStr(string(g.FoundedOn)), store.TS(c.Now), g.Version, g.ID); err != nil {
			return err
		}
		if g.LeaderMemberID != nil {
			if _, err := t.Exec(ctx, `UPDATE members SET party_group_id = ? WHERE id = ?`, g.ID, *g.LeaderMemberID); err != nil {
				return err
			}
		}
		if err := s.db.AddHistory(ctx, t, c, "party_group", g.ID, audit.ActionUpdate, before, g); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "party_group", store.Itoa64(g.ID), audit.ResultSuccess).WithStates(before, g))
	})
	return g, err
}

// DissolveGroup ends a group: its members belong to no group any more; the
// branch owes no 党小组会 once it has no active group.
func (s *Store) DissolveGroup(ctx context.Context, c store.Caller, id int64, in partygroup.PartyGroupDissolution) (partygroup.PartyGroup, error) {
	var g partygroup.PartyGroup
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, _, err := s.groupTx(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := in.Validate(before, c.Now); err != nil {
			return err
		}
		g = before
		g.Status, g.DissolvedOn, g.UpdatedAt, g.Version = partygroup.StatusDissolved, domain.Date(in.DissolvedOn), c.Now, before.Version+1
		if _, err := t.Exec(ctx, `UPDATE party_groups SET status = ?, dissolved_on = ?, updated_at = ?, version = ? WHERE id = ?`,
			g.Status, string(g.DissolvedOn), store.TS(c.Now), g.Version, g.ID); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE members SET party_group_id = NULL WHERE party_group_id = ?`, g.ID); err != nil {
			return err
		}
		if err := keepCount(ctx, t, g.PartyOrgID); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_group", g.ID, audit.ActionDissolve, before, g); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionDissolve, "party_group", store.Itoa64(g.ID), audit.ResultSuccess).WithStates(before, g))
	})
	return g, err
}

// groupMembership is a group's members as its history records them.
type groupMembership struct {
	MemberIDs []int64 `json:"member_ids"`
}

// SetGroupMembers makes exactly the given members the group's: each a
// registered member of the branch (one group each: a member listed here
// leaves any other group of the branch).
func (s *Store) SetGroupMembers(ctx context.Context, c store.Caller, id int64, in partygroup.PartyGroupMembers) ([]PartyGroupMember, error) {
	var orgID int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		g, org, err := s.groupTx(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if g.Status != partygroup.StatusActive {
			return domain.FieldError("status", "已撤销的党小组不能调整成员")
		}
		if err := partygroup.CheckOrg(org); err != nil {
			return err
		}
		orgID = g.PartyOrgID
		if len(in.MemberIDs) > partygroup.MaxMembers {
			return domain.FieldError("member_ids", fmt.Sprintf("一次最多编入 %d 名党员", partygroup.MaxMembers))
		}
		want := map[int64]bool{}
		for _, m := range in.MemberIDs {
			if want[m] {
				continue
			}
			want[m] = true
			held, standing, err := memberPlace(ctx, t, m)
			if errors.Is(err, sql.ErrNoRows) {
				return domain.FieldError("member_ids", "所选党员不存在")
			}
			if err != nil {
				return err
			}
			if err := partygroup.CheckMember("member_ids", held, standing == domain.StandingRegistered, g.PartyOrgID); err != nil {
				return err
			}
		}
		if g.LeaderMemberID != nil && !want[*g.LeaderMemberID] {
			return domain.FieldError("member_ids", "组长须是本党小组的成员：请保留组长，或先更换组长")
		}
		before := groupMembership{MemberIDs: []int64{}}
		if err := collect(ctx, t, `SELECT id FROM members WHERE party_group_id = ? ORDER BY id`, g.ID, &before.MemberIDs); err != nil {
			return err
		}
		after := groupMembership{MemberIDs: []int64{}}
		for m := range want {
			after.MemberIDs = append(after.MemberIDs, m)
		}
		slices.Sort(after.MemberIDs)
		if len(store.Diff(before, after)) == 0 {
			return nil
		}
		if _, err := t.Exec(ctx, `UPDATE members SET party_group_id = NULL WHERE party_group_id = ?`, g.ID); err != nil {
			return err
		}
		if err := store.Chunked(after.MemberIDs, func(part []int64) error {
			_, err := t.Exec(ctx, `UPDATE members SET party_group_id = ? WHERE id IN (`+store.Placeholders(len(part))+`)`, append([]any{g.ID}, store.Anys(part)...)...)
			return err
		}); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_group", g.ID, audit.ActionUpdate, before, after); err != nil {
			return err
		}
		e := audit.New(c.Now, c.Actor, audit.ActionUpdate, "party_group", store.Itoa64(g.ID), audit.ResultSuccess).WithStates(before, after)
		e.Reason = fmt.Sprintf("党小组成员调整为 %d 人", len(after.MemberIDs))
		return s.db.AppendAudit(ctx, t, e)
	})
	if err != nil {
		return nil, err
	}
	return s.GroupMembers(ctx, c.Scope, orgID)
}

func collect(ctx context.Context, t *store.Tx, q string, arg any, into *[]int64) error {
	rows, err := t.Query(ctx, q, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		*into = append(*into, id)
	}
	return rows.Err()
}
