package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"charm.land/lipgloss/v2"
)

// table is rows of text written as json (the caller's values), csv or an
// aligned table whose columns account for double-width Chinese.
type table struct {
	header []string
	rows   [][]string
}

func writeFormat(w io.Writer, format string, jsonValue any, t table) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonValue)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(t.header)
		cw.WriteAll(t.rows)
		return cw.Error()
	case "table", "":
		widths := make([]int, len(t.header))
		for _, r := range append([][]string{t.header}, t.rows...) {
			for i, c := range r {
				widths[i] = max(widths[i], lipgloss.Width(c))
			}
		}
		for _, r := range append([][]string{t.header}, t.rows...) {
			line := ""
			for i, c := range r {
				if i > 0 {
					line += "  "
				}
				if i < len(r)-1 {
					c += spaces(widths[i] - lipgloss.Width(c))
				}
				line += c
			}
			fmt.Fprintln(w, line)
		}
		return nil
	}
	return fmt.Errorf("flag --format: %q is not json, csv or table", format)
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}
