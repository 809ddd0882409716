package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"inspector/model"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the real inspector once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "inspector-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "inspector")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildError struct{ out string }

func (e *buildError) Error() string { return "go build: " + e.out }

// cli runs the binary on db and returns stdout, stderr and the exit code.
func cli(t *testing.T, db string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--db", db, "--by", "测试员"}, args...)...)
	cmd.Env = append(os.Environ(), "INSPECTOR_HOME="+filepath.Dir(db))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func mustCLI(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errs, code := cli(t, db, args...)
	if code != 0 {
		t.Fatalf("inspector %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

const sitesCSV = `网站标识码,网站名称,首页网址,主办单位,运行状态
6300000001,青海省粮食局网站,http://www.qhlsj.gov.cn,青海省粮食局,正常运行
6300000002,同仁县人民政府网站,http://www.tongren.gov.cn,同仁县人民政府,正常运行
6300000003,兴海县人民政府网站,http://www.xinghai.gov.cn,兴海县人民政府,正常运行
6300000004,海北州财政局网站,http://czj.haibei.gov.cn,海北州财政局,正常运行
`

const accountsCSV = `账号标识,账号名称,平台,主办单位,网址
WX0001,青海发布,微信,青海省人民政府办公厅,
WB0002,西宁发布,微博,西宁市人民政府办公室,
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCLIVerdictsThroughTheBinary is the acceptance line: round new,
// add-finding, decide and verdicts give what the rules predict.
func TestCLIVerdictsThroughTheBinary(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "i.db")
	mustCLI(t, db, "import", "sites", writeFile(t, dir, "sites.csv", sitesCSV))
	mustCLI(t, db, "import", "accounts", writeFile(t, dir, "accounts.csv", accountsCSV))
	mustCLI(t, db, "round", "new", "2020Q3", "--as-of", "2020-09-28", "--sample-accounts", "100%", "--deadline", "2020-10-12")

	mustCLI(t, db, "add-finding", "6300000001", "site.veto.home_stale", "--detail", "首页最新信息为2020-08-03")
	mustCLI(t, db, "add-finding", "6300000002", "site.deduct.search", "--detail", "首页无站内搜索")
	mustCLI(t, db, "add-finding", "6300000002", "site.deduct.home_links", "--detail", "首页7个链接不可用", "--count", "7")
	mustCLI(t, db, "add-finding", "6300000003", "site.veto.interaction", "--detail", "仅有信访渠道")
	mustCLI(t, db, "decide", "6300000003", "site.veto.interaction", "dismiss", "--note", "领导信箱可用")
	mustCLI(t, db, "add-finding", "WX0001", "account.veto.stale", "--detail", "最新推文2020-08-01", "--evidence", "/tmp/wx.png")
	mustCLI(t, db, "add-finding", "WB0002", "account.deduct.errors", "--detail", "错字2处", "--count", "2")

	out := mustCLI(t, db, "verdicts", "--format", "json")
	var vs []model.Verdict
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	got := map[string]model.Verdict{}
	for _, v := range vs {
		got[v.Target] = v
	}
	want := []struct {
		code, verdict string
		score         float64
		reasons       string
	}{
		{"6300000001", "fail", 0, "site.veto.home_stale"},
		{"6300000002", "pass", 93, "site.deduct.home_links,site.deduct.search"},
		{"6300000003", "pass", 100, ""},
		{"6300000004", "pending", 0, ""},
		{"WX0001", "fail", 0, "account.veto.stale"},
		{"WB0002", "pass", 98, "account.deduct.errors"},
	}
	if len(vs) != len(want) {
		t.Fatalf("%d verdicts: %s", len(vs), out)
	}
	for _, w := range want {
		v := got[w.code]
		if v.Verdict != w.verdict || v.Score != w.score || strings.Join(v.Reasons, ",") != w.reasons || v.Round != "2020Q3" {
			t.Errorf("%s: got %+v, want %s %.0f %s", w.code, v, w.verdict, w.score, w.reasons)
		}
	}

	// findings json has the contract's fields.
	out = mustCLI(t, db, "findings", "--format", "json")
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil || len(raw) != 6 {
		t.Fatalf("%v %d: %s", err, len(raw), out)
	}
	for _, k := range []string{"round", "target", "kind", "indicator", "status", "source", "subject", "detail", "confidence", "evidence"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("findings json lacks %q", k)
		}
	}
	if !strings.Contains(out, `"status": "dismissed"`) || !strings.Contains(out, `"source": "inspector"`) {
		t.Errorf("statuses wrong: %s", out)
	}

	// The registry as imported.
	out = mustCLI(t, db, "targets", "--kind", "site", "--format", "json")
	var ts []model.Target
	if err := json.Unmarshal([]byte(out), &ts); err != nil || len(ts) != 4 || ts[0].Name != "青海省粮食局网站" {
		t.Fatalf("%v %s", err, out)
	}
	out = mustCLI(t, db, "targets", "--format", "csv")
	if !strings.HasPrefix(out, "code,kind,name,sponsor,url,platform,status\n") {
		t.Fatalf("csv header: %s", out)
	}
	out = mustCLI(t, db, "round", "list")
	if !strings.Contains(out, "2020Q3") || !strings.Contains(out, "2020-09-28") {
		t.Fatalf("round list: %s", out)
	}
}

func TestCLIErrorsAreOneLineAndNonZero(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "i.db")
	mustCLI(t, db, "import", "sites", writeFile(t, dir, "sites.csv", sitesCSV))
	mustCLI(t, db, "round", "new", "2020Q3", "--as-of", "2020-09-28")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"decide", "6300000001", "site.veto.home_stale", "confirm"}, "no finding site.veto.home_stale on 6300000001"},
		{[]string{"add-finding", "6300000001", "site.veto.home_stal", "--detail", "x"}, "site.veto.home_stale"},
		{[]string{"add-finding", "6300000001", "search", "--detail", "x"}, "site.deduct.search"},
		{[]string{"add-finding", "6399999999", "site.veto.home_stale", "--detail", "x"}, "6399999999"},
		{[]string{"round", "new", "2020Q4", "--as-of", "2020-13-01"}, "--as-of"},
		{[]string{"round", "new", "2020Q4", "--as-of", "2020-12-28", "--sample-accounts", "150%"}, "--sample-accounts"},
		{[]string{"round", "new", "2020Q3", "--as-of", "2020-09-28"}, "already exists"},
		{[]string{"verdicts", "--format", "xml"}, "--format"},
		{[]string{"findings", "--round", "1999Q1"}, "1999Q1"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"import", "sites", filepath.Join(dir, "missing.csv")}, "missing.csv"},
	}
	for _, c := range cases {
		out, errs, code := cli(t, db, c.args...)
		if code == 0 {
			t.Errorf("%v: exit 0, stdout %s", c.args, out)
			continue
		}
		if !strings.Contains(errs, c.want) {
			t.Errorf("%v: stderr %q lacks %q", c.args, errs, c.want)
		}
		if first := strings.SplitN(strings.TrimSpace(errs), "\n", 2)[0]; !strings.HasPrefix(first, "inspector: ") {
			t.Errorf("%v: first line %q", c.args, first)
		}
	}
}

func TestInspectorNameFromConfig(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "i.db")
	writeFile(t, dir, "config.json", `{"inspector": "王五"}`)
	mustCLI(t, db, "import", "sites", writeFile(t, dir, "sites.csv", sitesCSV))
	mustCLI(t, db, "round", "new", "2020Q3", "--as-of", "2020-09-28")
	mustCLI(t, db, "add-finding", "6300000001", "site.deduct.search", "--detail", "无搜索")
	// cli passes --by; without it the config names the inspector.
	cmd := exec.Command(binary(t), "--db", db, "decide", "6300000001", "site.deduct.search", "dismiss", "--note", "有搜索")
	cmd.Env = append(os.Environ(), "INSPECTOR_HOME="+dir, "INSPECTOR_BY=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "王五") {
		t.Fatalf("%v: %s", err, out)
	}
}

func TestCLIExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "i.db")
	mustCLI(t, db, "import", "sites", writeFile(t, dir, "sites.csv", sitesCSV))
	mustCLI(t, db, "import", "accounts", writeFile(t, dir, "accounts.csv", accountsCSV))
	mustCLI(t, db, "round", "new", "2020Q3", "--as-of", "2020-09-28", "--sample-accounts", "100%", "--deadline", "2020-10-12")
	mustCLI(t, db, "add-finding", "6300000001", "site.veto.home_stale", "--detail", "首页最新信息为2020-08-03")
	out := filepath.Join(dir, "out")
	// Targets nobody looked at stop the export, named on stderr.
	_, errs, code := cli(t, db, "export", "--out", out)
	if code == 0 || !strings.Contains(errs, "6300000002") && !strings.Contains(errs, "同仁县") {
		t.Fatalf("unreviewed targets did not stop the export: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(out, "bulletin.docx")); err == nil {
		t.Fatal("a refused export wrote files")
	}
	stdout := mustCLI(t, db, "export", "--out", out, "--draft")
	if !strings.Contains(stdout, "sites 1/2 passed") && !strings.Contains(stdout, "passed") {
		t.Fatalf("%s", stdout)
	}
	for _, f := range []string{"bulletin.md", "bulletin.docx", "附件1-政府网站.xlsx", "附件2-政务新媒体.xlsx", "watchlist.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatal(err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "bulletin.md"))
	for _, want := range []string{"青海省粮食局网站", "待核实", "2020年10月12日", "一、总体情况", "二、主要问题", "三、工作要求"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("bulletin.md lacks %q", want)
		}
	}
}
