package province

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// page is one stored response. Cloaked pages carry variants for crawler
// user agents (bot) and search-engine referers (ref).
type page struct {
	status   int
	ctype    string
	body     []byte
	location string
	bot, ref []byte
}

// vhost is what one host name serves.
type vhost struct {
	pages    map[string]*page // by request URI (path?query)
	anyQuery map[string]*page // by path, whatever the query (search forms)
	fallback *page            // any other URI (aux hosts)
	moved    string           // every request is redirected to this host
}

func newVhost() *vhost {
	return &vhost{pages: map[string]*page{}, anyQuery: map[string]*page{}}
}

// lookup finds the page for a request URI.
func (v *vhost) lookup(uri string) *page {
	if pg, ok := v.pages[uri]; ok {
		return pg
	}
	path, _, _ := strings.Cut(uri, "?")
	if pg, ok := v.anyQuery[path]; ok {
		return pg
	}
	return v.fallback
}

// A 1×1 transparent GIF for logos and the error-entry badge.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// New generates the province for these options. It is deterministic and
// reads no clock.
func New(opt Options) *Province {
	lx := loadLexicon()
	p := &Province{opt: opt, asOf: AsOfDate, clean: map[string]bool{}, hosts: map[string]*vhost{}}
	p.sites = buildSites(lx, opt.Seed, opt.Small)
	planSites(p.sites, opt.Seed, opt.Small)
	styleOff := int(uint64(opt.Seed) % nStyles)
	taken := map[string]bool{}
	for _, s := range p.sites {
		taken[s.host] = true
	}
	for i, s := range p.sites {
		s.rng = newRand(opt.Seed, uint64(100+i))
		if s.pl.domainChanged {
			s.serve = movedHost(s)
			for n := 2; taken[s.serve]; n++ {
				s.serve = fmt.Sprintf("www.%s%d.gov.cn", s.abbr, n)
			}
			taken[s.serve] = true
		}
		s.fill(lx, p.asOf, styleOff, i)
		p.renderSite(s)
		p.truth = append(p.truth, s.truth(p.asOf)...)
		p.clean[s.t.Code] = !s.pl.any()
	}
	p.buildAccounts(lx)
	p.auxHosts()
	slices.SortFunc(p.truth, func(a, b Truth) int {
		return strings.Compare(a.Target+"\x00"+a.Indicator+"\x00"+a.Subject, b.Target+"\x00"+b.Indicator+"\x00"+b.Subject)
	})
	slices.Sort(p.dead)
	p.dead = slices.Compact(p.dead)
	return p
}

func (s *site) ctype() string {
	if s.csWhere == 1 {
		return "text/html"
	}
	if s.gbk {
		return "text/html; charset=GBK"
	}
	return "text/html; charset=utf-8"
}

// encode writes a page in the site's charset. Content comes from the
// embedded lists; a character GBK cannot hold is a data bug.
func (s *site) encode(h string) []byte {
	if !s.gbk {
		return []byte(h)
	}
	b, err := simplifiedchinese.GBK.NewEncoder().String(h)
	if err != nil {
		panic(fmt.Sprintf("province: site %s: GBK encoding: %v", s.t.Code, err))
	}
	return []byte(b)
}

func (p *Province) renderSite(s *site) {
	if s.pl.refuse || s.pl.closed {
		p.dead = append(p.dead, s.host)
		return
	}
	for _, bl := range s.homeBroken {
		p.noteDead(bl.url)
	}
	v := newVhost()
	p.hosts[s.serve] = v
	if s.serve != s.host {
		p.hosts[s.host] = &vhost{moved: s.serve}
	}
	put := func(uri, h string) { v.pages[uri] = &page{status: 200, ctype: s.ctype(), body: s.encode(h)} }
	home := &page{status: 200, ctype: s.ctype(), body: s.encode(s.home(""))}
	for k, t := range s.pl.spam {
		switch t {
		case spamUA:
			home.bot = s.encode(s.home(s.spamBlock(t, s.spamHosts[k])))
		case spamReferer:
			home.ref = s.encode(s.home(s.spamBlock(t, s.spamHosts[k])))
		}
	}
	v.pages["/index.html"] = home
	if s.rootRedirect {
		v.pages["/"] = &page{status: 302, ctype: "text/html", location: "/index.html", body: []byte("<a href=\"/index.html\">Found</a>\n")}
	} else {
		v.pages["/"] = home
	}
	css := "body{font-family:\"Microsoft YaHei\",SimSun;margin:0}.footer{text-align:center;color:#666}\n"
	if slices.Contains(s.pl.spam, spamCSS) {
		css += "." + spamClass + "{display:none}\n"
	}
	v.pages[cssPaths[s.style]] = &page{status: 200, ctype: "text/css", body: []byte(css)}
	v.pages["/images/logo.gif"] = &page{status: 200, ctype: "image/gif", body: gif}
	v.pages["/images/jiucuo.gif"] = &page{status: 200, ctype: "image/gif", body: gif}
	for _, c := range s.cols {
		for uri, h := range s.listPages(c) {
			put(uri, h)
		}
		if c.mode == modeXHR && !c.blank {
			v.pages[s.apiURL(c)] = &page{status: 200, ctype: "application/json; charset=utf-8", body: []byte(s.apiBody(c))}
		}
		its := c.items
		if c.pinned != nil {
			its = append([]*item{c.pinned}, its...)
		}
		for _, it := range its {
			put(s.artURL(c, it), s.article(c, it, 50+it.id%900))
			if it.broken != nil {
				p.noteDead(it.broken.url)
			}
		}
	}
	if len(s.guides) > 0 {
		put(s.guideListURL(), s.guideList())
		for _, g := range s.guides {
			put(s.guideURL(g), s.guidePage(g))
		}
	}
	for uri, h := range s.interactPages() {
		put(uri, h)
	}
	f := searchForms[s.style]
	v.anyQuery[f.action] = &page{status: 200, ctype: s.ctype(), body: s.encode(s.frame("搜索结果", "<div class=\"search-result\">共找到 0 条结果</div>\n"))}
}

// noteDead records the host of a broken link when it is not one we serve.
func (p *Province) noteDead(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("province: broken link %q: %v", raw, err))
	}
	if strings.HasPrefix(u.Host, "zt.") {
		p.dead = append(p.dead, u.Host)
	}
}

// auxHosts are the national hosts every footer links to; they are served
// so that a clean site has no broken link.
func (p *Province) auxHosts() {
	aux := map[string]string{
		"www.gov.cn":        "中国政府网",
		"zfwzzc.www.gov.cn": "我为政府网站找错",
		"beian.miit.gov.cn": "ICP/IP地址/域名信息备案管理系统",
	}
	for h, t := range aux {
		if _, ok := p.hosts[h]; ok {
			continue
		}
		v := newVhost()
		v.fallback = &page{status: 200, ctype: "text/html; charset=utf-8",
			body: []byte("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + t + "</title></head><body><h1>" + t + "</h1></body></html>\n")}
		p.hosts[h] = v
	}
}
