package xlsx

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// streamRows reads the first sheet's rows with the streaming reader: the
// rows that have cells, and the date flags of their cells.
func streamRows(t *testing.T, b []byte) ([]rowView, map[string]bool) {
	t.Helper()
	wb, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sh.rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.close()
	var out []rowView
	dates := map[string]bool{}
	for {
		ok, err := rows.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out, dates
		}
		if len(rows.cells) > 0 {
			out = append(out, rowView{rows.num, append([]string(nil), rows.cells...)})
		}
		for j, d := range rows.dates {
			if d {
				dates[fmt.Sprintf("%s%d", colName(j), rows.num)] = true
			}
		}
	}
}

func c(ref, attrs, inner string) string {
	return `<c r="` + ref + `"` + attrs + `>` + inner + `</c>`
}

func sc(ref string, i int) string { return c(ref, ` t="s"`, fmt.Sprintf("<v>%d</v>", i)) }

// excelBook is a workbook as Excel (and WPS, which writes the same parts)
// saves it: every text in the shared strings, rich text, phonetic runs,
// escapes, dates in built-in and custom formats, booleans, errors, formulas,
// gaps, rows and cells without references, formatted empty rows, merged
// cells.
func excelBook(t *testing.T) []byte {
	strs := sstXML(
		si("组织名称"), si("统一社会信用代码"), si("邮政编码"), si("成立日期"), si("从业人员数"), si("登记状态"), // 0–5
		`<si><r><rPr><b/><sz val="11"/><color theme="1"/><rFont val="宋体"/><family val="3"/><charset val="134"/><scheme val="minor"/></rPr><t>成都</t></r><r><rPr><sz val="11"/></rPr><t xml:space="preserve"> 某某 </t></r><r><t>科技有限公司</t></r></si>`, // 6
		`<si><t>張三商店</t><rPh sb="0" eb="2"><t>チョウサン</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>`,                                                                                                                                   // 7
		si("A&amp;B_x000D_C&lt;D&gt;"),                  // 8
		`<si><t xml:space="preserve">  前后空格  </t></si>`, // 9
		si("存续"), si("_x005F_x0041_"), si("91510100MA61234567"), si("010020"), // 10–13
		`<si><t>前</t><r><t>后</t></r></si>`, // 14
		"<si><t>第一行\r\n第二行</t></si>",       // 15
	)
	styles := excelStyles(map[int]string{176: "yyyy/m/d;@", 177: "0.00_ ", 178: `[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;`},
		0, 14, 176, 177, 31, 49, 178, 22, 4)
	rows := `<row r="1" spans="1:6" x14ac:dyDescent="0.15">` + sc("A1", 0) + sc("B1", 1) + sc("C1", 2) + sc("D1", 3) + sc("E1", 4) + sc("F1", 5) + `</row>` +
		`<row r="2" spans="1:6">` + sc("A2", 6) + sc("B2", 12) + c("C2", ` s="5" t="s"`, "<v>13</v>") + c("D2", ` s="1"`, "<v>45292</v>") + c("E2", "", "<v>12</v>") + sc("F2", 10) + `</row>` +
		`<row r="3">` + sc("A3", 7) + c("B3", ` t="str"`, `<f>"915101"&amp;"00MJ0000000X"</f><v>91510100MJ0000000X</v>`) + c("C3", ` s="5" t="s"`, "<v>8</v>") +
		c("D3", ` s="2"`, "<v>45292.5</v>") + c("E3", ` s="3"`, "<v>0.30000000000000004</v>") + c("F3", ` t="b"`, "<v>1</v>") + `</row>` +
		`<row r="5">` + sc("A5", 9) + sc("B5", 11) + c("D5", ` s="4"`, "<v>44000</v>") + c("E5", ` t="e"`, "<f>1/0</f><v>#DIV/0!</v>") + sc("G5", 14) + `</row>` +
		`<row r="6">` + c("A6", ` t="inlineStr"`, "<is><t>内联文本</t></is>") + c("B6", ` t="inlineStr"`, "<is><r><t>91510100</t></r><r><rPr><b/></rPr><t>MA6CXXXXX1</t></r></is>") +
		c("D6", ` s="6"`, "<v>40000</v>") + c("E6", ` s="8"`, "<v>1234.5</v>") + `</row>` +
		`<row r="7"><c t="inlineStr"><is><t>无引用</t></is></c><c/><c t="s"><v>12</v></c><c s="1"><v>43000</v></c></row>` +
		`<row>` + sc("A8", 15) + sc("B8", 12) + c("D8", ` s="7"`, "<v>43000.75</v>") + `</row>` +
		`<row r="9">` + c("B9", ` t="str"`, `<f>""</f><v></v>`) + `<c r="C9" s="1"/></row>` +
		`<row r="12" spans="1:6" ht="20" customHeight="1" x14ac:dyDescent="0.25">` + sc("A12", 0) + sc("B12", 12) + sc("F12", 10) + `</row>` +
		`<row r="20" s="3" customFormat="1"/>` +
		`<row r="21"><c r="A21" s="3"/><c r="B21" s="3"/></row>`
	tail := `<mergeCells count="1"><mergeCell ref="G1:H1"/></mergeCells><phoneticPr fontId="1" type="noConversion"/>`
	return handBook{
		sheets: []handSheet{{name: "两新组织", file: "worksheets/sheet1.xml", xml: worksheet("A1:G21", rows, tail)}},
		sst:    strs, styles: styles,
	}.bytes(t)
}

