package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"inspector/assets"
	"inspector/catalog"
	"inspector/model"
	"inspector/province"
	"inspector/report/docx"
	"inspector/store"
	"inspector/verdicts"
)

var (
	asOf = time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)
	at   = time.Date(2020, 9, 27, 10, 0, 0, 0, time.UTC)
)

var platforms3 = []string{"微信", "微博", "抖音"}

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func siteCode(i int) string    { return fmt.Sprintf("63%08d", i) }
func accountCode(i int) string { return fmt.Sprintf("A%05d", i) }

// registry imports n sites and m accounts.
func registry(t *testing.T, db *store.DB, n, m int) []string {
	t.Helper()
	var ts []model.Target
	var codes []string
	for i := 1; i <= n; i++ {
		ts = append(ts, model.Target{Code: siteCode(i), Kind: model.KindSite, Name: fmt.Sprintf("测试县%d政府网站", i),
			Sponsor: fmt.Sprintf("测试县%d人民政府", i), URL: fmt.Sprintf("http://www.x%d.gov.cn/", i), Status: model.StatusRunning})
		codes = append(codes, siteCode(i))
	}
	for i := 1; i <= m; i++ {
		ts = append(ts, model.Target{Code: accountCode(i), Kind: model.KindAccount, Name: fmt.Sprintf("测试发布%d", i),
			Sponsor: fmt.Sprintf("测试局%d", i), Platform: platforms3[i%3], Status: model.StatusRunning})
		codes = append(codes, accountCode(i))
	}
	if _, err := db.ImportTargets(ts, "test", at); err != nil {
		t.Fatal(err)
	}
	return codes
}

func newRound(t *testing.T, db *store.DB, name, prev string, members []string, deadline time.Time) {
	t.Helper()
	if err := db.CreateRound(model.Round{Name: name, AsOf: asOf, Seed: 1, Deadline: deadline, Previous: prev, Created: at}, members); err != nil {
		t.Fatal(err)
	}
}

// machine records a confirmed probe finding.
func machine(t *testing.T, db *store.DB, round, target string, fs ...model.Finding) {
	t.Helper()
	for i := range fs {
		if fs[i].Evidence == nil {
			fs[i].Evidence = []model.Evidence{{URL: "http://www.example.gov.cn/" + fs[i].Subject, Snippet: "…", At: at}}
		}
		fs[i].Confidence = model.ConfCertain
	}
	if err := db.ReplaceMachineFindings(round, target, fs, at); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if _, err := db.Decide(model.Decision{FindingUID: model.FindingUID(round, target, f.Indicator, f.Subject), Action: model.ActionConfirm, By: "tester", At: at}); err != nil {
			t.Fatal(err)
		}
	}
}

func manual(t *testing.T, db *store.DB, round, target, indicator, detail string) {
	t.Helper()
	if _, err := db.AddFinding(model.Finding{Round: round, Target: target, Indicator: indicator, Subject: indicator, Detail: detail}, at); err != nil {
		t.Fatal(err)
	}
}

func reviewAll(t *testing.T, db *store.DB, round string, codes []string) {
	t.Helper()
	for _, c := range codes {
		if err := db.MarkReviewed(round, c, "tester", at); err != nil {
			t.Fatal(err)
		}
	}
}

