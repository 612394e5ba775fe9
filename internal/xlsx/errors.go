// Package xlsx reads and writes the Excel workbooks of lianxin's imports and
// exports. It is pure: readers and writers over io.ReaderAt / io.Writer, no
// database and no HTTP.
//
// Untrusted uploads go through Open, which checks the size, the format and the
// zip container (declared and actual decompressed sizes, compression ratios)
// before any XML is parsed; only then are the rows streamed, by the package's
// own reader of the sheet XML (scan.go, sheetrows.go), which gives the cells
// excelize's row iterator gave at several times its speed. Writing still goes
// through excelize.
package xlsx

import (
	"errors"
	"strings"
)

// Error codes of *Error. The API maps them to 400 responses; the Chinese
// message is meant for the user as is.
const (
	CodeTooLarge    = "too_large"     // file over Limits.MaxFileBytes
	CodeNotXLSX     = "not_xlsx"      // not a zip, or a zip that is not a workbook
	CodeEncrypted   = "encrypted"     // CFB container: encrypted .xlsx or old .xls
	CodeZipBomb     = "zip_bomb"      // decompresses beyond the limits, or sizes lie
	CodeCorrupt     = "corrupt"       // damaged zip or workbook
	CodeNoSheet     = "no_sheet"      // the named sheet does not exist
	CodeBadHeader   = "bad_header"    // header row does not match the template
	CodeTooManyRows = "too_many_rows" // more data rows than Limits.MaxRows
)

// Error is a whole-file problem: the file cannot be read at all, or its header
// row does not match the template. Message is one Chinese sentence.
type Error struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Missing []string `json:"missing,omitempty"`  // bad_header: required headers not found
	Unknown []string `json:"unknown,omitempty"`  // bad_header: headers not in the template
	Repeat  []string `json:"repeated,omitempty"` // bad_header: headers present twice
	Err     error    `json:"-"`                  // underlying cause, if any
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Code: c}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == ""
}

// CodeOf returns the code of an *Error in err's chain, or "".
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func newErr(code, msg string, cause error) *Error {
	return &Error{Code: code, Message: msg, Err: cause}
}

// CellError is one problem with one cell (or, with Column empty, with a whole
// row, e.g. a duplicate). It is what imports report, as JSON and in the error
// column of the copy written by WriteErrorCopy.
type CellError struct {
	Row    int    `json:"row"`              // the sheet's 1-based row number
	Column string `json:"column,omitempty"` // template column key
	Header string `json:"header,omitempty"` // the column's Chinese header
	Value  string `json:"value"`            // the value as read (trimmed)
	Reason string `json:"reason"`           // Chinese
}

// String is the cell error as shown in the error column: "header：reason".
func (c CellError) String() string {
	if c.Header == "" {
		return c.Reason
	}
	return c.Header + "：" + c.Reason
}

func quoteList(xs []string) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString("「")
		b.WriteString(x)
		b.WriteString("」")
	}
	return b.String()
}
