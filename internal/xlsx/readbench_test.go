package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/xlsx"
)

const orgRows = 100_000

// orgWorkbook writes, with our stream writer and the 两新组织 template, the
// workbook of bench/import_test.go's BenchmarkImportOrganizations: 100,000
// new organizations with the columns a district fills in.
func orgWorkbook(b *testing.B) string {
	tpl := importer.OrganizationTemplate
	path := filepath.Join(b.TempDir(), "organizations.xlsx")
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	sw, err := xlsx.NewStreamWriter(fh, tpl, "两新组织")
	if err != nil {
		b.Fatal(err)
	}
	districts := []struct{ name, region string }{
		{"中共成都市锦江区委两新工委", "510104"}, {"中共成都市青羊区委两新工委", "510105"}, {"中共成都市金牛区委两新工委", "510106"},
		{"中共成都市武侯区委两新工委", "510107"}, {"中共成都市成华区委两新工委", "510108"}, {"中共成都市龙泉驿区委两新工委", "510112"},
		{"中共成都市青白江区委两新工委", "510113"}, {"中共成都市新都区委两新工委", "510114"}, {"中共成都市温江区委两新工委", "510115"},
		{"中共成都市双流区委两新工委", "510116"}, {"中共成都市郫都区委两新工委", "510117"}, {"中共成都市新津区委两新工委", "510118"},
	}
	industries := domain.Industries.Names()
	for i := range orgRows {
		m := districts[i%len(districts)]
		row := make([]any, len(tpl.Columns))
		for k := range row {
			row[k] = ""
		}
		set := func(k string, v any) { row[tpl.Index(k)] = v }
		set("uscc", domain.MakeUSCC("91", m.region, fmt.Sprintf("QX0%05d", i)))
		set("name", fmt.Sprintf("成都导入测试第%d号科技有限公司", i))
		set("legal_representative", "张三")
		set("registered_on", fmt.Sprintf("20%02d-%02d-15", 10+i%15, 1+i%12))
		set("status", "存续/在业")
		set("address", fmt.Sprintf("成都市测试路%d号", i))
		set("region", m.region)
		set("employees", i%300)
		set("flags", "规模以上")
		set("union_established", "是")
		set("area_manager", m.name)
		set("industry", industries[i%len(industries)])
		if err := sw.Write(row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReadOrganizations reads the same 100,000-row workbook, in one run:
//
//   - unzip: inflate the sheet's XML into nothing (the floor);
//   - stream: the streaming reader behind ReadRows (workbook, styles, shared
//     strings, every row's cells), without Open's checks;
//   - excelize: excelize's row iterator over raw values, what ReadRows used
//     before (OpenFile, Rows, Columns);
//   - encoding-xml: encoding/xml's RawToken over the sheet's XML, doing
//     nothing with the tokens: why the reader has its own scanner;
//   - open+ReadRows: what an import pays: Open's checks (which inflate every
//     part once), then ReadRows with the template (records, normalized).
//
// ns/op of each against unzip's is the ratio in bench/README.md.
func BenchmarkReadOrganizations(b *testing.B) {
	path := orgWorkbook(b)
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	sheet := func(b *testing.B) *zip.File {
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			b.Fatal(err)
		}
		for _, zf := range zr.File {
			if zf.Name == "xl/worksheets/sheet1.xml" {
				return zf
			}
		}
		b.Fatal("no sheet1.xml")
		return nil
	}
	xmlBytes := int64(sheet(b).UncompressedSize64)
	b.Logf("workbook %.1f MB, sheet XML %.1f MB", float64(len(raw))/1e6, float64(xmlBytes)/1e6)
	run := func(name string, fn func(b *testing.B) int) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(xmlBytes)
			cpu0 := cpuTime()
			for range b.N {
				if n := fn(b); n != orgRows+1 && n != orgRows {
					b.Fatalf("%d rows", n)
				}
			}
			// The machine is shared: the process's CPU time (GC included)
			// holds better than wall time when others load it.
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(orgRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
	run("unzip", func(b *testing.B) int {
		rc, err := sheet(b).Open()
		if err != nil {
			b.Fatal(err)
		}
		defer rc.Close()
		if _, err := io.Copy(io.Discard, rc); err != nil {
			b.Fatal(err)
		}
		return orgRows
	})
	run("stream", func(b *testing.B) int {
		n := 0
		if err := xlsx.ReadCellsUnchecked(bytes.NewReader(raw), int64(len(raw)), func(int, []string) { n++ }); err != nil {
			b.Fatal(err)
		}
		return n
	})
	run("excelize", func(b *testing.B) int {
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		rows, err := f.Rows("两新组织")
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		return n
	})
	run("encoding-xml", func(b *testing.B) int {
		rc, err := sheet(b).Open()
		if err != nil {
			b.Fatal(err)
		}
		defer rc.Close()
		d, n := xml.NewDecoder(rc), 0
		for {
			tok, err := d.RawToken()
			if err == io.EOF {
				return n
			}
			if err != nil {
				b.Fatal(err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "row" {
				n++
			}
		}
	})
	run("open+ReadRows", func(b *testing.B) int {
		wb, err := xlsx.Open(bytes.NewReader(raw), int64(len(raw)), xlsx.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		defer wb.Close()
		sh, err := wb.Sheet("")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		if err := sh.ReadRows(importer.OrganizationTemplate, func(_ int, rec xlsx.Record) error {
			if len(rec.Errors) > 0 {
				return fmt.Errorf("row %d: %v", rec.Row, rec.Errors)
			}
			n++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		return n
	})
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
