package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"inspector/assets"
	"inspector/catalog"
)

// Files under assets/templates (an office overrides any of them in its
// data directory).
const (
	bulletinTemplate  = "templates/bulletin.md.tmpl"
	watchlistTemplate = "templates/watchlist.md.tmpl"
	labelsFile        = "templates/labels.json"
	officeFile        = "templates/office.json"
	watchFile         = "templates/watchlist.json"
	layoutFile        = "templates/document.json"
)

// Layout is the .docx's page and type (templates/document.json).
type Layout struct {
	PageMM struct {
		Width, Height, Top, Bottom, Left, Right, Header, Footer float64
	} `json:"page_mm"`
	LinePt    float64   `json:"line_pt"`
	LatinFont string    `json:"latin_font"`
	Lang      string    `json:"lang"`
	Title     textStyle `json:"title"`
	Heading   textStyle `json:"heading"`
	Body      textStyle `json:"body"`
	Lead      textStyle `json:"lead"`
	Indented  textStyle `json:"indented"`
	Signature textStyle `json:"signature"`
	Note      textStyle `json:"note"`
}

type textStyle struct {
	Font           string  `json:"font"`
	SizePt         float64 `json:"size_pt"`
	Bold           bool    `json:"bold"`
	Align          string  `json:"align"`
	LinePt         float64 `json:"line_pt"`
	FirstLineChars float64 `json:"first_line_chars"`
	LeftChars      float64 `json:"left_chars"`
	RightChars     float64 `json:"right_chars"`
}

func loadLayout() (*Layout, error) {
	var l Layout
	if err := decodeJSON(layoutFile, &l); err != nil {
		return nil, err
	}
	_, src, _ := assets.ReadFile(layoutFile)
	if l.PageMM.Width <= 0 || l.PageMM.Height <= 0 || l.LinePt <= 0 {
		return nil, fmt.Errorf("%s: page_mm width and height and line_pt must be positive", src)
	}
	for name, s := range map[string]textStyle{"title": l.Title, "heading": l.Heading, "body": l.Body, "lead": l.Lead,
		"indented": l.Indented, "signature": l.Signature, "note": l.Note} {
		if s.Font == "" || s.SizePt <= 0 {
			return nil, fmt.Errorf("%s: %s: font and size_pt are required", src, name)
		}
		switch s.Align {
		case "", "left", "right", "center", "both":
		default:
			return nil, fmt.Errorf("%s: %s: align %q is not left, right, center or both", src, name, s.Align)
		}
	}
	return &l, nil
}

// Labels are the short texts of the export: numerals, date and quarter
// formats, file names, spreadsheet headers.
type Labels struct {
	Numerals           []string `json:"numerals"`
	QuarterFormat      string   `json:"quarter_format"`
	QuarterShortFormat string   `json:"quarter_short_format"`
	DateFormat         string   `json:"date_format"`
	NameSeparator      string   `json:"name_separator"`
	AccountName        string   `json:"account_name"`
	PendingMark        string   `json:"pending_mark"`
	MaxNames           int      `json:"max_names"`
	RateNA             string   `json:"rate_na"`
	Files              struct {
		Markdown  string `json:"markdown"`
		Docx      string `json:"docx"`
		Sites     string `json:"sites"`
		Accounts  string `json:"accounts"`
		Watchlist string `json:"watchlist"`
	} `json:"files"`
	AttachmentSites    string `json:"attachment_sites"`
	AttachmentAccounts string `json:"attachment_accounts"`
	Sheets             struct {
		Failed   string `json:"failed"`
		Deducted string `json:"deducted"`
	} `json:"sheets"`
	Columns struct {
		Sites    []string `json:"sites"`
		Accounts []string `json:"accounts"`
	} `json:"columns"`
	Verdict       map[string]string `json:"verdict"`
	ScoreFormat   string            `json:"score_format"`
	DetailFormat  string            `json:"detail_format"`
	Screenshot    string            `json:"screenshot"`
	Platforms     []string          `json:"platforms"`
	Rectification map[string]string `json:"rectification"`
}

// Office is who issues the bulletin and where rectification is reported.
type Office struct {
	Office   string `json:"office"`
	Scope    string `json:"scope"`
	ReportTo string `json:"report_to"`
	Contact  string `json:"contact"`
}

// WatchRules are the internal watch list's thresholds.
type WatchRules struct {
	// ScoreMargin: a target that passed with a score below the pass line
	// plus this margin is watched.
	ScoreMargin float64 `json:"score_margin"`
	// NewestMinDays: a target that passed whose newest item is at least
	// this many days old at the check point (and not yet past the
	// staleness window) is watched.
	NewestMinDays int `json:"newest_min_days"`
	// NearVeto: a target that passed with at least threshold − margin
	// instances of indicator is watched.
	NearVeto []struct {
		Indicator string `json:"indicator"`
		Veto      string `json:"veto"`
		Threshold int    `json:"threshold"`
		// ThresholdFrom names a catalogue threshold instead
		// (columns_veto.news_plus_notice, columns_veto.stale,
		// columns_veto.blank).
		ThresholdFrom string `json:"threshold_from"`
		Margin        int    `json:"margin"`
	} `json:"near_veto"`
}

