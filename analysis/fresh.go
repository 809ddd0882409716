package analysis

import (
	"strings"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/msgs"
	"inspector/probe"
	"inspector/probe/read"
)

// Column is a column as analysis sees it: its list page read.
type Column struct {
	URL      string
	Name     string
	Category *catalog.Category
	List     read.List
	Page     *probe.Page
	Rendered bool
}

// Columns reads the column pages of a capture, once per final URL.
func Columns(cat *catalog.Catalogue, asOf time.Time, c *probe.Capture) []Column {
	var out []Column
	seen := map[string]bool{}
	for _, p := range c.Pages {
		if p.Role != probe.RoleColumn || pageFailed(p) {
			continue
		}
		key := p.FinalURL
		if key == "" {
			key = p.URL
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		name := p.LinkText
		var category *catalog.Category
		if cat != nil {
			category = cat.Categorize(name)
			if category == nil {
				category = cat.Categorize(p.Title)
				if name == "" {
					name = p.Title
				}
			}
		}
		out = append(out, Column{URL: p.URL, Name: name, Category: category,
			List: read.ReadList(pageHTML(p), p.FinalURL, asOf), Page: p, Rendered: p.Rendered != ""})
	}
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return msgs.F("fresh.no_date")
	}
	return t.Format("2006-01-02")
}

// freshness applies the home-page and column update rules.
func (a *analyzer) freshness(home *probe.Page, root string) {
	cols := Columns(a.cat, a.asOf, a.c)
	a.homeStale(home, root, cols)
	a.columnsStale(root, cols)
}

func (a *analyzer) homeStale(home *probe.Page, root string, cols []Column) {
	if home == nil || a.cat == nil {
		return
	}
	since := a.asOf.AddDate(0, 0, -a.cat.HomeStaleDays)
	items := read.Items(pageHTML(home), home.FinalURL, a.asOf)
	var newest read.Item
	for _, it := range items {
		if it.Date.After(newest.Date) {
			newest = it
		}
	}
	if len(items) > 0 {
		if newest.Date.Before(since) {
			a.add(IndHomeStale, root, msgs.F("fresh.home_stale", day(newest.Date), day(a.asOf), a.cat.HomeStaleDays),
				model.ConfCertain, ev(home, newest.Title+" "+day(newest.Date)))
		}
		return
	}
	// A navigation-only home page: judged by its second-level pages.
	var best Column
	for _, c := range cols {
		if c.List.Newest.After(best.List.Newest) {
			best = c
		}
	}
	if !best.List.Newest.IsZero() && !best.List.Newest.Before(since) {
		return
	}
	detail := msgs.F("fresh.home_undated")
	if len(cols) > 0 {
		detail += msgs.F("fresh.home_undated.columns", len(cols), day(best.List.Newest))
	}
	a.add(IndHomeStale, root, detail, model.ConfSuspect, ev(home, snippet(home.Text, 160)))
}

// columnState is one column's judgement.
type columnState struct {
	col    Column
	stale  bool
	blank  bool
	conf   string
	detail string
}

// The column categories the veto's criterion (a) counts.
const (
	catNews   = "news"
	catNotice = "notice"
)

