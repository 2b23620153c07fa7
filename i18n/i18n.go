// Package i18n holds the console's two languages: Simplified Chinese (zh-CN, the default:
// the people who use subsidyflow are Chinese SME staff, finance officers and auditors) and
// English. Texts are keyed gettext-style by their English wording, so a page template reads
// {{t "Claims"}} and an English page needs no catalog at all; the Chinese catalog is split
// into one file per area (catalog_*.go) that registers its entries at init.
//
// Codes never pass through here: the API keeps status codes, reason codes, region codes and
// credit codes as they are; only what people read is translated.
package i18n

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Lang is a language the console speaks.
type Lang string

// The two languages. ZH is the default for every request that does not ask for English.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the languages in the order the switch shows them.
var Langs = []Lang{ZH, EN}

// CookieName keeps a choice made with the switch (?lang=en) across pages.
const CookieName = "sf_lang"

// Parse reads a language tag loosely ("en-GB", "zh", "zh-Hans-CN"); ok is false for any
// other language.
func Parse(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch {
	case tag == "en" || strings.HasPrefix(tag, "en-"):
		return EN, true
	case tag == "zh" || strings.HasPrefix(tag, "zh-"):
		return ZH, true
	}
	return "", false
}

// Negotiate picks a language from an Accept-Language header: the supported language with the
// highest q value; ZH when neither is named (or the header is empty or malformed).
func Negotiate(header string) Lang {
	best, bestQ := ZH, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		l, ok := Parse(tag)
		if !ok {
			continue
		}
		q := 1.0
		if v, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			if _, err := fmt.Sscanf(v, "%g", &q); err != nil || q < 0 || q > 1 {
				continue
			}
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	if bestQ <= 0 {
		return ZH
	}
	return best
}

// FromRequest is the language of a page request: ?lang= (the switch), then the cookie the
// switch set, then Accept-Language.
func FromRequest(r *http.Request) Lang {
	if l, ok := Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(CookieName); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	return Negotiate(r.Header.Get("Accept-Language"))
}

// String is the tag, as html lang= wants it.
func (l Lang) String() string { return string(l) }

// catalog is English text → Chinese text, filled by Register at init.
var (
	mu       sync.RWMutex
	zh       = map[string]string{}
	patterns []pattern
	missing  = map[string]struct{}{}
)

