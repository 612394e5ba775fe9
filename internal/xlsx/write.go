package xlsx

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

const dateFormat = "yyyy-mm-dd"

type styles struct {
	header, headerReq, text, date, number, bad, errText int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	head := func(color string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: color},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
		}
	}
	dateFmt := dateFormat
	var err error
	for _, x := range []struct {
		dst *int
		st  *excelize.Style
	}{
		{&s.header, head("000000")},
		{&s.headerReq, head("C00000")},
		{&s.text, &excelize.Style{NumFmt: 49}},
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.number, &excelize.Style{NumFmt: 0}},
		{&s.bad, &excelize.Style{NumFmt: 49, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}, Font: &excelize.Font{Color: "9C0006"}}},
		{&s.errText, &excelize.Style{NumFmt: 49, Font: &excelize.Font{Color: "C00000"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		if *x.dst, err = f.NewStyle(x.st); err != nil {
			return s, err
		}
	}
	return s, nil
}

func (s styles) column(c Column) int {
	switch c.Type {
	case Date:
		return s.date
	case Number:
		return s.number
	}
	return s.text
}

func typeName(t ColumnType) string {
	switch t {
	case Date:
		return "日期，如 2024-01-31"
	case Number:
		return "数字"
	}
	return "文本"
}

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i + 1)
	return n
}

// templateRows is how many rows of the template carry the column formats and
// drop-down lists.
const templateRows = 10000