func TestExcelSavedWorkbook(t *testing.T) {
	b := excelBook(t)
	crossCheck(t, b, testTpl)
	rows, dates := streamRows(t, b)
	want := []rowView{
		{1, []string{"组织名称", "统一社会信用代码", "邮政编码", "成立日期", "从业人员数", "登记状态"}},
		{2, []string{"成都 某某 科技有限公司", "91510100MA61234567", "010020", "45292", "12", "存续"}},
		{3, []string{"張三商店", "91510100MJ0000000X", "A&B\rC<D>", "45292.5", "0.30000000000000004", "1"}},
		{5, []string{"  前后空格  ", "_x0041_", "", "44000", "#DIV/0!", "", "前后"}},
		{6, []string{"内联文本", "91510100MA6CXXXXX1", "", "40000", "1234.5"}},
		{7, []string{"无引用", "", "91510100MA61234567", "43000"}},
		{8, []string{"第一行\n第二行", "91510100MA61234567", "", "43000.75"}},
		{9, []string{"", ""}},
		{12, []string{"组织名称", "91510100MA61234567", "", "", "", "存续"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("got\n%s\nwant\n%s", dump(sheetView{rows: rows}), dump(sheetView{rows: want}))
	}
	// Dates: built-in 14, 22 and 31 (yyyy年m月d日), custom yyyy/m/d and a
	// locale-prefixed Chinese one; not 0.00 or #,##0.00.
	wantDates := map[string]bool{"D2": true, "D3": true, "D5": true, "D6": true, "D7": true, "D8": true}
	if !reflect.DeepEqual(dates, wantDates) {
		t.Fatalf("date cells %v, want %v", dates, wantDates)
	}
	res, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.rows, []int{2, 3, 5, 6, 7, 8, 12}) {
		t.Fatalf("rows %v", res.rows)
	}
	if got := res.recs[0].Values; !reflect.DeepEqual(got, []string{"成都 某某 科技有限公司", "91510100MA61234567", "010020", "2024-01-01", "12", "存续"}) {
		t.Fatalf("row 2: %q", got)
	}
	if got := res.recs[1].Get("reg_date"); got != "2024-01-01" {
		t.Fatalf("a date with a time: %q", got)
	}
}

// A title merged across the columns above the header, as people make their
// own sheets: the title is the first non-empty row, so the header does not
// match (as before); with the title removed, a header cell merged over two
// columns reads as its first cell.
func TestMergedHeaders(t *testing.T) {
	strs := sstXML(si("两新组织信息表"), si("组织名称"), si("统一社会信用代码"), si("甲"), si("91510100MA61234567"))
	styles := excelStyles(map[int]string{176: `yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@`}, 0, 176)
	titled := `<row r="1" ht="30" customHeight="1">` + sc("A1", 0) + `<c r="B1" s="1"/><c r="C1" s="1"/></row>` +
		`<row r="2">` + sc("A2", 1) + `<c r="B2"/>` + sc("C2", 2) + `</row>` +
		`<row r="3">` + sc("A3", 3) + sc("C3", 4) + `</row>`
	b := handBook{sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml",
		xml: worksheet("A1:C3", titled, `<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A2:B2"/></mergeCells>`)}},
		sst: strs, styles: styles}.bytes(t)
	crossCheck(t, b, testTpl)
	_, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
	wantCode(t, err, CodeBadHeader)
	if !strings.Contains(err.Error(), "两新组织信息表") {
		t.Fatal(err)
	}

	untitled := `<row r="2">` + sc("A2", 1) + `<c r="B2"/>` + sc("C2", 2) + `</row>` + `<row r="3">` + sc("A3", 3) + sc("C3", 4) + `</row>`
	b = handBook{sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml",
		xml: worksheet("A2:C3", untitled, `<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>`)}},
		sst: strs, styles: styles}.bytes(t)
	crossCheck(t, b, testTpl)
	res, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
	if err != nil || len(res.recs) != 1 || res.recs[0].Get("uscc") != "91510100MA61234567" || res.recs[0].Letter("uscc") != "C" {
		t.Fatalf("%v %+v", err, res.recs)
	}
}

