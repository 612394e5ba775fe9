package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet is one worksheet of an opened Workbook.
type Sheet struct {
	wb  *Workbook
	ref sheetRef
}

// Name is the sheet's name.
func (s *Sheet) Name() string { return s.ref.name }

// Record is one data row, its values normalized per column type and in
// template order. Errors holds the problems the reader can see by itself
// (required cell empty, unreadable date or number, value not among the
// options); the importer adds its own.
type Record struct {
	Row    int         // the sheet's 1-based row number
	Values []string    // template order; "" for absent columns
	Errors []CellError // format-level problems of this row
	meta   *headerMap
}

// Get returns the value of the column with key, "" if the key is unknown or
// the column is absent from the file.
func (r Record) Get(key string) string {
	if i, ok := r.meta.index[key]; ok {
		return r.Values[i]
	}
	return ""
}

// Present reports whether the file has the column with key (an optional
// column may be left out; an importer should then keep the stored value).
func (r Record) Present(key string) bool {
	i, ok := r.meta.index[key]
	return ok && r.meta.present[i]
}

type headerMap struct {
	index   map[string]int // key → template position
	present []bool         // template position → column found in the file
	cols    []int          // sheet column (0-based) → template position, -1 ignored
}

// ReadRows streams the sheet. The first non-empty row is the header row; it is
// matched against tpl by header text (spaces, a "*" marker and "（必填）" are
// ignored; the ErrorColumnHeader column of an error copy is skipped). Missing
// required, unknown or repeated headers fail with an *Error of code
// bad_header that lists them. Then fn is called for every non-empty row, in
// order, with the sheet's row number; rows that are entirely empty (including
// trailing formatted rows) are skipped. An error from fn stops the read and is
// returned as is. More than Limits.MaxRows data rows fail with too_many_rows.
// ReadRows may be called again to read the sheet a second time.
func (s *Sheet) ReadRows(tpl Template, fn func(rowNum int, rec Record) error) error {
	rows, err := s.rows()
	if err != nil {
		return err
	}
	defer rows.close()
	var hm *headerMap
	count := 0
	for {
		ok, err := rows.next()
		if err != nil {
			if errors.Is(err, errCell) {
				return newErr(CodeCorrupt, fmt.Sprintf("工作表「%s」第 %d 行无法读取", s.ref.name, rows.num), err)
			}
			return newErr(CodeCorrupt, fmt.Sprintf("工作表「%s」无法读取", s.ref.name), err)
		}
		if !ok {
			break
		}
		rowNum, cells := rows.num, rows.cells
		if hm == nil {
			if blank(cells) {
				continue
			}
			if hm, err = matchHeader(tpl, cells, rowNum); err != nil {
				return err
			}
			continue
		}
		rec, empty := hm.record(tpl, rowNum, cells, rows.numbers, s.wb.date1904)
		if empty {
			continue
		}
		count++
		if count > s.wb.lim.MaxRows {
			return newErr(CodeTooManyRows, fmt.Sprintf("数据超过 %d 行的上限，请拆分为多个文件", s.wb.lim.MaxRows), nil)
		}
		if err := fn(rowNum, rec); err != nil {
			return err
		}
	}
	if hm == nil {
		return newErr(CodeBadHeader, fmt.Sprintf("工作表「%s」是空的：没有表头行", s.ref.name), nil)
	}
	return nil
}

// rows opens the sheet's XML for a read.
func (s *Sheet) rows() (*rowReader, error) {
	fail := func(err error) (*rowReader, error) {
		return nil, newErr(CodeCorrupt, fmt.Sprintf("无法读取工作表「%s」", s.ref.name), err)
	}
	zf := s.wb.parts.get(s.ref.part)
	if s.ref.part == "" || zf == nil {
		return fail(errors.New("xlsx: the sheet's part is missing"))
	}
	var rc io.ReadCloser
	rc, err := zf.Open()
	if err != nil {
		return fail(err)
	}
	if zf.UncompressedSize64 >= prefetchMin {
		rc = newPrefetcher(rc)
	}
	r, err := newRowReader(rc, s.wb.sst, s.wb.book.dateXF)
	if err != nil {
		return fail(err)
	}
	return r, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if Clean(c) != "" {
			return false
		}
	}
	return true
}

