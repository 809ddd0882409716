package province

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"inspector/model"
)

// CMS styles: each has its own URL scheme, list markup and date formats,
// so that a probe tuned to one template fails on the others.
const (
	styleHanweb = iota // /col/col1101/index.html, /art/2020/9/18/art_1101_20102.html
	styleTRS           // /xxgk/tzgg/202009/t20200918_6597.html, relative links
	styleShtml         // /gzdt/list.shtml, month headings with [09-18]
	styleQuery         // /list.jsp?channelId=12, year captions with 9月18日
	nStyles
)

// Column list modes: how the list reaches the browser.
const (
	modeStatic = iota // items in the HTML
	modeXHR           // empty container filled by fetch() after load
	modeJSON          // JSON data in a <script> element, drawn by script
	modeXML           // XML records in CDATA inside a <script>, drawn by script
)

// Spam techniques seeded on hacked sites (site.veto.security).
const (
	spamCSS       = iota // class hidden by the external stylesheet
	spamOffscreen        // absolute positioning far off screen
	spamClip             // zero-height, overflow:hidden parent
	spamColor            // text coloured as its background
	spamUA               // served only to search-engine crawlers
	spamReferer          // served only with a search-engine Referer, plus a script redirect
	spamScript           // links written by an obfuscated script
	nSpam
)

var spamWhy = [nSpam]string{
	"spam links hidden by a class of the external stylesheet (display:none)",
	"spam links positioned off screen (position:absolute; left:-9999px)",
	"spam links inside a zero-height overflow:hidden parent",
	"spam links coloured as their background",
	"spam links served only to search-engine crawler user agents (UA cloaking)",
	"spam links and a script redirect served only with a baidu.com/so.com search Referer",
	"spam links written by an obfuscated script (document.write)",
}

const (
	catNews      = "news"
	catNotice    = "notice"
	catPersonnel = "personnel"
)

// guideElements are the 8 key elements of a service guide.
var guideElements = []string{"事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程"}

type plan struct {
	neglected, noConsult, domainChanged, refuse, closed bool
	noSearch, noErrorEntry                              bool
	staleCols, blankCols, guideMissing                  int
	homeBroken, otherBroken, garbled                    int
	spam                                                []int
}

func (pl plan) any() bool {
	return pl.neglected || pl.noConsult || pl.domainChanged || pl.refuse || pl.noSearch || pl.noErrorEntry ||
		pl.staleCols+pl.blankCols+pl.guideMissing+pl.homeBroken+pl.otherBroken+pl.garbled+len(pl.spam) > 0
}

type site struct {
	t            model.Target
	host, serve  string // registered host; host that serves the content
	abbr         string
	reg          region
	org          string // sponsor, for headlines
	flavour      string // police, market or -
	style        int
	gbk          bool
	csWhere      int // 0 header only, 1 meta only, 2 both
	rootRedirect bool
	htm          bool // shtml style writes .htm articles
	cols         []*column
	guides       []*guide
	pl           plan
	homeBroken   []broken
	spamHosts    []string // one per technique in pl.spam
	rng          *rand.Rand
}

type column struct {
	def       colDef
	id        int
	items     []*item // newest first
	pinned    *item
	blank     bool
	stale     bool
	mode      int
	dateStyle int
	pageSize  int
}

type item struct {
	title  string
	date   time.Time
	hour   int
	id     int
	paras  []string
	garble string
	broken *broken
}

type broken struct {
	url   string // absolute
	img   bool
	label string
}

type guide struct {
	id      int
	name    string
	missing []string
}

func newRand(seed int64, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), salt^0x9e3779b97f4a7c15))
}