// pattern is a catalog entry with verbs (%s, %d, %v, %q): it translates messages that were
// formatted from the English format, for errors built far from here (apperr.New(…, "%s is
// closed", id)) whose format is not known where they are shown.
type pattern struct {
	re     *regexp.Regexp
	format string // the Chinese format
	verbs  int
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[sdvqfg]`)

// Register adds English → Chinese entries. An entry whose English holds format verbs also
// translates already formatted messages (see Message). Registering one English text twice
// with different Chinese is a programming error and panics at start-up.
func Register(entries map[string]string) {
	mu.Lock()
	defer mu.Unlock()
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, en := range keys {
		cn := entries[en]
		if prev, ok := zh[en]; ok && prev != cn {
			panic(fmt.Sprintf("i18n: %q registered twice: %q and %q", en, prev, cn))
		}
		zh[en] = cn
		locs := verb.FindAllStringIndex(en, -1)
		if len(locs) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString("^")
		last := 0
		for _, loc := range locs {
			b.WriteString(regexp.QuoteMeta(en[last:loc[0]]))
			b.WriteString("(.+?)")
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(en[last:]))
		b.WriteString("$")
		patterns = append(patterns, pattern{re: regexp.MustCompile(b.String()), format: cn, verbs: len(locs)})
	}
	// Longer English first: the most specific pattern wins.
	sort.SliceStable(patterns, func(i, j int) bool { return len(patterns[i].re.String()) > len(patterns[j].re.String()) })
}

// T is the text in l. A Chinese text missing from the catalog is noted (Missing) and the
// English shown, so a forgotten entry is visible in tests, not fatal to a user.
func (l Lang) T(en string) string {
	if l != ZH || en == "" {
		return en
	}
	mu.RLock()
	cn, ok := zh[en]
	mu.RUnlock()
	if ok {
		return cn
	}
	noteMissing(en)
	return en
}

// Has reports whether the catalog knows en (in English every text is known).
func (l Lang) Has(en string) bool {
	if l != ZH {
		return true
	}
	mu.RLock()
	defer mu.RUnlock()
	_, ok := zh[en]
	return ok
}

// Tf formats the text of format in l with args.
func (l Lang) Tf(format string, args ...any) string {
	return fmt.Sprintf(l.T(format), args...)
}

// Message translates a message that was already formatted somewhere else: an error's text
// such as "claim clm_12 is not pending approval", or a field error "must be at most 50000.00".
// It tries the exact text, then every registered format; a message made of parts joined by
// ": " (a wrapped error) is translated part by part. Arguments a format captured are
// translated too when the catalog knows them (a status word inside a sentence).
func (l Lang) Message(s string) string {
	if l != ZH || s == "" {
		return s
	}
	if out, ok := translate(s, 0); ok {
		return out
	}
	noteMissing(s)
	return s
}

func translate(s string, depth int) (string, bool) {
	mu.RLock()
	cn, ok := zh[s]
	ps := patterns
	mu.RUnlock()
	if ok {
		return cn, true
	}
	if depth > 3 {
		return s, false
	}
	for _, p := range ps {
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := make([]any, 0, p.verbs)
		for _, a := range m[1:] {
			if t, ok := translate(a, depth+1); ok {
				a = t
			} else if !literal(a) {
				args = nil // English words the catalog lacks: this format is not the one
				break
			}
			args = append(args, a)
		}
		if args != nil {
			return fmt.Sprintf(verb.ReplaceAllString(p.format, "%s"), args...), true
		}
	}
	// A list of messages ("Unprocessable Entity; the request has invalid fields; amount: …")
	// translates part by part.
	if parts := strings.Split(s, "; "); len(parts) > 1 {
		out := make([]string, len(parts))
		ok := true
		for i, p := range parts {
			if out[i], ok = translate(p, depth+1); !ok {
				break
			}
		}
		if ok {
			return strings.Join(out, "；"), true
		}
	}
	// A wrapped error ("lead: cause"), or a field error ("params.rate: must be …") whose
	// head is a field path and stays as it is.
	if head, tail, found := strings.Cut(s, ": "); found {
		h, ok1 := translate(head, depth+1)
		if !ok1 && fieldPath.MatchString(head) {
			h, ok1 = head, true
		}
		t, ok2 := translate(tail, depth+1)
		if ok1 && ok2 {
			return h + "：" + t, true
		}
	}
	return s, false
}

// literal reports whether a captured argument is shown as it is in any language: an id, a
// number, a code or a quoted value the user typed, rather than words that need translating.
func literal(a string) bool {
	if strings.HasPrefix(a, `"`) || strings.HasPrefix(a, "'") {
		return true
	}
	return !strings.ContainsAny(a, " \t\n")
}

// fieldPath is a request field's path such as interest_paid or lines[0].amount, shown as it
// is before its error; a plain word ("amount") is not one: it needs translating.
var fieldPath = regexp.MustCompile(`^[a-z][a-z0-9]*([_.\[\]][a-z0-9_.\[\]]*)+$`)

func noteMissing(en string) {
	mu.Lock()
	missing[en] = struct{}{}
	mu.Unlock()
}

// Missing lists the texts asked for in Chinese since start-up (or the last ResetMissing)
// that the catalog lacks: tests walk the pages and require it to be empty.
func Missing() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(missing))
	for k := range missing {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ResetMissing forgets what Missing has noted.
func ResetMissing() {
	mu.Lock()
	missing = map[string]struct{}{}
	mu.Unlock()
}
