package xlsx

import (
	"bytes"
	"strings"
	"testing"
)

var idTpl = Template{Columns: []Column{
	{Key: "name", Header: "姓名", Required: true},
	{Key: "id_number", Header: "公民身份号码", Required: true, Identifier: true},
	{Key: "phone", Header: "手机号码"},
}}

// TestIdentifierCellsTurnedIntoNumbers: an ID number that a spreadsheet
// stored as a number (Excel's E notation, or LibreOffice's rounded digits)
// or that was pasted as the E notation it showed is refused with what
// happened and how to fix it; typed as text it reads as typed; a number in
// an ordinary column (a phone) is read as before.
func TestIdentifierCellsTurnedIntoNumbers(t *testing.T) {
	sheet := worksheet("A1:C6",
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`+
			`<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>5.1010419900307002E+17</v></c><c r="C2"><v>13800138000</v></c></row>`+
			`<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>510104199003070000</v></c></row>`+
			`<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="s"><v>4</v></c></row>`+
			`<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5" t="s"><v>5</v></c></row>`+
			`<row r="6"><c r="A6" t="s"><v>3</v></c><c r="B6" t="inlineStr"><is><t>5,10104E+17</t></is></c></row>`, "")
	b := handBook{sheets: []handSheet{{name: "党员", file: "worksheets/sheet1.xml", xml: sheet}},
		sst: sstXML(si("姓名"), si("公民身份号码"), si("手机号码"), si("张三"), si("5.10104E+17"), si("510104199003070015"))}.bytes(t)
	wb, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]Record{}
	if err := sh.ReadRows(idTpl, func(row int, rec Record) error { got[row] = rec; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		row  int
		want string // part of the reason; "" for none
	}{
		{2, "科学计数法「5.1010419900307002E+17」"},
		{3, "数字格式，表格软件只保留15位有效数字，读到的「510104199003070000」"},
		{4, "科学计数法「5.10104E+17」"},
		{5, ""},
		{6, "科学计数法「5,10104E+17」"},
	} {
		rec := got[tc.row]
		var reasons []string
		for _, e := range rec.Errors {
			reasons = append(reasons, e.Column+": "+e.Reason)
		}
		all := strings.Join(reasons, "; ")
		switch {
		case tc.want == "" && len(rec.Errors) > 0:
			t.Errorf("row %d: unexpected errors %s", tc.row, all)
		case tc.want != "" && (len(rec.Errors) != 1 || rec.Errors[0].Column != "id_number" || !strings.Contains(all, tc.want) || !strings.Contains(all, "设为“文本”")):
			t.Errorf("row %d: errors %q, want one on id_number containing %q and the fix", tc.row, all, tc.want)
		}
	}
	if v := got[5].Get("id_number"); v != "510104199003070015" {
		t.Errorf("a text ID number reads %q", v)
	}
	if v := got[2].Get("phone"); v != "13800138000" {
		t.Errorf("a phone stored as a number reads %q", v)
	}
}

// TestIdentifierLookalikes: codes that merely contain an E between digits
// (valid USCCs) are not taken for E notation.
func TestIdentifierLookalikes(t *testing.T) {
	for v, bad := range map[string]bool{
		"9151018583E2711632": false, "91510100MA61234567": false, "5.10104E+17": true, "5E+17": true, "5.1010419900307002E17": true, "5,10104E+17": true,
	} {
		if got := identifierProblem(v, false) != ""; got != bad {
			t.Errorf("%s: refused %v, want %v", v, got, bad)
		}
	}
}
