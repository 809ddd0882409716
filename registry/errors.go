package registry

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a registry file.
//
// Row is the row as a spreadsheet shows it (the header is row 1 when it is
// the first line); 0 for a required header the file lacks. Column is set (1-based) for a problem with a
// header cell. Field is the header as the file spells it (or, for a missing
// column, the header the data file gives for the field); Msg says what is
// wrong, usually with the offending value quoted.
type Problem struct {
	Row    int
	Column int
	Field  string
	Msg    string
}

// String renders the problem for a person:
//
//	row 17: 首页网址 "htp:/x" is not a URL
//	header 7 "备注栏" is not understood; known headers: …
//	header 首页网址 is required but missing (accepted: …)
func (p Problem) String() string {
	return oneLine.Replace(p.string())
}

// oneLine keeps a header or message with line breaks (Excel allows them in
// a cell) on one line.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

func (p Problem) string() string {
	switch {
	case p.Column > 0 && p.Row <= 1:
		return fmt.Sprintf("header %d %q %s", p.Column, p.Field, p.Msg)
	case p.Column > 0:
		return fmt.Sprintf("row %d: header %d %q %s", p.Row, p.Column, p.Field, p.Msg)
	case p.Row == 0:
		return "header " + p.Field + " " + p.Msg
	default:
		return fmt.Sprintf("row %d: %s %s", p.Row, p.Field, p.Msg)
	}
}

// ImportError is returned when a registry file has bad headers or rows:
// nothing of the file is returned, and every problem found is listed.
// Error is a single line (a summary with the first problem); Details lists
// every problem, one a line, for the command line to print after it.
type ImportError struct {
	Op       string // "import sites" or "import accounts"
	File     string // the file's name as given
	Problems []Problem
}

// Error is a one-line summary, e.g.
//
//	import sites: sites.csv: 3 bad rows (first: row 4: 网站标识码 "12345" is not 10 characters)
func (e *ImportError) Error() string {
	prefix := e.Op + ": " + e.File + ": "
	switch len(e.Problems) {
	case 0:
		return prefix + "bad file"
	case 1:
		return prefix + e.Problems[0].String()
	}
	rows := map[int]bool{}
	rowLevel := true
	for _, p := range e.Problems {
		if p.Row <= 0 || p.Column > 0 {
			rowLevel = false
		}
		rows[p.Row] = true
	}
	first := e.Problems[0].String()
	switch {
	case !rowLevel:
		return fmt.Sprintf("%s%d problems (first: %s)", prefix, len(e.Problems), first)
	case len(rows) == len(e.Problems):
		return fmt.Sprintf("%s%d bad rows (first: %s)", prefix, len(rows), first)
	case len(rows) == 1:
		return fmt.Sprintf("%s1 bad row, %d problems (first: %s)", prefix, len(e.Problems), first)
	default:
		return fmt.Sprintf("%s%d bad rows, %d problems (first: %s)", prefix, len(rows), len(e.Problems), first)
	}
}

// Details lists every problem, one a line, in file order.
func (e *ImportError) Details() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}
