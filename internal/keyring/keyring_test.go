package keyring

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var errTest = errors.New("测试密钥文件错误")

// testFile is a key file with an extra string beside its keys.
type testFile struct {
	Header
	Keys  []Entry `json:"keys"`
	Label string  `json:"label"`
}

// testSpec derives a hash of each key (so that a test can compare keys
// without reading them) and keeps keep keys.
func testSpec(keep int) *Spec[[32]byte, string] {
	return &Spec[[32]byte, string]{
		Err: errTest, Noun: "测试密钥", Limit: 1 << 16, Keep: keep,
		Decode: func(data []byte) (File[string], error) {
			var f testFile
			err := DecodeJSON(data, &f)
			return File[string]{Header: f.Header, Keys: f.Keys, Extra: f.Label}, err
		},
		Encode:    func(f File[string]) any { return testFile{Header: f.Header, Keys: f.Keys, Label: f.Extra} },
		Derive:    func(raw []byte) ([32]byte, error) { return sha256.Sum256(raw), nil },
		NewExtra:  func() string { return fmt.Sprint(time.Now().UnixNano()) },
		SameExtra: func(a, b string) bool { return a == b },
		ExtraNoun: "标签",
	}
}

func open(t *testing.T, path string, spec *Spec[[32]byte, string]) *Ring[[32]byte, string] {
	t.Helper()
	r, err := Open(path, spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func ids(s *Set[[32]byte, string]) []uint32 {
	var out []uint32
	for _, k := range s.sorted() {
		out = append(out, k.ID)
	}
	return out
}

func TestRotationKeeps(t *testing.T) {
	for _, c := range []struct {
		keep int
		want string
	}{{0, "[1 2 3 4]"}, {2, "[3 4]"}, {3, "[2 3 4]"}} {
		t.Run(fmt.Sprint("keep ", c.keep), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.key")
			r := open(t, path, testSpec(c.keep))
			first := r.Current().Active
			for range 3 {
				if err := r.Rotate(time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)); err != nil {
					t.Fatal(err)
				}
			}
			s := r.Current()
			if s.Active.ID != 4 || fmt.Sprint(ids(s)) != c.want || s.Active.Created != "2026-11-28T06:00:00Z" {
				t.Fatalf("active %d, keys %v, created %s", s.Active.ID, ids(s), s.Active.Created)
			}
			if k := s.Lookup(1); (k != nil) != (c.keep == 0) || k != nil && k.Derived != first.Derived {
				t.Fatalf("key 1 after three rotations: %v", k)
			}
			// What a fresh process reads is what this one holds.
			again := open(t, path, testSpec(c.keep)).Current()
			if fmt.Sprint(ids(again)) != c.want || again.Active.Derived != s.Active.Derived || again.Extra != s.Extra {
				t.Fatalf("read again: %v", ids(again))
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				t.Fatalf("left behind: %v", entries)
			}
		})
	}
}

