package analysis

import (
	"net/url"
	"sort"
	"strings"

	"inspector/model"
)

// Expected is one seeded defect of a synthetic province (ground truth).
type Expected struct {
	Target    string
	Indicator string
	Subject   string
	// Whole marks a defect of the target as a whole (its subject is the
	// target's own address): any finding of the indicator on the target
	// names it, whatever the finding's subject ("no-channel" …).
	Whole bool
}

// WholeTarget reports whether a ground-truth subject names the target as
// a whole: the target's registered address, or the root of a web site.
func WholeTarget(subject, targetURL string) bool {
	n := normSubject(subject)
	if n == "" || n == normSubject(targetURL) {
		return true
	}
	u, err := url.Parse(n)
	return err == nil && u.Scheme != "" && u.Host != "" && (u.Path == "" || u.Path == "/") && u.RawQuery == ""
}

// IndicatorScore compares findings with ground truth for one indicator.
type IndicatorScore struct {
	Indicator string
	Expected  int
	Found     int // expected defects with a matching finding
	// False counts findings on a target for which the ground truth holds
	// nothing of this indicator: a defect reported where none was seeded.
	False int
	// Other counts findings on a target with ground truth for this
	// indicator that match no single expected defect (a second subject
	// for the same defect, such as the technique of an infection whose
	// spam host is reported as well). Not false, not recall.
	Other  int
	Missed []Expected
	Extra  []model.Finding // the false findings
	Others []model.Finding
}

// Recall is Found / Expected (1 when nothing was expected).
func (s IndicatorScore) Recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.Found) / float64(s.Expected)
}

// normSubject makes URL subjects comparable: case of the host, a trailing
// slash or index page.
func normSubject(s string) string {
	s = strings.TrimSpace(s)
	for _, ix := range []string{"index.html", "index.htm", "index.shtml"} {
		s = strings.TrimSuffix(s, "/"+ix)
	}
	return strings.TrimSuffix(strings.ToLower(s), "/")
}

// Score matches findings to expected defects per indicator. Recall is per
// expected defect: a finding on the same target with the same subject, or,
// for a defect of the whole target, any finding of the indicator on the
// target; each finding matches one defect at most. A finding on a target
// with no expected defect of the indicator at all is false; the other
// unmatched findings are counted apart (Other).
func Score(indicators []string, expected []Expected, findings []model.Finding) []IndicatorScore {
	var out []IndicatorScore
	for _, ind := range indicators {
		sc := IndicatorScore{Indicator: ind}
		var exp []Expected
		seeded := map[string]bool{} // targets with ground truth of this indicator
		for _, e := range expected {
			if e.Indicator == ind {
				exp = append(exp, e)
				seeded[e.Target] = true
			}
		}
		var fs []model.Finding
		for _, f := range findings {
			if f.Indicator == ind {
				fs = append(fs, f)
			}
		}
		sc.Expected = len(exp)
		usedF := make([]bool, len(fs))
		usedE := make([]bool, len(exp))
		for i, e := range exp {
			for j, f := range fs {
				if !usedF[j] && f.Target == e.Target && normSubject(f.Subject) == normSubject(e.Subject) {
					usedF[j], usedE[i] = true, true
					break
				}
			}
		}
		for i, e := range exp {
			if usedE[i] || !e.Whole {
				continue
			}
			for j, f := range fs {
				if !usedF[j] && f.Target == e.Target {
					usedF[j], usedE[i] = true, true
					break
				}
			}
		}
		for i, e := range exp {
			if usedE[i] {
				sc.Found++
			} else {
				sc.Missed = append(sc.Missed, e)
			}
		}
		for j, f := range fs {
			switch {
			case usedF[j]:
			case seeded[f.Target]:
				sc.Other++
				sc.Others = append(sc.Others, f)
			default:
				sc.False++
				sc.Extra = append(sc.Extra, f)
			}
		}
		out = append(out, sc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Indicator < out[j].Indicator })
	return out
}
