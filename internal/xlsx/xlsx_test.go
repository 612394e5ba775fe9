package xlsx

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestTemplateRoundTrip(t *testing.T) {
	var tplBuf bytes.Buffer
	if err := WriteTemplate(&tplBuf, testTpl, "组织"); err != nil {
		t.Fatal(err)
	}
	// A user fills the template in Excel: open it and add rows.
	f, err := excelize.OpenReader(bytes.NewReader(tplBuf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"组织", HelpSheetName}) {
		t.Fatalf("sheets %v", got)
	}
	help, _ := f.GetRows(HelpSheetName)
	if len(help) != len(testTpl.Columns)+1 || help[1][0] != "组织名称" || help[1][1] != "是" || help[1][4] != "营业执照上的全称" {
		t.Fatalf("help sheet %v", help)
	}
	comments, _ := f.GetComments("组织")
	if len(comments) != 4 { // the columns with a help text
		t.Fatalf("want a comment per header, got %d", len(comments))
	}
	dvs, _ := f.GetDataValidations("组织")
	if len(dvs) != 1 {
		t.Fatalf("want one drop-down list, got %d", len(dvs))
	}
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue("组织", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	// Row 2: a real date cell, a code with leading zeros typed as text, a float.
	set("A2", "  成都某某科技有限公司 ")
	set("B2", "91510100MA61234567")
	set("C2", "010020")
	set("D2", time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC))
	set("E2", 12.0)
	set("F2", "存续")
	// Row 3: date as text with slashes, numbers with binary artifacts.
	set("A3", "某某社会组织")
	set("B3", "51510100MJ0000000X")
	set("C3", 0.1+0.2) // a number in a text column
	set("D3", "2023/2/8")
	set("E3", 0.1+0.2)
	// Row 4 left empty: skipped. Row 5: the date as a bare serial (General format).
	set("A5", "第三家")
	set("B5", "92510100MA6CXXXXX1")
	if err := f.SetCellStyle("组织", "D5", "D5", 0); err != nil {
		t.Fatal(err)
	}
	set("D5", 45292)
	set("C5", 123456)
	set("E5", "1,234")
	// Trailing rows that only hold blanks and formatting: ignored.
	set("A9", "   ")
	set("C12", "")
	var filled bytes.Buffer
	if _, err := f.WriteTo(&filled); err != nil {
		t.Fatal(err)
	}
	f.Close()

	wb := openBytes(t, filled.Bytes(), Limits{})
	res, err := readAll(t, wb, testTpl)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.rows, []int{2, 3, 5}) {
		t.Fatalf("rows %v", res.rows)
	}
	want := [][]string{
		{"成都某某科技有限公司", "91510100MA61234567", "010020", "2020-02-29", "12", "存续"},
		{"某某社会组织", "51510100MJ0000000X", "0.3", "2023-02-08", "0.3", ""},
		{"第三家", "92510100MA6CXXXXX1", "123456", "2024-01-01", "1234", ""},
	}
	for i, rec := range res.recs {
		if !reflect.DeepEqual(rec.Values, want[i]) {
			t.Errorf("row %d: got %q want %q", res.rows[i], rec.Values, want[i])
		}
		if len(rec.Errors) != 0 {
			t.Errorf("row %d: unexpected errors %v", res.rows[i], rec.Errors)
		}
	}
	if r := res.recs[0]; r.Get("uscc") != "91510100MA61234567" || !r.Present("postcode") || r.Get("nope") != "" {
		t.Errorf("Get/Present: %q %v", r.Get("uscc"), r.Present("postcode"))
	}
}

func TestStreamWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	sw, err := NewStreamWriter(&buf, testTpl, "导出")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{"甲公司", "91510100MA61234567", "000123", d, 250, "在业"},
		{"乙协会", "51510100MJ0000000X", nil, "2001-01-01", 3.5, nil},
		{"丙", "x", "", time.Time{}, "", ""},
	}
	for _, r := range rows {
		if err := sw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if sw.Rows() != 3 {
		t.Fatalf("Rows %d", sw.Rows())
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := readAll(t, openBytes(t, buf.Bytes(), Limits{}), testTpl)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"甲公司", "91510100MA61234567", "000123", "1999-12-31", "250", "在业"},
		{"乙协会", "51510100MJ0000000X", "", "2001-01-01", "3.5", ""},
		{"丙", "x", "", "", "", ""},
	}
	for i, rec := range res.recs {
		if !reflect.DeepEqual(rec.Values, want[i]) {
			t.Errorf("row %d: got %q want %q", res.rows[i], rec.Values, want[i])
		}
	}
	if !reflect.DeepEqual(res.rows, []int{2, 3, 4}) {
		t.Fatalf("rows %v", res.rows)
	}
}