// WriteTemplate writes an empty import template: the header row (bold, required
// headers in red, frozen), column widths, text format on text columns so that
// codes keep their leading zeros, date format on date columns, drop-down lists
// for columns with Options, a comment with the Help on each header, and a
// second sheet "填写说明" listing every column's requirements.
func WriteTemplate(w io.Writer, tpl Template, sheetName string) error {
	if sheetName == "" {
		sheetName = "Sheet1"
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	var listSheet string
	listCol := 0
	for i, c := range tpl.Columns {
		col := colName(i)
		cell := col + "1"
		if err := f.SetCellStr(sheetName, cell, c.Header); err != nil {
			return err
		}
		hs := st.header
		if c.Required {
			hs = st.headerReq
		}
		if err := f.SetCellStyle(sheetName, cell, cell, hs); err != nil {
			return err
		}
		if err := f.SetColWidth(sheetName, col, col, c.width()); err != nil {
			return err
		}
		if err := f.SetColStyle(sheetName, col, st.column(c)); err != nil {
			return err
		}
		// SetColStyle restyles the header cell too; put it back.
		if err := f.SetCellStyle(sheetName, cell, cell, hs); err != nil {
			return err
		}
		if help := helpText(c); help != "" {
			if err := f.AddComment(sheetName, excelize.Comment{Cell: cell, Author: "填写说明", Text: help}); err != nil {
				return err
			}
		}
		if len(c.Options) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
			if len(strings.Join(c.Options, ",")) <= 250 {
				if err := dv.SetDropList(c.Options); err != nil {
					return err
				}
			} else {
				// Too long for an inline list: keep the values on a hidden sheet.
				if listSheet == "" {
					listSheet = "选项"
					if _, err := f.NewSheet(listSheet); err != nil {
						return err
					}
					if err := f.SetSheetVisible(listSheet, false); err != nil {
						return err
					}
				}
				listCol++
				lc := colName(listCol - 1)
				for k, o := range c.Options {
					if err := f.SetCellStr(listSheet, lc+strconv.Itoa(k+1), o); err != nil {
						return err
					}
				}
				dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$1:$%s$%d", listSheet, lc, lc, len(c.Options)))
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, "输入有误", "请从下拉列表中选择")
			if err := f.AddDataValidation(sheetName, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(sheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeHelpSheet(f, st, tpl); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func helpText(c Column) string {
	var parts []string
	if c.Required {
		parts = append(parts, "必填")
	}
	if c.Help != "" {
		parts = append(parts, c.Help)
	}
	if c.Type == Date {
		parts = append(parts, "日期格式如 2024-01-31")
	}
	return strings.Join(parts, "；")
}

func writeHelpSheet(f *excelize.File, st styles, tpl Template) error {
	if _, err := f.NewSheet(HelpSheetName); err != nil {
		return err
	}
	heads := []string{"列名", "是否必填", "格式", "可选值", "说明"}
	widths := []float64{24, 10, 22, 40, 60}
	for j, h := range heads {
		cell := colName(j) + "1"
		if err := f.SetCellStr(HelpSheetName, cell, h); err != nil {
			return err
		}
		if err := f.SetCellStyle(HelpSheetName, cell, cell, st.header); err != nil {
			return err
		}
		if err := f.SetColWidth(HelpSheetName, colName(j), colName(j), widths[j]); err != nil {
			return err
		}
	}
	for i, c := range tpl.Columns {
		req := "否"
		if c.Required {
			req = "是"
		}
		vals := []any{c.Header, req, typeName(c.Type), strings.Join(c.Options, "、"), c.Help}
		if err := f.SetSheetRow(HelpSheetName, "A"+strconv.Itoa(i+2), &vals); err != nil {
			return err
		}
	}
	return nil
}

// StreamWriter writes a sheet in the template's layout row by row with low
// memory (excelize's stream writer): for exports of any size.
type StreamWriter struct {
	w    io.Writer
	tpl  Template
	f    *excelize.File
	sw   *excelize.StreamWriter
	st   styles
	row  int
	done bool
}

// NewStreamWriter starts a workbook with one sheet in the template's layout
// (header row, widths, column formats) and returns a writer for its rows.
// Call Close to write the workbook to w.
func NewStreamWriter(w io.Writer, tpl Template, sheetName string) (*StreamWriter, error) {
	if sheetName == "" {
		sheetName = "Sheet1"
	}
	f := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
		}
	}()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return nil, err
	}
	head := make([]any, len(tpl.Columns))
	for i, c := range tpl.Columns {
		if err := sw.SetColWidth(i+1, i+1, c.width()); err != nil {
			return nil, err
		}
		if err := sw.SetColStyle(i+1, i+1, st.column(c)); err != nil {
			return nil, err
		}
		hs := st.header
		if c.Required {
			hs = st.headerReq
		}
		head[i] = excelize.Cell{StyleID: hs, Value: c.Header}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	ok = true
	return &StreamWriter{w: w, tpl: tpl, f: f, sw: sw, st: st, row: 1}, nil
}

// Write appends one row; values are in template order (fewer values leave the
// last cells empty). Strings are written as text, so codes keep their leading
// zeros; time.Time in a Date column is written as an Excel date; numbers as
// numbers; nil as an empty cell.
func (s *StreamWriter) Write(values []any) error {
	if s.done {
		return fmt.Errorf("xlsx: Write after Close")
	}
	if len(values) > len(s.tpl.Columns) {
		return fmt.Errorf("xlsx: %d values for %d columns", len(values), len(s.tpl.Columns))
	}
	s.row++
	row := make([]any, len(values))
	for i, v := range values {
		switch x := v.(type) {
		case nil:
		case string:
			if x != "" {
				row[i] = excelize.Cell{StyleID: s.st.text, Value: x}
			}
		case time.Time:
			if !x.IsZero() {
				row[i] = excelize.Cell{StyleID: s.st.date, Value: x}
			}
		default:
			row[i] = excelize.Cell{StyleID: s.st.column(s.tpl.Columns[i]), Value: x}
		}
	}
	return s.sw.SetRow("A"+strconv.Itoa(s.row), row)
}

// Rows is the number of data rows written so far.
func (s *StreamWriter) Rows() int { return s.row - 1 }

// Close finishes the sheet and writes the workbook to w.
func (s *StreamWriter) Close() error {
	if s.done {
		return nil
	}
	s.done = true
	defer s.f.Close()
	if err := s.sw.Flush(); err != nil {
		return err
	}
	_, err := s.f.WriteTo(s.w)
	return err
}

// SourceRow is a row as read from the uploaded file: its sheet row number and
// its values in template order (Record.Values).
type SourceRow struct {
	Row    int
	Values []string
}

// WriteErrorCopy writes the rejected rows in the template's layout with an
// extra last column "错误说明" that lists every problem of the row ("原第 12 行：
// 统一社会信用代码：校验位错误；…"); the cells in error are highlighted. errs is
// keyed by the sheet row number; a CellError with an empty Column concerns the
// whole row. Rows are written in the order given; the file can be corrected
// and imported again as is (the reader ignores the error column).
func WriteErrorCopy(w io.Writer, tpl Template, rows []SourceRow, errs map[int][]CellError) error {
	sheetName := "错误数据"
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	n := len(tpl.Columns)
	head := make([]any, n+1)
	for i, c := range tpl.Columns {
		if err := sw.SetColWidth(i+1, i+1, c.width()); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, st.text); err != nil {
			return err
		}
		hs := st.header
		if c.Required {
			hs = st.headerReq
		}
		head[i] = excelize.Cell{StyleID: hs, Value: c.Header}
	}
	head[n] = excelize.Cell{StyleID: st.headerReq, Value: ErrorColumnHeader}
	if err := sw.SetColWidth(n+1, n+1, 60); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for k, r := range rows {
		ces := errs[r.Row]
		bad := map[string]bool{}
		for _, ce := range ces {
			bad[ce.Column] = true
		}
		vals := make([]any, n+1)
		for i, c := range tpl.Columns {
			v := ""
			if i < len(r.Values) {
				v = r.Values[i]
			}
			style := st.text
			if bad[c.Key] {
				style = st.bad
			}
			vals[i] = excelize.Cell{StyleID: style, Value: v}
		}
		vals[n] = excelize.Cell{StyleID: st.errText, Value: errorText(tpl, r.Row, ces)}
		if err := sw.SetRow("A"+strconv.Itoa(k+2), vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// errorText is the content of the error column: the original row number and
// the problems, cell problems in template column order, row problems last.
func errorText(tpl Template, row int, ces []CellError) string {
	sorted := append([]CellError(nil), ces...)
	pos := func(ce CellError) int {
		if i := tpl.Index(ce.Column); i >= 0 {
			return i
		}
		return len(tpl.Columns)
	}
	sort.SliceStable(sorted, func(a, b int) bool { return pos(sorted[a]) < pos(sorted[b]) })
	parts := make([]string, 0, len(sorted))
	for _, ce := range sorted {
		if ce.Header == "" {
			if i := tpl.Index(ce.Column); i >= 0 {
				ce.Header = tpl.Columns[i].Header
			}
		}
		parts = append(parts, ce.String())
	}
	return fmt.Sprintf("原第 %d 行：%s", row, strings.Join(parts, "；"))
}
