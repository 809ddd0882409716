package rules

import (
	"reflect"
	"strings"
	"testing"

	"inspector/assets"
	"inspector/catalog"
	"inspector/model"
)

func f(ind string, n int, status string) model.Finding {
	return model.Finding{Indicator: ind, Subject: ind, Count: n, Status: status}
}

func open(ind string, n int) model.Finding { return f(ind, n, model.StatusOpen) }

var (
	site       = model.Target{Code: "6300000001", Kind: model.KindSite}
	portal     = model.Target{Code: "6300000002", Kind: model.KindSite, Portal: true}
	deptNoServ = model.Target{Code: "6300000003", Kind: model.KindSite, NoServices: true}
	account    = model.Target{Code: "WX0001", Kind: model.KindAccount}
)

// TestVerdictRules walks every rule line of INDICATORS.md.
func TestVerdictRules(t *testing.T) {
	cat := catalog.MustLoad()
	cases := []struct {
		name     string
		target   model.Target
		findings []model.Finding
		recorded bool
		verdict  string
		score    float64
		reasons  []string
	}{
		{"nothing recorded is pending", site, nil, false, model.VerdictPending, 0, []string{}},
		{"probed and clean passes with 100", site, nil, true, model.VerdictPass, 100, []string{}},
		{"veto security fails", site, []model.Finding{open("site.veto.security", 1)}, true, model.VerdictFail, 0, []string{"site.veto.security"}},
		{"veto unreachable fails", site, []model.Finding{open("site.veto.unreachable", 1)}, true, model.VerdictFail, 0, []string{"site.veto.unreachable"}},
		{"veto home stale fails", site, []model.Finding{open("site.veto.home_stale", 1)}, true, model.VerdictFail, 0, []string{"site.veto.home_stale"}},
		{"veto columns stale fails", site, []model.Finding{open("site.veto.columns_stale", 1)}, true, model.VerdictFail, 0, []string{"site.veto.columns_stale"}},
		{"veto interaction fails", site, []model.Finding{open("site.veto.interaction", 1)}, true, model.VerdictFail, 0, []string{"site.veto.interaction"}},
		{"veto service fails", site, []model.Finding{open("site.veto.service", 1)}, true, model.VerdictFail, 0, []string{"site.veto.service"}},
		{"domain changed unfiled fails", site, []model.Finding{open("site.registry.domain_changed", 1)}, true, model.VerdictFail, 0, []string{"site.registry.domain_changed"}},
		{"offline unfiled fails with unreachable", site, []model.Finding{open("site.registry.offline_unfiled", 1), open("site.veto.unreachable", 1)}, true, model.VerdictFail, 0, []string{"site.veto.unreachable", "site.registry.offline_unfiled"}},
		{"confirmed veto fails", site, []model.Finding{f("site.veto.security", 1, model.StatusConfirmed)}, true, model.VerdictFail, 0, []string{"site.veto.security"}},
		{"dismissed veto does not count", site, []model.Finding{f("site.veto.security", 1, model.StatusDismissed)}, true, model.VerdictPass, 100, []string{}},
		{"veto ignores deductions", site, []model.Finding{open("site.veto.home_stale", 1), open("site.deduct.search", 1)}, true, model.VerdictFail, 0, []string{"site.veto.home_stale"}},
		{"home links: 1 each", site, []model.Finding{open("site.deduct.home_links", 3)}, true, model.VerdictPass, 97, []string{"site.deduct.home_links"}},
		{"home links capped at 5", site, []model.Finding{open("site.deduct.home_links", 9)}, true, model.VerdictPass, 95, []string{"site.deduct.home_links"}},
		{"home links summed over findings, then capped", site, []model.Finding{open("site.deduct.home_links", 3), {Indicator: "site.deduct.home_links", Subject: "b", Count: 4, Status: model.StatusOpen}}, true, model.VerdictPass, 95, []string{"site.deduct.home_links"}},
		{"other links 0.1 each", site, []model.Finding{open("site.deduct.links", 7)}, true, model.VerdictPass, 99.3, []string{"site.deduct.links"}},
		{"other links capped at 5", site, []model.Finding{open("site.deduct.links", 120)}, true, model.VerdictPass, 95, []string{"site.deduct.links"}},
		{"column stale 2 each, cap 10", site, []model.Finding{open("site.deduct.column_stale", 7)}, true, model.VerdictPass, 90, []string{"site.deduct.column_stale"}},
		{"guide elements 1 each, cap 10", site, []model.Finding{open("site.deduct.guide_elements", 14)}, true, model.VerdictPass, 90, []string{"site.deduct.guide_elements"}},
		{"reply late 3", site, []model.Finding{open("site.deduct.reply_late", 1)}, true, model.VerdictPass, 97, []string{"site.deduct.reply_late"}},
		{"no search 2", site, []model.Finding{open("site.deduct.search", 1)}, true, model.VerdictPass, 98, []string{"site.deduct.search"}},
		{"no error entry 2", site, []model.Finding{open("site.deduct.error_entry", 1)}, true, model.VerdictPass, 98, []string{"site.deduct.error_entry"}},
		{"garbled 1 each, cap 5", site, []model.Finding{open("site.deduct.garbled", 8)}, true, model.VerdictPass, 95, []string{"site.deduct.garbled"}},
		{"dismissed deduction does not count", site, []model.Finding{f("site.deduct.search", 1, model.StatusDismissed)}, true, model.VerdictPass, 100, []string{}},
		{"exactly 60 passes", site, []model.Finding{
			open("site.deduct.home_links", 5), open("site.deduct.links", 50), open("site.deduct.column_stale", 5),
			open("site.deduct.guide_elements", 10), open("site.deduct.reply_late", 1), open("site.deduct.search", 1),
			open("site.deduct.error_entry", 1), open("site.deduct.garbled", 3),
		}, true, model.VerdictPass, 60, nil},
		{"every deduction at its cap: 58 fails", site, []model.Finding{
			open("site.deduct.home_links", 6), open("site.deduct.links", 60), open("site.deduct.column_stale", 6),
			open("site.deduct.guide_elements", 11), open("site.deduct.reply_late", 2), open("site.deduct.search", 1),
			open("site.deduct.error_entry", 1), open("site.deduct.garbled", 6),
		}, true, model.VerdictFail, 58, nil},
		{"no-services department: service veto skipped", deptNoServ, []model.Finding{open("site.veto.service", 1)}, true, model.VerdictPass, 100, []string{}},
		{"no-services department: guide deductions skipped, out of 75 ×4/3", deptNoServ, []model.Finding{open("site.deduct.guide_elements", 5), open("site.deduct.search", 1)}, true, model.VerdictPass, 97.33, []string{"site.deduct.search"}},
		{"no-services department: other vetoes still fail", deptNoServ, []model.Finding{open("site.veto.home_stale", 1)}, true, model.VerdictFail, 0, []string{"site.veto.home_stale"}},
		{"portal without bonus items keeps its score", portal, []model.Finding{open("site.deduct.search", 1)}, true, model.VerdictPass, 98, []string{"site.deduct.search"}},
		{"account veto fails", account, []model.Finding{open("account.veto.stale", 1)}, true, model.VerdictFail, 0, []string{"account.veto.stale"}},
		{"account interaction veto fails", account, []model.Finding{open("account.veto.interaction", 1)}, true, model.VerdictFail, 0, []string{"account.veto.interaction"}},
		{"account security veto fails", account, []model.Finding{open("account.veto.security", 1)}, true, model.VerdictFail, 0, []string{"account.veto.security"}},
		{"account deductions recorded, not failing", account, []model.Finding{open("account.deduct.errors", 12), open("account.deduct.menu", 9), open("account.deduct.irrelevant", 1)}, true, model.VerdictPass, 78, []string{"account.deduct.errors", "account.deduct.menu", "account.deduct.irrelevant"}},
		{"account with a manual finding is recorded", account, []model.Finding{{Indicator: "account.deduct.errors", Subject: "x", Status: model.StatusConfirmed, Source: model.SourceInspector}}, false, model.VerdictPass, 99, []string{"account.deduct.errors"}},
		{"indicator of the other kind is ignored", site, []model.Finding{open("account.veto.stale", 1)}, true, model.VerdictPass, 100, []string{}},
		{"unknown indicator is ignored", site, []model.Finding{open("site.veto.nonsense", 1)}, true, model.VerdictPass, 100, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := Evaluate(cat, Input{Round: "R", Target: c.target, Findings: c.findings, Recorded: c.recorded})
			if v.Verdict != c.verdict || v.Score != c.score {
				t.Fatalf("got %s %.2f, want %s %.2f (reasons %v)", v.Verdict, v.Score, c.verdict, c.score, v.Reasons)
			}
			if c.reasons != nil && !reflect.DeepEqual(v.Reasons, c.reasons) {
				t.Fatalf("reasons %v, want %v", v.Reasons, c.reasons)
			}
			if v.Target != c.target.Code || v.Kind != c.target.Kind || v.Round != "R" {
				t.Fatalf("identity wrong: %+v", v)
			}
		})
	}
}

