package store

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// The 审计管理员 reads the trail, not the registry: the states an audit
// record carries are shown with personal data masked by the rule of the
// member object (domain/member_privacy.go), and a little more — a member's
// or a committee seat's name masked (pii.MaskName), no ethnicity. It is done
// on reading, so that records written before the rule are read the same way;
// the stored bytes, over which the hash chain is computed, stay as they are.

// redactState returns an audit record's before/after JSON as the auditor
// reads it. objectType says whether the top-level object is a member.
func redactState(objectType, state string) string {
	if state == "" || !mayHoldPersonalData(state) {
		return state
	}
	dec := json.NewDecoder(strings.NewReader(state))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return "" // never show what could not be redacted
	}
	v = redactValue(v, objectType == "member")
	var b bytes.Buffer
	if err := encodeOrdered(&b, v); err != nil {
		return ""
	}
	return b.String()
}

// personalKeys are the keys redactState acts on; a state holding none is
// left as stored.
var personalKeys = []string{`"name"`, `"person_name"`, `"secretary_name"`, `"member_name"`, `"id_number"`, `"phone"`,
	`"birth_date"`, `"age"`, `"ethnicity"`, `"joined_on"`, `"full_member_on"`, `"standing_on"`}

func mayHoldPersonalData(state string) bool {
	for _, k := range personalKeys {
		if strings.Contains(state, k) {
			return true
		}
	}
	return false
}

// field is one member of a JSON object, in the order written.
type field struct {
	key string
	val any
}

// object is a JSON object keeping its members' order.
type object []field

func (o object) has(key string) bool {
	for _, f := range o {
		if f.key == key {
			return true
		}
	}
	return false
}

// redactValue applies the rule to v; member says that v is a member's state.
func redactValue(v any, member bool) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = redactValue(x[i], false)
		}
		return x
	case object:
		// A person's name: a member's, or one beside a member_id (a
		// committee seat, a filing).
		person := member || x.has("member_id")
		out := x[:0]
		for _, f := range x {
			s, isString := f.val.(string)
			switch {
			case f.key == "birth_date" || f.key == "age" || f.key == "ethnicity":
				continue
			case (f.key == "joined_on" || f.key == "full_member_on" || f.key == "standing_on") && isString && domain.DateWithheld(domain.Date(s)):
				continue
			case f.key == "id_number" && isString:
				f.val = pii.MaskIDNumber(s)
			case f.key == "phone" && isString:
				f.val = pii.MaskPhone(s)
			case isString && (f.key == "person_name" || f.key == "secretary_name" || f.key == "member_name" || f.key == "name" && person):
				f.val = pii.MaskName(s)
			default:
				f.val = redactValue(f.val, false)
			}
			out = append(out, f)
		}
		return out
	}
	return v
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := object{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			o = append(o, field{k.(string), v})
		}
		_, err := dec.Token() // '}'
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token() // ']'
		return a, err
	}
	return tok, nil
}

func encodeOrdered(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case object:
		b.WriteByte('{')
		for i, f := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(f.key)
			b.Write(k)
			b.WriteByte(':')
			if err := encodeOrdered(b, f.val); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeOrdered(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		j, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(j)
	}
	return nil
}
