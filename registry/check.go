package registry

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"inspector/model"
)

// SiteCodeLength is the length of a 网站标识码 (digits and letters).
const SiteCodeLength = 10

// checkCode validates a target's code: a site's is exactly SiteCodeLength
// ASCII letters and digits (full-width ones are folded); an account's is
// any text without spaces. It returns the code to store, or a message.
func (s *schema) checkCode(v string) (string, string) {
	code := width.Fold.String(v)
	if s.kind == model.KindSite {
		if n := utf8.RuneCountInString(code); n != SiteCodeLength {
			return "", fmt.Sprintf("is not %d characters (it has %d)", SiteCodeLength, n)
		}
		for _, r := range code {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return "", fmt.Sprintf("has %q, not only letters and digits", r)
			}
		}
		return code, ""
	}
	for _, r := range code {
		if isSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			return "", fmt.Sprintf("has %q inside", r)
		}
	}
	return code, ""
}

// bareHost is a URL written without a scheme: a dotted host name with an
// optional port and path (www.x.gov.cn, www.x.gov.cn:8080/index.html).
var bareHost = regexp.MustCompile(`^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)+\.?(:[0-9]{1,5})?([/?#].*)?$`)

// checkURL validates a URL cell and returns the URL to store. It must be
// http or https with a host; a bare host (www.x.gov.cn) is accepted and
// stored with "http://" in front, as browsers read it. Full-width forms
// (a "：" typed with a Chinese input method) are folded first.
func checkURL(v string) (string, error) {
	v = width.Fold.String(v)
	if strings.IndexFunc(v, func(r rune) bool { return isSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", errors.New("it has a space")
	}
	if !strings.Contains(v, "://") {
		if !bareHost.MatchString(v) {
			return "", errors.New("want http:// or https:// and a host")
		}
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", err
	}
	if sch := strings.ToLower(u.Scheme); sch != "http" && sch != "https" {
		return "", fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return "", errors.New("no host")
	}
	if net.ParseIP(host) == nil {
		for _, label := range strings.Split(strings.TrimSuffix(host, "."), ".") {
			if label == "" {
				return "", fmt.Errorf("host %q has an empty label", host)
			}
			for _, r := range label {
				if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
					return "", fmt.Errorf("host %q has %q", host, r)
				}
			}
		}
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("port %q is out of range", p)
		}
	}
	return v, nil
}
