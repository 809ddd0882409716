package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/width"

	"inspector/assets"
	"inspector/model"
)

// HeadersFile is the data file, read with assets.ReadFile (an office may
// override it), that lists every accepted header, status and site type.
const HeadersFile = "registry/headers.json"

// Fields the importer fills; the data file maps headers onto these.
const (
	FieldCode     = "code"
	FieldName     = "name"
	FieldURL      = "url"
	FieldSponsor  = "sponsor"
	FieldStatus   = "status"
	FieldRegion   = "region"
	FieldType     = "type"
	FieldPlatform = "platform"
)

var knownFields = []string{FieldCode, FieldName, FieldURL, FieldSponsor, FieldStatus, FieldRegion, FieldType, FieldPlatform}

type fieldSpec struct {
	Field    string   `json:"field"`
	Label    string   `json:"label"`
	Required bool     `json:"required"`
	Default  string   `json:"default"`
	Headers  []string `json:"headers"`
}

type kindSpec struct {
	Fields []fieldSpec `json:"fields"`
	Ignore []string    `json:"ignore"`
}

type headersData struct {
	Site      kindSpec            `json:"site"`
	Account   kindSpec            `json:"account"`
	Statuses  map[string][]string `json:"statuses"`
	SiteTypes struct {
		Portal     []string `json:"portal"`
		NoServices []string `json:"no_services"`
	} `json:"site_types"`
}

// match is what a header stands for: a field at a rank (its position among
// the field's synonyms; lower is better), or a column to ignore.
type match struct {
	field  *fieldSpec
	rank   int
	ignore bool
}

// schema is one kind's compiled header table.
type schema struct {
	kind       string // model.KindSite or model.KindAccount
	fields     []fieldSpec
	byHeader   map[string]match  // normalized header → match
	statuses   map[string]string // normalized variant → canonical status
	statusList []string          // canonical statuses, in the data file's order
	portal     []string          // normalized markers in a site's type
	noServices []string          // normalized markers in a site's type
	known      []string          // accepted headers, for error messages
	src        string            // where the data came from
	spec       map[string]*fieldSpec
}

// compiled caches the last compiled table per kind, keyed by the data it
// came from, so that an office's override is seen as soon as it changes.
var compiled struct {
	sync.Mutex
	m map[string]cachedSchema
}

type cachedSchema struct {
	data []byte
	src  string
	s    *schema
}

// loadSchema reads the headers file and compiles the table for kind.
func loadSchema(kind string) (*schema, error) {
	b, src, err := assets.ReadFile(HeadersFile)
	if err != nil {
		return nil, fmt.Errorf("registry headers: %w", err)
	}
	compiled.Lock()
	defer compiled.Unlock()
	if c, ok := compiled.m[kind]; ok && c.src == src && bytes.Equal(c.data, b) {
		return c.s, nil
	}
	s, err := compileSchema(b, src, kind)
	if err != nil {
		return nil, err
	}
	if compiled.m == nil {
		compiled.m = map[string]cachedSchema{}
	}
	compiled.m[kind] = cachedSchema{data: b, src: src, s: s}
	return s, nil
}