func matchHeader(tpl Template, cells []string, rowNum int) (*headerMap, error) {
	byHeader := map[string]int{}
	hm := &headerMap{index: map[string]int{}, present: make([]bool, len(tpl.Columns)), cols: make([]int, len(cells))}
	for i, c := range tpl.Columns {
		hm.index[c.Key] = i
		byHeader[normHeader(c.Header)] = i
		for _, a := range c.Aliases {
			byHeader[normHeader(a)] = i
		}
	}
	var unknown, repeat, missing []string
	for j, cell := range cells {
		hm.cols[j] = -1
		h := normHeader(cell)
		if h == "" || h == ErrorColumnHeader {
			continue
		}
		i, ok := byHeader[h]
		switch {
		case !ok:
			unknown = append(unknown, Clean(cell))
		case hm.present[i]:
			repeat = append(repeat, Clean(cell))
		default:
			hm.present[i] = true
			hm.cols[j] = i
		}
	}
	for i, c := range tpl.Columns {
		if c.Required && !hm.present[i] {
			missing = append(missing, c.Header)
		}
	}
	if len(unknown)+len(repeat)+len(missing) == 0 {
		if len(hm.index) > 0 && !anyTrue(hm.present) {
			return nil, newErr(CodeBadHeader, fmt.Sprintf("第 %d 行不是模板的表头，请使用下载的模板", rowNum), nil)
		}
		return hm, nil
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "缺少必填列"+quoteList(missing))
	}
	if len(unknown) > 0 {
		parts = append(parts, "无法识别的列"+quoteList(unknown))
	}
	if len(repeat) > 0 {
		parts = append(parts, "重复的列"+quoteList(repeat))
	}
	e := newErr(CodeBadHeader, fmt.Sprintf("表头与模板不符（第 %d 行）：%s。请使用下载的模板", rowNum, strings.Join(parts, "；")), nil)
	e.Missing, e.Unknown, e.Repeat = missing, unknown, repeat
	return nil, e
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}

func (hm *headerMap) record(tpl Template, rowNum int, cells []string, numbers []bool, date1904 bool) (Record, bool) {
	rec := Record{Row: rowNum, Values: make([]string, len(tpl.Columns)), meta: hm}
	empty := true
	for j, cell := range cells {
		if j >= len(hm.cols) || hm.cols[j] < 0 {
			continue
		}
		if v := Clean(cell); v != "" {
			rec.Values[hm.cols[j]] = v
			empty = false
		}
	}
	if empty {
		return rec, true
	}
	for i, c := range tpl.Columns {
		v := rec.Values[i]
		if v == "" {
			if c.Required {
				rec.Errors = append(rec.Errors, CellError{Row: rowNum, Column: c.Key, Header: c.Header, Reason: "必填项不能为空"})
			}
			continue
		}
		switch c.Type {
		case Text:
			if c.Identifier {
				if reason := identifierProblem(v, hm.numeric(numbers, i)); reason != "" {
					rec.Errors = append(rec.Errors, CellError{Row: rowNum, Column: c.Key, Header: c.Header, Value: v, Reason: reason})
					continue
				}
				break
			}
			rec.Values[i] = cleanFloatText(v)
		case Date:
			if d, ok := normalizeDate(v, date1904); ok {
				rec.Values[i] = d
			} else {
				rec.Errors = append(rec.Errors, CellError{Row: rowNum, Column: c.Key, Header: c.Header, Value: v, Reason: "日期无法识别，请填写如 2024-01-31 的日期"})
				continue
			}
		case Number:
			if n, ok := NormalizeNumber(v); ok {
				rec.Values[i] = n
			} else {
				rec.Errors = append(rec.Errors, CellError{Row: rowNum, Column: c.Key, Header: c.Header, Value: v, Reason: "不是有效的数字"})
				continue
			}
		}
		if len(c.Options) > 0 && !contains(c.Options, rec.Values[i]) {
			rec.Errors = append(rec.Errors, CellError{Row: rowNum, Column: c.Key, Header: c.Header, Value: v, Reason: "不是可选的值，可选：" + optionList(c.Options)})
		}
	}
	return rec, false
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func optionList(opts []string) string {
	if len(opts) > 12 {
		return strings.Join(opts[:12], "、") + fmt.Sprintf(" 等 %d 项（见模板下拉列表）", len(opts))
	}
	return strings.Join(opts, "、")
}

// Clean trims white space (also full-width and non-breaking spaces) and
// zero-width characters from both ends.
func Clean(s string) string {
	if s == "" {
		return s
	}
	if first, last := s[0], s[len(s)-1]; first > ' ' && first < utf8.RuneSelf && last > ' ' && last < utf8.RuneSelf {
		return s // ASCII, not a space, at both ends: the common case, without decoding
	}
	return strings.TrimFunc(s, cleanable)
}

func cleanable(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u200e' || r == '\u200f'
}

// foldWidth maps full-width digits and the date/number punctuation to ASCII.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '－':
			return '-'
		case r == '／':
			return '/'
		case r == '．':
			return '.'
		case r == '，':
			return ','
		case r == '：':
			return ':'
		case r == '　':
			return ' '
		}
		return r
	}, s)
}

// Excel's largest date, 9999-12-31.
const maxSerial = 2958465

