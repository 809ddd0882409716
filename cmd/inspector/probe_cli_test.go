package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"inspector/model"
	"inspector/probe"
	"inspector/province"
	"inspector/store"
)

// needChromeCLI fails in CI without Chromium and skips elsewhere.
func needChromeCLI(t *testing.T) {
	t.Helper()
	if _, err := probe.FindChrome(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chrome is required in CI: %v", err)
		}
		t.Skipf("no Chrome: %v", err)
	}
}

// smallProvinceDB serves the small synthetic province on loopback, imports
// its registry into a new database and opens a round with the given site
// share; it returns the database path, the server and the probe's network
// flags (--resolve for every province host, --block-unmapped).
func smallProvinceDB(t *testing.T, round, sites string) (string, *province.Province, *province.Server, []string) {
	t.Helper()
	p := province.New(province.Options{Seed: 1, Small: true})
	srv, err := p.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	reg := filepath.Join(dir, "registry")
	if err := p.WriteRegistry(reg); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "i.db")
	mustCLI(t, db, "import", "sites", filepath.Join(reg, province.FileSites))
	mustCLI(t, db, "import", "accounts", filepath.Join(reg, province.FileAccounts))
	mustCLI(t, db, "round", "new", round, "--as-of", p.AsOf().Format("2006-01-02"), "--sample-sites", sites, "--sample-accounts", "10%", "--seed", "1")
	return db, p, srv, append(srv.ResolveFlags(), "--block-unmapped")
}

func captureCounts(t *testing.T, db, round string) map[string]int {
	t.Helper()
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ok, err := s.IntegrityCheck(); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	obs, err := s.Observations(round, "", store.ObsCapture)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, o := range obs {
		n[o.Target]++
	}
	return n
}

func roundCodes(t *testing.T, db, round string) []string {
	t.Helper()
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts, err := s.RoundTargets(round)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range ts {
		out = append(out, x.Code)
	}
	return out
}

// Findings are re-derived offline: after a probe, with the province gone,
// no --resolve and every proxy pointing at a closed port, analyze succeeds
// and gives the same findings.
func TestCLIAnalyzeOffline(t *testing.T) {
	needChromeCLI(t)
	db, p, srv, net := smallProvinceDB(t, "R1", "100%")
	// Four targets with defects the probe can see are enough.
	args := append([]string{"probe", "--concurrency", "4"}, net...)
	inRound := map[string]bool{}
	for _, c := range roundCodes(t, db, "R1") {
		inRound[c] = true
	}
	picked := map[string]bool{}
	spam := map[string]string{} // a hacked site → one of its seeded spam hosts
	truth := p.Truth()
	// A hacked site first: its findings must show what caused them.
	for _, tr := range truth {
		if tr.Indicator == "site.veto.security" && inRound[tr.Target] && len(spam) == 0 {
			spam[tr.Target] = tr.Subject
			picked[tr.Target] = true
			args = append(args, "--target", tr.Target)
		}
	}
	for _, tr := range truth {
		if inRound[tr.Target] && !tr.Manual && !picked[tr.Target] && len(picked) < 4 {
			picked[tr.Target] = true
			args = append(args, "--target", tr.Target)
		}
	}
	out := mustCLI(t, db, args...)
	t.Log(strings.TrimSpace(out))
	before := mustCLI(t, db, "findings", "--format", "json")
	if strings.Count(before, `"indicator"`) < 3 {
		t.Fatalf("the probe found nothing to compare: %s", before)
	}
	// Every security finding shows the links or phrases that caused it,
	// and the seeded spam host is named.
	var fs []model.Finding
	if err := json.Unmarshal([]byte(before), &fs); err != nil {
		t.Fatal(err)
	}
	named := false
	for _, f := range fs {
		if f.Indicator != "site.veto.security" {
			continue
		}
		if len(f.Evidence) == 0 || strings.TrimSpace(f.Evidence[0].Snippet) == "" {
			t.Errorf("security finding %s/%s has no evidence snippet", f.Target, f.Subject)
		}
		for code, host := range spam {
			if f.Target == code && (strings.Contains(f.Detail, host) || strings.Contains(f.Subject, host)) {
				named = true
			}
		}
	}
	if len(spam) > 0 && !named {
		t.Errorf("no security finding names the seeded spam host %v:\n%s", spam, before)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary(t), "--db", db, "analyze")
	dead := "http://127.0.0.1:9" // discard port: nothing listens
	cmd.Env = append(os.Environ(), "INSPECTOR_HOME="+filepath.Dir(db), "HTTP_PROXY="+dead, "HTTPS_PROXY="+dead, "http_proxy="+dead, "https_proxy="+dead, "ALL_PROXY="+dead, "NO_PROXY=")
	start := time.Now()
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("analyze offline: %v: %s", err, res)
	}
	if !strings.Contains(string(res), "analyzed round R1") {
		t.Errorf("analyze output: %s", res)
	}
	t.Logf("%s (%s)", strings.TrimSpace(string(res)), time.Since(start).Round(time.Millisecond))
	after := mustCLI(t, db, "findings", "--format", "json")
	if after != before {
		t.Errorf("findings changed after the offline analysis:\nbefore %s\nafter  %s", before, after)
	}
}

