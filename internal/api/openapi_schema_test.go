package api

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// The schema generator's rules, on small types: what encoding/json writes
// is what the schema says.

type schemaInner struct {
	Shared string `json:"shared"`
	Deep   string `json:"deep"`
}

type schemaSpan struct {
	From domain.Date `json:"from"`
}

type schemaAnswer struct {
	schemaInner
	*schemaSpan
	ID       int64             `json:"id"`
	Shared   int               `json:"shared"` // hides the embedded one
	Parent   *int64            `json:"parent"`
	Tags     []string          `json:"tags"`
	Extra    map[string]string `json:"extra,omitempty"`
	On       domain.Date       `json:"on"`
	Revealed domain.Date       `json:"revealed,omitempty"`
	At       time.Time         `json:"at"`
	Maybe    *schemaInner      `json:"maybe"`
	Hidden   string            `json:"-"`
}

func TestSchemaTellsWhatJSONWrites(t *testing.T) {
	g := newSchemaGen()
	g.answer(reflect.TypeOf(schemaAnswer{}))
	g.schema(reflect.TypeOf(schemaAnswer{}))
	s := g.defs["schemaAnswer"].(map[string]any)
	props := s["properties"].(map[string]any)
	var names []string
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	if got := strings.Join(names, " "); got != "at deep extra from id maybe on parent revealed shared tags" {
		t.Fatalf("properties %s", got)
	}
	// the shallower field wins, as in encoding/json
	if props["shared"].(map[string]any)["type"] != "integer" {
		t.Errorf("shared: %v", props["shared"])
	}
	// behind a nil embedded pointer a field is left out; omitempty ones may be
	if got := strings.Join(s["required"].([]string), " "); got != "deep id shared parent tags on at maybe" {
		t.Errorf("required %s", got)
	}
	nullable := func(name string) bool { return props[name].(map[string]any)["nullable"] == true }
	for name, want := range map[string]bool{"parent": true, "tags": true, "extra": false, "on": true, "revealed": false, "at": false, "maybe": true, "id": false, "from": true} {
		if nullable(name) != want {
			t.Errorf("%s nullable = %v, want %v: %v", name, !want, want, props[name])
		}
	}
	// a nullable reference is wrapped: a $ref takes no siblings in OpenAPI 3.0
	if m := props["maybe"].(map[string]any); m["allOf"] == nil {
		t.Errorf("maybe: %v", m)
	}
}

// A request body requires nothing: the decoder takes a missing field as
// its zero value.
func TestSchemaOfABodyRequiresNothing(t *testing.T) {
	g := newSchemaGen()
	g.schema(reflect.TypeOf(schemaInner{}))
	if r, ok := g.defs["schemaInner"].(map[string]any)["required"]; ok {
		t.Fatalf("a body's schema requires %v", r)
	}
}

// Schema names leave out the package so that moving a type does not change
// the contract; two types of one name would then be one schema, which is
// refused.
type Zone struct {
	Other bool `json:"other"`
}

func TestSchemaRefusesTwoTypesOfOneName(t *testing.T) {
	g := newSchemaGen()
	g.schema(reflect.TypeOf(domain.Zone{}))
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "two Go types are named Zone") {
			t.Fatalf("recovered %v", r)
		}
	}()
	g.schema(reflect.TypeOf(Zone{}))
}

// The served document itself passes the refusal: it is built on every
// test run.
func TestOpenAPISchemaNamesAreUnique(t *testing.T) {
	doc := (&Server{}).OpenAPI()
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	if len(schemas) < 100 {
		t.Fatalf("%d schemas", len(schemas))
	}
}
