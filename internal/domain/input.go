package domain

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// CheckInput applies the limits that hold for every field of a decoded
// request, whatever its own rules, by walking v (a pointer to a struct, as
// decoded from JSON): every text meets TextProblem (single-line unless the
// field is tagged `text:"multiline"`), every int fits the 32-bit columns,
// every time falls in MinYear–MaxYear. Fields are named by their JSON names
// as the client sent them ("committee[1].name", "params.max_days"); the
// first problem of each field is reported.
func CheckInput(v any) error {
	ve := &ValidationError{}
	walkInput(ve, reflect.ValueOf(v), "", false)
	return ve.Err()
}

var timeType = reflect.TypeOf(time.Time{})

func walkInput(ve *ValidationError, v reflect.Value, name string, multiline bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if msg := TextProblem(v.String(), multiline); msg != "" {
			ve.Add(name, fieldSentence(name, msg))
		}
	case reflect.Int, reflect.Int32, reflect.Int16, reflect.Int8:
		if n := v.Int(); n < MinInt32 || n > MaxInt32 {
			ve.Add(name, fieldSentence(name, fmt.Sprintf("超出允许的范围（%d至%d）", MinInt32, MaxInt32)))
		}
	case reflect.Uint, reflect.Uint32, reflect.Uint64:
		if v.Uint() > MaxInt32 {
			ve.Add(name, fieldSentence(name, fmt.Sprintf("超出允许的范围（0至%d）", MaxInt32)))
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw bytes are not text
		}
		for i := 0; i < v.Len(); i++ {
			walkInput(ve, v.Index(i), fmt.Sprintf("%s[%d]", name, i), multiline)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := fmt.Sprint(iter.Key().Interface())
			if msg := TextProblem(key, false); msg != "" {
				ve.Add(name, fieldSentence(name, "的键 "+strconv.QuoteToASCII(key)+" "+msg))
				continue
			}
			walkInput(ve, iter.Value(), join(name, key), multiline)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if t := v.Interface().(time.Time); !t.IsZero() && !YearInRange(t.Year()) {
				ve.Add(name, fieldSentence(name, fmt.Sprintf("应在%d年至%d年之间", MinYear, MaxYear)))
			}
			return
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() && !(f.Anonymous && f.Type.Kind() == reflect.Struct) {
				continue // encoding/json fills only these
			}
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "-" {
				continue
			}
			ml := f.Tag.Get("text") == "multiline"
			if f.Anonymous && tag == "" {
				walkInput(ve, v.Field(i), name, ml) // embedded: its fields are the outer object's
				continue
			}
			if tag == "" {
				tag = f.Name
			}
			walkInput(ve, v.Field(i), join(name, tag), ml)
		}
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// fieldSentence makes msg one sentence about the field.
func fieldSentence(name, msg string) string {
	if name == "" {
		return "请求内容" + msg
	}
	return "字段 " + name + " " + msg
}
