package analysis

import (
	"testing"

	"inspector/model"
)

func TestScore(t *testing.T) {
	const sec, inter = "site.veto.security", "site.veto.interaction"
	exp := []Expected{
		{Target: "A", Indicator: sec, Subject: "xpj8888.com"},
		{Target: "A", Indicator: sec, Subject: "bet365.cc"},
		{Target: "B", Indicator: inter, Subject: "http://www.b.gov.cn/", Whole: WholeTarget("http://www.b.gov.cn/", "http://www.b.gov.cn/")},
	}
	fs := []model.Finding{
		{Target: "A", Indicator: sec, Subject: "xpj8888.com"},
		{Target: "A", Indicator: sec, Subject: "hidden-links"}, // the same infection by its technique
		{Target: "C", Indicator: sec, Subject: "hidden-links"}, // nothing seeded on C
		{Target: "B", Indicator: inter, Subject: "no-channel"},
	}
	got := map[string]IndicatorScore{}
	for _, sc := range Score([]string{sec, inter}, exp, fs) {
		got[sc.Indicator] = sc
	}
	s := got[sec]
	// bet365.cc is not matched by the technique finding: recall is per
	// expected subject
	if s.Expected != 2 || s.Found != 1 || s.False != 1 || s.Other != 1 || len(s.Missed) != 1 || s.Missed[0].Subject != "bet365.cc" {
		t.Errorf("security: %+v", s)
	}
	if s := got[inter]; s.Found != 1 || s.False != 0 || s.Other != 0 {
		t.Errorf("interaction: whole-target truth not matched by its finding: %+v", s)
	}
	for _, c := range []struct {
		subj, url string
		want      bool
	}{{"http://www.b.gov.cn/index.html", "http://www.b.gov.cn/", true}, {"http://new.b.gov.cn/", "http://www.b.gov.cn/", true},
		{"xpj8888.com", "http://www.b.gov.cn/", false}, {"http://www.b.gov.cn/col/a.html", "http://www.b.gov.cn/", false},
		{"http://mp.weixin.qq.com/s/abc", "http://mp.weixin.qq.com/s/abc", true}} {
		if got := WholeTarget(c.subj, c.url); got != c.want {
			t.Errorf("WholeTarget(%q, %q) = %v", c.subj, c.url, got)
		}
	}
}
