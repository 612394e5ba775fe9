package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
)

// Limits bound what Open and ReadRows accept. Zero fields take the defaults.
type Limits struct {
	MaxFileBytes         int64 // size of the .xlsx file itself; default 50 MiB
	MaxUncompressedBytes int64 // total decompressed size of all zip entries; default 500 MiB
	MaxRows              int   // data rows (header excluded); default 1,000,000
}

// Defaults.
const (
	DefaultMaxFileBytes         = 50 << 20
	DefaultMaxUncompressedBytes = 500 << 20
	DefaultMaxRows              = 1_000_000

	// An entry is a bomb when it both declares more than bombMinBytes and
	// more than bombRatio times its compressed size.
	bombRatio    = 200
	bombMinBytes = 10 << 20
	// A workbook has dozens of parts; more than this is hostile.
	maxEntries = 10_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	if l.MaxUncompressedBytes <= 0 {
		l.MaxUncompressedBytes = DefaultMaxUncompressedBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	return l
}

var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Workbook is an opened, checked workbook. Open reads the workbook's list of
// sheets, its styles and its shared strings; the rows are read from r when a
// sheet is read, so r must stay readable until the Workbook is closed.
type Workbook struct {
	parts    parts
	book     *book
	sst      []string
	lim      Limits
	closer   io.Closer // the file OpenFile opened
	date1904 bool      // serials count from 1904 (old Mac workbooks)
}

// OpenFile opens the workbook at path with Open; Close closes the file.
func OpenFile(path string, lim Limits) (*Workbook, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	wb, err := Open(fh, st.Size(), lim)
	if err != nil {
		fh.Close()
		return nil, err
	}
	wb.closer = fh
	return wb, nil
}

// Open checks an untrusted workbook and opens it. In order, it rejects: a file
// over MaxFileBytes (too_large); a CFB container, i.e. an encrypted .xlsx or an
// old .xls (encrypted); anything else that is not a zip, or a zip without the
// parts of a workbook (not_xlsx); a damaged zip (corrupt); a zip whose entries
// declare more than MaxUncompressedBytes in total, or an entry over 10 MiB
// compressed more than 200:1 (zip_bomb). Then it decompresses every entry
// once into nothing, counting the bytes actually produced, and stops as soon
// as an entry exceeds its declared size or the total exceeds the limit
// (zip_bomb) — declared sizes cannot lie. Only then is the workbook parsed:
// its relationships, sheet list, styles and shared strings here, a sheet's
// rows as they are read (sheetrows.go).
func Open(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	lim = lim.withDefaults()
	if size > lim.MaxFileBytes {
		return nil, newErr(CodeTooLarge, fmt.Sprintf("文件过大（%s），上限为 %s", humanBytes(size), humanBytes(lim.MaxFileBytes)), nil)
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if bytes.Equal(head, cfbMagic) {
		return nil, newErr(CodeEncrypted, "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx", nil)
	}
	if !bytes.HasPrefix(head, zipMagic) {
		return nil, newErr(CodeNotXLSX, "不是 Excel 工作簿（.xlsx）文件", nil)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, newErr(CodeCorrupt, "文件已损坏，无法读取（zip 结构错误）", err)
	}
	if err := checkDeclared(zr, lim); err != nil {
		return nil, err
	}
	if err := checkParts(zr); err != nil {
		return nil, err
	}
	if err := checkActual(zr, lim); err != nil {
		return nil, err
	}
	return parse(zr, lim)
}

// parse reads what a Workbook needs up front from a checked zip.
func parse(zr *zip.Reader, lim Limits) (*Workbook, error) {
	p := newParts(zr)
	b, err := readBook(p)
	if err != nil {
		return nil, newErr(CodeCorrupt, "文件已损坏，无法作为 Excel 工作簿读取", err)
	}
	wb := &Workbook{parts: p, book: b, lim: lim, date1904: b.date1904}
	if b.strings != "" {
		if wb.sst, err = readSharedStrings(p, b.strings); err != nil {
			return nil, newErr(CodeCorrupt, "文件已损坏，无法读取其中的文本（共享字符串）", err)
		}
	}
	return wb, nil
}

func checkDeclared(zr *zip.Reader, lim Limits) error {
	if len(zr.File) > maxEntries {
		return newErr(CodeZipBomb, fmt.Sprintf("文件包含的部件过多（%d 个），疑似恶意构造的压缩包", len(zr.File)), nil)
	}
	var total uint64
	for _, zf := range zr.File {
		if zf.Flags&0x1 != 0 {
			return newErr(CodeEncrypted, "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx", nil)
		}
		u := zf.UncompressedSize64
		total += u
		if total > uint64(lim.MaxUncompressedBytes) || total < u {
			return newErr(CodeZipBomb, fmt.Sprintf("文件解压后超过 %s 的上限，疑似压缩炸弹", humanBytes(lim.MaxUncompressedBytes)), nil)
		}
		if u > bombMinBytes && u/bombRatio > zf.CompressedSize64 {
			return newErr(CodeZipBomb, fmt.Sprintf("文件中的部件「%s」压缩比异常（解压后 %s），疑似压缩炸弹", zf.Name, humanBytes(int64(u))), nil)
		}
	}
	return nil
}

// checkParts makes sure the zip is a workbook before anything is decompressed.
func checkParts(zr *zip.Reader) error {
	var types, book bool
	for _, zf := range zr.File {
		switch strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/")) {
		case "[content_types].xml":
			types = true
		case "xl/workbook.xml":
			book = true
		}
	}
	if !types || !book {
		return newErr(CodeNotXLSX, "不是 Excel 工作簿（.xlsx）文件：压缩包中没有工作簿内容", nil)
	}
	return nil
}

// checkActual decompresses every entry into nothing through a counting
// reader, so that neither the declared sizes nor the CRCs can lie.
func checkActual(zr *zip.Reader, lim Limits) error {
	buf := make([]byte, 64<<10)
	var total int64
	for _, zf := range zr.File {
		if zf.Mode().IsDir() && zf.UncompressedSize64 == 0 {
			continue
		}
		if err := checkEntry(zf, buf, &total, lim.MaxUncompressedBytes); err != nil {
			return err
		}
	}
	return nil
}

func checkEntry(zf *zip.File, buf []byte, total *int64, limit int64) error {
	raw, err := zf.OpenRaw()
	if err != nil {
		return newErr(CodeCorrupt, "文件已损坏，无法读取（zip 部件错误）", err)
	}
	var rd io.Reader
	switch zf.Method {
	case zip.Store:
		rd = raw
	case zip.Deflate:
		fr := flate.NewReader(raw)
		defer fr.Close()
		rd = fr
	default:
		return newErr(CodeCorrupt, fmt.Sprintf("文件使用了不支持的压缩方式（%d）", zf.Method), nil)
	}
	declared := zf.UncompressedSize64
	var got uint64
	crc := crc32.NewIEEE()
	for {
		n, err := rd.Read(buf)
		if n > 0 {
			got += uint64(n)
			*total += int64(n)
			if got > declared {
				return newErr(CodeZipBomb, fmt.Sprintf("文件中的部件「%s」解压后的实际大小超过其声明的大小，疑似恶意构造的压缩包", zf.Name), nil)
			}
			if *total > limit {
				return newErr(CodeZipBomb, fmt.Sprintf("文件解压后超过 %s 的上限，疑似压缩炸弹", humanBytes(limit)), nil)
			}
			crc.Write(buf[:n])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return newErr(CodeCorrupt, "文件已损坏，无法解压", err)
		}
	}
	if got != declared {
		return newErr(CodeCorrupt, fmt.Sprintf("文件已损坏：部件「%s」的大小与声明不符", zf.Name), nil)
	}
	if zf.CRC32 != 0 && crc.Sum32() != zf.CRC32 {
		return newErr(CodeCorrupt, fmt.Sprintf("文件已损坏：部件「%s」校验失败", zf.Name), nil)
	}
	return nil
}

// Close closes the file OpenFile opened; a Workbook from Open holds nothing
// else.
func (w *Workbook) Close() error {
	if w.closer == nil {
		return nil
	}
	c := w.closer
	w.closer = nil
	return c.Close()
}

// SheetNames lists the sheets in workbook order.
func (w *Workbook) SheetNames() []string {
	names := make([]string, len(w.book.sheets))
	for i, s := range w.book.sheets {
		names[i] = s.name
	}
	return names
}

// Sheet returns the named sheet, or with name "" the first sheet (in
// workbook order, hidden ones included) that is not the help sheet of a
// template.
func (w *Workbook) Sheet(name string) (*Sheet, error) {
	if name == "" {
		for _, s := range w.book.sheets {
			if s.name != HelpSheetName {
				return &Sheet{wb: w, ref: s}, nil
			}
		}
		return nil, newErr(CodeNoSheet, "工作簿中没有工作表", nil)
	}
	for _, s := range w.book.sheets {
		if s.name == name {
			return &Sheet{wb: w, ref: s}, nil
		}
	}
	return nil, newErr(CodeNoSheet, fmt.Sprintf("工作簿中没有名为「%s」的工作表", name), nil)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20:
		if n%(1<<20) == 0 {
			return fmt.Sprintf("%d MB", n>>20)
		}
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}
