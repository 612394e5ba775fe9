package checkin

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testdata/v1.checkin.key was written by the code before the shared rotation
// (internal/keyring): LoadOrCreate, v1Code1 issued, Rotate, v1Code2 issued,
// both for an activity from 14:30 to 16:30 UTC with an hour either side. Its
// keys sign nothing but these tests.
const (
	v1Code1 = "A1AEE4V3NCB3YACVIZT5UE2MM3S4R2Z4PW5KPE76Q" // activity 9, key 1
	v1Code2 = "A1AIFMV3NCB3YADN52LUR6L5D4B4ZTNE7PD7M4IXA" // activity 10, key 2
)

// v1File is the key file as the code before issue 12 read and wrote it.
type v1File struct {
	Version  int    `json:"version"`
	ActiveID uint32 `json:"active_key_id"`
	Keys     []struct {
		ID      uint32 `json:"id"`
		Created string `json:"created"`
		Key     string `json:"key"`
	} `json:"keys"`
}

func readV1(t *testing.T, data []byte) v1File {
	t.Helper()
	var f v1File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || f.Version != 1 {
		t.Fatalf("not a version 1 key file (%v):\n%s", err, data)
	}
	return f
}

// Issue 12: a key file written before the shared rotation loads, its codes
// verify, and a rotation writes it in the same form (an older instance
// sharing the file reads it), retiring key 1.
func TestKeyFileOfVersion1Loads(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "v1.checkin.key"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), KeyFileName)
	if err := os.WriteFile(path, data, 0o600); err != nil { // git keeps 0644, rightly refused
		t.Fatal(err)
	}
	k, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	c := ActivityCodes{Keys: k, Before: time.Hour, After: time.Hour}
	for code, id := range map[string]int64{v1Code1: 9, v1Code2: 10} {
		if got, err := c.Verify(code, at); err != nil || got.ActivityID != id {
			t.Errorf("%s: %+v %v", code, got, err)
		}
	}
	if err := k.Rotate(at); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	old, rotated := readV1(t, data), readV1(t, after)
	if rotated.ActiveID != 3 || len(rotated.Keys) != 2 || rotated.Keys[0] != old.Keys[1] || rotated.Keys[1].ID != 3 {
		t.Fatalf("rotated file:\n%s", after)
	}
	want, _ := json.MarshalIndent(rotated, "", "  ")
	if !bytes.Equal(append(want, '\n'), after) {
		t.Fatalf("rotated file is not in the form of version 1:\n%s", after)
	}
	if _, err := c.Verify(v1Code2, at); err != nil {
		t.Errorf("the previous key's code: %v", err)
	}
	if _, err := c.Verify(v1Code1, at); err != ErrBadSignature {
		t.Errorf("the retired key's code: %v", err)
	}
}
