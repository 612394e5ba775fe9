package xlsx_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// Every kind of workbook our own writers produce, with the layouts the
// application uses, reads the same through excelize and the streaming
// reader: the templates, exports (the stream writer) and error copies.
func TestOwnWorkbooksReadAlike(t *testing.T) {
	layouts := map[string]xlsx.Template{
		"两新组织": importer.OrganizationTemplate, "党员": importer.MemberTemplate, "三会一课台账": importer.LedgerTemplate, "空": {},
	}
	for name, tpl := range layouts {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := xlsx.WriteTemplate(&buf, tpl, name); err != nil {
				t.Fatal(err)
			}
			xlsx.CrossCheck(t, buf.Bytes(), tpl)

			buf.Reset()
			sw, err := xlsx.NewStreamWriter(&buf, tpl, name)
			if err != nil {
				t.Fatal(err)
			}
			var src []xlsx.SourceRow
			errs := map[int][]xlsx.CellError{}
			for i := 0; i < 60; i++ {
				row := values(tpl, i)
				if err := sw.Write(row); err != nil {
					t.Fatal(err)
				}
				strs := make([]string, len(row))
				for j, v := range row {
					if v != nil {
						strs[j] = fmt.Sprint(v)
					}
				}
				src = append(src, xlsx.SourceRow{Row: i + 2, Values: strs})
				if i%7 == 0 && len(tpl.Columns) > 0 {
					errs[i+2] = []xlsx.CellError{{Row: i + 2, Column: tpl.Columns[i%len(tpl.Columns)].Key, Reason: "有误"}, {Row: i + 2, Reason: "与第 3 行重复"}}
				}
			}
			if err := sw.Close(); err != nil {
				t.Fatal(err)
			}
			xlsx.CrossCheck(t, buf.Bytes(), tpl)

			buf.Reset()
			if err := xlsx.WriteErrorCopy(&buf, tpl, src, errs); err != nil {
				t.Fatal(err)
			}
			xlsx.CrossCheck(t, buf.Bytes(), tpl)
		})
	}
}

// values is row i of a layout: every kind of value the writers take, the
// options of option columns, and the text that needs escaping.
func values(tpl xlsx.Template, i int) []any {
	texts := []string{"成都某某科技有限公司", "007", " 前后空格 ", "A&B <c> \"d\" 'e'", "第一行\n第二行", "_x000D_ 字面", "😀 表情", "0.30000000000000004", "1,234", "2024/1/5", "", "\u00a0"}
	row := make([]any, len(tpl.Columns))
	for j, c := range tpl.Columns {
		k := i + j
		switch {
		case len(c.Options) > 0:
			row[j] = c.Options[k%len(c.Options)]
		case c.Type == xlsx.Date:
			switch k % 4 {
			case 0:
				row[j] = time.Date(1990+k%40, time.Month(1+k%12), 1+k%28, 0, 0, 0, 0, time.UTC)
			case 1:
				row[j] = fmt.Sprintf("20%02d-%02d-15", k%25, 1+k%12)
			case 2:
				row[j] = nil
			default:
				row[j] = time.Time{}
			}
		case c.Type == xlsx.Number:
			row[j] = []any{k, 0.1 + 0.2, 1e15 + float64(k), -3.5, nil, "12"}[k%6]
		default:
			row[j] = texts[k%len(texts)]
		}
	}
	return row
}
