package audit

import (
	"os"
	"strings"
	"testing"
	"time"
)

func chainOf(t *testing.T, n int) (Chain, []Event) {
	t.Helper()
	c := Chain{Key: []byte("k")}
	prev := ""
	var evs []Event
	for i := 1; i <= n; i++ {
		e := New(time.Date(2026, 11, 27, 8, 0, i, 0, time.UTC), Actor{UserID: 7, Username: "city"}, ActionUpdate, "party_org", "42", ResultSuccess).
			WithStates(map[string]string{"name": "a"}, map[string]string{"name": "b"})
		e.ID = int64(i)
		c.Seal(&e, prev)
		prev = e.Hash
		evs = append(evs, e)
	}
	return c, evs
}

func verify(c Chain, evs []Event) (int64, string) {
	v := Verifier{Chain: c}
	for i := range evs {
		if msg := v.Check(&evs[i]); msg != "" {
			return evs[i].ID, msg
		}
	}
	return 0, ""
}

func TestChainVerifies(t *testing.T) {
	c, evs := chainOf(t, 5)
	if id, msg := verify(c, evs); id != 0 {
		t.Fatalf("intact chain reported broken at %d: %s", id, msg)
	}
}

func TestChainDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		mutate func([]Event) []Event
		broken int64
		want   string
	}{
		{"content altered", func(e []Event) []Event { e[2].After = `{"name":"x"}`; return e }, 3, "内容"},
		{"record deleted", func(e []Event) []Event { return append(e[:1:1], e[2:]...) }, 3, "不连续"},
		{"rehashed without key", func(e []Event) []Event {
			e[1].Reason = "x"
			Chain{}.Seal(&e[1], e[0].Hash)
			return e
		}, 2, "内容"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, evs := chainOf(t, 5)
			id, msg := verify(c, tc.mutate(evs))
			if id != tc.broken || !strings.Contains(msg, tc.want) {
				t.Fatalf("got broken=%d %q, want %d containing %q", id, msg, tc.broken, tc.want)
			}
		})
	}
}

func TestHeadDetectsTruncation(t *testing.T) {
	c, evs := chainOf(t, 4)
	v := Verifier{Chain: c}
	for i := range evs[:3] {
		if msg := v.Check(&evs[i]); msg != "" {
			t.Fatal(msg)
		}
	}
	if msg := v.Head(Head{4, evs[3].Hash, c.SignHead(4, evs[3].Hash)}); msg == "" {
		t.Fatal("a truncated chain passed the head check")
	}
	// Pointing the head at the new last record needs the key.
	if msg := v.Head(Head{Seq: 3, Hash: evs[2].Hash}); !strings.Contains(msg, "校验码") {
		t.Fatalf("an unsigned head passed: %q", msg)
	}
	if msg := v.Head(Head{3, evs[2].Hash, Chain{Key: []byte("other")}.SignHead(3, evs[2].Hash)}); !strings.Contains(msg, "校验码") {
		t.Fatalf("a head signed with another key passed: %q", msg)
	}
	if msg := v.Head(Head{3, evs[2].Hash, c.SignHead(3, evs[2].Hash)}); msg != "" {
		t.Fatalf("a genuine head failed: %s", msg)
	}
}

// TestWebNamesEveryAction keeps the audit page's Chinese names (a list in
// the web app, which cannot import Go) the same as ActionNames.
func TestWebNamesEveryAction(t *testing.T) {
	b, err := os.ReadFile("../../web/src/lib/labels.ts")
	if err != nil {
		t.Fatal(err)
	}
	for code, name := range ActionNames {
		if want := "{ code: '" + code + "', name: '" + name + "' }"; !strings.Contains(string(b), want) {
			t.Errorf("web/src/lib/labels.ts lacks %s", want)
		}
	}
}
