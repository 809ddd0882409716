package registry

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"inspector/model"
)

// checkResult is what every parse must satisfy: targets or an error, never
// both; an *ImportError's summary on one line; targets well formed.
func checkResult(t *testing.T, kind string, got []model.Target, err error) {
	t.Helper()
	if err != nil {
		if got != nil {
			t.Fatalf("targets and an error: %v", err)
		}
		var ie *ImportError
		if errors.As(err, &ie) {
			if len(ie.Problems) == 0 {
				t.Fatal("ImportError without problems")
			}
			if strings.ContainsAny(ie.Error(), "\r\n") {
				t.Fatalf("summary not one line: %q", ie.Error())
			}
			_ = ie.Details()
		}
		return
	}
	if len(got) == 0 {
		t.Fatal("no targets and no error")
	}
	seen := map[string]bool{}
	for _, tg := range got {
		if tg.Kind != kind || tg.Code == "" || tg.Name == "" || seen[tg.Code] {
			t.Fatalf("bad target %+v", tg)
		}
		seen[tg.Code] = true
		if !slices.Contains([]string{model.StatusRunning, model.StatusException, model.StatusClosed}, tg.Status) {
			t.Fatalf("status %q", tg.Status)
		}
		if kind == model.KindSite && (len(tg.Code) != SiteCodeLength || tg.URL == "") {
			t.Fatalf("bad site %+v", tg)
		}
		if tg.URL != "" {
			if _, err := checkURL(tg.URL); err != nil {
				t.Fatalf("stored URL %q does not check: %v", tg.URL, err)
			}
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add(csvOf(sitesTable, "\n"), false)
	f.Add(csvOf(sitesTable, "\r\n"), false)
	f.Add(append([]byte{0xEF, 0xBB, 0xBF}, csvOf(sitesTable, "\n")...), false)
	f.Add(gbk(f, csvOf(sitesTable, "\r\n")), false)
	f.Add([]byte("账号标识,账号名称,平台,主办单位,网址\ngh_1,甲,微信,甲办,\n"), true)
	f.Add([]byte("网站标识码,网站名称,首页网址,主办单位,运行状态\n123,\"a\nb\",htp:/x,,停\n123,a\"b,www.x.cn,c,关停\n"), false)
	f.Add([]byte("\"unterminated,\n\"\"\n"), false)
	f.Add([]byte{}, true)
	f.Fuzz(func(t *testing.T, data []byte, account bool) {
		kind := model.KindSite
		if account {
			kind = model.KindAccount
		}
		got, err := Parse(bytes.NewReader(data), "fuzz.csv", kind)
		checkResult(t, kind, got, err)
	})
}

func FuzzParseXLSX(f *testing.F) {
	f.Add(xlsxOf(f, "Sheet1", sitesTable))
	f.Add(xlsxOf(f, "说明", [][]string{{"名录"}}, "网站", sitesTable[:3]))
	f.Add(xlsxOf(f, "Sheet1", [][]string{{"网站标识码", "备注栏"}, {"1"}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(bytes.NewReader(data), "fuzz.xlsx", model.KindSite)
		checkResult(t, model.KindSite, got, err)
	})
}

func FuzzHeader(f *testing.F) {
	for _, h := range []string{"网站标识码", " *首页网址：", "账号 ID", "（网站名称）", "状态*", "序号", "备注栏", "", "*", "：:", "ＩＤ", "\ufeff网址"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		n := NormalizeHeader(h)
		if NormalizeHeader(n) != n {
			t.Fatalf("NormalizeHeader not idempotent: %q → %q → %q", h, n, NormalizeHeader(n))
		}
		for _, kind := range []string{model.KindSite, model.KindAccount} {
			field, ok, err := MatchHeader(kind, h)
			if err != nil {
				t.Fatal(err)
			}
			if !ok && field != "" {
				t.Fatalf("%q: field %q without a match", h, field)
			}
			if !utf8.ValidString(h) {
				continue
			}
			// Decoration never changes what a header means.
			for _, d := range []string{" *" + h + "：", "\u3000" + h + " :", "＊" + h, h + "*"} {
				f2, ok2, _ := MatchHeader(kind, d)
				if f2 != field || ok2 != ok {
					t.Fatalf("%s %q → %q %v but %q → %q %v", kind, h, field, ok, d, f2, ok2)
				}
			}
		}
	})
}
