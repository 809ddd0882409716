package province

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var (
	smallOnce, fullOnce sync.Once
	smallP, fullP       *Province
)

func small(t *testing.T) *Province {
	smallOnce.Do(func() {
		t0 := time.Now()
		smallP = New(Options{Seed: 7, Small: true})
		t.Logf("small province generated in %v", time.Since(t0))
	})
	return smallP
}

func full(t *testing.T) *Province {
	fullOnce.Do(func() {
		t0 := time.Now()
		fullP = New(Options{Seed: 2020})
		t.Logf("full province generated in %v", time.Since(t0))
	})
	return fullP
}

func both(t *testing.T, f func(t *testing.T, p *Province, isSmall bool)) {
	t.Run("small", func(t *testing.T) { f(t, small(t), true) })
	if testing.Short() {
		return
	}
	t.Run("full", func(t *testing.T) { f(t, full(t), false) })
}

func start(t *testing.T, p *Province) *Server {
	t.Helper()
	srv, err := p.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func noRedirect(c *http.Client) *http.Client {
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

type resp struct {
	status int
	loc    string
	body   string // decoded to UTF-8
	err    error
}

func get(c *http.Client, u string, hdr map[string]string) resp {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return resp{err: err}
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	r, err := c.Do(req)
	if err != nil {
		return resp{err: err}
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return resp{err: err}
	}
	return resp{status: r.StatusCode, loc: r.Header.Get("Location"), body: decode(b, r.Header.Get("Content-Type"))}
}

// decode reads the charset from the header or the meta element, as a
// browser would.
func decode(b []byte, ctype string) string {
	head := strings.ToLower(ctype + string(b[:min(len(b), 300)]))
	if strings.Contains(head, "charset=gb") || strings.Contains(head, "charset=\"gb") {
		s, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
		if err == nil {
			return string(s)
		}
	}
	return string(b)
}

func refused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

func TestLoopbackAndTiming(t *testing.T) {
	both(t, func(t *testing.T, p *Province, _ bool) {
		t0 := time.Now()
		srv := start(t, p)
		t.Logf("started in %v: %d hosts, %d sites, %d accounts", time.Since(t0), len(srv.Resolve()), len(p.Sites()), len(p.Accounts()))
		for h, a := range srv.Resolve() {
			host, _, err := net.SplitHostPort(a)
			if err != nil || !net.ParseIP(host).IsLoopback() {
				t.Errorf("%s resolves to %s, not loopback", h, a)
			}
		}
		if !strings.HasPrefix(srv.Addr(), "127.0.0.1:") {
			t.Errorf("listener on %s", srv.Addr())
		}
		for _, h := range p.SpamHosts() {
			if _, ok := srv.Resolve()[h]; ok {
				t.Errorf("spam host %s is resolved", h)
			}
		}
		fl := srv.ResolveFlags()
		if len(fl) != 2*len(srv.Resolve()) || fl[0] != "--resolve" || !strings.Contains(fl[1], "=127.0.0.1:") {
			t.Errorf("resolve flags: %v", fl[:min(4, len(fl))])
		}
	})
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestServesEverything fetches every stored page with a plain client and
// checks every link on it: served, or recorded as broken, or spam.
func TestServesEverything(t *testing.T) {
	both(t, func(t *testing.T, p *Province, _ bool) {
		srv := start(t, p)
		c := noRedirect(srv.Client())
		brokenTruth := map[string]bool{}
		for _, tr := range p.Truth() {
			if tr.Indicator == IndHomeLinks || tr.Indicator == IndLinks || tr.Indicator == IndAccMenu {
				brokenTruth[tr.Subject] = true
			}
		}
		spam := map[string]bool{}
		for _, h := range p.SpamHosts() {
			spam[h] = true
		}
		t0 := time.Now()
		links := map[string]string{} // link → page it was found on
		n := 0
		for _, host := range p.Hosts() {
			v := p.hosts[host]
			uris := make([]string, 0, len(v.pages))
			for u := range v.pages {
				uris = append(uris, u)
			}
			slices.Sort(uris)
			for _, u := range uris {
				pg := v.pages[u]
				full := "http://" + host + u
				r := get(c, full, nil)
				n++
				if r.err != nil || r.status != pg.status {
					t.Fatalf("%s: status %d err %v, want %d", full, r.status, r.err, pg.status)
				}
				base, _ := url.Parse(full)
				for _, m := range linkRE.FindAllStringSubmatch(r.body, -1) {
					l := strings.ReplaceAll(m[1], "&amp;", "&")
					if strings.HasPrefix(l, "javascript:") || strings.Contains(l, "'+") {
						continue
					}
					ref, err := base.Parse(l)
					if err != nil {
						t.Errorf("%s: bad link %q", full, l)
						continue
					}
					links[ref.String()] = full
				}
			}
		}
		keys := make([]string, 0, len(links))
		for l := range links {
			keys = append(keys, l)
		}
		slices.Sort(keys)
		checked := 0
		for _, l := range keys {
			u, _ := url.Parse(l)
			if spam[u.Hostname()] {
				continue // never fetched, by design
			}
			if _, ok := p.hosts[u.Hostname()]; !ok && !brokenTruth[l] {
				t.Errorf("link %s on %s: host not served and not a recorded broken link", l, links[l])
				continue
			}
			r := get(c, l, nil)
			checked++
			ok := r.err == nil && r.status < 400
			if brokenTruth[l] {
				empty := r.status == 200 && strings.Contains(r.body, "暂无内容") // an empty menu page
				if (ok && !empty) || (r.err != nil && !refused(r.err)) {
					t.Errorf("recorded broken link %s answers %d %v", l, r.status, r.err)
				}
			} else if !ok {
				t.Errorf("link %s on %s answers %d %v", l, links[l], r.status, r.err)
			}
		}
		t.Logf("fetched %d pages and %d distinct links in %v", n, checked, time.Since(t0))
	})
}

func TestTruthCoverage(t *testing.T) {
	both(t, func(t *testing.T, p *Province, isSmall bool) {
		want := 3
		if isSmall {
			want = 1
		}
		count := map[string]int{}
		probeable := map[string]int{}
		for _, tr := range p.Truth() {
			count[tr.Indicator]++
			if !tr.Manual {
				probeable[tr.Indicator]++
			}
			if tr.Indicator == IndSecurity {
				count[tr.Why]++
			}
			if p.Clean(tr.Target) {
				t.Errorf("%s is Clean() but has truth %s", tr.Target, tr.Indicator)
			}
		}
		for _, ind := range []string{IndSecurity, IndUnreachable, IndHomeStale, IndColumnsStale, IndInteraction, IndHomeLinks,
			IndLinks, IndColumnStale, IndGuideElements, IndSearch, IndErrorEntry, IndGarbled, IndDomainChanged, IndOfflineUnfiled,
			IndAccStale, IndAccInteraction, IndAccMenu} {
			if count[ind] < want || probeable[ind] < want {
				t.Errorf("%s seeded %d times (%d probeable), want ≥ %d", ind, count[ind], probeable[ind], want)
			}
		}
		for _, w := range spamWhy {
			if count[w] < want {
				t.Errorf("spam technique %q seeded %d times, want ≥ %d", w, count[w], want)
			}
		}
		// Variety that is not a defect.
		var styles [nStyles]int
		var gbk, metaOnly, redirect, police, market int
		modes := map[int]int{}
		for _, s := range p.sites {
			styles[s.style]++
			if s.gbk {
				gbk++
			}
			if s.csWhere == 1 {
				metaOnly++
			}
			if s.rootRedirect {
				redirect++
			}
			if s.flavour == "police" && p.Clean(s.t.Code) {
				police++
			}
			if s.flavour == "market" && p.Clean(s.t.Code) {
				market++
			}
			for _, c := range s.cols {
				modes[c.mode]++
			}
		}
		for st, n := range styles {
			if n == 0 {
				t.Errorf("no site of style %d", st)
			}
		}
		if gbk == 0 || metaOnly == 0 || redirect == 0 || police == 0 || market == 0 || len(modes) < 4 {
			t.Errorf("variety: gbk %d meta-only %d redirect %d police %d market %d modes %v", gbk, metaOnly, redirect, police, market, modes)
		}
		// Failure rates near the bulletin's.
		failSites, failAcc := map[string]bool{}, map[string]bool{}
		for _, tr := range p.Truth() {
			if strings.Contains(tr.Indicator, ".veto.") {
				if strings.HasPrefix(tr.Indicator, "site.") {
					failSites[tr.Target] = true
				} else {
					failAcc[tr.Target] = true
				}
			}
		}
		t.Logf("%d sites, %d failing (%.1f%% pass); %d accounts, %d failing (%.1f%% pass); %d truths",
			len(p.sites), len(failSites), 100-100*float64(len(failSites))/float64(len(p.sites)),
			len(p.accounts), len(failAcc), 100-100*float64(len(failAcc))/float64(len(p.accounts)), len(p.truth))
		if !isSmall && (len(p.sites) != 134 || len(p.accounts) != 381) {
			t.Errorf("full province has %d sites and %d accounts, want 134 and 381", len(p.sites), len(p.accounts))
		}
	})
}

var dateRE = regexp.MustCompile(`(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})`)

// newestDate is the newest full date written in a text.
func newestDate(s string) time.Time {
	var best time.Time
	for _, m := range dateRE.FindAllStringSubmatch(s, -1) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); t.After(best) {
			best = t
		}
	}
	return best
}

// TestTruthAgainstServed checks every recorded defect against what a
// plain client receives, and that clean sites carry no spam.
func TestTruthAgainstServed(t *testing.T) {
	both(t, func(t *testing.T, p *Province, _ bool) {
		srv := start(t, p)
		c := srv.Client() // follows same-host redirects (/ → /index.html)
		nr := noRedirect(srv.Client())
		asOf := p.AsOf()
		byCode := map[string]*site{}
		for _, s := range p.sites {
			byCode[s.t.Code] = s
		}
		accByCode := map[string]*account{}
		for _, a := range p.accounts {
			accByCode[a.t.Code] = a
		}
		for _, tr := range p.Truth() {
			s := byCode[tr.Target]
			fail := func(format string, args ...any) {
				t.Errorf("%s %s %s: %s", tr.Target, tr.Indicator, tr.Subject, fmt.Sprintf(format, args...))
			}
			switch tr.Indicator {
			case IndUnreachable:
				if r := get(nr, tr.Subject, nil); !refused(r.err) {
					fail("answers %d %v", r.status, r.err)
				}
			case IndDomainChanged:
				r := get(nr, s.t.URL, nil)
				if r.status != http.StatusMovedPermanently || !strings.HasPrefix(r.loc, tr.Subject) || strings.Contains(r.loc, s.host+"/") {
					fail("registered URL answers %d → %q", r.status, r.loc)
				}
			case IndHomeStale:
				if d := newestDate(get(c, tr.Subject, nil).body); !d.Before(asOf.AddDate(0, 0, -14)) {
					fail("home newest date %v", d)
				}
			case IndColumnStale, IndColumnsStale:
				for _, col := range s.cols {
					u := s.abs(s.colURL(col, 1))
					if tr.Indicator == IndColumnStale && u != tr.Subject {
						continue
					}
					if !col.blank && !col.stale {
						continue
					}
					list := get(c, u, nil)
					if col.blank {
						if !strings.Contains(list.body, "暂无信息") {
							fail("blank column %s does not say 暂无信息", u)
						}
						continue
					}
					var newest time.Time
					for _, it := range col.items {
						body := get(c, s.abs(s.artURL(col, it)), nil).body
						info := body[strings.Index(body, "class=\"info\""):]
						if d := newestDate(info[:min(len(info), 200)]); d.After(newest) {
							newest = d
						}
					}
					if !newest.Before(window(col.def.cat, asOf)) {
						fail("column %s newest article %v is inside its window", u, newest)
					}
				}
			case IndSecurity:
				var hdr map[string]string
				switch tr.Why {
				case spamWhy[spamUA]:
					hdr = map[string]string{"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"}
				case spamWhy[spamReferer]:
					hdr = map[string]string{"Referer": "https://www.baidu.com/link?url=abc&wd=" + url.QueryEscape(s.t.Name)}
				}
				home := s.abs("/index.html")
				body := get(c, home, hdr).body
				if tr.Why == spamWhy[spamScript] {
					if !strings.Contains(body, "document.write(") {
						fail("no obfuscated script")
					}
					continue
				}
				if !strings.Contains(body, tr.Subject) {
					fail("spam host not on the home page")
				}
				if hdr != nil && strings.Contains(get(c, home, nil).body, tr.Subject) {
					fail("cloaked spam visible to a plain client")
				}
			case IndInteraction:
				b := get(c, tr.Subject, nil).body
				if strings.Contains(b, "领导信箱") || strings.Contains(b, "在线咨询") || !strings.Contains(b, "网上信访") {
					fail("home page still has a consultation channel")
				}
			case IndGuideElements:
				b := get(c, tr.Subject, nil).body
				for _, e := range guideElements {
					if has := strings.Contains(b, e); has == strings.Contains(tr.Why, e) {
						fail("element %s present=%v", e, has)
					}
				}
			case IndSearch:
				if strings.Contains(get(c, tr.Subject, nil).body, "<form") {
					fail("home has a form")
				}
			case IndErrorEntry:
				if strings.Contains(get(c, tr.Subject, nil).body, "我为政府网站找错") {
					fail("home has the entry")
				}
			case IndHomeLinks, IndLinks, IndAccMenu:
				r := get(nr, tr.Subject, nil)
				if !(r.status == 404 || refused(r.err) || (tr.Indicator == IndAccMenu && strings.Contains(r.body, "暂无内容"))) {
					fail("answers %d %v", r.status, r.err)
				}
			case IndGarbled:
				b := get(c, tr.Subject, nil).body
				if !strings.Contains(b, "锟斤拷") && !strings.Contains(b, "\ufffd") && !strings.Contains(b, "Ã") && !strings.Contains(b, "å") {
					fail("no mojibake served")
				}
			case IndAccStale, IndAccInteraction:
				if tr.Manual {
					continue
				}
				b := get(c, tr.Subject, nil).body
				if tr.Indicator == IndAccStale {
					if d := newestDate(b); !d.Before(asOf.AddDate(0, 0, -14)) || d.IsZero() {
						fail("newest post %v", d)
					}
				} else if strings.Contains(b, "留言") || strings.Contains(b, ">私信<") {
					fail("interaction entry present")
				}
			}
		}
		// Clean sites: no spam host anywhere, not even for crawlers.
		spam := p.SpamHosts()
		for _, s := range p.sites {
			if !p.Clean(s.t.Code) || s.pl.closed {
				continue
			}
			v := p.hosts[s.serve]
			for u, pg := range v.pages {
				for _, body := range [][]byte{pg.body, pg.bot, pg.ref} {
					for _, h := range spam {
						if bytes.Contains(body, []byte(h)) {
							t.Errorf("clean site %s: %s contains spam host %s", s.t.Code, u, h)
						}
					}
				}
			}
			for u, pg := range v.pages {
				if b := decode(pg.body, pg.ctype); strings.Contains(b, "锟斤拷") || strings.Contains(b, "\ufffd") || strings.Contains(b, "å·") {
					t.Errorf("clean site %s: %s carries mojibake", s.t.Code, u)
				}
			}
			if s.flavour != "-" {
				if b := get(c, s.abs("/index.html"), nil).body; !strings.Contains(b, "赌") && !strings.Contains(b, "诈") && !strings.Contains(b, "扫黄") {
					t.Logf("clean %s site %s shows no crime-fighting headline on its home page", s.flavour, s.t.Name)
				}
			}
			if d := newestDate(get(c, s.abs("/index.html"), nil).body); d.Before(asOf.AddDate(0, 0, -3)) {
				t.Errorf("clean site %s: newest home date %v not fresh", s.t.Code, d)
			}
		}
	})
}

func digest(t *testing.T, p *Province) string {
	t.Helper()
	h := sha256.New()
	for _, host := range p.Hosts() {
		v := p.hosts[host]
		uris := make([]string, 0, len(v.pages))
		for u := range v.pages {
			uris = append(uris, u)
		}
		slices.Sort(uris)
		for _, u := range uris {
			pg := v.pages[u]
			fmt.Fprintf(h, "%s%s\x00%d\x00", host, u, pg.status)
			h.Write(pg.body)
			h.Write(pg.bot)
			h.Write(pg.ref)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func dirDigest(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []string{FileSites, FileSitesBOM, FileSitesGBK, FileSitesXLSX, FileAccounts, FileAccountsBOM, FileAccountsGBK, FileAccountsXLSX, FileTruth} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

func TestDeterminism(t *testing.T) {
	a, b := New(Options{Seed: 7, Small: true}), New(Options{Seed: 7, Small: true})
	d1, d2 := t.TempDir(), t.TempDir()
	if err := a.WriteRegistry(d1); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteRegistry(d2); err != nil {
		t.Fatal(err)
	}
	f1, f2 := dirDigest(t, d1), dirDigest(t, d2)
	for name := range f1 {
		if !bytes.Equal(f1[name], f2[name]) {
			t.Errorf("%s differs between two runs of the same seed", name)
		}
	}
	if digest(t, a) != digest(t, b) {
		t.Error("pages differ between two runs of the same seed")
	}
	c := New(Options{Seed: 8, Small: true})
	d3 := t.TempDir()
	if err := c.WriteRegistry(d3); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(f1[FileSites], dirDigest(t, d3)[FileSites]) || digest(t, a) == digest(t, c) {
		t.Error("another seed gives the same province")
	}
	if !testing.Short() && digest(t, full(t)) != digest(t, New(Options{Seed: 2020})) {
		t.Error("full province pages differ between runs")
	}
}

func TestRegistryFiles(t *testing.T) {
	p := small(t)
	dir := t.TempDir()
	if err := p.WriteRegistry(dir); err != nil {
		t.Fatal(err)
	}
	f := dirDigest(t, dir)
	for _, set := range []struct {
		utf8, bom, gbk, xlsx string
		header               []string
		n                    int
	}{
		{FileSites, FileSitesBOM, FileSitesGBK, FileSitesXLSX, SiteHeader, len(p.Sites())},
		{FileAccounts, FileAccountsBOM, FileAccountsGBK, FileAccountsXLSX, AccountHeader, len(p.Accounts())},
	} {
		raw := f[set.utf8]
		if !bytes.HasPrefix(raw, []byte(strings.Join(set.header, ",")+"\n")) {
			t.Errorf("%s header: %q", set.utf8, raw[:min(len(raw), 120)])
		}
		if !bytes.Equal(f[set.bom], append([]byte("\xef\xbb\xbf"), raw...)) {
			t.Errorf("%s is not the BOM form of %s", set.bom, set.utf8)
		}
		g, err := simplifiedchinese.GBK.NewDecoder().Bytes(f[set.gbk])
		if err != nil || !bytes.Equal(g, raw) {
			t.Errorf("%s does not decode to %s: %v", set.gbk, set.utf8, err)
		}
		x, err := excelize.OpenFile(filepath.Join(dir, set.xlsx))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("Sheet1")
		x.Close()
		if err != nil || len(rows) != set.n+1 || !slices.Equal(rows[0], set.header) {
			t.Errorf("%s: %d rows, header %v, err %v", set.xlsx, len(rows), rows[0], err)
		}
	}
	for _, s := range p.Sites() {
		if len(s.Code) != 10 || strings.Trim(s.Code, "0123456789") != "" || !strings.HasPrefix(s.Code, "63") {
			t.Errorf("site code %q", s.Code)
		}
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuf
	done := make(chan error, 1)
	dir := t.TempDir()
	go func() { done <- Serve(ctx, Options{Seed: 1, Small: true}, dir, &out) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "--resolve www.qinghai.gov.cn=127.0.0.1:") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "--resolve www.qinghai.gov.cn=127.0.0.1:") {
		t.Errorf("Serve printed:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, FileTruth)); err != nil {
		t.Error(err)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestColumnsVetoCriteria: the columns veto is seeded by INDICATORS.md's
// criteria — (a) ≥ 5 stale news and first-level notice columns, (b) ≥ 10
// stale columns, (c) ≥ 5 blank columns — and deduction-only sites stay
// well below every one of them.
func TestColumnsVetoCriteria(t *testing.T) {
	for _, small := range []bool{true, false} {
		p := New(Options{Seed: 1, Small: small})
		asOf := p.AsOf()
		veto := map[string]bool{}
		for _, tr := range p.Truth() {
			if tr.Indicator == IndColumnsStale {
				veto[tr.Target] = true
			}
		}
		if len(veto) == 0 {
			t.Errorf("small=%v: no columns veto seeded", small)
		}
		for _, s := range p.sites {
			var nn, stale, blank int
			for _, c := range s.cols {
				switch {
				case c.blank:
					blank++
				case c.items[0].date.Before(window(c.def.cat, asOf)):
					stale++
					if c.def.cat == catNews || c.def.cat == catNotice {
						nn++
					}
				}
			}
			meets := nn >= 5 || stale >= 10 || blank >= 5
			if meets != veto[s.t.Code] {
				t.Errorf("small=%v %s: %d stale news/notice, %d stale, %d blank; veto in truth %v", small, s.t.Code, nn, stale, blank, veto[s.t.Code])
			}
			if !meets && (nn > 3 || stale > 3 || blank > 2) {
				t.Errorf("small=%v %s: deduction-only site too close to the veto: %d stale news/notice, %d stale, %d blank", small, s.t.Code, nn, stale, blank)
			}
		}
	}
}