func decodeJSON(name string, v any) error {
	b, src, err := assets.ReadFile(name)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	return nil
}

func loadLabels() (*Labels, error) {
	var l Labels
	if err := decodeJSON(labelsFile, &l); err != nil {
		return nil, err
	}
	_, src, _ := assets.ReadFile(labelsFile)
	switch {
	case len(l.Numerals) < 11:
		return nil, fmt.Errorf("%s: numerals: need at least 〇 to 十", src)
	case len(l.Columns.Sites) != 9 || len(l.Columns.Accounts) != 9:
		return nil, fmt.Errorf("%s: columns: sites and accounts need 9 headers each", src)
	case l.Files.Markdown == "" || l.Files.Docx == "" || l.Files.Sites == "" || l.Files.Accounts == "" || l.Files.Watchlist == "":
		return nil, fmt.Errorf("%s: files: every file name is required", src)
	case strings.Count(l.QuarterFormat, "%") != 2 || strings.Count(l.DateFormat, "%") != 3:
		return nil, fmt.Errorf("%s: quarter_format needs %%d and %%s, date_format three %%d", src)
	}
	if l.MaxNames <= 0 {
		l.MaxNames = 10
	}
	return &l, nil
}

// numeral is n in Chinese numerals (一, 二 … as far as the labels go).
func (l *Labels) numeral(n int) string {
	if n >= 0 && n < len(l.Numerals) {
		return l.Numerals[n]
	}
	return strconv.Itoa(n)
}

func (l *Labels) verdict(v string) string {
	if s := l.Verdict[v]; s != "" {
		return s
	}
	return v
}

func (w *WatchRules) threshold(cat *catalog.Catalogue, i int) int {
	r := w.NearVeto[i]
	switch r.ThresholdFrom {
	case "columns_veto.news_plus_notice":
		return cat.ColumnsVeto.NewsPlusNotice
	case "columns_veto.stale":
		return cat.ColumnsVeto.Stale
	case "columns_veto.blank":
		return cat.ColumnsVeto.Blank
	}
	return r.Threshold
}

func loadWatchRules() (*WatchRules, error) {
	var w WatchRules
	if err := decodeJSON(watchFile, &w); err != nil {
		return nil, err
	}
	for i, r := range w.NearVeto {
		if r.Indicator == "" || (r.Threshold <= 0 && r.ThresholdFrom == "") {
			return nil, fmt.Errorf("%s: near_veto %d: indicator and threshold (or threshold_from) are required", watchFile, i+1)
		}
		switch r.ThresholdFrom {
		case "", "columns_veto.news_plus_notice", "columns_veto.stale", "columns_veto.blank":
		default:
			return nil, fmt.Errorf("%s: near_veto %d: threshold_from %q is not a catalogue threshold", watchFile, i+1, r.ThresholdFrom)
		}
	}
	return &w, nil
}

// TemplateError is a template that does not parse or execute, with the
// file and line it failed at.
type TemplateError struct {
	File string
	Line int
	Msg  string
}

func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("template %s, line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("template %s: %s", e.File, e.Msg)
}

// text/template's messages read "template: NAME:LINE: msg" or
// "template: NAME:LINE:COL: executing …".
var tmplErrRe = regexp.MustCompile(`^template: (.*?):(\d+):(?:\d+:)? ?(.*)$`)

func templateError(src string, err error) error {
	msg := err.Error()
	if m := tmplErrRe.FindStringSubmatch(msg); m != nil && strings.HasPrefix(m[1], src) {
		line, _ := strconv.Atoi(m[2])
		return &TemplateError{File: src, Line: line, Msg: m[3]}
	}
	return &TemplateError{File: src, Msg: strings.TrimPrefix(msg, "template: ")}
}

// render reads a template of the assets (or the office's override) and
// runs it over data, returning its paragraphs.
func render(name string, l *Labels, data any) ([]Paragraph, error) {
	b, src, err := assets.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", src, err)
	}
	funcs := template.FuncMap{
		"cn":         l.numeral,
		"add":        func(a, b int) int { return a + b },
		"trimSuffix": strings.TrimSuffix,
	}
	t, err := template.New(src).Funcs(funcs).Option("missingkey=error").Parse(string(b))
	if err != nil {
		return nil, templateError(src, err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return nil, templateError(src, err)
	}
	return parseParagraphs(out.String()), nil
}
