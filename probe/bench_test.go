package probe

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspector/model"
	"inspector/province"
)

// BenchmarkProbeProvince probes the full synthetic province (seed 1) on
// loopback, then drives a bare chromedp loop over the very pages the
// probe rendered, with the same concurrency: one browser, N reused tabs,
// navigate, wait for the load event, read outerHTML. It prints pages/s and
// links/s of both, their ratio, the peak memory of the process tree
// (Chrome included, summed from /proc) and the sweep's time.
//
// Run with -benchtime 1x (scripts/bench-probe.sh). BENCH_CONCURRENCY sets
// N (default 4, the CLI's default); BENCH_SMALL=1 uses the small province.
func BenchmarkProbeProvince(b *testing.B) {
	if _, err := FindChrome(""); err != nil {
		if os.Getenv("CI") != "" {
			b.Fatalf("Chrome is required in CI: %v", err)
		}
		b.Skipf("no Chrome: %v", err)
	}
	conc := 4
	if v, err := strconv.Atoi(os.Getenv("BENCH_CONCURRENCY")); err == nil && v > 0 {
		conc = v
	}
	small := os.Getenv("BENCH_SMALL") != ""
	p := province.New(province.Options{Seed: 1, Small: small})
	srv, err := p.Start()
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	targets := append(p.Sites(), p.Accounts()...)
	cfg := Config{Resolve: srv.Resolve(), BlockUnmapped: true, Concurrency: conc}

	for i := 0; i < b.N; i++ {
		// The probe.
		load0 := loadAvg()
		mem := startMemSampler()
		start := time.Now()
		var (
			sitePages, siteLinks, rendered int
			renderedLinks, checked         int
			variants, failed               int
			urls                           []string
			siteDone                       time.Duration
			nSites                         int
		)
		for _, t := range targets {
			if t.Kind == model.KindSite {
				nSites++
			}
		}
		// Each capture is counted and dropped, as the CLI stores it and
		// drops it: the memory measured is the sweep's, not a pile of
		// 515 captures kept by the benchmark.
		sitesSeen := 0
		err := Run(context.Background(), cfg, targets, "bench", p.AsOf(), func(c *Capture) error {
			if c.Target.Kind == model.KindSite {
				sitesSeen++
				if sitesSeen == nSites {
					siteDone = time.Since(start)
				}
			}
			sitePages += len(c.Pages)
			checked += len(c.Links)
			variants += len(c.Variants)
			for _, pg := range c.Pages {
				siteLinks += len(pg.Links)
				if pg.Rendered != "" {
					rendered++
					renderedLinks += len(hrefRE.FindAllStringIndex(pg.Rendered, -1))
					urls = append(urls, pg.FinalURL)
				}
			}
			for _, v := range c.Variants {
				if v.Rendered != "" {
					rendered++
					renderedLinks += len(hrefRE.FindAllStringIndex(v.Rendered, -1))
					urls = append(urls, c.Pages[0].URL)
				}
			}
			if strings.Contains(c.Err, "render") {
				failed++
			}
			return nil
		}, nil)
		probeTime := time.Since(start)
		probeMem := mem.stop()
		if err != nil {
			b.Fatalf("probe: %v", err)
		}
		runtime.GC()

		// The bare loop over the same renders.
		mem = startMemSampler()
		start = time.Now()
		bare, err := bareLoop(srv.HostRules(), conc, urls)
		bareTime := time.Since(start)
		bareMem := mem.stop()
		if err != nil {
			b.Fatalf("bare loop: %v", err)
		}

		pps := func(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }
		probeRPS, bareRPS := pps(rendered, probeTime), pps(bare.pages, bareTime)
		ratio := probeRPS / bareRPS
		w := os.Stdout
		fmt.Fprintf(w, "\nprobe of the synthetic province (seed 1%s): %d targets (%d sites), concurrency %d, %d CPUs\n",
			map[bool]string{true: ", small", false: ""}[small], len(targets), nSites, conc, runtime.NumCPU())
		fmt.Fprintf(w, "%-34s %14s %14s\n", "", "probe", "bare chromedp")
		fmt.Fprintf(w, "%-34s %14s %14s\n", "wall time", probeTime.Round(100*time.Millisecond), bareTime.Round(100*time.Millisecond))
		fmt.Fprintf(w, "%-34s %14d %14d\n", "browser renders (same URL list)", rendered, bare.pages)
		fmt.Fprintf(w, "%-34s %14.2f %14.2f\n", "rendered pages/s", probeRPS, bareRPS)
		fmt.Fprintf(w, "%-34s %14.1f %14.1f\n", "links/s (in rendered DOMs)", pps(renderedLinks, probeTime), pps(bare.links, bareTime))
		fmt.Fprintf(w, "%-34s %14.2f %14s\n", "all pages/s (fetched + rendered)", pps(sitePages, probeTime), "-")
		fmt.Fprintf(w, "%-34s %14.1f %14s\n", "links checked/s", pps(checked, probeTime), "-")
		fmt.Fprintf(w, "%-34s %14s %14s\n", "peak RSS, process tree", mib(probeMem.rss), mib(bareMem.rss))
		fmt.Fprintf(w, "%-34s %14s %14s\n", "  of which Chrome", mib(probeMem.chromeRSS), mib(bareMem.chromeRSS))
		fmt.Fprintf(w, "%-34s %14s %14s\n", "peak PSS, process tree", mib(probeMem.pss), mib(bareMem.pss))
		fmt.Fprintf(w, "%-34s %14s %14s\n", "processes at the RSS peak / most", fmt.Sprintf("%d / %d", probeMem.procs, probeMem.maxProcs), fmt.Sprintf("%d / %d", bareMem.procs, bareMem.maxProcs))
		fmt.Fprintf(w, "%-34s %14d %14d\n", "render errors", failed, bare.errors)
		fmt.Fprintf(w, "ratio probe/bare (rendered pages/s): %.2f   (aim ≥ 0.80)\n", ratio)
		fmt.Fprintf(w, "sites done after %s, whole sweep %s   (aim ≤ 5m0s)\n", siteDone.Round(time.Second), probeTime.Round(time.Second))
		fmt.Fprintf(w, "peak memory %s   (aim ≤ 1.5 GB; RSS sums count Chrome's shared pages once per process, PSS does not)\n", mib(probeMem.rss))
		fmt.Fprintf(w, "the probe also fetched %d pages over HTTP, %d crawler variants, and checked %d links; the bare loop does none of that\n",
			sitePages, variants, checked)
		fmt.Fprintf(w, "load average before the probe %s, after the bare loop %s (other work on the machine skews the figures)\n", load0, loadAvg())
		b.ReportMetric(probeRPS, "probe-pages/s")
		b.ReportMetric(bareRPS, "bare-pages/s")
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(probeTime.Seconds(), "sweep-s")
		b.ReportMetric(float64(probeMem.rss)/(1<<20), "peak-MiB")
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

type bareResult struct{ pages, links, errors int }

var hrefRE = regexp.MustCompile(`(?i)<(?:a|img|script|link|iframe)\b[^>]*?\s(?:href|src)\s*=`)

// bareLoop is the baseline: one browser with the same resolver rules, conc
// reused tabs, each URL navigated (load event) and its outerHTML read.
func bareLoop(rules string, conc int, urls []string) (bareResult, error) {
	exe, err := FindChrome("")
	if err != nil {
		return bareResult{}, err
	}
	dir, err := os.MkdirTemp("", "inspector-bare-")
	if err != nil {
		return bareResult{}, err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.UserDataDir(dir),
		chromedp.DisableGPU, chromedp.Flag("host-resolver-rules", rules))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx); err != nil {
		return bareResult{}, err
	}
	var next, pages, links, errs atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tctx, cancel := chromedp.NewContext(bctx)
			defer cancel()
			// Open the tab on its own context: a tab first used under a
			// per-page timeout would stop hearing events once that
			// timeout's context is done.
			if err := chromedp.Do(tctx); err != nil {
				errs.Add(int64(len(urls)))
				return
			}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(urls) {
					return
				}
				ctx, c := context.WithTimeout(tctx, 15*time.Second)
				err := chromedp.Do(ctx, chromedp.Navigate(urls[i]))
				var html string
				if err == nil {
					html, err = chromedp.Run(ctx, chromedp.OuterHTML("html"))
				}
				c()
				if err != nil {
					if errs.Add(1) <= 3 {
						fmt.Fprintf(os.Stderr, "bare: %s: %v\n", urls[i], err)
					}
					continue
				}
				pages.Add(1)
				links.Add(int64(len(hrefRE.FindAllStringIndex(html, -1))))
			}
		}()
	}
	wg.Wait()
	return bareResult{int(pages.Load()), int(links.Load()), int(errs.Load())}, nil
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// memPeak is the highest sum over the process tree seen by the sampler.
type memPeak struct{ rss, chromeRSS, pss, procs, maxProcs int64 }

