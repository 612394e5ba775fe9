package api

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/pii"
)

// Issue 12: personal data leaves the server typed. Walking every answer of
// the route table as encoding/json sees it, a field that holds an ID number
// or a phone is pii.Masked (the mask, nothing else), and none holds a birth
// date or an age — except in the answer of the audited reveal, the one
// route that needs pii.reveal. A string there would be a read model that
// can carry plain text by mistake.
func TestAnswersHoldPersonalDataMasked(t *testing.T) {
	masked := reflect.TypeFor[pii.Masked]()
	maskedSeen, plainSeen := 0, 0
	for _, rt := range (&Server{}).routeTable() {
		if rt.Resp == nil {
			continue
		}
		reveal := rt.Perm == auth.PermPIIReveal
		seen := map[reflect.Type]bool{}
		var walk func(t reflect.Type, at string)
		walk = func(typ reflect.Type, at string) {
			for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map {
				typ = typ.Elem()
			}
			if typ.Kind() != reflect.Struct || typ == masked || seen[typ] {
				return
			}
			seen[typ] = true
			for _, f := range reflect.VisibleFields(typ) {
				name := strings.Split(f.Tag.Get("json"), ",")[0]
				if f.Anonymous || !f.IsExported() || name == "-" {
					continue
				}
				if name == "" {
					name = f.Name
				}
				switch name {
				case "id_number", "phone", "birth_date", "age":
					switch {
					case f.Type == masked:
						maskedSeen++
					case reveal:
						plainSeen++
					case name == "id_number" || name == "phone":
						t.Errorf("%s %s: %s.%s (%s) is %v, want pii.Masked", rt.Method, rt.Pattern, at, f.Name, name, f.Type)
					default:
						t.Errorf("%s %s: %s.%s: a %s outside the reveal", rt.Method, rt.Pattern, at, f.Name, name)
					}
				}
				walk(f.Type, at+"."+f.Name)
			}
		}
		walk(reflect.TypeOf(rt.Resp), reflect.TypeOf(rt.Resp).Name())
	}
	// The members' routes answer masked; the reveal, its three plain fields.
	if maskedSeen < 4 || plainSeen != 3 {
		t.Fatalf("%d masked and %d plain fields found: the walk missed the members", maskedSeen, plainSeen)
	}
}
