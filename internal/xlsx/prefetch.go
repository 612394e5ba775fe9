package xlsx

import (
	"io"
	"sync"
)

// prefetcher inflates a large part on its own goroutine, a few chunks ahead
// of the scanner, so that inflating and scanning a sheet overlap on a
// machine with more than one core: reading then costs about the larger of
// the two rather than their sum.
type prefetcher struct {
	src  io.ReadCloser
	full chan []byte // inflated chunks, in order; closed at the end
	free chan []byte // chunks the reader is done with
	stop chan struct{}
	wg   sync.WaitGroup
	err  error // why full was closed (io.EOF at the end); set before closing it

	cur, chunk []byte
	once       sync.Once
}

const (
	prefetchChunk  = 256 << 10
	prefetchChunks = 4
	// Below this a part is read in place: a goroutine buys nothing.
	prefetchMin = 1 << 20
)

func newPrefetcher(src io.ReadCloser) *prefetcher {
	p := &prefetcher{src: src, full: make(chan []byte, prefetchChunks), free: make(chan []byte, prefetchChunks), stop: make(chan struct{})}
	for range prefetchChunks {
		p.free <- make([]byte, prefetchChunk)
	}
	p.wg.Add(1)
	go p.run()
	return p
}

func (p *prefetcher) run() {
	defer p.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return
		}
		n, err := io.ReadFull(p.src, buf[:cap(buf)])
		if n > 0 {
			select {
			case p.full <- buf[:n]:
			case <-p.stop:
				return
			}
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			p.err = err
			close(p.full)
			return
		}
	}
}

func (p *prefetcher) Read(b []byte) (int, error) {
	if len(p.cur) == 0 {
		if p.chunk != nil {
			p.free <- p.chunk
			p.chunk = nil
		}
		c, ok := <-p.full
		if !ok {
			return 0, p.err
		}
		p.chunk, p.cur = c, c
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// Close stops the goroutine, then closes the part.
func (p *prefetcher) Close() error {
	var err error
	p.once.Do(func() {
		close(p.stop)
		p.wg.Wait()
		err = p.src.Close()
	})
	return err
}