var progressLine = regexp.MustCompile(`^\[(\d+)/(\d+)\] (\S+) `)

// chromeLeft lists processes whose command line mentions dir (the
// probe's TMPDIR, where its Chrome profile lives).
func chromeLeft(dir string) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(b), dir) {
			out = append(out, e.Name()+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}

// An interrupted probe keeps what it finished, leaves a sound database and
// no browser behind; probing again does only the rest, and --force does
// everything again.
func TestCLIProbeInterruptAndResume(t *testing.T) {
	needChromeCLI(t)
	db, _, _, net := smallProvinceDB(t, "R2", "50%")
	codes := roundCodes(t, db, "R2")
	if len(codes) < 5 {
		t.Fatalf("round too small for the test: %v", codes)
	}
	tmp := t.TempDir()
	cmd, w := startProbe(t, db, tmp, 1, net)
	w.waitStored(2)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	sigAt := time.Now()
	var err error
	werr := make(chan error, 1)
	go func() { werr <- cmd.Wait() }()
	select {
	case err = <-werr:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("probe did not stop within 15 s of SIGINT")
	}
	stopped := time.Since(sigAt)
	out, done := w.snapshot()
	stored := len(done)
	if err == nil || !strings.Contains(out, "interrupted") {
		t.Errorf("interrupted probe: err %v, output %s", err, out)
	}
	t.Logf("stopped %s after SIGINT with %d of %d targets stored", stopped.Round(time.Millisecond), stored, len(codes))
	if stored >= len(codes) {
		t.Fatalf("every target finished before the interrupt: nothing to resume")
	}
	time.Sleep(500 * time.Millisecond)
	if left := chromeLeft(tmp); len(left) > 0 {
		t.Errorf("browser processes left after the interrupt: %v", left)
	}
	if ents, _ := filepath.Glob(filepath.Join(tmp, "inspector-chrome-*")); len(ents) > 0 {
		t.Errorf("browser profile left behind: %v", ents)
	}

	n := captureCounts(t, db, "R2")
	if len(n) != stored {
		t.Errorf("%d captures stored, %d targets reported done: %v", len(n), stored, n)
	}
	for c, k := range n {
		if k != 1 || !done[c] {
			t.Errorf("target %s: %d captures (reported done %v)", c, k, done[c])
		}
	}

	// Resume: only the rest.
	args := append([]string{"probe", "--concurrency", "4"}, net...)
	o, e, code := cli(t, db, args...)
	if code != 0 {
		t.Fatalf("resumed probe: exit %d: %s", code, e)
	}
	if want := "probed " + strconv.Itoa(len(codes)-stored) + " targets"; !strings.Contains(o, want) {
		t.Errorf("resume: %q lacks %q", o, want)
	}
	if want := strconv.Itoa(stored) + " targets already captured"; !strings.Contains(e, want) {
		t.Errorf("resume: stderr %q lacks %q", e, want)
	}
	for _, m := range progressLine.FindAllStringSubmatch(e, -1) {
		if done[m[3]] {
			t.Errorf("resume probed %s again", m[3])
		}
	}
	n = captureCounts(t, db, "R2")
	for _, c := range codes {
		if n[c] != 1 {
			t.Errorf("after resume, target %s has %d captures", c, n[c])
		}
	}

	// Nothing left: a further run probes nothing.
	if o := mustCLI(t, db, args...); !strings.Contains(o, "probed 0 targets") {
		t.Errorf("complete round probed again: %s", o)
	}
	// --force probes everything again.
	o = mustCLI(t, db, append(args, "--force")...)
	if want := "probed " + strconv.Itoa(len(codes)) + " targets"; !strings.Contains(o, want) {
		t.Errorf("--force: %q lacks %q", o, want)
	}
	n = captureCounts(t, db, "R2")
	for _, c := range codes {
		if n[c] != 2 {
			t.Errorf("after --force, target %s has %d captures", c, n[c])
		}
	}
}

// A probe killed outright (SIGKILL, no chance to clean up) leaves a sound
// database holding every target it reported as stored, and a rerun
// completes the round.
func TestCLIProbeKilled(t *testing.T) {
	needChromeCLI(t)
	db, _, _, net := smallProvinceDB(t, "R3", "50%")
	codes := roundCodes(t, db, "R3")
	tmp := t.TempDir()
	cmd, w := startProbe(t, db, tmp, 2, net)
	// Chrome outlives a killed parent: end it with the test.
	t.Cleanup(func() {
		for _, p := range chromeLeft(tmp) {
			if pid, err := strconv.Atoi(strings.SplitN(p, ":", 2)[0]); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	w.waitStored(2)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := s.IntegrityCheck()
	s.Close()
	if err != nil || ok != "ok" {
		t.Fatalf("integrity after SIGKILL: %q %v", ok, err)
	}
	n := captureCounts(t, db, "R3")
	_, done := w.snapshot()
	for c := range done {
		if n[c] == 0 {
			t.Errorf("target %s was reported stored but has no capture", c)
		}
	}
	mustCLI(t, db, append([]string{"probe"}, net...)...)
	n = captureCounts(t, db, "R3")
	for _, c := range codes {
		if n[c] == 0 {
			t.Errorf("after the rerun, target %s has no capture", c)
		}
	}
}

// probeWatch follows a probe subprocess's output: its lines and the
// targets it reported stored.
type probeWatch struct {
	t     *testing.T
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	done  map[string]bool
	step  chan struct{} // a signal per stored target
}

// startProbe runs `inspector probe` on db with its Chrome profile in tmp.
func startProbe(t *testing.T, db, tmp string, concurrency int, net []string) (*exec.Cmd, *probeWatch) {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--db", db, "probe", "--concurrency", strconv.Itoa(concurrency)}, net...)...)
	cmd.Env = append(os.Environ(), "INSPECTOR_HOME="+filepath.Dir(db), "TMPDIR="+tmp)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &probeWatch{t: t, cmd: cmd, done: map[string]bool{}, step: make(chan struct{}, 1024)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			if m := progressLine.FindStringSubmatch(sc.Text()); m != nil && !w.done[m[3]] {
				w.done[m[3]] = true
				w.step <- struct{}{}
			}
			w.mu.Unlock()
		}
	}()
	return cmd, w
}

// waitStored waits until n targets are reported stored (a minute at most).
func (w *probeWatch) waitStored(n int) {
	w.t.Helper()
	deadline := time.After(60 * time.Second)
	for i := 0; i < n; i++ {
		select {
		case <-w.step:
		case <-deadline:
			w.cmd.Process.Kill()
			out, _ := w.snapshot()
			w.t.Fatalf("not %d targets stored within a minute: %s", n, out)
		}
	}
}

// snapshot returns the output so far and the targets reported stored.
func (w *probeWatch) snapshot() (string, map[string]bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	done := make(map[string]bool, len(w.done))
	for k, v := range w.done {
		done[k] = v
	}
	return strings.Join(w.lines, "\n"), done
}
