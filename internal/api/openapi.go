package api

import (
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The OpenAPI document is generated from the route table and the Go types of
// bodies and answers, so it cannot drift from the code.

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.OpenAPI())
}

// OpenAPI builds the OpenAPI 3 document.
func (s *Server) OpenAPI() map[string]any {
	s.init()
	g := newSchemaGen()
	for _, rt := range s.routes {
		if rt.Resp != nil {
			g.answer(reflect.TypeOf(rt.Resp))
		}
	}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{"summary": rt.Summary, "operationId": strings.ToLower(rt.Method) + strings.ReplaceAll(strings.ReplaceAll(rt.Pattern, "/", "_"), "{id}", "id")}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
			typ := "integer"
			if m[1] != "id" {
				typ = "string"
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": typ}})
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Desc, "schema": map[string]any{"type": q.Type}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Body != nil {
			mime := "application/json"
			if rt.Form {
				mime = "multipart/form-data"
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{mime: map[string]any{"schema": g.schema(reflect.TypeOf(rt.Body))}}}
		}
		responses := map[string]any{}
		okStatus := "200"
		if rt.Method == "POST" && rt.Resp != nil && !strings.Contains(rt.Pattern, "{id}/") && !rt.Public {
			okStatus = "201"
		}
		if rt.Status != 0 {
			okStatus = strconv.Itoa(rt.Status)
		}
		switch {
		case rt.File:
			responses[okStatus] = map[string]any{"description": "XLSX 工作簿", "content": map[string]any{xlsxType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
		case rt.Resp == nil:
			responses["204"] = map[string]any{"description": "成功"}
		case rt.List:
			item := g.schema(reflect.TypeOf(rt.Resp))
			responses[okStatus] = jsonResponse(map[string]any{"type": "object", "properties": map[string]any{
				"items": map[string]any{"type": "array", "items": item}, "total": map[string]any{"type": "integer"},
				"page": map[string]any{"type": "integer"}, "page_size": map[string]any{"type": "integer"}}})
		default:
			responses[okStatus] = jsonResponse(g.schema(reflect.TypeOf(rt.Resp)))
		}
		errRef := map[string]any{"$ref": "#/components/schemas/Error"}
		responses["400"] = jsonResponse(errRef)
		if !rt.Public {
			responses["401"] = jsonResponse(errRef)
			responses["403"] = jsonResponse(errRef)
		} else {
			responses["401"] = jsonResponse(errRef)
			responses["423"] = jsonResponse(errRef)
			if rt.Method == "POST" && strings.HasPrefix(rt.Pattern, "/api/v1/session") {
				// flood control of the password routes (Retry-After)
				responses["429"] = jsonResponse(errRef)
				responses["503"] = jsonResponse(errRef)
			}
		}
		if strings.Contains(rt.Pattern, "{") {
			responses["404"] = jsonResponse(errRef)
		}
		op["responses"] = responses
		if rt.Public {
			op["security"] = []any{}
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = op
	}
	paths["/healthz"] = map[string]any{"get": map[string]any{"summary": "健康检查", "security": []any{}, "responses": map[string]any{"200": map[string]any{"description": "正常"}}}}
	g.defs["Error"] = map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
		"code":    map[string]any{"type": "string", "enum": []string{"invalid", "too_large", "unauthenticated", "locked", "too_many_requests", "busy", "forbidden", "not_found", "conflict", "internal"}},
		"message": map[string]any{"type": "string"}, "fields": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
		"locked_until": map[string]any{"type": "string", "format": "date-time"},
		"retry_after":  map[string]any{"type": "integer", "description": "秒；与 Retry-After 头相同"}}}}}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "lianxin 两新党建工作平台 API", "version": s.Version},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": cookieName}},
		},
		"security": []any{map[string]any{"session": []any{}}},
	}
}

func jsonResponse(schema any) map[string]any {
	return map[string]any{"description": "成功", "content": map[string]any{"application/json": map[string]any{"schema": schema}}}
}

// schemaGen turns Go types into schemas. A schema says what the encoder
// really writes: a field without omitempty is always there (required, in
// answers), and a nil pointer, slice or map is written as null (nullable).
// Schemas are named after the Go type alone, not its package, so that moving
// a type between packages does not change the contract; two types of one
// name are refused.
type schemaGen struct {
	defs map[string]any
	// named holds the Go type behind each schema name.
	named map[string]reflect.Type
	// answers are the struct types reached from an answer: their always
	// written fields are required. Request bodies require nothing: the
	// decoder takes a missing field as its zero value.
	answers map[reflect.Type]bool
}

func newSchemaGen() *schemaGen {
	return &schemaGen{defs: map[string]any{}, named: map[string]reflect.Type{}, answers: map[reflect.Type]bool{}}
}

var timeType = reflect.TypeOf(time.Time{})

// alternatives are answers that are one of several shapes; the Go type
// named in the route table documents their union.
var alternatives = map[reflect.Type][]any{
	// the user, or only the request for the second factor
	reflect.TypeOf(LoginAnswer{}): {Me{}, pendingLogin{}},
}