// NormalizeDate turns a cell value into YYYY-MM-DD. It accepts an Excel date
// serial ("45292", also with a time fraction), YYYYMMDD, and text with the
// year first: 2024-1-5, 2024/01/05, 2024.1.5, 2024年1月5日, optionally followed
// by a time. The date must exist (no 29 February in a common year).
// Day-first or month-first forms are ambiguous and rejected.
func NormalizeDate(s string) (string, bool) { return normalizeDate(s, false) }

func normalizeDate(s string, date1904 bool) (string, bool) {
	s = foldWidth(Clean(s))
	if s == "" {
		return "", false
	}
	if isDigits(s) && len(s) == 8 {
		return ymd(s[:4], s[4:6], s[6:])
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v < 1 || v >= maxSerial+1 || math.IsNaN(v) {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(math.Floor(v), date1904)
		if err != nil {
			return "", false
		}
		return t.Format("2006-01-02"), true
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	s = dateSeparators.Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return "", false
	}
	return ymd(parts[0], parts[1], parts[2])
}

// dateSeparators turns 2024年1月5日, 2024/1/5 and 2024.1.5 into 2024-1-5 (built
// once: building it cost more than a date's whole reading).
var dateSeparators = strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", "/", "-", ".", "-")

func ymd(ys, ms, ds string) (string, bool) {
	if !isDigits(ys) || !isDigits(ms) || !isDigits(ds) || len(ys) != 4 || len(ms) == 0 || len(ms) > 2 || len(ds) == 0 || len(ds) > 2 {
		return "", false
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeNumber returns a number as plain decimal text, rounded to Excel's
// 15 significant digits so that binary artifacts vanish (0.30000000000000004
// → 0.3, 12.0 → 12). Thousands separators are dropped; a trailing "%" divides
// by 100.
func NormalizeNumber(s string) (string, bool) {
	s = strings.ReplaceAll(foldWidth(Clean(s)), ",", "")
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSuffix(s, "%")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	if pct {
		v /= 100
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64), true
}

// cleanFloatText removes the binary artifacts of a number stored in a text
// column ("0.30000000000000004" → "0.3"), as Excel shows it. Only values with
// a decimal point or exponent and more than 15 significant digits are
// touched, so codes such as "007" or "1.50" typed as text stay as they are.
func cleanFloatText(s string) string {
	if !hasFloatMark(s) {
		return s
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' || s[i] == 'E' {
			break
		}
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	if digits <= 15 {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return s
	}
	if a := math.Abs(v); a != 0 && (a >= 1e15 || a < 1e-5) {
		return strconv.FormatFloat(v, 'G', 15, 64)
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func hasFloatMark(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == 'e' || c == 'E' {
			return true
		}
	}
	return false
}

// Letter returns the column letter ("C") of the column with key in the
// sheet as read, or "" when the file does not have it: what a person looks
// for in their own file, whatever order its columns are in.
func (r Record) Letter(key string) string {
	i, ok := r.meta.index[key]
	if !ok || !r.meta.present[i] {
		return ""
	}
	for j, t := range r.meta.cols {
		if t == i {
			name, _ := excelize.ColumnNumberToName(j + 1)
			return name
		}
	}
	return ""
}

// RowsHint estimates the number of data rows from the sheet's recorded
// dimension (0 when the file does not record one). It is only a hint for a
// progress bar: the dimension may count empty formatted rows.
func (s *Sheet) RowsHint() int {
	zf := s.wb.parts.get(s.ref.part)
	if s.ref.part == "" || zf == nil {
		return 0
	}
	rc, err := zf.Open()
	if err != nil {
		return 0
	}
	defer rc.Close()
	ref := dimension(rc)
	_, last, ok := strings.Cut(ref, ":")
	if !ok {
		return 0
	}
	_, row, err := splitRef([]byte(last))
	if err != nil || row < 2 {
		return 0
	}
	return row - 1
}

// dimension returns the ref of a sheet's <dimension>, which comes before its
// data: only the head of the sheet is read.
func dimension(r io.Reader) string {
	sc, err := newScanner(r)
	if err != nil {
		return ""
	}
	for {
		k, err := sc.next()
		if err != nil || k == tokEOF {
			return ""
		}
		if k == tokStart && sc.is("dimension") {
			v, _ := sc.attr("ref")
			return string(v)
		}
		if k == tokStart && sc.is("sheetData") {
			return ""
		}
	}
}

// RecordOf builds the record ReadRows makes of a data row whose cells hold
// values in template order, every column present: values that come from
// somewhere other than a sheet (and importers' fuzz tests) go through the
// same normalization and checks.
func RecordOf(tpl Template, row int, values []string) Record {
	hm := &headerMap{index: map[string]int{}, present: make([]bool, len(tpl.Columns)), cols: make([]int, len(tpl.Columns))}
	for i, c := range tpl.Columns {
		hm.index[c.Key], hm.present[i], hm.cols[i] = i, true, i
	}
	rec, _ := hm.record(tpl, row, values, nil, false)
	return rec
}
