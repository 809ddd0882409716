package detect

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html/charset"

	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
	"inspector/province"
)

// TestProvinceClean runs the detectors over the synthetic province's served
// pages, fetched with a plain HTTP client that dials only loopback, and
// wants no security finding on the targets seeded clean.
func TestProvinceClean(t *testing.T) {
	if testing.Short() {
		t.Skip("serves the province")
	}
	// DETECT_FULL_PROVINCE=1 runs the full province (slower).
	p := province.New(province.Options{Seed: 7, Small: os.Getenv("DETECT_FULL_PROVINCE") == ""})
	srv, err := p.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for h, a := range srv.Resolve() {
		if !strings.HasPrefix(a, "127.") && !strings.HasPrefix(a, "[::1]") {
			t.Fatalf("%s resolves to %s, not loopback", h, a)
		}
	}
	cl := srv.Client()
	cat := catalog.MustLoad()
	truth := map[string]bool{}
	for _, tr := range p.Truth() {
		if tr.Indicator == "site.veto.security" {
			truth[tr.Target] = true
		}
	}
	found := 0
	for _, tg := range p.Sites() {
		c := &probe.Capture{Target: tg, Round: "2020Q3"}
		hp := fetch(cl, tg.URL, "", "")
		if hp == nil {
			continue
		}
		hp.Role = probe.RoleHome
		c.Pages = append(c.Pages, hp)
		// linked style sheets and a handful of pages of the site
		v := readHTML(hp.Raw, pageURL(hp), nil)
		n := 0
		for _, l := range v.links {
			if n >= 12 || !sameSite(hostOf(l.href), hostOf(pageURL(hp))) {
				continue
			}
			n++
			if pg := fetch(cl, l.href, "", ""); pg != nil {
				pg.Role = probe.RoleArticle
				c.Pages = append(c.Pages, pg)
			}
		}
		for _, sh := range stylesheets(hp.Raw, pageURL(hp)) {
			if pg := fetch(cl, sh, "", ""); pg != nil {
				c.Pages = append(c.Pages, pg)
			}
		}
		for _, va := range []probe.Variant{
			{Name: "baiduspider", UserAgent: "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
			{Name: "referer-baidu", UserAgent: "Mozilla/5.0", Referer: "https://www.baidu.com/s?wd=x"},
		} {
			if pg := fetch(cl, tg.URL, va.UserAgent, va.Referer); pg != nil {
				va.Status, va.FinalURL, va.Raw = pg.Status, pg.FinalURL, pg.Raw
				c.Variants = append(c.Variants, va)
			}
		}
		all := Run(cat, p.AsOf(), c)
		if p.Clean(tg.Code) {
			for _, f := range all {
				t.Logf("clean site %s: %s %s [%s] %s", tg.Code, f.Indicator, f.Subject, f.Confidence, f.Detail)
			}
		}
		fs := byIndicator(all, "site.veto.security")
		if p.Clean(tg.Code) && len(fs) > 0 {
			dump(t, fs)
			t.Errorf("clean site %s (%s): %d security findings", tg.Code, tg.Name, len(fs))
		}
		if truth[tg.Code] && len(fs) > 0 {
			found++
		} else if truth[tg.Code] {
			t.Logf("seeded site %s (%s): no security finding from plain fetches", tg.Code, tg.Name)
		}
	}
	t.Logf("security: %d of %d seeded sites found from plain fetches", found, len(truth))
}

// fetch gets one page the way the probe's plain client would, decoding
// its charset.
func fetch(cl *http.Client, u, ua, ref string) *probe.Page {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return nil
	}
	if ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	if ref != "" {
		req.Header.Set("Referer", ref)
	}
	resp, err := cl.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	r, err := charset.NewReader(io.LimitReader(resp.Body, 4<<20), resp.Header.Get("Content-Type"))
	if err != nil {
		return nil
	}
	b, _ := io.ReadAll(r)
	return &probe.Page{URL: u, FinalURL: resp.Request.URL.String(), Status: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"), Raw: string(b), FetchedAt: time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)}
}

func stylesheets(doc, base string) []string {
	var out []string
	v := readHTML(doc, base, func(href string) string { out = append(out, href); return "" })
	_ = v
	return out
}

var _ = model.KindSite