// The sheet read is the first in workbook.xml's order (not the help sheet),
// found through the workbook's relationships, whatever its part is called
// and wherever it sits in the zip; hidden sheets count.
func TestSheetChoice(t *testing.T) {
	data := func(v string) string {
		return worksheet("", `<row r="1">`+c("A1", ` t="inlineStr"`, "<is><t>组织名称</t></is>")+c("B1", ` t="inlineStr"`, "<is><t>统一社会信用代码</t></is>")+`</row>`+
			`<row r="2">`+c("A2", ` t="inlineStr"`, "<is><t>"+v+"</t></is>")+c("B2", ` t="inlineStr"`, "<is><t>1</t></is>")+`</row>`, "")
	}
	cases := []struct {
		name   string
		book   handBook
		sheets []string
		want   string
	}{
		{"first in workbook order, last in the zip", handBook{
			sheets:   []handSheet{{name: "乙表", file: "worksheets/sheet2.xml", xml: data("乙")}, {name: "甲表", file: "worksheets/sheet1.xml", xml: data("甲")}},
			zipOrder: []int{1, 0}}, []string{"乙表", "甲表"}, "乙"},
		{"help sheet first", handBook{
			sheets: []handSheet{{name: HelpSheetName, file: "worksheets/sheet1.xml", xml: data("说明")}, {name: "数据", file: "worksheets/sheet2.xml", xml: data("数据")}}},
			[]string{HelpSheetName, "数据"}, "数据"},
		{"hidden first sheet, absolute target, odd part name", handBook{
			sheets: []handSheet{{name: "隐藏", file: "worksheets/data.xml", target: "/xl/worksheets/data.xml", xml: data("隐藏"), state: "hidden"}, {name: "可见", file: "worksheets/sheet1.xml", xml: data("可见")}}},
			[]string{"隐藏", "可见"}, "隐藏"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.book.bytes(t)
			crossCheck(t, b, testTpl)
			wb := openBytes(t, b, Limits{})
			if got := wb.SheetNames(); !reflect.DeepEqual(got, tc.sheets) {
				t.Fatalf("sheets %q", got)
			}
			res, err := readAll(t, wb, testTpl)
			if err != nil || len(res.recs) != 1 || res.recs[0].Get("name") != tc.want {
				t.Fatalf("%v %+v", err, res.recs)
			}
		})
	}
}

