package audit

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The chain's end is anchored twice. Inside the database the head (the
// newest record's number and hash) carries a MAC, so that someone who
// deletes the newest records cannot point the head at the new last record
// without the key. Outside it, the server writes signed checkpoints into its
// log, so that even a replayed older head (whose MAC is genuine) is caught by
// a checkpoint naming a later record.
//
// Each MAC is an HMAC under the audit key over a message that starts with
// its own label: a head's MAC is never a valid checkpoint, a record's hash
// (whose message starts with a digit) never either.

// Head is the chain's end as kept beside the trail.
type Head struct {
	Seq  int64
	Hash string
	MAC  string
}

// SignHead returns the MAC of a head at seq with hash.
func (c Chain) SignHead(seq int64, hash string) string {
	return c.mac("lianxin audit head", strconv.FormatInt(seq, 10), hash)
}

// HeadValid reports whether h carries its genuine MAC.
func (c Chain) HeadValid(h Head) bool {
	return hmac.Equal([]byte(h.MAC), []byte(c.SignHead(h.Seq, h.Hash)))
}

func (c Chain) mac(label string, parts ...string) string {
	m := hmac.New(sha256.New, c.Key)
	fmt.Fprintf(m, "%s;", label)
	for _, p := range parts {
		fmt.Fprintf(m, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// CheckpointMsg is the message of a checkpoint's log line (grep for it).
const CheckpointMsg = "audit checkpoint"

// Checkpoint states that at time At the chain held record Seq with Hash.
type Checkpoint struct {
	Seq  int64
	Hash string
	At   string // TimeLayout
	MAC  string
	// Line is the line of the log the checkpoint was read from; Bad says
	// why a line that announces a checkpoint could not be read as one.
	Line int
	Bad  string
}

// NewCheckpoint signs the head seq/hash at time at.
func (c Chain) NewCheckpoint(seq int64, hash string, at time.Time) Checkpoint {
	cp := Checkpoint{Seq: seq, Hash: hash, At: at.UTC().Format(TimeLayout)}
	cp.MAC = c.checkpointMAC(cp)
	return cp
}

func (c Chain) checkpointMAC(cp Checkpoint) string {
	return c.mac("lianxin audit checkpoint", strconv.FormatInt(cp.Seq, 10), cp.Hash, cp.At)
}

// CheckpointValid reports whether cp carries its genuine signature.
func (c Chain) CheckpointValid(cp Checkpoint) bool {
	return cp.Bad == "" && hmac.Equal([]byte(cp.MAC), []byte(c.checkpointMAC(cp)))
}

// LogAttrs are the key/value pairs of the checkpoint's log line.
func (cp Checkpoint) LogAttrs() []any {
	return []any{"seq", cp.Seq, "hash", cp.Hash, "at", cp.At, "mac", cp.MAC}
}

// Where names the checkpoint for a message.
func (cp Checkpoint) Where() string {
	return fmt.Sprintf("日志第 %d 行的检查点（%s，记录 %d）", cp.Line, cp.At, cp.Seq)
}

// ParseCheckpoints reads the checkpoints of a server log: slog's text lines
// (key=value, values quoted as Go strings when needed) or JSON lines, with
// anything before them on the line (a journald or container prefix)
// ignored. Lines that announce a checkpoint but lack a field come back with
// Bad set, so that a mangled or hand-made line is not silently skipped.
func ParseCheckpoints(r io.Reader) ([]Checkpoint, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []Checkpoint
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if strings.Contains(line, CheckpointMsg) {
			if cp, ok := parseCheckpointLine(line); ok {
				cp.Line = n
				out = append(out, cp)
			}
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// parseCheckpointLine returns the checkpoint of one line, ok false when the
// line is not a checkpoint's (it only mentions the message).
func parseCheckpointLine(line string) (Checkpoint, bool) {
	f := map[string]string{}
	if i := strings.IndexByte(line, '{'); i >= 0 && strings.Contains(line, `"msg"`) {
		d := json.NewDecoder(strings.NewReader(line[i:]))
		d.UseNumber()
		var m map[string]any
		if d.Decode(&m) == nil {
			for k, v := range m {
				f[k] = fmt.Sprint(v)
			}
		}
	}
	if len(f) == 0 {
		f = logfmt(line)
	}
	if f["msg"] != CheckpointMsg {
		return Checkpoint{}, false
	}
	cp := Checkpoint{Hash: f["hash"], At: f["at"], MAC: f["mac"]}
	seq, err := strconv.ParseInt(f["seq"], 10, 64)
	cp.Seq = seq
	switch {
	case err != nil || seq < 0:
		cp.Bad = "缺少或无法识别记录编号 seq"
	case f["at"] == "":
		cp.Bad = "缺少时间 at"
	case f["mac"] == "":
		cp.Bad = "缺少签名 mac"
	case seq > 0 && f["hash"] == "":
		cp.Bad = "缺少哈希 hash"
	}
	return cp, true
}

// logfmt splits key=value pairs; a value in double quotes is a Go string.
func logfmt(line string) map[string]string {
	f := map[string]string{}
	s := strings.TrimRight(line, "\r\n")
	for len(s) > 0 {
		s = strings.TrimLeft(s, " \t")
		eq := strings.IndexAny(s, "= \t")
		if eq < 0 {
			break
		}
		if s[eq] != '=' {
			s = s[eq:]
			continue
		}
		key, rest := s[:eq], s[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := 1
			for end < len(rest) && rest[end] != '"' {
				if rest[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(rest) {
				break
			}
			v, err := strconv.Unquote(rest[:end+1])
			if err != nil {
				break
			}
			val, s = v, rest[end+1:]
		} else {
			sp := strings.IndexAny(rest, " \t")
			if sp < 0 {
				sp = len(rest)
			}
			val, s = rest[:sp], rest[sp:]
		}
		f[key] = val
	}
	return f
}
