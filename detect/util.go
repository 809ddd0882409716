package detect

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(strings.TrimSpace(s), 64) }

// hostOf returns the lower-case host of an absolute URL, without port.
func hostOf(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
}

// govHost reports whether a host is under a government (or comparably
// official) domain.
func govHost(h string) bool {
	for _, s := range []string{".gov.cn", ".gov", ".mil.cn", ".edu.cn", ".xn--zfr164b", ".政务"} {
		if strings.HasSuffix(h, s) || h == strings.TrimPrefix(s, ".") {
			return true
		}
	}
	return false
}

// siteKey is a crude registrable domain: the last two labels, three when
// the second-level label is a generic one (com.cn, gov.cn …).
func siteKey(h string) string {
	if net.ParseIP(h) != nil {
		return h
	}
	parts := strings.Split(h, ".")
	n := 2
	if len(parts) >= 3 {
		switch parts[len(parts)-2] {
		case "com", "net", "org", "gov", "edu", "ac", "co", "mil":
			n = 3
		}
	}
	if len(parts) <= n {
		return h
	}
	return strings.Join(parts[len(parts)-n:], ".")
}

// sameSite reports whether two hosts belong to the same site. Government
// hosts are one site only when they share their last three labels
// (www.xx.gov.cn and m.xx.gov.cn).
func sameSite(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return a == b || siteKey(a) == siteKey(b)
}

// benignHost reports whether an external host is on the benign list.
func benignHost(h string) bool {
	for _, b := range mustLex().benign {
		if h == b || strings.HasSuffix(h, "."+b) {
			return true
		}
	}
	return false
}

// outsider reports whether a link host is external to the target and not
// governmental: the hosts spam lives on.
func outsider(h, home string) bool {
	if h == "" || govHost(h) || sameSite(h, home) {
		return false
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() && home == "" {
		return false
	}
	return true
}

func webURL(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "//")
}
