package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"inspector/model"
)

// tmuxSession runs the real binary in a detached tmux session of its own
// server (socket), 120×40.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required in CI for the review end-to-end test")
		}
		t.Skip("tmux not installed")
	}
}

func startTmux(t *testing.T, db string, args ...string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("insp-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	quoted := []string{"exec", "env", "INSPECTOR_HOME=" + filepath.Dir(db), "LANG=C.UTF-8", binary(t), "--db", db, "--by", "测试员"}
	quoted = append(quoted, args...)
	for i, a := range quoted {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	s.run("-u", "new-session", "-d", "-s", "review", "-x", "120", "-y", "40", strings.Join(quoted, " "))
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.run(append([]string{"send-keys", "-t", "review"}, keys...)...)
}

// literal types text as is (Chinese included).
func (s *tmuxSession) literal(text string) {
	s.t.Helper()
	s.run("send-keys", "-t", "review", "-l", text)
}

func (s *tmuxSession) screen() string {
	s.t.Helper()
	return s.run("capture-pane", "-p", "-t", "review")
}

// waitFor polls the screen until it contains every want.
func (s *tmuxSession) waitFor(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
			}
		}
		if ok {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q; last screen:\n%s", want, scr)
	return ""
}

func (s *tmuxSession) alive() bool {
	return exec.Command("tmux", "-L", s.socket, "has-session", "-t", "review").Run() == nil
}

// reviewFixture makes a database with the CLI: sites, a round, findings.
func reviewFixture(t *testing.T) string {
	dir := t.TempDir()
	db := filepath.Join(dir, "inspector.db")
	csv := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(csv, []byte(sitesCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, db, "import", "sites", csv)
	mustCLI(t, db, "round", "new", "2020Q3", "--as-of", "2020-09-28")
	mustCLI(t, db, "add-finding", "6300000001", "site.deduct.search", "--detail", "首页无站内搜索")
	mustCLI(t, db, "add-finding", "6300000001", "site.deduct.error_entry", "--detail", "首页无找错入口")
	mustCLI(t, db, "add-finding", "6300000001", "site.deduct.garbled", "--detail", "页面乱码锟斤拷")
	// One finding starts dismissed, so that confirming it is a change.
	mustCLI(t, db, "decide", "6300000001", "site.deduct.search", "dismiss", "--note", "待复核", "--by", "李四")
	mustCLI(t, db, "add-finding", "6300000002", "site.deduct.garbled", "--detail", "栏目页乱码")
	return db
}

func findingsJSON(t *testing.T, db string) map[string]model.Finding {
	t.Helper()
	var fs []model.Finding
	if err := json.Unmarshal([]byte(mustCLI(t, db, "findings", "--format", "json")), &fs); err != nil {
		t.Fatal(err)
	}
	out := map[string]model.Finding{}
	for _, f := range fs {
		out[f.Target+" "+f.Indicator] = f
	}
	return out
}

// TestReviewInTmux drives the real binary: open a target, confirm one
// finding, dismiss one with a reason, accept all and go on, quit; then
// reads the decisions back through the CLI.
func TestReviewInTmux(t *testing.T) {
	needTmux(t)
	db := reviewFixture(t)
	s := startTmux(t, db)
	s.waitFor("2020Q3", "青海省粮食局网站", "网站 (4)")
	s.keys("Enter")
	// The cursor starts on the first finding (search, dismissed).
	s.waitFor("站内搜索", "[已排除]", "6300000001")
	s.keys("c")
	s.waitFor("已确认 1 项：站内搜索")
	s.keys("j", "j") // error_entry's finding
	s.keys("x")
	s.waitFor("排除理由：")
	s.literal("入口在页脚")
	s.keys("Enter")
	s.waitFor("已排除 1 项：入口在页脚")
	s.keys("Space")
	// 6300000002 counts as reviewed already (every finding decided by
	// add-finding), so the next unreviewed target is 6300000003.
	scr := s.waitFor("兴海县人民政府网站", "6300000003", "青海省粮食局网站 审核完毕")
	if !strings.Contains(scr, "已审 2/4") {
		t.Errorf("header progress not updated:\n%s", scr)
	}
	s.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for s.alive() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if s.alive() {
		t.Fatalf("q did not quit; screen:\n%s", s.screen())
	}
	fs := findingsJSON(t, db)
	if st := fs["6300000001 site.deduct.search"].Status; st != model.StatusConfirmed {
		t.Errorf("search: %s, want confirmed", st)
	}
	if st := fs["6300000001 site.deduct.error_entry"].Status; st != model.StatusDismissed {
		t.Errorf("error_entry: %s, want dismissed", st)
	}
	if st := fs["6300000001 site.deduct.garbled"].Status; st != model.StatusConfirmed {
		t.Errorf("garbled: %s, want confirmed", st)
	}
	var vs []model.Verdict
	if err := json.Unmarshal([]byte(mustCLI(t, db, "verdicts", "--format", "json")), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Target == "6300000001" && (v.Verdict != model.VerdictPass || v.Score != 97) {
			t.Errorf("verdict of 6300000001: %+v, want pass 97 (−2 search, −1 garbled)", v)
		}
	}
}

// TestReviewKilledKeepsDecision kills the process with SIGKILL right after
// a decision shows and finds the decision in the store.
func TestReviewKilledKeepsDecision(t *testing.T) {
	needTmux(t)
	db := reviewFixture(t)
	s := startTmux(t, db)
	s.waitFor("青海省粮食局网站")
	s.keys("Enter")
	s.waitFor("[已排除]")
	s.keys("c")
	s.waitFor("已确认 1 项")
	pid, err := strconv.Atoi(strings.TrimSpace(s.run("display-message", "-p", "-t", "review", "#{pane_pid}")))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	fs := findingsJSON(t, db)
	if st := fs["6300000001 site.deduct.search"].Status; st != model.StatusConfirmed {
		t.Fatalf("after SIGKILL the confirmation is lost: %s", st)
	}
}
