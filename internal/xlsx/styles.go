package xlsx

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// readStyles returns, for every cell format of styles.xml (the cellXfs list
// that a cell's s attribute indexes), whether its number format shows a date
// or a time.
func readStyles(p parts, name string) ([]bool, error) {
	custom := map[int]string{}
	var xfNumFmt []int
	err := p.walk(name, func(d *xml.Decoder, se xml.StartElement) error {
		switch se.Name.Local {
		case "numFmts":
			return eachChild(d, func(se xml.StartElement) error {
				id, err := strconv.Atoi(attrOr(se, "numFmtId", ""))
				if se.Name.Local != "numFmt" || err != nil {
					return nil
				}
				// Like excelize, prefer the x16r2 code when a file has both.
				code, ok := xmlAttr(se, "formatCode16")
				if !ok || code == "" {
					code = attrOr(se, "formatCode", "")
				}
				custom[id] = code
				return nil
			})
		case "cellXfs":
			return eachChild(d, func(se xml.StartElement) error {
				if se.Name.Local == "xf" {
					id, _ := strconv.Atoi(attrOr(se, "numFmtId", "0"))
					xfNumFmt = append(xfNumFmt, id)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	dates := make([]bool, len(xfNumFmt))
	for i, id := range xfNumFmt {
		if code, ok := custom[id]; ok {
			dates[i] = isDateFormat(code)
		} else {
			dates[i] = builtinDate(id)
		}
	}
	return dates, nil
}

func attrOr(se xml.StartElement, local, def string) string {
	if v, ok := xmlAttr(se, local); ok {
		return v
	}
	return def
}

// builtinDate reports whether a built-in number format (one a file uses by
// id alone) is a date or a time: 14–22 and 45–47 in every locale, and 27–36
// and 50–58, the East Asian ones (yyyy"年"m"月"d"日" is 31, which Chinese Excel
// and WPS write for a date typed as 2024年1月5日).
func builtinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 45 && id <= 47 || id >= 27 && id <= 36 || id >= 50 && id <= 58
}

// isDateFormat reports whether a format code shows a date or a time: it has
// a d, m, y, h or s outside quoted text, escapes and bracketed colours or
// locales ([h], [mm] and [ss], elapsed time, count).
func isDateFormat(code string) bool {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case ';':
			return false // the first section (positive numbers) decides
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				return false
			}
		case '\\', '_', '*':
			i++ // the next character is literal, a width or a fill
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false
			}
			if in := strings.ToLower(code[i+1 : i+j]); in != "" && strings.Trim(in, "hms") == "" {
				return true // [h], [mm], [ss]
			}
			i += j
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			// "General" has none of these letters; the AM/PM marker has
			// an M, and it is a time anyway.
			return true
		}
	}
	return false
}
