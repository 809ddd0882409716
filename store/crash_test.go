package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"inspector/model"
)

// The crash tests run a helper process (this test binary, re-executed with
// INSPECTOR_CRASH_MODE set) that writes to a database and prints each
// write on stdout after its commit; the parent kills it with SIGKILL
// (Process.Kill) in the middle of its stream. Afterwards the database
// must pass PRAGMA integrity_check and hold every write reported.

const crashEnv = "INSPECTOR_CRASH_MODE"

// TestCrashHelper is the helper process; as a plain test it does nothing.
func TestCrashHelper(t *testing.T) {
	mode := os.Getenv(crashEnv)
	if mode == "" {
		t.Skip("helper process for the crash tests")
	}
	db, err := Open(os.Getenv("INSPECTOR_CRASH_DB"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	say := func(format string, args ...any) {
		fmt.Fprintf(out, format+"\n", args...)
		out.Flush()
	}
	switch mode {
	case "observations":
		// A probe-like stream: captures of ~200 KB with a screenshot.
		run, _ := strconv.Atoi(os.Getenv("INSPECTOR_CRASH_RUN"))
		for i := 0; ; i++ {
			target := fmt.Sprintf("630000000%d", 1+i%6)
			at := t0.Add(time.Duration(run+1)*24*time.Hour + time.Duration(i)*time.Second)
			page := strings.Repeat(fmt.Sprintf("<li><a href='/art/%d.html'>第%d条 政务动态</a></li>", i, i), 3000)
			data := fmt.Sprintf(`{"n":%d,"pages":[{"raw":%q}]}`, i, page)
			shot := fakeJPEG(fmt.Sprint("shot", i), 50_000)
			if _, err := db.SaveObservation(Observation{Round: "2020Q3", Target: target, Kind: ObsCapture, At: at, Data: []byte(data)},
				[]Blob{{Mime: "image/jpeg", Data: shot}}); err != nil {
				say("error %v", err)
				os.Exit(3)
			}
			say("obs %s %s %s", target, fmtTime(at), HashOf(shot))
		}
	case "decisions":
		fs, err := db.Findings(FindingFilter{Round: "2020Q3"})
		if err != nil || len(fs) == 0 {
			say("error %v %d findings", err, len(fs))
			os.Exit(3)
		}
		for i := 0; ; i++ {
			action := model.ActionConfirm
			if i%3 == 0 {
				action = model.ActionDismiss
			}
			ds, err := db.Decide(model.Decision{FindingUID: fs[i%len(fs)].UID, Action: action, Note: fmt.Sprint("第", i, "次"), By: zhang, At: t0.Add(time.Duration(i) * time.Millisecond)})
			if err != nil {
				say("error %v", err)
				os.Exit(3)
			}
			say("dec %s", ds[0].UID)
		}
	case "merge":
		say("merging")
		res, err := db.Merge(os.Getenv("INSPECTOR_CRASH_BUNDLE"), t0)
		if err != nil {
			say("error %v", err)
			os.Exit(3)
		}
		say("merged %d", res.Decisions)
		os.Exit(0)
	}
	say("error unknown mode %s", mode)
	os.Exit(3)
}

// helper starts the helper process in mode on the database at path.
func helper(t *testing.T, mode, path string, env ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{crashEnv + "=" + mode, "INSPECTOR_CRASH_DB=" + path}, env...)...)
	cmd.Stderr = os.Stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	return cmd, sc
}

// killAfter reads the helper's reports until it has n of them, kills it,
// and returns every report it printed (the pipe is drained after the
// kill: a line printed just before it counts).
func killAfter(t *testing.T, cmd *exec.Cmd, sc *bufio.Scanner, prefix string, n int) []string {
	t.Helper()
	var got []string
	for len(got) < n && sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "error") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper: %s", line)
		}
		if strings.HasPrefix(line, prefix+" ") {
			got = append(got, strings.TrimPrefix(line, prefix+" "))
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, prefix+" ") {
			got = append(got, strings.TrimPrefix(line, prefix+" "))
		}
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Success() {
		t.Fatalf("helper was not killed: %v", err)
	}
	if len(got) < n {
		t.Fatalf("helper reported %d writes before dying, want %d", len(got), n)
	}
	return got
}

func checkIntegrity(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if ic, err := db.IntegrityCheck(); err != nil || ic != "ok" {
		t.Fatalf("integrity_check after kill: %s %v", ic, err)
	}
	return db
}

func TestCrashDuringObservationStream(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	db, _ := home(t, dir)
	path := db.Path()
	db.Close()
	for round, n := range []int{1, 7, 25} {
		cmd, sc := helper(t, "observations", path, fmt.Sprint("INSPECTOR_CRASH_RUN=", round))
		reported := killAfter(t, cmd, sc, "obs", n)
		db := checkIntegrity(t, path)
		for _, r := range reported {
			f := strings.Fields(r)
			if c := count(t, db, `SELECT count(*) FROM observations WHERE target = ? AND at = ?`, f[0], f[1]); c != 1 {
				t.Fatalf("kill %d: reported observation %s at %s: %d rows", round, f[0], f[1], c)
			}
			if _, err := db.BlobData(f[2]); err != nil {
				t.Fatalf("kill %d: screenshot of a reported observation: %v", round, err)
			}
		}
		// Every observation is readable (no torn compressed data).
		if _, err := db.Observations("2020Q3", "", ObsCapture); err != nil {
			t.Fatal(err)
		}
		db.Close()
		t.Logf("kill %d: %d observations reported before SIGKILL, all present", round, len(reported))
	}
}