type memSampler struct {
	stopc chan struct{}
	done  chan memPeak
}

// startMemSampler samples every 200 ms the RSS (and PSS) of this process
// and all its descendants, read from /proc, and keeps the peak.
func startMemSampler() *memSampler {
	m := &memSampler{stopc: make(chan struct{}), done: make(chan memPeak, 1)}
	go func() {
		var peak memPeak
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			s := sampleTree(os.Getpid())
			if s.rss > peak.rss {
				peak.rss, peak.chromeRSS, peak.procs = s.rss, s.chromeRSS, s.procs
			}
			peak.pss = max(peak.pss, s.pss)
			peak.maxProcs = max(peak.maxProcs, s.procs)
			select {
			case <-m.stopc:
				m.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

func (m *memSampler) stop() memPeak {
	close(m.stopc)
	return <-m.done
}

// sampleTree sums VmRSS and Pss of root and its descendants.
func sampleTree(root int) memPeak {
	ents, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 {
			continue
		}
		pp, _ := strconv.Atoi(f[1])
		parent[pid] = pp
	}
	in := func(pid int) bool {
		for n := 0; pid > 1 && n < 64; n++ {
			if pid == root {
				return true
			}
			pid = parent[pid]
		}
		return false
	}
	var s memPeak
	for pid := range parent {
		if !in(pid) {
			continue
		}
		rss := statusKB(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:") << 10
		s.rss += rss
		s.procs++
		if pid != root {
			s.chromeRSS += rss
		}
		s.pss += statusKB(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Pss:") << 10
	}
	return s
}

func statusKB(path, key string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, key) {
			f := strings.Fields(line[len(key):])
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