// answer marks t and every struct type in it as part of an answer.
func (g *schemaGen) answer(t reflect.Type) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if alts, ok := alternatives[t]; ok {
		for _, a := range alts {
			g.answer(reflect.TypeOf(a))
		}
		return
	}
	if t.Kind() != reflect.Struct || t == timeType || g.answers[t] {
		return
	}
	g.answers[t] = true
	g.answerFields(t)
}

// answerFields marks the types of t's fields; an embedded struct's fields
// are t's own (its schema, if any, is not part of the answer).
func (g *schemaGen) answerFields(t reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && ft.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			g.answerFields(ft)
			continue
		}
		g.answer(f.Type)
	}
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	// encoding/json writes a struct that marshals itself as text as a string
	// (pii.Masked).
	if t.Kind() == reflect.Struct && t.Implements(reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		if t.Name() == "Date" {
			return map[string]any{"type": "string", "format": "date", "nullable": true}
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint8, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return g.object(t)
		}
		if other, ok := g.named[name]; ok && other != t {
			panic("openapi: two Go types are named " + name + " (" + other.String() + ", " + t.String() + "): schema names leave out the package, rename one")
		}
		if _, ok := g.defs[name]; !ok {
			g.named[name] = t
			g.defs[name] = map[string]any{} // placeholder against recursion
			if alts, ok := alternatives[t]; ok {
				var one []any
				for _, a := range alts {
					one = append(one, g.schema(reflect.TypeOf(a)))
				}
				g.defs[name] = map[string]any{"oneOf": one}
			} else {
				g.defs[name] = g.object(t)
			}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range visibleFields(t, g.answers[t]) {
		s := g.schema(f.typ)
		if nullable(f.typ, f.omitted) && !neverNil[t.Name()+"."+f.name] {
			s = withNull(s)
		} else if f.omitted && s["nullable"] == true {
			// an omitted empty Date is left out, never null
			s = maps.Clone(s)
			delete(s, "nullable")
		}
		props[f.name] = s
		if f.always {
			required = append(required, f.name)
		}
	}
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// jsonField is a field as encoding/json writes it.
type jsonField struct {
	name    string
	typ     reflect.Type
	omitted bool // omitempty or omitzero: left out when empty
	always  bool // written in every answer
	depth   int  // embedding depth
	tagged  bool
}

// visibleFields are the fields encoding/json writes for t, those of embedded
// structs included and resolved as it does: of fields with one name the
// shallowest wins, then the tagged one; a tie hides them all. Fields behind
// an embedded pointer are not always written (a nil one leaves them out).
func visibleFields(t reflect.Type, answer bool) []jsonField {
	var all []jsonField
	var walk func(t reflect.Type, depth int, always bool)
	walk = func(t reflect.Type, depth int, always bool) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")
			if tag[0] == "-" && len(tag) == 1 {
				continue
			}
			ft := f.Type
			if f.Anonymous && tag[0] == "" {
				nilable := ft.Kind() == reflect.Pointer
				if nilable {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, depth+1, always && !nilable)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			jf := jsonField{name: tag[0], typ: f.Type, depth: depth, tagged: tag[0] != ""}
			if jf.name == "" {
				jf.name = f.Name
			}
			jf.omitted = slices.Contains(tag[1:], "omitempty") || slices.Contains(tag[1:], "omitzero")
			jf.always = always && !jf.omitted
			all = append(all, jf)
		}
	}
	walk(t, 0, answer)
	var out []jsonField
	for _, f := range all {
		won, tie := true, 0
		for _, o := range all {
			if o.name != f.name {
				continue
			}
			if o.depth < f.depth || (o.depth == f.depth && o.tagged && !f.tagged) {
				won = false
			}
			if o.depth == f.depth && o.tagged == f.tagged {
				tie++ // f itself, and any equal rival
			}
		}
		if won && tie == 1 {
			out = append(out, f)
		}
	}
	return out
}

// neverNil are the slices and maps of answers that are never nil, by
// schema and JSON name: the code behind them starts from an empty one (or
// serves a fixed list). TestOpenAPIDescribesAnswers checks the claim against
// real answers.
var neverNil = map[string]bool{
	"Meta.party_org_types": true, "Meta.roles": true, "Meta.zone_kinds": true, "Meta.audit_actions": true,
	"Meta.registry": true, "Meta.activity_types": true,
	"ImportJob.errors":          true,
	"UserView.roles":            true,
	"ActivityAttendance.roster": true, "ActivityAttendance.guests": true,
	"CoverageTrend.points":   true,
	"MyAttendanceYear.items": true,
	"AlertStats.trend":       true,
	"nearbyAnswer.items":     true, "myActivities.items": true,
	"FlagCounts.rows": true, "FlagCountRow.marks": true, "IndustryChainView.masters": true,
	"CalendarDay.items": true, "Todo.groups": true, "Group.items": true,
}

// nullable reports whether a field of type t can be written as null: a nil
// pointer, slice or map, unless omitempty leaves it out instead. (An unset
// domain.Date is null too; its schema says so.)
func nullable(t reflect.Type, omitted bool) bool {
	if omitted {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return true
	}
	return false
}

// withNull allows null besides s. A reference cannot carry siblings in
// OpenAPI 3.0, so it is wrapped in allOf.
func withNull(s map[string]any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{s}, "nullable": true}
	}
	s = maps.Clone(s)
	s["nullable"] = true
	return s
}
