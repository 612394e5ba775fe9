package registry

import (
	"context"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// OrgNode is a Party org as a tree picker shows it: where it sits and what
// it is, nothing of its people, terms, filings or history. The account
// administrators read the tree only as nodes (permission party_org.tree).
type OrgNode struct {
	ID         int64               `json:"id"`
	ParentID   *int64              `json:"parent_id"`
	ParentName string              `json:"parent_name"`
	Path       string              `json:"path"`
	Name       string              `json:"name"`
	Type       domain.PartyOrgType `json:"type"`
	TypeName   string              `json:"type_name"`
	Region     string              `json:"region"`
	Status     string              `json:"status"`
	ChildCount int                 `json:"child_count"`
}

func nodeOf(v PartyOrgView) OrgNode {
	return OrgNode{ID: v.ID, ParentID: v.ParentID, ParentName: v.ParentName, Path: v.Path, Name: v.Name, Type: v.Type, TypeName: v.TypeName,
		Region: v.Region, Status: v.Status, ChildCount: v.ChildCount}
}

// OrgNodes lists Party orgs inside the scope as tree nodes.
func (s *Store) OrgNodes(ctx context.Context, sc store.Scope, f PartyOrgFilter) ([]OrgNode, int, error) {
	items, total, err := s.ListPartyOrgs(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]OrgNode, len(items))
	for i, v := range items {
		out[i] = nodeOf(v)
	}
	return out, total, nil
}

// OrgNode returns one Party org inside the scope as a tree node.
func (s *Store) OrgNode(ctx context.Context, sc store.Scope, id int64) (OrgNode, error) {
	v, err := s.GetPartyOrg(ctx, sc, id)
	return nodeOf(v), err
}
