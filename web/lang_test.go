package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/subsidyflow/subsidyflow/i18n"
)

// Pages in zh-CN must hold no English a reader would have to read. What a page shows as data
// (an enterprise's name, a token's subject, a note someone typed) is marked translate="no",
// the HTML attribute for "leave this as it is"; the language switch marks its English link
// lang="en". Everything else is checked word by word.

// allowedWords are Latin words that are names, not English: the product, file formats and
// abbreviations Chinese finance staff use as they are.
var allowedWords = map[string]bool{
	"subsidyflow": true, "CSV": true, "XLSX": true, "Excel": true, "PDF": true, "JSON": true, "HTML": true,
	"SVG": true, "API": true, "CNY": true, "LPR": true, "ID": true, "URL": true, "SHA": true, "HMAC": true,
	"Ed25519": true, "Temporal": true, "UI": true, "make": true, "dev": true, "PostgreSQL": true, "UTC": true,
}

// latinWord is a run of letters; a run touching digits, '_' or other identifier characters
// is a code (clm_12, 91540100MA6T000019, sha256), not a word.
var token = regexp.MustCompile(`[A-Za-z0-9_.@/:#=&?%+-]+`)
var letters = regexp.MustCompile(`^[A-Za-z][A-Za-z'-]*[A-Za-z]$`)

// englishIn lists the English words of a page's visible text and readable attributes.
func englishIn(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	var found []string
	check := func(s, where string) {
		for _, tok := range token.FindAllString(s, -1) {
			tok = strings.Trim(tok, ".:,;?!-")
			if letters.MatchString(tok) && !allowedWords[tok] {
				found = append(found, tok+" ("+where+": "+strings.TrimSpace(clip(s))+")")
			}
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "pre", "kbd", "samp", "svg":
				if n.Data != "svg" {
					return
				}
			}
			for _, a := range n.Attr {
				if (a.Key == "translate" && a.Val == "no") || (a.Key == "lang" && a.Val == "en") {
					return
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "title", "placeholder", "aria-label", "alt", "data-confirm":
					check(a.Val, n.Data+"@"+a.Key)
				case "value":
					if typ := attr(n, "type"); typ == "submit" || typ == "button" {
						check(a.Val, n.Data+"@value")
					}
				}
			}
		}
		if n.Type == html.TextNode {
			check(n.Data, "text")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// assertChinese fails when a zh-CN page shows English words or asked the catalog for a
// text it lacks.
func assertChinese(t *testing.T, path, page string) {
	t.Helper()
	if words := englishIn(t, page); len(words) > 0 {
		t.Errorf("%s shows English in zh-CN: %s", path, strings.Join(dedupe(words), "; "))
	}
	if m := i18n.Missing(); len(m) > 0 {
		t.Errorf("after %s the Chinese catalog lacks: %q", path, m)
	}
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

var hrefs = regexp.MustCompile(`href="(/ui/[^"#]*)"`)

// crawl visits every page reachable by links from start as b, in zh-CN, and checks each;
// it returns the paths it visited. Downloads (anything not HTML) are fetched but not read.
func crawl(t *testing.T, b *browser, start ...string) []string {
	t.Helper()
	seen := map[string]bool{}
	queue := append([]string{}, start...)
	var visited []string
	for len(queue) > 0 && len(visited) < 200 {
		p := html.UnescapeString(queue[0])
		queue = queue[1:]
		u, err := url.Parse(p)
		if err != nil {
			continue
		}
		q := u.Query()
		q.Del("lang")
		u.RawQuery = q.Encode()
		key := u.String()
		if seen[key] || strings.HasPrefix(u.Path, "/ui/static/") {
			continue
		}
		seen[key] = true
		resp, body := b.get(key)
		visited = append(visited, key)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d", key, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.StatusCode != http.StatusOK {
			continue
		}
		assertChinese(t, key, body)
		for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
			queue = append(queue, m[1])
		}
	}
	return visited
}
