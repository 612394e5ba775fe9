package xlsx

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The reader that the streaming one replaced (excelize's row iterator over
// raw values, as Open and ReadRows used it until issue 12), kept as the
// oracle: crossCheck reads a workbook through both and wants the same sheets,
// the same cells and the same records.

type sheetView struct {
	sheets   []string
	sheet    string // what Sheet("") picks
	date1904 bool
	hint     int       // RowsHint
	rows     []rowView // the rows that have cells
	err      string    // the read failed
}

type rowView struct {
	Num   int
	Cells []string
}

func oracleOpen(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    DefaultMaxUncompressedBytes,
		UnzipXMLSizeLimit: excelize.StreamChunkSize,
		ShortDatePattern:  "yyyy-mm-dd",
	})
	if err != nil {
		t.Fatalf("excelize cannot open the workbook: %v", err)
	}
	return f
}

func oracleSheet(f *excelize.File) string {
	for _, n := range f.GetSheetList() {
		if n != HelpSheetName {
			return n
		}
	}
	return ""
}

func oracleView(t testing.TB, b []byte) sheetView {
	t.Helper()
	f := oracleOpen(t, b)
	defer f.Close()
	v := sheetView{sheets: f.GetSheetList(), sheet: oracleSheet(f)}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		v.date1904 = *props.Date1904
	}
	if v.sheet == "" {
		return v
	}
	if dim, err := f.GetSheetDimension(v.sheet); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(last); err == nil && row >= 2 {
				v.hint = row - 1
			}
		}
	}
	rows, err := f.Rows(v.sheet)
	if err != nil {
		v.err = err.Error()
		return v
	}
	defer rows.Close()
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			v.err = err.Error()
			return v
		}
		if len(cells) > 0 {
			v.rows = append(v.rows, rowView{num, cells})
		}
	}
	if err := rows.Error(); err != nil {
		v.err = err.Error()
	}
	return v
}

func streamView(t testing.TB, b []byte) sheetView {
	t.Helper()
	wb, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer wb.Close()
	v := sheetView{sheets: wb.SheetNames(), date1904: wb.date1904}
	sh, err := wb.Sheet("")
	if err != nil {
		return v
	}
	v.sheet, v.hint = sh.Name(), sh.RowsHint()
	rows, err := sh.rows()
	if err != nil {
		v.err = err.Error()
		return v
	}
	defer rows.close()
	for {
		ok, err := rows.next()
		if err != nil {
			v.err = err.Error()
			return v
		}
		if !ok {
			return v
		}
		if len(rows.cells) > 0 {
			v.rows = append(v.rows, rowView{rows.num, append([]string(nil), rows.cells...)})
		}
	}
}

// oracleReadRows is ReadRows as it was, over excelize.
func oracleReadRows(f *excelize.File, sheet string, date1904 bool, lim Limits, tpl Template, fn func(int, Record) error) error {
	lim = lim.withDefaults()
	rows, err := f.Rows(sheet)
	if err != nil {
		return newErr(CodeCorrupt, fmt.Sprintf("无法读取工作表「%s」", sheet), err)
	}
	defer rows.Close()
	var hm *headerMap
	rowNum, count := 0, 0
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return newErr(CodeCorrupt, fmt.Sprintf("工作表「%s」第 %d 行无法读取", sheet, rowNum), err)
		}
		if hm == nil {
			if blank(cells) {
				continue
			}
			if hm, err = matchHeader(tpl, cells, rowNum); err != nil {
				return err
			}
			continue
		}
		rec, empty := hm.record(tpl, rowNum, cells, nil, date1904)
		if empty {
			continue
		}
		count++
		if count > lim.MaxRows {
			return newErr(CodeTooManyRows, fmt.Sprintf("数据超过 %d 行的上限，请拆分为多个文件", lim.MaxRows), nil)
		}
		if err := fn(rowNum, rec); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return newErr(CodeCorrupt, fmt.Sprintf("工作表「%s」无法读取", sheet), err)
	}
	if hm == nil {
		return newErr(CodeBadHeader, fmt.Sprintf("工作表「%s」是空的：没有表头行", sheet), nil)
	}
	return nil
}

