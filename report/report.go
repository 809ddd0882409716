// Package report builds the quarterly bulletin (通报) of a round from its
// verdicts: a list of typed paragraphs rendered from the office's
// templates (assets/templates), written as Markdown and .docx, with the
// attachments of failed sites and accounts as .xlsx and an internal watch
// list. Every figure comes from verdicts.Round, so the bulletin, the review
// UI and `inspector verdicts` agree. Dates come from the round, never from
// the wall clock.
package report

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
	"inspector/verdicts"
)

// Options adjust an export.
type Options struct {
	// Draft lets unreviewed targets through, marked 待核实 in the text,
	// and marks what is still missing (a deadline).
	Draft bool
	// Office overrides the issuing office of the templates' office.json.
	Office string
	// Date is the issue date; zero means the round's check point.
	Date time.Time
	// Newest is each target's newest item as the probe saw it (home page
	// or newest post), for the watch list's staleness warning. The CLI
	// reads it from the stored captures; nil leaves that warning out.
	Newest map[string]time.Time
}

// Figures are one kind's counts in a round. Pass rates are out of
// Checked: the targets with a verdict.
type Figures struct {
	Total      int    // in the round's sample
	Registry   int    // in the registry (the sample's population)
	Checked    int    // with a verdict (pass or fail): the denominator
	Passed     int    // verdict pass
	Failed     int    // verdict fail
	Deducted   int    // passed, with counted findings (deductions)
	Problems   int    // Failed + Deducted
	Pending    int    // nothing recorded yet: not in the figures above
	Unreviewed int    // counted, but not finished by the inspector
	Tenths     int    // pass rate in tenths of a per cent; -1 when nothing was checked
	Rate       string // pass rate in per cent, one decimal ("94.0")
}

// Platform is the figures of the accounts on one platform.
type Platform struct {
	Name string
	Figures
}

// Change is a pass rate's change between two rounds.
type Change struct {
	Dir      int    // 1 up, -1 down, 0 unchanged
	Abs      string // percentage points, one decimal
	From, To string // the two rates
	// Known is false when either round has no rate (nothing checked).
	Known bool
}

// Names is a list of target names as the text gives it: the first few,
// and the total.
type Names struct {
	Names     []string // shown
	Joined    string   // shown, joined by the separator
	Total     int
	Truncated bool // Total > len(Names)
}

// IndicatorCount is how many targets of a problem type an indicator hit.
type IndicatorCount struct {
	Code, Name string
	Veto       bool
	Targets    int // targets with the indicator
	Of         int // targets of that kind in the problem type
}

// Problem is one problem type (a catalogue group) with the targets it hit.
type Problem struct {
	Ordinal           string // 一, 二 …
	Code, Name        string
	Sites, Accounts   Names
	SiteIndicators    []IndicatorCount
	AccountIndicators []IndicatorCount
}

// Entry is a target of the round as the export sees it.
type Entry struct {
	Target     model.Target
	Verdict    model.Verdict
	Findings   []model.Finding // counted: not dismissed
	Unreviewed bool
	Label      string // name as printed (platform, 待核实 mark)
}

// Rect is one of the previous round's failures and its state now.
type Rect struct {
	Target model.Target
	Label  string
	Before string // the previous round's reasons (names)
	State  string // fixed, failed, pending or absent
	Status string // State as the labels word it
	Now    string // reasons now, when it failed again
}

// Comparison is the round against its previous one.
type Comparison struct {
	Round                       model.Round
	Quarter                     string
	Sites, Accounts             Figures
	SiteChange, AccountChange   Change
	RepeatSites, RepeatAccounts Names // failed in both rounds
	Rectification               []Rect
	Fixed, StillFailed          int
	Pending, Absent             int
}

// Signal is why a passing target is on the watch list.
type Signal struct {
	Type      string // "score", "near_veto" or "newest"
	Score     string // the score (type score)
	Line      string // the pass line
	Name      string // the indicator's name (type near_veto)
	VetoName  string // the veto it is close to ("" when it is a cap)
	Instances int
	Threshold int
	Short     string // how far from the line
	Newest    string // the newest item's date (type newest)
	Days      int    // its age at the check point, in days
	Limit     int    // the staleness window, in days
}

// Watch is a passing target close to a limit (internal, not published).
type Watch struct {
	Target  model.Target
	Label   string
	Signals []Signal
}

