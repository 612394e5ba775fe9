package pii

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// testdata/v1.pii.keys was written by the code before the shared rotation
// (internal/keyring): LoadOrCreate, one ciphertext, Rotate, another. Its keys
// protect nothing but these tests.
const (
	v1IDCiphertext    = "010000000184f451a40e0133492c4fe804d5a6e33a1b5b7fac64b7423b31580b4b7dfa77ff25f1b91e7df1e16c68a7b2d8878b" // key 1
	v1PhoneCiphertext = "0100000002077531451c6001786272d8cd0a7127abbba5b3b508a45ed4c6c3232fb5196306479d4f7a7afe37"               // key 2
	v1Index           = "ad83c2e6903a010fae9689993dd4c3c91442ac7290d8754530788087e01a6758"
	v1SuffixIndex     = "4faee9069680f624595cff437b31e46f132285d53e49fc5894aee0b89cf4f640"
)

// copyKeyFile copies a testdata key file to a fresh directory with mode 0600
// (git keeps 0644, which LoadOrCreate rightly refuses).
func copyKeyFile(t *testing.T, name string) (string, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pii.keys")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// Issue 12: a key file written before the shared rotation loads, decrypts
// what was encrypted with either of its keys, indexes alike, and is written
// back in the same form, so that an older instance sharing the file reads
// a rotation made by a newer one.
func TestKeyFileOfVersion1Loads(t *testing.T) {
	path, data := copyKeyFile(t, "v1.pii.keys")
	k, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if k.ActiveKeyID() != 2 {
		t.Fatalf("active key %d, want 2", k.ActiveKeyID())
	}
	for kind, c := range map[string]struct{ ct, want string }{
		KindIDNumber: {v1IDCiphertext, "510104199003070015"},
		KindPhone:    {v1PhoneCiphertext, "13800001234"},
	} {
		ct, _ := hex.DecodeString(c.ct)
		if got, err := k.Decrypt(kind, ct); err != nil || got != c.want {
			t.Errorf("%s: %q, %v", kind, got, err)
		}
	}
	if got := hex.EncodeToString(k.Index(KindIDNumber, "510104199003070015")); got != v1Index {
		t.Errorf("index %s, want %s", got, v1Index)
	}
	if got := hex.EncodeToString(k.IndexSuffix(KindIDNumber, "0015")); got != v1SuffixIndex {
		t.Errorf("suffix index %s, want %s", got, v1SuffixIndex)
	}
	// A rotation writes the file as the code before wrote it: key 3 added,
	// the rest unchanged.
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old, rotated := readV1(t, data), readV1(t, after)
	if rotated.ActiveID != 3 || len(rotated.Keys) != 3 || rotated.IndexKey != old.IndexKey ||
		rotated.Keys[0] != old.Keys[0] || rotated.Keys[1] != old.Keys[1] || rotated.Keys[2].ID != 3 {
		t.Fatalf("rotated file:\n%s", after)
	}
	want, _ := json.MarshalIndent(rotated, "", "  ")
	if !bytes.Equal(append(want, '\n'), after) {
		t.Fatalf("rotated file is not in the form of version 1:\n%s", after)
	}
}

// v1File is the key file as the code before issue 12 read and wrote it.
type v1File struct {
	Version  int    `json:"version"`
	ActiveID uint32 `json:"active_key_id"`
	Keys     []struct {
		ID      uint32 `json:"id"`
		Created string `json:"created"`
		Key     string `json:"key"`
	} `json:"encryption_keys"`
	IndexKey string `json:"index_key"`
}

// readV1 decodes data as that code did: strictly.
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