func TestCrashDuringDecisionStream(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	db, _ := home(t, dir)
	path := db.Path()
	db.Close()
	total := 0
	for round, n := range []int{1, 30, 200} {
		cmd, sc := helper(t, "decisions", path)
		reported := killAfter(t, cmd, sc, "dec", n)
		db := checkIntegrity(t, path)
		for _, uid := range reported {
			if c := count(t, db, `SELECT count(*) FROM decisions WHERE uid = ?`, uid); c != 1 {
				t.Fatalf("kill %d: decision %s reported written is missing", round, uid)
			}
		}
		total += len(reported)
		if c := count(t, db, `SELECT count(*) FROM decisions WHERE by = ?`, zhang); c < total {
			t.Fatalf("kill %d: %d decisions, %d reported", round, c, total)
		}
		db.Close()
		t.Logf("kill %d: %d decisions reported before SIGKILL, all present", round, len(reported))
	}
}

// A merge killed part way leaves the home database as it was (one
// transaction); merging again afterwards brings everything.
func TestCrashDuringMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	db, _ := home(t, dir)
	bundle := filepath.Join(dir, "big.bundle")
	if _, err := db.Pack(bundle, PackOptions{Round: "2020Q3"}); err != nil {
		t.Fatal(err)
	}
	// The laptop decided a lot and probed again offline: a merge with
	// some weight (tens of MB).
	bd := openPath(t, bundle)
	fs, _ := bd.Findings(FindingFilter{Round: "2020Q3"})
	var ds []model.Decision
	for i := 0; i < 3000; i++ {
		ds = append(ds, model.Decision{FindingUID: fs[i%len(fs)].UID, Action: model.ActionConfirm, By: li, At: t0.Add(time.Duration(i) * time.Second)})
	}
	if _, err := bd.Decide(ds...); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 240; i++ {
		target := fmt.Sprintf("630000000%d", 1+i%6)
		data := fmt.Sprintf(`{"n":%d,"shot":%q}`, i, fakeJPEG(fmt.Sprint("page", i), 60_000))
		if _, err := bd.SaveObservation(Observation{Round: "2020Q3", Target: target, Kind: ObsCapture, At: t0.Add(time.Duration(i+1) * time.Hour), Data: []byte(data)},
			[]Blob{{Mime: "image/jpeg", Data: fakeJPEG(fmt.Sprint("shot", i), 100_000)}}); err != nil {
			t.Fatal(err)
		}
	}
	bd.Close()
	path := db.Path()
	before := dump(t, db)
	db.Close()

	// How long an undisturbed merge takes, on a copy.
	probe := filepath.Join(dir, "probe.db")
	cp, _ := Open(path)
	if err := cp.Backup(probe); err != nil {
		t.Fatal(err)
	}
	cp.Close()
	pdb := openPath(t, probe)
	start := time.Now()
	if _, err := pdb.Merge(bundle, t0); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	pdb.Close()
	t.Logf("an undisturbed merge takes %v", took)

	killed := 0
	for _, frac := range []float64{0.05, 0.15, 0.3, 0.45, 0.6, 0.8} {
		cmd, sc := helper(t, "merge", path, "INSPECTOR_CRASH_BUNDLE="+bundle)
		for sc.Scan() && sc.Text() != "merging" {
		}
		time.Sleep(time.Duration(frac * float64(took)))
		cmd.Process.Kill()
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		cmd.Wait()
		db := checkIntegrity(t, path)
		after := dump(t, db)
		n := count(t, db, `SELECT count(*) FROM decisions WHERE by = ?`, li)
		db.Close()
		done := len(lines) > 0 && strings.HasPrefix(lines[0], "merged")
		switch {
		case n == 3000:
			// Committed before the kill (the report may not have made it).
			t.Logf("kill at %.0f%%: the merge had committed (reported: %v)", frac*100, done)
		case done:
			t.Fatalf("merge reported done, %d of 3000 decisions home", n)
		case n != 0 || after != before:
			t.Fatalf("kill at %.0f%%: a killed merge left %d of its 3000 decisions (must be all or nothing)", frac*100, n)
		default:
			killed++
			continue
		}
		break
	}
	if killed == 0 {
		t.Log("no kill landed inside a merge (machine too fast)")
	}
	// Merging again brings everything, once.
	db = checkIntegrity(t, path)
	for i := 0; i < 2; i++ {
		if _, err := db.Merge(bundle, t0); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM decisions WHERE by = ?`, li); n != 3000 {
		t.Fatalf("after re-merge: %d of 3000 decisions", n)
	}
	if n := count(t, db, `SELECT count(*) FROM observations`); n != 6+240 {
		t.Fatalf("after re-merge: %d observations", n)
	}
	t.Logf("%d merges killed part way, each left the database as it was", killed)
}
