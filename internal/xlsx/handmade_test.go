package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Workbooks written part by part, the way other programs save them, for the
// cases our own writer never produces.

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

type handSheet struct {
	name, file, xml string // file: the part under xl/, e.g. "worksheets/sheet1.xml"
	state           string // "hidden" or ""
	target          string // the relationship's target; "" for file
}

type handBook struct {
	sheets   []handSheet // workbook order
	sst      string      // xl/sharedStrings.xml, "" for none
	styles   string      // xl/styles.xml, "" for none
	date1904 bool
	// zipOrder lists the sheets' parts in the order they go into the zip
	// (default: workbook order).
	zipOrder []int
}

func (h handBook) bytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<workbook " + nsMain + " " + nsRel + `><fileVersion appName="xl" lastEdited="7"/>`)
	if h.date1904 {
		wb.WriteString(`<workbookPr date1904="1" defaultThemeVersion="124226"/>`)
	} else {
		wb.WriteString(`<workbookPr defaultThemeVersion="124226"/>`)
	}
	wb.WriteString(`<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range h.sheets {
		state := ""
		if s.state != "" {
			state = ` state="` + s.state + `"`
		}
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, s.name, i+1, state, i+10)
		target := s.target
		if target == "" {
			target = s.file
		}
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>`, i+10, relNS, target)
	}
	wb.WriteString(`</sheets><calcPr calcId="145621"/></workbook>`)
	if h.sst != "" {
		rels.WriteString(`<Relationship Id="rId2" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/>`)
	}
	if h.styles != "" {
		rels.WriteString(`<Relationship Id="rId3" Type="` + relNS + `/styles" Target="styles.xml"/>`)
	}
	rels.WriteString(`</Relationships>`)
	put("xl/workbook.xml", wb.String())
	put("xl/_rels/workbook.xml.rels", rels.String())
	order := h.zipOrder
	if order == nil {
		for i := range h.sheets {
			order = append(order, i)
		}
	}
	for _, i := range order {
		put("xl/"+h.sheets[i].file, h.sheets[i].xml)
	}
	if h.sst != "" {
		put("xl/sharedStrings.xml", h.sst)
	}
	if h.styles != "" {
		put("xl/styles.xml", h.styles)
	}
	put("docProps/app.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// worksheet wraps rows (the content of <sheetData>) in a worksheet part;
// tail goes after <sheetData> (mergeCells and the like).
func worksheet(dim, rows, tail string) string {
	d := ""
	if dim != "" {
		d = `<dimension ref="` + dim + `"/>`
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<worksheet ` + nsMain + ` ` + nsRel + ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">` +
		d + `<sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="13.5" x14ac:dyDescent="0.15"/><cols><col min="1" max="1" width="30.625" customWidth="1"/></cols>` +
		`<sheetData>` + rows + `</sheetData>` + tail +
		`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
}

func sstXML(items ...string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\r\n"+`<sst %s count="%d" uniqueCount="%d">%s</sst>`, nsMain, len(items), len(items), strings.Join(items, ""))
}

func si(text string) string { return "<si><t>" + text + "</t></si>" }

// excelStyles is a styles part as Excel writes it: custom formats from 176,
// the cell formats (cellXfs) that cells' s attributes index.
func excelStyles(numFmts map[int]string, xfNumFmts ...int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n<styleSheet " + nsMain + `>`)
	if len(numFmts) > 0 {
		fmt.Fprintf(&b, `<numFmts count="%d">`, len(numFmts))
		for id := 0; id < 400; id++ {
			if code, ok := numFmts[id]; ok {
				fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, id, code)
			}
		}
		b.WriteString(`</numFmts>`)
	}
	b.WriteString(`<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="宋体"/><family val="2"/><charset val="134"/><scheme val="minor"/></font></fonts>`)
	b.WriteString(`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>`)
	// cellStyleXfs come first and must not be taken for the cell formats.
	b.WriteString(`<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`)
	fmt.Fprintf(&b, `<cellXfs count="%d">`, len(xfNumFmts))
	for _, id := range xfNumFmts {
		apply := ""
		if id != 0 {
			apply = ` applyNumberFormat="1"`
		}
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"%s><alignment vertical="center"/></xf>`, id, apply)
	}
	b.WriteString(`</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`)
	return b.String()
}
