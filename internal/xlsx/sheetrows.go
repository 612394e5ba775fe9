package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Excel's bounds, which excelize enforces too.
const (
	maxSheetRows = 1 << 20
	maxSheetCols = 1 << 14
)

// errCell marks a row the reader cannot place (a bad cell reference); the
// others are errors of the sheet as a whole.
var errCell = errors.New("xlsx: bad cell reference")

// rowReader streams a worksheet's <sheetData>. For every row the XML holds,
// in order, it gives the row's number and its cells by column as excelize's
// raw values give them: a shared string looked up, an inline string's text,
// and numbers, booleans ("1"/"0"), error codes (#N/A), ISO dates (t="d") and
// formula results as written. A missing cell is "", and the slice ends at the
// last cell that has a value or a formula. Rows absent from the XML are not
// visited (excelize visits them as empty rows, which ReadRows skips anyway).
type rowReader struct {
	sc     *scanner
	rc     io.Closer
	sst    []string
	dateXF []bool

	num   int      // the current row's number (1-based)
	cells []string // its cells, column A first; valid until the next row
	// dates[i]: cells[i] is a number its style shows as a date or time.
	// ReadRows does not use it: it keeps the raw serials excelize gave,
	// which Date columns convert, so that records stay as they were (a
	// date-styled cell in a Text column still reads as its serial).
	dates []bool
	// numbers[i]: cells[i] is stored as a number (t="n"): an identifier
	// column refuses it, since a number keeps only 15 significant digits.
	numbers []bool

	// A row's own texts go into text and become one string when the row
	// ends: one allocation a row rather than one a cell.
	text    []byte
	pending []span

	started, done bool
	si            stringItem
	v             []byte
}

// span is a cell whose value is text[a:b] of its row.
type span struct{ cell, a, b int }

// cellHead is what a cell's start tag says.
type cellHead struct{ col, kind, style int }

func newRowReader(rc io.ReadCloser, sst []string, dateXF []bool) (*rowReader, error) {
	sc, err := newScanner(rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return &rowReader{sc: sc, rc: rc, sst: sst, dateXF: dateXF}, nil
}

func (r *rowReader) close() error { return r.rc.Close() }

// next reads the next row; false at the end of the sheet's data.
func (r *rowReader) next() (bool, error) {
	if r.done {
		return false, nil
	}
	if !r.started {
		r.started = true
		if err := r.findData(); err != nil || r.done {
			return false, err
		}
	}
	for {
		k, err := r.sc.next()
		switch {
		case err != nil:
			return false, err
		case k == tokEOF:
			return false, r.sc.failure("document ends inside sheetData")
		case k == tokEnd:
			r.done = true
			return false, r.sc.closes("sheetData")
		case r.sc.is("row"):
			return true, r.row()
		default:
			if err := r.sc.skipElement(); err != nil {
				return false, err
			}
		}
	}
}

// findData moves past <sheetData>; a sheet without one has no rows.
func (r *rowReader) findData() error {
	for {
		k, err := r.sc.next()
		if err != nil {
			return err
		}
		if k == tokEOF {
			r.done = true
			return nil
		}
		if k == tokStart && r.sc.is("sheetData") {
			r.done = r.sc.empty
			return nil
		}
	}
}

// row reads the row whose start tag is current.
func (r *rowReader) row() error {
	num := r.num + 1
	if v, ok := r.sc.attr("r"); ok {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 {
			return fmt.Errorf("%w: row number %q", errSyntax, v)
		}
		if n <= r.num {
			return fmt.Errorf("%w: row %d after row %d", errSyntax, n, r.num)
		}
		num = n
	}
	if num > maxSheetRows {
		return fmt.Errorf("%w: row %d beyond Excel's %d", errSyntax, num, maxSheetRows)
	}
	r.num, r.cells, r.dates, r.numbers = num, r.cells[:0], r.dates[:0], r.numbers[:0]
	r.text, r.pending = r.text[:0], r.pending[:0]
	if r.sc.empty {
		return nil
	}
	col := 0
	for {
		if h, empty, ok, err := r.fastHead(col); err != nil {
			return err
		} else if ok {
			if err := r.cell(h, empty); err != nil {
				return err
			}
			col = h.col
			continue
		}
		k, err := r.sc.next()
		switch {
		case err != nil:
			return err
		case k == tokEOF:
			return r.sc.failure("document ends inside a row")
		case k == tokEnd:
			if err := r.sc.closes("row"); err != nil {
				return err
			}
			r.finishRow()
			return nil
		case r.sc.is("c"):
			h, err := r.head(col)
			if err != nil {
				return err
			}
			if err := r.cell(h, r.sc.empty); err != nil {
				return err
			}
			col = h.col
		default:
			if err := r.sc.skipElement(); err != nil {
				return err
			}
		}
	}
}

func (r *rowReader) finishRow() {
	if len(r.pending) == 0 {
		return
	}
	all := string(r.text)
	for _, p := range r.pending {
		r.cells[p.cell] = all[p.a:p.b]
	}
}

// head reads the attributes of the cell whose start tag is current; prev is
// the previous cell's column.
func (r *rowReader) head(prev int) (cellHead, error) {
	h := cellHead{col: prev + 1, kind: kindNumber, style: -1}
	for a := r.sc.attrs; ; {
		key, val, rest, ok := nextAttr(a)
		if !ok {
			return h, nil
		}
		a = rest
		if len(key) != 1 {
			continue
		}
		val, _ = decodeAttr(val)
		if err := h.set(key[0], val); err != nil {
			return h, err
		}
	}
}

// set takes one attribute of a cell.
func (h *cellHead) set(key byte, val []byte) error {
	switch key {
	case 'r':
		c, _, err := splitRef(val)
		if err != nil {
			return err
		}
		h.col = c
	case 's':
		if n, err := atoi(val); err == nil {
			h.style = n
		}
	case 't':
		h.kind = cellKind(val)
	}
	return nil
}

// fastHead reads a cell's start tag straight from the buffer when it is an
// ordinary one (<c r="B2" s="3" t="s">, no prefix, no entity): the general
// path (next, then head) reads each tag three times. It consumes nothing
// when it returns false.
func (r *rowReader) fastHead(prev int) (h cellHead, empty, ok bool, err error) {
	sc := r.sc
	if sc.end-sc.pos < plainWindow {
		sc.fill(plainWindow)
	}
	b := sc.buf[sc.pos:sc.end]
	if len(b) < 3 || b[0] != '<' || b[1] != 'c' || (b[2] != ' ' && b[2] != '>' && b[2] != '/') {
		return h, false, false, nil
	}
	h = cellHead{col: prev + 1, kind: kindNumber, style: -1}
	i := 2
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i+1 >= len(b) {
			return h, false, false, nil
		}
		if b[i] == '>' {
			sc.pos += i + 1
			return h, false, true, nil
		}
		if b[i] == '/' {
			if b[i+1] != '>' {
				return h, false, false, nil
			}
			sc.pos += i + 2
			return h, true, true, nil
		}
		k := i
		for i < len(b) && !keyStop[b[i]] {
			i++
		}
		if i+2 >= len(b) || b[i] != '=' || (b[i+1] != '"' && b[i+1] != '\'') {
			return h, false, false, nil // a prefix, spaces around "=": the general path
		}
		key, stop := b[k:i], &valueStop[b[i+1]&1] // '"' is even, '\'' odd
		i += 2
		v := i
		for i < len(b) && !stop[b[i]] {
			i++
		}
		if i == len(b) || b[i] != b[v-1] {
			return h, false, false, nil // an entity or a '<': the general path
		}
		if len(key) == 1 {
			if err := h.set(key[0], b[v:i]); err != nil {
				return h, false, false, err
			}
		}
		i++
	}
}

var (
	keyStop   = [256]bool{'=': true, ' ': true, '\t': true, '\n': true, '\r': true, '>': true, '/': true, ':': true}
	valueStop = [2][256]bool{{'"': true, '&': true, '<': true}, {'\'': true, '&': true, '<': true}}
)

// cell reads the content of a cell whose start tag has been read and
// places its value as excelize does: at the column of the cell's reference,
// or after the previous cell when it has none.
func (r *rowReader) cell(h cellHead, empty bool) error {
	v, formula, inline, hasInline := r.v[:0], false, []byte(nil), false
	if !empty {
		if t, ok := r.sc.plain("<v>", "</v></c>", false); ok {
			v = append(v, t...)
			goto value
		}
		if t, ok := r.sc.plain("<is><t>", "</t></is></c>", true); ok {
			inline, hasInline = t, true
			goto value
		}
		for done := false; !done; {
			k, err := r.sc.next()
			switch {
			case err != nil:
				return err
			case k == tokEOF:
				return r.sc.failure("document ends inside a cell")
			case k == tokEnd:
				if err := r.sc.closes("c"); err != nil {
					return err
				}
				done = true
			case r.sc.is("v"):
				if v, err = r.sc.text(v[:0]); err != nil {
					return err
				}
			case r.sc.is("is"):
				if inline, err = r.si.read(r.sc); err != nil {
					return err
				}
				hasInline = true
			case r.sc.is("f"):
				formula = true
				fallthrough
			default:
				if err := r.sc.skipElement(); err != nil {
					return err
				}
			}
		}
	}
value:
	r.v = v
	var val []byte // the cell's own text, or
	var shared string
	date := false
	switch h.kind {
	case kindShared:
		if len(v) > 0 {
			// As excelize: an unreadable index is 0, one out of range an
			// empty cell.
			i, _ := atoi(bytes.TrimSpace(v))
			if i >= 0 && i < len(r.sst) {
				shared = r.sst[i]
			}
		}
	case kindInline:
		if hasInline {
			val = inline
		} else {
			val = v
		}
	case kindNumber:
		val = v
		date = len(v) > 0 && h.style >= 0 && h.style < len(r.dateXF) && r.dateXF[h.style]
	default: // str (a formula's text), b, e, d: as written
		val = v
	}
	if len(val) == 0 && shared == "" && !formula {
		return nil
	}
	for len(r.cells) < h.col-1 {
		r.cells = append(r.cells, "")
		r.dates = append(r.dates, false)
		r.numbers = append(r.numbers, false)
	}
	if len(val) > 0 {
		r.pending = append(r.pending, span{len(r.cells), len(r.text), len(r.text) + len(val)})
		r.text = append(r.text, val...)
	}
	r.cells = append(r.cells, shared)
	r.dates = append(r.dates, date)
	r.numbers = append(r.numbers, h.kind == kindNumber && len(val) > 0)
	return nil
}

const (
	kindOther = iota
	kindNumber
	kindShared
	kindInline
)

func cellKind(t []byte) int {
	switch string(t) {
	case "", "n":
		return kindNumber
	case "s":
		return kindShared
	case "inlineStr":
		return kindInline
	}
	return kindOther
}

// splitRef returns the column and row of a cell reference ("C5", "$C$5",
// "c5"), accepting what excelize accepts.
func splitRef(ref []byte) (col, row int, err error) {
	letters := 0
	for letters < len(ref) && (isLetter(ref[letters]) || ref[letters] == '$') {
		letters++
	}
	bad := func() (int, int, error) { return 0, 0, fmt.Errorf("%w %q", errCell, ref) }
	row, err = atoi(ref[letters:])
	if letters == 0 || err != nil || row < 1 || row > maxSheetRows {
		return bad()
	}
	for _, c := range ref[:letters] {
		if c == '$' {
			continue
		}
		col = col*26 + int(c|0x20-'a') + 1
		if col > maxSheetCols {
			return bad()
		}
	}
	if col == 0 {
		return bad()
	}
	return col, row, nil
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' }

// atoi is strconv.Atoi without the string for plain digits.
func atoi(b []byte) (int, error) {
	if len(b) == 0 || len(b) > 9 {
		return strconv.Atoi(string(b))
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return strconv.Atoi(string(b))
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
