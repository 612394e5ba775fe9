package gen

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lianxin/lianxin/internal/store/bulk"
)

// recorder is a Sink that keeps the whole (as Generate's collector does)
// and notes the parts' order and sizes.
type recorder struct {
	collector
	events   []string // "base" or "life"
	parts    []bulk.Life
	failLife int // fail the n-th life part (0: never)
}

func (r *recorder) Base(b bulk.Base) error {
	r.events = append(r.events, "base")
	return r.collector.Base(b)
}

func (r *recorder) Life(p bulk.Life) error {
	r.events = append(r.events, "life")
	r.parts = append(r.parts, p)
	if len(r.parts) == r.failLife {
		return errors.New("sink full")
	}
	return r.collector.Life(p)
}

// TestStreamHandsOnBoundedParts: Stream hands on the base first and once,
// then the year in parts of whole Party orgs, none much over the part
// size; put together they are exactly Generate's dataset, whatever the
// part size.
func TestStreamHandsOnBoundedParts(t *testing.T) {
	const size = 3000
	whole := Generate(Options{Scale: Small, Seed: 5, Today: today})
	var r recorder
	sum, err := Stream(Options{Scale: Small, Seed: 5, Today: today, LifePart: size}, &r)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.events) < 10 || r.events[0] != "base" {
		t.Fatalf("parts handed on: %v (want the base, then the year in ten parts or more)", r.events)
	}
	for _, e := range r.events[1:] {
		if e != "life" {
			t.Fatalf("parts handed on: %v", r.events)
		}
	}
	// A part is handed on once it reaches the size, after a whole org: at
	// most one org's year (a few thousand attendances) over it.
	orgPart := map[int64]int{}
	for i, p := range r.parts {
		if n := len(p.Attendances); n > size+3000 {
			t.Errorf("part %d holds %d attendances (size %d)", i, n, size)
		}
		if i < len(r.parts)-1 && len(p.Attendances) < size && len(p.Activities) < size/4 {
			t.Errorf("part %d handed on early: %d attendances, %d activities", i, len(p.Attendances), len(p.Activities))
		}
		for _, a := range p.Activities {
			if k, ok := orgPart[a.PartyOrgID]; ok && k != i {
				t.Fatalf("Party org %d's year is cut between parts %d and %d", a.PartyOrgID, k, i)
			}
			orgPart[a.PartyOrgID] = i
		}
	}
	if !reflect.DeepEqual(r.ds, whole.Dataset) || !reflect.DeepEqual(sum.Accounts, whole.Accounts) {
		t.Fatal("the streamed parts put together differ from Generate's dataset")
	}
	want := Summary{Accounts: whole.Accounts, PartyOrgs: len(whole.PartyOrgs), Organizations: len(whole.Organizations), Members: len(whole.Members),
		Zones: len(whole.Zones), Users: len(whole.Users), Activities: len(whole.Activities), Attendances: len(whole.Attendances)}
	if !reflect.DeepEqual(sum, want) {
		t.Fatalf("summary %+v, want %+v", sum, want)
	}
}

// TestStreamStopsOnSinkError: a sink's error ends the stream; nothing is
// handed on after it.
func TestStreamStopsOnSinkError(t *testing.T) {
	r := recorder{failLife: 2}
	if _, err := Stream(Options{Scale: Small, Seed: 5, Today: today, LifePart: 3000}, &r); err == nil || err.Error() != "sink full" {
		t.Fatalf("err = %v, want the sink's", err)
	}
	if len(r.parts) != 2 {
		t.Fatalf("%d parts handed on, want 2 (none after the error)", len(r.parts))
	}
}
