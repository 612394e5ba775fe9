package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// scanner is a pull tokenizer for the two parts of a workbook that grow with
// the data: the worksheet and the shared strings. encoding/xml allocates a
// token, a name and the attributes for every tag; here a tag is a slice of the
// read buffer and only the values a caller keeps are copied, which is what
// brings reading a sheet near the cost of inflating it (bench/README.md).
//
// It knows just enough XML for these parts: start, end and empty tags,
// character data with the five entities and character references, CDATA,
// comments, processing instructions and a DOCTYPE (skipped). Names are
// compared by their local part, as excelize does, so prefixed markup
// (<x:row>) reads the same. Like encoding/xml it turns a raw "\r\n" or "\r"
// in text into "\n".
type scanner struct {
	r   io.Reader
	buf []byte
	pos int // next unread byte
	end int // end of the bytes read
	eof bool
	err error // a read error other than io.EOF

	// The current tag, valid until the next call.
	name  []byte // local name
	attrs []byte // the raw attribute text of a start tag
	empty bool   // a start tag that closes itself (<c/>)
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
)

const (
	scanBufSize = 64 << 10
	maxTagBytes = 1 << 20 // a longer tag is hostile: real ones take < 10 KB
)

var errSyntax = errors.New("xlsx: malformed XML")

func newScanner(r io.Reader) (*scanner, error) {
	s := &scanner{r: r, buf: make([]byte, scanBufSize)}
	if err := s.declaration(); err != nil {
		return nil, err
	}
	return s, nil
}

// declaration skips a byte-order mark and, when the XML declaration names an
// encoding other than UTF-8 (a few Chinese tools write GBK), reads through a
// converter, as excelize's decoder does.
func (s *scanner) declaration() error {
	s.fill(128)
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("\xef\xbb\xbf")) {
		s.pos += 3
	}
	head := s.buf[s.pos:s.end]
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return s.err
	}
	stop := bytes.Index(head, []byte("?>"))
	if stop < 0 {
		return s.err
	}
	enc, ok := attrValue(head[5:stop], "encoding")
	if !ok || bytes.EqualFold(enc, []byte("utf-8")) || bytes.EqualFold(enc, []byte("utf8")) {
		return s.err
	}
	rest := io.MultiReader(bytes.NewReader(append([]byte(nil), s.buf[s.pos+stop+2:s.end]...)), s.r)
	conv, err := charset.NewReaderLabel(string(enc), rest)
	if err != nil {
		return fmt.Errorf("xlsx: XML encoding %q: %w", enc, err)
	}
	s.r, s.pos, s.end, s.eof = conv, 0, 0, false
	return nil
}

// fill makes at least n bytes available from pos unless the input ends
// first; it reports whether it did.
func (s *scanner) fill(n int) bool {
	for s.end-s.pos < n {
		if s.eof || s.err != nil {
			return false
		}
		if s.pos > 0 {
			copy(s.buf, s.buf[s.pos:s.end])
			s.end -= s.pos
			s.pos = 0
		}
		if s.end == len(s.buf) {
			if len(s.buf) >= maxTagBytes {
				s.err = fmt.Errorf("%w: a tag or name longer than %d bytes", errSyntax, maxTagBytes)
				return false
			}
			s.buf = append(s.buf, make([]byte, len(s.buf))...)
		}
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
		}
	}
	return true
}

// failure is the error to report when the input stops where it must not.
func (s *scanner) failure(what string) error {
	if s.err != nil {
		return s.err
	}
	return fmt.Errorf("%w: %s", errSyntax, what)
}

// next moves to the next start or end tag, skipping character data,
// comments, processing instructions, CDATA and a DOCTYPE. At the end of the
// input it returns tokEOF and a nil error.
func (s *scanner) next() (tokKind, error) {
	for {
		// Tags mostly follow one another: look at the next byte first.
		if s.pos >= s.end || s.buf[s.pos] != '<' {
			i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
			if i < 0 {
				s.pos = s.end
				if !s.fill(1) {
					return tokEOF, s.err
				}
				continue
			}
			s.pos += i
		}
		if k, err, ok := s.tag(); ok || err != nil {
			return k, err
		}
	}
}

