package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
)

// t0 is the fixed clock of every test.
var t0 = time.Date(2020, 9, 28, 9, 30, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	zone = time.UTC
	// Every call a second later: the log orders decisions by time.
	var tick int64
	now = func() time.Time { return t0.Add(time.Duration(atomic.AddInt64(&tick, 1)) * time.Second) }
	openFile = func(string) error { return nil }
	_ = lipgloss.Width
	os.Exit(m.Run())
}

var fixtureSites = []model.Target{
	{Code: "6300000001", Kind: model.KindSite, Name: "青海省粮食局网站", Sponsor: "青海省粮食局", URL: "http://www.qhlsj.gov.cn", Status: model.StatusRunning},
	{Code: "6300000002", Kind: model.KindSite, Name: "同仁县人民政府网站", Sponsor: "同仁县人民政府", URL: "http://www.tongren.gov.cn", Status: model.StatusRunning},
	{Code: "6300000003", Kind: model.KindSite, Name: "海北藏族自治州财政局门户网站（试运行版本）", Sponsor: "海北藏族自治州财政局", URL: "http://czj.haibei.gov.cn", Status: model.StatusRunning},
	{Code: "6300000004", Kind: model.KindSite, Name: "兴海县人民政府网站", Sponsor: "兴海县人民政府", URL: "http://www.xinghai.gov.cn", Status: model.StatusRunning},
}

var fixtureAccounts = []model.Target{
	{Code: "WX0001", Kind: model.KindAccount, Name: "青海发布", Sponsor: "青海省人民政府新闻办公室", Platform: "微信", URL: "https://mp.weixin.qq.com/qhfb", Status: model.StatusRunning},
	{Code: "WB0002", Kind: model.KindAccount, Name: "西宁市场监管", Sponsor: "西宁市市场监督管理局", Platform: "微博", Status: model.StatusRunning},
}

const (
	fxRound = "2020Q3"
	fxPrev  = "2020Q2"
	fxBy    = "测试员"
)

