package province

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"inspector/model"
)

const (
	webNone = iota
	webWeChat
	webWeibo
)

// Hosts of the account platforms served by the province.
const (
	HostWeChat = "mp.weixin.qq.com"
	HostWeibo  = "weibo.com"
)

type account struct {
	t          model.Target
	web        int
	token      string
	org        string
	posts      []post
	stale      bool
	noInteract bool
	badMenu    int // 0 none, 1 menu entry 404, 2 menu entry empty page
}

type post struct {
	title string
	date  time.Time
	hour  int
}

type platform struct {
	name   string
	weight int
	web    string
	share  int
}

func (p *Province) buildAccounts(lx *lexicon) {
	rng := newRand(p.opt.Seed, 3)
	var plats []platform
	total := 0
	for _, f := range fields("platforms.txt", 4) {
		w, _ := strconv.Atoi(f[1])
		sh, _ := strconv.Atoi(f[3])
		plats = append(plats, platform{f[0], w, f[2], sh})
		total += w
	}
	pats := lines("account_suffixes.txt")
	// Sponsors: every site's sponsor, then county departments.
	type org struct{ name, place, region string }
	var orgs []org
	for _, s := range p.sites {
		orgs = append(orgs, org{s.t.Sponsor, placeOf(s.reg), s.reg.prefecture})
	}
	for _, r := range lx.regions {
		if strings.HasSuffix(r.code, "00") || (p.opt.Small && !p.hasRegion(r.code)) {
			continue
		}
		for _, d := range lx.countyDepts {
			orgs = append(orgs, org{r.short + d, placeOf(r), r.prefecture})
		}
	}
	n := 381
	if p.opt.Small {
		n = 20
	}
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		var o org
		if i < len(p.sites) && i%2 == 0 {
			o = orgs[i/2] // the first sites' sponsors always have an account
		} else {
			o = orgs[rng.IntN(len(orgs))]
		}
		w := rng.IntN(total)
		pl := plats[0]
		for _, c := range plats {
			if w < c.weight {
				pl = c
				break
			}
			w -= c.weight
		}
		if i == 0 {
			pl = plats[0] // the small province needs one of each page kind
		} else if i == 1 {
			pl = plats[1]
		}
		pat := pats[rng.IntN(len(pats))]
		if !strings.Contains(o.name, "人民政府") && !strings.Contains(o.name, "融媒体") {
			pat = "{org}" // only governments and their media centres publish as "<place>发布"
		}
		name := strings.NewReplacer("{org}", o.name, "{place}", o.place).Replace(pat)
		for k := 2; seen[pl.name+"|"+name]; k++ {
			name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), k)
		}
		seen[pl.name+"|"+name] = true
		a := &account{org: o.name}
		a.t = model.Target{Kind: model.KindAccount, Name: name, Sponsor: o.name, Platform: pl.name, Status: model.StatusRunning, Region: o.region}
		a.t.Code = accountCode(rng, pl.name, i)
		if rng.IntN(100) < pl.share || i < 2 {
			switch pl.web {
			case "wechat":
				a.web = webWeChat
				a.token = fmt.Sprintf("MzA%d%07dNg==", 5+rng.IntN(4), rng.IntN(10000000))
				a.t.URL = "http://" + HostWeChat + "/mp/profile_ext?action=home&__biz=" + a.token
			case "weibo":
				a.web = webWeibo
				a.token = a.t.Code
				a.t.URL = "http://" + HostWeibo + "/u/" + a.token
			}
		}
		p.accounts = append(p.accounts, a)
	}
	p.planAccounts(rng)
	for i, a := range p.accounts {
		a.fillPosts(lx, newRand(p.opt.Seed, uint64(100000+i)), p.asOf)
	}
	wx, wb := newVhost(), newVhost()
	p.hosts[HostWeChat], p.hosts[HostWeibo] = wx, wb
	for _, a := range p.accounts {
		a.render(wx, wb)
		p.truth = append(p.truth, a.truth()...)
		p.clean[a.t.Code] = !a.stale && !a.noInteract && a.badMenu == 0
	}
}

func (p *Province) hasRegion(code string) bool {
	for _, s := range p.sites {
		if s.reg.code == code {
			return true
		}
	}
	return false
}

