package xlsx

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"
)

type testSource struct {
	r      io.Reader
	closed bool
}

func (s *testSource) Read(b []byte) (int, error) { return s.r.Read(b) }
func (s *testSource) Close() error               { s.closed = true; return nil }

func TestPrefetcher(t *testing.T) {
	data := make([]byte, 3*prefetchChunk*prefetchChunks+12345)
	rand.New(rand.NewSource(1)).Read(data)

	src := &testSource{r: bytes.NewReader(data)}
	p := newPrefetcher(src)
	got, err := io.ReadAll(p)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d of %d bytes: %v", len(got), len(data), err)
	}
	if err := p.Close(); err != nil || !src.closed {
		t.Fatal("not closed", err)
	}

	// Closed after one chunk: the goroutine, blocked on a full queue, stops.
	src = &testSource{r: bytes.NewReader(data)}
	p = newPrefetcher(src)
	if _, err := p.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil || !src.closed {
		t.Fatal("not closed", err)
	}

	// A failing part (a bad checksum) fails the read after what came before.
	boom := errors.New("zip: checksum error")
	src = &testSource{r: io.MultiReader(bytes.NewReader(data[:prefetchChunk+10]), iotestErr{boom})}
	p = newPrefetcher(src)
	got, err = io.ReadAll(p)
	if !errors.Is(err, boom) || !bytes.Equal(got, data[:prefetchChunk+10]) {
		t.Fatalf("%d bytes, %v", len(got), err)
	}
	p.Close()
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }
