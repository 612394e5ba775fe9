package xlsx

import (
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
	rc     io.ReadCloser
	sst    []string
	dateXF []bool

	num   int      // the current row's number (1-based)
	cells []string // its cells, column A first
	dates []bool   // cells[i] is a number in a date or time format

	started, done bool
	si            stringItem
	v             []byte
}

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
	r.num, r.cells, r.dates = num, r.cells[:0], r.dates[:0]
	if r.sc.empty {
		return nil
	}
	col := 0
	for {
		k, err := r.sc.next()
		switch {
		case err != nil:
			return err
		case k == tokEOF:
			return r.sc.failure("document ends inside a row")
		case k == tokEnd:
			return r.sc.closes("row")
		case r.sc.is("c"):
			if col, err = r.cell(col); err != nil {
				return err
			}
		default:
			if err := r.sc.skipElement(); err != nil {
				return err
			}
		}
	}
}

// cell reads the cell whose start tag is current; prev is the previous
// cell's column. It places the value as excelize does: at the column of the
// cell's reference, or after the previous cell when it has none.
func (r *rowReader) cell(prev int) (int, error) {
	col := prev + 1
	if ref, ok := r.sc.attr("r"); ok {
		c, _, err := splitRef(ref)
		if err != nil {
			return 0, err
		}
		col = c
	}
	t, _ := r.sc.attr("t")
	kind := cellKind(t)
	style := -1
	if s, ok := r.sc.attr("s"); ok {
		if n, err := strconv.Atoi(string(s)); err == nil {
			style = n
		}
	}
	v, formula, inline, hasInline := r.v[:0], false, []byte(nil), false
	if !r.sc.empty {
		for done := false; !done; {
			k, err := r.sc.next()
			switch {
			case err != nil:
				return 0, err
			case k == tokEOF:
				return 0, r.sc.failure("document ends inside a cell")
			case k == tokEnd:
				if err := r.sc.closes("c"); err != nil {
					return 0, err
				}
				done = true
			case r.sc.is("v"):
				if v, err = r.sc.text(v[:0]); err != nil {
					return 0, err
				}
			case r.sc.is("is"):
				if inline, err = r.si.read(r.sc); err != nil {
					return 0, err
				}
				hasInline = true
			case r.sc.is("f"):
				formula = true
				fallthrough
			default:
				if err := r.sc.skipElement(); err != nil {
					return 0, err
				}
			}
		}
	}
	r.v = v
	var val string
	date := false
	switch kind {
	case kindShared:
		if len(v) > 0 {
			// As excelize: an unreadable index is 0, one out of range an
			// empty cell.
			i, _ := strconv.Atoi(string(trimSpace(v)))
			if i >= 0 && i < len(r.sst) {
				val = r.sst[i]
			}
		}
	case kindInline:
		if hasInline {
			val = string(inline)
		} else {
			val = string(v)
		}
	case kindNumber:
		val = string(v)
		date = val != "" && style >= 0 && style < len(r.dateXF) && r.dateXF[style]
	default: // str (a formula's text), b, e, d: as written
		val = string(v)
	}
	if val != "" || formula {
		for len(r.cells) < col-1 {
			r.cells = append(r.cells, "")
			r.dates = append(r.dates, false)
		}
		r.cells = append(r.cells, val)
		r.dates = append(r.dates, date)
	}
	return col, nil
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
	row, err = strconv.Atoi(string(ref[letters:]))
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

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (isSpace(b[0]) || b[0] == '\v' || b[0] == '\f') {
		b = b[1:]
	}
	for len(b) > 0 && (isSpace(b[len(b)-1]) || b[len(b)-1] == '\v' || b[len(b)-1] == '\f') {
		b = b[:len(b)-1]
	}
	return b
}
