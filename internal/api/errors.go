package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
)

// apiError is an error with an HTTP status and a code of DESIGN §6.
type apiError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Until is set on a locked account (RFC 3339).
	Until string `json:"locked_until,omitempty"`
	// RetryAfter (seconds) is set when trying again later may succeed: a
	// throttled or locked login. It is sent as the Retry-After header too.
	RetryAfter int `json:"retry_after,omitempty"`
}

func (e *apiError) Error() string { return e.Message }

func errInvalid(msg string, fields map[string]string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "invalid", Message: msg, Fields: fields}
}

func errField(field, msg string) *apiError {
	return errInvalid(msg, map[string]string{field: msg})
}

var (
	errUnauthenticated = &apiError{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "未登录或登录已超时，请重新登录"}
	errForbidden       = &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "您没有执行此操作的权限"}
	errNotFound        = &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "记录不存在或不在您的管理范围内"}
	errInternal        = &apiError{Status: http.StatusInternalServerError, Code: "internal", Message: "服务器内部错误，请稍后重试；如持续出现请联系系统管理员"}
)

// toAPIError maps domain and auth errors to API errors. Anything unknown is
// internal: logged with details, shown without.
// limitError answers a bound's refusal with its own status; each says when
// to try again.
func limitError(e *domain.LimitError) *apiError {
	a := &apiError{Status: http.StatusTooManyRequests, Code: "too_many_requests", Message: e.Message, RetryAfter: e.RetrySeconds()}
	switch e.Limit {
	case domain.LimitBusy:
		a.Status, a.Code = http.StatusServiceUnavailable, "busy"
	case domain.LimitStorage:
		a.Status, a.Code = http.StatusInsufficientStorage, "insufficient_storage"
	}
	return a
}

func toAPIError(err error) *apiError {
	var ae *apiError
	var ve *domain.ValidationError
	var ce *domain.ConflictError
	var le *auth.LoginError
	var fe *domain.ForbiddenError
	var ge *domain.GoneError
	var lim *domain.LimitError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &ve):
		return errInvalid(ve.Summary(), ve.Fields)
	case errors.As(err, &ce):
		e := &apiError{Status: http.StatusConflict, Code: "conflict", Message: ce.Message}
		if ce.Field != "" {
			e.Fields = map[string]string{ce.Field: ce.Message}
		}
		return e
	case errors.As(err, &lim):
		return limitError(lim)
	case errors.As(err, &le):
		if le.Locked {
			return &apiError{Status: http.StatusLocked, Code: "locked", Message: le.Message, Until: le.Until.UTC().Format("2006-01-02T15:04:05Z"),
				RetryAfter: max(1, int(math.Ceil(le.RetryAfter.Seconds())))}
		}
		return &apiError{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: le.Message}
	case errors.As(err, &fe):
		return &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: fe.Message}
	case errors.As(err, &ge):
		return &apiError{Status: http.StatusGone, Code: "gone", Message: ge.Message}
	case errors.Is(err, checkin.ErrInvalid):
		return errInvalid(err.Error(), map[string]string{"code": err.Error()})
	case errors.Is(err, checkin.ErrGone):
		return &apiError{Status: http.StatusGone, Code: "gone", Message: err.Error(), Fields: map[string]string{"code": err.Error()}}
	case errors.Is(err, domain.ErrNotFound):
		return errNotFound
	case errors.Is(err, domain.ErrForbidden):
		return errForbidden
	case errors.Is(err, auth.ErrNoSession):
		return errUnauthenticated
	case errors.Is(err, context.Canceled):
		return &apiError{Status: 499, Code: "canceled", Message: "请求已取消"}
	}
	return errInternal
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	if ae.Status == http.StatusInternalServerError { // 503 and 507 are answers, not faults
		s.Log.ErrorContext(r.Context(), "internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("request_id", requestID(r.Context())), slog.Any("err", err))
	}
	writeJSON(w, ae.Status, map[string]any{"error": ae})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// MaxBody bounds request bodies (DESIGN §6).
const MaxBody = 1 << 20

// decode reads a JSON body strictly: one object, no unknown fields, at most
// MaxBody bytes, every text, number and time within domain.CheckInput's
// limits; every failure is one Chinese sentence naming the field, never the
// parser's own words.
func decode(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "请求体不能超过 1 MiB"}
	case err != nil:
		return errInvalid("请求体未完整送达，请重试", nil)
	}
	if err := decodeJSON(body, dst); err != nil {
		return err
	}
	return domain.CheckInput(dst)
}

