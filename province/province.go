// Package province builds a seeded, synthetic province of government
// websites and new-media accounts and serves it on loopback.
//
// It exists so that the probe, the detectors, the demo and the benchmarks
// can run against realistic, deliberately awkward sites without any
// network: four CMS styles, GBK and UTF-8 pages, lists drawn by script,
// cloaked spam, and clean sites whose lawful news mentions gambling. What
// was seeded is recorded as ground truth (Truth) with the indicator codes
// of the catalogue, so a probe run can be scored.
//
// Everything is a pure function of Options: the same seed gives
// byte-identical registry files and pages; no wall clock is read for
// content. Dates are relative to AsOf, the round's check point.
package province

import (
	"slices"
	"time"

	"inspector/model"
)

// Options select the province.
type Options struct {
	Seed int64
	// Small keeps about 12 sites and 20 accounts, with every defect kind
	// present at least once, for fast tests.
	Small bool
}

// Truth is one seeded defect: what a perfect inspector would find.
type Truth struct {
	Target    string `json:"target"`    // site or account code
	Indicator string `json:"indicator"` // indicator code as in INDICATORS.md
	// Subject identifies the instance: a column list URL, a broken URL, a
	// guide or article URL, a spam host, or the home URL for whole-site
	// indicators.
	Subject string `json:"subject"`
	Why     string `json:"why"`
	// Manual marks defects of accounts without a public web page: only an
	// inspector looking at the app can see them, never the probe.
	Manual bool `json:"manual,omitempty"`
}

// Province is a generated province. It is immutable after New and safe
// for concurrent use.
type Province struct {
	opt      Options
	asOf     time.Time
	sites    []*site
	accounts []*account
	truth    []Truth
	clean    map[string]bool
	hosts    map[string]*vhost // every served host
	dead     []string          // hosts that must refuse connections
}

// AsOfDate is the check point of the synthetic round (the reference
// bulletin's quarter).
var AsOfDate = time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)

// AsOf is the round's check point, date-only, UTC.
func (p *Province) AsOf() time.Time { return p.asOf }

// Sites returns the site registry, in registry order.
func (p *Province) Sites() []model.Target {
	out := make([]model.Target, len(p.sites))
	for i, s := range p.sites {
		out[i] = s.t
	}
	return out
}

// Accounts returns the account registry, in registry order.
func (p *Province) Accounts() []model.Target {
	out := make([]model.Target, len(p.accounts))
	for i, a := range p.accounts {
		out[i] = a.t
	}
	return out
}

// Truth returns the seeded defects, sorted by target, indicator, subject.
func (p *Province) Truth() []Truth { return slices.Clone(p.truth) }

// Clean reports whether the target with this code was seeded without any
// defect at all (police and market-regulation sites full of lawful news
// about gambling and fraud are among them).
func (p *Province) Clean(code string) bool { return p.clean[code] }

// Hosts returns every host name the province serves (sorted), including
// redirect targets and account platforms, but not hosts seeded to refuse
// connections and never spam hosts.
func (p *Province) Hosts() []string {
	var out []string
	for h := range p.hosts {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}

// SpamHosts are the unrelated gambling hosts spam blocks may link to.
// They are never served nor resolved: the probe must judge them unseen.
func (p *Province) SpamHosts() []string { return loadLexicon().spamHosts }
