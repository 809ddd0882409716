// Package rules turns a target's findings and the inspector's decisions
// into a verdict, exactly as INDICATORS.md lays down, with every threshold
// read from the catalogue. The review UI and the export both call it, so a
// live verdict and a published one cannot differ.
package rules

import (
	"math"

	"inspector/catalog"
	"inspector/model"
)

// Input is what a verdict is computed from.
type Input struct {
	Round  string
	Target model.Target
	// Findings of the target in the round, with Status derived from the
	// latest decision. Dismissed findings do not count; open ones do.
	Findings []model.Finding
	// Recorded is true when anything was recorded for the target in the
	// round (a probe, a decision, a review); without it and without
	// findings the verdict is pending.
	Recorded bool
}

// Evaluate computes one target's verdict.
func Evaluate(cat *catalog.Catalogue, in Input) model.Verdict {
	t := in.Target
	v := model.Verdict{Round: in.Round, Target: t.Code, Kind: t.Kind, Reasons: []string{}}
	if !in.Recorded && len(in.Findings) == 0 {
		v.Verdict = model.VerdictPending
		return v
	}
	skipService := t.Kind == model.KindSite && t.NoServices

	instances := map[string]int{} // indicator → counted instances
	for _, f := range in.Findings {
		if f.Status == model.StatusDismissed {
			continue
		}
		ind := cat.Indicator(f.Indicator)
		if ind == nil || ind.Kind != t.Kind || (skipService && ind.Service) {
			continue
		}
		instances[f.Indicator] += f.Instances()
	}

	// Catalogue order keeps reasons stable and readable.
	var vetoes, deducts []string
	var deducted, bonus float64
	for _, ind := range cat.ForKind(t.Kind) {
		n := instances[ind.Code]
		if n == 0 {
			continue
		}
		switch ind.Type {
		case catalog.TypeVeto:
			vetoes = append(vetoes, ind.Code)
		case catalog.TypeDeduct:
			deducts = append(deducts, ind.Code)
			deducted += math.Min(ind.Cap, ind.Points*float64(n))
		case catalog.TypeBonus:
			bonus += math.Min(ind.Cap, ind.Points*float64(n))
		}
	}

	if len(vetoes) > 0 {
		// Any veto fails the target; nothing else is scored.
		v.Verdict, v.Score, v.Reasons = model.VerdictFail, 0, vetoes
		return v
	}

	score := 100 - deducted
	if skipService {
		score = (cat.NoServices.Base - deducted) * cat.NoServices.Factor
	}
	score = math.Max(0, score)
	if t.Kind == model.KindSite && t.Portal && score > cat.Bonus.Above {
		score += math.Min(cat.Bonus.Max, bonus)
	}
	v.Score = round2(score)
	v.Reasons = append(v.Reasons, deducts...)
	v.Verdict = model.VerdictPass
	if v.Score < cat.PassLine && (t.Kind == model.KindSite || cat.AccountDeductionsFail) {
		v.Verdict = model.VerdictFail
	}
	return v
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
