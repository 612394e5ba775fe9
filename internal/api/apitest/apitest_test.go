package apitest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// TestEnvsCopyOneGeneratedCity: every Env starts from the city generated
// once per engine (the very data a generation of its own would give), on a
// database of its own with an audit chain that verifies, its clock at Start;
// a write in one Env is seen in no other, and its generated lists are its
// own.
func TestEnvsCopyOneGeneratedCity(t *testing.T) {
	ctx := context.Background()
	for _, eng := range storetest.Engines() {
		t.Run(eng, func(t *testing.T) {
			a, b := New(t, eng), New(t, eng)
			if a.DataDir == b.DataDir || a.Store == b.Store {
				t.Fatal("two Envs share a database")
			}
			today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
			own := gen.Generate(gen.Options{Scale: gen.Small, Seed: 1, Today: today, PasswordHash: a.Data.Users[0].PasswordHash})
			if !reflect.DeepEqual(a.Data, own) || !reflect.DeepEqual(b.Data, own) {
				t.Fatal("the Env's data differ from a generation with the same options")
			}
			if !a.Now().Equal(Start) || !b.Now().Equal(Start) {
				t.Fatalf("clocks at %v and %v, want %v", a.Now(), b.Now(), Start)
			}
			res, err := a.Store.VerifyAudit(ctx)
			if err != nil || !res.OK {
				t.Fatalf("audit chain of a copy: %+v %v", res, err)
			}
			seq, err := b.Store.AuditSeq(ctx)
			if err != nil {
				t.Fatal(err)
			}
			a.Login("city") // audited
			c := New(t, eng)
			if n, _ := a.Store.AuditSeq(ctx); n <= seq {
				t.Errorf("a's audit seq %d after a login, was %d", n, seq)
			}
			for name, e := range map[string]*Env{"b": b, "c": c} {
				if n, _ := e.Store.AuditSeq(ctx); n != seq {
					t.Errorf("%s's audit seq %d, want %d: it sees a's login", name, n, seq)
				}
			}
			a.Data.PartyOrgs[0].Name = "改过的名称"
			if b.Data.PartyOrgs[0].Name == a.Data.PartyOrgs[0].Name {
				t.Error("a change to one Env's generated list shows in another's")
			}
			if n := city.Builds(); n > len(storetest.Engines()) {
				t.Errorf("the city was generated %d times", n)
			}
		})
	}
}
