package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"
)

// The small parts of a workbook (the package and workbook relationships,
// workbook.xml, styles.xml) are read with encoding/xml: they do not grow with
// the data.

// parts finds a workbook's parts by name. OPC names are case-insensitive;
// some tools write backslashes.
type parts struct {
	exact map[string]*zip.File
	fold  map[string]*zip.File
}

func newParts(zr *zip.Reader) parts {
	p := parts{exact: map[string]*zip.File{}, fold: map[string]*zip.File{}}
	for _, zf := range zr.File {
		name := strings.ReplaceAll(zf.Name, "\\", "/")
		p.exact[name] = zf
		if _, ok := p.fold[strings.ToLower(name)]; !ok {
			p.fold[strings.ToLower(name)] = zf
		}
	}
	return p
}

func (p parts) get(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	if zf := p.exact[name]; zf != nil {
		return zf
	}
	return p.fold[strings.ToLower(name)]
}

type relationship struct{ id, typ, target string }

// rels reads a relationships part; a missing part has none.
func (p parts) rels(name string) ([]relationship, error) {
	var out []relationship
	err := p.walk(name, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "Relationship" {
			return nil
		}
		var r relationship
		external := false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			case "TargetMode":
				external = strings.EqualFold(a.Value, "External")
			}
		}
		if !external {
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// relOfType returns the target of the first relationship whose type ends in
// "/"+kind: transitional and strict OOXML differ only before it.
func relOfType(rels []relationship, kind string) (string, bool) {
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/"+kind) {
			return r.target, true
		}
	}
	return "", false
}

// resolve turns a relationship target into a part name, as excelize does:
// relative to the source part's folder unless it starts with "/".
func resolve(source, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Dir(source)+"/"+target), "/")
}

func relsOf(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// walk calls fn for every start element of a small part.
func (p parts) walk(name string, fn func(*xml.Decoder, xml.StartElement) error) error {
	zf := p.get(name)
	if zf == nil {
		return nil
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charset.NewReaderLabel
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(d, se); err != nil {
				return err
			}
		}
	}
}

// sheetRef is a sheet as listed in workbook.xml, with the part holding it.
type sheetRef struct {
	name string
	part string // "" when the relationship is missing
}

// book is what Open learns from the small parts.
type book struct {
	sheets   []sheetRef // workbook order
	date1904 bool
	strings  string // the shared strings part, "" if none
	dateXF   []bool // cell style index → number format is a date or time
}

// readBook follows _rels/.rels to the workbook, the workbook's relationships
// to its sheets, shared strings and styles, the way excelize chooses them.
func readBook(p parts) (*book, error) {
	rootRels, err := p.rels("_rels/.rels")
	if err != nil {
		return nil, err
	}
	wbPart, ok := relOfType(rootRels, "officeDocument")
	if ok {
		wbPart = resolve("", wbPart)
	}
	if !ok || p.get(wbPart) == nil {
		wbPart = "xl/workbook.xml"
	}
	rels, err := p.rels(relsOf(wbPart))
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	for _, r := range rels {
		byID[r.id] = resolve(wbPart, r.target)
	}
	b := &book{}
	err = p.walk(wbPart, func(d *xml.Decoder, se xml.StartElement) error {
		switch se.Name.Local {
		case "workbookPr":
			if v, ok := xmlAttr(se, "date1904"); ok {
				b.date1904, _ = strconv.ParseBool(strings.TrimSpace(v))
			}
		case "sheets":
			return eachChild(d, func(se xml.StartElement) error {
				if se.Name.Local != "sheet" {
					return nil
				}
				name, _ := xmlAttr(se, "name")
				id, _ := xmlAttr(se, "id") // r:id
				part := byID[id]
				if part != "" && p.get(part) == nil {
					part = ""
				}
				b.sheets = append(b.sheets, sheetRef{name: name, part: part})
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	b.strings = partOf(p, wbPart, rels, "sharedStrings", "xl/sharedStrings.xml")
	if styles := partOf(p, wbPart, rels, "styles", "xl/styles.xml"); styles != "" {
		if b.dateXF, err = readStyles(p, styles); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// partOf finds the workbook's part of a kind through its relationships,
// else at the usual name.
func partOf(p parts, wbPart string, rels []relationship, kind, usual string) string {
	if t, ok := relOfType(rels, kind); ok {
		if name := resolve(wbPart, t); p.get(name) != nil {
			return name
		}
	}
	if p.get(usual) != nil {
		return usual
	}
	return ""
}

func xmlAttr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// eachChild calls fn for each child element of the element just started and
// consumes the element up to its end.
func eachChild(d *xml.Decoder, fn func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
			if err := d.Skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}
