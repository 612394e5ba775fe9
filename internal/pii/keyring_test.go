package pii

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lianxin/lianxin/internal/keyring"
)

func newTestKeyring(t testing.TB) (*Keyring, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pii.key")
	k, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	return k, path
}

// secrets returns the hex of every key the keyring holds (as its file
// holds them: the tests never leave the two apart).
func secrets(k *Keyring) []string {
	data, err := os.ReadFile(k.ring.Path())
	if err != nil {
		panic(err)
	}
	var f keyFile
	if err := json.Unmarshal(data, &f); err != nil {
		panic(err)
	}
	out := []string{f.IndexKey}
	for _, e := range f.Keys {
		out = append(out, e.Key)
	}
	return out
}

func TestCreateThenLoad(t *testing.T) {
	k, path := newTestKeyring(t)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %04o, want 0600", fi.Mode().Perm())
	}
	var f keyFile
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 || f.ActiveID != 1 || len(f.Keys) != 1 || len(f.IndexKey) != 64 || len(f.Keys[0].Key) != 64 || f.Keys[0].Created == "" {
		t.Fatalf("unexpected file: %+v", f)
	}

	ct, err := k.Encrypt(KindPhone, "13800138000")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k2.Decrypt(KindPhone, ct); err != nil || got != "13800138000" {
		t.Fatalf("reloaded keyring: %q, %v", got, err)
	}
	if string(k.Index(KindPhone, "13800138000")) != string(k2.Index(KindPhone, "13800138000")) {
		t.Fatal("index differs after reload")
	}
	// No temp files left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory has %d entries, want only the key file", len(entries))
	}
}

func TestRefuseGroupReadable(t *testing.T) {
	_, path := newTestKeyring(t)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOrCreate(path)
		if !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("mode %04o: err = %v, want a refusal", mode, err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(path); err != nil {
		t.Fatalf("mode 0400 should be accepted: %v", err)
	}
}

func TestCorruptedKeyFile(t *testing.T) {
	good, path := newTestKeyring(t)
	valid, _ := os.ReadFile(path)
	var f keyFile
	json.Unmarshal(valid, &f)
	mutate := func(fn func(*keyFile)) string {
		g := f
		g.Keys = append([]keyring.Entry(nil), f.Keys...)
		fn(&g)
		b, _ := json.Marshal(g)
		return string(b)
	}
	cases := map[string]struct{ content, want string }{
		"empty":        {"", "文件为空"},
		"truncated":    {string(valid[:len(valid)/2]), "JSON"},
		"not json":     {"0123456789abcdef" + f.IndexKey, "JSON"},
		"wrong shape":  {`{"version":1,"keys":"x"}`, "JSON 结构不符"},
		"unknown key":  {`{"version":1,"extra":true}`, "JSON 结构不符"},
		"version":      {mutate(func(g *keyFile) { g.Version = 2 }), "版本"},
		"no keys":      {mutate(func(g *keyFile) { g.Keys = nil }), "没有加密密钥"},
		"short key":    {mutate(func(g *keyFile) { g.Keys[0].Key = g.Keys[0].Key[:62] }), "64 位十六进制"},
		"bad hex":      {mutate(func(g *keyFile) { g.Keys[0].Key = "zz" + g.Keys[0].Key[2:] }), "64 位十六进制"},
		"zero id":      {mutate(func(g *keyFile) { g.Keys[0].ID = 0; g.ActiveID = 0 }), "不能为 0"},
		"dup id":       {mutate(func(g *keyFile) { g.Keys = append(g.Keys, g.Keys[0]) }), "重复"},
		"no active":    {mutate(func(g *keyFile) { g.ActiveID = 9 }), "当前密钥 9"},
		"bad index":    {mutate(func(g *keyFile) { g.IndexKey = g.IndexKey[:10] }), "索引密钥"},
		"index is hex": {mutate(func(g *keyFile) { g.IndexKey = "" }), "索引密钥"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "pii.key")
			if err := os.WriteFile(p, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreate(p)
			if !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), "已损坏") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want 已损坏 … %s", err, c.want)
			}
			for _, s := range secrets(good) {
				if strings.Contains(err.Error(), s) || strings.Contains(err.Error(), s[:16]) {
					t.Fatal("error message contains key material")
				}
			}
			// The broken file must not have been replaced.
			if b, _ := os.ReadFile(p); string(b) != c.content {
				t.Fatal("corrupted key file was overwritten")
			}
		})
	}
}

func TestNotRegularFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(dir); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("directory as key file: %v", err)
	}
}

func TestRedaction(t *testing.T) {
	k, _ := newTestKeyring(t)
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%v %+v %#v %s %q %x", k, k, k, k, k, k)
	cur := k.ring.Current()
	out += fmt.Sprintf("%v %+v %#v %v %+v %#v %v", *cur, cur, cur, cur.Active, *cur.Active, cur.Lookup(1), k.ring)
	//lint:ignore SA9005 the point is that marshalling a keyring by mistake reveals nothing
	b, _ := json.Marshal(k)
	out += string(b)
	for _, s := range secrets(k) {
		if strings.Contains(out, s) {
			t.Fatalf("formatted keyring contains key material: %s", out)
		}
	}
	if !strings.Contains(k.String(), "REDACTED") || !strings.Contains(k.GoString(), "active_key_id: 2") {
		t.Fatalf("String() = %s", k.String())
	}
}

