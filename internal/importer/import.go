package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// Kinds of import.
const (
	KindOrganizations = "organizations"
	KindMembers       = "members"
	KindPartyOrgs     = "party-orgs"
	KindRegions       = "regions"
)

// Phases reported to Progress.
const (
	PhaseValidating = "validating"
	PhaseImporting  = "importing"
)

// DefaultBatchSize is how many rows one transaction writes: large enough
// that commits cost little, small enough that a batch holds its locks
// briefly and a killed import loses little.
const DefaultBatchSize = 1000

// Progress is where an import has got: rows validated, then rows written,
// of Total. While validating, Total is the sheet's recorded size (0 when
// unknown); while importing, the number of rows to write.
type Progress struct {
	Phase       string
	Done, Total int
}

// Fraction is the progress of the whole import in 0..1: validation is the
// first half, writing the second.
func (p Progress) Fraction() float64 {
	f := 0.0
	if p.Total > 0 {
		f = min(float64(p.Done)/float64(p.Total), 1)
	}
	if p.Phase == PhaseImporting {
		return 0.5 + f/2
	}
	return f / 2
}

// Options control an import.
type Options struct {
	Kind         string
	SkipInvalid  bool // write the good rows of a file with bad ones
	JobID        int64
	BatchSize    int
	Limits       xlsx.Limits
	AcceptedUSCC map[string]bool
	// Progress, if set, is called as rows are validated and written (at
	// most every progressEvery rows and at the end of each phase).
	Progress func(Progress)
	// BeforeCommit, if set, runs inside each batch's transaction before it
	// commits, with the batch's number from 0; an error rolls that batch
	// back and fails the import (tests inject failures with it).
	BeforeCommit func(batch int) error
}

const progressEvery = 500

// Result is an import's outcome.
type Result struct {
	Status    string // importjobs.ImportDone, ImportRejected or ImportFailed
	Message   string // Chinese, for people
	Total     int    // data rows in the file
	Imported  int    // rows created or changed
	Created   int
	Updated   int
	Unchanged int // rows equal to what is stored
	Rejected  int // rows not imported because of errors
	// Errors lists every bad cell (and row), in row order.
	Errors []importjobs.ImportError

	tpl     xlsx.Template
	badRows []xlsx.SourceRow
	cellErr map[int][]xlsx.CellError
}

// HasErrorCopy reports whether WriteErrorCopy has rows to write.
func (r *Result) HasErrorCopy() bool { return len(r.badRows) > 0 }

// WriteErrorCopy writes the rejected rows as a workbook in the template's
// layout with an error column; corrected, it can be imported as is.
func (r *Result) WriteErrorCopy(w io.Writer) error {
	return xlsx.WriteErrorCopy(w, r.tpl, r.badRows, r.cellErr)
}

// Import validates the workbook at path in full, then (unless it has bad
// rows and SkipInvalid is off) writes its good rows in batches, upserting on
// the natural keys within the caller's scope. A file that cannot be read
// at all, or whose header does not match the template, is rejected without
// a row written. The returned error is an internal failure (the database);
// what is wrong with the file is in the Result.
func Import(ctx context.Context, s *stores.Set, c store.Caller, path string, opt Options) (*Result, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	k, err := kindOf(opt.Kind)
	if err != nil {
		return nil, err
	}
	// Codes the city accepts despite a failing check character (a setting
	// of the 两个覆盖 campaign) pass here as they pass a single registration.
	settings, err := s.Registry.CoverageSettings(ctx)
	if err != nil {
		return nil, err
	}
	accepted := settings.AcceptedSet()
	for code, ok := range opt.AcceptedUSCC {
		if ok {
			accepted[code] = true
		}
	}
	opt.AcceptedUSCC = accepted
	res := &Result{tpl: k.template, cellErr: map[int][]xlsx.CellError{}}
	wb, err := xlsx.OpenFile(path, opt.Limits)
	if err != nil {
		return res.fileProblem(err)
	}
	defer wb.Close()
	sh, err := wb.Sheet("")
	if err != nil {
		return res.fileProblem(err)
	}
	imp, err := k.newImport(ctx, s, c, opt)
	if err != nil {
		return nil, err
	}
	recs, err := validate(sh, k.template, imp, res, opt.Progress)
	if err != nil {
		return res.fileProblem(err)
	}
	if res.Total == 0 {
		res.Status, res.Message = importjobs.ImportRejected, "文件中没有数据行：请在表头下方逐行填写"
		return res, nil
	}
	if err := imp.checkKeys(ctx, recs, res); err != nil {
		return nil, err
	}
	res.sortErrors()
	good := res.goodRows(recs)
	if o, ok := imp.(orderer); ok {
		good = o.order(recs, good)
	}
	res.Rejected = res.Total - len(good)
	if res.Rejected > 0 && !opt.SkipInvalid {
		res.Status = importjobs.ImportRejected
		res.Message = fmt.Sprintf("发现 %d 处错误（%d 行），未导入任何数据；请按错误说明修改后重新导入，或勾选“跳过错误行，导入正确的行”", len(res.Errors), res.Rejected)
		return res, nil
	}
	err = write(ctx, imp, recs, good, res, opt)
	res.sortErrors() // rows refused while writing come last otherwise
	if err != nil {
		return res, err
	}
	res.finish(opt.SkipInvalid)
	return res, nil
}

