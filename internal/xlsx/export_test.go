package xlsx

import (
	"archive/zip"
	"io"
	"testing"
)

// For the external tests (writers_test.go, readbench_test.go).

// CrossCheck is crossCheck: excelize and the streaming reader must agree.
func CrossCheck(t testing.TB, b []byte, tpls ...Template) { t.Helper(); crossCheck(t, b, tpls...) }

// ReadCellsUnchecked streams the first sheet's cells with the reader behind
// ReadRows but without Open's checks: the reader alone, for the benchmark.
func ReadCellsUnchecked(r io.ReaderAt, size int64, fn func(row int, cells []string)) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return err
	}
	wb, err := parse(zr, Limits{}.withDefaults())
	if err != nil {
		return err
	}
	sh, err := wb.Sheet("")
	if err != nil {
		return err
	}
	rows, err := sh.rows()
	if err != nil {
		return err
	}
	defer rows.close()
	for {
		ok, err := rows.next()
		if !ok || err != nil {
			return err
		}
		fn(rows.num, rows.cells)
	}
}
