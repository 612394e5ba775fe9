package api

import (
	"net/http"
	"reflect"
	"regexp"
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
	g := &schemaGen{defs: map[string]any{}}
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

type schemaGen struct {
	defs map[string]any
}

var timeType = reflect.TypeOf(time.Time{})

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
		if name != "" {
			if _, ok := g.defs[name]; !ok {
				g.defs[name] = map[string]any{} // placeholder against recursion
				g.defs[name] = g.object(t)
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return g.object(t)
	}
	return map[string]any{}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	g.fields(t, props)
	return map[string]any{"type": "object", "properties": props}
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			g.fields(ft, props)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
	}
}