// catalogueWith edits the embedded catalogue for rules that only bite with
// an office's own settings.
func catalogueWith(t *testing.T, edit func(string) string) *catalog.Catalogue {
	t.Helper()
	b, _, err := assets.ReadFile(catalog.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Parse([]byte(edit(string(b))))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBelowPassLineFails(t *testing.T) {
	cat := catalogueWith(t, func(s string) string {
		return strings.Replace(s, `"points": 2, "cap": 2, "name": "站内搜索"`, `"points": 41, "cap": 41, "name": "站内搜索"`, 1)
	})
	v := Evaluate(cat, Input{Target: site, Recorded: true, Findings: []model.Finding{open("site.deduct.search", 1)}})
	if v.Verdict != model.VerdictFail || v.Score != 59 {
		t.Fatalf("59 must fail: %+v", v)
	}
	v = Evaluate(cat, Input{Target: site, Recorded: true, Findings: []model.Finding{open("site.deduct.search", 1), open("site.deduct.error_entry", 1)}})
	if v.Verdict != model.VerdictFail || v.Score != 57 {
		t.Fatalf("57 must fail: %+v", v)
	}
	cat2 := catalogueWith(t, func(s string) string {
		return strings.Replace(s, `"points": 2, "cap": 2, "name": "站内搜索"`, `"points": 40, "cap": 40, "name": "站内搜索"`, 1)
	})
	v = Evaluate(cat2, Input{Target: site, Recorded: true, Findings: []model.Finding{open("site.deduct.search", 1)}})
	if v.Verdict != model.VerdictPass || v.Score != 60 {
		t.Fatalf("exactly 60 passes: %+v", v)
	}
}

func TestBonusOnlyForPortalsAbove80(t *testing.T) {
	cat := catalogueWith(t, func(s string) string {
		return strings.Replace(s, `"indicators": [`, `"indicators": [
    {"code": "site.bonus.innovation", "kind": "site", "type": "bonus", "group": "usability", "points": 10, "cap": 40, "name": "创新加分", "rule": "省定加分项"},`, 1)
	})
	bonus := open("site.bonus.innovation", 5) // 50 points, capped at 40 by the item, 30 by the rule
	v := Evaluate(cat, Input{Target: portal, Recorded: true, Findings: []model.Finding{bonus}})
	if v.Score != 130 {
		t.Fatalf("portal bonus capped at 30: %+v", v)
	}
	v = Evaluate(cat, Input{Target: site, Recorded: true, Findings: []model.Finding{bonus}})
	if v.Score != 100 {
		t.Fatalf("no bonus for a non-portal: %+v", v)
	}
	v = Evaluate(cat, Input{Target: portal, Recorded: true, Findings: []model.Finding{bonus, open("site.deduct.guide_elements", 10), open("site.deduct.column_stale", 5)}})
	if v.Score != 80 {
		t.Fatalf("no bonus at 80 or below: %+v", v)
	}
}

func TestAccountDeductionsFailWhenProvinceSaysSo(t *testing.T) {
	cat := catalogueWith(t, func(s string) string {
		s = strings.Replace(s, `"account_deductions_fail": false`, `"account_deductions_fail": true`, 1)
		return strings.Replace(s, `"points": 2, "cap": 2, "name": "无关或商业信息"`, `"points": 45, "cap": 45, "name": "无关或商业信息"`, 1)
	})
	v := Evaluate(cat, Input{Target: account, Recorded: true, Findings: []model.Finding{open("account.deduct.irrelevant", 1)}})
	if v.Verdict != model.VerdictFail || v.Score != 55 {
		t.Fatalf("%+v", v)
	}
}