// Old Mac workbooks count serials from 1904-01-01.
func TestDate1904(t *testing.T) {
	rows := `<row r="1">` + c("A1", ` t="inlineStr"`, "<is><t>组织名称</t></is>") + c("B1", ` t="inlineStr"`, "<is><t>统一社会信用代码</t></is>") + c("C1", ` t="inlineStr"`, "<is><t>成立日期</t></is>") + `</row>` +
		`<row r="2">` + c("A2", ` t="inlineStr"`, "<is><t>甲</t></is>") + c("B2", ` t="inlineStr"`, "<is><t>1</t></is>") + c("C2", ` s="1"`, "<v>43830</v>") + `</row>`
	b := handBook{date1904: true, styles: excelStyles(nil, 0, 14),
		sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", xml: worksheet("A1:C2", rows, "")}}}.bytes(t)
	crossCheck(t, b, testTpl)
	res, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
	if err != nil || res.recs[0].Get("reg_date") != "2024-01-01" {
		t.Fatalf("%v %+v", err, res.recs)
	}
}

// XML as other generators write it: prefixed names, CDATA, character
// references, comments and processing instructions, carriage returns,
// numbers and shared-string indexes with spaces, indexes out of range.
func TestUnusualXML(t *testing.T) {
	x := `xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	sheet := `<?xml version="1.0" encoding="utf-8"?><!-- generated --><x:worksheet ` + x + `><x:dimension ref="A1:D9"/><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v> 1 </x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>成立日期</x:t></x:is></x:c></x:row>` +
		"<x:row r=\"2\"><?pi data?><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>a&#13;&#10;b&#x4E2D;\r\nc\rd</x:t></x:is></x:c><!-- a comment --><x:c r=\"B2\"><x:v><![CDATA[12]]></x:v></x:c>" +
		"<x:c r=\"C2\" t=\"inlineStr\"><x:is><x:t><![CDATA[<&>\r\n]]></x:t></x:is></x:c></x:row>" +
		`<x:row r="3"><x:c r="$A$3" t="s"><x:v>99</x:v></x:c><x:c r="b3" t="s"><x:v>x</x:v></x:c><x:c r="C3" t="n"><x:v> 7 </x:v></x:c><x:c r="D3" t="d"><x:v>2024-01-05T00:00:00</x:v></x:c></x:row>` +
		`<x:row r="4" ><x:c r = "A4" t = 'inlineStr' ><x:is><x:t>单引号 &gt; 属性</x:t></x:is></x:c><x:c r="B4" t="inlineStr"/><x:c r="C4" t="s"/></x:row>` +
		`</x:sheetData></x:worksheet>`
	strs := `<?xml version="1.0"?><x:sst ` + x + `><x:si><x:t>组织名称</x:t></x:si><x:si><x:t>统一社会信用代码</x:t></x:si></x:sst>`
	b := handBook{sst: strs, sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", xml: sheet}}}.bytes(t)
	crossCheck(t, b, testTpl)
	rows, _ := streamRows(t, b)
	want := []rowView{
		{1, []string{"组织名称", "统一社会信用代码", "成立日期"}},
		{2, []string{"a\r\nb中\nc\nd", "12", "<&>\n"}},
		{3, []string{"", "组织名称", " 7 ", "2024-01-05T00:00:00"}},
		{4, []string{"单引号 > 属性"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("got\n%s", dump(sheetView{rows: rows}))
	}
}

// A few Chinese tools write XML in GBK; excelize converts it, so must we.
func TestGBKSharedStrings(t *testing.T) {
	body, err := simplifiedchinese.GBK.NewEncoder().String(`<?xml version="1.0" encoding="GBK"?><sst ` + nsMain + `><si><t>组织名称</t></si><si><t>统一社会信用代码</t></si><si><t>成都某某公司</t></si></sst>`)
	if err != nil {
		t.Fatal(err)
	}
	rows := `<row r="1">` + sc("A1", 0) + sc("B1", 1) + `</row><row r="2">` + sc("A2", 2) + c("B2", ` t="inlineStr"`, "<is><t>1</t></is>") + `</row>`
	b := handBook{sst: body, sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", xml: worksheet("", rows, "")}}}.bytes(t)
	crossCheck(t, b, testTpl)
	res, err := readAll(t, openBytes(t, b, Limits{}), testTpl)
	if err != nil || res.recs[0].Get("name") != "成都某某公司" {
		t.Fatalf("%v %+v", err, res.recs)
	}
}

// A sheet of a few hundred kilobytes whose entities, CDATA sections and
// carriage returns fall at every offset of the read buffer.
func TestBufferBoundaries(t *testing.T) {
	rnd := rand.New(rand.NewSource(12))
	pieces := []string{"甲", "a", "&amp;", "&lt;", "&#x4E2D;", "&#20013;", "\r\n", "\r", " ", "<![CDATA[x&y]]>", "_x000D_", "<![CDATA[\r\n]]>", "_xD83D_", "_x005F_", "_x4e2D_", "_x"}
	var rows, strs strings.Builder
	var items []string
	for i := 0; i < 300; i++ {
		var s strings.Builder
		for n := rnd.Intn(40); n >= 0; n-- {
			s.WriteString(pieces[rnd.Intn(len(pieces))])
		}
		items = append(items, "<si><t>"+s.String()+"</t></si>")
	}
	strs.WriteString(sstXML(items...))
	rows.WriteString(`<row r="1">` + c("A1", ` t="inlineStr"`, "<is><t>组织名称</t></is>") + c("B1", ` t="inlineStr"`, "<is><t>统一社会信用代码</t></is>") + `</row>`)
	for r := 2; r < 12000; r++ {
		fmt.Fprintf(&rows, `<row r="%d">`, r)
		for col := 0; col < 1+rnd.Intn(6); col++ {
			ref := fmt.Sprintf("%s%d", colName(col), r)
			switch rnd.Intn(4) {
			case 0:
				rows.WriteString(sc(ref, rnd.Intn(len(items))))
			case 1:
				var s strings.Builder
				for n := rnd.Intn(30); n >= 0; n-- {
					s.WriteString(pieces[rnd.Intn(len(pieces))])
				}
				rows.WriteString(c(ref, ` t="inlineStr"`, "<is><t>"+s.String()+"</t></is>"))
			case 2:
				rows.WriteString(c(ref, ` s="1"`, fmt.Sprintf("<v>%d.%d</v>", rnd.Intn(50000), rnd.Intn(100))))
			default:
				rows.WriteString(c(ref, ` t="str"`, "<f>A1&amp;B1</f><v>"+pieces[rnd.Intn(len(pieces))]+"</v>"))
			}
		}
		rows.WriteString("</row>")
	}
	b := handBook{sst: strs.String(), styles: excelStyles(nil, 0, 14),
		sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", xml: worksheet("A1:F11999", rows.String(), "")}}}.bytes(t)
	if rows.Len() < prefetchMin {
		t.Fatalf("sheet of %d bytes: too small to cross the buffers", rows.Len())
	}
	crossCheck(t, b, testTpl)
}

// What the streaming reader refuses: the sheet's XML is broken, or it
// cannot place a row or a cell. (excelize stops silently at broken XML and
// misplaces rows that go backwards; these are errors now.)
func TestMalformedSheets(t *testing.T) {
	head := `<row r="1">` + c("A1", ` t="inlineStr"`, "<is><t>组织名称</t></is>") + c("B1", ` t="inlineStr"`, "<is><t>统一社会信用代码</t></is>") + `</row>`
	good := `<row r="2">` + c("A2", ` t="inlineStr"`, "<is><t>甲</t></is>") + c("B2", "", "<v>1</v>") + `</row>`
	cases := []struct {
		name, sheet, msg string
	}{
		{"row going backwards", worksheet("", head+good+`<row r="2"><c r="A2"><v>1</v></c></row>`, ""), "工作表「Sheet1」无法读取"},
		{"bad cell reference", worksheet("", head+good+`<row r="3"><c r="3A"><v>1</v></c></row>`, ""), "工作表「Sheet1」第 3 行无法读取"},
		{"column beyond XFD", worksheet("", head+`<row r="2"><c r="XFE2"><v>1</v></c></row>`, ""), "第 2 行无法读取"},
		{"row beyond 1048576", worksheet("", head+`<row r="1048577"><c r="A1048577"><v>1</v></c></row>`, ""), "无法读取"},
		{"unknown entity", worksheet("", head+`<row r="2"><c r="A2" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`, ""), "无法读取"},
		{"truncated XML", worksheet("", head+good, "")[:400], "无法读取"},
		{"a '<' in a tag", worksheet("", head+`<row r="2"><c r="A2" <v>1</v></c></row>`, ""), "无法读取"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := handBook{sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", xml: tc.sheet}}}.bytes(t)
			wb, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			_, err = readAll(t, wb, testTpl)
			wantCode(t, err, CodeCorrupt)
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("%q lacks %q", err, tc.msg)
			}
		})
	}
	t.Run("sheet part missing", func(t *testing.T) {
		b := handBook{sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", target: "worksheets/nowhere.xml", xml: worksheet("", head, "")}}}.bytes(t)
		wb, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = readAll(t, wb, testTpl)
		wantCode(t, err, CodeCorrupt)
	})
	t.Run("broken shared strings", func(t *testing.T) {
		b := handBook{sst: `<sst ` + nsMain + `><si><t>a</si></sst>`, sheets: []handSheet{{name: "Sheet1", file: "worksheets/sheet1.xml", xml: worksheet("", head, "")}}}.bytes(t)
		_, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
		wantCode(t, err, CodeCorrupt)
	})
}

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy/m/d;@": true, "yyyy-mm-dd": true, `yyyy"年"m"月"d"日"`: true, `[$-804]yyyy"年"m"月"d"日"`: true,
		"[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"": true, "h:mm AM/PM": true, "[h]:mm:ss": true, "mm:ss.0": true, "[$-F800]dddd, mmmm dd, yyyy": true,
		"General": false, "0.00_ ": false, "#,##0.00": false, "0%": false, "@": false, "0.00E+00": false, `"days"0`: false,
		`[Red]0.00`: false, `0.00;[Red]\-0.00`: false, `#,##0 "元"`: false, `\d0`: false, `_(* #,##0_)`: false, `0;-0;;"mdy"`: false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v", code, got)
		}
	}
	for id := 0; id < 164; id++ {
		want := id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
		if builtinDate(id) != want {
			t.Errorf("builtinDate(%d) = %v", id, !want)
		}
	}
}

// The workbooks the browser tests upload.
func TestFixtureWorkbooks(t *testing.T) {
	paths, _ := filepath.Glob("../../web/e2e/fixtures/*.xlsx")
	if len(paths) == 0 {
		t.Skip("no fixture workbooks")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(p), func(t *testing.T) { crossCheck(t, b, testTpl) })
	}
}
