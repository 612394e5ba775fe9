package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestImportQuotaAdmit(t *testing.T) {
	q := ImportQuota{PerAccount: 2, MaxBytes: 100 << 20}
	for _, c := range []struct {
		name    string
		load    ImportLoad
		size    int64
		storage *bool // nil: admitted
	}{
		{"empty queue", ImportLoad{}, 50 << 20, nil},
		{"second job of the account", ImportLoad{Account: 1, Bytes: 40 << 20}, 50 << 20, nil},
		{"third job of the account", ImportLoad{Account: 2, Bytes: 0}, 1, ptr(false)},
		{"exactly full", ImportLoad{Bytes: 60 << 20}, 40 << 20, nil},
		{"one byte over", ImportLoad{Bytes: 60 << 20}, 40<<20 + 1, ptr(true)},
		{"account bound first", ImportLoad{Account: 5, Bytes: 1 << 30}, 1, ptr(false)},
	} {
		err := q.Admit(c.load, c.size)
		var be *LimitError
		switch {
		case c.storage == nil && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.storage != nil && !errors.As(err, &be):
			t.Errorf("%s: admitted or wrong error: %v", c.name, err)
		case c.storage != nil && ((be.Limit == LimitStorage) != *c.storage || !strings.HasSuffix(be.Message, "上传")):
			t.Errorf("%s: %+v", c.name, be)
		}
	}
	// Zero values take the defaults.
	if err := (ImportQuota{}).Admit(ImportLoad{Account: DefaultImportsPerAccount}, 1); err == nil {
		t.Error("default per-account bound not applied")
	}
	if err := (ImportQuota{}).Admit(ImportLoad{Bytes: DefaultImportQueueBytes}, 1); err == nil {
		t.Error("default space bound not applied")
	}
}

func TestDistrictOf(t *testing.T) {
	for in, want := range map[string]string{
		"/1/5/23/77/": "/1/5/",
		"/1/5/":       "/1/5/",
		"/1/":         "/1/",
		"/":           "/",
		"/1":          "/1/",
	} {
		if got := DistrictPathOf(in); got != want {
			t.Errorf("DistrictPathOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImportTurnsRoundRobin: a district that queued many files waits its
// turn behind a district that queued one, and inside a district the
// accounts take turns; each account's files keep their order.
func TestImportTurnsRoundRobin(t *testing.T) {
	type job struct{ name, district, account string }
	for _, c := range []struct {
		name  string
		queue []job
		want  string
	}{
		{"one district FIFO", []job{{"a1", "J", "a"}, {"a2", "J", "a"}, {"a3", "J", "a"}}, "a1 a2 a3"},
		{"districts alternate", []job{{"j1", "J", "j"}, {"j2", "J", "j"}, {"j3", "J", "j"}, {"q1", "Q", "q"}, {"w1", "W", "w"}},
			"j1 q1 w1 j2 j3"},
		{"accounts alternate inside a district", []job{{"a1", "J", "a"}, {"a2", "J", "a"}, {"b1", "J", "b"}, {"b2", "J", "b"}, {"q1", "Q", "q"}},
			"a1 q1 b1 a2 b2"},
	} {
		var tt ImportTurns
		var queue []QueuedImport
		var names []string
		for _, j := range c.queue {
			queue = append(queue, QueuedImport{District: j.district, Account: j.account})
			names = append(names, j.name)
		}
		var got []string
		for len(queue) > 0 {
			i := tt.Next(queue)
			got = append(got, names[i])
			queue = append(queue[:i], queue[i+1:]...)
			names = append(names[:i], names[i+1:]...)
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: order %s, want %s", c.name, g, c.want)
		}
	}
	var tt ImportTurns
	if tt.Next(nil) != -1 {
		t.Error("empty queue")
	}
}

// TestImportTurnsRemembersAcrossArrivals: a district served a moment ago
// waits behind one that was not, even when its file arrived first.
func TestImportTurnsRemembersAcrossArrivals(t *testing.T) {
	var tt ImportTurns
	if i := tt.Next([]QueuedImport{{"J", "j"}}); i != 0 {
		t.Fatal(i)
	}
	if i := tt.Next([]QueuedImport{{"J", "j"}, {"Q", "q"}}); i != 1 {
		t.Fatalf("the district just served went first: %d", i)
	}
	if i := tt.Next([]QueuedImport{{"J", "j"}, {"Q", "q"}}); i != 0 {
		t.Fatalf("then the other district: %d", i)
	}
}