// Attachment is one .xlsx of the bulletin.
type Attachment struct {
	File   string
	Title  string
	Kind   string
	Header []string
	Sheets []Sheet
}

// Sheet is one worksheet: rows under the attachment's header.
type Sheet struct {
	Name string
	Rows [][]string
}

// Bulletin is a round's bulletin, ready to render.
type Bulletin struct {
	Round            model.Round
	Year, QuarterN   int
	Quarter          string // 2020年第三季度
	QuarterShort     string // 三季度
	Office           string
	Scope            string
	ReportTo         string
	Contact          string
	Date             string // issue date as printed
	Deadline         string // "" when the round has none
	Draft            bool
	CatalogueEdition string
	CatalogueTitle   string

	Sites, Accounts Figures
	Platforms       []Platform
	Problems        []Problem
	// SiteEntries and AccountEntries are every target of the round, by
	// code; Unreviewed those not finished (only in a draft).
	SiteEntries, AccountEntries []Entry
	Unreviewed                  []Entry
	Previous                    *Comparison
	Watch                       []Watch
	Attachments                 []Attachment

	// Paragraphs are the bulletin; Watchlist the internal list.
	Paragraphs []Paragraph
	Watchlist  []Paragraph

	labels *Labels
	layout *Layout
}

// UnreviewedError stops a final export while targets are not reviewed.
type UnreviewedError struct {
	Round   string
	Targets []model.Target
}

func (e *UnreviewedError) Error() string {
	var names []string
	for i, t := range e.Targets {
		if i == 5 {
			break
		}
		names = append(names, t.Code+" "+t.Name)
	}
	more := ""
	if len(e.Targets) > 5 {
		more = fmt.Sprintf(" and %d more", len(e.Targets)-5)
	}
	return fmt.Sprintf("export: %d targets of round %s are not reviewed yet: %s%s (finish them in the review, or export --draft)",
		len(e.Targets), e.Round, strings.Join(names, ", "), more)
}

// Details lists every unreviewed target, for the command line.
func (e *UnreviewedError) Details() []string {
	var out []string
	for _, t := range e.Targets {
		out = append(out, t.Code+"  "+t.Kind+"  "+t.Name)
	}
	return out
}

