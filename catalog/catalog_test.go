package catalog

import (
	"strings"
	"testing"
	"time"

	"inspector/assets"
)

func TestEmbeddedCatalogueCoversIndicatorsMD(t *testing.T) {
	c := MustLoad()
	want := []string{
		"site.veto.security", "site.veto.unreachable", "site.veto.home_stale", "site.veto.columns_stale",
		"site.veto.interaction", "site.veto.service", "site.deduct.home_links", "site.deduct.links",
		"site.deduct.column_stale", "site.deduct.guide_elements", "site.deduct.reply_late", "site.deduct.search",
		"site.deduct.error_entry", "site.deduct.garbled", "site.registry.domain_changed", "site.registry.offline_unfiled",
		"account.veto.security", "account.veto.stale", "account.veto.interaction", "account.deduct.errors",
		"account.deduct.menu", "account.deduct.irrelevant",
	}
	for _, code := range want {
		if c.Indicator(code) == nil {
			t.Errorf("missing %s", code)
		}
	}
	if len(c.Indicators) != len(want) {
		t.Errorf("%d indicators, want %d", len(c.Indicators), len(want))
	}
}

func TestCategorizeLongestKeywordWins(t *testing.T) {
	c := MustLoad()
	cases := map[string]string{"工作动态": "news", "要闻": "news", "通知公告": "notice", "政策解读": "notice", "人事信息": "plan", "规划计划": "plan", "联系我们": ""}
	for name, want := range cases {
		got := ""
		if cat := c.Categorize(name); cat != nil {
			got = cat.Code
		}
		if got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

func TestWindows(t *testing.T) {
	asOf := time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)
	c := MustLoad()
	if s := c.Category("news").WindowOf().Since(asOf); !s.Equal(time.Date(2020, 9, 14, 0, 0, 0, 0, time.UTC)) {
		t.Error(s)
	}
	if s := c.Category("notice").WindowOf().Since(asOf); !s.Equal(time.Date(2020, 3, 28, 0, 0, 0, 0, time.UTC)) {
		t.Error(s)
	}
	if s := c.Category("plan").WindowOf().Since(asOf); !s.Equal(time.Date(2019, 9, 28, 0, 0, 0, 0, time.UTC)) {
		t.Error(s)
	}
	for _, bad := range []string{"", "d", "0d", "14w", "-1m"} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestBadCataloguesAreClearErrors(t *testing.T) {
	raw, _, err := assets.ReadFile(DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	cases := map[string]string{
		"duplicate code": strings.Replace(s, `"code": "site.deduct.links"`, `"code": "site.deduct.home_links"`, 1),
		"type": strings.Replace(s, `"type": "deduct", "group": "usability", "machine": true,
     "points": 2, "cap": 2, "name": "站内搜索"`, `"type": "deductt", "group": "usability", "machine": true,
     "points": 2, "cap": 2, "name": "站内搜索"`, 1),
		"not valid JSON":  s[:len(s)-3],
		"window":          strings.Replace(s, `"window": "14d"`, `"window": "two weeks"`, 1),
		"kind":            strings.Replace(s, `"code": "account.deduct.menu", "kind": "account"`, `"code": "account.deduct.menu", "kind": "site"`, 1),
		"unknown field":   strings.Replace(s, `"pass_line": 60`, `"pass_line": 60, "passline": 50`, 1),
		"positive points": strings.Replace(s, `"points": 1, "cap": 5`, `"points": 0, "cap": 5`, 1),
		"group": strings.Replace(s, `"group": "newmedia", "machine": true,
     "points": 2`, `"group": "nomedia", "machine": true,
     "points": 2`, 1),
	}
	for want, text := range cases {
		if text == s {
			t.Fatalf("%s: edit did not apply", want)
		}
		_, err := Parse([]byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
}

func TestSuggestNamesCloseCodes(t *testing.T) {
	c := MustLoad()
	s := c.Suggest("site.veto.home_stal", "site")
	if len(s) == 0 || s[0] != "site.veto.home_stale" {
		t.Fatalf("%v", s)
	}
	s = c.Suggest("search", "site")
	if len(s) == 0 || s[0] != "site.deduct.search" {
		t.Fatalf("%v", s)
	}
}