// columnsStale applies the column rules of INDICATORS.md, thresholds from
// the catalogue's columns_veto:
//
//	(a) news columns past their window plus first-level notice / policy
//	    columns past theirs, together ≥ news_plus_notice;
//	(b) columns of any category past their window, ≥ stale;
//	(c) blank columns, ≥ blank.
//
// A site reaching none of them gets one deduction per stale or blank column.
func (a *analyzer) columnsStale(root string, cols []Column) {
	if a.cat == nil {
		return
	}
	first := a.firstLevel()
	var bad []columnState
	// counts of the three criteria; *Sure counts only certain judgements
	var nn, nnSure, stale, staleSure, blank, blankSure int
	var nnNames, staleNames, blankNames []string
	for _, c := range cols {
		st := columnState{col: c, conf: model.ConfCertain}
		switch {
		case c.List.Blank:
			st.blank = true
			st.detail = msgs.F("fresh.column_blank", c.Name, c.List.Marker)
			if !c.Rendered && c.List.Marker == "empty list" {
				// An empty container may be filled by a script the
				// probe did not run.
				st.conf = model.ConfPossible
			}
		case c.Category == nil:
			continue // no window: an office would judge it by hand
		case len(c.List.Items) == 0:
			continue // nothing read: no judgement rather than a guess
		default:
			since := c.Category.WindowOf().Since(a.asOf)
			if !c.List.Newest.Before(since) {
				continue
			}
			st.stale = true
			if c.List.Newest.IsZero() {
				st.conf = model.ConfSuspect
			}
			st.detail = msgs.F("fresh.column_stale", c.Name, c.Category.Name, c.Category.Window, day(c.List.Newest), day(since))
		}
		sure := st.conf == model.ConfCertain
		if st.blank {
			blank++
			blankNames = append(blankNames, c.Name)
			if sure {
				blankSure++
			}
		}
		if st.stale {
			stale++
			staleNames = append(staleNames, c.Name)
			if sure {
				staleSure++
			}
			if code := c.Category.Code; code == catNews || (code == catNotice && first(c)) {
				nn++
				nnNames = append(nnNames, c.Name)
				if sure {
					nnSure++
				}
			}
		}
		bad = append(bad, st)
	}
	cv := a.cat.ColumnsVeto
	var why []string
	conf := model.ConfSuspect
	reach := func(n, sure, limit int, key string, names []string) {
		if limit <= 0 || n < limit {
			return
		}
		why = append(why, msgs.F(key, n, msgs.List(names)))
		if sure >= limit {
			conf = model.ConfCertain
		}
	}
	reach(nn, nnSure, cv.NewsPlusNotice, "fresh.columns.news_notice", nnNames)
	reach(stale, staleSure, cv.Stale, "fresh.columns.stale", staleNames)
	reach(blank, blankSure, cv.Blank, "fresh.columns.blank", blankNames)
	if len(why) > 0 {
		var evs []model.Evidence
		for _, b := range bad {
			if len(evs) < 20 {
				evs = append(evs, ev(b.col.Page, b.detail))
			}
		}
		a.add(IndColumnsStale, root, strings.Join(why, ";"), conf, evs...)
		return
	}
	for _, b := range bad {
		a.add(IndColumnStale, b.col.URL, b.detail, b.conf, ev(b.col.Page, b.detail))
	}
}

// firstLevel tells a first-level column (linked from the home page) from
// a second-level one the probe reached through a navigation page. Without
// a home page every column counts as first-level.
func (a *analyzer) firstLevel() func(Column) bool {
	home := a.home()
	if home == nil {
		return func(Column) bool { return true }
	}
	linked := map[string]bool{}
	for _, l := range home.Links {
		linked[l.Href] = true
	}
	for _, it := range read.Anchors(read.Parse(pageHTML(home)), home.FinalURL) {
		linked[it.Href] = true
	}
	return func(c Column) bool {
		return linked[c.URL] || (c.Page != nil && linked[c.Page.FinalURL])
	}
}

// account applies the account rules where the account has a web page.
func (a *analyzer) account() {
	var page *probe.Page
	for _, p := range a.c.Pages {
		if p.Role == probe.RoleAccount || p.Role == probe.RoleHome {
			page = p
			break
		}
	}
	if page == nil || pageFailed(page) || a.cat == nil {
		return
	}
	since := a.asOf.AddDate(0, 0, -a.cat.HomeStaleDays)
	text := page.Text
	if text == "" {
		text = read.Text(read.Parse(pageHTML(page)))
	}
	var newest time.Time
	for _, t := range read.Dates(text, a.asOf) {
		if t.After(newest) {
			newest = t
		}
	}
	if newest.Before(since) {
		conf := model.ConfCertain
		if newest.IsZero() {
			conf = model.ConfSuspect
		}
		a.add(IndAccStale, a.c.Target.URL, msgs.F("fresh.account_stale", day(newest), a.cat.HomeStaleDays), conf, ev(page, snippet(text, 160)))
	}
}