// tag reads the markup at pos (a '<'). For a start or end tag it sets the
// current tag and returns ok; other markup is skipped.
func (s *scanner) tag() (tokKind, error, bool) {
	if s.end-s.pos < 2 && !s.fill(2) {
		return tokEOF, s.failure("document ends inside a tag"), false
	}
	kind, skip := tokStart, 1 // the name starts after "<" or "</"
	switch s.buf[s.pos+1] {
	case '!':
		return tokEOF, s.skipBang(), false
	case '?':
		return tokEOF, s.skipUntil("?>"), false
	case '/':
		kind, skip = tokEnd, 2
	}
	end, err := s.tagEnd() // may move the data: pos is current after it
	if err != nil {
		return tokEOF, err, false
	}
	body := s.buf[s.pos+skip : end]
	s.empty = kind == tokStart && len(body) > 0 && body[len(body)-1] == '/'
	if s.empty {
		body = body[:len(body)-1]
	}
	n, colon := 0, -1
	for ; n < len(body); n++ {
		c := body[n]
		if c <= ' ' && isSpace(c) {
			break
		}
		if c == ':' {
			colon = n
		}
	}
	if n == 0 {
		return tokEOF, s.failure("a tag without a name"), false
	}
	s.name, s.attrs = body[colon+1:n], body[n:]
	s.pos = end + 1
	return kind, nil, true
}

// tagEnd returns the index of the '>' that closes the tag at pos, reading
// more input as needed; a '>' inside a quoted attribute value does not count.
func (s *scanner) tagEnd() (int, error) {
	from := s.pos + 1
	var quote byte
	for {
		buf := s.buf[:s.end]
		for i := from; i < len(buf); i++ {
			c := buf[i]
			if !tagSpecial[c] {
				continue
			}
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				return i, nil
			case c == '<':
				return 0, s.failure("'<' inside a tag")
			}
		}
		from = s.end - s.pos
		if !s.fill(s.end - s.pos + 1) {
			return 0, s.failure("document ends inside a tag")
		}
		from += s.pos
	}
}

var tagSpecial = [256]bool{'"': true, '\'': true, '<': true, '>': true}

// skipUntil skips past the next occurrence of term.
func (s *scanner) skipUntil(term string) error {
	t := []byte(term)
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], t); i >= 0 {
			s.pos += i + len(t)
			return nil
		}
		if keep := len(t) - 1; s.end-s.pos > keep {
			s.pos = s.end - keep
		}
		if !s.fill(s.end - s.pos + 1) {
			return s.failure("document ends inside " + term)
		}
	}
}

// skipBang skips a comment, a CDATA section (outside text, where it carries
// nothing we read) or a DOCTYPE.
func (s *scanner) skipBang() error {
	s.fill(9)
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		s.pos += 4
		return s.skipUntil("-->")
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		s.pos += 9
		return s.skipUntil("]]>")
	}
	// <!DOCTYPE …>, possibly with an internal subset in brackets; its
	// entity declarations are not applied (nor are they by excelize).
	depth := 0
	for {
		for i := s.pos; i < s.end; i++ {
			switch s.buf[i] {
			case '[':
				depth++
			case ']':
				depth--
			case '>':
				if depth <= 0 {
					s.pos = i + 1
					return nil
				}
			}
		}
		s.pos = s.end
		if !s.fill(1) {
			return s.failure("document ends inside a DOCTYPE")
		}
	}
}

// skipElement skips the content of the current start tag up to and including
// its end tag.
func (s *scanner) skipElement() error {
	if s.empty {
		return nil
	}
	for depth := 1; ; {
		k, err := s.next()
		switch {
		case err != nil:
			return err
		case k == tokEOF:
			return s.failure("document ends inside an element")
		case k == tokStart && !s.empty:
			depth++
		case k == tokEnd:
			if depth--; depth == 0 {
				return nil
			}
		}
	}
}