// Build assembles the bulletin of a round ("" for the latest) from the
// store's verdicts.
func Build(db *store.DB, cat *catalog.Catalogue, round string, opt Options) (*Bulletin, error) {
	r, err := db.RoundOrLatest(round)
	if err != nil {
		return nil, err
	}
	l, err := loadLabels()
	if err != nil {
		return nil, err
	}
	var off Office
	if err := decodeJSON(officeFile, &off); err != nil {
		return nil, err
	}
	lay, err := loadLayout()
	if err != nil {
		return nil, err
	}
	rules, err := loadWatchRules()
	if err != nil {
		return nil, err
	}
	rows, err := verdicts.Round(db, cat, r.Name)
	if err != nil {
		return nil, err
	}
	b := &Bulletin{Round: r, Draft: opt.Draft, labels: l, layout: lay, Office: off.Office, Scope: off.Scope, ReportTo: off.ReportTo,
		Contact: off.Contact, CatalogueEdition: cat.Edition, CatalogueTitle: cat.Title}
	if opt.Office != "" {
		b.Office = opt.Office
	}
	b.Year, b.QuarterN = quarterOf(r)
	b.Quarter = fmt.Sprintf(l.QuarterFormat, b.Year, l.numeral(b.QuarterN))
	b.QuarterShort = fmt.Sprintf(l.QuarterShortFormat, l.numeral(b.QuarterN))
	date := opt.Date
	if date.IsZero() {
		date = r.AsOf
	}
	b.Date = l.date(date)
	if !r.Deadline.IsZero() {
		b.Deadline = l.date(r.Deadline)
	}

	entries := entriesOf(cat, l, rows, opt.Draft)
	var unreviewed []model.Target
	for _, e := range entries {
		if e.Unreviewed {
			unreviewed = append(unreviewed, e.Target)
			b.Unreviewed = append(b.Unreviewed, e)
		}
		if e.Target.Kind == model.KindSite {
			b.SiteEntries = append(b.SiteEntries, e)
		} else {
			b.AccountEntries = append(b.AccountEntries, e)
		}
	}
	if len(unreviewed) > 0 && !opt.Draft {
		return nil, &UnreviewedError{Round: r.Name, Targets: unreviewed}
	}
	for kind, f := range map[string]*Figures{model.KindSite: &b.Sites, model.KindAccount: &b.Accounts} {
		reg, err := db.Targets(kind)
		if err != nil {
			return nil, err
		}
		f.Registry = len(reg)
	}
	b.Sites = figures(b.SiteEntries, b.Sites.Registry, l)
	b.Accounts = figures(b.AccountEntries, b.Accounts.Registry, l)
	b.Platforms = platforms(b.AccountEntries, l)
	b.Problems = problems(cat, l, entries)
	if r.Previous != "" {
		if b.Previous, err = compare(db, cat, l, r.Previous, b, entries); err != nil {
			return nil, err
		}
	}
	b.Watch = watchList(cat, l, rules, entries, b.Round.AsOf, opt.Newest)
	b.Attachments = attachments(cat, l, b)

	if b.Paragraphs, err = render(bulletinTemplate, l, b); err != nil {
		return nil, err
	}
	if b.Watchlist, err = render(watchlistTemplate, l, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Markdown is the bulletin as Markdown (bulletin.md).
func (b *Bulletin) Markdown() string { return markdown(b.Paragraphs) }

// WatchlistMarkdown is the internal watch list as Markdown (watchlist.md).
func (b *Bulletin) WatchlistMarkdown() string { return markdown(b.Watchlist) }

var quarterRe = regexp.MustCompile(`(\d{4})\s*[-_ ]?\s*[Qq]([1-4])`)

// quarterOf reads the year and quarter from a round name like 2020Q3,
// else from its check point.
func quarterOf(r model.Round) (int, int) {
	if m := quarterRe.FindStringSubmatch(r.Name); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		return y, q
	}
	return r.AsOf.Year(), (int(r.AsOf.Month())-1)/3 + 1
}

func (l *Labels) date(t time.Time) string {
	return fmt.Sprintf(l.DateFormat, t.Year(), int(t.Month()), t.Day())
}

// counted keeps the findings the verdict counted: not dismissed, known to
// the catalogue for the target's kind, service indicators skipped for
// sites without services (as rules.Evaluate does).
func counted(cat *catalog.Catalogue, t model.Target, fs []model.Finding) []model.Finding {
	var out []model.Finding
	for _, f := range fs {
		if f.Status == model.StatusDismissed {
			continue
		}
		ind := cat.Indicator(f.Indicator)
		if ind == nil || ind.Kind != t.Kind || (t.Kind == model.KindSite && t.NoServices && ind.Service) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func entriesOf(cat *catalog.Catalogue, l *Labels, rows []verdicts.Row, draft bool) []Entry {
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		e := Entry{Target: r.Target, Verdict: r.Verdict, Findings: counted(cat, r.Target, r.Findings)}
		open := false
		for _, f := range r.Findings {
			if f.Status == model.StatusOpen {
				open = true
			}
		}
		e.Unreviewed = r.Verdict.Verdict == model.VerdictPending || (!r.Reviewed && open)
		e.Label = r.Target.Name
		if r.Target.Kind == model.KindAccount && r.Target.Platform != "" && l.AccountName != "" {
			e.Label = fmt.Sprintf(l.AccountName, r.Target.Name, r.Target.Platform)
		}
		if draft && e.Unreviewed {
			e.Label += l.PendingMark
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Target.Kind != out[j].Target.Kind {
			return out[i].Target.Kind == model.KindSite
		}
		return out[i].Target.Code < out[j].Target.Code
	})
	return out
}

// rate is passed/checked in tenths of a per cent, rounded half up, in
// integers so that 126/134 is 94.0 on every platform.
func rate(passed, checked int) int {
	if checked == 0 {
		return -1
	}
	return (2000*passed + checked) / (2 * checked)
}

func tenths(n int) string { return fmt.Sprintf("%d.%d", n/10, n%10) }

func (l *Labels) rateText(t int) string {
	if t < 0 {
		return l.RateNA
	}
	return tenths(t)
}

func figures(es []Entry, registry int, l *Labels) Figures {
	f := Figures{Total: len(es), Registry: registry}
	for _, e := range es {
		switch e.Verdict.Verdict {
		case model.VerdictPass:
			f.Passed++
			if len(e.Findings) > 0 {
				f.Deducted++
			}
		case model.VerdictFail:
			f.Failed++
		default:
			f.Pending++
			continue
		}
		if e.Unreviewed {
			f.Unreviewed++
		}
	}
	f.Checked = f.Passed + f.Failed
	f.Problems = f.Failed + f.Deducted
	f.Tenths = rate(f.Passed, f.Checked)
	f.Rate = l.rateText(f.Tenths)
	return f
}

func platforms(es []Entry, l *Labels) []Platform {
	by := map[string][]Entry{}
	for _, e := range es {
		by[e.Target.Platform] = append(by[e.Target.Platform], e)
	}
	order := map[string]int{}
	for i, p := range l.Platforms {
		order[p] = i + 1
	}
	var names []string
	for p := range by {
		names = append(names, p)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, oj := order[names[i]], order[names[j]]
		if (oi == 0) != (oj == 0) {
			return oi != 0
		}
		if oi != oj {
			return oi < oj
		}
		return names[i] < names[j]
	})
	var out []Platform
	for _, p := range names {
		f := figures(by[p], 0, l)
		if p == "" || f.Checked == 0 {
			continue
		}
		out = append(out, Platform{Name: p, Figures: f})
	}
	return out
}

func (l *Labels) names(labels []string) Names {
	n := Names{Total: len(labels)}
	n.Names = labels
	if len(labels) > l.MaxNames {
		n.Names, n.Truncated = labels[:l.MaxNames], true
	}
	n.Joined = strings.Join(n.Names, l.NameSeparator)
	return n
}

// problems groups the counted findings by problem type, in the
// catalogue's order of groups, naming targets by code.
func problems(cat *catalog.Catalogue, l *Labels, es []Entry) []Problem {
	var out []Problem
	for _, g := range cat.Groups {
		p := Problem{Code: g.Code, Name: g.Name}
		var sites, accounts []string
		inds := map[string]map[string]bool{} // indicator → targets
		for _, e := range es {
			hit := false
			for _, f := range e.Findings {
				ind := cat.Indicator(f.Indicator)
				if ind.Group != g.Code {
					continue
				}
				hit = true
				if inds[ind.Code] == nil {
					inds[ind.Code] = map[string]bool{}
				}
				inds[ind.Code][e.Target.Code] = true
			}
			if !hit {
				continue
			}
			if e.Target.Kind == model.KindSite {
				sites = append(sites, e.Label)
			} else {
				accounts = append(accounts, e.Label)
			}
		}
		if len(sites)+len(accounts) == 0 {
			continue
		}
		p.Sites, p.Accounts = l.names(sites), l.names(accounts)
		for _, ind := range cat.Indicators {
			n := len(inds[ind.Code])
			if ind.Group != g.Code || n == 0 {
				continue
			}
			ic := IndicatorCount{Code: ind.Code, Name: ind.Name, Veto: ind.Type == catalog.TypeVeto, Targets: n}
			if ind.Kind == model.KindSite {
				ic.Of = len(sites)
				p.SiteIndicators = append(p.SiteIndicators, ic)
			} else {
				ic.Of = len(accounts)
				p.AccountIndicators = append(p.AccountIndicators, ic)
			}
		}
		out = append(out, p)
	}
	for i := range out {
		out[i].Ordinal = l.numeral(i + 1)
	}
	return out
}

func (l *Labels) reasons(cat *catalog.Catalogue, codes []string) string {
	var names []string
	for _, c := range codes {
		names = append(names, cat.Name(c))
	}
	return strings.Join(names, l.NameSeparator)
}

func change(prev, cur int, l *Labels) Change {
	c := Change{From: l.rateText(prev), To: l.rateText(cur), Abs: l.RateNA}
	if prev < 0 || cur < 0 {
		return c
	}
	c.Known = true
	d := cur - prev
	switch {
	case d > 0:
		c.Dir = 1
	case d < 0:
		c.Dir, d = -1, -d
	}
	c.Abs = tenths(d)
	return c
}

// compare sets the round against the previous one: rates, repeated
// failures, and the rectification of last round's failures.
func compare(db *store.DB, cat *catalog.Catalogue, l *Labels, prevName string, b *Bulletin, cur []Entry) (*Comparison, error) {
	pr, err := db.Round(prevName)
	if err != nil {
		return nil, fmt.Errorf("previous round: %w", err)
	}
	rows, err := verdicts.Round(db, cat, pr.Name)
	if err != nil {
		return nil, err
	}
	prev := entriesOf(cat, l, rows, false)
	c := &Comparison{Round: pr}
	y, q := quarterOf(pr)
	c.Quarter = fmt.Sprintf(l.QuarterFormat, y, l.numeral(q))
	var ps, pa []Entry
	for _, e := range prev {
		if e.Target.Kind == model.KindSite {
			ps = append(ps, e)
		} else {
			pa = append(pa, e)
		}
	}
	c.Sites, c.Accounts = figures(ps, 0, l), figures(pa, 0, l)
	c.SiteChange = change(c.Sites.Tenths, b.Sites.Tenths, l)
	c.AccountChange = change(c.Accounts.Tenths, b.Accounts.Tenths, l)
	now := map[string]Entry{}
	for _, e := range cur {
		now[e.Target.Code] = e
	}
	var repS, repA []string
	for _, e := range prev {
		if e.Verdict.Verdict != model.VerdictFail {
			continue
		}
		r := Rect{Target: e.Target, Label: e.Label, Before: l.reasons(cat, e.Verdict.Reasons)}
		n, ok := now[e.Target.Code]
		switch {
		case !ok:
			r.State = "absent"
			c.Absent++
		case n.Verdict.Verdict == model.VerdictFail:
			r.State, r.Now, r.Label = "failed", l.reasons(cat, n.Verdict.Reasons), n.Label
			c.StillFailed++
			if e.Target.Kind == model.KindSite {
				repS = append(repS, n.Label)
			} else {
				repA = append(repA, n.Label)
			}
		case n.Verdict.Verdict == model.VerdictPass && !n.Unreviewed:
			r.State, r.Label = "fixed", n.Label
			c.Fixed++
		default:
			r.State, r.Label = "pending", n.Label
			c.Pending++
		}
		r.Status = l.Rectification[r.State]
		if r.Status == "" {
			r.Status = r.State
		}
		c.Rectification = append(c.Rectification, r)
	}
	c.RepeatSites, c.RepeatAccounts = l.names(repS), l.names(repA)
	return c, nil
}

func trimScore(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// watchList finds passing targets close to the pass line or to a veto,
// by the thresholds of watchlist.json.
func watchList(cat *catalog.Catalogue, l *Labels, w *WatchRules, es []Entry, asOf time.Time, newest map[string]time.Time) []Watch {
	var out []Watch
	for _, e := range es {
		if e.Verdict.Verdict != model.VerdictPass {
			continue
		}
		var sig []Signal
		scored := e.Target.Kind == model.KindSite || cat.AccountDeductionsFail
		if scored && len(e.Findings) > 0 && w.ScoreMargin > 0 && e.Verdict.Score < cat.PassLine+w.ScoreMargin {
			sig = append(sig, Signal{Type: "score", Score: trimScore(e.Verdict.Score), Line: trimScore(cat.PassLine),
				Short: trimScore(e.Verdict.Score - cat.PassLine)})
		}
		inst := map[string]int{}
		for _, f := range e.Findings {
			inst[f.Indicator] += f.Instances()
		}
		for i, r := range w.NearVeto {
			n := inst[r.Indicator]
			th := w.threshold(cat, i)
			if n == 0 || th <= 0 || n < th-r.Margin || n >= th {
				continue
			}
			s := Signal{Type: "near_veto", Name: cat.Name(r.Indicator), Instances: n, Threshold: th, Short: strconv.Itoa(max(0, th-n))}
			if r.Veto != "" {
				s.VetoName = cat.Name(r.Veto)
			}
			sig = append(sig, s)
		}
		if n, ok := newest[e.Target.Code]; ok && w.NewestMinDays > 0 {
			days := int(asOf.Sub(n).Hours() / 24)
			if days >= w.NewestMinDays && days <= cat.HomeStaleDays {
				sig = append(sig, Signal{Type: "newest", Newest: n.Format("2006-01-02"), Days: days, Limit: cat.HomeStaleDays,
					Short: strconv.Itoa(cat.HomeStaleDays - days)})
			}
		}
		if len(sig) > 0 {
			out = append(out, Watch{Target: e.Target, Label: e.Label, Signals: sig})
		}
	}
	return out
}
