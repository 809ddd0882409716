package probe

import (
	"context"
	"sync"
	"time"

	"inspector/model"
)

// VisitOnce opens each target's home page once (no browser, no cache) and
// reports each visit: the availability rule's unit. A visit fails when
// the page does not open within cfg.Timeout or answers with an error.
func VisitOnce(ctx context.Context, f *Fetcher, targets []model.Target, sink func(model.Target, Visit) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		ferr error
	)
	sem := make(chan struct{}, f.cfg.Concurrency*4)
	for _, t := range targets {
		if t.URL == "" {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func(t model.Target) {
			defer wg.Done()
			defer func() { <-sem }()
			r := f.Get(ctx, t.URL)
			if ctx.Err() != nil {
				return
			}
			v := Visit{At: r.FetchedAt, Millis: r.Millis, OK: r.Err == nil && r.Status > 0 && r.Status < 400}
			if !v.OK {
				v.Err = describe(r)
			}
			mu.Lock()
			defer mu.Unlock()
			if ferr == nil {
				ferr = sink(t, v)
			}
		}(t)
	}
	wg.Wait()
	if ferr != nil {
		return ferr
	}
	return ctx.Err()
}

// VisitEvery makes spaced visits to every target's home page, one sweep every
// interval until the time until (zero: until ctx ends), for the
// availability rule (≥ 20 spaced visits a day for a week).
func VisitEvery(ctx context.Context, cfg Config, targets []model.Target, interval time.Duration, until time.Time, sink func(model.Target, Visit) error) error {
	cfg = cfg.Defaults()
	f := NewFetcher(cfg)
	defer f.Close()
	for {
		start := time.Now()
		if !until.IsZero() && !start.Before(until) {
			return nil
		}
		if err := VisitOnce(ctx, f, targets, sink); err != nil {
			return err
		}
		wait := interval - time.Since(start)
		if wait < 0 {
			wait = 0
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}