// quarter134 is the reference bulletin's round: 134 sites (8 failed), 381
// accounts (63 failed), two sites and two accounts passing with deductions.
func quarter134(t *testing.T, db *store.DB) (failedSites, failedAccounts []string) {
	codes := registry(t, db, 134, 381)
	newRound(t, db, "2020Q3", "", codes, time.Date(2020, 10, 12, 0, 0, 0, 0, time.UTC))
	vetoes := []string{"site.veto.columns_stale", "site.veto.home_stale", "site.veto.interaction", "site.registry.domain_changed"}
	for i := 1; i <= 8; i++ {
		c := siteCode(i * 15)
		machine(t, db, "2020Q3", c, model.Finding{Indicator: vetoes[i%len(vetoes)], Subject: "s", Detail: "栏目长期未更新"})
		failedSites = append(failedSites, c)
	}
	machine(t, db, "2020Q3", siteCode(2), model.Finding{Indicator: "site.deduct.search", Subject: "home", Detail: "首页无站内搜索"})
	machine(t, db, "2020Q3", siteCode(3), model.Finding{Indicator: "site.deduct.home_links", Subject: "l", Detail: "首页链接不可用", Count: 3})
	for i := 1; i <= 63; i++ {
		c := accountCode(i * 6)
		ind := "account.veto.stale"
		if i%3 == 0 {
			ind = "account.veto.interaction"
		}
		manual(t, db, "2020Q3", c, ind, "两周内无更新")
		failedAccounts = append(failedAccounts, c)
	}
	manual(t, db, "2020Q3", accountCode(1), "account.deduct.errors", "错别字")
	// A dismissed finding does not count.
	machine(t, db, "2020Q3", siteCode(4), model.Finding{Indicator: "site.veto.home_stale", Subject: "x"})
	if _, err := db.Decide(model.Decision{FindingUID: model.FindingUID("2020Q3", siteCode(4), "site.veto.home_stale", "x"), Action: model.ActionDismiss, By: "tester", At: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	reviewAll(t, db, "2020Q3", codes)
	slices.Sort(failedSites)
	slices.Sort(failedAccounts)
	return
}

func readDocx(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := docx.Text(b)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// sheetCodes reads the 标识码 column of a sheet (rows under title and header).
func sheetRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s/%s: %d rows, want title and header", path, sheet, len(rows))
	}
	return rows[2:]
}

func codesOf(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[3])
	}
	return out
}

// inOrder checks that each want occurs in text after the previous one.
func inOrder(t *testing.T, what, text string, want ...string) {
	t.Helper()
	pos := 0
	for _, w := range want {
		i := strings.Index(text[pos:], w)
		if i < 0 {
			t.Errorf("%s: %q missing (or out of order) after byte %d", what, w, pos)
			continue
		}
		pos += i + len(w)
	}
}

