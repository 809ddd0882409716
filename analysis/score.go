package analysis

import (
	"sort"
	"strings"

	"inspector/model"
)

// Expected is one seeded defect of a synthetic province (ground truth).
type Expected struct {
	Target    string
	Indicator string
	Subject   string
}

// IndicatorScore compares findings with ground truth for one indicator.
type IndicatorScore struct {
	Indicator string
	Expected  int
	Found     int // expected defects with a matching finding
	False     int // findings matching no expected defect
	Missed    []Expected
	Extra     []model.Finding
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

// Score matches findings to expected defects per indicator: by target and
// subject first, then, for what is left, by target alone (a whole-site
// finding may name the site by another of its URLs).
func Score(indicators []string, expected []Expected, findings []model.Finding) []IndicatorScore {
	var out []IndicatorScore
	for _, ind := range indicators {
		sc := IndicatorScore{Indicator: ind}
		var exp []Expected
		for _, e := range expected {
			if e.Indicator == ind {
				exp = append(exp, e)
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
			if usedE[i] {
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
			if !usedF[j] {
				sc.False++
				sc.Extra = append(sc.Extra, f)
			}
		}
		out = append(out, sc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Indicator < out[j].Indicator })
	return out
}
