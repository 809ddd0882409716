package report

import (
	"strings"
)

// Paragraph kinds: the bulletin is a list of typed paragraphs from which
// both the Markdown and the .docx are rendered.
const (
	Title     = "title"     // 标题 (方正小标宋简体 2号, centred)
	Heading   = "heading"   // 一级标题 (黑体 3号)
	Body      = "body"      // 正文 (仿宋_GB2312 3号, first line indented 2 characters)
	Signature = "signature" // 落款 and date (right-aligned)
	Indented  = "indented"  // continuation aligned under a label (attachment list)
	Note      = "note"      // a draft's remark to the reviewer
	Blank     = "blank"     // an empty line
)

// Paragraph is one paragraph of the bulletin. Lead, when set, is the
// paragraph's run-in heading ((一)加强问题整改……。), set apart in 楷体.
type Paragraph struct {
	Kind string `json:"kind"`
	Lead string `json:"lead,omitempty"`
	Text string `json:"text"`
}

// parseParagraphs reads a rendered template: every non-empty line is a
// paragraph, its kind given by a prefix (see assets/templates/README.md).
func parseParagraphs(s string) []Paragraph {
	var out []Paragraph
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		var p Paragraph
		switch {
		case line == "~":
			p.Kind = Blank
		case strings.HasPrefix(line, "## "):
			p = Paragraph{Kind: Heading, Text: strings.TrimSpace(line[3:])}
		case strings.HasPrefix(line, "# "):
			p = Paragraph{Kind: Title, Text: strings.TrimSpace(line[2:])}
		case strings.HasPrefix(line, ">> "):
			p = Paragraph{Kind: Signature, Text: strings.TrimSpace(line[3:])}
		case strings.HasPrefix(line, ":: "):
			p = Paragraph{Kind: Indented, Text: strings.TrimSpace(line[3:])}
		case strings.HasPrefix(line, "!! "):
			p = Paragraph{Kind: Note, Text: strings.TrimSpace(line[3:])}
		default:
			p = Paragraph{Kind: Body, Text: strings.TrimSpace(line)}
			if rest, ok := strings.CutPrefix(p.Text, "**"); ok {
				if lead, text, ok := strings.Cut(rest, "**"); ok {
					p.Lead, p.Text = lead, text
				}
			}
		}
		out = append(out, p)
	}
	// No blank lines at the ends or twice in a row.
	var clean []Paragraph
	for i, p := range out {
		if p.Kind == Blank && (len(clean) == 0 || clean[len(clean)-1].Kind == Blank || i == len(out)-1) {
			continue
		}
		clean = append(clean, p)
	}
	return clean
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "#", `\#`)

// markdown renders paragraphs as Markdown.
func markdown(ps []Paragraph) string {
	var b strings.Builder
	for _, p := range ps {
		if p.Kind == Blank {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		switch p.Kind {
		case Title:
			b.WriteString("# " + mdEscaper.Replace(p.Text))
		case Heading:
			b.WriteString("## " + mdEscaper.Replace(p.Text))
		case Note:
			b.WriteString("> **" + mdEscaper.Replace(p.Text) + "**")
		default:
			if p.Lead != "" {
				b.WriteString("**" + mdEscaper.Replace(p.Lead) + "**")
			}
			b.WriteString(mdEscaper.Replace(p.Text))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// PlainText is the paragraphs' text, one line each (lead and text
// joined), as a reader sees them: for previews and tests.
func PlainText(ps []Paragraph) []string {
	var out []string
	for _, p := range ps {
		if p.Kind == Blank {
			continue
		}
		out = append(out, p.Lead+p.Text)
	}
	return out
}
