package registry_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

func TestMoveRewritesSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		if _, err := s.Registry.MovePartyOrg(ctx, storetest.Sys(), ids["a1"], ids["b"]); err != nil {
			t.Fatal(err)
		}
		b, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["b"])
		x, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["a1x"])
		if x.Path != fmt.Sprintf("%s%d/%d/", b.Path, ids["a1"], ids["a1x"]) || x.Depth != b.Depth+2 {
			t.Fatalf("grandchild path %s depth %d after move under %s", x.Path, x.Depth, b.Path)
		}
		for _, c := range []struct {
			node, parent string
		}{{"b", "a1x"}, {"b", "b"}, {"root", "b"}} {
			_, err := s.Registry.MovePartyOrg(ctx, storetest.Sys(), ids[c.node], ids[c.parent])
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || ve.Fields["parent_id"] == "" {
				t.Errorf("move %s under %s: %v", c.node, c.parent, err)
			}
		}
		h, err := s.Registry.PartyOrgHistory(ctx, store.ScopeAll, ids["a1"])
		if err != nil || len(h) != 2 || h[0].Action != "move" || h[0].Changes["parent_id"].From == nil {
			t.Fatalf("history %+v %v", h, err)
		}
	})
}

// TestConcurrentMoveAndCreate: children created while their parent's
// subtree moves always get the parent's final path.
func TestConcurrentMoveAndCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 30)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(ids["a1"]), domain.PartyOrgInput{Name: storetest.Ptr(fmt.Sprint("子", i)), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104")})
				errs <- err
			}(i)
			if i%5 == 0 {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					to := ids["b"]
					if i%10 == 0 {
						to = ids["a"]
					}
					_, err := s.Registry.MovePartyOrg(ctx, storetest.Sys(), ids["a1"], to)
					var ve *domain.ValidationError
					if errors.As(err, &ve) { // "already there": a valid outcome of the race
						err = nil
					}
					errs <- err
				}(i)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		a1, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["a1"])
		items, total, err := s.Registry.ListPartyOrgs(ctx, store.ScopeAll, registry.PartyOrgFilter{ParentID: storetest.Ptr(ids["a1"]), Page: store.Page{Size: 100}})
		if err != nil || total != 21 {
			t.Fatalf("%d children: %v", total, err)
		}
		for _, c := range items {
			if c.Path != fmt.Sprintf("%s%d/", a1.Path, c.ID) {
				t.Errorf("child %s has path %s under %s", c.Name, c.Path, a1.Path)
			}
		}
	})
}
