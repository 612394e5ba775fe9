package audit

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestCheckpointRoundTrip: a checkpoint written by slog (text or JSON, with
// a journald-style prefix) reads back with a valid signature; any change to
// it, or another key, fails.
func TestCheckpointRoundTrip(t *testing.T) {
	c := Chain{Key: []byte("k")}
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	cp := c.NewCheckpoint(42, strings.Repeat("ab", 32), at)
	var buf bytes.Buffer
	buf.WriteString("time=x level=INFO msg=\"lianxin serving\" url=http://127.0.0.1:1\n")
	slog.New(slog.NewTextHandler(&buf, nil)).Info(CheckpointMsg, cp.LogAttrs()...)
	buf.WriteString("Nov 27 08:00:00 host lianxin[12]: ")
	slog.New(slog.NewJSONHandler(&buf, nil)).Info(CheckpointMsg, c.NewCheckpoint(0, "", at).LogAttrs()...)
	buf.WriteString("time=x level=INFO msg=\"a message that quotes audit checkpoint\"\n")
	got, err := ParseCheckpoints(&buf)
	if err != nil || len(got) != 2 {
		t.Fatalf("parsed %+v, %v", got, err)
	}
	if got[0].Line != 2 || got[0].Seq != 42 || got[0].Hash != cp.Hash || got[0].At != cp.At || !c.CheckpointValid(got[0]) {
		t.Errorf("text line: %+v", got[0])
	}
	if got[1].Line != 3 || got[1].Seq != 0 || got[1].Bad != "" || !c.CheckpointValid(got[1]) {
		t.Errorf("JSON line: %+v", got[1])
	}
	for name, mut := range map[string]func(*Checkpoint){
		"seq":  func(p *Checkpoint) { p.Seq++ },
		"hash": func(p *Checkpoint) { p.Hash = strings.Repeat("cd", 32) },
		"at":   func(p *Checkpoint) { p.At = "2026-11-28T08:00:00.000000Z" },
		"mac":  func(p *Checkpoint) { p.MAC = strings.Repeat("0", 64) },
	} {
		p := got[0]
		mut(&p)
		if c.CheckpointValid(p) {
			t.Errorf("checkpoint with changed %s still valid", name)
		}
	}
	if (Chain{Key: []byte("other")}).CheckpointValid(got[0]) {
		t.Error("checkpoint valid under another key")
	}
	// A head's MAC is not a checkpoint's signature.
	h := got[0]
	h.MAC = c.SignHead(h.Seq, h.Hash)
	if c.CheckpointValid(h) {
		t.Error("a head MAC passed as a checkpoint signature")
	}
}

func TestCheckpointLineMissingFieldIsBad(t *testing.T) {
	got, err := ParseCheckpoints(strings.NewReader(
		"time=x level=INFO msg=\"audit checkpoint\" seq=3 hash=ab at=2026-11-27T08:00:00.000000Z\n" +
			"level=INFO msg=\"audit checkpoint\" seq=x hash=ab at=t mac=m"))
	if err != nil || len(got) != 2 || !strings.Contains(got[0].Bad, "mac") || !strings.Contains(got[1].Bad, "seq") || got[1].Line != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if (Chain{Key: []byte("k")}).CheckpointValid(got[0]) {
		t.Fatal("a bad line passed")
	}
}
