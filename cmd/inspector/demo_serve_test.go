package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoServe: `inspector demo --serve` writes the registry files, prints
// a loopback address and a --resolve flag for every host, serves them, and
// stops cleanly on Ctrl-C.
func TestDemoServe(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary(t), "--db", filepath.Join(dir, "x.db"), "demo", "--serve", "--small", "--registry-dir", dir)
	cmd.Env = append(os.Environ(), "INSPECTOR_HOME="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	resolve := map[string]string{}
	deadline := time.After(20 * time.Second)
	quiet := time.NewTimer(time.Hour)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break wait
			}
			if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "--resolve "); ok {
				host, addr, _ := strings.Cut(rest, "=")
				resolve[host] = addr
				quiet.Reset(500 * time.Millisecond)
			}
		case <-quiet.C:
			break wait
		case <-deadline:
			t.Fatal("no --resolve lines within 20 s")
		}
	}
	if len(resolve) < 12 {
		t.Fatalf("%d hosts printed", len(resolve))
	}
	served := 0
	for host, addr := range resolve {
		ip, _, err := net.SplitHostPort(addr)
		if err != nil || !net.ParseIP(ip).IsLoopback() {
			t.Fatalf("%s maps to %q, not loopback", host, addr)
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			continue // a host seeded as refusing connections
		}
		io.WriteString(c, "HEAD / HTTP/1.0\r\nHost: "+host+"\r\n\r\n")
		b := make([]byte, 12)
		io.ReadFull(c, b)
		c.Close()
		if strings.HasPrefix(string(b), "HTTP/1.") {
			served++
		}
	}
	if served < len(resolve)/2 {
		t.Fatalf("only %d of %d hosts answered", served, len(resolve))
	}
	for _, f := range []string{"sites.csv", "sites-gbk.csv", "sites.xlsx", "accounts.csv", "truth.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("registry file: %v", err)
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after Ctrl-C: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop within 10 s of Ctrl-C")
	}
}
