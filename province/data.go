package province

import (
	"embed"
	"fmt"
	"strings"
)

// The word lists live in data files so that content is data, not code.
//
//go:embed data/*.txt
var dataFS embed.FS

// lines returns the non-comment, non-empty lines of an embedded data file.
func lines(name string) []string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		// The files are embedded at build time; a missing one is a build bug.
		panic(fmt.Sprintf("province: embedded data %s: %v", name, err))
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// fields splits every line of a data file on '|' and checks the arity.
func fields(name string, n int) [][]string {
	var out [][]string
	for _, l := range lines(name) {
		f := strings.Split(l, "|")
		if len(f) != n {
			panic(fmt.Sprintf("province: data/%s: %q has %d fields, want %d", name, l, len(f), n))
		}
		out = append(out, f)
	}
	return out
}

type region struct {
	code, name, short, pinyin, prefecture string
}

type dept struct {
	name, abbr, typ, flavour string
}

type colDef struct {
	name, slug, cat string
}

// lexicon is every embedded list, parsed once per New (cheap).
type lexicon struct {
	regions                        []region
	portals                        map[string]string
	provDepts, prefDepts           []dept
	countyDepts                    []string
	columns                        []colDef
	news, notice, personnel, paras []string
	police, market                 []string
	spamPhrases, spamHosts, guides []string
}

func loadLexicon() *lexicon {
	lx := &lexicon{portals: map[string]string{}}
	for _, f := range fields("regions.txt", 5) {
		lx.regions = append(lx.regions, region{f[0], f[1], f[2], f[3], f[4]})
	}
	for _, f := range fields("portals.txt", 2) {
		lx.portals[f[0]] = f[1]
	}
	for _, f := range fields("depts_province.txt", 4) {
		lx.provDepts = append(lx.provDepts, dept{f[0], f[1], f[2], f[3]})
	}
	for _, f := range fields("depts_prefecture.txt", 4) {
		lx.prefDepts = append(lx.prefDepts, dept{f[0], f[1], f[2], f[3]})
	}
	lx.countyDepts = lines("depts_county.txt")
	for _, f := range fields("columns.txt", 3) {
		lx.columns = append(lx.columns, colDef{f[0], f[1], f[2]})
	}
	lx.news = lines("news.txt")
	lx.notice = lines("notice.txt")
	lx.personnel = lines("personnel.txt")
	lx.paras = lines("paragraphs.txt")
	lx.police = lines("police.txt")
	lx.market = lines("market.txt")
	lx.spamPhrases = lines("spam_phrases.txt")
	lx.spamHosts = lines("spam_hosts.txt")
	lx.guides = lines("guides.txt")
	return lx
}