func placeOf(r region) string {
	if r.code == "630000" {
		return "青海"
	}
	for _, suf := range []string{"自治县", "县", "市", "州", "区"} {
		if t := strings.TrimSuffix(r.short, suf); t != r.short && len([]rune(t)) >= 2 {
			return t
		}
	}
	return r.short
}

// accountCode is a platform-style account id; i keeps it unique.
func accountCode(rng *rand.Rand, plat string, i int) string {
	switch plat {
	case "微信":
		return fmt.Sprintf("gh_%08x%04x", rng.Uint32(), i)
	case "微博":
		return fmt.Sprintf("%d%06d", 5000+rng.IntN(2000), i)
	case "抖音":
		return fmt.Sprintf("dy%06d%04d", rng.IntN(1000000), i)
	case "头条号":
		return fmt.Sprintf("tt%07d%04d", rng.IntN(10000000), i)
	case "快手":
		return fmt.Sprintf("ks%06d%04d", rng.IntN(1000000), i)
	}
	return fmt.Sprintf("mp%06d%04d", rng.IntN(1000000), i)
}

// planAccounts seeds account defects near the bulletin's figures: 26
// stale, about 36 without interaction (disjoint, so ~16% fail), and some
// broken menus; the first few of each go to accounts with a public page
// so the probe has something to find.
func (p *Province) planAccounts(rng *rand.Rand) {
	all := p.accounts
	pk := newPicker(rng, len(all), func(int) bool { return true })
	web := func(i int) bool { return all[i].web != webNone }
	wechat := func(i int) bool { return all[i].web == webWeChat }
	nStale, nInter, nMenu, nObs := 26, 36, 12, 3
	if p.opt.Small {
		nStale, nInter, nMenu, nObs = 2, 2, 1, 1
	}
	for _, i := range append(pk.take(nObs, web), pk.take(nStale-nObs, nil)...) {
		all[i].stale = true
	}
	for _, i := range append(pk.take(nObs, web), pk.take(nInter-nObs, nil)...) {
		all[i].noInteract = true
	}
	// Menu faults are deductions: they may fall on already failing accounts.
	mk := newPicker(rng, len(all), wechat)
	for k, i := range mk.take(nMenu, nil) {
		all[i].badMenu = 1 + k%2
	}
}

func (a *account) fillPosts(lx *lexicon, r *rand.Rand, asOf time.Time) {
	d := asOf.AddDate(0, 0, -r.IntN(4))
	if a.stale {
		d = asOf.AddDate(0, 0, -(19 + r.IntN(56)))
	}
	n := 6 + r.IntN(10)
	for k := 0; k < n; k++ {
		t := strings.NewReplacer("{org}", a.org, "{region}", "").Replace(lx.news[r.IntN(len(lx.news))])
		a.posts = append(a.posts, post{t, d, 8 + r.IntN(12)})
		d = d.AddDate(0, 0, -(1 + r.IntN(6)))
	}
}

func (a *account) menuURL(k string) string { return "/s/" + strings.TrimSuffix(a.token, "==") + k }