func TestRotate(t *testing.T) {
	k, path := newTestKeyring(t)
	old, err := k.Encrypt(KindIDNumber, "510104199001010015")
	if err != nil {
		t.Fatal(err)
	}
	idx := k.Index(KindIDNumber, "510104199001010015")
	if k.NeedsRotation(old) {
		t.Fatal("fresh ciphertext needs rotation")
	}
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	if k.ActiveKeyID() != 2 {
		t.Fatalf("active key %d, want 2", k.ActiveKeyID())
	}
	if !k.NeedsRotation(old) {
		t.Fatal("old ciphertext does not need rotation")
	}
	cur, _ := k.Encrypt(KindIDNumber, "510104199001010015")
	if k.NeedsRotation(cur) {
		t.Fatal("new ciphertext needs rotation")
	}
	if k.NeedsRotation(nil) {
		t.Fatal("nil needs rotation")
	}
	if !k.NeedsRotation([]byte{1, 2, 3}) || !k.NeedsRotation(append([]byte{9}, cur[1:]...)) {
		t.Fatal("malformed ciphertext should be reported for the job to surface")
	}
	for _, ct := range [][]byte{old, cur} {
		if got, err := k.Decrypt(KindIDNumber, ct); err != nil || got != "510104199001010015" {
			t.Fatalf("after rotation: %q, %v", got, err)
		}
	}
	if string(k.Index(KindIDNumber, "510104199001010015")) != string(idx) {
		t.Fatal("rotation changed the blind index")
	}

	// The rotated file is what a fresh process sees; the mode is kept.
	k2, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if k2.ActiveKeyID() != 2 {
		t.Fatalf("reloaded active key %d", k2.ActiveKeyID())
	}
	for _, ct := range [][]byte{old, cur} {
		if got, err := k2.Decrypt(KindIDNumber, ct); err != nil || got != "510104199001010015" {
			t.Fatalf("reloaded after rotation: %q, %v", got, err)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode after rotation %04o", fi.Mode().Perm())
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Fatal("lock file left behind")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory has %d entries after rotation", len(entries))
	}
}

// Another process rotating: this keyring learns the key by Reload, and its own
// Rotate keeps the other's key instead of overwriting it.
func TestRotateByAnotherProcess(t *testing.T) {
	a, path := newTestKeyring(t)
	b, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Rotate(); err != nil {
		t.Fatal(err)
	}
	ctB, _ := b.Encrypt(KindPhone, "13800138000")
	if _, err := a.Decrypt(KindPhone, ctB); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("stale keyring: %v, want ErrUnknownKey", err)
	}
	if err := a.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Decrypt(KindPhone, ctB); err != nil || got != "13800138000" {
		t.Fatalf("after reload: %q, %v", got, err)
	}

	if err := b.Rotate(); err != nil { // key 3, unknown to a
		t.Fatal(err)
	}
	if err := a.Rotate(); err != nil { // must become key 4, keeping 3
		t.Fatal(err)
	}
	c, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.ActiveKeyID() != 4 || c.ring.Current().Len() != 4 {
		t.Fatalf("active %d with %d keys, want 4 and 4", c.ActiveKeyID(), c.ring.Current().Len())
	}
}

func TestReloadRefusesReplacedFile(t *testing.T) {
	a, path := newTestKeyring(t)
	other := filepath.Join(t.TempDir(), "other.key")
	if _, err := LoadOrCreate(other); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(other)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := a.Reload(); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("Reload of a foreign key file: %v", err)
	}
	if err := a.Rotate(); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("Rotate over a foreign key file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(data) {
		t.Fatal("refused Rotate still wrote the file")
	}
}

func TestRotateLocked(t *testing.T) {
	k, path := newTestKeyring(t)
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Rotate(); !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), ".lock") {
		t.Fatalf("Rotate with a lock present: %v", err)
	}
	if k.ActiveKeyID() != 1 {
		t.Fatal("failed Rotate changed the active key")
	}
}

// Processes starting together on a fresh machine must end up with one key set.
func TestConcurrentCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pii.key")
	const n = 8
	rings := make([]*Keyring, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, err := LoadOrCreate(path)
			if err != nil {
				t.Error(err)
				return
			}
			rings[i] = k
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	want := rings[0].Index(KindPhone, "13800138000")
	for _, k := range rings[1:] {
		if string(k.Index(KindPhone, "13800138000")) != string(want) {
			t.Fatal("concurrent creation produced different keys")
		}
	}
}

func TestConcurrentUseDuringRotate(t *testing.T) {
	k, _ := newTestKeyring(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				ct, err := k.Encrypt(KindPhone, "13800138000")
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := k.Decrypt(KindPhone, ct); err != nil || got != "13800138000" {
					t.Errorf("%q, %v", got, err)
					return
				}
				k.Index(KindPhone, "13800138000")
			}
		})
	}
	for range 3 {
		if err := k.Rotate(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
