package xlsx

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

var (
	benchOnce sync.Once
	benchDir  string
	benchPath string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchFile writes, once per run, a 100,000-row workbook in testTpl's layout
// with realistic cell kinds (text, codes with leading zeros, dates, numbers).
func benchFile(b *testing.B) string {
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "lianxin-xlsx-bench-"); benchErr != nil {
			return
		}
		benchPath = filepath.Join(benchDir, "orgs.xlsx")
		fh, err := os.Create(benchPath)
		if err != nil {
			benchErr = err
			return
		}
		defer fh.Close()
		sw, err := NewStreamWriter(fh, testTpl, "组织")
		if err != nil {
			benchErr = err
			return
		}
		status := testTpl.Columns[5].Options
		base := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < benchRows; i++ {
			if err := sw.Write([]any{
				fmt.Sprintf("成都市第%d号科技有限公司", i),
				fmt.Sprintf("91510100MA6%07d", i),
				fmt.Sprintf("%06d", i%1000),
				base.AddDate(0, 0, i%10000),
				i % 500,
				status[i%len(status)],
			}); err != nil {
				benchErr = err
				return
			}
		}
		benchErr = sw.Close()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// BenchmarkReadRows: Open (with all the safety checks) and ReadRows over the
// whole file, values normalized per column type.
func BenchmarkReadRows(b *testing.B) {
	path := benchFile(b)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		wb, err := OpenFile(path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		sh, _ := wb.Sheet("")
		n := 0
		if err := sh.ReadRows(testTpl, func(_ int, rec Record) error {
			if len(rec.Errors) > 0 {
				return fmt.Errorf("row %d: %v", rec.Row, rec.Errors)
			}
			n++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
		wb.Close()
	}
	b.ReportMetric(float64(benchRows*b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkExcelizeRowsOnly is baseline (a): the same file through plain
// excelize, iterating the rows (raw values, as ReadRows does) and doing
// nothing else.
func BenchmarkExcelizeRowsOnly(b *testing.B) { benchExcelize(b, excelize.Options{RawCellValue: true}) }

// BenchmarkExcelizeRowsFormatted is the same with excelize's default
// formatted values (slow on date cells), for comparison.
func BenchmarkExcelizeRowsFormatted(b *testing.B) { benchExcelize(b, excelize.Options{}) }

func benchExcelize(b *testing.B, opts excelize.Options) {
	path := benchFile(b)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("组织")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(opts); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
		if n != benchRows+1 {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/time.Since(start).Seconds(), "rows/s")
}