// buildSites lays out the registry: the provincial portal, provincial
// departments, prefecture portals and departments, county portals.
func buildSites(lx *lexicon, seed int64, small bool) []*site {
	rng := newRand(seed, 1)
	var out []*site
	used := map[string]bool{}
	uniq := func(h string) string {
		for i := 2; used[h]; i++ {
			h = strings.Replace(h, ".gov.cn", fmt.Sprintf("%d.gov.cn", i), 1)
		}
		used[h] = true
		return h
	}
	seqs := map[string][]int{}
	code := func(prefix string, width int) string {
		if seqs[prefix] == nil {
			seqs[prefix] = rng.Perm(90)
		}
		n := seqs[prefix][0] + 1
		seqs[prefix] = seqs[prefix][1:]
		return fmt.Sprintf("%s%0*d", prefix, width, n)
	}
	add := func(r region, name, sponsor, host, abbr, typ, flavour, c string) {
		s := &site{host: uniq(host), abbr: abbr, reg: r, org: strings.TrimSuffix(sponsor, "办公厅"), flavour: flavour}
		s.org = strings.TrimSuffix(s.org, "办公室")
		s.serve = s.host
		s.t = model.Target{Code: c, Kind: model.KindSite, Name: name, Sponsor: sponsor,
			URL: "http://" + s.host + "/", Status: model.StatusRunning, Region: r.prefecture}
		switch typ {
		case "portal":
			s.t.Portal = true
		case "noservice":
			s.t.NoServices = true
		}
		out = append(out, s)
	}
	prov := lx.regions[0]
	add(prov, portalName(lx, prov), "青海省人民政府办公厅", "www.qinghai.gov.cn", "qh", "portal", "-", code("6300", 6))
	for _, d := range lx.provDepts {
		host := "www.qh" + d.abbr + ".gov.cn"
		if rng.IntN(3) == 0 {
			host = d.abbr + ".qinghai.gov.cn"
		}
		add(prov, "青海省"+d.name+"网站", "青海省"+d.name, host, d.abbr, d.typ, d.flavour, code("6300", 6))
	}
	var prefs, counties []region
	for _, r := range lx.regions[1:] {
		if strings.HasSuffix(r.code, "00") {
			prefs = append(prefs, r)
		} else {
			counties = append(counties, r)
		}
	}
	off := rng.IntN(len(lx.prefDepts))
	k := 0
	for i, r := range prefs {
		add(r, portalName(lx, r), r.name+"人民政府办公室", "www."+r.pinyin+".gov.cn", r.pinyin, "portal", "-", code(r.code[:4], 6))
		n := 4
		if i < 4 {
			n = 5
		}
		for j := 0; j < n; j++ {
			d := lx.prefDepts[(off+k)%len(lx.prefDepts)]
			k++
			add(r, r.short+d.name+"网站", r.short+d.name, d.abbr+"."+r.pinyin+".gov.cn", d.abbr, d.typ, d.flavour, code(r.code[:4], 6))
		}
	}
	for _, r := range counties {
		add(r, portalName(lx, r), r.short+"人民政府办公室", "www."+r.pinyin+".gov.cn", r.pinyin, "portal", "-", code(r.code, 4))
	}
	if small {
		keep := map[string]bool{}
		for _, n := range lines("small.txt") {
			keep[n] = true
		}
		out = slices.DeleteFunc(out, func(s *site) bool { return !keep[s.t.Name] })
	}
	return out
}

func portalName(lx *lexicon, r region) string {
	if n, ok := lx.portals[r.code]; ok {
		return n
	}
	return r.short + "人民政府网站"
}

// picker hands out distinct indices from a seeded permutation.
type picker struct {
	order []int
	used  map[int]bool
}

func newPicker(rng *rand.Rand, n int, ok func(int) bool) *picker {
	p := &picker{used: map[int]bool{}}
	for _, i := range rng.Perm(n) {
		if ok(i) {
			p.order = append(p.order, i)
		}
	}
	return p
}

// take returns up to n unused indices accepted by ok and marks them used.
func (p *picker) take(n int, ok func(int) bool) []int {
	var out []int
	for _, i := range p.order {
		if len(out) == n {
			break
		}
		if !p.used[i] && (ok == nil || ok(i)) {
			p.used[i] = true
			out = append(out, i)
		}
	}
	return out
}

