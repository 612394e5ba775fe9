package main

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// displayWidth is the columns a string takes in a terminal: two for a
// Chinese character or a full-width sign, one for the rest. text/tabwriter
// counts runes, so its columns drift wherever a cell holds Chinese.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// writeTable prints rows in columns aligned by display width, two spaces
// apart, each line after indent. A cell may hold several lines ("\n"); the
// row then continues on the next lines with its other cells empty. The last
// column is not padded.
func writeTable(w io.Writer, indent string, rows [][]string) {
	widths := []int{}
	for _, row := range rows {
		for i, cell := range row {
			if i == len(row)-1 {
				continue
			}
			for len(widths) <= i {
				widths = append(widths, 0)
			}
			for _, line := range strings.Split(cell, "\n") {
				widths[i] = max(widths[i], displayWidth(line))
			}
		}
	}
	for _, row := range rows {
		cells := make([][]string, len(row))
		height := 1
		for i, cell := range row {
			cells[i] = strings.Split(cell, "\n")
			height = max(height, len(cells[i]))
		}
		for l := 0; l < height; l++ {
			var b strings.Builder
			b.WriteString(indent)
			for i := range row {
				text := ""
				if l < len(cells[i]) {
					text = cells[i][l]
				}
				b.WriteString(text)
				if i < len(row)-1 {
					b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(text)+2))
				}
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
}

// wrapList puts the items of a list ("a、b、c") on as few lines as fit in
// limit columns, never splitting an item.
func wrapList(s, sep string, limit int) string {
	var lines []string
	cur := ""
	for _, item := range strings.Split(s, sep) {
		switch {
		case cur == "":
			cur = item
		case displayWidth(cur+sep+item) <= limit:
			cur += sep + item
		default:
			lines = append(lines, cur+sep)
			cur = item
		}
	}
	return strings.Join(append(lines, cur), "\n")
}
