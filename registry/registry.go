// Package registry imports the national registry's lists of government
// websites and new-media accounts — CSV (UTF-8, UTF-8 with a byte order
// mark, or GBK/GB18030) or XLSX, with the registry's Chinese headers — into
// model.Targets.
//
// Which headers are accepted, which are required, the accepted spellings of
// the statuses and the site-type markers are data (assets/registry/
// headers.json, which an office may override); this package holds no
// Chinese phrase lists.
//
// Rows: cells are trimmed, fully blank rows skipped, a title row above the
// header is allowed. A 网站标识码 is exactly 10 ASCII letters or digits; a
// URL is http(s) with a host, and a bare host (www.x.gov.cn) is taken as
// http://www.x.gov.cn; statuses are read through the data file's variants
// (运行正常 → 正常运行); a code may appear once per file.
//
// A file is imported whole or not at all: when any header or row is bad,
// Parse returns no targets and an *ImportError listing every problem by
// the row number a spreadsheet shows (the header is row 1).
package registry

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"inspector/model"
)

// MaxFileSize bounds what Parse reads; registry files are far smaller.
const MaxFileSize = 64 << 20

// headerScanRows is how many leading non-blank rows may precede the header
// (a title such as "XX省政府网站名录" above it).
const headerScanRows = 10

// ParseFile reads a registry file of the given kind ("site" or "account";
// "sites" and "accounts" are accepted too). The format follows the
// extension: .csv, or .xlsx (also .xlsm); anything else is an error.
func ParseFile(path, kind string) ([]model.Target, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opName(kind), err)
	}
	defer f.Close()
	return Parse(f, path, kind)
}

// Parse reads a registry file of the given kind from r; name's extension
// picks the format and name appears in error messages. Bad headers or rows
// give an *ImportError and no targets.
func Parse(r io.Reader, name, kind string) ([]model.Target, error) {
	op := opName(kind)
	k := normalizeKind(kind)
	if k != model.KindSite && k != model.KindAccount {
		return nil, fmt.Errorf("%s: %s: unknown kind %q (want %q or %q)", op, name, kind, model.KindSite, model.KindAccount)
	}
	ext := strings.ToLower(filepath.Ext(name))
	var read func([]byte, *schema) ([]row, error)
	switch ext {
	case ".csv":
		read = func(b []byte, _ *schema) ([]row, error) { return readCSV(b) }
	case ".xlsx", ".xlsm":
		read = readXLSX
	case ".xls", ".et":
		return nil, fmt.Errorf("%s: %s: %s is the old binary spreadsheet format; save the file as .xlsx or .csv", op, name, ext)
	default:
		return nil, fmt.Errorf("%s: %s: unsupported format %q (want .csv or .xlsx)", op, name, ext)
	}
	s, err := loadSchema(k)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", op, name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %s: larger than %d MiB", op, name, MaxFileSize>>20)
	}
	rows, err := read(data, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", op, name, err)
	}
	targets, problems, err := s.build(rows)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", op, name, err)
	}
	if len(problems) > 0 {
		return nil, &ImportError{Op: op, File: name, Problems: problems}
	}
	return targets, nil
}

func normalizeKind(kind string) string {
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "site", "sites":
		return model.KindSite
	case "account", "accounts":
		return model.KindAccount
	}
	return kind
}

func opName(kind string) string {
	switch normalizeKind(kind) {
	case model.KindSite:
		return "import sites"
	case model.KindAccount:
		return "import accounts"
	}
	return "import"
}

// row is one spreadsheet row with the number a spreadsheet shows for it.
type row struct {
	num   int
	cells []string
}

func (r row) blank() bool {
	for _, c := range r.cells {
		if trimCell(c) != "" {
			return false
		}
	}
	return true
}

// errNoHeader is returned for a file without a single non-blank row.
var errNoHeader = errors.New("no header row: the file is empty")

// column is a header cell the file has and what it maps to.
type column struct {
	index  int    // 0-based cell index
	header string // as the file spells it, trimmed
	m      match
}

// headerScore says how well a row serves as the header: the number of
// required fields it names, and whether it names them all.
func (s *schema) headerScore(r row) (found int, all bool) {
	seen := map[string]bool{}
	for _, c := range r.cells {
		if m, ok := s.lookup(c); ok && !m.ignore && m.field.Required {
			seen[m.field.Field] = true
		}
	}
	need := 0
	for _, f := range s.fields {
		if f.Required {
			need++
		}
	}
	return len(seen), len(seen) == need
}