// planSites decides which sites get which defect. Vetoes go to distinct
// sites (apart from interaction, which also hits neglected sites), so the
// failure rate stays near the bulletin's; deductions overlap freely.
func planSites(sites []*site, seed int64, small bool) {
	rng := newRand(seed, 2)
	eligible := func(i int) bool {
		s := sites[i]
		return s.flavour == "-" && s.t.Code != sites[0].t.Code
	}
	pk := newPicker(rng, len(sites), eligible)
	n := func(full, sm int) int {
		if small {
			return sm
		}
		return full
	}
	for _, i := range pk.take(n(3, 1), nil) {
		sites[i].pl.refuse = true
	}
	neg := pk.take(n(3, 1), nil)
	for _, i := range neg {
		sites[i].pl.neglected = true
	}
	sec := pk.take(n(4, 1), nil)
	for k, i := range sec {
		for t := 0; t < nSpam; t++ {
			if small || t%len(sec) != k {
				sites[i].pl.spam = append(sites[i].pl.spam, t)
			}
		}
	}
	for _, i := range pk.take(n(3, 1), nil) {
		sites[i].pl.domainChanged = true
	}
	for _, i := range pk.take(n(1, 0), nil) {
		sites[i].pl.noConsult = true
	}
	for _, i := range neg[:n(2, 1)] {
		sites[i].pl.noConsult = true
	}
	if !small {
		for _, i := range pk.take(2, nil) {
			sites[i].pl.closed = true
		}
		for _, i := range pk.take(1, nil) {
			sites[i].t.Status = model.StatusException
		}
	}
	// The deduction pool: sites that otherwise pass.
	pool := pk.take(n(45, 5), nil)
	pickPool := func(k int, ok func(int) bool) []int {
		var cand []int
		for _, i := range pool {
			if ok == nil || ok(i) {
				cand = append(cand, i)
			}
		}
		rng.Shuffle(len(cand), func(a, b int) { cand[a], cand[b] = cand[b], cand[a] })
		return cand[:min(k, len(cand))]
	}
	service := func(i int) bool { return !sites[i].t.NoServices }
	for _, i := range pickPool(n(7, 1), nil) {
		sites[i].pl.staleCols = 1 + rng.IntN(2)
	}
	for _, i := range pickPool(n(4, 1), nil) {
		sites[i].pl.blankCols = 1
	}
	for _, i := range pickPool(n(6, 1), service) {
		sites[i].pl.guideMissing = 1 + rng.IntN(2)
	}
	for _, i := range pickPool(n(4, 1), nil) {
		sites[i].pl.noSearch = true
	}
	for _, i := range pickPool(n(4, 1), nil) {
		sites[i].pl.noErrorEntry = true
	}
	for _, i := range pickPool(n(7, 2), nil) {
		sites[i].pl.homeBroken = 1 + rng.IntN(2)
	}
	for _, i := range pickPool(n(7, 2), nil) {
		sites[i].pl.otherBroken = 1 + rng.IntN(3)
	}
	for _, i := range pickPool(n(5, 2), nil) {
		sites[i].pl.garbled = 1 + rng.IntN(2)
	}
	for _, s := range sites {
		if s.pl.closed {
			s.t.Status = model.StatusClosed
		}
	}
}

// movedHost is where a site with a changed domain now lives.
func movedHost(s *site) string {
	switch {
	case strings.HasPrefix(s.host, "www.qh") && s.reg.code == "630000":
		return s.abbr + ".qinghai.gov.cn"
	case strings.HasSuffix(s.host, ".qinghai.gov.cn"):
		return "www.qh" + s.abbr + ".gov.cn"
	case strings.HasPrefix(s.host, "www."):
		return "www." + s.abbr + "zf.gov.cn"
	default:
		return "www.qh" + strings.ReplaceAll(s.host[:strings.Index(s.host, ".gov.cn")], ".", "") + ".gov.cn"
	}
}