func TestHeaders(t *testing.T) {
	t.Run("tolerant matching and optional columns left out", func(t *testing.T) {
		b := bookBytes(t, [][]any{
			nil, // an empty first row: the header is the first non-empty row
			{" 组织名称* ", "统一社会信用代码（必填）", "成立 日期", "错误说明"},
			{"甲", "91510100MA61234567", "2024-01-05", "原第 3 行：……"},
		})
		res, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
		if err != nil {
			t.Fatal(err)
		}
		r := res.recs[0]
		if res.rows[0] != 3 || r.Get("name") != "甲" || r.Get("reg_date") != "2024-01-05" || r.Present("postcode") || !r.Present("reg_date") {
			t.Fatalf("got row %d %q", res.rows[0], r.Values)
		}
	})
	t.Run("missing required", func(t *testing.T) {
		b := bookBytes(t, [][]any{{"组织名称", "成立日期"}, {"甲", "2024-01-05"}})
		_, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
		wantCode(t, err, CodeBadHeader)
		var e *Error
		errors.As(err, &e)
		if !reflect.DeepEqual(e.Missing, []string{"统一社会信用代码"}) || !strings.Contains(e.Message, "缺少必填列「统一社会信用代码」") {
			t.Fatalf("%+v", e)
		}
	})
	t.Run("unknown and repeated", func(t *testing.T) {
		b := bookBytes(t, [][]any{{"组织名称", "统一社会信用代码", "备注", "组织名称"}})
		_, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
		wantCode(t, err, CodeBadHeader)
		var e *Error
		errors.As(err, &e)
		if !reflect.DeepEqual(e.Unknown, []string{"备注"}) || !reflect.DeepEqual(e.Repeat, []string{"组织名称"}) || e.Missing != nil {
			t.Fatalf("%+v", e)
		}
		if !strings.Contains(e.Message, "无法识别的列「备注」") {
			t.Fatal(e.Message)
		}
	})
	t.Run("empty sheet", func(t *testing.T) {
		_, err := readAll(t, openBytes(t, bookBytes(t, nil), Limits{}), testTpl)
		wantCode(t, err, CodeBadHeader)
	})
	t.Run("named sheet", func(t *testing.T) {
		wb := openBytes(t, bookBytes(t, nil), Limits{})
		if _, err := wb.Sheet("没有"); CodeOf(err) != CodeNoSheet {
			t.Fatal(err)
		}
		if s, err := wb.Sheet("Sheet1"); err != nil || s.Name() != "Sheet1" {
			t.Fatal(err)
		}
	})
}

func TestCellErrors(t *testing.T) {
	b := bookBytes(t, [][]any{
		{"组织名称", "统一社会信用代码", "邮政编码", "成立日期", "从业人员数", "登记状态"},
		{"", "91510100MA61234567", "", "2023-02-29", "很多", "正常"},
	})
	res, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]CellError{}
	for _, ce := range res.recs[0].Errors {
		got[ce.Column] = ce
	}
	if len(got) != 4 || got["name"].Reason != "必填项不能为空" || got["reg_date"].Value != "2023-02-29" ||
		got["employees"].Reason != "不是有效的数字" || !strings.Contains(got["status"].Reason, "存续") || got["status"].Row != 2 {
		t.Fatalf("%+v", res.recs[0].Errors)
	}
	j, _ := json.Marshal(got["reg_date"])
	if string(j) != `{"row":2,"column":"reg_date","header":"成立日期","value":"2023-02-29","reason":"日期无法识别，请填写如 2024-01-31 的日期"}` {
		t.Fatal(string(j))
	}
}