// fixture builds a fresh store: two rounds, findings with evidence, a
// capture with page text and a screenshot, a conflict, and a finding
// dismissed last round that came back.
func fixture(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "inspector.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	all := append(append([]model.Target{}, fixtureSites...), fixtureAccounts...)
	_, err = db.ImportTargets(all, "fixture.csv", t0.Add(-90*24*time.Hour))
	must(err)
	var codes []string
	for _, x := range all {
		codes = append(codes, x.Code)
	}
	must(db.CreateRound(model.Round{Name: fxPrev, AsOf: date(2020, 6, 30), Seed: 1, Created: t0.Add(-90 * 24 * time.Hour)}, codes))
	must(db.CreateRound(model.Round{Name: fxRound, AsOf: date(2020, 9, 28), Seed: 1, Previous: fxPrev, Created: t0.Add(-time.Hour)}, codes))
	must(db.Assign(fxRound, fxBy, []string{"6300000001", "6300000002", "WX0001"}))
	must(db.Assign(fxRound, "李四", []string{"6300000004"}))

	searchEv := []model.Evidence{{URL: "http://www.qhlsj.gov.cn/", Snippet: "首页未发现站内搜索", At: t0.Add(-2 * time.Hour)}}
	// Last round: the search finding was dismissed with a reason.
	must(db.ReplaceMachineFindings(fxPrev, "6300000001", []model.Finding{
		{Indicator: "site.deduct.search", Subject: "http://www.qhlsj.gov.cn/", Detail: "首页无站内搜索", Confidence: model.ConfSuspect, Evidence: searchEv},
	}, t0.Add(-80*24*time.Hour)))
	uidPrev := model.FindingUID(fxPrev, "6300000001", "site.deduct.search", "http://www.qhlsj.gov.cn/")
	_, err = db.Decide(model.Decision{FindingUID: uidPrev, Action: model.ActionDismiss, Note: "搜索框由脚本加载", By: fxBy, At: t0.Add(-79 * 24 * time.Hour)})
	must(err)

	shot := []byte("\xff\xd8\xff\xe0 fake jpeg")
	hash := store.HashOf(shot)
	capture := map[string]any{"pages": []map[string]any{
		{"url": "http://www.qhlsj.gov.cn/", "title": "青海省粮食局", "screenshot": hash,
			"text": "青海省粮食局\n工作动态\n2020-06-01 全省粮食工作会议召开\n\x1b[31m锟斤拷\x1b[0m 通知公告\x07"},
		{"url": "http://www.qhlsj.gov.cn/gzdt/", "title": "工作动态", "text": "2020-06-01 全省粮食工作会议召开\n2020-05-20 夏粮收购"},
	}}
	data, _ := json.Marshal(capture)
	_, err = db.SaveObservation(store.Observation{Round: fxRound, Target: "6300000001", Kind: store.ObsCapture, At: t0.Add(-2 * time.Hour), Data: data},
		[]store.Blob{{Hash: hash, Mime: "image/jpeg", Data: shot}})
	must(err)
	_, err = db.SaveObservation(store.Observation{Round: fxRound, Target: "6300000002", Kind: store.ObsCapture, At: t0.Add(-3 * time.Hour), Data: []byte(`{"pages":[]}`)}, nil)
	must(err)
	_, err = db.SaveObservation(store.Observation{Round: fxRound, Target: "6300000004", Kind: store.ObsCapture, At: t0.Add(-4 * time.Hour), Data: []byte(`{"pages":[]}`)}, nil)
	must(err)

	must(db.ReplaceMachineFindings(fxRound, "6300000001", []model.Finding{
		{Indicator: "site.veto.home_stale", Subject: "http://www.qhlsj.gov.cn/", Detail: "首页最新信息 2020-06-01，超过 14 天未更新", Confidence: model.ConfCertain,
			Evidence: []model.Evidence{{URL: "http://www.qhlsj.gov.cn/", Snippet: "2020-06-01 全省粮食工作会议召开", At: t0.Add(-2 * time.Hour), Screenshot: hash}}},
		{Indicator: "site.deduct.home_links", Subject: "http://www.qhlsj.gov.cn/old/", Detail: "首页链接 404", Confidence: model.ConfSuspect, Count: 3,
			Evidence: []model.Evidence{{URL: "http://www.qhlsj.gov.cn/old/", Snippet: "HTTP 404", At: t0.Add(-2 * time.Hour)}}},
		{Indicator: "site.deduct.garbled", Subject: "锟斤拷", Detail: "页面乱码\x1b]0;evil\x07", Confidence: model.ConfPossible,
			Evidence: []model.Evidence{{URL: "http://www.qhlsj.gov.cn/", Snippet: "\x1b[31m锟斤拷\x1b[0m 通知公告\r\n", At: t0.Add(-2 * time.Hour)}}},
		{Indicator: "site.deduct.search", Subject: "http://www.qhlsj.gov.cn/", Detail: "首页无站内搜索", Confidence: model.ConfSuspect, Evidence: searchEv},
	}, t0.Add(-2*time.Hour)))
	must(db.ReplaceMachineFindings(fxRound, "6300000004", []model.Finding{
		{Indicator: "site.deduct.error_entry", Subject: "http://www.xinghai.gov.cn/", Detail: "首页无「我为政府网站找错」入口", Confidence: model.ConfCertain,
			Evidence: []model.Evidence{{URL: "http://www.xinghai.gov.cn/", At: t0.Add(-4 * time.Hour)}}},
	}, t0.Add(-4*time.Hour)))
	uid4 := model.FindingUID(fxRound, "6300000004", "site.deduct.error_entry", "http://www.xinghai.gov.cn/")
	_, err = db.Decide(
		model.Decision{FindingUID: uid4, Action: model.ActionConfirm, By: "李四", At: t0.Add(-3 * time.Hour)},
		model.Decision{FindingUID: uid4, Action: model.ActionDismiss, Note: "入口在页脚", By: "王五", At: t0.Add(-150 * time.Minute)},
	)
	must(err)
	// An account with a finding added by hand last week.
	f, err := db.AddFinding(model.Finding{Round: fxRound, Target: "WB0002", Kind: model.KindAccount, Indicator: "account.veto.stale", Subject: "最新微博 2020-07-01", Detail: "最新微博 2020-07-01"}, t0.Add(-24*time.Hour))
	must(err)
	_, err = db.Decide(model.Decision{FindingUID: f.UID, Action: model.ActionConfirm, Note: "added by inspector", By: fxBy, At: t0.Add(-24 * time.Hour)})
	must(err)
	return db
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func newTestModel(t testing.TB, db *store.DB, lang string) *Model {
	t.Helper()
	m, err := newModel(Options{DB: db, Cat: catalog.MustLoad(), By: fxBy, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