// recordView is what a caller can see of a Record.
type recordView struct {
	Row     int
	Values  []string
	Errors  []CellError
	Present map[string]bool
	Letters map[string]string
}

func viewRecord(tpl Template, rec Record) recordView {
	v := recordView{Row: rec.Row, Values: rec.Values, Errors: rec.Errors, Present: map[string]bool{}, Letters: map[string]string{}}
	for _, c := range tpl.Columns {
		v.Present[c.Key], v.Letters[c.Key] = rec.Present(c.Key), rec.Letter(c.Key)
	}
	return v
}

type readView struct {
	Rows    []int
	Records []recordView
	Err     string
}

func oracleRecords(t testing.TB, b []byte, tpl Template, lim Limits) readView {
	t.Helper()
	f := oracleOpen(t, b)
	defer f.Close()
	var v readView
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	err := oracleReadRows(f, oracleSheet(f), date1904, lim, tpl, func(n int, rec Record) error {
		v.Rows = append(v.Rows, n)
		v.Records = append(v.Records, viewRecord(tpl, rec))
		return nil
	})
	if err != nil {
		v.Err = CodeOf(err) + ": " + err.Error()
	}
	return v
}

func streamRecords(t testing.TB, b []byte, tpl Template, lim Limits) readView {
	t.Helper()
	wb, err := Open(bytes.NewReader(b), int64(len(b)), lim)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer wb.Close()
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	var v readView
	err = sh.ReadRows(tpl, func(n int, rec Record) error {
		v.Rows = append(v.Rows, n)
		v.Records = append(v.Records, viewRecord(tpl, rec))
		return nil
	})
	if err != nil {
		v.Err = CodeOf(err) + ": " + err.Error()
	}
	return v
}

// headerTemplate makes a template of a sheet's first non-empty row, the
// columns' types taking turns, so that every workbook's data rows are read
// as records (a test template would mostly stop at the header).
func headerTemplate(v sheetView) Template {
	var tpl Template
	seen := map[string]bool{}
	for _, r := range v.rows {
		if blank(r.Cells) {
			continue
		}
		for j, h := range r.Cells {
			n := normHeader(h)
			if n == "" || n == ErrorColumnHeader || seen[n] {
				continue
			}
			seen[n] = true
			tpl.Columns = append(tpl.Columns, Column{Key: fmt.Sprintf("c%d", j), Header: h, Type: ColumnType(j % 3), Required: j == 0})
		}
		return tpl
	}
	return tpl
}

// crossCheck reads b through excelize and through the streaming reader and
// fails the test on any difference: sheets, the chosen sheet, the 1904 flag,
// the row hint, every row's cells, and the records of ReadRows with the
// sheet's own header and with each extra template.
func crossCheck(t testing.TB, b []byte, tpls ...Template) {
	t.Helper()
	old, got := oracleView(t, b), streamView(t, b)
	if (old.err == "") != (got.err == "") {
		t.Fatalf("read error: excelize %q, stream %q", old.err, got.err)
	}
	old.err, got.err = "", ""
	if !reflect.DeepEqual(old, got) {
		t.Fatalf("cells differ:\nexcelize %s\nstream   %s", dump(old), dump(got))
	}
	for _, tpl := range append([]Template{headerTemplate(old)}, tpls...) {
		o, n := oracleRecords(t, b, tpl, Limits{}), streamRecords(t, b, tpl, Limits{})
		if !reflect.DeepEqual(o, n) {
			t.Fatalf("records differ:\nexcelize %+v\nstream   %+v", o, n)
		}
	}
}

func dump(v sheetView) string {
	var s strings.Builder
	fmt.Fprintf(&s, "sheets %q sheet %q 1904 %v hint %d err %q\n", v.sheets, v.sheet, v.date1904, v.hint, v.err)
	for _, r := range v.rows {
		fmt.Fprintf(&s, "  %d %q\n", r.Num, r.Cells)
	}
	return s.String()
}
