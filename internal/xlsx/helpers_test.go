package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var testTpl = Template{Columns: []Column{
	{Key: "name", Header: "组织名称", Required: true, Help: "营业执照上的全称"},
	{Key: "uscc", Header: "统一社会信用代码", Required: true, Width: 24, Help: "18 位"},
	{Key: "postcode", Header: "邮政编码", Help: "6 位数字，可以 0 开头"},
	{Key: "reg_date", Header: "成立日期", Type: Date},
	{Key: "employees", Header: "从业人员数", Type: Number},
	{Key: "status", Header: "登记状态", Options: []string{"存续", "在业", "停业", "迁出", "注销", "吊销", "经营异常"}},
}}

// bookBytes builds a workbook from rows of cell values with plain excelize
// (row 1 is whatever the caller puts there).
func bookBytes(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openBytes opens a test workbook; every one is first read through the
// excelize oracle too, which must see the same (oracle_test.go).
func openBytes(t testing.TB, b []byte, lim Limits) *Workbook {
	t.Helper()
	crossCheck(t, b, testTpl)
	wb, err := Open(bytes.NewReader(b), int64(len(b)), lim)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

type readResult struct {
	rows []int
	recs []Record
}

func readAll(t testing.TB, wb *Workbook, tpl Template) (readResult, error) {
	t.Helper()
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	var res readResult
	err = sh.ReadRows(tpl, func(n int, rec Record) error {
		res.rows = append(res.rows, n)
		res.recs = append(res.recs, rec)
		return nil
	})
	return res, err
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got nil", code)
	}
	if got := CodeOf(err); got != code {
		t.Fatalf("want code %s, got %q (%v)", code, got, err)
	}
}

// zeroDeflate returns a raw deflate stream of n MiB of zeros without ever
// holding them: one MiB is compressed once (ending in a sync flush, so it is
// byte aligned and refers only to itself) and the chunk is repeated.
func zeroDeflate(t testing.TB, mib int) []byte {
	t.Helper()
	var chunk bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	fw.Write(make([]byte, 1<<20))
	fw.Flush()
	var out bytes.Buffer
	for i := 0; i < mib; i++ {
		out.Write(chunk.Bytes())
	}
	out.Write([]byte{0x01, 0x00, 0x00, 0xff, 0xff}) // final empty stored block
	return out.Bytes()
}

func zeroCRC(mib int) uint32 {
	z := make([]byte, 1<<20)
	var c uint32
	for i := 0; i < mib; i++ {
		c = crc32.Update(c, crc32.IEEETable, z)
	}
	return c
}

type rawEntry struct {
	name         string
	data         []byte // stored as is (Store) unless deflated is set
	deflated     []byte
	declaredSize uint64 // for deflated entries
	crc          uint32
}

// craftZip writes entries with CreateRaw, so the declared sizes are whatever
// the test says.
func craftZip(t testing.TB, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Modified: time.Now()}
		var body []byte
		if e.deflated != nil {
			h.Method = zip.Deflate
			h.CompressedSize64 = uint64(len(e.deflated))
			h.UncompressedSize64 = e.declaredSize
			h.CRC32 = e.crc
			body = e.deflated
		} else {
			h.Method = zip.Store
			h.CompressedSize64 = uint64(len(e.data))
			h.UncompressedSize64 = uint64(len(e.data))
			h.CRC32 = crc32.ChecksumIEEE(e.data)
			body = e.data
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var minimalParts = []rawEntry{
	{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)},
	{name: "xl/workbook.xml", data: []byte(`<?xml version="1.0"?><workbook/>`)},
}

func mustZip(t testing.TB, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}
