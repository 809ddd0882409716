package probe

import (
	"time"

	"inspector/model"
)

// Capture is everything the probe saw of one target in one run: facts, not
// interpretations. It is stored as an observation and re-read by analysis
// (offline), so it must hold enough to redo every detector without the
// network: raw and rendered pages, links with their visibility, crawler
// variants, link checks and the visits made.
type Capture struct {
	Target   model.Target `json:"target"`
	Round    string       `json:"round"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	// Pages fetched: the home page first, then columns, articles, guides,
	// message lists, in the order they were visited.
	Pages []*Page `json:"pages"`
	// Variants of the home page fetched as crawlers, a phone, or with a
	// search-engine Referer (cloaking evidence).
	Variants []Variant `json:"variants,omitempty"`
	// Links checked for this target, each once, with the pages linking it.
	Links []LinkCheck `json:"links,omitempty"`
	// Visits are the attempts to open the home page in this run
	// (availability evidence).
	Visits []Visit `json:"visits,omitempty"`
	// Err is set when the run could not complete for this target.
	Err string `json:"err,omitempty"`
	// Shots holds screenshot bytes by content hash (JPEG). Stored apart
	// from the JSON, once per hash.
	Shots map[string][]byte `json:"-"`
}

// Page roles.
const (
	RoleHome        = "home"
	RoleColumn      = "column"
	RoleArticle     = "article"
	RoleGuide       = "guide"
	RoleInteraction = "interaction"
	RoleAccount     = "account"
)

// Page is one fetched (and possibly rendered) page.
type Page struct {
	URL         string    `json:"url"`
	FinalURL    string    `json:"final_url"`
	Redirects   []string  `json:"redirects,omitempty"` // chain of URLs before FinalURL
	Status      int       `json:"status"`
	ContentType string    `json:"content_type,omitempty"`
	Charset     string    `json:"charset,omitempty"` // as decoded: utf-8, gbk, gb18030 …
	Role        string    `json:"role"`
	From        string    `json:"from,omitempty"`      // page that linked here
	LinkText    string    `json:"link_text,omitempty"` // text of the link that led here (a column's name)
	Title       string    `json:"title,omitempty"`
	Raw         string    `json:"raw,omitempty"`      // decoded body as served
	Rendered    string    `json:"rendered,omitempty"` // DOM after scripts ran
	Text        string    `json:"text,omitempty"`     // visible text (rendered when available)
	Links       []Link    `json:"links,omitempty"`
	Screenshot  string    `json:"screenshot,omitempty"` // content hash into Capture.Shots / the store
	FetchedAt   time.Time `json:"fetched_at"`
	Millis      int64     `json:"millis"`
	Err         string    `json:"err,omitempty"`
	Truncated   bool      `json:"truncated,omitempty"` // body hit the size cap
}

// Link is an element that points somewhere: a, img, script, link, iframe,
// with what the browser knew of its visibility.
type Link struct {
	Href    string `json:"href"` // absolute
	Text    string `json:"text,omitempty"`
	Tag     string `json:"tag"`
	Visible bool   `json:"visible"`
	// Hidden names why a link is not visible: display, visibility,
	// opacity, clip (a clipping ancestor), offscreen, zero-size,
	// font-size, color (text coloured as its background). Empty when
	// visible or when the page was not rendered.
	Hidden string `json:"hidden,omitempty"`
	// ScriptOnly is set when the link exists in the rendered DOM but not
	// in the raw HTML (written by a script).
	ScriptOnly bool    `json:"script_only,omitempty"`
	X          float64 `json:"x,omitempty"`
	Y          float64 `json:"y,omitempty"`
	W          float64 `json:"w,omitempty"`
	H          float64 `json:"h,omitempty"`
}

// Variant is the home page as fetched by someone other than a browser
// user: a crawler UA, a phone, or a visitor arriving from a search engine.
type Variant struct {
	Name      string   `json:"name"` // baiduspider, 360spider, sogou, googlebot, mobile, referer-baidu …
	UserAgent string   `json:"user_agent"`
	Referer   string   `json:"referer,omitempty"`
	Status    int      `json:"status"`
	FinalURL  string   `json:"final_url"`
	Redirects []string `json:"redirects,omitempty"`
	Raw       string   `json:"raw,omitempty"`
	// Rendered/Location are filled when the variant was rendered in the
	// browser: script redirects show up as a different final location.
	Rendered string `json:"rendered,omitempty"`
	Location string `json:"location,omitempty"`
	Err      string `json:"err,omitempty"`
}

// Link check results.
const (
	LinkOK      = "ok"
	LinkBroken  = "broken"
	LinkBlocked = "blocked" // 403/429/challenge, also refused in the browser: shown, not deducted
	LinkSkipped = "skipped" // not fetched: a suspected spam host, or outside the mapped hosts
)

// LinkCheck is the result of checking one URL, once per round.
type LinkCheck struct {
	URL    string   `json:"url"`
	Status int      `json:"status,omitempty"`
	Result string   `json:"result"`
	Err    string   `json:"err,omitempty"`
	From   []string `json:"from"` // pages linking it
	OnHome bool     `json:"on_home,omitempty"`
}

// Visit is one attempt to open the home page.
type Visit struct {
	At     time.Time `json:"at"`
	OK     bool      `json:"ok"`
	Millis int64     `json:"millis"`
	Err    string    `json:"err,omitempty"`
}