// text appends to dst the character data of the current start tag's content
// (CDATA included, nested elements skipped) and consumes its end tag.
func (s *scanner) text(dst []byte) ([]byte, error) {
	if s.empty {
		return dst, nil
	}
	var start [32]byte // the name, to check the end tag against
	n := copy(start[:], s.name)
	for {
		buf, i := s.buf[:s.end], s.pos
		for i < len(buf) && !textSpecial[buf[i]] {
			i++
		}
		dst = append(dst, buf[s.pos:i]...)
		s.pos = i
		if i == len(buf) {
			if !s.fill(1) {
				return dst, s.failure("document ends inside an element")
			}
			continue
		}
		var err error
		switch buf[i] {
		case '&':
			if dst, err = s.entity(dst); err != nil {
				return dst, err
			}
			continue
		case '\r':
			// A raw "\r\n" or "\r" is a "\n", as in encoding/xml.
			dst = append(dst, '\n')
			s.pos++
			if (s.pos < s.end || s.fill(1)) && s.buf[s.pos] == '\n' {
				s.pos++
			}
			continue
		}
		if (s.end-s.pos >= 9 || s.fill(9)) && s.buf[s.pos+1] == '!' && bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<![CDATA[")) {
			s.pos += 9
			if dst, err = s.cdata(dst); err != nil {
				return dst, err
			}
			continue
		}
		k, err, ok := s.tag()
		switch {
		case err != nil:
			return dst, err
		case !ok:
			continue
		case k == tokEnd:
			if n < len(start) && !bytes.Equal(s.name, start[:n]) {
				return dst, s.mismatch(string(start[:n]))
			}
			return dst, nil
		default:
			if err := s.skipElement(); err != nil {
				return dst, err
			}
		}
	}
}

var textSpecial = [256]bool{'<': true, '&': true, '\r': true}

// entity decodes the entity or character reference at pos.
func (s *scanner) entity(dst []byte) ([]byte, error) {
	const longest = 32 // "&#x10FFFF;" with room for leading zeros
	if s.end-s.pos < longest {
		s.fill(longest)
	}
	seg := s.buf[s.pos:min(s.end, s.pos+longest)]
	semi := bytes.IndexByte(seg, ';')
	if semi < 0 {
		return dst, fmt.Errorf("%w: an unterminated entity", errSyntax)
	}
	dst, err := appendEntity(dst, seg[1:semi])
	s.pos += semi + 1
	return dst, err
}

// closes checks that the end tag just read closes the element name.
func (s *scanner) closes(name string) error {
	if string(s.name) != name {
		return s.mismatch(name)
	}
	return nil
}

func (s *scanner) mismatch(name string) error {
	return fmt.Errorf("%w: <%s> closed by </%s>", errSyntax, name, s.name)
}

// cdata appends a CDATA section's content; pos is just past "<![CDATA[".
func (s *scanner) cdata(dst []byte) ([]byte, error) {
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte("]]>")); i >= 0 {
			dst = appendNewlines(dst, s.buf[s.pos:s.pos+i])
			s.pos += i + 3
			return dst, nil
		}
		// Keep two bytes back: they may start the terminator; and a "\r"
		// that may pair with a "\n" to come.
		keep := s.end - 2
		if keep > s.pos && s.buf[keep-1] == '\r' {
			keep--
		}
		if keep > s.pos {
			dst = appendNewlines(dst, s.buf[s.pos:keep])
			s.pos = keep
		}
		if !s.fill(s.end - s.pos + 1) {
			return dst, s.failure("document ends inside CDATA")
		}
	}
}

