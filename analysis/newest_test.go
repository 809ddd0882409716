package analysis

import (
	"testing"
	"time"

	"inspector/model"
	"inspector/probe"
)

func TestNewest(t *testing.T) {
	asOf := time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)
	home := `<html><body><div class="news"><ul>
<li><a href="/art/2020/9/10/art_1_1.html">全省粮食工作会议召开</a><span>2020-09-10</span></li>
<li><a href="/art/2020/9/15/art_1_2.html">秋粮收购工作部署</a><span>2020-09-15</span></li>
<li><a href="/art/2020/8/01/art_1_3.html">夏粮收购</a><span>2020-08-01</span></li>
</ul></div></body></html>`
	site := &probe.Capture{Target: model.Target{Code: "S", Kind: model.KindSite},
		Pages: []*probe.Page{{URL: "http://x.gov.cn/", FinalURL: "http://x.gov.cn/", Status: 200, Role: probe.RoleHome, Raw: home}}}
	got, ok := Newest(asOf, site)
	if !ok || !got.Equal(time.Date(2020, 9, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("site: %v %v", got, ok)
	}
	acc := &probe.Capture{Target: model.Target{Code: "A", Kind: model.KindAccount},
		Pages: []*probe.Page{{URL: "http://mp.weixin.qq.com/x", FinalURL: "http://mp.weixin.qq.com/x", Status: 200, Role: probe.RoleAccount,
			Text: "青海发布\n2020年9月12日 秋季防火提示\n2020年9月3日 开学季"}}}
	got, ok = Newest(asOf, acc)
	if !ok || !got.Equal(time.Date(2020, 9, 12, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("account: %v %v", got, ok)
	}
	if _, ok := Newest(asOf, &probe.Capture{Target: model.Target{Kind: model.KindSite}}); ok {
		t.Fatal("nothing seen, nothing newest")
	}
}
