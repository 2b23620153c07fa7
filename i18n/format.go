package i18n

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// Beijing is China Standard Time, UTC+8, in which the console shows every time. China has
// kept no daylight saving since 1991, so a fixed zone is exact for every time subsidyflow
// holds and needs no tz database on the server.
var Beijing = time.FixedZone("CST", 8*60*60)

// Time shows t in Beijing time to the second.
func Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Beijing).Format("2006-01-02 15:04:05")
}

// Minute shows t in Beijing time to the minute, for lists.
func Minute(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Beijing).Format("2006-01-02 15:04")
}

// Day is the Beijing calendar day of t.
func Day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Beijing).Format("2006-01-02")
}

// LastDay turns an exclusive end (a program's ends_at, a period's first day after) into the
// last day it includes, which is how people write a period: "2023-01-01 至 2023-12-31".
// Only calendar dates (midnight) move back a day; any other instant is already inside.
func LastDay(exclusiveEnd time.Time) time.Time {
	if exclusiveEnd.IsZero() {
		return exclusiveEnd
	}
	if h, m, s := exclusiveEnd.Clock(); h == 0 && m == 0 && s == 0 && exclusiveEnd.Nanosecond() == 0 {
		return exclusiveEnd.AddDate(0, 0, -1)
	}
	return exclusiveEnd
}

// Period shows a period from its first day to its exclusive end, inclusively, in l.
func (l Lang) Period(from, exclusiveEnd time.Time) string {
	return from.Format("2006-01-02") + l.T(" to ") + LastDay(exclusiveEnd).Format("2006-01-02")
}

// Amount shows an amount with two decimals and thousands separators: 1,234,567.80.
func Amount(d decimal.Decimal) string { return Group(money.Format(d)) }

// Group puts thousands separators into a plain decimal string ("-1234567.8" →
// "-1,234,567.8"); anything that is not a plain decimal comes back unchanged.
func Group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" {
		return sign + s
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return sign + b.String()
}

// Ungroup takes thousands separators out of an amount typed by a person ("23,456.78",
// "23，456.78", " 23 456.78 ") so the strict money parser can read it. Separators are only
// taken out where they group the whole part by threes; "2,34.5" is left as it is, for the
// parser to refuse with its usual field error rather than be read as 234.5.
func Ungroup(s string) string {
	s = strings.TrimSpace(s)
	t := strings.NewReplacer("，", ",", "\u00a0", ",", " ", ",", "\u2009", ",").Replace(s)
	if !strings.Contains(t, ",") {
		return s
	}
	sign := ""
	if strings.HasPrefix(t, "-") {
		sign, t = "-", t[1:]
	}
	whole, frac, hasFrac := strings.Cut(t, ".")
	groups := strings.Split(whole, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return s
	}
	for _, g := range groups {
		if g == "" || strings.Trim(g, "0123456789") != "" {
			return s
		}
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return s
		}
	}
	out := sign + strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out
}
