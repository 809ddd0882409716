package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"inspector/model"
)

// TestCLIPackReviewMerge is issue 8 through the real binary: the office
// splits a round between two inspectors, packs a bundle for each, the
// laptops decide on their bundles with the ordinary commands, and merge
// brings everything home, twice without change.
func TestCLIPackReviewMerge(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "home.db")
	mustCLI(t, db, "import", "sites", writeFile(t, dir, "sites.csv", sitesCSV))
	mustCLI(t, db, "import", "accounts", writeFile(t, dir, "accounts.csv", accountsCSV))
	mustCLI(t, db, "round", "new", "2020Q3", "--as-of", "2020-09-28", "--sample-accounts", "100%")
	mustCLI(t, db, "add-finding", "6300000001", "site.veto.home_stale", "--detail", "首页最新信息为2020-08-03")
	mustCLI(t, db, "add-finding", "6300000003", "site.veto.interaction", "--detail", "仅有信访渠道")
	mustCLI(t, db, "round", "assign", "2020Q3", "--to", "张三", "--targets", "6300000001,6300000002,WX0001")
	mustCLI(t, db, "round", "assign", "2020Q3", "--to", "李四", "--targets", "6300000003,6300000004,WB0002")

	a, b := filepath.Join(dir, "zhang.bundle"), filepath.Join(dir, "li.bundle")
	out := mustCLI(t, db, "pack", "--round", "2020Q3", "--targets-of", "张三", "--out", a)
	if !strings.Contains(out, "3 targets") || !strings.Contains(out, "1 findings") {
		t.Fatalf("pack: %s", out)
	}
	mustCLI(t, db, "pack", "--round", "2020Q3", "--targets-of", "李四", "--out", b)
	if _, errs, code := cli(t, db, "pack", "--round", "2020Q3", "--targets-of", "赵六", "--out", filepath.Join(dir, "x.bundle")); code == 0 || !strings.Contains(errs, "赵六") {
		t.Fatalf("pack for nobody: %d %s", code, errs)
	}

	// The laptops: the bundle is a database like any other.
	out = mustCLI(t, a, "verdicts", "--format", "json")
	var vs []model.Verdict
	if err := json.Unmarshal([]byte(out), &vs); err != nil || len(vs) != 3 {
		t.Fatalf("bundle verdicts: %v %s", err, out)
	}
	mustCLI(t, a, "decide", "6300000001", "site.veto.home_stale", "dismiss", "--note", "首页有更新", "--by", "张三")
	mustCLI(t, a, "add-finding", "WX0001", "account.veto.stale", "--detail", "最新推文2020-08-01")
	mustCLI(t, b, "decide", "6300000003", "site.veto.interaction", "dismiss", "--note", "领导信箱可用", "--by", "李四")
	mustCLI(t, b, "add-finding", "6300000004", "site.deduct.search", "--detail", "首页无站内搜索")

	out = mustCLI(t, db, "merge", a, b)
	if !strings.Contains(out, "merged "+a) || !strings.Contains(out, "merged "+b) || !strings.Contains(out, "2 decisions, 1 findings") ||
		// 测试员 confirmed both findings when adding them at the office; the
		// laptops dismissed them: a second look is due.
		!strings.Contains(out, "2 finding(s) decided differently") {
		t.Fatalf("merge: %s", out)
	}
	first := mustCLI(t, db, "findings", "--format", "json")
	out = mustCLI(t, db, "merge", b, a)
	if strings.Count(out, "(merged before)") != 2 || !strings.Contains(out, "0 decisions, 0 findings, 0 notes") {
		t.Fatalf("second merge: %s", out)
	}
	if again := mustCLI(t, db, "findings", "--format", "json"); again != first {
		t.Fatalf("second merge changed findings:\n%s\n%s", first, again)
	}
	var fs []model.Finding
	if err := json.Unmarshal([]byte(first), &fs); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, f := range fs {
		status[f.Target+" "+f.Indicator] = f.Status
	}
	want := map[string]string{
		"6300000001 site.veto.home_stale":  "dismissed",
		"6300000003 site.veto.interaction": "dismissed",
		"WX0001 account.veto.stale":        "confirmed",
		"6300000004 site.deduct.search":    "confirmed",
	}
	if len(status) != len(want) {
		t.Fatalf("findings at home: %v", status)
	}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("%s: %s, want %s", k, status[k], v)
		}
	}

	// Refusals name the file.
	other := filepath.Join(dir, "other.db")
	mustCLI(t, other, "import", "sites", writeFile(t, dir, "sites2.csv", sitesCSV))
	mustCLI(t, other, "round", "new", "2020Q3", "--as-of", "2020-09-30")
	_, errs, code := cli(t, other, "merge", a)
	if code == 0 || strings.TrimSpace(errs) != "inspector: merge zhang.bundle: round 2020Q3 has check point 2020-09-30 here, 2020-09-28 in the bundle" {
		t.Fatalf("other check point: %d %q", code, errs)
	}
	_, errs, code = cli(t, db, "merge", a, filepath.Join(dir, "missing.bundle"), db)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if code == 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "inspector: 2 of 3 bundles refused: merge missing.bundle") || !strings.Contains(lines[1], "merge home.db: not a bundle: it is this database") {
		t.Fatalf("partial refusal: %d %q", code, errs)
	}
}
