// Package catalog loads the indicator catalogue (INDICATORS.md as data) and
// validates it, so a bad edit by an office is a clear error at start-up
// rather than a wrong verdict later.
package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"inspector/assets"
	"inspector/model"
)

// DefaultEdition is the catalogue file used unless another is named.
const DefaultEdition = "catalogue/2019.json"

// Indicator types.
const (
	TypeVeto   = "veto"
	TypeDeduct = "deduct"
	TypeBonus  = "bonus"
)

// Indicator is one check of the catalogue.
type Indicator struct {
	Code    string  `json:"code"`
	Kind    string  `json:"kind"`
	Type    string  `json:"type"`
	Group   string  `json:"group"`
	Name    string  `json:"name"`
	Rule    string  `json:"rule"`
	Points  float64 `json:"points"`
	Cap     float64 `json:"cap"`
	Machine bool    `json:"machine"` // the probe can find it
	Service bool    `json:"service"` // skipped for department sites without services
}

// Category is a column category with its update window.
type Category struct {
	Code             string   `json:"code"`
	Name             string   `json:"name"`
	Window           string   `json:"window"` // "14d", "6m", "1y"
	Keywords         []string `json:"keywords"`
	FirstLevelPoints float64  `json:"first_level_points"`
}

// Group is a problem type as the bulletin lists it.
type Group struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Catalogue is one edition of the indicators with its thresholds.
type Catalogue struct {
	Edition  string  `json:"edition"`
	Title    string  `json:"title"`
	PassLine float64 `json:"pass_line"`
	Bonus    struct {
		Above float64 `json:"above"`
		Max   float64 `json:"max"`
	} `json:"bonus"`
	NoServices struct {
		Base   float64 `json:"base"`
		Factor float64 `json:"factor"`
	} `json:"no_services"`
	AccountDeductionsFail bool `json:"account_deductions_fail"`
	HomeStaleDays         int  `json:"home_stale_days"`
	Availability          struct {
		Days           int     `json:"days"`
		VisitsPerDay   int     `json:"visits_per_day"`
		FailRatio      float64 `json:"fail_ratio"`
		TimeoutSeconds int     `json:"timeout_seconds"`
	} `json:"availability"`
	ColumnsVeto struct {
		NewsPlusNotice int `json:"news_plus_notice"`
		Stale          int `json:"stale"`
		Blank          int `json:"blank"`
	} `json:"columns_veto"`
	InteractionUnansweredMonths int `json:"interaction_unanswered_months"`
	ReplyLateMonths             int `json:"reply_late_months"`
	// ServiceGuidesVetoShare is the province's threshold for
	// site.veto.service: the share (0–1] of the checked service guides
	// lacking key elements at which a site fails; 0 leaves the rule off
	// (the national rules give no figure).
	ServiceGuidesVetoShare float64     `json:"service_guides_veto_share"`
	Categories             []Category  `json:"categories"`
	Groups                 []Group     `json:"groups"`
	Indicators             []Indicator `json:"indicators"`

	byCode map[string]*Indicator
}

// Load reads and validates the default edition (or an office's override of
// it in assets.OverrideDir).
func Load() (*Catalogue, error) { return LoadFile(DefaultEdition) }

// LoadFile reads and validates one catalogue file of the assets.
func LoadFile(name string) (*Catalogue, error) {
	b, src, err := assets.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", src, err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", src, err)
	}
	return c, nil
}

// MustLoad is Load for tests and start-up paths where the embedded
// catalogue is known to be valid.
func MustLoad() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

var codeRe = regexp.MustCompile(`^(site|account)\.[a-z_]+\.[a-z_]+$`)

// Parse decodes and validates a catalogue.
func Parse(b []byte) (*Catalogue, error) {
	var c Catalogue
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Catalogue) validate() error {
	if len(c.Indicators) == 0 {
		return fmt.Errorf("no indicators")
	}
	if c.PassLine <= 0 || c.PassLine > 100 {
		return fmt.Errorf("pass_line %v is not in (0, 100]", c.PassLine)
	}
	if c.HomeStaleDays <= 0 {
		return fmt.Errorf("home_stale_days must be positive")
	}
	if c.NoServices.Base <= 0 || c.NoServices.Factor <= 0 {
		return fmt.Errorf("no_services base and factor must be positive")
	}
	if c.ServiceGuidesVetoShare < 0 || c.ServiceGuidesVetoShare > 1 {
		return fmt.Errorf("service_guides_veto_share %v is not between 0 and 1", c.ServiceGuidesVetoShare)
	}
	groups := map[string]bool{}
	for _, g := range c.Groups {
		if g.Code == "" || g.Name == "" {
			return fmt.Errorf("group %q: code and name are required", g.Code)
		}
		groups[g.Code] = true
	}
	c.byCode = map[string]*Indicator{}
	for i := range c.Indicators {
		ind := &c.Indicators[i]
		where := fmt.Sprintf("indicator %d (%s)", i+1, ind.Code)
		if !codeRe.MatchString(ind.Code) {
			return fmt.Errorf("%s: code must look like site.veto.name", where)
		}
		if _, dup := c.byCode[ind.Code]; dup {
			return fmt.Errorf("%s: duplicate code", where)
		}
		if ind.Kind != model.KindSite && ind.Kind != model.KindAccount {
			return fmt.Errorf("%s: kind %q is not site or account", where, ind.Kind)
		}
		if !strings.HasPrefix(ind.Code, ind.Kind+".") {
			return fmt.Errorf("%s: code does not start with its kind %q", where, ind.Kind)
		}
		switch ind.Type {
		case TypeVeto:
		case TypeDeduct, TypeBonus:
			if ind.Points <= 0 || ind.Cap <= 0 {
				return fmt.Errorf("%s: a %s indicator needs positive points and cap", where, ind.Type)
			}
		default:
			return fmt.Errorf("%s: type %q is not veto, deduct or bonus", where, ind.Type)
		}
		if ind.Name == "" {
			return fmt.Errorf("%s: name is required", where)
		}
		if !groups[ind.Group] {
			return fmt.Errorf("%s: group %q is not among the groups", where, ind.Group)
		}
		c.byCode[ind.Code] = ind
	}
	for i, cat := range c.Categories {
		if _, err := ParseWindow(cat.Window); err != nil {
			return fmt.Errorf("category %d (%s): %w", i+1, cat.Code, err)
		}
		if len(cat.Keywords) == 0 {
			return fmt.Errorf("category %d (%s): no keywords", i+1, cat.Code)
		}
	}
	return nil
}

