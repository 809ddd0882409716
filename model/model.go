// Package model holds the few domain types every layer shares: targets,
// rounds, findings with their evidence, and decisions. It has no behaviour
// beyond small helpers, so that probe, store, rules and report can talk
// without importing each other.
package model

import (
	"sort"
	"time"
)

// Kinds of target.
const (
	KindSite    = "site"
	KindAccount = "account"
)

// Finding sources.
const (
	SourceProbe     = "probe"
	SourceInspector = "inspector"
)

// Confidence of a machine finding (empty for the inspector's own).
const (
	ConfCertain  = "确定"
	ConfSuspect  = "疑似"
	ConfPossible = "可能"
)

// Finding statuses as derived from the latest decision.
const (
	StatusOpen      = "open"
	StatusConfirmed = "confirmed"
	StatusDismissed = "dismissed"
)

// Decision actions (append-only log).
const (
	ActionConfirm = "confirm"
	ActionDismiss = "dismiss"
	ActionReopen  = "reopen" // written by undo: the finding returns to open
)

// Registry statuses of a target.
const (
	StatusRunning   = "正常运行"
	StatusException = "例外"
	StatusClosed    = "关停"
)

// Target is a site or account as the national registry lists it.
type Target struct {
	Code     string `json:"code"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Sponsor  string `json:"sponsor"`
	URL      string `json:"url"`
	Platform string `json:"platform"`
	Status   string `json:"status"`
	// Region is the administrative level or prefecture the target belongs
	// to, when the registry gives it (used for assignment and charts).
	Region string `json:"region,omitempty"`
	// NoServices marks a department site without public services: the
	// service indicators are skipped and the score is rescaled.
	NoServices bool `json:"no_services,omitempty"`
	// Portal marks a portal site (eligible for bonus points).
	Portal bool `json:"portal,omitempty"`
}

// Evidence is what a finding points at.
type Evidence struct {
	URL        string    `json:"url"`
	Snippet    string    `json:"snippet"`
	At         time.Time `json:"at"`
	Screenshot string    `json:"screenshot"` // content hash of a stored screenshot, or a file path the inspector gave
}

// Finding is an interpretation: an indicator that a target appears to
// violate, with a stable subject (a column URL, a link, a phrase).
type Finding struct {
	ID         int64      `json:"-"`
	UID        string     `json:"-"` // stable across databases: round|target|indicator|subject
	Round      string     `json:"round"`
	Target     string     `json:"target"`
	Kind       string     `json:"kind"`
	Indicator  string     `json:"indicator"`
	Status     string     `json:"status"`
	Source     string     `json:"source"`
	Subject    string     `json:"subject"`
	Detail     string     `json:"detail"`
	Confidence string     `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
	// Count is how many instances this finding stands for (e.g. broken
	// links), for indicators that deduct per instance. Zero means one.
	Count int `json:"count,omitempty"`
}

// Instances is the number of deductible instances the finding stands for.
func (f Finding) Instances() int {
	if f.Count <= 0 {
		return 1
	}
	return f.Count
}

// FindingUID is the identity of a finding across databases and re-analyses.
func FindingUID(round, target, indicator, subject string) string {
	return round + "|" + target + "|" + indicator + "|" + subject
}

// Decision is one entry of the append-only decision log.
type Decision struct {
	UID        string    `json:"uid"` // unique id, for merging
	FindingUID string    `json:"finding"`
	Action     string    `json:"action"`
	Note       string    `json:"note"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// Round is one quarter's check.
type Round struct {
	Name     string    `json:"name"`
	AsOf     time.Time `json:"as_of"` // the check point
	Seed     int64     `json:"seed"`
	Deadline time.Time `json:"deadline,omitzero"`
	Previous string    `json:"previous,omitempty"`
	Created  time.Time `json:"created"`
}

// Verdicts.
const (
	VerdictPass    = "pass"
	VerdictFail    = "fail"
	VerdictPending = "pending"
)

// Verdict is a target's result in a round.
type Verdict struct {
	Round   string   `json:"round"`
	Target  string   `json:"target"`
	Kind    string   `json:"kind"`
	Verdict string   `json:"verdict"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}

// SortFindings orders findings by indicator, then subject: the stable
// order every producer of findings returns them in.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Indicator != fs[j].Indicator {
			return fs[i].Indicator < fs[j].Indicator
		}
		return fs[i].Subject < fs[j].Subject
	})
}
