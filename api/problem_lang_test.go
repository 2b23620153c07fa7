package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Words a Chinese problem may keep in Latin letters: header and format names a client types
// as they are.
var problemLatin = map[string]bool{
	"JSON": true, "UTF-8": true, "NUL": true, "Authorization": true, "Bearer": true, "HTTP": true,
	"MiB": true, "RFC": true, "GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"Idempotency-Key": true, "LPR": true, "Temporal": true, "true": true, "false": true, "offset": true,
	"refund": true, "page": true, "from": true, "to": true, "encode": true, "decode": true,
}

var (
	latinToken = regexp.MustCompile(`[A-Za-z0-9_.@/:#=&?%+<>\[\]-]+`)
	latinWord  = regexp.MustCompile(`^[A-Za-z][A-Za-z'-]*[A-Za-z]$`)
	quoted     = regexp.MustCompile(`"[^"]*"`)
	// codeList is a list of the codes a field accepts: codes stay codes in every language.
	codeList = regexp.MustCompile(`-?[a-z0-9_]+(、-?[a-z0-9_]+)+`)
)

// englishWords lists the English words of a message: words of letters only, not codes
// (clm_1, field.paths, 540100), not quoted values the client sent, not problemLatin.
func englishWords(s string) []string {
	var out []string
	for _, tok := range latinToken.FindAllString(codeList.ReplaceAllString(quoted.ReplaceAllString(s, ""), ""), -1) {
		tok = strings.Trim(tok, ".:,;?!-<>()[]")
		if latinWord.MatchString(tok) && !problemLatin[tok] {
			out = append(out, tok)
		}
	}
	return out
}

type langProblem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// TestProblemsFollowAcceptLanguage sends every malformed request of TestMalformedRequests
// twice: asking for Chinese, the title, detail and every field message hold no English word
// (codes, field paths and the status stay); asking for nothing, the answer is the English
// it always was.
func TestProblemsFollowAcceptLanguage(t *testing.T) {
	for _, tc := range badRequests() {
		t.Run(tc.name, func(t *testing.T) {
			en := newTestAPI(t).do(tc.method, tc.path, tc.token, tc.body, tc.headers...)
			zh := newTestAPI(t).do(tc.method, tc.path, tc.token, tc.body, append(tc.headers, "Accept-Language: zh-CN,zh;q=0.9,en;q=0.8")...)
			require.Equal(t, tc.status, en.Code)
			require.Equal(t, tc.status, zh.Code, "the language changes no status")
			assert.Equal(t, "en", en.Header().Get("Content-Language"))
			assert.Equal(t, "zh-CN", zh.Header().Get("Content-Language"))

			var de, dz langProblem
			require.NoError(t, json.Unmarshal(en.Body.Bytes(), &de))
			require.NoError(t, json.Unmarshal(zh.Body.Bytes(), &dz))
			var enDoc, zhDoc map[string]any
			require.NoError(t, json.Unmarshal(en.Body.Bytes(), &enDoc))
			require.NoError(t, json.Unmarshal(zh.Body.Bytes(), &zhDoc))
			assert.Equal(t, enDoc["type"], zhDoc["type"], "the type is a code")
			if tc.field != "" {
				assert.Contains(t, fieldsOf(t, enDoc)[tc.field], tc.message, "English stays as it was")
			}

			require.Len(t, dz.Errors, len(de.Errors))
			texts := map[string]string{"title": dz.Title, "detail": dz.Detail}
			for i, e := range dz.Errors {
				assert.Equal(t, de.Errors[i].Field, e.Field, "field paths stay")
				texts["errors."+e.Field] = e.Message
			}
			for where, s := range texts {
				if words := englishWords(s); len(words) > 0 {
					t.Errorf("%s is not Chinese: %q (English: %v)", where, s, words)
				}
			}
		})
	}
}

// TestProblemLanguageNegotiation: the API answers in English by default, unlike the pages.
func TestProblemLanguageNegotiation(t *testing.T) {
	for header, want := range map[string]string{
		"":                   "en",
		"fr-FR":              "en",
		"en-US,en;q=0.9":     "en",
		"zh":                 "zh-CN",
		"zh-Hans-CN":         "zh-CN",
		"en;q=0.5, zh;q=0.8": "zh-CN",
		"zh;q=0.3, en":       "en",
		"zh;q=0":             "en",
	} {
		var headers []string
		if header != "" {
			headers = []string{"Accept-Language: " + header}
		}
		rec := newTestAPI(t).do("GET", "/v1/claims/clm_nope", "", "", headers...)
		require.Equal(t, 401, rec.Code)
		assert.Equal(t, want, rec.Header().Get("Content-Language"), "Accept-Language %q", header)
	}
}

func TestMessageInKeepsCodesAndLists(t *testing.T) {
	zh := problemLang(mustRequest("zh-CN"))
	assert.Equal(t, "须为以下之一：freight、rent_waiver", messageIn(zh, "must be one of freight, rent_waiver"))
	assert.Equal(t, "不是有效的 JSON（位于第 7 字节）",
		messageIn(zh, "is not valid JSON: invalid character 'x' looking for beginning of value (at byte 7)"))
	assert.Equal(t, "申请 clm_12 已存在", messageIn(zh, "claim clm_12 already exists"))
}

func mustRequest(acceptLanguage string) *http.Request {
	r := httptest.NewRequest("GET", "/v1/claims", nil)
	r.Header.Set("Accept-Language", acceptLanguage)
	return r
}