// A rotation by another process is picked up by Reload and built on by
// Rotate; a file that does not continue the keys in memory is refused.
func TestReloadChecksTheFileContinuesTheKeys(t *testing.T) {
	for _, keep := range []int{0, 2} {
		t.Run(fmt.Sprint("keep ", keep), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.key")
			a, b := open(t, path, testSpec(keep)), open(t, path, testSpec(keep))
			for range 3 { // b retires a's keys when only two are kept
				if err := b.Rotate(time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.Reload(); err != nil {
				t.Fatal(err)
			}
			if a.Current().Active.Derived != b.Current().Active.Derived {
				t.Fatal("reload did not pick up the rotation")
			}
			if err := a.Rotate(time.Now()); err != nil || a.Current().Active.ID != 5 {
				t.Fatalf("rotation after another's: %v, key %d", err, a.Current().Active.ID)
			}
			good, _ := os.ReadFile(path)

			other := filepath.Join(t.TempDir(), "other.key")
			foreign := open(t, other, testSpec(keep))
			for range 4 { // as many keys as a holds: their ids meet
				if err := foreign.Rotate(time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			foreignData, _ := os.ReadFile(other)
			sameLabel := bytes.Replace(foreignData, []byte(foreign.Current().Extra), []byte(a.Current().Extra), 1)
			cases := map[string]struct {
				data []byte
				want string
			}{
				"another label":        {foreignData, "标签与运行中的不同"},
				"the same label":       {sameLabel, "缺少或改动了密钥"},
				"an older active key":  {bytes.Replace(good, []byte(`"active_key_id": 5`), []byte(`"active_key_id": 4`), 1), "当前密钥 4 早于运行中的 5"},
				"a key changed":        {changeKey(t, good, 4), "改动了密钥 4"},
				"no such file, really": {nil, "不存在"},
			}
			if keep == 0 {
				cases["a key left out"] = struct {
					data []byte
					want string
				}{dropKey(t, good, 1), "缺少或改动了密钥 1"}
			}
			for name, c := range cases {
				if c.data == nil {
					os.Remove(path)
				} else if err := os.WriteFile(path, c.data, 0o600); err != nil {
					t.Fatal(err)
				}
				before := a.Current()
				for op, err := range map[string]error{"Reload": a.Reload(), "Rotate": a.Rotate(time.Now())} {
					if !errors.Is(err, errTest) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
						t.Errorf("%s, %s: %v, want …%s", name, op, err, c.want)
					}
				}
				if a.Current() != before {
					t.Errorf("%s: a refused file changed the keys in memory", name)
				}
				if now, _ := os.ReadFile(path); !bytes.Equal(now, c.data) {
					t.Errorf("%s: a refused rotation wrote the file", name)
				}
			}
		})
	}
}

// changeKey gives key id other bytes in a key file.
func changeKey(t *testing.T, data []byte, id uint32) []byte {
	f := parse(t, data)
	for i := range f.Keys {
		if f.Keys[i].ID == id {
			f.Keys[i].Key = strings.Repeat("ab", KeyLen)
		}
	}
	return format(t, f)
}

// dropKey leaves key id out of a key file.
func dropKey(t *testing.T, data []byte, id uint32) []byte {
	f := parse(t, data)
	var kept []Entry
	for _, e := range f.Keys {
		if e.ID != id {
			kept = append(kept, e)
		}
	}
	f.Keys = kept
	return format(t, f)
}

func parse(t *testing.T, data []byte) testFile {
	t.Helper()
	var f testFile
	if err := DecodeJSON(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func format(t *testing.T, f testFile) []byte {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Instances rotating at once: each rotation either happens or is refused by
// the lock; none is lost or undone, and every key made is in the file.
func TestConcurrentRotations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.key")
	const n = 6
	rings := make([]*Ring[[32]byte, string], n)
	var wg sync.WaitGroup
	for i := range rings { // starting together: one key for all
		wg.Go(func() {
			r, err := Open(path, testSpec(0))
			if err != nil {
				t.Error(err)
				return
			}
			rings[i] = r
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, r := range rings[1:] {
		if r.Current().Active.Derived != rings[0].Current().Active.Derived {
			t.Fatal("instances starting together made different keys")
		}
	}
	made := make(chan [32]byte, n*5)
	for _, r := range rings {
		wg.Go(func() {
			for range 5 {
				switch err := r.Rotate(time.Now()); {
				case err == nil:
					made <- r.Current().Active.Derived
				case !strings.Contains(err.Error(), ".lock"):
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	close(made)
	final := open(t, path, testSpec(0)).Current()
	rotations := 0
	for d := range made {
		rotations++
		found := false
		for _, k := range final.keys {
			found = found || k.Derived == d
		}
		if !found {
			t.Error("a key made by a rotation is not in the file")
		}
	}
	if rotations == 0 || final.Len() != rotations+1 || final.Active.ID != uint32(rotations+1) {
		t.Fatalf("%d rotations, the file holds %d keys, active %d", rotations, final.Len(), final.Active.ID)
	}
}

func TestDecodeRefuses(t *testing.T) {
	k := strings.Repeat("ab", KeyLen)
	for name, c := range map[string]struct{ content, want string }{
		"empty":      {"  \n", "文件为空"},
		"syntax":     {`{"version":1,]`, "JSON 格式错误"},
		"unknown":    {`{"version":1,"x":1}`, "JSON 结构不符"},
		"version":    {`{"version":2,"active_key_id":1,"keys":[{"id":1,"key":"` + k + `"}]}`, "不支持的版本 2"},
		"no keys":    {`{"version":1,"active_key_id":1,"keys":[]}`, "没有测试密钥"},
		"too many":   {`{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + k + `"},{"id":2,"key":"` + k + `"},{"id":3,"key":"` + k + `"}]}`, "最多保留 2 个测试密钥，实有 3 个"},
		"zero id":    {`{"version":1,"active_key_id":0,"keys":[{"id":0,"key":"` + k + `"}]}`, "不能为 0"},
		"duplicate":  {`{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + k + `"},{"id":1,"key":"` + k + `"}]}`, "密钥编号 1 重复"},
		"short key":  {`{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + k[:62] + `"}]}`, "密钥 1 应为 64 位十六进制"},
		"not hex":    {`{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"zz` + k[2:] + `"}]}`, "密钥 1 应为 64 位十六进制"},
		"no active":  {`{"version":1,"active_key_id":7,"keys":[{"id":1,"key":"` + k + `"}]}`, "当前密钥 7 不在密钥列表中"},
		"over limit": {`{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + k + `"}],"label":"` + strings.Repeat("x", 1<<16) + `"}`, "JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.key")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, testSpec(2))
			if !errors.Is(err, errTest) || !strings.Contains(err.Error(), "已损坏") || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "abab") {
				t.Fatalf("err = %v, want 已损坏 … %s", err, c.want)
			}
			if b, _ := os.ReadFile(path); string(b) != c.content {
				t.Fatal("a broken key file was replaced")
			}
		})
	}
}

func TestRedaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.key")
	r := open(t, path, testSpec(0))
	if err := r.Rotate(time.Now()); err != nil {
		t.Fatal(err)
	}
	s := r.Current()
	out := fmt.Sprintf("%v %+v %#v %s %v %+v %#v %v %+v %#v", r, r, r, r, s, *s, s, s.Active, *s.Active, s.Lookup(1))
	for _, k := range s.keys {
		for _, secret := range []string{hex.EncodeToString(k.raw), fmt.Sprint(k.raw), fmt.Sprintf("%x", k.raw[:8])} {
			if strings.Contains(out, secret) {
				t.Fatalf("formatted keys contain key material: %s", out)
			}
		}
	}
	if !strings.Contains(out, "REDACTED") || !strings.Contains(r.String(), "active_key_id: 2") {
		t.Fatalf("String() = %s", r)
	}
}