// fileProblem turns an unreadable file or a wrong header into a rejection.
func (r *Result) fileProblem(err error) (*Result, error) {
	var xe *xlsx.Error
	if !errors.As(err, &xe) {
		return r, err
	}
	r.Status, r.Message = importjobs.ImportRejected, xe.Message
	r.Errors, r.badRows, r.cellErr = nil, nil, map[int][]xlsx.CellError{}
	return r, nil
}

func (r *Result) finish(skipped bool) {
	r.Status = importjobs.ImportDone
	r.Imported = r.Created + r.Updated
	r.Message = fmt.Sprintf("导入完成：新增 %d 行，修改 %d 行，未变化 %d 行", r.Created, r.Updated, r.Unchanged)
	if r.Rejected > 0 {
		r.Message += fmt.Sprintf("；%d 行有错误未导入", r.Rejected)
		if skipped {
			r.Message += "（已跳过）"
		}
	}
}

// validate reads every row, converting and checking it; it keeps the
// records (the good ones are written, the bad ones go to the error copy).
func validate(sh *xlsx.Sheet, tpl xlsx.Template, imp rowImporter, res *Result, progress func(Progress)) (*rows, error) {
	hint := sh.RowsHint()
	recs := &rows{}
	err := sh.ReadRows(tpl, func(_ int, rec xlsx.Record) error {
		res.Total++
		for _, ce := range imp.check(rec) {
			res.addError(rec, ce)
		}
		recs.add(rec)
		if progress != nil && res.Total%progressEvery == 0 {
			total := hint
			if total < res.Total {
				total = 0 // the hint was wrong: unknown
			}
			progress(Progress{Phase: PhaseValidating, Done: res.Total, Total: total})
		}
		return nil
	})
	if progress != nil && err == nil {
		progress(Progress{Phase: PhaseValidating, Done: res.Total, Total: res.Total})
	}
	return recs, err
}

// write imports the good records (their positions in recs) in batches.
func write(ctx context.Context, imp rowImporter, recs *rows, good []int, res *Result, opt Options) error {
	for start, batch := 0, 0; start < len(good); start, batch = start+opt.BatchSize, batch+1 {
		part := make([]xlsx.Record, 0, opt.BatchSize)
		for _, i := range good[start:min(start+opt.BatchSize, len(good))] {
			part = append(part, recs.at(i))
		}
		b := store.ImportBatch{JobID: opt.JobID, AcceptedUSCC: opt.AcceptedUSCC}
		if opt.BeforeCommit != nil {
			n := batch
			b.BeforeCommit = func() error { return opt.BeforeCommit(n) }
		}
		br, err := imp.write(ctx, b, part)
		if err != nil {
			return err
		}
		res.Created += br.Created
		res.Updated += br.Updated
		res.Unchanged += br.Unchanged
		res.rejectAtWrite(part, br.Rejected, imp.columnOf)
		if opt.Progress != nil {
			opt.Progress(Progress{Phase: PhaseImporting, Done: min(start+opt.BatchSize, len(good)), Total: len(good)})
		}
	}
	res.Imported = res.Created + res.Updated
	return nil
}

func (r *Result) addError(rec xlsx.Record, ce xlsx.CellError) {
	if len(r.cellErr[rec.Row]) == 0 {
		r.badRows = append(r.badRows, xlsx.SourceRow{Row: rec.Row, Values: rec.Values})
	}
	ce.Row = rec.Row
	if ce.Header == "" && ce.Column != "" {
		if i := r.tpl.Index(ce.Column); i >= 0 {
			ce.Header = r.tpl.Columns[i].Header
		}
	}
	r.cellErr[rec.Row] = append(r.cellErr[rec.Row], ce)
	r.Errors = append(r.Errors, importjobs.ImportError{Row: rec.Row, Column: rec.Letter(ce.Column), Header: ce.Header, Value: shownValue(ce.Column, ce.Value), Reason: ce.Reason})
}

// shownValue is a bad cell's value as the job keeps and shows it: ID numbers
// and phones masked, since the job's errors are stored in plain tables and
// shown to anyone whose scope holds the job (the error copy, which must hold
// the values to be corrected, is the submitter's; see the API); characters
// that cannot be seen marked.
func shownValue(column, v string) string {
	switch column {
	case "id_number":
		v = pii.MaskIDNumber(v)
	case "phone":
		v = pii.MaskPhone(v)
	}
	return marked(v)
}

// rejectAtWrite records the rows the store refused while writing.
func (r *Result) rejectAtWrite(part []xlsx.Record, rejected []store.ImportRowError, columnOf func(field string) string) {
	if len(rejected) == 0 {
		return
	}
	byRow := map[int]xlsx.Record{}
	for _, rec := range part {
		byRow[rec.Row] = rec
	}
	rows := map[int]bool{}
	for _, e := range rejected {
		rec := byRow[e.Row]
		key := columnOf(e.Field)
		r.addError(rec, xlsx.CellError{Column: key, Value: rec.Get(key), Reason: e.Message})
		rows[e.Row] = true
	}
	r.Rejected += len(rows)
}

// goodRows are the positions of the records without errors.
func (r *Result) goodRows(recs *rows) []int {
	var good []int
	for i, row := range recs.row {
		if len(r.cellErr[row]) == 0 {
			good = append(good, i)
		}
	}
	return good
}

// marked shows a cell's value with what cannot be seen, or would turn the
// error list around, written as [U+XXXX].
func marked(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || domain.IsBidiControl(r) || r == utf8.RuneError {
			fmt.Fprintf(&b, "[U+%04X]", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
