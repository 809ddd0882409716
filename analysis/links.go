package analysis

import (
	"sort"
	"strings"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/msgs"
	"inspector/probe"
)

// links turns broken link checks into deductions: one finding per broken
// URL (Subject: the URL, stable across runs), listing every page that
// links it. Blocked and skipped links are not deducted.
func (a *analyzer) links() {
	for _, l := range a.c.Links {
		if l.Result != probe.LinkBroken {
			continue
		}
		ind := IndLinks
		where := msgs.F("links.where.other")
		if l.OnHome {
			ind, where = IndHomeLinks, msgs.F("links.where.home")
		}
		why := describeFailure(l.Status, l.Err)
		from := append([]string(nil), l.From...)
		sort.Strings(from)
		evs := []model.Evidence{}
		for i, f := range from {
			if i == 10 {
				break
			}
			evs = append(evs, model.Evidence{URL: f, Snippet: msgs.F("links.broken.ev", l.URL, why), At: a.c.Started})
		}
		f := a.add(ind, l.URL, msgs.F("links.broken", where, why, len(from), strings.Join(firstN(from, 5), " ")), model.ConfCertain, evs...)
		if f != nil {
			f.Count = 1
		}
	}
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// Availability is the result of the availability rule over spaced visits.
type Availability struct {
	Days      int     // distinct days with visits
	Visits    int     // visits counted
	Failed    int     // failed visits
	Ratio     float64 // Failed / Visits
	Enough    bool    // the rule's minimum (days × visits a day) was met
	Unreached bool    // the veto applies
	Reason    string  // what was found, or why it cannot be judged yet
}

// Evaluate applies the catalogue's availability rule (≥ 20 spaced visits a
// day for 7 days; failed visits ≥ 5 % of all) to the visits of one target
// in the days up to asOf.
func Evaluate(cat *catalog.Catalogue, asOf time.Time, visits []probe.Visit) Availability {
	r := cat.Availability
	from := asOf.AddDate(0, 0, -r.Days)
	perDay := map[string]int{}
	var a Availability
	for _, v := range visits {
		if v.At.Before(from) || v.At.After(asOf.AddDate(0, 0, 1)) {
			continue
		}
		a.Visits++
		perDay[v.At.Format("2006-01-02")]++
		if !v.OK {
			a.Failed++
		}
	}
	a.Days = len(perDay)
	fullDays := 0
	for _, n := range perDay {
		if n >= r.VisitsPerDay {
			fullDays++
		}
	}
	if a.Visits > 0 {
		a.Ratio = float64(a.Failed) / float64(a.Visits)
	}
	a.Enough = fullDays >= r.Days
	switch {
	case !a.Enough:
		a.Reason = msgs.F("access.too_few", a.Days, fullDays, r.VisitsPerDay, a.Visits, a.Failed, r.Days)
	case a.Ratio >= r.FailRatio:
		a.Unreached = true
		a.Reason = msgs.F("access.unreached", a.Days, a.Visits, a.Failed, 100*a.Ratio, 100*r.FailRatio)
	default:
		a.Reason = msgs.F("access.reached", a.Days, a.Visits, a.Failed, 100*a.Ratio, 100*r.FailRatio)
	}
	return a
}

// AvailabilityFinding is the unreachable veto from spaced visits, nil when
// the rule does not apply. Confidence is 确定 only when enough visits were
// made.
func AvailabilityFinding(cat *catalog.Catalogue, asOf time.Time, round string, t model.Target, visits []probe.Visit) *model.Finding {
	a := Evaluate(cat, asOf, visits)
	if !a.Unreached {
		return nil
	}
	f := &model.Finding{Round: round, Target: t.Code, Kind: t.Kind, Indicator: IndUnreachable, Status: model.StatusOpen,
		Source: model.SourceProbe, Subject: t.URL, Detail: a.Reason, Confidence: model.ConfCertain,
		Evidence: []model.Evidence{{URL: t.URL, Snippet: a.Reason, At: asOf}}}
	f.UID = model.FindingUID(round, t.Code, f.Indicator, f.Subject)
	return f
}
