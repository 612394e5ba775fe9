package xlsx

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestOpenRejects(t *testing.T) {
	good := bookBytes(t, [][]any{{"组织名称", "统一社会信用代码"}, {"甲", "1"}})
	cfb := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...)
	cases := []struct {
		name string
		data []byte
		size int64 // 0: len(data)
		lim  Limits
		code string
		msg  string
	}{
		{name: "text file", data: []byte("组织名称,统一社会信用代码\n甲,1\n"), code: CodeNotXLSX},
		{name: "empty file", data: nil, code: CodeNotXLSX},
		{name: "cfb", data: cfb, code: CodeEncrypted, msg: "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx"},
		{name: "zip without workbook", data: craftZip(t, []rawEntry{{name: "hello.txt", data: []byte("hi")}}), code: CodeNotXLSX},
		{name: "truncated zip", data: good[:len(good)/2], code: CodeCorrupt},
		{name: "over the file limit", data: good, lim: Limits{MaxFileBytes: 1000}, code: CodeTooLarge},
		{name: "declared over the default 50 MiB", data: good, size: 50<<20 + 1, code: CodeTooLarge, msg: "上限为 50 MB"},
		{name: "declared total over limit", data: good, lim: Limits{MaxUncompressedBytes: 2000}, code: CodeZipBomb},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			size := c.size
			if size == 0 {
				size = int64(len(c.data))
			}
			wb, err := Open(bytes.NewReader(c.data), size, c.lim)
			if wb != nil {
				wb.Close()
			}
			wantCode(t, err, c.code)
			if c.msg != "" && !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("message %q lacks %q", err, c.msg)
			}
		})
	}
	if _, err := Open(bytes.NewReader(good), int64(len(good)), Limits{}); err != nil {
		t.Fatal(err)
	}
}

// A 600 MiB entry of zeros in a ~600 KiB zip: rejected from the central
// directory, before anything is decompressed.
func TestZipBomb(t *testing.T) {
	const mib = 600
	bomb := rawEntry{name: "xl/worksheets/sheet1.xml", deflated: zeroDeflate(t, mib), declaredSize: mib << 20, crc: zeroCRC(mib)}
	data := craftZip(t, append(append([]rawEntry{}, minimalParts...), bomb))
	if len(data) > 2<<20 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	start := time.Now()
	_, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
	wantCode(t, err, CodeZipBomb)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
	if !strings.Contains(err.Error(), "500 MB") {
		t.Fatal(err)
	}

	// Under the total, but 100 MiB at ~1000:1: rejected by the ratio check.
	bomb = rawEntry{name: "xl/worksheets/sheet1.xml", deflated: zeroDeflate(t, 100), declaredSize: 100 << 20, crc: zeroCRC(100)}
	data = craftZip(t, append(append([]rawEntry{}, minimalParts...), bomb))
	start = time.Now()
	_, err = Open(bytes.NewReader(data), int64(len(data)), Limits{})
	wantCode(t, err, CodeZipBomb)
	if !strings.Contains(err.Error(), "压缩比异常") || time.Since(start) > time.Second {
		t.Fatal(err, time.Since(start))
	}
}

// An entry that declares 4 KiB but inflates to 50 MiB passes every check on
// the declared sizes; the counting reader stops it just past 4 KiB.
func TestLyingSizes(t *testing.T) {
	liar := rawEntry{name: "xl/worksheets/sheet1.xml", deflated: zeroDeflate(t, 50), declaredSize: 4096, crc: 0x12345678}
	data := craftZip(t, append(append([]rawEntry{}, minimalParts...), liar))
	start := time.Now()
	_, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
	wantCode(t, err, CodeZipBomb)
	if !strings.Contains(err.Error(), "超过其声明的大小") {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("took %v: decompressed too much", d)
	}

	// The total budget holds on its own too: honest entries, small limit.
	honest := rawEntry{name: "xl/worksheets/sheet1.xml", deflated: zeroDeflate(t, 5), declaredSize: 5 << 20, crc: zeroCRC(5)}
	data = craftZip(t, append(append([]rawEntry{}, minimalParts...), honest))
	var total int64
	zf := mustZip(t, data)
	err = checkEntry(zf.File[2], make([]byte, 64<<10), &total, 1<<20)
	wantCode(t, err, CodeZipBomb)
	if total > 1<<20+64<<10 {
		t.Fatalf("read %d bytes past a 1 MiB budget", total)
	}

	// A wrong CRC with honest sizes is corruption.
	bad := honest
	bad.crc++
	data = craftZip(t, append(append([]rawEntry{}, minimalParts...), bad))
	_, err = Open(bytes.NewReader(data), int64(len(data)), Limits{})
	wantCode(t, err, CodeCorrupt)
}
