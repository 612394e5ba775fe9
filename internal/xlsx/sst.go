package xlsx

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// readSharedStrings reads the shared string table into memory, one Go string
// per entry, so that the cells that use an entry share it.
func readSharedStrings(p parts, name string) ([]string, error) {
	zf := p.get(name)
	if zf == nil {
		return nil, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sc, err := newScanner(rc)
	if err != nil {
		return nil, err
	}
	var out []string
	var si stringItem
	for {
		k, err := sc.next()
		if err != nil {
			return nil, err
		}
		if k == tokEOF {
			return out, nil
		}
		if k == tokStart && sc.is("si") {
			if !sc.empty {
				if t, ok := sc.plain("<t>", "</t></si>", true); ok {
					out = append(out, string(t))
					continue
				}
			}
			v, err := si.read(sc)
			if err != nil {
				return nil, err
			}
			out = append(out, string(v))
		}
	}
}

// stringItem reads a string item: a shared string (<si>) or an inline one
// (<is>). Its text is that of its <t> followed by the <t> of each rich-text
// run (<r>); phonetic runs (<rPh>) are left out. This is excelize's reading:
// a second <t> in the same place replaces the first, and _xHHHH_ escapes
// are decoded.
type stringItem struct {
	t, runs, run []byte
}

func (si *stringItem) read(sc *scanner) ([]byte, error) {
	si.t, si.runs = si.t[:0], si.runs[:0]
	if sc.empty {
		return si.t, nil
	}
	for {
		k, err := sc.next()
		switch {
		case err != nil:
			return nil, err
		case k == tokEOF:
			return nil, sc.failure("document ends inside a string item")
		case k == tokEnd:
			if !sc.is("si") && !sc.is("is") {
				return nil, sc.mismatch("si")
			}
			si.t = append(si.t, si.runs...)
			return unescapeX(si.t), nil
		case sc.is("t"):
			if si.t, err = sc.text(si.t[:0]); err != nil {
				return nil, err
			}
		case sc.is("r"):
			if err := si.readRun(sc); err != nil {
				return nil, err
			}
		default:
			if err := sc.skipElement(); err != nil {
				return nil, err
			}
		}
	}
}

func (si *stringItem) readRun(sc *scanner) error {
	if sc.empty {
		return nil
	}
	si.run = si.run[:0]
	for {
		k, err := sc.next()
		switch {
		case err != nil:
			return err
		case k == tokEOF:
			return sc.failure("document ends inside a rich-text run")
		case k == tokEnd:
			if err := sc.closes("r"); err != nil {
				return err
			}
			si.runs = append(si.runs, si.run...)
			return nil
		case sc.is("t"):
			if si.run, err = sc.text(si.run[:0]); err != nil {
				return err
			}
		default:
			if err := sc.skipElement(); err != nil {
				return err
			}
		}
	}
}

// unescapeX decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold ("_x000D_" is a carriage return); "_x005F_" is a literal "_".
// An escape of a code point that is not a character (a lone surrogate)
// decodes to nothing, as in excelize.
func unescapeX(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	for i < len(b) {
		if i+7 <= len(b) && b[i] == '_' && b[i+1] == 'x' && b[i+6] == '_' && isHex4(b[i+2:i+6]) {
			v, _ := strconv.ParseUint(string(b[i+2:i+6]), 16, 32)
			if utf8.ValidRune(rune(v)) {
				out = utf8.AppendRune(out, rune(v))
			}
			i += 7
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