func (a *account) render(wx, wb *vhost) {
	h := func(s string) *page { return &page{status: 200, ctype: "text/html; charset=utf-8", body: []byte(s)} }
	doc := func(title, body string) string {
		return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title></head><body>\n" + body + "</body></html>\n"
	}
	switch a.web {
	case webWeChat:
		var b strings.Builder
		fmt.Fprintf(&b, "<div class=\"profile_info\"><strong class=\"profile_nickname\">%s</strong><p>微信号：%s</p><p>账号主体：%s</p></div>\n<div class=\"weui_msg_card_list\">\n", esc(a.t.Name), a.t.Code, esc(a.t.Sponsor))
		for k, ps := range a.posts {
			u := a.menuURL(fmt.Sprintf("p%d", k))
			fmt.Fprintf(&b, "<div class=\"weui_msg_card\"><div class=\"weui_msg_card_hd\">%s</div><h4 class=\"weui_media_title\"><a href=\"%s\">%s</a></h4></div>\n", ps.date.Format("2006年1月2日"), u, esc(ps.title))
			wx.pages[u] = h(doc(ps.title, fmt.Sprintf("<h1 class=\"rich_media_title\">%s</h1>\n<em id=\"publish_time\">%s</em> <a id=\"js_name\">%s</a>\n<div class=\"rich_media_content\"><p>%s</p></div>\n",
				esc(ps.title), ps.date.Format("2006-01-02"), esc(a.t.Name), esc(ps.title))))
		}
		b.WriteString("</div>\n<div class=\"menu\">")
		menu := [][2]string{{"政务服务", "m1"}, {"走进" + a.org, "m2"}}
		if !a.noInteract {
			menu = append(menu, [2]string{"互动留言", "ly"})
		}
		for _, m := range menu {
			fmt.Fprintf(&b, "<a href=\"%s\">%s</a> ", a.menuURL(m[1]), esc(m[0]))
		}
		switch a.badMenu {
		case 1:
			fmt.Fprintf(&b, "<a href=\"%s\">办事查询</a> ", a.menuURL("m404"))
		case 2:
			fmt.Fprintf(&b, "<a href=\"%s\">信息公开</a> ", a.menuURL("m0"))
			wx.pages[a.menuURL("m0")] = h(doc("信息公开", "<div class=\"empty\">暂无内容</div>\n"))
		}
		b.WriteString("</div>\n")
		wx.pages[strings.TrimPrefix(a.t.URL, "http://"+HostWeChat)] = h(doc(a.t.Name, b.String()))
		wx.pages[a.menuURL("m1")] = h(doc("政务服务", "<h1>政务服务</h1><p>"+esc(a.org)+"办事服务导航：社保查询、公积金查询、不动产登记预约。</p>\n"))
		wx.pages[a.menuURL("m2")] = h(doc("走进"+a.org, "<h1>走进"+esc(a.org)+"</h1><p>机构职能、领导信息、内设机构。</p>\n"))
		if !a.noInteract {
			wx.pages[a.menuURL("ly")] = h(doc("互动留言", "<h1>留言咨询</h1><form method=\"post\"><textarea name=\"msg\"></textarea><input type=\"submit\" value=\"提交\"></form>\n"))
		}
	case webWeibo:
		var b strings.Builder
		fmt.Fprintf(&b, "<div class=\"WB_info\"><h1>%s</h1><p>%s官方微博</p>", esc(a.t.Name), esc(a.t.Sponsor))
		if a.noInteract {
			b.WriteString("<span class=\"tip\">该用户已关闭私信和评论</span>")
		} else {
			fmt.Fprintf(&b, "<a class=\"W_btn\" href=\"/messages?uid=%s\">私信</a>", a.token)
			wb.pages["/messages?uid="+a.token] = h(doc("私信", "<h1>发私信给 "+esc(a.t.Name)+"</h1><form method=\"post\"><textarea name=\"text\"></textarea></form>\n"))
		}
		b.WriteString("</div>\n")
		for _, ps := range a.posts {
			fmt.Fprintf(&b, "<div class=\"WB_feed_detail\"><div class=\"WB_text\">【%s】%s</div><div class=\"WB_from\">%s 来自 微博 weibo.com</div></div>\n",
				esc(ps.title), esc(ps.title), ps.date.Format("2006-1-2")+fmt.Sprintf(" %02d:%02d", ps.hour, len(ps.title)%60))
		}
		wb.pages["/u/"+a.token] = h(doc(a.t.Name+"的微博", b.String()))
	}
}

func (a *account) truth() []Truth {
	var out []Truth
	manual := a.web == webNone
	add := func(ind, subj, why string) {
		out = append(out, Truth{Target: a.t.Code, Indicator: ind, Subject: subj, Why: why, Manual: manual})
	}
	if a.stale {
		add(IndAccStale, a.t.URL, "newest post "+a.posts[0].date.Format("2006-01-02")+", more than 14 days before the check point")
	}
	if a.noInteract {
		add(IndAccInteraction, a.t.URL, "no 留言/咨询/私信 entry")
	}
	switch a.badMenu {
	case 1:
		add(IndAccMenu, "http://"+HostWeChat+a.menuURL("m404"), "menu entry 办事查询 answers 404")
	case 2:
		add(IndAccMenu, "http://"+HostWeChat+a.menuURL("m0"), "menu entry 信息公开 leads to an empty page (暂无内容)")
	}
	return out
}