func compileSchema(b []byte, src, kind string) (*schema, error) {
	var d headersData
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("registry headers %s: %w", src, err)
	}
	var ks kindSpec
	switch kind {
	case model.KindSite:
		ks = d.Site
	case model.KindAccount:
		ks = d.Account
	default:
		return nil, fmt.Errorf("registry: unknown kind %q (want %q or %q)", kind, model.KindSite, model.KindAccount)
	}
	s := &schema{
		kind:     kind,
		fields:   ks.Fields,
		byHeader: map[string]match{},
		statuses: map[string]string{},
		src:      src,
		spec:     map[string]*fieldSpec{},
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("registry headers %s: %s: %s", src, kind, fmt.Sprintf(format, a...))
	}
	if len(s.fields) == 0 {
		return nil, bad("no fields")
	}
	for i := range s.fields {
		f := &s.fields[i]
		if !slices.Contains(knownFields, f.Field) {
			return nil, bad("unknown field %q (known: %s)", f.Field, strings.Join(knownFields, ", "))
		}
		if _, dup := s.spec[f.Field]; dup {
			return nil, bad("field %q listed twice", f.Field)
		}
		if len(f.Headers) == 0 {
			return nil, bad("field %q has no headers", f.Field)
		}
		if f.Label == "" {
			f.Label = f.Headers[0]
		}
		s.spec[f.Field] = f
		for rank, h := range f.Headers {
			n := NormalizeHeader(h)
			if n == "" {
				return nil, bad("field %q: empty header", f.Field)
			}
			if m, dup := s.byHeader[n]; dup && m.field != f {
				return nil, bad("header %q is given for both %q and %q", h, m.field.Field, f.Field)
			}
			if _, dup := s.byHeader[n]; !dup {
				s.byHeader[n] = match{field: f, rank: rank}
			}
			s.known = append(s.known, h)
		}
	}
	if s.spec[FieldCode] == nil || !s.spec[FieldCode].Required {
		return nil, bad("field %q must be listed and required", FieldCode)
	}
	for _, h := range ks.Ignore {
		n := NormalizeHeader(h)
		if n == "" {
			continue
		}
		if m, dup := s.byHeader[n]; dup && !m.ignore {
			return nil, bad("header %q is both a field and ignored", h)
		}
		s.byHeader[n] = match{ignore: true}
		s.known = append(s.known, h)
	}
	for _, canon := range []string{model.StatusRunning, model.StatusException, model.StatusClosed} {
		if _, ok := d.Statuses[canon]; ok {
			s.statusList = append(s.statusList, canon)
		}
	}
	for canon, variants := range d.Statuses {
		if !slices.Contains([]string{model.StatusRunning, model.StatusException, model.StatusClosed}, canon) {
			return nil, fmt.Errorf("registry headers %s: status %q is not one of %s, %s, %s", src, canon,
				model.StatusRunning, model.StatusException, model.StatusClosed)
		}
		for _, v := range append([]string{canon}, variants...) {
			n := normalizeValue(v)
			if other, dup := s.statuses[n]; dup && other != canon {
				return nil, fmt.Errorf("registry headers %s: status variant %q is given for both %q and %q", src, v, other, canon)
			}
			s.statuses[n] = canon
		}
	}
	if len(s.statusList) == 0 {
		return nil, fmt.Errorf("registry headers %s: no statuses", src)
	}
	for _, f := range s.fields {
		if f.Field == FieldStatus && f.Default != "" {
			if _, ok := s.statuses[normalizeValue(f.Default)]; !ok {
				return nil, bad("default status %q is not a known status", f.Default)
			}
		}
	}
	for _, m := range d.SiteTypes.Portal {
		if n := normalizeValue(m); n != "" {
			s.portal = append(s.portal, n)
		}
	}
	for _, m := range d.SiteTypes.NoServices {
		if n := normalizeValue(m); n != "" {
			s.noServices = append(s.noServices, n)
		}
	}
	return s, nil
}

// NormalizeHeader is the form in which headers are compared: full-width
// forms folded to their narrow forms, every space (also full-width and
// line breaks inside a cell) removed, ASCII letters lower-cased, and
// leading/trailing '*' required markers and colons dropped: " *首页网址："
// reads as "首页网址", "账号 ID" as "账号id" and "（网站名称）" as
// "(网站名称)".
func NormalizeHeader(h string) string {
	h = width.Fold.String(h)
	var b strings.Builder
	for _, r := range h {
		switch {
		case isSpace(r):
			continue
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), "*:")
}

// MatchHeader reports which field of kind ("site" or "account") a header
// names, using the data file. ok is false for headers the file does not
// list; field is "" with ok true for headers that are understood but not
// imported (序号, 备注).
func MatchHeader(kind, header string) (field string, ok bool, err error) {
	s, err := loadSchema(normalizeKind(kind))
	if err != nil {
		return "", false, err
	}
	m, ok := s.lookup(header)
	if !ok || m.ignore {
		return "", ok, nil
	}
	return m.field.Field, true, nil
}

func (s *schema) lookup(header string) (match, bool) {
	m, ok := s.byHeader[NormalizeHeader(header)]
	return m, ok
}

// status maps a cell to a canonical status.
func (s *schema) status(v string) (string, bool) {
	c, ok := s.statuses[normalizeValue(v)]
	return c, ok
}

// siteType reads a site's type cell.
func (s *schema) siteType(v string) (portal, noServices bool) {
	n := normalizeValue(v)
	if n == "" {
		return false, false
	}
	for _, m := range s.portal {
		if strings.Contains(n, m) {
			portal = true
		}
	}
	for _, m := range s.noServices {
		if strings.Contains(n, m) {
			noServices = true
		}
	}
	return portal, noServices
}

// normalizeValue is how statuses and type markers are compared: width
// folded, without spaces.
func normalizeValue(v string) string {
	v = width.Fold.String(v)
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, v)
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// trimCell trims spaces (also full-width and zero-width ones) around a cell.
func trimCell(c string) string {
	return strings.TrimFunc(c, isSpace)
}