// findHeader picks the header among the first non-blank rows: the first
// that names every required field, else the first non-blank row. It
// returns the index into rows, or -1 when all rows are blank.
func (s *schema) findHeader(rows []row) (idx int, complete bool) {
	idx = -1
	seen := 0
	for i, r := range rows {
		if r.blank() {
			continue
		}
		if idx < 0 {
			idx = i
		}
		if _, all := s.headerScore(r); all {
			return i, true
		}
		seen++
		if seen >= headerScanRows {
			break
		}
	}
	return idx, false
}

// columns maps the header row's cells to fields, reporting unknown headers,
// duplicates and missing required ones.
func (s *schema) columns(h row) (map[string]column, []Problem) {
	var problems []Problem
	cols := map[string]column{}
	for i, c := range h.cells {
		c = trimCell(c)
		if c == "" {
			continue
		}
		m, ok := s.lookup(c)
		if !ok {
			problems = append(problems, Problem{Row: h.num, Column: i + 1, Field: c,
				Msg: "is not understood; known headers: " + strings.Join(s.known, ", ")})
			continue
		}
		if m.ignore {
			continue
		}
		prev, dup := cols[m.field.Field]
		switch {
		case !dup || m.rank < prev.m.rank:
			cols[m.field.Field] = column{index: i, header: c, m: m}
		case m.rank == prev.m.rank:
			problems = append(problems, Problem{Row: h.num, Column: i + 1, Field: c,
				Msg: fmt.Sprintf("repeats header %d %q", prev.index+1, prev.header)})
		}
	}
	for _, f := range s.fields {
		if _, ok := cols[f.Field]; !ok && f.Required {
			problems = append(problems, Problem{Field: f.Label,
				Msg: "is required but missing (accepted: " + strings.Join(f.Headers, ", ") + ")"})
		}
	}
	return cols, problems
}

// build turns rows into targets, collecting every problem.
func (s *schema) build(rows []row) ([]model.Target, []Problem, error) {
	hi, _ := s.findHeader(rows)
	if hi < 0 {
		return nil, nil, errNoHeader
	}
	cols, problems := s.columns(rows[hi])
	if len(problems) > 0 {
		return nil, problems, nil
	}
	width := len(rows[hi].cells)
	var targets []model.Target
	codeRow := map[string]int{}
	for _, r := range rows[hi+1:] {
		if r.blank() {
			continue
		}
		t, ps := s.target(r, cols)
		for i := width; i < len(r.cells); i++ {
			if v := trimCell(r.cells[i]); v != "" {
				ps = append(ps, Problem{Row: r.num, Field: fmt.Sprintf("cell %d", i+1), Msg: fmt.Sprintf("%q has no header", v)})
			}
		}
		if t.Code != "" {
			if first, dup := codeRow[t.Code]; dup {
				ps = append(ps, Problem{Row: r.num, Field: cols[FieldCode].header,
					Msg: fmt.Sprintf("%q repeats row %d", t.Code, first)})
			} else {
				codeRow[t.Code] = r.num
			}
		}
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		targets = append(targets, t)
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	if len(targets) == 0 {
		return nil, nil, fmt.Errorf("no %ss below the header (row %d)", s.kind, rows[hi].num)
	}
	return targets, nil, nil
}

// target reads one data row.
func (s *schema) target(r row, cols map[string]column) (model.Target, []Problem) {
	t := model.Target{Kind: s.kind}
	var problems []Problem
	bad := func(c column, format string, a ...any) {
		problems = append(problems, Problem{Row: r.num, Field: c.header, Msg: fmt.Sprintf(format, a...)})
	}
	for _, f := range s.fields {
		c, ok := cols[f.Field]
		v := ""
		if ok && c.index < len(r.cells) {
			v = trimCell(r.cells[c.index])
		}
		if v == "" {
			if f.Required {
				bad(c, "is empty")
				continue
			}
			v = f.Default
			if v == "" {
				continue
			}
			if !ok {
				c.header = f.Label
			}
		}
		switch f.Field {
		case FieldCode:
			code, msg := s.checkCode(v)
			if msg != "" {
				bad(c, "%q %s", v, msg)
				continue
			}
			t.Code = code
		case FieldName:
			t.Name = v
		case FieldSponsor:
			t.Sponsor = v
		case FieldRegion:
			t.Region = v
		case FieldPlatform:
			t.Platform = v
		case FieldURL:
			u, err := checkURL(v)
			if err != nil {
				bad(c, "%q is not a URL (%v)", v, err)
				continue
			}
			t.URL = u
		case FieldStatus:
			st, ok := s.status(v)
			if !ok {
				bad(c, "%q is not one of %s", v, strings.Join(s.statusList, ", "))
				continue
			}
			t.Status = st
		case FieldType:
			t.Portal, t.NoServices = s.siteType(v)
		}
	}
	return t, problems
}