// Indicator returns the indicator with code, or nil.
func (c *Catalogue) Indicator(code string) *Indicator { return c.byCode[code] }

// Name is the indicator's display name, or the code itself when unknown.
func (c *Catalogue) Name(code string) string {
	if ind := c.byCode[code]; ind != nil {
		return ind.Name
	}
	return code
}

// ForKind lists the indicators of one target kind in catalogue order.
func (c *Catalogue) ForKind(kind string) []Indicator {
	var out []Indicator
	for _, ind := range c.Indicators {
		if ind.Kind == kind {
			out = append(out, ind)
		}
	}
	return out
}

// Group returns the group with code.
func (c *Catalogue) Group(code string) Group {
	for _, g := range c.Groups {
		if g.Code == code {
			return g
		}
	}
	return Group{Code: code, Name: code}
}

// Categorize guesses a column's category from its name: the longest
// matching keyword wins, so 政策解读 beats 政策. Empty when none matches.
func (c *Catalogue) Categorize(name string) *Category {
	var best *Category
	bestLen := 0
	for i := range c.Categories {
		for _, kw := range c.Categories[i].Keywords {
			if strings.Contains(name, kw) && len([]rune(kw)) > bestLen {
				best, bestLen = &c.Categories[i], len([]rune(kw))
			}
		}
	}
	return best
}

// Category returns the category with code, or nil.
func (c *Catalogue) Category(code string) *Category {
	for i := range c.Categories {
		if c.Categories[i].Code == code {
			return &c.Categories[i]
		}
	}
	return nil
}

// Window is an update window in days, months or years; months and years
// are calendar arithmetic on the check point, as offices count them.
type Window struct {
	N    int
	Unit byte // 'd', 'm' or 'y'
}

// ParseWindow reads "14d", "6m" or "1y".
func ParseWindow(s string) (Window, error) {
	if len(s) < 2 {
		return Window{}, fmt.Errorf("window %q is not like 14d, 6m or 1y", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	u := s[len(s)-1]
	if err != nil || n <= 0 || (u != 'd' && u != 'm' && u != 'y') {
		return Window{}, fmt.Errorf("window %q is not like 14d, 6m or 1y", s)
	}
	return Window{N: n, Unit: u}, nil
}

// Since is the earliest date still inside the window ending at asOf.
func (w Window) Since(asOf time.Time) time.Time {
	switch w.Unit {
	case 'm':
		return asOf.AddDate(0, -w.N, 0)
	case 'y':
		return asOf.AddDate(-w.N, 0, 0)
	}
	return asOf.AddDate(0, 0, -w.N)
}

// WindowOf returns the parsed window of a category (validated on load).
func (cat *Category) WindowOf() Window {
	w, _ := ParseWindow(cat.Window)
	return w
}

// Suggest lists the codes closest to an unknown one, best first, for
// "unknown indicator" errors.
func (c *Catalogue) Suggest(code string, kind string) []string {
	type scored struct {
		code string
		d    int
	}
	var all []scored
	for _, ind := range c.Indicators {
		if kind != "" && ind.Kind != kind {
			continue
		}
		d := distance(code, ind.Code)
		if strings.Contains(ind.Code, code) || strings.Contains(code, lastPart(ind.Code)) {
			d -= 10
		}
		all = append(all, scored{ind.Code, d})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []string
	for i := 0; i < len(all) && i < 3; i++ {
		if all[i].d <= len(code)/2+2 || i == 0 {
			out = append(out, all[i].code)
		}
	}
	return out
}

func lastPart(code string) string {
	if i := strings.LastIndexByte(code, '.'); i >= 0 {
		return code[i+1:]
	}
	return code
}

// distance is the Levenshtein distance over runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
