package analysis

import (
	"time"

	"inspector/model"
	"inspector/probe"
	"inspector/probe/read"
)

// Newest is the date of the newest item the capture shows: a site's home
// page list (or, for a navigation-only home page, its freshest column), an
// account's newest post. The watch list uses it to warn targets that
// passed but are close to the staleness limit. ok is false when no dated
// item was seen.
func Newest(asOf time.Time, c *probe.Capture) (time.Time, bool) {
	var newest time.Time
	for _, p := range c.Pages {
		if pageFailed(p) {
			continue
		}
		switch {
		case c.Target.Kind == model.KindAccount && (p.Role == probe.RoleAccount || p.Role == probe.RoleHome):
			text := p.Text
			if text == "" {
				text = read.Text(read.Parse(pageHTML(p)))
			}
			for _, t := range read.Dates(text, asOf) {
				newest = later(newest, t)
			}
		case c.Target.Kind == model.KindSite && p.Role == probe.RoleHome:
			for _, it := range read.Items(pageHTML(p), p.FinalURL, asOf) {
				newest = later(newest, it.Date)
			}
		}
		if !newest.IsZero() {
			return newest, true
		}
	}
	for _, col := range Columns(nil, asOf, c) {
		newest = later(newest, col.List.Newest)
	}
	return newest, !newest.IsZero()
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