func TestSparseRowsAndCallbackError(t *testing.T) {
	rows := make([][]any, 8)
	rows[0] = []any{"组织名称", "统一社会信用代码"}
	rows[1] = []any{"甲", "1"}
	rows[6] = []any{"乙", "2"}
	wb := openBytes(t, bookBytes(t, rows), Limits{})
	res, err := readAll(t, wb, testTpl)
	if err != nil || !reflect.DeepEqual(res.rows, []int{2, 7}) {
		t.Fatalf("%v %v", res.rows, err)
	}
	// Read again, stopping at the first row.
	stop := errors.New("stop")
	sh, _ := wb.Sheet("")
	n := 0
	err = sh.ReadRows(testTpl, func(int, Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatal(err, n)
	}
}

func TestMaxRows(t *testing.T) {
	b := bookBytes(t, [][]any{{"组织名称", "统一社会信用代码"}, {"a", "1"}, {"b", "2"}, {"c", "3"}})
	_, err := readAll(t, openBytes(t, b, Limits{MaxRows: 2}), testTpl)
	wantCode(t, err, CodeTooManyRows)
}

func TestErrorCopy(t *testing.T) {
	src := []SourceRow{
		{Row: 3, Values: []string{"甲", "91510100MA6123456X", "010020", "2024-01-05", "12", "存续"}},
		{Row: 7, Values: []string{"乙", "", "", "2023-02-29", "", ""}},
	}
	errs := map[int][]CellError{
		3: {{Row: 3, Column: "uscc", Header: "统一社会信用代码", Value: "91510100MA6123456X", Reason: "校验位错误"},
			{Row: 3, Reason: "与第 5 行重复"}},
		7: {{Row: 7, Column: "reg_date", Value: "2023-02-29", Reason: "日期不存在"},
			{Row: 7, Column: "uscc", Header: "统一社会信用代码", Reason: "必填项不能为空"}},
	}
	var buf bytes.Buffer
	if err := WriteErrorCopy(&buf, testTpl, src, errs); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	if len(rows) != 3 || rows[0][6] != ErrorColumnHeader || rows[0][0] != "组织名称" {
		t.Fatalf("%q", rows)
	}
	if rows[1][6] != "原第 3 行：统一社会信用代码：校验位错误；与第 5 行重复" {
		t.Fatalf("%q", rows[1][6])
	}
	if rows[2][6] != "原第 7 行：统一社会信用代码：必填项不能为空；成立日期：日期不存在" {
		t.Fatalf("%q", rows[2][6])
	}
	if rows[1][2] != "010020" {
		t.Fatalf("leading zeros lost: %q", rows[1][2])
	}
	okStyle, _ := f.GetCellStyle(sheet, "A2")
	badStyle, _ := f.GetCellStyle(sheet, "B2")
	if okStyle == badStyle {
		t.Fatal("bad cell not highlighted")
	}
	if s, _ := f.GetCellStyle(sheet, "D3"); s != badStyle {
		t.Fatal("bad date cell not highlighted")
	}
	// The copy, once corrected, imports as is: the error column is ignored.
	res, err := readAll(t, openBytes(t, buf.Bytes(), Limits{}), testTpl)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.recs) != 2 || !reflect.DeepEqual(res.recs[0].Values, src[0].Values) {
		t.Fatalf("%v", res.recs)
	}
}

func TestNormalize(t *testing.T) {
	dates := map[string]string{
		"2024-01-05": "2024-01-05", "2024/1/5": "2024-01-05", "2024.1.5": "2024-01-05",
		"2024年1月5日": "2024-01-05", "２０２４－０１－０５": "2024-01-05", "20240105": "2024-01-05",
		"45292": "2024-01-01", "45292.75": "2024-01-01", "2024-01-05 13:45": "2024-01-05",
		"2020-02-29": "2020-02-29", "1900-03-01": "1900-03-01", " 2024-1-5\u3000": "2024-01-05",
	}
	for in, want := range dates {
		if got, ok := NormalizeDate(in); !ok || got != want {
			t.Errorf("NormalizeDate(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "2023-02-29", "2024-13-01", "05/01/2024", "1/5/24", "abc", "0", "-3", "20241301", "2024-1"} {
		if got, ok := NormalizeDate(bad); ok {
			t.Errorf("NormalizeDate(%q) = %q, want rejection", bad, got)
		}
	}
	nums := map[string]string{
		"12": "12", "12.0": "12", "0.30000000000000004": "0.3", "1,234.50": "1234.5", "50%": "0.5",
		"-0": "0", "１２": "12", "1E3": "1000", "123456789012345": "123456789012345",
	}
	for in, want := range nums {
		if got, ok := NormalizeNumber(in); !ok || got != want {
			t.Errorf("NormalizeNumber(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "abc", "NaN", "Inf", "1.2.3"} {
		if got, ok := NormalizeNumber(bad); ok {
			t.Errorf("NormalizeNumber(%q) = %q, want rejection", bad, got)
		}
	}
}

func TestCleanFloatText(t *testing.T) {
	for in, want := range map[string]string{
		"0.30000000000000004": "0.3", "007": "007", "1.50": "1.50", "12": "12",
		"1.2345678901234567E+17": "1.23456789012346E+17", "abc.def": "abc.def", "2024.1.5": "2024.1.5",
	} {
		if got := cleanFloatText(in); got != want {
			t.Errorf("cleanFloatText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "a", " a": "a", "a ": "a", "\ta\n": "a", "\u3000甲\u200b": "甲", "甲": "甲", "\u00a0": "",
		"a\u00a0": "a", "\ufeff007": "007", "a b": "a b", "~x~": "~x~",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