func appendNewlines(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

// appendEntity decodes the entity name between '&' and ';'.
func appendEntity(dst, name []byte) ([]byte, error) {
	switch string(name) {
	case "lt":
		return append(dst, '<'), nil
	case "gt":
		return append(dst, '>'), nil
	case "amp":
		return append(dst, '&'), nil
	case "quot":
		return append(dst, '"'), nil
	case "apos":
		return append(dst, '\''), nil
	}
	if len(name) > 1 && name[0] == '#' {
		var v uint64
		var err error
		if name[1] == 'x' {
			v, err = strconv.ParseUint(string(name[2:]), 16, 32)
		} else {
			v, err = strconv.ParseUint(string(name[1:]), 10, 32)
		}
		if err == nil && utf8.ValidRune(rune(v)) {
			return utf8.AppendRune(dst, rune(v)), nil
		}
	}
	return dst, fmt.Errorf("%w: unknown entity &%s;", errSyntax, name)
}

// attr returns the decoded value of the current tag's attribute with the
// given local name.
func (s *scanner) attr(name string) ([]byte, bool) { return attrValue(s.attrs, name) }

// attrValue finds an attribute by local name in raw attribute text; its value
// is returned decoded (a fresh slice only when it holds an entity).
func attrValue(attrs []byte, name string) ([]byte, bool) {
	for {
		key, val, rest, ok := nextAttr(attrs)
		if !ok {
			return nil, false
		}
		if string(key) == name {
			return decodeAttr(val)
		}
		attrs = rest
	}
}

// nextAttr splits the first attribute off raw attribute text: its local
// name, its raw value and the text after it. (Byte loops: the spans are a
// few bytes, shorter than a call to bytes.IndexByte pays off.)
func nextAttr(a []byte) (key, val, rest []byte, ok bool) {
	i := 0
	for i < len(a) && isSpace(a[i]) {
		i++
	}
	k, colon := i, -1
	for i < len(a) && a[i] != '=' {
		if a[i] == ':' {
			colon = i
		}
		i++
	}
	if i == len(a) {
		return nil, nil, nil, false
	}
	if colon >= 0 {
		k = colon + 1
	}
	key = trimRightSpace(a[k:i])
	for i++; i < len(a) && isSpace(a[i]); i++ {
	}
	if i == len(a) || (a[i] != '"' && a[i] != '\'') {
		return nil, nil, nil, false
	}
	q := a[i]
	i++
	v := i
	for i < len(a) && a[i] != q {
		i++
	}
	if i == len(a) {
		return nil, nil, nil, false
	}
	return key, a[v:i], a[i+1:], true
}

// decodeAttr decodes the entities of a raw attribute value.
func decodeAttr(val []byte) ([]byte, bool) {
	if bytes.IndexByte(val, '&') < 0 {
		return val, true
	}
	var out []byte
	for len(val) > 0 {
		a := bytes.IndexByte(val, '&')
		if a < 0 {
			return append(out, val...), true
		}
		out = append(out, val[:a]...)
		semi := bytes.IndexByte(val[a:], ';')
		if semi < 0 {
			return nil, false
		}
		var err error
		if out, err = appendEntity(out, val[a+1:a+semi]); err != nil {
			return nil, false
		}
		val = val[a+semi+1:]
	}
	return out, true
}

func trimRightSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// is reports whether the current tag's local name is name.
func (s *scanner) is(name string) bool { return string(s.name) == name }

// plain reads, when the bytes at pos are exactly open + text + closing with
// text free of entities and carriage returns, that text: the form of nearly
// every cell and shared string Excel, WPS and our own writer produce
// ("<v>12</v></c>", "<is><t>甲</t></is></c>", "<t>甲</t></si>"). The text is
// unescaped (_xHHHH_) when unescape is set, and valid until the next call.
// Anything else returns false, nothing consumed, for the general path.
func (s *scanner) plain(open, closing string, unescape bool) ([]byte, bool) {
	if s.end-s.pos < plainWindow {
		s.fill(plainWindow)
	}
	b := s.buf[s.pos:s.end]
	if len(b) <= len(open) || string(b[:len(open)]) != open {
		return nil, false
	}
	i, under := len(open), false
	for i < len(b) && !plainSpecial[b[i]] {
		i++
	}
	for i < len(b) && b[i] == '_' { // an _xHHHH_ escape, perhaps
		under = true
		for i++; i < len(b) && !plainSpecial[b[i]]; i++ {
		}
	}
	if i == len(b) || b[i] != '<' || len(b)-i < len(closing) || string(b[i:i+len(closing)]) != closing {
		return nil, false
	}
	text := b[len(open):i]
	s.pos += i + len(closing)
	if under && unescape {
		text = unescapeX(text)
	}
	return text, true
}

// plainWindow is how far the fast paths look: most cells fit, a longer one
// takes the general path.
const plainWindow = 256

var plainSpecial = [256]bool{'<': true, '&': true, '\r': true, '_': true}
