package importer

import (
	"sort"
	"strings"

	"github.com/lianxin/lianxin/internal/xlsx"
)

// rows holds a file's records between validation and writing, each packed
// into one string: a slice of two dozen strings costs about 1 KB a row in
// Go's heap, one string about a quarter of that, which is what lets a city's
// file be validated whole before anything is written.
type rows struct {
	proto  xlsx.Record // a record of the file: its header map, no values
	row    []int       // sheet row numbers, increasing
	packed []string    // the values joined by sep
}

// sep cannot occur in a cell: XML 1.0 has no NUL character.
const sep = "\x00"

func (r *rows) add(rec xlsx.Record) {
	if len(r.row) == 0 {
		r.proto = rec
		r.proto.Values, r.proto.Errors = nil, nil
	}
	r.row = append(r.row, rec.Row)
	r.packed = append(r.packed, strings.Join(rec.Values, sep))
}

// at unpacks the i-th record.
func (r *rows) at(i int) xlsx.Record {
	rec := r.proto
	rec.Row, rec.Values = r.row[i], strings.Split(r.packed[i], sep)
	return rec
}

// get unpacks the record of a sheet row (which must have been added).
func (r *rows) get(row int) xlsx.Record {
	return r.at(sort.SearchInts(r.row, row))
}

func (r *rows) each(fn func(xlsx.Record)) {
	for i := range r.row {
		fn(r.at(i))
	}
}