// fill generates the content of one site: columns, items, guides, and
// the concrete places of its seeded defects.
func (s *site) fill(lx *lexicon, asOf time.Time, styleOff int, idx int) {
	r := s.rng
	s.style = (idx + styleOff) % nStyles
	s.gbk = r.IntN(10) < 3
	s.csWhere = r.IntN(3)
	s.rootRedirect = r.IntN(10) < 3
	s.htm = r.IntN(2) == 0
	// Columns: always 工作动态 and 通知公告, others by chance; a neglected
	// site has every news and notice column (all of them stale, so that
	// the columns veto's criterion (a) holds).
	for i, d := range lx.columns {
		if i == 0 || d.slug == "tzgg" || r.IntN(10) < 5 || (s.pl.neglected && d.cat != catPersonnel) {
			s.cols = append(s.cols, &column{def: d})
		}
	}
	base := 1000 + 100*r.IntN(60)
	for i, c := range s.cols {
		c.id = base + 1 + i + r.IntN(3)*10
		if s.style == styleQuery {
			c.id = 10 + 3*i + r.IntN(3)
		}
		c.pageSize = []int{15, 10, 12, 10}[s.style]
		c.dateStyle = r.IntN(len(listDateStyles[s.style]))
		switch m := r.IntN(100); {
		case m < 12:
			c.mode = modeXHR
		case m < 22:
			c.mode = modeJSON
		case m < 35 || (s.style == styleHanweb && m < 50):
			c.mode = modeXML
		}
	}
	// Which columns are stale or blank.
	rest := r.Perm(len(s.cols) - 1)
	if s.pl.neglected {
		for _, c := range s.cols {
			c.stale = true
		}
		s.cols[1+rest[0]].blank = true
	} else {
		for k := 0; k < s.pl.staleCols; k++ {
			s.cols[1+rest[k]].stale = true
		}
		for k := 0; k < s.pl.blankCols; k++ {
			c := s.cols[1+rest[s.pl.staleCols+k]]
			c.blank, c.stale = true, false
		}
	}
	id := 2000 + r.IntN(30000)
	var all []*item
	for _, c := range s.cols {
		if c.blank {
			continue
		}
		win, gap := window(c.def.cat, asOf), []int{4, 25, 70}[catIndex(c.def.cat)]
		var d time.Time
		if c.stale {
			d = win.AddDate(0, 0, -(5 + r.IntN(56)))
		} else {
			d = asOf.AddDate(0, 0, -[]int{r.IntN(4), r.IntN(40), 20 + r.IntN(100)}[catIndex(c.def.cat)])
		}
		nItems := 6 + r.IntN(20)
		for k := 0; k < nItems; k++ {
			id += 1 + r.IntN(40)
			it := &item{title: s.headline(lx, c.def.cat), date: d, hour: 8 + r.IntN(10), id: id, paras: s.paras(lx)}
			c.items = append(c.items, it)
			all = append(all, it)
			d = d.AddDate(0, 0, -(1 + r.IntN(gap)))
		}
		if r.IntN(8) == 0 {
			id += 7
			c.pinned = &item{title: s.org + "政府信息公开指南", date: asOf.AddDate(-1-r.IntN(2), -r.IntN(6), 0), hour: 9, id: id, paras: s.paras(lx)}
		}
	}
	if s.t.Portal || !s.t.NoServices {
		names := slices.Clone(lx.guides)
		r.Shuffle(len(names), func(a, b int) { names[a], names[b] = names[b], names[a] })
		ng := 3 + r.IntN(4)
		for k := 0; k < ng; k++ {
			g := &guide{id: 101 + k*3 + r.IntN(3), name: names[k]}
			if k < s.pl.guideMissing {
				for _, e := range r.Perm(len(guideElements))[:1+r.IntN(3)] {
					g.missing = append(g.missing, guideElements[e])
				}
				slices.SortFunc(g.missing, func(a, b string) int {
					return slices.Index(guideElements, a) - slices.Index(guideElements, b)
				})
			}
			s.guides = append(s.guides, g)
		}
	}
	// Defects placed on concrete items and links.
	perm := r.Perm(len(all))
	for k := 0; k < s.pl.garbled && k < len(perm); k++ {
		all[perm[k]].garble = s.mojibake(k)
	}
	for k := 0; k < s.pl.otherBroken && s.pl.garbled+k < len(perm); k++ {
		all[perm[s.pl.garbled+k]].broken = s.brokenLink(k, false)
	}
	for k := 0; k < s.pl.homeBroken; k++ {
		s.homeBroken = append(s.homeBroken, *s.brokenLink(k, true))
	}
	hosts := slices.Clone(lx.spamHosts)
	r.Shuffle(len(hosts), func(a, b int) { hosts[a], hosts[b] = hosts[b], hosts[a] })
	s.spamHosts = hosts[:len(s.pl.spam)]
}

