package domain

import (
	"fmt"
	"strings"
	"time"
)

// The import queue's rules (issue 11, finding 8): how many uploads one
// account may have waiting or running, how much upload space all of them may
// take, and which waiting job runs next so that one district's many files do
// not hold back another district's one.

// Default bounds of the import queue.
const (
	DefaultImportsPerAccount = 2
	DefaultImportQueueBytes  = 500 << 20
)

// ImportQuota bounds the import queue (zero fields take the defaults).
type ImportQuota struct {
	PerAccount int   // jobs queued or running per account
	MaxBytes   int64 // bytes of the uploads of all queued and running jobs
}

// ImportLoad is what the queue holds when an upload arrives: the uploader's
// unfinished jobs and the bytes of every unfinished job's upload.
type ImportLoad struct {
	Account int
	Bytes   int64
}

// importRetry is how long a refused upload should wait: an import takes a while.
const importRetry = time.Minute

func (q ImportQuota) perAccount() int {
	if q.PerAccount > 0 {
		return q.PerAccount
	}
	return DefaultImportsPerAccount
}

func (q ImportQuota) maxBytes() int64 {
	if q.MaxBytes > 0 {
		return q.MaxBytes
	}
	return DefaultImportQueueBytes
}

// Admit decides whether one more upload of size bytes may join the queue.
func (q ImportQuota) Admit(load ImportLoad, size int64) error {
	if n := q.perAccount(); load.Account >= n {
		return &LimitError{Limit: LimitRate, RetryAfter: importRetry, Message: fmt.Sprintf("您已有 %d 个导入在排队或进行中，请等其完成后再上传", load.Account)}
	}
	if m := q.maxBytes(); load.Bytes+size > m {
		return &LimitError{Limit: LimitStorage, RetryAfter: importRetry, Message: fmt.Sprintf("服务器上等待导入的文件已接近 %d MB 的上限，请稍后再上传", m>>20)}
	}
	return nil
}

// QueuedImport is a job waiting to run.
type QueuedImport struct {
	District string // see DistrictPathOf
	Account  string
}

// DistrictPathOf is the part of a scope path that the queue serves in turn: the
// district-level node ("/1/5/" of "/1/5/23/"), or the city's root for the
// city's own staff.
func DistrictPathOf(scopePath string) string {
	n := 0
	for i := 0; i < len(scopePath); i++ {
		if scopePath[i] == '/' {
			n++
			if n == 3 {
				return scopePath[:i+1]
			}
		}
	}
	if !strings.HasSuffix(scopePath, "/") {
		return scopePath + "/"
	}
	return scopePath
}

// ImportTurns remembers when each district and each account was last
// served, and picks the next job round-robin: the district served least
// recently (or never), within it the account served least recently, then
// that account's oldest job. Ties go to the job queued first.
type ImportTurns struct {
	n        int64
	district map[string]int64
	account  map[string]int64
}

// Next returns the index in queue (oldest first) of the job to run next and
// records its turn; -1 when the queue is empty.
func (t *ImportTurns) Next(queue []QueuedImport) int {
	if t.district == nil {
		t.district, t.account = map[string]int64{}, map[string]int64{}
	}
	best := -1
	for i, q := range queue {
		if best < 0 || t.before(q, queue[best]) {
			best = i
		}
	}
	if best >= 0 {
		t.n++
		t.district[queue[best].District] = t.n
		t.account[queue[best].Account] = t.n
	}
	return best
}

// before reports whether a's turn comes strictly before b's (a queued later).
func (t *ImportTurns) before(a, b QueuedImport) bool {
	if da, db := t.district[a.District], t.district[b.District]; da != db {
		return da < db
	}
	return t.account[a.Account] < t.account[b.Account]
}