func decodeJSON(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if dec.More() {
			return errInvalid("请求体只能包含一个 JSON 对象", nil)
		}
		var extra json.RawMessage
		if dec.Decode(&extra) == nil {
			return errInvalid("请求体只能包含一个 JSON 对象", nil)
		}
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tpe *time.ParseError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF):
		return errInvalid("请求体不能为空，应为 JSON 对象", nil)
	case errors.As(err, &syn):
		return errInvalid(fmt.Sprintf("请求体不是有效的 JSON（第 %d 字节附近）", syn.Offset), nil)
	case errors.As(err, &typ):
		field := jsonPath(typ.Field)
		if field == "" {
			return errInvalid("请求体应为 JSON 对象", nil)
		}
		return errField(field, typeMessage(field, typ))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if domain.TextProblem(field, false) != "" {
			return errInvalid("请求体含有不支持的字段", nil)
		}
		return errField(field, "不支持的字段："+field)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errInvalid("请求体不是完整的 JSON", nil)
	}
	// What is left comes from a type's own UnmarshalJSON, which names no
	// field: time.Time's is the one the bodies use.
	if field := badTimeField(body, dst); field != "" {
		return errField(field, "字段 "+field+" 应为 RFC 3339 时间，如 2026-11-28T09:00:00+08:00")
	}
	if errors.As(err, &tpe) {
		return errInvalid("请求体中的时间应为 RFC 3339 格式，如 2026-11-28T09:00:00+08:00", nil)
	}
	return errInvalid("请求体无法解析，应为 JSON 对象", nil)
}

// typeMessage explains a value of the wrong JSON type, or a number that
// does not fit its field.
func typeMessage(field string, typ *json.UnmarshalTypeError) string {
	k := typ.Type.Kind()
	if strings.HasPrefix(typ.Value, "number") {
		switch k {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return fmt.Sprintf("字段 %s 应为整数，且不超出允许的范围", field)
		case reflect.Float32, reflect.Float64:
			return fmt.Sprintf("字段 %s 的数值超出允许的范围", field)
		}
	}
	return fmt.Sprintf("字段 %s 的类型不正确，应为%s", field, jsonKind(k.String()))
}

// badTimeField names the top-level time.Time member of dst whose value in
// the JSON body does not parse (time.Time's error names no field).
func badTimeField(body []byte, dst any) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return ""
	}
	for _, k := range timeFields(reflect.TypeOf(dst)) {
		var t time.Time
		if raw, ok := obj[k]; ok && json.Unmarshal(raw, &t) != nil {
			return k
		}
	}
	return ""
}

// timeFields lists the JSON names of the time.Time fields of a struct type
// (embedded structs included), in field order.
func timeFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case f.Anonymous && name == "":
			out = append(out, timeFields(ft)...)
		case ft == reflect.TypeOf(time.Time{}) && name != "" && name != "-":
			out = append(out, name)
		}
	}
	return out
}

// jsonPath turns the path of an UnmarshalTypeError into the JSON field
// names the client sent: the decoder names an embedded struct by its Go type
// ("PartyOrgInput.name"), which the client never saw, so exported Go names
// (our JSON names are snake_case) are dropped.
func jsonPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, s := range parts {
		if s != "" && !(s[0] >= 'A' && s[0] <= 'Z') {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "字符串"
	case "int", "int64", "int32", "uint8", "float64":
		return "数字"
	case "bool":
		return "布尔值（true/false）"
	case "slice":
		return "数组"
	case "struct", "map":
		return "对象"
	case "ptr":
		return "对应类型"
	}
	return k
}

// recoverer turns a panic into a logged 500 and answers 500 without details.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