func TestExport134(t *testing.T) {
	db := openDB(t)
	cat := catalog.MustLoad()
	fs, fa := quarter134(t, db)

	b, err := Build(db, cat, "2020Q3", Options{Date: time.Date(2020, 9, 29, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Sites.Rate != "94.0" || b.Sites.Passed != 126 || b.Sites.Checked != 134 || b.Sites.Failed != 8 || b.Sites.Deducted != 2 {
		t.Errorf("sites: %+v", b.Sites)
	}
	if b.Accounts.Rate != "83.5" || b.Accounts.Passed != 318 || b.Accounts.Checked != 381 || b.Accounts.Failed != 63 || b.Accounts.Deducted != 1 {
		t.Errorf("accounts: %+v", b.Accounts)
	}
	// The same figures as verdicts.Round.
	rows, err := verdicts.Round(db, cat, "2020Q3")
	if err != nil {
		t.Fatal(err)
	}
	pass := map[string]int{}
	for _, r := range rows {
		if r.Verdict.Verdict == model.VerdictPass {
			pass[r.Target.Kind]++
		}
	}
	if pass[model.KindSite] != b.Sites.Passed || pass[model.KindAccount] != b.Accounts.Passed {
		t.Errorf("verdicts pass %v, bulletin %d/%d", pass, b.Sites.Passed, b.Accounts.Passed)
	}

	dir := t.TempDir()
	if err := Write(dir, b); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"bulletin.md", "bulletin.docx", "附件1-政府网站.xlsx", "附件2-政务新媒体.xlsx", "watchlist.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("output %s: %v", f, err)
		}
	}
	text := strings.Join(readDocx(t, filepath.Join(dir, "bulletin.docx")), "\n")
	inOrder(t, "docx", text,
		"青海省人民政府办公厅", "关于2020年第三季度全省政府网站和政务新媒体检查情况的通报",
		"国办秘函〔2019〕19号",
		"一、总体情况", "134家政府网站、381家政务新媒体", "合格率94.0%（126/134）", "合格率83.5%（318/381）",
		"8家政府网站、63家政务新媒体检查不合格", "另有2家政府网站、1家政务新媒体合格但存在扣分问题", "共10家政府网站、64家政务新媒体",
		"按平台统计", "微信", "微博", "抖音",
		"二、主要问题", "（一）", "内容更新不及时",
		"三、工作要求", "于2020年10月12日前", "省政府信息与政务公开办公室",
		"附件：1.2020年第三季度政府网站抽查问题情况", "2.2020年第三季度政务新媒体抽查问题情况",
		"青海省人民政府办公厅", "2020年9月29日")
	if strings.Contains(text, "待核实") || strings.Contains(text, "征求意见稿") {
		t.Error("a final export carries draft marks")
	}
	// Platform figures add up.
	sum := 0
	for _, p := range b.Platforms {
		sum += p.Checked
	}
	if sum != 381 || len(b.Platforms) != 3 || b.Platforms[0].Name != "微信" {
		t.Errorf("platforms %+v", b.Platforms)
	}
	// Long lists are cut at 10 names with a count.
	var newmedia *Problem
	for i := range b.Problems {
		if b.Problems[i].Code == "newmedia" {
			newmedia = &b.Problems[i]
		}
	}
	if newmedia == nil || newmedia.Accounts.Total != 64 || len(newmedia.Accounts.Names) != 10 || !newmedia.Accounts.Truncated {
		t.Fatalf("newmedia problem: %+v", newmedia)
	}
	if !strings.Contains(text, "测试发布54（微信）等64家政务新媒体存在内容不更新（42家）、互动回应差（21家）") {
		t.Errorf("docx lacks the cut list of accounts:\n%s", text)
	}

	// Markdown from the same paragraphs.
	md, _ := os.ReadFile(filepath.Join(dir, "bulletin.md"))
	inOrder(t, "md", string(md), "# 青海省人民政府办公厅", "## 一、总体情况", "94.0%（126/134）", "## 二、主要问题", "**（一）", "## 三、工作要求", "2020年9月29日")
	if string(md) != b.Markdown() {
		t.Error("bulletin.md differs from Markdown()")
	}

	// The attachments: sheet 1 is exactly the failed targets, by code.
	srows := sheetRows(t, filepath.Join(dir, "附件1-政府网站.xlsx"), "不合格")
	if got := codesOf(srows); !slices.Equal(got, fs) {
		t.Errorf("附件1 rows %v, want failed sites %v", got, fs)
	}
	for i, r := range srows {
		if r[0] != fmt.Sprint(i+1) || r[7] != "不合格" || r[5] == "" || r[6] == "" || !strings.Contains(r[8], "http://") || !strings.HasPrefix(r[4], "http://") {
			t.Errorf("附件1 row %d: %q", i+1, r)
		}
	}
	arows := sheetRows(t, filepath.Join(dir, "附件2-政务新媒体.xlsx"), "不合格")
	if got := codesOf(arows); !slices.Equal(got, fa) {
		t.Errorf("附件2 rows %v, want failed accounts %v", got, fa)
	}
	if arows[0][4] == "" || !slices.Contains(platforms3, arows[0][4]) {
		t.Errorf("附件2 platform column: %q", arows[0])
	}
	drows := sheetRows(t, filepath.Join(dir, "附件1-政府网站.xlsx"), "合格但存在扣分问题")
	if got := codesOf(drows); !slices.Equal(got, []string{siteCode(2), siteCode(3)}) {
		t.Errorf("deducted sheet rows %v", got)
	}
	if !strings.HasPrefix(drows[1][7], "合格") || !strings.Contains(drows[1][7], "97") {
		t.Errorf("deducted conclusion %q", drows[1][7])
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "附件1-政府网站.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, _ := f.GetRows("不合格")
	if strings.Join(header[1], ",") != "序号,名称,主办单位,标识码,网址,问题,详情,核查结论,证据" {
		t.Errorf("header %q", header[1])
	}
	panes, err := f.GetPanes("不合格")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes %+v %v", panes, err)
	}
	w, _ := f.GetColWidth("不合格", "B")
	if w < float64(2*len([]rune("测试县120政府网站"))-3) {
		t.Errorf("name column width %v is too narrow for Chinese names", w)
	}

	// Building again gives the same text: nothing depends on the clock.
	b2, err := Build(db, cat, "2020Q3", Options{Date: time.Date(2020, 9, 29, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if b2.Markdown() != b.Markdown() {
		t.Error("two builds differ")
	}
}

func TestUnreviewedStopsExport(t *testing.T) {
	db := openDB(t)
	cat := catalog.MustLoad()
	codes := registry(t, db, 5, 3)
	newRound(t, db, "2020Q3", "", codes, time.Time{})
	// Site 1: an open machine finding, not reviewed. Account 3: nothing
	// recorded (pending). The rest reviewed.
	if err := db.ReplaceMachineFindings("2020Q3", siteCode(1), []model.Finding{{Indicator: "site.veto.home_stale", Subject: "h", Detail: "首页两周未更新"}}, at); err != nil {
		t.Fatal(err)
	}
	reviewAll(t, db, "2020Q3", []string{siteCode(2), siteCode(3), siteCode(4), siteCode(5), accountCode(1), accountCode(2)})

	_, err := Build(db, cat, "2020Q3", Options{})
	var ue *UnreviewedError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want UnreviewedError", err)
	}
	if len(ue.Targets) != 2 || ue.Targets[0].Code != siteCode(1) || ue.Targets[1].Code != accountCode(3) {
		t.Errorf("unreviewed %+v", ue.Targets)
	}
	if !strings.Contains(err.Error(), siteCode(1)) || !strings.Contains(err.Error(), "--draft") {
		t.Errorf("message %q", err)
	}

	b, err := Build(db, cat, "2020Q3", Options{Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(PlainText(b.Paragraphs), "\n")
	for _, want := range []string{"征求意见稿", "测试县1政府网站（待核实）", "【整改时限待定】", "另有0家政府网站、1家政务新媒体尚未完成检查", "合格率80.0%（4/5）", "合格率100.0%（2/2）"} {
		if !strings.Contains(text, want) {
			t.Errorf("draft lacks %q:\n%s", want, text)
		}
	}
	dir := t.TempDir()
	if err := Write(dir, b); err != nil {
		t.Fatal(err)
	}
	rows := sheetRows(t, filepath.Join(dir, "附件1-政府网站.xlsx"), "不合格")
	if len(rows) != 1 || !strings.Contains(rows[0][7], "待核实") {
		t.Errorf("draft attachment rows %q", rows)
	}
}

func TestPreviousRound(t *testing.T) {
	db := openDB(t)
	cat := catalog.MustLoad()
	codes := registry(t, db, 10, 4)
	newRound(t, db, "2020Q2", "", codes, time.Time{})
	// Q2: sites 1, 2, 3 and account 1 failed.
	for _, i := range []int{1, 2, 3} {
		machine(t, db, "2020Q2", siteCode(i), model.Finding{Indicator: "site.veto.home_stale", Subject: "h"})
	}
	manual(t, db, "2020Q2", accountCode(1), "account.veto.stale", "无更新")
	reviewAll(t, db, "2020Q2", codes)
	// Q3 without site 3: site 1 failed again, site 2 fixed, site 4 newly failed.
	var q3 []string
	for _, c := range codes {
		if c != siteCode(3) {
			q3 = append(q3, c)
		}
	}
	newRound(t, db, "2020Q3", "2020Q2", q3, time.Date(2020, 10, 12, 0, 0, 0, 0, time.UTC))
	machine(t, db, "2020Q3", siteCode(1), model.Finding{Indicator: "site.veto.columns_stale", Subject: "c"})
	machine(t, db, "2020Q3", siteCode(4), model.Finding{Indicator: "site.veto.interaction", Subject: "i"})
	// Site 5 passes, one column short of the columns veto: watch list.
	var cols []model.Finding
	for k := range 4 {
		cols = append(cols, model.Finding{Indicator: "site.deduct.column_stale", Subject: fmt.Sprint("col", k), Detail: "栏目超过2周未更新"})
	}
	machine(t, db, "2020Q3", siteCode(5), cols...)
	// Site 6 passes with 63 points (close to the pass line of 60).
	machine(t, db, "2020Q3", siteCode(6),
		model.Finding{Indicator: "site.deduct.guide_elements", Subject: "g", Count: 10},
		model.Finding{Indicator: "site.deduct.links", Subject: "l", Count: 50},
		model.Finding{Indicator: "site.deduct.home_links", Subject: "h", Count: 5},
		model.Finding{Indicator: "site.deduct.garbled", Subject: "m", Count: 4},
		model.Finding{Indicator: "site.deduct.column_stale", Subject: "c", Count: 6},
		model.Finding{Indicator: "site.deduct.reply_late", Subject: "r"})
	reviewAll(t, db, "2020Q3", q3)

	b, err := Build(db, cat, "2020Q3", Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := b.Previous
	if c == nil {
		t.Fatal("no comparison")
	}
	// Q2: 7/10 sites = 70.0, Q3: 7/9 = 77.8 → up 7.8 points; accounts 3/4 → 4/4.
	if c.Sites.Rate != "70.0" || b.Sites.Rate != "77.8" || c.SiteChange.Dir != 1 || c.SiteChange.Abs != "7.8" {
		t.Errorf("site change %+v (%s → %s)", c.SiteChange, c.Sites.Rate, b.Sites.Rate)
	}
	if c.AccountChange.Abs != "25.0" || c.AccountChange.Dir != 1 {
		t.Errorf("account change %+v", c.AccountChange)
	}
	if c.Fixed != 2 || c.StillFailed != 1 || c.Absent != 1 || len(c.Rectification) != 4 {
		t.Errorf("rectification fixed %d still %d absent %d: %+v", c.Fixed, c.StillFailed, c.Absent, c.Rectification)
	}
	if c.RepeatSites.Joined != "测试县1政府网站" || c.RepeatAccounts.Total != 0 {
		t.Errorf("repeat %+v %+v", c.RepeatSites, c.RepeatAccounts)
	}
	text := strings.Join(PlainText(b.Paragraphs), "\n")
	for _, want := range []string{"与2020年第二季度相比，政府网站合格率上升7.8个百分点（由70.0%至77.8%）",
		"政务新媒体合格率上升25.0个百分点（由75.0%至100.0%）",
		"2020年第二季度检查不合格的4家政府网站和政务新媒体中，2家本季度检查合格，1家仍不合格，1家本季度未抽查",
		"测试县1政府网站连续两个季度检查不合格"} {
		if !strings.Contains(text, want) {
			t.Errorf("bulletin lacks %q:\n%s", want, text)
		}
	}
	if len(b.Watch) != 2 || b.Watch[0].Target.Code != siteCode(5) || b.Watch[1].Target.Code != siteCode(6) {
		t.Fatalf("watch %+v", b.Watch)
	}
	wl := b.WatchlistMarkdown()
	for _, want := range []string{"测试县5政府网站", "栏目更新不及时4处", "栏目不更新", "差1处", "测试县6政府网站", "得分63分，距合格线60分差3分",
		"测试县3政府网站", "本季度未抽查", "测试县1政府网站", "仍不合格"} {
		if !strings.Contains(wl, want) {
			t.Errorf("watch list lacks %q:\n%s", want, wl)
		}
	}
	if strings.Contains(b.Markdown(), "关注名单") || strings.Contains(b.Markdown(), "得分63分") {
		t.Error("the internal watch list leaks into the bulletin")
	}

	// Newest items as the probe saw them: site 2 is 12 days old at the
	// check point (close to the 14-day veto), site 5 fresh, site 1 failed.
	asOf := b.Round.AsOf
	b, err = Build(db, cat, "2020Q3", Options{Newest: map[string]time.Time{
		siteCode(2): asOf.AddDate(0, 0, -12), siteCode(5): asOf.AddDate(0, 0, -3), siteCode(1): asOf.AddDate(0, 0, -13)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Watch) != 3 || b.Watch[0].Target.Code != siteCode(2) {
		t.Fatalf("watch with newest dates: %+v", b.Watch)
	}
	if wl := b.WatchlistMarkdown(); !strings.Contains(wl, "已12天未更新，距14天不更新的否决线差2天") || strings.Count(wl, "天未更新") != 1 {
		t.Errorf("watch list freshness:\n%s", wl)
	}
}

func TestBrokenTemplate(t *testing.T) {
	db := openDB(t)
	cat := catalog.MustLoad()
	codes := registry(t, db, 1, 0)
	newRound(t, db, "2020Q3", "", codes, time.Time{})
	reviewAll(t, db, "2020Q3", codes)

	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	tmpl := filepath.Join(dir, "templates", "bulletin.md.tmpl")
	os.WriteFile(tmpl, []byte("# {{.Office}}\n## 一、总体情况\n{{.Office | nosuchfunc}}\n"), 0o644)
	old := assets.OverrideDir
	assets.OverrideDir = dir
	defer func() { assets.OverrideDir = old }()

	_, err := Build(db, cat, "2020Q3", Options{})
	var te *TemplateError
	if !errors.As(err, &te) || te.File != tmpl || te.Line != 3 {
		t.Fatalf("err = %v (%+v), want a template error at %s line 3", err, te, tmpl)
	}
	if !strings.Contains(err.Error(), tmpl) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("message %q", err)
	}
	// An execution error names the line too.
	os.WriteFile(tmpl, []byte("# {{.Office}}\n\n{{.NoSuchField}}\n"), 0o644)
	_, err = Build(db, cat, "2020Q3", Options{})
	if !errors.As(err, &te) || te.Line != 3 || !strings.Contains(te.Msg, "NoSuchField") {
		t.Fatalf("err = %v", err)
	}
	// An office's override is used.
	os.WriteFile(tmpl, []byte("# {{.Office}}\n正文{{.Sites.Rate}}\n>> {{.Date}}\n"), 0o644)
	b, err := Build(db, cat, "2020Q3", Options{Office: "测试办公室"})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Markdown(); got != "# 测试办公室\n\n正文100.0\n\n2020年9月28日\n" {
		t.Errorf("override rendered %q", got)
	}
}

func TestQuarterAndRate(t *testing.T) {
	for _, c := range []struct {
		name string
		asOf time.Time
		y, q int
	}{
		{"2020Q3", time.Time{}, 2020, 3},
		{"round-2021-q1", time.Time{}, 2021, 1},
		{"spring", time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC), 2022, 2},
		{"x", time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC), 2022, 4},
	} {
		y, q := quarterOf(model.Round{Name: c.name, AsOf: c.asOf})
		if y != c.y || q != c.q {
			t.Errorf("quarterOf(%s) = %d Q%d", c.name, y, q)
		}
	}
	for _, c := range []struct{ p, n, want int }{{126, 134, 940}, {318, 381, 835}, {0, 5, 0}, {5, 5, 1000}, {1, 3, 333}, {2, 3, 667}, {1, 8, 125}, {0, 0, -1}} {
		if got := rate(c.p, c.n); got != c.want {
			t.Errorf("rate(%d, %d) = %d, want %d", c.p, c.n, got, c.want)
		}
	}
	if displayWidth("政府网站abc") != 11 {
		t.Error("display width")
	}
}

func TestParagraphs(t *testing.T) {
	ps := parseParagraphs("# 标题\n\n~\n## 一、总体情况\n**（一）小标题。**正文*星号*\n>> 落款\n:: 2.附件\n!! 提示\n~\n")
	kinds := []string{}
	for _, p := range ps {
		kinds = append(kinds, p.Kind)
	}
	if strings.Join(kinds, ",") != "title,blank,heading,body,signature,indented,note" {
		t.Fatalf("kinds %v", kinds)
	}
	if ps[3].Lead != "（一）小标题。" || ps[3].Text != "正文*星号*" {
		t.Errorf("lead %+v", ps[3])
	}
	md := markdown(ps)
	if !strings.Contains(md, `**（一）小标题。**正文\*星号\*`) || !strings.Contains(md, "> **提示**") {
		t.Errorf("markdown %q", md)
	}
}

// provinceRound builds a round from the synthetic province: its registry,
// its seeded defects as confirmed findings, every target reviewed.
func provinceRound(t *testing.T, db *store.DB, p *province.Province) {
	t.Helper()
	ts := append(p.Sites(), p.Accounts()...)
	if _, err := db.ImportTargets(ts, "province", at); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, x := range ts {
		codes = append(codes, x.Code)
	}
	if err := db.CreateRound(model.Round{Name: "2020Q3", AsOf: p.AsOf(), Seed: 1, Created: at,
		Deadline: p.AsOf().AddDate(0, 0, 14)}, codes); err != nil {
		t.Fatal(err)
	}
	machineBy := map[string][]model.Finding{}
	seen := map[string]bool{}
	for _, tr := range p.Truth() {
		uid := model.FindingUID("2020Q3", tr.Target, tr.Indicator, tr.Subject)
		if seen[uid] {
			continue
		}
		seen[uid] = true
		f := model.Finding{Indicator: tr.Indicator, Subject: tr.Subject, Detail: tr.Why,
			Evidence: []model.Evidence{{URL: tr.Subject, At: at}}}
		if tr.Manual {
			f.Round, f.Target = "2020Q3", tr.Target
			if _, err := db.AddFinding(f, at); err != nil {
				t.Fatal(err)
			}
			continue
		}
		machineBy[tr.Target] = append(machineBy[tr.Target], f)
	}
	for target, fs := range machineBy {
		machine(t, db, "2020Q3", target, fs...)
	}
	reviewAll(t, db, "2020Q3", codes)
}

// TestExportProvince exports the synthetic province's round (its seeded
// defects as findings): the attachments' rows are the failed targets.
func TestExportProvince(t *testing.T) {
	p := province.New(province.Options{Seed: 2020, Small: testing.Short()})
	db := openDB(t)
	cat := catalog.MustLoad()
	provinceRound(t, db, p)

	b, err := Build(db, cat, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if d := os.Getenv("INSPECTOR_REPORT_SAMPLE"); d != "" {
		dir = d // scripts/bulletin-preview.sh renders it
	}
	if err := Write(dir, b); err != nil {
		t.Fatal(err)
	}
	rows, err := verdicts.Round(db, cat, "2020Q3")
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string][]string{}
	passed := map[string]int{}
	for _, r := range rows {
		switch r.Verdict.Verdict {
		case model.VerdictFail:
			failed[r.Target.Kind] = append(failed[r.Target.Kind], r.Target.Code)
		case model.VerdictPass:
			passed[r.Target.Kind]++
		}
	}
	if len(failed[model.KindSite]) == 0 || len(failed[model.KindAccount]) == 0 {
		t.Fatalf("the province seeds no failures? %v", failed)
	}
	for kind, file := range map[string]string{model.KindSite: "附件1-政府网站.xlsx", model.KindAccount: "附件2-政务新媒体.xlsx"} {
		want := slices.Clone(failed[kind])
		slices.Sort(want)
		if got := codesOf(sheetRows(t, filepath.Join(dir, file), "不合格")); !slices.Equal(got, want) {
			t.Errorf("%s rows %v, want %v", file, got, want)
		}
	}
	if b.Sites.Passed != passed[model.KindSite] || b.Accounts.Passed != passed[model.KindAccount] ||
		b.Sites.Failed != len(failed[model.KindSite]) || b.Accounts.Failed != len(failed[model.KindAccount]) {
		t.Errorf("figures %+v %+v, verdicts pass %v", b.Sites, b.Accounts, passed)
	}
	text := strings.Join(readDocx(t, filepath.Join(dir, "bulletin.docx")), "\n")
	inOrder(t, "docx", text, "一、总体情况",
		fmt.Sprintf("合格率%s%%（%d/%d）", b.Sites.Rate, b.Sites.Passed, b.Sites.Checked),
		fmt.Sprintf("合格率%s%%（%d/%d）", b.Accounts.Rate, b.Accounts.Passed, b.Accounts.Checked),
		"二、主要问题", "三、工作要求", "附件：1.")
	t.Logf("province: sites %d/%d (%s%%), accounts %d/%d (%s%%), %d problem types, %d watched",
		b.Sites.Passed, b.Sites.Checked, b.Sites.Rate, b.Accounts.Passed, b.Accounts.Checked, b.Accounts.Rate, len(b.Problems), len(b.Watch))
}