func catIndex(cat string) int {
	switch cat {
	case catNews:
		return 0
	case catNotice:
		return 1
	}
	return 2
}

// window is the oldest date a column of this category may have as its
// newest item and still count as updated.
func window(cat string, asOf time.Time) time.Time {
	switch cat {
	case catNews:
		return asOf.AddDate(0, 0, -14)
	case catNotice:
		return asOf.AddDate(0, -6, 0)
	}
	return asOf.AddDate(-1, 0, 0)
}

func (s *site) headline(lx *lexicon, cat string) string {
	r := s.rng
	var t string
	switch {
	case cat == catNews && s.flavour == "police" && r.IntN(3) > 0:
		t = lx.police[r.IntN(len(lx.police))]
	case cat == catNews && s.flavour == "market" && r.IntN(3) > 0:
		t = lx.market[r.IntN(len(lx.market))]
	case cat == catNews:
		t = lx.news[r.IntN(len(lx.news))]
	case cat == catNotice:
		t = lx.notice[r.IntN(len(lx.notice))]
	default:
		t = lx.personnel[r.IntN(len(lx.personnel))]
	}
	rs := s.reg.short
	if s.reg.code == "630000" {
		rs = "全省"
	}
	return strings.NewReplacer("{org}", s.org, "{region}", rs).Replace(t)
}

func (s *site) paras(lx *lexicon) []string {
	n := 2 + s.rng.IntN(3)
	out := make([]string, n)
	for i := range out {
		out[i] = lx.paras[s.rng.IntN(len(lx.paras))]
	}
	return out
}

// mojibake returns garbled text of the kinds inspectors meet. GBK pages
// only get 锟斤拷 (U+FFFD and Latin-1 debris cannot be written in GBK).
func (s *site) mojibake(k int) string {
	if s.gbk {
		return "锟斤拷锟斤拷锟斤拷"
	}
	switch (k + s.rng.IntN(3)) % 3 {
	case 0:
		return "锟斤拷锟斤拷"
	case 1:
		return "\ufffd\ufffd\ufffd\ufffd"
	}
	// UTF-8 bytes read as Windows-1252: the "Ã©" kind of debris.
	b, err := charmap.Windows1252.NewDecoder().String("工作动态")
	if err != nil {
		panic(fmt.Sprintf("province: mojibake: %v", err))
	}
	return b
}

// brokenLink makes a link that answers 404 or whose host refuses.
func (s *site) brokenLink(k int, home bool) *broken {
	n := 100 + s.rng.IntN(800)
	tag := "p"
	if home {
		tag = "h"
	}
	switch (k + s.rng.IntN(3)) % 3 {
	case 0:
		return &broken{url: fmt.Sprintf("http://%s/uploadfiles/2019/%s%d.doc", s.serve, tag, n), label: "附件：相关材料.doc"}
	case 1:
		return &broken{url: fmt.Sprintf("http://%s/images/2019/%s%d.jpg", s.serve, tag, n), img: true, label: "图片"}
	}
	return &broken{url: fmt.Sprintf("http://%s/%s%d/index.html", deadHost(s), tag, n), label: "专题专栏"}
}

// deadHost is a former special-topic host of the site, now gone.
func deadHost(s *site) string { return "zt." + strings.TrimPrefix(s.serve, "www.") }
